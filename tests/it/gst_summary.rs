//! The GST summary against a small month worked out by hand (October 2026, a store in
//! West Bengal): two bills within the state (one with a round-off), one to a customer
//! in Maharashtra (IGST), a bill of two pieces with one returned in October and the
//! other in November, and a cancelled bill. The register, the credit notes, the B2C
//! summary, the HSN summary and their totals must match to the paisa and the
//! milligram, in the JSON, the Excel workbook, the CSV files and the PDF.

use calamine::{Data, Reader, Xlsx};
use jiff::Timestamp;
use reqwest::StatusCode;
use sarkar_crm::domain::{SaleId, SaleStatus, UserRole};
use sarkar_crm::store::{Scope, sales};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp};
use crate::invoice_pdf::pdf_text;
use crate::sales::{Shop, fixed, shop};

/// Noon in Kolkata on a day of 2026.
fn ist(month: i8, day: i8) -> Timestamp {
    format!("2026-{month:02}-{day:02}T12:00:00+05:30")
        .parse()
        .expect("a moment")
}

/// Moves a sale to `completed` (and its returns, in order, to `returns`), as a bill
/// made then; the store keeps its figures and its GST index in step.
fn back_date(app: &TestApp, id: &str, completed: Timestamp, returns: &[Timestamp]) {
    let crm = app.crm();
    let scope = Scope::store(crm.default_store().expect("store").id);
    let id = SaleId::from_uuid(id.parse().expect("uuid"));
    crm.db()
        .write(None, |w| {
            let old = sales::sale(&*w, &scope, id)?.expect("the sale");
            let mut new = old.clone();
            new.created_at = completed;
            new.updated_at = completed;
            if new.status != SaleStatus::Cancelled {
                new.completed_at = Some(completed);
            }
            for (refund, at) in new.refunds.iter_mut().zip(returns) {
                refund.at = *at;
            }
            sales::update_sale(w, &old, &new)
        })
        .expect("back-dated");
}

async fn bill(shop: &Shop, customer: &str, lines: Value, paid: i64) -> String {
    let sale = shop
        .sale(json!({"customer_id": customer, "lines": lines,
            "payments": [{"method": "UPI", "amount_paise": paid, "reference": "UPI 1"}]}))
        .await;
    let done = shop.complete(&sale).await;
    assert_eq!(done.status(), StatusCode::OK);
    sale["id"].as_str().expect("id").to_owned()
}

async fn refund(shop: &Shop, id: &str, body: Value) {
    let done = shop
        .api
        .post(&format!("/api/sales/{id}/refund"), &body)
        .await;
    assert_eq!(done.status(), StatusCode::OK, "refund");
}

struct Month {
    app: TestApp,
    owner: Client,
    ids: [String; 3],
}

/// The month: A (₹9,999.90, 50 g, Kolkata), B (two of ₹1,000, 100 g each, Kolkata, one
/// back on 25 October and one on 3 November), C (₹10,000, 500 g, Mumbai), and D drawn
/// up and cancelled.
async fn october() -> Month {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let kolkata = shop
        .customer("9831000101", json!({"address": {"state": "West Bengal"}}))
        .await;
    let mumbai = shop
        .customer(
            "9831000102",
            json!({"name": "Asha Mehta", "address": {"state": "Maharashtra"}}),
        )
        .await;
    let mut odd = fixed("SS-A", 0, 5);
    odd["fixed_price_paise"] = json!(9_999_90);
    odd["gross_weight_mg"] = json!(50_000);
    let a_piece = shop.product(odd).await;
    let mut small = fixed("SS-B", 1_000, 5);
    small["gross_weight_mg"] = json!(100_000);
    let b_piece = shop.product(small).await;
    let c_piece = shop.product(fixed("SS-C", 10_000, 5)).await;

    // A: taxable ₹9,999.90; CGST and SGST 1.5% = ₹149.9985, each ₹150.00; total
    // ₹10,299.90, rounded off by +₹0.10 to ₹10,300 paid.
    let a = bill(&shop, &kolkata, json!([{"product_id": a_piece}]), 10_300_00).await;
    // B: ₹2,000 taxable, ₹30 + ₹30, ₹2,060; each return pays back ₹1,030, of which
    // ₹1,000 taxable and ₹15 + ₹15.
    let b = bill(
        &shop,
        &kolkata,
        json!([{"product_id": b_piece, "quantity": 2}]),
        2_060_00,
    )
    .await;
    // C: ₹10,000 to Maharashtra, IGST 3% = ₹300, ₹10,300.
    let c = bill(&shop, &mumbai, json!([{"product_id": c_piece}]), 10_300_00).await;
    let d = shop
        .sale(json!({"customer_id": kolkata, "lines": [{"product_id": c_piece}]}))
        .await;
    let d = d["id"].as_str().expect("id").to_owned();
    let cancelled = shop
        .api
        .post(&format!("/api/sales/{d}/cancel"), &json!({}))
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let one = json!({"lines": [{"line": 0, "quantity": 1}], "reason": "size"});
    refund(&shop, &b, one.clone()).await;
    refund(&shop, &b, one).await;

    back_date(&app, &a, ist(10, 5), &[]);
    back_date(&app, &b, ist(10, 10), &[ist(10, 25), ist(11, 3)]);
    back_date(&app, &c, ist(10, 20), &[]);
    back_date(&app, &d, ist(10, 12), &[]);
    Month {
        owner: shop.api,
        app,
        ids: [a, b, c],
    }
}

fn tax(row: &Value) -> [i64; 5] {
    [
        "taxable_paise",
        "cgst_paise",
        "sgst_paise",
        "igst_paise",
        "total_paise",
    ]
    .map(|k| row[k].as_i64().unwrap_or_else(|| panic!("{k} in {row}")))
}

#[tokio::test]
async fn a_month_worked_by_hand_ties_out_to_the_paisa() {
    let month = october().await;
    let gst = month.owner.get_json("/api/reports/gst?month=2026-10").await;
    assert_eq!(gst["from"], "2026-10-01");
    assert_eq!(gst["to"], "2026-10-31");

    let invoices = gst["invoices"].as_array().expect("invoices");
    let ids: Vec<&str> = invoices
        .iter()
        .map(|r| r["sale_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        month.ids.iter().map(String::as_str).collect::<Vec<_>>(),
        "in date order, without the cancelled bill"
    );
    assert_eq!(tax(&invoices[0]), [9_999_90, 150_00, 150_00, 0, 10_299_90]);
    assert_eq!(invoices[0]["round_off_paise"], 10);
    assert_eq!(invoices[0]["payable_paise"], 10_300_00);
    assert_eq!(invoices[0]["date"], "2026-10-05");
    assert_eq!(invoices[0]["place_of_supply"]["code"], "19");
    assert_eq!(invoices[0]["supply_type"], "B2C");
    assert_eq!(tax(&invoices[1]), [2_000_00, 30_00, 30_00, 0, 2_060_00]);
    assert_eq!(invoices[1]["status"], "REFUNDED");
    assert_eq!(tax(&invoices[2]), [10_000_00, 0, 0, 300_00, 10_300_00]);
    assert_eq!(invoices[2]["customer_name"], "Asha Mehta");
    assert_eq!(invoices[2]["place_of_supply"]["code"], "27");
    for row in invoices {
        let number = row["invoice_no"].as_str().unwrap();
        assert!(
            number.starts_with("SJ/26-27/00000") && number.len() == 15,
            "{number}"
        );
    }

    // Only October's return of B; November's reduces November.
    let notes = gst["credit_notes"].as_array().expect("credit notes");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["invoice_no"], invoices[1]["invoice_no"]);
    assert_eq!(notes[0]["invoice_date"], "2026-10-10");
    assert_eq!(notes[0]["date"], "2026-10-25");
    assert_eq!(tax(&notes[0]), [-1_000_00, -15_00, -15_00, 0, -1_030_00]);
    assert_eq!(notes[0]["amount_paise"], -1_030_00);
    assert_eq!(notes[0]["net_weight_mg"], 100_000);

    let b2c = gst["b2c"].as_array().expect("b2c");
    assert_eq!(b2c.len(), 2);
    assert_eq!(b2c[0]["place_of_supply"]["code"], "19");
    assert_eq!(b2c[0]["inter_state"], false);
    assert_eq!(tax(&b2c[0]), [10_999_90, 165_00, 165_00, 0, 11_329_90]);
    assert_eq!(
        tax(&b2c[0]["returned"]),
        [1_000_00, 15_00, 15_00, 0, 1_030_00]
    );
    assert_eq!(b2c[1]["place_of_supply"]["code"], "27");
    assert_eq!(b2c[1]["inter_state"], true);
    assert_eq!(b2c[1]["rate_bp"], 300);
    assert_eq!(tax(&b2c[1]), [10_000_00, 0, 0, 300_00, 10_300_00]);

    let hsn = gst["hsn"].as_array().expect("hsn");
    assert_eq!(hsn.len(), 1);
    assert_eq!(
        (hsn[0]["hsn"].as_str(), hsn[0]["uqc"].as_str()),
        (Some("7113"), Some("GMS"))
    );
    // 50 g + 2 × 100 g + 500 g sold, 100 g back.
    assert_eq!(hsn[0]["quantity_mg"], 650_000);

    let whole = [20_999_90, 165_00, 165_00, 300_00, 21_629_90];
    let totals = &gst["totals"];
    for table in ["register", "b2c", "hsn"] {
        assert_eq!(tax(&totals[table]), whole, "{table}");
    }
    assert_eq!(tax(&hsn[0]), whole);
    assert_eq!(
        (totals["invoices"].as_i64(), totals["credit_notes"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(totals["invoiced_payable_paise"], 22_660_00);
    assert_eq!(totals["returned_paise"], 1_030_00);

    // November holds B's second return alone.
    let november = month.owner.get_json("/api/reports/gst?month=2026-11").await;
    assert_eq!(november["invoices"], json!([]));
    assert_eq!(november["credit_notes"][0]["date"], "2026-11-03");
    let back = [-1_000_00, -15_00, -15_00, 0, -1_030_00];
    for table in ["register", "b2c", "hsn"] {
        assert_eq!(tax(&november["totals"][table]), back, "{table}");
    }
    assert_eq!(november["hsn"][0]["quantity_mg"], -100_000);

    // The page shows the same, with each invoice linked to its sale.
    let page = month.owner.get("/reports/gst?month=2026-10").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("₹20,999.90") && html.contains("agree to the paisa"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/sales/{}\"", month.ids[2])));
    assert!(html.contains("Maharashtra"));

    // After a rebuild of the figures and the index, the month reads the same.
    month.app.crm().db().rebuild_figures().expect("rebuilt");
    assert_eq!(
        month.owner.get_json("/api/reports/gst?month=2026-10").await,
        gst
    );
}

#[tokio::test]
async fn the_excel_csv_and_pdf_files_carry_the_same_figures() {
    let month = october().await;
    let owner = &month.owner;

    let xlsx = owner.get("/reports/gst.xlsx?month=2026-10").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let bytes = xlsx.bytes().await.expect("xlsx");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("opens");
    assert_eq!(
        book.sheet_names(),
        [
            "B2C (others)",
            "HSN summary",
            "Sales register",
            "Credit notes",
            "Totals"
        ]
    );
    let b2c = book.worksheet_range("B2C (others)").expect("sheet");
    assert_eq!(
        b2c.get((1, 1)),
        Some(&Data::String("19-West Bengal".into()))
    );
    assert_eq!(b2c.get((1, 3)), Some(&Data::Float(0.03)));
    assert_eq!(b2c.get((1, 4)), Some(&Data::Float(10_999.9)));
    assert_eq!(b2c.get((2, 7)), Some(&Data::Float(300.0)));
    let hsn = book.worksheet_range("HSN summary").expect("sheet");
    assert_eq!(hsn.get((1, 3)), Some(&Data::Float(650.0)), "grams");
    assert_eq!(hsn.get((1, 5)), Some(&Data::Float(20_999.9)));
    let register = book.worksheet_range("Sales register").expect("sheet");
    assert_eq!(register.height(), 4, "a header and three invoices");
    assert!(
        matches!(register.get((1, 2)), Some(Data::DateTime(_))),
        "dates are dates"
    );
    assert_eq!(register.get((1, 7)), Some(&Data::Float(9_999.9)));
    assert_eq!(register.get((1, 12)), Some(&Data::Float(0.1)), "round-off");
    let notes = book.worksheet_range("Credit notes").expect("sheet");
    assert!(matches!(notes.get((1, 3)), Some(Data::DateTime(_))));
    assert_eq!(notes.get((1, 7)), Some(&Data::Float(-1_000.0)));
    let totals = book.worksheet_range("Totals").expect("sheet");
    for row in 3..=5 {
        assert_eq!(
            totals.get((row, 2)),
            Some(&Data::Float(20_999.9)),
            "row {row}"
        );
        assert_eq!(
            totals.get((row, 6)),
            Some(&Data::Float(21_629.9)),
            "row {row}"
        );
    }

    // The register's CSV round-trips: read back, its rows are the JSON's.
    let gst = owner.get_json("/api/reports/gst?month=2026-10").await;
    let csv = owner
        .get("/reports/gst.csv?month=2026-10&table=register")
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.expect("csv");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 4, "three invoices and a credit note");
    let rupees = |paise: &Value| {
        let p = paise.as_i64().unwrap();
        format!(
            "{}{}.{:02}",
            if p < 0 { "-" } else { "" },
            p.abs() / 100,
            p.abs() % 100
        )
    };
    for (row, json) in rows.iter().zip(gst["invoices"].as_array().unwrap()) {
        assert_eq!(&row[1], json["invoice_no"].as_str().unwrap());
        assert_eq!(&row[2], json["date"].as_str().unwrap());
        assert_eq!(&row[7], rupees(&json["taxable_paise"]));
        assert_eq!(&row[10], rupees(&json["igst_paise"]));
        assert_eq!(&row[13], rupees(&json["payable_paise"]));
    }
    assert_eq!(
        (&rows[3][0], &rows[3][3], &rows[3][7]),
        ("Credit note", "2026-10-25", "-1000.00")
    );
    for (table, lines) in [("b2c", 3), ("hsn", 2)] {
        let csv = owner
            .get(&format!("/reports/gst.csv?month=2026-10&table={table}"))
            .await;
        assert_eq!(csv.status(), StatusCode::OK);
        assert_eq!(
            csv.text().await.expect("csv").lines().count(),
            lines,
            "{table}"
        );
    }

    let pdf = owner.get("/reports/gst.pdf?month=2026-10").await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = pdf_text(&pdf.bytes().await.expect("pdf"));
    assert!(text.contains("GST summary · October 2026"), "{text}");
    assert!(
        text.contains("7113") && text.contains("650.000 g"),
        "{text}"
    );
    assert!(
        text.contains("₹20,999.90") && text.contains("₹21,629.90"),
        "{text}"
    );
    assert!(text.contains("27-Maharashtra"), "{text}");
}

#[tokio::test]
async fn a_floor_manager_is_refused_and_bad_months_change_nothing() {
    let month = october().await;
    let floor = month.owner.get_json("/api/floors").await["items"][0]["name"]
        .as_str()
        .expect("floor")
        .to_owned();
    month
        .app
        .add_user("manager1", UserRole::FloorManager, Some(&floor), None)
        .await;
    let manager = month.app.login("manager1").await;
    for path in [
        "/api/reports/gst?month=2026-10",
        "/reports/gst?month=2026-10",
        "/reports/gst.xlsx?month=2026-10",
    ] {
        let refused = manager.get(path).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(
            refused.text().await.unwrap().contains("Business Admin"),
            "{path}"
        );
    }

    let before = month.app.crm().last_change().expect("seq");
    for month_text in ["2026-13", "october", "2026-1", "1969-12", "2026-10-01"] {
        for path in [
            "/api/reports/gst",
            "/reports/gst",
            "/reports/gst.csv",
            "/reports/gst.pdf",
        ] {
            let refused = month.owner.get(&format!("{path}?month={month_text}")).await;
            assert_eq!(
                refused.status(),
                StatusCode::BAD_REQUEST,
                "{path} {month_text}"
            );
            let body = refused.text().await.unwrap();
            assert!(body.contains("YYYY-MM"), "{path}: {body}");
        }
    }
    let table = month
        .owner
        .get("/reports/gst.csv?month=2026-10&table=gstr9")
        .await;
    assert_eq!(table.status(), StatusCode::BAD_REQUEST);
    let unknown = month
        .owner
        .get("/api/reports/gst?month=2026-10&floor=1")
        .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(month.app.crm().last_change().expect("seq"), before);

    // With no month, last month; an empty month is empty, and its totals agree at zero.
    let default = month.owner.get_json("/api/reports/gst").await;
    let today = month.app.crm().today();
    let last = today.first_of_month().yesterday().unwrap();
    assert_eq!(
        default["month"],
        format!("{:04}-{:02}", last.year(), last.month())
    );
    let empty = month.owner.get_json("/api/reports/gst?month=2026-09").await;
    assert_eq!(
        (
            empty["invoices"].clone(),
            empty["b2c"].clone(),
            empty["hsn"].clone()
        ),
        (json!([]), json!([]), json!([]))
    );
    assert_eq!(tax(&empty["totals"]["register"]), [0; 5]);
}

/// A big store's month holds more invoices than a tablet's page should carry: the page
/// lists the first 300 and says where the rest are; the API and the files hold them all.
#[tokio::test]
async fn a_month_of_many_invoices_lists_the_first_on_the_page() {
    let dir = crate::exports::demo_store(9_000);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    let gst = api.get_json("/api/reports/gst").await;
    let invoices = gst["invoices"].as_array().expect("invoices").len();
    assert!(invoices > 300, "last month has {invoices} invoices");
    let month = gst["month"].as_str().expect("month").to_owned();

    let page = crate::pages::PageClient::sign_in(&app, "owner").await;
    let (status, html) = page.get(&format!("/reports/gst?month={month}")).await;
    assert_eq!(status, StatusCode::OK);
    let register = &html[html.find("id=\"register\"").expect("the register")..];
    let register = &register[..register.find("</section>").expect("its end")];
    assert_eq!(
        register.matches("<tr>").count(),
        1 + 300,
        "a header and 300 rows"
    );
    assert!(
        register.contains(&format!("The first 300 of {invoices} are listed here")),
        "{register}"
    );
}
