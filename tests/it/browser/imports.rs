//! The Import page in a real browser: the owner uploads a 1,000-row customer sheet with
//! 20 customers already on file and 5 bad rows, puts right the one column the guess
//! missed, imports it, and undoes it. Photographed on a phone, a tablet and a laptop.

use serde_json::json;

use super::flows::{look_at, photograph, sign_in};
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::TestApp;

/// The sheet: 975 new customers, 20 already stored (their numbers written another way),
/// and 5 with a number too short. "Client" is a header the guess does not know.
fn sheet() -> String {
    let mut out = String::from("Sl No,Client,Mob No,D.O.B.\n");
    let mut n = 0;
    for i in 0..1000 {
        n += 1;
        let row = match i {
            100..120 => format!("{n},Existing {:02},+91 96{:08},\n", i - 100, i - 100),
            500..505 => format!("{n},Short Number {i},96 123,\n"),
            _ => format!(
                "{n},Sheet Customer {i:04},97{i:08},{:02}/{:02}/1985\n",
                i % 28 + 1,
                i % 12 + 1
            ),
        };
        out.push_str(&row);
    }
    out
}

/// Sets a select box the way a tap on an option does.
async fn choose(browser: &Browser, css: &str, value: &str) {
    browser
        .execute(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![json!(css), json!(value)],
        )
        .await;
}

#[tokio::test]
async fn the_owner_imports_a_sheet_fixes_the_mapping_and_undoes_it() {
    let app = TestApp::spawn().await;
    let api = app.admin().await;
    for j in 0..20 {
        api.create(
            "/api/customers",
            &json!({"name": format!("Existing {j:02}"), "phone": format!("96{j:08}")}),
        )
        .await;
    }
    let files = tempfile::tempdir().expect("temp dir");
    let file = files.path().join("customers-2026.csv");
    std::fs::write(&file, sheet()).expect("the sheet");

    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "owner", "/imports").await;
    look_at(
        &browser,
        "/imports",
        "imports-upload-800x1280",
        TABLET_PORTRAIT,
    )
    .await;
    let input = browser.find("#import-file").await.expect("the file input");
    input
        .send_keys(file.to_str().expect("a path"))
        .await
        .expect("the file is chosen");
    browser.click("#upload-file").await;
    let problems = browser.wait_for_text("#mapping-problems", "Name").await;
    assert!(problems.contains("choose the column"), "{problems}");

    choose(&browser, "#map-name", "Client").await;
    browser.click("#update-preview").await;
    browser.wait_for("#import-summary").await;
    assert_eq!(browser.text("#count-create").await, "975");
    assert_eq!(browser.text("#count-skip").await, "20");
    assert_eq!(browser.text("#count-refuse").await, "5");
    let matched = browser
        .execute(
            "return document.querySelectorAll('#matched-rows tbody tr').length;",
            vec![],
        )
        .await;
    assert_eq!(matched, json!(20));
    let problems = browser.text("#problems").await;
    assert!(
        problems.contains("Mob No") && problems.contains("96 123"),
        "{problems}"
    );
    let page = browser.current_path().await;
    for (viewport, name) in [
        (PHONE, "imports-preview-360x740"),
        (TABLET_PORTRAIT, "imports-preview-800x1280"),
        (LANDSCAPE, "imports-preview-1280x800"),
    ] {
        browser.resize(viewport).await;
        look_at(&browser, &page, name, viewport).await;
    }
    browser.resize(TABLET_PORTRAIT).await;

    browser.click("#commit-import").await;
    let created = browser.wait_for_text("#done-created", "975").await;
    assert_eq!(created, "975");
    photograph(&browser, "imports-done-800x1280", TABLET_PORTRAIT).await;
    let customers = api.get_json("/api/customers?limit=1").await;
    assert_eq!(customers["total"], 995);

    browser.click("#undo-import").await;
    browser.click("#undo-dialog-confirm").await;
    browser.wait_for_text("main .lead", "Undone").await;
    let customers = api.get_json("/api/customers?limit=1").await;
    assert_eq!(
        customers["total"], 20,
        "the 975 are gone again, the 20 untouched"
    );
    browser.assert_no_console_errors().await;
    browser.close().await;
}
