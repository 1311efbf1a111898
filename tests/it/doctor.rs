//! `sarkar-crm doctor`: a healthy stopped install passes; a data directory the user
//! cannot write and an expired certificate are named with their fixes; a running
//! server is checked through its own answers.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use sarkar_crm::Server;
use sarkar_crm::config::Config;
use sarkar_crm::net::{self, tls};

use crate::backup::{folder_backups, remember_backup};
use crate::helpers::{ServerProcess, binary, cli_add_user};

/// A port nothing listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A configuration file in `dir` serving on free loopback ports, without mDNS.
fn config_file(dir: &Path) -> (PathBuf, u16, u16) {
    let (https, redirect) = (free_port(), free_port());
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[server]\nlisten = \"127.0.0.1:{https}\"\nredirect_listen = \"127.0.0.1:{redirect}\"\nmdns = false\n"
        ),
    )
    .expect("write the config");
    (path, https, redirect)
}

/// A data directory as a first start over HTTPS leaves it: a user, the CA and server
/// certificate, an index that has caught up; the server then stopped.
async fn started_once(data_dir: &Path) {
    let added = cli_add_user(
        data_dir,
        &["--username", "owner", "--role", "business-admin"],
    )
    .await;
    assert!(added.status.success(), "{added:?}");
    let mut config = Config::defaults();
    config.server.mdns = false;
    let loopback: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let server = Server::build_https(config, data_dir, loopback, loopback)
        .await
        .expect("the server starts over HTTPS");
    server
        .run_until_stopped(async {})
        .await
        .expect("the app stops cleanly");
    // As the packages make it (tmpfiles: 0750): closed to other users.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o750)).expect("chmod");
    }
}

/// Runs doctor, as user and group `as_user` when given; its success and its output.
async fn doctor(data_dir: &Path, config: &Path, as_user: Option<u32>) -> (bool, String) {
    let mut command = binary();
    command
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(config)
        .arg("doctor");
    if let Some(id) = as_user {
        command.uid(id).gid(id);
    }
    let output = command.output().await.expect("doctor runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.code().is_some_and(|c| c == 0 || c == 1),
        "{output:?}"
    );
    (output.status.success(), stdout)
}

#[tokio::test]
async fn a_healthy_stopped_install_passes_every_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    started_once(dir.path()).await;
    let (config, ..) = config_file(dir.path());
    let (ok, out) = doctor(dir.path(), &config, None).await;
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let (summary, lines) = lines.split_last().expect("some output");
    assert!(summary.ends_with("checks passed"), "{out}");
    // A check is one line; an indented `Fix:` line under it belongs to it.
    let checks: Vec<&&str> = lines.iter().filter(|l| !l.starts_with(' ')).collect();
    assert!(checks.len() >= 9, "{out}");
    for line in &checks {
        assert!(
            line.starts_with("PASS ") || line.starts_with("INFO "),
            "{line}\n{out}"
        );
    }
    for name in [
        "data directory",
        "database",
        "search index",
        "certificate",
        "clock",
    ] {
        assert!(out.contains(&format!("PASS {name}: ")), "{name}\n{out}");
    }
    assert!(out.contains("passed the integrity check"), "{out}");
    // The server made the stored files' folder; nothing is in it yet.
    assert!(
        out.contains("INFO stored files: 0 files, 0 bytes in "),
        "{out}"
    );
    assert!(
        out.contains("INFO backups: backups are not set up: nothing on this box is copied"),
        "{out}"
    );
    assert!(out.contains("Fix: run `sarkar-crm backup keygen`"), "{out}");
}

/// A configuration with `server` from [`config_file`] and a `[backup]` section sending
/// backups to the folder `usb` with `warn_after_hours = 26`.
fn config_with_backups(dir: &Path, usb: &Path) -> PathBuf {
    let (path, ..) = config_file(dir);
    let mut toml = std::fs::read_to_string(&path).expect("config");
    toml.push_str(&folder_backups("warn_after_hours = 26", &[("usb", usb)]));
    std::fs::write(&path, toml).expect("config");
    path
}

#[tokio::test]
async fn backups_pass_when_recent_and_warn_when_old_or_the_disk_is_unplugged() {
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("data");
    started_once(&data).await;
    let usb = root.path().join("usb");
    std::fs::create_dir(&usb).expect("mkdir");
    let config = config_with_backups(root.path(), &usb);

    remember_backup(&data, "usb", 2, 3 * 1024 * 1024);
    let (ok, out) = doctor(&data, &config, None).await;
    assert!(ok, "{out}");
    assert!(
        out.contains("PASS backups: last backup to usb 2 hours ago (3.0 MiB)"),
        "{out}"
    );

    remember_backup(&data, "usb", 30, 3 * 1024 * 1024);
    let (ok, out) = doctor(&data, &config, None).await;
    assert!(ok, "a warning is not a failure: {out}");
    assert!(
        out.contains("WARN backups: the newest backup in `usb` is 30 hours old"),
        "{out}"
    );
    assert!(out.contains("backup.warn_after_hours (26)"), "{out}");
    assert!(
        out.contains("backup run --destination usb"),
        "the fix: {out}"
    );

    std::fs::remove_dir(&usb).expect("unplug");
    let (_, out) = doctor(&data, &config, None).await;
    assert!(
        out.contains(&format!(
            "WARN backups: the folder {} of destination `usb` does not exist",
            usb.display()
        )),
        "{out}"
    );
    assert!(out.contains("findmnt"), "the fix says how to look: {out}");
}

/// Root may write anywhere whatever the mode says, so as root the test hands the data
/// directory to `nobody` (65534), makes it read-only (0500) and runs doctor as `nobody`:
/// the directory then really cannot be written, as for a service user who lost it.
#[cfg(unix)]
#[tokio::test]
async fn a_data_directory_that_cannot_be_written_fails_with_its_fix() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    const NOBODY: u32 = 65534;
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("data");
    started_once(&data).await;
    let (config, ..) = config_file(root.path());
    let as_root = std::fs::metadata(&config).expect("config").uid() == 0;
    if as_root {
        chown_all(root.path(), NOBODY);
    }
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o500)).expect("chmod");
    let (ok, out) = doctor(&data, &config, as_root.then_some(NOBODY)).await;
    // Let the temporary directory be removed afterwards.
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "FAIL data directory: {} cannot be written by this user",
            data.display()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "Fix: give it to the service user: `sudo chown -R sarkar-crm:sarkar-crm {}",
            data.display()
        )),
        "{out}"
    );
    assert!(out.contains("problem"), "{out}");
}

#[cfg(unix)]
fn chown_all(path: &Path, id: u32) {
    std::os::unix::fs::chown(path, Some(id), Some(id)).expect("chown");
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("read dir") {
            chown_all(&entry.expect("entry").path(), id);
        }
    }
}

#[tokio::test]
async fn an_expired_certificate_fails_with_its_fix() {
    let dir = tempfile::tempdir().expect("temp dir");
    started_once(dir.path()).await;
    let tls_dir = dir.path().join(tls::TLS_DIR);
    std::fs::remove_file(tls_dir.join("server.pem")).expect("remove the certificate");
    std::fs::remove_file(tls_dir.join("server-key.pem")).expect("remove the key");
    // A certificate made 400 days ago; it lasts 397.
    let long_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 400);
    let names = tls::wanted_names(&Config::defaults().server.host_name, &net::lan_addresses());
    tls::ensure(dir.path(), &names, long_ago).expect("an old certificate");
    let (config, ..) = config_file(dir.path());
    let (ok, out) = doctor(dir.path(), &config, None).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains("FAIL certificate: the server certificate expired on"),
        "{out}"
    );
    assert!(
        out.contains(
            "Fix: restart the service, which makes a new one: `sudo systemctl restart sarkar-crm`"
        ),
        "{out}"
    );
    assert!(
        out.contains("PASS database: "),
        "only the certificate fails\n{out}"
    );
}

#[tokio::test]
async fn with_the_server_running_doctor_asks_the_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (config, https, redirect) = config_file(dir.path());
    let (mut server, first) = ServerProcess::spawn(
        binary()
            .arg("--data-dir")
            .arg(dir.path())
            .arg("--config")
            .arg(&config)
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{https}"))
            .arg("--redirect-listen")
            .arg(format!("127.0.0.1:{redirect}")),
    )
    .await;
    assert!(first.contains("serving at https://"), "{first}");

    let (ok, out) = doctor(dir.path(), &config, None).await;
    server.kill().await.expect("stop the server");
    assert!(ok, "{out}");
    assert!(
        out.contains("PASS database: checked by the running server"),
        "{out}"
    );
    assert!(
        out.contains("PASS search index: up to date (checked by the running server)"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "PASS HTTPS port: 127.0.0.1:{https} is served by the running Sarkar CRM"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "PASS redirect port: 127.0.0.1:{redirect} is served by the running Sarkar CRM"
        )),
        "{out}"
    );
}
