//! The accountant's GST summary in a real browser: reached from the Reports index,
//! this month's bill in the register and the month moved back with the picker's link;
//! the index and the summary photographed on a phone, an upright tablet and a laptop,
//! with no sideways scrolling and no console errors.

use reqwest::StatusCode;
use sarkar_crm::web::paths;
use serde_json::json;

use super::flows::{look_at, sign_in};
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::TestApp;
use crate::sales::{fixed, shop};

#[tokio::test]
async fn the_owner_finds_the_months_gst_summary_from_the_reports_index() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000012", json!({})).await;
    let set = shop.product(fixed("SS-2", 1_000, 5)).await;
    let bill = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": set, "quantity": 1}],
            "payments": [{"method": "UPI", "amount_paise": 1_030_00}]}),
        )
        .await;
    let completed = shop.complete(&bill).await;
    assert_eq!(completed.status(), StatusCode::OK);
    let completed: serde_json::Value = completed.json().await.expect("the bill");
    let invoice = completed["invoice_no"]
        .as_str()
        .expect("an invoice number")
        .to_owned();
    let month = app.crm().today().strftime("%Y-%m").to_string();

    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "owner", paths::REPORTS).await;
    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let name = format!("reports-index-{}x{}", viewport.width, viewport.height);
        look_at(&browser, paths::REPORTS, &name, viewport).await;
    }

    browser.resize(TABLET_PORTRAIT).await;
    browser.click("a[href='/reports/gst']").await;
    browser.wait_for("#gst-month").await;
    let page = format!("/reports/gst?month={month}");
    browser.goto(&page).await;
    browser.wait_for("#register").await;
    let register = browser.text("#register").await;
    assert!(register.contains(&invoice), "{register}");
    assert!(register.contains("₹1,030.00"), "{register}");
    assert!(
        !browser.exists("#next-month").await,
        "no month after the one today is in"
    );

    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let name = format!("gst-report-{}x{}", viewport.width, viewport.height);
        look_at(&browser, &page, &name, viewport).await;
    }

    // The month before holds no bill of this store.
    browser.click("#previous-month").await;
    browser
        .poll("the month before, with no invoices", async || {
            let register = browser.text("#register").await;
            register
                .contains("No invoices in this month.")
                .then_some(())
        })
        .await;
    browser.close().await;
}
