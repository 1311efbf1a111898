//! Customer analytics: hand-made customers with known purchase histories (bills dated
//! back from a fixed "today") land in the RFM segments their rules say, the top
//! customers come highest value first, bills split into new and returning, a segment's
//! list pages on through its cursor, a Floor Manager's figures are their floor's while
//! the segments stay store-wide, bad queries are refused, and the call list exports
//! as typed cells.

use jiff::civil::Date;
use jiff::{Span, Timestamp};
use reqwest::StatusCode;
use sarkar_crm::app::customer_analytics::{CustomerReportFilter, CustomerReportQuery};
use sarkar_crm::app::{Actor, Crm};
use sarkar_crm::domain::rfm::Segment;
use sarkar_crm::domain::{SaleId, SaleStatus, UserRole};
use sarkar_crm::store::{Scope, StoreError, sales};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::pages::PageClient;
use crate::sales::{Shop, fixed, shop};

/// Noon, `days` before `today`, in the store's zone.
fn days_before(crm: &Crm, today: Date, days: i64) -> Timestamp {
    let day = today.checked_sub(Span::new().days(days)).unwrap();
    crm.config()
        .time_zone()
        .to_timestamp(day.at(12, 0, 0, 0))
        .unwrap()
}

pub fn actor_of(app: &TestApp, token: &Option<String>) -> Actor {
    app.crm()
        .authenticate(token.as_deref().expect("signed in"))
        .expect("actor")
}

/// A bill of `rupees` worth of silver (₹1.03 payable a rupee) for `customer`, drawn up
/// over the API and completed `days` before `today`, straight in the store, so its
/// date is the one the history needs.
async fn bought(app: &TestApp, shop: &Shop, customer: &str, rupees: i64, today: Date, days: i64) {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    let sku = format!(
        "RFM-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let product = shop.product(fixed(&sku, rupees, 1)).await;
    let bill = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": product}],
            "payments": [{"method": "UPI", "amount_paise": rupees * 103}]}),
        )
        .await;
    let id = SaleId::from_uuid(bill["id"].as_str().unwrap().parse().unwrap());
    let crm = app.crm();
    let at = days_before(crm, today, days);
    let actor = actor_of(app, &shop.api.token);
    let scope = Scope::store(actor.store_id);
    crm.db()
        .write(actor.author(), |w| -> Result<(), StoreError> {
            let old = sales::sale(w, &scope, id)?.expect("the bill");
            let mut new = old.clone();
            new.status = SaleStatus::Completed;
            new.completed_at = Some(at);
            new.updated_at = at;
            sales::update_sale(w, &old, &new)
        })
        .unwrap();
}

fn filter(today: Date, segment: Segment, limit: usize, from: Date) -> CustomerReportFilter {
    CustomerReportFilter {
        from,
        to: today,
        floor: None,
        segment,
        limit,
        after: None,
    }
}

/// The ids as owned strings, to compare with a list read back.
fn owned(ids: &[&String]) -> Vec<String> {
    ids.iter().map(|s| (*s).clone()).collect()
}

#[tokio::test]
async fn segments_top_customers_and_new_vs_returning_follow_the_histories() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let crm = app.crm();
    let today = crm.today();
    let admin = actor_of(&app, &shop.api.token);
    let floor = json!({"home_floor_id": shop.floor});
    let champion = shop.customer("9831000201", floor.clone()).await;
    for days in [200, 100, 10] {
        bought(&app, &shop, &champion, 70_000, today, days).await;
    }
    let loyal = shop.customer("9831000202", json!({})).await;
    for days in [330, 300, 200] {
        bought(&app, &shop, &loyal, 10_000, today, days).await;
    }
    let new = shop.customer("9831000203", json!({})).await;
    bought(&app, &shop, &new, 20_000, today, 30).await;
    let newer = shop.customer("9831000204", json!({})).await;
    bought(&app, &shop, &newer, 15_000, today, 60).await;
    let at_risk = shop.customer("9831000205", json!({})).await;
    for days in [300, 250] {
        bought(&app, &shop, &at_risk, 1_50_000, today, days).await;
    }
    let lapsed_high = shop.customer("9831000206", json!({})).await;
    for days in [500, 400] {
        bought(&app, &shop, &lapsed_high, 1_60_000, today, days).await;
    }
    let attention = shop.customer("9831000207", json!({})).await;
    for days in [120, 100] {
        bought(&app, &shop, &attention, 5_000, today, days).await;
    }
    let lapsed = shop.customer("9831000208", json!({})).await;
    bought(&app, &shop, &lapsed, 5_000, today, 400).await;
    let walk_in_today = shop.customer("9831000209", floor.clone()).await;
    bought(&app, &shop, &walk_in_today, 3_000, today, 0).await;
    let _never = shop.customer("9831000210", json!({})).await;

    let from = today.checked_sub(Span::new().days(45)).unwrap();
    let report = crm
        .customer_analytics_on(&admin, &filter(today, Segment::New, 50, from), today)
        .unwrap();
    let counts: Vec<(Segment, u64)> = report.counts.counts.clone();
    assert_eq!(
        counts,
        [
            (Segment::Champions, 1),
            (Segment::Loyal, 1),
            (Segment::New, 3),
            (Segment::AtRisk, 1),
            (Segment::LapsedHighSpenders, 1),
            (Segment::NeedsAttention, 1),
            (Segment::Lapsed, 1),
        ]
    );
    assert!(report.counts.complete);
    let ids = |rows: &[sarkar_crm::app::customer_analytics::CallRow]| -> Vec<String> {
        rows.iter().map(|r| r.id.to_string()).collect()
    };
    assert_eq!(
        ids(&report.members),
        owned(&[&walk_in_today, &new, &newer]),
        "latest first"
    );
    assert_eq!(report.members[1].days_since, Some(30));
    assert_eq!(report.members[1].lifetime_value.get(), 20_600_00);
    // Highest lifetime value first: 2 × ₹1,64,800; 2 × ₹1,54,500; 3 × ₹72,100; …
    assert_eq!(
        ids(&report.top),
        owned(&[
            &lapsed_high,
            &at_risk,
            &champion,
            &loyal,
            &new,
            &newer,
            &attention,
            &lapsed,
            &walk_in_today
        ])
    );
    assert_eq!(report.top[0].lifetime_value.get(), 3_29_600_00);
    assert_eq!(report.top[2].purchases, 3);
    // In the last 45 days: the champion's bill 10 days ago, the new customer's 30 days
    // ago, and today's bill to a customer who registered today.
    assert_eq!(
        (
            report.bills,
            report.bills_to_new,
            report.bills_to_returning()
        ),
        (3, 1, 2)
    );
    assert_eq!(report.new_customers, 10, "everyone registered today");
    let on_floor = report
        .new_by_floor
        .iter()
        .find(|(f, _)| f.is_some_and(|f| f.to_string() == shop.floor))
        .map(|(_, n)| *n);
    assert_eq!(on_floor, Some(2));

    for (segment, expected) in [
        (Segment::Champions, &champion),
        (Segment::Loyal, &loyal),
        (Segment::AtRisk, &at_risk),
        (Segment::LapsedHighSpenders, &lapsed_high),
        (Segment::NeedsAttention, &attention),
        (Segment::Lapsed, &lapsed),
    ] {
        let listed = crm
            .customer_analytics_on(&admin, &filter(today, segment, 50, from), today)
            .unwrap();
        assert_eq!(ids(&listed.members), owned(&[expected]), "{segment:?}");
        assert_eq!(listed.next, None);
    }

    // One a page: the cursor carries on where the page stopped, and ends.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..4 {
        let query = CustomerReportQuery {
            segment: Some("new".into()),
            limit: Some(1),
            cursor: cursor.clone(),
            ..CustomerReportQuery::default()
        };
        let page = crm
            .customer_analytics_on(&admin, &query.parse(today).unwrap(), today)
            .unwrap();
        seen.extend(ids(&page.members));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, owned(&[&walk_in_today, &new, &newer]));

    // A Floor Manager of another floor: no bills or registrations of theirs, the same
    // store-wide segments; naming the shop's floor is refused.
    let second: Value = shop
        .api
        .post("/api/floors", &json!({"name": "First Floor", "level": 1}))
        .await
        .json()
        .await
        .unwrap();
    app.add_user("fm1", UserRole::FloorManager, Some("First Floor"), None)
        .await;
    let manager_api = app.login("fm1").await;
    let manager = actor_of(&app, &manager_api.token);
    let theirs = crm
        .customer_analytics_on(&manager, &filter(today, Segment::New, 50, from), today)
        .unwrap();
    assert_eq!((theirs.bills, theirs.new_customers), (0, 0));
    assert_eq!(theirs.counts, report.counts);
    assert_eq!(ids(&theirs.members), ids(&report.members));
    let response = manager_api
        .get(&format!("/api/reports/customers?floor_id={}", shop.floor))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let own = manager_api
        .get(&format!(
            "/api/reports/customers?floor_id={}",
            second["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(own.status(), StatusCode::OK);

    // The call list downloads with numbers and dates as typed cells.
    let pages = PageClient::sign_in(&app, "owner").await;
    let response = pages
        .http
        .get(format!(
            "{}/reports/customers.xlsx?segment=champions",
            pages.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap().to_vec();
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Champions").unwrap();
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("Customer".into())));
    assert_eq!(sheet.get((1, 2)), Some(&Data::String("98310 00201".into())));
    assert_eq!(
        sheet.get((1, 3)),
        Some(&Data::String("https://wa.me/919831000201".into()))
    );
    assert!(matches!(sheet.get((1, 4)), Some(Data::DateTime(_))));
    assert_eq!(sheet.get((1, 5)), Some(&Data::Float(10.0)));
    assert_eq!(sheet.get((1, 7)), Some(&Data::Float(2_16_300.0)));
    assert_eq!(sheet.get((2, 0)), None, "one champion");
    let (status, csv) = pages.get("/reports/customers.csv?segment=lapsed").await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][7], "5150.00");

    let (status, html) = pages.get("/reports/customers?segment=at_risk").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/customers/{at_risk}")),
        "links to the customer"
    );
    assert!(html.contains("https://wa.me/919831000205"));
    assert!(html.contains("tel:+919831000205"));
}

#[tokio::test]
async fn a_bad_query_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let api = app.admin().await;
    for (query, field) in [
        ("segment=vip", "segment"),
        ("from=2026-13-01", "from"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("cursor=not-a-cursor", "cursor"),
        ("limit=0", "limit"),
        ("floor_id=floor-one", "floor_id"),
    ] {
        let response = api.get(&format!("/api/reports/customers?{query}")).await;
        crate::helpers::expect_field_problem(response, StatusCode::BAD_REQUEST, field).await;
    }
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/reports/customers?segment=vip").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("is not a segment"));
    let (status, _) = pages.get("/reports/customers.csv?segment=vip").await;
    assert!(status.is_client_error(), "{status}");
}
