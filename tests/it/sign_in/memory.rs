//! Checking wrong passwords takes a fixed amount of memory, however many arrive: the
//! real binary is started, a burst of wrong sign-ins is sent at once, and its resident
//! memory is read from `/proc` before and after.

use reqwest::StatusCode;
use serde_json::json;
use tokio::task::JoinSet;

use crate::helpers::{ServerProcess, binary, cli_add_user};

/// Wrong sign-ins sent at once; enough for the unbounded server to grow past a gigabyte.
const BURST: usize = 240;

/// Resident memory of process `pid` in KiB, from `/proc/<pid>/status`.
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .expect("a VmRSS line")
}

/// Sends `count` wrong sign-ins, 48 at a time (within the server's queue for hashing,
/// so every one is checked), and expects each to be refused as a wrong password, or,
/// for the real account after its free tries, as too many.
async fn wrong_sign_ins(server: &ServerProcess, burst_name: &str, count: usize) {
    let http = reqwest::Client::new();
    let in_flight = std::sync::Arc::new(tokio::sync::Semaphore::new(48));
    let mut burst = JoinSet::new();
    for n in 0..count {
        let (http, url) = (http.clone(), format!("{}/api/auth/login", server.base));
        // A few for the real account, the rest for names nobody has, which are hashed
        // all the same.
        let username = if n % 40 == 0 {
            "owner".to_owned()
        } else {
            format!("{burst_name}{n}")
        };
        let permit = in_flight.clone().acquire_owned().await.expect("permit");
        burst.spawn(async move {
            let status = http
                .post(url)
                .json(&json!({"username": username, "password": format!("guess {n}")}))
                .send()
                .await
                .expect("the server answers")
                .status();
            drop(permit);
            (username, status)
        });
    }
    while let Some(answer) = burst.join_next().await {
        let (username, status) = answer.expect("request task");
        let slowed = username == "owner" && status == StatusCode::TOO_MANY_REQUESTS;
        assert!(
            status == StatusCode::UNAUTHORIZED || slowed,
            "{username}: {status}"
        );
    }
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_leaves_memory_bounded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let added = cli_add_user(
        dir.path(),
        &["--username", "owner", "--role", "business-admin"],
    )
    .await;
    assert!(added.status.success(), "{added:?}");
    let mut command = binary();
    command
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--http", "--listen", "127.0.0.1:0"])
        // Every request comes from this one address: let them all be checked, so the
        // memory of checking them is what is measured.
        .env("SARKAR__AUTH__SIGN_IN_FREE_TRIES_PER_ADDRESS", "1000");
    let (child, first) = ServerProcess::spawn(&mut command).await;
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("a URL in the first line")
        .trim_end_matches('/')
        .to_owned();
    let server = ServerProcess { child, base };
    let pid = server.child.id().expect("the server is running");

    // One sign-in first, so what every later one shares (the blocking pool's threads,
    // the hashing buffers) is already counted in the baseline.
    let idle = resident_kib(pid);
    wrong_sign_ins(&server, "warm", 2).await;
    let before = resident_kib(pid);
    wrong_sign_ins(&server, "first", BURST).await;
    let after_one = resident_kib(pid);
    wrong_sign_ins(&server, "second", BURST).await;
    let after_two = resident_kib(pid);
    eprintln!(
        "resident memory: {idle} KiB idle, {before} KiB after two sign-ins, {after_one} KiB after {BURST} wrong sign-ins, {after_two} KiB after {}",
        2 * BURST
    );

    // Unbounded, the first burst alone took this server from 40 MB to 4 GB. Bounded,
    // the burst may add buffers for its connections and blocking threads (the two
    // hashing slots' memory is already in the baseline), and a second burst adds
    // next to nothing: the growth has stopped.
    let allowance_kib = 128 * 1024;
    assert!(
        after_one <= before + allowance_kib,
        "resident memory grew from {before} KiB to {after_one} KiB"
    );
    assert!(
        after_two <= after_one + 32 * 1024,
        "resident memory kept growing: {after_one} KiB, then {after_two} KiB"
    );
}
