//! Invoice numbers written before the short year form (`SJ/2026-27/00013`, in a version 2
//! database) stay valid: the register's invoice filter still finds them, the serial
//! counter of the year goes on from them in the new form (`SJ/26-27/000014`) without a
//! clash, and the GST index the migration filled puts each of them in its month.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::{Client, TestApp};

/// A data directory holding a copy of the version 2 fixture (demo sales, some pending).
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = format!(
        "{}/tests/fixtures/schema-v2.redb",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::copy(path, dir.path().join(sarkar_crm::data_dir::DATABASE_FILE))
        .expect("fixture copied");
    dir
}

async fn every_sale(admin: &Client) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(cursor) => format!("/api/sales?limit=200&cursor={cursor}"),
            None => "/api/sales?limit=200".to_owned(),
        };
        let page = admin.get_json(&path).await;
        out.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next"].as_str() {
            Some(cursor) => next = Some(cursor.to_owned()),
            None => return out,
        }
    }
}

fn invoice(sale: &Value) -> Option<&str> {
    sale["invoice_no"].as_str()
}

#[tokio::test]
async fn old_numbers_are_found_and_new_ones_go_on_from_them() {
    let dir = fixture();
    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let sales = every_sale(&admin).await;
    let old: Vec<&str> = sales.iter().filter_map(invoice).collect();
    assert!(old.len() > 20, "the fixture has numbered bills: {old:?}");
    assert!(
        old.iter().all(|n| n.len() == 16 && n.as_bytes()[7] == b'-'),
        "{old:?}"
    );

    // Found whole (any case) by the API's filter and the register page.
    let wanted = old[0];
    let found = admin
        .get_json(&format!(
            "/api/sales?invoice={}",
            wanted.to_lowercase().replace('/', "%2F")
        ))
        .await;
    let items = found["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{found}");
    assert_eq!(invoice(&items[0]), Some(wanted));
    let page = admin
        .get(&format!("/sales?invoice={}", wanted.replace('/', "%2F")))
        .await;
    let html = page.text().await.expect("html");
    assert!(
        html.contains(r#"id="total-bills">1<"#) && html.contains(wanted),
        "{html}"
    );
    // And by its year's start, as the new form's numbers are by theirs.
    let year = &wanted[..11];
    let same_year = admin
        .get_json(&format!(
            "/api/sales/totals?invoice={}",
            year.replace('/', "%2F")
        ))
        .await;
    let expected = old.iter().filter(|n| n.starts_with(year)).count();
    assert_eq!(same_year["bills"], expected, "{year}");

    // A bill completed now is numbered in the short form, after the old numbers of its
    // financial year (the counter goes on), and clashes with none of them.
    // A new piece at a fixed price (the fixture's rates are of days long gone), sold in
    // cash to a new customer.
    let floor = admin.get_json("/api/floors").await["items"][0]["id"]
        .as_str()
        .expect("floor")
        .to_owned();
    let piece = admin
        .create(
            "/api/products",
            &json!({"sku": "NEW-1", "name": "Silver bowl", "floor_id": floor, "metal": "SILVER",
                "purity": "925", "gross_weight_mg": 80_000, "making_charge": {"flat_paise": 0},
                "fixed_price_paise": 4_000_00, "stock_qty": 1}),
        )
        .await;
    let buyer = admin
        .create(
            "/api/customers",
            &crate::helpers::customer("Mou Sen", "9831000777"),
        )
        .await;
    let id = crate::helpers::paid_bill(
        &admin,
        buyer["id"].as_str().expect("id"),
        &floor,
        piece["id"].as_str().expect("id"),
        true,
    )
    .await;
    let id = id.as_str();
    let done = admin.get_json(&format!("/api/sales/{id}")).await;
    let number = invoice(&done).expect("numbered").to_owned();
    let fy = sarkar_crm::domain::FinancialYear::containing(app.crm().today());
    let long_head = format!("SJ/{}/", fy.label());
    let last_old = old
        .iter()
        .filter_map(|n| n.strip_prefix(&long_head))
        .map(|serial| serial.parse::<u32>().expect("serial"))
        .max()
        .unwrap_or(0);
    assert_eq!(
        number,
        format!("SJ/{}/{:06}", fy.short_label(), last_old + 1)
    );
    assert!(!old.contains(&number.as_str()));
    let found = admin
        .get_json(&format!(
            "/api/sales?invoice={}",
            number.replace('/', "%2F")
        ))
        .await;
    assert_eq!(found["items"][0]["id"], id);
}

#[tokio::test]
async fn the_migration_puts_every_old_invoice_in_its_gst_month() {
    let dir = fixture();
    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let zone = app.crm().config().time_zone();
    let mut by_month: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for sale in every_sale(&admin).await {
        if let (Some(number), Some(at)) = (invoice(&sale), sale["completed_at"].as_str()) {
            let day = at
                .parse::<jiff::Timestamp>()
                .unwrap()
                .to_zoned_datetime(zone.clone())
                .date();
            let month = format!("{:04}-{:02}", day.year(), day.month());
            by_month.entry(month).or_default().push(number.to_owned());
        }
    }
    assert!(!by_month.is_empty());
    for (month, mut numbers) in by_month {
        let gst = admin
            .get_json(&format!("/api/reports/gst?month={month}"))
            .await;
        let mut listed: Vec<String> = gst["invoices"]
            .as_array()
            .expect("invoices")
            .iter()
            .map(|r| r["invoice_no"].as_str().unwrap().to_owned())
            .collect();
        listed.sort();
        numbers.sort();
        assert_eq!(listed, numbers, "{month}");
        let totals = &gst["totals"];
        assert_eq!(totals["register"], totals["b2c"], "{month}: {totals}");
        assert_eq!(totals["register"], totals["hsn"], "{month}: {totals}");
    }
}
