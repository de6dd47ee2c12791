//! The shipped model's sentence stage: its Rust inference against an independent reference
//! (scripts/encoder_reference.py: Python tokenizers + a numpy BERT over the pretrained f32
//! weights, recorded once in tests/fixtures/encoder_reference.json), its files verified on
//! load, and the fast-only switch.

mod common;

use common::{TestApp, model_dir};
use serde_json::Value;
use talkback::config::ScorerMode;
use talkback::domain::Label;
use talkback::model::Model;

fn reference() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/encoder_reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture JSON")
}

#[test]
fn rust_inference_matches_the_reference_within_f16_rounding() {
    let model = Model::load(&model_dir()).expect("shipped model");
    let encoder = model
        .active_encoder()
        .expect("the shipped model has a sentence stage");
    let fixture = reference();
    let sentences = fixture["sentences"].as_array().expect("sentences");
    assert!(sentences.len() >= 12);
    let texts: Vec<&str> = sentences
        .iter()
        .map(|s| s["text"].as_str().expect("text"))
        .collect();
    // One at a time (as the service scores) and as one padded batch (as training embeds).
    let batch = encoder.sentence.embed_batch(&texts).expect("batch");
    for (s, batched) in sentences.iter().zip(&batch) {
        let text = s["text"].as_str().expect("text");
        let want: Vec<f32> = s["pooled"]
            .as_array()
            .expect("pooled")
            .iter()
            .map(|v| v.as_f64().expect("number") as f32)
            .collect();
        let got = encoder.sentence.embed(text).expect("embed");
        assert_eq!(got.len(), want.len());
        let dot: f32 = got.iter().zip(&want).map(|(a, b)| a * b).sum();
        let norm = |v: &[f32]| v.iter().map(|a| a * a).sum::<f32>().sqrt();
        let cosine = dot / (norm(&got) * norm(&want));
        let max_diff = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        eprintln!("{text:?}: cosine {cosine:.6}, max |diff| {max_diff:.5}");
        assert!(cosine > 0.9995, "{text:?}: cosine {cosine}");
        assert!(max_diff < 0.02, "{text:?}: max |diff| {max_diff}");
        let batch_diff = got
            .iter()
            .zip(batched)
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(
            batch_diff < 1e-4,
            "{text:?}: padded batch differs by {batch_diff}"
        );
    }
}

#[test]
fn a_corrupt_or_missing_encoder_file_is_refused_with_the_file_named() {
    let shipped = talkback::model::artefact::resolve_dir(&model_dir()).expect("current");
    let tmp = tempfile::tempdir().expect("tmp");
    let copy = |name: &str| {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        for entry in std::fs::read_dir(&shipped).expect("dir") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
        dir
    };
    let flipped = copy("flipped");
    let path = flipped.join("encoder.safetensors");
    let mut bytes = std::fs::read(&path).expect("encoder file");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x10;
    std::fs::write(&path, bytes).expect("write");
    let err = Model::load(&flipped).err().expect("refused").to_string();
    assert!(
        err.contains("encoder.safetensors") && err.contains("checksum"),
        "{err}"
    );

    let missing = copy("missing");
    std::fs::remove_file(missing.join("encoder.safetensors")).expect("rm");
    let err = Model::load(&missing).err().expect("refused").to_string();
    assert!(err.contains("encoder.safetensors"), "{err}");

    let truncated = copy("truncated");
    std::fs::write(truncated.join("tokenizer.json"), "{").expect("write");
    let err = Model::load(&truncated).err().expect("refused").to_string();
    assert!(
        err.contains("tokenizer.json") && err.contains("bytes"),
        "{err}"
    );
}

/// Scores `text` through `POST /v1/score` on a service started with `tweak`.
fn served_scores(app: &TestApp, text: &str) -> Value {
    let r = app.post("/v1/score", &serde_json::json!({ "text": text }));
    assert_eq!(r.status(), 200);
    r.json::<Value>().expect("JSON")["scores"].clone()
}

#[test]
fn the_fast_scorer_switch_serves_the_fast_model_alone() {
    let text = "Go back to Africa, you monkey";
    let mut fast_model = Model::load(&model_dir()).expect("model");
    fast_model.set_use_encoder(false);
    assert!(fast_model.active_encoder().is_none());
    let fast = fast_model.score_only(text);
    let full = Model::load(&model_dir()).expect("model").score_only(text);
    let abuse = |s: &talkback::domain::Scores| s.get(Label::Abuse).expect("abuse");
    assert!(
        (abuse(&full) - abuse(&fast)).abs() > 1e-3,
        "the sentence stage changes this comment's abuse score ({} vs {})",
        abuse(&full),
        abuse(&fast)
    );

    let app = TestApp::start_with(|c| c.scorer = ScorerMode::Fast);
    let served = served_scores(&app, text)["abuse"].as_f64().expect("abuse") as f32;
    assert!(
        (served - abuse(&fast)).abs() < 1e-4,
        "{served} vs {}",
        abuse(&fast)
    );
    let app = TestApp::start();
    let served = served_scores(&app, text)["abuse"].as_f64().expect("abuse") as f32;
    assert!(
        (served - abuse(&full)).abs() < 1e-4,
        "{served} vs {}",
        abuse(&full)
    );
}
