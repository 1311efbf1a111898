//! A test app: a fresh data directory, the server started as `main` starts it, and
//! signed-in HTTP clients.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use sarkar_crm::Server;
use sarkar_crm::app::StoreRegistration;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::config::Config;
use sarkar_crm::domain::{Gstin, Store, UserRole};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub addr: SocketAddr,
    data_dir: PathBuf,
    _temp: Option<TempDir>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    app_crm: Option<sarkar_crm::app::Crm>,
}

impl TestApp {
    /// A new app with an empty database, and a Business Admin `owner` of "Sarkar Jewellers".
    pub async fn spawn() -> Self {
        Self::spawn_with(Config::defaults()).await
    }

    /// As [`TestApp::spawn`], with `config`.
    pub async fn spawn_with(config: Config) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let path = temp.path().to_owned();
        let mut app = Self::start_with(config, &path).await;
        app._temp = Some(temp);
        app.add_user("owner", UserRole::BusinessAdmin, None, None)
            .await;
        app
    }

    /// Starts the server on an existing data directory (kept by the caller).
    pub async fn start(data_dir: &Path) -> Self {
        Self::start_with(Config::defaults(), data_dir).await
    }

    /// Starts the server with `config` on an existing data directory (kept by the caller).
    /// The notification scheduler stays off: it writes on its own clock (follow-ups
    /// falling due, opening time), which a test counting the change log must not meet;
    /// `notifications.rs` starts it with [`TestApp::start_scheduled`].
    pub async fn start_with(mut config: Config, data_dir: &Path) -> Self {
        config.notifications.scheduler = false;
        Self::start_scheduled(config, data_dir).await
    }

    /// Starts the server with `config` exactly as given, the notification scheduler on
    /// if it says so, on an existing data directory (kept by the caller).
    pub async fn start_scheduled(config: Config, data_dir: &Path) -> Self {
        let server = Server::build(config, data_dir, "127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("the server starts");
        let addr = server.local_addr();
        let app_crm = Some(server.crm().clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = tokio::spawn(server.run_until_stopped(async move {
            let _ = stopped.await;
        }));
        Self {
            addr,
            data_dir: data_dir.to_owned(),
            _temp: None,
            stop: Some(stop),
            server: Some(serving),
            app_crm,
        }
    }

    /// Starts a stopped app's server again on `data_dir`, keeping its temporary directory alive.
    pub async fn start_keeping(data_dir: &Path, mut stopped: TestApp) -> Self {
        let mut again = Self::start(data_dir).await;
        again._temp = stopped._temp.take();
        again
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Stops the server gracefully and starts it again on the same data.
    pub async fn restart(self) -> Self {
        self.restart_with(Config::defaults()).await
    }

    /// As [`TestApp::restart`], starting again with `config`.
    pub async fn restart_with(mut self, config: Config) -> Self {
        let temp = self._temp.take();
        self.stop().await;
        let mut again = Self::start_with(config, &self.data_dir).await;
        again._temp = temp;
        again
    }

    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
        // The last handle to the database must go before it can be opened again.
        self.app_crm = None;
    }

    /// Adds a user as `sarkar-crm user add` does, and registers their store under GST
    /// if it is not yet (see `register_store`).
    pub async fn add_user(
        &self,
        username: &str,
        role: UserRole,
        floor: Option<&str>,
        store: Option<&str>,
    ) {
        let crm = self.app_crm.as_ref().expect("the app is running");
        crm.add_user_from_cli(CliUser {
            username: username.into(),
            password: PASSWORD.into(),
            name: None,
            role,
            store: store.map(Into::into),
            floor: floor.map(Into::into),
        })
        .await
        .expect("user added");
        let store = match store {
            Some(name) => crm.ensure_store(name),
            None => crm.default_store(),
        }
        .expect("the user's store");
        register_store(crm, store);
    }

    /// The change log from the start.
    pub fn changes(&self) -> Vec<sarkar_crm::store::Change> {
        let crm = self.app_crm.as_ref().expect("the app is running");
        crm.db()
            .read(|rx| rx.changes_after(0, 10_000))
            .expect("change log reads")
    }

    pub fn crm(&self) -> &sarkar_crm::app::Crm {
        self.app_crm.as_ref().expect("the app is running")
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn anonymous(&self) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: self.url(""),
            token: None,
        }
    }

    /// Signs in with the API and returns a client that sends the bearer token.
    pub async fn login(&self, username: &str) -> Client {
        let client = self.anonymous();
        let response = client
            .post(
                "/api/auth/login",
                &json!({"username": username, "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "login as {username}");
        let body: Value = response.json().await.expect("login json");
        Client {
            token: Some(body["token"].as_str().expect("token").to_owned()),
            ..client
        }
    }

    pub async fn admin(&self) -> Client {
        self.login("owner").await
    }
}

/// The id of the floor named `name` in the store `client` signs in to.
pub async fn floor_id(client: &Client, name: &str) -> String {
    let floors = client.get_json("/api/floors").await;
    floors["items"]
        .as_array()
        .expect("floors")
        .iter()
        .find(|f| f["name"] == name)
        .and_then(|f| f["id"].as_str())
        .unwrap_or_else(|| panic!("no floor named {name}"))
        .to_owned()
}

/// The GSTIN `register_store` gives a store in West Bengal (state 19), the tests' state.
pub const STORE_GSTIN: &str = "19AABCS1429B1ZR";

/// Registers `store` under GST with a GSTIN of its state (PAN AABCS1429B, so
/// `19AABCS1429B1ZR` in West Bengal; tests that set a GSTIN of their own use another),
/// keeping its address, unless it has a GSTIN already. The tests' stores are registered jewellers, whose bills charge GST; a store
/// without a GSTIN draws up bills of supply (tested on its own in `sales`).
pub fn register_store(crm: &sarkar_crm::app::Crm, store: Store) {
    if store.gstin.is_some() {
        return;
    }
    let gstin = Gstin::with_check_character(&format!("{}AABCS1429B1Z", store.state_code))
        .expect("a GSTIN for the store's state");
    let registration = StoreRegistration {
        gstin: Some(gstin),
        state_code: store.state_code.clone(),
        address: store.address.clone(),
    };
    crm.register_store(store.id, registration)
        .expect("the store is registered");
}

#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
}

impl Client {
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let builder = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PUT, path)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path)
            .send()
            .await
            .expect("request")
    }

    /// GETs `path`, expecting 200, and returns the JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        expect_json(response, StatusCode::OK).await
    }

    /// POSTs, expecting 201 Created, and returns the JSON.
    pub async fn create(&self, path: &str, body: &Value) -> Value {
        expect_json(self.post(path, body).await, StatusCode::CREATED).await
    }
}

/// Asserts the status and returns the JSON body, printing it when the status is wrong.
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    if actual.is_client_error() || actual.is_server_error() {
        assert_eq!(
            content_type, "application/problem+json",
            "errors are problem+json: {text}"
        );
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts a problem+json answer with `status` whose `errors` map names `field`.
pub async fn expect_field_problem(response: Response, status: StatusCode, field: &str) -> Value {
    let body = expect_json(response, status).await;
    assert!(
        body["errors"].get(field).is_some(),
        "expected an error for `{field}`: {body}"
    );
    body
}

/// The smallest valid customer.
pub fn customer(name: &str, phone: &str) -> Value {
    json!({ "name": name, "phone": phone })
}

/// A valid 22K gold product on `floor_id`.
pub fn product(sku: &str, floor_id: &str) -> Value {
    json!({
        "sku": sku,
        "name": "22K Temple Necklace",
        "floor_id": floor_id,
        "metal": "GOLD",
        "purity": "22K",
        "gross_weight_mg": 25_450,
        "stone_weight_mg": 0,
        "making_charge": { "per_gram_paise": 55_000 },
        "huid": "AB12C3",
        "stock_qty": 1
    })
}

/// Creates a floor as the admin and returns its id.
pub async fn floor(admin: &Client, name: &str, level: i64) -> String {
    let floor = admin
        .create("/api/floors", &json!({"name": name, "level": level}))
        .await;
    floor["id"].as_str().expect("floor id").to_owned()
}

/// A piece of a text with `{name}` placeholders: as written, or a name to fill in.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Name(&'a str),
}

/// `text` cut into its literal parts and its `{name}` placeholders (lower-case letters
/// and `_`); braces around anything else, as JSON's own, stay text.
pub fn placeholders(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            pieces.push(Piece::Text(&rest[..=start]));
            rest = &rest[start + 1..];
            continue;
        }
        pieces.push(Piece::Text(&rest[..start]));
        pieces.push(Piece::Name(name));
        rest = &rest[start + len + 1..];
    }
    pieces.push(Piece::Text(rest));
    pieces
}

/// A bill drawn up by `admin` on `floor` for one `product` to `customer`, paid in full
/// in cash, and completed if asked; answers its id.
pub async fn paid_bill(
    admin: &Client,
    customer: &str,
    floor: &str,
    product: &str,
    complete: bool,
) -> String {
    let mut body = json!({
        "customer_id": customer,
        "floor_id": floor,
        "lines": [{"product_id": product}],
    });
    let quote = admin.post("/api/sales/quote", &body).await;
    assert_eq!(quote.status(), StatusCode::OK, "quote");
    let payable = quote.json::<Value>().await.expect("quote json")["payable_paise"].clone();
    body["payments"] = json!([{"method": "CASH", "amount_paise": payable}]);
    let sale = admin.create("/api/sales", &body).await["id"]
        .as_str()
        .expect("sale id")
        .to_owned();
    if complete {
        let done = admin
            .post(&format!("/api/sales/{sale}/complete"), &json!({}))
            .await;
        assert_eq!(done.status(), StatusCode::OK, "sale completed");
    }
    sale
}

/// The built-in configuration with the API's rate limits off, for a test that sends
/// hundreds of requests from one address to check what each route answers (the
/// limits themselves are tested in `api_keys.rs`).
pub fn config_without_rate_limits() -> Config {
    let mut config = Config::defaults();
    config.rate_limits.session_per_minute = 0;
    config.rate_limits.key_per_minute = 0;
    config.rate_limits.address_per_minute = 0;
    config
}

/// The `sarkar-crm` binary built for these tests.
pub fn binary() -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_sarkar-crm"));
    command
        .env_remove("SARKAR_DATA_DIR")
        .env_remove("SARKAR_CONFIG")
        .env_remove("SARKAR_LISTEN")
        .env("RUST_LOG", "warn");
    command.kill_on_drop(true);
    command
}

/// Runs `sarkar-crm --data-dir DIR user add …` with the test password on stdin.
pub async fn cli_add_user(data_dir: &Path, args: &[&str]) -> std::process::Output {
    use tokio::io::AsyncWriteExt;
    let mut child = binary()
        .arg("--data-dir")
        .arg(data_dir)
        .args(["user", "add"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // A command that fails on its arguments exits before reading; that is its answer.
    let _ = stdin.write_all(format!("{PASSWORD}\n").as_bytes()).await;
    drop(stdin);
    child.wait_with_output().await.expect("binary finishes")
}

/// A `sarkar-crm serve` process, with the address it printed.
pub struct ServerProcess {
    pub child: tokio::process::Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts `serve --http --listen 127.0.0.1:0` and waits for the line that names its address.
    pub async fn start(data_dir: &Path) -> Self {
        let (child, first) = Self::spawn(binary().arg("--data-dir").arg(data_dir).args([
            "serve",
            "--http",
            "--listen",
            "127.0.0.1:0",
        ]))
        .await;
        let base = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("a URL in the first line")
            .trim_end_matches('/')
            .to_owned();
        Self { child, base }
    }

    /// Starts the server `command` describes and answers its first line of output (the
    /// address it serves at). The rest of the output is read and dropped, so the server
    /// never blocks on a full pipe.
    pub async fn spawn(command: &mut tokio::process::Command) -> (tokio::process::Child, String) {
        use tokio::io::AsyncBufReadExt;
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let first = lines
            .next_line()
            .await
            .expect("read stdout")
            .expect("the server prints its address");
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        (child, first)
    }

    pub fn client(&self) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: self.base.clone(),
            token: None,
        }
    }

    pub async fn login(&self, username: &str) -> Client {
        self.login_with(username, PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) -> Client {
        let client = self.client();
        let body = expect_json(
            client
                .post(
                    "/api/auth/login",
                    &json!({"username": username, "password": password}),
                )
                .await,
            StatusCode::OK,
        )
        .await;
        Client {
            token: Some(body["token"].as_str().expect("token").to_owned()),
            ..client
        }
    }
}

#[test]
fn placeholders_are_names_in_braces_and_json_braces_stay_text() {
    assert_eq!(
        placeholders(r#"{"id": "{customer}", "n": {n}}"#),
        [
            Piece::Text("{"),
            Piece::Text(r#""id": ""#),
            Piece::Name("customer"),
            Piece::Text(r#"", "n": "#),
            Piece::Name("n"),
            Piece::Text("}"),
        ]
    );
}

/// Uploads `csv` as a customer file for import (`POST /api/customers/import`) and
/// answers the draft, expecting 201.
pub async fn draft_customer_import(client: &Client, file_name: &str, csv: &str) -> Value {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name(file_name.to_owned()),
    );
    let response = client
        .request(Method::POST, "/api/customers/import")
        .multipart(form)
        .send()
        .await
        .expect("upload");
    expect_json(response, StatusCode::CREATED).await
}
