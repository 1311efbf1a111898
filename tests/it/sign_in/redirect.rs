//! After signing in, the browser goes only to a path on this site, whatever `next` says.

use reqwest::StatusCode;
use reqwest::header::LOCATION;

use super::{browser, post_sign_in_form};
use crate::helpers::{PASSWORD, TestApp};
use crate::pages::csrf_in;

/// `next` values (as they would be typed into the address bar, percent-encoded) that a
/// browser could follow off the site if they reached the `Location` header.
const HOSTILE_NEXT: &[&str] = &[
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%20/evil.example",
    "/%0b/evil.example",
    "/%00/evil.example",
    "/%C2%A0/evil.example",
    "//evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
];

async fn sign_in_after(app: &TestApp, next_query: &str) -> String {
    let http = browser();
    let page = http
        .get(app.url(&format!("/login?next={next_query}")))
        .send()
        .await
        .expect("sign-in page");
    assert_eq!(page.status(), StatusCode::OK, "{next_query}");
    let html = page.text().await.expect("body");
    let token = csrf_in(&html);
    let next = html
        .split(r#"name="next" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries next")
        .replace("&amp;", "&");
    let response = http
        .post(app.url("/login"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("_csrf", token.as_str()),
            ("username", "owner"),
            ("password", PASSWORD),
            ("next", next.as_str()),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next_query}");
    response
        .headers()
        .get(LOCATION)
        .expect("a location")
        .to_str()
        .expect("ascii")
        .to_owned()
}

#[tokio::test]
async fn a_hostile_next_leads_home_and_a_local_one_is_kept() {
    let app = TestApp::spawn().await;
    for hostile in HOSTILE_NEXT {
        assert_eq!(sign_in_after(&app, hostile).await, "/", "next={hostile}");
    }
    assert_eq!(
        sign_in_after(&app, "/customers%3Fpage%3D2").await,
        "/customers?page=2"
    );
}

#[tokio::test]
async fn a_hostile_next_posted_with_the_form_leads_home() {
    let app = TestApp::spawn().await;
    for next in ["/\t/evil.example", "/\\evil.example", "/ /evil.example"] {
        let response = post_sign_in_form(&app, &browser(), "owner", PASSWORD, next).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()[LOCATION], "/", "{next:?}");
    }
}
