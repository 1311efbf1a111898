//! A day's selling in a real browser at tablet size: a Floor Manager logs a walk-in
//! from the dashboard, builds a bill with old gold and a split payment without the page
//! ever reloading (rows added and taken out, tag numbers suggested, the bill worked out,
//! all in place), draws it up, completes it, prints the invoice, and finds both the
//! walk-in and the sale on the customer's timeline. The bill form (phone, tablet and
//! landscape), the sale and the invoice (A4 and 80 mm roll) are photographed for people
//! to look at.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::flows::{look_at, photograph, sign_in};
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::helpers::TestApp;
use sarkar_crm::domain::UserRole;

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
    let store = api
        .put(
            "/api/store",
            &json!({"gstin": "19AAACS1234F1ZP", "state_code": "19", "address": "12 Park Street, Kolkata 700016"}),
        )
        .await;
    assert_eq!(store.status(), StatusCode::OK);
    let rate = api
        .post(
            "/api/rates",
            &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_800_00}),
        )
        .await;
    assert_eq!(rate.status(), StatusCode::CREATED);
    // 5.000 g of 22K at ₹6,800 = ₹34,000; making 12% = ₹4,080; taxable ₹38,080;
    // CGST + SGST ₹571.20 each; total ₹39,222.40.
    let ring = api
        .post(
            "/api/products",
            &json!({
                "sku": "RG-2201", "name": "Lotus ring", "metal": "GOLD", "purity": "22K",
                "gross_weight_mg": 5_000, "stone_weight_mg": 0, "making_charge": {"percent_bp": 1200},
                "huid": "HU22R1", "stock_qty": 1, "floor_id": floor["id"],
            }),
        )
        .await;
    assert_eq!(ring.status(), StatusCode::CREATED);
    app.add_user(
        "ananya",
        UserRole::FloorManager,
        Some("Ground Floor — Gold"),
        None,
    )
    .await;
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

/// Marks the page once it has loaded; [`still_the_same_page`] then tells whether the
/// browser has loaded a new document since (a full reload would drop the mark).
async fn mark_the_page(browser: &Browser) -> Value {
    browser
        .execute(
            "window.__marker = 'bill-form'; return performance.getEntriesByType('navigation').length;",
            vec![],
        )
        .await
}

async fn still_the_same_page(browser: &Browser, navigations: &Value, step: &str) {
    let now = browser
        .execute(
            "return [window.__marker === 'bill-form', performance.getEntriesByType('navigation').length];",
            vec![],
        )
        .await;
    assert_eq!(
        now,
        json!([true, navigations]),
        "no full page load at {step}"
    );
}

/// Whether the element is wholly within the window as it is scrolled now.
async fn on_screen(browser: &Browser, css: &str) -> bool {
    browser
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;",
            vec![json!(css)],
        )
        .await
        == json!(true)
}

#[tokio::test]
async fn a_floor_manager_logs_a_walk_in_sells_with_old_gold_and_prints_the_invoice() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in(&browser, "ananya", "/").await;

    // The walk-in: a new face, kept as a prospect with just a name and a number.
    browser.click("#walk-in-button").await;
    browser
        .wait_for_usable("#walk-in-dialog #field-phone")
        .await;
    browser
        .fill("#walk-in-dialog #field-phone", "98311 22334")
        .await;
    browser
        .fill("#walk-in-dialog #field-name", "Anita Dey")
        .await;
    browser
        .fill(
            "#walk-in-dialog #field-notes",
            "Looking for a ring for her daughter",
        )
        .await;
    browser.click("#walk-in-submit").await;
    browser.wait_for("#done-notice").await;
    let customer_page = browser.current_path().await;
    assert!(customer_page.starts_with("/customers/"), "{customer_page}");
    assert!(browser.text("main h1").await.contains("Anita Dey"));

    // The bill: the ring, 2 g of old gold, the rest by UPI and cash.
    browser.click("a[href^='/sales/new?customer=']").await;
    browser.wait_for("#sale-form").await;
    assert_eq!(
        browser
            .execute(
                "return document.querySelector('#field-customer-phone').value;",
                vec![]
            )
            .await,
        json!("+91 98311 22334")
    );
    let navigations = mark_the_page(&browser).await;
    let found = browser.text("#customer-name").await;
    assert!(
        found.contains("Anita Dey") && found.contains("+91 98311 22334"),
        "{found}"
    );
    // Another number as it is typed: nobody has it, so the form offers to add them;
    // back to hers, and she is named again.
    browser.fill("#field-customer-phone", "98311 99999").await;
    browser.wait_for("#customer-missing a").await;
    browser.fill("#field-customer-phone", "98311 22334").await;
    browser.wait_for("#customer-name").await;
    assert!(browser.text("#customer-name").await.contains("Anita Dey"));
    still_the_same_page(&browser, &navigations, "typing the phone").await;

    // The tag number suggests the piece as it is typed, with its price today.
    browser.fill("#field-line-0-sku", "rg-22").await;
    browser.wait_for("#tags-0 option[value='RG-2201']").await;
    let offered = browser
        .execute(
            "return document.querySelector(\"#tags-0 option[value='RG-2201']\").textContent;",
            vec![],
        )
        .await;
    assert_eq!(
        offered,
        json!("RG-2201 · Lotus ring · 5.000 g · ₹39,222.40")
    );
    browser.fill("#field-line-0-sku", "RG-2201").await;

    // A piece row added by mistake and taken out again, in place; the focus follows.
    browser.click("button[value='add-line']").await;
    browser.wait_for("#field-line-1-sku:focus").await;
    still_the_same_page(&browser, &navigations, "adding a piece").await;
    browser.click("button[value='remove-line-1']").await;
    browser
        .wait_for("#sale-form:not(:has(#field-line-1-sku)) #add-line:focus")
        .await;
    still_the_same_page(&browser, &navigations, "taking a piece out").await;

    browser.click("button[value='add-payment']").await;
    browser.wait_for("#field-pay-1-method:focus").await;
    still_the_same_page(&browser, &navigations, "adding a payment").await;
    assert_eq!(
        browser
            .execute(
                "return document.querySelector('#field-line-0-sku').value;",
                vec![]
            )
            .await,
        json!("RG-2201"),
        "adding a row keeps what was typed"
    );
    // Old gold 2.000 g 22K less 2% = 1.960 g × ₹6,800 = ₹13,328. The total ₹39,222.40
    // rounds off by −₹0.40 to ₹39,222 payable, so ₹25,894 remains: ₹20,000 by UPI and
    // ₹5,900 in cash, ₹6 of it handed back as change.
    browser.fill("#field-gold-0-weight", "2").await;
    browser.fill("#field-gold-0-deduction", "2").await;
    choose(&browser, "#field-pay-0-method", "UPI").await;
    browser.fill("#field-pay-0-amount", "20000").await;
    browser
        .fill("#field-pay-0-reference", "UPI 4402 1188")
        .await;
    choose(&browser, "#field-pay-1-method", "CASH").await;
    browser.fill("#field-pay-1-amount", "5,900").await;
    browser.click("button[value='quote']").await;
    browser.wait_for("#quote").await;
    assert_eq!(browser.text("#quote #total").await, "₹39,222.40");
    assert_eq!(browser.text("#quote #round-off").await, "−₹0.40");
    assert_eq!(browser.text("#quote #payable").await, "₹39,222.00");
    assert_eq!(
        browser.text("#quote #change").await,
        "Cash tendered ₹5,900.00 · Change ₹6.00"
    );
    assert!(browser.text("#quote").await.contains("₹13,328.00"));
    assert_eq!(browser.text("#balance").await, "Paid in full.");
    still_the_same_page(&browser, &navigations, "working the bill out").await;
    // On the tablet the amount payable and "Draw up" are on screen together.
    assert_eq!(browser.text("#bar-payable").await, "₹39,222.00");
    assert!(
        on_screen(&browser, "#bar-payable").await,
        "the payable in view"
    );
    assert!(
        on_screen(&browser, "button[value='create']").await,
        "Draw up in view"
    );
    photograph(&browser, "sale-new-worked-out-800x1280", TABLET_PORTRAIT).await;
    browser.resize(PHONE).await;
    photograph(&browser, "sale-new-worked-out-360x740", PHONE).await;
    assert!(
        on_screen(&browser, "#bar-payable").await,
        "the payable in view on a phone"
    );
    browser.resize(LANDSCAPE).await;
    photograph(&browser, "sale-new-worked-out-1280x800", LANDSCAPE).await;
    // On a wide screen the worked-out bill sits beside the form, not under it.
    let beside = browser
        .execute(
            "return document.querySelector('#quote').getBoundingClientRect().left >= document.querySelector('.bill-entry').getBoundingClientRect().right;",
            vec![],
        )
        .await;
    assert_eq!(beside, json!(true), "the bill beside the form at 1280×800");
    browser.resize(TABLET_PORTRAIT).await;
    still_the_same_page(&browser, &navigations, "turning the tablet").await;
    browser.click("button[value='create']").await;
    browser.wait_for("#complete-sale").await;
    assert_eq!(browser.text("#sale-status").await, "Pending");

    // The customer would rather pay ₹1,000 less by UPI and ₹1,000 more in cash: the
    // drawn-up bill is corrected, worked out again in place, and keeps its history.
    browser.click("#correct-sale").await;
    browser.wait_for("#sale-form").await;
    assert_eq!(browser.text("main h1").await, "Correct the bill");
    let navigations = mark_the_page(&browser).await;
    browser.fill("#field-pay-0-amount", "19000").await;
    browser.fill("#field-pay-1-amount", "6,900").await;
    browser.click("button[value='quote']").await;
    browser.wait_for("#quote").await;
    assert_eq!(browser.text("#quote #payable").await, "₹39,222.00");
    assert_eq!(
        browser.text("#quote #change").await,
        "Cash tendered ₹6,900.00 · Change ₹6.00"
    );
    still_the_same_page(&browser, &navigations, "working the correction out").await;
    photograph(&browser, "sale-correct-800x1280", TABLET_PORTRAIT).await;
    browser.click("button[value='create']").await;
    browser.wait_for("#corrections").await;
    assert_eq!(browser.text("#sale-status").await, "Pending");
    assert!(
        browser
            .text("#done-notice")
            .await
            .contains("Bill corrected")
    );
    let history = browser.text("#corrections").await;
    assert!(
        history.contains("was ₹39,222.00, now ₹39,222.00"),
        "{history}"
    );
    browser.click("#complete-sale").await;
    browser.wait_for("#print-invoice").await;
    assert_eq!(browser.text("#sale-status").await, "Completed");
    photograph(&browser, "sale-completed-800x1280", TABLET_PORTRAIT).await;
    // Back goes to the page the bill had before it was completed (its corrected
    // notice); that page is fetched afresh, so it shows the sale as it is now.
    browser.client().back().await.expect("go back");
    browser.wait_for("#sale-status").await;
    assert!(
        browser.current_url().await.contains("done=corrected"),
        "{}",
        browser.current_url().await
    );
    assert_eq!(browser.text("#sale-status").await, "Completed");
    assert!(browser.exists("#print-invoice").await);

    // The invoice, printed: the print button calls the browser's print.
    browser.click("#print-invoice").await;
    browser.wait_for("#invoice").await;
    assert_eq!(browser.text("#invoice-total").await, "₹39,222.40");
    assert_eq!(browser.text("#invoice-round-off").await, "−₹0.40");
    assert_eq!(browser.text("#invoice-payable").await, "₹39,222.00");
    assert_eq!(browser.text("#invoice-cgst").await, "₹571.20");
    assert!(browser.text("#invoice-no").await.starts_with("SJ/"));
    assert_eq!(
        browser.text("#amount-in-words").await,
        "Rupees Thirty-Nine Thousand Two Hundred Twenty-Two Only"
    );
    browser
        .execute(
            "window.print = function () { window.sarkarPrinted = true; };",
            vec![],
        )
        .await;
    browser.click("#print").await;
    assert_eq!(
        browser
            .execute("return window.sarkarPrinted === true;", vec![])
            .await,
        json!(true)
    );
    browser.assert_no_console_errors().await;
    let invoice = browser.current_path().await;
    browser.resize(LANDSCAPE).await;
    photograph(&browser, "invoice-a4-1280x800", LANDSCAPE).await;
    browser.goto(&format!("{invoice}?paper=roll")).await;
    browser.wait_for("#invoice").await;
    photograph(&browser, "invoice-roll-1280x800", LANDSCAPE).await;
    browser.resize(TABLET_PORTRAIT).await;

    // The customer's timeline has both, and they are a customer now.
    browser.goto(&customer_page).await;
    browser.wait_for(".timeline-entry").await;
    let timeline = browser.text("main").await;
    assert!(
        timeline.contains("Looking for a ring for her daughter"),
        "{timeline}"
    );
    assert!(
        timeline.contains("Sale SJ/26-27/000001 · ₹39,222.00"),
        "{timeline}"
    );
    assert!(timeline.contains("Converted"), "{timeline}");
    browser.assert_no_console_errors().await;
    for (path, name) in [("/sales", "sales"), ("/sales/new", "sale-new")] {
        look_at(&browser, path, &format!("{name}-800x1280"), TABLET_PORTRAIT).await;
    }
    browser.resize(LANDSCAPE).await;
    for (path, name) in [("/sales", "sales"), ("/sales/new", "sale-new")] {
        look_at(&browser, path, &format!("{name}-1280x800"), LANDSCAPE).await;
    }
    browser.close().await;
}
