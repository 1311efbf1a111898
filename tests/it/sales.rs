//! Sales over the API: bills priced from the day's rates and matched to hand-worked
//! totals, the counter's rules refusing with nothing stored, the last piece sold once
//! under 20 concurrent completions, and gap-free invoice numbers across a year end.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, expect_field_problem};

/// A store with a floor and today's 22K and 18K gold rates, and an admin's API client.
pub struct Shop {
    pub api: Client,
    pub floor: String,
}

pub async fn shop(app: &TestApp) -> Shop {
    let api = app.admin().await;
    let floor: Value = api
        .post("/api/floors", &json!({"name": "Ground Floor", "level": 0}))
        .await
        .json()
        .await
        .expect("floor");
    for (purity, paise) in [("22K", 6_800_00), ("18K", 5_565_00)] {
        let rate = api
            .post(
                "/api/rates",
                &json!({"metal": "GOLD", "purity": purity, "per_gram_paise": paise}),
            )
            .await;
        assert_eq!(rate.status(), StatusCode::CREATED);
    }
    Shop {
        api,
        floor: floor["id"].as_str().expect("floor id").to_owned(),
    }
}

impl Shop {
    pub async fn product(&self, body: Value) -> String {
        let mut body = body;
        body["floor_id"] = json!(self.floor);
        let response = self.api.post("/api/products", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "product");
        let product: Value = response.json().await.expect("json");
        product["id"].as_str().expect("id").to_owned()
    }

    pub async fn customer(&self, phone: &str, extra: Value) -> String {
        let mut body = json!({"name": "Rina Sinha", "phone": phone});
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let response = self.api.post("/api/customers", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "customer");
        let customer: Value = response.json().await.expect("json");
        customer["id"].as_str().expect("id").to_owned()
    }

    pub async fn sale(&self, body: Value) -> Value {
        let mut body = body;
        body["floor_id"] = json!(self.floor);
        let response = self.api.post("/api/sales", &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "sale");
        response.json().await.expect("json")
    }

    pub async fn complete(&self, sale: &Value) -> reqwest::Response {
        let id = sale["id"].as_str().expect("id");
        self.api
            .post(&format!("/api/sales/{id}/complete"), &json!({}))
            .await
    }
}

pub fn fixed(sku: &str, rupees: i64, stock: i64) -> Value {
    json!({
        "sku": sku, "name": "Silver tea set", "metal": "SILVER", "purity": "925",
        "gross_weight_mg": 500_000, "making_charge": {"flat_paise": 0},
        "fixed_price_paise": rupees * 100, "stock_qty": stock,
    })
}

#[tokio::test]
async fn three_bills_match_their_hand_worked_totals() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let local = shop
        .customer("9831000001", json!({"address": {"state": "West Bengal"}}))
        .await;
    let mumbai = shop
        .customer(
            "9831000002",
            json!({"address": {"city": "Mumbai", "state": "Maharashtra"}}),
        )
        .await;

    // Per-gram making with stones: 23.800 g net × ₹6,800 = ₹1,61,840; making ₹520/g =
    // ₹12,376; stones ₹8,500; less ₹1,000 on the line and ₹500 on the bill = ₹1,81,216;
    // CGST and SGST 1.5% each = ₹2,718.24; total ₹1,86,652.48, rounded off by −₹0.48
    // to ₹1,86,652 payable (the card pays the amount payable, not the total).
    let necklace = shop
        .product(json!({
            "sku": "NK-1", "name": "Temple necklace", "metal": "GOLD", "purity": "22K",
            "gross_weight_mg": 25_000, "stone_weight_mg": 1_200, "making_charge": {"per_gram_paise": 520_00},
            "stone_value_paise": 8_500_00, "huid": "AB12C3", "stock_qty": 2,
        }))
        .await;
    let bill = shop
        .sale(json!({
            "customer_id": local, "bill_discount_paise": 500_00,
            "lines": [{"product_id": necklace, "discount_paise": 1_000_00}],
            "payments": [{"method": "CARD", "amount_paise": 1_86_652_00, "reference": "slip 4411"}],
        }))
        .await;
    assert_eq!(bill["lines"][0]["metal_value_paise"], 1_61_840_00);
    assert_eq!(bill["lines"][0]["making_paise"], 12_376_00);
    assert_eq!(bill["taxable_paise"], 1_81_216_00);
    assert_eq!(
        (bill["cgst_paise"].clone(), bill["sgst_paise"].clone()),
        (json!(2_718_24), json!(2_718_24))
    );
    assert_eq!(bill["igst_paise"], 0);
    assert_eq!(bill["total_paise"], 1_86_652_48);
    assert_eq!(bill["round_off_paise"], -48);
    assert_eq!(bill["payable_paise"], 1_86_652_00);
    assert_eq!(bill["change_paise"], 0);
    let done: Value = shop.complete(&bill).await.json().await.expect("json");
    assert_eq!(done["status"], "COMPLETED");
    let first_invoice = done["invoice_no"].as_str().expect("invoice").to_owned();
    assert!(
        first_invoice.starts_with("SJ/") && first_invoice.len() <= 16,
        "{first_invoice}"
    );

    // Percent making, paid partly with old gold: 6.250 g × ₹5,565 = ₹34,781.25; making
    // 12% = ₹4,173.75; GST ₹584.33 + ₹584.33; total ₹40,123.66, rounded off by +₹0.34
    // to ₹40,124 payable. Old gold 4.000 g of 22K at ₹6,800 less 2% = ₹26,656; UPI
    // ₹10,000; cash ₹3,468.
    let ring = shop
        .product(json!({
            "sku": "RG-1", "name": "Daily-wear ring", "metal": "GOLD", "purity": "18K",
            "gross_weight_mg": 6_250, "making_charge": {"percent_bp": 1_200}, "huid": "CD34E5", "stock_qty": 1,
        }))
        .await;
    let bill = shop
        .sale(json!({
            "customer_id": local, "lines": [{"product_id": ring}],
            "payments": [
                {"method": "OLD_GOLD", "old_gold": {"weight_mg": 4_000, "purity": "22K", "deduction_bp": 200}},
                {"method": "UPI", "amount_paise": 10_000_00, "reference": "UPI 1234"},
                {"method": "CASH", "amount_paise": 3_468_00},
            ],
        }))
        .await;
    assert_eq!(bill["taxable_paise"], 38_955_00);
    assert_eq!(bill["cgst_paise"], 584_33);
    assert_eq!(bill["total_paise"], 40_123_66);
    assert_eq!(bill["round_off_paise"], 34);
    assert_eq!(bill["payable_paise"], 40_124_00);
    assert_eq!(bill["payments"][0]["amount_paise"], 26_656_00);
    let done: Value = shop.complete(&bill).await.json().await.expect("json");
    assert_eq!(done["status"], "COMPLETED");

    // A customer from another state pays IGST 3%: 20.000 g × ₹6,800 = ₹1,36,000 + flat
    // making ₹7,500 + stones ₹2,000 = ₹1,45,500; IGST ₹4,365; total ₹1,49,865.
    let bangle = shop
        .product(json!({
            "sku": "BG-1", "name": "Bangle", "metal": "GOLD", "purity": "22K",
            "gross_weight_mg": 20_500, "stone_weight_mg": 500, "making_charge": {"flat_paise": 7_500_00},
            "stone_value_paise": 2_000_00, "huid": "EF56G7", "stock_qty": 1,
        }))
        .await;
    let bill = shop
        .sale(json!({
            "customer_id": mumbai, "lines": [{"product_id": bangle}],
            "payments": [{"method": "BANK_TRANSFER", "amount_paise": 1_49_865_00, "reference": "UTR 99"}],
        }))
        .await;
    assert_eq!(bill["igst_paise"], 4_365_00);
    assert_eq!(
        (bill["cgst_paise"].clone(), bill["sgst_paise"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(bill["total_paise"], 1_49_865_00);
    assert_eq!(
        bill["round_off_paise"], 0,
        "a whole-rupee total needs no rounding"
    );
    assert_eq!(bill["payable_paise"], 1_49_865_00);
    let done: Value = shop.complete(&bill).await.json().await.expect("json");
    assert_eq!(done["status"], "COMPLETED");
    let third = done["invoice_no"].as_str().expect("invoice");
    assert_eq!(&third[..11], &first_invoice[..11], "same year");
    let serial = |n: &str| n[11..].parse::<u32>().expect("serial");
    assert_eq!(serial(third), serial(&first_invoice) + 2, "gap-free");
    // Completing took the pieces from stock.
    let necklace: Value = shop
        .api
        .get(&format!("/api/products/{necklace}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(necklace["stock_qty"], 1);
}

#[tokio::test]
async fn the_counters_rules_refuse_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000003", json!({})).await;
    let set = shop.product(fixed("SS-1", 1_00_000, 5)).await;

    // Two cash bills of ₹1,03,000 on one day: the second would take the day's cash to
    // ₹2,06,000, at or over s.269ST's ₹2,00,000.
    let cash = |paise: i64| json!([{"method": "CASH", "amount_paise": paise}]);
    let first = shop
        .sale(json!({"customer_id": customer, "lines": [{"product_id": set}], "payments": cash(1_03_000_00)}))
        .await;
    assert_eq!(shop.complete(&first).await.status(), StatusCode::OK);
    let second = shop
        .sale(json!({"customer_id": customer, "lines": [{"product_id": set}], "payments": cash(1_03_000_00)}))
        .await;
    let before = app.crm().last_change().expect("seq");
    let refused = shop.complete(&second).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = refused.json().await.expect("problem");
    let message = problem["errors"]["payments"].as_str().expect("message");
    assert!(
        message.starts_with("s.269ST") && message.contains("₹2,06,000.00"),
        "{message}"
    );
    assert_eq!(
        app.crm().last_change().expect("seq"),
        before,
        "nothing stored"
    );
    let id = second["id"].as_str().expect("id");
    let still: Value = shop
        .api
        .get(&format!("/api/sales/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(still["status"], "PENDING");
    assert!(still["invoice_no"].is_null());

    // ₹2,00,000 or more needs a PAN (or Form 60).
    let big = shop.product(fixed("SS-2", 2_00_000, 1)).await;
    let bill = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": big}],
            "payments": [{"method": "CARD", "amount_paise": 2_06_000_00}]}),
        )
        .await;
    let before = app.crm().last_change().expect("seq");
    let refused = shop.complete(&bill).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = refused.json().await.expect("problem");
    assert!(
        problem["errors"]["customer.pan"]
            .as_str()
            .expect("message")
            .starts_with("Rule 114B")
    );
    assert_eq!(
        app.crm().last_change().expect("seq"),
        before,
        "nothing stored"
    );
    // A customer without a PAN may sign a Form 60 instead; it is kept with the sale.
    let other = shop.customer("9831000013", json!({})).await;
    let big_two = shop.product(fixed("SS-4", 2_00_000, 1)).await;
    let declared = shop
        .sale(
            json!({"customer_id": other, "lines": [{"product_id": big_two}],
            "payments": [{"method": "CARD", "amount_paise": 2_06_000_00}]}),
        )
        .await;
    let id = declared["id"].as_str().expect("id");
    let done: Value = shop
        .api
        .post(
            &format!("/api/sales/{id}/complete"),
            &json!({"form60_reference": "F60/2026/118"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(done["status"], "COMPLETED");
    assert_eq!(done["form60_reference"], "F60/2026/118");

    let with_pan = shop
        .api
        .put(
            &format!("/api/customers/{customer}"),
            &json!({"name": "Rina Sinha", "phone": "9831000003", "pan": "ABCPS1234K"}),
        )
        .await;
    assert_eq!(with_pan.status(), StatusCode::OK);
    assert_eq!(shop.complete(&bill).await.status(), StatusCode::OK);

    // Payments that do not add up to the bill are refused too.
    let short = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": set}],
            "payments": [{"method": "UPI", "amount_paise": 1_00_000_00}]}),
        )
        .await;
    assert_eq!(
        shop.complete(&short).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_last_piece_is_sold_once_under_twenty_concurrent_completions() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000004", json!({})).await;
    let last = shop.product(fixed("SS-9", 10_000, 1)).await;
    let mut bills = Vec::new();
    for _ in 0..20 {
        bills.push(
            shop.sale(
                json!({"customer_id": customer, "lines": [{"product_id": last}],
                "payments": [{"method": "UPI", "amount_paise": 10_300_00}]}),
            )
            .await,
        );
    }
    let attempts = bills.iter().map(|bill| {
        let api = shop.api.clone();
        let id = bill["id"].as_str().expect("id").to_owned();
        tokio::spawn(async move {
            api.post(&format!("/api/sales/{id}/complete"), &json!({}))
                .await
                .status()
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        statuses.push(attempt.await.expect("task"));
    }
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, refused), (1, 19), "{statuses:?}");
    let product: Value = shop
        .api
        .get(&format!("/api/products/{last}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(product["stock_qty"], 0);
}

#[tokio::test]
async fn invoice_numbers_are_gap_free_and_restart_each_financial_year() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000005", json!({})).await;
    let set = shop.product(fixed("SS-3", 1_000, 10)).await;
    let actor = app
        .crm()
        .authenticate(shop.api.token.as_deref().expect("token"))
        .expect("actor");
    let mut ids = Vec::new();
    for _ in 0..5 {
        let bill = shop
            .sale(
                json!({"customer_id": customer, "lines": [{"product_id": set}],
                "payments": [{"method": "UPI", "amount_paise": 1_030_00}]}),
            )
            .await;
        ids.push(sarkar_crm::domain::SaleId::parse(bill["id"].as_str().expect("id")).expect("id"));
    }
    let crm = app.crm();
    let march = jiff::civil::date(2027, 3, 31);
    let april = jiff::civil::date(2027, 4, 1);
    let number =
        |sale: sarkar_crm::domain::Sale| sale.invoice_no.expect("invoice").as_str().to_owned();
    assert_eq!(
        number(
            crm.complete_sale_on(&actor, ids[0], Default::default(), march)
                .expect("complete")
        ),
        "SJ/26-27/000001"
    );
    // A cancelled bill never had a number, so it leaves no gap.
    crm.cancel_sale(&actor, ids[1]).expect("cancel");
    assert_eq!(
        number(
            crm.complete_sale_on(&actor, ids[2], Default::default(), march)
                .expect("complete")
        ),
        "SJ/26-27/000002"
    );
    assert_eq!(
        number(
            crm.complete_sale_on(&actor, ids[3], Default::default(), april)
                .expect("complete")
        ),
        "SJ/27-28/000001"
    );
    assert_eq!(
        number(
            crm.complete_sale_on(&actor, ids[4], Default::default(), april)
                .expect("complete")
        ),
        "SJ/27-28/000002"
    );
    // A completed or cancelled bill cannot be completed again.
    assert!(
        crm.complete_sale_on(&actor, ids[1], Default::default(), april)
            .is_err()
    );
    assert!(
        crm.complete_sale_on(&actor, ids[0], Default::default(), april)
            .is_err()
    );
}

#[tokio::test]
async fn refunds_pay_back_a_share_restock_and_leave_the_numbers_alone() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000006", json!({})).await;
    let set = shop.product(fixed("SS-5", 1_000, 5)).await;
    // Three sets at ₹1,000, ₹300 off the bill: taxable ₹2,700, GST ₹81, total ₹2,781.
    let bill = shop
        .sale(
            json!({"customer_id": customer, "bill_discount_paise": 300_00,
            "lines": [{"product_id": set, "quantity": 3}],
            "payments": [{"method": "UPI", "amount_paise": 2_781_00}]}),
        )
        .await;
    assert_eq!(bill["total_paise"], 2_781_00);
    let done: Value = shop.complete(&bill).await.json().await.expect("json");
    let first = done["invoice_no"].as_str().expect("invoice").to_owned();
    let id = bill["id"].as_str().expect("id");
    let stock = |v: Value| v["stock_qty"].as_i64().expect("stock");
    let path = format!("/api/products/{set}");
    let product = || shop.api.get(&path);
    assert_eq!(stock(product().await.json().await.expect("json")), 2);

    // One set back: ₹1,000 less its ₹100 share of the discount = ₹900, plus GST ₹27.
    let partial: Value = shop
        .api
        .post(
            &format!("/api/sales/{id}/refund"),
            &json!({"lines": [{"line": 0, "quantity": 1}], "reason": "size"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(partial["status"], "COMPLETED");
    assert_eq!(partial["refunded_paise"], 927_00);
    assert_eq!(stock(product().await.json().await.expect("json")), 3);

    // More than is left, or no reason, is refused and changes nothing.
    let before = app.crm().last_change().expect("seq");
    for body in [
        json!({"lines": [{"line": 0, "quantity": 3}], "reason": "x"}),
        json!({"lines": [{"line": 7, "quantity": 1}], "reason": "x"}),
        json!({"lines": [{"line": 0, "quantity": 1}, {"line": 0, "quantity": 2}], "reason": "x"}),
        json!({"reason": "  "}),
    ] {
        let refused = shop
            .api
            .post(&format!("/api/sales/{id}/refund"), &body)
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    assert_eq!(app.crm().last_change().expect("seq"), before);

    // The rest back: exactly what is left of the bill, and the sale is REFUNDED.
    let full: Value = shop
        .api
        .post(
            &format!("/api/sales/{id}/refund"),
            &json!({"reason": "changed their mind"}),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(full["status"], "REFUNDED");
    assert_eq!(full["refunded_paise"], 2_781_00);
    assert_eq!(
        full["invoice_no"].as_str(),
        Some(first.as_str()),
        "the number stays"
    );
    assert_eq!(stock(product().await.json().await.expect("json")), 5);
    let again = shop
        .api
        .post(&format!("/api/sales/{id}/refund"), &json!({"reason": "x"}))
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The next invoice follows on with no gap.
    let next = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": set}],
            "payments": [{"method": "UPI", "amount_paise": 1_030_00}]}),
        )
        .await;
    let done: Value = shop.complete(&next).await.json().await.expect("json");
    let serial = |n: &str| n[11..].parse::<u32>().expect("serial");
    assert_eq!(
        serial(done["invoice_no"].as_str().expect("invoice")),
        serial(&first) + 1
    );
}

#[tokio::test]
async fn a_bill_is_worked_out_without_storing_and_drawn_up_by_phone_and_tag_number() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    shop.customer("9831000007", json!({})).await;
    shop.product(fixed("SS-7", 1_000, 3)).await;
    let body = json!({"customer_phone": "098310 00007", "floor_id": shop.floor,
        "lines": [{"sku": "ss-7", "quantity": 2}]});
    let before = app.changes().len();
    let quote = shop.api.post("/api/sales/quote", &body).await;
    assert_eq!(quote.status(), StatusCode::OK);
    let quote: Value = quote.json().await.expect("json");
    assert_eq!(quote["total_paise"], 2_060_00);
    assert_eq!(app.changes().len(), before, "a quote stores nothing");
    let sales: Value = shop.api.get_json("/api/sales").await;
    assert_eq!(sales["items"].as_array().map(Vec::len), Some(0));

    let bad = json!({"customer_phone": "9831000099", "floor_id": shop.floor,
        "lines": [{"sku": "NOPE-1"}, {"sku": "bad sku"}]});
    let problem = expect_field_problem(
        shop.api.post("/api/sales", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "customer_phone",
    )
    .await;
    assert!(problem["errors"]["lines[0].sku"].is_string(), "{problem}");
    assert!(problem["errors"]["lines[1].sku"].is_string(), "{problem}");
    assert_eq!(app.changes().len(), before);

    let mut ids = Vec::new();
    for _ in 0..3 {
        let bill = shop.sale(body.clone()).await;
        assert_eq!(bill["total_paise"], 2_060_00);
        ids.push(bill["id"].as_str().expect("id").to_owned());
    }
    // Paged newest first: two, then the oldest one.
    let first: Value = shop.api.get_json("/api/sales?limit=2").await;
    // The register adds up every sale that matches, so it counts them too.
    assert_eq!(first["total"], 3, "the register counts every matching sale");
    let next = first["next"].as_str().expect("a next page").to_owned();
    let first: Vec<&str> = first["items"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(first, [ids[2].as_str(), ids[1].as_str()]);
    let rest: Value = shop
        .api
        .get_json(&format!("/api/sales?limit=2&before={}", ids[1]))
        .await;
    assert_eq!(rest["items"][0]["id"], ids[0].as_str());
    assert_eq!(rest["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(rest["next"], Value::Null, "the oldest sale ends the list");
    let resumed: Value = shop
        .api
        .get_json(&format!("/api/sales?limit=2&cursor={next}"))
        .await;
    assert_eq!(
        resumed["items"], rest["items"],
        "`before` is the older name of `cursor`"
    );
    expect_field_problem(
        shop.api.get("/api/sales?limit=0").await,
        StatusCode::BAD_REQUEST,
        "limit",
    )
    .await;
}

#[tokio::test]
async fn cash_purchases_of_ten_lakh_in_a_year_are_flagged_for_kyc_not_refused() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let customer = shop
        .customer("9831000008", json!({"pan": "ABCPE1234F"}))
        .await;
    // ₹1,90,000 + 3% GST = ₹1,95,700 each, all in cash, on six different days.
    let set = shop.product(fixed("SS-8", 1_90_000, 6)).await;
    let actor = app
        .crm()
        .authenticate(shop.api.token.as_deref().expect("token"))
        .expect("actor");
    let mut last = None;
    for day in 1..=6 {
        let bill = shop
            .sale(
                json!({"customer_id": customer, "lines": [{"product_id": set}],
                "payments": [{"method": "CASH", "amount_paise": 1_95_700_00}]}),
            )
            .await;
        let id = sarkar_crm::domain::SaleId::parse(bill["id"].as_str().expect("id")).expect("id");
        app.crm()
            .complete_sale_on(
                &actor,
                id,
                Default::default(),
                jiff::civil::date(2026, 6, day),
            )
            .expect("each day's cash stays below ₹2,00,000");
        let detail: Value = shop.api.get_json(&format!("/api/sales/{id}")).await;
        // Five sales come to ₹9,78,500; the sixth reaches ₹11,74,200.
        assert_eq!(detail["kyc_report_due"], day == 6, "day {day}: {detail}");
        last = Some(id);
    }
    let detail: Value = shop
        .api
        .get_json(&format!("/api/sales/{}", last.expect("sale")))
        .await;
    assert_eq!(detail["customer_cash_this_year_paise"], 11_74_200_00_i64);
    assert_eq!(detail["customer_name"], "Rina Sinha");
}
