use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, customer, expect_json, floor};

#[tokio::test]
async fn admin_creates_reads_updates_and_deletes_a_customer() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = admin.create("/api/customers", &json!({
        "name": "  Rina   Das ",
        "phone": "098300-12345",
        "email": "Rina.Das@Gmail.com",
        "gender": "FEMALE",
        "date_of_birth": "1988-08-15",
        "address": {"line1": "12/3 Hindustan Park", "locality": "Gariahat", "city": "Kolkata", "pincode": "700019"},
        "status": "PROSPECT",
        "tags": ["wedding-2026", "VIP"],
        "pan": "abcpd1234f",
        "preferences": {"metals": ["GOLD"], "purities": ["22K"], "budget_max_paise": 5_00_000_00}
    })).await;
    assert_eq!(created["name"], "Rina Das");
    assert_eq!(created["phone"], "+919830012345");
    assert_eq!(created["email"], "rina.das@gmail.com");
    assert_eq!(created["code"], "C-000001");
    assert_eq!(created["tags"], json!(["wedding-2026", "vip"]));
    assert_eq!(created["pan"], "ABCPD1234F");
    assert_eq!(created["preferences"]["purities"], json!(["22K"]));
    let id = created["id"].as_str().unwrap();

    let read = admin.get_json(&format!("/api/customers/{id}")).await;
    assert_eq!(read, created);

    let mut changed = customer("Rina Das Sarkar", "+91 98300 12345");
    changed["status"] = json!("ACTIVE");
    let updated = expect_json(
        admin.put(&format!("/api/customers/{id}"), &changed).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["name"], "Rina Das Sarkar");
    assert_eq!(updated["code"], "C-000001");
    assert_eq!(
        updated["email"],
        json!(null),
        "PUT replaces the whole record"
    );

    let response = admin.delete(&format!("/api/customers/{id}")).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let list = admin.get_json("/api/customers").await;
    assert_eq!(list["total"], 0);
    let removed = admin.get_json("/api/customers?deleted=true").await;
    assert_eq!(removed["items"][0]["id"], id);

    let restored = expect_json(
        admin
            .post(&format!("/api/customers/{id}/restore"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(restored["deleted_at"], json!(null));
    assert_eq!(admin.get_json("/api/customers").await["total"], 1);
}

#[tokio::test]
async fn a_second_customer_with_the_same_phone_is_refused_naming_the_first() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let first = admin
        .create(
            "/api/customers",
            &customer("Subhajit Sarkar", "98300 12345"),
        )
        .await;
    let response = admin
        .post(
            "/api/customers",
            &customer("Shubhojit Sarkar", "+91 98300-12345"),
        )
        .await;
    let problem = expect_json(response, StatusCode::CONFLICT).await;
    assert_eq!(problem["existing_id"], first["id"]);
    assert!(
        problem["detail"].as_str().unwrap().contains("C-000001"),
        "{problem}"
    );
    assert!(problem["errors"]["phone"].is_string());
    assert_eq!(admin.get_json("/api/customers").await["total"], 1);
}

#[tokio::test]
async fn a_deleted_customers_phone_can_be_used_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let first = admin
        .create("/api/customers", &customer("Old Record", "9830012345"))
        .await;
    admin
        .delete(&format!("/api/customers/{}", first["id"].as_str().unwrap()))
        .await;
    admin
        .create("/api/customers", &customer("New Record", "9830012345"))
        .await;
    // Restoring the old record would now clash, and says so.
    let response = admin
        .post(
            &format!("/api/customers/{}/restore", first["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    expect_json(response, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn lists_filter_sort_and_paginate() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let gold = floor(&admin, "Ground Floor", 0).await;
    let names = [
        "Moumita Saha",
        "Ankit Jain",
        "Rahul Sharma",
        "Debjani Ghosh",
        "Payel Dey",
    ];
    for (i, name) in names.iter().enumerate() {
        let mut body = customer(name, &format!("98300 1000{i}"));
        if i % 2 == 0 {
            body["status"] = json!("PROSPECT");
            body["home_floor_id"] = json!(gold);
            body["tags"] = json!(["vip"]);
        }
        admin.create("/api/customers", &body).await;
    }
    let page1 = admin.get_json("/api/customers?per_page=2").await;
    assert_eq!(page1["total"], 5);
    assert!(page1["next"].is_string(), "{page1}");
    assert_eq!(page1["items"][0]["name"], "Payel Dey", "newest first");
    let page3 = admin.get_json("/api/customers?per_page=2&page=3").await;
    assert_eq!(page3["items"].as_array().unwrap().len(), 1);
    assert_eq!(page3["next"], json!(null));

    let by_name = admin.get_json("/api/customers?sort=name").await;
    let sorted: Vec<&str> = by_name["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        sorted,
        [
            "Ankit Jain",
            "Debjani Ghosh",
            "Moumita Saha",
            "Payel Dey",
            "Rahul Sharma"
        ]
    );

    let prospects = admin
        .get_json("/api/customers?status=PROSPECT&sort=-name")
        .await;
    let names: Vec<&str> = prospects["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Rahul Sharma", "Payel Dey", "Moumita Saha"]);
    assert_eq!(
        prospects["total"],
        json!(null),
        "filtered lists do not count the whole store"
    );
    let on_floor = admin
        .get_json(&format!("/api/customers?home_floor_id={gold}&tag=VIP"))
        .await;
    assert_eq!(on_floor["items"].as_array().unwrap().len(), 3);

    // Pages stay exact after a removal (earlier pages are skipped by index key).
    let debjani = by_name["items"][1]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        admin
            .delete(&format!("/api/customers/{debjani}"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let names_on = |page: serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names_on(
            admin
                .get_json("/api/customers?sort=name&per_page=2&page=2")
                .await
        ),
        ["Payel Dey", "Rahul Sharma"]
    );
    assert_eq!(
        names_on(admin.get_json("/api/customers?per_page=2&page=2").await),
        ["Ankit Jain", "Moumita Saha"]
    );
    assert_eq!(admin.get_json("/api/customers").await["total"], 4);

    let bad = admin.get("/api/customers?per_page=1000").await;
    crate::helpers::expect_field_problem(bad, StatusCode::BAD_REQUEST, "per_page").await;
    let bad = admin.get("/api/customers?sort=shoe-size").await;
    crate::helpers::expect_field_problem(bad, StatusCode::UNPROCESSABLE_ENTITY, "sort").await;
}
