//! The sales analytics over HTTP: `GET /api/sales/analytics` answers in paise and
//! milligrams and refuses a query it cannot honour with 400 naming the parameter; the
//! pages render their figures, funnel and forecast; the exports open as CSV and as an
//! Excel workbook with typed cells.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;

use crate::helpers::{TestApp, expect_field_problem, expect_json};
use crate::pages::PageClient;
use crate::sales_analytics::demo_dir;

const SPAN: &str = "from=2024-01-01&to=2026-12-31";

#[tokio::test]
async fn the_api_answers_in_paise_and_refuses_what_it_cannot_honour() {
    let dir = demo_dir();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    let by_fy = expect_json(
        api.get(&format!("/api/sales/analytics?{SPAN}&group_by=fy"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_fy["figures"], "bills");
    let rows = by_fy["rows"].as_array().unwrap();
    assert!(rows.len() >= 3, "{by_fy}");
    assert_eq!(
        rows[1]["from"].as_str().unwrap().get(5..),
        Some("04-01"),
        "{by_fy}"
    );
    let payable: i64 = rows
        .iter()
        .map(|r| r["figures"]["payable_paise"].as_i64().unwrap())
        .sum();
    assert_eq!(payable, by_fy["total"]["payable_paise"].as_i64().unwrap());
    assert!(by_fy["total"]["net_mg"].as_i64().unwrap() > 0);
    let by_metal = api
        .get_json(&format!("/api/sales/analytics?{SPAN}&group_by=metal"))
        .await;
    assert_eq!(by_metal["figures"], "purity");
    assert!(by_metal["total"].get("bills").is_none(), "{by_metal}");
    assert!(
        by_metal["rows"][0]["fineness"].as_u64().is_some(),
        "{by_metal}"
    );

    for (query, field) in [
        ("group_by=hour", "group_by"),
        ("group_by=DAY", "group_by"),
        ("from=2026-13-01", "from"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("from=2020-01-01&to=2026-01-01", "to"),
        ("group_by=category&metal=GOLD", "metal"),
        ("group_by=metal&payment=UPI", "payment"),
        (
            "category_id=0190a000-0000-7000-8000-000000000000&payment=CASH",
            "payment",
        ),
        ("purity=22K", "purity"),
        ("metal=GOLD&purity=23.5", "purity"),
        ("floor_id=ground", "floor_id"),
    ] {
        let response = api.get(&format!("/api/sales/analytics?{query}")).await;
        let problem = expect_field_problem(response, StatusCode::BAD_REQUEST, field).await;
        assert!(
            problem["detail"].as_str().unwrap().len() > 20,
            "{query}: {problem}"
        );
    }
    // A parameter the analytics do not know is refused, not ignored.
    let unknown = api.get("/api/sales/analytics?staff=someone").await;
    let problem = expect_json(unknown, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("staff"),
        "{problem}"
    );
}

#[tokio::test]
async fn the_pages_show_the_figures_the_funnel_and_the_forecast() {
    let dir = demo_dir();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let owner = PageClient::sign_in(&app, "owner").await;
    for group_by in ["month", "floor", "payment", "week"] {
        let (status, html) = owner
            .get(&format!("/reports/sales?{SPAN}&group_by={group_by}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{group_by}");
        assert!(html.contains("id=\"analytics-table\""), "{group_by}");
        assert!(html.contains("<svg"), "a chart for {group_by}");
        assert!(
            html.contains("href=\"/sales?from="),
            "rows link to the register"
        );
        assert!(html.contains("Revenue forecast"));
        // The demo's history is either long enough for a forecast or it is refused
        // in words; either way the section says which.
        assert!(
            html.contains("id=\"forecast-30\"") || html.contains("id=\"forecast-refused\""),
            "{group_by}"
        );
    }
    let (status, html) = owner.get("/reports/sales?group_by=metal&payment=UPI").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("narrow figures grouped by metal"), "{html}");
    let (status, html) = owner.get(&format!("/reports/floors?{SPAN}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"funnel-all\""));
    assert!(html.contains("id=\"staff-table\""));
}

#[tokio::test]
async fn the_exports_open_with_typed_cells() {
    let dir = demo_dir();
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let owner = PageClient::sign_in(&app, "owner").await;
    let api = app.admin().await;
    let json = api
        .get_json(&format!("/api/sales/analytics?{SPAN}&group_by=month"))
        .await;
    let months = json["rows"].as_array().unwrap().len();
    let total_paise = json["total"]["net_sales_paise"].as_i64().unwrap();

    let response = owner
        .http
        .get(app.url(&format!("/reports/sales.csv?{SPAN}&group_by=month")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let net = headers.iter().position(|h| h == "Net sales").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), months + 1, "a row per month and the total");
    let last = records.last().unwrap();
    assert_eq!(&last[0], "Total");
    let rupees = format!("{}.{:02}", total_paise / 100, total_paise % 100);
    assert_eq!(&last[net], rupees);

    let response = owner
        .http
        .get(app.url(&format!("/reports/sales.xlsx?{SPAN}&group_by=month")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Sales by month").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(
        rows.len(),
        months + 2,
        "the header, a row per month and the total"
    );
    assert!(matches!(rows[1][1], Data::DateTime(_)), "{:?}", rows[1][1]);
    match &rows[months + 1][net] {
        Data::Float(f) => assert!((f * 100.0 - total_paise as f64).abs() < 0.5, "{f}"),
        other => panic!("net sales is a number: {other:?}"),
    }
}
