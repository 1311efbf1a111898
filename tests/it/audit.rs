//! The audit trail (`GET /api/audit`, `/settings/audit`): who changed what, when and
//! from where, with the fields before and after; the store's admin only; read-only.

use reqwest::{Method, StatusCode};
use sarkar_crm::domain::UserRole;
use serde_json::{Value, json};

use crate::helpers::{Client, PASSWORD, TestApp, expect_field_problem, expect_json};
use crate::pages::PageClient;
use crate::sales::{Shop, fixed, shop};

const TABLET: &str = "Counter tablet (Android 14; Sarkar CRM)";

/// Signs in through the API as `username` from a browser that names itself `device`.
async fn login_from_device(app: &TestApp, username: &str, device: &str) -> Client {
    let anonymous = app.anonymous();
    let response = anonymous
        .request(Method::POST, "/api/auth/login")
        .header("user-agent", device)
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    let body = expect_json(response, StatusCode::OK).await;
    Client {
        token: Some(body["token"].as_str().expect("token").to_owned()),
        ..anonymous
    }
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("items")
}

fn field<'a>(entry: &'a Value, name: &str) -> &'a Value {
    entry["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("field {name} in {entry}"))
}

/// Every entry the admin can read with `query`, following `next` page by page.
async fn whole_trail(api: &Client, query: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            Some(cursor) => format!("/api/audit?{query}&cursor={cursor}"),
            None => format!("/api/audit?{query}"),
        };
        let page = api.get_json(&path).await;
        all.extend(items(&page).iter().cloned());
        match page["next"].as_str() {
            Some(cursor) => next = Some(cursor.to_owned()),
            None => return all,
        }
    }
}

#[tokio::test]
async fn a_price_change_shows_before_and_after_in_rupees_and_who_made_it_from_where() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let set = shop.product(fixed("SS-1", 1_000, 5)).await;
    let tablet = login_from_device(&app, "owner", TABLET).await;
    let mut edit = fixed("SS-1", 1_250, 5);
    edit["floor_id"] = json!(shop.floor);
    let saved = tablet.put(&format!("/api/products/{set}"), &edit).await;
    assert_eq!(saved.status(), StatusCode::OK);

    let page = shop.api.get_json("/api/audit?notable=PRICE_CHANGES").await;
    let entries = items(&page);
    assert_eq!(entries.len(), 1, "{page}");
    let entry = &entries[0];
    assert_eq!(
        (&entry["kind"], &entry["op"], &entry["record_id"]),
        (&json!("PRODUCT"), &json!("UPDATED"), &json!(set))
    );
    let price = field(entry, "fixed_price");
    assert_eq!(price["before"], "₹1,000.00");
    assert_eq!(price["after"], "₹1,250.00");
    assert_eq!(price["unit"], "MONEY");
    assert_eq!(
        entry["fields"].as_array().expect("fields").len(),
        1,
        "only the price changed: {entry}"
    );
    let me = shop.api.get_json("/api/users/profile").await;
    assert_eq!(entry["who"]["id"], me["id"]);
    assert_eq!(entry["who"]["name"], me["name"]);
    assert_eq!(entry["who"]["role"], "BUSINESS_ADMIN");
    assert_eq!(entry["origin"]["device"], TABLET);
    assert_eq!(entry["origin"]["address"], "127.0.0.1");
    assert_eq!(entry["origin"]["api_key_id"], Value::Null);
    assert_eq!(entry["floor_id"], json!(shop.floor));
    assert!(entry["label"].as_str().expect("label").starts_with("SS-1"));
    assert_eq!(entry["notable"], json!(["PRICE_CHANGES"]));

    // The page shows the same, in rupees, linked to the product.
    let pages = PageClient::sign_in(&app, "owner").await;
    let (status, html) = pages.get("/settings/audit?notable=PRICE_CHANGES").await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        "₹1,000.00",
        "₹1,250.00",
        TABLET,
        "127.0.0.1",
        &format!("/products/{set}"),
    ] {
        assert!(html.contains(shown), "the page shows {shown}");
    }
    let (_, home) = pages.get("/").await;
    assert!(
        home.contains("href=\"/settings/audit\""),
        "the admin's menu links the trail"
    );
}

#[tokio::test]
async fn rates_refunds_discounts_cancellations_and_sign_ins_have_their_quick_picks() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    // `shop` set 22K at ₹6,800; now it goes up.
    let rate = shop
        .api
        .post(
            "/api/rates",
            &json!({"metal": "GOLD", "purity": "22K", "per_gram_paise": 6_900_00}),
        )
        .await;
    assert_eq!(rate.status(), StatusCode::CREATED);
    let rates = whole_trail(&shop.api, "notable=RATE_CHANGES").await;
    assert_eq!(rates.len(), 3, "two rates set by `shop`, one now");
    let per_gram = field(&rates[0], "per_gram");
    assert_eq!(
        (&per_gram["before"], &per_gram["after"]),
        (&json!("₹6,800.00"), &json!("₹6,900.00"))
    );

    let customer = shop.customer("9831000101", json!({})).await;
    let set = shop.product(fixed("SS-2", 1_000, 5)).await;
    let bill = refunded_bill(&shop, &customer, &set).await;
    let refunds = whole_trail(&shop.api, "notable=REFUNDS").await;
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0]["record_id"], bill["id"]);
    assert_eq!(refunds[0]["label"], bill["invoice_no"]);
    assert_eq!(field(&refunds[0], "refunds[0].amount")["after"], "₹927.00");

    let discounts = whole_trail(&shop.api, "notable=DISCOUNTS").await;
    assert_eq!(discounts.len(), 1, "the discounted bill when drawn up");
    assert_eq!(field(&discounts[0], "bill_discount")["after"], "₹100.00");

    let pending = shop
        .sale(json!({"customer_id": customer, "lines": [{"product_id": set, "quantity": 1}]}))
        .await;
    let id = pending["id"].as_str().expect("id");
    let cancelled = shop
        .api
        .post(&format!("/api/sales/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let cancellations = whole_trail(&shop.api, "notable=CANCELLATIONS").await;
    assert_eq!(cancellations.len(), 1);
    assert_eq!(cancellations[0]["record_id"], json!(id));

    let sign_ins = whole_trail(&shop.api, "notable=SIGN_INS").await;
    assert!(!sign_ins.is_empty());
    assert!(
        sign_ins
            .iter()
            .all(|e| e["kind"] == "SESSION" && e["op"] == "SIGNED_IN")
    );
    assert_eq!(sign_ins[0]["origin"]["address"], "127.0.0.1");
}

/// A bill of one ₹1,000 set with ₹100 off, completed, then refunded in full.
async fn refunded_bill(shop: &Shop, customer: &str, set: &str) -> Value {
    let bill = shop
        .sale(
            json!({"customer_id": customer, "bill_discount_paise": 100_00,
            "lines": [{"product_id": set, "quantity": 1}],
            "payments": [{"method": "UPI", "amount_paise": 927_00}]}),
        )
        .await;
    let done = expect_json(shop.complete(&bill).await, StatusCode::OK).await;
    let id = bill["id"].as_str().expect("id");
    let refund = shop
        .api
        .post(
            &format!("/api/sales/{id}/refund"),
            &json!({"reason": "size"}),
        )
        .await;
    assert_eq!(refund.status(), StatusCode::OK);
    done
}

#[tokio::test]
async fn only_the_stores_business_admin_reads_its_trail() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    shop.product(fixed("SS-3", 1_000, 5)).await;
    app.add_user(
        "fm.ground",
        UserRole::FloorManager,
        Some("Ground Floor"),
        None,
    )
    .await;
    let manager = app.login("fm.ground").await;
    let refused = expect_json(manager.get("/api/audit").await, StatusCode::FORBIDDEN).await;
    assert!(
        refused["detail"]
            .as_str()
            .expect("detail")
            .contains("audit trail"),
        "{refused}"
    );
    let manager_pages = PageClient::sign_in(&app, "fm.ground").await;
    let (status, _) = manager_pages.get("/settings/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, home) = manager_pages.get("/").await;
    assert!(
        !home.contains("/settings/audit"),
        "no link for a Floor Manager"
    );

    app.add_user(
        "other.owner",
        UserRole::BusinessAdmin,
        None,
        Some("Other Jewellers"),
    )
    .await;
    let other = app.login("other.owner").await;
    let theirs = whole_trail(&other, "limit=200").await;
    let ours = whole_trail(&shop.api, "limit=200").await;
    assert!(ours.iter().any(|e| e["kind"] == "PRODUCT"));
    let our_seqs: Vec<&Value> = ours.iter().map(|e| &e["seq"]).collect();
    assert!(
        theirs
            .iter()
            .all(|e| !our_seqs.contains(&&e["seq"]) && e["kind"] != "PRODUCT"),
        "another store's admin sees none of this store's entries: {theirs:?}"
    );
    let owner = shop.api.get_json("/api/users/profile").await;
    let by_owner = other
        .get_json(&format!(
            "/api/audit?person={}",
            owner["id"].as_str().expect("id")
        ))
        .await;
    assert!(items(&by_owner).is_empty());
}

#[tokio::test]
async fn filters_narrow_the_trail_and_paging_is_stable() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    for n in 0..4 {
        shop.customer(&format!("983100020{n}"), json!({})).await;
    }
    shop.product(fixed("SS-4", 1_000, 5)).await;
    let all = whole_trail(&shop.api, "limit=200").await;
    let seqs: Vec<u64> = all
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    assert!(
        seqs.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats: {seqs:?}"
    );

    // Two at a time, following `next`, gives the same entries in the same order.
    let paged = whole_trail(&shop.api, "limit=2").await;
    let paged_seqs: Vec<u64> = paged
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    assert_eq!(paged_seqs, seqs);

    let customers = whole_trail(&shop.api, "kind=CUSTOMER").await;
    assert_eq!(customers.len(), 4);
    assert!(
        customers
            .iter()
            .all(|e| e["kind"] == "CUSTOMER" && e["op"] == "CREATED")
    );
    assert_eq!(field(&customers[0], "name")["after"], "Rina Sinha");

    let owner = shop.api.get_json("/api/users/profile").await;
    let owner_id = owner["id"].as_str().expect("id");
    let mine = whole_trail(&shop.api, &format!("person={owner_id}")).await;
    assert_eq!(
        mine.len(),
        all.iter().filter(|e| e["who"]["id"] == owner["id"]).count()
    );
    assert!(!mine.is_empty());
    let on_floor = whole_trail(&shop.api, &format!("floor={}", shop.floor)).await;
    assert!(on_floor.iter().any(|e| e["kind"] == "PRODUCT"));
    assert!(on_floor.iter().all(|e| e["floor_id"] == json!(shop.floor)));

    let today = app.crm().today();
    let tomorrow = today.tomorrow().expect("tomorrow");
    let yesterday = today.yesterday().expect("yesterday");
    assert_eq!(
        whole_trail(&shop.api, &format!("from={today}&to={today}"))
            .await
            .len(),
        all.len()
    );
    assert!(
        whole_trail(&shop.api, &format!("from={tomorrow}"))
            .await
            .is_empty()
    );
    assert!(
        whole_trail(&shop.api, &format!("to={yesterday}"))
            .await
            .is_empty()
    );

    // Filters that cannot be read are named, and change nothing.
    let before = app.crm().last_change().expect("seq");
    let reversed = format!("from={today}&to={yesterday}");
    for (query, parameter) in [
        ("kind=INVOICE", "kind"),
        ("notable=EVERYTHING", "notable"),
        ("person=someone", "person"),
        ("from=yesterday", "from"),
        (reversed.as_str(), "to"),
        ("limit=0", "limit"),
        ("cursor=not-a-cursor", "cursor"),
    ] {
        let refused = shop.api.get(&format!("/api/audit?{query}")).await;
        expect_field_problem(refused, StatusCode::BAD_REQUEST, parameter).await;
    }
    let unknown = shop.api.get("/api/audit?kinds=SALE").await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, html) = PageClient::sign_in(&app, "owner")
        .await
        .get("/settings/audit?kind=INVOICE")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("is not a kind of record"));
    // Signing in on the page is the only change since.
    assert_eq!(app.crm().last_change().expect("seq"), before + 1);
}

#[tokio::test]
async fn no_password_hash_or_password_ever_appears_in_the_trail() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let new_password = "a brand new passphrase for the audit";
    let changed = admin
        .put(
            "/api/users/profile",
            &json!({"name": "Tapan Sarkar", "current_password": PASSWORD, "new_password": new_password}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let admin = crate::helpers::Client {
        token: None,
        ..admin
    };
    let response = admin
        .post(
            "/api/auth/login",
            &json!({"username": "owner", "password": new_password}),
        )
        .await;
    let token = expect_json(response, StatusCode::OK).await["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let admin = Client {
        token: Some(token),
        ..admin
    };
    admin
        .create(
            "/api/users",
            &json!({"username": "rohit", "password": "rohit's own passphrase", "name": "Rohit Agarwal", "role": "BUSINESS_ADMIN"}),
        )
        .await;

    let trail = whole_trail(&admin, "limit=200").await;
    assert!(trail.iter().any(|e| e["op"] == "PASSWORD_CHANGED"));
    let text = serde_json::to_string(&trail).expect("json");
    for secret in [
        "$argon2",
        new_password,
        PASSWORD,
        "rohit's own passphrase",
        "token_hash",
    ] {
        assert!(!text.contains(secret), "the trail shows {secret}");
    }
    // Nor does anything kept in the database for the trail.
    let crm = app.crm();
    let last = crm.last_change().expect("seq");
    for seq in 1..=last {
        let details = crm.db().read(|rx| rx.change_details(seq)).expect("details");
        let kept = format!("{details:?}");
        assert!(
            !kept.contains("argon2") && !kept.contains(new_password),
            "{kept}"
        );
    }
}

#[tokio::test]
async fn no_route_edits_or_deletes_the_trail() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    let audit = doc["paths"]["/api/audit"].as_object().expect("documented");
    assert_eq!(audit.keys().collect::<Vec<_>>(), ["get"]);
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        let methods: Vec<&String> = operations.as_object().expect("ops").keys().collect();
        let touches_the_log = ["audit", "change"].iter().any(|word| path.contains(word));
        assert!(
            !touches_the_log || methods.iter().all(|m| *m == "get"),
            "{path} answers {methods:?}"
        );
    }
    let before = app.crm().last_change().expect("seq");
    for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
        let api = admin
            .request(method.clone(), "/api/audit")
            .send()
            .await
            .expect("request");
        assert_eq!(
            api.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} /api/audit"
        );
    }
    let pages = PageClient::sign_in(&app, "owner").await;
    let posted = pages.post_form("/settings/audit", &[]).await;
    assert_eq!(posted.status(), StatusCode::METHOD_NOT_ALLOWED);
    // Signing in on the page is the only change.
    assert_eq!(app.crm().last_change().expect("seq"), before + 1);
}
