//! The box's own certificate authority and the server certificate it signs.
//!
//! A store has no domain name, so no public CA can vouch for the box. Instead, on first
//! start it makes a CA of its own (kept in `<data dir>/tls/`, the key readable by the
//! service user only) that tablets are asked to trust once, and a server certificate
//! for `<name>.local`, `localhost` and every current LAN address. The server certificate
//! is made again whenever those names change or it nears expiry; the CA stays, so
//! tablets never have to trust anything twice.

use std::fs;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use sha2::{Digest, Sha256};
use x509_parser::extensions::GeneralName;

/// The folder inside the data directory.
pub const TLS_DIR: &str = "tls";
const CA_CERT: &str = "ca.pem";
const CA_KEY: &str = "ca-key.pem";
/// The CA's files, relative to the data directory, as backups carry them: a box
/// restored from a backup keeps the certificate authority the tablets already trust.
pub const CA_FILES: [&str; 2] = ["tls/ca.pem", "tls/ca-key.pem"];
const SERVER_CERT: &str = "server.pem";
const SERVER_KEY: &str = "server-key.pem";

/// The CA lasts ten years: a tablet trusts it once.
const CA_DAYS: i64 = 3650;
/// Apple devices refuse server certificates valid for more than 825 days even from a
/// CA the user installed; 397 keeps within every platform's rule.
const SERVER_DAYS: i64 = 397;
/// A server certificate with less than this left is made again at start.
pub const RENEW_BEFORE: SignedDuration = SignedDuration::from_hours(30 * 24);

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot use {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot make a certificate: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error(
        "{path} is not a certificate this program can read ({reason}); move the tls folder aside and start again to make a new one"
    )]
    Unreadable { path: PathBuf, reason: String },
}

/// What the server serves with, and what a tablet needs to trust it.
#[derive(Debug, Clone)]
pub struct Certificates {
    pub ca_pem: String,
    pub server_pem: String,
    pub server_key_pem: String,
    /// SHA-256 of the CA certificate, as `AB:CD:…`, for checking it on a tablet.
    pub ca_fingerprint: String,
    /// The names and addresses the server certificate is valid for.
    pub names: Vec<String>,
    pub server_not_after: Timestamp,
    /// Whether the server certificate was (re)made just now, and why.
    pub issued: Option<&'static str>,
}

/// The names a server certificate must carry for `host_name` on these addresses:
/// `<host>.local`, `localhost`, the loopback addresses and every LAN address.
pub fn wanted_names(host_name: &str, addresses: &[IpAddr]) -> Vec<String> {
    let mut names = vec![
        format!("{host_name}.local"),
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    for ip in addresses {
        let ip = ip.to_string();
        if !names.contains(&ip) {
            names.push(ip);
        }
    }
    names
}

/// Loads the CA and server certificate from `data_dir/tls`, making whichever is
/// missing, and makes the server certificate again when `names` differ from those it
/// carries or it expires within [`RENEW_BEFORE`] of `now`.
pub fn ensure(data_dir: &Path, names: &[String], now: Timestamp) -> Result<Certificates, TlsError> {
    let dir = data_dir.join(TLS_DIR);
    let mut folder = fs::DirBuilder::new();
    folder.recursive(true);
    // Only the service user may look inside: the CA's key is what a tablet trusts.
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
    folder.create(&dir).map_err(io(&dir))?;
    let (ca_pem, ca_key) = match (read(&dir.join(CA_CERT))?, read(&dir.join(CA_KEY))?) {
        (Some(cert), Some(key)) => (cert, key),
        _ => {
            let (cert, key) = make_ca(now)?;
            write_private(&dir.join(CA_KEY), &key)?;
            write_public(&dir.join(CA_CERT), &cert)?;
            (cert, key)
        }
    };
    let current = match (read(&dir.join(SERVER_CERT))?, read(&dir.join(SERVER_KEY))?) {
        (Some(cert), Some(key)) => Some((inspect(&dir.join(SERVER_CERT), &cert)?, cert, key)),
        _ => None,
    };
    let reason = match &current {
        None => Some("there was none"),
        Some((seen, ..)) if !same_names(&seen.names, names) => {
            Some("the host name or the network addresses changed")
        }
        Some((seen, ..)) if seen.not_after - now < RENEW_BEFORE => Some("it was about to expire"),
        Some(_) => None,
    };
    let (server_pem, server_key_pem) = match (reason, current) {
        (None, Some((_, cert, key))) => (cert, key),
        _ => {
            let (cert, key) = make_server(&ca_pem, &ca_key, names, now)?;
            write_private(&dir.join(SERVER_KEY), &key)?;
            write_public(&dir.join(SERVER_CERT), &cert)?;
            (cert, key)
        }
    };
    let seen = inspect(&dir.join(SERVER_CERT), &server_pem)?;
    Ok(Certificates {
        ca_fingerprint: fingerprint(&dir.join(CA_CERT), &ca_pem)?,
        ca_pem,
        server_pem,
        server_key_pem,
        names: seen.names,
        server_not_after: seen.not_after,
        issued: reason,
    })
}

fn same_names(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

fn make_ca(now: Timestamp) -> Result<(String, String), TlsError> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "Sarkar CRM store certificate authority");
    name.push(DnType::OrganizationName, "Sarkar CRM");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    set_validity(&mut params, now, CA_DAYS);
    let key = KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    Ok((cert.pem(), key.serialize_pem()))
}

fn make_server(
    ca_pem: &str,
    ca_key_pem: &str,
    names: &[String],
    now: Timestamp,
) -> Result<(String, String), TlsError> {
    let issuer = Issuer::from_ca_cert_pem(ca_pem, KeyPair::from_pem(ca_key_pem)?)?;
    let mut params = CertificateParams::new(names.to_vec())?;
    let mut name = DistinguishedName::new();
    name.push(
        DnType::CommonName,
        names.first().map_or("localhost", String::as_str),
    );
    params.distinguished_name = name;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    set_validity(&mut params, now, SERVER_DAYS);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// Valid from a day ago (a tablet whose clock is a little behind still accepts it) for
/// `days`.
fn set_validity(params: &mut CertificateParams, now: Timestamp, days: i64) {
    let day = |at: Timestamp| {
        let date = at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        rcgen::date_time_ymd(
            i32::from(date.year()),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
        )
    };
    params.not_before = day(now - SignedDuration::from_hours(24));
    params.not_after = day(now + SignedDuration::from_hours(24 * days));
}

/// What a stored certificate says about itself.
#[derive(Debug, Clone)]
pub struct Seen {
    pub names: Vec<String>,
    pub not_after: Timestamp,
}

/// Reads the names and expiry of the PEM certificate stored at `path`.
pub fn inspect(path: &Path, pem: &str) -> Result<Seen, TlsError> {
    let unreadable = |reason: String| TlsError::Unreadable {
        path: path.to_owned(),
        reason,
    };
    let (_, block) =
        x509_parser::pem::parse_x509_pem(pem.as_bytes()).map_err(|e| unreadable(e.to_string()))?;
    let cert = block.parse_x509().map_err(|e| unreadable(e.to_string()))?;
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(dns) => names.push((*dns).to_owned()),
                GeneralName::IPAddress(bytes) => {
                    let ip = match bytes.len() {
                        4 => <[u8; 4]>::try_from(*bytes).ok().map(IpAddr::from),
                        16 => <[u8; 16]>::try_from(*bytes).ok().map(IpAddr::from),
                        _ => None,
                    };
                    if let Some(ip) = ip {
                        names.push(ip.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    let not_after = Timestamp::from_second(cert.validity().not_after.timestamp())
        .map_err(|e| unreadable(e.to_string()))?;
    Ok(Seen { names, not_after })
}

/// The SHA-256 fingerprint of a PEM certificate, as browsers and phones show it.
pub fn fingerprint(path: &Path, pem: &str) -> Result<String, TlsError> {
    let (_, block) =
        x509_parser::pem::parse_x509_pem(pem.as_bytes()).map_err(|e| TlsError::Unreadable {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
    let digest = Sha256::digest(&block.contents);
    Ok(digest
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":"))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TlsError + '_ {
    move |source| TlsError::Io {
        path: path.to_owned(),
        source,
    }
}

fn read(path: &Path) -> Result<Option<String>, TlsError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

/// Writes a file others may read (a certificate), replacing it in one step.
fn write_public(path: &Path, text: &str) -> Result<(), TlsError> {
    write_file(path, text, 0o644)
}

/// Writes a private key readable by this user only, replacing it in one step.
fn write_private(path: &Path, text: &str) -> Result<(), TlsError> {
    write_file(path, text, 0o600)
}

fn write_file(path: &Path, text: &str, mode: u32) -> Result<(), TlsError> {
    let temporary = path.with_extension("new");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(&temporary).map_err(io(&temporary))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io(&temporary))?;
    fs::rename(&temporary, path).map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(host: &str) -> Vec<String> {
        wanted_names(host, &["192.168.1.20".parse().unwrap()])
    }

    #[test]
    fn a_ca_is_made_once_and_the_server_certificate_follows_the_names() {
        let dir = tempfile::tempdir().unwrap();
        let now = Timestamp::now();
        let first = ensure(dir.path(), &names("sarkar"), now).unwrap();
        assert_eq!(first.issued, Some("there was none"));
        assert!(first.names.contains(&"sarkar.local".to_owned()));
        assert!(first.names.contains(&"192.168.1.20".to_owned()));
        assert_eq!(first.ca_fingerprint.len(), 32 * 3 - 1);

        let again = ensure(dir.path(), &names("sarkar"), now).unwrap();
        assert_eq!(again.issued, None);
        assert_eq!(again.server_pem, first.server_pem);

        let renamed = ensure(dir.path(), &names("ghosh"), now).unwrap();
        assert!(renamed.issued.is_some());
        assert!(renamed.names.contains(&"ghosh.local".to_owned()));
        assert_eq!(renamed.ca_pem, first.ca_pem, "the CA stays");

        let later = now + SignedDuration::from_hours(24 * 380);
        let renewed = ensure(dir.path(), &names("ghosh"), later).unwrap();
        assert_eq!(renewed.issued, Some("it was about to expire"));
        assert!(renewed.server_not_after > renamed.server_not_after);
    }

    #[cfg(unix)]
    #[test]
    fn keys_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        ensure(dir.path(), &names("sarkar"), Timestamp::now()).unwrap();
        let tls = dir.path().join(TLS_DIR);
        for (file, mode) in [(CA_KEY, 0o600), (SERVER_KEY, 0o600), (CA_CERT, 0o644)] {
            let meta = fs::metadata(tls.join(file)).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, mode, "{file}");
        }
    }
}
