//! Merging two customers in the browser on a phone (360 px), a tablet (800 px) and a
//! laptop (1280 px): the possible duplicates, the two side by side, the merge, and
//! undoing it from the survivor's timeline.

use serde_json::json;

use super::flows::{look_at, sign_in};
use super::phones::check_fit;
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::{TestApp, floor};

#[tokio::test]
async fn duplicates_are_compared_merged_and_unmerged_at_every_width() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let mut ids = Vec::new();
    for (name, phone) in [
        ("Subhajit Chowdhury", "9830012345"),
        ("S. Choudhury", "9830067890"),
    ] {
        let body = json!({"name": name, "phone": phone, "home_floor_id": ground, "address": {"locality": "Salt Lake", "city": "Kolkata"}});
        ids.push(
            admin.create("/api/customers", &body).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let compare = format!("/customers/merge?a={}&b={}", ids[0], ids[1]);
    let browser = Browser::open(&app, PHONE).await;
    sign_in(&browser, "owner", "/customers").await;
    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let size = format!("{}x{}", viewport.width, viewport.height);
        look_at(
            &browser,
            "/customers/duplicates",
            &format!("duplicates-{size}"),
            viewport,
        )
        .await;
        assert!(
            browser.exists("#duplicates").await,
            "the pair is listed at {size}"
        );
        check_fit(&browser, "possible duplicates", viewport).await;
        look_at(&browser, &compare, &format!("merge-{size}"), viewport).await;
        check_fit(&browser, "the merge form", viewport).await;
    }
    browser.click("#merge").await;
    browser.wait_for_text("#timeline", "Merged C-000002").await;
    browser.click("#timeline a[href$='/undo']").await;
    browser.wait_for("#undo-merge").await;
    browser.click("#undo-merge").await;
    browser.wait_for("#timeline").await;
    assert!(!browser.text("#timeline").await.contains("Merged"));
    browser.close().await;
}
