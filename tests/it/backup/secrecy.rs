//! What sits in the bucket reveals nothing of the customers, opens only with the
//! recovery key it was encrypted to, and any change to it is caught, even one made to
//! look right to the manifest.

use sha2::{Digest, Sha256};

use super::moto::Moto;
use super::{Dump, Fixture, contains, keygen};
use crate::helpers::TestApp;

/// Names and phone numbers of the store's customers, as the API shows them.
async fn names_and_phones(data_dir: &std::path::Path) -> Vec<String> {
    let mut app = TestApp::start(data_dir).await;
    let page = app
        .login("owner")
        .await
        .get_json("/api/customers?per_page=50")
        .await;
    app.stop().await;
    let mut needles = Vec::new();
    for customer in page["items"].as_array().expect("items") {
        needles.push(customer["name"].as_str().expect("name").to_owned());
        let phone = customer["phone"].as_str().expect("phone");
        needles.push(phone.chars().filter(char::is_ascii_digit).collect());
    }
    assert!(needles.len() >= 100, "the demo store has customers");
    needles
}

#[tokio::test]
async fn the_uploaded_payload_holds_no_customer_and_opens_only_with_its_key() {
    let store = Fixture::new().await;
    let needles = names_and_phones(&store.data).await;
    let id = store.back_up().await;
    let payload = store
        .moto
        .get(&Moto::backup_key(&id, sarkar_crm::backup::PAYLOAD_OBJECT))
        .await;

    assert!(
        payload.starts_with(b"age-encryption.org/v1\n"),
        "the object is the age file"
    );
    // The same words are in the database, so their absence below means something.
    let plain = Dump::of(&store.data);
    assert!(needles.iter().all(|n| plain.contains(n.as_bytes())));
    for needle in &needles {
        assert!(
            !contains(&payload, needle.as_bytes()),
            "the payload shows `{needle}` in clear"
        );
    }
    assert!(!contains(&payload, b"SARKAR-CRM-SNAP"));

    store
        .verify(Some(&id))
        .await
        .succeeded("verify with the key");
    let stranger = store.temp.path().join("another-key.txt");
    keygen(&stranger).await;
    let other = stranger.to_str().expect("path");
    store
        .run(&["verify", "--destination", "s3", "--identity", other])
        .await
        .failed_with(
            "verify with another key",
            &[&id, "was not encrypted to this key"],
        );
}

#[tokio::test]
async fn a_changed_byte_in_the_bucket_fails_verification_even_with_a_matching_manifest() {
    let store = Fixture::new().await;
    let id = store.back_up().await;
    let payload_key = Moto::backup_key(&id, sarkar_crm::backup::PAYLOAD_OBJECT);
    let mut payload = store.moto.get(&payload_key).await;
    let middle = payload.len() / 2;
    payload[middle] ^= 0x01;
    store.moto.put(&payload_key, payload.clone()).await;

    store.verify(Some(&id)).await.failed_with(
        "verify of a changed payload",
        &["failed verification", "changed or damaged"],
    );

    // Make the manifest agree with the changed payload: only age's own integrity
    // check can catch it now.
    let manifest_key = Moto::backup_key(&id, sarkar_crm::backup::MANIFEST_OBJECT);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&store.moto.get(&manifest_key).await).expect("manifest JSON");
    let sha256: String = Sha256::digest(&payload)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_ne!(manifest["payload_sha256"], sha256.as_str());
    manifest["payload_sha256"] = sha256.into();
    store
        .moto
        .put(
            &manifest_key,
            serde_json::to_vec_pretty(&manifest).expect("json"),
        )
        .await;

    let verified = store.verify(Some(&id)).await;
    verified.failed_with(
        "verify of a changed payload with a matching manifest",
        &["failed verification", "changed or damaged"],
    );
    assert!(
        !verified.stderr().contains("does not match its manifest"),
        "the manifest matched, so the decryption caught it: {}",
        verified.stderr()
    );
}
