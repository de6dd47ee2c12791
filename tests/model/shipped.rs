//! The model shipped in `models/` (via `models/current`): flags unmistakable abuse and threats,
//! passes ordinary news comments. Sentences are written here, not taken from the data.

use std::path::Path;
use talkback::domain::Label;
use talkback::model::Model;
use talkback::training::metrics::roc_auc;

fn shipped() -> Model {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    Model::load(&root).unwrap_or_else(|e| panic!("shipped model must load: {e}"))
}

const CLEAN: &[&str] = &[
    "The minister's budget plan raises taxes on fuel again.",
    "I disagree with the council's decision, but I understand their reasons.",
    "Great reporting, thank you for covering the hospital waiting lists.",
    "The new bridge should have been finished two years ago.",
    "Interest rates will probably stay high until inflation comes down.",
    "My grandmother lived in this village for eighty years and loved the market.",
    "Can someone explain why the train fares went up by ten percent?",
    "The opposition leader made a fair point about school funding.",
    "I voted for him last time, but this policy is a mistake.",
    "The match was exciting and the young striker played very well.",
    "Parking in the city centre is too expensive for families.",
    "This article ignores the economic cost of the new regulations.",
];

const ABUSIVE: &[&str] = &[
    "you are a worthless piece of shit",
    "shut up you fucking idiot",
    "what a stupid moron, go f*ck yourself",
    "you disgusting bitch",
];

const THREATS: &[&str] = &[
    "someone should shoot him",
    "I will kill you and your family",
    "they should all be hanged",
    "I'm going to find you and beat you to death",
];

/// The model's own suggested threshold for `label` (what the service flags at).
fn threshold(model: &Model, label: Label) -> f32 {
    *model
        .suggested_thresholds()
        .get(&label)
        .unwrap_or_else(|| panic!("shipped model has no threshold for {label}"))
}

#[test]
fn clean_news_comments_score_low() {
    let model = shipped();
    let (ta, ti) = (
        threshold(&model, Label::Abuse),
        threshold(&model, Label::Incitement),
    );
    for text in CLEAN {
        let s = model.score(text).scores;
        let abuse = s.get(Label::Abuse).unwrap_or(1.0);
        let inc = s.get(Label::Incitement).unwrap_or(1.0);
        assert!(
            abuse < ta.min(0.5),
            "abuse {abuse:.3} (threshold {ta}) for clean {text:?}"
        );
        assert!(
            inc < ti.min(0.5),
            "incitement {inc:.3} (threshold {ti}) for clean {text:?}"
        );
    }
}

#[test]
fn unmistakable_abuse_scores_high() {
    let model = shipped();
    for text in ABUSIVE {
        let scored = model.score(text);
        let abuse = scored.scores.get(Label::Abuse).unwrap_or(0.0);
        assert!(abuse > 0.8, "abuse {abuse:.3} for {text:?}");
        assert!(abuse >= threshold(&model, Label::Abuse));
        assert!(!scored.explanations[Label::Abuse.index()].is_empty());
    }
    let scored = model.score("you are a worthless piece of shit");
    let spans = &scored.explanations[Label::Abuse.index()];
    assert!(
        spans
            .iter()
            .any(|s| s.text == "shit" || s.text == "worthless"),
        "{spans:?}"
    );
}

#[test]
fn threats_score_high_for_incitement() {
    let model = shipped();
    let ti = threshold(&model, Label::Incitement);
    for text in THREATS {
        let scored = model.score(text);
        let inc = scored.scores.get(Label::Incitement).unwrap_or(0.0);
        assert!(
            inc >= ti,
            "incitement {inc:.3} below threshold {ti} for {text:?}"
        );
    }
    let scored = model.score("someone should shoot him");
    let top = &scored.explanations[Label::Incitement.index()][0];
    assert_eq!(top.text, "shoot");
}

#[test]
fn obfuscated_spellings_still_score() {
    let model = shipped();
    for (plain, disguised) in [
        ("i will kill you", "i will k1ll you"),
        ("someone should shoot him", "someone should s h o o t him"),
        ("shut up you fucking idiot", "shut up you f*cking idiot"),
    ] {
        // The fast model reads through the disguise (its normaliser undoes it): its scores
        // barely move. The sentence stage reads the raw text, so the full model's scores may
        // fall, but never so far that the disguised comment is published.
        let mut fast = shipped();
        fast.set_use_encoder(false);
        let (a, b) = (fast.score(plain).scores, fast.score(disguised).scores);
        for l in [Label::Abuse, Label::Incitement] {
            let (x, y) = (a.get(l).unwrap_or(0.0), b.get(l).unwrap_or(0.0));
            assert!(
                (x - y).abs() < 0.15,
                "{l}: {plain:?} {x:.3} vs {disguised:?} {y:.3}"
            );
        }
        let bars = talkback::config::ConfiguredBars::default().for_model(&model);
        let published = |text: &str| {
            bars.decide(&model.score(text).scores).status
                == talkback::domain::CommentStatus::Published
        };
        assert!(!published(plain), "{plain:?} is published");
        assert!(!published(disguised), "{disguised:?} is published");
    }
}

/// One comment per line of a held-out check list (tests/checks/README.md).
fn check_list(name: &str) -> Vec<String> {
    checks_file(&format!("{name}.txt"))
        .lines()
        .map(str::to_owned)
        .collect()
}

fn checks_file(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/checks")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A pair of check lists: comments that should be held for `label` against harmless ones, the
/// ROC AUC the shipped model must keep and how many harmless ones its hold bar may catch
/// (`tests/checks/pairs.toml`; the README there gives the shipped model's figures).
#[derive(serde::Deserialize)]
struct CheckPair {
    calls: String,
    harmless: String,
    label: Label,
    min_auc: f64,
    max_held: usize,
}

fn check_pairs() -> Vec<CheckPair> {
    #[derive(serde::Deserialize)]
    struct Pairs {
        pair: Vec<CheckPair>,
    }
    let pairs = toml::from_str::<Pairs>(&checks_file("pairs.toml"))
        .unwrap_or_else(|e| panic!("tests/checks/pairs.toml: {e}"))
        .pair;
    assert!(
        pairs.len() >= 8,
        "tests/checks/pairs.toml has {} pairs",
        pairs.len()
    );
    pairs
}

/// The check lists were written by helpers who saw neither the training data nor the
/// templates, in the way newsroom readers write, so they show what the test split cannot. The
/// bars sit just under what the shipped model reaches (models/README.md): a retrained model
/// under them reads such comments worse, whatever its test-split AUC.
#[test]
fn held_out_check_lists_rank_right_and_harmless_comments_stay_published() {
    let model = shipped();
    let bars = talkback::config::ConfiguredBars::default().for_model(&model);
    let scores = |texts: &[String], label: Label| -> Vec<f32> {
        texts
            .iter()
            .map(|t| model.score(t).scores.get(label).unwrap_or(f32::NAN))
            .collect()
    };
    for CheckPair {
        calls: pos,
        harmless: neg,
        label,
        min_auc,
        max_held,
    } in check_pairs()
    {
        let harmless = check_list(&neg);
        let (p, n) = (scores(&check_list(&pos), label), scores(&harmless, label));
        assert_eq!((p.len(), n.len()), (40, 40), "{pos}/{neg} lists");
        let truth: Vec<bool> = p
            .iter()
            .map(|_| true)
            .chain(n.iter().map(|_| false))
            .collect();
        let auc = roc_auc(&[p.as_slice(), n.as_slice()].concat(), &truth)
            .unwrap_or_else(|| panic!("{pos}/{neg}: no ROC AUC"));
        assert!(
            auc >= min_auc,
            "{label}: {pos} vs {neg} ROC AUC {auc:.3} < {min_auc}"
        );
        let bar = bars.hold[&label];
        let held: Vec<String> = harmless
            .iter()
            .zip(&n)
            .filter(|(_, s)| **s >= bar)
            .map(|(text, s)| format!("{s:.3} {text:?}"))
            .collect();
        assert!(
            held.len() <= max_held,
            "{label} holds {} harmless comments of {neg} (at most {max_held}): {held:?}",
            held.len()
        );
    }
}

/// A check list scored on its own: how many of its comments the service's bars hold
/// (any label), against a floor for lists that must be held and a ceiling for harmless ones
/// (`[[list]]` in tests/checks/pairs.toml).
#[derive(serde::Deserialize)]
struct HoldList {
    name: String,
    #[serde(default)]
    held_at_least: Option<usize>,
    #[serde(default)]
    held_at_most: Option<usize>,
}

#[test]
fn check_lists_are_held_or_published_as_a_moderator_would() {
    #[derive(serde::Deserialize)]
    struct Lists {
        list: Vec<HoldList>,
    }
    let lists = toml::from_str::<Lists>(&checks_file("pairs.toml"))
        .unwrap_or_else(|e| panic!("tests/checks/pairs.toml: {e}"))
        .list;
    assert!(
        lists.len() >= 8,
        "tests/checks/pairs.toml has {} lists",
        lists.len()
    );
    let model = shipped();
    let bars = talkback::config::ConfiguredBars::default().for_model(&model);
    let mut failures = Vec::new();
    for list in &lists {
        let texts = check_list(&list.name);
        assert_eq!(texts.len(), 40, "{}", list.name);
        let (held, published): (Vec<&String>, Vec<&String>) = texts.iter().partition(|t| {
            bars.decide(&model.score(t).scores).status != talkback::domain::CommentStatus::Published
        });
        eprintln!("{}: held {}/{}", list.name, held.len(), texts.len());
        if let Some(min) = list.held_at_least
            && held.len() < min
        {
            failures.push(format!(
                "{}: held {} < {min}; published: {published:?}",
                list.name,
                held.len()
            ));
        }
        if let Some(max) = list.held_at_most
            && held.len() > max
        {
            failures.push(format!(
                "{}: held {} > {max}: {held:?}",
                list.name,
                held.len()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn model_is_send_sync_and_reports_itself() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Model>();
    let model = shipped();
    assert_eq!(model.labels(), &Label::ALL);
    assert!(!model.version().is_empty());
    assert!(model.suggested_thresholds().contains_key(&Label::Abuse));
}

/// Whatever the input, scoring never panics and every span is a real slice of the original
/// text, in character offsets.
mod robustness {
    use super::shipped;
    use proptest::prelude::*;
    use std::sync::OnceLock;
    use talkback::model::Model;

    fn model() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(shipped)
    }

    fn check(text: &str) {
        let scored = model().score(text);
        let chars: Vec<char> = text.chars().collect();
        for (l, s) in scored.scores.iter() {
            assert!((0.0..=1.0).contains(&s), "{l} {s}");
        }
        for spans in &scored.explanations {
            for sp in spans {
                assert!(
                    sp.start < sp.end && sp.end <= chars.len(),
                    "{sp:?} in {text:?}"
                );
                let slice: String = chars[sp.start..sp.end].iter().collect();
                assert_eq!(slice, sp.text);
                assert!(sp.weight > 0.0);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn spans_are_slices_of_the_original(
            text in "([a-zA-Z0-9 .,!?*@$'&;#]|é|ü|ｆ|🖕|🔪|\u{200b}|\u{301}|&amp;|&#39;|https://x\\.y/z|@bob){0,60}"
        ) {
            check(&text);
        }
    }

    #[test]
    fn edge_cases() {
        for text in [
            "",
            " ",
            "&",
            "&#xFFFFFFFF;",
            "&#0;",
            "@",
            "http://",
            "a a a a a a",
            "ﬁ ﬂ Ⅻ ㈱",
            "k1ll k!ll k|ll",
            "*****",
        ] {
            check(text);
        }
        // Very long input: bounded work, no panic.
        let long = "you idiot! ".repeat(20_000);
        let t = std::time::Instant::now();
        check(&long);
        assert!(t.elapsed().as_secs() < 10);
    }
}
