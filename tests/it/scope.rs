//! Roles and store isolation: Floor Managers work on their own floor; stores never
//! see each other.

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, customer, expect_json, floor_id, product};

#[tokio::test]
async fn a_floor_manager_works_on_their_own_floor_only() {
    let app = TestApp::spawn().await;
    app.add_user(
        "gf.manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    app.add_user(
        "ff.manager",
        UserRole::FloorManager,
        Some("First Floor"),
        None,
    )
    .await;
    let admin = app.admin().await;
    let ground = floor_id(&admin, "Ground Floor").await;
    let first = floor_id(&admin, "First Floor").await;
    let gf = app.login("gf.manager").await;

    // Staff and the shape of the store are the admin's.
    let user = gf.post("/api/users", &json!({"username": "sneaky", "password": PASSWORD, "name": "S", "role": "BUSINESS_ADMIN"})).await;
    expect_json(user, StatusCode::FORBIDDEN).await;
    let register = gf.post("/api/auth/register", &json!({"username": "sneaky", "password": PASSWORD, "name": "S", "role": "BUSINESS_ADMIN"})).await;
    expect_json(register, StatusCode::FORBIDDEN).await;
    expect_json(gf.get("/api/users").await, StatusCode::FORBIDDEN).await;
    expect_json(
        gf.post("/api/floors", &json!({"name": "Roof", "level": 9}))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_json(
        gf.post("/api/categories", &json!({"name": "Gold"})).await,
        StatusCode::FORBIDDEN,
    )
    .await;

    // Products: their floor yes, another floor no.
    let own = gf.create("/api/products", &product("GF-1", &ground)).await;
    assert_eq!(own["floor_id"], ground);
    let their_product = admin
        .create("/api/products", &product("FF-1", &first))
        .await;
    let product_path = format!("/api/products/{}", their_product["id"].as_str().unwrap());
    expect_json(
        gf.post("/api/products", &product("GF-2", &first)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_json(
        gf.put(&product_path, &product("FF-1", &ground)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_json(gf.delete(&product_path).await, StatusCode::FORBIDDEN).await;
    // …but they can see the whole catalogue, to tell a customer where a piece is.
    assert_eq!(gf.get_json("/api/products").await["total"], 2);

    // Customers: any customer of the store can be looked up; changes stay on the floor.
    let mut first_floor_customer = customer("Ankit Jain", "9830022222");
    first_floor_customer["home_floor_id"] = json!(first);
    let their_customer = admin.create("/api/customers", &first_floor_customer).await;
    let customer_path = format!("/api/customers/{}", their_customer["id"].as_str().unwrap());
    assert_eq!(gf.get_json(&customer_path).await["name"], "Ankit Jain");
    expect_json(
        gf.put(&customer_path, &customer("Ankit J", "9830022222"))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_json(gf.delete(&customer_path).await, StatusCode::FORBIDDEN).await;
    let walk_in = gf
        .create("/api/customers", &customer("Payel Dey", "9830033333"))
        .await;
    assert_eq!(
        walk_in["home_floor_id"], ground,
        "a floor manager's new customer belongs to their floor"
    );
    assert_eq!(gf.get_json("/api/customers").await["total"], 2);
    expect_json(
        gf.get("/api/customers?deleted=true").await,
        StatusCode::FORBIDDEN,
    )
    .await;

    // Nothing the refused requests asked for was stored.
    assert_eq!(admin.get_json(&customer_path).await, their_customer);
    assert_eq!(admin.get_json(&product_path).await, their_product);
    assert_eq!(admin.get_json("/api/products").await["total"], 2);
}

#[tokio::test]
async fn stores_are_invisible_to_each_other() {
    let app = TestApp::spawn().await;
    app.add_user(
        "ghosh.admin",
        UserRole::BusinessAdmin,
        None,
        Some("Ghosh & Sons"),
    )
    .await;
    let a = app.admin().await;
    let b = app.login("ghosh.admin").await;
    let a_floor = crate::helpers::floor(&a, "Ground Floor", 0).await;
    let records: Vec<(String, Value)> = vec![
        (
            "/api/customers".into(),
            a.create("/api/customers", &customer("Rina Das", "9830012345"))
                .await,
        ),
        (
            "/api/products".into(),
            a.create("/api/products", &product("NK-1", &a_floor)).await,
        ),
        (
            "/api/categories".into(),
            a.create("/api/categories", &json!({"name": "Gold"})).await,
        ),
        (
            "/api/floors".into(),
            a.get_json(&format!("/api/floors/{a_floor}")).await,
        ),
        ("/api/users".into(), a.get_json("/api/users/profile").await),
    ];
    for (base, record) in &records {
        let path = format!("{base}/{}", record["id"].as_str().unwrap());
        expect_json(b.get(&path).await, StatusCode::NOT_FOUND).await;
        expect_json(b.delete(&path).await, StatusCode::NOT_FOUND).await;
    }
    let put = b
        .put(
            &format!("/api/customers/{}", records[0].1["id"].as_str().unwrap()),
            &customer("Hijacked", "9830012345"),
        )
        .await;
    expect_json(put, StatusCode::NOT_FOUND).await;
    assert_eq!(b.get_json("/api/customers").await["total"], 0);
    assert_eq!(b.get_json("/api/products").await["total"], 0);
    assert!(
        b.get_json("/api/categories").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        b.get_json("/api/floors").await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        b.get_json("/api/users").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The same phone number is a different customer in another store.
    b.create("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    assert_eq!(
        a.get_json(&format!(
            "/api/customers/{}",
            records[0].1["id"].as_str().unwrap()
        ))
        .await["name"],
        "Rina Das"
    );
}
