//! The OpenAPI description at /openapi.json covers every route the app serves. The routes come
//! from the app's own route table (`talkback::http::served_routes`), not a list copied here, so
//! a route added without its `#[utoipa::path]` fails this test.

use crate::common::*;
use reqwest::Method;
use serde_json::Value;

/// `/v1/articles/{article_id:.+}/comments` (actix) -> `/v1/articles/{article_id}/comments`.
fn openapi_path(actix: &str) -> String {
    let (mut out, mut in_param, mut in_regex) = (String::new(), false, false);
    for c in actix.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push(c);
            }
            '}' => {
                (in_param, in_regex) = (false, false);
                out.push(c);
            }
            ':' if in_param => in_regex = true,
            _ if in_regex => {}
            _ => out.push(c),
        }
    }
    out
}

/// A concrete request path for a pattern: each `{param}` becomes `x`.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in openapi_path(path).chars() {
        match c {
            '{' => {
                depth += 1;
                out.push('x');
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

fn served() -> Vec<(String, String)> {
    let routes: Vec<(String, String)> = talkback::http::served_routes()
        .into_iter()
        .map(|(method, path)| (method.as_str().to_string(), path.to_string()))
        .collect();
    // A table that lost its routes would pass every check below.
    assert!(routes.len() >= 20, "{routes:?}");
    routes
}

#[test]
fn paths_convert_from_actix_patterns() {
    assert_eq!(
        openapi_path("/v1/articles/{article_id:.+}/comments"),
        "/v1/articles/{article_id}/comments"
    );
    assert_eq!(
        openapi_path("/v1alpha1/comments:analyze"),
        "/v1alpha1/comments:analyze"
    );
    assert_eq!(
        concrete("/v1/moderation/comments/{id}/decision"),
        "/v1/moderation/comments/x/decision"
    );
}

#[test]
fn every_served_route_is_in_the_openapi_document() {
    let app = TestApp::start();
    let r = app.get("/openapi.json");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: Value = r.json().expect("openapi.json is JSON");
    assert!(
        doc["openapi"].as_str().unwrap_or("").starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let served = served();
    let missing: Vec<String> = served
        .iter()
        .filter(|(method, path)| doc["paths"][openapi_path(path)][method.to_lowercase()].is_null())
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    assert!(
        missing.is_empty(),
        "served but not in /openapi.json: {missing:?}"
    );

    // And nothing is documented that the app does not serve.
    let operations = ["get", "head", "post", "put", "patch", "delete"];
    let mut extra = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for op in operations.iter().filter(|op| !item[**op].is_null()) {
            let found = served.iter().any(|(method, served_path)| {
                method.eq_ignore_ascii_case(op) && openapi_path(served_path) == *path
            });
            if !found {
                extra.push(format!("{op} {path}"));
            }
        }
    }
    assert!(extra.is_empty(), "documented but not served: {extra:?}");
}

/// The route table is what the app serves: every entry reaches a handler (no route-not-found
/// 404, no 405), whatever the handler then says about the empty request.
#[test]
fn every_route_in_the_table_reaches_a_handler() {
    let app = TestApp::start();
    for (method, path) in served() {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let url = concrete(&path);
        let r = app.request(method.clone(), &url).send().expect("request");
        let status = r.status().as_u16();
        let body = r.text().unwrap_or_default();
        assert_ne!(status, 405, "{method} {url}: {body}");
        assert!(
            !body.contains("route_not_found"),
            "{method} {url}: {status} {body}"
        );
    }
}
