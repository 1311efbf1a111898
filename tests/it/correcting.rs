//! Correcting a pending bill over the API (`PUT /api/sales/{id}`): pieces, payments, old
//! gold and discounts re-priced with the correction kept; bills no longer pending, bad
//! input and another floor's manager refused with nothing changed; and the counter's
//! rules reported when a bill is worked out, drawn up or corrected, not first at
//! completion.

use reqwest::StatusCode;
use sarkar_crm::app::CompleteInput;
use sarkar_crm::domain::{SaleId, UserRole};
use serde_json::{Value, json};

use crate::helpers::{TestApp, expect_field_problem, expect_json};
use crate::sales::{Shop, fixed, shop};

/// The rules a response reports, as `(rule, blocking)`.
fn rules(sale: &Value) -> Vec<(String, bool)> {
    sale["counter_rules"]
        .as_array()
        .expect("counter_rules")
        .iter()
        .map(|r| {
            let message = r["message"].as_str().expect("message");
            assert!(!message.is_empty(), "{r}");
            (
                r["rule"].as_str().expect("rule").to_owned(),
                r["blocking"].as_bool().expect("blocking"),
            )
        })
        .collect()
}

fn message_of<'a>(sale: &'a Value, rule: &str) -> &'a str {
    sale["counter_rules"]
        .as_array()
        .expect("counter_rules")
        .iter()
        .find(|r| r["rule"] == rule)
        .and_then(|r| r["message"].as_str())
        .unwrap_or_else(|| panic!("{rule} reported: {sale}"))
}

async fn correct(shop: &Shop, id: &str, body: Value) -> reqwest::Response {
    shop.api.put(&format!("/api/sales/{id}"), &body).await
}

#[tokio::test]
async fn a_pending_bill_s_pieces_payments_old_gold_and_discount_are_corrected_with_its_history() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000301", json!({})).await;
    let ring = shop
        .product(json!({
            "sku": "RG-1", "name": "Gold ring", "metal": "GOLD", "purity": "18K",
            "gross_weight_mg": 6_250, "making_charge": {"percent_bp": 1200}, "huid": "CD34E5",
            "stock_qty": 3,
        }))
        .await;
    let tea_set = shop.product(fixed("TS-1", 10_000, 5)).await;
    let drawn = shop
        .sale(json!({
            "customer_id": customer,
            "lines": [{"product_id": tea_set}],
            "payments": [{"method": "UPI", "amount_paise": 10_300_00, "reference": "upi 1"}],
        }))
        .await;
    let id = drawn["id"].as_str().expect("id").to_owned();
    assert_eq!(drawn["payable_paise"], 10_300_00);
    assert_eq!(rules(&drawn), []);
    let before = app.changes().len();

    // The ring (₹40,123.66 payable ₹40,124, see tests/it/sales.rs) instead, ₹124 off
    // the bill, paid with 4 g of old 22K gold (₹26,656), UPI and cash.
    let corrected = expect_json(
        correct(
            &shop,
            &id,
            json!({
                "customer_id": customer, "bill_discount_paise": 124_00,
                "lines": [{"product_id": ring}],
                "payments": [
                    {"method": "OLD_GOLD", "old_gold": {"weight_mg": 4_000, "purity": "22K", "deduction_bp": 200}},
                    {"method": "UPI", "amount_paise": 10_000_00},
                    {"method": "CASH", "amount_paise": 3_500_00},
                ],
            }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(corrected["id"], drawn["id"], "the same bill");
    assert_eq!(corrected["status"], "PENDING");
    assert_eq!(corrected["lines"][0]["sku"], "RG-1");
    assert_eq!(corrected["lines"].as_array().expect("lines").len(), 1);
    assert_eq!(corrected["bill_discount_paise"], 124_00);
    assert_eq!(corrected["payments"][0]["amount_paise"], 26_656_00);
    assert_eq!(corrected["created_at"], drawn["created_at"]);
    let payable = corrected["payable_paise"].as_i64().expect("payable");
    // ₹34,781.25 + ₹4,173.75 − ₹124 = ₹38,831; GST ₹582.47 twice; ₹39,995.94 → ₹39,996.
    assert_eq!(payable, 39_996_00);
    assert_eq!(corrected["change_paise"], 26_656_00 + 13_500_00 - payable);
    assert_eq!(rules(&corrected), []);
    let history = corrected["corrections"].as_array().expect("corrections");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["payable_before_paise"], 10_300_00);
    assert_eq!(history[0]["payable_after_paise"], payable);
    assert_eq!(history[0]["staff_id"], drawn["staff_id"]);
    let changes = app.changes();
    assert_eq!(changes.len(), before + 1, "one change-log entry");
    assert_eq!(
        uuid::Uuid::from_u128(changes[before].id).to_string(),
        id,
        "logged against the bill"
    );
    assert_eq!(changes[before].op, sarkar_crm::store::ChangeOp::Updated);

    // A second correction adds to the history; the bill then completes as corrected.
    let again = expect_json(
        correct(
            &shop,
            &id,
            json!({"customer_id": customer, "lines": [{"product_id": tea_set, "quantity": 2, "discount_paise": 500_00}],
                   "payments": [{"method": "CARD", "amount_paise": 20_085_00}]}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["payable_paise"], 20_085_00);
    let history = again["corrections"].as_array().expect("corrections");
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["payable_before_paise"], payable);
    let fetched = shop.api.get_json(&format!("/api/sales/{id}")).await;
    assert_eq!(fetched["corrections"], again["corrections"]);
    assert_eq!(fetched["counter_rules"], json!([]));
    let done = expect_json(shop.complete(&again).await, StatusCode::OK).await;
    assert_eq!(done["status"], "COMPLETED");
    assert_eq!(done["lines"][0]["quantity"], 2);
    let stock = shop.api.get_json(&format!("/api/products/{tea_set}")).await;
    assert_eq!(stock["stock_qty"], 3, "the corrected two pieces left stock");
}

#[tokio::test]
async fn completed_and_cancelled_bills_and_bad_input_are_refused_with_nothing_changed() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000302", json!({})).await;
    let tea_set = shop.product(fixed("TS-2", 10_000, 5)).await;
    let body = json!({"customer_id": customer, "lines": [{"product_id": tea_set}],
                      "payments": [{"method": "CASH", "amount_paise": 10_300_00}]});
    let completed = shop.sale(body.clone()).await;
    expect_json(shop.complete(&completed).await, StatusCode::OK).await;
    let cancelled = shop.sale(body.clone()).await;
    let id = cancelled["id"].as_str().expect("id");
    let response = shop
        .api
        .post(&format!("/api/sales/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let pending = shop.sale(body.clone()).await;

    let before = app.changes().len();
    for sale in [&completed, &cancelled] {
        let id = sale["id"].as_str().expect("id");
        let was = shop.api.get_json(&format!("/api/sales/{id}")).await;
        let mut two = body.clone();
        two["lines"][0]["quantity"] = json!(2);
        let problem = expect_field_problem(
            correct(&shop, id, two).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "status",
        )
        .await;
        assert!(
            problem
                .to_string()
                .contains("only a pending bill can be corrected"),
            "{problem}"
        );
        assert_eq!(shop.api.get_json(&format!("/api/sales/{id}")).await, was);
    }

    let id = pending["id"].as_str().expect("id");
    let was = shop.api.get_json(&format!("/api/sales/{id}")).await;
    let mut no_lines = body.clone();
    no_lines["lines"] = json!([]);
    expect_field_problem(
        correct(&shop, id, no_lines).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "lines",
    )
    .await;
    let mut upi_over = body.clone();
    upi_over["payments"] = json!([{"method": "UPI", "amount_paise": 20_000_00}]);
    expect_field_problem(
        correct(&shop, id, upi_over).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payments",
    )
    .await;
    let response = shop
        .api
        .put(&format!("/api/sales/{id}"), &json!({"lines": "many"}))
        .await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let nowhere = uuid::Uuid::now_v7();
    let response = correct(&shop, &nowhere.to_string(), body.clone()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(shop.api.get_json(&format!("/api/sales/{id}")).await, was);
    assert_eq!(app.changes().len(), before, "nothing refused was stored");
}

#[tokio::test]
async fn a_floor_manager_corrects_only_their_own_floor_s_bills_and_keeps_them_there() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let upstairs = crate::helpers::floor(&shop.api, "First Floor", 1).await;
    app.add_user("ground", UserRole::FloorManager, Some("Ground Floor"), None)
        .await;
    app.add_user("first", UserRole::FloorManager, Some("First Floor"), None)
        .await;
    let customer = shop.customer("9831000303", json!({})).await;
    let tea_set = shop.product(fixed("TS-3", 10_000, 5)).await;
    let sale = shop
        .sale(json!({"customer_id": customer, "lines": [{"product_id": tea_set}]}))
        .await;
    let id = sale["id"].as_str().expect("id");
    let two = json!({"customer_id": customer, "lines": [{"product_id": tea_set, "quantity": 2}]});
    let other_floor = app.login("first").await;
    let own_floor = app.login("ground").await;
    let was = shop.api.get_json(&format!("/api/sales/{id}")).await;
    let before = app.changes().len();

    let response = other_floor.put(&format!("/api/sales/{id}"), &two).await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "another floor's bill"
    );
    let mut moved = two.clone();
    moved["floor_id"] = json!(upstairs);
    let response = own_floor.put(&format!("/api/sales/{id}"), &moved).await;
    let problem = expect_json(response, StatusCode::FORBIDDEN).await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("on their own floor")),
        "{problem}"
    );
    assert_eq!(shop.api.get_json(&format!("/api/sales/{id}")).await, was);
    assert_eq!(app.changes().len(), before);

    let corrected = expect_json(
        own_floor.put(&format!("/api/sales/{id}"), &two).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(corrected["floor_id"], json!(shop.floor));
    assert_eq!(corrected["lines"][0]["quantity"], 2);
}

#[tokio::test]
async fn cash_over_the_day_s_limit_across_two_bills_is_reported_at_quote_draw_up_and_correction() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000304", json!({})).await;
    let first = shop.product(fixed("TS-4", 1_45_000, 5)).await;
    let second = shop.product(fixed("TS-5", 77_000, 5)).await;
    // ₹1,49,350 kept in cash this morning.
    let morning = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": first}],
                     "payments": [{"method": "CASH", "amount_paise": 1_49_350_00}]}),
        )
        .await;
    expect_json(shop.complete(&morning).await, StatusCode::OK).await;

    // ₹79,310 more in cash would make ₹2,28,660 today: at most ₹50,649.99 more in cash.
    let body = json!({"customer_id": customer, "floor_id": shop.floor, "lines": [{"product_id": second}],
                      "payments": [{"method": "CASH", "amount_paise": 79_310_00}]});
    let quote = expect_json(
        shop.api.post("/api/sales/quote", &body).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rules(&quote), [("CASH_LIMIT".to_owned(), true)]);
    let advice = message_of(&quote, "CASH_LIMIT");
    assert!(
        advice.contains("s.269ST") && advice.contains("at most ₹50,649.99 in cash"),
        "{advice}"
    );
    // Drawing it up still succeeds, with the same finding; completing refuses.
    let drawn = shop.sale(body.clone()).await;
    assert_eq!(rules(&drawn), [("CASH_LIMIT".to_owned(), true)]);
    let id = drawn["id"].as_str().expect("id");
    assert_eq!(
        rules(&shop.api.get_json(&format!("/api/sales/{id}")).await),
        [("CASH_LIMIT".to_owned(), true)]
    );
    expect_field_problem(
        shop.complete(&drawn).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "payments",
    )
    .await;

    // Corrected to ₹50,000 in cash and the rest by UPI: nothing stands in the way.
    let mut split = body.clone();
    split["payments"] = json!([
        {"method": "CASH", "amount_paise": 50_000_00},
        {"method": "UPI", "amount_paise": 29_310_00},
    ]);
    let corrected = expect_json(correct(&shop, id, split).await, StatusCode::OK).await;
    assert_eq!(rules(&corrected), []);
    expect_json(shop.complete(&corrected).await, StatusCode::OK).await;
}

#[tokio::test]
async fn a_two_lakh_bill_without_a_pan_is_reported_before_completing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let no_pan = shop.customer("9831000305", json!({})).await;
    let with_pan = shop
        .customer("9831000306", json!({"pan": "ABCPK1234F"}))
        .await;
    let big = shop.product(fixed("TS-6", 2_00_000, 5)).await;
    let bill = |customer: &str| {
        json!({"customer_id": customer, "floor_id": shop.floor, "lines": [{"product_id": big}],
               "payments": [{"method": "CARD", "amount_paise": 2_06_000_00}]})
    };
    let quote = expect_json(
        shop.api.post("/api/sales/quote", &bill(&no_pan)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rules(&quote), [("PAN_REQUIRED".to_owned(), true)]);
    assert!(
        message_of(&quote, "PAN_REQUIRED").contains("add the PAN on the customer's page"),
        "{quote}"
    );
    let drawn = shop.sale(bill(&no_pan)).await;
    assert_eq!(rules(&drawn), [("PAN_REQUIRED".to_owned(), true)]);
    let quote = expect_json(
        shop.api.post("/api/sales/quote", &bill(&with_pan)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rules(&quote), []);
}

#[tokio::test]
async fn cash_passing_ten_lakh_in_the_year_is_flagged_for_kyc_without_blocking() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop
        .customer("9831000307", json!({"pan": "ABCPK1234F"}))
        .await;
    let piece = shop.product(fixed("TS-7", 1_90_000, 10)).await;
    let actor = app
        .crm()
        .authenticate(shop.api.token.as_deref().expect("token"))
        .expect("actor");
    // Six bills of ₹1,95,700 in cash, each completed as of a different day of this
    // financial year, so no day passes the s.269ST limit: ₹11,74,200 in the year.
    // The days are not today, when every one of them is recorded as completed.
    let today = app.crm().today();
    let year = sarkar_crm::domain::FinancialYear::containing(today).start_year();
    let days = (1..=7)
        .map(|n| jiff::civil::date(year, 4, n))
        .filter(|day| *day != today);
    for day in days.take(6) {
        let sale = shop
            .sale(
                json!({"customer_id": customer, "lines": [{"product_id": piece}],
                         "payments": [{"method": "CASH", "amount_paise": 1_95_700_00}]}),
            )
            .await;
        let id = SaleId::from_uuid(sale["id"].as_str().expect("id").parse().expect("uuid"));
        app.crm()
            .complete_sale_on(&actor, id, CompleteInput::default(), day)
            .expect("completed");
    }
    let small = shop.product(fixed("TS-8", 1_000, 5)).await;
    let quote = expect_json(
        shop.api
            .post(
                "/api/sales/quote",
                &json!({"customer_id": customer, "floor_id": shop.floor, "lines": [{"product_id": small}],
                        "payments": [{"method": "UPI", "amount_paise": 1_030_00}]}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let found = rules(&quote);
    assert!(
        found.contains(&("KYC_REPORT".to_owned(), false)),
        "{found:?}"
    );
    assert!(
        message_of(&quote, "KYC_REPORT").contains("₹11,74,200.00"),
        "{quote}"
    );
}
