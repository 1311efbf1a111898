//! The opening report against a small store's day worked out by hand: three bills with
//! split payments (card and cash with change; old gold, UPI and cash; a bank transfer
//! from another state, so IGST), a partial return of a bill made a year ago to the day,
//! a cancelled bill, and walk-ins on two floors by two salespeople. The figures, the day
//! book, the floors and salespeople, last year's figures, a Floor Manager's report, the
//! PDF's text and the Excel workbook must all agree to the paisa and the milligram.

use calamine::{Data, Reader, Xlsx};
use jiff::{Timestamp, ToSpan};
use reqwest::StatusCode;
use sarkar_crm::config::Config;
use sarkar_crm::domain::{CustomerId, SaleId, UserRole};
use sarkar_crm::store::{ChangeOp, Scope, customers, sales};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp};
use crate::invoice_pdf::pdf_text;
use crate::sales::{fixed, shop};

/// A zone in which it is about noon now, so everything the test does falls on one day
/// of the store however long it runs and whenever it is run.
fn zone_at_noon() -> String {
    let hour = i64::from(
        Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .hour(),
    );
    match 12 - hour {
        0 => "Etc/GMT".to_owned(),
        // The Etc zones' signs are POSIX's: Etc/GMT-5 is five hours ahead of UTC.
        ahead if ahead > 0 => format!("Etc/GMT-{ahead}"),
        behind => format!("Etc/GMT+{}", -behind),
    }
}

/// The same moment a year back (29 February falls on 28 February).
fn a_year_ago(app: &TestApp) -> Timestamp {
    let zone = app.crm().config().time_zone();
    let now = Timestamp::now().to_zoned_datetime(zone);
    now.checked_sub(1.year()).expect("a year back").timestamp()
}

/// Moves a completed sale to `at`, as a bill made then (the store keeps its figures).
fn back_date_sale(app: &TestApp, id: &str, at: Timestamp) {
    let crm = app.crm();
    let scope = Scope::store(crm.default_store().expect("store").id);
    let id = SaleId::from_uuid(id.parse().expect("uuid"));
    crm.db()
        .write(None, |w| {
            let old = sales::sale(&*w, &scope, id)?.expect("the sale");
            let mut new = old.clone();
            new.created_at = at;
            new.completed_at = Some(at);
            new.updated_at = at;
            sales::update_sale(w, &old, &new)
        })
        .expect("back-dated");
}

/// Registers a customer a year ago, so their bills today are a returning customer's.
fn back_date_customer(app: &TestApp, id: &str, at: Timestamp) {
    let crm = app.crm();
    let scope = Scope::store(crm.default_store().expect("store").id);
    let id = CustomerId::from_uuid(id.parse().expect("uuid"));
    crm.db()
        .write(None, |w| {
            let old = customers::customer(&*w, &scope, id)?.expect("the customer");
            let mut new = old.clone();
            new.created_at = at;
            customers::update_customer(w, &old, &new, ChangeOp::Updated)
        })
        .expect("back-dated");
}

struct Day {
    /// Keeps the server running for the test.
    _app: TestApp,
    owner: Client,
    manager: Client,
    today: String,
    ground: String,
    first: String,
}

/// The store's day, as the module's documentation tells it.
async fn a_small_store_day() -> Day {
    let mut config = Config::defaults();
    config.store.time_zone = zone_at_noon();
    let app = TestApp::spawn_with(config).await;
    let shop = shop(&app).await;
    let owner = shop.api.clone();
    let first = crate::helpers::floor(&owner, "First Floor", 1).await;
    app.add_user("mira", UserRole::FloorManager, Some("First Floor"), None)
        .await;
    let manager = app.login("mira").await;
    let year_ago = a_year_ago(&app);

    let local = shop
        .customer("9831000001", json!({"address": {"state": "West Bengal"}}))
        .await;
    back_date_customer(&app, &local, year_ago);

    // A year ago to the day: three silver sets at ₹1,000, ₹300 off the bill: taxable
    // ₹2,700, CGST ₹40.50 + SGST ₹40.50, payable ₹2,781 by UPI.
    let sets = shop.product(fixed("SS-5", 1_000, 6)).await;
    let old_bill = shop
        .sale(json!({"customer_id": local, "bill_discount_paise": 300_00,
            "lines": [{"product_id": sets, "quantity": 3}],
            "payments": [{"method": "UPI", "amount_paise": 2_781_00}]}))
        .await;
    assert_eq!(shop.complete(&old_bill).await.status(), StatusCode::OK);
    let old_id = old_bill["id"].as_str().expect("id").to_owned();
    back_date_sale(&app, &old_id, year_ago);

    // A: the necklace (NK-1): taxable ₹1,81,216, CGST ₹2,718.24 + SGST ₹2,718.24,
    // payable ₹1,86,652 (round-off −₹0.48). Card ₹1,80,000 and cash ₹7,000: change ₹348,
    // so the cash kept is ₹6,652.
    let necklace = shop
        .product(json!({
            "sku": "NK-1", "name": "Temple necklace", "metal": "GOLD", "purity": "22K",
            "gross_weight_mg": 25_000, "stone_weight_mg": 1_200, "making_charge": {"per_gram_paise": 520_00},
            "stone_value_paise": 8_500_00, "huid": "AB12C3", "stock_qty": 2,
        }))
        .await;
    let a = shop
        .sale(json!({
            "customer_id": local, "bill_discount_paise": 500_00,
            "lines": [{"product_id": necklace, "discount_paise": 1_000_00}],
            "payments": [
                {"method": "CARD", "amount_paise": 1_80_000_00, "reference": "slip 4411"},
                {"method": "CASH", "amount_paise": 7_000_00},
            ],
        }))
        .await;
    assert_eq!(a["payable_paise"], 1_86_652_00);
    assert_eq!(a["change_paise"], 348_00);
    assert_eq!(shop.complete(&a).await.status(), StatusCode::OK);

    // B: the 18K ring: taxable ₹38,955, CGST ₹584.33 + SGST ₹584.33, payable ₹40,124.
    // Old gold 4.000 g of 22K at ₹6,800 less 2% = ₹26,656; UPI ₹10,000; cash ₹3,468.
    let ring = shop
        .product(json!({
            "sku": "RG-1", "name": "Daily-wear ring", "metal": "GOLD", "purity": "18K",
            "gross_weight_mg": 6_250, "making_charge": {"percent_bp": 1_200}, "huid": "CD34E5", "stock_qty": 1,
        }))
        .await;
    let b = shop
        .sale(json!({
            "customer_id": local, "lines": [{"product_id": ring}],
            "payments": [
                {"method": "OLD_GOLD", "old_gold": {"weight_mg": 4_000, "purity": "22K", "deduction_bp": 200}},
                {"method": "UPI", "amount_paise": 10_000_00, "reference": "UPI 1234"},
                {"method": "CASH", "amount_paise": 3_468_00},
            ],
        }))
        .await;
    assert_eq!(b["payable_paise"], 40_124_00);
    assert_eq!(shop.complete(&b).await.status(), StatusCode::OK);

    // C, by Mira on the first floor, to a new customer from Maharashtra: 20.000 g ×
    // ₹6,800 + making ₹7,500 + stones ₹2,000 = ₹1,45,500 taxable, IGST ₹4,365, payable
    // ₹1,49,865 by bank transfer.
    let mumbai = shop
        .customer(
            "9831000002",
            json!({"address": {"city": "Mumbai", "state": "Maharashtra"}}),
        )
        .await;
    let bangle = manager
        .create(
            "/api/products",
            &json!({
                "sku": "BG-1", "name": "Bangle", "metal": "GOLD", "purity": "22K", "floor_id": first,
                "gross_weight_mg": 20_500, "stone_weight_mg": 500, "making_charge": {"flat_paise": 7_500_00},
                "stone_value_paise": 2_000_00, "huid": "EF56G7", "stock_qty": 1,
            }),
        )
        .await["id"]
        .clone();
    let c = manager
        .create(
            "/api/sales",
            &json!({
                "customer_id": mumbai, "floor_id": first, "lines": [{"product_id": bangle}],
                "payments": [{"method": "BANK_TRANSFER", "amount_paise": 1_49_865_00, "reference": "UTR 99"}],
            }),
        )
        .await;
    assert_eq!(c["igst_paise"], 4_365_00);
    let c_id = c["id"].as_str().expect("id");
    let done = manager
        .post(&format!("/api/sales/{c_id}/complete"), &json!({}))
        .await;
    assert_eq!(done.status(), StatusCode::OK);

    // One of last year's three sets comes back today: ₹1,000 less its ₹100 share of the
    // discount = ₹900 taxable, GST ₹13.50 + ₹13.50, paid back ₹927; 500.000 g of silver.
    let back = owner
        .post(
            &format!("/api/sales/{old_id}/refund"),
            &json!({"lines": [{"line": 0, "quantity": 1}], "reason": "size"}),
        )
        .await;
    assert_eq!(back.status(), StatusCode::OK);

    // A bill drawn up and cancelled: one set, ₹1,000 + GST ₹30 = ₹1,030.
    let cancelled = shop
        .sale(json!({"customer_id": local, "lines": [{"product_id": sets}]}))
        .await;
    let cancelled_id = cancelled["id"].as_str().expect("id");
    let response = owner
        .post(&format!("/api/sales/{cancelled_id}/cancel"), &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);

    // Walk-ins: one on the ground floor by the owner, two on the first floor by Mira
    // (one a new customer, registered on her floor).
    let walk_in = |phone: &str, name: &str, floor: Option<&str>| {
        let mut body = json!({"phone": phone, "name": name});
        if let Some(floor) = floor {
            body["floor_id"] = json!(floor);
        }
        body
    };
    owner
        .create(
            "/api/interactions/walk-in",
            &walk_in("9831000001", "Rina Sinha", Some(&shop.floor)),
        )
        .await;
    manager
        .create(
            "/api/interactions/walk-in",
            &walk_in("9831000002", "Rina Sinha", None),
        )
        .await;
    manager
        .create(
            "/api/interactions/walk-in",
            &walk_in("9831000003", "Priya Das", None),
        )
        .await;
    let today = app.crm().today().to_string();
    Day {
        _app: app,
        owner,
        manager,
        today,
        ground: shop.floor.clone(),
        first,
    }
}

fn span<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .find(|s| s["span"] == name)
        .unwrap_or_else(|| panic!("no {name} span in {report}"))
}

fn day_book(figures: &Value) -> Vec<(String, i64, i64)> {
    figures["day_book"]
        .as_array()
        .expect("day book")
        .iter()
        .map(|p| {
            (
                p["mode"].as_str().expect("mode").to_owned(),
                p["payments"].as_i64().expect("payments"),
                p["amount_paise"].as_i64().expect("amount"),
            )
        })
        .collect()
}

fn person<'a>(rows: &'a Value, name: &str) -> &'a Value {
    rows.as_array()
        .expect("rows")
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {rows}"))
}

#[tokio::test]
async fn the_owners_report_matches_a_day_worked_out_by_hand() {
    let day = a_small_store_day().await;
    let report = day
        .owner
        .get_json(&format!("/api/reports/opening?date={}", day.today))
        .await;
    assert_eq!(report["date"], day.today);
    let the_day = &span(&report, "DAY")["this"];
    assert_eq!(the_day["bills"], 3);
    assert_eq!(the_day["pieces"], 3);
    // ₹1,81,216 + ₹38,955 + ₹1,45,500.
    assert_eq!(the_day["taxable_paise"], 3_65_671_00);
    // ₹2,718.24 + ₹584.33 each for CGST and SGST; IGST ₹4,365 on C alone.
    assert_eq!(the_day["cgst_paise"], 3_302_57);
    assert_eq!(the_day["sgst_paise"], 3_302_57);
    assert_eq!(the_day["igst_paise"], 4_365_00);
    // ₹1,86,652 + ₹40,124 + ₹1,49,865 = ₹3,76,641; a third of it is ₹1,25,547.
    assert_eq!(the_day["payable_paise"], 3_76_641_00);
    assert_eq!(the_day["average_bill_paise"], 1_25_547_00);
    // A and B to a customer registered a year ago, C to one registered today; today's
    // new customers are the Mumbai customer and Priya Das.
    assert_eq!(the_day["bills_to_returning_customers"], 2);
    assert_eq!(the_day["bills_to_new_customers"], 1);
    assert_eq!(the_day["new_customers"], 2);
    // The day book: cash ₹6,652 (A, after ₹348 change) + ₹3,468 (B) = ₹10,120; it adds
    // up to the amount payable: 10,120 + 10,000 + 1,80,000 + 1,49,865 + 26,656.
    assert_eq!(
        day_book(the_day),
        vec![
            ("CASH".to_owned(), 2, 10_120_00),
            ("UPI".to_owned(), 1, 10_000_00),
            ("CARD".to_owned(), 1, 1_80_000_00),
            ("BANK_TRANSFER".to_owned(), 1, 1_49_865_00),
            ("OLD_GOLD".to_owned(), 1, 26_656_00),
        ]
    );
    assert_eq!(the_day["cash_paise"], 10_120_00);
    // Grams by purity: 22K necklace 25.000 − 1.200 = 23.800 g and bangle 20.000 g =
    // 43.800 g in two pieces; the 18K ring 6.250 g.
    let purities: Vec<(String, i64, i64)> = the_day["purities"]
        .as_array()
        .expect("purities")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_owned(),
                p["pieces"].as_i64().expect("pieces"),
                p["net_mg"].as_i64().expect("net"),
            )
        })
        .collect();
    assert!(
        purities.contains(&("22K gold".to_owned(), 2, 43_800)),
        "{purities:?}"
    );
    assert!(
        purities.contains(&("18K gold".to_owned(), 1, 6_250)),
        "{purities:?}"
    );
    assert_eq!(purities.len(), 2);
    assert_eq!(
        the_day["old_gold"],
        json!([{"purity": "22K gold", "weight_mg": 4_000, "value_paise": 26_656_00}])
    );
    // The return: one, ₹927 paid back (₹900 taxable, ₹27 GST), 500.000 g of silver.
    assert_eq!(the_day["returns"], 1);
    assert_eq!(the_day["refunded_paise"], 927_00);
    assert_eq!(the_day["refunded_taxable_paise"], 900_00);
    assert_eq!(the_day["refunded_gst_paise"], 27_00);
    assert_eq!(the_day["returned_mg"], 500_000);
    assert_eq!(the_day["cancelled_bills"], 1);
    assert_eq!(the_day["cancelled_paise"], 1_030_00);
    assert_eq!(the_day["walk_ins"], 3);

    // Floors and salespeople: the ground floor (the owner) made A and B, ₹2,26,776,
    // with one walk-in (200% conversion) and paid back ₹927; the first floor (Mira)
    // made C with two walk-ins (50%).
    let d = span(&report, "DAY");
    let ground = person(&d["floors"], "Ground Floor");
    assert_eq!(ground["id"], day.ground.as_str());
    assert_eq!(
        (ground["walk_ins"].clone(), ground["bills"].clone()),
        (json!(1), json!(2))
    );
    assert_eq!(ground["payable_paise"], 2_26_776_00);
    assert_eq!(ground["refunded_paise"], 927_00);
    assert_eq!(ground["conversion_bp"], 20_000);
    let first = person(&d["floors"], "First Floor");
    assert_eq!(first["id"], day.first.as_str());
    assert_eq!(
        (first["walk_ins"].clone(), first["bills"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(first["payable_paise"], 1_49_865_00);
    assert_eq!(first["conversion_bp"], 5_000);
    let mira = person(&d["salespeople"], "mira");
    assert_eq!(
        (mira["bills"].clone(), mira["payable_paise"].clone()),
        (json!(1), json!(1_49_865_00))
    );
    let owner = person(&d["salespeople"], "owner");
    assert_eq!(
        (owner["bills"].clone(), owner["payable_paise"].clone()),
        (json!(2), json!(2_26_776_00))
    );
    assert_eq!(owner["walk_ins"], 1);

    // The month and the year to date hold only today's bills; a year ago, the day (and
    // so its month and year to date) held the three sets: ₹2,781 by UPI.
    for name in ["DAY", "MONTH_TO_DATE", "YEAR_TO_DATE"] {
        let s = span(&report, name);
        assert_eq!(s["this"]["payable_paise"], 3_76_641_00, "{name}");
        assert_eq!(s["last_year"]["bills"], 1, "{name}");
        assert_eq!(s["last_year"]["pieces"], 3, "{name}");
        assert_eq!(s["last_year"]["taxable_paise"], 2_700_00, "{name}");
        assert_eq!(s["last_year"]["payable_paise"], 2_781_00, "{name}");
    }
    // The necklace leads the day's products on its line's taxable value: ₹1,61,840 +
    // ₹12,376 + ₹8,500 − ₹1,000 off the line = ₹1,81,716 (the ₹500 off the bill is the
    // bill's, not the line's).
    assert_eq!(d["top_products"][0]["name"], "Temple necklace");
    assert_eq!(d["top_products"][0]["taxable_paise"], 1_81_716_00);
    assert_eq!(d["top_products"][0]["net_mg"], 23_800);
}

#[tokio::test]
async fn a_floor_managers_report_holds_only_their_floor() {
    let day = a_small_store_day().await;
    let report = day
        .manager
        .get_json(&format!("/api/reports/opening?date={}", day.today))
        .await;
    assert_eq!(report["floor_id"], day.first.as_str());
    let d = span(&report, "DAY");
    let figures = &d["this"];
    assert_eq!(figures["bills"], 1);
    assert_eq!(figures["payable_paise"], 1_49_865_00);
    assert_eq!(figures["igst_paise"], 4_365_00);
    assert_eq!(figures["cgst_paise"], 0);
    assert_eq!(figures["returns"], 0, "the return was on the ground floor");
    assert_eq!(figures["cancelled_bills"], 0);
    assert_eq!(figures["cash_paise"], 0);
    assert_eq!(figures["walk_ins"], 2);
    assert_eq!(
        figures["new_customers"], 1,
        "Priya Das, registered on her floor"
    );
    assert_eq!(figures["old_gold"], json!([]));
    assert_eq!(d["floors"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["salespeople"].as_array().map(Vec::len), Some(1));
    assert_eq!(span(&report, "DAY")["last_year"]["bills"], 0);

    // The page says the same, and names only her floor.
    let page = day
        .manager
        .get(&format!("/reports/opening?date={}", day.today))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("First Floor only"),
        "the page says whose report it is"
    );
    assert!(!html.contains("Ground Floor"), "no other floor appears");
}

#[tokio::test]
async fn the_page_pdf_and_workbook_show_the_same_figures() {
    let day = a_small_store_day().await;
    let page = day
        .owner
        .get(&format!("/reports/opening?date={}", day.today))
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    for text in [
        "₹3.76 lakh",
        "₹10,120.00",
        "Day book",
        "Temple necklace",
        "mira",
        "First Floor",
        "Today's work",
    ] {
        assert!(html.contains(text), "the page shows {text}");
    }

    let pdf = day
        .owner
        .get(&format!("/reports/opening.pdf?date={}", day.today))
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = pdf_text(&pdf.bytes().await.expect("pdf"));
    for figure in [
        "Opening report",
        "₹3,76,641.00",
        "₹10,120.00",
        "₹927.00",
        "Cash in hand",
        "Bank transfer",
        "₹1,49,865.00",
    ] {
        assert!(text.contains(figure), "the PDF shows {figure}:\n{text}");
    }

    let xlsx = day
        .owner
        .get(&format!("/reports/opening.xlsx?date={}", day.today))
        .await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let bytes = xlsx.bytes().await.expect("xlsx").to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Day book",
            "Floors",
            "Salespeople",
            "Purities",
            "Categories"
        ]
    );
    let summary = book.worksheet_range("Summary").expect("summary");
    let heads: Vec<String> = (0..summary.width())
        .map(|c| {
            summary
                .get((0, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    let column = |title: &str| heads.iter().position(|h| h == title).expect(title);
    assert_eq!(summary.get((1, 0)), Some(&Data::String("The day".into())));
    assert_eq!(
        summary.get((1, column("Sales (with GST)"))),
        Some(&Data::Float(3_76_641.0))
    );
    assert_eq!(summary.get((1, column("Bills"))), Some(&Data::Float(3.0)));
    assert_eq!(
        summary.get((1, column("Grams sold (net)"))),
        Some(&Data::Float(50.05))
    );
    assert_eq!(
        summary.get((2, column("Sales (with GST)"))),
        Some(&Data::Float(2_781.0)),
        "last year"
    );
    assert!(
        matches!(summary.get((1, 1)), Some(Data::DateTime(_))),
        "dates are dates"
    );
    let book_sheet = book.worksheet_range("Day book").expect("day book");
    assert_eq!(book_sheet.get((1, 3)), Some(&Data::String("Cash".into())));
    assert_eq!(book_sheet.get((1, 5)), Some(&Data::Float(10_120.0)));
}

#[tokio::test]
async fn a_day_that_cannot_be_read_or_has_not_come_is_refused_plainly() {
    let app = TestApp::spawn().await;
    let owner = app.admin().await;
    let tomorrow = app.crm().today().tomorrow().expect("tomorrow").to_string();
    for date in ["yesterday", "2026-13-01", tomorrow.as_str()] {
        let api = owner
            .get(&format!("/api/reports/opening?date={date}"))
            .await;
        let problem =
            crate::helpers::expect_field_problem(api, StatusCode::BAD_REQUEST, "date").await;
        assert!(problem["errors"]["date"].as_str().is_some(), "{problem}");
        let page = owner.get(&format!("/reports/opening?date={date}")).await;
        assert_eq!(page.status(), StatusCode::BAD_REQUEST, "{date}");
        let html = page.text().await.expect("html");
        assert!(
            html.contains("report-date-error"),
            "the message is beside the field"
        );
        for file in ["pdf", "xlsx"] {
            let response = owner
                .get(&format!("/reports/opening.{file}?date={date}"))
                .await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{file} {date}");
        }
    }
    // No date at all is yesterday's report.
    let report = owner.get_json("/api/reports/opening").await;
    let yesterday = app
        .crm()
        .today()
        .yesterday()
        .expect("yesterday")
        .to_string();
    assert_eq!(report["date"], yesterday);
}

#[tokio::test]
async fn the_command_line_writes_the_report_as_csv_excel_and_pdf() {
    let zone = zone_at_noon();
    let mut config = Config::defaults();
    config.store.time_zone = zone.clone();
    let mut app = TestApp::spawn_with(config).await;
    let shop = shop(&app).await;
    let customer = shop.customer("9831000004", json!({})).await;
    let set = shop.product(fixed("SS-9", 1_000, 2)).await;
    // One set at ₹1,000 + GST ₹30 = ₹1,030 by UPI.
    let bill = shop
        .sale(
            json!({"customer_id": customer, "lines": [{"product_id": set}],
            "payments": [{"method": "UPI", "amount_paise": 1_030_00}]}),
        )
        .await;
    assert_eq!(shop.complete(&bill).await.status(), StatusCode::OK);
    let today = app.crm().today().to_string();
    app.stop().await;

    let out = tempfile::tempdir().expect("temp dir");
    let run = |format: &str, date: &str| {
        let file = out.path().join(format!("opening.{format}"));
        let mut command = crate::helpers::binary();
        command
            .env("SARKAR__STORE__TIME_ZONE", &zone)
            .arg("--data-dir")
            .arg(app.data_dir())
            .args([
                "report", "opening", "--date", date, "--format", format, "--out",
            ])
            .arg(&file);
        (command, file)
    };
    let (mut command, file) = run("csv", &today);
    let done = command.output().await.expect("runs");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let csv = std::fs::read_to_string(&file).expect("csv written");
    let day = csv
        .lines()
        .find(|l| l.starts_with("The day,"))
        .expect("the day's row");
    assert!(day.contains(",1030.00,"), "sales of ₹1,030 in {day}");
    for format in ["xlsx", "pdf"] {
        let (mut command, file) = run(format, &today);
        let done = command.output().await.expect("runs");
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        let bytes = std::fs::read(&file).expect("written");
        let magic: &[u8] = if format == "pdf" { b"%PDF" } else { b"PK" };
        assert!(bytes.starts_with(magic), "{format} file");
    }
    let (mut command, file) = run("csv", "2999-01-01");
    let refused = command.output().await.expect("runs");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("has not come yet"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // A refused day leaves the file written before as it was.
    assert_eq!(std::fs::read_to_string(&file).expect("still there"), csv);
}

/// Today's birthdays and anniversaries are kept between reports until the next change:
/// a customer added with a birthday today is in the very next report, counted and named.
#[tokio::test]
async fn todays_occasions_follow_each_change() {
    let mut config = Config::defaults();
    config.store.time_zone = zone_at_noon();
    let app = TestApp::spawn_with(config).await;
    let shop = shop(&app).await;
    let today = app.crm().today();
    let before = shop.api.get_json("/api/reports/opening").await;
    assert_eq!(before["todays_work"]["occasions_total"], 0);
    assert_eq!(before["todays_work"]["occasions"], json!([]));

    // 1992 had a 29 February, so the birthday is a date whatever today is.
    let born = format!("1992-{:02}-{:02}", today.month(), today.day());
    shop.customer(
        "9831000021",
        json!({"name": "Mitali Bose", "date_of_birth": born}),
    )
    .await;
    let after = shop.api.get_json("/api/reports/opening").await;
    let work = &after["todays_work"];
    assert_eq!(work["occasions_total"], 1);
    assert_eq!(work["occasions"][0]["name"], "Mitali Bose");
    assert_eq!(work["occasions"][0]["kind"], "BIRTHDAY");
}
