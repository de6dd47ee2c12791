//! Training on a small fixture made here (not from the shared data): it learns, it round-trips
//! through disk exactly, single and batch scores agree, explanations point at the right word,
//! and damaged artefacts are refused.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use talkback::domain::Label;
use talkback::model::artefact::{self, Manifest};
use talkback::model::vectors::WordVectors;
use talkback::model::{FeatureSpec, Model};
use talkback::training::dataset::{Row, Split};
use talkback::training::mlp::MlpConfig;
use talkback::training::trainer::{TrainConfig, train};

const SUBJECTS: &[&str] = &[
    "the mayor",
    "this article",
    "the new park",
    "our team",
    "the budget",
];
const CLEAN: &[&str] = &[
    "is a sensible plan for the town",
    "was discussed at length yesterday",
    "needs more funding next year",
    "deserves a closer look from voters",
    "made the local news again",
];
const ABUSE: &[&str] = &[
    "you are an idiot",
    "what a moron",
    "shut up you idiot",
    "total moron",
];
const THREAT: &[&str] = &[
    "i will kill you",
    "someone should shoot him",
    "we will burn your house",
];

fn row(text: String, abuse: bool, incitement: Option<bool>, split: Split) -> Row {
    let mut labels = [None; 6];
    labels[Label::Abuse.index()] = Some(abuse);
    labels[Label::Incitement.index()] = incitement;
    Row {
        id: String::new(),
        source: "fixture".into(),
        split: Some(split),
        text,
        labels,
        weight: 1.0,
    }
}

fn fixture() -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, s) in SUBJECTS.iter().enumerate() {
        for (j, c) in CLEAN.iter().enumerate() {
            rows.push(row(format!("{s} {c}"), false, Some(false), Split::Train));
            let a = ABUSE[(i + j) % ABUSE.len()];
            rows.push(row(
                format!("{s} {c}, {a}"),
                true,
                Some(false),
                Split::Train,
            ));
            let t = THREAT[(i + j) % THREAT.len()];
            // Incitement unlabelled on some rows: they must not count as negatives.
            let inc = if j % 2 == 0 { Some(true) } else { None };
            rows.push(row(format!("{t}, {s} {c}"), true, inc, Split::Train));
        }
    }
    // Distinct ids, so the second stage's id-hash folds both get rows.
    for (n, r) in rows.iter_mut().enumerate() {
        r.id = format!("fixture-{n}");
    }
    rows
}

fn spec() -> FeatureSpec {
    // A small hash space keeps the debug-build test fast.
    FeatureSpec {
        buckets_log2: 16,
        ..FeatureSpec::default()
    }
}

/// Made-up word vectors: insults on one axis, violence on another, everything else near 0.
/// `imbecile` and `strangle` never occur in the fixture.
fn word_vectors() -> Arc<WordVectors> {
    let words = [
        ("idiot", [1.0, 0.0, 0.1]),
        ("moron", [0.9, 0.1, 0.0]),
        ("imbecile", [0.95, 0.0, 0.05]),
        ("kill", [0.0, 1.0, 0.0]),
        ("shoot", [0.1, 0.9, 0.0]),
        ("burn", [0.0, 0.8, 0.2]),
        ("strangle", [0.05, 0.95, 0.0]),
        ("mayor", [0.0, 0.0, 1.0]),
        ("budget", [0.0, 0.1, 0.9]),
        ("park", [0.1, 0.0, 0.8]),
    ];
    let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
    let floats: Vec<f32> = words.iter().flat_map(|(_, v)| *v).collect();
    Arc::new(WordVectors::from_floats(&names, 3, &floats).expect("vectors"))
}

fn trained_model() -> (Model, Vec<u8>, Manifest) {
    let rows = fixture();
    let refs: Vec<&Row> = rows.iter().collect();
    let cfg = TrainConfig {
        max_iter: 100,
        c: 50.0,
        // One setting for every head: the shipped per-label recipe is tuned for 88k rows.
        heads: BTreeMap::new(),
        vectors: Some(word_vectors()),
        ..TrainConfig::default()
    };
    let t = train(&refs, &spec(), &cfg, false);
    assert_eq!(t.labels, vec![Label::Abuse, Label::Incitement]);
    // The default recipe has every stage (plus word vectors), so the round trip below covers
    // all of them.
    assert!(t.weights.net.is_some() && !t.weights.stack.is_empty());
    assert!(t.weights.vectors.is_some());
    let bytes = artefact::encode(&spec(), &t.labels, &t.weights);
    let manifest = Manifest::unsaved("fixture-a", &t.labels, &spec());
    (
        Model::from_parts(manifest.clone(), t.weights),
        bytes,
        manifest,
    )
}

fn save(dir: &Path, manifest: &Manifest, bytes: &[u8]) {
    let mut m = manifest.clone();
    artefact::write(dir, &mut m, bytes).expect("write model");
}

#[test]
fn learns_the_fixture_and_round_trips() {
    let (model, bytes, manifest) = trained_model();
    let abuse = |t: &str| model.score(t).scores.get(Label::Abuse).unwrap_or(f32::NAN);
    let inc = |t: &str| {
        model
            .score(t)
            .scores
            .get(Label::Incitement)
            .unwrap_or(f32::NAN)
    };
    // Unseen combinations.
    assert!(abuse("the weather is a sensible plan, you idiot") > 0.7);
    assert!(abuse("the weather was discussed at length yesterday") < 0.3);
    assert!(inc("i will kill you, the weather needs more funding") > 0.6);
    assert!(inc("the weather needs more funding next year") < 0.3);
    assert_eq!(model.score("anything").scores.get(Label::Insult), None);

    // Save -> load gives bit-identical scores.
    let dir = tempfile::tempdir().expect("tempdir");
    let vdir = dir.path().join("fixture-a");
    save(&vdir, &manifest, &bytes);
    artefact::set_current(&vdir).expect("current");
    let loaded = Model::load(dir.path()).expect("load via models root");
    assert_eq!(loaded.version(), "fixture-a");
    assert_eq!(loaded.word_vectors(), model.word_vectors());
    for text in [
        "you are an idiot",
        "the budget needs more funding",
        "i will kill you",
        "you imbecile, i will strangle the mayor",
    ] {
        assert_eq!(
            model.score(text).scores,
            loaded.score(text).scores,
            "{text}"
        );
    }

    // One comment alone scores exactly as in a batch (and in parallel batches).
    let texts: Vec<String> = fixture().into_iter().map(|r| r.text).collect();
    let alone: Vec<_> = texts.iter().map(|t| loaded.score(t).scores).collect();
    let rows = fixture();
    let refs: Vec<&Row> = rows.iter().collect();
    let batch = talkback::training::evaluate::score_rows(&loaded, &refs, false);
    assert_eq!(alone, batch);

    // Explanations: the abuse reason is the insult, in original-text character offsets.
    let text = "Ünïcode prefix: the mayor… what a MORON";
    let scored = loaded.score(text);
    let top = &scored.explanations[Label::Abuse.index()][0];
    assert_eq!(top.text, "MORON");
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[top.start..top.end].iter().collect::<String>(),
        "MORON"
    );
    assert!(top.weight > 0.0);
}

#[test]
fn damaged_models_are_refused() {
    let (_, bytes, manifest) = trained_model();
    let dir = tempfile::tempdir().expect("tempdir");
    let vdir = dir.path().join("v");
    save(&vdir, &manifest, &bytes);
    let wpath = vdir.join("weights.bin");

    // Flip one byte: checksum mismatch.
    let mut corrupt = bytes.clone();
    corrupt[100] ^= 0x55;
    std::fs::write(&wpath, &corrupt).expect("write");
    let err = Model::load(&vdir)
        .err()
        .expect("corrupt model refused")
        .to_string();
    assert!(err.contains("checksum"), "{err}");

    // Truncated.
    std::fs::write(&wpath, &bytes[..bytes.len() / 2]).expect("write");
    let err = Model::load(&vdir)
        .err()
        .expect("truncated model refused")
        .to_string();
    assert!(err.contains("truncated"), "{err}");

    // Unknown label in the manifest.
    std::fs::write(&wpath, &bytes).expect("write");
    let mpath = vdir.join("manifest.json");
    let text = std::fs::read_to_string(&mpath).expect("read");
    std::fs::write(&mpath, text.replace("\"incitement\"", "\"rudeness\"")).expect("write");
    let err = Model::load(&vdir)
        .err()
        .expect("bad label refused")
        .to_string();
    assert!(err.contains("manifest"), "{err}");

    // Missing directory and a root without `current`.
    let err = Model::load(&dir.path().join("nope"))
        .err()
        .expect("missing")
        .to_string();
    assert!(err.contains("no such directory"), "{err}");
    let err = Model::load(dir.path())
        .err()
        .expect("no current")
        .to_string();
    assert!(err.contains("current"), "{err}");
}

#[test]
fn a_row_of_weight_three_trains_like_three_copies() {
    let cfg = TrainConfig {
        max_iter: 100,
        c: 50.0,
        heads: BTreeMap::new(),
        // The first stage alone: the second stage's folds put copies and weights in different
        // places by design.
        stack_folds: 0,
        net: None,
        ..TrainConfig::default()
    };
    let is_threat = |r: &Row| r.labels[Label::Incitement.index()] == Some(true);
    let weighted: Vec<Row> = fixture()
        .into_iter()
        .map(|mut r| {
            if is_threat(&r) {
                r.weight = 3.0;
            }
            r
        })
        .collect();
    let repeated: Vec<Row> = fixture()
        .into_iter()
        .flat_map(|r| std::iter::repeat_n(r.clone(), if is_threat(&r) { 3 } else { 1 }))
        .collect();
    let model = |rows: &[Row]| {
        let refs: Vec<&Row> = rows.iter().collect();
        let t = train(&refs, &spec(), &cfg, false);
        Model::from_parts(Manifest::unsaved("w", &t.labels, &spec()), t.weights)
    };
    let (w, r, plain) = (model(&weighted), model(&repeated), model(&fixture()));
    let mut moved = 0f32;
    for text in [
        "the weather needs more funding",
        "i will kill you",
        "you are an idiot",
        "we should discuss the budget",
    ] {
        for label in [Label::Abuse, Label::Incitement] {
            let score = |m: &Model| m.score(text).scores.get(label).unwrap_or(f32::NAN);
            assert!(
                (score(&w) - score(&r)).abs() < 2e-3,
                "{text} {label}: weighted {} vs repeated {}",
                score(&w),
                score(&r)
            );
            moved = moved.max((score(&w) - score(&plain)).abs());
        }
    }
    assert!(moved > 0.01, "the weight changed nothing ({moved})");
}

/// Words the fixture never used reach the network through their vectors: an unseen insult
/// next to the fixture's insults scores above an unseen neutral word, for the network's own
/// abuse output and for the final score.
#[test]
fn word_vectors_carry_unseen_words() {
    let (model, _, _) = trained_model();
    let with = |word: &str| format!("the mayor made the local news again, you {word}");
    let (insult, neutral) = (with("imbecile"), with("gardener"));
    let net = |t: &str| model.stack_inputs(t)[talkback::model::stack::N_BASE];
    let abuse = |t: &str| model.score(t).scores.get(Label::Abuse).unwrap_or(f32::NAN);
    assert!(
        net(&insult) > net(&neutral) + 0.5,
        "network abuse log-odds: imbecile {} vs gardener {}",
        net(&insult),
        net(&neutral)
    );
    assert!(
        abuse(&insult) > abuse(&neutral),
        "abuse: imbecile {} vs gardener {}",
        abuse(&insult),
        abuse(&neutral)
    );
}

/// `nets: 2` trains the networks of seeds s and s + 2 and ships them as one network of twice
/// the width whose log-odds are their average (up to the int8 rounding of the shared rows).
#[test]
fn two_networks_score_as_the_average_of_each_alone() {
    let rows = fixture();
    let refs: Vec<&Row> = rows.iter().collect();
    let with_nets = |seed: u64, nets: usize| {
        let cfg = TrainConfig {
            max_iter: 100,
            c: 50.0,
            heads: BTreeMap::new(),
            vectors: Some(word_vectors()),
            net: Some(MlpConfig {
                seed,
                nets,
                ..MlpConfig::default()
            }),
            ..TrainConfig::default()
        };
        let t = train(&refs, &spec(), &cfg, false);
        let hidden = t.weights.net.as_ref().map_or(0, |n| n.hidden);
        let manifest = Manifest::unsaved("fixture-nets", &t.labels, &spec());
        (Model::from_parts(manifest, t.weights), hidden)
    };
    let (one, h1) = with_nets(11, 1);
    let (other, _) = with_nets(13, 1);
    let (both, h2) = with_nets(11, 2);
    assert_eq!(h2, 2 * h1, "the two networks' hidden units side by side");
    let texts = [
        "the mayor made the local news again, you imbecile",
        "someone should shoot him, the budget needs more funding next year",
        "our team deserves a closer look from voters",
    ];
    let mut spread = 0f32;
    for t in texts {
        let (a, b, ab) = (
            one.stack_inputs(t),
            other.stack_inputs(t),
            both.stack_inputs(t),
        );
        for l in 0..2 {
            let k = talkback::model::stack::N_BASE + l;
            let mean = (a[k] + b[k]) / 2.0;
            assert!(
                (ab[k] - mean).abs() <= 0.02 * (1.0 + mean.abs()),
                "{t:?} label {l}: ensemble {} vs mean of {} and {}",
                ab[k],
                a[k],
                b[k]
            );
            spread = spread.max((a[k] - b[k]).abs());
        }
    }
    assert!(
        spread > 0.05,
        "the two seeds trained the same network ({spread})"
    );
}

/// A squared-hinge (L2-SVM) head, whose margins a Platt scaling maps back to log-odds (fitted
/// on out-of-fold margins with the second stage, on the head's own rows without one; measured
/// for abuse and not shipped, models/README.md): either way it learns the fixture and its
/// score reads as a probability.
#[test]
fn squared_hinge_heads_learn_and_score_as_probabilities() {
    let rows = fixture();
    let refs: Vec<&Row> = rows.iter().collect();
    for folds in [2, 0] {
        let mut cfg = TrainConfig {
            max_iter: 100,
            c: 50.0,
            heads: BTreeMap::new(),
            stack_folds: folds,
            ..TrainConfig::default()
        };
        cfg.set_head("abuse:loss=squared_hinge,c=5")
            .expect("head setting");
        let t = train(&refs, &spec(), &cfg, false);
        let platt = &t.heads[&Label::Abuse]["platt"];
        assert!(platt["scale"].as_f64().is_some_and(|a| a > 0.0), "{platt}");
        assert!(t.heads[&Label::Incitement]["platt"].is_null());
        let manifest = Manifest::unsaved("fixture-svm", &t.labels, &spec());
        let model = Model::from_parts(manifest, t.weights);
        let abuse = |t: &str| model.score(t).scores.get(Label::Abuse).unwrap_or(f32::NAN);
        let (bad, clean) = (
            abuse("the weather is a sensible plan, you idiot"),
            abuse("the weather was discussed at length yesterday"),
        );
        assert!(bad > 0.6 && clean < 0.4, "folds {folds}: {bad} vs {clean}");
    }
    let mut cfg = TrainConfig::default();
    for bad in ["abuse:loss=hinge", "abuse:loss=", "abuse:c=soft"] {
        assert!(cfg.set_head(bad).is_err(), "{bad}");
    }
}
