//! The product pages: the catalogue as cards and as a table, the product's page, and
//! adding, editing and removing through the forms, with a Floor Manager kept to their floor.

use std::time::Duration;

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use super::{PageClient, location};
use crate::helpers::{Client, TestApp, floor, product};

/// Waits for the search index to reflect every committed change.
async fn indexed(app: &TestApp) {
    let target = app.crm().db().subscribe().borrow().to_owned();
    let mut applied = app.crm().search_index().unwrap().subscribe();
    tokio::time::timeout(
        Duration::from_secs(10),
        applied.wait_for(|seq| *seq >= target),
    )
    .await
    .expect("index catches up")
    .unwrap();
}

async fn floor_named(admin: &Client, name: &str) -> String {
    let floors = admin.get_json("/api/floors").await;
    floors["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .expect("floor exists")
}

async fn product_count(admin: &Client) -> usize {
    admin.get_json("/api/products").await["items"]
        .as_array()
        .unwrap()
        .len()
}

/// A necklace under Gold › Necklaces and a silver gift with a fixed price.
async fn catalogue(admin: &Client, ground: &str) -> (String, String) {
    let gold = admin
        .create("/api/categories", &json!({"name": "Gold"}))
        .await;
    let necklaces = admin
        .create(
            "/api/categories",
            &json!({"name": "Necklaces", "parent_id": gold["id"]}),
        )
        .await;
    let mut necklace = product("NK-22-0042", ground);
    necklace["category_id"] = necklaces["id"].clone();
    let necklace = admin.create("/api/products", &necklace).await;
    let mut silver = product("SA-925-01", ground);
    silver["name"] = json!("Silver Ganesh Idol");
    silver["metal"] = json!("SILVER");
    silver["purity"] = json!("925");
    silver["huid"] = Value::Null;
    silver["fixed_price_paise"] = json!(2_500_00);
    silver["stock_qty"] = json!(0);
    let silver = admin.create("/api/products", &silver).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    (id(&necklace), id(&silver))
}

/// The fields of a valid form for a 22K necklace on `floor`.
fn form(floor: &str) -> Vec<(&'static str, String)> {
    [
        ("sku", "BG-22-0100"),
        ("name", "Kangan Bangle Pair"),
        ("description", "Pair of hand-carved bangles"),
        ("category_id", ""),
        ("floor_id", floor),
        ("metal", "GOLD"),
        ("purity", "22K"),
        ("gross_weight", "32.5"),
        ("stone_weight", "1.25"),
        ("making_kind", "percent"),
        ("making_amount", "12.5"),
        ("stone_value", "15,000"),
        ("huid", "KB12C9"),
        ("fixed_price", ""),
        ("stock_qty", "2"),
        ("active", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn with(fields: &[(&'static str, String)], name: &str, value: &str) -> Vec<(&'static str, String)> {
    fields
        .iter()
        .map(|(k, v)| {
            (
                *k,
                if *k == name {
                    value.to_owned()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

async fn post(
    client: &PageClient,
    path: &str,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &pairs).await
}

#[tokio::test]
async fn catalogue_pages_show_real_products() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let (necklace, silver) = catalogue(&admin, &ground).await;
    let web = PageClient::sign_in(&app, "owner").await;

    let (status, grid) = web.get("/products").await;
    assert_eq!(status, StatusCode::OK);
    assert!(grid.contains("product-grid") && grid.contains("product-card"));
    for text in [
        "22K Temple Necklace",
        "NK-22-0042",
        "Silver Ganesh Idol",
        "SA-925-01",
        "25.450 g",
        "Ground Floor",
    ] {
        assert!(grid.contains(text), "the grid shows {text}");
    }
    assert!(grid.contains(r#"id="add-product""#));

    let (status, list) = web.get("/products?view=list&sort=sku").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(r#"id="product-list""#));
    let (a, b) = (
        list.find("NK-22-0042").unwrap(),
        list.find("SA-925-01").unwrap(),
    );
    assert!(a < b, "sorted by tag number");
    assert!(list.contains("₹2,500.00"), "the fixed price is shown");

    let (_, silver_only) = web.get("/products?metal=SILVER").await;
    assert!(silver_only.contains("SA-925-01") && !silver_only.contains("NK-22-0042"));
    let (_, in_stock) = web.get("/products?in_stock=true&view=list").await;
    assert!(in_stock.contains("NK-22-0042") && !in_stock.contains("SA-925-01"));
    indexed(&app).await;
    let (_, found) = web.get("/products?q=temple").await;
    assert!(found.contains("NK-22-0042") && !found.contains("SA-925-01"));
    let (status, bad) = web.get("/products?metal=COPPER").await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a bad filter is reported on the page"
    );
    assert!(bad.contains("COPPER"));

    // Active search asks for the results only.
    let fragment = web
        .http
        .get(format!("{}/products?metal=SILVER", web.base))
        .header("hx-request", "true")
        .header("hx-target", "results")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        fragment.starts_with(r#"<div id="results" hx-swap="outerHTML""#),
        "{fragment}"
    );
    assert!(fragment.contains("SA-925-01") && !fragment.contains("<html"));

    let (status, detail) = web.get(&format!("/products/{necklace}")).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "22K Temple Necklace",
        "NK-22-0042",
        "AB12C3",
        "25.450 g",
        "0.000 g",
        "Gold › Necklaces",
        "₹550.00 per gram of net weight",
        "Ground Floor",
        "IST",
        r#"id="edit-product""#,
        r#"id="delete-dialog""#,
    ] {
        assert!(detail.contains(text), "the detail page shows {text}");
    }
    assert!(
        detail.contains("has no price yet"),
        "no rate set, so no invented price"
    );
    let (_, gift) = web.get(&format!("/products/{silver}")).await;
    assert!(gift.contains("₹2,500.00") && gift.contains("Out of stock"));
    let (status, _) = web
        .get("/products/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, new) = web.get("/products/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        new.contains(r#"id="product-form""#)
            && new.contains("Ground Floor")
            && new.contains("Necklaces")
    );
    let (status, edit) = web.get(&format!("/products/{necklace}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    for value in [
        r#"value="NK-22-0042""#,
        r#"value="25.45""#,
        r#"value="550""#,
        r#"value="AB12C3""#,
    ] {
        assert!(edit.contains(value), "the edit form holds {value}");
    }
}

#[tokio::test]
async fn adding_a_product_through_the_form_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let web = PageClient::sign_in(&app, "owner").await;
    let valid = form(&ground);

    let bad_weight = post(&web, "/products", &with(&valid, "gross_weight", "32,5g0")).await;
    assert_eq!(bad_weight.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad_weight.text().await.unwrap();
    let at = page
        .find(r#"id="error-gross-weight""#)
        .expect("the message sits by the field");
    assert!(page[at..].contains("write grams like 12.345"));
    for kept in [
        r#"value="Kangan Bangle Pair""#,
        r#"value="32,5g0""#,
        r#"value="KB12C9""#,
        r#"value="12.5""#,
    ] {
        assert!(page.contains(kept), "the form still holds {kept}");
    }
    assert_eq!(product_count(&admin).await, 0, "nothing stored");

    // The app's own checks land next to the form's fields too.
    let mut heavy_stones = with(&valid, "stone_weight", "40");
    heavy_stones = with(&heavy_stones, "huid", "");
    let refused = post(&web, "/products", &heavy_stones).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains(r#"id="error-stone-weight""#) && page.contains(r#"id="error-huid""#));
    assert_eq!(product_count(&admin).await, 0);

    let created = post(&web, "/products", &valid).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let to = location(&created);
    assert!(
        to.starts_with("/products/") && to.ends_with("?done=created"),
        "{to}"
    );
    let (status, detail) = web.get(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.contains("Kangan Bangle Pair") && detail.contains("12.5% of the metal value"));
    let stored = &admin.get_json("/api/products").await["items"][0];
    assert_eq!(stored["gross_weight_mg"], 32_500);
    assert_eq!(stored["stone_weight_mg"], 1_250);
    assert_eq!(stored["stone_value_paise"], 15_000_00);
    assert_eq!(stored["making_charge"], json!({"percent_bp": 1_250}));

    let twin = post(&web, "/products", &with(&valid, "name", "Another Bangle")).await;
    assert_eq!(twin.status(), StatusCode::CONFLICT);
    let page = twin.text().await.unwrap();
    assert!(page.contains(r#"id="error-sku""#) && page.contains(r#"value="Another Bangle""#));
    assert_eq!(product_count(&admin).await, 1);
}

#[tokio::test]
async fn editing_saves_and_removing_takes_it_out_of_the_catalogue() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let (necklace, _) = catalogue(&admin, &ground).await;
    let web = PageClient::sign_in(&app, "owner").await;
    let path = format!("/products/{necklace}");

    let mut fields = with(&form(&ground), "sku", "NK-22-0042");
    fields = with(&fields, "making_kind", "flat");
    fields = with(&fields, "making_amount", "4,500");
    fields = with(&fields, "fixed_price", "1,25,000");
    let saved = post(&web, &path, &fields).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), format!("{path}?done=saved"));
    let stored = admin.get_json(&format!("/api/products/{necklace}")).await;
    assert_eq!(stored["name"], "Kangan Bangle Pair");
    assert_eq!(stored["making_charge"], json!({"flat_paise": 4_500_00}));
    assert_eq!(stored["fixed_price_paise"], 1_25_000_00);
    let (_, detail) = web.get(&format!("{path}?done=saved")).await;
    assert!(detail.contains("Changes saved.") && detail.contains("₹1,25,000.00"));

    let bad = post(&web, &path, &with(&fields, "purity", "21K")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains(r#"id="error-purity""#));

    let removed = web.post_form(&format!("{path}/delete"), &[]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&removed), "/products?done=deleted");
    assert_eq!(
        admin
            .get(&format!("/api/products/{necklace}"))
            .await
            .status(),
        StatusCode::OK,
        "admins still see it"
    );
    assert_eq!(product_count(&admin).await, 1);
    let (_, list) = web.get("/products?done=deleted").await;
    assert!(list.contains("Removed from the catalogue.") && !list.contains("NK-22-0042"));
    let (status, _) = web.get(&format!("{path}/edit")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_floor_manager_changes_only_their_own_floors_products() {
    let app = TestApp::spawn().await;
    app.add_user(
        "gf.manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let admin = app.admin().await;
    let ground = floor_named(&admin, "Ground Floor").await;
    let first = floor(&admin, "First Floor", 1).await;
    let theirs = admin
        .create("/api/products", &product("GF-0001", &ground))
        .await;
    let other = admin
        .create("/api/products", &product("FF-0001", &first))
        .await;
    let (theirs, other) = (
        theirs["id"].as_str().unwrap(),
        other["id"].as_str().unwrap(),
    );
    let web = PageClient::sign_in(&app, "gf.manager").await;

    let (_, list) = web.get("/products").await;
    assert!(
        list.contains("GF-0001") && list.contains("FF-0001"),
        "the whole catalogue is readable"
    );
    let (_, own) = web.get(&format!("/products/{theirs}")).await;
    assert!(own.contains(r#"id="edit-product""#));
    let (status, foreign) = web.get(&format!("/products/{other}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !foreign.contains(r#"id="edit-product""#) && !foreign.contains(r#"id="delete-product""#)
    );

    let (status, _) = web.get(&format!("/products/{other}/edit")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let edit = post(&web, &format!("/products/{other}"), &form(&first)).await;
    assert_eq!(edit.status(), StatusCode::FORBIDDEN);
    let delete = web
        .post_form(&format!("/products/{other}/delete"), &[])
        .await;
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        admin.get_json(&format!("/api/products/{other}")).await["sku"],
        "FF-0001",
        "unchanged"
    );

    let (_, new) = web.get("/products/new").await;
    assert!(
        new.contains(&format!(r#"value="{ground}" selected"#)),
        "their floor is chosen"
    );
    assert!(!new.contains(&first), "another floor is not offered");
    let created = post(&web, "/products", &form(&ground)).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
}
