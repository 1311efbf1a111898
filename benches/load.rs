//! The box under a crowd. The release server on the 100,000-customer demo store and a
//! bare axum hello-world are started in the same run, each in its own process, and wrk
//! loads each with keep-alive connections: `/healthz`, a customer's page and record, a
//! search, creates from 1 and 8 writers, and a mixed tablet workload at 64 and 500
//! connections. Prints req/s, p50/p99 and the server's RSS after each load, and the
//! ratios to the bare server that the README's Performance section records.
//!
//! Needs wrk (`apt-get install -y wrk`). Run with `cargo bench --bench load`. wrk and the
//! servers share the two cores, the same way for the bare server as for ours.
//!
//! For profiling, `SARKAR_LOAD_BENCH_ONLY=healthz,page` runs only the loads whose label
//! holds one of those words, `SARKAR_LOAD_BENCH_SECONDS=30` makes each load longer, and
//! the server's pid is printed for `perf record -p`. `SARKAR_LOAD_BENCH_SERVER=path`
//! loads another build of `sarkar-crm` (an earlier commit's, for before-and-after
//! figures) on the same demo store.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::Context;

use sarkar_crm::app::Crm;
use sarkar_crm::app::setup::CliUser;
use sarkar_crm::config::Config;
use sarkar_crm::data_dir::open_database;
use sarkar_crm::demo::{DemoOptions, generate};
use sarkar_crm::domain::UserRole;

#[path = "support/process.rs"]
mod process;
use process::{rss_kb, start_printing_address};

const PASSWORD: &str = "bench passphrase";
/// Set in the environment of the bench's own copy that serves hello-world.
const HELLO_ROLE: &str = "SARKAR_LOAD_BENCH_HELLO";
/// How long each load runs unless `SARKAR_LOAD_BENCH_SECONDS` says otherwise.
const SECONDS: u32 = 10;

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if std::env::var_os(HELLO_ROLE).is_some() {
        return runtime.block_on(serve_hello());
    }
    runtime.block_on(run())
}

/// The bare server to compare with: axum's hello-world on tokio's defaults.
async fn serve_hello() -> anyhow::Result<()> {
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello, World!" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

/// One load: where, how many connections, and the wrk script that makes the requests.
struct Load {
    label: &'static str,
    base: String,
    connections: u32,
    script: String,
}

/// What wrk measured.
struct Measured {
    per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
    requests: u64,
}

async fn run() -> anyhow::Result<()> {
    let wrk_found = std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .is_ok();
    anyhow::ensure!(
        wrk_found,
        "this benchmark drives the servers with wrk: install it with `apt-get install -y wrk`"
    );
    let dir = tempfile::tempdir()?;
    prepare_store(dir.path()).await?;
    let binary = std::env::var_os("SARKAR_LOAD_BENCH_SERVER")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_sarkar-crm").into());
    let (mut server, base) = start_printing_address(
        tokio::process::Command::new(binary)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["serve", "--http", "--listen", "127.0.0.1:0"])
            // wrk opens up to 500 connections from one address and one session.
            .env("SARKAR__SERVER__MAX_CONNECTIONS_PER_ADDRESS", "2000")
            .env("SARKAR__RATE_LIMITS__SESSION_PER_MINUTE", "0")
            .env("SARKAR__RATE_LIMITS__KEY_PER_MINUTE", "0")
            .env("SARKAR__RATE_LIMITS__ADDRESS_PER_MINUTE", "0"),
    )
    .await?;
    let (_hello, hello) = start_printing_address(
        tokio::process::Command::new(std::env::current_exe()?).env(HELLO_ROLE, "1"),
    )
    .await?;
    let pid = server.id().context("the server's pid")?;
    println!("server pid {pid}");
    let seconds: u32 = match std::env::var("SARKAR_LOAD_BENCH_SECONDS") {
        Ok(value) => value
            .parse()
            .context("SARKAR_LOAD_BENCH_SECONDS is whole seconds")?,
        Err(_) => SECONDS,
    };
    let only: Vec<String> = std::env::var("SARKAR_LOAD_BENCH_ONLY")
        .map(|words| words.split(',').map(str::to_owned).collect())
        .unwrap_or_default();

    let http = reqwest::Client::new();
    let login: serde_json::Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = login["token"]
        .as_str()
        .context("a session token")?
        .to_owned();
    let listed: serde_json::Value = http
        .get(format!("{base}/api/customers?per_page=100"))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let customers: Vec<(String, String)> = listed["items"]
        .as_array()
        .context("a list of customers")?
        .iter()
        .filter_map(|c| {
            let id = c["id"].as_str()?.to_owned();
            let surname = c["name"].as_str()?.split_whitespace().last()?.to_owned();
            Some((id, surname))
        })
        .collect();
    anyhow::ensure!(!customers.is_empty(), "the demo store has customers");
    let (first_id, _) = &customers[0];

    let scripts = Scripts {
        dir: dir.path().to_owned(),
        token: token.clone(),
    };
    let get = |path: &str, name: &str| scripts.get(name, path);
    let loads = vec![
        Load {
            label: "bare axum hello-world",
            base: hello.clone(),
            connections: 64,
            script: get("/", "hello")?,
        },
        Load {
            label: "/healthz",
            base: base.clone(),
            connections: 64,
            script: get("/healthz", "healthz")?,
        },
        Load {
            label: "GET /api/customers/{id}",
            base: base.clone(),
            connections: 64,
            script: get(&format!("/api/customers/{first_id}"), "api-customer")?,
        },
        Load {
            label: "page /customers/{id}",
            base: base.clone(),
            connections: 64,
            script: get(&format!("/customers/{first_id}"), "page-customer")?,
        },
        Load {
            label: "page /customers",
            base: base.clone(),
            connections: 64,
            script: get("/customers", "page-customers")?,
        },
        Load {
            label: "GET /api/customers?q=Das",
            base: base.clone(),
            connections: 64,
            script: get("/api/customers?q=Das", "search")?,
        },
        Load {
            label: "POST /api/customers, 1 writer",
            base: base.clone(),
            connections: 1,
            script: scripts.creates("create-1", 1)?,
        },
        Load {
            label: "POST /api/customers, 8 writers",
            base: base.clone(),
            connections: 8,
            script: scripts.creates("create-8", 2)?,
        },
        Load {
            label: "mixed tablet work, 64 connections",
            base: base.clone(),
            connections: 64,
            script: scripts.mixed("mixed-64", 3, &customers, 0)?,
        },
        Load {
            label: "mixed tablet work, 500 conns, 100 ms think",
            base: base.clone(),
            connections: 500,
            script: scripts.mixed("mixed-500-think", 4, &customers, 100)?,
        },
        Load {
            label: "mixed tablet work, 500 connections",
            base: base.clone(),
            connections: 500,
            script: scripts.mixed("mixed-500", 5, &customers, 0)?,
        },
    ];

    println!(
        "{:<44} {:>6} {:>10} {:>9} {:>9} {:>7} {:>9}",
        "load (wrk, keep-alive)", "conns", "req/s", "p50 ms", "p99 ms", "errors", "RSS MiB"
    );
    let mut measured = Vec::new();
    for load in &loads {
        if !only.is_empty() && !only.iter().any(|word| load.label.contains(word.as_str())) {
            continue;
        }
        let result = drive(load, seconds).await?;
        let rss = rss_mib(pid)?;
        println!(
            "{:<44} {:>6} {:>10.0} {:>9.2} {:>9.2} {:>7} {:>9.0}",
            load.label,
            load.connections,
            result.per_sec,
            result.p50_ms,
            result.p99_ms,
            result.errors,
            rss
        );
        anyhow::ensure!(result.requests > 0, "{}: wrk made no requests", load.label);
        measured.push((load.label, result));
    }
    let Some(hello_rate) = measured
        .iter()
        .find(|(label, _)| label.starts_with("bare"))
        .map(|(_, hello)| hello.per_sec)
    else {
        return Ok(());
    };
    println!();
    for (label, result) in measured
        .iter()
        .filter(|(label, _)| !label.starts_with("bare"))
    {
        println!(
            "{:<44} {:.3} of the bare server's req/s",
            label,
            result.per_sec / hello_rate
        );
    }
    server.kill().await?;
    Ok(())
}

/// A demo store the size the issue names, with an owner to sign in as.
async fn prepare_store(dir: &std::path::Path) -> anyhow::Result<()> {
    let config = Config::defaults();
    let crm = Crm::new(open_database(dir, &config)?, config);
    let started = Instant::now();
    let options = DemoOptions {
        customers: 100_000,
        products: 5_000,
        sales: 200_000,
        seed: 1,
    };
    generate(&crm, &options, false)?;
    crm.add_user_from_cli(CliUser {
        username: "owner".into(),
        password: PASSWORD.into(),
        name: None,
        role: UserRole::BusinessAdmin,
        store: None,
        floor: None,
    })
    .await?;
    println!(
        "demo store 100k customers / 5k products / 200k sales: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes the wrk scripts into the bench's temporary directory.
struct Scripts {
    dir: std::path::PathBuf,
    token: String,
}

impl Scripts {
    fn write(&self, name: &str, lua: &str) -> anyhow::Result<String> {
        let path = self.dir.join(format!("{name}.lua"));
        std::fs::write(&path, lua)?;
        Ok(path.display().to_string())
    }

    /// The headers a tablet's browser sends: the session cookie, and gzip accepted.
    fn browser_headers(&self) -> String {
        format!(
            r#"{{["Cookie"] = "sarkar_session={}", ["Accept-Encoding"] = "gzip, deflate"}}"#,
            self.token
        )
    }

    fn get(&self, name: &str, path: &str) -> anyhow::Result<String> {
        let headers = self.browser_headers();
        self.write(
            name,
            &format!(
                r#"local headers = {headers}
request = function() return wrk.format("GET", "{path}", headers) end
"#
            ),
        )
    }

    /// Creates of customers with numbers no demo customer has (`6 00 run thread nnnnn`,
    /// where the demo's numbers are random), from the wrk thread's own counter.
    fn creates(&self, name: &str, run: u32) -> anyhow::Result<String> {
        self.write(name, &format!("{}request = create\n", self.create_lua(run)))
    }

    /// Defines `create()`, which makes the next create request of this wrk thread.
    fn create_lua(&self, run: u32) -> String {
        let mut lua = self.thread_numbering();
        let _ = write!(
            lua,
            r#"local create_headers = {{["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}
local letters = {{"a","b","c","d","e","f","g","h","i","j"}}
local made = 0
function create()
  made = made + 1
  local suffix = string.gsub(tostring(made), "%d", function(d) return letters[tonumber(d) + 1] end)
  local phone = string.format("600{run}%d%05d", thread_number, made)
  local body = string.format('{{"name":"Loadtest Bench%s","phone":"%s"}}', suffix, phone)
  return wrk.format("POST", "/api/customers", create_headers, body)
end
"#,
            token = self.token
        );
        lua
    }

    /// What a floor's tablets do: mostly customer pages, records and searches, some lists,
    /// and one create in twenty. `think_ms` is the pause between one tablet's requests.
    fn mixed(
        &self,
        name: &str,
        run: u32,
        customers: &[(String, String)],
        think_ms: u32,
    ) -> anyhow::Result<String> {
        let mut lua = self.create_lua(run);
        let ids: Vec<String> = customers
            .iter()
            .map(|(id, _)| format!("\"{id}\""))
            .collect();
        let surnames: Vec<String> = customers.iter().map(|(_, s)| format!("\"{s}\"")).collect();
        let _ = write!(
            lua,
            r#"local browser = {browser}
local api = {{["Authorization"] = "Bearer {token}"}}
local ids = {{{ids}}}
local surnames = {{{surnames}}}
request = function()
  local pick = math.random(100)
  if pick <= 35 then
    return wrk.format("GET", "/customers/" .. ids[math.random(#ids)], browser)
  elseif pick <= 55 then
    return wrk.format("GET", "/api/customers?q=" .. surnames[math.random(#surnames)], api)
  elseif pick <= 75 then
    return wrk.format("GET", "/api/customers/" .. ids[math.random(#ids)], api)
  elseif pick <= 85 then
    return wrk.format("GET", "/customers", browser)
  elseif pick <= 95 then
    return wrk.format("GET", "/api/search/suggest?q=" .. surnames[math.random(#surnames)], api)
  else
    return create()
  end
end
"#,
            browser = self.browser_headers(),
            token = self.token,
            ids = ids.join(","),
            surnames = surnames.join(","),
        );
        if think_ms > 0 {
            let _ = writeln!(
                lua,
                "function delay() return math.random(0, {}) end",
                2 * think_ms
            );
        }
        self.write(name, &lua)
    }

    /// Numbers wrk's threads 1, 2… so their creates never share a phone number.
    fn thread_numbering(&self) -> String {
        r#"local next_thread = 1
function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end
function init(args)
  math.randomseed(thread_number)
end
"#
        .to_owned()
    }
}

/// Runs wrk for one load and reads its summary.
async fn drive(load: &Load, seconds: u32) -> anyhow::Result<Measured> {
    let threads = load.connections.min(2);
    let output = tokio::process::Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{}", load.connections))
        .arg(format!("-d{seconds}s"))
        .args(["--timeout", "5s", "--latency", "-s", &load.script])
        .arg(&load.base)
        .output()
        .await?;
    let text = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(output.status.success(), "wrk failed: {text}");
    parse_wrk(&text).with_context(|| format!("{}: wrk printed\n{text}", load.label))
}

fn parse_wrk(text: &str) -> anyhow::Result<Measured> {
    let mut measured = Measured {
        per_sec: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        errors: 0,
        requests: 0,
    };
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            measured.per_sec = rest.trim().parse()?;
        } else if let Some(rest) = line.strip_prefix("50%") {
            measured.p50_ms = millis(rest.trim())?;
        } else if let Some(rest) = line.strip_prefix("99%") {
            measured.p99_ms = millis(rest.trim())?;
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            measured.errors += rest.trim().parse::<u64>()?;
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            for part in rest.split(',') {
                let count = part.split_whitespace().last().context("a count")?;
                measured.errors += count.parse::<u64>()?;
            }
        } else if let Some((count, _)) = line.split_once(" requests in ") {
            measured.requests = count.trim().parse()?;
        }
    }
    Ok(measured)
}

/// wrk's durations: `812.00us`, `1.23ms`, `2.01s`.
fn millis(value: &str) -> anyhow::Result<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 1e-3)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1e3)
    } else {
        anyhow::bail!("a duration wrk printed: {value}")
    };
    Ok(number.parse::<f64>()? * factor)
}

fn rss_mib(pid: u32) -> anyhow::Result<f64> {
    Ok(rss_kb(pid)? as f64 / 1024.0)
}
