//! Bad input gets a 4xx problem+json naming the field, and changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    Client, TestApp, customer, expect_field_problem, expect_json, floor, product,
};

/// The newest change-log sequence: equal before and after means nothing was written.
async fn last_change(client: &Client) -> Value {
    client.get_json("/healthz").await["last_change"].clone()
}

#[tokio::test]
async fn invalid_input_names_the_field_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let existing = admin
        .create("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    let existing_path = format!("/api/customers/{}", existing["id"].as_str().unwrap());
    let before = last_change(&admin).await;

    let bad_phone = admin
        .post("/api/customers", &customer("Ankit Jain", "12345"))
        .await;
    let body = expect_field_problem(bad_phone, StatusCode::UNPROCESSABLE_ENTITY, "phone").await;
    assert!(
        body["errors"]["phone"].as_str().unwrap().contains("10"),
        "the message says how to fix it: {body}"
    );

    let mut negative = product("NK-1", &ground);
    negative["gross_weight_mg"] = json!(-5);
    expect_field_problem(
        admin.post("/api/products", &negative).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "gross_weight_mg",
    )
    .await;

    let mut unknown_enum = customer("Ankit Jain", "9830099999");
    unknown_enum["status"] = json!("VERY_ACTIVE");
    expect_field_problem(
        admin.post("/api/customers", &unknown_enum).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "status",
    )
    .await;

    let mut unknown_field = customer("Ankit Jain", "9830099999");
    unknown_field["favourite_colour"] = json!("gold");
    expect_field_problem(
        admin.post("/api/customers", &unknown_field).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "favourite_colour",
    )
    .await;

    let mut nested = customer("Ankit Jain", "9830099999");
    nested["address"] = json!({"pincode": "12"});
    expect_field_problem(
        admin.post("/api/customers", &nested).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "address.pincode",
    )
    .await;

    let missing = admin
        .post("/api/customers", &json!({"name": "No Phone"}))
        .await;
    expect_field_problem(missing, StatusCode::UNPROCESSABLE_ENTITY, "phone").await;

    let wrong_type = admin.post("/api/products", &json!({"sku": 5})).await;
    expect_field_problem(wrong_type, StatusCode::UNPROCESSABLE_ENTITY, "sku").await;

    let malformed = admin
        .request(Method::POST, "/api/customers")
        .header("content-type", "application/json")
        .body("{\"name\": \"Rina\",")
        .send()
        .await
        .unwrap();
    let body = expect_json(malformed, StatusCode::BAD_REQUEST).await;
    assert!(
        body["detail"].as_str().unwrap().contains("line 1"),
        "{body}"
    );

    let not_json = admin
        .request(Method::POST, "/api/customers")
        .header("content-type", "text/plain")
        .body("name=Rina")
        .send()
        .await
        .unwrap();
    expect_json(not_json, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    let huge = json!({"name": "Rina", "phone": "9830012345", "notes": "x".repeat(2 * 1024 * 1024)});
    let too_big = admin.post("/api/customers", &huge).await;
    expect_field_problem(too_big, StatusCode::PAYLOAD_TOO_LARGE, "body").await;

    let many = admin.post("/api/customers", &json!({"name": "", "phone": "1", "email": "nope", "pan": "123", "date_of_birth": "2099-01-01"})).await;
    let body = expect_json(many, StatusCode::UNPROCESSABLE_ENTITY).await;
    for field in ["name", "phone", "email", "pan", "date_of_birth"] {
        assert!(
            body["errors"].get(field).is_some(),
            "every bad field is reported at once ({field}): {body}"
        );
    }

    let bad_update = admin
        .put(&existing_path, &customer("Rina Das", "not a phone"))
        .await;
    expect_field_problem(bad_update, StatusCode::UNPROCESSABLE_ENTITY, "phone").await;
    expect_json(
        admin.get("/api/customers/not-a-uuid").await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect_field_problem(
        admin.get("/api/customers?status=SLEEPY").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "status",
    )
    .await;
    expect_json(admin.get("/api/no-such-thing").await, StatusCode::NOT_FOUND).await;

    assert_eq!(
        last_change(&admin).await,
        before,
        "no refused request wrote anything"
    );
    assert_eq!(admin.get_json(&existing_path).await, existing);
    assert_eq!(admin.get_json("/api/customers").await["total"], 1);
    assert_eq!(admin.get_json("/api/products").await["total"], 0);
}
