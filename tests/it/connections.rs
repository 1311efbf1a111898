//! Connections cannot starve the server: a device holding a thousand idle connections,
//! over plain HTTP or after a completed TLS handshake, is capped per address and
//! refused at once past the cap while a normal client keeps getting answers; a silent
//! connection is closed after the header-read timeout.
//!
//! The "attacker" binds 127.0.0.2 (Linux accepts any 127.x.y.z source) and the normal
//! client uses 127.0.0.1, so the per-address cap is tested honestly.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::StatusCode;
use sarkar_crm::Server;
use sarkar_crm::config::Config;
use sarkar_crm::domain::UserRole;
use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;

use crate::helpers::{PASSWORD, TestApp};

/// The idle connections the attacker opens: more than the ~1,000 that exhausted the
/// unit's default of 1,024 open files.
const IDLE: usize = 1_100;
/// Where the attacker's connections come from.
const ATTACKER: &str = "127.0.0.2";
/// Long enough for a refused connection's answer to arrive on a busy machine, and
/// short enough that the test does not hang on a server that never answers.
const BOUNDED_WAIT: Duration = Duration::from_secs(5);

/// The test holds both ends of every connection in one process: it raises its soft
/// limit on open files to the hard limit, and stops with a clear message if even that
/// is too low.
fn raise_open_files_limit() {
    let needed = 2 * IDLE as u64 + 1_000;
    let (soft, hard) =
        rlimit::getrlimit(rlimit::Resource::NOFILE).expect("read the open files limit");
    assert!(
        hard >= needed,
        "these tests hold both ends of {IDLE} connections and need {needed} open files, \
         but the hard limit is {hard}; raise it (ulimit -Hn, or LimitNOFILE for a service)"
    );
    if soft < hard {
        rlimit::setrlimit(rlimit::Resource::NOFILE, hard, hard)
            .expect("raise the soft open files limit to the hard one");
    }
}

async fn connect_from(source: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(SocketAddr::new(source.parse().expect("an address"), 0))
        .expect("bind the attacker's address");
    socket.connect(to).await.expect("connect")
}

/// What the server sends before closing, or `None` when it keeps the connection open
/// and silent for the whole bounded wait.
async fn answer_before_close<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Vec<u8>> {
    let mut answer = Vec::new();
    tokio::time::timeout(BOUNDED_WAIT, stream.read_to_end(&mut answer))
        .await
        .ok()
        .map(|_| answer)
}

async fn app_with(config: Config, dir: &Path) -> TestApp {
    let app = TestApp::start_with(config, dir).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_idle_connections_are_capped_and_a_normal_client_is_served() {
    raise_open_files_limit();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::defaults();
    let cap = config.server.max_connections_per_address;
    assert!(cap < IDLE, "the per-address cap ({cap}) is below {IDLE}");
    let app = app_with(config, dir.path()).await;
    let admin = app.admin().await;

    let mut idle = Vec::with_capacity(IDLE);
    for _ in 0..IDLE {
        idle.push(connect_from(ATTACKER, app.addr).await);
    }
    let answers = join_all(idle.iter_mut().map(answer_before_close)).await;
    let refused: Vec<&Vec<u8>> = answers.iter().flatten().collect();
    assert_eq!(
        refused.len(),
        IDLE - cap,
        "every connection past the per-address cap is refused at once, and only those"
    );
    for answer in refused {
        let text = String::from_utf8_lossy(answer);
        assert!(
            text.starts_with("HTTP/1.1 503 ") && text.contains("Retry-After: "),
            "a refused plain-HTTP client is told to come back: {text}"
        );
    }

    // With the attacker's connections still open, a normal client is served.
    for _ in 0..5 {
        let health = admin.get("/healthz").await;
        assert_eq!(health.status(), StatusCode::OK);
        let page = admin.get("/customers").await;
        assert_eq!(page.status(), StatusCode::OK, "a signed-in page");
    }
    drop(idle);
}

#[tokio::test]
async fn a_silent_plain_connection_is_closed_after_the_header_read_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::defaults();
    config.server.header_read_timeout_secs = 1;
    let app = app_with(config, dir.path()).await;

    let mut silent = TcpStream::connect(app.addr).await.expect("connect");
    let mut slow = TcpStream::connect(app.addr).await.expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("half the headers");
    assert!(
        answer_before_close(&mut silent).await.is_some(),
        "a connection that sends nothing is closed"
    );
    let answer = answer_before_close(&mut slow).await;
    assert!(
        answer.is_some(),
        "a connection that never finishes its headers is closed"
    );
}

/// An HTTPS server on 127.0.0.1 with `config`, an `owner` and the CA to trust.
pub struct Https {
    pub addr: SocketAddr,
    pub ca_pem: String,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub async fn start_https(config: Config, dir: &Path) -> Https {
    let loopback: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let server = Server::build_https(config, dir, loopback, loopback)
        .await
        .expect("the app starts over HTTPS");
    server
        .crm()
        .add_user_from_cli(sarkar_crm::app::setup::CliUser {
            username: "owner".into(),
            password: PASSWORD.into(),
            name: None,
            role: UserRole::BusinessAdmin,
            store: None,
            floor: None,
        })
        .await
        .expect("owner added");
    let ca_pem = server.certificates().expect("HTTPS").ca_pem.clone();
    let addr = server.local_addr();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(server.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    Https {
        addr,
        ca_pem,
        stop,
        server,
    }
}

impl Https {
    fn tls_connector(&self) -> tokio_rustls::TlsConnector {
        let (_, block) =
            x509_parser::pem::parse_x509_pem(self.ca_pem.as_bytes()).expect("the CA as PEM");
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(rustls::pki_types::CertificateDer::from(block.contents))
            .expect("the CA is a root");
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
        tokio_rustls::TlsConnector::from(Arc::new(config))
    }

    /// A browser-like client trusting the box's CA, keeping cookies.
    pub fn client(&self) -> reqwest::Client {
        let ca = reqwest::Certificate::from_pem(self.ca_pem.as_bytes()).expect("CA");
        reqwest::Client::builder()
            .tls_certs_only([ca])
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.server
            .await
            .expect("server task")
            .expect("stops cleanly");
    }
}

type TlsStream = tokio_rustls::client::TlsStream<TcpStream>;

/// Connects from `source` and completes the TLS handshake within the bounded wait.
async fn handshake_from(
    connector: &tokio_rustls::TlsConnector,
    source: &str,
    to: SocketAddr,
) -> Option<TlsStream> {
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("a name");
    let tcp = connect_from(source, to).await;
    tokio::time::timeout(BOUNDED_WAIT, connector.connect(name, tcp))
        .await
        .ok()?
        .ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_idle_connections_after_the_tls_handshake_are_capped() {
    raise_open_files_limit();
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::defaults();
    let cap = config.server.max_connections_per_address;
    let https = start_https(config, dir.path()).await;
    let connector = https.tls_connector();

    let mut attempts = Vec::with_capacity(IDLE);
    for _ in 0..IDLE {
        attempts.push(connect_from(ATTACKER, https.addr).await);
    }
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("a name");
    let handshakes = join_all(attempts.into_iter().map(|tcp| {
        let (connector, name) = (connector.clone(), name.clone());
        async move {
            tokio::time::timeout(BOUNDED_WAIT, connector.connect(name, tcp))
                .await
                .ok()?
                .ok()
        }
    }))
    .await;
    let idle: Vec<TlsStream> = handshakes.into_iter().flatten().collect();
    assert_eq!(
        idle.len(),
        cap,
        "connections up to the per-address cap finish the handshake; the rest are closed at once"
    );

    // With those idle connections held open after their handshake, a normal client
    // over HTTPS is answered and can sign in and open a page.
    let client = https.client();
    for _ in 0..3 {
        let health = client
            .get(https.url("/healthz"))
            .send()
            .await
            .expect("healthz");
        assert_eq!(health.status(), StatusCode::OK);
    }
    let login = client
        .post(https.url("/api/auth/login"))
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    let page = client
        .get(https.url("/customers"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK, "a signed-in page");
    drop(idle);
    https.stop().await;
}

#[tokio::test]
async fn a_connection_silent_after_the_tls_handshake_is_closed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::defaults();
    config.server.header_read_timeout_secs = 1;
    let https = start_https(config, dir.path()).await;
    let connector = https.tls_connector();
    let mut silent = handshake_from(&connector, "127.0.0.1", https.addr)
        .await
        .expect("the handshake completes");
    assert!(
        answer_before_close(&mut silent).await.is_some(),
        "a connection that finished its handshake and sends nothing is closed"
    );
    https.stop().await;
}
