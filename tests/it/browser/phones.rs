//! The counter's pages on a phone held upright (360×740), beside an upright tablet and a
//! tablet on its side: the bill form worked out, the sales register, a customer who has
//! bought, the dashboard, a sale and its invoice. Each must fit the screen's width (a
//! table scrolls inside its own box, never the page), keep every figure and invoice
//! number on one line, and offer no tap target smaller than 44 px. The store has a wide
//! logo, which the header and the invoices must make room for. All are photographed for
//! people to look at.

use serde_json::{Value, json};

use super::flows::{look_at, photograph, sign_in};
use super::print::completed_sale;
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT, Viewport};
use crate::files::{logo_png, upload};
use crate::helpers::{TestApp, expect_json};
use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;

/// Figures, invoice numbers and codes in tables and totals that wrapped onto a second line
/// (a cell's text taller than one line of it), as "selector: text".
const BROKEN_FIGURES: &str = r##"
const figures = document.querySelectorAll(
  "main td.num, main th.num, main .nowrap, main dl.totals dd, main .badge, main .rate, #invoice td.num");
const broken = [];
for (const el of figures) {
  if (!el.offsetParent || !el.textContent.trim()) continue;
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  const text = el.textContent.trim();
  if (lines.size > 1 && !el.querySelector("br")) broken.push(el.tagName + "." + el.className + ": " + text);
}
return broken;
"##;

/// Links, buttons and fields a finger cannot hit: shown, and less than 44 px tall or wide.
/// Text links inside a sentence or a table cell are read, not aimed at, and are left out.
const SMALL_TARGETS: &str = r##"
const targets = document.querySelectorAll(
  "header a, header button, nav a, main .button, main button, main input:not([type=checkbox]):not([type=radio]):not([type=hidden]), main select, .pagination a");
const small = [];
for (const el of targets) {
  if (!el.offsetParent) continue;
  const box = el.getBoundingClientRect();
  if (box.height < 44 || box.width < 44) small.push(el.tagName + "#" + el.id + "." + el.className + " " + Math.round(box.width) + "×" + Math.round(box.height) + ": " + el.textContent.trim().slice(0, 40));
}
return small;
"##;

/// The header's logo: whether it loaded, and whether the header's contents fit its width
/// (a wide logo must not push the search box or the menu off a phone's screen).
const HEADER_LOGO: &str = r##"
const logo = document.querySelector("#brand-logo");
const bar = document.querySelector("header.topbar");
return {
  loaded: !!logo && logo.complete && logo.naturalWidth > 0,
  fits: bar.scrollWidth <= bar.clientWidth,
  height: logo ? Math.round(logo.getBoundingClientRect().height) : 0,
};
"##;

/// Checks the page now shown at `viewport`: no figure broken across lines, and (on a
/// phone) no tap target too small to hit.
pub(super) async fn check_fit(browser: &Browser, what: &str, viewport: Viewport) {
    let broken = browser.execute(BROKEN_FIGURES, vec![]).await;
    assert_eq!(
        broken,
        json!([]),
        "{what} at {}×{}: figures broken across lines",
        viewport.width,
        viewport.height
    );
    if viewport == PHONE {
        let small = browser.execute(SMALL_TARGETS, vec![]).await;
        assert_eq!(small, json!([]), "{what} on a phone: targets under 44 px");
    }
}

/// Draws up the bill for one lotus ring, paid in cash, and works it out (no sale yet).
async fn work_out_a_bill(browser: &Browser, customer: &str) {
    browser
        .goto(&format!("/sales/new?customer={customer}"))
        .await;
    browser.wait_for("#sale-form").await;
    browser.fill("#field-line-0-sku", "RG-2201").await;
    browser
        .execute(
            "const s = document.querySelector('#field-pay-0-method'); s.value = 'CASH'; s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await;
    browser.fill("#field-pay-0-amount", "39,300").await;
    browser.click("button[value='quote']").await;
    browser.wait_for("#quote #payable").await;
}

#[tokio::test]
async fn the_counter_pages_fit_a_phone_a_tablet_and_a_laptop() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let sale: Value = completed_sale(&admin).await;
    let logo = upload(&admin, "/api/store/logo", "logo.png", logo_png(), &[]).await;
    expect_json(logo, StatusCode::CREATED).await;
    let sale_id = sale["id"].as_str().expect("sale id");
    let customer = sale["customer_id"].as_str().expect("customer id");
    app.add_user(
        "ananya",
        UserRole::FloorManager,
        Some("Ground Floor — Gold"),
        None,
    )
    .await;
    let pages = [
        ("/".to_owned(), "dashboard-counter"),
        ("/sales".to_owned(), "sales"),
        (format!("/customers/{customer}"), "customer-who-bought"),
        (format!("/sales/{sale_id}"), "sale-completed"),
    ];
    let browser = Browser::open(&app, PHONE).await;
    sign_in(&browser, "ananya", "/").await;
    for viewport in [PHONE, TABLET_PORTRAIT, LANDSCAPE] {
        browser.resize(viewport).await;
        let size = format!("{}x{}", viewport.width, viewport.height);
        for (path, name) in &pages {
            look_at(&browser, path, &format!("{name}-{size}"), viewport).await;
            check_fit(&browser, path, viewport).await;
            assert_eq!(
                browser.execute(HEADER_LOGO, vec![]).await,
                json!({"loaded": true, "fits": true, "height": 36}),
                "{path}'s header with the logo at {size}"
            );
        }

        work_out_a_bill(&browser, customer).await;
        assert!(
            !browser.has_horizontal_scroll().await,
            "the worked-out bill scrolls sideways at {size}"
        );
        check_fit(&browser, "the worked-out bill", viewport).await;
        browser.assert_no_console_errors().await;
        photograph(&browser, &format!("sale-new-worked-out-{size}"), viewport).await;

        for (query, name) in [("", "invoice-a4"), ("?paper=roll", "invoice-roll")] {
            browser
                .goto(&format!("/sales/{sale_id}/invoice{query}"))
                .await;
            browser.wait_for("#invoice").await;
            assert!(
                !browser.has_horizontal_scroll().await,
                "the {name} scrolls sideways at {size}"
            );
            check_fit(&browser, name, viewport).await;
            photograph(&browser, &format!("{name}-{size}"), viewport).await;
        }
        browser.assert_no_console_errors().await;
    }
    browser.close().await;
}
