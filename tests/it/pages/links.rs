//! Every page address comes from `web::paths`: each route listed there is served, and no
//! page writes an address of its own by hand (which a renamed route would leave dead).

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use sarkar_crm::web::paths::PAGE_ROUTES;

use crate::helpers::TestApp;

/// A route pattern with its parameters filled in (`{id}`, and a photo's or document's,
/// with an id nothing has).
fn filled(pattern: &str) -> String {
    let nothing = "0190a5f2-0000-7000-8000-000000000000";
    pattern
        .replace("{id}", nothing)
        .replace("{photo}", nothing)
        .replace("{document}", nothing)
        .replace("{token}", "no-such-token")
}

#[tokio::test]
async fn every_listed_page_route_is_served() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for pattern in PAGE_ROUTES {
        let url = app.url(&filled(pattern));
        let get = client.get(&url).send().await.expect("GET");
        let post = client.post(&url).send().await.expect("POST");
        // An unknown address answers 404 to both; a route answers at least one of them
        // with something else (a redirect to sign in, 405 for the method it lacks, 403
        // for a form without its token, 410 for a used setup link).
        assert!(
            get.status() != StatusCode::NOT_FOUND || post.status() != StatusCode::NOT_FOUND,
            "{pattern} is listed in web::paths but not served (GET {}, POST {})",
            get.status(),
            post.status()
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/web/pages") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first segment of every page route (`customers`, `sales`…), as a page would
/// start writing one by hand.
fn route_heads() -> Vec<String> {
    let mut heads: Vec<String> = PAGE_ROUTES
        .iter()
        .filter_map(|p| p.split('/').nth(1))
        .filter(|head| !head.is_empty())
        .map(str::to_owned)
        .collect();
    heads.sort();
    heads.dedup();
    heads
}

#[test]
fn no_page_writes_an_address_by_hand() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/pages");
    let mut files = Vec::new();
    rust_files(&pages, &mut files);
    assert!(files.len() > 30, "found the page sources");
    let heads = route_heads();
    assert!(heads.contains(&"customers".to_owned()));
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        // Unit tests below `#[cfg(test)]` may spell addresses out as the input they test.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            // A quoted address, bare or at the start of a format string: `"/sales`,
            // `"/api/sales`, or the dashboard's `"/"`.
            let hand_written = heads.iter().any(|head| {
                line.contains(&format!("\"/{head}")) || line.contains(&format!("\"/api/{head}"))
            }) || line.contains("\"/\"")
                || line.contains("\"/?");
            if hand_written {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "build these links with web::paths instead:\n{}",
        found.join("\n")
    );
}
