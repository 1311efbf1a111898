//! The authorization matrix, generated from the OpenAPI document: every operation the
//! running server documents is asked by an anonymous caller, the Business Admin of store
//! A, the Floor Managers of its floors 1 and 2 and the Business Admin of store B, about
//! a record of floor 1, of floor 2 and of store B wherever it takes one. The answers
//! must match the rules and rows of `table.rs`; an operation without a row, or a row
//! without an operation, fails the test by name. A refused write must leave the change
//! log where it was.

mod records;
mod table;

use std::collections::BTreeSet;

use reqwest::Method;
use sarkar_crm::domain::UserRole;
use serde_json::Value;

use crate::helpers::{Client, TestApp, floor};
use records::{AllRecords, Ground, Records};
use table::{Access, Expect, Kind, Operation, Target, expected, operations};

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    AdminA,
    ManagerFloor1,
    ManagerFloor2,
    AdminB,
}

/// Whose record is asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Floor1,
    Floor2,
    StoreB,
}

impl Actor {
    const ALL: [Actor; 5] = [
        Actor::Anonymous,
        Actor::AdminA,
        Actor::ManagerFloor1,
        Actor::ManagerFloor2,
        Actor::AdminB,
    ];

    pub fn is_admin(self) -> bool {
        matches!(self, Actor::AdminA | Actor::AdminB)
    }

    pub fn in_store_b(self) -> bool {
        self == Actor::AdminB
    }

    /// The floor a Floor Manager works on.
    pub fn floor(self) -> Option<Owner> {
        match self {
            Actor::ManagerFloor1 => Some(Owner::Floor1),
            Actor::ManagerFloor2 => Some(Owner::Floor2),
            _ => None,
        }
    }

    /// Whose records fill the body of a request about no record in particular.
    fn home(self) -> Owner {
        match self {
            Actor::ManagerFloor2 => Owner::Floor2,
            Actor::AdminB => Owner::StoreB,
            _ => Owner::Floor1,
        }
    }

    fn username(self) -> Option<&'static str> {
        match self {
            Actor::Anonymous => None,
            Actor::AdminA => Some("owner"),
            Actor::ManagerFloor1 => Some("manager.one"),
            Actor::ManagerFloor2 => Some("manager.two"),
            Actor::AdminB => Some("ghosh.admin"),
        }
    }
}

impl Owner {
    pub fn in_store_b(self) -> bool {
        self == Owner::StoreB
    }
}

fn answer_matches(status: u16, expect: Expect) -> bool {
    match expect {
        Expect::Allowed => (200..300).contains(&status),
        Expect::Unauthorized => status == 401,
        Expect::Denied => status == 403 || status == 404,
        Expect::Status(code) => status == code,
    }
}

/// The operations (`METHOD /path`) the server's OpenAPI document describes.
async fn documented(app: &TestApp) -> BTreeSet<String> {
    let doc = app.anonymous().get_json("/api/openapi.json").await;
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let item = item.as_object().expect("a path item");
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if item.contains_key(method) {
                found.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    found
}

fn without_query(name: &str) -> String {
    name.split('?').next().unwrap_or(name).to_owned()
}

/// The table and the document name the same operations, or the test says which differ.
fn check_coverage(table: &[Operation], document: &BTreeSet<String>) {
    let rows: BTreeSet<String> = table.iter().map(|op| without_query(&op.name())).collect();
    let unexpected: Vec<&String> = document.difference(&rows).collect();
    let stale: Vec<&String> = rows.difference(document).collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "the authorization matrix and the OpenAPI document disagree.\n\
         Operations with no row in tests/it/authz_matrix/table.rs (add one each, saying who may use it): {unexpected:?}\n\
         Rows for operations the document lacks (remove or rename them): {stale:?}"
    );
}

struct Walk {
    app: TestApp,
    clients: Vec<(Actor, Client)>,
    records: AllRecords,
}

impl Walk {
    async fn client(&self, actor: Actor, access: Access) -> Client {
        match (access, actor.username()) {
            // A session of its own, so the caller's working one survives signing out.
            (Access::OwnSession, Some(username)) => self.app.login(username).await,
            _ => self
                .clients
                .iter()
                .find(|(who, _)| *who == actor)
                .map(|(_, client)| client.clone())
                .expect("every actor has a client"),
        }
    }

    /// Asks `operation` as `actor` about `owner`'s record (or none), and says what is wrong.
    async fn ask(&mut self, op: &Operation, actor: Actor, owner: Option<Owner>) -> Option<String> {
        let mut template = op.body.unwrap_or_default().to_owned();
        if owner.is_some_and(|owner| owner.in_store_b() != actor.in_store_b())
            && matches!(op.target, Target::Record(_))
        {
            let home_floor = self.records.of(actor.home()).record(Kind::Floor).await;
            template = template.replace("{floor}", &home_floor);
        }
        let records: &mut Records = self.records.of(owner.unwrap_or(actor.home()));
        let mut path = op.path.to_owned();
        if let Target::Record(kind) = op.target {
            path = path.replace("{id}", &records.record(kind).await);
        }
        // A second record in the path belongs to the first (a product's photo, a
        // customer's document) or is a photo's name.
        path = records.fill(&path).await;
        let body = match op.body {
            Some(_) => Some(records.fill(&template).await),
            None => None,
        };
        let method = Method::from_bytes(op.method.as_bytes()).expect("a method");
        let client = self.client(actor, op.access).await;
        let before = self.app.crm().last_change().expect("change log");
        let mut request = client.request(method.clone(), &path);
        if let Some(body) = body {
            let json: Value = serde_json::from_str(&body).expect("a row's body is JSON");
            request = request.json(&json);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        // A stream of live events never ends: its status is the answer, and dropping the
        // response closes it.
        let streams = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"));
        let text = if streams {
            String::new()
        } else {
            response.text().await.unwrap_or_default()
        };
        let wrote = self.app.crm().last_change().expect("change log") != before;
        // A commit or undo of an import answers 202 and carries on in the background:
        // it finishes before the next request, whose change-log check it would upset.
        if status == 202
            && let Some(id) = path
                .strip_prefix("/api/imports/")
                .and_then(|rest| rest.split('/').next())
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
        {
            let id = sarkar_crm::domain::ImportId::from_uuid(id);
            while self.app.crm().import_progress(id).is_some() {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }

        let want = expected(op, actor, owner);
        let whose = owner.map_or(String::new(), |owner| format!(" on a record of {owner:?}"));
        let what = format!("{} as {actor:?}{whose}", op.name());
        let success = (200..300).contains(&status);
        if success && method != Method::GET && op.target != Target::Nothing {
            self.records.of(owner.unwrap_or(actor.home())).forget();
        }
        if !answer_matches(status, want) {
            let detail: String = text.chars().take(200).collect();
            return Some(format!(
                "{what}: answered {status}, expected {want:?} ({detail})"
            ));
        }
        if !success && wrote {
            return Some(format!(
                "{what}: refused with {status} but the change log moved"
            ));
        }
        None
    }
}

#[tokio::test]
async fn every_documented_operation_answers_each_role_as_the_table_says() {
    // Hundreds of requests from one address in a few seconds.
    let app = TestApp::spawn_with(crate::helpers::config_without_rate_limits()).await;
    app.add_user("manager.one", UserRole::FloorManager, Some("Floor 1"), None)
        .await;
    app.add_user("manager.two", UserRole::FloorManager, Some("Floor 2"), None)
        .await;
    app.add_user(
        "ghosh.admin",
        UserRole::BusinessAdmin,
        None,
        Some("Ghosh & Sons"),
    )
    .await;
    let table = operations();
    check_coverage(&table, &documented(&app).await);

    let admin_a = app.admin().await;
    let admin_b = app.login("ghosh.admin").await;
    let floors = admin_a.get_json("/api/floors").await;
    let floor_named = |name: &str| {
        floors["items"]
            .as_array()
            .expect("floors")
            .iter()
            .find(|f| f["name"] == name)
            .and_then(|f| f["id"].as_str())
            .expect("the floor exists")
            .to_owned()
    };
    let ground = |admin: &Client, floor: String| Ground {
        admin: admin.clone(),
        floor,
    };
    let records = AllRecords {
        floor_1: Records::new(ground(&admin_a, floor_named("Floor 1"))),
        floor_2: Records::new(ground(&admin_a, floor_named("Floor 2"))),
        store_b: Records::new(ground(&admin_b, floor(&admin_b, "Ground Floor", 0).await)),
    };
    let mut clients = vec![(Actor::Anonymous, app.anonymous())];
    for actor in Actor::ALL {
        if let Some(username) = actor.username() {
            clients.push((actor, app.login(username).await));
        }
    }
    let mut walk = Walk {
        app,
        clients,
        records,
    };

    let mut wrong = Vec::new();
    let mut asked = 0;
    for op in &table {
        let owners: &[Option<Owner>] = match op.target {
            Target::Nothing => &[None],
            Target::Record(_) | Target::BodyFloor => &[
                Some(Owner::Floor1),
                Some(Owner::Floor2),
                Some(Owner::StoreB),
            ],
        };
        for actor in Actor::ALL {
            for owner in owners {
                asked += 1;
                if let Some(problem) = walk.ask(op, actor, *owner).await {
                    wrong.push(problem);
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {asked} answers differ from tests/it/authz_matrix/table.rs:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
