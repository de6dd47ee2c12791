//! Hostile input the bad-input suite (`bad_input.rs`) does not cover yet: deeply nested JSON,
//! 20,000-character words, SQL-injection and HTML/script payloads, slow clients, a database
//! that turns read-only, and a missing or broken model at startup. Each case checks the answer
//! and that nothing stored changed.

use crate::common::*;
use reqwest::Method;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn raw_json(app: &TestApp, body: Vec<u8>) -> reqwest::blocking::Response {
    app.request(Method::POST, "/v1/comments")
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .expect("request")
}

fn assert_alive(app: &TestApp) {
    assert_eq!(app.get("/healthz").status(), 200, "service is still up");
}

#[test]
fn deeply_nested_json_is_refused_without_harm() {
    let app = TestApp::start();
    let depth = 20_000; // ~40 KB: under the 64 KiB limit, far past serde_json's nesting limit
    let nested = |open: &str, close: &str| format!("{}{}", open.repeat(depth), close.repeat(depth));

    // As the whole document, as the value of a known field, and unclosed: refused.
    let refused: Vec<Vec<u8>> = vec![
        nested("[", "]").into_bytes(),
        format!(
            r#"{{"article_id":"a","author":"x","body":{}}}"#,
            nested("[", "]")
        )
        .into_bytes(),
        format!(
            r#"{{"article_id":"a","author":{}1{},"body":"hi"}}"#,
            r#"{"k":"#.repeat(depth / 5),
            "}".repeat(depth / 5)
        )
        .into_bytes(),
        // Unclosed: the parser must give up, not wait or overflow.
        format!(
            r#"{{"article_id":"a","author":"x","body":{}"#,
            "[".repeat(depth)
        )
        .into_bytes(),
    ];
    for (i, body) in refused.into_iter().enumerate() {
        assert!(
            body.len() < 64 * 1024,
            "case {i} must stay under the body limit"
        );
        let r = raw_json(&app, body);
        assert_eq!(r.status(), 400, "case {i}");
        let v: Value = r.json().expect("JSON error");
        let code = v["error"]["code"].as_str().unwrap_or_default();
        assert!(
            code == "invalid_json" || code == "invalid_field",
            "case {i}: {v}"
        );
        assert_alive(&app);
    }
    assert_eq!(app.total_comments(), 0);
    // Hidden in an unknown field, which the API ignores: serde_json skips values without
    // recursion, so the comment itself is stored normally and the stack is never at risk.
    for extra in [
        nested("[", "]"),
        format!("{}1{}", r#"{"k":"#.repeat(depth / 5), "}".repeat(depth / 5)),
    ] {
        let r = raw_json(
            &app,
            format!(r#"{{"extra":{extra},"article_id":"a","author":"x","body":"hi"}}"#)
                .into_bytes(),
        );
        assert_eq!(r.status(), 201);
    }
    assert_eq!(app.total_comments(), 2);
    assert_eq!(app.log_len(), 2);
    // The same through /v1/score, which shares the extractor.
    let r = app
        .request(Method::POST, "/v1/score")
        .header("Content-Type", "application/json")
        .body(format!(r#"{{"text":{}}}"#, nested("[", "]")))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(app.total_comments(), 2);
    assert_alive(&app);
}

fn long_bodies(c: &mut talkback::config::Config) {
    c.max_body_chars = 20_000;
    c.max_request_bytes = 256 * 1024;
}

#[test]
fn twenty_thousand_character_words_are_refused_or_scored_quickly() {
    // Default limits: refused before scoring (too many characters, or, for multi-byte
    // characters, too many bytes), nothing stored.
    let app = TestApp::start();
    for word in ["x".repeat(20_000), "é".repeat(20_000), "🚀".repeat(20_000)] {
        let (status, v) = app.comment("words", "w", &word);
        match status {
            400 => assert_eq!(v["error"]["code"], "too_long"),
            413 => assert_eq!(v["error"]["code"], "payload_too_large"),
            _ => panic!("{status}: {v}"),
        }
    }
    // At the limit: one 5,000-character word is an ordinary comment.
    let v = app.must_comment("words", &"k".repeat(5000));
    assert!(v["scores"]["abuse"].as_f64().is_some());
    assert_eq!(app.total_comments(), 1);
    assert_eq!(app.log_len(), 1);
    drop(app);

    // With the limit raised, 20,000-character words are scored and stored, quickly.
    let app = TestApp::start_with(long_bodies);
    let words = [
        "x".repeat(20_000),
        "é".repeat(20_000),
        "ab".repeat(10_000),
        format!("https://example.org/{}", "a/".repeat(9_990)),
        format!("idiot{}", "!".repeat(19_995)),
        "\u{301}".repeat(20_000), // combining marks with nothing to combine with
    ];
    for word in &words {
        let started = Instant::now();
        let (status, v) = app.comment("words", "w", word);
        assert_eq!(status, 201, "{v}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "a 20,000-character word took {:?}",
            started.elapsed()
        );
        let n = word.chars().count();
        for reason in v["reasons"].as_array().unwrap() {
            for span in reason["spans"].as_array().unwrap() {
                assert!(span["end"].as_u64().unwrap() as usize <= n, "{span}");
            }
        }
    }
    assert_eq!(app.total_comments(), words.len() as u64);
}

const PAYLOADS: &[&str] = &[
    "'; DROP TABLE comments; --",
    "Robert'); DELETE FROM audit_log; --",
    "\" OR 1=1 -- ",
    "1; UPDATE comments SET status='published' WHERE 1=1; --",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=\"fetch('/v1/moderation/stats')\">",
    "</textarea><svg/onload=alert(1)><!--",
    "&lt;b&gt;bold&lt;/b&gt; &amp; {{7*7}} ${7*7} %s%n%x \\u0000",
    "javascript:alert(1)//\u{202e}gnp.exe",
];

#[test]
fn injection_and_markup_payloads_are_stored_verbatim_and_returned_as_json() {
    let app = TestApp::start();
    let mut ids = Vec::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let article = format!("inj-{i}");
        let r = app.post(
            "/v1/comments",
            &json!({ "article_id": article, "author": payload, "title": payload, "body": payload }),
        );
        assert_eq!(r.status(), 201, "{payload}");
        let v: Value = r.json().unwrap();
        ids.push((v["id"].as_str().unwrap().to_string(), article, *payload));
    }
    for (id, article, payload) in &ids {
        let r = app.get_as(ALICE, &format!("/v1/moderation/comments/{id}"));
        assert_eq!(r.status(), 200);
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/json"), "{ct}");
        let v: Value = r.json().unwrap();
        // Byte for byte what was sent (only surrounding whitespace is trimmed), as JSON strings.
        for field in ["body", "author", "title"] {
            assert_eq!(
                v[field].as_str(),
                Some(payload.trim()),
                "{field} of {payload}"
            );
        }
        let r = app.get(&format!("/v1/articles/{article}/comments"));
        assert_eq!(r.status(), 200);
        let listing: Value = r.json().unwrap();
        for c in listing["comments"].as_array().unwrap() {
            assert_eq!(c["body"].as_str(), Some(payload.trim()));
        }
    }
    // Injection through query strings and paths is a validation error.
    for bad in [
        "/v1/moderation/queue?status=held&article_id=%27%20OR%20%271%27%3D%271",
        "/v1/moderation/queue?status=held%27%20OR%201%3D1--",
        "/v1/moderation/queue?status=held&label=abuse%27%20--",
        "/v1/moderation/queue?status=held&order=score%3B%20DROP%20TABLE%20comments",
        "/v1/moderation/queue?status=held&cursor=%27%20OR%201%3D1",
        "/v1/moderation/log?comment_id=%27%20OR%201%3D1",
    ] {
        assert_eq!(app.get_as(ALICE, bad).status(), 400, "{bad}");
    }
    assert_eq!(
        app.get("/v1/articles/a%27%20OR%20%271%27%3D%271/comments")
            .status(),
        400
    );
    // Every table is intact: each comment and its one audit entry.
    assert_eq!(app.total_comments(), PAYLOADS.len() as u64);
    assert_eq!(app.log_len(), PAYLOADS.len());

    // The moderator page builds the DOM with textContent / append, never from HTML strings.
    let page = app.get("/moderate").text().unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!page.contains(sink), "moderator page uses {sink}");
    }
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

fn open_slow_post(app: &TestApp, body: &[u8], sent: usize) -> TcpStream {
    let mut s = TcpStream::connect(addr(app)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "POST /v1/comments HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        addr(app),
        body.len()
    )
    .unwrap();
    s.write_all(&body[..sent]).unwrap();
    s
}

fn read_status(s: &mut TcpStream) -> Option<u16> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf);
    head.split(' ').nth(1).and_then(|c| c.parse().ok())
}

#[test]
fn slow_clients_do_not_hold_up_anyone_else() {
    let app = TestApp::start(); // two workers
    let body = json!({ "article_id": "slow", "author": "s", "body": CLEAN })
        .to_string()
        .into_bytes();
    // Many more stalled uploads than workers: headers sent, the body only begun.
    let mut stalled: Vec<TcpStream> = (0..16).map(|_| open_slow_post(&app, &body, 5)).collect();
    std::thread::sleep(Duration::from_millis(200));

    // Everyone else is served promptly meanwhile.
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(app.get("/healthz").status(), 200);
        app.must_comment("fast", CLEAN);
        assert_eq!(
            app.get_as(ALICE, "/v1/moderation/queue?status=held")
                .status(),
            200
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "a request waited {:?} behind slow clients",
            started.elapsed()
        );
    }

    // A body trickled a byte at a time still arrives whole and is stored once.
    let mut trickle = stalled.pop().unwrap();
    for b in &body[5..] {
        trickle.write_all(&[*b]).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(read_status(&mut trickle), Some(201));
    // Abandoned uploads store nothing.
    drop(stalled);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(app.total_comments(), 6);

    // Headers that never finish (slowloris) are cut off by the server, not kept forever.
    let mut s = TcpStream::connect(addr(&app)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(b"POST /v1/comments HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    let closed = s.read(&mut buf).is_ok();
    assert!(
        closed && started.elapsed() < Duration::from_secs(25),
        "server kept a half-sent request open for {:?}",
        started.elapsed()
    );
    assert_alive(&app);
    assert_eq!(app.total_comments(), 6);
}

/// Makes files immutable (`chattr +i`: refused even to root, which the tests run as) and undoes
/// it on drop, so a failing assertion cannot leave an undeletable temp dir behind.
struct Immutable(Vec<PathBuf>);

impl Immutable {
    /// None when the file system or the sandbox does not support the flag.
    fn set(paths: &[PathBuf]) -> Option<Immutable> {
        let paths: Vec<PathBuf> = paths.iter().filter(|p| p.exists()).cloned().collect();
        let ok = Command::new("chattr")
            .arg("+i")
            .args(&paths)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let guard = Immutable(paths);
        ok.then_some(guard)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr")
            .arg("-i")
            .args(&self.0)
            .stderr(Stdio::null())
            .status();
    }
}

/// The database and its WAL. Not the `-shm` index: SQLite maps it into memory, and a mapping
/// that cannot be written faults (SIGBUS) instead of returning an error.
fn db_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", db.display())))
        .collect()
}

#[test]
fn database_turning_read_only_mid_run_answers_503_and_recovers() {
    let app = TestApp::start();
    app.must_comment("ro", CLEAN);
    let Some(guard) = Immutable::set(&db_files(&app.db_path())) else {
        skip("chattr +i is not available here");
        return;
    };
    for _ in 0..3 {
        let r = app.post(
            "/v1/comments",
            &json!({ "article_id": "ro", "author": "x", "body": CLEAN }),
        );
        expect_error(r, 503, "storage_unavailable");
        assert_alive(&app);
    }
    drop(guard);
    // Writable again: the same process stores the next post, and only the acknowledged ones
    // are there.
    let started = Instant::now();
    loop {
        let (status, v) = app.comment("ro", "x", CLEAN);
        if status == 201 {
            break;
        }
        assert_eq!(status, 503, "{v}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "service did not recover after the database became writable again"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(app.get("/readyz").status(), 200);
    assert_eq!(app.total_comments(), 2);
    assert_eq!(app.log_len(), 2);
}

/// Run `talkback serve` until it exits; returns (exit status, stderr), or None when it came up
/// instead (it is killed then).
fn serve_briefly(
    db: &Path,
    model: &Path,
    port: u16,
    wait: Duration,
) -> Option<(std::process::ExitStatus, String)> {
    let mut child = spawn_binary(db, model, port, Stdio::piped());
    match wait_up_or_exit(
        &mut child,
        &format!("http://127.0.0.1:{port}/healthz"),
        wait,
    ) {
        Err(exited) => Some(exited),
        Ok(()) => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    }
}

#[test]
fn missing_or_broken_model_at_startup_is_a_clear_error_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("talkback.db");
    let broken = dir.path().join("broken-model");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("manifest.json"), "{ not a manifest").unwrap();
    std::fs::write(broken.join("weights.bin"), b"\0\0\0\0").unwrap();
    let empty_root = dir.path().join("empty-models");
    std::fs::create_dir(&empty_root).unwrap();

    for model in [dir.path().join("no-such-model"), broken, empty_root] {
        let port = free_port();
        let (status, stderr) = serve_briefly(&db, &model, port, Duration::from_secs(30))
            .unwrap_or_else(|| panic!("serve kept running with model {}", model.display()));
        assert!(!status.success(), "exit status {status}");
        assert!(
            stderr.contains("model") && stderr.contains(&model.display().to_string()),
            "the error should name the model and its path:\n{stderr}"
        );
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "nothing listens"
        );
        // The model is checked before the database is touched.
        assert!(
            !db.exists(),
            "a database was created for a service that never ran"
        );
    }
}

/// SQLite would silently open a write-protected file read-only; the service must refuse to
/// start with an error naming the file (or, if it starts, answer 503 and recover).
#[test]
fn read_only_database_at_startup_fails_clearly_or_serves_503_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("talkback.db");
    // Create and migrate it, then stop cleanly (the WAL is checkpointed away).
    let app = TestApp::start();
    std::fs::copy(app.db_path(), &db).ok();
    drop(app);
    let (store, _) = talkback::storage::Store::open(&db).unwrap();
    store.shutdown();
    drop(store);
    let files = db_files(&db);
    let Some(guard) = Immutable::set(&files) else {
        skip("chattr +i is not available here");
        return;
    };
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut child = spawn_binary(&db, &model_dir(), port, Stdio::piped());
    let outcome = wait_up_or_exit(
        &mut child,
        &format!("{base}/healthz"),
        Duration::from_secs(30),
    );
    match outcome {
        // Refusing to start is fine if it says why.
        Err((status, stderr)) => {
            eprintln!("read-only database at startup: exited with {status}");
            assert!(!status.success());
            assert!(
                stderr.contains("database") && stderr.contains(&db.display().to_string()),
                "the error should name the database:\n{stderr}"
            );
            drop(guard);
        }
        // Starting is fine if writes are refused with 503 and nothing is acknowledged.
        Ok(()) => {
            let r = client
                .post(format!("{base}/v1/comments"))
                .json(&json!({ "article_id": "ro", "author": "x", "body": CLEAN }))
                .send()
                .unwrap();
            let status = r.status().as_u16();
            let ready = client
                .get(format!("{base}/readyz"))
                .send()
                .unwrap()
                .status();
            eprintln!(
                "read-only database at startup: serves, a post gets {status}, readyz {ready}"
            );
            drop(guard);
            let started = Instant::now();
            let mut recovered = false;
            while started.elapsed() < Duration::from_secs(5) {
                let r = client
                    .post(format!("{base}/v1/comments"))
                    .json(&json!({ "article_id": "ro", "author": "x", "body": CLEAN }))
                    .send()
                    .unwrap();
                if r.status() == 201 {
                    recovered = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            let _ = child.kill();
            let _ = child.wait();
            assert_eq!(status, 503, "a post into a read-only database");
            assert!(
                recovered,
                "the service did not recover once the database was writable again"
            );
        }
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM comments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "nothing was stored");
}
