//! Search over the tantivy index: typo-tolerant names, phone digits, scope, freshness,
//! and an index that can be thrown away and rebuilt.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, customer, expect_json, floor, product};

/// Names of the customers a search returns, best first.
async fn found(client: &Client, query: &str) -> Vec<String> {
    let path = format!("/api/customers?q={}", urlencode(query));
    let page = client.get_json(&path).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Waits for the search index to reflect every committed change (it follows the
/// change log), so assertions after it see the latest writes.
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

#[tokio::test]
async fn a_new_customer_is_found_by_misspelt_name_last_digits_and_phone_prefix_within_a_second() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin
        .create(
            "/api/customers",
            &json!({"name": "Rina Das", "phone": "9000012345"}),
        )
        .await;
    admin.create("/api/customers", &json!({"name": "Subhajit Chowdhury", "phone": "98300 56789", "address": {"locality": "Salt Lake"}})).await;
    let created = Instant::now();
    let expected = vec!["Subhajit Chowdhury".to_owned()];
    let queries = [
        "Shubhojit Choudhury",
        "subhajt",
        "6789",
        "98300 5",
        "+91 98300 56789",
        "choudhury salt lake",
    ];
    for query in queries {
        loop {
            if found(&admin, query).await == expected {
                break;
            }
            assert!(
                created.elapsed() < Duration::from_secs(1),
                "'{query}' found nothing within 1 s of the create response"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert_eq!(found(&admin, "Rina").await, ["Rina Das"]);
    assert!(found(&admin, "Pradip").await.is_empty());
}

#[tokio::test]
async fn exact_phone_and_code_come_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin
        .create("/api/customers", &customer("Payel Dey", "9831234567"))
        .await;
    admin
        .create("/api/customers", &customer("Ankit Jain", "9123456780"))
        .await;
    let third = admin
        .create("/api/customers", &customer("Moumita Saha", "7003234567"))
        .await;
    indexed(&app).await;
    // "234567" is inside all three numbers; the two that end so come first.
    let hits = found(&admin, "234567").await;
    assert_eq!(hits.len(), 3);
    assert!(hits[2] == "Ankit Jain", "{hits:?}");
    assert_eq!(found(&admin, "70032 34567").await, ["Moumita Saha"]);
    assert_eq!(
        found(&admin, third["code"].as_str().unwrap()).await,
        ["Moumita Saha"]
    );
}

#[tokio::test]
async fn renamed_and_removed_customers_follow_in_the_index() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let rina = admin
        .create("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    let path = format!("/api/customers/{}", rina["id"].as_str().unwrap());
    expect_json(
        admin
            .put(&path, &customer("Tanushree Ganguly", "9830012345"))
            .await,
        StatusCode::OK,
    )
    .await;
    indexed(&app).await;
    assert_eq!(found(&admin, "Ganguli").await, ["Tanushree Ganguly"]);
    assert!(
        found(&admin, "Rina").await.is_empty(),
        "the old name is gone"
    );
    admin.delete(&path).await;
    indexed(&app).await;
    assert!(
        found(&admin, "Tanushree").await.is_empty(),
        "a removed customer is not found"
    );
    admin.post(&format!("{path}/restore"), &json!({})).await;
    indexed(&app).await;
    assert_eq!(found(&admin, "Tanushree").await, ["Tanushree Ganguly"]);
}

#[tokio::test]
async fn another_stores_customers_never_appear() {
    let app = TestApp::spawn().await;
    app.add_user(
        "ghosh.admin",
        UserRole::BusinessAdmin,
        None,
        Some("Ghosh & Sons"),
    )
    .await;
    let ours = app.admin().await;
    let theirs = app.login("ghosh.admin").await;
    ours.create("/api/customers", &customer("Sourav Ganguly", "9830011111"))
        .await;
    theirs
        .create("/api/customers", &customer("Saurav Ganguli", "9830022222"))
        .await;
    let a = ours
        .create("/api/floors", &json!({"name": "Ground", "level": 0}))
        .await;
    ours.create("/api/products", &product("NK-1", a["id"].as_str().unwrap()))
        .await;
    indexed(&app).await;
    assert_eq!(found(&ours, "Sourav").await, ["Sourav Ganguly"]);
    assert_eq!(found(&theirs, "Sourav").await, ["Saurav Ganguli"]);
    assert_eq!(found(&theirs, "98300").await, ["Saurav Ganguli"]);
    let products = theirs.get_json("/api/products?q=temple").await;
    assert_eq!(products["total"], 0);
    // Both names start "gangul"; each store is offered only its own.
    let suggestions = theirs.get_json("/api/search/suggest?q=gangul").await;
    assert_eq!(suggestions["items"].as_array().unwrap().len(), 1);
    assert_eq!(suggestions["items"][0]["title"], "Saurav Ganguli");
}

#[tokio::test]
async fn products_are_found_by_tag_huid_words_weight_and_karat() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let gold = admin
        .create("/api/categories", &json!({"name": "Gold"}))
        .await;
    let bangles = admin
        .create(
            "/api/categories",
            &json!({"name": "Bangles", "parent_id": gold["id"]}),
        )
        .await;
    let mut bangle = product("BG-22-0001", &ground);
    bangle["name"] = json!("22K Filigree Kangan");
    bangle["category_id"] = bangles["id"].clone();
    bangle["gross_weight_mg"] = json!(20_400);
    bangle["huid"] = json!("ZX98Y7");
    admin.create("/api/products", &bangle).await;
    let mut heavy = bangle.clone();
    heavy["sku"] = json!("BG-22-0002");
    heavy["gross_weight_mg"] = json!(38_000);
    heavy["huid"] = json!("ZX98Y8");
    admin.create("/api/products", &heavy).await;
    let mut eighteen = bangle.clone();
    eighteen["sku"] = json!("BG-18-0003");
    eighteen["purity"] = json!("18K");
    eighteen["huid"] = json!("ZX98Y9");
    admin.create("/api/products", &eighteen).await;
    admin
        .create("/api/products", &product("NK-22-0042", &ground))
        .await;
    indexed(&app).await;

    let skus = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["sku"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        skus(admin.get_json("/api/products?q=nk-22-0042").await),
        ["NK-22-0042"]
    );
    assert_eq!(
        skus(admin.get_json("/api/products?q=zx98y8").await),
        ["BG-22-0002"]
    );
    let asked = admin
        .get_json(&format!(
            "/api/products?q={}",
            urlencode("22 carat bangle around 20 grams")
        ))
        .await;
    assert_eq!(
        skus(asked),
        ["BG-22-0001"],
        "22K, a bangle by its category, and 17–23 g"
    );
    assert_eq!(
        skus(admin.get_json("/api/products?q=kangan&purity=18K").await),
        ["BG-18-0003"]
    );
    let heavy_only = admin.get_json("/api/products?min_weight_mg=30000").await;
    assert_eq!(skus(heavy_only), ["BG-22-0002"]);
    assert_eq!(
        admin.get_json("/api/products?q=temple&metal=SILVER").await["total"],
        0
    );
    let bad = admin.get("/api/products?purity=21K").await;
    crate::helpers::expect_field_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "purity").await;
    let suggestions = admin.get_json("/api/search/suggest?q=kang").await;
    assert_eq!(suggestions["items"].as_array().unwrap().len(), 3);
    assert_eq!(suggestions["items"][0]["kind"], "product");
}

#[tokio::test]
async fn a_deleted_index_is_rebuilt_with_the_same_results() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    for (i, name) in [
        "Subhajit Sarkar",
        "Arindam Sarkar",
        "Sharmistha Sen",
        "Ankit Agarwal",
    ]
    .iter()
    .enumerate()
    {
        admin
            .create("/api/customers", &customer(name, &format!("98300 1111{i}")))
            .await;
    }
    admin
        .create("/api/products", &product("NK-22-0042", &ground))
        .await;
    indexed(&app).await;
    let queries = ["sarkar", "Shubhojit", "11112", "sen", "agrawal"];
    let mut before = Vec::new();
    for q in queries {
        before.push(found(&admin, q).await);
    }
    let products_before = admin.get_json("/api/products?q=temple").await["items"].clone();
    let data_dir = app.data_dir().to_owned();
    let mut app = app;
    app.stop().await;
    std::fs::remove_dir_all(data_dir.join(sarkar_crm::data_dir::INDEX_DIR)).unwrap();
    let app = TestApp::start_keeping(&data_dir, app).await;
    let admin = app.admin().await;
    let mut after = Vec::new();
    for q in queries {
        after.push(found(&admin, q).await);
    }
    assert_eq!(after, before);
    assert!(before.iter().all(|hits| !hits.is_empty()));
    assert_eq!(
        admin.get_json("/api/products?q=temple").await["items"],
        products_before
    );
}

#[tokio::test]
async fn changes_made_while_the_server_was_down_are_caught_up_at_start() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin
        .create("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    indexed(&app).await;
    let data_dir = app.data_dir().to_owned();
    let mut app = app;
    app.stop().await;
    // The command line writes while no server (and so no index follower) runs.
    let added = crate::helpers::cli_add_user(
        &data_dir,
        &[
            "--username",
            "payel",
            "--role",
            "floor-manager",
            "--floor",
            "Ground",
        ],
    )
    .await;
    assert!(added.status.success());
    let config = sarkar_crm::config::Config::defaults();
    let crm = sarkar_crm::app::Crm::new(
        sarkar_crm::data_dir::open_database(&data_dir, &config).unwrap(),
        config,
    );
    let signed_in = crm
        .login(
            sarkar_crm::app::LoginInput {
                username: "payel".into(),
                password: crate::helpers::PASSWORD.into(),
            },
            "test",
        )
        .await
        .unwrap();
    let actor = crm.authenticate(&signed_in.token).unwrap();
    crm.create_customer(
        &actor,
        sarkar_crm::app::CustomerInput {
            name: "Payel Dey".into(),
            phone: "9830099999".into(),
            ..Default::default()
        },
    )
    .unwrap();
    drop(crm);
    let app = TestApp::start_keeping(&data_dir, app).await;
    let admin = app.admin().await;
    assert_eq!(
        found(&admin, "Payel").await,
        ["Payel Dey"],
        "found without waiting: the index caught up before serving"
    );
    assert_eq!(found(&admin, "Rina").await, ["Rina Das"]);
}

#[tokio::test]
async fn a_corrupt_index_is_rebuilt_and_reindex_rebuilds_on_demand() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin
        .create("/api/customers", &customer("Sharmistha Sen", "9830012345"))
        .await;
    indexed(&app).await;
    let data_dir = app.data_dir().to_owned();
    let mut app = app;
    app.stop().await;
    let index_dir = data_dir.join(sarkar_crm::data_dir::INDEX_DIR);
    std::fs::write(index_dir.join("meta.json"), b"{ this is not an index").unwrap();
    let mut app = TestApp::start_keeping(&data_dir, app).await;
    let admin = app.admin().await;
    assert_eq!(found(&admin, "Sharmistha").await, ["Sharmistha Sen"]);
    app.stop().await;

    let output = crate::helpers::binary()
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("reindex")
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("Rebuilt the search index"), "{said}");
    assert!(
        said.contains("Worked the owner's figures out again"),
        "{said}"
    );
    let app = TestApp::start_keeping(&data_dir, app).await;
    assert_eq!(
        found(&app.admin().await, "Sharmistha").await,
        ["Sharmistha Sen"]
    );
}
