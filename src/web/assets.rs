//! Static files embedded in the binary (CSS, scripts, fonts, icons), served under
//! content-hashed names so browsers may keep them for a year.
//!
//! Names are hashed once, at first use; a stylesheet's `url(/assets/…)` references are
//! rewritten to the hashed names before the stylesheet itself is hashed.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

#[derive(RustEmbed)]
#[folder = "assets/"]
#[exclude = "icons/*"]
#[exclude = "*.txt"]
struct Embedded;

#[derive(Debug)]
struct Asset {
    body: Vec<u8>,
    mime: String,
    etag: String,
}

#[derive(Debug, Default)]
struct Catalogue {
    /// Hashed name → file.
    files: HashMap<String, Asset>,
    /// Original path → `/assets/<hashed name>`.
    urls: HashMap<String, String>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(build);

fn hashed_name(path: &str, body: &[u8]) -> (String, String) {
    let digest = Sha256::digest(body);
    let hash: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    let name = match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{path}.{hash}"),
    };
    (name, hash)
}

fn build() -> Catalogue {
    let mut catalogue = Catalogue::default();
    let mut paths: Vec<String> = Embedded::iter().map(|p| p.into_owned()).collect();
    // Stylesheets last, so the files they point at already have their hashed names.
    paths.sort_by_key(|p| p.ends_with(".css"));
    for path in paths {
        let Some(file) = Embedded::get(&path) else {
            continue;
        };
        let mut body = file.data.into_owned();
        if path.ends_with(".css") {
            let mut text = String::from_utf8_lossy(&body).into_owned();
            for (original, url) in &catalogue.urls {
                text = text.replace(&format!("url(/assets/{original})"), &format!("url({url})"));
            }
            body = text.into_bytes();
        }
        let (name, hash) = hashed_name(&path, &body);
        let mime = file.metadata.mimetype().to_owned();
        catalogue
            .urls
            .insert(path.clone(), format!("/assets/{name}"));
        catalogue.files.insert(
            name,
            Asset {
                body,
                mime,
                etag: format!("\"{hash}\""),
            },
        );
    }
    catalogue
}

/// The address of an embedded file, e.g. `url("app.css")` → `/assets/app.1a2b3c4d5e6f.css`.
/// A name that is not embedded is a programming error, caught by the tests that render
/// every page; it yields an address that answers 404.
pub fn url(path: &str) -> &'static str {
    CATALOGUE
        .urls
        .get(path)
        .map_or("/assets/missing", String::as_str)
}

/// `GET /assets/{name}`: a hashed file, cached for a year by the browser.
pub async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = CATALOGUE.files.get(&name) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == asset.etag.as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut response = asset.body.clone().into_response();
    let h = response.headers_mut();
    if let Ok(mime) = HeaderValue::from_str(&asset.mime) {
        h.insert(header::CONTENT_TYPE, mime);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        h.insert(header::ETAG, etag);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_gets_a_hashed_address_and_css_points_at_them() {
        let css_url = url("fonts.css");
        assert!(css_url.starts_with("/assets/fonts.") && css_url.ends_with(".css"));
        let css_name = css_url.trim_start_matches("/assets/");
        let css = String::from_utf8_lossy(&CATALOGUE.files[css_name].body).into_owned();
        assert!(
            !css.contains("url(/assets/fonts/noto-sans-latin-400-normal.woff2)"),
            "unrewritten font url"
        );
        assert!(css.contains(url("fonts/noto-sans-latin-400-normal.woff2")));
        assert!(url("vendor/htmx-2.0.11.min.js").ends_with(".js"));
        assert_eq!(url("nope.css"), "/assets/missing");
    }
}
