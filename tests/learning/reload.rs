//! Hot model reload: admin endpoint, SIGHUP, refusal of broken models, no failed request while
//! models are swapped under load, and per-version overturn stats after a change.

use crate::common::{ABUSIVE, ALICE, CLEAN, TestApp, copy_model, expect_error, shipped_model_dir};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use talkback::config::{Config, Credential};

const ADMIN: &str = "admin-token-00000001";

fn with_admin(c: &mut Config) {
    c.admins = vec![Credential {
        name: "root".into(),
        secret: ADMIN.into(),
    }];
}

fn ready_version(app: &TestApp) -> String {
    let v: Value = app.get("/readyz").json().expect("readyz JSON");
    v["model_version"]
        .as_str()
        .expect("model_version")
        .to_string()
}

fn metrics_text(app: &TestApp) -> String {
    app.get("/metrics").text().expect("metrics text")
}

fn reload(app: &TestApp, path: Option<&Path>) -> reqwest::blocking::Response {
    let body = match path {
        Some(p) => json!({ "path": p }),
        None => json!({}),
    };
    app.post_as(ADMIN, "/v1/admin/model/reload", &body)
}

#[test]
fn reload_needs_an_admin_token() {
    let app = TestApp::start_with(with_admin);
    let r = app.post("/v1/admin/model/reload", &json!({}));
    expect_error(r, 401, "unauthorized");
    // A moderator is not an administrator.
    let r = app.post_as(ALICE, "/v1/admin/model/reload", &json!({}));
    expect_error(r, 403, "forbidden");
    let r = app.post_as(ADMIN, "/v1/admin/model/reload", &json!({ "bogus": 1 }));
    expect_error(r, 400, "invalid_json");
}

#[test]
fn reload_switches_version_everywhere_and_stats_split_by_version() {
    let app = TestApp::start_with(with_admin);
    let old = ready_version(&app);
    let models = tempfile::tempdir().expect("tmp");
    let new_dir = copy_model(models.path(), "2099-01-01-reload");

    // Version A scores and a moderator overturns one of its verdicts.
    let a_clean = app.must_comment("article-1", CLEAN);
    assert_eq!(a_clean["model_version"], old.as_str());
    let id = a_clean["id"].as_str().expect("id");
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{id}/decision"),
        &json!({ "decision": "reject", "reason": "other" }),
    );
    assert_eq!(r.status(), 200);

    let r = reload(&app, Some(&new_dir));
    assert_eq!(r.status(), 200);
    let body: Value = r.json().expect("JSON");
    assert_eq!(body["previous_version"], old.as_str());
    assert_eq!(body["version"], "2099-01-01-reload");
    assert_eq!(ready_version(&app), "2099-01-01-reload");
    let metrics = metrics_text(&app);
    assert!(
        metrics.contains("talkback_model_info{version=\"2099-01-01-reload\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("talkback_model_reloads_total{result=\"applied\"} 1"));

    // Version B scores new comments; a moderator confirms one of its verdicts.
    let b = app.must_comment("article-1", ABUSIVE);
    assert_eq!(b["model_version"], "2099-01-01-reload");
    let decision = if b["status"] == "published" {
        "approve"
    } else {
        "reject"
    };
    let id = b["id"].as_str().expect("id");
    let r = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{id}/decision"),
        &json!({ "decision": decision, "reason": "threat" }),
    );
    assert_eq!(r.status(), 200);

    // Issue point 5: per model version, how often moderators overturned it.
    let stats = app.stats();
    let versions = stats["model_versions"].as_array().expect("versions");
    let find = |v: &str| {
        versions
            .iter()
            .find(|x| x["version"] == v)
            .unwrap_or_else(|| panic!("no stats for {v}: {stats}"))
            .clone()
    };
    let a = find(&old);
    assert_eq!(
        (a["reviewed"].as_u64(), a["overturned"].as_u64()),
        (Some(1), Some(1))
    );
    let b = find("2099-01-01-reload");
    assert_eq!(
        (b["reviewed"].as_u64(), b["overturned"].as_u64()),
        (Some(1), Some(0))
    );

    // No body at all: re-read the configured path (models/, following `current`).
    let r = app
        .request(reqwest::Method::POST, "/v1/admin/model/reload")
        .bearer_auth(ADMIN)
        .send()
        .expect("request");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().expect("JSON");
    assert_eq!(body["previous_version"], "2099-01-01-reload");
    assert_eq!(body["version"], old.as_str());
    assert_eq!(ready_version(&app), old);
}

#[test]
fn broken_models_are_refused_and_the_old_one_keeps_serving() {
    let app = TestApp::start_with(with_admin);
    let old = ready_version(&app);
    let models = tempfile::tempdir().expect("tmp");

    // Flipped bytes in the weights: checksum mismatch.
    let flipped = copy_model(models.path(), "2099-01-02-flipped");
    let weights = flipped.join("weights.bin");
    let mut bytes = std::fs::read(&weights).expect("read weights");
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xA5;
    }
    std::fs::write(&weights, &bytes).expect("write weights");

    // Truncated weights.
    let truncated = copy_model(models.path(), "2099-01-03-truncated");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(truncated.join("weights.bin"))
        .expect("open");
    file.set_len(1000).expect("truncate");

    // Missing weights file, and a directory that does not exist.
    let missing = copy_model(models.path(), "2099-01-04-missing");
    std::fs::remove_file(missing.join("weights.bin")).expect("rm");
    let nowhere = models.path().join("no-such-version");

    // The sentence stage's files: flipped encoder weights, a missing tokenizer.
    let encoder_flipped = copy_model(models.path(), "2099-01-05-encoder-flipped");
    let encoder = encoder_flipped.join("encoder.safetensors");
    let mut bytes = std::fs::read(&encoder).expect("the shipped model has a sentence stage");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&encoder, &bytes).expect("write encoder");
    let no_tokenizer = copy_model(models.path(), "2099-01-06-no-tokenizer");
    std::fs::remove_file(no_tokenizer.join("tokenizer.json")).expect("rm tokenizer");

    for (dir, needle) in [
        (&flipped, "checksum"),
        (&truncated, ""),
        (&missing, "weights.bin"),
        (&nowhere, "no such directory"),
        (&encoder_flipped, "encoder.safetensors: checksum"),
        (&no_tokenizer, "tokenizer.json"),
    ] {
        let started = Instant::now();
        let err = expect_error(reload(&app, Some(dir)), 422, "model_rejected");
        let message = err["message"].as_str().expect("message");
        assert!(message.contains(needle), "{dir:?}: {message}");
        assert_eq!(err["details"]["serving_version"], old.as_str());
        eprintln!(
            "refused {} in {:?}: {message}",
            dir.display(),
            started.elapsed()
        );
        // Still serving, still scoring with the old version.
        assert_eq!(ready_version(&app), old);
        assert_eq!(
            app.must_comment("article-2", CLEAN)["model_version"],
            old.as_str()
        );
    }
    let metrics = metrics_text(&app);
    assert!(
        metrics.contains("talkback_model_reloads_total{result=\"refused\"} 6"),
        "{metrics}"
    );
    assert!(metrics.contains(&format!("talkback_model_info{{version=\"{old}\"}} 1")));
}

/// Copy the shipped model as `version` with `bars` in its manifest.
fn copy_model_with_bars(root: &Path, version: &str, bars: Value) -> PathBuf {
    let dir = copy_model(root, version);
    let path = dir.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("manifest")).expect("JSON");
    manifest["bars"] = bars;
    std::fs::write(&path, manifest.to_string()).expect("write manifest");
    dir
}

#[test]
fn a_model_brings_its_bars_unless_the_configuration_sets_them() {
    let models = tempfile::tempdir().expect("tmp");
    // Bars so low that a friendly comment is held: only the model's bars would do that.
    let strict = copy_model_with_bars(
        models.path(),
        "2099-04-01-strict",
        json!({ "hold": { "abuse": 0.000001, "incitement": 0.3 }, "reject": {} }),
    );
    let status = |app: &TestApp| app.must_comment("article-bars", CLEAN)["status"].clone();

    let app = TestApp::start_with(with_admin);
    assert_eq!(status(&app), "published");
    assert_eq!(reload(&app, Some(&strict)).status(), 200);
    assert_eq!(status(&app), "held", "the reloaded model's own bars decide");
    let held = app.must_comment("article-bars", CLEAN);
    let id = held["id"].as_str().expect("id");
    let detail: Value = app
        .get_as(ALICE, &format!("/v1/moderation/comments/{id}"))
        .json()
        .expect("detail JSON");
    assert!(
        detail["thresholds"]["hold"]["abuse"].as_f64() < Some(0.001),
        "the bars that decided are stored with the comment: {detail}"
    );

    let configured = TestApp::start_with(|c| {
        with_admin(c);
        c.bars.hold = Some([(talkback::domain::Label::Abuse, 0.7)].into());
    });
    assert_eq!(reload(&configured, Some(&strict)).status(), 200);
    assert_eq!(
        status(&configured),
        "published",
        "configured hold bars win over the model's"
    );

    // Bars that are no probabilities make the model invalid: refused, the old one serves on.
    let broken = copy_model_with_bars(
        models.path(),
        "2099-04-02-broken-bars",
        json!({ "hold": { "abuse": 2.0 } }),
    );
    let err = expect_error(reload(&app, Some(&broken)), 422, "model_rejected");
    assert!(
        err["message"].as_str().unwrap_or("").contains("bars"),
        "{err}"
    );
    assert_eq!(ready_version(&app), "2099-04-01-strict");
}

#[test]
fn a_model_without_a_required_label_is_refused() {
    let dir = shipped_model_dir();
    let config = Config::with_paths(Path::new("unused.db"), &dir);
    let full = talkback::model::Model::load(&dir).expect("loads");
    assert!(talkback::http::reload::validate(&full, &config).is_ok());
    let (manifest, weights) = talkback::model::artefact::read(&dir).expect("reads");
    // The same weights claiming no incitement head: the service's bars need it.
    let mut partial = manifest;
    partial
        .labels
        .retain(|l| *l != talkback::domain::Label::Incitement);
    let model = talkback::model::Model::from_parts(partial, weights);
    let err = talkback::http::reload::validate(&model, &config).expect_err("refused");
    assert!(err.to_string().contains("incitement"), "{err}");
}

#[test]
fn reload_under_concurrent_posting_fails_no_request() {
    let app = Arc::new(TestApp::start_with(with_admin));
    let old = ready_version(&app);
    let models = tempfile::tempdir().expect("tmp");
    let b = copy_model(models.path(), "2099-02-01-b");
    let a = shipped_model_dir();

    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let posters: Vec<_> = (0..4)
        .map(|t| {
            let (app, stop, ok, failed) = (app.clone(), stop.clone(), ok.clone(), failed.clone());
            std::thread::spawn(move || {
                let mut versions = std::collections::BTreeSet::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let body = if i % 3 == 0 { ABUSIVE } else { CLEAN };
                    let (status, v) = app.comment("article-load", &format!("poster-{t}"), body);
                    if status == 201 {
                        ok.fetch_add(1, Ordering::Relaxed);
                        versions.insert(v["model_version"].as_str().unwrap_or("").to_string());
                    } else {
                        eprintln!("failed request: {status} {v}");
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    i += 1;
                }
                versions
            })
        })
        .collect();

    let mut reload_ms = Vec::new();
    std::thread::sleep(Duration::from_millis(100));
    for round in 0..6 {
        let target = if round % 2 == 0 { &b } else { &a };
        let started = Instant::now();
        let r = reload(&app, Some(target));
        assert_eq!(r.status(), 200);
        reload_ms.push(started.elapsed().as_millis());
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    let mut seen = std::collections::BTreeSet::new();
    for p in posters {
        seen.extend(p.join().expect("poster thread"));
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    eprintln!(
        "reload round trips (ms): {reload_ms:?}; posts ok={ok} failed={failed}; versions seen={seen:?}"
    );
    assert_eq!(failed, 0);
    assert!(ok > 20, "only {ok} posts went through");
    assert!(
        seen.contains(&old) && seen.contains("2099-02-01-b"),
        "{seen:?}"
    );
    assert_eq!(ready_version(&app), old);
}

/// `talkback serve` reloads on SIGHUP from the configured models root (follows `current`).
#[test]
fn sighup_reloads_from_models_current() {
    let models = tempfile::tempdir().expect("tmp");
    copy_model(models.path(), "2099-03-01-a");
    copy_model(models.path(), "2099-03-01-b");
    std::fs::write(models.path().join("current"), "2099-03-01-a\n").expect("current");
    let data = tempfile::tempdir().expect("tmp");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .arg("serve")
        .env("TALKBACK_LISTEN", format!("127.0.0.1:{port}"))
        .env("TALKBACK_DATABASE", data.path().join("t.db"))
        .env("TALKBACK_MODEL", models.path())
        .env("TALKBACK_WORKERS", "1")
        .env("TALKBACK_LOG", "warn")
        .spawn()
        .expect("start talkback serve");
    let client = reqwest::blocking::Client::new();
    let readyz = || -> Option<String> {
        let v: Value = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .ok()?
            .json()
            .ok()?;
        v["model_version"].as_str().map(str::to_string)
    };
    let pid = child.id().to_string();
    // Polled every 50 ms, so a quick start or reload costs no more than that; the deadline only
    // bounds a service that never gets there, and is generous because a busy 2-core machine
    // loads the model many times slower than an idle one. A service that exits ends the wait.
    let mut wait_for = |want: &str| -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if readyz().as_deref() == Some(want) {
                return Ok(());
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("talkback serve exited ({status})"));
            }
            if Instant::now() >= deadline {
                return Err("not within 120 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let result = (|| -> Result<(), String> {
        wait_for("2099-03-01-a")
            .map_err(|e| format!("service did not come up with version a: {e}"))?;
        std::fs::write(models.path().join("current"), "2099-03-01-b\n")
            .map_err(|e| e.to_string())?;
        let hup = std::process::Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .map_err(|e| e.to_string())?;
        if !hup.success() {
            return Err("kill -HUP failed".into());
        }
        wait_for("2099-03-01-b").map_err(|e| format!("SIGHUP did not switch to version b: {e}"))?;
        // A broken promotion: SIGHUP refuses it, the service keeps running version b.
        std::fs::write(models.path().join("current"), "no-such-version\n")
            .map_err(|e| e.to_string())?;
        std::process::Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .map_err(|e| e.to_string())?;
        std::thread::sleep(Duration::from_millis(500));
        if readyz().as_deref() != Some("2099-03-01-b") {
            return Err("a refused SIGHUP reload changed the live version".into());
        }
        Ok(())
    })();
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    let _ = child.wait();
    result.expect("SIGHUP reload");
}
