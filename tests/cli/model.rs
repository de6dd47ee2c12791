//! `talkback train | eval | score` through the binary.

use std::io::Write;
use std::process::{Command, Stdio};

fn talkback() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_talkback"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Run `cmd` and insist it succeeds, showing its stderr when it does not.
fn run_ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn help_for_every_subcommand() {
    for sub in ["train", "eval", "score", "check-lists", "retrain"] {
        let out = talkback().args([sub, "--help"]).output().expect("run");
        assert!(out.status.success(), "{sub} --help");
        assert!(String::from_utf8_lossy(&out.stdout).contains("--model") || sub == "train");
    }
}

#[test]
fn score_text_and_stdin_lines() {
    let out = run_ok(talkback().args(["score", "you are a worthless piece of shit"]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("abuse") && text.contains("[[shit]]"),
        "{text}"
    );

    let mut child = talkback()
        .args(["score", "--model", "models"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("hello there\nI will kill you\n".as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1]["scores"]["incitement"].as_f64().unwrap_or(0.0) > 0.5);
    // The verb is the threat's first reason and among incitement's (there model 2026-12-07-af
    // ranks "kill" 12% above "you": both are shown).
    assert_eq!(lines[1]["explanations"]["threat"][0]["text"], "kill");
    let incitement_reasons = lines[1]["explanations"]["incitement"]
        .as_array()
        .expect("incitement reasons");
    assert!(
        incitement_reasons.iter().any(|r| r["text"] == "kill"),
        "{incitement_reasons:?}"
    );
    // The service's decision under its default bars.
    assert_eq!(lines[0]["decision"]["status"], "published");
    assert_eq!(lines[0]["decision"]["triggered"], serde_json::json!([]));
    assert_ne!(lines[1]["decision"]["status"], "published");
    let triggered = lines[1]["decision"]["triggered"]
        .as_array()
        .expect("triggered labels");
    assert!(
        triggered.contains(&serde_json::json!("incitement")),
        "{triggered:?}"
    );
}

/// `talkback score` decides with the bars the service would use: flags, then environment,
/// then the config file, then the defaults; bad bars are refused as `serve` refuses them.
#[test]
fn score_decides_with_the_service_bars() {
    let decision = |flags: &[&str], env: &[(&str, &str)]| -> String {
        let mut cmd = talkback();
        cmd.args(["score", "--model", "models"]).args(flags);
        cmd.envs(env.iter().copied());
        let out = run_ok(cmd.arg("I will kill you"));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        text.lines().last().unwrap_or_default().to_string()
    };
    // The shipped model's own bars: threat (0.999) and incitement (0.969) over their hold bars,
    // incitement under its reject bar (0.97) and abuse (0.82) under its hold bar (0.95).
    assert_eq!(decision(&[], &[]), "decision: held (threat, incitement)");
    let lenient = ["--hold", "incitement=0.999999", "--reject", "off"];
    assert_eq!(decision(&lenient, &[]), "decision: published");
    let env = [("TALKBACK_HOLD", "threat=0.5"), ("TALKBACK_REJECT", "off")];
    assert_eq!(decision(&[], &env), "decision: held (threat)");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("talkback.toml");
    std::fs::write(&config, "hold = \"abuse=0.5\"\nreject = \"off\"\n").expect("write");
    let config = config.to_string_lossy().to_string();
    assert_eq!(
        decision(&["--config", &config], &[]),
        "decision: held (abuse)"
    );
    let out = talkback()
        .args(["score", "--hold", "bogus=1", "hello"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hold") && err.contains("bogus"), "{err}");
}

#[test]
fn eval_any_csv_as_json_and_errors_name_the_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("mine.csv");
    std::fs::write(
        &csv,
        "text,abuse,incitement\n\
         the budget is fine,0,0\n\
         you stupid idiot,1,\n\
         thanks for the article,0,0\n\
         i will kill you,1,1\n\
         what a moron,1,0\n",
    )
    .expect("write");
    let out = run_ok(
        talkback()
            .args(["eval", "--data"])
            .arg(&csv)
            .args(["--split", "all", "--json"]),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["labels"]["abuse"]["n"], 5);
    assert_eq!(v["labels"]["incitement"]["n"], 4);
    assert!(v["labels"]["abuse"]["roc_auc"].as_f64().is_some());
    assert!(v["sources"]["all"]["abuse"]["pr_auc"].as_f64().is_some());

    std::fs::write(&csv, "text,abuse\nok,0\nbad,maybe\n").expect("write");
    let out = talkback()
        .args(["eval", "--split", "all", "--data"])
        .arg(&csv)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("abuse"), "{err}");

    let out = talkback()
        .args(["eval", "--data", "/nonexistent/file.csv"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/file.csv"));
}

#[test]
fn train_writes_a_loadable_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("train.csv");
    let mut body = String::from("source,split,text,abuse\n");
    for i in 0..30 {
        body.push_str(&format!("a,train,the report number {i} was published,0\n"));
        body.push_str(&format!("a,train,you idiot number {i},1\n"));
    }
    body.push_str("a,test,another report was published,0\na,test,you idiot,1\n");
    std::fs::write(&csv, body).expect("write");
    let out_dir = dir.path().join("models").join("t-1");
    run_ok(
        talkback()
            .args([
                "train",
                "--quiet",
                "--buckets-log2",
                "14",
                "--set-current",
                "--data",
            ])
            .arg(&csv)
            .arg("--out")
            .arg(&out_dir),
    );
    let current = std::fs::read_to_string(dir.path().join("models/current")).expect("current");
    assert_eq!(current.trim(), "t-1");
    let out = run_ok(
        talkback()
            .args(["score", "--model"])
            .arg(dir.path().join("models"))
            .arg("you idiot"),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("model t-1"));

    // Word vectors: from a GloVe-format file, then reused from the model just written.
    let vectors = dir.path().join("vectors.txt");
    std::fs::write(&vectors, "idiot 1 0.5\nreport -1 0.25\npublished 0 1\n").expect("write");
    let train = |from: &std::path::Path, out: &str| {
        let out_dir = dir.path().join("models").join(out);
        run_ok(
            talkback()
                .args(["train", "--quiet", "--buckets-log2", "14", "--data"])
                .arg(&csv)
                .arg("--out")
                .arg(&out_dir)
                .arg("--vectors")
                .arg(from),
        );
        let manifest = std::fs::read_to_string(out_dir.join("manifest.json")).expect("manifest");
        let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("json");
        let vectors = &manifest["training"]["vectors"];
        let origin = vectors["from"].as_str().unwrap_or_default().to_owned();
        let sha = manifest["weights_sha256"].as_str().map(String::from);
        (vectors["words"].as_u64(), origin, sha)
    };
    let (words, origin, from_file) = train(&vectors, "t-2");
    assert_eq!(words, Some(3));
    assert!(origin.starts_with("vectors.txt sha256:"), "{origin}");
    let (words, origin, reused) = train(&dir.path().join("models/t-2"), "t-3");
    assert_eq!((words, origin.as_str()), (Some(3), "model t-2"));
    assert_eq!(reused, from_file, "reused vectors train the same weights");
    // A malformed file is refused, naming the line.
    std::fs::write(&vectors, "idiot 1 0.5\nreport -1\n").expect("write");
    let out = talkback()
        .args(["train", "--quiet", "--data"])
        .arg(&csv)
        .arg("--out")
        .arg(dir.path().join("models/t-4"))
        .arg("--vectors")
        .arg(&vectors)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2: expected a word and 2 numbers, found 1"),
        "{err}"
    );
}

/// Network settings the model format or the trainer cannot honour are refused before training.
#[test]
fn train_refuses_impossible_networks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("train.csv");
    std::fs::write(
        &csv,
        "source,split,text,abuse\na,train,hello,0\na,train,you idiot,1\n",
    )
    .expect("write");
    for (flags, says) in [
        (&["--nets", "0"][..], "--nets at least 1"),
        (
            &["--nets", "9"][..],
            "--net-hidden x --nets must be at most 256",
        ),
        (
            &["--net-hidden", "128", "--nets", "3"][..],
            "must be at most 256",
        ),
    ] {
        let out = talkback()
            .args(["train", "--quiet", "--data"])
            .arg(&csv)
            .arg("--out")
            .arg(dir.path().join("m"))
            .args(flags)
            .output()
            .expect("run");
        assert!(!out.status.success(), "{flags:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{flags:?}: {err}");
        assert!(!dir.path().join("m").exists(), "{flags:?} wrote a model");
    }
}

/// `talkback eval --json` of the shipped model on a shared data file's test split, or `None`
/// (after a SKIP line) when the file is not present.
fn eval_shared(file: &str) -> Option<serde_json::Value> {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(file);
    if !data.exists() {
        crate::common::skip(format_args!("{} not present", data.display()));
        return None;
    }
    let out = run_ok(
        talkback()
            .args(["eval", "--quiet", "--json", "--split", "test", "--data"])
            .arg(&data),
    );
    Some(serde_json::from_slice(&out.stdout).expect("json"))
}

/// Quality on group_hate.csv's test split (reported apart from comments.csv), when present.
#[test]
fn shipped_model_quality_on_group_hate() {
    let Some(v) = eval_shared("group_hate.csv") else {
        return;
    };
    // Floors just under the shipped model (2026-12-07-af: stormfront 0.9190, toxigen 0.9979; the
    // fast model of 2026-12-01-j: 0.8769, 0.8597). The target is >= 0.92 on each.
    for (source, floor) in [("stormfront", 0.918), ("toxigen", 0.99)] {
        let cell = v["sources"][source]["abuse"]["roc_auc"]
            .as_f64()
            .unwrap_or(0.0);
        assert!(cell >= floor, "abuse on {source}: {cell} < {floor}");
    }
}

/// Quality on the shared data's test split, when the data is present.
#[test]
fn shipped_model_quality_on_shared_data() {
    let Some(v) = eval_shared("comments.csv") else {
        return;
    };
    let auc = |l: &str| v["labels"][l]["roc_auc"].as_f64().unwrap_or(0.0);
    // Floors just under the shipped model (2026-12-07-af: abuse 0.9504, incitement 0.9319).
    assert!(auc("abuse") >= 0.948, "abuse {}", auc("abuse"));
    assert!(
        auc("incitement") >= 0.928,
        "incitement {}",
        auc("incitement")
    );
    // No source may fall more than 0.005 under the baseline (the table: TF-IDF
    // word 1-2-grams + char_wb 2-5-grams, scikit-learn LogisticRegression C=4).
    let baseline = [
        ("abuse", "davidson", 0.9863),
        ("abuse", "implicit_hate", 0.8157),
        ("abuse", "jigsaw", 0.9438),
        ("abuse", "olid", 0.8184),
        ("incitement", "implicit_hate", 0.8171),
        ("incitement", "jigsaw", 0.9506),
        ("incitement", "civil", 0.8662),
        ("incitement", "youtube_threat", 0.8935),
    ];
    for (label, source, floor) in baseline {
        let cell = v["sources"][source][label]["roc_auc"]
            .as_f64()
            .unwrap_or(0.0);
        assert!(
            cell >= floor - 0.005,
            "{label} on {source}: {cell} against the baseline's {floor}"
        );
    }
}

/// `talkback check-lists` scores each list at the service's bars, prints a line per pair and
/// per list, and fails naming the bound a model misses.
#[test]
fn check_lists_print_each_pair_and_list_and_fail_naming_a_missed_bound() {
    let checks = tempfile::tempdir().expect("tempdir");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/checks");
    for list in ["violent", "nonviolent"] {
        std::fs::copy(
            source.join(format!("{list}.txt")),
            checks.path().join(format!("{list}.txt")),
        )
        .expect("copy list");
    }
    let pairs = |held_at_least: usize| {
        format!(
            "[[pair]]\ncalls = \"violent\"\nharmless = \"nonviolent\"\nlabel = \"incitement\"\n\
             min_auc = 0.5\nmax_held = 40\n\n[[list]]\nname = \"violent\"\n\
             held_at_least = {held_at_least}\n\n[[list]]\nname = \"nonviolent\"\nheld_at_most = 40\n"
        )
    };
    let run = |held_at_least: usize| {
        std::fs::write(checks.path().join("pairs.toml"), pairs(held_at_least)).expect("pairs");
        talkback()
            .args(["check-lists", "--model", "models", "--checks"])
            .arg(checks.path())
            .output()
            .expect("run")
    };
    let out = run(1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("incitement violent vs nonviolent: ROC AUC")
            && stdout.contains("list violent: held")
            && stdout.contains("list nonviolent: held"),
        "{stdout}"
    );
    // No list of 40 can have 41 comments held.
    let out = run(41);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 check-list bound(s) missed")
            && stderr.contains("violent: held")
            && stderr.contains("< 41"),
        "{stderr}"
    );
}
