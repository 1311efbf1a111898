use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, expect_field_problem, expect_json, floor, product};

#[tokio::test]
async fn admin_manages_products() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let created = admin
        .create("/api/products", &product("nk-22-0042", &ground))
        .await;
    assert_eq!(created["sku"], "NK-22-0042");
    assert_eq!(created["purity"], "22K");
    assert_eq!(created["fineness"], 916);
    assert_eq!(created["net_weight_mg"], 25_450);
    assert_eq!(created["making_charge"], json!({"per_gram_paise": 55_000}));
    let id = created["id"].as_str().unwrap();

    let mut diamond = product("DR-18-0001", &ground);
    diamond["name"] = json!("18K Solitaire Ring");
    diamond["purity"] = json!("18K");
    diamond["gross_weight_mg"] = json!(4_200);
    diamond["stone_weight_mg"] = json!(200);
    diamond["stone_value_paise"] = json!(1_50_000_00);
    diamond["making_charge"] = json!({"percent_bp": 1_500});
    diamond["huid"] = json!("ZX98Y7");
    diamond["stock_qty"] = json!(0);
    let ring = admin.create("/api/products", &diamond).await;
    assert_eq!(ring["net_weight_mg"], 4_000);

    let mut silver = product("SA-925-01", &ground);
    silver["metal"] = json!("SILVER");
    silver["purity"] = json!("925");
    silver["huid"] = json!(null);
    silver["fixed_price_paise"] = json!(2_500_00);
    admin.create("/api/products", &silver).await;

    let all = admin.get_json("/api/products?sort=sku").await;
    let skus: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, ["DR-18-0001", "NK-22-0042", "SA-925-01"]);
    assert_eq!(
        admin.get_json("/api/products?metal=SILVER").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        admin.get_json("/api/products?in_stock=false").await["items"][0]["sku"],
        "DR-18-0001"
    );

    let mut edit = product("NK-22-0042", &ground);
    edit["stock_qty"] = json!(3);
    let updated = expect_json(
        admin.put(&format!("/api/products/{id}"), &edit).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["stock_qty"], 3);
    assert_eq!(updated["created_at"], created["created_at"]);

    assert_eq!(
        admin.delete(&format!("/api/products/{id}")).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(admin.get_json("/api/products").await["total"], 2);
    // The tag number of a removed product can be used again.
    admin
        .create("/api/products", &product("NK-22-0042", &ground))
        .await;
}

#[tokio::test]
async fn tag_numbers_are_unique_and_hallmarked_gold_needs_a_huid() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    admin
        .create("/api/products", &product("NK-1", &ground))
        .await;
    let clash = admin.post("/api/products", &product("nk-1", &ground)).await;
    expect_field_problem(clash, StatusCode::CONFLICT, "sku").await;

    let mut no_huid = product("NK-2", &ground);
    no_huid["huid"] = json!(null);
    expect_field_problem(
        admin.post("/api/products", &no_huid).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "huid",
    )
    .await;

    let mut heavy_stones = product("NK-3", &ground);
    heavy_stones["stone_weight_mg"] = json!(30_000);
    expect_field_problem(
        admin.post("/api/products", &heavy_stones).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "stone_weight_mg",
    )
    .await;

    let mut wrong_purity = product("NK-4", &ground);
    wrong_purity["purity"] = json!("925");
    expect_field_problem(
        admin.post("/api/products", &wrong_purity).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "purity",
    )
    .await;
    assert_eq!(admin.get_json("/api/products").await["total"], 1);
}
