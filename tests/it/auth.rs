use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, expect_json};

#[tokio::test]
async fn login_gives_a_token_and_a_cookie_that_both_work() {
    let app = TestApp::spawn().await;
    let response = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"username": "OWNER", "password": PASSWORD}),
        )
        .await;
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .expect("cookie set")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let body = expect_json(response, StatusCode::OK).await;
    assert_eq!(body["user"]["role"], "BUSINESS_ADMIN");
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 43, "at least 256 bits of token: {token}");

    let by_cookie = reqwest::Client::new()
        .get(app.url("/api/users/profile"))
        .header(COOKIE, cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_json(by_cookie, StatusCode::OK).await["username"],
        "owner"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let app = TestApp::spawn().await;
    let client = app.anonymous();
    let wrong = client
        .post(
            "/api/auth/login",
            &json!({"username": "owner", "password": "not the one"}),
        )
        .await;
    let wrong = expect_json(wrong, StatusCode::UNAUTHORIZED).await;
    let unknown = client
        .post(
            "/api/auth/login",
            &json!({"username": "nobody", "password": "not the one"}),
        )
        .await;
    let unknown = expect_json(unknown, StatusCode::UNAUTHORIZED).await;
    assert_eq!(wrong["detail"], unknown["detail"]);
}

#[tokio::test]
async fn requests_without_a_session_are_refused() {
    let app = TestApp::spawn().await;
    let response = app.anonymous().get("/api/customers").await;
    expect_json(response, StatusCode::UNAUTHORIZED).await;
    let forged = app
        .anonymous()
        .request(reqwest::Method::GET, "/api/customers")
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    expect_json(forged, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let response = admin.post("/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    expect_json(admin.get("/api/customers").await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn refresh_swaps_the_token() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = expect_json(
        admin.post("/api/auth/refresh", &json!({})).await,
        StatusCode::OK,
    )
    .await;
    let fresh = crate::helpers::Client {
        token: Some(body["token"].as_str().unwrap().to_owned()),
        ..admin.clone()
    };
    assert_ne!(fresh.token, admin.token);
    expect_json(fresh.get("/api/customers").await, StatusCode::OK).await;
    expect_json(admin.get("/api/customers").await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_cross_site_request_with_the_cookie_cannot_change_data() {
    let app = TestApp::spawn().await;
    let response = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"username": "owner", "password": PASSWORD}),
        )
        .await;
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let forged = reqwest::Client::new()
        .post(app.url("/api/customers"))
        .header(COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"name": "Forged", "phone": "9830012345"}))
        .send()
        .await
        .unwrap();
    expect_json(forged, StatusCode::FORBIDDEN).await;
    let admin = app.admin().await;
    assert_eq!(admin.get_json("/api/customers").await["total"], 0);
}

/// A box with no staff says on its sign-in page how to finish setting up; once someone
/// can sign in, the note is gone.
#[tokio::test]
async fn the_sign_in_page_of_a_box_without_staff_says_how_to_finish_setup() {
    let temp = tempfile::tempdir().expect("temp dir");
    let app = TestApp::start(temp.path()).await;
    let page = |app: &TestApp| {
        let url = app.url("/login");
        async move {
            let response = reqwest::get(url).await.expect("sign-in page");
            assert_eq!(response.status(), StatusCode::OK);
            response.text().await.expect("html")
        }
    };
    let empty = page(&app).await;
    assert!(
        empty.contains(r#"id="no-staff""#)
            && empty.contains(
                "This box has no staff yet: open the setup link the server printed in its console"
            )
            && empty.contains("sarkar-crm user add"),
        "{empty}"
    );
    app.add_user(
        "owner",
        sarkar_crm::domain::UserRole::BusinessAdmin,
        None,
        None,
    )
    .await;
    let staffed = page(&app).await;
    assert!(staffed.contains(r#"id="login-form""#) && !staffed.contains("no staff yet"));
}
