//! Product photos in a real browser. On an upright tablet a Floor Manager adds two photos
//! to a product of their floor through the file input, makes the second the cover, and
//! finds it loaded in the catalogue grid; the product page and the grid are photographed
//! on a phone, a tablet and a laptop. Then the grid's weight: 48 products with a photo
//! each, opened with an empty cache, must arrive in 400 KB or less, everything counted.

use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use super::flows::{look_at, sign_in};
use super::{Browser, LANDSCAPE, PHONE, TABLET_PORTRAIT};
use crate::files::add_photo;
use crate::helpers::{Client, PASSWORD, TestApp, floor, floor_id, product};

/// What the grid may weigh on an upright tablet with an empty cache: the page, its
/// stylesheets, scripts and fonts, and the photos in and near the first screen.
const BUDGET_BYTES: u64 = 400 * 1024;

/// A photo-like JPEG: a gold ring on a soft backdrop with a camera's grain, so that its
/// copies weigh what a real photo's do (a smooth gradient would weigh far less).
fn photo(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let mut noise = u32::from(seed).wrapping_mul(2_654_435_761) | 1;
    let (w, h) = (f64::from(width), f64::from(height));
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let grain = f64::from(noise % 15) - 7.0;
        let (dx, dy) = (f64::from(x) - w / 2.0, f64::from(y) - h / 2.0);
        let r = (dx * dx + dy * dy).sqrt() / w.min(h);
        let shade = 1.0 - f64::from(y) / h * 0.25;
        let [red, green, blue] = if (0.22..0.34).contains(&r) {
            let light = 0.75 + 0.25 * (dx.atan2(dy) * 3.0 + f64::from(seed)).sin();
            [212.0 * light, 172.0 * light, 60.0 * light]
        } else {
            [236.0 * shade, 228.0 * shade, 220.0 * shade]
        };
        let channel = |v: f64| (v + grain).clamp(0.0, 255.0) as u8;
        image::Rgb([channel(red), channel(green), channel(blue)])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&picture)
        .expect("a JPEG");
    out
}

async fn a_product(admin: &Client, sku: &str, name: &str, floor: &str) -> String {
    let mut body = product(sku, floor);
    body["name"] = json!(name);
    let made = admin.create("/api/products", &body).await;
    made["id"].as_str().expect("product id").to_owned()
}

/// The number of photos the product's page shows.
async fn photos_shown(browser: &Browser) -> u64 {
    browser
        .execute(
            "return document.querySelectorAll('[data-photo]').length;",
            vec![],
        )
        .await
        .as_u64()
        .expect("a count")
}

#[tokio::test]
async fn a_floor_manager_adds_photos_and_finds_the_cover_in_the_grid() {
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
    // Pieces without photos, drawn with the gem instead, and the one photographed here,
    // newest, so first in the grid.
    for (n, name) in ["Temple jhumka pair", "Kangan bangle", "Silver payal"]
        .iter()
        .enumerate()
    {
        a_product(&admin, &format!("GN-60{n}"), name, &ground).await;
    }
    let necklace = a_product(&admin, "GN-610", "Rani haar necklace", &ground).await;
    let files = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for (name, seed) in [("front.jpg", 1), ("clasp.jpg", 2)] {
        let path = files.path().join(name);
        std::fs::write(&path, photo(1200, 900, seed)).expect("a photo");
        paths.push(path);
    }

    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    let page = format!("/products/{necklace}");
    sign_in(&browser, "gf.manager", &page).await;
    for (added, path) in (1..).zip(&paths) {
        let input = browser.wait_for("#photo-file").await;
        input
            .send_keys(path.to_str().expect("a path"))
            .await
            .expect("the photo is chosen");
        browser
            .poll("the photo on the page", async || {
                (photos_shown(&browser).await == added).then_some(())
            })
            .await;
    }
    browser.wait_for_text("#photo-notice", "Photo added").await;
    browser.click(".photo-tile:nth-child(2) .make-cover").await;
    browser.wait_for_text("#photo-notice", "cover").await;
    let photos = admin
        .get_json(&format!("/api/products/{necklace}/images"))
        .await;
    let cover = &photos["items"][0];
    assert_eq!(cover["cover"], true);
    assert_eq!(cover["name"], "clasp.jpg", "the second photo is the cover");
    let first_tile = browser
        .execute(
            "return document.querySelector('.photo-tile').getAttribute('data-photo');",
            vec![],
        )
        .await;
    assert_eq!(first_tile, cover["id"], "the cover is drawn first");

    for (viewport, name) in [
        (PHONE, "photos-product-360x740"),
        (TABLET_PORTRAIT, "photos-product-800x1280"),
        (LANDSCAPE, "photos-product-1280x800"),
    ] {
        browser.resize(viewport).await;
        look_at(&browser, &page, name, viewport).await;
    }
    browser.resize(TABLET_PORTRAIT).await;

    // The grid: the cover loaded, from one of its copies.
    browser.goto("/products").await;
    let copies: Vec<String> = cover["srcset"]
        .as_str()
        .expect("srcset")
        .split(", ")
        .filter_map(|c| c.split(' ').next())
        .map(str::to_owned)
        .collect();
    let shown = browser
        .poll("the cover to load in the grid", async || {
            let img = browser
                .execute(
                    "const i = document.querySelector('.product-card img');
                     return i && i.complete ? [i.naturalWidth, i.currentSrc] : null;",
                    vec![],
                )
                .await;
            (!img.is_null()).then_some(img)
        })
        .await;
    assert!(
        shown[0].as_u64().unwrap_or(0) > 0,
        "the cover drew: {shown}"
    );
    let source = shown[1].as_str().expect("currentSrc");
    assert!(
        copies.iter().any(|c| source.ends_with(c.as_str())),
        "{source} is one of the cover's copies {copies:?}"
    );
    assert_eq!(
        browser
            .execute(
                "return document.querySelectorAll('.product-card .no-photo').length;",
                vec![]
            )
            .await,
        json!(3),
        "the pieces without a photo show the gem"
    );
    for (viewport, name) in [
        (PHONE, "photos-grid-360x740"),
        (TABLET_PORTRAIT, "photos-grid-800x1280"),
        (LANDSCAPE, "photos-grid-1280x800"),
    ] {
        browser.resize(viewport).await;
        look_at(&browser, "/products", name, viewport).await;
    }
    browser.close().await;
}

/// Signs in with `fetch`, from a page that loads nothing else, so that the browser's
/// cache is still empty when the page measured is opened.
async fn sign_in_quietly(browser: &Browser, username: &str) {
    browser.goto("/favicon.svg").await;
    let signed_in = browser
        .client()
        .execute_async(
            "const [username, password, done] = arguments;
             fetch('/login').then(r => r.text()).then(html => {
               const csrf = html.match(/name=\"_csrf\" value=\"([^\"]+)\"/)[1];
               const form = new URLSearchParams({_csrf: csrf, username, password, next: '/'});
               return fetch('/login', {method: 'POST', body: form});
             }).then(r => done(r.ok && !r.url.includes('/login')), () => done(false));",
            vec![json!(username), json!(PASSWORD)],
        )
        .await
        .expect("sign in with fetch");
    assert_eq!(signed_in, json!(true), "signed in");
}

/// Everything the page fetched once it has loaded and its images in view have arrived:
/// the bytes over the wire (`transferSize`) of the page and every resource, how many
/// photos were fetched, and each resource, for a failure's message.
async fn transferred(browser: &Browser) -> Value {
    browser
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const settled = () => Array.from(document.images)
               .filter(i => i.getBoundingClientRect().top < innerHeight)
               .every(i => i.complete);
             const measure = () => {
               const entries = performance.getEntriesByType('navigation')
                 .concat(performance.getEntriesByType('resource'));
               done({
                 total: entries.reduce((sum, e) => sum + e.transferSize, 0),
                 photos: entries.filter(e => e.name.includes('/api/media/')).length,
                 entries: entries.map(e => [e.name.replace(location.origin, ''), e.transferSize]),
               });
             };
             const wait = () => settled() ? setTimeout(measure, 1000) : setTimeout(wait, 50);
             if (document.readyState === 'complete') { wait(); }
             else { addEventListener('load', wait); }",
            vec![],
        )
        .await
        .expect("the page's transfers")
}

#[tokio::test]
async fn the_grid_of_48_photographed_products_weighs_under_400_kb() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let ground = floor(&admin, "Ground Floor", 0).await;
    for n in 0..48u8 {
        let id = a_product(&admin, &format!("GN-{n:03}"), "Rani haar necklace", &ground).await;
        add_photo(&admin, &id, "front.jpg", photo(960, 720, n)).await;
    }

    let browser = Browser::open(&app, TABLET_PORTRAIT).await;
    sign_in_quietly(&browser, "owner").await;
    browser.goto("/products").await;
    let sent = transferred(&browser).await;
    let total = sent["total"].as_u64().expect("a total");
    let photos = sent["photos"].as_u64().expect("a count");
    println!(
        "the catalogue grid of 48 photographed products at 800×1280, empty cache: {:.1} KB in all, {photos} photos fetched",
        total as f64 / 1024.0
    );
    assert_eq!(
        browser
            .execute(
                "return document.querySelectorAll('.product-card img').length;",
                vec![]
            )
            .await,
        json!(48),
        "every card has its photo"
    );
    assert!(
        photos > 0 && photos < 48,
        "the photos far below the first screen wait until scrolled to ({photos} fetched)"
    );
    assert!(
        total <= BUDGET_BYTES,
        "the grid took {total} bytes, over {BUDGET_BYTES}: {:#}",
        sent["entries"]
    );
    browser.assert_no_console_errors().await;
    browser.close().await;
}
