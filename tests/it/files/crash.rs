//! `kill -9` while photos are arriving: after the next start no record names a file
//! that is missing, and no file is left that no record names.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use super::jpeg;
use crate::helpers::{Client, ServerProcess, cli_add_user, expect_json, product};

fn blobs_in(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for folder in std::fs::read_dir(dir.join("files"))
        .expect("files/")
        .flatten()
    {
        if folder.file_name() == "incoming" {
            continue;
        }
        for blob in std::fs::read_dir(folder.path())
            .expect("a blob folder")
            .flatten()
        {
            found.insert(blob.file_name().to_string_lossy().into_owned());
        }
    }
    found
}

/// The hashes of every copy the product's photos name, checking each is served.
async fn named_and_served(admin: &Client, product: &str) -> BTreeSet<String> {
    let listed = admin
        .get_json(&format!("/api/products/{product}/images"))
        .await;
    let mut named = BTreeSet::new();
    for photo in listed["items"].as_array().expect("photos") {
        for copy in photo["srcset"].as_str().expect("srcset").split(", ") {
            let url = copy.split(' ').next().expect("a URL");
            let served = admin.get(url).await;
            assert_eq!(served.status(), StatusCode::OK, "{url} of a stored photo");
            let hash = url.trim_start_matches("/api/media/").split('.').next();
            named.insert(hash.expect("a hash").to_owned());
        }
    }
    named
}

#[tokio::test]
async fn a_kill_during_uploads_leaves_no_record_without_its_file_and_no_stray_file() {
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
    let floor = super::ground_floor(&admin).await;
    let made = admin
        .create("/api/products", &product("KL-1", &floor))
        .await;
    let id = made["id"].as_str().unwrap().to_owned();

    // One photo stored whole before anything goes wrong.
    let kept = super::add_photo(&admin, &id, "kept.jpg", jpeg(1600, 1200, 200)).await;
    // Then several at once, and one that stops half-way through arriving.
    let mut uploads = Vec::new();
    for seed in 0..6u8 {
        let (admin, id) = (admin.clone(), id.clone());
        uploads.push(tokio::spawn(async move {
            super::upload(
                &admin,
                &format!("/api/products/{id}/images"),
                "many.jpg",
                jpeg(2400, 1800, seed),
                &[],
            )
            .await
            .status()
        }));
    }
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let partial = {
        let whole = jpeg(2000, 1500, 99);
        let half = whole[..whole.len() / 2].to_vec();
        sender.send(Ok(half)).await.expect("first half queued");
        let body = reqwest::Body::wrap_stream(tokio_stream_from(receiver));
        let part = reqwest::multipart::Part::stream(body).file_name("half.jpg");
        let form = reqwest::multipart::Form::new().part("file", part);
        let request = admin
            .request(reqwest::Method::POST, &format!("/api/products/{id}/images"))
            .multipart(form);
        tokio::spawn(async move { request.send().await.map(|r| r.status()) })
    };
    // Kill once the half upload is on the disk and at least one of the others is done.
    for _ in 0..2000 {
        let arriving = std::fs::read_dir(dir.path().join("files/incoming"))
            .map(|d| d.count())
            .unwrap_or(0);
        let done = uploads.iter().filter(|u| u.is_finished()).count();
        if arriving > 0 && done > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.child.kill().await.expect("killed");
    drop(sender);
    for upload in uploads {
        // Each either finished (201) or was cut off by the kill.
        if let Ok(status) = upload.await {
            assert_eq!(status, StatusCode::CREATED);
        }
    }
    let _ = partial.await;
    // A kill between writing a photo's copies and committing its record leaves copies
    // no record names: put one there as such a kill would.
    let stray = jpeg(64, 64, 123);
    let stray_hash = sarkar_crm::blobs::Blobs::open(dir.path())
        .expect("the files folder")
        .put_bytes(&stray)
        .expect("a stray blob")
        .to_string();

    let server = ServerProcess::start(dir.path()).await;
    let admin = server.login("owner").await;
    let named = named_and_served(&admin, &id).await;
    let kept_url = kept["url"].as_str().unwrap();
    assert!(
        named.contains(
            kept_url
                .trim_start_matches("/api/media/")
                .split('.')
                .next()
                .unwrap()
        )
    );
    let on_disk = blobs_in(dir.path());
    assert!(
        !on_disk.contains(&stray_hash),
        "the stray copy is cleaned up at start"
    );
    assert_eq!(
        on_disk, named,
        "exactly the files the records name are kept"
    );
    let incoming = std::fs::read_dir(dir.path().join("files/incoming"))
        .expect("incoming/")
        .count();
    assert_eq!(incoming, 0, "half-arrived uploads are cleaned up at start");
    expect_json(
        admin.get(&format!("/api/products/{id}")).await,
        StatusCode::OK,
    )
    .await;
    let _: Value = admin.get_json(&format!("/api/products/{id}/images")).await;
}

/// A stream of the chunks sent on `receiver`, for an upload that arrives slowly.
fn tokio_stream_from(
    mut receiver: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx))
}
