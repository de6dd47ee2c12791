//! Hardening of the moderation surface over real HTTP (#21, requirement 9): the page's
//! Content-Security-Policy, HEAD on the page, short tokens refused at start, wrong tokens
//! or API keys throttled per address, and posting keys that close the public endpoints.

use crate::common::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;
use talkback::config::{Config, Credential};

const KEY: &str = "coral-key-0123456789";

fn with_key(c: &mut Config) {
    c.api_keys = vec![Credential {
        name: "coral".into(),
        secret: KEY.into(),
    }];
}

/// Standard base64, written here rather than taken from the service so the test checks it.
fn base64(bytes: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= c.len() {
                T[((n >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html.find(open).expect("opening tag") + open.len();
    let end = start + html[start..].find(close).expect("closing tag");
    &html[start..end]
}

fn sha256_source(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

#[test]
fn page_allows_only_its_own_script_and_style() {
    let app = TestApp::start();
    let r = app.get("/moderate");
    assert_eq!(r.status(), 200);
    let headers = r.headers().clone();
    let html = r.text().expect("page");
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    let directive = |name: &str| -> String {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in {csp}"))
            .to_string()
    };
    assert_eq!(directive("default-src"), "default-src 'none'");
    assert_eq!(
        directive("script-src"),
        format!(
            "script-src {}",
            sha256_source(between(&html, "<script>", "</script>"))
        )
    );
    assert_eq!(
        directive("style-src"),
        format!(
            "style-src {}",
            sha256_source(between(&html, "<style>", "</style>"))
        )
    );
    assert_eq!(directive("connect-src"), "connect-src 'self'");
    assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'");
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
}

#[test]
fn head_on_the_page_answers_like_get() {
    let app = TestApp::start();
    let get = app.get("/moderate");
    let head = app
        .request(reqwest::Method::HEAD, "/moderate")
        .send()
        .expect("HEAD");
    assert_eq!(head.status(), 200);
    for name in [
        "content-type",
        "content-security-policy",
        "x-frame-options",
        "cache-control",
    ] {
        assert_eq!(head.headers().get(name), get.headers().get(name), "{name}");
    }
    assert_eq!(head.bytes().expect("body").len(), 0);
    // Other methods still get the JSON 405.
    expect_error(
        app.request(reqwest::Method::DELETE, "/moderate")
            .send()
            .expect("DELETE"),
        405,
        "method_not_allowed",
    );
}

/// Start the real binary with `env`; returns (exit status, stderr) once it exits.
fn start_refused(env: &[(&str, &str)]) -> (std::process::ExitStatus, String) {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_talkback"));
    cmd.arg("serve")
        .env("TALKBACK_LISTEN", format!("127.0.0.1:{port}"))
        .env("TALKBACK_DATABASE", dir.path().join("t.db"))
        .env("TALKBACK_MODEL", model_dir())
        .env("TALKBACK_RATE_LIMIT", "off")
        .env("TALKBACK_WORKERS", "1")
        .env_remove("TALKBACK_MODERATOR_TOKENS")
        .env_remove("TALKBACK_ADMIN_TOKENS")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("binary starts");
    let outcome = wait_up_or_exit(
        &mut child,
        &format!("http://127.0.0.1:{port}/healthz"),
        Duration::from_secs(60),
    );
    let _ = child.kill();
    let _ = child.wait();
    outcome.expect_err("the service must refuse to start")
}

#[test]
fn short_moderator_admin_and_posting_tokens_are_refused_at_start() {
    for (setting, value) in [
        ("TALKBACK_MODERATOR_TOKENS", "alice:eight-ch"),
        (
            "TALKBACK_MODERATOR_TOKENS",
            "alice:alice-token-0001,bob:15-characters!",
        ),
        ("TALKBACK_ADMIN_TOKENS", "root:twelve-chars"),
        ("TALKBACK_POSTING_KEYS", "site:fifteen-chars!"),
    ] {
        let (status, stderr) = start_refused(&[(setting, value)]);
        assert!(!status.success(), "{setting}={value} started");
        let name = setting.trim_start_matches("TALKBACK_").to_lowercase();
        assert!(
            stderr.contains(&name) && stderr.contains("at least 16"),
            "{setting}: the error should name the setting and the minimum: {stderr}"
        );
        assert!(
            !stderr.contains(value.rsplit(':').next().unwrap_or(value)),
            "the secret leaked into the error: {stderr}"
        );
    }
}

fn moderation_as(
    app: &TestApp,
    client: &reqwest::blocking::Client,
    token: &str,
) -> reqwest::blocking::Response {
    client
        .get(app.url("/v1/moderation/stats"))
        .bearer_auth(token)
        .send()
        .expect("request")
}

#[test]
fn wrong_tokens_are_throttled_per_address() {
    let app = TestApp::start();
    let here = reqwest::blocking::Client::new();
    // Requests without a token are not guesses and do not count.
    for _ in 0..15 {
        expect_error(app.get("/v1/moderation/stats"), 401, "unauthorized");
    }
    assert_eq!(moderation_as(&app, &here, ALICE).status(), 200);
    for i in 0..10 {
        expect_error(
            moderation_as(&app, &here, &format!("wrong-token-{i:06}")),
            403,
            "forbidden",
        );
    }
    // The eleventh attempt is refused whatever it carries, the right token included.
    for token in ["wrong-token-999999", ALICE] {
        let r = moderation_as(&app, &here, token);
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=60).contains(&retry), "{retry}");
        let e = expect_error(r, 429, "rate_limited");
        assert!(e["message"].as_str().unwrap_or("").contains("retry after"));
    }
    // The admin endpoint shares the count: same address, same refusal.
    let admin = here
        .post(app.url("/v1/admin/model/reload"))
        .bearer_auth(ALICE)
        .json(&json!({}))
        .send()
        .expect("request");
    assert_eq!(admin.status(), 429);
    // Another address is not affected (127.0.0.2 is loopback too).
    let elsewhere = reqwest::blocking::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("client");
    assert_eq!(moderation_as(&app, &elsewhere, ALICE).status(), 200);
}

#[test]
fn wrong_api_keys_are_throttled_per_address() {
    let app = TestApp::start_with(with_key);
    let analyze = |key: &str| {
        app.post(
            &format!("/v1alpha1/comments:analyze?key={key}"),
            &json!({"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}),
        )
    };
    assert_eq!(analyze(KEY).status(), 200);
    for i in 0..10 {
        let r = analyze(&format!("not-a-key-{i}"));
        assert_eq!(r.status(), 403);
    }
    let r = analyze(KEY);
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let body: Value = r.json().expect("JSON");
    assert_eq!(body["error"]["status"], "RESOURCE_EXHAUSTED", "{body}");
    assert_eq!(body["error"]["code"], 429);
}

const POSTING_KEY: &str = "site-posting-key-0001";

fn with_posting_key(c: &mut Config) {
    c.posting_keys = vec![Credential {
        name: "site".into(),
        secret: POSTING_KEY.into(),
    }];
}

#[test]
fn posting_keys_close_posting_reporting_and_scoring() {
    let app = TestApp::start_with(with_posting_key);
    let client = reqwest::blocking::Client::new();
    let send = |path: &str, key: Option<&str>, body: &Value| {
        let request = client.post(app.url(path)).json(body);
        match key {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
        .send()
        .expect("request")
    };
    let comment = json!({"article_id": "a1", "author": "reader", "body": CLEAN});
    expect_error(send("/v1/comments", None, &comment), 401, "unauthorized");
    expect_error(
        send("/v1/comments", Some("site-posting-key-0002"), &comment),
        403,
        "forbidden",
    );
    assert_eq!(app.total_comments(), 0, "a refused post was stored");

    let posted = send("/v1/comments", Some(POSTING_KEY), &comment);
    assert_eq!(posted.status(), 201);
    let id = posted.json::<Value>().expect("JSON")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let report = json!({"reason": "spam", "reporter_id": "r1"});
    let reports = format!("/v1/comments/{id}/reports");
    expect_error(send(&reports, None, &report), 401, "unauthorized");
    assert_eq!(send(&reports, Some(POSTING_KEY), &report).status(), 201);
    let text = json!({"text": CLEAN});
    expect_error(send("/v1/score", None, &text), 401, "unauthorized");
    assert_eq!(send("/v1/score", Some(POSTING_KEY), &text).status(), 200);

    // Reading what was published stays open: readers fetch it from the site's pages.
    assert_eq!(app.get("/v1/articles/a1/comments").status(), 200);
    assert_eq!(app.total_comments(), 1);
}
