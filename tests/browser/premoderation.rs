//! Pre-moderation on the moderator page in a real browser (#21, requirement 6): the queue lists
//! the pre-moderated articles and why (surge detection or a moderator), a moderator switches one
//! back or switches another on from a card, and a surge elsewhere shows up without a reload.
//! Skips with a reason when chromedriver is not installed, except under CI.

use crate::common::{self, ALICE, TestApp};
use crate::harness::{
    self, Browser, HELD_TEXTS, browser_available, check_accessibility, save_screenshot, seed_texts,
};
use serde_json::{Value, json};

/// Rejection off, so every flagged text waits in the queue; surge detection at four comments in
/// ten minutes, half of them flagged.
fn app() -> TestApp {
    TestApp::start_with(|c| {
        c.bars.reject = Some(Default::default());
        c.surge = talkback::config::parse_surge("window=10min,share=0.5,min=4").expect("rule");
    })
}

/// Run a blocking call to the API from inside the browser session's runtime (the blocking
/// client must not run on an async worker as it is).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

fn premoderation(app: &TestApp, article: &str) -> Value {
    blocking(|| {
        app.get_as(
            ALICE,
            &format!("/v1/moderation/articles/{article}/premoderation"),
        )
        .json()
        .expect("state")
    })
}

/// The text of the pre-moderated list's entry for `article`, once it is listed.
fn listed(article: &str) -> String {
    format!(
        "const li = document.querySelector('#premod-list li[data-article=\"{article}\"]'); \
         return !document.getElementById('premod').hidden && li && li.textContent"
    )
}

#[test]
fn the_queue_shows_surge_premoderation_and_a_moderator_switches_it() {
    if !browser_available() {
        return;
    }
    let app = app();
    // Four flagged comments on one article: a surge. The clean one after it waits too.
    seed_texts(&app, &HELD_TEXTS[..4]);
    assert_eq!(premoderation(&app, "world/rockets")["premoderated"], true);
    let (_, clean) = app.comment("world/rockets", "calm", common::CLEAN);
    assert_eq!(clean["status_reason"], "article_premoderated");
    let clean = clean["id"].as_str().expect("id").to_string();
    seed_texts(&app, &HELD_TEXTS[4..5]);
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        let line = b
            .wait(&listed("world/rockets"), "the surge in the list")
            .await;
        let line = line.as_str().unwrap_or("");
        assert!(
            line.contains("surge detection")
                && line.contains("4 of 4 comments in the last 10 min flagged by the model")
                && line.contains("5 held"),
            "{line}"
        );
        // The clean comment's card says why it waits.
        assert_eq!(
            b.js(&format!(
                "return document.querySelector('li.item[data-id=\"{clean}\"] .status-reason').textContent"
            ))
            .await,
            json!("article pre-moderated")
        );
        // Cards offer to pre-moderate only the articles that are not.
        let offers = b
            .js("return [...document.querySelectorAll('button.premod-on')].filter(x => !x.hidden).map(x => x.dataset.premodArticle)")
            .await;
        assert_eq!(offers, json!(["politics/vote"]));
        check_accessibility(&b.client).await;
        save_screenshot(&b.client, "moderate-premoderation.png").await;

        b.click("#premod-list li[data-article=\"world/rockets\"] button")
            .await;
        b.wait(
            "return document.getElementById('premod').hidden",
            "the list emptied",
        )
        .await;
        assert_eq!(premoderation(&app, "world/rockets")["premoderated"], false);
        let log: Value = blocking(|| {
            app.get_as(ALICE, "/v1/moderation/log?action=premoderation_off")
                .json()
                .expect("log")
        });
        assert_eq!(log["entries"][0]["actor"], "alice");
        assert_eq!(log["entries"][0]["article_id"], "world/rockets");
        // The switch-off ended that burst: a clean comment is published again.
        let (_, after) = blocking(|| app.comment("world/rockets", "calm", common::CLEAN));
        assert_eq!(after["status"], "published");

        // Switched on from a card.
        b.click("li.item button.premod-on[data-premod-article=\"politics/vote\"]")
            .await;
        let line = b
            .wait(
                &listed("politics/vote"),
                "the moderator's switch in the list",
            )
            .await;
        assert!(
            line.as_str().unwrap_or("").contains("switched on by alice"),
            "{line}"
        );
        assert_eq!(premoderation(&app, "politics/vote")["premoderated"], true);
        assert_eq!(
            b.js("return document.querySelector('button.premod-on[data-premod-article=\"politics/vote\"]').hidden")
                .await,
            json!(true)
        );

        // A surge on another article appears without a reload.
        let raid: Vec<(&str, &str)> = HELD_TEXTS[..4]
            .iter()
            .map(|(_, text)| ("local/fire", *text))
            .collect();
        blocking(|| seed_texts(&app, &raid));
        b.wait(&listed("local/fire"), "the new surge, live").await;
        check_accessibility(&b.client).await;
        // The list and the cards' buttons wrap at 375 px.
        b.client.set_window_size(375, 812).await.expect("resize");
        let width = b.js("return document.documentElement.scrollWidth").await;
        assert!(
            width.as_u64().unwrap_or(9999) <= 375,
            "page overflows at 375 px: {width}"
        );
        b.close().await;
    });
}
