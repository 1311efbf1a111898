//! An export edited in Excel imports back: the export's columns are the import's, and
//! a store exported and imported into an empty one holds the same customers and stock.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{all_customers, commit, mapping, upload};
use crate::helpers::{Client, TestApp, floor, product};

async fn download(client: &Client, path: &str) -> Vec<u8> {
    let response = client.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.expect("file").to_vec()
}

/// A customer's details, without what the store gives it (id, code, dates, totals).
fn details(c: &Value) -> Value {
    let mut c = c.clone();
    let object = c.as_object_mut().unwrap();
    for key in [
        "id",
        "code",
        "created_at",
        "updated_at",
        "deleted_at",
        "created_by",
        "home_floor_id",
        "lifetime_value_paise",
        "last_purchase_at",
        "purchases",
        "visits",
    ] {
        object.remove(key);
    }
    c
}

async fn fill(admin: &Client) {
    admin
        .create(
            "/api/customers",
            &json!({
                "name": "Subhajit Chowdhury", "phone": "98300 12345", "email": "subho@example.com",
                "gender": "MALE", "date_of_birth": "1984-02-29", "anniversary": "2010-12-05",
                "address": {"line1": "12/3 Lake Road", "line2": "Flat 4B", "locality": "Salt Lake",
                    "city": "Kolkata", "state": "West Bengal", "pincode": "700091"},
                "status": "PROSPECT", "notes": "Likes temple jewellery, \"antique\" finish; calls after 6",
                "tags": ["wedding", "vip"], "pan": "ABCPK1234F"
            }),
        )
        .await;
    admin
        .create(
            "/api/customers",
            &json!({"name": "Ananya Das", "phone": "+91 94330 11111"}),
        )
        .await;
}

#[tokio::test]
async fn customers_exported_as_csv_and_excel_import_back_the_same() {
    let source = TestApp::spawn().await;
    let admin = source.admin().await;
    fill(&admin).await;
    let originals = all_customers(&admin).await;
    for format in ["csv", "xlsx"] {
        let file = download(&admin, &format!("/api/customers/export?format={format}")).await;
        // Into the same store: every row matches its customer, so "skip" adds nothing.
        let draft = upload(
            &admin,
            "customers",
            &format!("customers.{format}"),
            file.clone(),
        )
        .await;
        let fields: Vec<String> = mapping(&draft).into_iter().map(|(_, f)| f).collect();
        for wanted in [
            "name",
            "phone",
            "code",
            "email",
            "date_of_birth",
            "address.pincode",
            "tags",
            "pan",
            "notes",
        ] {
            assert!(
                fields.iter().any(|f| f == wanted),
                "{format}: {wanted} not mapped in {fields:?}"
            );
        }
        assert_eq!(
            draft["preview"]["counts"]["create"], 0,
            "{format}: {}",
            draft["preview"]["counts"]
        );
        assert_eq!(
            draft["preview"]["counts"]["refuse"], 0,
            "{format}: {}",
            draft["preview"]
        );

        // Into an empty store: the same customers come back.
        let target = TestApp::spawn().await;
        let owner = target.admin().await;
        let draft = upload(&owner, "customers", &format!("customers.{format}"), file).await;
        let done = commit(&owner, draft["id"].as_str().unwrap()).await;
        assert_eq!(done["counts"]["created"], 2, "{format}: {done}");
        // The export lists the newest first; compared by phone number.
        let by_phone = |list: &[Value]| {
            let mut list: Vec<Value> = list.iter().map(details).collect();
            list.sort_by_key(|c| c["phone"].as_str().unwrap_or("").to_owned());
            list
        };
        let (copies, originals) = (by_phone(&all_customers(&owner).await), by_phone(&originals));
        assert_eq!(copies, originals, "{format}");
    }
}

#[tokio::test]
async fn products_exported_as_excel_import_back_the_same() {
    let source = TestApp::spawn().await;
    let admin = source.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let mut necklace = product("T-100", &ground);
    necklace["description"] = json!("Temple work, ruby drops");
    necklace["stone_weight_mg"] = json!(1_250);
    necklace["stone_value_paise"] = json!(1_250_000);
    admin.create("/api/products", &necklace).await;
    let mut ring = product("T-101", &ground);
    ring["making_charge"] = json!({"percent_bp": 1_250});
    ring["huid"] = json!(null);
    ring["gross_weight_mg"] = json!(1_800);
    admin.create("/api/products", &ring).await;
    let file = download(&admin, "/api/products/export?format=xlsx").await;

    let target = TestApp::spawn().await;
    let owner = target.admin().await;
    floor(&owner, "Ground Floor", 0).await;
    let draft = upload(&owner, "products", "products.xlsx", file).await;
    assert_eq!(
        draft["preview"]["counts"]["refuse"], 0,
        "{}",
        draft["preview"]
    );
    commit(&owner, draft["id"].as_str().unwrap()).await;
    let strip = |list: Value| -> Vec<Value> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let mut p = p.clone();
                for key in ["id", "floor_id", "created_at", "updated_at", "category_id"] {
                    p.as_object_mut().unwrap().remove(key);
                }
                p
            })
            .collect()
    };
    assert_eq!(
        strip(owner.get_json("/api/products?sort=sku").await),
        strip(admin.get_json("/api/products?sort=sku").await)
    );
}
