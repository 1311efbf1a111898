//! Databases written by earlier schema versions open and migrate under this build.

use sarkar_crm::store::{Db, LATEST_SCHEMA_VERSION, schema_version};

use crate::helpers::TestApp;

/// A data directory holding a copy of a database written by an earlier version.
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(path, dir.path().join(sarkar_crm::data_dir::DATABASE_FILE))
        .expect("fixture copied");
    dir
}

#[tokio::test]
async fn the_version_1_fixture_opens_and_its_data_reads() {
    let dir = fixture("schema-v1.redb");

    let db = Db::open(
        &dir.path().join(sarkar_crm::data_dir::DATABASE_FILE),
        4 << 20,
        &sarkar_crm::config::Config::defaults().time_zone(),
    )
    .expect("fixture opens");
    assert_eq!(db.read(schema_version).unwrap(), LATEST_SCHEMA_VERSION);
    drop(db);

    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let customers = admin.get_json("/api/customers?per_page=100").await;
    assert_eq!(customers["total"], 20);
    assert!(
        customers["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["phone"].as_str().unwrap().starts_with("+91"))
    );
    assert_eq!(admin.get_json("/api/products").await["total"], 10);
    assert_eq!(
        admin.get_json("/api/floors").await["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        admin.get_json("/api/categories").await["items"]
            .as_array()
            .unwrap()
            .len(),
        27
    );
    assert_eq!(
        admin.get_json("/api/users").await["items"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    // The fixture keeps working for writes too.
    admin
        .create(
            "/api/customers",
            &crate::helpers::customer("After Migration", "9830000001"),
        )
        .await;
}

/// Schema 3 indexes the bills awaiting payment: a version 2 database (with demo sales,
/// some still pending) opens with its pending bills found by the pipeline, and the
/// index keeps up with new and cancelled bills afterwards.
#[tokio::test]
async fn the_version_2_fixture_opens_with_its_pending_bills_indexed() {
    let dir = fixture("schema-v2.redb");
    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;

    let sales = admin.get_json("/api/sales?limit=200").await;
    let sales = sales["items"].as_array().expect("sales");
    assert_eq!(
        sales.len(),
        33,
        "the demo's 30 and three bills drawn up after"
    );
    // Sales and the store written before the round-off read as paid to the paisa, with
    // no change, in a store that rounds to the rupee from now on.
    for sale in sales {
        assert_eq!(sale["round_off_paise"], 0, "{sale}");
        assert_eq!(sale["change_paise"], 0, "{sale}");
        assert_eq!(sale["payable_paise"], sale["total_paise"], "{sale}");
    }
    assert_eq!(
        admin.get_json("/api/store").await["round_off"],
        "NEAREST_RUPEE"
    );
    let mut pending: Vec<&str> = sales
        .iter()
        .filter(|s| s["status"] == "PENDING")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(
        !pending.is_empty(),
        "the fixture has bills awaiting payment"
    );
    let pipeline = admin.get_json("/api/pipeline").await;
    let mut indexed: Vec<&str> = Vec::new();
    let mut counted = 0;
    for floor in pipeline["floors"].as_array().unwrap() {
        let bills = floor["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == "AWAITING_PAYMENT")
            .expect("a stage of bills");
        counted += bills["count"].as_u64().unwrap();
        for item in bills["items"].as_array().unwrap() {
            indexed.push(item["sale"]["id"].as_str().unwrap());
        }
    }
    pending.sort_unstable();
    indexed.sort_unstable();
    assert_eq!(indexed, pending, "{pipeline}");
    assert_eq!(counted, pending.len() as u64);

    let first = pending[0].to_owned();
    let cancelled = admin
        .post(
            &format!("/api/sales/{first}/cancel"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(cancelled.status(), reqwest::StatusCode::OK);
    let pipeline = admin.get_json("/api/pipeline").await;
    assert!(!pipeline.to_string().contains(&first), "{pipeline}");
}

/// Schema 4 indexes birthdays and anniversaries by day of the year: every customer of a
/// version 2 database is wished on their day by My day, whatever the store's size.
#[tokio::test]
async fn the_version_2_fixture_finds_every_birthday_after_migrating() {
    let dir = fixture("schema-v2.redb");
    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let actor = app
        .crm()
        .authenticate(admin.token.as_deref().expect("token"))
        .expect("actor");
    let customers = admin.get_json("/api/customers?per_page=200").await;
    let mut wished = 0;
    for customer in customers["items"].as_array().expect("items") {
        let Some(born) = customer["date_of_birth"].as_str() else {
            continue;
        };
        let born: jiff::civil::Date = born.parse().expect("a date");
        // 2028 has a 29 February, so every birthday falls on its own day.
        let day = jiff::civil::date(2028, born.month(), born.day());
        let my_day = app.crm().my_day(&actor, day).expect("my day");
        assert!(
            my_day.occasions.iter().any(|o| o.customer.name.as_str()
                == customer["name"].as_str().unwrap()
                && o.date == day),
            "{} born {born} is wished on {day}",
            customer["name"]
        );
        wished += 1;
    }
    assert!(wished > 0, "the fixture has customers with birthdays");
}

/// Every item of an enveloped list, following `next`.
async fn everything(admin: &crate::helpers::Client, path: &str) -> Vec<serde_json::Value> {
    let mut items = Vec::new();
    let join = if path.contains('?') { '&' } else { '?' };
    let mut page = admin.get_json(&format!("{path}{join}limit=200")).await;
    loop {
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        let Some(next) = page["next"].as_str() else {
            return items;
        };
        page = admin
            .get_json(&format!("{path}{join}limit=200&cursor={next}"))
            .await;
    }
}

/// Schema 5 keeps each customer's lifetime value, last purchase and visits: a version 2
/// database gets them worked out from its sales and walk-ins, and the list sorts by them.
#[tokio::test]
async fn the_version_2_fixture_gets_each_customers_value_worked_out() {
    use std::collections::HashMap;

    let dir = fixture("schema-v2.redb");
    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let sales = everything(&admin, "/api/sales").await;
    let walk_ins = everything(&admin, "/api/interactions").await;
    // (value, purchases, last purchase, walk-ins) by customer, worked out by hand.
    let mut expected: HashMap<String, (i64, u64, Option<String>, u64)> = HashMap::new();
    for sale in &sales {
        if sale["status"] != "COMPLETED" && sale["status"] != "REFUNDED" {
            continue;
        }
        let slot = expected
            .entry(sale["customer_id"].as_str().unwrap().to_owned())
            .or_default();
        slot.0 +=
            sale["payable_paise"].as_i64().unwrap() - sale["refunded_paise"].as_i64().unwrap();
        slot.1 += 1;
        let at = sale["completed_at"].as_str().map(str::to_owned);
        let later = |a: &str, b: &str| {
            a.parse::<jiff::Timestamp>().unwrap() > b.parse::<jiff::Timestamp>().unwrap()
        };
        if slot
            .2
            .as_deref()
            .is_none_or(|seen| later(at.as_deref().unwrap(), seen))
        {
            slot.2 = at;
        }
    }
    for interaction in walk_ins.iter().filter(|i| i["type"] == "WALK_IN") {
        expected
            .entry(interaction["customer_id"].as_str().unwrap().to_owned())
            .or_default()
            .3 += 1;
    }
    assert!(
        expected.values().filter(|v| v.1 > 0).count() > 5,
        "the fixture has customers who bought"
    );
    let customers = everything(&admin, "/api/customers").await;
    for customer in &customers {
        let id = customer["id"].as_str().unwrap();
        let (value, purchases, last, walked_in) = expected.get(id).cloned().unwrap_or_default();
        assert_eq!(customer["lifetime_value_paise"], value, "{customer}");
        assert_eq!(customer["purchases"], purchases, "{customer}");
        assert_eq!(customer["visits"], purchases + walked_in, "{customer}");
        let shown = customer["last_purchase_at"]
            .as_str()
            .map(|t| t.parse::<jiff::Timestamp>().unwrap());
        let last = last.map(|t| t.parse::<jiff::Timestamp>().unwrap());
        assert_eq!(shown, last, "{customer}");
    }

    // The list sorts by the worked-out values, every customer once.
    let by_value = everything(&admin, "/api/customers?sort=-value").await;
    assert_eq!(by_value.len(), customers.len());
    let values: Vec<i64> = by_value
        .iter()
        .map(|c| c["lifetime_value_paise"].as_i64().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");

    // A walk-in after the migration counts on top of what was worked out.
    let best = &by_value[0];
    let floor = admin.get_json("/api/floors").await["items"][0]["id"].clone();
    let walk_in = admin
        .post(
            "/api/interactions/walk-in",
            &serde_json::json!({"phone": best["phone"], "floor_id": floor}),
        )
        .await;
    assert_eq!(walk_in.status(), reqwest::StatusCode::CREATED);
    let walk_in: serde_json::Value = walk_in.json().await.unwrap();
    assert_eq!(
        walk_in["customer"]["visits"].as_u64(),
        best["visits"].as_u64().map(|v| v + 1)
    );
    assert_eq!(
        walk_in["customer"]["lifetime_value_paise"],
        best["lifetime_value_paise"]
    );
}

/// Which sales of a list a check is about.
type Keep<'a> = Box<dyn Fn(&serde_json::Value) -> bool + 'a>;

/// Schema 6 keeps what each day's sales add up to: a version 2 database gets the summary
/// worked out from its sales, and the register's totals, read from it, agree with them.
#[tokio::test]
async fn the_version_2_fixture_gets_each_days_sales_totals_worked_out() {
    let dir = fixture("schema-v2.redb");
    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let sales = everything(&admin, "/api/sales").await;
    let zone = sarkar_crm::config::Config::defaults().time_zone();
    let day_of = |sale: &serde_json::Value| {
        let at = sale["completed_at"]
            .as_str()
            .unwrap_or_else(|| sale["created_at"].as_str().unwrap());
        at.parse::<jiff::Timestamp>()
            .unwrap()
            .to_zoned_datetime(zone.clone())
            .date()
    };
    let middle = day_of(&sales[sales.len() / 2]);
    let checks: [(String, Keep); 5] = [
        (String::new(), Box::new(|_| true)),
        (
            "status=COMPLETED".into(),
            Box::new(|s| s["status"] == "COMPLETED"),
        ),
        (
            "status=PENDING".into(),
            Box::new(|s| s["status"] == "PENDING"),
        ),
        (format!("to={middle}"), Box::new(|s| day_of(s) <= middle)),
        (format!("from={middle}"), Box::new(|s| day_of(s) >= middle)),
    ];
    for (query, keep) in checks {
        let matching: Vec<&serde_json::Value> = sales.iter().filter(|s| keep(s)).collect();
        let invoiced: Vec<&&serde_json::Value> = matching
            .iter()
            .filter(|s| s["status"] == "COMPLETED" || s["status"] == "REFUNDED")
            .collect();
        let sum =
            |field: &str| -> i64 { invoiced.iter().map(|s| s[field].as_i64().unwrap()).sum() };
        let totals = admin.get_json(&format!("/api/sales/totals?{query}")).await;
        assert!(!matching.is_empty(), "{query}");
        assert_eq!(totals["bills"], matching.len(), "{query}");
        assert_eq!(totals["invoiced"], invoiced.len(), "{query}");
        assert_eq!(totals["payable_paise"], sum("payable_paise"), "{query}");
        assert_eq!(totals["refunded_paise"], sum("refunded_paise"), "{query}");
    }
}

#[tokio::test]
async fn the_version_2_fixture_gets_its_figures_and_each_bills_categories_and_place() {
    use sarkar_crm::app::figures::FigureFilter;
    use sarkar_crm::store::Scope;
    use sarkar_crm::store::sales::{SaleCandidates, walk_sales};

    let dir = fixture("schema-v2.redb");
    let app = TestApp::start(dir.path()).await;
    let crm = app.crm();
    let signed_in = crm
        .login(
            sarkar_crm::app::LoginInput {
                username: "owner".into(),
                password: crate::helpers::PASSWORD.into(),
            },
            "migration test",
        )
        .await
        .unwrap();
    let actor = crm.authenticate(&signed_in.token).unwrap();
    let store = actor.store_id;
    let mut sales = Vec::new();
    crm.db()
        .read(|rx| {
            walk_sales(
                rx,
                &Scope::store(store),
                SaleCandidates::All,
                u128::MAX,
                &mut |s| {
                    sales.push(s);
                    Ok(true)
                },
            )
        })
        .unwrap();
    assert!(!sales.is_empty());
    // Migration 10 wrote each line's category and the place of supply onto every bill.
    for sale in &sales {
        assert_eq!(
            sale.line_categories.len(),
            sale.lines.len(),
            "{:?}",
            sale.invoice_no
        );
        assert!(sale.place_of_supply.is_some(), "{:?}", sale.invoice_no);
    }
    // ...and worked out the figures: every invoiced bill counted once.
    let invoiced: Vec<_> = sales
        .iter()
        .filter(|s| {
            matches!(
                s.status,
                sarkar_crm::domain::SaleStatus::Completed
                    | sarkar_crm::domain::SaleStatus::Refunded
            )
        })
        .collect();
    let payable: i64 = invoiced.iter().map(|s| s.payable().get()).sum();
    let span = (
        jiff::civil::date(2000, 1, 1),
        jiff::civil::date(2099, 12, 31),
    );
    let figures = crm
        .period_figures(&actor, span, FigureFilter::default())
        .unwrap();
    assert_eq!(figures.bills.bills, invoiced.len() as i64);
    assert_eq!(figures.bills.payable.get(), payable);
}
