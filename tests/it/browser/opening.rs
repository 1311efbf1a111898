//! The owner's opening report in a real browser: opened on a laptop and on an upright
//! tablet, the date moved on a day with the picker's link on the laptop and picked in
//! the date field on the tablet, the Excel file downloaded with the browser's own
//! session; photographed on a phone, an upright tablet and a laptop, with no sideways
//! scrolling and no console errors.

use reqwest::StatusCode;
use sarkar_crm::web::paths;
use serde_json::json;

use super::flows::{look_at, sign_in};
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::TestApp;
use crate::sales::{fixed, shop};

#[tokio::test]
async fn the_owner_reads_the_opening_report_changes_the_day_and_downloads_excel() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000011", json!({})).await;
    let set = shop.product(fixed("SS-1", 1_000, 5)).await;
    // Two sets at ₹1,000 + GST ₹60 = ₹2,060, paid ₹2,100 in cash: ₹40 change.
    let bill = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": set, "quantity": 2}],
            "payments": [{"method": "CASH", "amount_paise": 2_100_00}]}),
        )
        .await;
    assert_eq!(shop.complete(&bill).await.status(), StatusCode::OK);
    let today = app.crm().today();

    let browser = Browser::open(&app, LANDSCAPE).await;
    sign_in(&browser, "owner", paths::REPORTS).await;
    browser.click("a[href='/reports/opening']").await;
    browser.wait_for("#comparison").await;
    let yesterday = today.yesterday().expect("yesterday").to_string();
    let shown = browser
        .execute(
            "return document.getElementById('report-date').value;",
            vec![],
        )
        .await;
    assert_eq!(shown, json!(yesterday), "yesterday's report by default");

    // The day after yesterday is today, with today's bill.
    browser.click("#next-day").await;
    browser.wait_for("#day-book-cash").await;
    let query = browser.current_url().await;
    assert!(query.ends_with(&format!("date={today}")), "{query}");
    assert_eq!(browser.text("#day-book-cash").await, "₹2,060.00");
    assert!(!browser.exists("#next-day").await, "no day after today");

    let page = format!("/reports/opening?date={today}");
    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let name = format!("opening-report-{}x{}", viewport.width, viewport.height);
        look_at(&browser, &page, &name, viewport).await;
    }

    // On the upright tablet the owner picks a day in the date field and shows it.
    browser.resize(TABLET_PORTRAIT).await;
    browser.goto(&page).await;
    browser.wait_for("#report-date").await;
    browser
        .execute(
            "const field = document.getElementById('report-date'); field.value = arguments[0]; field.form.requestSubmit();",
            vec![json!(yesterday)],
        )
        .await;
    browser
        .poll("the report of the day picked", async || {
            let url = browser.current_url().await;
            url.ends_with(&format!("date={yesterday}")).then_some(())
        })
        .await;
    browser.wait_for("#day-book-cash").await;
    assert_eq!(
        browser.text("#day-book-cash").await,
        "₹0.00",
        "yesterday had no bill"
    );

    // The Excel link, fetched with the browser's session, is a workbook.
    let href = browser
        .execute(
            "return document.getElementById('opening-xlsx').getAttribute('href');",
            vec![],
        )
        .await;
    let href = href.as_str().expect("the Excel link").to_owned();
    assert_eq!(href, format!("/reports/opening.xlsx?date={yesterday}"));
    let cookies = browser.client().get_all_cookies().await.expect("cookies");
    let cookie = cookies
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let download = reqwest::Client::new()
        .get(app.url(&href))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .expect("download");
    assert_eq!(download.status(), StatusCode::OK);
    assert!(
        download.headers()[reqwest::header::CONTENT_DISPOSITION]
            .to_str()
            .expect("header")
            .contains(&format!("opening-report-{yesterday}.xlsx"))
    );
    let bytes = download.bytes().await.expect("body");
    assert!(bytes.starts_with(b"PK"), "an xlsx file is a zip");
    browser.close().await;
}
