//! The moderator page in a real browser: headless Chromium driven over WebDriver (chromedriver)
//! against the real server with a temporary database. Skips with a reason when chromedriver is
//! not installed, except under CI (`CI=true`), where `.ci/run` installs it and a skip would hide
//! a broken page.

mod browser;
mod common;

use browser::{
    Browser, UNDO_WAIT, browser_available, check_accessibility, detail, item_ids, press,
    save_screenshot, seed, wait_until,
};
use common::{ALICE, BOB};
use fantoccini::Locator;
use serde_json::{Value, json};

#[test]
fn moderator_works_the_queue_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let app = browser::app();
    let seeded = seed(&app);
    let (approved_by_click, approved_by_key, bulk_rejected, conflicted) = browser::run(async {
        let browser = Browser::open(&app, 1280, 1000).await;
        let client = &browser.client;
        let base = browser.base.clone();

        // Sign in; the token lives in session storage, never in the URL.
        browser.sign_in(ALICE, 6).await;
        assert!(
            !client
                .current_url()
                .await
                .expect("url")
                .as_str()
                .contains(ALICE)
        );
        let waiting = wait_until(
            client,
            "const t = document.getElementById('waiting').textContent; return t ? t : false",
            "waiting count",
        )
        .await;
        assert_eq!(waiting, json!("6 waiting"));

        // The words that drove the score are highlighted inside the comment text.
        let marks: Vec<String> = serde_json::from_value(
            client.execute("return [...document.querySelectorAll('li.item mark')].map(m => m.textContent.toLowerCase())", vec![]).await.expect("marks"),
        ).expect("mark list");
        assert!(!marks.is_empty(), "no highlighted words");
        assert!(
            marks.iter().any(|m| [
                "shit",
                "idiot",
                "kill",
                "shoot",
                "moron",
                "stupid",
                "worthless",
                "bastard",
                "hang",
                "burn"
            ]
            .iter()
            .any(|w| m.contains(w))),
            "highlights miss the offending words: {marks:?}"
        );
        save_screenshot(client, "moderate-queue.png").await;
        check_accessibility(client).await;

        // Approve by click: the item leaves at once.
        let ids = item_ids(client).await;
        let by_click = ids[0].clone();
        client
            .find(Locator::Css(&format!(
                "li[data-id='{by_click}'] button.approve"
            )))
            .await
            .expect("approve")
            .click()
            .await
            .expect("click");
        assert!(!item_ids(client).await.contains(&by_click));

        // Approve by keyboard: j moves, a approves the current item.
        client
            .find(Locator::Css("h1"))
            .await
            .expect("heading")
            .click()
            .await
            .expect("focus page");
        press(client, 'j').await;
        press(client, 'k').await;
        let current = client
            .execute(
                "return document.querySelector('li.item.current').dataset.id",
                vec![],
            )
            .await
            .expect("current");
        let by_key = current.as_str().expect("id").to_string();
        press(client, 'a').await;
        assert!(!item_ids(client).await.contains(&by_key));

        // Undo brings the last acted-on item back and sends nothing.
        let undo_target = item_ids(client).await[0].clone();
        press(client, 'a').await;
        assert!(!item_ids(client).await.contains(&undo_target));
        press(client, 'u').await;
        assert!(item_ids(client).await.contains(&undo_target));

        // Bulk reject two selected comments with a reason.
        let ids = item_ids(client).await;
        let bulk = vec![ids[0].clone(), ids[1].clone()];
        for id in &bulk {
            client
                .find(Locator::Id(&format!("sel-{id}")))
                .await
                .expect("checkbox")
                .click()
                .await
                .expect("select");
        }
        client
            .find(Locator::Id("bulk-reason"))
            .await
            .expect("reason")
            .select_by_value("threat")
            .await
            .expect("pick reason");
        client
            .find(Locator::Id("bulk-reject"))
            .await
            .expect("bulk")
            .click()
            .await
            .expect("bulk reject");
        let left = item_ids(client).await;
        assert!(bulk.iter().all(|id| !left.contains(id)));

        // A conflict is shown, not swallowed: bob rejects first, alice's approval then fails.
        let contested = left[0].clone();
        let bob = reqwest::Client::new();
        let r = bob
            .post(format!(
                "{base}/v1/moderation/comments/{contested}/decision"
            ))
            .bearer_auth(BOB)
            .json(&json!({"decision": "reject", "reason": "insult"}))
            .send()
            .await
            .expect("bob decides");
        assert_eq!(r.status(), 200);
        client
            .find(Locator::Css(&format!(
                "li[data-id='{contested}'] button.approve"
            )))
            .await
            .expect("approve")
            .click()
            .await
            .expect("click");
        tokio::time::sleep(UNDO_WAIT).await;
        let shown = wait_until(client, &format!("const li = document.querySelector(\"li[data-id='{contested}'].conflict\"); return li ? li.textContent : false"), "conflict shown").await;
        assert!(
            shown.as_str().unwrap_or("").contains("Conflict"),
            "conflict not shown: {shown}"
        );

        // Filter by article: only that article's comments remain.
        client
            .find(Locator::Id("f-article"))
            .await
            .expect("filter")
            .send_keys("politics/vote")
            .await
            .expect("type");
        client
            .find(Locator::Css("#filters button[type=submit]"))
            .await
            .expect("apply")
            .click()
            .await
            .expect("apply");
        let only_politics = wait_until(client, "const items = [...document.querySelectorAll('li.item')]; return items.length > 0 && items.every(li => li.textContent.includes('politics/vote'))", "filtered queue").await;
        assert_eq!(only_politics, json!(true));

        // The audit log view lists alice's actions.
        client
            .find(Locator::Id("tab-log"))
            .await
            .expect("log tab")
            .click()
            .await
            .expect("open log");
        wait_until(
            client,
            "return document.getElementById('log-rows').textContent.includes('alice')",
            "audit log rows",
        )
        .await;

        // Usable at 375 px: nothing forces horizontal scrolling.
        client
            .find(Locator::Id("tab-queue"))
            .await
            .expect("queue tab")
            .click()
            .await
            .expect("open queue");
        client.set_window_size(375, 812).await.expect("resize");
        let overflow = client
            .execute("return document.documentElement.scrollWidth", vec![])
            .await
            .expect("width");
        assert!(
            overflow.as_u64().unwrap_or(9999) <= 375,
            "page overflows at 375 px: {overflow}"
        );
        save_screenshot(client, "moderate-mobile.png").await;
        browser.close().await;
        (by_click, by_key, bulk, contested)
    });

    // The database, seen through the API, matches what the moderator did in the page.
    let status = |id: &str| -> Value { detail(&app, id) };
    assert_eq!(status(&approved_by_click)["status"], "published");
    assert_eq!(status(&approved_by_key)["status"], "published");
    for id in &bulk_rejected {
        let detail = status(id);
        assert_eq!(detail["status"], "rejected");
        assert_eq!(detail["decisions"][0]["reason"], "threat");
        assert_eq!(detail["decisions"][0]["moderator"], "alice");
    }
    // Bob's rejection stands; alice's conflicting approval changed nothing.
    let contested = status(&conflicted);
    assert_eq!(contested["status"], "rejected");
    assert_eq!(contested["decisions"].as_array().map(Vec::len), Some(1));
    let still_held = seeded
        .iter()
        .filter(|(id, _)| status(id)["status"] == "held")
        .count();
    assert_eq!(still_held, seeded.len() - 2 - bulk_rejected.len() - 1);
}
