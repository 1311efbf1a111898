//! `GET /metrics`: Prometheus text that counts requests by route template, times them,
//! and reports the database and search index, without naming any customer.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, customer};
use crate::pages::PageClient;

/// One sample line: its name, labels and value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// A parsed scrape: the samples and each family's `# TYPE`.
#[derive(Debug)]
struct Scrape {
    samples: Vec<Sample>,
    types: BTreeMap<String, String>,
}

impl Scrape {
    /// Parses the text format, failing the test on any line it does not follow.
    fn parse(text: &str) -> Self {
        let mut samples = Vec::new();
        let mut types = BTreeMap::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
                types.insert(name.to_owned(), kind.to_owned());
                continue;
            }
            if line.starts_with("# HELP ") {
                continue;
            }
            let (series, value) = line.rsplit_once(' ').expect("a sample has a value");
            let value = match value {
                "+Inf" => f64::INFINITY,
                other => other.parse().unwrap_or_else(|_| panic!("a number: {line}")),
            };
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, parse_labels(rest, line)),
                None => (series, BTreeMap::new()),
            };
            samples.push(Sample {
                name: name.to_owned(),
                labels,
                value,
            });
        }
        Self { samples, types }
    }

    /// The value of the sample `name` with exactly these labels.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let wanted: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.samples
            .iter()
            .find(|s| s.name == name && s.labels == wanted)
            .map(|s| s.value)
    }

    fn requests(&self, method: &str, route: &str, status: &str) -> f64 {
        let labels = [("method", method), ("route", route), ("status", status)];
        self.value("sarkar_http_requests_total", &labels)
            .unwrap_or(0.0)
    }
}

/// `a="x",b="y\"z"}` into a map, undoing the format's escapes.
fn parse_labels(text: &str, line: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut chars = text.chars();
    loop {
        let name: String = chars.by_ref().take_while(|&c| c != '=').collect();
        assert_eq!(chars.next(), Some('"'), "a quoted label value: {line}");
        let mut value = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => value.push('\n'),
                    Some(other) => value.push(other),
                    None => panic!("a dangling escape: {line}"),
                },
                c => value.push(c),
            }
        }
        labels.insert(name, value);
        match chars.next() {
            Some(',') => continue,
            Some('}') => return labels,
            other => panic!("unexpected {other:?} after a label: {line}"),
        }
    }
}

async fn scrape(app: &TestApp) -> (Scrape, String) {
    let response = app.anonymous().get("/metrics").await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    (Scrape::parse(&text), text)
}

#[tokio::test]
async fn requests_are_counted_by_route_template_and_status_without_customer_data() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = admin
        .create("/api/customers", &customer("Subhajit Mitra", "98300 12345"))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let pages = PageClient::sign_in(&app, "owner").await;
    let (before, _) = scrape(&app).await;

    for _ in 0..2 {
        let response = admin.get(&format!("/api/customers/{id}")).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    let unknown = admin
        .get("/api/customers/01936b6e-0000-7000-8000-000000000000")
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let (status, _) = pages.get(&format!("/customers/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let nowhere = app.anonymous().get("/no/such/page").await;
    assert_eq!(nowhere.status(), StatusCode::NOT_FOUND);

    let (after, text) = scrape(&app).await;
    let moved = |method, route, status| {
        after.requests(method, route, status) - before.requests(method, route, status)
    };
    assert_eq!(moved("GET", "/api/customers/{id}", "200"), 2.0, "{text}");
    assert_eq!(moved("GET", "/api/customers/{id}", "404"), 1.0, "{text}");
    assert_eq!(moved("GET", "/customers/{id}", "200"), 1.0, "{text}");
    assert_eq!(moved("GET", "unmatched", "404"), 1.0, "{text}");
    assert_eq!(moved("GET", "/metrics", "200"), 1.0, "the first scrape");
    assert_eq!(after.requests("POST", "/api/customers", "201"), 1.0);
    assert!(
        after
            .samples
            .iter()
            .filter_map(|s| s.labels.get("route"))
            .all(|route| !route.contains(&id) && !route.contains("no/such")),
        "routes are templates, never addresses: {text}"
    );

    // The histogram of the API route: cumulative buckets up to +Inf, which is the count.
    let duration = "sarkar_http_request_duration_seconds";
    assert_eq!(after.types[duration], "histogram");
    assert_eq!(after.types["sarkar_http_requests_total"], "counter");
    let series = [("method", "GET"), ("route", "/api/customers/{id}")];
    let buckets: Vec<(f64, f64)> = after
        .samples
        .iter()
        .filter(|s| s.name == format!("{duration}_bucket"))
        .filter(|s| series.iter().all(|(k, v)| s.labels[*k] == *v))
        .map(|s| (s.labels["le"].parse().unwrap_or(f64::INFINITY), s.value))
        .collect();
    assert_eq!(buckets.len(), 13, "12 bounds and +Inf: {buckets:?}");
    assert!(
        buckets
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1)
    );
    assert_eq!(buckets.first().map(|b| b.0), Some(0.001));
    assert_eq!(buckets[11].0, 5.0);
    assert_eq!(buckets[12], (f64::INFINITY, 3.0));
    let count = after.value(&format!("{duration}_count"), &series);
    assert_eq!(count, Some(3.0));
    let sum = after.value(&format!("{duration}_sum"), &series).unwrap();
    assert!(sum > 0.0 && sum < 15.0, "sum {sum}");

    // The appliance's own figures.
    let gauge = |name: &str| {
        assert_eq!(after.types[name], "gauge", "{name} is a gauge");
        after
            .value(name, &[])
            .unwrap_or_else(|| panic!("{name}: {text}"))
    };
    assert!(gauge("sarkar_database_size_bytes") > 0.0);
    let last_change = gauge("sarkar_change_log_sequence");
    assert!(last_change >= 1.0, "creating a customer logged a change");
    let applied = gauge("sarkar_search_index_applied_sequence");
    let lag = gauge("sarkar_search_index_lag");
    assert!(lag >= 0.0 && lag.fract() == 0.0, "lag {lag}");
    assert!(applied <= last_change || lag == 0.0);
    assert!(
        gauge("sarkar_http_requests_in_flight") >= 1.0,
        "the scrape itself"
    );
    assert!(gauge("sarkar_process_start_time_seconds") > 1.7e9);
    let version = [("version", env!("CARGO_PKG_VERSION"))];
    assert_eq!(after.value("sarkar_build_info", &version), Some(1.0));

    for private in ["Subhajit", "Mitra", "98300", "12345", "C-000001"] {
        assert!(!text.contains(private), "{private} appears in /metrics");
    }
}

#[tokio::test]
async fn the_search_index_lag_closes_once_the_index_catches_up() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = admin
        .create("/api/customers", &customer("Rina Das", "98300 55555"))
        .await;
    assert_eq!(created["name"], "Rina Das");
    // Once the follower has applied the newest change, nothing is pending.
    let last = app.crm().last_change().expect("last change");
    let mut applied = app.crm().search_handle().expect("an index").subscribe();
    applied
        .wait_for(|&seq| seq >= last)
        .await
        .expect("the follower runs");
    let (scrape, text) = scrape(&app).await;
    assert_eq!(
        scrape.value("sarkar_search_index_lag", &[]),
        Some(0.0),
        "{text}"
    );
    assert_eq!(
        scrape.value("sarkar_search_index_applied_sequence", &[]),
        scrape.value("sarkar_change_log_sequence", &[]),
    );
}

#[tokio::test]
async fn the_openapi_document_describes_metrics_as_prometheus_text() {
    let app = TestApp::spawn().await;
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    let get = &doc["paths"]["/metrics"]["get"];
    assert!(
        get["responses"]["200"]["content"]["text/plain; version=0.0.4"].is_object(),
        "{get}"
    );
    assert_eq!(get["tags"], json!(["system"]));
}
