//! The shipped model's sentence stage: its Rust inference against an independent reference
//! (scripts/encoder_reference.py: Python tokenizers + a numpy BERT over the pretrained f32
//! weights, recorded once in tests/fixtures/encoder_reference.json), its files verified on
//! load, a neighbour bank read as its manifest says (and refused when corrupt), and the
//! fast-only switch.

use crate::common::{TestApp, model_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};
use talkback::config::ScorerMode;
use talkback::domain::Label;
use talkback::model::Model;
use talkback::model::encoder::neighbours::{
    Bank, NEIGHBOURS_FILE, NeighbourReading, NeighbourSpec,
};
use talkback::model::encoder::{EncoderInput, Pretrained, SentenceEncoder, TextReader};
use talkback::model::spelling::{SPELLING_FILE, Speller};

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

/// Change the `encoder` section of the manifest in the version directory `dir`.
fn edit_encoder_spec(dir: &Path, edit: impl FnOnce(&mut Value)) {
    let mpath = dir.join("manifest.json");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&mpath).expect("manifest")).expect("JSON");
    edit(&mut manifest["encoder"]);
    std::fs::write(&mpath, manifest.to_string()).expect("write manifest");
}

/// A copy of the shipped model's version directory at `tmp/name`.
fn copy_of_shipped(tmp: &Path, name: &str) -> PathBuf {
    let shipped = talkback::model::artefact::resolve_dir(&model_dir()).expect("current");
    let dir = tmp.join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for entry in std::fs::read_dir(&shipped).expect("dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

#[test]
fn a_corrupt_or_missing_encoder_file_is_refused_with_the_file_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let copy = |name: &str| copy_of_shipped(tmp.path(), name);
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

/// A copy of the shipped model whose sentence stage reads `corrected` text against a dictionary
/// of `texts` (as training comments), the tokenizer's whole words and `known` (as a word list).
fn with_dictionary(tmp: &Path, name: &str, texts: &[&str], known: &[&str]) -> PathBuf {
    let dir = copy_of_shipped(tmp, name);
    let tokenizer = std::fs::read(dir.join("tokenizer.json")).expect("tokenizer");
    let mut words = talkback::model::encoder::tokenizer_words(&tokenizer).expect("vocabulary");
    words.extend(known.iter().map(|w| w.to_string()));
    let words = Speller::build(texts.iter().copied(), words.iter().map(String::as_str)).to_tsv();
    std::fs::write(dir.join(SPELLING_FILE), &words).expect("write dictionary");
    edit_encoder_spec(&dir, |encoder| {
        encoder["input"] = "corrected".into();
        encoder["spelling"] = serde_json::json!({
            "file": SPELLING_FILE,
            "bytes": words.len(),
            "sha256": talkback::model::artefact::sha256_hex(words.as_bytes()),
            "words": words.lines().count(),
        });
    });
    dir
}

#[test]
fn a_corrected_stage_reads_typos_as_the_words_meant_and_refuses_a_bad_dictionary() {
    let tmp = tempfile::tempdir().expect("tmp");
    let comment = "the immigrants are parasites, hang the traitors, stab the referee, \
                   they are all vermin, stupid people, shoot the minister";
    let dir = with_dictionary(
        tmp.path(),
        "corrected",
        &[comment; 3],
        &["lorry", "mowed", "sear"],
    );
    let model = Model::load(&dir).expect("a model with a dictionary loads");
    let reader = &model.active_encoder().expect("sentence stage").reader;
    assert_eq!(reader.input(), EncoderInput::Corrected);
    for (typed, meant) in [
        // A letter dropped, doubled, swapped, replaced; a word split and two run together.
        (
            "the immigrnts are parasites",
            "the immigrants are parasites",
        ),
        ("hang the traaitors", "hang the traitors"),
        ("hang the tratiors", "hang the traitors"),
        ("i will stab the refetee", "i will stab the referee"),
        ("they are all verm in", "they are all vermin"),
        ("stupidpeople everywhere", "stupid people everywhere"),
        // Disguises the normaliser undoes, then a typo.
        ("S h o o t the m1nistre", "shoot the minister"),
    ] {
        assert_eq!(reader.prepare(typed), reader.prepare(meant), "{typed:?}");
    }
    // Words the dictionary knows stay as written, however close to another word: a British
    // lorry is not a sorry, and a seared steak is not sworn at.
    let normalized = TextReader::new(EncoderInput::Normalized, None).expect("reader");
    for text in ["the lorry was mowed down", "sear the steak, then rest it"] {
        assert_eq!(reader.prepare(text), normalized.prepare(text), "{text:?}");
    }
    // The scorer reads what the stage reads: a typo costs the sentence stage nothing.
    let sentence = |text: &str| {
        let encoder = model.active_encoder().expect("sentence stage");
        encoder.logits(
            &encoder
                .sentence
                .embed(&encoder.reader.prepare(text))
                .expect("embed"),
        )
    };
    assert_eq!(sentence("hang the tratiors"), sentence("hang the traitors"));

    let path = dir.join(SPELLING_FILE);
    let words = std::fs::read_to_string(&path).expect("dictionary");
    std::fs::write(&path, words.replacen('\t', " ", 1)).expect("write");
    let err = Model::load(&dir).err().expect("refused").to_string();
    assert!(
        err.contains(SPELLING_FILE) && err.contains("checksum"),
        "{err}"
    );
    std::fs::remove_file(&path).expect("rm");
    let err = Model::load(&dir).err().expect("refused").to_string();
    assert!(err.contains(SPELLING_FILE), "{err}");
}

const ABUSIVE: &str = "you are a disgusting idiot";
const HARMLESS: &str = "thanks for the careful reporting";

/// The shipped model with a two-row neighbour bank (an abusive comment, a harmless one) that
/// abuse's blend reads with weight 1 from its one nearest row.
fn with_bank(dir: &Path) {
    let model = Model::load(dir).expect("model");
    let encoder = model.active_encoder().expect("sentence stage");
    let embed = |text: &str| {
        // The vector the scorer pools: the encoder reads the normalised text.
        let input = encoder.reader.prepare(text);
        encoder.sentence.embed(&input).expect("embed")
    };
    let (abusive, harmless) = (embed(ABUSIVE), embed(HARMLESS));
    let truth = |y: bool| {
        let mut labels = [None; 6];
        labels[Label::Abuse.index()] = Some(y);
        labels
    };
    let reading = NeighbourReading {
        label: Label::Abuse,
        k: 1,
        temperature: 0.0,
    };
    let mut bank = Bank::build(
        encoder.sentence.dims(),
        [
            (abusive.as_slice(), truth(true)),
            (harmless.as_slice(), truth(false)),
        ],
        &[Label::Abuse],
    );
    bank.set_readings(vec![reading]);
    let bytes = bank.to_bytes().expect("bank");
    std::fs::write(dir.join(NEIGHBOURS_FILE), &bytes).expect("write bank");
    let spec = NeighbourSpec {
        file: NEIGHBOURS_FILE.into(),
        bytes: bytes.len() as u64,
        sha256: talkback::model::artefact::sha256_hex(&bytes),
        rows: bank.rows(),
        labels: vec![reading],
    };
    edit_encoder_spec(dir, |encoder| {
        encoder["neighbours"] = serde_json::to_value(spec).expect("spec");
        for blend in encoder["blend"].as_array_mut().expect("blend") {
            if blend["label"] == "abuse" {
                blend["neighbours"] = 1.0.into();
            }
        }
    });
}

#[test]
fn a_neighbour_bank_moves_abuse_by_its_reading_and_a_bad_one_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plain = Model::load(&model_dir()).expect("shipped");
    let dir = copy_of_shipped(tmp.path(), "bank");
    with_bank(&dir);
    let banked = Model::load(&dir).expect("a model with a bank loads");
    let logit = |m: &Model, text: &str| {
        let p = m.score_only(text).get(Label::Abuse).expect("abuse");
        (p / (1.0 - p)).ln()
    };
    // Each text's nearest row is itself: half a positive of prior beside one row, as log-odds.
    let one_row = (1.5f32 / 0.5).ln();
    for (text, shift) in [(ABUSIVE, one_row), (HARMLESS, -one_row)] {
        let moved = logit(&banked, text) - logit(&plain, text);
        assert!(
            (moved - shift).abs() < 0.01,
            "{text:?}: abuse log-odds moved {moved}, the reading says {shift}"
        );
        let other = |m: &Model| m.score_only(text).get(Label::Threat);
        assert_eq!(other(&banked), other(&plain), "only abuse reads the bank");
    }

    let path = dir.join(NEIGHBOURS_FILE);
    let mut bytes = std::fs::read(&path).expect("bank");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&path, bytes).expect("write");
    let err = Model::load(&dir).err().expect("refused").to_string();
    assert!(
        err.contains(NEIGHBOURS_FILE) && err.contains("checksum"),
        "{err}"
    );

    // A blend that weighs neighbours the manifest does not describe cannot score as trained.
    let unread = copy_of_shipped(tmp.path(), "unread");
    with_bank(&unread);
    edit_encoder_spec(&unread, |encoder| {
        let encoder = encoder.as_object_mut().expect("encoder");
        assert!(encoder.remove("neighbours").is_some());
    });
    let err = Model::load(&unread).err().expect("refused").to_string();
    assert!(err.contains("weighs neighbours"), "{err}");
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

/// A small labelled CSV: abusive and threatening comments against neutral ones, both splits.
fn tiny_dataset(dir: &std::path::Path) -> std::path::PathBuf {
    let bad = [
        "you are a worthless idiot",
        "shut up you stupid moron",
        "go back where you came from, you animal",
        "someone should shoot him",
        "hang them all in the square",
        "I will find you and hurt you",
        "what a pathetic loser you are",
        "kill them all, no mercy",
    ];
    let good = [
        "thanks for the thoughtful article",
        "the council meets again on tuesday",
        "I disagree with the minister on taxes",
        "great match yesterday, well played",
        "the bridge reopens next month",
        "my grandmother made this recipe too",
        "the report cites three sources",
        "I hope the talks succeed",
    ];
    let mut csv = String::from("id,source,split,text,abuse,incitement\n");
    for round in 0..4 {
        for (i, t) in bad.iter().enumerate() {
            let split = if round == 3 { "test" } else { "train" };
            let incitement = u8::from(i >= 3 && i != 6);
            csv.push_str(&format!(
                "b{round}-{i},tiny,{split},\"{t} ({round})\",1,{incitement}\n"
            ));
        }
        for (i, t) in good.iter().enumerate() {
            let split = if round == 3 { "test" } else { "train" };
            csv.push_str(&format!(
                "g{round}-{i},tiny,{split},\"{t} ({round})\",0,0\n"
            ));
        }
    }
    let path = dir.join("tiny.csv");
    std::fs::write(&path, csv).expect("write csv");
    path
}

#[test]
fn tune_encoder_writes_an_encoder_whose_vectors_match_the_cache() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tiny_dataset(tmp.path());
    let out = tmp.path().join("tuned");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .args(["tune-encoder", "--encoder"])
        .arg(model_dir())
        .arg("--data")
        .arg(&data)
        .args([
            "--layers", "1", "--batch", "8", "--epochs", "2", "--lr", "1e-3",
        ])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run tune-encoder");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");

    // The tuned encoder loads like a pretrained package, reads normalised text by default,
    // and its cached vectors are what it computes when it reads the same rows again.
    let tuned = SentenceEncoder::load_pretrained(&out, 128).expect("tuned encoder loads");
    let record: Value =
        serde_json::from_slice(&std::fs::read(out.join("tuning.json")).expect("tuning.json"))
            .expect("JSON");
    assert_eq!(record["layers_tuned"], 1);
    assert_eq!(record["input"], "normalized");
    assert!(record["held_out_auc_tuned"].is_object(), "{record}");
    assert_eq!(
        record["previous"],
        Pretrained::locate(&model_dir()).expect("locate").tuning,
        "a pass from a tuned encoder keeps that encoder's record"
    );
    assert!(
        Pretrained::locate(&out).expect("locate").tuning["layers_tuned"] == 1,
        "the record travels with the encoder"
    );
    let ids = std::fs::read_to_string(out.join("embeddings.safetensors.ids")).expect("ids");
    let mut lines = ids.lines();
    assert_eq!(lines.next(), Some("# input: normalized"));
    let ids: Vec<&str> = lines.collect();
    assert!(
        ids.contains(&"b3-0") && ids.contains(&"g0-5"),
        "test and train rows embedded"
    );
    let cached = candle_core::safetensors::load(
        out.join("embeddings.safetensors"),
        &candle_core::Device::Cpu,
    )
    .expect("vectors")["embeddings"]
        .to_vec2::<f32>()
        .expect("2-d");
    assert_eq!(cached.len(), ids.len());
    let row = ids.iter().position(|&id| id == "b3-3").expect("row");
    let reader = TextReader::new(EncoderInput::Normalized, None).expect("reader");
    let text = reader.prepare("someone should shoot him (3)");
    let fresh = tuned.embed(&text).expect("embed");
    let diff = fresh
        .iter()
        .zip(&cached[row])
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(
        diff < 0.02,
        "cached and recomputed vectors differ by {diff}"
    );

    // Only the top layer moved.
    let original = Pretrained::locate(&model_dir()).expect("shipped");
    let before = candle_core::safetensors::load(&original.weights, &candle_core::Device::Cpu)
        .expect("weights");
    let after =
        candle_core::safetensors::load(out.join("model.safetensors"), &candle_core::Device::Cpu)
            .expect("weights");
    let moved = |name: &str| {
        let a = before[name].to_dtype(candle_core::DType::F32).expect("f32");
        let b = after[name].to_dtype(candle_core::DType::F32).expect("f32");
        (a - b)
            .expect("sub")
            .abs()
            .expect("abs")
            .max_all()
            .expect("max")
            .to_scalar::<f32>()
            .expect("scalar")
    };
    let last = "encoder.layer.5.attention.self.query.weight";
    let first = "encoder.layer.0.attention.self.query.weight";
    assert!(moved(last) > 1e-4, "the top layer was tuned");
    assert_eq!(moved(first), 0.0, "lower layers are frozen");
}

#[test]
fn embed_builds_the_dictionary_from_training_rows_and_word_lists() {
    let tmp = tempfile::tempdir().expect("tmp");
    // The shipped stage without a dictionary of its own, as a freshly tuned encoder comes.
    let bare = copy_of_shipped(tmp.path(), "bare");
    edit_encoder_spec(&bare, |encoder| {
        let encoder = encoder.as_object_mut().expect("encoder");
        if encoder.remove("spelling").is_some() {
            std::fs::remove_file(bare.join(SPELLING_FILE)).expect("rm");
        }
        encoder.insert("input".into(), "normalized".into());
    });

    let data = tiny_dataset(tmp.path());
    let mut csv = std::fs::read_to_string(&data).expect("csv");
    for i in 0..3 {
        csv.push_str(&format!(
            "r{i},tiny,train,\"only training rows say flumberg\",0,0\n"
        ));
        csv.push_str(&format!(
            "t{i},tiny,test,\"only the test rows say zorblefax\",0,0\n"
        ));
    }
    csv.push_str("typo,tiny,test,\"the brigde reopens next month\",0,0\n");
    std::fs::write(&data, csv).expect("write csv");
    let list = tmp.path().join("words.txt");
    std::fs::write(&list, "Plonker\nplonker's\n").expect("write list");
    let out = tmp.path().join("emb.safetensors");
    embed(
        &bare,
        &data,
        &out,
        &["--input", "corrected", "--words", &list.to_string_lossy()],
    );

    let ids = std::fs::read_to_string(tmp.path().join("emb.safetensors.ids")).expect("ids");
    assert_eq!(ids.lines().next(), Some("# input: corrected"));
    let words = std::fs::read_to_string(tmp.path().join("emb.safetensors.words")).expect("words");
    let count = |w: &str| {
        words
            .lines()
            .find_map(|l| l.strip_prefix(w)?.strip_prefix('\t'))
            .map(|n| n.parse::<u32>().expect("count"))
    };
    // Three training rows say `flumberg`; the test rows are not read; the word list's
    // words are known (case folded, possessives left out) though no row says them; and the
    // tokenizer's whole words are known too.
    assert_eq!(count("flumberg"), Some(3), "{words:.200}");
    assert_eq!(count("zorblefax"), None);
    assert_eq!(count("plonker"), Some(0));
    assert!(count("hospital").is_some());

    // Read as typed, the comments the repair leaves alone are copied from the corrected vectors
    // and the one it changed is embedded again.
    let typed = tmp.path().join("typed.safetensors");
    let reuse = out.to_string_lossy();
    let stderr = embed(
        &bare,
        &data,
        &typed,
        &["--input", "normalized", "--reuse", &reuse],
    );
    let reused = stderr
        .lines()
        .find_map(|l| l.strip_suffix(" comments already embedded"))
        .and_then(|l| l.split_once(" of "))
        .map(|(k, n)| {
            (
                k.parse::<usize>().expect("k"),
                n.parse::<usize>().expect("n"),
            )
        })
        .unwrap_or_else(|| panic!("no reuse reported: {stderr}"));
    assert!(reused.0 < reused.1 && reused.0 > reused.1 / 2, "{reused:?}");
    let (corrected, typed) = (vectors(&out), vectors(&typed));
    let encoder = SentenceEncoder::load_pretrained(&bare, 128).expect("encoder");
    let reader = TextReader::new(EncoderInput::Normalized, None).expect("reader");
    let fresh = encoder
        .embed(&reader.prepare("the brigde reopens next month"))
        .expect("embed");
    assert!(max_diff(&typed["typo"], &fresh) < 1e-3, "embedded as typed");
    let repaired = max_diff(&typed["typo"], &corrected["typo"]);
    assert!(repaired > 1e-2, "the repair changed it: {repaired}");
    assert_eq!(typed["g1-2"], corrected["g1-2"], "copied");
}

/// `talkback embed` of `data` by `encoder` into `out` with `flags`, which must succeed; its
/// stderr.
fn embed(encoder: &Path, data: &Path, out: &Path, flags: &[&str]) -> String {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_talkback"))
        .arg("embed")
        .args(flags)
        .arg("--encoder")
        .arg(encoder)
        .arg("--data")
        .arg(data)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run embed");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{stderr}");
    stderr
}

/// The vectors of an `embed` output, by row id.
fn vectors(path: &Path) -> std::collections::HashMap<String, Vec<f32>> {
    let ids = std::fs::read_to_string(format!("{}.ids", path.display())).expect("ids");
    let rows = candle_core::safetensors::load(path, &candle_core::Device::Cpu).expect("vectors")
        ["embeddings"]
        .to_vec2::<f32>()
        .expect("2-d");
    let ids = ids
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(String::from);
    ids.zip(rows).collect()
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}
