//! Product analytics: pieces added on known days (dated back from a fixed "today") fall
//! in the shelf-age buckets, valued at today's rates as worked out by hand; the pieces
//! not sold in 180 days are exactly those; sell-through counts the pieces sold against
//! those left; a Floor Manager sees their own floor's stock only; the exports hold
//! typed cells.

use jiff::Span;
use jiff::civil::Date;
use reqwest::StatusCode;
use sarkar_crm::app::product_analytics::{ProductAnalytics, ProductReportFilter};
use sarkar_crm::domain::{ProductId, UserRole};
use sarkar_crm::store::{ChangeOp, Scope, StoreError, catalogue};
use serde_json::{Value, json};

use crate::customer_analytics::actor_of;
use crate::helpers::TestApp;
use crate::pages::PageClient;
use crate::sales::{Shop, shop};

/// Adds a product over the API on `floor`, then dates it `days` before `today`.
async fn added(
    app: &TestApp,
    shop: &Shop,
    floor: &str,
    body: Value,
    today: Date,
    days: i64,
) -> String {
    let mut body = body;
    body["floor_id"] = json!(floor);
    let response = shop.api.post("/api/products", &body).await;
    let status = response.status();
    let product: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{product}");
    let id_text = product["id"].as_str().unwrap().to_owned();
    let id = ProductId::from_uuid(id_text.parse().unwrap());
    let crm = app.crm();
    let day = today.checked_sub(Span::new().days(days)).unwrap();
    let at = crm
        .config()
        .time_zone()
        .to_timestamp(day.at(11, 0, 0, 0))
        .unwrap();
    let actor = actor_of(app, &shop.api.token);
    let scope = Scope::store(actor.store_id);
    crm.db()
        .write(actor.author(), |w| -> Result<(), StoreError> {
            let old = catalogue::product(w, &scope, id)?.expect("the product");
            let mut new = old.clone();
            new.created_at = at;
            catalogue::update_product(w, &old, &new, ChangeOp::Updated)
        })
        .unwrap();
    id_text
}

/// A hallmarked gold piece (its HUID made from the tag number).
fn gold(sku: &str, purity: &str, grams: i64, making: Value, stock: i64) -> Value {
    let huid: String = format!("HU{}", sku.replace('-', ""))
        .chars()
        .take(6)
        .collect();
    let huid = format!("{huid:X<6}");
    json!({"sku": sku, "name": format!("Gold {sku}"), "metal": "GOLD", "purity": purity, "huid": huid,
        "gross_weight_mg": grams * 1000, "making_charge": making, "stock_qty": stock})
}

fn silver(sku: &str, fixed_rupees: Option<i64>, stock: i64) -> Value {
    json!({"sku": sku, "name": format!("Silver {sku}"), "metal": "SILVER", "purity": "925",
        "gross_weight_mg": 100_000, "making_charge": {"flat_paise": 0},
        "fixed_price_paise": fixed_rupees.map(|r| r * 100), "stock_qty": stock})
}

fn report(app: &TestApp, token: &Option<String>, today: Date) -> ProductAnalytics {
    let actor = actor_of(app, token);
    let filter = ProductReportFilter {
        from: today.checked_sub(Span::new().days(30)).unwrap(),
        to: today,
        floor: None,
    };
    app.crm()
        .product_analytics_on(&actor, &filter, today)
        .unwrap()
}

/// The ids as owned strings, to compare with a list read back.
fn owned(ids: &[&String]) -> Vec<String> {
    ids.iter().map(|s| (*s).clone()).collect()
}

#[tokio::test]
async fn ageing_values_and_the_unsold_list_are_worked_out_by_hand() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let today = app.crm().today();
    let floor = shop.floor.clone();
    // 2 × (10 g × ₹6,800 + 10 g × ₹500 making) = ₹1,46,000, 10 days on the shelf.
    let necklace = added(
        &app,
        &shop,
        &floor,
        gold("G22", "22K", 10, json!({"per_gram_paise": 500_00}), 2),
        today,
        10,
    )
    .await;
    // 5 g × ₹5,565 + ₹1,000 flat = ₹28,825, 200 days and never sold.
    let ring = added(
        &app,
        &shop,
        &floor,
        gold("G18", "18K", 5, json!({"flat_paise": 1_000_00}), 1),
        today,
        200,
    )
    .await;
    // Fixed ₹5,000 a piece, 400 days on the shelf; one sells today, three are left.
    let tea_set = added(
        &app,
        &shop,
        &floor,
        silver("S-FIX", Some(5_000), 4),
        today,
        400,
    )
    .await;
    // Silver has no rate today: no value, 100 days on the shelf.
    let _anklet = added(&app, &shop, &floor, silver("S-RATE", None, 1), today, 100).await;
    let customer = shop.customer("9831000301", json!({})).await;
    let bill = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": tea_set}],
            "payments": [{"method": "UPI", "amount_paise": 5_150_00}]}),
        )
        .await;
    assert_eq!(shop.complete(&bill).await.status(), StatusCode::OK);
    // Another floor's piece, 300 days old and unsold.
    let upstairs: Value = shop
        .api
        .post("/api/floors", &json!({"name": "First Floor", "level": 1}))
        .await
        .json()
        .await
        .unwrap();
    let upstairs = upstairs["id"].as_str().unwrap().to_owned();
    let bangle = added(
        &app,
        &shop,
        &upstairs,
        gold("G22-UP", "22K", 2, json!({"flat_paise": 0}), 1),
        today,
        300,
    )
    .await;

    let r = report(&app, &shop.api.token, today);
    let ageing: Vec<(i64, i64, i64, i64)> = r
        .ageing
        .iter()
        .map(|a| (a.pieces, a.net.get(), a.value.get(), a.unpriced))
        .collect();
    assert_eq!(
        ageing,
        [
            (2, 20_000, 1_46_000_00, 0),
            (0, 0, 0, 0),
            (1, 100_000, 0, 1),
            // The ring and the upstairs bangle (2 g × ₹6,800).
            (2, 7_000, 28_825_00 + 13_600_00, 0),
            (3, 300_000, 15_000_00, 0),
        ]
    );
    let unsold: Vec<String> = r.unsold.iter().map(|u| u.id.to_string()).collect();
    assert_eq!(
        unsold,
        owned(&[&bangle, &ring]),
        "oldest first; the tea set sold lately"
    );
    assert_eq!(r.unsold[1].value.map(|v| v.get()), Some(28_825_00));
    assert_eq!(r.unsold[1].days_on_shelf, 200);
    let silver_925 = r
        .by_purity
        .iter()
        .find(|(p, _)| p.label() == "925")
        .map(|(_, s)| *s)
        .unwrap();
    assert_eq!((silver_925.sold, silver_925.in_stock), (1, 4));
    assert_eq!(silver_925.rate_bp(), Some(2_000));
    assert!(!unsold.contains(&necklace));

    // The Floor Manager of the first floor: only the bangle, and no sales.
    app.add_user("fm-up", UserRole::FloorManager, Some("First Floor"), None)
        .await;
    let manager = app.login("fm-up").await;
    let theirs = report(&app, &manager.token, today);
    let pieces: i64 = theirs.ageing.iter().map(|a| a.pieces).sum();
    assert_eq!(pieces, 1);
    assert_eq!(theirs.unsold.len(), 1);
    assert_eq!(theirs.unsold[0].id.to_string(), bangle);
    assert!(theirs.by_purity.iter().all(|(_, s)| s.sold == 0));
    let refused = manager
        .get(&format!("/api/reports/products?floor_id={floor}"))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let bad = shop.api.get("/api/reports/products?from=yesterday").await;
    crate::helpers::expect_field_problem(bad, StatusCode::BAD_REQUEST, "from").await;

    // The workbook: an ageing sheet and an unsold sheet, in typed cells.
    let pages = PageClient::sign_in(&app, "owner").await;
    let response = pages
        .http
        .get(format!("{}/reports/products.xlsx", pages.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    use calamine::{Data, Reader, Xlsx};
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let ageing = book.worksheet_range("Stock by days on the shelf").unwrap();
    assert_eq!(ageing.get((1, 0)), Some(&Data::String("0–30 days".into())));
    assert_eq!(ageing.get((1, 1)), Some(&Data::Float(2.0)));
    assert_eq!(ageing.get((1, 2)), Some(&Data::Float(20.0)));
    assert_eq!(ageing.get((1, 4)), Some(&Data::Float(1_46_000.0)));
    let unsold = book.worksheet_range("Not sold in 180 days").unwrap();
    assert_eq!(unsold.get((1, 0)), Some(&Data::String("G22-UP".into())));
    assert!(matches!(unsold.get((2, 5)), Some(Data::DateTime(_))));
    assert_eq!(unsold.get((2, 7)), Some(&Data::Float(28_825.0)));
    let (status, csv) = pages.get("/reports/products.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("Not sold in 180 days,,,,,,,G18,"));
    let (status, html) = pages.get("/reports/products").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/products/{ring}")),
        "links to the piece"
    );
}
