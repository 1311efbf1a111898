//! List exports over the API on a demo store: the CSV read back with the `csv` crate
//! matches the list's JSON field by field (rupees to the paisa, grams to the
//! milligram); the Excel file opens with calamine and holds numbers and dates as typed
//! cells; filters are honoured; a Floor Manager gets their floor only; bad requests
//! are refused with a 4xx and change nothing.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use sarkar_crm::app::Crm;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use crate::helpers::{Client, ServerProcess, TestApp, binary, cli_add_user, expect_field_problem};
use crate::pages::PageClient;

const CSV_TYPE: &str = "text/csv; charset=utf-8";
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A data directory filled by the demo generator.
pub fn demo_store(sales: u32) -> tempfile::TempDir {
    demo_store_of(80, sales)
}

/// A data directory of `customers` customers and `sales` sales from the demo generator.
fn demo_store_of(customers: u32, sales: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir.path(), &config).unwrap(), config);
    let options = DemoOptions {
        customers,
        products: 40,
        sales,
        seed: 17,
    };
    generate(&crm, &options, false).unwrap();
    dir
}

/// Every item of a list, following `next`.
async fn walk(api: &Client, path: &str) -> Vec<Value> {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut next = format!("{path}{join}limit=200");
    loop {
        let page = api.get_json(&next).await;
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next"].as_str() {
            Some(cursor) => next = format!("{path}{join}limit=200&cursor={cursor}"),
            None => return items,
        }
    }
}

/// Downloads an export, checking its content type and file name.
async fn download(api: &Client, path: &str, content_type: &str, list: &str) -> Vec<u8> {
    let response = api.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let headers = response.headers();
    assert_eq!(headers["content-type"], content_type, "{path}");
    let disposition = headers["content-disposition"].to_str().unwrap().to_owned();
    let extension = if content_type == CSV_TYPE {
        "csv"
    } else {
        "xlsx"
    };
    assert!(
        disposition.starts_with("attachment; filename=\"")
            && disposition.contains(&format!("-{list}-"))
            && disposition.ends_with(&format!(".{extension}\"")),
        "{disposition}"
    );
    response.bytes().await.unwrap().to_vec()
}

/// The CSV's header and rows, after its byte-order mark.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("the CSV starts with a UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// `39222.40` → 3922240 paise, exactly.
fn paise(text: &str) -> i64 {
    let (sign, digits) = text.strip_prefix('-').map_or((1, text), |d| (-1, d));
    let (whole, fraction) = digits.split_once('.').expect("two decimals");
    assert_eq!(fraction.len(), 2, "{text}");
    sign * (whole.parse::<i64>().unwrap() * 100 + fraction.parse::<i64>().unwrap())
}

/// `12.345` → 12345 milligrams, exactly.
fn milligrams(text: &str) -> i64 {
    let (whole, fraction) = text.split_once('.').expect("three decimals");
    assert_eq!(fraction.len(), 3, "{text}");
    whole.parse::<i64>().unwrap() * 1000 + fraction.parse::<i64>().unwrap()
}

fn column(header: &[String], title: &str) -> usize {
    header
        .iter()
        .position(|h| h == title)
        .unwrap_or_else(|| panic!("no column {title}"))
}

fn sum_lines(sale: &Value, field: &str) -> i64 {
    sale["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[field].as_i64().unwrap())
        .sum()
}

/// Checks a sales CSV against the register's JSON of the same filters, row by row.
fn check_sales_csv(bytes: &[u8], sales: &[Value]) {
    let (header, rows) = read_csv(bytes);
    assert_eq!(rows.len(), sales.len(), "one row per sale");
    let at = |title: &str| column(&header, title);
    for (row, sale) in rows.iter().zip(sales) {
        let invoice = sale["invoice_no"].as_str().unwrap_or("");
        assert_eq!(row[at("Invoice")], invoice);
        assert_eq!(row[at("Status")], sale["status"].as_str().unwrap());
        for (title, field) in [
            ("Taxable value", "taxable_paise"),
            ("CGST", "cgst_paise"),
            ("SGST", "sgst_paise"),
            ("IGST", "igst_paise"),
            ("Total", "total_paise"),
            ("Round-off", "round_off_paise"),
            ("Payable", "payable_paise"),
        ] {
            assert_eq!(
                paise(&row[at(title)]),
                sale[field].as_i64().unwrap(),
                "{invoice} {title}"
            );
        }
        assert_eq!(
            milligrams(&row[at("Gross weight")]),
            sum_lines(sale, "gross_weight_mg")
        );
        assert_eq!(
            milligrams(&row[at("Net weight")]),
            sum_lines(sale, "net_weight_mg")
        );
        assert_eq!(
            row[at("Pieces")].parse::<i64>().unwrap(),
            sum_lines(sale, "quantity")
        );
        let dated: jiff::Timestamp = sale["completed_at"]
            .as_str()
            .unwrap_or_else(|| sale["created_at"].as_str().unwrap())
            .parse()
            .unwrap();
        let local = dated.to_zoned_datetime(Config::defaults().time_zone());
        assert_eq!(
            row[at("Dated")],
            local.strftime("%Y-%m-%d %H:%M").to_string()
        );
    }
}

#[tokio::test]
async fn the_sales_csv_matches_the_register_to_the_paisa_and_keeps_its_filters() {
    let dir = demo_store(260);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    let all = walk(&api, "/api/sales").await;
    assert!(all.len() > 250, "{}", all.len());
    let csv = download(&api, "/api/sales/export?format=csv", CSV_TYPE, "sales").await;
    check_sales_csv(&csv, &all);

    let floor = all[0]["floor_id"].as_str().unwrap();
    for filter in [
        format!("status=COMPLETED&floor_id={floor}"),
        "payment=upi".to_owned(),
        "status=REFUNDED".to_owned(),
        "payment=OLD_GOLD&to=2026-12-31".to_owned(),
    ] {
        let listed = walk(&api, &format!("/api/sales?{filter}")).await;
        assert!(!listed.is_empty() && listed.len() < all.len(), "{filter}");
        let path = format!("/api/sales/export?{filter}");
        check_sales_csv(&download(&api, &path, CSV_TYPE, "sales").await, &listed);
    }
}

#[tokio::test]
async fn the_sales_excel_file_holds_numbers_and_dates_as_typed_cells() {
    let dir = demo_store(120);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    let all = walk(&api, "/api/sales").await;
    let bytes = download(&api, "/api/sales/export?format=xlsx", XLSX_TYPE, "sales").await;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Sales"]);
    let sheet = book.worksheet_range("Sales").unwrap();
    assert_eq!(
        sheet.height(),
        all.len() + 1,
        "a header and one row per sale"
    );
    let header: Vec<String> = (0..sheet.width())
        .map(|c| sheet.get((0, c)).unwrap().to_string())
        .collect();
    let at = |title: &str| column(&header, title);
    for (i, sale) in all.iter().enumerate() {
        let row = i + 1;
        let Some(Data::Float(payable)) = sheet.get((row, at("Payable"))) else {
            panic!(
                "payable is not a number: {:?}",
                sheet.get((row, at("Payable")))
            );
        };
        assert_eq!(
            (payable * 100.0).round() as i64,
            sale["payable_paise"].as_i64().unwrap()
        );
        let Some(Data::Float(grams)) = sheet.get((row, at("Gross weight"))) else {
            panic!("the weight is not a number");
        };
        assert_eq!(
            (grams * 1000.0).round() as i64,
            sum_lines(sale, "gross_weight_mg")
        );
        assert!(
            matches!(sheet.get((row, at("Dated"))), Some(Data::DateTime(_))),
            "{:?}",
            sheet.get((row, at("Dated")))
        );
        assert!(matches!(
            sheet.get((row, at("Pieces"))),
            Some(Data::Float(_))
        ));
    }
}

/// An export longer than one of its pages (500 customers) walks on from where each page
/// ended: in every order, and under a filter, it holds the list's customers in the
/// list's order, none twice and none missed.
#[tokio::test]
async fn a_customers_export_of_several_pages_follows_the_list_in_every_order() {
    let dir = demo_store_of(1_150, 300);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    for query in [
        "sort=newest",
        "sort=oldest",
        "sort=name",
        "sort=-name",
        "sort=-value",
        "sort=last_purchase",
        "sort=-visits&status=ACTIVE",
    ] {
        let listed = walk(&api, &format!("/api/customers?{query}")).await;
        let path = format!("/api/customers/export?format=csv&{query}");
        let (header, rows) = read_csv(&download(&api, &path, CSV_TYPE, "customers").await);
        let code = column(&header, "Code");
        let exported: Vec<&str> = rows.iter().map(|row| row[code].as_str()).collect();
        let expected: Vec<&str> = listed.iter().map(|c| c["code"].as_str().unwrap()).collect();
        // Unfiltered, the list runs past an export page; the filter leaves a third.
        let at_least = if query.contains("status") { 100 } else { 501 };
        assert!(
            expected.len() >= at_least,
            "{query}: {} customers",
            expected.len()
        );
        assert_eq!(exported, expected, "{query}");
    }
}

#[tokio::test]
async fn customers_with_awkward_names_and_products_round_trip() {
    let dir = demo_store(40);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    for (name, phone) in [
        ("সুমিতা দাস", "9830012301"),
        ("Roy, Ananya", "9830012302"),
        ("Priya \"Mini\" Sen", "9830012303"),
    ] {
        api.create("/api/customers", &json!({"name": name, "phone": phone}))
            .await;
    }
    let customers = walk(&api, "/api/customers").await;
    let bytes = download(&api, "/api/customers/export", CSV_TYPE, "customers").await;
    let (header, rows) = read_csv(&bytes);
    assert_eq!(rows.len(), customers.len());
    let at = |title: &str| column(&header, title);
    for (row, customer) in rows.iter().zip(&customers) {
        assert_eq!(row[at("Code")], customer["code"].as_str().unwrap());
        assert_eq!(row[at("Name")], customer["name"].as_str().unwrap());
        // Written as staff write it (`98300 12303`, no `+91` for a spreadsheet to
        // take for a formula), the same number as the API's.
        assert_eq!(
            format!("+91{}", row[at("Phone")].replace(' ', "")),
            customer["phone"].as_str().unwrap()
        );
        assert_eq!(
            paise(&row[at("Lifetime value")]),
            customer["lifetime_value_paise"].as_i64().unwrap()
        );
        assert_eq!(row[at("Purchases")], customer["purchases"].to_string());
    }
    for awkward in ["সুমিতা দাস", "Roy, Ananya", "Priya \"Mini\" Sen"] {
        assert!(rows.iter().any(|r| r[at("Name")] == awkward), "{awkward}");
    }

    let gold = walk(&api, "/api/products?metal=GOLD&sort=sku").await;
    let path = "/api/products/export?metal=GOLD&sort=sku&format=csv";
    let (header, rows) = read_csv(&download(&api, path, CSV_TYPE, "products").await);
    assert!(!gold.is_empty());
    assert_eq!(rows.len(), gold.len());
    let at = |title: &str| column(&header, title);
    for (row, product) in rows.iter().zip(&gold) {
        assert_eq!(row[at("Tag number")], product["sku"].as_str().unwrap());
        assert_eq!(row[at("Metal")], "GOLD");
        assert_eq!(
            milligrams(&row[at("Gross weight")]),
            product["gross_weight_mg"].as_i64().unwrap()
        );
        assert_eq!(
            milligrams(&row[at("Stone weight")]),
            product["stone_weight_mg"].as_i64().unwrap()
        );
        assert_eq!(row[at("In stock")], product["stock_qty"].to_string());
    }
}

#[tokio::test]
async fn a_floor_manager_exports_only_their_floor() {
    let dir = demo_store(200);
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
    let manager = app.login("fm.test").await;

    let theirs = walk(&api, &format!("/api/sales?floor_id={own}")).await;
    let everything = walk(&api, "/api/sales").await;
    assert!(!theirs.is_empty() && theirs.len() < everything.len());
    let bytes = download(&manager, "/api/sales/export", CSV_TYPE, "sales").await;
    check_sales_csv(&bytes, &theirs);
    let (header, rows) = read_csv(&bytes);
    assert!(
        rows.iter()
            .all(|r| r[column(&header, "Floor")] == floor_name)
    );

    let follow_ups = walk(&manager, "/api/follow-ups").await;
    let bytes = download(
        &manager,
        "/api/follow-ups/export?format=csv",
        CSV_TYPE,
        "follow-ups",
    )
    .await;
    let (header, rows) = read_csv(&bytes);
    assert_eq!(rows.len(), follow_ups.len());
    assert!(follow_ups.iter().all(|f| f["floor_id"] == own.as_str()));
    assert!(
        rows.iter()
            .all(|r| r[column(&header, "Floor")] == floor_name)
    );
    let all_follow_ups = walk(&api, "/api/follow-ups").await;
    assert!(
        all_follow_ups.len() > follow_ups.len(),
        "the admin sees more follow-ups ({}) than the floor's ({})",
        all_follow_ups.len(),
        follow_ups.len()
    );

    for path in [
        format!("/api/sales/export?floor_id={other}"),
        format!("/api/follow-ups/export?floor_id={other}"),
    ] {
        let refused = manager.get(&path).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{path}");
    }
}

#[tokio::test]
async fn bad_formats_and_filters_are_refused_and_change_nothing() {
    let dir = demo_store(30);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    let before = app.crm().last_change().unwrap();
    let unknown = uuid::Uuid::now_v7();
    for (path, field) in [
        ("/api/sales/export?format=pdf", "format"),
        ("/api/sales/export?from=yesterday", "from"),
        ("/api/sales/export?status=SOLD&format=xlsx", "status"),
        (
            &format!("/api/sales/export?floor_id={unknown}") as &str,
            "floor_id",
        ),
        ("/api/customers/export?format=doc", "format"),
        ("/api/products/export?min_weight_mg=heavy", "min_weight_mg"),
        ("/api/follow-ups/export?due_after=tomorrow", "due_after"),
    ] {
        let response = api.get(path).await;
        let status = response.status();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {status}"
        );
        expect_field_problem(response, status, field).await;
    }
    for path in [
        "/api/customers/export?sort=price",
        "/api/sales/export?limit=10",
        "/api/products/export?colour=red",
    ] {
        let status = api.get(path).await.status();
        assert!(status.is_client_error(), "{path}: {status}");
    }
    let anonymous = app.anonymous().get("/api/sales/export").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.crm().last_change().unwrap(), before, "nothing stored");
}

#[tokio::test]
async fn a_client_asking_for_gzip_gets_the_whole_export() {
    let dir = demo_store(30);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let api = app.admin().await;
    // The compression layer asks the body once more after it ended; the export's
    // stream must answer "ended" again instead of failing the connection.
    for (path, encoding) in [
        ("/api/sales/export", Some("gzip")),
        ("/api/follow-ups/export?format=xlsx", None),
    ] {
        let response = api
            .request(reqwest::Method::GET, path)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        // An Excel file is a zip already and goes as it is.
        let sent = response.headers().get("content-encoding");
        assert_eq!(sent.map(|v| v.to_str().unwrap()), encoding, "{path}");
        let body = response.bytes().await.expect("the whole body arrives");
        assert!(!body.is_empty(), "{path}");
    }
}

#[tokio::test]
async fn the_cli_writes_the_same_file_and_refuses_bad_flags_and_a_running_server() {
    let dir = demo_store(90);
    let added = cli_add_user(
        dir.path(),
        &["--username", "owner", "--role", "business-admin"],
    )
    .await;
    assert!(added.status.success());
    let out = dir.path().join("ground-floor-sales.csv");
    let export = |args: &[&str]| {
        let mut command = binary();
        command
            .arg("--data-dir")
            .arg(dir.path())
            .arg("export")
            .args(args);
        command
    };
    let written = export(&[
        "sales",
        "--format",
        "csv",
        "--floor",
        "Ground Floor — Gold",
        "--status",
        "completed",
        "--out",
        out.to_str().unwrap(),
    ])
    .output()
    .await
    .unwrap();
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let from_cli = std::fs::read(&out).unwrap();
    let excel = dir.path().join("products.xlsx");
    let written = export(&[
        "products",
        "--format",
        "xlsx",
        "--out",
        excel.to_str().unwrap(),
    ])
    .output()
    .await
    .unwrap();
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&excel).unwrap())).unwrap();
    let products = book.worksheet_range("Products").unwrap();

    let refused = dir.path().join("refused.csv");
    for args in [
        &["sales", "--payment", "cheque"] as &[&str],
        &["customers", "--payment", "CASH"],
        &["sales", "--from", "yesterday"],
        &["follow-ups", "--status", "someday"],
        &["sales", "--format", "pdf"],
        &["invoices"],
    ] {
        let output = export(args)
            .args(["--out", refused.to_str().unwrap()])
            .output()
            .await
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?} says why");
        assert!(!refused.exists(), "{args:?} wrote nothing");
    }

    let server = ServerProcess::start(dir.path()).await;
    let admin = server.login("owner").await;
    let floors = admin.get_json("/api/floors").await;
    let ground = floors["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "Ground Floor — Gold")
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .unwrap();
    let path = format!("/api/sales/export?floor_id={ground}&status=COMPLETED");
    let from_api = download(&admin, &path, CSV_TYPE, "sales").await;
    assert_eq!(
        from_cli, from_api,
        "the CLI and the Download link write the same file"
    );
    let listed = walk(&admin, "/api/products").await;
    assert_eq!(products.height(), listed.len() + 1);

    let busy = export(&["customers", "--out", refused.to_str().unwrap()])
        .output()
        .await
        .unwrap();
    assert!(!busy.status.success());
    let stderr = String::from_utf8_lossy(&busy.stderr);
    assert!(
        stderr.contains("server is running") && stderr.contains("Download"),
        "{stderr}"
    );
    assert!(!refused.exists());
}

#[tokio::test]
async fn the_list_pages_link_to_their_files_with_the_filters_shown() {
    let dir = demo_store(60);
    let app = TestApp::start(dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    let page = PageClient::sign_in(&app, "owner").await;
    let api = app.admin().await;
    for (list_page, link, list) in [
        (
            "/sales?status=COMPLETED",
            "/sales/export?format=xlsx&amp;status=COMPLETED",
            "/api/sales?status=COMPLETED",
        ),
        (
            "/customers?status=ACTIVE",
            "/customers/export?format=xlsx&amp;status=ACTIVE",
            "/api/customers?status=ACTIVE",
        ),
        (
            "/products?metal=GOLD",
            "/products/export?format=xlsx&amp;metal=GOLD",
            "/api/products?metal=GOLD",
        ),
    ] {
        let (status, html) = page.get(list_page).await;
        assert_eq!(status, StatusCode::OK, "{list_page}");
        assert!(
            html.contains(&format!("href=\"{link}\"")),
            "{list_page} links to {link}"
        );
        let rows = walk(&api, list).await.len();
        // The register always knows its count; a filtered customer or product list
        // knows it only when counting is free, and says "the file" otherwise.
        let notice = if list_page.starts_with("/sales") {
            format!("Preparing {rows} rows")
        } else {
            "Preparing ".to_owned()
        };
        assert!(html.contains(&notice), "{list_page}: {notice}");
        let response = page
            .http
            .get(format!("{}{}", page.base, link.replace("&amp;", "&")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{link}");
        assert_eq!(response.headers()["content-type"], XLSX_TYPE);
        let bytes = response.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
        let name = book.sheet_names()[0].clone();
        assert_eq!(
            book.worksheet_range(&name).unwrap().height(),
            rows + 1,
            "{link}"
        );
    }
    let (status, _) = page.get("/sales/export?format=pdf").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = page.get("/sales/export?from=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
