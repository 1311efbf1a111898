//! The system service: `service install --root` puts every file in place, and systemd's
//! own tools accept the unit, the sysusers and the tmpfiles files in `packaging/`.
//! These tests fail, never skip, when the systemd tools are missing.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use sarkar_crm::config::Config;
use sarkar_crm::service::{CONFIG, SYSUSERS, TMPFILES, UNIT};

use crate::helpers::binary;

const PACKAGING: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/packaging");

fn mode(path: &Path) -> u32 {
    let meta = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    meta.permissions().mode() & 0o7777
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn install(args: &[&str]) -> Output {
    binary()
        .args(["service", "install"])
        .args(args)
        .output()
        .await
        .expect("the sarkar-crm binary runs")
}

/// Runs one of systemd's tools; a missing tool fails the test with how to get it.
fn systemd_tool(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {program} ({e}): install it with `apt-get install -y systemd`")
        })
}

#[tokio::test]
async fn install_under_a_root_writes_every_file_and_keeps_the_settings() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().to_str().unwrap();
    let first = install(&["--root", dir]).await;
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("Wrote the settings file"),
        "{}",
        text(&first)
    );

    let program = root.path().join("usr/bin/sarkar-crm");
    assert_eq!(mode(&program), 0o755);
    assert_eq!(
        fs::metadata(&program).unwrap().len(),
        fs::metadata(env!("CARGO_BIN_EXE_sarkar-crm"))
            .unwrap()
            .len()
    );
    let version = Command::new(&program).arg("--version").output().unwrap();
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with("sarkar-crm "),
        "the copy runs: {}",
        text(&version)
    );
    for (path, content) in [
        ("etc/systemd/system/sarkar-crm.service", UNIT),
        ("etc/sysusers.d/sarkar-crm.conf", SYSUSERS),
        ("etc/tmpfiles.d/sarkar-crm.conf", TMPFILES),
        ("etc/sarkar-crm/config.toml", CONFIG),
    ] {
        let file = root.path().join(path);
        assert_eq!(fs::read_to_string(&file).unwrap(), content, "{path}");
        assert_eq!(mode(&file), 0o644, "{path}");
    }
    assert_eq!(mode(&root.path().join("etc/sarkar-crm")), 0o755);
    // Each connection is an open file: the unit raises systemd's default of 1,024 well
    // past the server's own cap on connections, so the cap is what a flood meets.
    let written =
        fs::read_to_string(root.path().join("etc/systemd/system/sarkar-crm.service")).unwrap();
    let open_files: u64 = written
        .lines()
        .find_map(|line| line.strip_prefix("LimitNOFILE="))
        .expect("the unit sets LimitNOFILE")
        .parse()
        .expect("a number of open files");
    let cap = sarkar_crm::config::Config::defaults()
        .server
        .max_connections as u64;
    assert!(
        open_files >= 4 * cap,
        "LimitNOFILE={open_files} leaves room beyond max_connections={cap}"
    );
    assert_eq!(
        UNIT,
        fs::read_to_string(format!("{PACKAGING}/sarkar-crm.service")).unwrap(),
        "the binary carries packaging/ as it is"
    );
    let leftovers: Vec<_> = walk(root.path())
        .into_iter()
        .filter(|p| p.ends_with(".new"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // A technician's edits survive a second install; everything else is rewritten.
    let settings = root.path().join("etc/sarkar-crm/config.toml");
    fs::write(&settings, "[log]\nlevel = \"debug\"\n").unwrap();
    fs::write(root.path().join("etc/sysusers.d/sarkar-crm.conf"), "stale").unwrap();
    let second = install(&["--root", dir]).await;
    assert!(second.status.success(), "{}", text(&second));
    assert!(
        text(&second).contains("Kept the settings file"),
        "{}",
        text(&second)
    );
    assert_eq!(
        fs::read_to_string(&settings).unwrap(),
        "[log]\nlevel = \"debug\"\n"
    );
    assert_eq!(
        fs::read_to_string(root.path().join("etc/sysusers.d/sarkar-crm.conf")).unwrap(),
        SYSUSERS
    );
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path.display().to_string());
        }
    }
    found
}

#[tokio::test]
async fn a_prefix_moves_the_program_and_the_unit_follows_it() {
    let root = tempfile::tempdir().unwrap();
    let out = install(&[
        "--root",
        root.path().to_str().unwrap(),
        "--prefix",
        "/opt/sarkar/",
    ])
    .await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(root.path().join("opt/sarkar/bin/sarkar-crm").is_file());
    assert!(!root.path().join("usr/bin/sarkar-crm").exists());
    let unit =
        fs::read_to_string(root.path().join("etc/systemd/system/sarkar-crm.service")).unwrap();
    assert!(
        unit.contains("\nExecStart=/opt/sarkar/bin/sarkar-crm serve\n"),
        "{unit}"
    );
    assert!(!unit.contains("/usr/bin/sarkar-crm"), "{unit}");

    let relative = install(&["--root", root.path().to_str().unwrap(), "--prefix", "opt"]).await;
    assert_eq!(relative.status.code(), Some(1), "{}", text(&relative));
    assert!(
        text(&relative).contains("absolute path"),
        "{}",
        text(&relative)
    );
}

#[tokio::test]
async fn a_bad_root_is_refused_with_a_clear_message_and_nothing_written() {
    let parent = tempfile::tempdir().unwrap();
    let missing = parent.path().join("no-such-dir");
    let out = install(&["--root", missing.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("no such directory") && message.contains("mkdir -p"),
        "{message}"
    );
    assert!(!missing.exists());

    let file = parent.path().join("a-file");
    fs::write(&file, "").unwrap();
    let out = install(&["--root", file.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a directory"),
        "{}",
        text(&out)
    );
    assert_eq!(fs::read_dir(parent.path()).unwrap().count(), 1);
}

#[test]
fn the_packaged_settings_are_a_valid_overlay_on_the_privileged_ports() {
    let config = Config::load(
        Some(Path::new(&format!("{PACKAGING}/config.toml"))),
        std::iter::empty(),
    )
    .unwrap_or_else(|e| panic!("packaging/config.toml: {e}"));
    assert_eq!(config.server.listen.port(), 443);
    assert_eq!(config.server.redirect_listen.port(), 80);
}

/// `systemd-analyze verify` on a copy of the unit whose ExecStart names the built
/// program, since /usr/bin/sarkar-crm does not exist here. It answers 0 even for an
/// unknown key, so any line naming our unit fails the test.
#[test]
fn systemd_analyze_verify_accepts_the_unit() {
    let dir = tempfile::tempdir().unwrap();
    let unit = UNIT.replacen(
        "ExecStart=/usr/bin/sarkar-crm ",
        &format!("ExecStart={} ", env!("CARGO_BIN_EXE_sarkar-crm")),
        1,
    );
    assert_ne!(unit, UNIT, "the unit starts /usr/bin/sarkar-crm");
    let file = dir.path().join("sarkar-crm.service");
    fs::write(&file, unit).unwrap();
    let out = systemd_tool(
        "systemd-analyze",
        &["verify", "--man=no", file.to_str().unwrap()],
    );
    let report = text(&out);
    let ours: Vec<&str> = report
        .lines()
        .filter(|line| line.contains("sarkar-crm"))
        .collect();
    assert!(
        out.status.success() && ours.is_empty(),
        "systemd-analyze verify found problems:\n{report}"
    );
}

/// The offline security review scores exposure from 0 (locked down) to 10; the unit
/// scores 1.6, and the threshold (in tenths) fails the test if hardening goes missing.
#[test]
fn systemd_analyze_security_rates_the_unit_well_hardened() {
    let out = systemd_tool(
        "systemd-analyze",
        &[
            "security",
            "--offline=yes",
            "--threshold=20",
            &format!("{PACKAGING}/sarkar-crm.service"),
        ],
    );
    assert!(out.status.success(), "exposure above 2.0:\n{}", text(&out));
}

/// systemd-sysusers and systemd-tmpfiles read our files under a temporary root: the user
/// is made and the directories get their modes. Only root may give them their owner,
/// so a refused chown is the one complaint allowed.
#[tokio::test]
async fn systemd_creates_the_user_and_directories_from_the_installed_files() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().to_str().unwrap();
    let out = install(&["--root", dir]).await;
    assert!(out.status.success(), "{}", text(&out));
    let root_arg = format!("--root={dir}");

    let users = systemd_tool("systemd-sysusers", &[&root_arg]);
    assert!(users.status.success(), "{}", text(&users));
    let passwd = fs::read_to_string(root.path().join("etc/passwd")).unwrap();
    assert!(
        passwd.lines().any(|l| l.starts_with("sarkar-crm:")
            && l.ends_with(":/var/lib/sarkar-crm:/usr/sbin/nologin")),
        "{passwd}"
    );

    let dirs = systemd_tool("systemd-tmpfiles", &[&root_arg, "--create"]);
    let complaints: Vec<&str> = std::str::from_utf8(&dirs.stderr)
        .unwrap()
        .lines()
        .filter(|l| !(l.starts_with("fchownat()") && l.ends_with("Operation not permitted")))
        .collect();
    assert!(complaints.is_empty(), "{}", text(&dirs));
    assert_eq!(mode(&root.path().join("var/lib/sarkar-crm")), 0o750);
    assert_eq!(mode(&root.path().join("etc/sarkar-crm")), 0o755);
}
