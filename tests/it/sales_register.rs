//! The sales register over the API and the page, on a demo store of a few hundred
//! sales over two years: each filter alone and together, checked against the whole
//! list filtered by hand; totals over every page; bad filters refused with a 4xx; a
//! Floor Manager held to their floor.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use sarkar_crm::app::Crm;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::UserRole;
use serde_json::Value;

use crate::helpers::{Client, TestApp, expect_field_problem};
use crate::pages::PageClient;

/// A data directory filled by the demo generator (sales dated over two years).
fn demo_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config);
    let options = DemoOptions {
        customers: 150,
        products: 60,
        sales: 320,
        seed: 14,
    };
    generate(&crm, &options, false).unwrap();
    dir
}

/// Every item of a list, following `next`; and the `total` of its first page.
async fn walk(api: &Client, query: &str, limit: u32) -> (Vec<Value>, Option<u64>) {
    let mut items = Vec::new();
    let mut path = format!("/api/sales?{query}&limit={limit}");
    let mut total = None;
    loop {
        let page = api.get_json(&path).await;
        if total.is_none() {
            total = page["total"].as_u64();
        }
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next"].as_str() {
            Some(next) => path = format!("/api/sales?{query}&limit={limit}&cursor={next}"),
            None => return (items, total),
        }
    }
}

/// The store's day a sale is dated on: completed bills by completion, others when
/// drawn up.
fn day_of(sale: &Value) -> jiff::civil::Date {
    let at = sale["completed_at"]
        .as_str()
        .unwrap_or_else(|| sale["created_at"].as_str().unwrap());
    let at: jiff::Timestamp = at.parse().unwrap();
    at.to_zoned_datetime(Config::defaults().time_zone()).date()
}

/// What the totals should say for these sales, worked out from their JSON.
fn totals_of(sales: &[&Value]) -> BTreeMap<&'static str, i64> {
    let invoiced: Vec<_> = sales
        .iter()
        .filter(|s| s["status"] == "COMPLETED" || s["status"] == "REFUNDED")
        .collect();
    let sum = |f: &dyn Fn(&Value) -> i64| invoiced.iter().map(|s| f(s)).sum::<i64>();
    BTreeMap::from([
        ("bills", sales.len() as i64),
        ("invoiced", invoiced.len() as i64),
        (
            "payable_paise",
            sum(&|s| s["payable_paise"].as_i64().unwrap()),
        ),
        (
            "refunded_paise",
            sum(&|s| s["refunded_paise"].as_i64().unwrap()),
        ),
        (
            "cash_paise",
            sum(&|s| {
                let cash: i64 = s["payments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["method"] == "CASH")
                    .map(|p| p["amount_paise"].as_i64().unwrap())
                    .sum();
                cash - s["change_paise"].as_i64().unwrap()
            }),
        ),
    ])
}

fn ids(sales: &[&Value]) -> Vec<String> {
    sales
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Checks one filtered query against the whole register filtered by `keep`.
async fn check(api: &Client, all: &[Value], query: &str, keep: &dyn Fn(&Value) -> bool) -> usize {
    let expected: Vec<&Value> = all.iter().filter(|s| keep(s)).collect();
    let (listed, total) = walk(api, query, 40).await;
    let listed: Vec<&Value> = listed.iter().collect();
    assert_eq!(ids(&listed), ids(&expected), "{query}: the sales listed");
    assert_eq!(total, Some(expected.len() as u64), "{query}: total");
    let totals = api.get_json(&format!("/api/sales/totals?{query}")).await;
    let got: BTreeMap<&'static str, i64> = totals_of(&expected)
        .keys()
        .map(|k| (*k, totals[*k].as_i64().unwrap_or(-1)))
        .collect();
    assert_eq!(got, totals_of(&expected), "{query}: totals {totals}");
    expected.len()
}

#[tokio::test]
async fn every_filter_alone_and_together_lists_and_adds_up_what_matches() {
    let dir = demo_store();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    // Before the demo store opens (at night in Kolkata) it has no bill awaiting payment:
    // one is drawn up here, so the pending filter always has something to find.
    let floors = api.get_json("/api/floors").await;
    let floor = floors["items"][0]["id"].as_str().unwrap().to_owned();
    let customers = api.get_json("/api/customers?limit=1").await;
    let buyer = customers["items"][0]["id"].as_str().unwrap().to_owned();
    let piece = api
        .create(
            "/api/products",
            &serde_json::json!({"sku": "PEND-1", "name": "Silver coin", "floor_id": floor,
                "metal": "SILVER", "purity": "925", "gross_weight_mg": 10_000,
                "making_charge": {"flat_paise": 0}, "fixed_price_paise": 1_000_00, "stock_qty": 1}),
        )
        .await;
    crate::helpers::paid_bill(&api, &buyer, &floor, piece["id"].as_str().unwrap(), false).await;
    let (all, total) = walk(&api, "", 200).await;
    assert_eq!(total, Some(all.len() as u64));
    assert!(all.len() > 300, "the demo's sales: {}", all.len());
    let with_everything = check(&api, &all, "", &|_| true).await;
    assert_eq!(with_everything, all.len());

    let floor = all[0]["floor_id"].as_str().unwrap().to_owned();
    let staff = all[0]["staff_id"].as_str().unwrap().to_owned();
    let middle = day_of(&all[all.len() / 2]);
    let from = middle.checked_sub(jiff::Span::new().days(60)).unwrap();
    let invoice = all
        .iter()
        .find_map(|s| s["invoice_no"].as_str())
        .unwrap()
        .to_owned();
    let serial = invoice.rsplit('/').next().unwrap().to_owned();
    let year_prefix = invoice[..invoice.rfind('/').unwrap() + 1].to_owned();
    let has = |s: &Value, method: &str| {
        s["payments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["method"] == method)
    };

    // Each alone.
    let counted = [
        check(&api, &all, &format!("from={from}"), &|s| day_of(s) >= from).await,
        check(&api, &all, &format!("to={middle}"), &|s| {
            day_of(s) <= middle
        })
        .await,
        check(&api, &all, &format!("from={middle}&to={middle}"), &|s| {
            day_of(s) == middle
        })
        .await,
        check(&api, &all, &format!("floor_id={floor}"), &|s| {
            s["floor_id"] == floor.as_str()
        })
        .await,
        check(&api, &all, &format!("salesperson_id={staff}"), &|s| {
            s["staff_id"] == staff.as_str()
        })
        .await,
        check(&api, &all, "status=COMPLETED", &|s| {
            s["status"] == "COMPLETED"
        })
        .await,
        check(&api, &all, "status=pending", &|s| s["status"] == "PENDING").await,
        check(&api, &all, "status=REFUNDED", &|s| {
            s["status"] == "REFUNDED"
        })
        .await,
        check(&api, &all, "payment=OLD_GOLD", &|s| has(s, "OLD_GOLD")).await,
        check(&api, &all, "payment=cash", &|s| has(s, "CASH")).await,
        check(
            &api,
            &all,
            &format!("invoice={}", invoice.to_lowercase()),
            &|s| s["invoice_no"] == invoice.as_str(),
        )
        .await,
        check(&api, &all, &format!("invoice={year_prefix}"), &|s| {
            s["invoice_no"]
                .as_str()
                .is_some_and(|n| n.starts_with(&year_prefix))
        })
        .await,
        check(&api, &all, &format!("invoice={serial}"), &|s| {
            s["invoice_no"]
                .as_str()
                .is_some_and(|n| n.rsplit('/').next() == Some(serial.as_str()))
        })
        .await,
    ];
    // One day may have no sale; every other filter finds some in the demo.
    let (one_day, others) = (counted[2], [&counted[..2], &counted[3..]].concat());
    assert!(
        others.iter().all(|n| *n > 0) && one_day < all.len(),
        "{counted:?}"
    );

    // Together, around one sale so that something matches.
    let one = &all[all.len() / 3];
    let (floor, status) = (
        one["floor_id"].as_str().unwrap(),
        one["status"].as_str().unwrap(),
    );
    let method = one["payments"][0]["method"].as_str().unwrap();
    let (last, first) = (
        day_of(one),
        day_of(one).checked_sub(jiff::Span::new().days(60)).unwrap(),
    );
    let together = check(
        &api,
        &all,
        &format!("from={first}&to={last}&floor_id={floor}&status={status}&payment={method}"),
        &|s| {
            (first..=last).contains(&day_of(s))
                && s["floor_id"] == floor
                && s["status"] == status
                && has(s, method)
        },
    )
    .await;
    assert!(together > 0, "the sale chosen matches");
    check(
        &api,
        &all,
        &format!("salesperson_id={staff}&status=CANCELLED&to={middle}"),
        &|s| s["staff_id"] == staff.as_str() && s["status"] == "CANCELLED" && day_of(s) <= middle,
    )
    .await;
    // Nothing matches: an empty page and zero totals, not an error.
    assert_eq!(check(&api, &all, "invoice=XX/99", &|_| false).await, 0);
}

#[tokio::test]
async fn bad_filters_are_refused_by_name_and_a_floor_manager_keeps_to_their_floor() {
    let dir = demo_store();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let floor_name = "Ground Floor — Gold";
    app.add_user("fm.test", UserRole::FloorManager, Some(floor_name), None)
        .await;
    let api = app.admin().await;
    let floors = api.get_json("/api/floors").await;
    let floor_id = |name: &str| {
        floors["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let (own, other) = (floor_id(floor_name), floor_id("First Floor — Diamond"));
    let unknown = uuid::Uuid::now_v7();
    let before = app.crm().last_change().unwrap();
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2026-02-30", "to"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("floor_id=ground", "floor_id"),
        (&format!("floor_id={unknown}") as &str, "floor_id"),
        (&format!("salesperson_id={unknown}"), "salesperson_id"),
        ("status=SOLD", "status"),
        ("payment=CHEQUE", "payment"),
    ] {
        for path in ["/api/sales", "/api/sales/totals"] {
            let response = api.get(&format!("{path}?{query}")).await;
            expect_field_problem(response, StatusCode::BAD_REQUEST, field).await;
        }
    }
    let unknown_parameter = api.get("/api/sales?colour=red").await;
    assert!(
        unknown_parameter.status().is_client_error(),
        "{}",
        unknown_parameter.status()
    );
    assert_eq!(app.crm().last_change().unwrap(), before, "nothing stored");

    // A Floor Manager's register and totals are their floor's; naming another is 403.
    let manager = app.login("fm.test").await;
    let (mine, total) = walk(&manager, "", 200).await;
    assert!(!mine.is_empty() && mine.iter().all(|s| s["floor_id"] == own.as_str()));
    let (everything, _) = walk(&api, "", 200).await;
    let expected: Vec<&Value> = everything
        .iter()
        .filter(|s| s["floor_id"] == own.as_str())
        .collect();
    assert_eq!(total, Some(expected.len() as u64));
    let totals = manager.get_json("/api/sales/totals").await;
    assert_eq!(
        totals["payable_paise"].as_i64(),
        totals_of(&expected).get("payable_paise").copied()
    );
    assert_eq!(
        walk(&manager, &format!("floor_id={own}"), 200)
            .await
            .0
            .len(),
        mine.len()
    );
    let refused = manager.get(&format!("/api/sales?floor_id={other}")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // The page explains a bad filter above the list (a 4xx), and a Floor Manager
    // naming another floor is refused.
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/sales?from=soon&status=SOLD").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("is not a date") && html.contains("SOLD"),
        "{html}"
    );
    let (status, _) = pages.get("/sales?before=nonsense").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let manager_pages = PageClient::sign_in(&app, "fm.test").await;
    let (status, _) = manager_pages.get(&format!("/sales?floor_id={other}")).await;
    assert!(status.is_client_error(), "{status}");
}

#[tokio::test]
async fn the_page_filters_totals_everything_and_pages_on_with_its_filters() {
    let dir = demo_store();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    let (all, _) = walk(&api, "", 200).await;
    let floor = all[0]["floor_id"].as_str().unwrap().to_owned();
    let query = format!("floor_id={floor}&status=COMPLETED");
    let matching: Vec<&Value> = all
        .iter()
        .filter(|s| s["floor_id"] == floor.as_str() && s["status"] == "COMPLETED")
        .collect();
    assert!(
        matching.len() > 50,
        "more than one page: {}",
        matching.len()
    );
    let totals = api.get_json(&format!("/api/sales/totals?{query}")).await;

    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get(&format!("/sales?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!(r#"id="total-bills">{}<"#, matching.len())));
    let payable = sarkar_crm::domain::Paise::new(totals["payable_paise"].as_i64().unwrap());
    assert!(
        html.contains(&format!(r#"id="total-payable">{payable}<"#)),
        "the payable of every page, {payable}"
    );
    assert_eq!(
        html.matches(r#"<tr><td class="nowrap"><a href="/sales/"#)
            .count(),
        50
    );
    // The customer's name is on each row, and the filters stay in the form.
    let first_customer = matching[0]["customer_id"].as_str().unwrap();
    let customer = api
        .get_json(&format!("/api/customers/{first_customer}"))
        .await;
    assert!(html.contains(customer["name"].as_str().unwrap()));
    assert!(html.contains(r#"<option value="COMPLETED" selected>"#));
    // "Older" keeps the filters.
    let older = html
        .split(r#"rel="next" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an Older link")
        .replace("&amp;", "&");
    assert!(
        older.contains(&format!("floor_id={floor}")) && older.contains("status=COMPLETED"),
        "{older}"
    );
    let (status, next_page) = pages.get(&older).await;
    assert_eq!(status, StatusCode::OK);
    let rest = matching.len() - 50;
    assert_eq!(
        next_page
            .matches(r#"<tr><td class="nowrap"><a href="/sales/"#)
            .count(),
        rest.min(50)
    );
    assert!(next_page.contains(&format!(r#"id="total-bills">{}<"#, matching.len())));
    // An invoice number typed whole finds its one bill.
    let invoice = matching[0]["invoice_no"].as_str().unwrap();
    let (_, found) = pages
        .get(&format!("/sales?invoice={}", invoice.replace('/', "%2F")))
        .await;
    assert!(found.contains(r#"id="total-bills">1<"#) && found.contains(invoice));
}
