//! Photos and documents travel with the backup: restored onto a fresh box, the store
//! serves the same bytes, and `verify` checks them.

use reqwest::StatusCode;

use super::Fixture;
use crate::files::{add_photo, jpeg, pdf, upload};
use crate::helpers::{Client, TestApp, expect_json};

async fn bytes(client: &Client, url: &str) -> Vec<u8> {
    let response = client.get(url).await;
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.bytes().await.expect("body").to_vec()
}

#[tokio::test]
async fn a_restored_box_serves_the_same_photos_and_documents_byte_for_byte() {
    let store = Fixture::new().await;
    let mut app = TestApp::start(&store.data).await;
    let admin = app.login("owner").await;
    let product = admin.get_json("/api/products?limit=1").await["items"][0]["id"]
        .as_str()
        .expect("a demo product")
        .to_owned();
    let customer = admin.get_json("/api/customers?limit=1").await["items"][0]["id"]
        .as_str()
        .expect("a demo customer")
        .to_owned();
    let photo = add_photo(&admin, &product, "front.jpg", jpeg(1800, 1200, 42)).await;
    let document = expect_json(
        upload(
            &admin,
            &format!("/api/customers/{customer}/documents"),
            "form 60.pdf",
            pdf(300_000),
            &[("kind", "form_60")],
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let mut urls: Vec<String> = photo["srcset"]
        .as_str()
        .expect("srcset")
        .split(", ")
        .map(|c| c.split(' ').next().expect("URL").to_owned())
        .collect();
    urls.push(document["url"].as_str().expect("url").to_owned());
    let mut before = Vec::new();
    for url in &urls {
        before.push(bytes(&admin, url).await);
    }
    app.stop().await;

    let id = store.back_up().await;
    store.verify(Some(&id)).await.succeeded("backup verify");
    let restored = store.temp.path().join("restored");
    store
        .restore(&restored, &[])
        .await
        .succeeded("backup restore");

    let mut app = TestApp::start(&restored).await;
    let admin = app.login("owner").await;
    for (url, wanted) in urls.iter().zip(&before) {
        assert!(
            bytes(&admin, url).await == *wanted,
            "{url} is the same after the restore"
        );
    }
    let photos = admin
        .get_json(&format!("/api/products/{product}/images"))
        .await;
    assert_eq!(photos["items"][0]["id"], photo["id"]);
    app.stop().await;
}
