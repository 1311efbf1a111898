//! Configuration: the embedded `config/default.toml`, then an optional file, then
//! `SARKAR__SECTION__KEY` environment variables. Unknown keys and bad values are
//! refused with a message that names the key.

mod backup;
mod connections;
mod rate_limits;

use std::net::SocketAddr;
use std::path::Path;

use serde::Deserialize;

pub use backup::{
    BackupConfig, BackupRecipient, Destination, NightlyAt, S3Target, SealedKey, Target,
};
pub use rate_limits::{Limit, RateLimitsConfig};

/// The commented defaults, embedded so the binary runs with no files around it.
pub const DEFAULT_CONFIG: &str = include_str!("../../config/default.toml");

const ENV_PREFIX: &str = "SARKAR__";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub store: StoreConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub live: LiveConfig,
    pub import: ImportConfig,
    pub files: FilesConfig,
    pub rate_limits: RateLimitsConfig,
    pub log: LogConfig,
    pub notifications: NotificationsConfig,
    pub backup: BackupConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    pub redirect_listen: SocketAddr,
    pub host_name: String,
    pub mdns: bool,
    pub max_body_bytes: usize,
    pub request_timeout_secs: u64,
    pub header_read_timeout_secs: u64,
    pub idle_timeout_secs: u64,
    pub tls_handshake_timeout_secs: u64,
    pub max_connections: usize,
    pub max_connections_per_address: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    pub name: String,
    pub time_zone: String,
    pub state_code: String,
    pub invoice_prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub cache_mb: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub max_concurrent_password_hashes: usize,
    pub tablet_lock_minutes: u32,
    pub sign_in_free_tries: u32,
    pub sign_in_free_tries_per_address: u32,
    pub sign_in_longest_wait_secs: u32,
}

/// The `[live]` keys: the live-events streams.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveConfig {
    pub heartbeat_secs: u64,
    pub replay_limit: u64,
    pub max_streams: usize,
}

/// The `[import]` keys: customer and product files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    pub max_upload_mb: u64,
}

impl ImportConfig {
    pub fn max_upload_bytes(&self) -> usize {
        usize::try_from(self.max_upload_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX)
    }
}

/// The `[files]` keys: the largest photo, document and logo accepted, in MiB.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    pub photo_max_mb: u64,
    pub document_max_mb: u64,
    pub logo_max_mb: u64,
}

impl FilesConfig {
    fn mib(mb: u64) -> u64 {
        mb.saturating_mul(1024 * 1024)
    }

    pub fn photo_max_bytes(&self) -> u64 {
        Self::mib(self.photo_max_mb)
    }

    pub fn document_max_bytes(&self) -> u64 {
        Self::mib(self.document_max_mb)
    }

    pub fn logo_max_bytes(&self) -> u64 {
        Self::mib(self.logo_max_mb)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationsConfig {
    /// Whether the server looks for due follow-ups and the day's alerts by itself.
    pub scheduler: bool,
    /// `HH:MM` in the store's time zone.
    pub opening_time: String,
}

impl NotificationsConfig {
    /// The store's opening time of day (validated at load).
    pub fn opening(&self) -> jiff::civil::Time {
        parse_opening(&self.opening_time).unwrap_or(jiff::civil::Time::constant(10, 30, 0, 0))
    }
}

fn parse_opening(text: &str) -> Option<jiff::civil::Time> {
    jiff::civil::Time::strptime("%H:%M", text.trim()).ok()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub level: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid TOML: {message}")]
    Syntax { path: String, message: String },
    #[error(
        "unknown configuration key `{key}` (from {origin}); known keys in [{section}] are: {known}"
    )]
    UnknownKey {
        key: String,
        origin: String,
        section: String,
        known: String,
    },
    #[error("unknown configuration section `[{section}]` (from {origin}); sections are: {known}")]
    UnknownSection {
        section: String,
        origin: String,
        known: String,
    },
    #[error("configuration key `{key}`: {message}")]
    BadValue { key: String, message: String },
}

impl Config {
    /// The defaults alone, as tests and `demo-data` start from.
    pub fn defaults() -> Self {
        Self::load(None, std::iter::empty()).expect("the embedded default configuration is valid")
    }

    /// Reads the layers: defaults, then `file`, then the `SARKAR__…` variables in `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut merged: toml::Table =
            toml::from_str(DEFAULT_CONFIG).expect("the embedded default configuration parses");
        let defaults = merged.clone();
        if let Some(path) = file {
            let origin = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: origin.clone(),
                source,
            })?;
            let table: toml::Table = toml::from_str(&text).map_err(|e| ConfigError::Syntax {
                path: origin.clone(),
                message: e.message().to_owned(),
            })?;
            overlay(&mut merged, &defaults, table, &origin)?;
        }
        for (name, value) in env {
            let Some(path) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let origin = format!("environment variable {name}");
            let Some((section, key)) = path
                .to_lowercase()
                .split_once("__")
                .map(|(s, k)| (s.to_owned(), k.to_owned()))
            else {
                return Err(ConfigError::BadValue {
                    key: name.clone(),
                    message: "name it SARKAR__<SECTION>__<KEY>, e.g. SARKAR__DATABASE__CACHE_MB"
                        .into(),
                });
            };
            let mut table = toml::Table::new();
            let mut inner = toml::Table::new();
            inner.insert(key, env_value(&value));
            table.insert(section, toml::Value::Table(inner));
            overlay(&mut merged, &defaults, table, &origin)?;
        }
        let config = Self::from_table(merged)?;
        config.validate()?;
        Ok(config)
    }

    fn from_table(table: toml::Table) -> Result<Self, ConfigError> {
        // Deserialise section by section so an error can name `section.key`.
        let section = |name: &str| {
            table
                .get(name)
                .cloned()
                .unwrap_or(toml::Value::Table(Default::default()))
        };
        fn typed<T: serde::de::DeserializeOwned>(
            name: &str,
            value: toml::Value,
        ) -> Result<T, ConfigError> {
            serde_path_to_error::deserialize(value).map_err(|e| {
                let path = e.path().to_string();
                let key = if path == "." || path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{name}.{path}")
                };
                ConfigError::BadValue {
                    key,
                    message: e.inner().message().to_owned(),
                }
            })
        }
        Ok(Self {
            server: typed("server", section("server"))?,
            store: typed("store", section("store"))?,
            database: typed("database", section("database"))?,
            auth: typed("auth", section("auth"))?,
            live: typed("live", section("live"))?,
            import: typed("import", section("import"))?,
            files: typed("files", section("files"))?,
            rate_limits: typed("rate_limits", section("rate_limits"))?,
            log: typed("log", section("log"))?,
            notifications: typed("notifications", section("notifications"))?,
            backup: typed("backup", section("backup"))?,
        })
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, message: &str| {
            Err(ConfigError::BadValue {
                key: key.into(),
                message: message.into(),
            })
        };
        if !(4..=4096).contains(&self.database.cache_mb) {
            return bad("database.cache_mb", "must be between 4 and 4096 (MiB)");
        }
        let host = &self.server.host_name;
        if host.is_empty()
            || host.len() > 63
            || host.starts_with('-')
            || host.ends_with('-')
            || !host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return bad(
                "server.host_name",
                "must be a name of lower-case letters, digits and hyphens, up to 63, such as \"sarkar-crm\" (tablets then use sarkar-crm.local)",
            );
        }
        if self.server.max_body_bytes < 1024 {
            return bad("server.max_body_bytes", "must be at least 1024 bytes");
        }
        if self.server.request_timeout_secs == 0 {
            return bad("server.request_timeout_secs", "must be at least 1 second");
        }
        if let Err((key, message)) = self.server.validate_connections() {
            return bad(key, &message);
        }
        if self.store.name.trim().is_empty() {
            return bad("store.name", "must not be empty");
        }
        if jiff::tz::TimeZone::get(&self.store.time_zone).is_err() {
            return bad(
                "store.time_zone",
                "is not a known time zone; use an IANA name such as Asia/Kolkata",
            );
        }
        let code = &self.store.state_code;
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return bad(
                "store.state_code",
                "must be the two-digit GST state code, e.g. \"19\" for West Bengal",
            );
        }
        let prefix = &self.store.invoice_prefix;
        if let Err(too_long) = crate::domain::InvoiceNo::check_prefix(prefix) {
            return bad("store.invoice_prefix", &too_long.0);
        }
        if prefix.is_empty()
            || !prefix
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return bad(
                "store.invoice_prefix",
                "must be one to three capital letters or digits, e.g. \"SJ\", so invoice numbers keep six serial digits within GST's 16 characters",
            );
        }
        if self.auth.session_idle_minutes == 0 || self.auth.session_absolute_hours == 0 {
            return bad(
                "auth.session_idle_minutes",
                "session limits must be at least 1",
            );
        }
        if !(1..=64).contains(&self.auth.max_concurrent_password_hashes) {
            return bad(
                "auth.max_concurrent_password_hashes",
                "must be between 1 and 64",
            );
        }
        if !(1..=20).contains(&self.auth.sign_in_free_tries) {
            return bad(
                "auth.sign_in_free_tries",
                "must be between 1 and 20, so an account meets at most 100 wrong passwords an hour",
            );
        }
        if !(1..=1000).contains(&self.auth.sign_in_free_tries_per_address) {
            return bad(
                "auth.sign_in_free_tries_per_address",
                "must be between 1 and 1000",
            );
        }
        if !(60..=3600).contains(&self.auth.sign_in_longest_wait_secs) {
            return bad(
                "auth.sign_in_longest_wait_secs",
                "must be between 60 and 3600 seconds, so an account meets at most 100 wrong passwords an hour",
            );
        }
        if self.auth.tablet_lock_minutes > self.auth.session_idle_minutes {
            return bad(
                "auth.tablet_lock_minutes",
                "must not be longer than auth.session_idle_minutes (0 switches the lock off)",
            );
        }
        if self.live.heartbeat_secs == 0
            || self.live.heartbeat_secs >= self.server.idle_timeout_secs
        {
            return bad(
                "live.heartbeat_secs",
                "must be at least 1 and below server.idle_timeout_secs, or quiet streams are closed as idle",
            );
        }
        if !(1..=4096).contains(&self.import.max_upload_mb) {
            return bad(
                "import.max_upload_mb",
                "must be between 1 and 4096 (MiB); import bigger files with `sarkar-crm import`",
            );
        }
        for (key, mb) in [
            ("files.photo_max_mb", self.files.photo_max_mb),
            ("files.document_max_mb", self.files.document_max_mb),
            ("files.logo_max_mb", self.files.logo_max_mb),
        ] {
            if !(1..=100).contains(&mb) {
                return bad(key, "must be between 1 and 100 (MiB)");
            }
        }
        if self.live.max_streams == 0 {
            return bad(
                "live.max_streams",
                "must be at least 1; tablets need a stream each to stay current",
            );
        }
        if let Err((key, message)) = self.rate_limits.validate() {
            return bad(key, &message);
        }
        if let Err((key, message)) = self.backup.validate() {
            return Err(ConfigError::BadValue {
                key: key.into(),
                message,
            });
        }
        if parse_opening(&self.notifications.opening_time).is_none() {
            return bad(
                "notifications.opening_time",
                "is not a time of day; write it as HH:MM, e.g. 10:30",
            );
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log.level).is_err() {
            return bad(
                "log.level",
                "is not a log filter; use error, warn, info, debug or trace",
            );
        }
        Ok(())
    }

    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.store.time_zone).expect("validated at load")
    }
}

/// Lays `layer` over `merged`, refusing sections and keys the defaults do not have.
fn overlay(
    merged: &mut toml::Table,
    defaults: &toml::Table,
    layer: toml::Table,
    origin: &str,
) -> Result<(), ConfigError> {
    for (section, value) in layer {
        let Some(toml::Value::Table(known)) = defaults.get(&section) else {
            return Err(ConfigError::UnknownSection {
                section,
                origin: origin.to_owned(),
                known: defaults.keys().cloned().collect::<Vec<_>>().join(", "),
            });
        };
        let toml::Value::Table(entries) = value else {
            return Err(ConfigError::BadValue {
                key: section,
                message: format!("must be a [section] of keys (from {origin})"),
            });
        };
        for (key, value) in entries {
            if !known.contains_key(&key) {
                return Err(ConfigError::UnknownKey {
                    key: format!("{section}.{key}"),
                    origin: origin.to_owned(),
                    section: section.clone(),
                    known: known.keys().cloned().collect::<Vec<_>>().join(", "),
                });
            }
            if let Some(toml::Value::Table(target)) = merged.get_mut(&section) {
                target.insert(key, value);
            }
        }
    }
    Ok(())
}

/// An environment value as TOML: numbers, booleans and arrays (`["age1…"]`) as such,
/// anything else a string.
fn env_value(raw: &str) -> toml::Value {
    let wrapped = format!("v = {raw}");
    match toml::from_str::<toml::Table>(&wrapped)
        .ok()
        .and_then(|mut t| t.remove("v"))
    {
        Some(
            value @ (toml::Value::Integer(_)
            | toml::Value::Boolean(_)
            | toml::Value::Float(_)
            | toml::Value::Array(_)),
        ) => value,
        _ => toml::Value::String(raw.to_owned()),
    }
}

/// The message a configuration made of `pairs` (environment keys) is refused with, for
/// the tests of each section's keys.
#[cfg(test)]
pub(crate) fn refusal(pairs: &[(&str, &str)]) -> String {
    let env = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    Config::load(None, env)
        .expect_err("the values are refused")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_load() {
        let config = Config::defaults();
        assert_eq!(config.database.cache_mb, 64);
        assert_eq!(config.store.time_zone, "Asia/Kolkata");
    }

    #[test]
    fn file_then_env_override() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "[database]\ncache_mb = 32\n[store]\nname = \"Ghosh & Sons\"\n",
        )
        .unwrap();
        let config = Config::load(
            Some(&path),
            env(&[
                ("SARKAR__DATABASE__CACHE_MB", "16"),
                ("SARKAR_DATA_DIR", "/x"),
            ]),
        )
        .unwrap();
        assert_eq!(config.database.cache_mb, 16);
        assert_eq!(config.store.name, "Ghosh & Sons");
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[database]\ncahce_mb = 32\n").unwrap();
        let err = Config::load(Some(&path), env(&[])).unwrap_err().to_string();
        assert!(
            err.contains("database.cahce_mb") && err.contains("cache_mb"),
            "{err}"
        );

        let err = Config::load(None, env(&[("SARKAR__DATABASE__CACHE_MB", "lots")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("database.cache_mb"), "{err}");
        let err = Config::load(None, env(&[("SARKAR__SERVER__LISTEN", "nowhere")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("server"), "{err}");
        let err = Config::load(None, env(&[("SARKAR__STORE__TIME_ZONE", "Mars/Base")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("store.time_zone"), "{err}");
        let err = Config::load(None, env(&[("SARKAR__NOPE__X", "1")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("nope"), "{err}");
        let err = Config::load(
            None,
            env(&[
                ("SARKAR__AUTH__SESSION_IDLE_MINUTES", "10"),
                ("SARKAR__AUTH__TABLET_LOCK_MINUTES", "30"),
            ]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("auth.tablet_lock_minutes"), "{err}");
        for name in ["Sarkar", "sarkar.local", "-x", ""] {
            let err = Config::load(None, env(&[("SARKAR__SERVER__HOST_NAME", name)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains("server.host_name"), "{name}: {err}");
        }
        for prefix in ["SARKAR", "sj", "S/J", ""] {
            let err = Config::load(None, env(&[("SARKAR__STORE__INVOICE_PREFIX", prefix)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains("store.invoice_prefix"), "{prefix}: {err}");
        }
        let config = Config::load(None, env(&[("SARKAR__STORE__INVOICE_PREFIX", "GJ1")])).unwrap();
        assert_eq!(config.store.invoice_prefix, "GJ1");
    }
}
