//! Checks on the data directory itself: that the service can write in it, that nobody
//! else can read it, the free space of its disk, and (not yet) its backups.

use std::path::Path;

use crate::net::tls::TLS_DIR;

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

/// Backups arrive in a later version; until then there is no age to report.
pub fn backups() -> super::Check {
    super::Check::info(
        "last backup",
        "backups are not set up yet (this version has no backup feature); nothing to check",
    )
}
