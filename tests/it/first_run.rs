//! The first start of a new box: the one-time setup link names the store and creates
//! the first Business Admin, signed in at once; the link is refused afterwards, and
//! `user add` keeps working, into the same store.

use reqwest::StatusCode;
use reqwest::redirect::Policy;
use sarkar_crm::domain::UserRole;

use crate::helpers::{PASSWORD, TestApp};

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let temp = tempfile::tempdir().expect("temp dir");
    let app = TestApp::start(temp.path()).await;
    let token = app
        .crm()
        .open_setup_link()
        .expect("read")
        .expect("a new box offers a setup link");
    let http = browser();
    let link = app.url(&format!("/setup/{token}"));

    let (status, form) = {
        let response = http.get(&link).send().await.expect("form");
        (response.status(), response.text().await.expect("html"))
    };
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"id="setup-form""#) && form.contains("Sarkar Jewellers"));
    let wrong = http
        .get(app.url("/setup/not-the-token"))
        .send()
        .await
        .expect("wrong");
    assert_eq!(wrong.status(), StatusCode::GONE);

    let fields = |again: &'static str| {
        vec![
            ("store_name", "Ghosh & Sons Jewellers"),
            ("name", "Tapan Ghosh"),
            ("username", "tapan"),
            ("password", PASSWORD),
            ("password_again", again),
        ]
    };
    let before = app.changes().len();
    let mismatch = http
        .post(&link)
        .header("sec-fetch-site", "same-origin")
        .form(&fields("another passphrase"))
        .send()
        .await
        .expect("post");
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = mismatch.text().await.expect("html");
    assert!(html.contains(r#"id="error-password-again""#));
    assert!(
        html.contains(r#"value="Ghosh &amp; Sons Jewellers""#),
        "typed values kept"
    );
    assert_eq!(app.changes().len(), before, "nothing stored");

    let cross_site = http
        .post(&link)
        .header("sec-fetch-site", "cross-site")
        .form(&fields(PASSWORD))
        .send()
        .await
        .expect("post");
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);

    let done = http
        .post(&link)
        .header("sec-fetch-site", "same-origin")
        .form(&fields(PASSWORD))
        .send()
        .await
        .expect("post");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/?done=welcome");
    let dashboard = http
        .get(app.url("/?done=welcome"))
        .send()
        .await
        .expect("home");
    assert_eq!(
        dashboard.status(),
        StatusCode::OK,
        "signed in straight away"
    );
    assert!(
        dashboard
            .text()
            .await
            .expect("html")
            .contains("The box is set up")
    );

    // Used: the form and the post are refused, and nobody else is added.
    let again = http.get(&link).send().await.expect("again");
    assert_eq!(again.status(), StatusCode::GONE);
    let replay = browser()
        .post(&link)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("store_name", "Another Store"),
            ("name", "Intruder"),
            ("username", "intruder"),
            ("password", "a long passphrase"),
            ("password_again", "a long passphrase"),
        ])
        .send()
        .await
        .expect("replay");
    assert_eq!(replay.status(), StatusCode::GONE);
    assert!(app.crm().open_setup_link().expect("read").is_none());

    // `user add` goes on working, into the store the owner named.
    app.add_user("ananya", UserRole::FloorManager, Some("Ground Floor"), None)
        .await;
    let owner = app.login("tapan").await;
    let users = owner.get_json("/api/users").await;
    let names: Vec<&str> = users["items"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{users}");
    assert!(names.contains(&"ananya") && names.contains(&"tapan"));
    let store = owner.get_json("/api/store").await;
    assert_eq!(store["name"], "Ghosh & Sons Jewellers");
}
