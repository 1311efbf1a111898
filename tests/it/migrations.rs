//! A database written by schema version 1 opens and migrates under this build.

use sarkar_crm::store::{Db, LATEST_SCHEMA_VERSION, schema_version};

use crate::helpers::TestApp;

#[tokio::test]
async fn the_version_1_fixture_opens_and_its_data_reads() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema-v1.redb");
    std::fs::copy(fixture, dir.path().join(sarkar_crm::startup::DATABASE_FILE))
        .expect("fixture copied");

    let db = Db::open(
        &dir.path().join(sarkar_crm::startup::DATABASE_FILE),
        4 << 20,
    )
    .expect("fixture opens");
    assert_eq!(db.read(schema_version).unwrap(), LATEST_SCHEMA_VERSION);
    drop(db);

    let app = TestApp::start(dir.path()).await;
    let admin = app.login("owner").await;
    let customers = admin.get_json("/api/customers?per_page=100").await;
    assert_eq!(customers["total"], 20);
    assert!(
        customers["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["phone"].as_str().unwrap().starts_with("+91"))
    );
    assert_eq!(admin.get_json("/api/products").await["total"], 10);
    assert_eq!(
        admin
            .get_json("/api/floors")
            .await
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        admin
            .get_json("/api/categories")
            .await
            .as_array()
            .unwrap()
            .len(),
        27
    );
    assert_eq!(
        admin.get_json("/api/users").await.as_array().unwrap().len(),
        5
    );
    // The fixture keeps working for writes too.
    admin
        .create(
            "/api/customers",
            &crate::helpers::customer("After Migration", "9830000001"),
        )
        .await;
}
