//! The admin pages (floors, categories, team, settings) and everyone's profile over
//! HTTP: real data shown, forms that keep what was typed and store nothing on a
//! mistake, inline (htmx) edits, and a Floor Manager kept out of the admin pages.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use super::{PageClient, location};
use crate::helpers::{PASSWORD, TestApp, expect_json, floor};

/// A request as htmx sends it from a page of this site.
fn htmx() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    headers.insert("hx-request", HeaderValue::from_static("true"));
    headers
}

async fn htmx_get(pages: &PageClient, path: &str) -> (StatusCode, String) {
    let response = pages
        .http
        .get(format!("{}{path}", pages.base))
        .headers(htmx())
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

async fn json_list(app: &TestApp, path: &str) -> Vec<Value> {
    let body = app.admin().await.get_json(path).await;
    body["items"].as_array().expect("a list").clone()
}

fn id_named(list: &[Value], name: &str) -> String {
    list.iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {list:?}"))["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[tokio::test]
async fn floors_are_added_edited_inline_removed_and_restored() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;

    let bad = pages
        .post_form(
            "/floors",
            &[("name", "Ground Floor — Gold"), ("level", "ground")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("body");
    assert!(
        html.contains(r#"id="error-level""#),
        "level error next to the field"
    );
    assert!(
        html.contains(r#"value="Ground Floor — Gold""#),
        "typed name kept"
    );
    assert!(
        json_list(&app, "/api/floors").await.is_empty(),
        "nothing stored"
    );

    let good = pages
        .post_form(
            "/floors",
            &[
                ("name", "Ground Floor — Gold"),
                ("level", "0"),
                ("description", "Bangles and chains"),
            ],
        )
        .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&good), "/floors?done=created");
    let (status, html) = pages.get("/floors?done=created").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ground Floor — Gold") && html.contains("Bangles and chains"));
    let id = id_named(&json_list(&app, "/api/floors").await, "Ground Floor — Gold");

    // Inline: the edit row, a mistake shown in the row, then the saved row.
    let (status, row) = htmx_get(&pages, &format!("/floors/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        row.starts_with("<tr") && row.contains(&format!(r#"hx-post="/floors/{id}""#)),
        "{row}"
    );
    let csrf = pages.csrf.clone();
    let wrong = pages
        .post_raw(
            &format!("/floors/{id}"),
            &[("_csrf", &csrf), ("name", ""), ("level", "0")],
            htmx(),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let row = wrong.text().await.expect("body");
    assert!(
        row.contains("field-error") && row.contains("<form"),
        "{row}"
    );
    let saved = pages
        .post_raw(
            &format!("/floors/{id}"),
            &[("_csrf", &csrf), ("name", "Ground Floor"), ("level", "0")],
            htmx(),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let row = saved.text().await.expect("body");
    assert!(
        row.starts_with("<tr") && row.contains("Ground Floor") && !row.contains("<form"),
        "{row}"
    );

    // Without JavaScript: the edit page and a plain form post.
    let (status, page) = pages.get(&format!("/floors/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"id="floor-form""#) && page.contains(r#"value="Ground Floor""#));
    let plain = pages
        .post_form(
            &format!("/floors/{id}"),
            &[("name", "Ground Floor — Gold"), ("level", "0")],
        )
        .await;
    assert_eq!(location(&plain), "/floors?done=saved");

    let removed = pages.post_form(&format!("/floors/{id}/delete"), &[]).await;
    assert_eq!(location(&removed), "/floors?done=deleted");
    assert!(json_list(&app, "/api/floors").await.is_empty());
    let (_, html) = pages.get("/floors").await;
    assert!(
        html.contains(r#"id="removed-floors""#) && html.contains(&format!("/floors/{id}/restore"))
    );

    let restored = pages.post_form(&format!("/floors/{id}/restore"), &[]).await;
    assert_eq!(location(&restored), "/floors?done=restored");
    assert_eq!(json_list(&app, "/api/floors").await.len(), 1);
    let (_, html) = pages.get("/floors").await;
    assert!(!html.contains(r#"id="removed-floors""#));
}

#[tokio::test]
async fn categories_form_a_tree_and_a_parent_with_children_is_not_removed() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let added = pages
        .post_form("/categories", &[("name", "Gold"), ("parent_id", "")])
        .await;
    assert_eq!(location(&added), "/categories?done=created");
    let gold = id_named(&json_list(&app, "/api/categories").await, "Gold");
    let (_, html) = pages.get("/categories").await;
    assert!(
        html.contains(&format!(r#"<option value="{gold}">Gold</option>"#)),
        "Gold offered as a parent"
    );

    let child = pages
        .post_form(
            "/categories",
            &[
                ("name", "Necklaces"),
                ("parent_id", &gold),
                ("description", "Temple and choker"),
            ],
        )
        .await;
    assert_eq!(child.status(), StatusCode::SEE_OTHER);
    let (status, html) = pages.get("/categories").await;
    assert_eq!(status, StatusCode::OK);
    let tree = &html[html.find(r#"id="category-tree""#).expect("tree")..];
    let gold_at = tree.find(">Gold<").expect("Gold in the tree");
    let nested = tree[gold_at..]
        .find(r#"<ul class="tree""#)
        .expect("a nested list under Gold");
    let necklaces_at = tree.find("Necklaces").expect("Necklaces in the tree");
    assert!(gold_at + nested < necklaces_at, "Necklaces sits under Gold");
    assert!(
        html.contains("Gold › Necklaces"),
        "paths in the parent choice"
    );
    let necklaces = id_named(&json_list(&app, "/api/categories").await, "Necklaces");

    let same = pages
        .post_form(
            "/categories",
            &[("name", "necklaces"), ("parent_id", &gold)],
        )
        .await;
    assert_eq!(same.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        same.text()
            .await
            .expect("body")
            .contains(r#"id="error-name""#)
    );

    let (status, row) = htmx_get(&pages, &format!("/categories/{necklaces}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        row.contains(r#"class="tree-row editing""#) && row.contains(r#"value="Necklaces""#),
        "{row}"
    );
    let csrf = pages.csrf.clone();
    let renamed = pages
        .post_raw(
            &format!("/categories/{necklaces}"),
            &[
                ("_csrf", &csrf),
                ("name", "Necklaces & Chokers"),
                ("parent_id", &gold),
            ],
            htmx(),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert!(
        renamed
            .text()
            .await
            .expect("body")
            .contains("Necklaces &amp; Chokers")
    );

    let refused = pages
        .post_form(&format!("/categories/{gold}/delete"), &[])
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("This category has sub-categories")
    );
    assert_eq!(
        json_list(&app, "/api/categories").await.len(),
        2,
        "nothing removed"
    );

    let removed = pages
        .post_form(&format!("/categories/{necklaces}/delete"), &[])
        .await;
    assert_eq!(location(&removed), "/categories?done=deleted");
    let removed = pages
        .post_form(&format!("/categories/{gold}/delete"), &[])
        .await;
    assert_eq!(location(&removed), "/categories?done=deleted");
    assert!(json_list(&app, "/api/categories").await.is_empty());
}

/// The add-member form as filled in, with `floor` chosen.
fn member(floor: &str) -> Vec<(&str, &str)> {
    vec![
        ("username", "ritu.das"),
        ("name", "Ritu Das"),
        ("role", "FLOOR_MANAGER"),
        ("floor_id", floor),
        ("email", "ritu@example.com"),
        ("phone", "98300 11111"),
        ("password", PASSWORD),
    ]
}

#[tokio::test]
async fn a_team_member_is_added_after_a_mistake_then_changed_and_removed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let floor_id = floor(&admin, "Ground Floor", 0).await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/team").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("owner") && html.contains("Business admin"));

    let bad = pages.post_form("/team", &member("")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("body");
    assert!(
        html.contains(r#"id="error-floor-id""#),
        "floor error next to the field"
    );
    assert!(
        html.contains(r#"value="Ritu Das""#) && html.contains(r#"value="ritu.das""#),
        "typed input kept"
    );
    assert!(!html.contains(PASSWORD), "the password is not sent back");
    assert_eq!(
        json_list(&app, "/api/users").await.len(),
        1,
        "nothing stored"
    );

    let good = pages.post_form("/team", &member(&floor_id)).await;
    assert_eq!(location(&good), "/team?done=created");
    let (_, html) = pages.get("/team?done=created").await;
    assert!(
        html.contains("Ritu Das")
            && html.contains("ritu@example.com")
            && html.contains("Ground Floor")
    );
    let ritu = id_named(&json_list(&app, "/api/users").await, "Ritu Das");
    app.login("ritu.das").await;

    let (status, html) = pages.get(&format!("/team/{ritu}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="member-form""#) && html.contains(r#"value="Ritu Das""#));
    let off = pages
        .post_form(
            &format!("/team/{ritu}"),
            &[
                ("name", "Ritu Das"),
                ("role", "FLOOR_MANAGER"),
                ("floor_id", &floor_id),
                ("phone", "98300 22222"),
            ],
        )
        .await;
    assert_eq!(location(&off), "/team?done=saved");
    let user = admin.get_json(&format!("/api/users/{ritu}")).await;
    assert_eq!(user["active"], false);
    assert_eq!(user["phone"], "+919830022222");

    let owner = id_named(&json_list(&app, "/api/users").await, "owner");
    let (_, html) = pages.get(&format!("/team/{owner}")).await;
    assert!(
        !html.contains(r#"id="remove-member""#),
        "no Remove button for oneself"
    );
    let demote = pages
        .post_form(
            &format!("/team/{owner}"),
            &[
                ("name", "owner"),
                ("role", "FLOOR_MANAGER"),
                ("floor_id", &floor_id),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(demote.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        demote
            .text()
            .await
            .expect("body")
            .contains("You cannot demote or switch off yourself")
    );
    let myself = pages.post_form(&format!("/team/{owner}/delete"), &[]).await;
    assert_eq!(myself.status(), StatusCode::FORBIDDEN);
    assert!(
        myself
            .text()
            .await
            .expect("body")
            .contains("You cannot remove yourself")
    );

    let removed = pages.post_form(&format!("/team/{ritu}/delete"), &[]).await;
    assert_eq!(location(&removed), "/team?done=removed");
    assert_eq!(json_list(&app, "/api/users").await.len(), 1);
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_the_session() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="profile-form""#) && html.contains(r#"id="password-form""#));

    let saved = pages
        .post_form(
            "/profile",
            &[("name", "Arup Sarkar"), ("email", "arup@example.com")],
        )
        .await;
    assert_eq!(location(&saved), "/profile?done=saved");
    let (_, html) = pages.get("/profile").await;
    assert!(
        html.contains(r#"value="Arup Sarkar""#) && html.contains(r#"value="arup@example.com""#)
    );

    let new = "a brand new phrase";
    let mismatch = pages
        .post_form(
            "/profile/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("new_password_repeat", "something else"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mismatch
            .text()
            .await
            .expect("body")
            .contains(r#"id="error-new-password-repeat""#)
    );
    let wrong = pages
        .post_form(
            "/profile/password",
            &[
                ("current_password", "not my password"),
                ("new_password", new),
                ("new_password_repeat", new),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .await
            .expect("body")
            .contains(r#"id="error-current-password""#)
    );
    assert_eq!(
        pages.get("/profile").await.0,
        StatusCode::OK,
        "still signed in"
    );

    let changed = pages
        .post_form(
            "/profile/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new),
                ("new_password_repeat", new),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), "/login");
    let (status, _) = pages.get("/profile").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the old session no longer works"
    );
    let login = app
        .anonymous()
        .post(
            "/api/auth/login",
            &json!({"username": "owner", "password": new}),
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK, "the new password signs in");
}

#[tokio::test]
async fn settings_are_saved_and_a_bad_gstin_changes_nothing() {
    let app = TestApp::spawn().await;
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"value="Sarkar Jewellers""#) && html.contains("sarkar-crm.local"));
    assert!(
        html.contains("Asia/Kolkata") && html.contains("720 minutes") && html.contains("5 minutes")
    );

    let saved = pages
        .post_form(
            "/settings",
            &[
                ("gstin", "19aaacs1234f1zp"),
                ("state_code", "19"),
                ("address", "12 Bowbazar Street, Kolkata"),
            ],
        )
        .await;
    assert_eq!(location(&saved), "/settings?done=saved");
    let (_, html) = pages.get("/settings").await;
    assert!(html.contains(r#"value="19AAACS1234F1ZP""#));

    let bad = pages
        .post_form(
            "/settings",
            &[
                ("gstin", "19AAACS1234F1ZQ"),
                ("state_code", "19"),
                ("address", "Elsewhere"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("body");
    assert!(html.contains(r#"id="error-gstin""#) && html.contains(r#"value="19AAACS1234F1ZQ""#));
    let store = app.admin().await.get_json("/api/store").await;
    assert_eq!(store["gstin"], "19AAACS1234F1ZP");
    assert_eq!(store["address"], "12 Bowbazar Street, Kolkata");
}

#[tokio::test]
async fn a_floor_manager_reads_the_catalogue_pages_and_is_kept_out_of_the_rest() {
    let app = TestApp::spawn().await;
    app.add_user(
        "manager",
        sarkar_crm::domain::UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let floor_id = id_named(&json_list(&app, "/api/floors").await, "Ground Floor");
    let pages = PageClient::sign_in(&app, "manager").await;
    let (status, html) = pages.get("/team").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "GET /team");
    assert!(
        html.contains("only a Business Admin") || html.contains("Only a Business Admin"),
        "{html}"
    );
    // The floors, the category tree and the store's details are read-only for them, as
    // the API serves them: they pick floors and categories in the product forms.
    for (path, form) in [
        ("/floors", "add-floor"),
        ("/categories", "add-category"),
        ("/settings", "settings-form"),
    ] {
        let (status, html) = pages.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}");
        assert!(
            !html.contains(&format!(r#"id="{form}""#)),
            "no form on {path}"
        );
        assert!(!html.contains("Remove"), "no controls on {path}");
    }
    let (_, floors) = pages.get("/floors").await;
    assert!(floors.contains("Ground Floor"));
    let delete_floor = format!("/floors/{floor_id}/delete");
    let posts: [(&str, Vec<(&str, &str)>); 5] = [
        (
            "/team",
            vec![
                ("username", "x.y"),
                ("name", "X"),
                ("role", "FLOOR_MANAGER"),
                ("floor_id", &floor_id),
                ("password", "long enough phrase"),
            ],
        ),
        ("/floors", vec![("name", "Attic"), ("level", "3")]),
        ("/categories", vec![("name", "Silver")]),
        ("/settings", vec![("state_code", "19")]),
        (&delete_floor, vec![]),
    ];
    for (path, fields) in &posts {
        let response = pages.post_form(path, fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    assert_eq!(
        json_list(&app, "/api/floors").await.len(),
        1,
        "nothing changed"
    );
    assert!(json_list(&app, "/api/categories").await.is_empty());
    let (status, html) = pages.get("/profile").await;
    assert_eq!(status, StatusCode::OK, "everyone has a profile");
    assert!(html.contains("Ground Floor"));
}

#[tokio::test]
async fn the_store_api_reads_and_changes_the_settings() {
    let app = TestApp::spawn().await;
    app.add_user(
        "manager",
        sarkar_crm::domain::UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let admin = app.admin().await;
    let store = admin.get_json("/api/store").await;
    assert_eq!(store["name"], "Sarkar Jewellers");
    assert_eq!(store["state_code"], "19");

    let body =
        json!({"gstin": "27AAACS1234F1ZS", "state_code": "27", "address": "Zaveri Bazaar, Mumbai"});
    let changed = expect_json(admin.put("/api/store", &body).await, StatusCode::OK).await;
    assert_eq!(changed["gstin"], "27AAACS1234F1ZS");
    let mismatch = json!({"gstin": "27AAACS1234F1ZS", "state_code": "19"});
    let refused = expect_json(
        admin.put("/api/store", &mismatch).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(refused["errors"]["gstin"].is_string(), "{refused}");

    let fm = app.login("manager").await;
    assert_eq!(
        fm.get_json("/api/store").await["state_code"],
        "27",
        "every role reads it"
    );
    let forbidden = fm.put("/api/store", &json!({"state_code": "19"})).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert_eq!(admin.get_json("/api/store").await["state_code"], "27");
}
