//! Product photos: copies made on the box and served by their content, the cover, the
//! same photo stored once, refusals that leave nothing behind, and a decompression bomb
//! refused without the server's memory jumping.

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use serde_json::Value;

use super::{add_photo, blobs_on_disk, incoming_on_disk, jpeg, upload};
use crate::helpers::{
    Client, ServerProcess, TestApp, cli_add_user, expect_field_problem, expect_json, product,
};

async fn a_product(admin: &Client, sku: &str, floor: &str) -> String {
    let made = admin.create("/api/products", &product(sku, floor)).await;
    made["id"].as_str().expect("product id").to_owned()
}

async fn bytes_of(client: &Client, url: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = client.get(url).await;
    let status = response.status();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.bytes().await.expect("body").to_vec(),
    )
}

#[tokio::test]
async fn a_photo_is_uploaded_shown_in_every_size_and_removed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = super::ground_floor(&admin).await;
    let id = a_product(&admin, "GN-101", &ground).await;

    let photo = add_photo(&admin, &id, "necklace.jpg", jpeg(2000, 1500, 1)).await;
    assert_eq!(photo["kind"], "product_photo");
    assert_eq!(photo["cover"], true, "the first photo is the cover");
    assert_eq!(
        (photo["width"].as_u64(), photo["height"].as_u64()),
        (Some(2000), Some(1500))
    );
    let srcset = photo["srcset"].as_str().expect("a srcset");
    let copies: Vec<(&str, &str)> = srcset
        .split(", ")
        .map(|c| c.split_once(' ').expect("URL WIDTHw"))
        .collect();
    let widths: Vec<&str> = copies.iter().map(|c| c.1).collect();
    assert_eq!(widths, ["240w", "480w", "960w", "1600w"]);

    // Each copy is a JPEG of its width, kept by the browser for a year.
    for (url, width) in &copies {
        let (status, headers, body) = bytes_of(&admin, url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        assert_eq!(headers["content-type"], "image/jpeg");
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        let decoded = image::load_from_memory(&body).expect("a picture");
        assert_eq!(format!("{}w", decoded.width()), *width);
    }
    // Asked again with its ETag, the browser is told it has it.
    let (url, _) = copies[0];
    let again = admin
        .request(reqwest::Method::GET, url)
        .header("if-none-match", format!("\"{}\"", &url[11..75]))
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let listed = admin.get_json(&format!("/api/products/{id}/images")).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(blobs_on_disk(&app).len(), 4);

    let photo_id = photo["id"].as_str().unwrap();
    let removed = admin
        .delete(&format!("/api/products/{id}/images/{photo_id}"))
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let listed = admin.get_json(&format!("/api/products/{id}/images")).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0));
    // No record names the copies now: they go at the next clean-up, and are not served.
    let removed = app
        .crm()
        .clean_up_files(std::time::Duration::ZERO)
        .expect("clean-up");
    assert_eq!(removed.files, 4);
    assert!(blobs_on_disk(&app).is_empty());
    assert_eq!(bytes_of(&admin, copies[0].0).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_same_photo_is_stored_once_and_not_twice_on_one_product() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = super::ground_floor(&admin).await;
    let ring = a_product(&admin, "RG-1", &ground).await;
    let bangle = a_product(&admin, "BG-1", &ground).await;
    let picture = jpeg(1200, 900, 7);

    let first = add_photo(&admin, &ring, "IMG_0001.jpg", picture.clone()).await;
    let stored = blobs_on_disk(&app);
    let second = add_photo(&admin, &bangle, "IMG_0001 (1).jpg", picture.clone()).await;
    assert_eq!(first["sha256"], second["sha256"]);
    assert_eq!(blobs_on_disk(&app), stored, "the copies are stored once");

    let twice = upload(
        &admin,
        &format!("/api/products/{ring}/images"),
        "again.jpg",
        picture,
        &[],
    )
    .await;
    expect_json(twice, StatusCode::CONFLICT).await;
    // Removing it from one product leaves the other's photo whole.
    let first_id = first["id"].as_str().unwrap();
    admin
        .delete(&format!("/api/products/{ring}/images/{first_id}"))
        .await;
    app.crm()
        .clean_up_files(std::time::Duration::ZERO)
        .expect("clean-up");
    assert_eq!(blobs_on_disk(&app), stored);
    let url = second["url"].as_str().unwrap();
    assert_eq!(bytes_of(&admin, url).await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_cover_is_chosen_and_moves_on_when_removed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = super::ground_floor(&admin).await;
    let id = a_product(&admin, "ER-9", &ground).await;
    let front = add_photo(&admin, &id, "front.jpg", jpeg(800, 600, 1)).await;
    let side = add_photo(&admin, &id, "side.jpg", jpeg(800, 600, 2)).await;
    assert_eq!(side["cover"], false);

    let side_id = side["id"].as_str().unwrap();
    let chosen = admin
        .post(
            &format!("/api/products/{id}/images/{side_id}/cover"),
            &Value::Null,
        )
        .await;
    assert_eq!(expect_json(chosen, StatusCode::OK).await["cover"], true);
    let listed = admin.get_json(&format!("/api/products/{id}/images")).await;
    assert_eq!(
        listed["items"][0]["id"], side["id"],
        "the cover comes first"
    );
    assert_eq!(listed["items"][1]["cover"], false);

    admin
        .delete(&format!("/api/products/{id}/images/{side_id}"))
        .await;
    let listed = admin.get_json(&format!("/api/products/{id}/images")).await;
    assert_eq!(listed["items"][0]["id"], front["id"]);
    assert_eq!(listed["items"][0]["cover"], true);
}

#[tokio::test]
async fn files_that_are_not_photos_are_refused_and_leave_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = super::ground_floor(&admin).await;
    let id = a_product(&admin, "NP-1", &ground).await;
    let path = format!("/api/products/{id}/images");

    let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec();
    let problem = expect_field_problem(
        upload(&admin, &path, "photo.jpg", html, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "file",
    )
    .await;
    assert!(
        problem["detail"].as_str().unwrap().contains("HTML"),
        "{problem}"
    );

    let mut truncated = jpeg(800, 600, 3);
    truncated.truncate(600);
    expect_field_problem(
        upload(&admin, &path, "cut.jpg", truncated, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "file",
    )
    .await;

    // An iPhone's HEIC photo: refused with what to change on the phone.
    let heic = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/images/photo.heic"
    ))
    .expect("the HEIC fixture");
    let problem = expect_field_problem(
        upload(&admin, &path, "IMG_1234.HEIC", heic, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "file",
    )
    .await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Most Compatible"),
        "{problem}"
    );

    let pdf = super::pdf(2000);
    expect_field_problem(
        upload(&admin, &path, "catalogue.pdf", pdf, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "file",
    )
    .await;

    let slashed = upload(
        &admin,
        &path,
        "../../etc/passwd.jpg",
        jpeg(300, 200, 4),
        &[],
    )
    .await;
    expect_field_problem(slashed, StatusCode::UNPROCESSABLE_ENTITY, "file").await;

    // Over `files.photo_max_mb` (5): refused while it arrives.
    let mut huge = jpeg(300, 200, 5);
    huge.resize(6 * 1024 * 1024, 0);
    expect_json(
        upload(&admin, &path, "huge.jpg", huge, &[]).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    let listed = admin.get_json(&path).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0));
    assert!(blobs_on_disk(&app).is_empty());
    assert_eq!(incoming_on_disk(&app), 0, "refused uploads are not kept");
}

/// The highest resident memory the process `pid` has had, in KiB (`VmHWM`): a
/// decoder that took a gigabyte and gave it back still shows here.
fn peak_rss_kib(pid: u32) -> u64 {
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_without_the_memory_jumping() {
    // The server runs as its own process, so its memory is its own and not that of the
    // tests running beside this one.
    let dir = tempfile::tempdir().expect("temp dir");
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
    let pid = server.child.id().expect("the server's pid");
    let admin = server.login("owner").await;
    let ground = super::ground_floor(&admin).await;
    let id = a_product(&admin, "BM-1", &ground).await;
    // A normal photo first, so the memory a photo takes is already counted.
    super::add_photo(&admin, &id, "normal.jpg", jpeg(1600, 1200, 8)).await;
    // A 70 KB PNG of 24,000 pixels a side, every row there: decoded, it would take
    // 576 MB.
    let bomb = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/images/bomb-whole.png"
    ))
    .expect("the bomb fixture");
    assert!(bomb.len() < 100 * 1024);
    let before = peak_rss_kib(pid);
    let refused = upload(
        &admin,
        &format!("/api/products/{id}/images"),
        "bomb.png",
        bomb,
        &[],
    )
    .await;
    let status = refused.status();
    let after = peak_rss_kib(pid);
    assert!(
        after < before + 32 * 1024,
        "the server's peak memory grew from {before} KiB to {after} KiB"
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = expect_field_problem(refused, StatusCode::UNPROCESSABLE_ENTITY, "file").await;
    assert!(
        problem["detail"].as_str().unwrap().contains("pixels"),
        "{problem}"
    );
    let listed = admin.get_json(&format!("/api/products/{id}/images")).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "nothing of the bomb is kept"
    );
    server.child.kill().await.expect("stopped");
}

#[tokio::test]
async fn a_floor_manager_adds_photos_to_their_own_floors_products_only() {
    let app = TestApp::spawn().await;
    app.add_user(
        "gf.manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let admin = app.admin().await;
    let ground = super::ground_floor(&admin).await;
    let first = crate::helpers::floor(&admin, "First Floor", 1).await;
    let own = a_product(&admin, "GF-7", &ground).await;
    let theirs = a_product(&admin, "FF-7", &first).await;
    let gf = app.login("gf.manager").await;

    add_photo(&gf, &own, "own.jpg", jpeg(640, 480, 1)).await;
    let refused = upload(
        &gf,
        &format!("/api/products/{theirs}/images"),
        "theirs.jpg",
        jpeg(640, 480, 2),
        &[],
    )
    .await;
    expect_json(refused, StatusCode::FORBIDDEN).await;
    // Everyone may look at the catalogue's photos.
    let photo = add_photo(&admin, &theirs, "admin.jpg", jpeg(640, 480, 3)).await;
    let listed = gf.get_json(&format!("/api/products/{theirs}/images")).await;
    assert_eq!(listed["items"][0]["id"], photo["id"]);
    assert_eq!(
        bytes_of(&gf, photo["url"].as_str().unwrap()).await.0,
        StatusCode::OK
    );
    // Another store sees neither the product nor its photos.
    app.add_user(
        "other.owner",
        UserRole::BusinessAdmin,
        None,
        Some("Other Jewellers"),
    )
    .await;
    let other = app.login("other.owner").await;
    expect_json(
        other.get(&format!("/api/products/{theirs}/images")).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        bytes_of(&other, photo["url"].as_str().unwrap()).await.0,
        StatusCode::NOT_FOUND
    );
}
