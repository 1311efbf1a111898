//! The activity pages in a real browser at tablet size: the walk-in dialog shows what
//! needs correcting without closing, a follow-up is added on the customer page and done
//! from My day, and the pipeline's board scrolls inside its box, never the page. The
//! customer page, My day and the pipeline with work on them are photographed.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::flows::{look_at, photograph, sign_in};
use super::{Browser, LANDSCAPE, TABLET_PORTRAIT};
use crate::helpers::TestApp;
use sarkar_crm::domain::UserRole;

/// A floor with its manager `ananya`, a product, and a bill awaiting payment.
async fn seed(app: &TestApp) {
    let api = app.admin().await;
    let floor: Value = api
        .post(
            "/api/floors",
            &json!({"name": "Ground Floor — Gold", "level": 0}),
        )
        .await
        .json()
        .await
        .expect("floor");
    app.add_user(
        "ananya",
        UserRole::FloorManager,
        Some("Ground Floor — Gold"),
        None,
    )
    .await;
    let buyer = api
        .create(
            "/api/customers",
            &json!({"name": "Rina Sinha", "phone": "9831000001", "home_floor_id": floor["id"]}),
        )
        .await;
    let tea_set = api
        .create(
            "/api/products",
            &json!({"sku": "TS-1", "name": "Silver tea set", "metal": "SILVER", "purity": "925",
                "gross_weight_mg": 500_000, "making_charge": {"flat_paise": 0},
                "fixed_price_paise": 48_000_00, "stock_qty": 1, "floor_id": floor["id"]}),
        )
        .await;
    api.create(
        "/api/sales",
        &json!({"customer_id": buyer["id"], "floor_id": floor["id"], "lines": [{"product_id": tea_set["id"]}]}),
    )
    .await;
    let ananya = app.login("ananya").await;
    let overdue = (Timestamp::now() - SignedDuration::from_hours(30)).to_string();
    ananya
        .create(
            "/api/follow-ups",
            &json!({"customer_id": buyer["id"], "type": "PHONE_CALL", "due_at": overdue,
                "notes": "Ask whether the tea set can be collected on Saturday"}),
        )
        .await;
}

#[tokio::test]
async fn a_walk_in_is_corrected_in_its_dialog_and_the_day_is_worked_through() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "ananya", "/customers").await;

    // A wrong number: the dialog stays open with the message and what was typed.
    browser.click("#walk-in-button").await;
    browser.fill("#walk-in-dialog #field-phone", "98311").await;
    browser
        .fill("#walk-in-dialog #field-name", "Payel Dey")
        .await;
    browser
        .fill("#walk-in-dialog #field-notes", "Jhumkas")
        .await;
    browser.click("#walk-in-submit").await;
    browser.wait_for("#walk-in-dialog[open] #error-phone").await;
    let kept = browser
        .execute("return [document.querySelector('#walk-in-dialog #field-name').value, document.querySelector('#walk-in-dialog #field-notes').value];", vec![])
        .await;
    assert_eq!(kept, json!(["Payel Dey", "Jhumkas"]));
    photograph(&browser, "walk-in-dialog-error-800x1280", TABLET_PORTRAIT).await;
    let errors = browser.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.source == "network" && e.message.contains("status of 422")),
        "{errors:#?}"
    );
    browser
        .fill("#walk-in-dialog #field-phone", "98311 22334")
        .await;
    browser.click("#walk-in-submit").await;
    browser.wait_for("#done-notice").await;
    assert!(
        browser
            .text("#done-notice")
            .await
            .contains("New prospect Payel Dey added")
    );
    assert!(browser.text("#timeline").await.contains("Jhumkas"));

    // A follow-up for tomorrow from the customer page.
    browser
        .fill("#follow-up-notes", "Show the new jhumka designs")
        .await;
    browser.click("#add-follow-up-submit").await;
    // The walk-in's notice is still on the page until the follow-up's page replaces
    // it, so wait for the follow-up itself.
    browser
        .wait_for_text("#follow-ups", "Show the new jhumka designs")
        .await;
    browser.wait_for("#done-notice").await;
    browser.assert_no_console_errors().await;
    photograph(&browser, "customer-activity-800x1280", TABLET_PORTRAIT).await;

    // My day: the overdue call, done with what came of it.
    browser.goto("/my-day").await;
    let overdue = browser.text("#overdue").await;
    assert!(overdue.contains("Rina Sinha"), "{overdue}");
    photograph(&browser, "my-day-tasks-800x1280", TABLET_PORTRAIT).await;
    browser
        .fill("#overdue input[name='outcome']", "Collecting on Saturday")
        .await;
    browser.click("#overdue button[id$='-done']").await;
    browser.wait_for("#done-notice").await;
    assert!(browser.text("#overdue").await.contains("Nothing overdue."));
    browser.assert_no_console_errors().await;

    // The pipeline: the bill and the new follow-up on the floor's board.
    look_at(
        &browser,
        "/pipeline",
        "pipeline-work-800x1280",
        TABLET_PORTRAIT,
    )
    .await;
    let board = browser.text(".pipeline-floor").await;
    assert!(
        board.contains("Rina Sinha") && board.contains("Payel Dey"),
        "{board}"
    );
    browser.resize(LANDSCAPE).await;
    look_at(&browser, "/pipeline", "pipeline-work-1280x800", LANDSCAPE).await;
    browser.close().await;
}
