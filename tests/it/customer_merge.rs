//! Merging duplicate customers over the API: everything moves to the survivor, both old
//! numbers find it, the owner's figures stay right, and undo separates them exactly.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use sarkar_crm::store::Scope;
use sarkar_crm::store::figures::{StoredFigure, stored_figures};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, expect_json, floor, paid_bill};
use crate::sales::shop;

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

/// Names of the customers a search for `digits` returns.
async fn found(client: &Client, digits: &str) -> Vec<String> {
    let page = client.get_json(&format!("/api/customers?q={digits}")).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

/// The kinds on a customer's timeline, sorted.
async fn timeline_kinds(client: &Client, id: &str) -> Vec<String> {
    let page = client
        .get_json(&format!("/api/customers/{id}/timeline?limit=100"))
        .await;
    let mut kinds: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    kinds.sort();
    kinds
}

fn figures(app: &TestApp, store: sarkar_crm::domain::StoreId) -> Vec<StoredFigure> {
    app.crm()
        .db()
        .read(|rx| stored_figures(rx, Scope::store(store).store_id()))
        .unwrap()
}

/// The owner's figures as kept equal the figures worked out again from the records.
fn figures_agree_with_a_rebuild(app: &TestApp, store: sarkar_crm::domain::StoreId) {
    let kept = figures(app, store);
    app.crm().db().rebuild_figures().unwrap();
    assert_eq!(kept, figures(app, store), "figures kept = figures rebuilt");
}

async fn new_customer(admin: &Client, body: Value) -> String {
    admin.create("/api/customers", &body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn follow_up(admin: &Client, customer: &str, floor: &str) {
    let due = Timestamp::now() + SignedDuration::from_hours(24);
    admin
        .create(
            "/api/follow-ups",
            &json!({"customer_id": customer, "floor_id": floor, "type": "PHONE_CALL", "due_at": due.to_string()}),
        )
        .await;
}

#[tokio::test]
async fn merged_customers_share_one_timeline_and_undo_separates_them_exactly() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let admin = &shop.api;
    let store = app.crm().default_store().unwrap().id;
    let product = shop
        .product(json!({
            "sku": "AN-1", "name": "Silver anklet", "metal": "SILVER", "purity": "925",
            "gross_weight_mg": 50_000, "making_charge": {"flat_paise": 0},
            "fixed_price_paise": 2_570_54, "stock_qty": 5,
        }))
        .await;
    let a = new_customer(admin, json!({"name": "Subhajit Chowdhury", "phone": "9830012345", "home_floor_id": shop.floor, "tags": ["gold"]})).await;
    let b = new_customer(admin, json!({"name": "Shubhojit Choudhury", "phone": "9830067890", "email": "shubho@example.in", "home_floor_id": shop.floor, "tags": ["diwali"]})).await;
    for customer in [&a, &b] {
        paid_bill(admin, customer, &shop.floor, &product, true).await;
        follow_up(admin, customer, &shop.floor).await;
    }
    let before_a = admin.get_json(&format!("/api/customers/{a}")).await;
    let before_b = admin.get_json(&format!("/api/customers/{b}")).await;

    let pairs = admin.get_json("/api/customers/duplicates").await;
    let listed = pairs["items"].as_array().unwrap().iter().any(|p| {
        [p["a"]["id"].as_str(), p["b"]["id"].as_str()] == [Some(a.as_str()), Some(b.as_str())]
    });
    assert!(listed, "the two are listed as possible duplicates: {pairs}");

    let merged = expect_json(
        admin
            .post(
                "/api/customers/merge",
                &json!({"survivor_id": a, "other_id": b, "fields": {"email": "other"}}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let merge_id = merged["merge"]["id"].as_str().unwrap().to_owned();
    assert_eq!(merged["survivor"]["email"], "shubho@example.in");
    assert_eq!(merged["survivor"]["phone"], before_a["phone"]);
    assert_eq!(merged["merge"]["merged_code"], before_b["code"]);
    assert_eq!(merged["survivor"]["tags"], json!(["gold", "diwali"]));
    let kinds = timeline_kinds(admin, &a).await;
    let count = |k: &str| kinds.iter().filter(|x| *x == k).count();
    assert_eq!(
        (count("SALE"), count("FOLLOW_UP"), count("MERGE")),
        (2, 2, 1),
        "{kinds:?}"
    );
    let gone = admin.get_json(&format!("/api/customers/{b}")).await;
    assert!(
        gone["deleted_at"].is_string(),
        "the merged record is kept, removed"
    );
    figures_agree_with_a_rebuild(&app, store);

    indexed(&app).await;
    for number in ["9830012345", "9830067890", "67890"] {
        assert_eq!(
            found(admin, number).await,
            ["Subhajit Chowdhury"],
            "{number}"
        );
    }

    let undone = expect_json(
        admin
            .post(&format!("/api/customer-merges/{merge_id}/undo"), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(undone["undone_at"].is_string());
    assert_eq!(
        admin.get_json(&format!("/api/customers/{a}")).await,
        before_a
    );
    assert_eq!(
        admin.get_json(&format!("/api/customers/{b}")).await,
        before_b
    );
    for id in [&a, &b] {
        let kinds = timeline_kinds(admin, id).await;
        assert!(
            kinds.iter().filter(|k| *k == "SALE").count() == 1,
            "{kinds:?}"
        );
        assert!(
            kinds.iter().filter(|k| *k == "FOLLOW_UP").count() == 1,
            "{kinds:?}"
        );
        assert!(!kinds.iter().any(|k| k == "MERGE"), "{kinds:?}");
    }
    figures_agree_with_a_rebuild(&app, store);
    indexed(&app).await;
    assert_eq!(found(admin, "9830012345").await, ["Subhajit Chowdhury"]);
    assert_eq!(found(admin, "9830067890").await, ["Shubhojit Choudhury"]);

    let again = admin
        .post(&format!("/api/customer-merges/{merge_id}/undo"), &json!({}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn bad_merges_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let first = floor(&admin, "First Floor", 1).await;
    app.add_user(
        "ff.manager",
        UserRole::FloorManager,
        Some("First Floor"),
        None,
    )
    .await;
    let a = new_customer(
        &admin,
        json!({"name": "Rina Das", "phone": "9830011111", "home_floor_id": ground}),
    )
    .await;
    let b = new_customer(
        &admin,
        json!({"name": "Rina Dass", "phone": "9830022222", "home_floor_id": ground}),
    )
    .await;
    let c = new_customer(
        &admin,
        json!({"name": "Mou Sen", "phone": "9830033333", "home_floor_id": first}),
    )
    .await;
    let removed = new_customer(&admin, json!({"name": "Old Record", "phone": "9830044444"})).await;
    admin.delete(&format!("/api/customers/{removed}")).await;
    // Signing in is a change of its own: it comes before the count.
    let manager = app.login("ff.manager").await;
    let changes = app.changes().len();

    let merge = |x: &str, y: &str| json!({"survivor_id": x, "other_id": y});
    let same = admin.post("/api/customers/merge", &merge(&a, &a)).await;
    assert_eq!(same.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = same.json().await.unwrap();
    assert!(
        problem["errors"]["other_id"].is_array() || problem["errors"]["other_id"].is_string(),
        "{problem}"
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    let missing = admin
        .post("/api/customers/merge", &merge(&a, &unknown))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let gone = admin
        .post("/api/customers/merge", &merge(&a, &removed))
        .await;
    assert_eq!(gone.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = gone.text().await.unwrap();
    assert!(body.contains("was removed"), "{body}");
    let other_floor = manager.post("/api/customers/merge", &merge(&c, &a)).await;
    assert_eq!(other_floor.status(), StatusCode::FORBIDDEN);
    let undo = manager
        .post(&format!("/api/customer-merges/{unknown}/undo"), &json!({}))
        .await;
    assert_eq!(undo.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.changes().len(), changes, "nothing was stored");

    // The manager's list holds only pairs of their own floor.
    let theirs = manager.get_json("/api/customers/duplicates").await;
    assert_eq!(theirs["items"], json!([]));
    let all = admin.get_json("/api/customers/duplicates").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "{all}");
    let bad = admin.get("/api/customers/duplicates?limit=0").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let _ = b;
}

#[tokio::test]
async fn the_old_number_finds_the_survivor_at_the_counter_and_the_merged_record_stays_merged() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let a = new_customer(
        &admin,
        json!({"name": "Ananya Das", "phone": "9830055555", "home_floor_id": ground}),
    )
    .await;
    let b = new_customer(&admin, json!({"name": "Ananya Dass", "phone": "9830066666", "email": "ananya@example.in", "home_floor_id": ground})).await;
    expect_json(
        admin
            .post(
                "/api/customers/merge",
                &json!({"survivor_id": a, "other_id": b, "fields": {"phone": "other"}}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    // The survivor took the other's number; its own stays an alias.
    let walk_in = admin
        .create(
            "/api/interactions/walk-in",
            &json!({"phone": "9830055555", "floor_id": ground}),
        )
        .await;
    assert_eq!(walk_in["customer"]["id"], json!(a));
    assert_eq!(walk_in["new_customer"], json!(false));
    let taken = admin
        .post(
            "/api/customers",
            &json!({"name": "Someone Else", "phone": "9830055555"}),
        )
        .await;
    assert_eq!(
        taken.status(),
        StatusCode::CONFLICT,
        "an alias is still one customer's number"
    );
    let restore = admin
        .post(&format!("/api/customers/{b}/restore"), &json!({}))
        .await;
    assert_eq!(restore.status(), StatusCode::CONFLICT);
    let body = restore.text().await.unwrap();
    assert!(body.contains("undo the merge"), "{body}");
    indexed(&app).await;
    assert_eq!(found(&admin, "ananya%40example.in").await, ["Ananya Das"]);
}

#[tokio::test]
async fn undo_is_refused_while_a_later_merge_or_a_removal_stands_in_its_way() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut ids = Vec::new();
    for (name, phone) in [
        ("Rupa Ghosh", "9830071111"),
        ("Rupa Ghose", "9830072222"),
        ("Roopa Ghosh", "9830073333"),
    ] {
        ids.push(new_customer(&admin, json!({"name": name, "phone": phone})).await);
    }
    let merge = |x: &str, y: &str| json!({"survivor_id": x, "other_id": y});
    let first = expect_json(
        admin
            .post("/api/customers/merge", &merge(&ids[1], &ids[0]))
            .await,
        StatusCode::OK,
    )
    .await;
    let second = expect_json(
        admin
            .post("/api/customers/merge", &merge(&ids[2], &ids[1]))
            .await,
        StatusCode::OK,
    )
    .await;
    // Both older numbers now find the last survivor.
    indexed(&app).await;
    for number in ["9830071111", "9830072222"] {
        assert_eq!(found(&admin, number).await, ["Roopa Ghosh"], "{number}");
    }
    let undo = |m: &Value| {
        format!(
            "/api/customer-merges/{}/undo",
            m["merge"]["id"].as_str().unwrap()
        )
    };
    let refused = admin.post(&undo(&first), &json!({})).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("undo that merge first")
    );

    // A removed survivor gives its numbers up; undoing waits for it to come back.
    admin.delete(&format!("/api/customers/{}", ids[2])).await;
    let refused = admin.post(&undo(&second), &json!({})).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(refused.text().await.unwrap().contains("restore it first"));
    expect_json(
        admin
            .post(&format!("/api/customers/{}/restore", ids[2]), &json!({}))
            .await,
        StatusCode::OK,
    )
    .await;
    expect_json(admin.post(&undo(&second), &json!({})).await, StatusCode::OK).await;
    expect_json(admin.post(&undo(&first), &json!({})).await, StatusCode::OK).await;
    indexed(&app).await;
    assert_eq!(found(&admin, "9830071111").await, ["Rupa Ghosh"]);
    assert_eq!(found(&admin, "9830072222").await, ["Rupa Ghose"]);
    assert_eq!(found(&admin, "9830073333").await, ["Roopa Ghosh"]);
}
