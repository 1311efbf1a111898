//! A product's photos through its page, as a Floor Manager's tablet sends them: added
//! from the form (`multipart/form-data` with the page's CSRF token), one made the cover,
//! one removed, the cover shown in the catalogue grid; a refused file comes back as the
//! product's page with why, and nothing is stored.

use reqwest::StatusCode;
use sarkar_crm::domain::UserRole;
use serde_json::Value;

use super::{PageClient, location};
use crate::files::{blobs_on_disk, incoming_on_disk, jpeg, pdf};
use crate::helpers::{Client, TestApp, floor, floor_id, product};

async fn photos_of(admin: &Client, product: &str) -> Vec<Value> {
    admin
        .get_json(&format!("/api/products/{product}/images"))
        .await["items"]
        .as_array()
        .expect("photos")
        .clone()
}

fn id(v: &Value) -> &str {
    v["id"].as_str().expect("an id")
}

#[tokio::test]
async fn a_floor_manager_adds_photos_chooses_the_cover_and_removes_one() {
    let app = TestApp::spawn().await;
    app.add_user(
        "gf.manager",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let admin = app.admin().await;
    let ground = floor_id(&admin, "Ground Floor").await;
    let made = admin
        .create("/api/products", &product("GN-501", &ground))
        .await;
    let necklace = id(&made);
    let page = format!("/products/{necklace}");
    let web = PageClient::sign_in(&app, "gf.manager").await;

    let (status, html) = web.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="no-photos""#), "no photos yet");
    let camera = html
        .find(r#"id="photo-camera""#)
        .expect("the camera's input");
    let files = html.find(r#"id="photo-file""#).expect("the files' input");
    assert!(camera < files, "the camera comes first on a tablet");
    assert!(html.contains(r#"capture="environment""#));

    let mut added = Vec::new();
    for (name, seed) in [("front.jpg", 1), ("side.jpg", 2)] {
        let sent = web
            .post_file(&format!("{page}/photos"), name, jpeg(1200, 900, seed), &[])
            .await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{name}");
        assert_eq!(location(&sent), format!("{page}?done=photo-added#photos"));
        added.push(name);
    }
    let photos = photos_of(&admin, necklace).await;
    assert_eq!(photos.len(), 2);
    let (first, second) = (id(&photos[0]).to_owned(), id(&photos[1]).to_owned());
    assert_eq!(photos[0]["cover"], true, "the first photo is the cover");

    let (_, html) = web.get(&format!("{page}?done=photo-added")).await;
    assert!(html.contains(r#"id="photo-notice""#));
    assert_eq!(html.matches("data-photo=").count(), 2);
    let srcset = photos[0]["srcset"].as_str().expect("srcset");
    assert!(
        html.contains(&format!(r#"srcset="{srcset}""#)),
        "every copy is offered"
    );
    assert!(html.contains(r#"loading="lazy""#) && html.contains("sizes=\"(max-width: 480px)"));
    assert!(
        html.contains(r#"width="240" height="180""#),
        "the small copy's size, so nothing jumps"
    );
    assert!(html.contains(r#"alt="22K Temple Necklace""#));
    assert!(html.contains("Make cover") && html.contains(&format!("remove-photo-{second}")));

    let cover = web
        .post_form(&format!("{page}/photos/{second}/cover"), &[])
        .await;
    assert_eq!(cover.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&cover), format!("{page}?done=cover#photos"));
    let photos = photos_of(&admin, necklace).await;
    assert_eq!(id(&photos[0]), second, "the cover comes first");
    assert_eq!(photos[0]["cover"], true);

    // The catalogue grid shows the new cover, in every size.
    let (_, grid) = web.get("/products").await;
    let srcset = photos[0]["srcset"].as_str().expect("srcset");
    assert!(
        grid.contains(&format!(r#"srcset="{srcset}""#)),
        "the cover in the grid"
    );
    assert!(grid.contains(r#"loading="lazy""#));
    let (_, table) = web.get("/products?view=list").await;
    assert!(!table.contains("srcset="), "the table shows no photos");

    let removed = web
        .post_form(&format!("{page}/photos/{first}/remove"), &[])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&removed),
        format!("{page}?done=photo-removed#photos")
    );
    let photos = photos_of(&admin, necklace).await;
    assert_eq!(photos.len(), 1);
    assert_eq!(id(&photos[0]), second);
}

#[tokio::test]
async fn a_refused_file_comes_back_to_the_product_page_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let made = admin
        .create("/api/products", &product("GN-502", &ground))
        .await;
    let necklace = id(&made);
    let page = format!("/products/{necklace}");
    let web = PageClient::sign_in(&app, "owner").await;
    let before = blobs_on_disk(&app);

    let html_page = b"<!doctype html><html><body>not a photo</body></html>".to_vec();
    for (name, bytes, says) in [
        ("necklace.jpg", html_page, "HTML"),
        ("necklace.jpg", pdf(4_000), "PDF"),
    ] {
        let sent = web
            .post_file(&format!("{page}/photos"), name, bytes, &[])
            .await;
        assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        let html = sent.text().await.expect("the page");
        assert!(
            html.contains("22K Temple Necklace"),
            "the product's own page"
        );
        let at = html.find(r#"id="photo-error""#).expect("the message");
        let message = &html[at..at + 300];
        assert!(
            message.contains("not added") && message.contains(says),
            "{message}"
        );
        assert!(
            html.contains(r#"id="photo-file""#),
            "the form, to try another file"
        );
    }
    assert!(photos_of(&admin, necklace).await.is_empty(), "no photo");
    assert_eq!(blobs_on_disk(&app), before, "no file kept");
    assert_eq!(incoming_on_disk(&app), 0, "no upload left behind");
}

#[tokio::test]
async fn another_floors_manager_sees_the_photos_but_cannot_change_them() {
    let app = TestApp::spawn().await;
    app.add_user(
        "ff.manager",
        UserRole::FloorManager,
        Some("First Floor"),
        None,
    )
    .await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    let made = admin
        .create("/api/products", &product("GN-503", &ground))
        .await;
    let necklace = id(&made);
    crate::files::add_photo(&admin, necklace, "front.jpg", jpeg(800, 600, 3)).await;
    let web = PageClient::sign_in(&app, "ff.manager").await;

    let (status, html) = web.get(&format!("/products/{necklace}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("data-photo=").count(), 1, "the photo shows");
    assert!(!html.contains(r#"id="photo-add""#) && !html.contains("Make cover"));
    assert!(!html.contains("remove-photo-"));
}
