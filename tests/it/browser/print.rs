//! The invoice on paper: Chromium prints the A4 page and the 80 mm roll to PDF the way its
//! print dialog does, taking the paper from the page's own `@page` rule, and poppler's
//! `pdfinfo` reads back the page size. The WebDriver print command cannot show this (it
//! always prints on the paper it is given), so the page is printed through the DevTools
//! protocol of the signed-in browser.

use std::process::Command;

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::flows::sign_in;
use super::{Browser, LANDSCAPE, must};
use crate::helpers::{Client, TestApp, expect_json};

/// A4 is 210 × 297 mm, 595.28 × 841.89 pt.
const A4: (f64, f64) = (595.28, 841.89);
/// 80 mm in points (72 to the inch).
const ROLL_WIDTH: f64 = 80.0 * 72.0 / 25.4;
/// Chromium rounds page sizes to whole device pixels, a fraction of a point.
const TOLERANCE: f64 = 1.0;

/// `POST /session/{id}/goog/cdp/execute`: chromedriver passes a DevTools command to the page.
#[derive(Debug)]
struct DevTools {
    body: String,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

impl Browser {
    /// The current page printed to PDF on the paper its `@page` rule asks for, as Chromium's
    /// print dialog does, with no header or footer. Waits for the page's fonts first.
    async fn print_on_its_own_paper(&self) -> Vec<u8> {
        must(
            self.client
                .execute_async(
                    "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));",
                    vec![],
                )
                .await,
            "wait for the page's fonts",
        );
        let command = DevTools {
            body: json!({
                "cmd": "Page.printToPDF",
                "params": {"preferCSSPageSize": true, "displayHeaderFooter": false, "printBackground": true},
            })
            .to_string(),
        };
        let answer = must(self.client.issue_cmd(command).await, "print to PDF");
        let data = answer["data"]
            .as_str()
            .unwrap_or_else(|| panic!("no PDF in the answer: {answer}"));
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap_or_else(|e| panic!("the PDF is not base64: {e}"))
    }
}

/// The number of pages and the first page's size in points, as `pdfinfo` reads them.
fn pages_and_size(pdf: &[u8]) -> (u32, (f64, f64)) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("printed.pdf");
    std::fs::write(&path, pdf).expect("pdf written");
    let output = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run pdfinfo ({e}); install it with: apt-get install -y poppler-utils")
        });
    assert!(output.status.success(), "pdfinfo could not read the PDF");
    let info = String::from_utf8_lossy(&output.stdout).into_owned();
    let field = |name: &str| {
        info.lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no `{name}` in {info}"))
    };
    let pages = field("Pages:").parse().expect("a page count");
    // "Page size:       226.8 x 841.92 pts (A4)"
    let mut size = field("Page size:")
        .split_whitespace()
        .filter_map(|word| word.parse::<f64>().ok());
    let width = size.next().expect("a page width");
    let height = size.next().expect("a page height");
    (pages, (width, height))
}

fn close_to(got: f64, want: f64) -> bool {
    (got - want).abs() <= TOLERANCE
}

/// A completed two-piece sale in a registered store, as the API answers it; two more of
/// each piece stay in stock for bills drawn up in the browser.
pub(super) async fn completed_sale(admin: &Client) -> Value {
    let store = json!({"gstin": "19AAACS1234F1ZP", "state_code": "19", "address": "12 Park Street, Kolkata 700016"});
    expect_json(admin.put("/api/store", &store).await, StatusCode::OK).await;
    let floor = crate::helpers::floor(admin, "Ground Floor — Gold", 0).await;
    let rate = json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_800_00});
    admin.create("/api/rates", &rate).await;
    let mut lines = Vec::new();
    for (sku, name, huid) in [
        ("RG-2201", "Lotus ring", "HU22R1"),
        ("BG-1104", "Kolkata filigree bangle", "HU22B4"),
    ] {
        let product = admin
            .create(
                "/api/products",
                &json!({
                    "sku": sku, "name": name, "metal": "GOLD", "purity": "22K", "floor_id": floor,
                    "gross_weight_mg": 5_000, "stone_weight_mg": 0, "making_charge": {"percent_bp": 1200},
                    "huid": huid, "stock_qty": 3,
                }),
            )
            .await;
        lines.push(json!({"product_id": product["id"]}));
    }
    let customer = admin
        .create(
            "/api/customers",
            &json!({"name": "Anita Dey", "phone": "98311 22334"}),
        )
        .await;
    // Each piece: 5.000 g × ₹6,800 + 12% making = ₹38,080 taxable, ₹39,222.40 with GST;
    // the bill ₹78,444.80, ₹78,445 payable, paid by card.
    let sale = admin
        .create(
            "/api/sales",
            &json!({
                "customer_id": customer["id"], "floor_id": floor, "lines": lines,
                "payments": [{"method": "CARD", "amount_paise": 78_445_00, "reference": "slip 2207"}],
            }),
        )
        .await;
    let id = sale["id"].as_str().expect("sale id").to_owned();
    let done = admin
        .post(&format!("/api/sales/{id}/complete"), &json!({}))
        .await;
    let done: Value = expect_json(done, StatusCode::OK).await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    done
}

#[tokio::test]
async fn the_a4_invoice_prints_on_a4_and_the_roll_on_an_80_mm_roll() {
    let app = TestApp::spawn().await;
    let sale = completed_sale(&app.admin().await).await;
    let invoice = format!("/sales/{}/invoice", sale["id"].as_str().expect("sale id"));
    let browser = Browser::open(&app, LANDSCAPE).await;
    sign_in(&browser, "owner", "/").await;

    browser.goto(&invoice).await;
    browser.wait_for("#invoice").await;
    let (pages, (width, height)) = pages_and_size(&browser.print_on_its_own_paper().await);
    assert!(
        close_to(width, A4.0) && close_to(height, A4.1),
        "the A4 invoice prints on {width} × {height} pt, not A4"
    );
    assert_eq!(pages, 1, "a two-piece bill fits one A4 page");

    browser.goto(&format!("{invoice}?paper=roll")).await;
    browser.wait_for("#invoice").await;
    let (pages, (width, height)) = pages_and_size(&browser.print_on_its_own_paper().await);
    assert!(
        close_to(width, ROLL_WIDTH),
        "the roll prints {width} pt wide, not 80 mm ({ROLL_WIDTH:.1} pt)"
    );
    assert_eq!(pages, 1, "the slip is one piece of roll, {height} pt long");
    let slip = browser
        .execute(
            "return document.querySelector('#invoice').getBoundingClientRect().height * 72 / 96;",
            vec![],
        )
        .await
        .as_f64()
        .expect("the slip's height");
    assert!(
        height >= slip - TOLERANCE && height <= slip + 72.0 / 25.4 + TOLERANCE,
        "the roll is cut at the slip's end: the page is {height} pt long, the slip {slip:.1} pt"
    );
    browser.assert_no_console_errors().await;
    browser.close().await;
}
