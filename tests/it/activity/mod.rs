//! Interactions, walk-ins, follow-ups, the customer timeline and My day, over the API,
//! and what the pages that show them load in one `app` call.

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, customer, expect_field_problem, expect_json};

mod follow_ups;
mod overview;
mod timeline;

pub async fn floor_named(client: &Client, name: &str) -> String {
    let floors = client.get_json("/api/floors").await;
    floors["items"]
        .as_array()
        .expect("floors")
        .iter()
        .find(|f| f["name"] == name)
        .map(|f| f["id"].as_str().expect("id").to_owned())
        .expect("floor exists")
}

/// An app with floor managers on the ground and first floors: (app, admin, ground, first).
pub async fn two_floors() -> (TestApp, Client, String, String) {
    let app = TestApp::spawn().await;
    for (name, floor) in [
        ("gf.manager", "Ground Floor"),
        ("ff.manager", "First Floor"),
    ] {
        app.add_user(name, UserRole::FloorManager, Some(floor), None)
            .await;
    }
    let admin = app.admin().await;
    let ground = floor_named(&admin, "Ground Floor").await;
    let first = floor_named(&admin, "First Floor").await;
    (app, admin, ground, first)
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

pub fn ago(duration: SignedDuration) -> String {
    (Timestamp::now() - duration).to_string()
}

pub async fn patch(client: &Client, path: &str, body: Value) -> reqwest::Response {
    client
        .request(Method::PATCH, path)
        .json(&body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn interactions_are_logged_and_listed_newest_first() {
    let (app, admin, ground, _) = two_floors().await;
    let rupa = id(&admin
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await);
    let call = admin
        .create(
            "/api/interactions",
            &json!({"customer_id": rupa, "type": "PHONE_CALL", "floor_id": ground,
                "notes": "Asked about bangles", "occurred_at": ago(SignedDuration::from_hours(2))}),
        )
        .await;
    assert_eq!(call["type"], "PHONE_CALL");
    assert_eq!(call["floor_id"], ground);
    let gf = app.login("gf.manager").await;
    let inquiry = gf
        .create(
            "/api/interactions",
            &json!({"customer_id": rupa, "type": "INQUIRY", "outcome": "Will come Sunday"}),
        )
        .await;
    assert_eq!(
        inquiry["floor_id"], ground,
        "a manager records on their floor"
    );

    let listed = admin
        .get_json(&format!("/api/interactions?customer_id={rupa}"))
        .await;
    let kinds: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["type"].as_str().expect("type"))
        .collect();
    assert_eq!(kinds, ["INQUIRY", "PHONE_CALL"], "newest first: {listed}");
    let paged = admin.get_json("/api/interactions?per_page=1&page=2").await;
    assert_eq!(paged["items"][0]["type"], "PHONE_CALL");
    assert_eq!(paged["next"], serde_json::Value::Null);

    // An admin says where it happened; nothing is stored without it.
    let before = app.crm().last_change().expect("seq");
    expect_field_problem(
        admin
            .post(
                "/api/interactions",
                &json!({"customer_id": rupa, "type": "WALK_IN"}),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "floor_id",
    )
    .await;
    assert_eq!(app.crm().last_change().expect("seq"), before);
}

#[tokio::test]
async fn a_walk_in_adds_a_prospect_or_finds_the_customer_by_phone() {
    let (app, admin, ground, _) = two_floors().await;
    let gf = app.login("gf.manager").await;
    let first = gf
        .create(
            "/api/interactions/walk-in",
            &json!({"name": "Payel Dey", "phone": "98300 44444", "notes": "Looking at jhumkas"}),
        )
        .await;
    assert_eq!(first["new_customer"], true);
    assert_eq!(first["customer"]["status"], "PROSPECT");
    assert_eq!(first["customer"]["home_floor_id"], ground);
    assert_eq!(first["interaction"]["type"], "WALK_IN");
    assert_eq!(first["interaction"]["customer_id"], first["customer"]["id"]);

    // A number on file needs no name: the counter types the phone and is done.
    let again = gf
        .create(
            "/api/interactions/walk-in",
            &json!({"phone": "+91 98300-44444"}),
        )
        .await;
    assert_eq!(again["new_customer"], false);
    assert_eq!(again["customer"]["id"], first["customer"]["id"]);
    assert_eq!(again["customer"]["name"], "Payel Dey", "the record is kept");
    assert_eq!(admin.get_json("/api/customers").await["total"], 1);
    let path = format!(
        "/api/interactions?customer_id={}",
        first["customer"]["id"].as_str().expect("id")
    );
    assert_eq!(
        admin.get_json(&path).await["items"]
            .as_array()
            .expect("items")
            .len(),
        2
    );

    let before = app.crm().last_change().expect("seq");
    let bad = gf
        .post(
            "/api/interactions/walk-in",
            &json!({"name": "", "phone": "12345", "notes": "x".repeat(2001)}),
        )
        .await;
    let problem = expect_json(bad, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["errors"]["notes"].is_string() && problem["errors"]["phone"].is_string(),
        "every field at once: {problem}"
    );
    // A new number needs the newcomer's name.
    expect_field_problem(
        gf.post(
            "/api/interactions/walk-in",
            &json!({"phone": "98300 55555"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "name",
    )
    .await;
    // A sale is logged by completing it, never typed in.
    expect_field_problem(
        gf.post(
            "/api/interactions",
            &json!({"customer_id": first["customer"]["id"], "type": "SALE"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "type",
    )
    .await;
    assert_eq!(app.crm().last_change().expect("seq"), before);
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_stored() {
    let (app, admin, ground, _) = two_floors().await;
    let rupa = id(&admin
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await);
    let before = app.crm().last_change().expect("seq");
    let base = json!({"customer_id": rupa, "type": "INQUIRY", "floor_id": ground});
    let with = |field: &str, value: Value| {
        let mut body = base.clone();
        body[field] = value;
        body
    };
    let future = (Timestamp::now() + SignedDuration::from_hours(2)).to_string();
    for (body, field) in [
        (with("type", json!("GOSSIP")), "type"),
        (with("occurred_at", json!("yesterday")), "occurred_at"),
        (
            with("occurred_at", json!("2026-01-01T10:00:00")),
            "occurred_at",
        ),
        (with("occurred_at", json!(future)), "occurred_at"),
        (with("mood", json!("happy")), "mood"),
        (with("customer_id", json!("not-an-id")), "customer_id"),
        (
            with("customer_id", json!("0190f2c4-0000-7000-8000-000000000000")),
            "customer_id",
        ),
        (with("notes", json!("x".repeat(2001))), "notes"),
    ] {
        expect_field_problem(
            admin.post("/api/interactions", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
    }
    let follow_up = json!({"customer_id": rupa, "type": "CARRIER_PIGEON", "due_at": "soon"});
    expect_field_problem(
        admin.post("/api/follow-ups", &follow_up).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "type",
    )
    .await;
    let follow_up =
        json!({"customer_id": rupa, "type": "SMS", "due_at": "soon", "floor_id": ground});
    expect_field_problem(
        admin.post("/api/follow-ups", &follow_up).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "due_at",
    )
    .await;
    for (query, field) in [
        ("status=LOST", "status"),
        ("due_after=tomorrow", "due_after"),
    ] {
        expect_field_problem(
            admin.get(&format!("/api/follow-ups?{query}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
    }
    // Paging that cannot be followed is a bad request, named like any other field.
    expect_field_problem(
        admin.get("/api/follow-ups?per_page=0").await,
        StatusCode::BAD_REQUEST,
        "per_page",
    )
    .await;
    expect_field_problem(
        admin
            .get(&format!("/api/customers/{rupa}/timeline?limit=0"))
            .await,
        StatusCode::BAD_REQUEST,
        "limit",
    )
    .await;
    assert_eq!(app.crm().last_change().expect("seq"), before);
    let listed = admin.get_json("/api/interactions").await;
    assert_eq!(listed["items"], json!([]));
}
