//! `sarkar-crm service install`: sets this program up as the `sarkar-crm` systemd service
//! on a machine without the .deb, with the same unit, user, directories and settings file.
//!
//! The files are the ones in `packaging/`, embedded at compile time so that the binary
//! carries them. Written by hand rather than by dpkg, the unit, sysusers and tmpfiles
//! files go to `/etc` (systemd's place for the administrator's own files) and `/usr/lib`
//! is left to the package manager; the settings file is `/etc/sarkar-crm/config.toml`
//! either way.

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, anyhow, bail};

/// The systemd unit (`packaging/sarkar-crm.service`).
pub const UNIT: &str = include_str!("../packaging/sarkar-crm.service");
/// The sysusers.d file that defines the `sarkar-crm` user and group.
pub const SYSUSERS: &str = include_str!("../packaging/sarkar-crm.sysusers");
/// The tmpfiles.d file that creates the data and settings directories.
pub const TMPFILES: &str = include_str!("../packaging/sarkar-crm.tmpfiles");
/// The settings file installed as `/etc/sarkar-crm/config.toml` when there is none.
pub const CONFIG: &str = include_str!("../packaging/config.toml");

const UNIT_NAME: &str = "sarkar-crm";
/// Where the unit's `ExecStart=` expects the program; other prefixes are written into it.
const PACKAGED_EXEC_START: &str = "ExecStart=/usr/bin/sarkar-crm ";
const UNIT_PATH: &str = "/etc/systemd/system/sarkar-crm.service";
const SYSUSERS_PATH: &str = "/etc/sysusers.d/sarkar-crm.conf";
const TMPFILES_PATH: &str = "/etc/tmpfiles.d/sarkar-crm.conf";
const CONFIG_DIR: &str = "/etc/sarkar-crm";
const CONFIG_PATH: &str = "/etc/sarkar-crm/config.toml";

#[derive(Debug, clap::Subcommand)]
pub enum ServiceCommand {
    /// Install this program as the sarkar-crm system service, as the .deb does: copies it
    /// to /usr/bin, writes the systemd unit, creates the user and directories, starts it.
    /// Run it as root (with sudo).
    Install(InstallArgs),
}

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// The program is copied to PREFIX/bin/sarkar-crm.
    #[arg(long, default_value = "/usr")]
    pub prefix: PathBuf,
    /// Write every file under DIR instead of / and run no systemd command (for preparing
    /// a disk image; DIR must exist).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Set everything up but neither start the service nor enable it at boot.
    #[arg(long)]
    pub no_start: bool,
}

/// Runs a `service` subcommand, printing each step.
pub fn run(command: &ServiceCommand) -> anyhow::Result<()> {
    match command {
        ServiceCommand::Install(args) => install(args),
    }
}

fn install(args: &InstallArgs) -> anyhow::Result<()> {
    let binary = binary_path(&args.prefix)?;
    let root = match &args.root {
        Some(dir) => checked_root(dir)?,
        None => {
            check_can_install()?;
            PathBuf::from("/")
        }
    };
    let here = std::env::current_exe().context("finding the path of this program")?;
    let unit = UNIT.replacen(PACKAGED_EXEC_START, &format!("ExecStart={binary} "), 1);

    println!("Installing Sarkar CRM as the {UNIT_NAME} system service.");
    let target = under(&root, &binary);
    write_file(&target, 0o755, |tmp| fs::copy(&here, tmp).map(drop))?;
    println!("  Copied this program to {}.", target.display());

    let target = under(&root, UNIT_PATH);
    write_text(&target, &unit)?;
    println!("  Wrote the service definition {}.", target.display());
    let target = under(&root, SYSUSERS_PATH);
    write_text(&target, SYSUSERS)?;
    println!(
        "  Wrote {}, which defines the {UNIT_NAME} user.",
        target.display()
    );
    let target = under(&root, TMPFILES_PATH);
    write_text(&target, TMPFILES)?;
    println!(
        "  Wrote {}, which defines the data directory /var/lib/{UNIT_NAME}.",
        target.display()
    );

    let config_dir = under(&root, CONFIG_DIR);
    create_dirs(&config_dir)?;
    set_mode(&config_dir, 0o755)?;
    let target = under(&root, CONFIG_PATH);
    // The settings file is the technician's: an existing one is never replaced.
    if target
        .try_exists()
        .with_context(|| format!("checking for {}", target.display()))?
    {
        println!("  Kept the settings file {} as it was.", target.display());
    } else {
        write_text(&target, CONFIG)?;
        println!("  Wrote the settings file {}.", target.display());
    }

    if args.root.is_some() {
        println!(
            "Done: the files are under {}. No system command was run (--root); on the \
             machine itself run `systemd-sysusers`, `systemd-tmpfiles --create`, \
             `systemctl daemon-reload` and `systemctl enable --now {UNIT_NAME}`.",
            root.display()
        );
        return Ok(());
    }

    run_step(
        "Created the sarkar-crm user",
        &["systemd-sysusers", SYSUSERS_PATH],
        "Check that /etc/passwd and /etc/group can be written (is the disk full or read-only?)",
    )?;
    run_step(
        "Created /var/lib/sarkar-crm and /etc/sarkar-crm",
        &["systemd-tmpfiles", "--create", TMPFILES_PATH],
        "Check that /var/lib is on a writable disk with free space",
    )?;
    run_step(
        "Told systemd about the service",
        &["systemctl", "daemon-reload"],
        "Check that systemd is running (`systemctl is-system-running`)",
    )?;
    if args.no_start {
        println!(
            "Done. The service is not started (--no-start); start it, and at every boot, \
             with `sudo systemctl enable --now {UNIT_NAME}`."
        );
        return Ok(());
    }
    run_step(
        "Set the service to start at every boot",
        &["systemctl", "enable", UNIT_NAME],
        "Check that systemd is running (`systemctl is-system-running`)",
    )?;
    // A restart rather than `enable --now`, so that installing again also swaps a
    // running old program for the new one.
    run_step(
        "Started the service",
        &["systemctl", "restart", UNIT_NAME],
        "See why with `journalctl -u sarkar-crm -n 50`: often a setting in /etc/sarkar-crm/config.toml or a port another program already uses",
    )?;
    println!(
        "Done. See how it is doing with `systemctl status {UNIT_NAME}` and its log with \
         `journalctl -u {UNIT_NAME}`. After changing {CONFIG_PATH}, run \
         `sudo systemctl restart {UNIT_NAME}`."
    );
    Ok(())
}

/// Where the program goes, as the unit's `ExecStart=` names it.
fn binary_path(prefix: &Path) -> anyhow::Result<String> {
    let text = prefix.to_str().unwrap_or_default();
    // The path is written into ExecStart=, where spaces, quotes and `%` mean something.
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'));
    if !prefix.is_absolute() || !plain {
        bail!(
            "--prefix {}: give an absolute path made of letters, digits, `/`, `.`, `_` and `-`, \
             such as /usr (the default) or /usr/local",
            prefix.display()
        );
    }
    Ok(format!("{}/bin/sarkar-crm", text.trim_end_matches('/')))
}

fn checked_root(dir: &Path) -> anyhow::Result<PathBuf> {
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(dir.to_path_buf()),
        Ok(_) => bail!(
            "--root {}: this is a file, not a directory; give the directory to install under",
            dir.display()
        ),
        Err(err) if err.kind() == ErrorKind::NotFound => bail!(
            "--root {}: no such directory; create it first (`mkdir -p {}`) or give an existing one",
            dir.display(),
            dir.display()
        ),
        Err(err) => {
            Err(anyhow!(err)).with_context(|| format!("--root {}: cannot read it", dir.display()))
        }
    }
}

/// Refuses early, before anything is written, when the install could not finish.
fn check_can_install() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // /proc/self belongs to the user the process runs as.
        if let Ok(meta) = fs::metadata("/proc/self")
            && meta.uid() != 0
        {
            bail!(
                "installing a service changes system files and needs root: \
                 run it with sudo (`sudo sarkar-crm service install`)"
            );
        }
    }
    if !Path::new("/run/systemd/system").exists() {
        bail!(
            "this machine is not running systemd (there is no /run/systemd/system), so the \
             service cannot be installed here; run the server with `sarkar-crm serve` instead, \
             or prepare an image's files with `sarkar-crm service install --root DIR`"
        );
    }
    Ok(())
}

/// `path` (absolute) inside `root`.
fn under(root: &Path, path: impl AsRef<Path>) -> PathBuf {
    let path = path.as_ref();
    root.join(path.strip_prefix("/").unwrap_or(path))
}

fn write_text(target: &Path, text: &str) -> anyhow::Result<()> {
    write_file(target, 0o644, |tmp| fs::write(tmp, text))
}

/// Writes `target` whole or not at all: `fill` writes a temporary file beside it, which
/// is then renamed over it. The rename also replaces a program that is running, which
/// copying into it would refuse.
fn write_file(
    target: &Path,
    mode: u32,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let dir = target
        .parent()
        .ok_or_else(|| anyhow!("{} has no parent directory", target.display()))?;
    create_dirs(dir)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.new"));
    let written = fill(&tmp)
        .map_err(anyhow::Error::from)
        .and_then(|()| set_mode(&tmp, mode))
        .and_then(|()| fs::rename(&tmp, target).map_err(anyhow::Error::from));
    if let Err(err) = written {
        let _ = fs::remove_file(&tmp);
        return Err(explain_io(err, target));
    }
    Ok(())
}

fn create_dirs(dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir).map_err(|err| explain_io(err.into(), dir))
}

fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
            .with_context(|| format!("setting the permissions of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

fn explain_io(err: anyhow::Error, path: &Path) -> anyhow::Error {
    let denied = err
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == ErrorKind::PermissionDenied);
    if denied {
        anyhow!(
            "cannot write {}: permission denied; installing a service needs root: \
             run it with sudo (`sudo sarkar-crm service install`)",
            path.display()
        )
    } else {
        err.context(format!("writing {}", path.display()))
    }
}

/// Runs one system command, saying what it did or, when it failed, what to do next.
fn run_step(done: &str, command: &[&str], if_it_fails: &str) -> anyhow::Result<()> {
    let shown = command.join(" ");
    let (program, args) = command
        .split_first()
        .ok_or_else(|| anyhow!("empty command"))?;
    let output = match Command::new(program).args(args).output() {
        Ok(output) => output,
        Err(err) if err.kind() == ErrorKind::NotFound => bail!(
            "`{shown}` could not run: {program} is not installed. Install systemd \
             (`sudo apt-get install -y systemd`) and run `sarkar-crm service install` again"
        ),
        Err(err) => return Err(err).with_context(|| format!("running `{shown}`")),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "`{shown}` failed ({}): {}\n{if_it_fails}. Then run \
             `sudo sarkar-crm service install` again; it is safe to repeat.",
            output.status,
            stderr.trim()
        );
    }
    println!("  {done} ({shown}).");
    Ok(())
}
