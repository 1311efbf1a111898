use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, expect_field_problem, expect_json, floor};

#[tokio::test]
async fn admin_registers_updates_and_removes_staff() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let manager = admin
        .create("/api/auth/register", &json!({"username": "Ananya.GF", "password": PASSWORD, "name": "Ananya Bose", "role": "FLOOR_MANAGER", "floor_id": ground}))
        .await;
    assert_eq!(manager["username"], "ananya.gf");
    assert_eq!(manager["floor_id"], ground);
    let other = admin
        .create("/api/users", &json!({"username": "rohit", "password": PASSWORD, "name": "Rohit Agarwal", "role": "FLOOR_MANAGER", "floor_id": ground, "phone": "9830011111"}))
        .await;
    assert_eq!(other["phone"], "+919830011111");
    let team = admin.get_json("/api/users").await;
    assert_eq!(team["items"].as_array().unwrap().len(), 3);

    let taken = admin.post("/api/users", &json!({"username": "rohit", "password": PASSWORD, "name": "Rohit Two", "role": "BUSINESS_ADMIN"})).await;
    expect_field_problem(taken, StatusCode::CONFLICT, "username").await;
    let no_floor = admin.post("/api/users", &json!({"username": "x.fm", "password": PASSWORD, "name": "X", "role": "FLOOR_MANAGER"})).await;
    expect_field_problem(no_floor, StatusCode::UNPROCESSABLE_ENTITY, "floor_id").await;
    let short = admin.post("/api/users", &json!({"username": "y.fm", "password": "short", "name": "Y", "role": "BUSINESS_ADMIN"})).await;
    expect_field_problem(short, StatusCode::UNPROCESSABLE_ENTITY, "password").await;

    let manager_client = app.login("ananya.gf").await;
    // Answered once, so the server keeps the session in memory from here on.
    expect_json(
        manager_client.get("/api/users/profile").await,
        StatusCode::OK,
    )
    .await;
    let id = manager["id"].as_str().unwrap();
    let updated = expect_json(
        admin.put(&format!("/api/users/{id}"), &json!({"name": "Ananya Bose Sarkar", "role": "FLOOR_MANAGER", "floor_id": ground, "active": false})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["active"], false);
    // Switching a user off signs them out and keeps them out.
    expect_json(
        manager_client.get("/api/users/profile").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let refused = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"username": "ananya.gf", "password": PASSWORD}),
        )
        .await;
    expect_json(refused, StatusCode::UNAUTHORIZED).await;

    let rohit = other["id"].as_str().unwrap();
    assert_eq!(
        admin.delete(&format!("/api/users/{rohit}")).await.status(),
        StatusCode::NO_CONTENT
    );
    expect_json(
        admin.get(&format!("/api/users/{rohit}")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        admin.get_json("/api/users").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn everyone_manages_their_own_profile_and_password() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let profile = admin.get_json("/api/users/profile").await;
    assert_eq!(profile["role"], "BUSINESS_ADMIN");
    let wrong = admin.put("/api/users/profile", &json!({"name": "Tapan Sarkar", "current_password": "nope", "new_password": "a brand new passphrase"})).await;
    expect_field_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY, "current_password").await;
    let renamed = expect_json(
        admin
            .put(
                "/api/users/profile",
                &json!({"name": "Tapan Sarkar", "email": "tapan@sarkar.in"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name"], "Tapan Sarkar");
    let changed = admin.put("/api/users/profile", &json!({"name": "Tapan Sarkar", "current_password": PASSWORD, "new_password": "a brand new passphrase"})).await;
    expect_json(changed, StatusCode::OK).await;
    expect_json(
        admin.get("/api/users/profile").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let again = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"username": "owner", "password": "a brand new passphrase"}),
        )
        .await;
    expect_json(again, StatusCode::OK).await;
}
