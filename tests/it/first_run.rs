//! The first start of a new box: the one-time setup link names the store, records its
//! GST registration (GSTIN, state, address) and creates the first Business Admin,
//! signed in at once; the link is refused afterwards, and `user add` keeps working,
//! into the same store.

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
            ("state_code", "19"),
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
            ("state_code", "19"),
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

/// A new box and its open setup link.
async fn new_box() -> (TestApp, tempfile::TempDir, String) {
    let temp = tempfile::tempdir().expect("temp dir");
    let app = TestApp::start(temp.path()).await;
    let token = app
        .crm()
        .open_setup_link()
        .expect("read")
        .expect("a new box offers a setup link");
    let link = app.url(&format!("/setup/{token}"));
    (app, temp, link)
}

fn setup_form<'a>(gstin: &'a str, state: &'a str, address: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("store_name", "Ghosh & Sons Jewellers"),
        ("gstin", gstin),
        ("state_code", state),
        ("address", address),
        ("name", "Tapan Ghosh"),
        ("username", "tapan"),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
    ]
}

#[tokio::test]
async fn setup_records_the_stores_gstin_state_and_address() {
    let (app, _temp, link) = new_box().await;
    let http = browser();
    let form = http.get(&link).send().await.expect("form");
    let html = form.text().await.expect("html");
    // The state is chosen from GST's list, the configured one (West Bengal) first chosen.
    assert!(
        html.contains(r#"<select id="field-state-code" name="state_code""#),
        "{html}"
    );
    assert!(html.contains(r#"<option value="19" selected>19 · West Bengal</option>"#));
    assert!(html.contains(r#"<option value="27">27 · Maharashtra</option>"#));
    assert!(
        html.contains("e.g. 19AAACS1234F1ZP"),
        "the hint shows a valid GSTIN"
    );

    // Typed in lower case with spaces, as people copy it.
    let done = http
        .post(&link)
        .header("sec-fetch-site", "same-origin")
        .form(&setup_form(
            "27aaacr5055k 1z7",
            "27",
            "Shop 4, Zaveri Bazaar, Mumbai 400002",
        ))
        .send()
        .await
        .expect("post");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let owner = app.login("tapan").await;
    let store = owner.get_json("/api/store").await;
    assert_eq!(store["gstin"], "27AAACR5055K1Z7", "{store}");
    assert_eq!(store["state_code"], "27");
    assert_eq!(store["address"], "Shop 4, Zaveri Bazaar, Mumbai 400002");
    assert_eq!(store["name"], "Ghosh & Sons Jewellers");
}

#[tokio::test]
async fn a_small_shop_sets_up_without_a_gstin() {
    let (app, _temp, link) = new_box().await;
    let done = browser()
        .post(&link)
        .header("sec-fetch-site", "same-origin")
        .form(&setup_form("", "19", ""))
        .send()
        .await
        .expect("post");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let store = app.login("tapan").await.get_json("/api/store").await;
    assert!(store["gstin"].is_null(), "{store}");
    assert_eq!(store["state_code"], "19");
}

#[tokio::test]
async fn a_bad_gstin_or_state_at_setup_is_shown_beside_the_field_and_stores_nothing() {
    let (app, _temp, link) = new_box().await;
    let http = browser();
    let before = app.changes().len();
    let refused = |gstin: &'static str, state: &'static str| {
        let http = http.clone();
        let link = link.clone();
        async move {
            let response = http
                .post(&link)
                .header("sec-fetch-site", "same-origin")
                .form(&setup_form(gstin, state, "12 Park Street, Kolkata 700016"))
                .send()
                .await
                .expect("post");
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            response.text().await.expect("html")
        }
    };

    // A mistyped check character: the message says which character it should be.
    let html = refused("27AAACR5055K1Z8", "27").await;
    assert!(html.contains(r#"id="error-gstin""#), "{html}");
    assert!(
        html.contains("The last character should be 7 for this GSTIN"),
        "{html}"
    );
    assert!(
        html.contains(r#"value="27AAACR5055K1Z8""#),
        "the typed GSTIN is kept"
    );
    assert!(
        html.contains("12 Park Street, Kolkata 700016"),
        "the address is kept"
    );

    // A GSTIN of Maharashtra for a store in West Bengal.
    let html = refused("27AAACR5055K1Z7", "19").await;
    assert!(
        html.contains(
            "Starts with state code 27 (Maharashtra) but the store's state is 19 (West Bengal)"
        ),
        "{html}"
    );

    // No state chosen, and a wrong 13th character, both shown at once.
    let html = refused("27AAACR5055K0Z7", "").await;
    assert!(html.contains(r#"id="error-state-code""#), "{html}");
    assert!(
        html.contains("The 13th character should be 1 to 9 or a letter"),
        "{html}"
    );

    assert_eq!(app.changes().len(), before, "nothing stored");
    assert_eq!(
        http.get(&link).send().await.expect("form").status(),
        StatusCode::OK,
        "the link still works"
    );
}
