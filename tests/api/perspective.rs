//! The Perspective-compatible API, exercised with the exact requests real clients send.

use crate::common::{ABUSIVE, CLEAN, TestApp};
use serde_json::{Value, json};
use std::time::Duration;
use talkback::config::{Config, Credential};

const KEY: &str = "coral-key-0123456789";

fn with_key(c: &mut Config) {
    c.api_keys = vec![Credential {
        name: "coral".into(),
        secret: KEY.into(),
    }];
}

fn start() -> TestApp {
    TestApp::start_with(with_key)
}

/// Coral Talk gives Perspective 800 ms; so does this client.
fn coral_client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_millis(800))
        .build()
        .expect("client")
}

/// Coral's analyze call, byte for byte: `POST {endpoint}/comments:analyze?key=KEY`.
fn coral_analyze(app: &TestApp, text: &str, language: &str) -> Value {
    let body = format!(
        r#"{{"comment":{{"text":{}}},"doNotStore":true,"requestedAttributes":{{"TOXICITY":{{}}}},"languages":["{language}"]}}"#,
        serde_json::to_string(text).expect("json string")
    );
    let response = coral_client()
        .post(app.url(&format!("/v1alpha1/comments:analyze?key={KEY}")))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .expect("analyze answers within Coral's 800 ms timeout");
    assert_eq!(response.status(), 200);
    response.json().expect("JSON")
}

fn analyses_stored(app: &TestApp) -> u64 {
    app.stats()["training_data"]["analyses"]
        .as_u64()
        .expect("analyses count")
}

fn suggestions_stored(app: &TestApp) -> u64 {
    app.stats()["training_data"]["suggestions"]
        .as_u64()
        .expect("suggestions count")
}

fn expect_perspective_error(
    response: reqwest::blocking::Response,
    code: u16,
    status: &str,
    needle: &str,
) {
    assert_eq!(response.status().as_u16(), code);
    let body: Value = response.json().expect("error JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["status"], status, "{body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(needle),
        "`{message}` should mention `{needle}`"
    );
}

#[test]
fn coral_analyze_request_is_answered_in_perspective_shape() {
    let app = start();
    let toxic = coral_analyze(&app, ABUSIVE, "en");
    let score = &toxic["attributeScores"]["TOXICITY"]["summaryScore"];
    assert_eq!(score["type"], "PROBABILITY");
    assert!(score["value"].as_f64().expect("value") > 0.8, "{toxic}");
    assert_eq!(toxic["languages"], json!(["en"]));

    let clean = coral_analyze(&app, CLEAN, "en");
    assert!(
        clean["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
            .as_f64()
            .expect("value")
            < 0.3
    );

    // Coral sends the site's locale; these are accepted and scored.
    for language in ["es", "fr", "de", "pt"] {
        let v = coral_analyze(&app, CLEAN, language);
        assert_eq!(v["languages"], json!([language]));
    }
    // doNotStore: true keeps nothing.
    assert_eq!(analyses_stored(&app), 0);
    assert_eq!(app.total_comments(), 0);
}

#[test]
fn coral_suggestscore_is_stored_as_a_label() {
    let app = start();
    let body = r#"{"comment":{"text":"You absolute idiot"},"context":{"entries":[{"text":"{\"url\":\"https://news.example/story#c1\",\"Coral_comment_id\":\"c1\"}"}]},"attributeScores":{"TOXICITY":{"summaryScore":{"value":1}}},"languages":["en"],"communityId":"Coral:https://news.example","clientToken":"comment:c1"}"#;
    let response = coral_client()
        .post(app.url(&format!("/v1alpha1/comments:suggestscore?key={KEY}")))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .expect("suggestscore");
    assert_eq!(response.status(), 200);
    let v: Value = response.json().expect("JSON");
    assert_eq!(v, json!({"clientToken": "comment:c1"}));
    assert_eq!(suggestions_stored(&app), 1);
    // It survives a restart: it is training data.
    let app = app.restart();
    assert_eq!(suggestions_stored(&app), 1);
}

#[test]
fn do_not_store_false_keeps_the_text_for_retraining() {
    let app = start();
    let r = app.post(
        &format!("/v1alpha1/comments:analyze?key={KEY}"),
        &json!({"comment": {"text": "Some thoughtful remark."}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": false}),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(analyses_stored(&app), 1);
}

/// A generic client, called the way Python `requests` or `googleapiclient` users call
/// Perspective: key as a query parameter (with googleapiclient's `alt=json`) or as the
/// `X-Goog-Api-Key` header, every attribute at once, span annotations, a client token.
#[test]
fn generic_client_gets_every_attribute_and_spans() {
    let app = start();
    let request = json!({
        "comment": {"text": "Thanks for the update. You are a stupid idiot and someone should shoot you.", "type": "PLAIN_TEXT"},
        "requestedAttributes": {
            "TOXICITY": {}, "SEVERE_TOXICITY": {}, "INSULT": {}, "PROFANITY": {}, "THREAT": {},
            "IDENTITY_ATTACK": {}, "INCITEMENT": {}, "ABUSE": {"scoreType": "PROBABILITY"}
        },
        "languages": ["en"],
        "spanAnnotations": true,
        "clientToken": "req-42"
    });
    let client = reqwest::blocking::Client::new();
    let by_query = client
        .post(app.url(&format!("/v1alpha1/comments:analyze?key={KEY}&alt=json")))
        .header("Accept", "application/json")
        .header("Accept-Encoding", "gzip, deflate")
        .json(&request)
        .send()
        .expect("analyze");
    assert_eq!(by_query.status(), 200);
    let v: Value = by_query.json().expect("JSON");
    for name in [
        "TOXICITY",
        "SEVERE_TOXICITY",
        "INSULT",
        "PROFANITY",
        "THREAT",
        "IDENTITY_ATTACK",
        "INCITEMENT",
        "ABUSE",
    ] {
        let value = v["attributeScores"][name]["summaryScore"]["value"].as_f64();
        assert!(
            value.is_some_and(|x| (0.0..=1.0).contains(&x)),
            "{name}: {v}"
        );
    }
    let spans = v["attributeScores"]["TOXICITY"]["spanScores"]
        .as_array()
        .expect("spans");
    assert_eq!(spans.len(), 2, "one span per sentence: {v}");
    assert!(
        spans[1]["score"]["value"].as_f64() > spans[0]["score"]["value"].as_f64(),
        "the abusive sentence scores higher"
    );
    assert_eq!(v["clientToken"], "req-42");
    let severe = v["attributeScores"]["SEVERE_TOXICITY"]["summaryScore"]["value"].as_f64();
    assert!(severe <= v["attributeScores"]["TOXICITY"]["summaryScore"]["value"].as_f64());

    let by_header = client
        .post(app.url("/v1alpha1/comments:analyze"))
        .header("X-Goog-Api-Key", KEY)
        .json(&json!({"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.99}}}))
        .send()
        .expect("analyze");
    assert_eq!(by_header.status(), 200);
    let v: Value = by_header.json().expect("JSON");
    assert_eq!(
        v["attributeScores"],
        json!({}),
        "under scoreThreshold is left out"
    );
}

#[test]
fn bad_requests_get_perspective_errors() {
    let app = start();
    let analyze = |body: &str| {
        reqwest::blocking::Client::new()
            .post(app.url(&format!("/v1alpha1/comments:analyze?key={KEY}")))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .expect("analyze")
    };
    expect_perspective_error(
        analyze(r#"{"comment":{"text":"hi"},"requestedAttributes":{"FLIRTATION":{}}}"#),
        400,
        "INVALID_ARGUMENT",
        "Unknown attribute",
    );
    expect_perspective_error(
        analyze(
            r#"{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}},"languages":["ja"]}"#,
        ),
        400,
        "INVALID_ARGUMENT",
        "languages: ja",
    );
    expect_perspective_error(
        analyze(r#"{"comment":{},"requestedAttributes":{"TOXICITY":{}}}"#),
        400,
        "INVALID_ARGUMENT",
        "comment.text",
    );
    let long = json!({"comment": {"text": "a".repeat(20 * 1024 + 1)}, "requestedAttributes": {"TOXICITY": {}}}).to_string();
    expect_perspective_error(analyze(&long), 400, "INVALID_ARGUMENT", "too long");
    expect_perspective_error(
        analyze("{not json"),
        400,
        "INVALID_ARGUMENT",
        "Invalid JSON",
    );

    let no_key = app.post(
        "/v1alpha1/comments:analyze",
        &json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}),
    );
    expect_perspective_error(no_key, 403, "PERMISSION_DENIED", "API key");
    let bad_key = app.post(
        "/v1alpha1/comments:analyze?key=not-a-key-at-all",
        &json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}),
    );
    expect_perspective_error(bad_key, 403, "PERMISSION_DENIED", "API key not valid");
    assert_eq!(analyses_stored(&app), 0);
}

#[test]
fn per_key_quota_gives_resource_exhausted() {
    let app = TestApp::start_with(|c| {
        with_key(c);
        c.api_key_quota_per_minute = 2;
    });
    let body = json!({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": true});
    let path = format!("/v1alpha1/comments:analyze?key={KEY}");
    assert_eq!(app.post(&path, &body).status(), 200);
    assert_eq!(app.post(&path, &body).status(), 200);
    expect_perspective_error(app.post(&path, &body), 429, "RESOURCE_EXHAUSTED", "Quota");
}
