//! Checks that need the network: asking a running server for `/healthz` and `/metrics`
//! over HTTPS (trusting only the box's own CA), whether the configured ports are free or
//! ours, and whether the store's name is heard on the network (mDNS).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Check, Server};
use crate::config::Config;
use crate::data_dir::TLS_DIR;

const TIMEOUT: Duration = Duration::from_secs(5);
const MDNS_WAIT: Duration = Duration::from_secs(3);

/// What the running server said about itself.
#[derive(Debug, Clone)]
pub struct Answers {
    pub version: String,
    pub last_change: u64,
    /// `sarkar_search_index_lag` from `/metrics`, when reported.
    pub index_lag: Option<u64>,
    /// The CA the server was trusted with, to recognise its redirect port.
    ca_pem: String,
}

/// Where to reach a server listening on `listen`: the loopback address when it listens
/// on all addresses; none when the port is picked at start.
fn reachable(listen: SocketAddr) -> Option<SocketAddr> {
    if listen.port() == 0 {
        return None;
    }
    let ip = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    Some(SocketAddr::new(ip, listen.port()))
}

/// Asks the server on `server.listen` for `/healthz` and `/metrics`.
pub fn ask(config: &Config, data_dir: &Path) -> Result<Answers, String> {
    let ca_path = data_dir.join(TLS_DIR).join("ca.pem");
    let ca_pem = std::fs::read_to_string(&ca_path)
        .map_err(|e| format!("cannot read the CA at {}: {e}", ca_path.display()))?;
    let addr = reachable(config.server.listen)
        .ok_or("server.listen has port 0, so the server's port is only known to the server")?;
    let (status, health) = https_get(addr, &ca_pem, "/healthz")?;
    let health: serde_json::Value = serde_json::from_str(&health)
        .map_err(|e| format!("https://{addr}/healthz did not answer JSON: {e}"))?;
    if status != 200 || health["status"] != "ok" {
        return Err(format!(
            "https://{addr}/healthz answered {status}: {health}"
        ));
    }
    let index_lag = https_get(addr, &ca_pem, "/metrics")
        .ok()
        .and_then(|(_, text)| {
            text.lines()
                .find_map(|line| line.strip_prefix("sarkar_search_index_lag "))
                .and_then(|value| value.trim().parse::<f64>().ok())
                .map(|lag| lag.max(0.0) as u64)
        });
    Ok(Answers {
        version: health["version"].as_str().unwrap_or("unknown").to_owned(),
        last_change: health["last_change"].as_u64().unwrap_or(0),
        index_lag,
        ca_pem,
    })
}

/// GET over HTTPS to `addr`, accepting only a certificate signed by `ca_pem` for that address.
fn https_get(addr: SocketAddr, ca_pem: &str, path: &str) -> Result<(u16, String), String> {
    let (_, block) = x509_parser::pem::parse_x509_pem(ca_pem.as_bytes())
        .map_err(|e| format!("the CA certificate is unreadable: {e}"))?;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(block.contents))
        .map_err(|e| format!("the CA certificate is unusable: {e}"))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::IpAddress(addr.ip().into());
    let connection =
        rustls::ClientConnection::new(Arc::new(tls), name).map_err(|e| e.to_string())?;
    let mut stream = rustls::StreamOwned::new(connection, connect(addr)?);
    get(&mut stream, addr, path).map_err(|e| format!("https://{addr}{path}: {e}"))
}

/// GET over plain HTTP (the redirect port).
fn http_get(addr: SocketAddr, path: &str) -> Result<(u16, String), String> {
    let mut stream = connect(addr)?;
    get(&mut stream, addr, path).map_err(|e| format!("http://{addr}{path}: {e}"))
}

fn connect(addr: SocketAddr) -> Result<TcpStream, String> {
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT)
        .map_err(|e| format!("nothing answers on {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(TIMEOUT)))
        .map_err(|e| e.to_string())?;
    Ok(stream)
}

/// A one-shot HTTP/1.0 request: the server closes the connection after the response,
/// so the body is whatever arrives before the close (no chunked encoding to undo).
fn get(
    stream: &mut impl ReadWrite,
    addr: SocketAddr,
    path: &str,
) -> std::io::Result<(u16, String)> {
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()?;
    let mut raw = Vec::new();
    match stream.read_to_end(&mut raw) {
        Ok(_) => {}
        // Some servers close without TLS's close_notify; the response is complete anyway.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
        Err(e) => return Err(e),
    }
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("the answer is not HTTP"))?;
    Ok((status, body.to_owned()))
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// The HTTPS and redirect ports: free, ours, or taken by another program.
pub fn check_ports(config: &Config, server: &Server) -> Vec<Check> {
    let answers = match server {
        Server::Running(answers) => Some(answers),
        _ => None,
    };
    let https = config.server.listen;
    let redirect = config.server.redirect_listen;
    let ours_https = answers.is_some();
    let ours_redirect = answers.is_some_and(|a| {
        reachable(redirect)
            .and_then(|addr| http_get(addr, "/ca.pem").ok())
            .is_some_and(|(status, body)| status == 200 && body.trim() == a.ca_pem.trim())
    });
    vec![
        port("HTTPS port", "server.listen", https, ours_https),
        port(
            "redirect port",
            "server.redirect_listen",
            redirect,
            ours_redirect,
        ),
    ]
}

fn port(name: &'static str, key: &str, addr: SocketAddr, ours: bool) -> Check {
    if addr.port() == 0 {
        return Check::pass(
            name,
            format!("{addr}: port 0, the server picks a free one at start"),
        );
    }
    match TcpListener::bind(addr) {
        Ok(_) => Check::pass(name, format!("{addr} is free for the server")),
        Err(_) if ours => Check::pass(name, format!("{addr} is served by the running Sarkar CRM")),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Check::fail(
            name,
            format!("{addr} is used by another program"),
            format!(
                "see which with `sudo ss -ltnp 'sport = :{}'` and stop it, or choose another port with {key} in /etc/sarkar-crm/config.toml",
                addr.port()
            ),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Check::warn(
            name,
            format!(
                "this user may not open {addr} (ports below 1024 need a privilege); the service has CAP_NET_BIND_SERVICE, so this is fine when it runs as the service"
            ),
            "nothing to do if the service starts; to test the port itself, run doctor with sudo",
        ),
        Err(e) => Check::fail(
            name,
            format!("{addr} cannot be opened: {e}"),
            format!("check {key} in /etc/sarkar-crm/config.toml names an address of this box"),
        ),
    }
}

/// Whether the store's name is heard on the network while the server runs.
pub fn check_mdns(config: &Config, server: &Server) -> Check {
    const NAME: &str = "mDNS";
    if !config.server.mdns {
        return Check::info(
            NAME,
            "switched off in the configuration (server.mdns = false)",
        );
    }
    if !matches!(server, Server::Running(_)) {
        return Check::info(NAME, "will be checked while the server runs");
    }
    let instance = &config.store.name;
    match browse(instance) {
        Ok(Some(fullname)) => Check::pass(NAME, format!("{fullname} is heard on the network")),
        Ok(None) => Check::warn(
            NAME,
            format!(
                "\"{instance}\" was not heard on the network within {} s, so tablets may not find {}.local",
                MDNS_WAIT.as_secs(),
                config.server.host_name
            ),
            "let multicast through: allow UDP port 5353 in the firewall (`sudo ufw allow 5353/udp`) and switch off \"client isolation\" or multicast filtering on the Wi-Fi router; tablets can still use the box's IP address meanwhile",
        ),
        Err(err) => Check::warn(
            NAME,
            format!("cannot listen for mDNS: {err}"),
            "allow UDP port 5353 in the firewall (`sudo ufw allow 5353/udp`)",
        ),
    }
}

/// Browses `_https._tcp.local.` for `instance`, up to [`MDNS_WAIT`].
fn browse(instance: &str) -> Result<Option<String>, mdns_sd::Error> {
    let daemon = mdns_sd::ServiceDaemon::new()?;
    let events = daemon.browse(crate::net::mdns::HTTPS_SERVICE)?;
    let prefix = format!("{instance}.");
    let deadline = Instant::now() + MDNS_WAIT;
    let mut found = None;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok(mdns_sd::ServiceEvent::ServiceFound(_, fullname))
                if fullname.starts_with(&prefix) =>
            {
                found = Some(fullname);
                break;
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    if let Ok(done) = daemon.shutdown() {
        let _ = done.recv_timeout(Duration::from_secs(1));
    }
    Ok(found)
}
