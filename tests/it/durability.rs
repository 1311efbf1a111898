//! Acknowledged writes survive a restart and a `kill -9`.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ServerProcess, TestApp, binary, cli_add_user, customer, expect_json};

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

/// Eight tablets writing at once on the real binary, so their commits share fsyncs, and
/// `kill -9` while they write. Every acknowledged create is there after the restart, and
/// the change log runs without a gap, one entry per create.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batched_writes_acknowledged_before_kill_9_are_not_lost_and_the_log_has_no_gaps() {
    const WRITERS: usize = 8;
    const BEFORE_KILL: usize = 160;
    let dir = tempfile::tempdir().unwrap();
    let added = cli_add_user(
        dir.path(),
        &["--username", "owner", "--role", "business-admin"],
    )
    .await;
    assert!(added.status.success());
    // Eight busy tablets and the check of every create afterwards are well past the
    // per-session and per-address limits, which are not what this test is about.
    let start = || async {
        let (child, first) = ServerProcess::spawn(
            binary()
                .arg("--data-dir")
                .arg(dir.path())
                .args(["serve", "--http", "--listen", "127.0.0.1:0"])
                .env("SARKAR__RATE_LIMITS__SESSION_PER_MINUTE", "0")
                .env("SARKAR__RATE_LIMITS__ADDRESS_PER_MINUTE", "0"),
        )
        .await;
        let base = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("an address")
            .trim_end_matches('/')
            .to_owned();
        ServerProcess { child, base }
    };
    let mut server = start().await;
    let (enough_tx, mut enough) = tokio::sync::watch::channel(0usize);
    let enough_tx = std::sync::Arc::new(enough_tx);
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        // One session each, as eight tablets would have.
        let tablet = server.login("owner").await;
        let counted = enough_tx.clone();
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for n in 0..10_000u32 {
                let letters: String = n
                    .to_string()
                    .chars()
                    .map(|d| char::from(b'a' + d.to_digit(10).unwrap() as u8))
                    .collect();
                let body = customer(
                    &format!("Batch Writer{letters}"),
                    &format!("9831{writer}{n:05}"),
                );
                let sent = tablet
                    .request(reqwest::Method::POST, "/api/customers")
                    .json(&body)
                    .send()
                    .await;
                // Once the server is killed the requests fail; what was answered stays.
                let Ok(response) = sent else { break };
                if response.status() != StatusCode::CREATED {
                    panic!("create answered {}", response.status());
                }
                let Ok(created) = response.json::<serde_json::Value>().await else {
                    break;
                };
                acknowledged.push(created["id"].as_str().unwrap().to_owned());
                counted.send_modify(|count| *count += 1);
            }
            acknowledged
        }));
    }
    enough
        .wait_for(|count| *count >= BEFORE_KILL)
        .await
        .expect("the writers count");
    let metrics = server.client().get("/metrics").await.text().await.unwrap();
    let counter = |name: &str| -> u64 {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} in\n{metrics}"))
            .trim()
            .parse()
            .unwrap()
    };
    let (commits, syncs) = (
        counter("sarkar_database_commits_total"),
        counter("sarkar_database_syncs_total"),
    );
    assert!(
        syncs < commits,
        "eight writers at once share fsyncs: {commits} commits took {syncs}"
    );
    server.child.kill().await.expect("killed");
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.expect("writer"));
    }
    assert!(acknowledged.len() >= BEFORE_KILL);
    println!(
        "{} creates acknowledged; before the kill {commits} commits took {syncs} fsyncs",
        acknowledged.len()
    );

    let server = start().await;
    let admin = server.login("owner").await;
    for id in &acknowledged {
        let response = admin.get(&format!("/api/customers/{id}")).await;
        assert_eq!(response.status(), StatusCode::OK, "acknowledged {id} lost");
    }
    let mut child = server.child;
    child.kill().await.expect("stopped");

    let config = sarkar_crm::config::Config::defaults();
    let db = sarkar_crm::data_dir::open_database(dir.path(), &config).expect("open");
    let changes = db
        .read(|rx| rx.changes_after(0, 1_000_000))
        .expect("read the log");
    for (expected, change) in (1..).zip(&changes) {
        assert_eq!(change.seq, expected, "the change log has no gaps");
    }
    for id in &acknowledged {
        let id = uuid::Uuid::parse_str(id).unwrap().as_u128();
        let created = changes
            .iter()
            .filter(|c| c.id == id && c.op == sarkar_crm::store::ChangeOp::Created)
            .count();
        assert_eq!(created, 1, "one change-log entry per create");
    }
}
