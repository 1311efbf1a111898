//! HTTPS with the box's own certificate authority: a client that trusts only that CA
//! reaches the app as `<name>.local`, `localhost` and 127.0.0.1 with no certificate
//! error; the plain-HTTP port redirects to HTTPS and hands out the CA; a new host name
//! gets a new server certificate from the same CA; an mDNS browser finds the box.

use std::net::SocketAddr;
use std::path::Path;

use reqwest::StatusCode;
use reqwest::redirect::Policy;
use sarkar_crm::Server;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::config::Config;
use sarkar_crm::domain::UserRole;
use serde_json::json;
use tokio::sync::oneshot;

use crate::helpers::PASSWORD;

struct Running {
    https: SocketAddr,
    redirect: SocketAddr,
    ca_pem: String,
    issued: Option<&'static str>,
    stop: oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(data_dir: &Path, host_name: &str) -> Running {
    start_advertising(data_dir, host_name, None).await
}

/// Starts the app; with `store_name`, it also advertises itself by mDNS under that name.
async fn start_advertising(data_dir: &Path, host_name: &str, store_name: Option<&str>) -> Running {
    let mut config = Config::defaults();
    config.server.host_name = host_name.to_owned();
    config.server.mdns = store_name.is_some();
    if let Some(name) = store_name {
        config.store.name = name.to_owned();
    }
    let loopback: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let server = Server::build_https(config, data_dir, loopback, loopback)
        .await
        .expect("the app starts over HTTPS");
    let certificates = server.certificates().expect("serving HTTPS").clone();
    assert!(
        certificates.names.contains(&format!("{host_name}.local")),
        "{:?}",
        certificates.names
    );
    server
        .crm()
        .add_user_from_cli(CliUser {
            username: "owner".into(),
            password: PASSWORD.into(),
            name: None,
            role: UserRole::BusinessAdmin,
            store: None,
            floor: None,
        })
        .await
        .ok();
    let (https, redirect) = (
        server.local_addr(),
        server.redirect_addr().expect("redirect port"),
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(server.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    Running {
        https,
        redirect,
        ca_pem: certificates.ca_pem,
        issued: certificates.issued,
        stop,
        server: serving,
    }
}

impl Running {
    async fn stop(self) {
        let _ = self.stop.send(());
        self.server
            .await
            .expect("server task")
            .expect("stops cleanly");
    }
}

/// A client that trusts the given CA and nothing else, with `<host>.local` resolved to
/// the server's loopback address as mDNS would resolve it on the store network.
fn trusting(ca_pem: &str, host: &str, https: SocketAddr) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(ca_pem.as_bytes()).expect("a PEM certificate");
    reqwest::Client::builder()
        .tls_certs_only([ca])
        .resolve(&format!("{host}.local"), https)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_client_trusting_only_the_box_ca_connects_by_name_and_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start(dir.path(), "sarkar-test").await;
    assert_eq!(app.issued, Some("there was none"));
    let client = trusting(&app.ca_pem, "sarkar-test", app.https);
    let port = app.https.port();
    for host in ["sarkar-test.local", "localhost", "127.0.0.1"] {
        let response = client
            .get(format!("https://{host}:{port}/healthz"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("https://{host}:{port}/ fails: {e:?}"));
        assert_eq!(response.status(), StatusCode::OK, "{host}");
    }

    // The session cookie over HTTPS is Secure and host-only.
    let login = client
        .post(format!("https://localhost:{port}/api/auth/login"))
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        cookie.starts_with("__Host-sarkar_session=") && cookie.contains("Secure"),
        "{cookie}"
    );

    // A client with other trust (the system's roots) refuses the box's certificate.
    let stranger = reqwest::Client::builder()
        .resolve("sarkar-test.local", app.https)
        .build()
        .expect("client");
    let refused = stranger
        .get(format!("https://sarkar-test.local:{port}/healthz"))
        .send()
        .await;
    assert!(refused.is_err(), "an untrusted certificate is refused");

    // Over HTTPS the server counts its open connections, this one included.
    let metrics = client
        .get(format!("https://localhost:{port}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let open: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("sarkar_http_connections_open "))
        .and_then(|v| v.trim().parse().ok())
        .expect("the open-connections gauge");
    assert!(open >= 1, "{metrics}");

    // The CA is offered over HTTPS too, the same as on the redirect port.
    let ca = client
        .get(format!("https://localhost:{port}/ca.pem"))
        .send()
        .await
        .expect("ca over https");
    assert_eq!(ca.text().await.expect("pem"), app.ca_pem);
    app.stop().await;
}

#[tokio::test]
async fn the_http_port_redirects_to_https_and_hands_out_the_ca() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start(dir.path(), "sarkar-test").await;
    let plain = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client");
    let response = plain
        .get(format!(
            "http://127.0.0.1:{}/customers?page=2",
            app.redirect.port()
        ))
        .send()
        .await
        .expect("redirect port answers");
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        response.headers()["location"],
        format!("https://127.0.0.1:{}/customers?page=2", app.https.port()).as_str()
    );
    let ca = plain
        .get(format!("http://127.0.0.1:{}/ca.pem", app.redirect.port()))
        .send()
        .await
        .expect("ca");
    assert_eq!(ca.status(), StatusCode::OK);
    assert_eq!(ca.headers()["content-type"], "application/x-x509-ca-cert");
    assert_eq!(ca.text().await.expect("pem"), app.ca_pem);

    // Following the redirect with the CA trusted lands on the page.
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(app.ca_pem.as_bytes()).expect("pem")])
        .build()
        .expect("client");
    let landed = client
        .get(format!("http://127.0.0.1:{}/healthz", app.redirect.port()))
        .send()
        .await
        .expect("followed");
    assert_eq!(landed.status(), StatusCode::OK);
    assert_eq!(landed.url().scheme(), "https");
    app.stop().await;
}

#[tokio::test]
async fn a_new_host_name_gets_a_new_certificate_from_the_same_ca() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = start(dir.path(), "sarkar-test").await;
    let ca = first.ca_pem.clone();
    first.stop().await;

    let same = start(dir.path(), "sarkar-test").await;
    assert_eq!(same.issued, None, "nothing changed, nothing made");
    same.stop().await;

    let renamed = start(dir.path(), "ghosh-jewellers").await;
    assert_eq!(
        renamed.issued,
        Some("the host name or the network addresses changed")
    );
    assert_eq!(renamed.ca_pem, ca, "tablets keep trusting the same CA");
    let client = trusting(&ca, "ghosh-jewellers", renamed.https);
    let response = client
        .get(format!(
            "https://ghosh-jewellers.local:{}/healthz",
            renamed.https.port()
        ))
        .send()
        .await
        .expect("the new name is trusted");
    assert_eq!(response.status(), StatusCode::OK);
    renamed.stop().await;
}

/// Waits up to `within` for an event about `instance` on `events`, answering the first
/// that `wanted` accepts.
fn wait_for_event<T>(
    events: &mdns_sd::Receiver<mdns_sd::ServiceEvent>,
    within: std::time::Duration,
    wanted: impl Fn(&mdns_sd::ServiceEvent) -> Option<T>,
) -> Option<T> {
    let deadline = std::time::Instant::now() + within;
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match events.recv_timeout(left) {
            Ok(event) => {
                if let Some(found) = wanted(&event) {
                    return Some(found);
                }
            }
            Err(_) => return None,
        }
    }
    None
}

#[tokio::test]
async fn an_mdns_browser_finds_the_box_and_resolves_its_port() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A name of its own, so another test run on the same network cannot answer for it.
    let instance = format!("Sarkar Test {}", uuid::Uuid::now_v7().simple());
    let app = start_advertising(dir.path(), "sarkar-mdns-test", Some(&instance)).await;
    let https_port = app.https.port();
    let browser = mdns_sd::ServiceDaemon::new().expect("an mDNS daemon for the test");
    let events = browser
        .browse(sarkar_crm::net::mdns::HTTPS_SERVICE)
        .expect("browse");
    let prefix = format!("{instance}.");
    let found = tokio::task::spawn_blocking(move || {
        let resolved =
            wait_for_event(
                &events,
                std::time::Duration::from_secs(20),
                |event| match event {
                    mdns_sd::ServiceEvent::ServiceResolved(service)
                        if service.fullname.starts_with(&prefix) =>
                    {
                        Some((service.host.clone(), service.port))
                    }
                    _ => None,
                },
            );
        (resolved, events)
    })
    .await
    .expect("browsing");
    let (resolved, events) = found;
    let (host, port) = resolved.expect(
        "the advertised service was not found: multicast on this machine's interfaces must reach the test",
    );
    assert_eq!(host, "sarkar-mdns-test.local.");
    assert_eq!(port, https_port);

    // Stopping the server withdraws the record.
    app.stop().await;
    let prefix = format!("{instance}.");
    let removed = tokio::task::spawn_blocking(move || {
        wait_for_event(
            &events,
            std::time::Duration::from_secs(10),
            |event| match event {
                mdns_sd::ServiceEvent::ServiceRemoved(_, name) if name.starts_with(&prefix) => {
                    Some(())
                }
                _ => None,
            },
        )
    })
    .await
    .expect("browsing");
    assert!(removed.is_some(), "the goodbye reached the browser");
    let _ = browser.shutdown();
}

#[tokio::test]
async fn the_pairing_page_shows_the_addresses_qr_codes_and_fingerprint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = start(dir.path(), "sarkar-test").await;
    let ca = reqwest::Certificate::from_pem(app.ca_pem.as_bytes()).expect("pem");
    let client = reqwest::Client::builder()
        .tls_certs_only([ca])
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client");
    let base = format!("https://localhost:{}", app.https.port());
    let signed_out = client
        .get(format!("{base}/pair"))
        .send()
        .await
        .expect("pair");
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER, "staff only");
    let login = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    let page = client
        .get(format!("{base}/pair"))
        .send()
        .await
        .expect("pair");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    let fingerprint =
        sarkar_crm::net::tls::fingerprint(std::path::Path::new("ca.pem"), &app.ca_pem)
            .expect("fingerprint");
    for expected in [
        format!("http://sarkar-test.local:{}/ca.pem", app.redirect.port()),
        format!("https://sarkar-test.local:{}/", app.https.port()),
        fingerprint,
        "<svg".to_owned(),
        "Certificate Trust Settings".to_owned(),
    ] {
        assert!(html.contains(&expected), "the page shows {expected}");
    }
    app.stop().await;
}

#[tokio::test]
async fn over_plain_http_the_pairing_page_says_there_is_nothing_to_trust() {
    let app = crate::helpers::TestApp::spawn().await;
    let pages = crate::pages::PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/pair").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("serving plain HTTP"), "{html}");
    let (status, _) = pages.get("/ca.pem").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
