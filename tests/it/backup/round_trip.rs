//! A demo store backed up to S3 and restored into an empty folder is the same store,
//! byte for byte, and serves searches; a restore never writes over a folder in use.

use serde_json::Value;

use super::moto::Moto;
use super::{Dump, Fixture};
use crate::helpers::TestApp;

/// A few customers of the store in `data_dir` as the API shows them: (id, name, phone).
async fn some_customers(data_dir: &std::path::Path) -> Vec<(String, String, String)> {
    let mut app = TestApp::start(data_dir).await;
    let page = app
        .login("owner")
        .await
        .get_json("/api/customers?per_page=3")
        .await;
    app.stop().await;
    let field = |c: &Value, f: &str| c[f].as_str().expect("a text field").to_owned();
    let customers: Vec<_> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| (field(c, "id"), field(c, "name"), field(c, "phone")))
        .collect();
    assert_eq!(customers.len(), 3, "the demo store has customers: {page}");
    customers
}

/// Ids of the customers a search for `query` finds.
async fn found(client: &crate::helpers::Client, query: &str) -> Vec<String> {
    let mut url = url::Url::parse("http://x/api/customers").expect("url");
    url.query_pairs_mut().append_pair("q", query);
    let page = client
        .get_json(&format!(
            "/api/customers?{}",
            url.query().unwrap_or_default()
        ))
        .await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_restored_store_equals_the_original_byte_for_byte_and_finds_its_customers() {
    let store = Fixture::new().await;
    let customers = some_customers(&store.data).await;
    let id = store.back_up().await;

    let restored = store.temp.path().join("restored");
    store
        .restore(&restored, &[])
        .await
        .succeeded("backup restore");

    let (original, copy) = (Dump::of(&store.data), Dump::of(&restored));
    assert_eq!(
        original.tables.keys().collect::<Vec<_>>(),
        copy.tables.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, entries) in &original.tables {
        assert_eq!(copy.len(table), entries.len(), "entries of `{table}`");
        assert!(
            copy.tables[table] == *entries,
            "`{table}` holds other bytes after the restore"
        );
    }
    for (table, wanted) in [("customers", 300), ("sales", 600), ("products", 60)] {
        assert_eq!(original.len(table), wanted, "the demo store's {table}");
    }

    for file in sarkar_crm::net::tls::CA_FILES {
        let before = std::fs::read(store.data.join(file)).expect("the original CA file");
        let after = std::fs::read(restored.join(file)).expect("the restored CA file");
        assert!(
            !before.is_empty() && before == after,
            "{file} is restored as it was"
        );
    }

    let manifest: sarkar_crm::backup::Manifest = serde_json::from_slice(
        &store
            .moto
            .get(&Moto::backup_key(&id, sarkar_crm::backup::MANIFEST_OBJECT))
            .await,
    )
    .expect("the manifest is JSON");
    assert_eq!(manifest.id, id);
    for (table, entries) in &original.tables {
        assert_eq!(
            manifest.counts.get(table),
            Some(&(entries.len() as u64)),
            "the manifest counts `{table}`"
        );
    }

    let mut app = TestApp::start(&restored).await;
    let client = app.login("owner").await;
    for (id, name, phone) in &customers {
        assert!(
            found(&client, name).await.contains(id),
            "`{name}` is found by name in the restored store"
        );
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        assert!(
            found(&client, &digits).await.contains(id),
            "`{name}` is found by phone {digits} in the restored store"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_restore_into_a_folder_with_files_is_refused_and_changes_nothing() {
    let store = Fixture::new().await;
    store.back_up().await;
    let occupied = store.temp.path().join("occupied");
    std::fs::create_dir(&occupied).expect("mkdir");
    std::fs::write(occupied.join("notes.txt"), "the shop's notes").expect("write");

    store
        .restore(&occupied, &[])
        .await
        .failed_with("restore into a folder in use", &["is not empty", "--force"]);

    assert_eq!(
        names_in(&occupied),
        ["notes.txt"],
        "nothing was added or moved"
    );
    assert_eq!(
        std::fs::read_to_string(occupied.join("notes.txt")).expect("read"),
        "the shop's notes"
    );
}

#[tokio::test]
async fn a_forced_restore_over_the_data_of_a_running_server_is_refused() {
    let store = Fixture::new().await;
    store.back_up().await;
    let mut server = TestApp::start(&store.data).await;
    let before = names_in(&store.data);

    store.restore(&store.data, &["--force"]).await.failed_with(
        "restore over a running server's data",
        &["in use by another Sarkar CRM process", "Stop it first"],
    );
    assert_eq!(names_in(&store.data), before, "nothing was moved aside");
    // The server still serves from its own files.
    let customers = server.login("owner").await.get_json("/api/customers").await;
    assert_eq!(customers["total"], 300);
    server.stop().await;
}

/// The names in a folder, sorted.
fn names_in(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    names
}
