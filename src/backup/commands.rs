//! What the `sarkar-crm backup …` commands do and print: keygen, run, list, verify and
//! restore. Command-line code, so errors are `anyhow` with the fix in the message.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};

use super::{BackupError, Backups, Identities, Manifest, Remote, RunEvent, fetch_and_unpack};
use crate::config::Config;
use crate::data_dir::{DATABASE_FILE, DataDirError, open_database, rebuild_search_index};
use crate::domain::format_size;
use crate::store::{Db, StoreError};

/// `backup keygen`: a new recovery key, printed once (and as a QR code), optionally
/// saved to `output` for a USB stick.
pub fn keygen(output: Option<&Path>, passphrase: Option<&str>) -> anyhow::Result<()> {
    let key = super::generate_key();
    let sealed = passphrase
        .map(|passphrase| super::keys::seal(&key, passphrase))
        .transpose()?;
    if let Some(path) = output {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).with_context(|| {
            format!(
                "cannot create {} (an existing file is never overwritten; choose another name)",
                path.display()
            )
        })?;
        file.write_all(super::identity_file(&key, jiff::Timestamp::now()).as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    println!("Sarkar CRM backup recovery key");
    println!("==============================");
    println!("Backups are encrypted so that only this key can read them. It is shown this once.");
    println!("Keep it OFF this box: print this page or scan the code, and keep it with the shop's");
    println!("papers (a safe, a bank locker). Without it no backup can ever be read, by anyone.\n");
    println!("    {}\n", key.secret);
    if let Some(code) = crate::net::pairing::qr_text(&key.secret) {
        println!("{code}");
    }
    if let Some(path) = output {
        println!(
            "Also saved to {} (move that file off this box).\n",
            path.display()
        );
    }
    println!("Public key, for the configuration (safe to share, it can only lock):");
    println!("    [backup]");
    println!("    recipients = [\"{}\"]", key.public);
    if let Some(sealed) = &sealed {
        println!("    sealed_keys = [\"{sealed}\"]");
        println!(
            "\nThe sealed copy is uploaded beside the backups: with the passphrase alone, and"
        );
        println!("no key file, `backup restore --passphrase` can read them. Forget the passphrase");
        println!("and that way is closed; the key above still works.");
    }
    println!();
    println!(
        "To restore, put the AGE-SECRET-KEY-1… line in a file on the machine you restore on and run:"
    );
    println!("    sarkar-crm backup restore --destination NAME --identity FILE --to DATA_DIR");
    Ok(())
}

/// `backup run`: a snapshot now, uploaded to every destination or to `only`.
pub async fn run(config: &Config, data_dir: &Path, only: Option<&str>) -> anyhow::Result<()> {
    if config.backup.destination.is_empty() {
        bail!(BackupError::NotConfigured);
    }
    if let Some(name) = only {
        config
            .backup
            .destination_named(name)
            .map_err(|m| anyhow!(m))?;
    }
    let db = match open_database(data_dir, config) {
        Ok(db) => db,
        Err(DataDirError::Store(StoreError::Locked { .. })) => bail!(
            "the server is running and holds the database, and it backs up on its own schedule. \
             For a backup now, press \"Back up now\" on its Backups page (/backups), or stop the service and run this again"
        ),
        Err(err) => return Err(err.into()),
    };
    let files = crate::net::tls::CA_FILES
        .iter()
        .map(|f| f.to_string())
        .collect();
    let backups = Backups::open(Arc::new(config.clone()), data_dir, db, files)?;
    let report = backups.run_now(only, Arc::new(print_event)).await?;
    if let Some(manifest) = &report.snapshot {
        println!(
            "Backup {} taken: {} customers, {} sales, {} products ({}).",
            manifest.id,
            manifest.count("customers"),
            manifest.count("sales"),
            manifest.count("products"),
            format_size(manifest.payload_bytes)
        );
    }
    for (destination, id) in &report.uploaded {
        println!("Uploaded {id} to {destination}.");
    }
    if !report.failed.is_empty() {
        for (destination, error) in &report.failed {
            eprintln!("Could not upload to {destination}: {error}");
        }
        bail!(
            "the backup waits in the queue on this box; the server (or the next `backup run`) uploads it when the destination answers again"
        );
    }
    Ok(())
}

fn print_event(event: RunEvent) {
    match event {
        RunEvent::Uploaded {
            destination,
            id,
            progress,
        } => eprintln!(
            "uploading {id} to {destination}: part {} done, {} of {}",
            progress.part,
            format_size(progress.bytes),
            format_size(progress.total)
        ),
        RunEvent::Removed { destination, id } => {
            eprintln!("removed {id} from {destination} (older than the retention keeps)")
        }
        RunEvent::UploadFailed {
            destination, error, ..
        } => eprintln!("upload to {destination} failed: {error}"),
        RunEvent::Snapshot { .. }
        | RunEvent::SnapshotTaken { .. }
        | RunEvent::UploadDone { .. } => {}
    }
}

/// `backup list`: the backups in each destination, oldest first.
pub async fn list(config: &Config, only: Option<&str>) -> anyhow::Result<()> {
    let destinations = selected(config, only)?;
    let mut failed = false;
    for destination in destinations {
        let remote = Remote::open(destination)?;
        println!("{} ({}):", remote.name, remote.place);
        match remote.list().await {
            Ok(listing) => {
                if listing.backups.is_empty() {
                    println!("  no backups yet");
                }
                for manifest in &listing.backups {
                    println!(
                        "  {}  taken {}  {:>10}  {} customers, {} sales  (Sarkar CRM {})",
                        manifest.id,
                        local_time(config, manifest.created_at),
                        format_size(manifest.payload_bytes),
                        manifest.count("customers"),
                        manifest.count("sales"),
                        manifest.app_version
                    );
                }
                for id in &listing.unfinished {
                    println!("  {id}  unfinished upload (not a backup; removed by the next run)");
                }
                for (id, why) in &listing.unreadable {
                    println!("  {id}  unreadable manifest: {why}");
                }
            }
            Err(err) => {
                failed = true;
                println!("  cannot list: {err}");
            }
        }
    }
    if failed {
        bail!("some destinations could not be listed (see above)");
    }
    Ok(())
}

fn selected<'c>(
    config: &'c Config,
    only: Option<&str>,
) -> anyhow::Result<Vec<&'c crate::config::Destination>> {
    match only {
        Some(name) => Ok(vec![
            config
                .backup
                .destination_named(name)
                .map_err(|m| anyhow!(m))?,
        ]),
        None if config.backup.destination.is_empty() => bail!(BackupError::NotConfigured),
        None => Ok(config.backup.destination.iter().collect()),
    }
}

/// `backup verify`: downloads, decrypts and checks every hash and count, then writes
/// the tables into a scratch database and opens it, as a restore would.
pub async fn verify(
    config: &Config,
    destination: &str,
    id: Option<&str>,
    key: &Key,
) -> anyhow::Result<()> {
    let (remote, identities) = open_with_key(config, destination, key).await?;
    let scratch = std::env::temp_dir().join(format!("sarkar-crm-verify-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let checked = async {
        let manifest =
            fetch_and_unpack(&remote, id, identities, &scratch, Some(scratch.clone())).await?;
        let db = open_database(&scratch, config)?;
        let last = db.read(|r| r.last_change_seq())?;
        Ok::<_, anyhow::Error>((manifest, last))
    }
    .await;
    let _ = std::fs::remove_dir_all(&scratch);
    let (manifest, last) = checked?;
    println!(
        "Backup {} of {} (taken {}) is good: decrypted with this key, every table's and file's \
         count and SHA-256 match, and it opens as a database (newest change {last}).",
        manifest.id,
        manifest.store,
        local_time(config, manifest.created_at)
    );
    print_counts(&manifest);
    Ok(())
}

/// The destination a backup is read from, and the key that reads it.
async fn open_with_key(
    config: &Config,
    destination: &str,
    key: &Key,
) -> anyhow::Result<(Remote, Arc<Identities>)> {
    let destination = config
        .backup
        .destination_named(destination)
        .map_err(|m| anyhow!(m))?;
    let remote = Remote::open(destination)?;
    let identities = match key {
        Key::File(path) => Identities::from_file(path)?,
        Key::Passphrase(passphrase) => {
            let sealed = remote.sealed_keys().await?;
            if sealed.is_empty() {
                bail!(
                    "destination `{}` holds no sealed recovery key, so a passphrase cannot open its backups; use --identity with the key file",
                    remote.name
                );
            }
            Identities::unseal(&sealed, passphrase)?
        }
    };
    Ok((remote, Arc::new(identities)))
}

/// What opens the backups: the recovery key's file, or the passphrase of a sealed copy.
#[derive(Debug)]
pub enum Key {
    File(PathBuf),
    Passphrase(String),
}

/// A passphrase from `SARKAR_BACKUP_PASSPHRASE`, or one line of standard input.
pub fn read_passphrase() -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal};
    if let Ok(passphrase) = std::env::var("SARKAR_BACKUP_PASSPHRASE") {
        return Ok(passphrase);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Passphrase (shown as you type): ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the passphrase from standard input")?;
    let passphrase = line.trim_end_matches(['\r', '\n']).to_owned();
    if passphrase.is_empty() {
        bail!("no passphrase given: pipe it in, or set SARKAR_BACKUP_PASSPHRASE");
    }
    Ok(passphrase)
}

/// `backup restore`: rebuilds the data directory `to` from a backup, then its search
/// index. A non-empty `to` is replaced only with `force`, its contents kept aside in it.
pub async fn restore(
    config: &Config,
    destination: &str,
    id: Option<&str>,
    key: &Key,
    to: &Path,
    force: bool,
) -> anyhow::Result<()> {
    let (remote, identities) = open_with_key(config, destination, key).await?;
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    let staging = to.join(STAGING);
    let _ = std::fs::remove_dir_all(&staging);
    let existing = entries_of(to)?;
    if !existing.is_empty() && !force {
        bail!(
            "{} is not empty. Restore into an empty or new folder, or add --force to replace it \
             (what is there now is moved into a folder named .before-restore-… inside it, not deleted)",
            to.display()
        );
    }
    // Moving files out from under a running server would lose what it writes next.
    let database = to.join(DATABASE_FILE);
    if database.exists() {
        Db::check_not_in_use(&database)?;
    }
    let started = std::time::Instant::now();
    // Everything happens inside `to`, so the service's own user (who may not write to the
    // folder above it) can restore, and the moves are renames on one file system.
    std::fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;
    let fetched = fetch_and_unpack(&remote, id, identities, &staging, Some(staging.clone())).await;
    let manifest = match fetched {
        Ok(manifest) => manifest,
        Err(err) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(err.into());
        }
    };
    let kept_aside = if existing.is_empty() {
        None
    } else {
        let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ");
        let aside = to.join(format!(".before-restore-{stamp}"));
        std::fs::create_dir(&aside).with_context(|| format!("creating {}", aside.display()))?;
        for path in &existing {
            let name = path.file_name().unwrap_or_default();
            std::fs::rename(path, aside.join(name))
                .with_context(|| format!("moving {} aside", path.display()))?;
        }
        Some(aside)
    };
    for path in entries_of(&staging)? {
        let name = path.file_name().unwrap_or_default().to_owned();
        std::fs::rename(&path, to.join(&name))
            .with_context(|| format!("moving the restored {} into place", path.display()))?;
    }
    std::fs::remove_dir(&staging).with_context(|| format!("removing {}", staging.display()))?;
    let db = open_database(to, config)?;
    rebuild_search_index(to, &db, &|_, _| {})?;
    println!(
        "Restored backup {} of {} (taken {}) into {} in {:.1} s, and rebuilt its search index.",
        manifest.id,
        manifest.store,
        local_time(config, manifest.created_at),
        to.display(),
        started.elapsed().as_secs_f64()
    );
    print_counts(&manifest);
    if let Some(aside) = kept_aside {
        println!(
            "What was in {} before is in {}; delete it once the restored store looks right.",
            to.display(),
            aside.display()
        );
    }
    println!(
        "Start the server on it with: sarkar-crm --data-dir {} serve",
        to.display()
    );
    Ok(())
}

/// The folder inside the target where a restore is unpacked before it is moved into place.
const STAGING: &str = ".restoring";

/// What a data directory holds, apart from earlier restores' leftovers and the kept-aside
/// folders of earlier forced restores.
fn entries_of(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("reading {}", dir.display()))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name != STAGING && !name.starts_with(".before-restore-") {
            entries.push(path);
        }
    }
    Ok(entries)
}

fn print_counts(manifest: &Manifest) {
    println!(
        "  {} customers, {} sales, {} products, {} staff, {} interactions, {} follow-ups; {} tables and files in all.",
        manifest.count("customers"),
        manifest.count("sales"),
        manifest.count("products"),
        manifest.count("users"),
        manifest.count("interactions"),
        manifest.count("follow_ups"),
        manifest.counts.len()
    );
}

fn local_time(config: &Config, at: jiff::Timestamp) -> String {
    at.to_zoned_datetime(config.time_zone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}
