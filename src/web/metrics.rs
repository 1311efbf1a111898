//! `GET /metrics`: the appliance's figures in the Prometheus text format, and the
//! middleware that counts and times every request for it.
//!
//! Written by hand rather than with the `metrics` crates: the format is small, the
//! figures are few, and the exporter would add a dozen crates and per-request label
//! allocations. The series are keyed by the axum route template (`/customers/{id}`),
//! never the address asked for, so ids and typed-in paths cannot grow the label set;
//! methods outside the standard ones count as `OTHER` for the same reason.

mod exposition;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use axum::Extension;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use self::exposition::{Exposition, Histogram, Kind};
use super::AppState;
use super::error::{AppError, Problem};
use crate::app::Vitals;
use crate::app::backups::{BackupStatus, DestinationStatus};

/// Where the scrape is served; the middleware hands the counters to this route only.
pub const PATH: &str = "/metrics";
/// The `route` label of requests no route matched.
pub const UNMATCHED: &str = "unmatched";
/// Upper bounds of the latency histogram's buckets, in seconds.
pub const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// Unix time when the process first built its router, just after opening its database.
static STARTED: LazyLock<f64> = LazyLock::new(|| {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
});

/// The request counters of one server. Recording takes one short lock and allocates
/// only the first time a route, method or status is seen.
pub struct HttpMetrics {
    in_flight: AtomicU64,
    routes: Mutex<BTreeMap<Arc<str>, Vec<Series>>>,
    /// The server's open connections, when the server can count them.
    connections: Option<ConnectionCount>,
}

/// Asks the server how many connections it has open now.
pub type ConnectionCount = Arc<dyn Fn() -> usize + Send + Sync>;

impl std::fmt::Debug for HttpMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpMetrics")
            .field("in_flight", &self.in_flight)
            .field("counts_connections", &self.connections.is_some())
            .finish_non_exhaustive()
    }
}

/// What one route has answered to one method.
#[derive(Clone, Debug)]
struct Series {
    method: &'static str,
    /// Answers per status code, sorted by code.
    statuses: Vec<(u16, u64)>,
    /// Requests per latency bucket, not cumulative; the last is above every bound.
    buckets: [u64; BUCKETS.len() + 1],
    seconds: f64,
}

impl HttpMetrics {
    pub fn new() -> Arc<Self> {
        Self::counting(None)
    }

    /// Counters that also report the server's open connections through `connections`.
    pub fn counting(connections: Option<ConnectionCount>) -> Arc<Self> {
        LazyLock::force(&STARTED);
        Arc::new(Self {
            in_flight: AtomicU64::new(0),
            routes: Mutex::new(BTreeMap::new()),
            connections,
        })
    }

    /// Counts one answered request.
    fn observe(&self, route: &str, method: &'static str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|&bound| seconds <= bound)
            .unwrap_or(BUCKETS.len());
        // A panic elsewhere cannot leave these counters half-updated, so a poisoned
        // lock is still good to use.
        let mut routes = self.routes.lock().unwrap_or_else(PoisonError::into_inner);
        if !routes.contains_key(route) {
            routes.insert(Arc::from(route), Vec::new());
        }
        let Some(by_method) = routes.get_mut(route) else {
            return;
        };
        let i = match by_method.iter().position(|s| s.method == method) {
            Some(i) => i,
            None => {
                by_method.push(Series {
                    method,
                    statuses: Vec::new(),
                    buckets: [0; BUCKETS.len() + 1],
                    seconds: 0.0,
                });
                by_method.len() - 1
            }
        };
        let series = &mut by_method[i];
        match series
            .statuses
            .binary_search_by_key(&status, |&(code, _)| code)
        {
            Ok(i) => series.statuses[i].1 += 1,
            Err(i) => series.statuses.insert(i, (status, 1)),
        }
        series.buckets[bucket] += 1;
        series.seconds += seconds;
    }

    /// The whole scrape: request figures from memory, the rest from `vitals` and
    /// `backups`.
    pub fn render(&self, vitals: &Vitals, backups: &BackupStatus) -> String {
        // Copy under the lock and format outside it, so requests wait only for a copy.
        let mut routes = self
            .routes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for by_method in routes.values_mut() {
            by_method.sort_by_key(|s| s.method);
        }
        let mut text = Exposition::new();

        let requests = "sarkar_http_requests_total";
        text.family(
            requests,
            Kind::Counter,
            "HTTP requests answered, by method, route template and status code.",
        );
        for (route, by_method) in &routes {
            for series in by_method {
                for (status, count) in &series.statuses {
                    let status = status.to_string();
                    let labels = [
                        ("method", series.method),
                        ("route", route),
                        ("status", &status),
                    ];
                    text.sample(requests, &labels, *count);
                }
            }
        }

        let duration = "sarkar_http_request_duration_seconds";
        text.family(
            duration,
            Kind::Histogram,
            "Time from receiving a request to its response being ready to send, in seconds.",
        );
        for (route, by_method) in &routes {
            for series in by_method {
                let histogram = Histogram {
                    bounds: &BUCKETS,
                    counts: &series.buckets,
                    sum: series.seconds,
                };
                text.histogram(
                    duration,
                    &[("method", series.method), ("route", route)],
                    histogram,
                );
            }
        }

        text.family(
            "sarkar_live_events_total",
            Kind::Counter,
            "Changes published to the live-events streams since the server started.",
        );
        text.sample("sarkar_live_events_total", &[], vitals.live_events);
        text.family(
            "sarkar_database_commits_total",
            Kind::Counter,
            "Write transactions committed since the server started.",
        );
        text.sample("sarkar_database_commits_total", &[], vitals.writes.commits);
        text.family(
            "sarkar_database_syncs_total",
            Kind::Counter,
            "fsyncs that made those commits durable; concurrent writers share one.",
        );
        text.sample("sarkar_database_syncs_total", &[], vitals.writes.syncs);
        let gauges: [(&str, &str, Option<u64>); 7] = [
            (
                "sarkar_http_requests_in_flight",
                "Requests being answered now, this scrape included.",
                Some(self.in_flight.load(Ordering::Relaxed)),
            ),
            (
                "sarkar_http_connections_open",
                "Client connections open now, on every port.",
                self.connections
                    .as_ref()
                    .map(|count| u64::try_from(count()).unwrap_or(u64::MAX)),
            ),
            (
                "sarkar_live_streams_open",
                "Live-events streams (/api/events) open now.",
                Some(vitals.live_streams),
            ),
            (
                "sarkar_database_size_bytes",
                "Size of the database file sarkar.redb in bytes.",
                Some(vitals.database_bytes),
            ),
            (
                "sarkar_change_log_sequence",
                "Sequence number of the newest committed change.",
                Some(vitals.last_change),
            ),
            (
                "sarkar_search_index_applied_sequence",
                "Newest change the search index reflects.",
                vitals.index_applied,
            ),
            (
                "sarkar_search_index_lag",
                "Changes committed but not yet in the search index.",
                vitals.index_lag(),
            ),
        ];
        for (name, help, value) in gauges {
            if let Some(value) = value {
                text.family(name, Kind::Gauge, help);
                text.sample(name, &[], value);
            }
        }
        backup_gauges(&mut text, backups);
        text.family(
            "sarkar_process_start_time_seconds",
            Kind::Gauge,
            "When the server started, in seconds since the Unix epoch.",
        );
        text.sample("sarkar_process_start_time_seconds", &[], *STARTED);
        text.family(
            "sarkar_build_info",
            Kind::Gauge,
            "Always 1; the version of the running build is its label.",
        );
        text.sample(
            "sarkar_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))],
            1,
        );
        text.finish()
    }
}

/// Each configured destination's newest backup and whether it is overdue, and the
/// snapshots waiting to upload. Nothing at all while backups are not configured, and
/// a destination without a backup has no time or size (rather than a made-up 0), so an
/// alert on the age of the last backup cannot be fooled.
fn backup_gauges(text: &mut Exposition, backups: &BackupStatus) {
    if !backups.configured {
        return;
    }
    let destinations = &backups.destinations;
    per_destination(
        text,
        destinations,
        "sarkar_backup_last_success_timestamp_seconds",
        "When the snapshot of the newest whole backup in the destination was taken, in seconds since the Unix epoch.",
        |d| {
            let success = d.last_success.as_ref()?;
            u64::try_from(success.taken_at.as_second()).ok()
        },
    );
    per_destination(
        text,
        destinations,
        "sarkar_backup_last_success_bytes",
        "Size of the newest whole backup in the destination (encrypted), in bytes.",
        |d| d.last_success.as_ref().map(|s| s.bytes),
    );
    per_destination(
        text,
        destinations,
        "sarkar_backup_overdue",
        "1 when the destination has no backup or its newest is older than backup.warn_after_hours, else 0.",
        |d| Some(u64::from(d.overdue)),
    );
    let queued = "sarkar_backup_queued_snapshots";
    text.family(
        queued,
        Kind::Gauge,
        "Snapshots on the box waiting to be uploaded to some destination.",
    );
    text.sample(
        queued,
        &[],
        u64::try_from(backups.queued).unwrap_or(u64::MAX),
    );
}

/// One gauge family with a sample for each destination that has a `value`.
fn per_destination(
    text: &mut Exposition,
    destinations: &[DestinationStatus],
    name: &str,
    help: &str,
    value: impl Fn(&DestinationStatus) -> Option<u64>,
) {
    text.family(name, Kind::Gauge, help);
    for d in destinations {
        if let Some(value) = value(d) {
            text.sample(name, &[("destination", &d.name)], value);
        }
    }
}

/// Counts a request while it is being answered, also when its client goes away first.
struct InFlight<'a>(&'a AtomicU64);

impl<'a> InFlight<'a> {
    fn enter(gauge: &'a AtomicU64) -> Self {
        gauge.fetch_add(1, Ordering::Relaxed);
        Self(gauge)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Middleware (a `Router::layer`, so it runs after routing and sees the matched route)
/// that counts and times every request, the fallbacks' included.
pub async fn record(
    State(metrics): State<Arc<HttpMetrics>>,
    mut request: Request,
    next: Next,
) -> Response {
    let method = method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().cloned();
    if route.as_ref().is_some_and(|r| r.as_str() == PATH) {
        // Only the scrape needs the counters; handing them to every request would
        // cost an allocation each.
        request.extensions_mut().insert(metrics.clone());
    }
    let started = Instant::now();
    let response = {
        let _in_flight = InFlight::enter(&metrics.in_flight);
        next.run(request).await
    };
    let route = route.as_ref().map_or(UNMATCHED, MatchedPath::as_str);
    metrics.observe(route, method, response.status().as_u16(), started.elapsed());
    response
}

/// The standard methods by name; anything else is `OTHER`.
fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "OTHER",
    }
}

/// The appliance's figures for a Prometheus scraper: requests by route and status,
/// latencies, requests in flight, database size, change-log sequence and search-index
/// lag, each backup destination's newest backup (time, size, overdue) and the snapshots
/// waiting to upload, start time and version. Open to the store network without signing
/// in; it names no customer, product or sale.
#[utoipa::path(get, path = "/metrics", tag = "system", security(()), responses(
    (status = 200, description = "Prometheus text exposition format", content_type = "text/plain; version=0.0.4", body = String),
    (status = 500, body = Problem),
))]
pub async fn metrics(
    State(state): State<AppState>,
    Extension(http): Extension<Arc<HttpMetrics>>,
) -> Result<Response, AppError> {
    let (vitals, backups) = state
        .crm
        .run(|crm| Ok((crm.vitals()?, crm.backup_vitals())))
        .await?;
    let text = http.render(&vitals, &backups);
    Ok(([(header::CONTENT_TYPE, exposition::CONTENT_TYPE)], text).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vitals() -> Vitals {
        Vitals {
            database_bytes: 4096,
            last_change: 9,
            index_applied: Some(7),
            live_events: 3,
            live_streams: 2,
            writes: crate::store::WriteCounts {
                commits: 5,
                syncs: 2,
            },
        }
    }

    fn no_backups() -> BackupStatus {
        crate::app::backups::status_without_service(
            &crate::config::Config::defaults(),
            jiff::Timestamp::now(),
        )
    }

    /// The value of the sample whose line starts with `series` followed by a space.
    fn value(text: &str, series: &str) -> Option<String> {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
            .map(str::to_owned)
    }

    #[test]
    fn requests_count_by_route_method_and_status_and_fill_the_histogram() {
        let metrics = HttpMetrics::new();
        let fast = Duration::from_micros(300);
        metrics.observe("/customers/{id}", "GET", 200, fast);
        metrics.observe("/customers/{id}", "GET", 200, Duration::from_millis(30));
        metrics.observe("/customers/{id}", "GET", 404, Duration::from_secs(9));
        metrics.observe("/customers/{id}", "PUT", 422, fast);
        metrics.observe(UNMATCHED, "GET", 404, fast);
        let text = metrics.render(&vitals(), &no_backups());

        let counter =
            |labels: &str| value(&text, &format!("sarkar_http_requests_total{{{labels}}}"));
        assert_eq!(
            counter(r#"method="GET",route="/customers/{id}",status="200""#).as_deref(),
            Some("2")
        );
        assert_eq!(
            counter(r#"method="GET",route="/customers/{id}",status="404""#).as_deref(),
            Some("1")
        );
        assert_eq!(
            counter(r#"method="PUT",route="/customers/{id}",status="422""#).as_deref(),
            Some("1")
        );
        assert_eq!(
            counter(r#"method="GET",route="unmatched",status="404""#).as_deref(),
            Some("1")
        );

        let bucket = |le: &str| {
            value(
                &text,
                &format!(
                    r#"sarkar_http_request_duration_seconds_bucket{{method="GET",route="/customers/{{id}}",le="{le}"}}"#
                ),
            )
        };
        assert_eq!(bucket("0.001").as_deref(), Some("1"));
        assert_eq!(bucket("0.025").as_deref(), Some("1"));
        assert_eq!(bucket("0.05").as_deref(), Some("2"));
        assert_eq!(bucket("5").as_deref(), Some("2"));
        assert_eq!(bucket("+Inf").as_deref(), Some("3"));
        let count =
            r#"sarkar_http_request_duration_seconds_count{method="GET",route="/customers/{id}"}"#;
        assert_eq!(value(&text, count).as_deref(), Some("3"));
        let sum =
            r#"sarkar_http_request_duration_seconds_sum{method="GET",route="/customers/{id}"}"#;
        let sum: f64 = value(&text, sum)
            .and_then(|v| v.parse().ok())
            .unwrap_or_default();
        assert!((sum - 9.0303).abs() < 1e-9, "sum {sum}");
    }

    #[test]
    fn the_vitals_are_gauges_and_a_missing_index_is_left_out() {
        let metrics = HttpMetrics::new();
        let text = metrics.render(&vitals(), &no_backups());
        assert_eq!(
            value(&text, "sarkar_database_size_bytes").as_deref(),
            Some("4096")
        );
        assert_eq!(
            value(&text, "sarkar_change_log_sequence").as_deref(),
            Some("9")
        );
        assert_eq!(
            value(&text, "sarkar_search_index_applied_sequence").as_deref(),
            Some("7")
        );
        assert_eq!(
            value(&text, "sarkar_search_index_lag").as_deref(),
            Some("2")
        );
        assert_eq!(
            value(&text, "sarkar_http_requests_in_flight").as_deref(),
            Some("0")
        );
        let version = format!(
            r#"sarkar_build_info{{version="{}"}}"#,
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(value(&text, &version).as_deref(), Some("1"));
        assert!(text.contains("# TYPE sarkar_database_size_bytes gauge\n"));

        let without_index = Vitals {
            index_applied: None,
            ..vitals()
        };
        let text = metrics.render(&without_index, &no_backups());
        assert!(!text.contains("sarkar_search_index"), "{text}");
    }

    #[test]
    fn backups_report_each_destination_and_never_a_time_they_do_not_have() {
        use crate::app::backups::Success;
        let taken_at = jiff::Timestamp::from_second(1_800_000_000).expect("a time");
        let destination = |name: &str, last_success: Option<Success>| DestinationStatus {
            name: name.to_owned(),
            place: format!("folder /media/{name}"),
            overdue: last_success.is_none(),
            last_success,
            last_attempt: None,
            last_error: None,
            retry_at: None,
            waiting: 1,
        };
        let backups = BackupStatus {
            configured: true,
            recipients: 1,
            last_snapshot: Some(taken_at),
            snapshot_error: None,
            next_due: None,
            queued: 2,
            warn_after_hours: 26,
            destinations: vec![
                destination(
                    "usb",
                    Some(Success {
                        id: "b1".to_owned(),
                        taken_at,
                        uploaded_at: taken_at,
                        bytes: 1_234_567,
                    }),
                ),
                destination("r2", None),
            ],
        };
        let text = HttpMetrics::new().render(&vitals(), &backups);
        let at = "sarkar_backup_last_success_timestamp_seconds";
        assert_eq!(
            value(&text, &format!(r#"{at}{{destination="usb"}}"#)).as_deref(),
            Some("1800000000")
        );
        assert_eq!(
            value(
                &text,
                r#"sarkar_backup_last_success_bytes{destination="usb"}"#
            )
            .as_deref(),
            Some("1234567")
        );
        assert!(
            !text.contains(r#"_timestamp_seconds{destination="r2"}"#)
                && !text.contains(r#"_bytes{destination="r2"}"#),
            "no success, no time or size: {text}"
        );
        let overdue = |name: &str| {
            value(
                &text,
                &format!(r#"sarkar_backup_overdue{{destination="{name}"}}"#),
            )
        };
        assert_eq!(overdue("usb").as_deref(), Some("0"));
        assert_eq!(overdue("r2").as_deref(), Some("1"));
        assert_eq!(
            value(&text, "sarkar_backup_queued_snapshots").as_deref(),
            Some("2")
        );
        assert!(text.contains(&format!("# TYPE {at} gauge\n")));

        let text = HttpMetrics::new().render(&vitals(), &no_backups());
        assert!(!text.contains("sarkar_backup"), "not configured: {text}");
    }

    #[test]
    fn unknown_methods_share_one_label() {
        let custom = Method::from_bytes(b"BREW").expect("a valid token");
        assert_eq!(method_label(&custom), "OTHER");
        assert_eq!(method_label(&Method::DELETE), "DELETE");
    }

    #[test]
    fn the_in_flight_gauge_comes_back_down_when_a_request_ends() {
        let gauge = AtomicU64::new(0);
        {
            let _a = InFlight::enter(&gauge);
            let _b = InFlight::enter(&gauge);
            assert_eq!(gauge.load(Ordering::Relaxed), 2);
        }
        assert_eq!(gauge.load(Ordering::Relaxed), 0);
    }
}
