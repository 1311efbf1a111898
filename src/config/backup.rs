//! The `[backup]` section: who can read backups (age recipients), when they are taken,
//! how many are kept, and the `[[backup.destination]]` entries they are uploaded to.
//! Each value is parsed here, once, so the backup code never sees a bad one.

use std::path::PathBuf;
use std::str::FromStr;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    /// The age public keys (`age1…`) every backup is encrypted to.
    pub recipients: Vec<BackupRecipient>,
    /// Recovery keys sealed with a passphrase (`backup keygen --passphrase`), uploaded
    /// beside the backups so the owner can restore with the passphrase alone.
    pub sealed_keys: Vec<SealedKey>,
    /// Hours between backups; 0 leaves only the nightly one.
    pub every_hours: u32,
    /// Local time of the nightly backup, `HH:MM`; empty for none.
    pub nightly_at: NightlyAt,
    pub keep_hourly: u32,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
    /// The admin page turns red when the last success is older than this.
    pub warn_after_hours: u32,
    /// Upload speed cap in KiB/s, so backups leave room on a thin line; 0 for none.
    pub upload_limit_kib_per_sec: u64,
    /// Size of each part of a multipart upload, in MiB (S3 needs at least 5).
    pub part_size_mib: u64,
    /// Snapshots kept on the box while waiting to be uploaded (the internet is down).
    pub queue_limit: u32,
    pub destination: Vec<Destination>,
}

/// An age X25519 public key, as `backup keygen` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct BackupRecipient(String);

impl BackupRecipient {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn to_age(&self) -> age::x25519::Recipient {
        age::x25519::Recipient::from_str(&self.0).expect("checked when the configuration loaded")
    }
}

impl TryFrom<String> for BackupRecipient {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let trimmed = value.trim();
        age::x25519::Recipient::from_str(trimmed).map_err(|_| {
            format!(
                "`{trimmed}` is not an age public key; use the line starting `age1` that `sarkar-crm backup keygen` printed"
            )
        })?;
        Ok(Self(trimmed.to_owned()))
    }
}

/// A recovery key encrypted with a passphrase (age's scrypt recipient), base64.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct SealedKey(Vec<u8>);

impl SealedKey {
    /// The age file, as uploaded.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl TryFrom<String> for SealedKey {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        use base64::Engine;
        let bad = || {
            "is not a sealed recovery key; paste the sealed_keys line that `sarkar-crm backup keygen --passphrase` printed".to_owned()
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(value.trim())
            .map_err(|_| bad())?;
        if !bytes.starts_with(b"age-encryption.org/v1\n-> scrypt ") {
            return Err(bad());
        }
        Ok(Self(bytes))
    }
}

/// The local time of the nightly backup, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct NightlyAt(pub Option<jiff::civil::Time>);

impl TryFrom<String> for NightlyAt {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(Self(None));
        }
        let bad = || {
            format!(
                "`{value}` is not a time of day; write it as HH:MM, e.g. \"02:30\", or \"\" for no nightly backup"
            )
        };
        let (hour, minute) = value.split_once(':').ok_or_else(bad)?;
        let hour: i8 = hour.parse().map_err(|_| bad())?;
        let minute: i8 = minute.parse().map_err(|_| bad())?;
        let time = jiff::civil::Time::new(hour, minute, 0, 0).map_err(|_| bad())?;
        Ok(Self(Some(time)))
    }
}

/// Where backups go: a `name` for the command line and the admin page, and the place.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawDestination")]
pub struct Destination {
    pub name: String,
    pub target: Target,
}

#[derive(Debug, Clone)]
pub enum Target {
    S3(S3Target),
    /// A folder, such as a mounted USB disk.
    Dir {
        path: PathBuf,
    },
}

/// An S3-compatible bucket: AWS S3, Cloudflare R2, Backblaze B2, MinIO, Wasabi…
#[derive(Clone)]
pub struct S3Target {
    /// `https://…` of the provider; none for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    /// Folder inside the bucket, without slashes at the ends; may be empty.
    pub prefix: String,
    /// Credentials; when absent, `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are used.
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Plain `http://` endpoints (a MinIO on the LAN).
    pub allow_http: bool,
    /// `endpoint/bucket/key` addressing rather than `bucket.endpoint/key`.
    pub path_style: bool,
}

impl std::fmt::Debug for S3Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Target")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self.secret_access_key.as_ref().map(|_| "(hidden)"),
            )
            .field("allow_http", &self.allow_http)
            .field("path_style", &self.path_style)
            .finish()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum Kind {
    S3,
    Dir,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDestination {
    name: String,
    kind: Kind,
    endpoint: Option<String>,
    region: Option<String>,
    bucket: Option<String>,
    #[serde(default)]
    prefix: String,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    #[serde(default)]
    allow_http: bool,
    #[serde(default = "path_style_default")]
    path_style: bool,
    path: Option<PathBuf>,
}

fn path_style_default() -> bool {
    true
}

impl TryFrom<RawDestination> for Destination {
    type Error = String;

    fn try_from(raw: RawDestination) -> Result<Self, Self::Error> {
        let name = raw.name.trim().to_owned();
        if name.is_empty()
            || name.len() > 40
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(format!(
                "destination name `{name}` must be 1 to 40 letters, digits, - or _, e.g. \"r2\" or \"usb-disk\""
            ));
        }
        let target = match raw.kind {
            Kind::Dir => {
                let path = raw.path.ok_or_else(|| {
                    format!("destination `{name}` (kind = \"dir\") needs `path`, the folder to write backups into")
                })?;
                if let Some(key) = [
                    raw.endpoint.as_ref().map(|_| "endpoint"),
                    raw.bucket.as_ref().map(|_| "bucket"),
                    raw.region.as_ref().map(|_| "region"),
                ]
                .into_iter()
                .flatten()
                .next()
                {
                    return Err(format!(
                        "destination `{name}` is a folder (kind = \"dir\"); `{key}` belongs to kind = \"s3\""
                    ));
                }
                Target::Dir { path }
            }
            Kind::S3 => {
                let bucket = raw.bucket.filter(|b| !b.trim().is_empty()).ok_or_else(|| {
                    format!("destination `{name}` (kind = \"s3\") needs `bucket`")
                })?;
                if raw.path.is_some() {
                    return Err(format!(
                        "destination `{name}` is a bucket (kind = \"s3\"); `path` belongs to kind = \"dir\" (use `prefix` for a folder in the bucket)"
                    ));
                }
                if let Some(endpoint) = &raw.endpoint {
                    let plain = endpoint.starts_with("http://");
                    if !plain && !endpoint.starts_with("https://") {
                        return Err(format!(
                            "destination `{name}`: endpoint `{endpoint}` must start with https:// (or http:// with allow_http = true)"
                        ));
                    }
                    if plain && !raw.allow_http {
                        return Err(format!(
                            "destination `{name}`: endpoint `{endpoint}` is plain HTTP; set allow_http = true if it is a server on the store's own network"
                        ));
                    }
                }
                if raw.access_key_id.is_some() != raw.secret_access_key.is_some() {
                    return Err(format!(
                        "destination `{name}`: give both access_key_id and secret_access_key, or neither (then AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are used)"
                    ));
                }
                Target::S3(S3Target {
                    endpoint: raw.endpoint,
                    region: raw.region.unwrap_or_else(|| "auto".to_owned()),
                    bucket: bucket.trim().to_owned(),
                    prefix: raw.prefix.trim_matches('/').to_owned(),
                    access_key_id: raw.access_key_id,
                    secret_access_key: raw.secret_access_key,
                    allow_http: raw.allow_http,
                    path_style: raw.path_style,
                })
            }
        };
        Ok(Self { name, target })
    }
}

impl BackupConfig {
    /// Checks what spans several keys; returns the key at fault and what to do.
    pub(super) fn validate(&self) -> Result<(), (&'static str, String)> {
        if !self.destination.is_empty() && self.recipients.is_empty() {
            return Err((
                "backup.recipients",
                "is empty, so backups cannot be encrypted: run `sarkar-crm backup keygen` and add the `age1…` public key it prints".into(),
            ));
        }
        let mut names: Vec<&str> = self.destination.iter().map(|d| d.name.as_str()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err((
                "backup.destination",
                format!(
                    "two destinations are named `{}`; give each its own name",
                    pair[0]
                ),
            ));
        }
        if self.every_hours > 168 {
            return Err((
                "backup.every_hours",
                "must be 0 (nightly only) to 168 (weekly)".into(),
            ));
        }
        if self.every_hours == 0 && self.nightly_at.0.is_none() && !self.destination.is_empty() {
            return Err((
                "backup.every_hours",
                "is 0 and backup.nightly_at is empty, so no backup would ever run; set one of them"
                    .into(),
            ));
        }
        if self.warn_after_hours == 0 {
            return Err(("backup.warn_after_hours", "must be at least 1".into()));
        }
        if !(5..=512).contains(&self.part_size_mib) {
            return Err((
                "backup.part_size_mib",
                "must be between 5 (the S3 minimum) and 512".into(),
            ));
        }
        if !(1..=100).contains(&self.queue_limit) {
            return Err(("backup.queue_limit", "must be between 1 and 100".into()));
        }
        Ok(())
    }

    /// The named destination, or a message listing the configured ones.
    pub fn destination_named(&self, name: &str) -> Result<&Destination, String> {
        self.destination
            .iter()
            .find(|d| d.name == name)
            .ok_or_else(|| match self.destination.len() {
                0 => format!(
                    "there is no backup destination `{name}`: none is configured; add a [[backup.destination]] to the configuration"
                ),
                _ => format!(
                    "there is no backup destination `{name}`; configured: {}",
                    self.destination
                        .iter()
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Target};

    const KEY: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    fn load(text: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(Some(&path), std::iter::empty()).map_err(|e| e.to_string())
    }

    #[test]
    fn destinations_of_both_kinds_load() {
        let config = load(&format!(
            r#"
[backup]
recipients = ["{KEY}"]
nightly_at = "03:15"
[[backup.destination]]
name = "r2"
kind = "s3"
endpoint = "https://acct.r2.cloudflarestorage.com"
bucket = "shop"
prefix = "/main/"
access_key_id = "id"
secret_access_key = "very secret"
[[backup.destination]]
name = "usb"
kind = "dir"
path = "/media/usb"
"#
        ))
        .unwrap();
        let backup = &config.backup;
        assert_eq!(backup.recipients[0].as_str(), KEY);
        assert_eq!(backup.nightly_at.0, Some(jiff::civil::time(3, 15, 0, 0)));
        let Target::S3(s3) = &backup.destination[0].target else {
            panic!("r2 is a bucket")
        };
        assert_eq!((s3.prefix.as_str(), s3.region.as_str()), ("main", "auto"));
        assert!(s3.path_style && !s3.allow_http);
        assert!(!format!("{s3:?}").contains("very secret"));
        assert!(matches!(backup.destination[1].target, Target::Dir { .. }));
        assert!(
            backup
                .destination_named("nas")
                .unwrap_err()
                .contains("r2, usb")
        );
    }

    #[test]
    fn mistakes_name_the_key_and_the_fix() {
        let cases = [
            (
                "[[backup.destination]]\nname = \"d\"\nkind = \"dir\"\npath = \"/x\"\n".to_owned(),
                "backup.recipients",
            ),
            (
                "[backup]\nrecipients = [\"age1nope\"]\n".to_owned(),
                "not an age public key",
            ),
            (
                format!(
                    "[backup]\nrecipients = [\"{KEY}\"]\n[[backup.destination]]\nname = \"d\"\nkind = \"ftp\"\n"
                ),
                "backup.destination",
            ),
            (
                format!(
                    "[backup]\nrecipients = [\"{KEY}\"]\n[[backup.destination]]\nname = \"d\"\nkind = \"s3\"\n"
                ),
                "needs `bucket`",
            ),
            (
                format!(
                    "[backup]\nrecipients = [\"{KEY}\"]\n[[backup.destination]]\nname = \"m\"\nkind = \"s3\"\nbucket = \"b\"\nendpoint = \"http://nas:9000\"\n"
                ),
                "allow_http = true",
            ),
            (
                format!(
                    "[backup]\nrecipients = [\"{KEY}\"]\n[[backup.destination]]\nname = \"d\"\nkind = \"dir\"\npath = \"/x\"\nbucket = \"b\"\n"
                ),
                "belongs to kind = \"s3\"",
            ),
            (
                format!(
                    "[backup]\nrecipients = [\"{KEY}\"]\n[[backup.destination]]\nname = \"d\"\nkind = \"dir\"\npath = \"/x\"\n[[backup.destination]]\nname = \"d\"\nkind = \"dir\"\npath = \"/y\"\n"
                ),
                "two destinations are named `d`",
            ),
            ("[backup]\nnightly_at = \"25:00\"\n".to_owned(), "HH:MM"),
            (
                "[backup]\npart_size_mib = 1\n".to_owned(),
                "backup.part_size_mib",
            ),
        ];
        for (text, expected) in cases {
            let err = load(&text).unwrap_err();
            assert!(err.contains(expected), "{text}\n→ {err}");
        }
    }

    #[test]
    fn recipients_can_come_from_the_environment() {
        let config = Config::load(
            None,
            [(
                "SARKAR__BACKUP__RECIPIENTS".to_owned(),
                format!("[\"{KEY}\"]"),
            )],
        )
        .unwrap();
        assert_eq!(config.backup.recipients.len(), 1);
    }
}
