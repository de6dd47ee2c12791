//! `scripts/retrain.sh` end to end on a small fixture: export from a service database, combine,
//! train, gate. The fixture-trained candidate is worse than the shipped model, so the gate
//! refuses it (exit 1, `current` unchanged, report written); `--force` promotes it.

use crate::common;

use crate::common::{ALICE, TestApp};
use serde_json::json;
use std::path::Path;
use std::process::Command;

/// Shared-schema CSV with deliberately scrambled training labels (abuse only).
fn shared_fixture(path: &Path) {
    let mut out = String::from(
        "id,source,split,text,abuse,incitement,insult,obscene,threat,identity_attack\n",
    );
    for i in 0..120usize {
        let split = if i < 70 { "train" } else { "test" };
        let abusive = i % 2 == 1;
        let text = if abusive {
            format!("you are a stupid worthless idiot number {i}")
        } else {
            format!("thanks for the careful reporting on item {i}")
        };
        let label = if split == "train" {
            (i / 3) % 2 == 1
        } else {
            abusive
        };
        out.push_str(&format!(
            "s{i},fixture,{split},{text},{},,,,,\n",
            u8::from(label)
        ));
    }
    std::fs::write(path, out).expect("fixture");
}

fn retrain(app: &TestApp, models: &Path, shared: &Path, extra: &[&str]) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/retrain.sh");
    Command::new("bash")
        .arg(script)
        .args(extra)
        .arg("--database")
        .arg(app.db_path())
        .arg("--models")
        .arg(models)
        .arg("--shared")
        .arg(shared)
        .args(["--", "--buckets-log2", "14", "--no-templates"])
        .env("TALKBACK_BIN", env!("CARGO_BIN_EXE_talkback"))
        .output()
        .expect("run retrain.sh")
}

#[test]
fn retrain_script_refuses_a_worse_model_and_force_promotes_it() {
    let app = TestApp::start();
    for (text, decision) in [
        (
            "A fair point about the library hours.",
            json!({"decision": "approve"}),
        ),
        (
            "you absolute clown, nobody asked",
            json!({"decision": "reject", "reason": "insult"}),
        ),
    ] {
        let c = app.must_comment("article-x", text);
        let id = c["id"].as_str().expect("id");
        let r = app.post_as(
            ALICE,
            &format!("/v1/moderation/comments/{id}/decision"),
            &decision,
        );
        assert_eq!(r.status(), 200);
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let shared = tmp.path().join("shared.csv");
    shared_fixture(&shared);
    // A models root of our own holding a copy of the shipped version.
    let models = tmp.path().join("models");
    let name = std::fs::read_to_string(common::model_dir().join("current")).expect("current");
    let name = name.trim();
    std::fs::create_dir_all(models.join(name)).expect("mkdir");
    for entry in std::fs::read_dir(common::model_dir().join(name)).expect("model dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            models.join(name).join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
    std::fs::write(models.join("current"), format!("{name}\n")).expect("current");

    let o = retrain(&app, &models, &shared, &[]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{stderr}");
    // The fixture trains `abuse` only: the candidate loses the shipped model's other heads.
    assert!(
        stderr.contains("gate refused") && stderr.contains("insult is not scored by the candidate"),
        "{stderr}"
    );
    assert!(stdout.contains("combined with"), "{stdout}");
    let current = std::fs::read_to_string(models.join("current")).expect("current");
    assert_eq!(current.trim(), name, "refused: current unchanged");
    let refused: Vec<_> = std::fs::read_dir(&models)
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("report.md").is_file())
        .collect();
    assert_eq!(refused.len(), 1, "the refused candidate keeps its report");

    let o = retrain(&app, &models, &shared, &["--force"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let promoted = std::fs::read_to_string(models.join("current")).expect("current");
    let promoted = promoted.trim();
    assert_ne!(promoted, name);
    let report =
        std::fs::read_to_string(models.join(promoted).join("report.json")).expect("report");
    let report: serde_json::Value = serde_json::from_str(&report).expect("JSON");
    assert_eq!(report["decision"], "forced");
    assert!(report["rows_by_source"]["fixture"].as_u64() == Some(50));
    // The candidate reads the word vectors of the model it was trained to replace.
    let manifest =
        std::fs::read_to_string(models.join(promoted).join("manifest.json")).expect("manifest");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("JSON");
    assert_eq!(
        manifest["training"]["vectors"]["from"],
        format!("model {name}").as_str()
    );
    // ... and keeps its sentence stage: the same encoder, heads and blend trained again.
    let shipped: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(models.join(name).join("manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    assert_eq!(
        manifest["encoder"]["weights_sha256"],
        shipped["encoder"]["weights_sha256"]
    );
    // It reads comments as the shipped stage does (its heads as typed, served repaired against
    // the same dictionary).
    for key in ["input", "heads_input", "spelling"] {
        assert_eq!(manifest["encoder"][key], shipped["encoder"][key], "{key}");
    }
    assert!(
        !manifest["encoder"]["blend"]
            .as_array()
            .expect("blend")
            .is_empty()
    );
    assert!(
        talkback::model::Model::load(&models.join(promoted))
            .expect("the promoted model loads")
            .has_encoder()
    );
}
