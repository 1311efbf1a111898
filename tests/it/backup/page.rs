//! The Backups page and `/api/backups` on a running server: what the technician must do
//! before backups are set up, the first backup taken at start with its time, size and
//! the next one, "Back up now", the red warning for a destination left behind (an
//! unplugged disk), and Floor Managers kept out.

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sarkar_crm::config::Config;
use sarkar_crm::domain::UserRole;
use serde_json::Value;

use super::{config_from, folder_backups, remember_backup};
use crate::helpers::{Client, TestApp, expect_json};
use crate::pages::{PageClient, location};

/// Only a server that never backs up waits this long; it fails the test, it does not
/// measure it.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// A configuration that backs up to the folder `usb` (which may not exist).
fn config(dir: &Path, usb: &Path, extra: &str) -> Config {
    config_from(dir, &folder_backups(extra, &[("usb", usb)]))
}

/// A server with `config` on a fresh data directory, with an admin `owner` and a floor
/// manager `manager`.
async fn start(dir: &Path, config: Config) -> TestApp {
    let app = TestApp::start_with(config, &dir.join("data")).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    app.add_user("manager", UserRole::FloorManager, Some("Ground"), None)
        .await;
    app
}

/// `GET /api/backups`, again until `done` holds.
async fn status_when(admin: &Client, done: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let status = admin.get_json("/api/backups").await;
        if done(&status) {
            return status;
        }
        assert!(
            started.elapsed() < HANG_GUARD,
            "the backups never reached the state waited for: {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn last_id(status: &Value) -> Option<String> {
    status["destinations"][0]["last_success"]["id"]
        .as_str()
        .map(str::to_owned)
}

#[tokio::test]
async fn before_backups_are_set_up_the_page_says_what_to_do_and_nothing_can_be_started() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = start(dir.path(), Config::defaults()).await;
    let pages = PageClient::sign_in(&app, "owner").await;

    let (status, html) = pages.get("/backups").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="backups-not-set-up""#), "{html}");
    for step in [
        "sarkar-crm backup keygen",
        "recipients",
        "[[backup.destination]]",
    ] {
        assert!(
            html.contains(step),
            "the page tells the technician `{step}`"
        );
    }
    assert!(
        !html.contains(r#"id="backup-now""#),
        "no button that cannot work"
    );
    let (_, dashboard) = pages.get("/").await;
    assert!(
        dashboard.contains(r#"id="backups-notice""#)
            && dashboard.contains("Backups are not set up."),
        "the owner's dashboard says so: {dashboard}"
    );

    let admin = app.admin().await;
    let status = admin.get_json("/api/backups").await;
    assert_eq!(status["configured"], false);
    let refused = expect_json(
        admin.post("/api/backups/run", &Value::Null).await,
        StatusCode::CONFLICT,
    )
    .await;
    let detail = refused["detail"].as_str().expect("a message");
    assert!(detail.contains("backup.recipients"), "{detail}");

    let response = pages.post_form("/backups/run", &[]).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.expect("body");
    assert!(html.contains(r#"id="backup-refused""#), "{html}");
    assert!(
        !app.data_dir().join("backups").exists(),
        "nothing was taken or written"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_first_backup_is_taken_at_start_and_back_up_now_takes_another() {
    let dir = tempfile::tempdir().expect("temp dir");
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).expect("mkdir");
    let mut app = start(
        dir.path(),
        config(dir.path(), &usb, "every_hours = 6\nnightly_at = \"\""),
    )
    .await;
    let admin = app.admin().await;

    let first = status_when(&admin, |s| last_id(s).is_some()).await;
    assert_eq!(first["configured"], true);
    assert_eq!(first["overdue"], false);
    let success = &first["destinations"][0]["last_success"];
    assert!(success["bytes"].as_u64().expect("a size") > 0);
    let next_due: jiff::Timestamp = first["next_due"]
        .as_str()
        .expect("a next backup")
        .parse()
        .expect("a time");
    let taken: jiff::Timestamp = success["taken_at"]
        .as_str()
        .expect("taken_at")
        .parse()
        .expect("a time");
    assert_eq!(
        next_due.duration_since(taken),
        jiff::SignedDuration::from_hours(6),
        "every_hours = 6"
    );

    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/backups").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="destination-usb""#), "{html}");
    assert!(html.contains("Up to date"), "{html}");
    assert!(
        !html.contains(r#"id="backup-overdue""#),
        "no warning: {html}"
    );
    let size = sarkar_crm::domain::format_size(success["bytes"].as_u64().unwrap_or(0));
    assert!(html.contains(&size), "the page shows the size {size}");
    assert!(html.contains("Next backup"), "{html}");
    assert!(html.contains(&usb.display().to_string()), "where it goes");
    let (_, dashboard) = pages.get("/").await;
    assert!(
        !dashboard.contains("backups-notice"),
        "all is well: {dashboard}"
    );

    let response = pages.post_form("/backups/run", &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/backups?done=backup-started");
    let first_id = last_id(&first).expect("an id");
    let second = status_when(&admin, |s| {
        last_id(s).is_some_and(|id| id != first_id) && s["queued"] == 0
    })
    .await;
    let second_id = last_id(&second).expect("an id");
    let listed = admin.get_json("/api/backups").await;
    assert_eq!(last_id(&listed), Some(second_id.clone()));
    // (The first may be gone: retention keeps the newest backup of each hour.)
    assert!(
        usb.join("backups")
            .join(&second_id)
            .join("manifest.json")
            .is_file(),
        "backup {second_id} is whole in the folder"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unplugged_disk_turns_the_page_red_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let usb = dir.path().join("unplugged");
    let data = dir.path().join("data");
    // The box remembers a backup to that disk 30 hours ago; the limit is 26.
    remember_backup(&data, "usb", 30, 52_000);
    let mut app = start(dir.path(), config(dir.path(), &usb, "")).await;
    let admin = app.admin().await;

    let status = status_when(&admin, |s| s["destinations"][0]["last_error"].is_string()).await;
    assert_eq!(status["overdue"], true);
    let destination = &status["destinations"][0];
    assert_eq!(destination["overdue"], true);
    assert_eq!(
        destination["waiting"], 1,
        "the new snapshot waits for the disk"
    );
    let error = destination["last_error"].as_str().expect("why");
    assert!(error.contains("does not exist"), "{error}");

    let pages = PageClient::sign_in(&app, "owner").await;
    let (code, html) = pages.get("/backups").await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        html.contains(r#"id="backup-overdue""#),
        "a red warning: {html}"
    );
    assert!(html.contains("30 hours ago"), "{html}");
    assert!(html.contains("Overdue"), "{html}");
    assert!(
        html.contains("does not exist"),
        "the reason is shown: {html}"
    );
    let (_, dashboard) = pages.get("/").await;
    assert!(
        dashboard.contains("Backups have fallen behind."),
        "the owner's dashboard is red too: {dashboard}"
    );
    assert!(!usb.exists(), "the missing disk's folder is never made");
    app.stop().await;
}

#[tokio::test]
async fn a_floor_manager_cannot_see_or_start_backups() {
    let dir = tempfile::tempdir().expect("temp dir");
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).expect("mkdir");
    let mut app = start(dir.path(), config(dir.path(), &usb, "")).await;
    let manager = app.login("manager").await;
    for response in [
        manager.get("/api/backups").await,
        manager.post("/api/backups/run", &Value::Null).await,
    ] {
        expect_json(response, StatusCode::FORBIDDEN).await;
    }
    let pages = PageClient::sign_in(&app, "manager").await;
    let (status, html) = pages.get("/backups").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("destination-usb"), "{html}");
    let response = pages.post_form("/backups/run", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (_, dashboard) = pages.get("/").await;
    assert!(
        !dashboard.contains(r#"href="/backups""#),
        "not offered: {dashboard}"
    );
    app.stop().await;
}
