//! The moderator page in a real browser: headless Chromium driven over WebDriver (chromedriver)
//! against the real server with a temporary database. Skips with a reason when chromedriver is
//! not installed, except under CI (`CI=true`), where `.ci/run` installs it and a skip would hide
//! a broken page.

mod common;

use common::{ALICE, BOB, TestApp, free_port};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The page sends a decision after this undo window (plus a margin).
const UNDO_WAIT: Duration = Duration::from_millis(6500);

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn browser_available() -> bool {
    let present =
        std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser tests: {CHROMEDRIVER} or {CHROMIUM} is missing (.ci/run installs them)"
        );
        eprintln!(
            "skipping browser test: {CHROMEDRIVER} / {CHROMIUM} not installed (apt-get install chromium chromium-driver)"
        );
    }
    present
}

fn seed(app: &TestApp) -> Vec<(String, String)> {
    let texts = [
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
        held.push((
            v["id"].as_str().expect("id").to_string(),
            article.to_string(),
        ));
    }
    let clean = app.post(
        "/v1/comments",
        &json!({"article_id": "world/rockets", "author": "calm", "body": common::CLEAN}),
    );
    assert_eq!(clean.status(), 201);
    held
}

async fn wait_until(client: &Client, script: &str, what: &str) -> Value {
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

async fn item_ids(client: &Client) -> Vec<String> {
    let v = client
        .execute(
            "return [...document.querySelectorAll('li.item')].map(li => li.dataset.id)",
            vec![],
        )
        .await
        .expect("ids");
    serde_json::from_value(v).expect("id list")
}

async fn press(client: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.expect("key press");
}

async fn save_screenshot(client: &Client, name: &str) {
    // Only when asked: screenshots for the README are refreshed on purpose, not by every test run.
    if let Some(dir) = std::env::var_os("TALKBACK_SCREENSHOTS") {
        let png = client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write screenshot");
    }
}

async fn check_accessibility(client: &Client) {
    let axe_path = std::env::var("TALKBACK_AXE_JS").ok();
    let Some(source) = axe_path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the accessibility check: set TALKBACK_AXE_JS to axe.min.js (.ci/run installs it)"
        );
        eprintln!("skipping axe-core check: TALKBACK_AXE_JS not set (npm install axe-core)");
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

#[test]
fn moderator_works_the_queue_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let app = TestApp::start_with(|c| c.thresholds.reject.clear());
    let seeded = seed(&app);
    let port = free_port();
    let _driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let profile = tempfile::tempdir().expect("profile dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let base = app.base.clone();
    let (approved_by_click, approved_by_key, bulk_rejected, conflicted) = runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": CHROMIUM, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--window-size=1280,1000", format!("--user-data-dir={}", profile.path().display()),
            ]}),
        );
        let mut connected = None;
        for _ in 0..50 {
            let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(caps.clone());
            if let Ok(c) = builder.connect(&format!("http://127.0.0.1:{port}")).await {
                connected = Some(c);
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let client = connected.expect("WebDriver session");

        // Sign in; the token lives in session storage, never in the URL.
        client.goto(&format!("{base}/moderate")).await.expect("page loads");
        client.find(Locator::Id("token")).await.expect("token field").send_keys(ALICE).await.expect("type");
        client.find(Locator::Css("#signin-form button[type=submit]")).await.expect("button").click().await.expect("sign in");
        wait_until(&client, "return document.querySelectorAll('li.item').length === 6", "six held comments").await;
        assert!(!client.current_url().await.expect("url").as_str().contains(ALICE));
        let waiting = wait_until(&client, "const t = document.getElementById('waiting').textContent; return t ? t : false", "waiting count").await;
        assert_eq!(waiting, json!("6 waiting"));

        // The words that drove the score are highlighted inside the comment text.
        let marks: Vec<String> = serde_json::from_value(
            client.execute("return [...document.querySelectorAll('li.item mark')].map(m => m.textContent.toLowerCase())", vec![]).await.expect("marks"),
        ).expect("mark list");
        assert!(!marks.is_empty(), "no highlighted words");
        assert!(marks.iter().any(|m| ["shit", "idiot", "kill", "shoot", "moron", "stupid", "worthless", "bastard", "hang", "burn"].iter().any(|w| m.contains(w))), "highlights miss the offending words: {marks:?}");
        save_screenshot(&client, "moderate-queue.png").await;
        check_accessibility(&client).await;

        // Approve by click: the item leaves at once.
        let ids = item_ids(&client).await;
        let by_click = ids[0].clone();
        client.find(Locator::Css(&format!("li[data-id='{by_click}'] button.approve"))).await.expect("approve").click().await.expect("click");
        assert!(!item_ids(&client).await.contains(&by_click));

        // Approve by keyboard: j moves, a approves the current item.
        client.find(Locator::Css("h1")).await.expect("heading").click().await.expect("focus page");
        press(&client, 'j').await;
        press(&client, 'k').await;
        let current = client.execute("return document.querySelector('li.item.current').dataset.id", vec![]).await.expect("current");
        let by_key = current.as_str().expect("id").to_string();
        press(&client, 'a').await;
        assert!(!item_ids(&client).await.contains(&by_key));

        // Undo brings the last acted-on item back and sends nothing.
        let undo_target = item_ids(&client).await[0].clone();
        press(&client, 'a').await;
        assert!(!item_ids(&client).await.contains(&undo_target));
        press(&client, 'u').await;
        assert!(item_ids(&client).await.contains(&undo_target));

        // Bulk reject two selected comments with a reason.
        let ids = item_ids(&client).await;
        let bulk = vec![ids[0].clone(), ids[1].clone()];
        for id in &bulk {
            client.find(Locator::Id(&format!("sel-{id}"))).await.expect("checkbox").click().await.expect("select");
        }
        client.find(Locator::Id("bulk-reason")).await.expect("reason").select_by_value("threat").await.expect("pick reason");
        client.find(Locator::Id("bulk-reject")).await.expect("bulk").click().await.expect("bulk reject");
        let left = item_ids(&client).await;
        assert!(bulk.iter().all(|id| !left.contains(id)));

        // A conflict is shown, not swallowed: bob rejects first, alice's approval then fails.
        let contested = left[0].clone();
        let bob = reqwest::Client::new();
        let r = bob.post(format!("{base}/v1/moderation/comments/{contested}/decision"))
            .bearer_auth(BOB).json(&json!({"decision": "reject", "reason": "insult"})).send().await.expect("bob decides");
        assert_eq!(r.status(), 200);
        client.find(Locator::Css(&format!("li[data-id='{contested}'] button.approve"))).await.expect("approve").click().await.expect("click");
        tokio::time::sleep(UNDO_WAIT).await;
        let shown = wait_until(&client, &format!("const li = document.querySelector(\"li[data-id='{contested}'].conflict\"); return li ? li.textContent : false"), "conflict shown").await;
        assert!(shown.as_str().unwrap_or("").contains("Conflict"), "conflict not shown: {shown}");

        // Filter by article: only that article's comments remain.
        client.find(Locator::Id("f-article")).await.expect("filter").send_keys("politics/vote").await.expect("type");
        client.find(Locator::Css("#filters button[type=submit]")).await.expect("apply").click().await.expect("apply");
        let only_politics = wait_until(&client, "const items = [...document.querySelectorAll('li.item')]; return items.length > 0 && items.every(li => li.textContent.includes('politics/vote'))", "filtered queue").await;
        assert_eq!(only_politics, json!(true));

        // The audit log view lists alice's actions.
        client.find(Locator::Id("tab-log")).await.expect("log tab").click().await.expect("open log");
        wait_until(&client, "return document.getElementById('log-rows').textContent.includes('alice')", "audit log rows").await;

        // Usable at 375 px: nothing forces horizontal scrolling.
        client.find(Locator::Id("tab-queue")).await.expect("queue tab").click().await.expect("open queue");
        client.set_window_size(375, 812).await.expect("resize");
        let overflow = client.execute("return document.documentElement.scrollWidth", vec![]).await.expect("width");
        assert!(overflow.as_u64().unwrap_or(9999) <= 375, "page overflows at 375 px: {overflow}");
        save_screenshot(&client, "moderate-mobile.png").await;
        client.close().await.expect("close session");
        (by_click, by_key, bulk, contested)
    });

    // The database, seen through the API, matches what the moderator did in the page.
    let status = |id: &str| -> Value {
        app.get_as(ALICE, &format!("/v1/moderation/comments/{id}"))
            .json::<Value>()
            .expect("detail")
    };
    assert_eq!(status(&approved_by_click)["status"], "published");
    assert_eq!(status(&approved_by_key)["status"], "published");
    for id in &bulk_rejected {
        let detail = status(id);
        assert_eq!(detail["status"], "rejected");
        assert_eq!(detail["decisions"][0]["reason"], "threat");
        assert_eq!(detail["decisions"][0]["moderator"], "alice");
    }
    // Bob's rejection stands; alice's conflicting approval changed nothing.
    let contested = status(&conflicted);
    assert_eq!(contested["status"], "rejected");
    assert_eq!(contested["decisions"].as_array().map(Vec::len), Some(1));
    let still_held = seeded
        .iter()
        .filter(|(id, _)| status(id)["status"] == "held")
        .count();
    assert_eq!(still_held, seeded.len() - 2 - bulk_rejected.len() - 1);
}
