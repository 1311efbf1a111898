use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, expect_field_problem, expect_json, floor};

#[tokio::test]
async fn categories_form_a_tree_without_cycles() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let gold = admin
        .create("/api/categories", &json!({"name": "Gold"}))
        .await;
    let gold_id = gold["id"].as_str().unwrap();
    let necklaces = admin
        .create(
            "/api/categories",
            &json!({"name": "Necklaces", "parent_id": gold_id}),
        )
        .await;
    let necklaces_id = necklaces["id"].as_str().unwrap();
    let chokers = admin
        .create(
            "/api/categories",
            &json!({"name": "Chokers", "parent_id": necklaces_id}),
        )
        .await;
    assert_eq!(chokers["parent_id"], necklaces_id);

    // Gold cannot move under its own grandchild.
    let cycle = admin
        .put(
            &format!("/api/categories/{gold_id}"),
            &json!({"name": "Gold", "parent_id": chokers["id"]}),
        )
        .await;
    expect_field_problem(cycle, StatusCode::UNPROCESSABLE_ENTITY, "parent_id").await;
    let twin = admin
        .post(
            "/api/categories",
            &json!({"name": "necklaces", "parent_id": gold_id}),
        )
        .await;
    expect_field_problem(twin, StatusCode::UNPROCESSABLE_ENTITY, "name").await;

    let renamed = expect_json(
        admin
            .put(
                &format!("/api/categories/{necklaces_id}"),
                &json!({"name": "Haar & Necklaces", "parent_id": gold_id}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name"], "Haar & Necklaces");
    // A category with children cannot go; a leaf can.
    expect_json(
        admin
            .delete(&format!("/api/categories/{necklaces_id}"))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(
        admin
            .delete(&format!(
                "/api/categories/{}",
                chokers["id"].as_str().unwrap()
            ))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let all = admin.get_json("/api/categories").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    expect_json(
        admin
            .get(&format!(
                "/api/categories/{}",
                chokers["id"].as_str().unwrap()
            ))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn floors_are_listed_in_order_and_named_uniquely() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let first = floor(&admin, "First Floor — Diamond", 1).await;
    floor(&admin, "Ground Floor — Gold", 0).await;
    let names: Vec<String> = admin.get_json("/api/floors").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Ground Floor — Gold", "First Floor — Diamond"]);
    let clash = admin
        .post(
            "/api/floors",
            &json!({"name": "ground floor — gold", "level": 2}),
        )
        .await;
    expect_field_problem(clash, StatusCode::CONFLICT, "name").await;
    let updated = expect_json(
        admin
            .put(
                &format!("/api/floors/{first}"),
                &json!({"name": "First Floor", "level": 1, "description": "Diamonds"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["description"], "Diamonds");
    assert_eq!(
        admin.delete(&format!("/api/floors/{first}")).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        admin.get_json("/api/floors").await["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let restored = admin
        .post(&format!("/api/floors/{first}/restore"), &json!({}))
        .await;
    assert_eq!(
        expect_json(restored, StatusCode::OK).await["name"],
        "First Floor"
    );
    assert_eq!(
        admin.get_json("/api/floors").await["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
