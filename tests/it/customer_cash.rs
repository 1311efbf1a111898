//! Each customer's cash per day, kept with every sale write, agrees with adding up their
//! sales: after completing, partly and fully refunding, cancelling and leaving bills
//! pending, and after a version 2 database is migrated.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use reqwest::StatusCode;
use sarkar_crm::domain::{CustomerId, FinancialYear, Paise, Sale, SaleStatus, StoreId};
use sarkar_crm::store::customer_cash::{CashKept, cash_kept};
use sarkar_crm::store::{Db, Scope, sales};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::sales::{fixed, shop};

/// What the counter's rules counted before the index: every sale of the customer read.
fn by_scan(sales: &[Sale], day: Date, zone: &TimeZone) -> CashKept {
    let year = FinancialYear::containing(day);
    let mut kept = CashKept::default();
    for sale in sales {
        let Some(done) = sale.completed_at else {
            continue;
        };
        let done_on = done.to_zoned_datetime(zone.clone()).date();
        let cash = sale.cash_kept();
        if sale.status == SaleStatus::Completed && done_on == day {
            kept.on_day = kept.on_day.checked_add(cash).expect("sum");
        }
        if matches!(sale.status, SaleStatus::Completed | SaleStatus::Refunded)
            && done_on <= day
            && FinancialYear::containing(done_on) == year
        {
            kept.in_year = kept.in_year.checked_add(cash).expect("sum");
        }
    }
    kept
}

/// Checks the index against the scan for each of `customers` of `store`, on each day
/// one of their sales was drawn up or completed, the day after, and the first day of
/// its financial year; answers how many comparisons it made.
fn agrees(db: &Db, zone: &TimeZone, store: StoreId, customers: &[CustomerId]) -> usize {
    let scope = Scope::store(store);
    let mut checked = 0;
    for customer in customers {
        let theirs = db
            .read(|rx| sales::sales_of_customer(rx, &scope, *customer, usize::MAX))
            .expect("sales read");
        for sale in &theirs {
            let day = sale
                .completed_at
                .unwrap_or(sale.created_at)
                .to_zoned_datetime(zone.clone())
                .date();
            let year_start = jiff::civil::date(FinancialYear::containing(day).start_year(), 4, 1);
            for on in [day, day.tomorrow().expect("a day"), year_start] {
                let indexed = db
                    .read(|rx| cash_kept(rx, &scope, *customer, on))
                    .expect("the index reads");
                assert_eq!(indexed, by_scan(&theirs, on, zone), "{on} for {customer:?}");
                checked += 1;
            }
        }
    }
    checked
}

fn id<T>(value: &Value, from: impl Fn(uuid::Uuid) -> T) -> T {
    from(value.as_str().expect("an id").parse().expect("a uuid"))
}

#[tokio::test]
async fn the_index_agrees_with_the_sales_after_completes_refunds_and_cancels() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    shop.product(fixed("TEA-1", 10_000, 50)).await;
    let store = id(
        &shop.api.get_json("/api/users").await["items"][0]["store_id"],
        StoreId::from_uuid,
    );
    let mut customers = Vec::new();
    for phone in ["9831000001", "9831000002"] {
        let customer = shop.customer(phone, json!({})).await;
        customers.push(id(&json!(customer), CustomerId::from_uuid));
    }
    // ₹10,000 + 3% GST = ₹10,300 a set, paid partly in cash with change given back.
    let bill = |customer: &CustomerId, quantity: u32| {
        json!({
            "customer_id": customer.to_string(),
            "lines": [{"sku": "TEA-1", "quantity": quantity}],
            "payments": [
                {"method": "CASH", "amount_paise": 5_000_00 * i64::from(quantity) + 50_00},
                {"method": "UPI", "amount_paise": 5_300_00 * i64::from(quantity)},
            ],
        })
    };
    let mut done = Vec::new();
    for (customer, quantity) in customers.iter().flat_map(|c| [(c, 1), (c, 2), (c, 3)]) {
        let sale = shop.sale(bill(customer, quantity)).await;
        assert_eq!(shop.complete(&sale).await.status(), StatusCode::OK);
        done.push(sale);
    }
    let zone = app.crm().config().time_zone();
    assert!(agrees(app.crm().db(), &zone, store, &customers) > 0);

    let refund = |sale: &Value, body: Value| {
        let path = format!("/api/sales/{}/refund", sale["id"].as_str().expect("id"));
        let api = &shop.api;
        async move { api.post(&path, &body).await }
    };
    let partly = refund(
        &done[1],
        json!({"lines": [{"line": 0, "quantity": 1}], "reason": "size"}),
    )
    .await;
    assert!(partly.status().is_success(), "{}", partly.status());
    let fully = refund(&done[2], json!({"reason": "changed their mind"})).await;
    assert!(fully.status().is_success(), "{}", fully.status());
    let pending = shop.sale(bill(&customers[1], 1)).await;
    let cancelled = shop.sale(bill(&customers[1], 2)).await;
    let path = format!(
        "/api/sales/{}/cancel",
        cancelled["id"].as_str().expect("id")
    );
    assert!(shop.api.post(&path, &json!({})).await.status().is_success());
    assert_eq!(pending["status"], "PENDING");
    assert!(agrees(app.crm().db(), &zone, store, &customers) > 0);

    // The first customer: three sets paid ₹5,050, ₹10,050 and ₹15,050 in cash with ₹50
    // of change each; the third bill taken back leaves ₹15,000 today, ₹30,000 this year.
    let today = app.crm().today();
    let first = app
        .crm()
        .db()
        .read(|rx| cash_kept(rx, &Scope::store(store), customers[0], today))
        .expect("the index reads");
    assert_eq!(first.on_day, Paise::new(15_000_00));
    assert_eq!(first.in_year, Paise::new(30_000_00));
}

/// Schema 7 keeps each customer's cash per day: a version 2 database gets it worked out
/// from its sales, agreeing with a scan of them.
#[tokio::test]
async fn the_version_2_fixture_gets_each_customers_cash_per_day_worked_out() {
    let dir = tempfile::tempdir().expect("dir");
    let path = format!(
        "{}/tests/fixtures/schema-v2.redb",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::copy(path, dir.path().join(sarkar_crm::data_dir::DATABASE_FILE))
        .expect("fixture copied");
    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let store = id(
        &admin.get_json("/api/users").await["items"][0]["store_id"],
        StoreId::from_uuid,
    );
    let customers: Vec<CustomerId> = admin.get_json("/api/customers?per_page=100").await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| id(&c["id"], CustomerId::from_uuid))
        .collect();
    assert!(!customers.is_empty());
    let zone = app.crm().config().time_zone();
    let compared = agrees(app.crm().db(), &zone, store, &customers);
    assert!(
        compared > 10,
        "the fixture's sales were compared: {compared}"
    );
    let any_cash = customers.iter().any(|customer| {
        app.crm()
            .db()
            .read(|rx| sales::sales_of_customer(rx, &Scope::store(store), *customer, usize::MAX))
            .expect("sales")
            .iter()
            .any(|s| s.completed_at.is_some() && s.cash_kept().get() > 0)
    });
    assert!(any_cash, "the fixture has cash sales to index");
}
