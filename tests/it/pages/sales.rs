//! Sales pages over HTTP: a bill typed at the counter (phone, tag numbers, rupees,
//! grams) worked out, drawn up, completed and printed, the invoice matching the
//! hand-worked figures to the paisa; mistakes answered on the right row with nothing
//! stored; returns and cancellations from the sale's page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{PageClient, location};
use crate::helpers::TestApp;
use crate::sales::shop;

/// A 22K necklace with stones (the API test's first bill), a customer in West Bengal
/// and the store's GSTIN; returns the sign-in page client.
async fn counter(app: &TestApp) -> PageClient {
    let shop = shop(app).await;
    let store = shop
        .api
        .put(
            "/api/store",
            &json!({"gstin": "19AAACS1234F1ZP", "state_code": "19", "address": "12 Park Street, Kolkata 700016"}),
        )
        .await;
    assert_eq!(store.status(), StatusCode::OK);
    shop.product(json!({
        "sku": "NK-1", "name": "Temple necklace", "metal": "GOLD", "purity": "22K",
        "gross_weight_mg": 25_000, "stone_weight_mg": 1_200, "making_charge": {"per_gram_paise": 520_00},
        "stone_value_paise": 8_500_00, "huid": "AB12C3", "stock_qty": 2,
    }))
    .await;
    shop.customer(
        "9831000001",
        json!({"name": "Rina Sinha", "address": {"state": "West Bengal"}}),
    )
    .await;
    PageClient::sign_in(app, "owner").await
}

/// The first floor the admin's floor choice offers (after "Choose a floor").
fn floor_of(html: &str) -> String {
    let select = &html[html
        .find(r#"name="floor_id""#)
        .expect("the admin chooses the floor")..];
    let option = select
        .split(r#"<option value=""#)
        .nth(2)
        .expect("a floor to choose");
    option[..option.find('"').expect("quote")].to_owned()
}

#[tokio::test]
async fn a_bill_typed_at_the_counter_becomes_an_invoice_that_matches_the_hand_worked_totals() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (status, form) = pages.get("/sales/new?sku=nk-1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"value="nk-1""#), "the piece is filled in");
    let floor = floor_of(&form);
    let bill = [
        ("customer_phone", "98310 00001"),
        ("floor_id", floor.as_str()),
        ("line-0-sku", "nk-1"),
        ("line-0-qty", "1"),
        ("line-0-discount", "1,000"),
        ("bill_discount", "500"),
        ("pay-0-method", "CARD"),
        // The total ₹1,86,652.48 rounds off by −₹0.48: the card pays ₹1,86,652.
        ("pay-0-amount", "1,86,652"),
        ("pay-0-reference", "slip 4411"),
        ("gold-0-weight", ""),
        ("notes", "Wedding set"),
    ];

    // Worked out first: the hand-worked figures (see tests/it/sales.rs), nothing stored.
    let before = app.changes().len();
    let mut quote = bill.to_vec();
    quote.push(("action", "quote"));
    let response = pages.post_form("/sales/new", &quote).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    for figure in [
        "₹1,61,840.00",
        "₹12,376.00",
        "₹1,81,216.00",
        "₹2,718.24",
        "₹1,86,652.48",
        r#"id="round-off">−₹0.48<"#,
        r#"id="payable">₹1,86,652.00<"#,
    ] {
        assert!(html.contains(figure), "{figure} in the worked-out bill");
    }
    assert!(html.contains("Paid in full."));
    assert_eq!(
        app.changes().len(),
        before,
        "working a bill out stores nothing"
    );

    let mut create = bill.to_vec();
    create.push(("action", "create"));
    let response = pages.post_form("/sales/new", &create).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let sale_page = location(&response);
    assert!(sale_page.ends_with("?done=created"), "{sale_page}");
    let base = sale_page.trim_end_matches("?done=created").to_owned();
    let (_, html) = pages.get(&sale_page).await;
    assert!(html.contains("Bill drawn up") && html.contains("Pending"));

    let response = pages.post_form(&format!("{base}/complete"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = pages.get(&location(&response)).await;
    assert!(html.contains("Sale completed") && html.contains(r#"id="print-invoice""#));

    let (status, invoice) = pages.get(&format!("{base}/invoice")).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "Tax invoice",
        r#"id="store-gstin">19AAACS1234F1ZP<"#,
        "12 Park Street, Kolkata 700016",
        r#"id="invoice-no">SJ/"#,
        ">7113<",
        "HUID AB12C3",
        "Rina Sinha",
        "25.000 g",
        "23.800 g",
        "₹6,800.00",
        "₹520.00/g",
        "₹8,500.00",
        r#"id="invoice-cgst">₹2,718.24<"#,
        r#"id="invoice-sgst">₹2,718.24<"#,
        r#"id="invoice-total">₹1,86,652.48<"#,
        r#"id="invoice-round-off">−₹0.48<"#,
        r#"id="invoice-payable">₹1,86,652.00<"#,
        "Amount payable",
        "Rupees One Lakh Eighty-Six Thousand Six Hundred Fifty-Two Only",
        "West Bengal (19)",
        "slip 4411",
    ] {
        assert!(invoice.contains(expected), "the invoice shows {expected}");
    }
    assert!(!invoice.contains("IGST"));
    let (status, roll) = pages.get(&format!("{base}/invoice?paper=roll")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(roll.contains("invoice-roll.") && roll.contains("₹1,86,652.48"));
    assert!(
        roll.contains(r#"id="invoice-round-off">−₹0.48<"#)
            && roll.contains(r#"id="invoice-payable">₹1,86,652.00<"#),
        "the roll shows the round-off and the amount payable"
    );
}

#[tokio::test]
async fn mistakes_land_on_their_rows_keep_what_was_typed_and_store_nothing() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (_, form) = pages.get("/sales/new").await;
    let floor = floor_of(&form);
    let before = app.changes().len();
    let response = pages
        .post_form(
            "/sales/new",
            &[
                ("customer_phone", "98310 00009"),
                ("floor_id", floor.as_str()),
                ("line-0-sku", "NK-1"),
                ("line-1-sku", "NOPE-1"),
                ("line-1-qty", "two"),
                ("pay-0-method", "CASH"),
                ("pay-0-amount", "lots"),
                ("gold-0-weight", "10.5"),
                ("gold-0-purity", "22K"),
                ("gold-0-deduction", "2"),
                ("action", "create"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    for field in [
        "error-line-1-qty",
        "error-pay-0-amount",
        "error-customer-phone",
        "error-line-1-sku",
    ] {
        assert!(
            html.contains(&format!(r#"id="{field}""#)),
            "{field} is marked"
        );
    }
    assert!(html.contains("No customer has the phone 98310 00009"));
    assert!(html.contains(r#"value="NOPE-1""#) && html.contains(r#"value="10.5""#));
    assert_eq!(app.changes().len(), before, "nothing stored");

    // Adding a row keeps everything typed and offers one more.
    let response = pages
        .post_form(
            "/sales/new",
            &[
                ("customer_phone", "9831000001"),
                ("line-0-sku", "NK-1"),
                ("action", "add-line"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains(r#"name="line-1-sku""#) && html.contains(r#"value="NK-1""#));
    assert_eq!(app.changes().len(), before);
}

#[tokio::test]
async fn old_gold_and_split_payments_complete_and_a_piece_comes_back() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (_, form) = pages.get("/sales/new").await;
    let floor = floor_of(&form);
    // 10.000 g of 22K old gold less 2% = 9.800 g × ₹6,800 = ₹66,640.
    let mut bill = vec![
        ("customer_phone", "9831000001"),
        ("floor_id", floor.as_str()),
        ("line-0-sku", "NK-1"),
        ("line-0-discount", "1000"),
        ("bill_discount", "500"),
        ("pay-0-method", "UPI"),
        ("pay-0-amount", "1,00,000"),
        ("pay-1-method", "CASH"),
        ("pay-1-amount", "20,012.48"),
        ("gold-0-weight", "10"),
        ("gold-0-purity", "22K"),
        ("gold-0-deduction", "2"),
    ];
    bill.push(("action", "create"));
    let response = pages.post_form("/sales/new", &bill).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let base = location(&response)
        .trim_end_matches("?done=created")
        .to_owned();
    let (_, html) = pages.get(&base).await;
    assert!(
        html.contains("₹66,640.00") && html.contains("Paid in full."),
        "old gold valued"
    );

    let response = pages.post_form(&format!("{base}/complete"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let id = base.trim_start_matches("/sales/");
    let api = app.admin().await;
    let sale: Value = api.get_json(&format!("/api/sales/{id}")).await;
    assert_eq!(sale["status"], "COMPLETED");
    assert_eq!(sale["payments"].as_array().map(Vec::len), Some(3));

    // A return with no reason is refused on the form; with one, the piece is back.
    let response = pages
        .post_form(
            &format!("{base}/refund"),
            &[("return-0", "1"), ("reason", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains(r#"id="error-reason""#)
    );
    let response = pages
        .post_form(
            &format!("{base}/refund"),
            &[("return-0", "1"), ("reason", "Size does not fit")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let sale: Value = api.get_json(&format!("/api/sales/{id}")).await;
    assert_eq!(sale["status"], "REFUNDED");
    let (_, register) = pages.get("/sales").await;
    assert!(register.contains("Rina Sinha") && register.contains("Refunded"));
}

#[tokio::test]
async fn a_pending_bill_has_no_invoice_and_can_be_cancelled() {
    let app = TestApp::spawn().await;
    let pages = counter(&app).await;
    let (_, form) = pages.get("/sales/new").await;
    let floor = floor_of(&form);
    let response = pages
        .post_form(
            "/sales/new",
            &[
                ("customer_phone", "9831000001"),
                ("floor_id", floor.as_str()),
                ("line-0-sku", "NK-1"),
                ("action", "create"),
            ],
        )
        .await;
    let base = location(&response)
        .trim_end_matches("?done=created")
        .to_owned();
    // Completing a bill that is not paid yet says so and changes nothing.
    let before = app.changes().len();
    let response = pages.post_form(&format!("{base}/complete"), &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("payments add up to ₹0.00")
    );
    assert_eq!(app.changes().len(), before);
    let (status, _) = pages.get(&format!("{base}/invoice")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // The cancel dialog's buttons say what each does: neither is a bare "Cancel".
    let (_, sale_page) = pages.get(&base).await;
    assert!(
        sale_page.contains(">Keep the bill<") && sale_page.contains(">Cancel the bill<"),
        "the cancel dialog's buttons"
    );
    assert!(!sale_page.contains(">Cancel<"));
    let response = pages.post_form(&format!("{base}/cancel"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = pages.get(&location(&response)).await;
    assert!(html.contains("Bill cancelled") && html.contains("Cancelled"));
}
