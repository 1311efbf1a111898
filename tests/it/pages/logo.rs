//! The store's logo through the settings page: set with the page's upload form, it
//! heads every page and the printed invoice, and goes when removed; a Floor Manager
//! cannot set it, and a file that is no logo comes back with why and leaves nothing.

use reqwest::StatusCode;
use serde_json::json;

use super::{PageClient, location};
use crate::activity::{id, two_floors};
use crate::files::{blobs_on_disk, incoming_on_disk, logo_png};
use crate::helpers::{TestApp, expect_json};
use crate::invoice_pdf::pending_bill_of;

/// The value of the first `attribute="…"` after `id="element"` in a page.
fn attribute_of(html: &str, element: &str, attribute: &str) -> String {
    let at = html
        .find(&format!(r#"id="{element}""#))
        .unwrap_or_else(|| panic!("no #{element} in the page"));
    let tag = &html[html[..at].rfind('<').expect("the tag's start")..];
    let tag = &tag[..tag.find('>').expect("the tag's end")];
    let key = format!(r#"{attribute}=""#);
    let value = &tag[tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {attribute} in {tag}"))
        + key.len()..];
    value[..value.find('"').expect("closing quote")].to_owned()
}

#[tokio::test]
async fn a_logo_set_on_the_settings_page_heads_the_pages_and_the_invoice_until_removed() {
    let (app, admin, ground, _) = two_floors().await;
    let bill = pending_bill_of(&admin, &ground, Some("19AAACS1234F1ZP")).await;
    let sale = id(&bill);
    let complete = admin
        .post(&format!("/api/sales/{sale}/complete"), &json!({}))
        .await;
    expect_json(complete, StatusCode::OK).await;
    let pages = PageClient::sign_in(&app, "owner").await;

    let (_, settings) = pages.get("/settings").await;
    assert!(settings.contains(r#"id="no-logo""#), "no logo yet");
    assert!(settings.contains(r#"enctype="multipart/form-data""#));
    let (_, before) = pages.get("/customers").await;
    assert!(!before.contains("brand-logo") && before.contains("brand-mark"));

    let saved = pages
        .post_file("/settings/logo", "logo.png", logo_png(), &[])
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), "/settings?done=logo#logo");
    let (_, settings) = pages.get("/settings?done=logo").await;
    assert!(
        settings.contains(r#"id="logo-current""#),
        "the logo is shown"
    );
    assert!(settings.contains(r#"id="remove-logo""#) && settings.contains("remove-logo-dialog"));

    // Another page's header draws it small, sharp at any density, by its content's
    // address; the address answers the picture.
    let (_, customers) = pages.get("/customers").await;
    let src = attribute_of(&customers, "brand-logo", "src");
    assert!(
        src.starts_with("/api/media/") && src.ends_with(".png"),
        "{src}"
    );
    let srcset = attribute_of(&customers, "brand-logo", "srcset");
    assert!(
        srcset.contains(" 160w") && srcset.contains(" 640w"),
        "{srcset}"
    );
    assert_eq!(attribute_of(&customers, "brand-logo", "height"), "36");
    assert_eq!(
        attribute_of(&customers, "brand-logo", "width"),
        "144",
        "4:1 at 36 px"
    );
    assert!(
        !customers.contains("brand-mark"),
        "the logo stands in for the mark"
    );
    let picture = pages
        .http
        .get(format!("{}{src}", pages.base))
        .send()
        .await
        .expect("media");
    assert_eq!(picture.status(), StatusCode::OK);
    assert_eq!(picture.headers()["content-type"], "image/png");

    // The printed invoice carries it on A4 and on the roll.
    let (status, a4) = pages.get(&format!("/sales/{sale}/invoice")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(attribute_of(&a4, "invoice-logo", "src").starts_with("/api/media/"));
    assert_eq!(attribute_of(&a4, "invoice-logo", "width"), "640");
    let (_, roll) = pages
        .get(&format!("/sales/{sale}/invoice?paper=roll"))
        .await;
    assert_eq!(attribute_of(&roll, "invoice-logo", "width"), "320");

    let removed = pages.post_form("/settings/logo/remove", &[]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&removed), "/settings?done=logo-removed#logo");
    let (_, customers) = pages.get("/customers").await;
    assert!(!customers.contains("brand-logo") && customers.contains("brand-mark"));
    let (_, a4) = pages.get(&format!("/sales/{sale}/invoice")).await;
    assert!(!a4.contains("invoice-logo"), "gone from the invoice too");
    let api = admin.get("/api/store/logo").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_floor_manager_sees_the_logo_but_cannot_set_or_remove_it() {
    let (app, _admin, _, _) = two_floors().await;
    let owner = PageClient::sign_in(&app, "owner").await;
    let saved = owner
        .post_file("/settings/logo", "logo.png", logo_png(), &[])
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let before = blobs_on_disk(&app);

    let manager = PageClient::sign_in(&app, "gf.manager").await;
    let (status, settings) = manager.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(settings.contains(r#"id="logo-current""#), "they see it");
    assert!(!settings.contains(r#"id="logo-form""#), "but get no form");
    assert!(!settings.contains("remove-logo"), "nor the remove button");

    let refused = manager
        .post_file("/settings/logo", "mine.png", logo_png(), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let refused = manager.post_form("/settings/logo/remove", &[]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(blobs_on_disk(&app), before, "nothing stored or removed");
    assert_eq!(incoming_on_disk(&app), 0, "nothing left arriving");
}

#[tokio::test]
async fn a_file_that_is_no_logo_comes_back_with_why_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let mut too_big = logo_png();
    too_big.resize(3 * 1024 * 1024, 0);
    let mut broken = logo_png();
    broken.truncate(200);
    for (name, bytes, status, says) in [
        (
            "logo.png",
            b"<!doctype html><html><body>hello</body></html>".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "HTML",
        ),
        (
            "logo.png",
            too_big,
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger than the 2 MB",
        ),
        (
            "notes.txt",
            b"just some words, no picture".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "plain text",
        ),
        ("logo.png", broken, StatusCode::UNPROCESSABLE_ENTITY, ""),
    ] {
        let response = pages.post_file("/settings/logo", name, bytes, &[]).await;
        assert_eq!(response.status(), status, "{name} saying {says:?}");
        let html = response.text().await.expect("html");
        let error = &html[html
            .find(r#"id="logo-error""#)
            .unwrap_or_else(|| panic!("no message for {says:?}: {html}"))..];
        let error = &error[..error.find("</div>").expect("the message ends")];
        assert!(error.contains(says), "{says:?} in {error}");
        assert!(
            html.contains(r#"id="logo-form""#),
            "the form is there to try again"
        );
        assert!(html.contains(r#"id="no-logo""#), "still no logo");
    }
    assert!(blobs_on_disk(&app).is_empty(), "no blob kept");
    assert_eq!(incoming_on_disk(&app), 0, "no upload left behind");
    let api = app.admin().await.get("/api/store/logo").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
}
