//! Notifications: who sees which (a floor's sale, a hand-off, a follow-up of one's own,
//! birthdays, the admins' alerts), read state across restarts, the hand-off from the
//! page and the API, and the scheduler that fires what fell due while the server was
//! stopped exactly once.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp, ToSpan};
use reqwest::StatusCode;
use sarkar_crm::app::SystemReadings;
use sarkar_crm::config::Config;
use sarkar_crm::domain::{NotificationAudience, NotificationId, UserRole};
use sarkar_crm::store::{EntityKind, Scope, notifications};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, customer, expect_field_problem, floor, floor_id, paid_bill};
use crate::pages::{PageClient, location};

/// The kinds of the notifications `client` sees, newest first, and their unread count.
async fn seen(client: &Client) -> (Vec<String>, u64) {
    let list = client.get_json("/api/notifications").await;
    let kinds = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["kind"].as_str().expect("kind").to_owned())
        .collect();
    (kinds, list["unread"].as_u64().expect("unread"))
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

/// A store with floors "Floor 1" and "Floor 2", a manager on each, and another store
/// with its own admin; answers the floors' ids.
async fn two_floors(app: &TestApp) -> (String, String) {
    app.add_user("manager.one", UserRole::FloorManager, Some("Floor 1"), None)
        .await;
    app.add_user("manager.two", UserRole::FloorManager, Some("Floor 2"), None)
        .await;
    app.add_user(
        "other.owner",
        UserRole::BusinessAdmin,
        None,
        Some("Ghosh Jewellers"),
    )
    .await;
    let admin = app.admin().await;
    (
        floor_id(&admin, "Floor 1").await,
        floor_id(&admin, "Floor 2").await,
    )
}

async fn a_customer(admin: &Client, phone: &str, floor: &str) -> String {
    let mut body = customer("Rina Sen", phone);
    body["home_floor_id"] = json!(floor);
    admin.create("/api/customers", &body).await["id"]
        .as_str()
        .expect("customer id")
        .to_owned()
}

/// Today's 22K rate, so pieces can be sold.
async fn set_rate(admin: &Client) {
    let rate = admin
        .post(
            "/api/rates",
            &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 1_000_00}),
        )
        .await;
    assert_eq!(rate.status(), StatusCode::CREATED);
}

async fn a_product(admin: &Client, sku: &str, floor: &str) -> String {
    let body = crate::helpers::product(sku, floor);
    admin.create("/api/products", &body).await["id"]
        .as_str()
        .expect("product id")
        .to_owned()
}

#[tokio::test]
async fn a_sale_notifies_its_floor_managers_only_and_read_state_survives_a_restart() {
    let app = TestApp::spawn().await;
    let (floor_one, _) = two_floors(&app).await;
    let admin = app.admin().await;
    set_rate(&admin).await;
    let rina = a_customer(&admin, "9830012345", &floor_one).await;
    let piece = a_product(&admin, "NK-1", &floor_one).await;
    paid_bill(&admin, &rina, &floor_one, &piece, true).await;

    let one = app.login("manager.one").await;
    let (kinds, unread) = seen(&one).await;
    assert_eq!(kinds, ["SALE_COMPLETED"], "floor 1 hears of its sale");
    assert_eq!(unread, 1);
    for who in ["manager.two", "owner", "other.owner"] {
        let (kinds, unread) = seen(&app.login(who).await).await;
        assert!(
            kinds.is_empty() && unread == 0,
            "{who} sees nothing: {kinds:?}"
        );
    }

    // The live publisher's way in: the change log names it, and it reads back by id.
    let change = app
        .changes()
        .into_iter()
        .rfind(|c| c.kind == EntityKind::Notification)
        .expect("a notification in the change log");
    let store = app.crm().default_store().expect("store");
    let found = app
        .crm()
        .db()
        .read(|rx| {
            notifications::notification(
                rx,
                &Scope::store(store.id),
                NotificationId::from_u128(change.id),
            )
        })
        .expect("reads")
        .expect("found by id");
    assert!(matches!(found.audience, NotificationAudience::Floor(_)));
    assert!(
        found
            .link
            .as_deref()
            .is_some_and(|l| l.starts_with("/sales/"))
    );

    // Marked read, and still read after a restart.
    let marked = one.post("/api/notifications/read", &json!({})).await;
    assert_eq!(marked.status(), StatusCode::OK);
    let app = app.restart().await;
    let one = app.login("manager.one").await;
    let list = one.get_json("/api/notifications").await;
    assert_eq!(list["unread"], 0);
    assert_eq!(list["items"][0]["read"], true);

    // One read by id; the page shows the bell and the list, and opening it reads all.
    let admin = app.admin().await;
    let piece = a_product(&admin, "NK-2", &floor_one).await;
    paid_bill(&admin, &rina, &floor_one, &piece, true).await;
    let list = one.get_json("/api/notifications").await;
    assert_eq!(list["unread"], 1);
    let newest = list["items"][0]["id"].as_str().expect("id").to_owned();
    let marked = one
        .post("/api/notifications/read", &json!({"ids": [newest]}))
        .await;
    assert_eq!(marked.json::<Value>().await.expect("json")["unread"], 0);
    paid_bill(
        &admin,
        &rina,
        &floor_one,
        &a_product(&admin, "NK-3", &floor_one).await,
        true,
    )
    .await;
    let page = PageClient::sign_in(&app, "manager.one").await;
    let (_, home) = page.get("/").await;
    assert!(
        home.contains(r#"aria-label="Notifications, 1 unread""#),
        "the bell counts"
    );
    let (status, list_page) = page.get("/notifications").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list_page.contains("Sale completed") && list_page.contains("1 new since"));
    let (_, home) = page.get("/").await;
    assert!(
        home.contains("Notifications, none unread"),
        "opening the list read them"
    );
    let response = page.post_form("/notifications/read", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_hand_off_shows_on_the_timeline_and_tells_the_floor_it_goes_to() {
    let app = TestApp::spawn().await;
    let (floor_one, floor_two) = two_floors(&app).await;
    let admin = app.admin().await;
    let rina = a_customer(&admin, "9830012346", &floor_one).await;
    let one = app.login("manager.one").await;
    let two = app.login("manager.two").await;

    let sent = one
        .post(
            &format!("/api/customers/{rina}/hand-off"),
            &json!({"floor_id": floor_two, "note": "wants a bridal set"}),
        )
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let sent: Value = sent.json().await.expect("json");
    assert_eq!(sent["type"], "HANDED_OFF");
    assert_eq!(sent["floor_id"], floor_two.as_str());
    let list = two.get_json("/api/notifications").await;
    let note = &list["items"][0];
    assert_eq!(note["kind"], "HAND_OFF");
    assert_eq!(note["urgent"], true);
    assert_eq!(note["link"], format!("/customers/{rina}"));
    assert!(note["body"].as_str().is_some_and(|b| b.contains("bridal")));
    assert!(seen(&one).await.0.is_empty(), "the sender is not told");
    let timeline = two
        .get_json(&format!("/api/customers/{rina}/timeline"))
        .await;
    assert!(
        timeline.to_string().contains("HANDED_OFF"),
        "on the receiving floor's timeline: {timeline}"
    );

    // Bad floors change nothing: unknown, another store's, one's own.
    let other = app.login("other.owner").await;
    let theirs = floor(&other, "Their Floor", 1).await;
    let before = app.changes().len();
    let unknown = uuid::Uuid::now_v7().to_string();
    for floor_id in [unknown.as_str(), floor_one.as_str()] {
        let refused = one
            .post(
                &format!("/api/customers/{rina}/hand-off"),
                &json!({"floor_id": floor_id}),
            )
            .await;
        expect_field_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "floor_id").await;
    }
    let refused = admin
        .post(
            &format!("/api/customers/{rina}/hand-off"),
            &json!({"floor_id": theirs}),
        )
        .await;
    expect_field_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "floor_id").await;
    let foreign = other
        .post(
            &format!("/api/customers/{rina}/hand-off"),
            &json!({"floor_id": theirs}),
        )
        .await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.changes().len(), before, "refusals store nothing");

    // The page's form does the same, and says what is wrong next to the field.
    let page = PageClient::sign_in(&app, "manager.two").await;
    let (_, customer_page) = page.get(&format!("/customers/{rina}")).await;
    assert!(customer_page.contains("Send to another floor"));
    let back = page
        .post_form(
            &format!("/customers/{rina}/hand-off"),
            &[
                ("floor_id", floor_one.as_str()),
                ("note", "back for the bangles"),
            ],
        )
        .await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert!(location(&back).contains("done=handed-off"));
    let (kinds, _) = seen(&one).await;
    assert_eq!(count(&kinds, "HAND_OFF"), 1, "floor 1 is told");
    let refused = page
        .post_form(&format!("/customers/{rina}/hand-off"), &[("floor_id", "")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("body");
    let at = body.find("hand-off").unwrap_or(0);
    assert!(
        body.contains("Choose the floor the customer is going to"),
        "{}",
        &body[at..(at + 3000).min(body.len())]
    );
}

fn scheduled() -> Config {
    let mut config = Config::defaults();
    config.notifications.scheduler = true;
    config
}

/// The follow-up notifications in the database, whoever they are for.
fn follow_ups_fired(app: &TestApp) -> usize {
    app.changes()
        .iter()
        .filter(|c| c.kind == EntityKind::Notification)
        .filter(|c| {
            let store = app.crm().default_store().expect("store");
            app.crm()
                .db()
                .read(|rx| {
                    notifications::notification(
                        rx,
                        &Scope::store(store.id),
                        NotificationId::from_u128(c.id),
                    )
                })
                .ok()
                .flatten()
                .is_some_and(|n| n.dedupe_key.starts_with("follow-up-due:"))
        })
        .count()
}

#[tokio::test]
async fn a_follow_up_due_while_the_server_was_stopped_fires_once_after_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = TestApp::start_scheduled(scheduled(), dir.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    app.add_user("manager.one", UserRole::FloorManager, Some("Floor 1"), None)
        .await;
    let admin = app.admin().await;
    let floors = admin.get_json("/api/floors").await;
    let floor_one = floors["items"][0]["id"].as_str().expect("floor").to_owned();
    let rina = a_customer(&admin, "9830012347", &floor_one).await;
    let one = app.login("manager.one").await;
    let due = Timestamp::now() + SignedDuration::from_secs(3);
    let made = one
        .post(
            "/api/follow-ups",
            &json!({"customer_id": rina, "type": "PHONE_CALL", "due_at": due.to_string()}),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    app.stop().await;
    assert!(Timestamp::now() < due, "stopped before it fell due");

    // Due while stopped.
    let wait = due - Timestamp::now() + SignedDuration::from_millis(300);
    tokio::time::sleep(Duration::try_from(wait).unwrap_or_default()).await;

    let app = TestApp::start_scheduled(scheduled(), dir.path()).await;
    let mut fired = 0;
    for _ in 0..100 {
        fired = follow_ups_fired(&app);
        if fired > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(fired, 1, "fired once after start");
    let one = app.login("manager.one").await;
    let list = one.get_json("/api/notifications").await;
    let note = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["kind"] == "FOLLOW_UP_DUE")
        .expect("the owner sees it");
    assert_eq!(note["urgent"], true);
    assert!(
        seen(&app.admin().await)
            .await
            .0
            .iter()
            .all(|k| k != "FOLLOW_UP_DUE")
    );

    // Another restart, and a pass asked for by hand: still one.
    let mut app = app;
    app.stop().await;
    let app = TestApp::start_scheduled(scheduled(), dir.path()).await;
    app.crm()
        .fire_due_notifications(Timestamp::now(), &SystemReadings::default())
        .expect("a pass");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(follow_ups_fired(&app), 1, "not again after another restart");
}

#[tokio::test]
async fn birthdays_and_alerts_are_told_once_a_day() {
    let app = TestApp::spawn().await;
    let (floor_one, _) = two_floors(&app).await;
    let admin = app.admin().await;
    let zone = app.crm().config().time_zone();
    let today = Timestamp::now().to_zoned_datetime(zone.clone()).date();
    if today.month() == 2 && today.day() == 29 {
        return; // no year-1990 date of birth falls on it
    }
    let mut body = customer("Mitali Pal", "9830012348");
    body["home_floor_id"] = json!(floor_one);
    body["date_of_birth"] = json!(format!("1990-{:02}-{:02}", today.month(), today.day()));
    admin.create("/api/customers", &body).await;

    let evening = today
        .at(20, 0, 0, 0)
        .to_zoned_datetime(zone.clone())
        .expect("a time")
        .timestamp();
    let full = SystemReadings {
        free_disk_bytes: Some(1 << 20),
        certificate_expires: None,
    };
    for _ in 0..2 {
        app.crm()
            .fire_due_notifications(evening, &full)
            .expect("a pass");
    }
    let (kinds, _) = seen(&app.login("manager.one").await).await;
    assert_eq!(count(&kinds, "BIRTHDAY"), 1, "once on the day: {kinds:?}");
    assert!(seen(&app.login("manager.two").await).await.0.is_empty());
    let (kinds, _) = seen(&admin).await;
    assert_eq!(count(&kinds, "RATES_NOT_SET"), 1, "{kinds:?}");
    assert_eq!(count(&kinds, "DISK_NEARLY_FULL"), 1, "{kinds:?}");
    assert!(
        seen(&app.login("other.owner").await)
            .await
            .0
            .iter()
            .all(|k| k != "BIRTHDAY")
    );

    // Before opening time nothing of the day is said; the next day it is said again.
    let early = today
        .at(6, 0, 0, 0)
        .to_zoned_datetime(zone.clone())
        .expect("time");
    let next = app
        .crm()
        .fire_due_notifications(early.timestamp(), &SystemReadings::default())
        .expect("a pass");
    assert!(next > early.timestamp(), "wakes at opening time");
    let tomorrow = evening
        .to_zoned_datetime(zone)
        .checked_add(1.day())
        .expect("day");
    app.crm()
        .fire_due_notifications(tomorrow.timestamp(), &full)
        .expect("a pass");
    let (kinds, _) = seen(&admin).await;
    assert_eq!(
        count(&kinds, "DISK_NEARLY_FULL"),
        2,
        "once a day while it lasts"
    );
    let (kinds, _) = seen(&app.login("manager.one").await).await;
    assert_eq!(count(&kinds, "BIRTHDAY"), 1, "not tomorrow: {kinds:?}");
}
