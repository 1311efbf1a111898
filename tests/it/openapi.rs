use crate::helpers::TestApp;

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/api/auth/login", "post"),
        ("/api/api-keys", "get"),
        ("/api/api-keys", "post"),
        ("/api/api-keys/{id}", "delete"),
        ("/api/auth/logout", "post"),
        ("/api/auth/refresh", "post"),
        ("/api/auth/register", "post"),
        ("/api/customers", "get"),
        ("/api/customers", "post"),
        ("/api/customers/{id}", "put"),
        ("/api/customers/{id}", "delete"),
        ("/api/customers/{id}/restore", "post"),
        ("/api/products/{id}", "get"),
        ("/api/categories", "post"),
        ("/api/floors/{id}", "delete"),
        ("/api/floors/{id}/restore", "post"),
        ("/api/users", "get"),
        ("/api/users/{id}", "put"),
        ("/api/users/profile", "put"),
        ("/api/interactions", "get"),
        ("/api/interactions", "post"),
        ("/api/interactions/walk-in", "post"),
        ("/api/follow-ups", "get"),
        ("/api/follow-ups", "post"),
        ("/api/follow-ups/{id}", "get"),
        ("/api/follow-ups/{id}", "patch"),
        ("/api/customers/{id}/timeline", "get"),
        ("/api/my-day", "get"),
        ("/api/rates", "get"),
        ("/api/rates", "post"),
        ("/api/sales", "get"),
        ("/api/sales", "post"),
        ("/api/sales/quote", "post"),
        ("/api/sales/{id}", "get"),
        ("/api/sales/{id}", "put"),
        ("/api/sales/{id}/complete", "post"),
        ("/api/sales/{id}/cancel", "post"),
        ("/api/sales/{id}/refund", "post"),
        ("/api/sales/{id}/invoice.pdf", "get"),
        ("/api/pipeline", "get"),
        ("/api/store", "get"),
        ("/api/backups", "get"),
        ("/api/backups/run", "post"),
        ("/api/audit", "get"),
        ("/healthz", "get"),
        ("/metrics", "get"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for schema in [
        "CustomerInput",
        "CustomerJson",
        "ProductInput",
        "Problem",
        "UserRole",
        "CustomerStatus",
        "InteractionInput",
        "WalkInInput",
        "FollowUpInput",
        "FollowUpChange",
        "ListJson_TimelineEntryJson",
        "MyDayJson",
        "SaleInput",
        "SaleJson",
        "SaleDetailJson",
        "DrawnUpJson",
        "CounterRuleJson",
        "CorrectionJson",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema}");
    }
    assert_eq!(
        doc["components"]["schemas"]["UserRole"]["enum"],
        serde_json::json!(["BUSINESS_ADMIN", "FLOOR_MANAGER"])
    );
    // The seed's five follow-up kinds, then WhatsApp, appended.
    assert_eq!(
        doc["components"]["schemas"]["FollowUpType"]["enum"],
        serde_json::json!(["PHONE_CALL", "EMAIL", "SMS", "VISIT", "DEMO", "WHATSAPP"])
    );
}

#[tokio::test]
async fn the_binary_serves_its_own_icon() {
    let app = TestApp::spawn().await;
    let response = app.anonymous().get("/favicon.ico").await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.text().await.unwrap().starts_with("<svg"));
}

/// Every operation of the document: its path, method and description.
fn operations(doc: &serde_json::Value) -> Vec<(String, String, serde_json::Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            if ["get", "head", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                out.push((path.clone(), method.clone(), operation.clone()));
            }
        }
    }
    assert!(out.len() > 40, "the document's operations: {}", out.len());
    out
}

fn parameters<'a>(operation: &'a serde_json::Value, place: &str) -> Vec<&'a str> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == place)
        .map(|p| p["name"].as_str().expect("a parameter's name"))
        .collect()
}

#[tokio::test]
async fn every_parameter_is_documented_where_the_route_reads_it() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    for (path, method, operation) in operations(&doc) {
        let in_path = parameters(&operation, "path");
        for name in &in_path {
            assert!(
                path.contains(&format!("{{{name}}}")),
                "{method} {path}: `{name}` is documented as a path parameter but the path has no {{{name}}}"
            );
        }
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(['{', '}']);
            assert!(
                in_path.contains(&name),
                "{method} {path}: {segment} is not documented as a path parameter"
            );
        }
    }
    // The attack report's example: the register's paging is read from the query.
    let list_sales = &doc["paths"]["/api/sales"]["get"];
    let in_query = parameters(list_sales, "query");
    for name in ["limit", "cursor", "before", "from", "status"] {
        assert!(
            in_query.contains(&name),
            "GET /api/sales: {name} in the query"
        );
    }
}

#[tokio::test]
async fn every_operation_documents_the_refusals_it_can_give() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    for (path, method, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().expect("responses");
        let documents = |status: &str, why: &str| {
            assert!(
                responses.contains_key(status),
                "{method} {path} can answer {status} ({why}) but does not say so"
            );
        };
        let anonymous = operation["security"]
            .as_array()
            .is_some_and(|alternatives| alternatives.iter().any(|a| a == &serde_json::json!({})));
        if !anonymous {
            documents("401", "it needs a session");
        }
        let takes_body = operation.get("requestBody").is_some();
        if takes_body || !parameters(&operation, "query").is_empty() {
            documents("400", "it reads a body or a query");
            documents("422", "it reads a body or a query");
        }
        if takes_body {
            documents("413", "a body may be too large");
            documents("415", "a body may not be JSON");
        }
        if path.contains('{') {
            documents("404", "it names a record");
        }
        if path.starts_with("/api/") {
            documents("429", "the API is rate limited");
            assert!(
                responses["429"]["headers"].get("Retry-After").is_some(),
                "{method} {path}: 429 says when to try again"
            );
        }
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let content = response["content"]
                    .as_object()
                    .expect("a problem's content");
                assert_eq!(
                    content.keys().collect::<Vec<_>>(),
                    ["application/problem+json"],
                    "{method} {path} {status}: problems are problem+json"
                );
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{method} {path} {status}"
                );
            }
        }
    }
}
