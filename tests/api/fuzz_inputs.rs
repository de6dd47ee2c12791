//! Property-based fuzzing of everything that parses untrusted input, bounded so it runs in
//! seconds in a debug build (CI): the text normaliser and scorer, the domain constructors, and
//! `POST /v1/comments` end to end with arbitrary JSON and arbitrary bytes.
//!
//! Properties: nothing panics; scores are probabilities; explanation spans lie inside the text
//! and quote it exactly; constructors accept exactly what their rules allow; the server answers
//! every request with 201 or a JSON 4xx (never 5xx, never a dropped connection), 201 exactly when
//! the domain constructors accept the fields, and stores a comment only for a 201.

use crate::common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use serde_json::{Value, json};
use std::sync::OnceLock;
use talkback::domain::{ArticleId, AuthorName, CommentBody, CommentTitle, InvalidInput};
use talkback::model::Model;

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::load(&model_dir()).expect("shipped model loads"))
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(RunnerConfig {
        cases,
        // Failures print the minimal input; no regression files are written into the tree.
        failure_persistence: None,
        ..RunnerConfig::default()
    })
}

/// Characters that stress a normaliser: combining marks, case folding that changes length
/// (ß, İ, ﬁ), right-to-left text, emoji with joiners and variation selectors, zero-width and
/// bidi controls, full-width forms, obfuscation digits and symbols, every kind of space.
const TRICKY: &[char] = &[
    'a',
    'Z',
    ' ',
    '\n',
    '\t',
    '\r',
    '.',
    '!',
    '?',
    '*',
    '@',
    '$',
    '0',
    '1',
    '3',
    '4',
    '5',
    '7',
    '\'',
    '-',
    '_',
    'é',
    'e',
    '\u{301}',
    '\u{308}',
    '\u{338}',
    'ß',
    'ẞ',
    'İ',
    'ı',
    'ﬁ',
    'ǅ',
    'ﷺ',
    'ש',
    'ל',
    'ו',
    'ם',
    'ع',
    'ر',
    'ب',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200e}',
    '\u{202e}',
    '\u{2066}',
    '\u{feff}',
    '\u{fe0f}',
    '👍',
    '👩',
    '🏽',
    '🚀',
    '\u{e0061}',
    'Ａ',
    'ｋ',
    '１',
    '\u{a0}',
    '\u{2028}',
    '\u{3000}',
    '\u{0}',
    '\u{7f}',
    '\u{85}',
    '\u{10ffff}',
    '\u{fffd}',
    'ǆ',
    'Ω',
    'Ω',
];

fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Anything Unicode.
        any::<String>(),
        // Dense in the characters above.
        prop::collection::vec(prop::sample::select(TRICKY), 0..300)
            .prop_map(|v| v.into_iter().collect()),
        // Real words (some abusive, so spans are produced) glued with tricky characters.
        prop::collection::vec(
            (
                prop::sample::select(
                    &[
                        "idiot", "kill", "shit", "stupid", "you", "burn", "them", "all", "f*ck",
                        "1d10t", "k1ll", "IDIOT", "Kill", "the", "budget", "vote", "thanks",
                    ][..]
                ),
                prop::sample::select(TRICKY),
            ),
            0..60,
        )
        .prop_map(|v| v.into_iter().map(|(w, c)| format!("{w}{c}")).collect()),
        // Very long runs without a break (a 20,000-character "word").
        (prop::sample::select(TRICKY), 1..20_000usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

#[test]
fn scorer_never_panics_and_spans_quote_the_text() {
    let model = model();
    let (cases, with_spans) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    runner(256)
        .run(&tricky_text(), |text| {
            let scored = model.score(&text);
            cases.set(cases.get() + 1);
            if scored.explanations.iter().any(|s| !s.is_empty()) {
                with_spans.set(with_spans.get() + 1);
            }
            let chars: Vec<char> = text.chars().collect();
            for &label in model.labels() {
                let s = scored.scores.get(label);
                prop_assert!(
                    s.is_some_and(|s| (0.0..=1.0).contains(&s)),
                    "{label}: {s:?}"
                );
            }
            for spans in &scored.explanations {
                for span in spans {
                    prop_assert!(
                        span.start < span.end && span.end <= chars.len(),
                        "span {}..{} outside {} chars",
                        span.start,
                        span.end,
                        chars.len()
                    );
                    let quoted: String = chars[span.start..span.end].iter().collect();
                    prop_assert_eq!(&span.text, &quoted);
                    prop_assert!(span.weight.is_finite());
                }
            }
            // Scores without explanations are the same scores.
            prop_assert_eq!(model.score_only(&text), scored.scores);
            Ok(())
        })
        .unwrap();
    eprintln!(
        "scored {} texts, {} with explanation spans",
        cases.get(),
        with_spans.get()
    );
    assert!(cases.get() >= 256 && with_spans.get() > 0);
}

fn allowed_in_text(c: char) -> bool {
    !c.is_control() || matches!(c, '\n' | '\r' | '\t')
}

/// What the text rules say about `raw` (trim, then non-empty, length, control characters).
fn text_oracle(raw: &str, max: usize, allow_empty: bool) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.is_empty() && !allow_empty {
        return Err("empty");
    }
    if t.chars().count() > max {
        return Err("too_long");
    }
    if !t.chars().all(allowed_in_text) {
        return Err("control");
    }
    Ok(t.to_string())
}

fn kind(e: &InvalidInput) -> &'static str {
    match e {
        InvalidInput::Empty { .. } => "empty",
        InvalidInput::TooLong { .. } => "too_long",
        InvalidInput::ControlCharacter { .. } => "control",
        _ => "other",
    }
}

fn article_id_oracle(raw: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || ".-_:/".contains(c);
    !raw.is_empty()
        && raw.len() <= 128
        && raw.chars().all(ok_char)
        && raw.starts_with(|c: char| c.is_ascii_alphanumeric())
}

fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9][a-z0-9._:/-]{0,20}",
        "[ \t\n]{0,3}[a-zA-Z ]{0,30}[ \t\n]{0,3}",
        prop::collection::vec(prop::sample::select(TRICKY), 0..40)
            .prop_map(|v| v.into_iter().collect()),
        (1..140usize).prop_map(|n| "a".repeat(n)),
    ]
}

#[test]
fn domain_constructors_accept_exactly_what_the_rules_allow() {
    runner(512)
        .run(&(field_text(), 1..200usize), |(raw, max)| {
            match (CommentBody::parse(&raw, max), text_oracle(&raw, max, false)) {
                (Ok(body), Ok(expected)) => prop_assert_eq!(body.as_str(), expected.as_str()),
                (Err(e), Err(expected)) => prop_assert_eq!(kind(&e), expected),
                (got, expected) => prop_assert!(false, "body {raw:?}: {got:?} vs {expected:?}"),
            }
            match (AuthorName::parse(&raw), text_oracle(&raw, 100, false)) {
                (Ok(a), Ok(expected)) => prop_assert_eq!(a.as_str(), expected.as_str()),
                (Err(e), Err(expected)) => prop_assert_eq!(kind(&e), expected),
                (got, expected) => prop_assert!(false, "author {raw:?}: {got:?} vs {expected:?}"),
            }
            match (CommentTitle::parse(&raw), text_oracle(&raw, 200, true)) {
                (Ok(t), Ok(expected)) => prop_assert_eq!(
                    t.as_ref().map(|t| t.as_str()).unwrap_or_default(),
                    expected.as_str()
                ),
                (Err(e), Err(expected)) => prop_assert_eq!(kind(&e), expected),
                (got, expected) => prop_assert!(false, "title {raw:?}: {got:?} vs {expected:?}"),
            }
            let id = ArticleId::parse(&raw);
            prop_assert_eq!(id.is_ok(), article_id_oracle(&raw), "article id {:?}", raw);
            if let Ok(id) = id {
                prop_assert_eq!(id.as_str(), raw.as_str());
            }
            Ok(())
        })
        .unwrap();
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        field_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A request that is often valid: each of the three fields is usually a plausible value, else an
/// arbitrary string, another JSON type, or missing; sometimes with an extra field.
fn comment_like() -> impl Strategy<Value = Value> {
    fn field(plausible: BoxedStrategy<String>) -> impl Strategy<Value = Option<Value>> {
        prop_oneof![
            6 => plausible.prop_map(|s| Some(Value::String(s))),
            2 => field_text().prop_map(|s| Some(Value::String(s))),
            1 => json_value().prop_map(Some),
            1 => Just(None),
        ]
    }
    let body = prop_oneof![
        "[A-Za-z ,.!?']{1,200}".boxed(),
        prop::collection::vec(prop::sample::select(TRICKY), 1..200)
            .prop_map(|v| v.into_iter().collect::<String>())
            .boxed(),
    ];
    (
        field("[a-z0-9][a-z0-9._:/-]{0,30}".boxed()),
        field("[A-Za-z][A-Za-z0-9 ._-]{0,30}".boxed()),
        field(body.boxed()),
        prop::option::of(("[a-z]{1,8}", json_value())),
    )
        .prop_map(|(article, author, body, extra)| {
            let mut m = serde_json::Map::new();
            for (name, value) in [("article_id", article), ("author", author), ("body", body)] {
                if let Some(v) = value {
                    m.insert(name.into(), v);
                }
            }
            if let Some((k, v)) = extra
                && !["article_id", "author", "body", "title", "parent_id"].contains(&k.as_str())
            {
                m.insert(k, v);
            }
            Value::Object(m)
        })
}

/// 201 exactly when every field is a string the domain accepts.
fn expect_created(v: &Value) -> bool {
    let s = |k: &str| v.get(k).and_then(Value::as_str);
    match (s("article_id"), s("author"), s("body")) {
        (Some(a), Some(au), Some(b)) => {
            ArticleId::parse(a).is_ok()
                && AuthorName::parse(au).is_ok()
                && CommentBody::parse(b, 5000).is_ok()
        }
        _ => false,
    }
}

#[derive(Debug, Clone)]
enum Request {
    /// A JSON document, checked against the domain rules.
    Comment(Value),
    /// Any JSON document.
    Json(Value),
    /// Raw bytes sent as application/json: broken JSON, bad UTF-8, truncations.
    Bytes(Vec<u8>),
}

fn request() -> impl Strategy<Value = Request> {
    prop_oneof![
        4 => comment_like().prop_map(Request::Comment),
        1 => json_value().prop_map(Request::Json),
        1 => prop::collection::vec(any::<u8>(), 0..256).prop_map(Request::Bytes),
        // A valid-looking document, cut short or with one byte changed.
        2 => (comment_like(), any::<prop::sample::Index>(), any::<u8>(), any::<bool>()).prop_map(
            |(v, at, byte, cut)| {
                let mut bytes = v.to_string().into_bytes();
                let i = at.index(bytes.len().max(1)).min(bytes.len().saturating_sub(1));
                if cut {
                    bytes.truncate(i);
                } else if let Some(b) = bytes.get_mut(i) {
                    *b = byte;
                }
                Request::Bytes(bytes)
            }
        ),
    ]
}

#[test]
fn post_comments_answers_every_input_with_201_or_a_json_4xx() {
    let app = TestApp::start();
    let created = std::cell::Cell::new(0u64);
    let refused = std::cell::Cell::new(0u64);
    runner(200)
        .run(&request(), |req| {
            let bytes = match &req {
                Request::Comment(v) | Request::Json(v) => v.to_string().into_bytes(),
                Request::Bytes(b) => b.clone(),
            };
            let response = app
                .request(reqwest::Method::POST, "/v1/comments")
                .header("Content-Type", "application/json")
                .body(bytes)
                .send()
                .map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
            let status = response.status().as_u16();
            let body: Value = response
                .json()
                .map_err(|e| TestCaseError::fail(format!("{status}: body is not JSON: {e}")))?;
            prop_assert!(
                status == 201 || (400..500).contains(&status),
                "{status}: {body}"
            );
            if status == 201 {
                created.set(created.get() + 1);
                prop_assert!(
                    body["id"].is_string() && body["scores"].is_object(),
                    "{body}"
                );
            } else {
                refused.set(refused.get() + 1);
                prop_assert!(body["error"]["code"].is_string(), "{status}: {body}");
            }
            if let Request::Comment(v) = &req {
                prop_assert_eq!(
                    status == 201,
                    expect_created(v),
                    "{} for {}: {}",
                    status,
                    v,
                    body
                );
            }
            Ok(())
        })
        .unwrap();
    eprintln!("{} posts stored, {} refused", created.get(), refused.get());
    assert!(
        created.get() > 0 && refused.get() > 0,
        "both outcomes were exercised"
    );
    // Exactly the acknowledged posts were stored.
    assert_eq!(app.total_comments(), created.get());
}
