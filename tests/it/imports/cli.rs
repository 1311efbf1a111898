//! `sarkar-crm import`: dry run, strict, the problems file, then an import that is
//! searchable as soon as the server starts.

use reqwest::StatusCode;

use super::customer_csv;
use crate::helpers::{TestApp, binary, cli_add_user};

async fn import(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    binary()
        .arg("--data-dir")
        .arg(dir)
        .arg("import")
        .args(args)
        .output()
        .await
        .expect("the binary runs")
}

#[tokio::test]
async fn the_console_import_checks_like_the_page_and_leaves_a_problems_file() {
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
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("contacts.csv");
    std::fs::write(&file, customer_csv(5, 1, 1)).unwrap();
    let path = file.to_str().unwrap();

    let dry = import(dir.path(), &["customers", path, "--dry-run"]).await;
    let said = String::from_utf8_lossy(&dry.stderr);
    assert!(dry.status.success(), "{said}");
    assert!(
        said.contains("7 rows: 5 to add, 0 to update, 1 to skip, 1 with problems"),
        "{said}"
    );
    assert!(
        said.contains("row 8, Mobile:"),
        "problems by row and column: {said}"
    );
    assert!(said.contains("nothing was stored"), "{said}");
    let problems = files.path().join("contacts.problems.csv");
    let rows = std::fs::read_to_string(&problems).expect("the problems file");
    assert!(
        rows.starts_with("Sl No,Cust Name,Mobile,D.O.B.,Locality,Problems"),
        "{rows}"
    );
    assert!(rows.contains("Broken 0"), "{rows}");

    let strict = import(dir.path(), &["customers", path, "--strict"]).await;
    assert_eq!(
        strict.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&strict.stderr)
    );

    let wrong = import(dir.path(), &["customers", path, "--on-duplicate", "merge"]).await;
    assert_eq!(wrong.status.code(), Some(2));

    let done = import(dir.path(), &["customers", path, "--on-duplicate", "skip"]).await;
    let out = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        out.contains("5 added, 0 updated, 1 skipped, 1 left out"),
        "{out}"
    );

    let app = TestApp::start(dir.path()).await;
    let admin = app.admin().await;
    let customers = admin.get_json("/api/customers?limit=1").await;
    assert_eq!(customers["total"], 5, "only the good rows, once each");
    let found = admin.get("/api/customers?q=Customer%200003").await;
    assert_eq!(found.status(), StatusCode::OK);
    let found: serde_json::Value = found.json().await.unwrap();
    assert!(
        found.to_string().contains("Customer 0003"),
        "searchable at start: {found}"
    );
}
