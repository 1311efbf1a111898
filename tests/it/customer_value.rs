//! A customer's lifetime value, last purchase and visits follow their sales, refunds
//! and walk-ins; the list sorts by each; a purchase converts a prospect (and an
//! inactive customer's first one), while an inactive buyer who had bought is active.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::pages::PageClient;
use crate::sales::{Shop, fixed, shop};

/// Draws up a bill for `rupees` worth of silver (3% GST on top, so a round ₹1.03 per
/// rupee when `rupees` is a multiple of 100) and completes it; returns the sale.
async fn buy(shop: &Shop, customer: &str, sku: &str, rupees: i64) -> Value {
    let product = shop.product(fixed(sku, rupees, 3)).await;
    let bill = shop
        .sale(json!({
            "customer_id": customer, "lines": [{"product_id": product}],
            "payments": [{"method": "UPI", "amount_paise": rupees * 103}],
        }))
        .await;
    assert_eq!(bill["payable_paise"], rupees * 103, "a round figure");
    let done = shop.complete(&bill).await;
    assert_eq!(done.status(), StatusCode::OK);
    done.json().await.expect("json")
}

async fn customer_json(shop: &Shop, id: &str) -> Value {
    shop.api.get_json(&format!("/api/customers/{id}")).await
}

#[tokio::test]
async fn value_last_purchase_and_visits_follow_sales_refunds_and_walk_ins() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let rina = shop
        .customer("9831000101", json!({"status": "PROSPECT"}))
        .await;
    let fresh = customer_json(&shop, &rina).await;
    assert_eq!(
        (
            &fresh["lifetime_value_paise"],
            &fresh["last_purchase_at"],
            &fresh["purchases"],
            &fresh["visits"]
        ),
        (&json!(0), &Value::Null, &json!(0), &json!(0))
    );

    // A walk-in is a visit; a bill drawn up and one cancelled count for nothing.
    let walk_in = shop
        .api
        .post(
            "/api/interactions/walk-in",
            &json!({"phone": "9831000101", "floor_id": shop.floor}),
        )
        .await;
    assert_eq!(walk_in.status(), StatusCode::CREATED);
    let walk_in: Value = walk_in.json().await.expect("json");
    assert_eq!(walk_in["customer"]["visits"], 1);
    let pending_product = shop.product(fixed("PND-1", 5_000, 1)).await;
    let pending = shop
        .sale(
            json!({"customer_id": rina, "lines": [{"product_id": pending_product}],
            "payments": [{"method": "CASH", "amount_paise": 5_150_00}]}),
        )
        .await;
    let cancelled = shop
        .sale(
            json!({"customer_id": rina, "lines": [{"product_id": pending_product}],
            "payments": [{"method": "CASH", "amount_paise": 5_150_00}]}),
        )
        .await;
    let id = cancelled["id"].as_str().unwrap();
    let response = shop
        .api
        .post(&format!("/api/sales/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let before = customer_json(&shop, &rina).await;
    assert_eq!(before["lifetime_value_paise"], 0);
    assert_eq!(before["status"], "PROSPECT");
    assert_eq!(before["visits"], 1);

    // Two completed bills: ₹12,360 and ₹3,090 with GST.
    let first = buy(&shop, &rina, "SET-1", 12_000).await;
    let second = buy(&shop, &rina, "SET-2", 3_000).await;
    let after = customer_json(&shop, &rina).await;
    assert_eq!(after["status"], "CONVERTED");
    assert_eq!(after["lifetime_value_paise"], 15_450_00);
    assert_eq!(after["purchases"], 2);
    assert_eq!(after["visits"], 3, "one walk-in and two completed bills");
    assert_eq!(after["last_purchase_at"], second["completed_at"]);
    assert!(first["completed_at"].as_str() <= second["completed_at"].as_str());

    // Taking the whole first bill back lowers the value; it stays a purchase.
    let id = first["id"].as_str().unwrap();
    let refund = shop
        .api
        .post(
            &format!("/api/sales/{id}/refund"),
            &json!({"reason": "changed her mind"}),
        )
        .await;
    assert_eq!(refund.status(), StatusCode::OK);
    let refunded = customer_json(&shop, &rina).await;
    assert_eq!(refunded["lifetime_value_paise"], 3_090_00);
    assert_eq!(refunded["purchases"], 2);
    assert_eq!(refunded["last_purchase_at"], second["completed_at"]);

    // The pending bill, completed at last, counts from then on.
    let done = shop.complete(&pending).await;
    assert_eq!(
        done.status(),
        StatusCode::OK,
        "{}",
        done.text().await.unwrap()
    );
    let last = customer_json(&shop, &rina).await;
    assert_eq!(last["lifetime_value_paise"], 8_240_00);
    assert_eq!(last["visits"], 4);

    // The customer's page shows the same figures, and says what they count.
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get(&format!("/customers/{rina}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("₹8,240.00"), "lifetime value on the page");
    assert!(html.contains("Visits count each walk-in logged and each completed bill"));
}

#[tokio::test]
async fn a_purchase_converts_prospects_and_first_time_inactive_customers_only() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let mut cases = Vec::new();
    for (n, status) in ["PROSPECT", "INACTIVE", "ACTIVE", "CONVERTED"]
        .iter()
        .enumerate()
    {
        let id = shop
            .customer(&format!("983100020{n}"), json!({"status": status}))
            .await;
        buy(&shop, &id, &format!("FIRST-{n}"), 1_000).await;
        cases.push((id, *status));
    }
    let after: Vec<Value> = futures_after(&shop, &cases).await;
    assert_eq!(
        after,
        ["CONVERTED", "CONVERTED", "ACTIVE", "CONVERTED"].map(|s| json!(s))
    );

    // A customer who had bought, marked inactive, and back to buy is active again.
    let (lapsed, _) = &cases[2];
    let mut body = customer_json(&shop, lapsed).await;
    let update = json!({"name": body["name"], "phone": body["phone"], "status": "INACTIVE"});
    let response = shop
        .api
        .put(&format!("/api/customers/{lapsed}"), &update)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    buy(&shop, lapsed, "AGAIN-1", 2_000).await;
    body = customer_json(&shop, lapsed).await;
    assert_eq!(body["status"], "ACTIVE");
    assert_eq!(body["lifetime_value_paise"], 3_090_00);
}

async fn futures_after(shop: &Shop, cases: &[(String, &str)]) -> Vec<Value> {
    let mut out = Vec::new();
    for (id, _) in cases {
        out.push(customer_json(shop, id).await["status"].clone());
    }
    out
}

#[tokio::test]
async fn the_list_sorts_by_value_last_purchase_and_visits() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let never = shop.customer("9831000301", json!({})).await;
    let big = shop.customer("9831000302", json!({})).await;
    let small = shop.customer("9831000303", json!({})).await;
    buy(&shop, &big, "BIG-1", 50_000).await;
    buy(&shop, &small, "SMALL-1", 2_000).await;
    buy(&shop, &small, "SMALL-2", 1_000).await;
    for _ in 0..3 {
        let response = shop
            .api
            .post(
                "/api/interactions/walk-in",
                &json!({"phone": "9831000301", "floor_id": shop.floor}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let order = |sort: &'static str| {
        let api = &shop.api;
        async move {
            let page = api
                .get_json(&format!("/api/customers?sort={sort}&limit=200"))
                .await;
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let ids = |list: &[&String]| list.iter().map(|s| (*s).clone()).collect::<Vec<_>>();
    assert_eq!(order("-value").await, ids(&[&big, &small, &never]));
    assert_eq!(order("value").await, ids(&[&never, &small, &big]));
    assert_eq!(order("-last_purchase").await, ids(&[&small, &big, &never]));
    assert_eq!(order("-visits").await, ids(&[&never, &small, &big]));
    assert_eq!(order("visits").await, ids(&[&big, &small, &never]));

    // Paging by cursor walks the same order; a removed customer leaves it and a
    // restored one comes back in place.
    let first = shop
        .api
        .get_json("/api/customers?sort=-value&limit=1")
        .await;
    assert_eq!(first["items"][0]["id"], json!(big));
    assert_eq!(first["total"], 3);
    let next = first["next"].as_str().unwrap();
    let second = shop
        .api
        .get_json(&format!("/api/customers?sort=-value&limit=1&cursor={next}"))
        .await;
    assert_eq!(second["items"][0]["id"], json!(small));
    let removed = shop.api.delete(&format!("/api/customers/{small}")).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(order("-value").await, ids(&[&big, &never]));
    let restored = shop
        .api
        .post(&format!("/api/customers/{small}/restore"), &json!({}))
        .await;
    assert_eq!(restored.status(), StatusCode::OK);
    let restored: Value = restored.json().await.unwrap();
    assert_eq!(restored["lifetime_value_paise"], 3_090_00);
    assert_eq!(order("-value").await, ids(&[&big, &small, &never]));

    // An order the list does not know is a 4xx naming `sort`.
    let response = shop.api.get("/api/customers?sort=richest").await;
    assert!(response.status().is_client_error(), "{}", response.status());

    // The page offers the orders and shows the columns.
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/customers?sort=-value").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Highest value") && html.contains("Lifetime value"));
    let (big_at, never_at) = (html.find(&big).unwrap(), html.find(&never).unwrap());
    assert!(
        big_at < never_at,
        "the highest value comes first on the page"
    );
    assert!(html.contains("₹51,500.00"));
}
