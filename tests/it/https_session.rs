//! The session over HTTPS: only the `__Host-` cookie signs a request in (a plain-named
//! one could have been planted over plain HTTP), and HTTPS answers carry
//! `Strict-Transport-Security` while plain-HTTP ones do not.

use reqwest::StatusCode;
use sarkar_crm::config::Config;
use serde_json::{Value, json};

use crate::connections::start_https;
use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn over_https_only_the_host_prefixed_cookie_is_a_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let https = start_https(Config::defaults(), dir.path()).await;
    let client = https.client();
    let login = client
        .post(https.url("/api/auth/login"))
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    let token = login.json::<Value>().await.expect("json")["token"]
        .as_str()
        .expect("a token")
        .to_owned();

    // A fresh client (no cookie jar) sends each cookie by hand.
    let bare = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(https.ca_pem.as_bytes()).expect("CA")])
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let with_cookie = |name: &str, path: &str| {
        bare.get(https.url(path))
            .header("cookie", format!("{name}={token}"))
            .send()
    };
    let planted = with_cookie("sarkar_session", "/api/customers")
        .await
        .expect("api");
    assert_eq!(
        planted.status(),
        StatusCode::UNAUTHORIZED,
        "plain cookie, API"
    );
    let planted = with_cookie("sarkar_session", "/customers")
        .await
        .expect("page");
    assert_eq!(
        planted.status(),
        StatusCode::SEE_OTHER,
        "plain cookie, page"
    );
    assert!(
        planted.headers()["location"]
            .to_str()
            .expect("location")
            .starts_with("/login"),
        "the page asks to sign in"
    );

    let secure = with_cookie("__Host-sarkar_session", "/api/customers")
        .await
        .expect("api");
    assert_eq!(secure.status(), StatusCode::OK, "__Host- cookie, API");
    let secure = with_cookie("__Host-sarkar_session", "/customers")
        .await
        .expect("page");
    assert_eq!(secure.status(), StatusCode::OK, "__Host- cookie, page");
    https.stop().await;
}

#[tokio::test]
async fn https_answers_carry_hsts_and_plain_http_ones_do_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let https = start_https(Config::defaults(), dir.path()).await;
    let answer = https
        .client()
        .get(https.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(answer.status(), StatusCode::OK);
    let hsts = answer
        .headers()
        .get("strict-transport-security")
        .expect("HSTS over HTTPS")
        .to_str()
        .expect("text");
    assert!(hsts.starts_with("max-age=31536000"), "{hsts}");
    let missing = https
        .client()
        .get(https.url("/no-such-page"))
        .send()
        .await
        .expect("not found");
    assert!(
        missing.headers().contains_key("strict-transport-security"),
        "error answers carry it too"
    );
    https.stop().await;

    let plain = TestApp::spawn().await;
    let answer = plain.anonymous().get("/healthz").await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(
        !answer.headers().contains_key("strict-transport-security"),
        "no HSTS over plain HTTP"
    );
}
