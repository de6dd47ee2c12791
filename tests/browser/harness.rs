//! Shared by the moderator-page browser tests: chromedriver + headless Chromium against a real
//! server, signing in, seeding held comments, waiting on page state and pressing keys.

use crate::common::{self, TestApp, free_port};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The page sends a decision after this undo window (plus a margin).
pub const UNDO_WAIT: Duration = Duration::from_millis(6500);
/// WebDriver's code for the Tab key.
pub const TAB: char = '\u{E004}';

/// Texts the shipped model holds without doubt (abusive or violent), one author each.
pub const HELD_TEXTS: [(&str, &str); 6] = [
    (
        "world/rockets",
        "You are a worthless piece of shit and a disgusting idiot",
    ),
    (
        "world/rockets",
        "Someone should shoot him in the head, kill the bastard",
    ),
    (
        "world/rockets",
        "I will kill you and your whole family, you worthless piece of shit",
    ),
    (
        "world/rockets",
        "Go burn their homes and kill every last one of them",
    ),
    (
        "politics/vote",
        "Shut up you stupid moron, nobody cares about your idiotic opinion",
    ),
    (
        "politics/vote",
        "Hang the traitors, every last one of them deserves a bullet",
    ),
];

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // Chromium runs in the process group chromedriver leads: a test that fails before closing
        // its session would otherwise leave the browser running once chromedriver is gone.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.0.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn browser_available() -> bool {
    let present =
        std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser tests: {CHROMEDRIVER} or {CHROMIUM} is missing (.ci/run installs them)"
        );
        common::skip(format_args!(
            "{CHROMEDRIVER} / {CHROMIUM} not installed (apt-get install chromium chromium-driver)"
        ));
    }
    present
}

/// Post each text and insist the model held it; returns the ids in posting order.
pub fn seed_texts(app: &TestApp, texts: &[(&str, &str)]) -> Vec<String> {
    let mut held = Vec::new();
    for (i, (article, body)) in texts.iter().enumerate() {
        let response = app.post(
            "/v1/comments",
            &json!({"article_id": article, "author": format!("reader{i}"), "body": body}),
        );
        assert_eq!(response.status(), 201);
        let v: Value = response.json().expect("json");
        assert_eq!(
            v["status"], "held",
            "seed comment must be held: {body} -> {v}"
        );
        held.push(v["id"].as_str().expect("id").to_string());
    }
    held
}

/// The six held comments plus one clean, published one; returns (id, article) of the held.
pub fn seed(app: &TestApp) -> Vec<(String, String)> {
    let ids = seed_texts(app, &HELD_TEXTS);
    let clean = app.post(
        "/v1/comments",
        &json!({"article_id": "world/rockets", "author": "calm", "body": common::CLEAN}),
    );
    assert_eq!(clean.status(), 201);
    ids.into_iter()
        .zip(HELD_TEXTS.iter().map(|(a, _)| a.to_string()))
        .collect()
}

/// The app the page tests run against: automatic rejection off, so every seeded text waits for
/// a moderator.
pub fn app() -> TestApp {
    TestApp::start_with(|c| c.bars.reject = Some(Default::default()))
}

/// Run one test's browser session on a fresh runtime.
pub fn run<F: std::future::Future<Output = T>, T>(f: F) -> T {
    tokio::runtime::Runtime::new().expect("runtime").block_on(f)
}

/// A WebDriver session in its own Chromium profile; dropping it stops chromedriver.
pub struct Browser {
    pub client: Client,
    pub base: String,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn open(app: &TestApp, width: u32, height: u32) -> Browser {
        let port = free_port();
        let driver = Driver(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .process_group(0)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts"),
        );
        let profile = tempfile::tempdir().expect("profile dir");
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": CHROMIUM, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.path().display()),
            ]}),
        );
        let mut connected = None;
        for _ in 0..50 {
            let mut builder =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(caps.clone());
            if let Ok(c) = builder.connect(&format!("http://127.0.0.1:{port}")).await {
                connected = Some(c);
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Browser {
            client: connected.expect("WebDriver session"),
            base: app.base.clone(),
            _driver: driver,
            _profile: profile,
        }
    }

    pub async fn open_page(&self) {
        self.client
            .goto(&format!("{}/moderate", self.base))
            .await
            .expect("page loads");
    }

    /// Open the page and sign in; waits until `cards` comments are listed.
    pub async fn sign_in(&self, token: &str, cards: usize) {
        let client = &self.client;
        self.open_page().await;
        client
            .find(Locator::Id("token"))
            .await
            .expect("token field")
            .send_keys(token)
            .await
            .expect("type");
        self.click("#signin-form button[type=submit]").await;
        self.wait(
            "return document.getElementById('signin').hidden",
            "signed in",
        )
        .await;
        self.wait(
            &format!("return document.querySelectorAll('li.item').length === {cards}"),
            &format!("{cards} listed comments"),
        )
        .await;
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} not found: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script fails: {e}\n{script}"))
    }

    /// Poll `script` until it returns something other than false or null.
    pub async fn wait(&self, script: &str, what: &str) -> Value {
        wait_until(&self.client, script, what).await
    }

    pub async fn ids(&self) -> Vec<String> {
        item_ids(&self.client).await
    }

    pub async fn press(&self, key: char) {
        press(&self.client, key).await;
    }

    /// The id of the card holding keyboard focus (null when focus is outside every card).
    pub async fn focused_card(&self) -> Value {
        self.js("const li = document.activeElement && document.activeElement.closest('li.item'); return li ? li.dataset.id : null").await
    }

    pub async fn close(self) {
        self.client.close().await.expect("close session");
    }
}

pub async fn wait_until(client: &Client, script: &str, what: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let value = client.execute(script, vec![]).await.expect("script runs");
        if value.as_bool() != Some(false) && !value.is_null() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn item_ids(client: &Client) -> Vec<String> {
    let v = client
        .execute(
            "return [...document.querySelectorAll('li.item')].map(li => li.dataset.id)",
            vec![],
        )
        .await
        .expect("ids");
    serde_json::from_value(v).expect("id list")
}

/// The id of the item the keyboard acts on.
pub async fn current_item_id(client: &Client) -> String {
    let v = client
        .execute(
            "return document.querySelector('li.item.current').dataset.id",
            vec![],
        )
        .await
        .expect("current");
    v.as_str().expect("id").to_string()
}

/// The items not on `article`, in queue order: the queue is sorted by score, so a step that must
/// leave an article's comments for a later step picks among the others.
pub async fn item_ids_off(client: &Client, article: &str) -> Vec<String> {
    let v = client
        .execute(
            "return [...document.querySelectorAll('li.item')].filter(li => !li.textContent.includes(arguments[0])).map(li => li.dataset.id)",
            vec![serde_json::json!(article)],
        )
        .await
        .expect("ids");
    serde_json::from_value(v).expect("id list")
}

pub async fn press(client: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.expect("key press");
}

pub async fn save_screenshot(client: &Client, name: &str) {
    // Only when asked: screenshots for the README are refreshed on purpose, not by every test run.
    if let Some(dir) = std::env::var_os("TALKBACK_SCREENSHOTS") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write screenshot");
    }
}

pub async fn check_accessibility(client: &Client) {
    let axe_path = std::env::var("TALKBACK_AXE_JS").ok();
    let Some(source) = axe_path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the accessibility check: set TALKBACK_AXE_JS to axe.min.js (.ci/run installs it)"
        );
        common::skip(
            "the axe-core accessibility check (TALKBACK_AXE_JS not set; npm install axe-core)",
        );
        return;
    };
    client.execute(&source, vec![]).await.expect("axe loads");
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')));",
            vec![],
        )
        .await
        .expect("axe runs");
    assert_eq!(result, json!([]), "serious accessibility violations");
}

/// A comment as the API stores it.
pub fn detail(app: &TestApp, id: &str) -> Value {
    app.get_as(common::ALICE, &format!("/v1/moderation/comments/{id}"))
        .json::<Value>()
        .expect("detail")
}

/// Poll the API until the comment has `status` (a decision is sent after the page's undo
/// window); returns its detail.
pub async fn wait_for_status(base: &str, id: &str, status: &str) -> Value {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let v: Value = http
            .get(format!("{base}/v1/moderation/comments/{id}"))
            .bearer_auth(common::ALICE)
            .send()
            .await
            .expect("detail request")
            .json()
            .await
            .expect("detail JSON");
        if v["status"] == status {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "comment {id} never became {status}: {v}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
