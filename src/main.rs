//! The `sarkar-crm` command: parses the command line, loads configuration and wires
//! the library together. No business logic lives here.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sarkar_crm::Server;
use sarkar_crm::app::Crm;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::backup::commands as backup;
use sarkar_crm::config::{Config, DEFAULT_CONFIG};
use sarkar_crm::data_dir::{open_database, rebuild_search_index};
use sarkar_crm::domain::UserRole;
use sarkar_crm::net::pairing;
use sarkar_crm::service::ServiceCommand;

mod cli;

/// mimalloc rather than glibc's allocator: the database and the importers make many
/// small, short-lived allocations, and glibc spent a quarter of a large import in them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "sarkar-crm",
    version,
    about = "Customer and sales system for a jewellery store"
)]
struct Cli {
    /// Where the database and other data live.
    #[arg(long, global = true, env = "SARKAR_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// A TOML file overriding the built-in defaults (see `print-default-config`).
    #[arg(long, global = true, env = "SARKAR_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web app and API (the default when no command is given).
    Serve(ServeArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Fill the default store with a believable Kolkata jewellery store's data.
    DemoData(DemoArgs),
    /// Rebuild the search index and the owner's figures from the database (the server
    /// must be stopped).
    Reindex,
    /// Check the install (data directory, database, certificates, ports, clock, disk…)
    /// and say how to fix what is wrong; exits with 1 when something fails.
    Doctor,
    /// Print the built-in configuration, with every key explained.
    PrintDefaultConfig,
    /// Install as a system service (systemd) on a machine without the .deb.
    #[command(subcommand)]
    Service(ServiceCommand),
    /// Encrypted backups: make the recovery key, back up now, list, verify, restore.
    #[command(subcommand)]
    Backup(BackupCommand),
    /// Write a list (customers, products, sales, follow-ups) as a CSV or Excel file, as
    /// the owner would download it (the server must be stopped; while it runs, use the
    /// list's Download links).
    Export(cli::export::ExportArgs),
    /// Bring customers or products in from a CSV or Excel file, as the Import page does
    /// (the server must be stopped; while it runs, use the Import page).
    Import(cli::import::ImportArgs),
    /// Write a report to a file (the server must be stopped).
    #[command(subcommand)]
    Report(cli::report::ReportCommand),
}

#[derive(Debug, Subcommand)]
enum BackupCommand {
    /// Make the owner's recovery key: printed once (with a QR code) to keep off the box;
    /// its public key goes into backup.recipients.
    Keygen {
        /// Also save the key to this file (for a USB stick); never overwrites.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Also seal the key with a passphrase (read from SARKAR_BACKUP_PASSPHRASE or one
        /// line of standard input), for `sealed_keys`: restores then need only the passphrase.
        #[arg(long)]
        passphrase: bool,
    },
    /// Back up now to every destination, or to one (the server must be stopped; while
    /// it runs, it backs up on its schedule and its Backups page has "Back up now").
    Run {
        /// Only this destination (its name in the configuration).
        #[arg(long)]
        destination: Option<String>,
    },
    /// List the backups in every destination, or in one, oldest first.
    List {
        /// Only this destination (its name in the configuration).
        #[arg(long)]
        destination: Option<String>,
    },
    /// Download a backup, decrypt it, check every hash and count, and open it as a
    /// database in a scratch folder.
    Verify(BackupSource),
    /// Rebuild a data directory from a backup, then its search index.
    Restore {
        #[command(flatten)]
        source: BackupSource,
        /// The data directory to create.
        #[arg(long)]
        to: PathBuf,
        /// Replace a non-empty --to (its contents are moved aside, not deleted).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Default, clap::Args)]
struct ServeArgs {
    /// Address and port to serve HTTPS on, e.g. 0.0.0.0:8443 (default from the configuration).
    #[arg(long, env = "SARKAR_LISTEN")]
    listen: Option<SocketAddr>,
    /// Address and port of the plain-HTTP port that redirects to HTTPS and serves the CA
    /// certificate at /ca.pem, e.g. 0.0.0.0:8080 (default from the configuration).
    #[arg(long, env = "SARKAR_REDIRECT_LISTEN")]
    redirect_listen: Option<SocketAddr>,
    /// Serve plain HTTP only, on --listen (no TLS, no redirect port).
    #[arg(long)]
    http: bool,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user; the password is read as one line from standard input.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The floor a floor-manager works on; created if the store has no such floor.
        #[arg(long)]
        floor: Option<String>,
        /// The store; created if it does not exist (default: `store.name` from the configuration).
        #[arg(long)]
        store: Option<String>,
        /// Full name as shown to colleagues (default: the username).
        #[arg(long)]
        name: Option<String>,
    },
    /// Let an account slowed down by wrong passwords try again at once, on the running
    /// server (as its Team page's "Let them try again" does); run as the server's user.
    #[command(visible_alias = "unlock")]
    LetTryAgain {
        #[arg(long)]
        username: String,
    },
}

/// Which backup to read, and the key that reads it.
#[derive(Debug, clap::Args)]
struct BackupSource {
    /// The destination's name, from [[backup.destination]] in the configuration.
    #[arg(long)]
    destination: String,
    /// Which backup (default: the newest).
    #[arg(long)]
    id: Option<String>,
    /// The file holding the recovery key (AGE-SECRET-KEY-1…).
    #[arg(
        long,
        required_unless_present = "passphrase",
        conflicts_with = "passphrase"
    )]
    identity: Option<PathBuf>,
    /// Open the backups with the passphrase of a sealed recovery key instead (read from
    /// SARKAR_BACKUP_PASSPHRASE or one line of standard input).
    #[arg(long)]
    passphrase: bool,
}

impl BackupSource {
    fn key(&self) -> anyhow::Result<backup::Key> {
        match &self.identity {
            Some(path) => Ok(backup::Key::File(path.clone())),
            None => Ok(backup::Key::Passphrase(backup::read_passphrase()?)),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    BusinessAdmin,
    FloorManager,
}

#[derive(Debug, clap::Args)]
struct DemoArgs {
    #[arg(long, default_value_t = 2_000)]
    customers: u32,
    #[arg(long, default_value_t = 400)]
    products: u32,
    #[arg(long, default_value_t = 5_000)]
    sales: u32,
    /// The same seed always makes the same store.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Threads for blocking work (see where the runtime is built).
const BLOCKING_THREADS: usize = 32;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Doctor) = cli.command {
        return doctor(&cli);
    }
    if let Some(Command::Import(args)) = cli.command {
        return match Config::load(cli.config.as_deref(), std::env::vars()) {
            Ok(config) => cli::import::run(config, &cli.data_dir, args),
            Err(err) => {
                eprintln!("error: {err:#}");
                ExitCode::FAILURE
            }
        };
    }
    if let Some(Command::Export(args)) = cli.command {
        return match Config::load(cli.config.as_deref(), std::env::vars()) {
            Ok(config) => cli::export::run(config, &cli.data_dir, args),
            Err(err) => {
                eprintln!("error: {err:#}");
                ExitCode::FAILURE
            }
        };
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::PrintDefaultConfig) = cli.command {
        print!("{DEFAULT_CONFIG}");
        return Ok(());
    }
    // Installing needs no settings, and a broken settings file must not block it.
    if let Some(Command::Service(command)) = &cli.command {
        return sarkar_crm::service::run(command);
    }
    // Making a key needs no settings either: it is how the settings get their recipient.
    if let Some(Command::Backup(BackupCommand::Keygen { output, passphrase })) = &cli.command {
        return keygen(output.as_deref(), *passphrase);
    }
    let config = Config::load(cli.config.as_deref(), std::env::vars())?;
    init_tracing(&config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Database and search work runs on these; on two cores more of them only add
        // memory and switching. Tokio's default of 512 let 500 busy tablets hold
        // hundreds of threads and most of a gigabyte.
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .context("starting the async runtime")?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => runtime.block_on(serve(config, cli.data_dir, args)),
        Command::User(UserCommand::Add {
            username,
            role,
            floor,
            store,
            name,
        }) => {
            let password = read_password()?;
            let role = match role {
                RoleArg::BusinessAdmin => UserRole::BusinessAdmin,
                RoleArg::FloorManager => UserRole::FloorManager,
            };
            let crm = Crm::new(open_database(&cli.data_dir, &config)?, config);
            let user = runtime.block_on(crm.add_user_from_cli(CliUser {
                username,
                password,
                name,
                role,
                store,
                floor,
            }))?;
            println!(
                "Added {} ({}) as {}.",
                user.name,
                user.username,
                user.role.cli_name()
            );
            Ok(())
        }
        Command::User(UserCommand::LetTryAgain { username }) => {
            let command = format!("let-try-again {}", username.trim());
            let message =
                runtime.block_on(sarkar_crm::net::control::send(&cli.data_dir, &command))?;
            println!("{message}.");
            Ok(())
        }
        Command::DemoData(args) => {
            let crm = Crm::new(open_database(&cli.data_dir, &config)?, config);
            let options = sarkar_crm::demo::DemoOptions {
                customers: args.customers,
                products: args.products,
                sales: args.sales,
                seed: args.seed,
            };
            let report = sarkar_crm::demo::generate(&crm, &options, true)?;
            // A bulk load leaves free pages behind; give them back to the disk.
            crm.into_db().compact()?;
            println!("{report}");
            Ok(())
        }
        Command::Reindex => reindex(&config, &cli.data_dir),
        Command::Report(command) => {
            let crm = Crm::new(open_database(&cli.data_dir, &config)?, config);
            cli::report::run(&crm, command)
        }
        Command::Backup(command) => runtime.block_on(run_backup(&config, &cli.data_dir, command)),
        Command::PrintDefaultConfig
        | Command::Service(_)
        | Command::Doctor
        | Command::Export(_)
        | Command::Import(_) => Ok(()),
    }
}

async fn run_backup(
    config: &Config,
    data_dir: &std::path::Path,
    command: BackupCommand,
) -> anyhow::Result<()> {
    match command {
        BackupCommand::Keygen { output, passphrase } => keygen(output.as_deref(), passphrase),
        BackupCommand::Run { destination } => {
            backup::run(config, data_dir, destination.as_deref()).await
        }
        BackupCommand::List { destination } => backup::list(config, destination.as_deref()).await,
        BackupCommand::Verify(source) => {
            let key = source.key()?;
            backup::verify(config, &source.destination, source.id.as_deref(), &key).await
        }
        BackupCommand::Restore { source, to, force } => {
            let key = source.key()?;
            let (destination, id) = (&source.destination, source.id.as_deref());
            backup::restore(config, destination, id, &key, &to, force).await
        }
    }
}

/// `backup keygen` needs no configuration: it is how the configuration gets its key.
fn keygen(output: Option<&std::path::Path>, passphrase: bool) -> anyhow::Result<()> {
    let passphrase = passphrase.then(backup::read_passphrase).transpose()?;
    backup::keygen(output, passphrase.as_deref())
}

/// Prints every check with its fix; the exit code says whether anything failed.
fn doctor(cli: &Cli) -> ExitCode {
    let config = match Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(config) => config,
        Err(err) => {
            println!("FAIL configuration: {err:#}");
            println!(
                "     Fix: correct the file named above, or compare it with `sarkar-crm print-default-config`"
            );
            return ExitCode::FAILURE;
        }
    };
    let report = sarkar_crm::doctor::run(&config, &cli.data_dir);
    print!("{report}");
    if report.healthy() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn reindex(config: &Config, data_dir: &std::path::Path) -> anyhow::Result<()> {
    let db = open_database(data_dir, config)?;
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    rebuild_search_index(data_dir, &db, &progress)?;
    bar.finish_and_clear();
    println!(
        "Rebuilt the search index in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    let started = std::time::Instant::now();
    db.rebuild_figures()?;
    println!(
        "Worked the owner's figures out again in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn serve(config: Config, data_dir: PathBuf, args: ServeArgs) -> anyhow::Result<()> {
    let listen = args.listen.unwrap_or(config.server.listen);
    let server = if args.http {
        Server::build(config, &data_dir, listen).await?
    } else {
        let redirect = args
            .redirect_listen
            .unwrap_or(config.server.redirect_listen);
        Server::build_https(config, &data_dir, listen, redirect).await?
    };
    let shutdown = shutdown_signal()?;
    print_addresses(&server, &data_dir);
    print_setup_link(&server)?;
    std::io::stdout().flush().ok();
    server
        .run_until_stopped(shutdown)
        .await
        .context("serving")?;
    println!("Stopped cleanly.");
    Ok(())
}

/// Where to point a browser, and (over HTTPS) how a tablet checks the CA it is asked
/// to trust.
fn print_addresses(server: &Server, data_dir: &std::path::Path) {
    let addr = server.local_addr();
    let port = addr.port();
    let (Some(certificates), Some(pairing)) = (server.certificates(), server.pairing()) else {
        let shown = if addr.ip().is_unspecified() {
            format!("localhost:{port}")
        } else {
            addr.to_string()
        };
        println!(
            "Sarkar CRM is serving plain HTTP at http://{shown}/ (data in {})",
            data_dir.display()
        );
        return;
    };
    println!(
        "Sarkar CRM is serving at {} (data in {})",
        pairing.app_url(),
        data_dir.display()
    );
    for ip in pairing.lan_addresses() {
        println!("  also {}", pairing.https_url(ip));
    }
    println!("CA certificate SHA-256: {}", pairing.ca_fingerprint);
    if let Some(why) = certificates.issued {
        println!("Made a new server certificate because {why}.");
    }
    // A tablet scans the first code to fetch the CA, the second to open the app; the
    // /pair page shows the same, with steps for each kind of device.
    for (what, url) in [
        (
            "1. Trust this box (download its certificate)",
            pairing.ca_url(),
        ),
        ("2. Open Sarkar CRM", pairing.app_url()),
    ] {
        println!("\n{what}: {url}");
        if let Some(code) = pairing::qr_text(&url) {
            println!("{code}");
        }
    }
}

/// On a box nobody can sign in to yet, the one-time link that sets it up.
fn print_setup_link(server: &Server) -> anyhow::Result<()> {
    let Some(token) = server.crm().open_setup_link()? else {
        return Ok(());
    };
    let base = match server.pairing() {
        Some(pairing) => pairing.app_url(),
        None => format!("http://localhost:{}/", server.local_addr().port()),
    };
    let link = format!("{base}setup/{token}");
    println!(
        "\nNobody can sign in yet. Open this link once to name the store and create the owner's account:\n{link}"
    );
    if let Some(code) = pairing::qr_text(&link) {
        println!("{code}");
    }
    println!("(Scripts can use `sarkar-crm user add` instead.)");
    Ok(())
}

/// Listens for Ctrl-C and SIGTERM (what `systemctl stop` sends) from the moment it is
/// called, and resolves when one arrives.
fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt()).context("listening for Ctrl-C")?;
        let mut terminate = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
            tracing::info!("shutting down: finishing requests in flight");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async move {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for the new user (shown as you type): ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!(
            "no password given: pipe it in, e.g. `echo 'a long passphrase' | sarkar-crm user add ...`"
        );
    }
    Ok(password)
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&config.log.level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
