//! Every list route answers the one envelope `{items, total, next}`: the routes are read
//! from the OpenAPI document, so a new list that answers a bare array fails here.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, expect_field_problem};
use crate::sales::{fixed, shop};

/// The schema of a GET's 200 JSON body, with `$ref`s to components followed.
fn body_schema<'a>(doc: &'a Value, operation: &'a Value) -> Option<&'a Value> {
    let schema = operation["responses"]["200"]["content"]
        .get("application/json")?
        .get("schema")?;
    Some(resolve(doc, schema))
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// Whether a schema allows the JSON type `kind` (`type` may be a string or a list).
fn allows(schema: &Value, kind: &str) -> bool {
    match &schema["type"] {
        Value::String(one) => one == kind,
        Value::Array(many) => many.iter().any(|t| t == kind),
        _ => schema["oneOf"]
            .as_array()
            .is_some_and(|options| options.iter().any(|o| allows(o, kind))),
    }
}

fn is_envelope(doc: &Value, schema: &Value) -> bool {
    let properties = &schema["properties"];
    let field = |name: &str| resolve(doc, &properties[name]);
    properties.as_object().is_some_and(|p| p.len() == 3)
        && allows(field("items"), "array")
        && allows(field("total"), "integer")
        && allows(field("total"), "null")
        && allows(field("next"), "string")
        && allows(field("next"), "null")
}

/// Checks one page's envelope and returns its items and its `next`.
fn envelope(path: &str, page: &Value) -> (Vec<Value>, Option<String>) {
    let object = page.as_object().expect("an object");
    assert_eq!(
        object.keys().collect::<BTreeSet<_>>(),
        BTreeSet::from([&"items".to_owned(), &"next".to_owned(), &"total".to_owned()]),
        "{path}: {page}"
    );
    assert!(
        page["total"].is_u64() || page["total"].is_null(),
        "{path}: {page}"
    );
    assert!(
        page["next"].is_string() || page["next"].is_null(),
        "{path}: {page}"
    );
    let items = page["items"].as_array().expect("items").clone();
    (items, page["next"].as_str().map(str::to_owned))
}

/// A store with two of everything a list shows, and the ids path parameters need.
async fn two_of_everything(app: &TestApp) -> (Client, BTreeMap<&'static str, String>) {
    let shop = shop(app).await;
    let api = shop.api.clone();
    api.create("/api/floors", &json!({"name": "First Floor", "level": 1}))
        .await;
    for name in ["Gold", "Silver"] {
        api.create("/api/categories", &json!({"name": name})).await;
    }
    api.create(
        "/api/users",
        &json!({"username": "rohit", "password": crate::helpers::PASSWORD, "name": "Rohit Agarwal", "role": "BUSINESS_ADMIN"}),
    )
    .await;
    for name in ["Tally export", "WhatsApp gateway"] {
        api.create(
            "/api/api-keys",
            &json!({"name": name, "scope": "read_only"}),
        )
        .await;
    }
    let tea_set = shop.product(fixed("TS-1", 10_000, 5)).await;
    shop.product(fixed("TS-2", 12_000, 5)).await;
    for seed in [1, 2] {
        crate::files::add_photo(
            &api,
            &tea_set,
            "tea set.jpg",
            crate::files::jpeg(320, 240, seed),
        )
        .await;
    }
    let rina = shop.customer("9831000001", json!({})).await;
    shop.customer("9831000002", json!({"name": "Ankit Jain"}))
        .await;
    // Two pairs of customers who may be one person, for the possible duplicates.
    shop.customer("9831000003", json!({"name": "Reena Sinha"}))
        .await;
    shop.customer("9831000004", json!({"name": "Ankeet Jain"}))
        .await;
    for sku in ["TS-1", "TS-2"] {
        shop.sale(json!({"customer_id": rina, "lines": [{"sku": sku}]}))
            .await;
    }
    for kind in ["INQUIRY", "PHONE_CALL"] {
        api.create(
            "/api/interactions",
            &json!({"customer_id": rina, "type": kind, "floor_id": shop.floor}),
        )
        .await;
    }
    for hours in [24, 48] {
        let due = Timestamp::now() + SignedDuration::from_hours(hours);
        api.create(
            "/api/follow-ups",
            &json!({"customer_id": rina, "type": "VISIT", "due_at": due.to_string(), "floor_id": shop.floor}),
        )
        .await;
    }
    for file in ["first.csv", "second.csv"] {
        crate::helpers::draft_customer_import(&api, file, "Name,Phone\nNew Person,9831000009\n")
            .await;
    }
    for kind in ["pan_card", "address_proof"] {
        let sent = crate::files::upload(
            &api,
            &format!("/api/customers/{rina}/documents"),
            "paper.pdf",
            crate::files::pdf(2000),
            &[("kind", kind)],
        )
        .await;
        assert_eq!(sent.status(), StatusCode::CREATED, "a document");
    }
    (
        api,
        BTreeMap::from([
            ("/api/customers/{id}", rina),
            ("/api/products/{id}", tea_set),
        ]),
    )
}

/// The path with its parameters filled from the fixtures.
fn filled(path: &str, fixtures: &BTreeMap<&str, String>) -> String {
    let Some(open) = path.find('{') else {
        return path.to_owned();
    };
    let close = path[open..].find('}').expect("a closed parameter") + open;
    let id = fixtures
        .get(&path[..=close])
        .unwrap_or_else(|| panic!("{path}: add a fixture for its path parameter here"));
    filled(
        &format!("{}{id}{}", &path[..open], &path[close + 1..]),
        fixtures,
    )
}

fn with_query(path: &str, query: &str) -> String {
    format!("{path}?{query}")
}

#[tokio::test]
async fn every_list_route_answers_the_one_envelope_and_pages_by_cursor() {
    let app = TestApp::spawn().await;
    let (admin, fixtures) = two_of_everything(&app).await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;

    let mut bare = Vec::new();
    let mut lists = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(get) = item.get("get") else { continue };
        let Some(schema) = body_schema(&doc, get) else {
            continue;
        };
        if allows(schema, "array") {
            bare.push(path.clone());
        } else if is_envelope(&doc, schema) {
            lists.push(path.clone());
        }
    }
    assert!(bare.is_empty(), "lists answering a bare array: {bare:?}");
    for known in [
        "/api/customers",
        "/api/products",
        "/api/categories",
        "/api/floors",
        "/api/users",
        "/api/rates",
        "/api/sales",
        "/api/interactions",
        "/api/follow-ups",
        "/api/customers/{id}/timeline",
    ] {
        assert!(
            lists.iter().any(|p| p == known),
            "{known} is an enveloped list"
        );
    }

    for path in &lists {
        let path = filled(path, &fixtures);
        let (everything, last) = envelope(
            &path,
            &admin.get_json(&with_query(&path, "limit=200")).await,
        );
        assert_eq!(last, None, "{path}: everything fits in one page");
        assert!(
            everything.len() >= 2,
            "{path}: the fixtures give two or more"
        );

        // One at a time, following `next`: each item once, in the same order.
        let first = admin.get_json(&with_query(&path, "limit=1")).await;
        let total = first["total"].as_u64();
        let (mut walked, mut next) = envelope(&path, &first);
        while let Some(cursor) = next {
            assert!(
                walked.len() <= everything.len(),
                "{path}: the cursor never ends"
            );
            let query = format!("limit=1&cursor={cursor}");
            let page = admin.get_json(&with_query(&path, &query)).await;
            let (items, after) = envelope(&path, &page);
            assert_eq!(items.len(), 1, "{path}: {page}");
            walked.extend(items);
            next = after;
        }
        assert_eq!(walked, everything, "{path}: the pages add up to the list");
        if let Some(total) = total {
            assert_eq!(total as usize, everything.len(), "{path}: total");
        }

        // Paging that cannot be followed is a 400 naming the parameter.
        for (query, parameter) in [
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("limit=many", "limit"),
            ("cursor=not-a-cursor", "cursor"),
        ] {
            let response = admin.get(&with_query(&path, query)).await;
            expect_field_problem(response, StatusCode::BAD_REQUEST, parameter).await;
        }
    }
}
