//! Amounts beyond belief are refused, not stored: a line of 4,294,967,295 pieces, a
//! discount or payment past ₹1,000 crore and a bill reaching it answer 422 naming the
//! field, on drawing up, quoting, correcting and the counter's form, with nothing
//! stored; the pipeline still adds up the largest bills a counter can draw up.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_field_problem, expect_json};
use crate::pages::PageClient;
use crate::sales::{Shop, fixed, shop};

/// ₹900 crore: a piece so dear that one is a believable bill and two are not.
const DEAREST_RUPEES: i64 = 900 * 1_00_00_000;

struct Counter {
    shop: Shop,
    customer: String,
}

async fn counter(app: &TestApp) -> Counter {
    let shop = shop(app).await;
    shop.product(fixed("CROWN-1", DEAREST_RUPEES, 5)).await;
    shop.product(fixed("COIN-1", 90_00_000, 5_000)).await;
    let customer = shop
        .customer("9831000001", json!({"pan": "ABCPK1234F"}))
        .await;
    Counter { shop, customer }
}

impl Counter {
    fn bill(&self, lines: Value, extra: Value) -> Value {
        let mut body =
            json!({"customer_id": self.customer, "floor_id": self.shop.floor, "lines": lines});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body
    }

    /// Sends `body` to drawing up and to quoting; both refuse it on `field`.
    async fn refused(&self, body: &Value, field: &str) -> Value {
        let quoted = self.shop.api.post("/api/sales/quote", body).await;
        expect_field_problem(quoted, StatusCode::UNPROCESSABLE_ENTITY, field).await;
        let drawn = self.shop.api.post("/api/sales", body).await;
        expect_field_problem(drawn, StatusCode::UNPROCESSABLE_ENTITY, field).await
    }
}

#[tokio::test]
async fn quantities_and_amounts_beyond_belief_are_refused_with_nothing_stored() {
    let app = TestApp::spawn().await;
    let counter = counter(&app).await;
    let before = app.changes().len();
    let coin = |extra: Value| {
        let mut line = json!({"sku": "COIN-1"});
        if let (Some(line), Some(extra)) = (line.as_object_mut(), extra.as_object()) {
            line.extend(extra.clone());
        }
        json!([line])
    };

    let most = counter.bill(coin(json!({"quantity": u32::MAX})), json!({}));
    let problem = counter.refused(&most, "lines[0].quantity").await;
    assert!(
        problem["errors"]["lines[0].quantity"]
            .to_string()
            .contains("1000"),
        "{problem}"
    );
    let over = counter.bill(coin(json!({"quantity": 1_001})), json!({}));
    counter.refused(&over, "lines[0].quantity").await;

    let discount = counter.bill(coin(json!({"discount_paise": i64::MAX})), json!({}));
    let problem = counter.refused(&discount, "lines[0].discount_paise").await;
    assert!(
        problem["errors"]["lines[0].discount_paise"]
            .to_string()
            .contains("too large"),
        "{problem}"
    );
    let bill_discount = counter.bill(coin(json!({})), json!({"bill_discount_paise": i64::MAX}));
    counter.refused(&bill_discount, "bill_discount_paise").await;

    let huge_payment = json!([{"method": "CASH", "amount_paise": i64::MAX}]);
    let payment = counter.bill(coin(json!({})), json!({"payments": huge_payment}));
    let problem = counter.refused(&payment, "payments[0]").await;
    assert!(
        problem["errors"]["payments[0]"]
            .to_string()
            .contains("too large"),
        "{problem}"
    );
    let nine_hundred_crore = DEAREST_RUPEES * 100;
    let many = json!([
        {"method": "UPI", "amount_paise": nine_hundred_crore},
        {"method": "CARD", "amount_paise": nine_hundred_crore},
    ]);
    let payments = counter.bill(coin(json!({})), json!({"payments": many}));
    counter.refused(&payments, "payments").await;

    let two_crowns = counter.bill(json!([{"sku": "CROWN-1", "quantity": 2}]), json!({}));
    counter.refused(&two_crowns, "lines[0]").await;
    let crown_and_coins = counter.bill(
        json!([{"sku": "CROWN-1"}, {"sku": "COIN-1", "quantity": 1_000}]),
        json!({}),
    );
    counter.refused(&crown_and_coins, "lines").await;

    assert_eq!(app.changes().len(), before, "nothing was stored");
}

#[tokio::test]
async fn a_correction_beyond_belief_is_refused_and_the_bill_kept() {
    let app = TestApp::spawn().await;
    let counter = counter(&app).await;
    let sale = counter
        .shop
        .sale(counter.bill(json!([{"sku": "COIN-1"}]), json!({})))
        .await;
    let id = sale["id"].as_str().expect("id");
    let before = app.changes().len();
    let corrected = counter
        .shop
        .api
        .put(
            &format!("/api/sales/{id}"),
            &counter.bill(json!([{"sku": "COIN-1", "quantity": u32::MAX}]), json!({})),
        )
        .await;
    expect_field_problem(
        corrected,
        StatusCode::UNPROCESSABLE_ENTITY,
        "lines[0].quantity",
    )
    .await;
    assert_eq!(app.changes().len(), before, "nothing was stored");
    let kept = counter.shop.api.get_json(&format!("/api/sales/{id}")).await;
    assert_eq!(kept["lines"][0]["quantity"], 1);
    assert_eq!(kept["total"], sale["total"]);
}

#[tokio::test]
async fn the_counter_form_refuses_a_quantity_beyond_belief() {
    let app = TestApp::spawn().await;
    let counter = counter(&app).await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let before = app.changes().len();
    let floor = counter.shop.floor.as_str();
    let most = u32::MAX.to_string();
    for (qty, discount) in [(most.as_str(), "0"), ("1", "99,99,99,99,999")] {
        let response = pages
            .post_form(
                "/sales/new",
                &[
                    ("customer_phone", "98310 00001"),
                    ("floor_id", floor),
                    ("line-0-sku", "COIN-1"),
                    ("line-0-qty", qty),
                    ("line-0-discount", discount),
                    ("action", "create"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.expect("html");
        let field = if qty == "1" {
            "error-line-0-discount"
        } else {
            "error-line-0-qty"
        };
        assert!(html.contains(field), "{field} in {html}");
    }
    assert_eq!(app.changes().len(), before, "nothing was stored");
}

#[tokio::test]
async fn the_pipeline_adds_up_the_largest_believable_bills() {
    let app = TestApp::spawn().await;
    let counter = counter(&app).await;
    let crown = counter
        .shop
        .sale(counter.bill(json!([{"sku": "CROWN-1"}]), json!({})))
        .await;
    let coins = counter
        .shop
        .sale(counter.bill(json!([{"sku": "COIN-1", "quantity": 1_000}]), json!({})))
        .await;
    let pipeline = expect_json(counter.shop.api.get("/api/pipeline").await, StatusCode::OK).await;
    let bills = crown["payable_paise"].as_i64().expect("payable")
        + coins["payable_paise"].as_i64().expect("payable");
    assert!(
        pipeline.to_string().contains(&bills.to_string()),
        "the awaiting-payment stage adds up both bills, {bills}: {pipeline}"
    );
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, _) = pages.get("/pipeline").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_api_document_gives_the_quantity_its_bounds() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    let quantity = &doc["components"]["schemas"]["SaleLineInput"]["properties"]["quantity"];
    assert_eq!(quantity["minimum"], 1, "{quantity}");
    assert_eq!(quantity["maximum"], 1000, "{quantity}");
}
