//! The model shipped in `models/` (via `models/current`): flags unmistakable abuse and threats,
//! passes ordinary news comments. Sentences are written here, not taken from the data.

use std::path::Path;
use talkback::domain::Label;
use talkback::model::Model;
use talkback::training::checks::{self, CheckSet};

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

/// The held-out check lists and their bounds (tests/checks/pairs.toml; the README there gives
/// the shipped model's figures), scored with the shipped model at the bars the service would use.
fn check_report() -> checks::Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/checks");
    let set = CheckSet::read(&dir).unwrap_or_else(|e| panic!("{e:#}"));
    let model = shipped();
    let bars = talkback::config::ConfiguredBars::default().for_model(&model);
    checks::run(&model, &bars, &set).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The check lists were written by helpers who saw neither the training data nor the
/// templates, in the way newsroom readers write, so they show what the test split cannot. The
/// bars sit just under what the shipped model reaches (models/README.md): a retrained model
/// under them reads such comments worse, whatever its test-split AUC.
#[test]
fn held_out_check_lists_rank_right_and_harmless_comments_stay_published() {
    let report = check_report();
    assert!(
        report.pairs.len() >= 8,
        "tests/checks/pairs.toml has {} pairs",
        report.pairs.len()
    );
    for r in &report.pairs {
        let p = &r.pair;
        assert_eq!(
            (r.calls, r.harmless),
            (40, 40),
            "{}/{} lists",
            p.calls,
            p.harmless
        );
        assert!(
            r.auc >= p.min_auc,
            "{}: {} vs {} ROC AUC {:.3} < {}",
            p.label,
            p.calls,
            p.harmless,
            r.auc,
            p.min_auc
        );
        assert!(
            r.harmless_held <= p.max_held,
            "{} holds {} harmless comments of {} (at most {}; `talkback check-lists` lists them)",
            p.label,
            r.harmless_held,
            p.harmless,
            p.max_held
        );
    }
}

/// Each `[[list]]` scored on its own: how many of its comments the service's bars hold (any
/// label), against a floor for lists that must be held and a ceiling for harmless ones.
#[test]
fn check_lists_are_held_or_published_as_a_moderator_would() {
    let report = check_report();
    assert!(
        report.lists.len() >= 8,
        "tests/checks/pairs.toml has {} lists",
        report.lists.len()
    );
    for r in &report.lists {
        assert_eq!(r.comments, 40, "{}", r.list.name);
        eprintln!("{}: held {}/{}", r.list.name, r.held, r.comments);
    }
    let missed: Vec<String> = report
        .missed()
        .into_iter()
        .filter(|m| m.contains(": held "))
        .collect();
    assert!(missed.is_empty(), "{missed:#?}");
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
