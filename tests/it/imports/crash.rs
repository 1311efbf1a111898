//! A commit stopped by `kill -9` part-way keeps nothing: the next start takes back the
//! chunks already written, and the import says so.

use std::time::Duration;

use super::{customer_csv, upload};
use crate::helpers::{ServerProcess, cli_add_user, expect_json};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_commit_killed_part_way_leaves_nothing_after_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let added = cli_add_user(
        dir.path(),
        &["--username", "owner", "--role", "business-admin"],
    )
    .await;
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let mut server = ServerProcess::start(dir.path()).await;
    let admin = server.login("owner").await;
    let draft = upload(&admin, "customers", "big.csv", customer_csv(60_000, 0, 0)).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    let started = admin
        .post(&format!("/api/imports/{id}/commit"), &json!({}))
        .await;
    expect_json(started, StatusCode::ACCEPTED).await;
    // Wait until at least one chunk is written (and durable), then kill mid-import.
    let mut written = 0;
    for _ in 0..3000 {
        let view = admin.get_json(&format!("/api/imports/{id}")).await;
        assert_eq!(
            view["state"], "COMMITTING",
            "the import finished before it could be stopped: {view}"
        );
        written = view["progress"]["done"].as_u64().unwrap_or(0);
        if written > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        written > 0 && written < 60_000,
        "stopped part-way: {written}"
    );
    server.child.kill().await.expect("killed");

    let server = ServerProcess::start(dir.path()).await;
    let admin = server.login("owner").await;
    let view = admin.get_json(&format!("/api/imports/{id}")).await;
    assert_eq!(view["state"], "FAILED", "{view}");
    assert!(
        view["message"]
            .as_str()
            .unwrap()
            .contains("nothing of it was kept")
    );
    let customers = admin.get_json("/api/customers?limit=1").await;
    assert_eq!(customers["total"], 0, "every chunk written was taken back");
    assert!(
        view["undo_changes"].is_array(),
        "the taking back is in the change log: {view}"
    );
}
