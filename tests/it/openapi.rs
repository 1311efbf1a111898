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
