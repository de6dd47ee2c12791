//! Acknowledged means stored: a 201 is sent only after COMMIT, so neither a graceful stop nor
//! SIGKILL in the middle of a stream of posts loses a comment the client was told about.

use crate::common::*;
use serde_json::{Value, json};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

type Writers = Vec<std::thread::JoinHandle<Vec<String>>>;

/// Post from several threads until the server stops answering; return the acknowledged ids.
/// Returns once the server has acknowledged a few posts, so the stop lands mid-stream however
/// slow scoring is on this machine (a debug build scores in hundreds of milliseconds).
fn post_until_gone(base: String, threads: usize) -> Writers {
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let writers = (0..threads)
        .map(|t| {
            let base = base.clone();
            let acknowledged = Arc::clone(&acknowledged);
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .unwrap();
                let mut acked = Vec::new();
                for i in 0..5_000 {
                    let body = json!({ "article_id": "durable", "author": format!("w{t}-{i}"), "body": CLEAN });
                    match client.post(format!("{base}/v1/comments")).json(&body).send() {
                        Ok(r) if r.status() == 201 => {
                            let v: Value = r.json().unwrap();
                            acked.push(v["id"].as_str().unwrap().to_string());
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(r) => panic!("unexpected status {}", r.status()),
                        Err(_) => break,
                    }
                }
                acked
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.load(Ordering::SeqCst) < 2 * threads {
        assert!(
            Instant::now() < deadline,
            "the server acknowledged fewer than {} posts in 120 s",
            2 * threads
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    writers
}

fn assert_all_stored(app: &TestApp, acked: &[String]) {
    assert!(!acked.is_empty(), "the server acknowledged nothing");
    let stored = app.total_comments() as usize;
    assert!(
        stored >= acked.len(),
        "{stored} stored < {} acknowledged",
        acked.len()
    );
    for id in acked {
        let r = app.get_as(ALICE, &format!("/v1/moderation/comments/{id}"));
        assert_eq!(r.status(), 200, "acknowledged comment {id} is missing");
    }
}

#[test]
fn graceful_stop_commits_every_acknowledged_post() {
    let app = TestApp::start();
    let writers = post_until_gone(app.base.clone(), 4);
    let app = app.restart();
    let acked: Vec<String> = writers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert_all_stored(&app, &acked);
}

#[test]
fn sigkill_loses_no_acknowledged_post() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("talkback.db");
    let port = free_port();
    // stderr is not read here: a pipe would fill under load and stall the server.
    let mut child = spawn_binary(&db, &model_dir(), port, Stdio::null());
    let base = format!("http://127.0.0.1:{port}");
    assert!(
        wait_up_or_exit(
            &mut child,
            &format!("{base}/readyz"),
            Duration::from_secs(30)
        )
        .is_ok(),
        "server exited before becoming ready"
    );
    let writers = post_until_gone(base, 4);
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let acked: Vec<String> = writers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();

    // Reopen the same file with the library server and look for every acknowledged id.
    let mut config = talkback::config::Config::with_paths(&db, &model_dir());
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.moderators = vec![talkback::config::Credential {
        name: "alice".into(),
        secret: ALICE.into(),
    }];
    let running = talkback::http::spawn(config).expect("restart after kill");
    let app = TestApp::attach(running, dir);
    assert_all_stored(&app, &acked);
}
