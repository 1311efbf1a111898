//! API keys for integrations: made by a Business Admin, used as `Authorization: Bearer`,
//! scoped to areas (checked in `app`), revocable, expiring, never stored in clear; the
//! page under settings; and the JSON API's rate limits.

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use sarkar_crm::config::Config;
use sarkar_crm::domain::{ApiKeyId, UserRole};
use sarkar_crm::store::{EntityKind, Scope, api_keys};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, customer, expect_field_problem, expect_json, floor};
use crate::pages::{PageClient, location};

/// A client that sends `secret` as its bearer token.
fn with_key(app: &TestApp, secret: &str) -> Client {
    Client {
        token: Some(secret.to_owned()),
        ..app.anonymous()
    }
}

async fn make_key(admin: &Client, body: &Value) -> (String, Value) {
    let made = expect_json(admin.post("/api/api-keys", body).await, StatusCode::CREATED).await;
    let secret = made["secret"].as_str().expect("the secret").to_owned();
    (secret, made["key"].clone())
}

fn customers_write_catalogue_read() -> Value {
    json!({"name": "Tally export", "scope": "areas",
           "areas": {"customers": "read_write", "catalogue": "read", "sales": "none"}})
}

#[tokio::test]
async fn a_key_reads_and_writes_in_scope_is_refused_outside_it_and_stops_when_revoked() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (secret, key) = make_key(&admin, &customers_write_catalogue_read()).await;
    assert!(secret.starts_with("sk_") && secret.len() > 40, "{secret}");
    assert_eq!(key["prefix"].as_str().unwrap(), &secret[..11]);
    let key_id = key["id"].as_str().unwrap().to_owned();
    let integration = with_key(&app, &secret);

    expect_json(integration.get("/api/customers").await, StatusCode::OK).await;
    expect_json(integration.get("/api/products").await, StatusCode::OK).await;
    let made = expect_json(
        integration
            .post("/api/customers", &customer("Mitali Sen", "9830011111"))
            .await,
        StatusCode::CREATED,
    )
    .await;

    // The change log says the key made the customer.
    let change = app
        .changes()
        .into_iter()
        .rev()
        .find(|c| c.kind == EntityKind::Customer)
        .expect("the customer's change");
    let details = app
        .crm()
        .db()
        .read(|rx| rx.change_details(change.seq))
        .unwrap();
    let origin = details.origin.expect("the origin is kept");
    let id = ApiKeyId::parse(&key_id).unwrap();
    assert_eq!(origin.api_key, Some(id.as_u128()));
    assert!(origin.device.contains("Tally export"), "{}", origin.device);
    assert_eq!(made["name"], "Mitali Sen");

    // Outside the scope: 403 naming it, and nothing stored.
    let before = app.changes().len();
    let refused = expect_json(
        integration
            .post("/api/categories", &json!({"name": "Rings"}))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let detail = refused["detail"].as_str().unwrap();
    assert!(
        detail.contains("catalogue (read), customers (read and write)"),
        "{detail}"
    );
    let refused = expect_json(integration.get("/api/sales").await, StatusCode::FORBIDDEN).await;
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("may not read sales")
    );
    for (path, body) in [
        (
            "/api/users",
            json!({"username": "x", "password": "longenough", "name": "X", "role": "BUSINESS_ADMIN"}),
        ),
        (
            "/api/api-keys",
            json!({"name": "Another", "scope": "read_only"}),
        ),
    ] {
        expect_json(integration.post(path, &body).await, StatusCode::FORBIDDEN).await;
    }
    assert_eq!(
        app.changes().len(),
        before,
        "refused requests change nothing"
    );

    // The list shows the key and its last use, never its secret.
    let list = admin.get("/api/api-keys").await.text().await.unwrap();
    assert!(!list.contains(&secret), "the list never shows the secret");
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["items"][0]["id"], key_id.as_str());
    assert!(list["items"][0]["last_used_at"].is_string(), "{list}");

    let revoked = admin.delete(&format!("/api/api-keys/{key_id}")).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let refused = expect_json(
        integration.get("/api/customers").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("revoked"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_read_only_key_reads_everything_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (secret, _) = make_key(
        &admin,
        &json!({"name": "Head office", "scope": "read_only"}),
    )
    .await;
    let office = with_key(&app, &secret);
    for path in [
        "/api/customers",
        "/api/sales",
        "/api/rates",
        "/api/follow-ups",
    ] {
        expect_json(office.get(path).await, StatusCode::OK).await;
    }
    let refused = expect_json(
        office
            .post("/api/customers", &customer("Rina Das", "9830012345"))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("read-only"),
        "{refused}"
    );
    // A key never opens the pages: they send it to the sign-in page.
    let page = office.get("/customers").await;
    assert_eq!(page.url().path(), "/login");
}

#[tokio::test]
async fn an_expired_key_and_a_key_of_a_removed_maker_answer_401() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (secret, key) = make_key(&admin, &json!({"name": "Gateway", "scope": "read_only"})).await;
    let id = ApiKeyId::parse(key["id"].as_str().unwrap()).unwrap();
    let db = app.crm().db();
    let store = app.crm().default_store().unwrap();
    db.write(None, |w| {
        let mut stored = api_keys::key(w, &Scope::store(store.id), id)?.expect("stored");
        stored.expires_at = Some(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1));
        api_keys::note_use(w, &stored)
    })
    .unwrap();
    let refused = expect_json(
        with_key(&app, &secret).get("/api/customers").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().contains("expired"),
        "{refused}"
    );

    // A second admin's key stops when that admin is removed.
    app.add_user("partner", UserRole::BusinessAdmin, None, None)
        .await;
    let partner = app.login("partner").await;
    let (secret, _) = make_key(
        &partner,
        &json!({"name": "Partner's", "scope": "read_only"}),
    )
    .await;
    expect_json(
        with_key(&app, &secret).get("/api/customers").await,
        StatusCode::OK,
    )
    .await;
    let partner_id =
        expect_json(partner.get("/api/users/profile").await, StatusCode::OK).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let removed = admin.delete(&format!("/api/users/{partner_id}")).await;
    assert!(removed.status().is_success(), "{}", removed.status());
    expect_json(
        with_key(&app, &secret).get("/api/customers").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

#[tokio::test]
async fn only_a_business_admin_of_the_same_store_manages_keys() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    floor(&admin, "Ground", 0).await;
    app.add_user("manager", UserRole::FloorManager, Some("Ground"), None)
        .await;
    let manager = app.login("manager").await;
    expect_json(
        manager
            .post(
                "/api/api-keys",
                &json!({"name": "Mine", "scope": "read_only"}),
            )
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_json(manager.get("/api/api-keys").await, StatusCode::FORBIDDEN).await;

    let (_, key) = make_key(&admin, &json!({"name": "Ours", "scope": "read_only"})).await;
    app.add_user(
        "other",
        UserRole::BusinessAdmin,
        None,
        Some("Other Jewellers"),
    )
    .await;
    let other = app.login("other").await;
    let theirs = expect_json(other.get("/api/api-keys").await, StatusCode::OK).await;
    assert_eq!(theirs["items"], json!([]));
    let path = format!("/api/api-keys/{}", key["id"].as_str().unwrap());
    expect_json(other.delete(&path).await, StatusCode::NOT_FOUND).await;
    let ours = expect_json(admin.get("/api/api-keys").await, StatusCode::OK).await;
    assert!(ours["items"][0]["revoked_at"].is_null(), "{ours}");
}

#[tokio::test]
async fn the_secret_is_stored_only_as_its_hash() {
    use sha2::Digest;
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (secret, _) = make_key(&admin, &json!({"name": "Hashed", "scope": "read_only"})).await;
    let store = app.crm().default_store().unwrap();
    let stored = app
        .crm()
        .db()
        .read(|rx| api_keys::keys(rx, &Scope::store(store.id)))
        .unwrap();
    assert_eq!(stored.len(), 1);
    let hash: [u8; 32] = sha2::Sha256::digest(secret.as_bytes()).into();
    assert_eq!(stored[0].secret_hash, hash);
    assert!(secret.starts_with(&stored[0].prefix) && stored[0].prefix.len() < 12);
    let file = std::fs::read(app.data_dir().join("sarkar.redb")).unwrap();
    let tail = &secret.as_bytes()[11..];
    assert!(
        !file.windows(tail.len()).any(|w| w == tail),
        "the secret is not in the database file"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_a_message_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let yesterday = "2020-01-01";
    for (body, field) in [
        (json!({"name": "", "scope": "read_only"}), "name"),
        (
            json!({"name": "x".repeat(61), "scope": "read_only"}),
            "name",
        ),
        (json!({"name": "Odd", "scope": "everything"}), "scope"),
        (
            json!({"name": "Odd", "scope": "areas", "areas": {"users": "read"}}),
            "areas.users",
        ),
        (
            json!({"name": "Odd", "scope": "areas", "areas": {"sales": "all"}}),
            "areas.sales",
        ),
        (
            json!({"name": "Odd", "scope": "areas", "areas": {}}),
            "areas",
        ),
        (
            json!({"name": "Odd", "scope": "read_only", "expires_on": yesterday}),
            "expires_on",
        ),
        (
            json!({"name": "Odd", "scope": "read_only", "expires_on": "soon"}),
            "expires_on",
        ),
    ] {
        let refused = expect_field_problem(
            admin.post("/api/api-keys", &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
        assert!(refused["detail"].is_string(), "{refused}");
    }
    let list = expect_json(admin.get("/api/api-keys").await, StatusCode::OK).await;
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn the_settings_page_makes_a_key_shows_its_secret_once_and_revokes_it() {
    let app = TestApp::spawn().await;
    let page = PageClient::sign_in(&app, "owner").await;
    let (status, settings) = page.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        settings.contains("/settings/api-keys"),
        "settings link the keys page"
    );

    let made = page
        .post_form(
            "/settings/api-keys",
            &[
                ("name", "WhatsApp gateway"),
                ("scope", "areas"),
                ("area_customers", "read"),
                ("area_activity", "read_write"),
                ("expires_on", ""),
            ],
        )
        .await;
    assert_eq!(made.status(), StatusCode::OK);
    let html = made.text().await.unwrap();
    assert!(html.contains("will not be shown again"), "{html}");
    let start = html.find("value=\"sk_").expect("the secret is shown") + 7;
    let secret = &html[start..start + html[start..].find('"').unwrap()];
    expect_json(
        with_key(&app, secret).get("/api/customers").await,
        StatusCode::OK,
    )
    .await;

    let (_, listed) = page.get("/settings/api-keys").await;
    assert!(listed.contains("WhatsApp gateway"));
    assert!(listed.contains("activity (read and write), customers (read)"));
    assert!(!listed.contains(secret), "the secret is shown only once");

    let refused = page
        .post_form(
            "/settings/api-keys",
            &[("name", ""), ("scope", "read_only")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let admin = app.admin().await;
    let list = expect_json(admin.get("/api/api-keys").await, StatusCode::OK).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "the refused form stored nothing");
    let id = items[0]["id"].as_str().unwrap();
    let revoked = page
        .post_form(&format!("/settings/api-keys/{id}/revoke"), &[])
        .await;
    assert!(revoked.status().is_redirection(), "{}", revoked.status());
    let (_, listed) = page.get(&location(&revoked)).await;
    assert!(
        listed.contains("Revoked. Anything still using that key"),
        "{listed}"
    );
    expect_json(
        with_key(&app, secret).get("/api/customers").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

/// A configuration whose limits a test meets in a few requests: a rate of one a minute,
/// so only the burst counts while the test runs.
fn tight_limits(session_burst: u32, address_burst: u32) -> Config {
    let env = [
        ("SARKAR__RATE_LIMITS__SESSION_PER_MINUTE", "1".to_owned()),
        (
            "SARKAR__RATE_LIMITS__SESSION_BURST",
            session_burst.to_string(),
        ),
        ("SARKAR__RATE_LIMITS__ADDRESS_PER_MINUTE", "1".to_owned()),
        (
            "SARKAR__RATE_LIMITS__ADDRESS_BURST",
            address_burst.to_string(),
        ),
    ];
    Config::load(None, env.into_iter().map(|(k, v)| (k.to_owned(), v))).expect("config")
}

#[tokio::test]
async fn the_request_after_a_burst_gets_429_and_others_are_not_charged_for_it() {
    let temp = tempfile::tempdir().unwrap();
    let app = TestApp::start_with(tight_limits(3, 7), temp.path()).await;
    app.add_user("owner", UserRole::BusinessAdmin, None, None)
        .await;
    // Two sign-ins: two of the address's seven.
    let first = app.admin().await;
    let second = app.admin().await;
    for _ in 0..3 {
        expect_json(first.get("/api/customers").await, StatusCode::OK).await;
    }
    let before = app.changes().len();
    let refused = first
        .post("/api/customers", &customer("Rina Das", "9830012345"))
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let problem: Value = refused.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("from this session") && detail.contains("try again in"),
        "{detail}"
    );
    assert_eq!(
        app.changes().len(),
        before,
        "a refused request reaches no handler"
    );
    for _ in 0..3 {
        let again = first.get("/api/customers").await;
        assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    // The other session still has the address's last two: the refused requests were
    // not counted against the address too.
    for _ in 0..2 {
        expect_json(second.get("/api/customers").await, StatusCode::OK).await;
    }
    let refused = second.get("/api/customers").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let problem: Value = refused.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("from this address"),
        "{problem}"
    );

    // Pages are not limited by the API's limits.
    let page = app
        .anonymous()
        .http
        .get(app.url("/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}
