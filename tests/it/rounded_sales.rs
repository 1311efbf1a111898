//! Sales paid to the rupee over the API: the amount payable rounded off under the
//! store's setting, cash above it recorded as change, only cash allowed to be more than
//! is due, the s.269ST limit counting the cash kept, and a full refund paying back
//! exactly what was kept.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{STORE_GSTIN, TestApp, expect_field_problem, expect_json};
use crate::pages::{PageClient, location};
use crate::sales::{Shop, fixed, shop};

/// A silver piece priced ₹2,570.54: CGST ₹38.56 + SGST ₹38.56, total ₹2,647.66, which
/// rounds off by +₹0.34 to ₹2,648 payable.
async fn odd_paise_piece(shop: &Shop, sku: &str) -> String {
    shop.product(json!({
        "sku": sku, "name": "Silver anklet", "metal": "SILVER", "purity": "925",
        "gross_weight_mg": 50_000, "making_charge": {"flat_paise": 0},
        "fixed_price_paise": 2_570_54, "stock_qty": 5,
    }))
    .await
}

fn pay(method: &str, paise: i64) -> Value {
    json!([{"method": method, "amount_paise": paise}])
}

#[tokio::test]
async fn a_cash_bill_of_odd_paise_is_paid_to_the_rupee_and_change_is_recorded() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000101", json!({})).await;
    let anklet = odd_paise_piece(&shop, "AN-1").await;
    let line = json!([{"product_id": anklet}]);

    // ₹2,648 in cash against ₹2,647.66: the round-off makes them equal.
    let exact = shop
        .sale(json!({"customer_id": customer, "lines": line, "payments": pay("CASH", 2_648_00)}))
        .await;
    assert_eq!(exact["total_paise"], 2_647_66);
    assert_eq!(
        (exact["cgst_paise"].clone(), exact["sgst_paise"].clone()),
        (json!(38_56), json!(38_56)),
        "GST stays exact"
    );
    assert_eq!(exact["round_off_paise"], 34);
    assert_eq!(exact["payable_paise"], 2_648_00);
    assert_eq!(exact["change_paise"], 0);
    let done = expect_json(shop.complete(&exact).await, StatusCode::OK).await;
    assert_eq!(done["status"], "COMPLETED");

    // ₹3,000 tendered: ₹352 handed back, recorded on the sale.
    let tendered = shop
        .sale(json!({"customer_id": customer, "lines": line, "payments": pay("CASH", 3_000_00)}))
        .await;
    assert_eq!(tendered["payable_paise"], 2_648_00);
    assert_eq!(tendered["change_paise"], 352_00);
    let done = expect_json(shop.complete(&tendered).await, StatusCode::OK).await;
    assert_eq!(done["change_paise"], 352_00);
    assert_eq!(done["payments"][0]["amount_paise"], 3_000_00);

    // Everything back: the refund pays back what the store kept, round-off included.
    let id = tendered["id"].as_str().expect("id");
    let refunded = expect_json(
        shop.api
            .post(
                &format!("/api/sales/{id}/refund"),
                &json!({"reason": "Did not fit"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(refunded["status"], "REFUNDED");
    assert_eq!(refunded["refunded_paise"], 2_648_00);
}

#[tokio::test]
async fn only_cash_may_be_more_than_is_due_and_short_payments_say_what_is_due() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000102", json!({})).await;
    let anklet = odd_paise_piece(&shop, "AN-2").await;
    let line = json!([{"product_id": anklet}]);

    let before = app.crm().last_change().expect("seq");
    let mut body = json!({"customer_id": customer, "floor_id": shop.floor, "lines": line, "payments": pay("UPI", 3_000_00)});
    let refused = expect_field_problem(
        shop.api.post("/api/sales", &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payments",
    )
    .await;
    let message = refused["errors"]["payments"].as_str().expect("message");
    assert!(
        message.contains("₹3,000.00") && message.contains("amount due is ₹2,648.00"),
        "{message}"
    );
    assert_eq!(
        app.crm().last_change().expect("seq"),
        before,
        "nothing stored"
    );

    // The exact total by UPI falls 34 paise short of the amount payable.
    body["payments"] = pay("UPI", 2_647_66);
    let short = expect_json(
        shop.api.post("/api/sales", &body).await,
        StatusCode::CREATED,
    )
    .await;
    let before = app.crm().last_change().expect("seq");
    let refused = expect_field_problem(
        shop.complete(&short).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payments",
    )
    .await;
    let message = refused["errors"]["payments"].as_str().expect("message");
    assert!(
        message.contains("amount due is ₹2,648.00") && message.contains("₹0.34"),
        "{message}"
    );
    assert_eq!(app.crm().last_change().expect("seq"), before);

    // Cash on top of UPI may be more than is due; the change is at most the cash.
    body["payments"] = json!([
        {"method": "UPI", "amount_paise": 2_000_00},
        {"method": "CASH", "amount_paise": 700_00},
    ]);
    let split = expect_json(
        shop.api.post("/api/sales", &body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(split["change_paise"], 52_00);
    expect_json(shop.complete(&split).await, StatusCode::OK).await;
}

#[tokio::test]
async fn the_day_s_cash_limit_counts_the_cash_kept_after_change() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000103", json!({})).await;
    // ₹95,000 + 3% = ₹97,850 a bill: ₹1,00,000 tendered, ₹2,150 back each time.
    let set = shop.product(fixed("SS-9", 95_000, 3)).await;
    let line = json!([{"product_id": set}]);
    for _ in 0..2 {
        let bill = shop
            .sale(json!({"customer_id": customer, "lines": line, "payments": pay("CASH", 1_00_000_00)}))
            .await;
        assert_eq!(bill["change_paise"], 2_150_00);
        // ₹2,00,000 tendered in the day, but ₹1,95,700 kept: below s.269ST's limit.
        expect_json(shop.complete(&bill).await, StatusCode::OK).await;
    }
    // Another ₹5,150 kept would take the day's cash to ₹2,00,850.
    let coin = shop.product(fixed("SC-1", 5_000, 1)).await;
    let bill = shop
        .sale(json!({"customer_id": customer, "lines": [{"product_id": coin}], "payments": pay("CASH", 5_150_00)}))
        .await;
    let refused = expect_field_problem(
        shop.complete(&bill).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payments",
    )
    .await;
    let message = refused["errors"]["payments"].as_str().expect("message");
    assert!(
        message.starts_with("s.269ST") && message.contains("₹2,00,850.00"),
        "{message}"
    );
}

#[tokio::test]
async fn a_store_without_rounding_pays_to_the_paisa_and_old_bills_keep_theirs() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000104", json!({})).await;
    let anklet = odd_paise_piece(&shop, "AN-3").await;
    let line = json!([{"product_id": anklet}]);
    let store = shop.api.get_json("/api/store").await;
    assert_eq!(store["round_off"], "NEAREST_RUPEE", "the default");
    let drawn_before = shop
        .sale(json!({"customer_id": customer, "lines": line, "payments": pay("CASH", 2_648_00)}))
        .await;

    // A way of rounding the store does not know is refused and nothing changes.
    let bad = json!({"state_code": "19", "round_off": "TEN_RUPEES"});
    expect_field_problem(
        shop.api.put("/api/store", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "round_off",
    )
    .await;
    assert_eq!(
        shop.api.get_json("/api/store").await["round_off"],
        "NEAREST_RUPEE"
    );

    // The store stays registered (a PUT without the GSTIN would unregister it).
    let none = json!({"gstin": STORE_GSTIN, "state_code": "19", "round_off": "NONE"});
    let saved = expect_json(shop.api.put("/api/store", &none).await, StatusCode::OK).await;
    assert_eq!(saved["round_off"], "NONE");
    // Saving without naming it leaves the setting as it is.
    let kept = expect_json(
        shop.api
            .put(
                "/api/store",
                &json!({"gstin": STORE_GSTIN, "state_code": "19"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(kept["round_off"], "NONE");

    let bill = shop
        .sale(json!({"customer_id": customer, "lines": line, "payments": pay("UPI", 2_647_66)}))
        .await;
    assert_eq!(bill["round_off_paise"], 0);
    assert_eq!(bill["payable_paise"], bill["total_paise"]);
    assert_eq!(bill["payable_paise"], 2_647_66);
    expect_json(shop.complete(&bill).await, StatusCode::OK).await;

    // The bill drawn up before the change keeps its round-off.
    let id = drawn_before["id"].as_str().expect("id");
    let again = shop.api.get_json(&format!("/api/sales/{id}")).await;
    assert_eq!(again["round_off_paise"], 34);
    assert_eq!(again["payable_paise"], 2_648_00);
    let done = expect_json(shop.complete(&drawn_before).await, StatusCode::OK).await;
    assert_eq!(done["payable_paise"], 2_648_00);
}

#[tokio::test]
async fn the_openapi_document_describes_the_round_off() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    let sale = &doc["components"]["schemas"]["SaleJson"]["properties"];
    for field in ["round_off_paise", "payable_paise", "change_paise"] {
        assert!(sale[field].is_object(), "SaleJson has {field}: {sale}");
    }
    let store = &doc["components"]["schemas"]["StoreJson"]["properties"];
    assert!(store["round_off"].is_object(), "{store}");
    let input = &doc["components"]["schemas"]["StoreSettingsInput"]["properties"];
    assert!(input["round_off"].is_object(), "{input}");
}

#[tokio::test]
async fn the_settings_page_chooses_the_rounding_and_refuses_an_unknown_one() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let (_, html) = pages.get("/settings").await;
    assert!(
        html.contains(r#"<option value="NEAREST_RUPEE" selected>"#),
        "nearest rupee by default"
    );
    let form = |round_off| {
        [
            ("state_code", "19"),
            ("address", ""),
            ("round_off", round_off),
        ]
    };
    let saved = pages.post_form("/settings", &form("NONE")).await;
    assert_eq!(location(&saved), "/settings?done=saved");
    let (_, html) = pages.get("/settings").await;
    assert!(html.contains(r#"<option value="NONE" selected>"#), "{html}");
    let store = app.admin().await.get_json("/api/store").await;
    assert_eq!(store["round_off"], "NONE");

    let bad = pages.post_form("/settings", &form("HALF_RUPEE")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("body");
    assert!(html.contains(r#"id="error-round-off""#), "{html}");
    let store = app.admin().await.get_json("/api/store").await;
    assert_eq!(store["round_off"], "NONE", "nothing changed");
}
