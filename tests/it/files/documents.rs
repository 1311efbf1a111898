//! Customer documents: private to the admins and the customer's home floor, never
//! kept by the browser, every view and download on the customer's timeline.

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use super::{jpeg, pdf, upload};
use crate::helpers::{Client, TestApp, expect_field_problem, expect_json, floor_id};

/// A customer of the Ground Floor, and the admin who added them.
async fn ground_floor_customer(app: &TestApp) -> (Client, String) {
    let admin = app.admin().await;
    let ground = floor_id(&admin, "Ground Floor").await;
    let made = admin
        .create(
            "/api/customers",
            &json!({"name": "Moumita Ghosh", "phone": "9830011122", "home_floor_id": ground}),
        )
        .await;
    (admin, made["id"].as_str().expect("customer id").to_owned())
}

async fn timeline_documents(client: &Client, customer: &str) -> Vec<Value> {
    let timeline = client
        .get_json(&format!("/api/customers/{customer}/timeline?limit=50"))
        .await;
    timeline["items"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| {
            e["kind"]
                .as_str()
                .is_some_and(|k| k.starts_with("DOCUMENT"))
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_ten_megabyte_document_is_private_to_its_floor_and_every_view_is_kept() {
    let app = TestApp::spawn().await;
    app.add_user(
        "gf.manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    app.add_user(
        "ff.manager",
        UserRole::FloorManager,
        Some("First Floor"),
        None,
    )
    .await;
    app.add_user(
        "other.owner",
        UserRole::BusinessAdmin,
        None,
        Some("Other Jewellers"),
    )
    .await;
    let (admin, customer) = ground_floor_customer(&app).await;
    let bytes = pdf(10 * 1024 * 1024 - 64);
    let added = upload(
        &admin,
        &format!("/api/customers/{customer}/documents"),
        "PAN card.pdf",
        bytes.clone(),
        &[("kind", "pan_card")],
    )
    .await;
    let document = expect_json(added, StatusCode::CREATED).await;
    assert_eq!(document["kind"], "pan_card");
    assert_eq!(document["content_type"], "application/pdf");
    let url = document["url"].as_str().expect("url").to_owned();

    // Its own floor's manager opens it: the bytes as kept, never cached.
    let gf = app.login("gf.manager").await;
    let opened = gf.get(&url).await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(opened.headers()["cache-control"], "no-store");
    assert_eq!(opened.headers()["content-type"], "application/pdf");
    assert!(
        opened.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    assert_eq!(opened.bytes().await.expect("body").to_vec(), bytes);
    let saved = gf.get(&format!("{url}?download=true")).await;
    assert_eq!(
        saved.headers()["content-disposition"],
        "attachment; filename=\"PAN card.pdf\""
    );

    // Another floor's manager and another store are told it does not exist.
    let ff = app.login("ff.manager").await;
    expect_json(ff.get(&url).await, StatusCode::NOT_FOUND).await;
    expect_json(
        ff.get(&format!("/api/customers/{customer}/documents"))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let other = app.login("other.owner").await;
    expect_json(other.get(&url).await, StatusCode::NOT_FOUND).await;
    // Nor is it served by its hash as a photo would be.
    let as_media = format!("/api/media/{}.pdf", document["sha256"].as_str().unwrap());
    expect_json(gf.get(&as_media).await, StatusCode::NOT_FOUND).await;

    // The timeline shows it kept, opened and downloaded, newest first, to those who may
    // see it; the other floor's manager sees none of it.
    let entries = timeline_documents(&admin, &customer).await;
    let kinds: Vec<(&str, bool)> = entries
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["document"]["download"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("DOCUMENT_VIEWED", true),
            ("DOCUMENT_VIEWED", false),
            ("DOCUMENT_ADDED", false)
        ]
    );
    assert!(timeline_documents(&ff, &customer).await.is_empty());
    // And the audit trail names each view.
    let audit = admin.get_json("/api/audit?kind=FILE").await;
    let views = audit["items"]
        .as_array()
        .expect("audit entries")
        .iter()
        .filter(|e| e["op"] == "VIEWED")
        .count();
    assert_eq!(views, 2);
}

#[tokio::test]
async fn documents_are_kept_by_their_floor_and_removed_by_an_admin() {
    let app = TestApp::spawn().await;
    app.add_user(
        "gf.manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    app.add_user(
        "ff.manager",
        UserRole::FloorManager,
        Some("First Floor"),
        None,
    )
    .await;
    let (admin, customer) = ground_floor_customer(&app).await;
    let path = format!("/api/customers/{customer}/documents");
    let ff = app.login("ff.manager").await;
    let refused = upload(&ff, &path, "form60.pdf", pdf(4000), &[("kind", "form_60")]).await;
    expect_json(refused, StatusCode::FORBIDDEN).await;

    let gf = app.login("gf.manager").await;
    let photo = upload(
        &gf,
        &path,
        "address.jpg",
        jpeg(1200, 900, 9),
        &[("kind", "address_proof")],
    )
    .await;
    let photo = expect_json(photo, StatusCode::CREATED).await;
    assert_eq!(photo["content_type"], "image/jpeg");
    let bad_kind = upload(&gf, &path, "x.pdf", pdf(4000), &[("kind", "passport")]).await;
    expect_field_problem(bad_kind, StatusCode::UNPROCESSABLE_ENTITY, "kind").await;
    let html = upload(
        &gf,
        &path,
        "pan.pdf",
        b"<html><body>hi</body></html>".to_vec(),
        &[],
    )
    .await;
    expect_field_problem(html, StatusCode::UNPROCESSABLE_ENTITY, "file").await;
    let mut big = pdf(4000);
    big.resize(11 * 1024 * 1024, b' ');
    expect_json(
        upload(&gf, &path, "big.pdf", big, &[]).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let listed = gf.get_json(&path).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));

    let doc = format!("{path}/{}", photo["id"].as_str().unwrap());
    expect_json(gf.delete(&doc).await, StatusCode::FORBIDDEN).await;
    assert_eq!(admin.delete(&doc).await.status(), StatusCode::NO_CONTENT);
    expect_json(admin.get(&doc).await, StatusCode::NOT_FOUND).await;
}
