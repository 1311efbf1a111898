//! The settings page's GST registration: the GSTIN its own hint gives as an example is
//! accepted, a store may be unregistered, and a GSTIN of another state or with a
//! mistyped character is refused beside the field, saying what is wrong.

use reqwest::StatusCode;

use super::{PageClient, location};
use crate::helpers::TestApp;

/// The GSTIN after "e.g. " in the GSTIN field's hint.
fn hint_example(html: &str) -> String {
    let hint = &html[html
        .find("from the GST registration certificate")
        .expect("the GSTIN hint")..];
    let example = &hint[hint.find("e.g. ").expect("an example") + "e.g. ".len()..];
    example[..example.find(';').expect("the example ends")].to_owned()
}

#[tokio::test]
async fn the_hints_example_gstin_is_accepted() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    let example = hint_example(&html);
    assert_eq!(example.len(), 15, "{example}");
    let state = &example[..2];
    let saved = pages
        .post_form(
            "/settings",
            &[
                ("gstin", &example),
                ("state_code", state),
                ("address", "12 Bowbazar Street, Kolkata"),
            ],
        )
        .await;
    assert_eq!(
        saved.status(),
        StatusCode::SEE_OTHER,
        "{example} is accepted"
    );
    assert_eq!(location(&saved), "/settings?done=saved");
    let store = app.admin().await.get_json("/api/store").await;
    assert_eq!(store["gstin"], example.as_str());
    assert_eq!(store["state_code"], state);

    // Left empty, the store is not registered.
    let unregistered = pages
        .post_form(
            "/settings",
            &[("gstin", ""), ("state_code", "19"), ("address", "")],
        )
        .await;
    assert_eq!(unregistered.status(), StatusCode::SEE_OTHER);
    let store = app.admin().await.get_json("/api/store").await;
    assert!(store["gstin"].is_null(), "{store}");
}

#[tokio::test]
async fn a_wrong_gstin_is_refused_saying_what_is_wrong() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let before = app.admin().await.get_json("/api/store").await;
    for (gstin, state, field, message) in [
        (
            "27AAACR5055K1Z8",
            "27",
            "gstin",
            "The last character should be 7 for this GSTIN",
        ),
        (
            "27AAACR5055K1Z",
            "27",
            "gstin",
            "A GSTIN has 15 characters and this has 14",
        ),
        (
            "27AAACR5055K1Z7",
            "19",
            "gstin",
            "Starts with state code 27 (Maharashtra)",
        ),
        (
            "27AAACR5055K1Z7",
            "99",
            "state_code",
            "Choose the state the store is registered in",
        ),
    ] {
        let response = pages
            .post_form(
                "/settings",
                &[
                    ("gstin", gstin),
                    ("state_code", state),
                    ("address", "Elsewhere"),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{gstin}/{state}"
        );
        let html = response.text().await.expect("html");
        let error = format!(r#"id="error-{}""#, field.replace('_', "-"));
        assert!(html.contains(&error), "{gstin}/{state}: {html}");
        assert!(html.contains(message), "{gstin}/{state}: {message}");
    }
    assert_eq!(
        app.admin().await.get_json("/api/store").await,
        before,
        "nothing changed"
    );
}
