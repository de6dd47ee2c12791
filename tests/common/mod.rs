//! One helper for the service tests: start the real app (library server, real shipped model,
//! temporary SQLite file, or a PostgreSQL database the test names) on 127.0.0.1:0 and speak HTTP
//! to it. Every test binary (`tests/<area>/main.rs`) declares this module.

use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use talkback::config::{Config, Credential, RateLimits, ReportRateLimits};
use talkback::storage::Location;

pub const ALICE: &str = "alice-token-0001";
pub const BOB: &str = "bob-token-000002";

/// Texts the shipped model scores clearly.
pub const CLEAN: &str = "Thanks for the thorough reporting on the budget vote.";
pub const ABUSIVE: &str = "I will kill you and your whole family, you worthless piece of shit";
pub const INCITING: &str =
    "Everyone go to their homes tonight and burn them all, kill every last one of them";

pub fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models")
}

pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub base: String,
    client: Client,
    running: Option<talkback::http::Running>,
    tweak: Tweak,
    /// Where the data lives when not in `dir` (a shared PostgreSQL database).
    database: Option<Location>,
}

/// Adjusts a test instance's settings; kept to apply again at a restart.
pub type Tweak = std::sync::Arc<dyn Fn(&mut Config) + Send + Sync>;

fn no_tweak(_: &mut Config) {}

fn start_on(dir: &Path, database: Option<&Location>, tweak: &Tweak) -> talkback::http::Running {
    let mut config = Config::with_paths(&dir.join("talkback.db"), &model_dir());
    if let Some(database) = database {
        config.database = database.clone();
    }
    config.listen = "127.0.0.1:0".parse().expect("address");
    config.workers = 2;
    config.rate_limits = RateLimits {
        per_author: None,
        per_address: None,
    };
    config.report_rate_limits = ReportRateLimits {
        per_reporter: None,
        per_address: None,
    };
    // Surge detection would pre-moderate an article that a test fills with abusive comments and
    // change what other tests expect; tests/api/premoderation.rs switches it on with its rule.
    config.surge = None;
    config.moderators = vec![
        Credential {
            name: "alice".into(),
            secret: ALICE.into(),
        },
        Credential {
            name: "bob".into(),
            secret: BOB.into(),
        },
    ];
    tweak(&mut config);
    talkback::http::spawn(config).expect("service starts")
}

/// The tests' HTTP client. The server drops idle keep-alive connections after 5 s (actix's
/// default); a pooled connection reused at that moment fails with `IncompleteMessage` (seen on
/// a loaded machine), so the pool lets idle connections go well before the server does.
fn http_client() -> Client {
    Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("http client")
}

impl TestApp {
    pub fn start() -> TestApp {
        TestApp::start_with(no_tweak)
    }

    /// Start with adjusted settings (e.g. rate limits, smaller body limits).
    pub fn start_with(tweak: fn(&mut Config)) -> TestApp {
        TestApp::start_on_database(None, tweak)
    }

    /// Start on this database (None: a new SQLite file), e.g. one of several instances sharing
    /// one PostgreSQL database.
    pub fn start_on_database(database: Option<Location>, tweak: fn(&mut Config)) -> TestApp {
        TestApp::start_configured(database, std::sync::Arc::new(tweak))
    }

    /// As [`TestApp::start_on_database`], with settings that depend on the test (a models
    /// folder of its own, say).
    pub fn start_configured(database: Option<Location>, tweak: Tweak) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let running = start_on(dir.path(), database.as_ref(), &tweak);
        TestApp {
            base: format!("http://{}", running.addr),
            client: http_client(),
            running: Some(running),
            dir,
            tweak,
            database,
        }
    }

    /// Wrap a server started elsewhere (e.g. after a crash) whose database lives in `dir`.
    pub fn attach(running: talkback::http::Running, dir: tempfile::TempDir) -> TestApp {
        TestApp {
            base: format!("http://{}", running.addr),
            client: http_client(),
            running: Some(running),
            dir,
            tweak: std::sync::Arc::new(no_tweak),
            database: None,
        }
    }

    /// Stop gracefully and start again on the same database file.
    pub fn restart(mut self) -> TestApp {
        if let Some(running) = self.running.take() {
            running.stop().expect("clean stop");
        }
        let running = start_on(self.dir.path(), self.database.as_ref(), &self.tweak);
        self.base = format!("http://{}", running.addr);
        self.running = Some(running);
        self
    }

    /// Stop gracefully; returns the folder that holds its SQLite file, for a test that reads it
    /// with the service down.
    #[allow(dead_code, reason = "only tests/cli stops a service early")]
    pub fn stop(self) -> tempfile::TempDir {
        let TestApp { dir, running, .. } = self;
        if let Some(running) = running {
            running.stop().expect("clean stop");
        }
        dir
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("talkback.db")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().expect("request")
    }

    pub fn post(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .expect("request")
    }

    /// A request builder for anything unusual (raw bytes, odd headers).
    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub fn get_as(&self, token: &str, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .expect("request")
    }

    pub fn post_as(&self, token: &str, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .expect("request")
    }

    /// Post a comment; returns (status code, JSON body).
    pub fn comment(&self, article: &str, author: &str, body: &str) -> (u16, Value) {
        let r = self.post(
            "/v1/comments",
            &json!({ "article_id": article, "author": author, "body": body }),
        );
        let status = r.status().as_u16();
        (status, r.json().expect("JSON body"))
    }

    /// Post and insist it was stored; returns the response body.
    pub fn must_comment(&self, article: &str, body: &str) -> Value {
        let (status, value) = self.comment(article, "reader", body);
        assert_eq!(status, 201, "{value}");
        value
    }

    /// Post a comment with any fields (author_id, article_url, parent_id...); returns (status
    /// code, JSON body).
    pub fn post_comment(&self, body: &Value) -> (u16, Value) {
        let r = self.post("/v1/comments", body);
        let status = r.status().as_u16();
        (status, r.json().expect("JSON body"))
    }

    /// Post as the author with this platform id and insist it was stored; returns the body.
    pub fn comment_by(&self, author_id: &str, article: &str, body: &str) -> Value {
        let (status, value) = self.post_comment(&json!({
            "article_id": article, "author": "Dana", "author_id": author_id, "body": body
        }));
        assert_eq!(status, 201, "{value}");
        value
    }

    /// An author's panel as alice sees it (the id percent-encoded into the path).
    pub fn author(&self, author_id: &str) -> Response {
        self.get_as(
            ALICE,
            &format!("/v1/moderation/authors/{}", path_segment(author_id)),
        )
    }

    /// Suspend, ban or reinstate an author as the moderator with `token`.
    pub fn restrict(&self, token: &str, author_id: &str, body: &Value) -> Response {
        self.post_as(
            token,
            &format!(
                "/v1/moderation/authors/{}/restriction",
                path_segment(author_id)
            ),
            body,
        )
    }

    /// Report a comment as a reader; returns (status code, JSON body).
    pub fn report(&self, id: &str, body: &Value) -> (u16, Value) {
        let r = self.post(&format!("/v1/comments/{id}/reports"), body);
        let status = r.status().as_u16();
        (status, r.json().expect("JSON body"))
    }

    /// Moderator stats, for "nothing changed" checks.
    pub fn stats(&self) -> Value {
        let r = self.get_as(ALICE, "/v1/moderation/stats");
        assert_eq!(r.status(), 200);
        r.json().expect("stats JSON")
    }

    pub fn total_comments(&self) -> u64 {
        self.stats()["comments"]["total"].as_u64().expect("total")
    }

    pub fn log_len(&self) -> usize {
        let r = self.get_as(ALICE, "/v1/moderation/log?limit=200");
        let v: Value = r.json().expect("log JSON");
        v["entries"].as_array().expect("entries").len()
    }
}

/// `text` percent-encoded as one path segment (everything but unreserved characters).
pub fn path_segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Assert the standard error shape and code; returns the error object.
pub fn expect_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let body: Value = response.json().expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    body["error"].clone()
}

/// A free local port (bound and released), for processes that need one before they start.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The real `talkback serve` binary on `port` with `db` and `model`, rate limits and surge
/// detection off, alice as moderator. Pass `Stdio::piped()` for stderr only when the test reads it before the process
/// writes much (an unread pipe fills and blocks the server).
pub fn spawn_binary(
    db: &Path,
    model: &Path,
    port: u16,
    stderr: std::process::Stdio,
) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .arg("serve")
        .env("TALKBACK_LISTEN", format!("127.0.0.1:{port}"))
        .env("TALKBACK_DATABASE", db)
        .env("TALKBACK_MODEL", model)
        .env("TALKBACK_RATE_LIMIT", "off")
        .env("TALKBACK_SURGE", "off")
        .env("TALKBACK_WORKERS", "2")
        .env("TALKBACK_MODERATOR_TOKENS", format!("alice:{ALICE}"))
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("binary starts")
}

/// Wait until the binary answers 200 on `probe` (Ok) or exits (Err with its status and
/// stderr, if piped); panics when neither happens within `timeout`.
pub fn wait_up_or_exit(
    child: &mut std::process::Child,
    probe: &str,
    timeout: std::time::Duration,
) -> Result<(), (std::process::ExitStatus, String)> {
    use std::io::Read;
    let client = Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("client");
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("child status") {
            let mut err = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                stderr.read_to_string(&mut err).expect("read stderr");
            }
            return Err((status, err));
        }
        if client.get(probe).send().is_ok_and(|r| r.status() == 200) {
            return Ok(());
        }
        assert!(
            started.elapsed() < timeout,
            "neither up nor exited within {timeout:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Says that the running test (named by its thread, as the harness names it) cannot check what
/// it is for, and why: `SKIP <test>: <reason>`. Written to the `std::io::stderr()` handle, which
/// the harness leaves alone (unlike `eprintln!`, whose output it shows only for a failed test),
/// so the line is in every `cargo test` log; the test then returns and is counted as passed.
pub fn skip(reason: impl std::fmt::Display) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("test");
    let _ = writeln!(std::io::stderr(), "SKIP {test}: {reason}");
}

/// A PostgreSQL database of one test's own, on the server `TALKBACK_TEST_POSTGRES` names
/// (e.g. `postgres://root@127.0.0.1:5432/test`); dropped when the test ends.
pub struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    /// None, after a [`skip`] line, when the variable is unset.
    pub fn create() -> Option<PgDatabase> {
        let Ok(admin_url) = std::env::var("TALKBACK_TEST_POSTGRES") else {
            skip(
                "needs PostgreSQL (set TALKBACK_TEST_POSTGRES=postgres://root@127.0.0.1:5432/test)",
            );
            return None;
        };
        let name = format!("talkback_test_{}", uuid::Uuid::new_v4().simple());
        pg_admin(&admin_url, &format!("CREATE DATABASE {name}"));
        Some(PgDatabase { admin_url, name })
    }

    pub fn location(&self) -> Location {
        let (base, query) = match self.admin_url.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (self.admin_url.as_str(), String::new()),
        };
        let start = base.find("://").map_or(0, |i| i + 3);
        let end = base[start..].find('/').map_or(base.len(), |i| start + i);
        Location::Postgres(format!("{}/{}{query}", &base[..end], self.name))
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        pg_admin(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// Run `sql` on `url`, on a thread of its own so it works inside and outside a runtime.
fn pg_admin(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("connecting to {url}: {e}"));
            tokio::spawn(conn);
            client
                .batch_execute(&sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        });
    })
    .join()
    .expect("admin session");
}

/// A plain SQL session on a test's database beside the instances, e.g. to hold a transaction
/// open as a slow writer on another instance would.
pub struct PgSession {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
}

impl PgSession {
    pub fn connect(location: &Location) -> PgSession {
        let Location::Postgres(url) = location else {
            panic!("not a PostgreSQL database: {location}");
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let client = rt.block_on(async {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("connecting to {location}: {e}"));
            tokio::spawn(conn);
            client
        });
        PgSession { rt, client }
    }

    pub fn execute(&self, sql: &str) {
        self.rt
            .block_on(self.client.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// The shipped version directory (what `models/current` names).
pub fn shipped_model_dir() -> PathBuf {
    let name = std::fs::read_to_string(model_dir().join("current")).expect("models/current");
    model_dir().join(name.trim())
}

/// Copy the shipped model's files into `root/<version>` with `version` written into its manifest
/// (the checksums cover the weights only), so a test has a second, distinguishable valid model.
pub fn copy_model(root: &Path, version: &str) -> PathBuf {
    let dir = root.join(version);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let src = shipped_model_dir();
    for entry in std::fs::read_dir(&src).expect("model dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let manifest = std::fs::read_to_string(src.join("manifest.json")).expect("manifest");
    let mut manifest: Value = serde_json::from_str(&manifest).expect("manifest JSON");
    manifest["version"] = json!(version);
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).expect("write manifest");
    dir
}
