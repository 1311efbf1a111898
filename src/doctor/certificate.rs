//! Checks on the box's certificates and on the clock they (and the change log) depend on.

use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};

use super::Check;
use crate::config::Config;
use crate::data_dir::TLS_DIR;
use crate::net::tls::{self, RENEW_BEFORE};

const RESTART: &str =
    "restart the service, which makes a new one: `sudo systemctl restart sarkar-crm`";

/// The stored server certificate as far as doctor could read it, and whether the CA is there.
#[derive(Debug)]
pub struct Stored {
    pub server: Result<ServerCertificate, Unusable>,
    pub ca_present: bool,
    /// Where the server certificate is (or would be), for the fixes.
    pub server_path: PathBuf,
}

#[derive(Debug)]
pub struct ServerCertificate {
    pub names: Vec<String>,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
}

#[derive(Debug)]
pub enum Unusable {
    Missing,
    Unreadable(String),
}

/// Reads `tls/server.pem` and looks for `tls/ca.pem` in `data_dir`.
pub fn read(data_dir: &Path) -> Stored {
    let dir = data_dir.join(TLS_DIR);
    let path = dir.join("server.pem");
    let server = match std::fs::read_to_string(&path) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(Unusable::Missing),
        Err(err) => Err(Unusable::Unreadable(format!("{}: {err}", path.display()))),
        Ok(pem) => parse(&path, &pem).map_err(Unusable::Unreadable),
    };
    Stored {
        server,
        ca_present: dir.join("ca.pem").is_file(),
        server_path: path,
    }
}

fn parse(path: &Path, pem: &str) -> Result<ServerCertificate, String> {
    let seen = tls::inspect(path, pem).map_err(|e| e.to_string())?;
    let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
    let cert = block.parse_x509().map_err(|e| e.to_string())?;
    let not_before = Timestamp::from_second(cert.validity().not_before.timestamp())
        .map_err(|e| e.to_string())?;
    Ok(ServerCertificate {
        names: seen.names,
        not_before,
        not_after: seen.not_after,
    })
}

fn day(at: Timestamp) -> String {
    crate::domain::format_date(at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// Not expired (FAIL), not about to (WARN), naming `<host>.local`, localhost and every
/// current LAN address (WARN), with the CA beside it (FAIL).
pub fn check(config: &Config, stored: &Stored) -> Check {
    check_at(
        config,
        stored,
        &crate::net::lan_addresses(),
        Timestamp::now(),
    )
}

fn check_at(
    config: &Config,
    stored: &Stored,
    addresses: &[std::net::IpAddr],
    now: Timestamp,
) -> Check {
    const NAME: &str = "certificate";
    let server = match &stored.server {
        Err(Unusable::Missing) => {
            return Check::warn(
                NAME,
                "there is no server certificate (tls/server.pem) yet; the server makes one at start",
                "start the service: `sudo systemctl start sarkar-crm`",
            );
        }
        Err(Unusable::Unreadable(why)) => {
            return Check::fail(
                NAME,
                format!("the server certificate cannot be read: {why}"),
                format!(
                    "move it aside so a new one is made: `sudo mv {path} {path}.old`, then {RESTART}",
                    path = stored.server_path.display()
                ),
            );
        }
        Ok(server) => server,
    };
    if !stored.ca_present {
        return Check::fail(
            NAME,
            "the store's certificate authority (tls/ca.pem) is missing",
            "restart the service (`sudo systemctl restart sarkar-crm`), which makes a new one; then every tablet must trust it again (open the pairing page, /pair, on each)",
        );
    }
    if server.not_after <= now {
        return Check::fail(
            NAME,
            format!(
                "the server certificate expired on {}; browsers refuse the box",
                day(server.not_after)
            ),
            RESTART,
        );
    }
    if server.not_after - now < RENEW_BEFORE {
        return Check::warn(
            NAME,
            format!(
                "the server certificate expires on {}",
                day(server.not_after)
            ),
            RESTART,
        );
    }
    let wanted = tls::wanted_names(&config.server.host_name, addresses);
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|name| !server.names.contains(name))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Check::warn(
            NAME,
            format!(
                "the server certificate does not name {} (the box's name or addresses changed); the server makes a new one at start or within the hour",
                missing.join(", ")
            ),
            RESTART,
        );
    }
    Check::pass(
        NAME,
        format!(
            "valid until {}, names {}.local, localhost and {} LAN address(es); CA present",
            day(server.not_after),
            config.server.host_name,
            addresses.len()
        ),
    )
}

/// The clock is not behind what the box has already seen (the server certificate it
/// made, the newest change it wrote) and not absurdly far ahead.
pub fn check_clock(stored: &Stored, newest_change: Option<Timestamp>, now: Timestamp) -> Check {
    const NAME: &str = "clock";
    let fix = "switch on network time: `sudo timedatectl set-ntp true`, then check the date with `timedatectl`";
    let shown = now
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string();
    if now.to_zoned_datetime(jiff::tz::TimeZone::UTC).year() > 2100 {
        return Check::fail(
            NAME,
            format!("the clock says {shown}, far in the future"),
            fix,
        );
    }
    // Certificates are valid from the day before they are made.
    let issued = stored
        .server
        .as_ref()
        .ok()
        .map(|s| s.not_before + SignedDuration::from_hours(24));
    let seen = [issued, newest_change].into_iter().flatten().max();
    match seen {
        Some(seen) if now < seen => Check::fail(
            NAME,
            format!(
                "the clock says {shown}, but the box already has data or certificates from {}",
                seen.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .strftime("%Y-%m-%d %H:%M UTC")
            ),
            fix,
        ),
        Some(_) => Check::pass(
            NAME,
            format!("{shown}, after the newest certificate and change"),
        ),
        None => Check::pass(
            NAME,
            format!("{shown} (nothing stored yet to compare it with)"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(not_before: Timestamp, not_after: Timestamp, names: &[&str]) -> Stored {
        Stored {
            server: Ok(ServerCertificate {
                names: names.iter().map(|n| (*n).to_owned()).collect(),
                not_before,
                not_after,
            }),
            ca_present: true,
            server_path: PathBuf::from("tls/server.pem"),
        }
    }

    #[test]
    fn a_certificate_missing_a_lan_address_warns_and_an_expired_one_fails() {
        let config = Config::defaults();
        let now = Timestamp::now();
        let all = [
            "sarkar-crm.local",
            "localhost",
            "127.0.0.1",
            "::1",
            "192.168.1.5",
        ];
        let year = SignedDuration::from_hours(24 * 365);
        let good = stored(now - year, now + year, &all);
        let lan = ["192.168.1.5".parse().unwrap()];
        assert_eq!(
            check_at(&config, &good, &lan, now).status,
            super::super::Status::Pass
        );
        let moved = ["192.168.1.9".parse().unwrap()];
        let warned = check_at(&config, &good, &moved, now);
        assert_eq!(warned.status, super::super::Status::Warn);
        assert!(warned.found.contains("192.168.1.9"), "{}", warned.found);
        let expired = stored(now - year - year, now - year, &all);
        assert_eq!(
            check_at(&config, &expired, &lan, now).status,
            super::super::Status::Fail
        );
    }

    #[test]
    fn a_clock_behind_the_newest_change_fails() {
        let now = Timestamp::now();
        let none = Stored {
            server: Err(Unusable::Missing),
            ca_present: false,
            server_path: PathBuf::from("tls/server.pem"),
        };
        let hour = SignedDuration::from_hours(1);
        assert_eq!(
            check_clock(&none, Some(now - hour), now).status,
            super::super::Status::Pass
        );
        assert_eq!(
            check_clock(&none, Some(now + hour), now).status,
            super::super::Status::Fail
        );
        let far = Timestamp::from_second(4_200_000_000).unwrap();
        assert_eq!(
            check_clock(&none, None, far).status,
            super::super::Status::Fail
        );
    }
}
