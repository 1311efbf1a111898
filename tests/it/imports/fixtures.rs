//! The committed fixtures, made by openpyxl, xlwt and byte for byte as Excel saves CSV
//! (see `tests/fixtures/import/make_fixtures.py`), through the API: the mapping
//! guessed, problems by row and column, commit, the same file again, undo.

use super::{all_customers, commit, fixture, mapping, problems, undo, upload};
use crate::helpers::{TestApp, floor};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

fn lines_and_columns(found: &[(u64, String, String)]) -> Vec<(u64, String)> {
    found.iter().map(|(l, c, _)| (*l, c.clone())).collect()
}

#[tokio::test]
async fn an_openpyxl_sheet_with_merged_headers_and_serial_dates() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let draft = upload(
        &admin,
        "customers",
        "customers.xlsx",
        fixture("customers_openpyxl.xlsx"),
    )
    .await;
    assert!(
        draft["format"].as_str().unwrap().contains("Customers"),
        "{}",
        draft["format"]
    );
    assert_eq!(
        mapping(&draft),
        pairs(&[
            ("Cust Name", "name"),
            ("Mobile", "phone"),
            ("D.O.B.", "date_of_birth"),
            ("Anniv", "anniversary"),
            ("Locality", "address.locality"),
            ("Address City", "address.city"),
            ("Address PIN", "address.pincode"),
        ])
    );
    let found = problems(&draft);
    assert_eq!(
        lines_and_columns(&found),
        [
            (6, "Locality".to_owned()),
            (7, "Mobile".to_owned()),
            (9, "D.O.B.".to_owned())
        ],
        "{found:?}"
    );
    assert!(found[0].2.contains("#N/A"), "{}", found[0].2);
    assert!(found[2].2.contains("31/02/1990"), "{}", found[2].2);
    assert_eq!(draft["preview"]["counts"]["create"], 7);

    let id = draft["id"].as_str().unwrap().to_owned();
    let done = commit(&admin, &id).await;
    assert_eq!(done["counts"]["created"], 7, "{done}");
    let customers = all_customers(&admin).await;
    let rahul = customers
        .iter()
        .find(|c| c["name"] == "Rahul Jain")
        .expect("Rahul");
    assert_eq!(
        rahul["phone"], "+919830012346",
        "typed as a number, every digit kept"
    );
    assert_eq!(rahul["date_of_birth"], "1990-01-05", "a date cell");
    assert_eq!(rahul["address"]["pincode"], "700091");
    assert_eq!(rahul["address"]["city"], "Kolkata");
    let sumita = customers
        .iter()
        .find(|c| c["name"] == "Sumita Sarkar")
        .unwrap();
    assert_eq!(sumita["anniversary"], "2010-02-14");

    let again = upload(
        &admin,
        "customers",
        "customers.xlsx",
        fixture("customers_openpyxl.xlsx"),
    )
    .await;
    assert_eq!(
        again["preview"]["counts"]["create"], 0,
        "{}",
        again["preview"]["counts"]
    );
    let second = commit(&admin, again["id"].as_str().unwrap()).await;
    assert_eq!(second["counts"]["created"], 0);
    assert_eq!(
        all_customers(&admin).await,
        customers,
        "skipping adds nothing"
    );

    assert_eq!(undo(&admin, &id).await["state"], "UNDONE");
    assert!(all_customers(&admin).await.is_empty());
}

#[tokio::test]
async fn csv_files_as_excel_saves_them_in_utf8_windows_1252_and_utf16() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    let bom = upload(
        &admin,
        "customers",
        "customers.csv",
        fixture("customers_excel_utf8_bom.csv"),
    )
    .await;
    assert!(
        bom["format"].as_str().unwrap().contains("UTF-8"),
        "{}",
        bom["format"]
    );
    assert_eq!(
        mapping(&bom),
        pairs(&[
            ("Name", "name"),
            ("Mobile", "phone"),
            ("Date of Birth", "date_of_birth"),
            ("City", "address.city"),
            ("Notes", "notes"),
        ])
    );
    assert_eq!(
        lines_and_columns(&problems(&bom)),
        [(7, "Mobile".to_owned())]
    );
    commit(&admin, bom["id"].as_str().unwrap()).await;

    // The Goa file has the same three numbers under other names: each row is matched
    // and flagged, and skipped by default.
    let cp1252 = upload(
        &admin,
        "customers",
        "goa.csv",
        fixture("customers_windows1252.csv"),
    )
    .await;
    assert!(
        cp1252["format"].as_str().unwrap().contains("Windows-1252"),
        "{}",
        cp1252["format"]
    );
    assert_eq!(
        cp1252["preview"]["counts"]["skip"], 3,
        "{}",
        cp1252["preview"]
    );
    let first = &cp1252["preview"]["rows"][0];
    assert_eq!(
        first["values"][0], "René D'Souza",
        "é read from Windows-1252"
    );
    assert_eq!(first["values"][4], "Café owner");
    assert!(
        first["warning"].as_str().unwrap().contains("names differ"),
        "{first}"
    );
    assert_eq!(
        cp1252["preview"]["rows"][1]["values"][4],
        "Paid € 120 in Lisbon"
    );
    let goa = TestApp::spawn().await;
    let goa_admin = goa.admin().await;
    let fresh = upload(
        &goa_admin,
        "customers",
        "goa.csv",
        fixture("customers_windows1252.csv"),
    )
    .await;
    commit(&goa_admin, fresh["id"].as_str().unwrap()).await;
    let goans = all_customers(&goa_admin).await;
    let andre = goans
        .iter()
        .find(|c| c["name"] == "André Fernandes")
        .expect("André");
    assert_eq!(andre["notes"], "Paid € 120 in Lisbon");
    assert_eq!(andre["date_of_birth"], "1990-02-01");
    let zoe = goans.iter().find(|c| c["name"] == "Zoë Pinto").unwrap();
    assert_eq!(zoe["date_of_birth"], "1992-02-29");

    let utf16 = upload(
        &admin,
        "customers",
        "unicode.txt",
        fixture("customers_unicode_text.txt"),
    )
    .await;
    assert!(
        utf16["format"].as_str().unwrap().contains("UTF-16"),
        "{}",
        utf16["format"]
    );
    // Rahul Jain and Priya Das came in with the first file: their rows are skipped.
    assert_eq!(
        utf16["preview"]["counts"]["create"], 0,
        "{}",
        utf16["preview"]
    );
    assert_eq!(utf16["preview"]["counts"]["skip"], 3);

    let customers = all_customers(&admin).await;
    let priya = customers.iter().find(|c| c["name"] == "Priya Das").unwrap();
    assert_eq!(
        priya["notes"], "Wants a necklace,\nnot earrings",
        "the line break kept (as notes store it)"
    );
    assert_eq!(priya["date_of_birth"], "1978-12-31");
    let neha = customers.iter().find(|c| c["name"] == "Neha Roy").unwrap();
    assert_eq!(neha["address"]["city"], "Kolkata, Salt Lake");
    assert_eq!(
        customers.len(),
        4,
        "the five rows less the bad number: Sumita, Rahul, Priya, Neha"
    );
}

#[tokio::test]
async fn stock_lists_as_semicolon_csv_and_excel_97() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    floor(&admin, "Ground Floor", 0).await;
    for (name, file) in [
        ("stock.csv", "products_semicolon.csv"),
        ("stock.xls", "products.xls"),
    ] {
        let draft = upload(&admin, "products", name, fixture(file)).await;
        let found = problems(&draft);
        assert_eq!(
            lines_and_columns(&found),
            [(5, "Purity".to_owned()), (6, "Net Wt".to_owned())],
            "{file}: {found:?}"
        );
        assert_eq!(
            draft["preview"]["counts"]["create"], 6,
            "{file}: {}",
            draft["preview"]
        );
        let id = draft["id"].as_str().unwrap().to_owned();
        let done = commit(&admin, &id).await;
        assert_eq!(done["counts"]["created"], 6, "{file}: {done}");
        let list = admin.get_json("/api/products?sort=sku").await;
        let bangles = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["sku"] == "SJ-0001")
            .cloned()
            .unwrap();
        assert_eq!(
            (
                bangles["gross_weight_mg"].as_i64(),
                bangles["stone_weight_mg"].as_i64(),
                bangles["stock_qty"].as_i64()
            ),
            (Some(24_500), Some(1_400), Some(2)),
            "{file}"
        );
        let anklet = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["sku"] == "SJ-0003")
            .cloned()
            .unwrap();
        assert_eq!(
            anklet["making_charge"],
            serde_json::json!({"per_gram_paise": 80_000}),
            "{file}"
        );
        assert_eq!(undo(&admin, &id).await["state"], "UNDONE", "{file}");
    }
}
