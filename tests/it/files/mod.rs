//! Stored files: product photos, customer documents and the logo, through the API as
//! a tablet and a laptop use it; backups and a kill -9 part-way through an upload.

mod crash;
mod documents;
mod photos;

use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::helpers::{Client, TestApp, expect_json};

/// A photo-like JPEG: a gradient with `seed` in the blue, so two seeds differ.
pub fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            u8::try_from(x * 255 / width).unwrap_or(255),
            u8::try_from(y * 255 / height).unwrap_or(255),
            seed,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&picture)
        .expect("a JPEG");
    out
}

/// A letterhead-shaped PNG logo, 4:1: a maroon bar with a gold disc, on a see-through
/// background, so its copies stay PNG.
pub fn logo_png() -> Vec<u8> {
    let (width, height) = (640u32, 160u32);
    let picture = image::RgbaImage::from_fn(width, height, |x, y| {
        let (dx, dy) = (x as f32 - 80.0, y as f32 - 80.0);
        if dx * dx + dy * dy < 60.0 * 60.0 {
            image::Rgba([201, 151, 0, 255])
        } else if (170..620).contains(&x) && (50..110).contains(&y) {
            image::Rgba([140, 29, 64, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgba8(picture)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("a PNG");
    out.into_inner()
}

/// A PDF's first bytes padded to `bytes` long (the store keeps documents as they come).
pub fn pdf(bytes: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    out.resize(bytes.saturating_sub(6), b' ');
    out.extend_from_slice(b"%%EOF\n");
    out
}

/// Sends `bytes` as the form's `file` part named `name`, with `fields` beside it.
pub async fn upload(
    client: &Client,
    path: &str,
    name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> Response {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    for (key, value) in fields {
        form = form.text((*key).to_owned(), (*value).to_owned());
    }
    client
        .request(Method::POST, path)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

/// Uploads a product photo and answers the stored file.
pub async fn add_photo(client: &Client, product: &str, name: &str, bytes: Vec<u8>) -> Value {
    let response = upload(
        client,
        &format!("/api/products/{product}/images"),
        name,
        bytes,
        &[],
    )
    .await;
    expect_json(response, StatusCode::CREATED).await
}

/// The id of the store's "Ground Floor", made if the store has no such floor yet.
pub async fn ground_floor(admin: &Client) -> String {
    let floors = admin.get_json("/api/floors").await;
    let found = floors["items"]
        .as_array()
        .expect("floors")
        .iter()
        .find(|f| f["name"] == "Ground Floor")
        .and_then(|f| f["id"].as_str().map(str::to_owned));
    match found {
        Some(id) => id,
        None => crate::helpers::floor(admin, "Ground Floor", 0).await,
    }
}

/// The blobs in the data directory's `files/` folder (not counting uploads arriving).
pub fn blobs_on_disk(app: &TestApp) -> Vec<String> {
    let root = app.data_dir().join("files");
    let mut found = Vec::new();
    for folder in std::fs::read_dir(&root).expect("files/").flatten() {
        if folder.file_name() == "incoming" {
            continue;
        }
        for blob in std::fs::read_dir(folder.path())
            .expect("a blob folder")
            .flatten()
        {
            found.push(blob.file_name().to_string_lossy().into_owned());
        }
    }
    found.sort();
    found
}

/// The files waiting in `files/incoming/`.
pub fn incoming_on_disk(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_dir().join("files/incoming"))
        .map(|d| d.count())
        .unwrap_or(0)
}
