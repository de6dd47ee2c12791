//! The promotion gate through the CLI: a deliberately worse model (trained on shuffled labels)
//! is refused with the label and the drop named; `--force` promotes it and the report records
//! that; an equal model passes and `--promote` points `current` at it. Reports and curves are
//! written either way.

use crate::common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NAMES: [&str; 6] = ["Sam", "Alex", "Jo", "Kim", "Lee", "Pat"];
const CLEAN: [&str; 5] = [
    "Thanks for the thorough reporting on the budget vote, {n}.",
    "I disagree with {n} about the tax plan but it is a fair point.",
    "Great article, {n}, the charts made it easy to follow.",
    "Could the council publish the full minutes? Asking for {n}.",
    "The bridge repairs are overdue; glad {n} covered it.",
];
const ABUSE: [&str; 5] = [
    "{n}, you are a stupid worthless idiot.",
    "Shut up {n}, you pathetic moron.",
    "{n} is a disgusting piece of garbage and a liar.",
    "Nobody cares what you think {n}, you brainless clown.",
    "What an idiot {n} is, total waste of oxygen.",
];

/// A small labelled CSV (abuse only): 80 train rows and 60 test rows. With `shuffle` the
/// training labels are scrambled, so a model trained on it is worse by construction; test
/// labels are always true.
fn fixture(path: &Path, shuffle: bool) {
    let mut out = String::from("id,source,split,text,abuse\n");
    for i in 0..140usize {
        let split = if i < 80 { "train" } else { "test" };
        let abusive = i % 2 == 1;
        let template = if abusive { ABUSE[i % 5] } else { CLEAN[i % 5] };
        let text = template.replace("{n}", NAMES[(i / 2) % 6]);
        // Deterministic scramble: the label follows an unrelated bit of the row number.
        let label = if shuffle && split == "train" {
            (i / 3) % 2 == 1
        } else {
            abusive
        };
        out.push_str(&format!(
            "r{i},fixture,{split},\"{text}\",{}\n",
            u8::from(label)
        ));
    }
    std::fs::write(path, out).expect("write fixture");
}

fn talkback(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talkback"))
        .args(args)
        .output()
        .expect("run talkback")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn train(data: &Path, out: &Path) {
    let o = talkback(&[
        "train",
        "--quiet",
        "--no-templates",
        "--buckets-log2",
        "14",
        "--data",
        s(data),
        "--out",
        s(out),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn gate(candidate: &Path, data: &Path, extra: &[&str]) -> Output {
    let current = common::model_dir();
    let mut args = vec![
        "gate",
        "--quiet",
        "--current",
        s(&current),
        "--candidate",
        s(candidate),
        "--data",
        s(data),
    ];
    args.extend_from_slice(extra);
    talkback(&args)
}

fn report(dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("report.json")).expect("report.json");
    serde_json::from_str(&text).expect("report JSON")
}

fn assert_report_files(dir: &Path) {
    for f in ["report.md", "report.json", "roc_abuse.png", "pr_abuse.png"] {
        let bytes = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(!bytes.is_empty(), "{f} is empty");
        if f.ends_with(".png") {
            assert_eq!(&bytes[1..4], b"PNG", "{f} is not a PNG");
        }
    }
}

#[test]
fn gate_refuses_a_worse_model_and_force_records_the_override() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (good, bad) = (tmp.path().join("good.csv"), tmp.path().join("bad.csv"));
    fixture(&good, false);
    fixture(&bad, true);
    let root = tmp.path().join("models");
    let worse: PathBuf = root.join("2099-01-01-worse");
    train(&bad, &worse);

    let o = gate(&worse, &good, &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "a worse model must be refused");
    assert!(
        stderr.contains("abuse ROC AUC dropped by") && stderr.contains("tolerance 0.005"),
        "{stderr}"
    );
    let r = report(&worse);
    assert_eq!(r["decision"], "refuse");
    assert_eq!(r["forced"], false);
    assert_eq!(r["regressions"][0]["label"], "abuse");
    // The fixture trains only `abuse`: losing the shipped model's other heads is refused too.
    assert!(
        stderr.contains("insult is not scored by the candidate"),
        "{stderr}"
    );
    assert!(r["regressions"][0]["drop"].as_f64().expect("drop") > 0.005);
    assert_eq!(r["rows"], 60);
    assert!(r["confusion"]["abuse"]["current"]["tp"].is_u64());
    assert!(r["current_metrics"]["sources"]["fixture"]["abuse"]["roc_auc"].is_f64());
    assert_report_files(&worse);
    assert!(!root.join("current").exists(), "refused: nothing promoted");
    let md = std::fs::read_to_string(worse.join("report.md")).expect("md");
    assert!(
        md.contains("REFUSED") && md.contains("abuse ROC AUC dropped by"),
        "{md}"
    );

    let o = gate(&worse, &good, &["--force", "--promote"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = report(&worse);
    assert_eq!(r["decision"], "forced");
    assert_eq!(r["forced"], true);
    assert!(
        std::fs::read_to_string(worse.join("report.md"))
            .expect("md")
            .contains("FORCED")
    );
    assert_eq!(
        std::fs::read_to_string(root.join("current"))
            .expect("current")
            .trim(),
        "2099-01-01-worse"
    );
}

#[test]
fn an_equal_model_passes_and_is_promoted() {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("good.csv");
    fixture(&data, false);
    // The shipped weights under another version name: no drop on any label.
    let root = tmp.path().join("models");
    let name = std::fs::read_to_string(common::model_dir().join("current")).expect("current");
    let shipped = common::model_dir().join(name.trim());
    let same = root.join("2099-01-02-same");
    std::fs::create_dir_all(&same).expect("mkdir");
    for entry in std::fs::read_dir(&shipped).expect("shipped model") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, same.join(path.file_name().expect("name"))).expect("copy");
    }

    let o = gate(&same, &data, &["--promote"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("gate passed"), "{stdout}");
    let r = report(&same);
    assert_eq!(r["decision"], "promote");
    assert!(r["regressions"].as_array().expect("list").is_empty());
    assert_report_files(&same);
    assert_eq!(
        std::fs::read_to_string(root.join("current"))
            .expect("current")
            .trim(),
        "2099-01-02-same"
    );
}
