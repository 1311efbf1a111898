//! Pages and their API twins give the same allow/deny answer, because both ask the same
//! `app` function: every page route, as a Business Admin, as a Floor Manager of the
//! record's own floor (A) and as a Floor Manager of another floor (B).
//!
//! Allowed is 2xx/3xx; denied is 403 or 404, one class, because the floor scope hides
//! another floor's records (404) where a change to a visible one is refused (403), and
//! the API's permission check comes before the record is looked up. Anything else (a
//! 409, a 422) must match exactly.

mod before_the_body;
mod cases;
mod fixtures;

use reqwest::{Method, StatusCode};
use sarkar_crm::domain::UserRole;
use serde_json::Value;

use crate::helpers::{Client, TestApp, config_without_rate_limits, floor};
use crate::pages::PageClient;
use cases::{Page, Twin, cases};
use fixtures::{Fixtures, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Allowed,
    Denied,
    Refused(u16),
}
use Answer::{Allowed, Denied};

fn answer(status: StatusCode) -> Answer {
    match status.as_u16() {
        200..=399 => Allowed,
        403 | 404 => Denied,
        other => Answer::Refused(other),
    }
}

/// Who asks: the page client and the API client of one person.
struct Person {
    label: &'static str,
    pages: PageClient,
    api: Client,
    id: String,
    sells_on_their_floor: bool,
}

impl Person {
    async fn sign_in(app: &TestApp, username: &str, label: &'static str) -> Self {
        let api = app.login(username).await;
        let me = api.get_json("/api/users/profile").await;
        Self {
            label,
            pages: PageClient::sign_in(app, username).await,
            id: me["id"].as_str().expect("my id").to_owned(),
            sells_on_their_floor: me["role"] == "FLOOR_MANAGER",
            api,
        }
    }

    async fn page(&self, page: &Page, fixtures: &mut Fixtures<'_>) -> StatusCode {
        let path = fixtures.fill(page.path, &self.id).await;
        if page.method == Method::GET {
            return self.pages.get(&path).await.0;
        }
        let mut form = Vec::new();
        for (name, value) in page.form {
            form.push((*name, fixtures.fill(value, &self.id).await));
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.pages.post_form(&path, &pairs).await.status()
    }

    async fn api(
        &self,
        (method, path, body): (&Method, &str, Option<&str>),
        fixtures: &mut Fixtures<'_>,
    ) -> StatusCode {
        let path = fixtures.fill(path, &self.id).await;
        let mut request = self.api.request(method.clone(), &path);
        if let Some(body) = body {
            let floor = if self.sells_on_their_floor {
                "null"
            } else {
                "\"{floor_a}\""
            };
            let body = fixtures
                .fill(&body.replace("\"{sale_floor}\"", floor), &self.id)
                .await;
            let json: Value = serde_json::from_str(&body).expect("a case's body is JSON");
            request = request.json(&json);
        }
        request.send().await.expect("request").status()
    }
}

#[tokio::test]
async fn every_page_and_its_api_twin_give_the_same_answer() {
    // Each role's API session asks every twin in a row, more than a session's burst
    // allows on an idle machine; the limits have their own tests.
    let app = TestApp::spawn_with(config_without_rate_limits()).await;
    let admin = app.admin().await;
    let store = Store {
        floor_a: floor(&admin, "Floor A", 0).await,
        floor_b: floor(&admin, "Floor B", 1).await,
        admin,
    };
    app.add_user("manager.a", UserRole::FloorManager, Some("Floor A"), None)
        .await;
    app.add_user("manager.b", UserRole::FloorManager, Some("Floor B"), None)
        .await;
    let people = [
        Person::sign_in(&app, "owner", "Business Admin").await,
        Person::sign_in(&app, "manager.a", "Floor Manager of floor A").await,
        Person::sign_in(&app, "manager.b", "Floor Manager of floor B").await,
    ];

    let mut shared = Fixtures::new(&store);
    let mut wrong = Vec::new();
    for case in cases() {
        let changes = case.page.method != Method::GET;
        for (who, person) in people.iter().enumerate() {
            let mut fresh = Fixtures::new(&store);
            let on_page = if changes { &mut fresh } else { &mut shared };
            let page = answer(person.page(&case.page, on_page).await);
            let what = format!(
                "{} {} as {}",
                case.page.method, case.page.path, person.label
            );
            if who == 0 && page != case.admin {
                wrong.push(format!(
                    "{what}: the page answers {page:?}, the admin expects {:?}",
                    case.admin
                ));
            }
            match &case.twin {
                Twin::Api { method, path, body } => {
                    let mut fresh = Fixtures::new(&store);
                    let on_api = if changes { &mut fresh } else { &mut shared };
                    let api = answer(person.api((method, path, *body), on_api).await);
                    if api != page {
                        wrong.push(format!(
                            "{what}: the page answers {page:?} but {method} {path} answers {api:?}"
                        ));
                    }
                }
                Twin::None { why, expect } => {
                    if page != expect[who] {
                        wrong.push(format!(
                            "{what} (no API twin: {why}): answers {page:?}, expected {:?}",
                            expect[who]
                        ));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "pages and the API disagree:\n{}",
        wrong.join("\n")
    );
}

/// Whether a case's path (its query aside) is an address of `route`: the same segments,
/// with any value where the route has a parameter.
fn is_address_of(path: &str, route: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (path, route): (Vec<&str>, Vec<&str>) =
        (path.split('/').collect(), route.split('/').collect());
    path.len() == route.len()
        && path
            .iter()
            .zip(&route)
            .all(|(given, pattern)| pattern.starts_with('{') || given == pattern)
}

#[test]
fn the_walk_covers_every_page_route() {
    let walked = cases();
    let missing: Vec<&str> = sarkar_crm::web::paths::PAGE_ROUTES
        .iter()
        .copied()
        .filter(|route| {
            !walked
                .iter()
                .any(|case| is_address_of(case.page.path, route))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "add these page routes to tests/it/permissions/cases.rs: {missing:?}"
    );
}
