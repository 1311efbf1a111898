//! Acknowledged writes survive a restart and a `kill -9`.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ServerProcess, TestApp, cli_add_user, customer, expect_json};

#[tokio::test]
async fn data_survives_a_restart() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = admin
        .create("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    let category = admin
        .create("/api/categories", &json!({"name": "Gold"}))
        .await;
    let app = app.restart().await;
    let admin = app.admin().await;
    assert_eq!(
        admin
            .get_json(&format!(
                "/api/customers/{}",
                created["id"].as_str().unwrap()
            ))
            .await,
        created
    );
    assert_eq!(
        admin
            .get_json(&format!(
                "/api/categories/{}",
                category["id"].as_str().unwrap()
            ))
            .await,
        category
    );
    let next = admin
        .create("/api/customers", &customer("Ankit Jain", "9830054321"))
        .await;
    assert_eq!(
        next["code"], "C-000002",
        "numbering carries on after a restart"
    );
}

#[tokio::test]
async fn a_write_acknowledged_before_kill_9_is_not_lost() {
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
    let created = admin
        .create("/api/customers", &customer("Moumita Saha", "9830011111"))
        .await;
    let updated = expect_json(
        admin
            .put(
                &format!("/api/customers/{}", created["id"].as_str().unwrap()),
                &customer("Moumita Saha Roy", "9830011111"),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    // SIGKILL: no shutdown code runs at all.
    server.child.kill().await.expect("killed");

    let server = ServerProcess::start(dir.path()).await;
    let admin = server.login("owner").await;
    let read = admin
        .get_json(&format!(
            "/api/customers/{}",
            created["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(read, updated);
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await;
    let pid = server.child.id().expect("running");
    // The shell's own `kill`, so the test needs no extra package.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}")])
        .status()
        .expect("sh runs");
    assert!(status.success());
    let mut child = server.child;
    let exit = child.wait().await.expect("server exits");
    assert!(exit.success(), "a clean stop exits 0: {exit:?}");
}
