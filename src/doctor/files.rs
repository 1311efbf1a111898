//! Checks on the data directory itself: that the service can write in it, that nobody
//! else can read it, the free space of its disk, and how recent its backups are.

use std::path::Path;

use jiff::Timestamp;

use crate::backup::{DestinationStatus, read_state, status};
use crate::config::{Config, Target};
use crate::data_dir::TLS_DIR;
use crate::domain::{format_date_time, format_elapsed, format_size};

/// The service user the packages create; fixes name it so they can be pasted as they are.
pub const SERVICE_USER: &str = "sarkar-crm";

const GIB: u64 = 1024 * 1024 * 1024;

/// Exists, is a directory, can be written by this user, is closed to other users, and
/// keeps the certificate authority's folder and keys private.
pub fn data_dir(dir: &Path) -> super::Check {
    const NAME: &str = "data directory";
    let shown = dir.display();
    let metadata = match std::fs::metadata(dir) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return super::Check::fail(
                NAME,
                format!("{shown} does not exist"),
                format!(
                    "check --data-dir (or SARKAR_DATA_DIR); to make it: `sudo install -d -m 0750 -o {SERVICE_USER} -g {SERVICE_USER} {shown}`"
                ),
            );
        }
        Err(err) => {
            return super::Check::fail(
                NAME,
                format!("cannot look at {shown}: {err}"),
                format!(
                    "run doctor as the service user: `sudo -u {SERVICE_USER} sarkar-crm doctor --data-dir {shown}`"
                ),
            );
        }
    };
    if !metadata.is_dir() {
        return super::Check::fail(
            NAME,
            format!("{shown} is not a directory"),
            "point --data-dir (or SARKAR_DATA_DIR) at the folder that holds sarkar.redb",
        );
    }
    if let Err(err) = try_writing(dir) {
        return super::Check::fail(
            NAME,
            format!("{shown} cannot be written by this user: {err}"),
            format!(
                "give it to the service user: `sudo chown -R {SERVICE_USER}:{SERVICE_USER} {shown} && sudo chmod u+rwx {shown}`, and run doctor as that user: `sudo -u {SERVICE_USER} sarkar-crm doctor --data-dir {shown}`"
            ),
        );
    }
    let loose = loose_permissions(dir);
    if loose.is_empty() {
        return super::Check::pass(
            NAME,
            format!("{shown} is writable and private to its owner"),
        );
    }
    let (found, fixes): (Vec<_>, Vec<_>) = loose.into_iter().unzip();
    super::Check::warn(NAME, found.join("; "), fixes.join(" and "))
}

/// Creates and removes a file: the only honest test (root ignores permission bits, and
/// a read-only mount ignores them too).
fn try_writing(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".doctor-probe-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)?;
    std::fs::remove_file(&probe)
}

/// What others may read that they should not, each with its fix.
#[cfg(unix)]
fn loose_permissions(dir: &Path) -> Vec<(String, String)> {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| {
        std::fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o777)
    };
    let mut found = Vec::new();
    if let Some(m) = mode(dir).filter(|m| m & 0o007 != 0) {
        found.push((
            format!("{} can be read by every user (mode {m:o})", dir.display()),
            format!("`sudo chmod o-rwx {}`", dir.display()),
        ));
    }
    let tls = dir.join(TLS_DIR);
    if let Some(m) = mode(&tls).filter(|m| *m != 0o700) {
        found.push((
            format!("{} has mode {m:o}, not 700", tls.display()),
            format!("`sudo chmod 700 {}`", tls.display()),
        ));
    }
    for key in ["ca-key.pem", "server-key.pem"] {
        let path = tls.join(key);
        if let Some(m) = mode(&path).filter(|m| *m != 0o600) {
            found.push((
                format!("{} has mode {m:o}, not 600", path.display()),
                format!("`sudo chmod 600 {}`", path.display()),
            ));
        }
    }
    found
}

#[cfg(not(unix))]
fn loose_permissions(_dir: &Path) -> Vec<(String, String)> {
    Vec::new()
}

/// Free space on the data directory's file system: under 1 GiB fails, under 5 GiB warns.
pub fn free_disk(dir: &Path) -> super::Check {
    const NAME: &str = "free disk";
    // A missing data directory is reported above; measure the disk it would be on.
    let existing = dir.ancestors().find(|p| p.exists()).unwrap_or(dir);
    let free = match fs4::available_space(existing) {
        Ok(bytes) => bytes,
        Err(err) => {
            return super::Check::warn(
                NAME,
                format!(
                    "cannot measure the free space of {}: {err}",
                    existing.display()
                ),
                format!("look with `df -h {}`", existing.display()),
            );
        }
    };
    let shown = format!(
        "{:.1} GiB free on the disk of {}",
        free as f64 / GIB as f64,
        existing.display()
    );
    let fix = format!(
        "make room on that disk (see what is big with `sudo du -xh --max-depth=2 {} | sort -h | tail`), or move the data directory to a bigger disk",
        existing.display()
    );
    if free < GIB {
        super::Check::fail(
            NAME,
            format!("only {shown}; the database needs room to grow"),
            fix,
        )
    } else if free < 5 * GIB {
        super::Check::warn(NAME, format!("only {shown}"), fix)
    } else {
        super::Check::pass(NAME, shown)
    }
}

/// What the stored files (product photos, customer documents, the logo) take on the
/// disk; they are in every backup.
pub fn stored_files(dir: &Path) -> super::Check {
    const NAME: &str = "stored files";
    let Some(blobs) = crate::blobs::Blobs::existing(dir) else {
        return super::Check::info(NAME, "none yet (photos and documents are kept in files/)");
    };
    match blobs.usage() {
        Ok(usage) => super::Check::info(
            NAME,
            format!(
                "{} files, {} in {}",
                usage.files,
                crate::domain::format_size(usage.bytes),
                dir.join(crate::blobs::FILES_DIR).display()
            ),
        ),
        Err(err) => super::Check::warn(
            NAME,
            format!("cannot read the stored files: {err}"),
            format!(
                "check that the service's user owns {} (`sudo chown -R sarkar-crm {}`)",
                dir.join(crate::blobs::FILES_DIR).display(),
                dir.display()
            ),
        ),
    }
}

/// Each backup destination's newest backup against `backup.warn_after_hours`, and
/// whether a folder destination's folder is there (an unplugged disk). It reads the
/// state file the server keeps (`backups/state.json`), so it needs no database and
/// works with the server stopped or running.
pub fn backups(config: &Config, data_dir: &Path, now: Timestamp) -> Vec<super::Check> {
    const NAME: &str = "backups";
    if config.backup.destination.is_empty() {
        let mut check = super::Check::info(
            NAME,
            "backups are not set up: nothing on this box is copied anywhere else",
        );
        check.fix = Some(
            "run `sarkar-crm backup keygen` on any computer and keep the secret key it prints off the box; put the public key it prints in `recipients = [\"age1…\"]` under [backup] in /etc/sarkar-crm/config.toml; add a [[backup.destination]] there (kind = \"s3\" for a bucket, kind = \"dir\" for a folder on a disk; `sarkar-crm print-default-config` shows every key); then `sudo systemctl restart sarkar-crm`".to_owned(),
        );
        return vec![check];
    }
    let state = match read_state(data_dir) {
        Ok(state) => state,
        Err(err) => {
            return vec![super::Check::warn(
                NAME,
                format!("cannot read the backup state: {err}"),
                format!(
                    "run doctor as the service user: `sudo -u {SERVICE_USER} sarkar-crm doctor`; if the file is damaged, delete it (the next backup writes it again)"
                ),
            )];
        }
    };
    let status = status(config, &state, now);
    let tz = config.time_zone();
    let mut checks = Vec::new();
    if let Some(error) = &status.snapshot_error {
        checks.push(super::Check::warn(
            NAME,
            format!("the last backup snapshot could not be taken: {error}"),
            "see why in the log: `journalctl -u sarkar-crm | grep -i backup`; then take one with Back up now on the Backups page (or, with the service stopped, `sarkar-crm backup run`)",
        ));
    }
    for destination in &status.destinations {
        let folder = config
            .backup
            .destination
            .iter()
            .find(|d| d.name == destination.name)
            .and_then(|d| match &d.target {
                Target::Dir { path } => Some(path),
                Target::S3(_) => None,
            });
        if let Some(path) = folder.filter(|path| !path.is_dir()) {
            let shown = path.display();
            checks.push(super::Check::warn(
                NAME,
                format!(
                    "the folder {shown} of destination `{}` does not exist: is the backup disk unplugged or not mounted?",
                    destination.name
                ),
                format!(
                    "plug the disk in and mount it so that {shown} is there (`lsblk` lists the disks, `findmnt {shown}` shows the mount); a new disk needs the folder made for the service user: `sudo install -d -o {SERVICE_USER} -g {SERVICE_USER} {shown}`"
                ),
            ));
        }
        checks.push(last_backup(
            NAME,
            destination,
            status.warn_after_hours,
            &tz,
            now,
        ));
    }
    checks
}

/// One destination's newest backup: PASS when recent, WARN when missing or too old.
fn last_backup(
    name: &'static str,
    destination: &DestinationStatus,
    warn_after_hours: u32,
    tz: &jiff::tz::TimeZone,
    now: Timestamp,
) -> super::Check {
    let to = &destination.name;
    let Some(success) = destination
        .last_success
        .as_ref()
        .filter(|_| !destination.overdue)
    else {
        let newest = match &destination.last_success {
            Some(success) => format!(
                "the newest backup in `{to}` is {} old (taken {}), more than backup.warn_after_hours ({warn_after_hours})",
                format_elapsed(now.duration_since(success.taken_at)),
                format_date_time(success.taken_at, tz)
            ),
            None => format!("no backup has reached `{to}` yet"),
        };
        let found = match &destination.last_error {
            Some(error) => format!("{newest}; the last upload failed: {error}"),
            None => newest,
        };
        return super::Check::warn(
            name,
            found,
            format!(
                "see why in the log: `journalctl -u sarkar-crm | grep -i backup`; check destination `{to}` ({}: the disk is mounted, or the bucket exists and its keys are right); then take a backup with Back up now on the Backups page, or with the service stopped `sarkar-crm backup run --destination {to}`",
                destination.place
            ),
        );
    };
    super::Check::pass(
        name,
        format!(
            "last backup to {to} {} ago ({})",
            format_elapsed(now.duration_since(success.taken_at)),
            format_size(success.bytes)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_destinations_doctor_says_how_to_set_backups_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        let checks = backups(&Config::defaults(), dir.path(), Timestamp::now());
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].status, super::super::Status::Info);
        let fix = checks[0].fix.as_deref().unwrap_or_default();
        for step in ["backup keygen", "recipients", "[[backup.destination]]"] {
            assert!(fix.contains(step), "{step}: {fix}");
        }
    }
}
