//! Encrypted backups end to end: `sarkar-crm backup …` against a real S3 server (moto),
//! restoring byte for byte, snapshots that never block the counter, payloads that
//! reveal nothing and refuse tampering, an upload killed halfway, a queue that waits
//! out a dead connection, the Backups page and its API, and bad input.

mod concurrency;
mod input_errors;
mod interrupted;
mod moto;
mod page;
mod passphrase;
mod queue;
mod round_trip;
mod secrecy;
mod stored_files;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sarkar_crm::backup::{State, Success};
use sarkar_crm::config::Config;
use sarkar_crm::store::Db;
use sarkar_crm::store::export::TableSink;
use tempfile::TempDir;

use crate::helpers::{binary, cli_add_user};
use moto::Moto;

/// A demo store in a data directory, a recovery key, a configuration that backs up to
/// a fresh moto bucket, and moto itself (killed when the fixture is dropped).
pub struct Fixture {
    pub moto: Moto,
    pub temp: TempDir,
    pub data: PathBuf,
    pub config: PathBuf,
    pub identity: PathBuf,
}

impl Fixture {
    /// A 300-customer demo store (with its certificate authority, and an `owner` who can
    /// sign in with the test password), backed up to moto under the destination `s3`.
    pub async fn new() -> Self {
        let moto = Moto::start().await;
        let temp = tempfile::tempdir().expect("temp dir");
        let data = temp.path().join("data");
        let demo = binary()
            .arg("--data-dir")
            .arg(&data)
            .args(["demo-data", "--customers", "300", "--products", "60"])
            .args(["--sales", "600"])
            .output()
            .await
            .expect("demo-data runs");
        assert!(demo.status.success(), "demo-data: {}", text(&demo.stderr));
        let added = cli_add_user(&data, &["--username", "owner", "--role", "business-admin"]).await;
        assert!(added.status.success(), "user add: {}", text(&added.stderr));
        sarkar_crm::net::tls::ensure(
            &data,
            &sarkar_crm::net::tls::wanted_names("sarkar-crm", &[]),
            jiff::Timestamp::now(),
        )
        .expect("the certificate authority is made");
        let identity = temp.path().join("recovery-key.txt");
        let public = keygen(&identity).await;
        let config = temp.path().join("config.toml");
        write_config(&config, &[&public], Some(&moto.endpoint()));
        Self {
            moto,
            temp,
            data,
            config,
            identity,
        }
    }

    /// `sarkar-crm --data-dir DATA --config CONFIG backup ARGS…`, ready to run.
    pub fn backup(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = binary();
        command
            .arg("--data-dir")
            .arg(&self.data)
            .arg("--config")
            .arg(&self.config)
            .arg("backup")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    }

    /// Runs `backup ARGS…` to the end.
    pub async fn run(&self, args: &[&str]) -> Outcome {
        Outcome(self.backup(args).output().await.expect("the binary runs"))
    }

    /// `backup run`, which must succeed; the id of the backup it took.
    pub async fn back_up(&self) -> String {
        let run = self.run(&["run"]).await;
        run.succeeded("backup run");
        run.backup_id()
    }

    /// `backup restore` of the newest backup in `s3` into `to`, with the fixture's key
    /// and `extra` arguments (such as `--force`).
    pub async fn restore(&self, to: &Path, extra: &[&str]) -> Outcome {
        let identity = self.identity.to_str().expect("a UTF-8 path");
        let to = to.to_str().expect("a UTF-8 path");
        let mut args = vec![
            "restore",
            "--destination",
            "s3",
            "--identity",
            identity,
            "--to",
            to,
        ];
        args.extend_from_slice(extra);
        self.run(&args).await
    }

    /// `backup verify` with the fixture's key, of `id` or the newest.
    pub async fn verify(&self, id: Option<&str>) -> Outcome {
        let identity = self.identity.to_str().expect("a UTF-8 path");
        let mut args = vec!["verify", "--destination", "s3", "--identity", identity];
        if let Some(id) = id {
            args.extend(["--id", id]);
        }
        self.run(&args).await
    }
}

/// The `[backup]` section for a new recovery key's public half, with `extra` lines and a
/// folder destination for each `(name, path)`.
pub fn folder_backups(extra: &str, folders: &[(&str, &Path)]) -> String {
    let key = sarkar_crm::backup::generate_key();
    let mut toml = format!("[backup]\nrecipients = [\"{}\"]\n{extra}\n", key.public);
    for (name, path) in folders {
        toml.push_str(&format!(
            "\n[[backup.destination]]\nname = \"{name}\"\nkind = \"dir\"\npath = \"{}\"\n",
            path.display()
        ));
    }
    toml
}

/// The configuration a server started with `--config` holding `toml` (written to `dir`) has.
pub fn config_from(dir: &Path, toml: &str) -> Config {
    let path = dir.join("config.toml");
    std::fs::write(&path, toml).expect("config written");
    Config::load(Some(&path), std::iter::empty()).expect("the configuration loads")
}

/// Makes the box of `data_dir` remember a backup to destination `name` taken
/// `hours_ago`, of `bytes`, as the state file the server keeps says it.
pub fn remember_backup(data_dir: &Path, name: &str, hours_ago: i64, bytes: u64) {
    let taken_at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(hours_ago);
    let mut state = State {
        last_snapshot: Some(taken_at),
        ..State::default()
    };
    state
        .destinations
        .entry(name.to_owned())
        .or_default()
        .last_success = Some(Success {
        id: "20261201T000000Z-0000".to_owned(),
        taken_at,
        uploaded_at: taken_at,
        bytes,
    });
    let dir = data_dir.join(sarkar_crm::backup::BACKUP_DIR);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("state.json"),
        serde_json::to_vec(&state).expect("json"),
    )
    .expect("state written");
}

/// Makes a recovery key in `path` with `backup keygen --output` and returns its public key.
pub async fn keygen(path: &Path) -> String {
    let made = binary()
        .args(["backup", "keygen", "--output"])
        .arg(path)
        .output()
        .await
        .expect("keygen runs");
    assert!(made.status.success(), "keygen: {}", text(&made.stderr));
    let file = std::fs::read_to_string(path).expect("the key file");
    file.split_whitespace()
        .find(|w| w.starts_with("age1"))
        .expect("the key file names its public key")
        .to_owned()
}

/// Writes a configuration with these recipients and, with `endpoint`, the S3 destination
/// `s3` in moto's bucket.
pub fn write_config(path: &Path, recipients: &[&str], endpoint: Option<&str>) {
    let quoted: Vec<String> = recipients.iter().map(|r| format!("\"{r}\"")).collect();
    let mut toml = format!("[backup]\nrecipients = [{}]\n", quoted.join(", "));
    if let Some(endpoint) = endpoint {
        toml.push_str(&format!(
            "\n[[backup.destination]]\nname = \"s3\"\nkind = \"s3\"\nendpoint = \"{endpoint}\"\n\
             region = \"us-east-1\"\nbucket = \"{}\"\nprefix = \"{}\"\n\
             access_key_id = \"test\"\nsecret_access_key = \"test\"\nallow_http = true\n",
            moto::BUCKET,
            moto::PREFIX
        ));
    }
    std::fs::write(path, toml).expect("config written");
}

/// What a finished command printed and how it exited.
pub struct Outcome(pub std::process::Output);

impl Outcome {
    pub fn stdout(&self) -> String {
        text(&self.0.stdout)
    }

    pub fn stderr(&self) -> String {
        text(&self.0.stderr)
    }

    /// The id of the backup a `backup run` took, from its `Backup <id> taken` line.
    pub fn backup_id(&self) -> String {
        let stdout = self.stdout();
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("Backup ")?.split_whitespace().next())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("`backup run` names the backup it took: {stdout}"))
    }

    pub fn succeeded(&self, what: &str) {
        assert!(
            self.0.status.success(),
            "{what} failed ({}):\n{}\n{}",
            self.0.status,
            self.stdout(),
            self.stderr()
        );
    }

    /// Asserts a non-zero exit without a panic, with `words` in the error message.
    pub fn failed_with(&self, what: &str, words: &[&str]) {
        let (stdout, stderr) = (self.stdout(), self.stderr());
        assert!(
            !self.0.status.success(),
            "{what} should fail but succeeded:\n{stdout}"
        );
        assert_eq!(self.0.status.code(), Some(1), "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what} panicked: {stderr}");
        for word in words {
            assert!(
                stderr.contains(word),
                "{what}: the message should say `{word}`:\n{stderr}"
            );
        }
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One table's entries as raw `(key, value)` bytes, in key order.
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// Every table of a database as raw key/value bytes, as `Db::export` gives them.
#[derive(Debug, Default)]
pub struct Dump {
    pub tables: BTreeMap<String, Entries>,
    current: String,
}

impl Dump {
    /// Dumps the database of `data_dir` (which no process may hold open).
    pub fn of(data_dir: &Path) -> Self {
        let db = Db::open(
            &data_dir.join("sarkar.redb"),
            16 * 1024 * 1024,
            &sarkar_crm::config::Config::defaults().time_zone(),
        )
        .expect("db opens");
        Self::of_db(&db)
    }

    pub fn of_db(db: &Db) -> Self {
        let mut dump = Self::default();
        db.export(&mut dump).expect("export");
        dump
    }

    pub fn len(&self, table: &str) -> usize {
        self.tables.get(table).map_or(0, Vec::len)
    }

    /// Whether any key or value holds `needle`.
    pub fn contains(&self, needle: &[u8]) -> bool {
        self.tables
            .values()
            .flatten()
            .any(|(k, v)| contains(k, needle) || contains(v, needle))
    }
}

impl TableSink for Dump {
    fn begin_table(&mut self, name: &str) -> std::io::Result<()> {
        self.current = name.to_owned();
        self.tables.insert(name.to_owned(), Vec::new());
        Ok(())
    }

    fn entry(&mut self, key: &[u8], value: &[u8]) -> std::io::Result<()> {
        if let Some(entries) = self.tables.get_mut(&self.current) {
            entries.push((key.to_vec(), value.to_vec()));
        }
        Ok(())
    }

    fn end_table(&mut self, _name: &str, _count: u64) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
