//! Every kind of bad input gets a clear JSON error and changes nothing.

use crate::common::*;
use reqwest::Method;
use serde_json::json;

#[test]
fn bad_posts_are_refused_and_store_nothing() {
    let app = TestApp::start();
    let raw = |content_type: &str, body: Vec<u8>| {
        app.request(Method::POST, "/v1/comments")
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .unwrap()
    };
    let post = |v: serde_json::Value| app.post("/v1/comments", &v);

    // Over the byte limit (64 KiB by default): 413 before the body is parsed.
    let huge = json!({ "article_id": "a", "author": "x", "body": "y".repeat(100_000) });
    expect_error(
        raw("application/json", huge.to_string().into_bytes()),
        413,
        "payload_too_large",
    );
    // Not JSON, or JSON of the wrong shape.
    let e = expect_error(
        raw("application/json", b"{\"article_id\": \"a\",".to_vec()),
        400,
        "invalid_json",
    );
    assert!(e["message"].as_str().unwrap().contains("line 1"));
    let e = expect_error(
        post(json!({ "article_id": "a", "author": 42, "body": "hi" })),
        400,
        "invalid_field",
    );
    assert_eq!(e["field"], "author");
    assert!(e["message"].as_str().unwrap().contains("author"));
    let e = expect_error(
        post(json!({ "article_id": "a", "author": "x" })),
        400,
        "invalid_field",
    );
    assert_eq!(e["field"], "body");
    let e = expect_error(
        post(json!({ "article_id": "a", "author": "x", "body": ["list"] })),
        400,
        "invalid_field",
    );
    assert_eq!(e["field"], "body");
    expect_error(
        raw("application/json", b"[1, 2]".to_vec()),
        400,
        "invalid_json",
    );
    // Empty or whitespace-only text, too long, control characters.
    let e = expect_error(
        post(json!({ "article_id": "a", "author": "x", "body": "" })),
        400,
        "empty_field",
    );
    assert_eq!(e["field"], "body");
    expect_error(
        post(json!({ "article_id": "a", "author": "x", "body": " \n\t  " })),
        400,
        "empty_field",
    );
    expect_error(
        post(json!({ "article_id": "a", "author": "  ", "body": "hello" })),
        400,
        "empty_field",
    );
    let e = expect_error(
        post(json!({ "article_id": "a", "author": "x", "body": "é".repeat(5001) })),
        400,
        "too_long",
    );
    assert!(e["message"].as_str().unwrap().contains("5000"));
    let e = expect_error(
        post(json!({ "article_id": "a", "author": "x", "body": "nul \u{0} here" })),
        400,
        "control_character",
    );
    assert_eq!(e["field"], "body");
    expect_error(
        raw(
            "application/json",
            b"{\"article_id\":\"a\",\"author\":\"x\",\"body\":\"raw \x00 nul\"}".to_vec(),
        ),
        400,
        "invalid_json",
    );
    // Article ids and parent ids that cannot be ids.
    for bad in ["", "has space", "-lead", "semi;colon"] {
        let e = expect_error(
            post(json!({ "article_id": bad, "author": "x", "body": "hello" })),
            400,
            "invalid_article_id",
        );
        assert_eq!(e["field"], "article_id");
    }
    expect_error(
        post(json!({ "article_id": "a", "author": "x", "body": "hi", "parent_id": "nope" })),
        400,
        "invalid_id",
    );
    // Bytes that are not UTF-8.
    let mut bytes = b"{\"article_id\":\"a\",\"author\":\"x\",\"body\":\"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x41]);
    bytes.extend_from_slice(b"\"}");
    expect_error(raw("application/json", bytes), 400, "invalid_utf8");
    // Not JSON at all.
    expect_error(
        raw("text/plain", b"article_id=a".to_vec()),
        415,
        "unsupported_media_type",
    );
    let r = app
        .request(Method::POST, "/v1/comments")
        .body("{}")
        .send()
        .unwrap();
    expect_error(r, 415, "unsupported_media_type");
    // A bad idempotency key.
    let r = app
        .request(Method::POST, "/v1/comments")
        .header("Idempotency-Key", "")
        .json(&json!({ "article_id": "a", "author": "x", "body": "hi" }))
        .send()
        .unwrap();
    expect_error(r, 400, "invalid_idempotency_key");

    assert_eq!(app.total_comments(), 0);
    assert_eq!(app.log_len(), 0);
}

#[test]
fn unknown_routes_and_methods_get_json_errors() {
    let app = TestApp::start();
    expect_error(app.get("/v2/nothing"), 404, "not_found");
    expect_error(app.get("/v1/comments"), 405, "method_not_allowed");
    expect_error(
        app.request(Method::DELETE, "/v1/moderation/stats")
            .send()
            .unwrap(),
        405,
        "method_not_allowed",
    );
}
