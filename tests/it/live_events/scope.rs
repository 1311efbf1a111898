//! A Floor Manager's stream carries nothing of another floor or store, across every
//! kind of change: each event a stream receives names a record its session may read.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use sarkar_crm::store::EntityKind;
use serde_json::{Value, json};

use super::reader::{Event, EventReader};
use crate::helpers::{
    Client, PASSWORD, STORE_GSTIN, TestApp, customer, expect_json, floor_id, paid_bill, product,
};

/// Every kind of record the change log names; the match makes a new kind fail to
/// compile here until this test covers it.
fn every_kind() -> Vec<EntityKind> {
    let all = [
        EntityKind::Store,
        EntityKind::Floor,
        EntityKind::User,
        EntityKind::Session,
        EntityKind::Category,
        EntityKind::Product,
        EntityKind::Customer,
        EntityKind::Interaction,
        EntityKind::FollowUp,
        EntityKind::Sale,
        EntityKind::Preference,
        EntityKind::Rate,
        EntityKind::ApiKey,
        EntityKind::Notification,
        EntityKind::Import,
        EntityKind::CustomerMerge,
        EntityKind::File,
    ];
    all.into_iter()
        .filter(|kind| match kind {
            // Preferences are kept inside the customer's record: no change names them.
            EntityKind::Preference => false,
            // This walk makes no merge (it would remove the customers it watches); a merge's
            // event goes to the customers' area, as a preference's would.
            EntityKind::CustomerMerge => false,
            EntityKind::Store
            | EntityKind::Floor
            | EntityKind::User
            | EntityKind::Session
            | EntityKind::Category
            | EntityKind::Product
            | EntityKind::Customer
            | EntityKind::Interaction
            | EntityKind::FollowUp
            | EntityKind::Sale
            | EntityKind::Rate
            | EntityKind::ApiKey
            | EntityKind::Notification
            | EntityKind::Import
            | EntityKind::File => true,
        })
        .collect()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// One change of every kind in the store, all on `floor` where a record has one.
async fn change_everything(app: &TestApp, admin: &Client, floor: &str, tag: &str) {
    let store = json!({"gstin": STORE_GSTIN, "state_code": "19", "address": format!("{tag} Road, Kolkata")});
    expect_json(admin.put("/api/store", &store).await, StatusCode::OK).await;
    admin
        .create(
            "/api/floors",
            &json!({"name": format!("Bridal {tag}"), "level": 4}),
        )
        .await;
    let username = format!("staff.{tag}");
    admin
        .create(
            "/api/users",
            &json!({"username": username, "password": PASSWORD, "name": "Mitali Pal",
                "role": "FLOOR_MANAGER", "floor_id": floor}),
        )
        .await;
    app.login(&username).await;
    admin
        .create(
            "/api/categories",
            &json!({"name": format!("Necklaces {tag}")}),
        )
        .await;
    let piece = id(&admin
        .create("/api/products", &product(&format!("SL-{tag}"), floor))
        .await);
    let person = id(&admin
        .create(
            "/api/customers",
            &customer("Rina Sinha", &format!("98300{tag}")),
        )
        .await);
    admin
        .create(
            "/api/interactions",
            &json!({"customer_id": person, "type": "PHONE_CALL", "floor_id": floor}),
        )
        .await;
    admin
        .create(
            "/api/follow-ups",
            &json!({"customer_id": person, "type": "PHONE_CALL",
                "due_at": "2030-01-15T05:30:00Z", "floor_id": floor}),
        )
        .await;
    admin
        .create(
            "/api/rates",
            &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 700_000}),
        )
        .await;
    paid_bill(admin, &person, floor, &piece, true).await;
    let key = admin
        .create(
            "/api/api-keys",
            &json!({"name": format!("Office {tag}"), "scope": "read_only"}),
        )
        .await;
    let revoked = admin
        .delete(&format!(
            "/api/api-keys/{}",
            key["key"]["id"].as_str().unwrap()
        ))
        .await;
    assert!(revoked.status().is_success(), "key revoked");
    // A photo of the floor's piece, and a document of a customer of the floor, opened.
    crate::files::add_photo(admin, &piece, "piece.jpg", crate::files::jpeg(320, 240, 1)).await;
    let regular = id(&admin
        .create(
            "/api/customers",
            &json!({"name": "Soma Bose", "phone": format!("98301{tag}"), "home_floor_id": floor}),
        )
        .await);
    let document = crate::files::upload(
        admin,
        &format!("/api/customers/{regular}/documents"),
        "pan.pdf",
        crate::files::pdf(2000),
        &[("kind", "pan_card")],
    )
    .await;
    let document = expect_json(document, StatusCode::CREATED).await;
    let opened = admin.get(document["url"].as_str().unwrap()).await;
    assert_eq!(opened.status(), StatusCode::OK);
    // A customer file drafted for import: bookkeeping that no stream is sent.
    let file = format!("Name,Phone\nImported {tag},97300{tag}\n");
    crate::helpers::draft_customer_import(admin, "one.csv", &file).await;
}

/// Where `reader` may read the record an event names, if it has a page of its own.
fn record_path(event: &Event) -> Option<String> {
    let id = event.data["id"].as_str()?;
    let path = match event.name.as_str() {
        "customer" => format!("/api/customers/{id}"),
        "product" => format!("/api/products/{id}"),
        "category" => format!("/api/categories/{id}"),
        "floor" => format!("/api/floors/{id}"),
        "sale" => format!("/api/sales/{id}"),
        "follow-up" => format!("/api/follow-ups/{id}"),
        "user" => format!("/api/users/{id}"),
        "store" => "/api/store".to_owned(),
        // A customer's document by its customer's list (private to their floor), a
        // photo by its product's.
        "file" => match (
            event.data["customer"].as_str(),
            event.data["product"].as_str(),
        ) {
            (Some(customer), _) => format!("/api/customers/{customer}/documents"),
            (None, Some(product)) => format!("/api/products/{product}/images"),
            (None, None) => return None,
        },
        _ => return None,
    };
    Some(path)
}

/// The events of a stream up to the marker customer named `marker`.
async fn events_until_marker(stream: &mut EventReader, marker: &str) -> Vec<Event> {
    stream
        .until(|e| e.name == "customer" && e.data["name"] == marker)
        .await
}

#[tokio::test]
async fn a_floor_managers_stream_carries_nothing_of_another_floor_or_store() {
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
    app.add_user(
        "other.owner",
        UserRole::BusinessAdmin,
        None,
        Some("Other Jewellers"),
    )
    .await;
    let admin = app.admin().await;
    let first = floor_id(&admin, "First Floor").await;
    let (ground_manager, first_manager) =
        (app.login("gf.manager").await, app.login("ff.manager").await);
    let other_store = app.login("other.owner").await;
    let mut streams = [
        EventReader::open(&ground_manager, None).await,
        EventReader::open(&first_manager, None).await,
        EventReader::open(&admin, None).await,
        EventReader::open(&other_store, None).await,
    ];
    let start = app.changes().last().unwrap().seq;

    change_everything(&app, &admin, &first, "10017").await;
    let kinds: BTreeSet<String> = app
        .changes()
        .iter()
        .filter(|c| c.seq > start)
        .map(|c| format!("{:?}", c.kind))
        .collect();
    for kind in every_kind() {
        assert!(
            kinds.contains(&format!("{kind:?}")),
            "the test changed no {kind:?}"
        );
    }
    admin
        .create("/api/customers", &customer("Marker", "9830099999"))
        .await;
    other_store
        .create("/api/customers", &customer("Marker", "9830099998"))
        .await;

    let [ground, first_floor, whole, elsewhere] = &mut streams;
    let seen_by_ground = events_until_marker(ground, "Marker").await;
    let seen_by_first = events_until_marker(first_floor, "Marker").await;
    let seen_by_admin = events_until_marker(whole, "Marker").await;
    let seen_elsewhere = events_until_marker(elsewhere, "Marker").await;

    // The other store saw its own marker and nothing else.
    assert_eq!(
        seen_elsewhere.len(),
        1,
        "another store's stream: {seen_elsewhere:#?}"
    );
    // Every event the Ground Floor manager got names a record they may read.
    let mut leaks = Vec::new();
    let ground_notices = ground_manager.get_json("/api/notifications").await;
    for event in &seen_by_ground {
        if event.name == "notification" {
            let listed = ground_notices["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["id"] == event.data["id"]);
            if !listed {
                leaks.push(event.clone());
            }
            continue;
        }
        match record_path(event) {
            Some(path) if ground_manager.get(&path).await.status() == StatusCode::OK => {}
            _ if event.name == "rate" => {}
            _ => leaks.push(event.clone()),
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks to another floor: {leaks:#?}",
        leaks.len()
    );
    let names =
        |events: &[Event]| -> BTreeSet<String> { events.iter().map(|e| e.name.clone()).collect() };
    let ground_names = names(&seen_by_ground);
    for private in [
        "sale",
        "interaction",
        "follow-up",
        "user",
        "api-key",
        "session",
    ] {
        assert!(
            !ground_names.contains(private),
            "{private} reached another floor"
        );
    }
    // The First Floor's manager and the admin did get them: the test can fail.
    let first_names = names(&seen_by_first);
    for own in [
        "sale",
        "interaction",
        "follow-up",
        "customer",
        "product",
        "rate",
        "file",
    ] {
        assert!(
            first_names.contains(own),
            "the first floor missed its {own}"
        );
    }
    assert!(!first_names.contains("user") && !first_names.contains("api-key"));
    let admin_names = names(&seen_by_admin);
    for every in [
        "store",
        "floor",
        "user",
        "category",
        "product",
        "customer",
        "interaction",
        "follow-up",
        "sale",
        "rate",
        "api-key",
        "file",
    ] {
        assert!(
            admin_names.contains(every),
            "the admin missed a {every} event"
        );
    }
    assert!(
        !admin_names.contains("session"),
        "sign-ins are not broadcast"
    );
    for event in &seen_by_first {
        if let Some(path) = record_path(event) {
            let status = first_manager.get(&path).await.status();
            assert_eq!(
                status,
                StatusCode::OK,
                "{path} for the first floor's manager"
            );
        }
    }
}
