//! Forms are refused without this session's CSRF token or from another site, a Floor
//! Manager typing an admin address is refused, and assets are cached by content.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

use super::{PageClient, location};
use crate::helpers::TestApp;
use sarkar_crm::domain::UserRole;

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, HeaderValue::from_static(value));
    }
    map
}

async fn last_change(app: &TestApp) -> u64 {
    app.crm().last_change().expect("last change")
}

#[tokio::test]
async fn a_form_without_the_token_or_from_another_site_changes_nothing() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let before = last_change(&app).await;
    let fields = [("name", "Forged Customer"), ("phone", "9831000009")];

    let no_token = pages
        .post_raw(
            "/customers",
            &fields,
            headers(&[("sec-fetch-site", "same-origin")]),
        )
        .await;
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    assert!(
        no_token
            .text()
            .await
            .expect("body")
            .contains("reload the page")
    );

    let wrong_token = [("_csrf", "not-the-token"), fields[0], fields[1]];
    let response = pages
        .post_raw(
            "/customers",
            &wrong_token,
            headers(&[("sec-fetch-site", "same-origin")]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let with_token = [("_csrf", pages.csrf.as_str()), fields[0], fields[1]];
    let cross = pages
        .post_raw(
            "/customers",
            &with_token,
            headers(&[("sec-fetch-site", "cross-site")]),
        )
        .await;
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    let same_site = pages
        .post_raw(
            "/customers",
            &with_token,
            headers(&[("sec-fetch-site", "same-site")]),
        )
        .await;
    assert_eq!(same_site.status(), StatusCode::FORBIDDEN);
    let other_origin = pages
        .post_raw(
            "/customers",
            &with_token,
            headers(&[("origin", "http://evil.example")]),
        )
        .await;
    assert_eq!(other_origin.status(), StatusCode::FORBIDDEN);

    // The API with the session cookie needs the header token too.
    let api_forged = pages
        .http
        .post(format!("{}/api/customers", pages.base))
        .json(&serde_json::json!({"name": "Forged Customer", "phone": "9831000009"}))
        .send()
        .await
        .expect("request");
    assert_eq!(api_forged.status(), StatusCode::FORBIDDEN);

    let signed_out = pages
        .post_raw("/logout", &[], headers(&[("sec-fetch-site", "cross-site")]))
        .await;
    assert_eq!(
        signed_out.status(),
        StatusCode::FORBIDDEN,
        "no forged sign-out either"
    );

    assert_eq!(last_change(&app).await, before, "nothing was written");
    let listed: Value = app
        .admin()
        .await
        .get("/api/customers")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["total"], 0);

    // The same form with the token, from the page, works.
    let ok = pages.post_form("/customers", &fields).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_in_needs_its_own_token_and_sign_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let forged = http
        .post(app.url("/login"))
        .form(&[
            ("username", "owner"),
            ("password", crate::helpers::PASSWORD),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "no login CSRF");

    let pages = PageClient::sign_in(&app, "owner").await;
    let wrong = {
        let html = pages
            .http
            .get(format!("{}/login", pages.base))
            .send()
            .await
            .expect("login")
            .text()
            .await
            .expect("body");
        // Already signed in: the sign-in page sends you on.
        assert!(!html.contains("login-form"), "signed in already");
        pages.get("/").await.0
    };
    assert_eq!(wrong, StatusCode::OK);
    let out = pages.post_form("/logout", &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&out), "/login");
    let (status, _) = pages.get("/customers").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
}

#[tokio::test]
async fn a_wrong_password_keeps_the_username_and_says_so() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let page = http
        .get(app.url("/login?next=/customers"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    let token = super::csrf_in(&page);
    let response = http
        .post(app.url("/login"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("_csrf", token.as_str()),
            ("username", "owner"),
            ("password", "wrong password"),
            ("next", "/customers"),
        ])
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.expect("body");
    assert!(html.contains("Wrong username or password") && html.contains(r#"value="owner""#));
    assert!(html.contains(r#"name="next" value="/customers""#));
}

#[tokio::test]
async fn a_floor_manager_is_refused_admin_pages_and_reads_the_catalogue_ones() {
    let app = TestApp::spawn().await;
    app.add_user("ananya", UserRole::FloorManager, Some("Ground Floor"), None)
        .await;
    let pages = PageClient::sign_in(&app, "ananya").await;
    let (_, home) = pages.get("/").await;
    for admin_link in [
        r#"href="/team""#,
        r#"href="/floors""#,
        r#"href="/categories""#,
        r#"href="/settings""#,
    ] {
        assert!(!home.contains(admin_link), "{admin_link} not offered");
    }
    assert!(home.contains(r#"href="/customers""#));
    let (status, html) = pages.get("/team").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "/team");
    assert!(html.contains("Business Admin"), "/team says who may");
    // The floors, categories and store details are theirs to read, as the API serves
    // them; the forms that change them are not offered.
    for (path, form) in [
        ("/floors", "add-floor"),
        ("/categories", "add-category"),
        ("/settings", "settings-form"),
    ] {
        let (status, html) = pages.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !html.contains(&format!(r#"id="{form}""#)),
            "{path} offers no form"
        );
    }
}

#[tokio::test]
async fn assets_have_hashed_names_and_a_long_life() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let (_, home) = pages.get("/").await;
    let at = home.find("/assets/app.").expect("stylesheet link");
    let href = &home[at..at + home[at..].find('"').expect("quote")];
    let response = pages
        .http
        .get(format!("{}{href}", pages.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("css");
    assert_eq!(response.status(), StatusCode::OK);
    let h = response.headers();
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["content-type"], "text/css");
    assert_eq!(h["content-encoding"], "gzip");
    let page = pages
        .http
        .get(format!("{}/", pages.base))
        .send()
        .await
        .expect("page");
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .contains("script-src 'self'")
    );
    assert_eq!(page.headers()["cache-control"], "no-store");
    let missing = pages
        .http
        .get(format!("{}/assets/app.0000.css", pages.base))
        .send()
        .await
        .expect("missing");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
