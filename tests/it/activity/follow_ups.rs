//! Follow-ups: their life from PENDING to final, and who sees which.

use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::json;

use super::{id, patch, two_floors};
use crate::helpers::{customer, expect_field_problem, expect_json};

#[tokio::test]
async fn a_follow_up_moves_through_its_life_and_final_ones_stay_final() {
    let (app, admin, ground, _) = two_floors().await;
    let gf = app.login("gf.manager").await;
    let rupa = id(&gf
        .create("/api/customers", &customer("Rupa Ghosh", "9830011111"))
        .await);
    let due = Timestamp::now() + SignedDuration::from_hours(24);
    let created = gf
        .create(
            "/api/follow-ups",
            &json!({"customer_id": rupa, "type": "PHONE_CALL", "due_at": due.to_string(), "notes": "Necklace price"}),
        )
        .await;
    assert_eq!(created["status"], "PENDING");
    assert_eq!(created["floor_id"], ground);
    let path = format!("/api/follow-ups/{}", id(&created));
    assert_eq!(gf.get_json(&path).await, created);
    assert_eq!(gf.get_json("/api/follow-ups").await["items"][0], created);

    let later = due + SignedDuration::from_hours(48);
    let moved = expect_json(
        patch(&gf, &path, json!({"due_at": later.to_string()})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["status"], "RESCHEDULED");
    // The open index moved with it: it is no longer due before the old time + 1 day.
    let before_old_day = format!(
        "due_before={}",
        (due + SignedDuration::from_hours(24))
            .to_string()
            .replace('+', "%2B")
    );
    let window = format!("/api/follow-ups?{before_old_day}");
    assert_eq!(gf.get_json(&window).await["items"], json!([]));
    let owner = created["owner_id"].as_str().expect("owner");
    let mine = format!("/api/follow-ups?owner_id={owner}");
    assert_eq!(
        gf.get_json(&format!("{mine}&{before_old_day}")).await["items"],
        json!([])
    );
    assert_eq!(gf.get_json(&mine).await["items"], json!([moved]));

    // Refusals change nothing.
    let before = app.crm().last_change().expect("seq");
    expect_field_problem(
        patch(&gf, &path, json!({"status": "COMPLETED"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "outcome",
    )
    .await;
    expect_field_problem(
        patch(&gf, &path, json!({"status": "RESCHEDULED"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "due_at",
    )
    .await;
    assert_eq!(app.crm().last_change().expect("seq"), before);
    assert_eq!(gf.get_json(&path).await, moved);

    let done = expect_json(
        patch(
            &gf,
            &path,
            json!({"status": "COMPLETED", "outcome": "Coming on Saturday"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "COMPLETED");
    assert!(done["completed_at"].is_string());
    assert_eq!(gf.get_json("/api/follow-ups").await["items"], json!([]));
    assert_eq!(gf.get_json(&mine).await["items"], json!([]));

    let before = app.crm().last_change().expect("seq");
    for change in [
        json!({"status": "CANCELLED"}),
        json!({"notes": "one more thing"}),
    ] {
        expect_field_problem(
            patch(&gf, &path, change).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "status",
        )
        .await;
    }
    assert_eq!(app.crm().last_change().expect("seq"), before);
    assert_eq!(admin.get_json(&path).await, done);

    expect_field_problem(
        gf.get("/api/follow-ups?status=COMPLETED").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "status",
    )
    .await;
    let closed = gf
        .get_json(&format!(
            "/api/follow-ups?status=COMPLETED&customer_id={rupa}"
        ))
        .await;
    assert_eq!(closed["items"], json!([done]));
}

#[tokio::test]
async fn a_floor_manager_sees_and_records_only_their_floor() {
    let (app, admin, ground, first) = two_floors().await;
    let gf = app.login("gf.manager").await;
    let ankit = id(&admin
        .create("/api/customers", &customer("Ankit Jain", "9830022222"))
        .await);
    let soon = |hours: i64| (Timestamp::now() + SignedDuration::from_hours(hours)).to_string();
    let upstairs = admin
        .create(
            "/api/interactions",
            &json!({"customer_id": ankit, "type": "COMPLAINT", "floor_id": first}),
        )
        .await;
    let theirs = admin
        .create(
            "/api/follow-ups",
            &json!({"customer_id": ankit, "type": "VISIT", "due_at": soon(3), "floor_id": first}),
        )
        .await;
    let mine = gf
        .create(
            "/api/follow-ups",
            &json!({"customer_id": ankit, "type": "SMS", "due_at": soon(5)}),
        )
        .await;
    gf.create(
        "/api/interactions",
        &json!({"customer_id": ankit, "type": "INQUIRY"}),
    )
    .await;

    let seen = gf.get_json("/api/interactions").await;
    assert_eq!(seen["items"].as_array().expect("items").len(), 1);
    assert_eq!(seen["items"][0]["floor_id"], ground);
    let all = admin.get_json("/api/interactions").await["items"].clone();
    assert_eq!(
        all.as_array().expect("items").len(),
        2,
        "admins see every floor"
    );
    assert_eq!(all[0]["type"], "INQUIRY", "newest first across floors");
    assert_eq!(all[1], upstairs);
    let follow_ups = admin.get_json("/api/follow-ups").await["items"].clone();
    assert_eq!(follow_ups, json!([theirs, mine]), "soonest due first");
    assert_eq!(gf.get_json("/api/follow-ups").await["items"], json!([mine]));

    let before = app.crm().last_change().expect("seq");
    for response in [
        gf.get(&format!("/api/interactions?floor_id={first}")).await,
        gf.post(
            "/api/interactions",
            &json!({"customer_id": ankit, "type": "INQUIRY", "floor_id": first}),
        )
        .await,
        gf.post(
            "/api/follow-ups",
            &json!({"customer_id": ankit, "type": "SMS", "due_at": soon(1), "floor_id": first}),
        )
        .await,
    ] {
        expect_json(response, StatusCode::FORBIDDEN).await;
    }
    let their_path = format!("/api/follow-ups/{}", id(&theirs));
    expect_json(gf.get(&their_path).await, StatusCode::NOT_FOUND).await;
    let cancel = patch(&gf, &their_path, json!({"status": "CANCELLED"})).await;
    expect_json(cancel, StatusCode::NOT_FOUND).await;
    assert_eq!(app.crm().last_change().expect("seq"), before);
    assert_eq!(admin.get_json(&their_path).await, theirs);
}
