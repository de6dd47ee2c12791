//! The moderator page in a real browser: headless Chromium driven over WebDriver (chromedriver)
//! against the real server with a temporary database. Skips with a reason when chromedriver is
//! not installed, except under CI (`CI=true`), where `.ci/run` installs it and a skip would hide
//! a broken page.

use crate::common::{self, ALICE, BOB};
use crate::harness::{
    self, Browser, HELD_TEXTS, TAB, UNDO_WAIT, browser_available, check_accessibility,
    current_item_id, detail, item_ids, item_ids_off, press, save_screenshot, seed, seed_texts,
    wait_for_status, wait_until,
};
use fantoccini::Locator;
use serde_json::{Value, json};
use std::time::Duration;

#[test]
fn moderator_works_the_queue_in_a_real_browser() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let seeded = seed(&app);
    let (approved_by_click, approved_by_key, bulk_rejected, conflicted) = harness::run(async {
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

        // Approve by click: the item leaves at once. Comments on politics/vote are left for the
        // article filter below.
        let ids = item_ids_off(client, "politics/vote").await;
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
        let by_key = current_item_id(client).await;
        press(client, 'a').await;
        assert!(!item_ids(client).await.contains(&by_key));

        // Undo brings the last acted-on item back and sends nothing. The target is the current
        // item, whichever article it is on: undo puts it back.
        let undo_target = current_item_id(client).await;
        press(client, 'a').await;
        assert!(!item_ids(client).await.contains(&undo_target));
        press(client, 'u').await;
        assert!(item_ids(client).await.contains(&undo_target));

        // Bulk reject two selected comments with a reason.
        let ids = item_ids_off(client, "politics/vote").await;
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
        let others = item_ids_off(client, "politics/vote").await;
        let contested = others.first().unwrap_or(&left[0]).clone();
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

fn card(id: &str) -> String {
    format!("li.item[data-id='{id}']")
}

/// Keyboard shortcuts act on the card that holds focus, not on the one outlined earlier (#21.1).
#[test]
fn shortcut_acts_on_the_card_that_has_focus() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    let (outlined, focused) = harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        let ids = b.ids().await;
        // Opening a card's history makes it the outlined one; Tab then walks into the next card.
        b.click(&format!("{} summary", card(&ids[2]))).await;
        let target = format!("{} button.approve", card(&ids[3]));
        for _ in 0..12 {
            if b.js(&format!(
                "return document.activeElement.matches(\"{target}\")"
            ))
            .await
                == json!(true)
            {
                break;
            }
            b.press(TAB).await;
        }
        assert_eq!(
            b.focused_card().await,
            json!(ids[3]),
            "Tab did not reach the next card"
        );
        b.press('a').await;
        let left = b.ids().await;
        assert!(
            left.contains(&ids[2]),
            "the outlined card was approved instead of the focused one"
        );
        assert!(!left.contains(&ids[3]), "the focused card is still listed");
        wait_for_status(&b.base, &ids[3], "published").await;
        b.close().await;
        (ids[2].clone(), ids[3].clone())
    });
    assert_eq!(detail(&app, &outlined)["status"], "held");
    assert_eq!(detail(&app, &focused)["status"], "published");
}

/// Acting on a card lower down leaves the page where it was, with focus on the next card (#21.2).
#[test]
fn acting_low_in_the_list_keeps_focus_and_scroll_there() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    let approved = harness::run(async {
        let b = Browser::open(&app, 1280, 700).await;
        b.sign_in(ALICE, 6).await;
        // Room below the list, so the shorter list never drags the page end into view.
        b.js("document.querySelector('main').style.paddingBottom = '3000px'")
            .await;
        let ids = b.ids().await;
        b.js(&format!(
            "document.querySelector(\"{}\").scrollIntoView({{block: 'center'}})",
            card(&ids[3])
        ))
        .await;
        let before = b
            .js("return window.scrollY")
            .await
            .as_f64()
            .expect("scrollY");
        assert!(
            before > 100.0,
            "the fourth card should need scrolling: {before}"
        );
        b.click(&format!("{} button.approve", card(&ids[3]))).await;
        assert!(!b.ids().await.contains(&ids[3]));
        let after = b
            .js("return window.scrollY")
            .await
            .as_f64()
            .expect("scrollY");
        assert!(
            (after - before).abs() < 5.0,
            "the page jumped from {before} to {after}"
        );
        assert_eq!(
            b.focused_card().await,
            json!(ids[4]),
            "focus should be on the next card"
        );
        let visible = b.js(&format!("const r = document.querySelector(\"{}\").getBoundingClientRect(); return r.top >= document.querySelector('header').getBoundingClientRect().bottom && r.top < innerHeight", card(&ids[4]))).await;
        assert_eq!(visible, json!(true), "the next card is not in view");
        wait_for_status(&b.base, &ids[3], "published").await;
        b.close().await;
        ids[3].clone()
    });
    assert_eq!(
        detail(&app, &approved)["decisions"][0]["moderator"],
        "alice"
    );
}

/// An action changes only the cards it touches: a reason picked or a history opened on another
/// card stays as it was (#21.3).
#[test]
fn acting_leaves_other_cards_as_they_were() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    let (approved, rejected) = harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        let ids = b.ids().await;
        b.client
            .find(Locator::Id(&format!("reason-{}", ids[2])))
            .await
            .expect("reason")
            .select_by_value("spam")
            .await
            .expect("pick spam");
        b.click(&format!("{} summary", card(&ids[3]))).await;
        b.wait(
            &format!(
                "return !!document.querySelector(\"{} details[open] table\")",
                card(&ids[3])
            ),
            "history loaded",
        )
        .await;
        // Back to the top, where the sticky header cannot cover the first card's button.
        b.js("window.scrollTo(0, 0)").await;
        b.click(&format!("{} button.approve", card(&ids[0]))).await;
        assert!(!b.ids().await.contains(&ids[0]));
        let kept = b.js(&format!("return [document.getElementById('reason-{}').value, document.querySelector(\"{} details\").open]", ids[2], card(&ids[3]))).await;
        assert_eq!(
            kept,
            json!(["spam", true]),
            "[reason on card 3, history open on card 4] after approving card 1"
        );
        // The kept reason is the one the Reject button sends.
        b.click(&format!("{} button.reject", card(&ids[2]))).await;
        wait_for_status(&b.base, &ids[0], "published").await;
        wait_for_status(&b.base, &ids[2], "rejected").await;
        b.close().await;
        (ids[0].clone(), ids[2].clone())
    });
    assert_eq!(detail(&app, &approved)["status"], "published");
    assert_eq!(detail(&app, &rejected)["decisions"][0]["reason"], "spam");
}

/// The reject reason starts at the label that crossed its bar; `r` in the reason list rejects
/// with it; number keys pick a reason (#21.4).
#[test]
fn reject_reason_follows_the_label_over_its_bar() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let ids = seed_texts(
        &app,
        &[
            ("world/rockets", "Kill them all. No mercy."),
            (
                "world/rockets",
                "You are a worthless piece of shit and a disgusting idiot",
            ),
        ],
    );
    let threat = &ids[0];
    let insult = &ids[1];
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 2).await;
        let preselected = b
            .js(&format!(
                "return document.getElementById('reason-{threat}').value"
            ))
            .await;
        // The shipped model holds this call to kill for incitement (0.97 against the 0.30 bar)
        // and for abuse (0.73 against 0.70), whose most likely kind is threat (1.00): the reason
        // is threat, the strongest label over a bar, not "insult".
        assert_eq!(
            preselected,
            json!("threat"),
            "reason pre-selected from the bar the comment crossed"
        );
        // r with focus in the reason list rejects with the reason shown there.
        b.js(&format!(
            "document.getElementById('reason-{threat}').focus()"
        ))
        .await;
        b.press('r').await;
        assert!(
            !b.ids().await.contains(threat),
            "r in the reason list did nothing"
        );
        // Number keys pick the reason (6 = spam, the sixth in the list), then r rejects.
        b.click(&format!("{} p.body", card(insult))).await;
        b.press('6').await;
        let picked = b
            .js(&format!(
                "return document.getElementById('reason-{insult}').value"
            ))
            .await;
        assert_eq!(picked, json!("spam"), "6 should pick the sixth reason");
        b.press('r').await;
        assert!(!b.ids().await.contains(insult));
        wait_for_status(&b.base, threat, "rejected").await;
        wait_for_status(&b.base, insult, "rejected").await;
        b.close().await;
    });
    assert_eq!(detail(&app, threat)["decisions"][0]["reason"], "threat");
    assert_eq!(detail(&app, insult)["decisions"][0]["reason"], "spam");
}

/// Signing out inside the undo window sends the pending decision first (#21.6).
#[test]
fn signing_out_sends_the_pending_decision() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    let approved = harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        let id = b.ids().await[0].clone();
        b.click(&format!("{} button.approve", card(&id))).await;
        b.click("#sign-out").await;
        b.wait(
            "return !document.getElementById('signin').hidden",
            "sign-in form",
        )
        .await;
        wait_for_status(&b.base, &id, "published").await;
        let toast = b
            .js("return document.getElementById('toast').textContent")
            .await;
        assert!(
            !toast.as_str().unwrap_or("").contains("not"),
            "an error was shown: {toast}"
        );
        b.close().await;
        id
    });
    let log: Value = app
        .get_as(
            ALICE,
            &format!("/v1/moderation/log?comment_id={approved}&action=approve"),
        )
        .json()
        .expect("log");
    assert_eq!(log["entries"][0]["actor"], "alice", "{log}");
}

/// The Queue and Audit log tabs and Sign out show only while signed in (#21.7).
#[test]
fn views_are_hidden_while_signed_out() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        let shown = "return ['tabs', 'sign-out'].map(id => getComputedStyle(document.getElementById(id)).display !== 'none')";
        b.open_page().await;
        assert_eq!(
            b.js(shown).await,
            json!([false, false]),
            "[tabs, sign out] shown before sign-in"
        );
        b.sign_in(ALICE, 0).await;
        assert_eq!(
            b.js(shown).await,
            json!([true, true]),
            "[tabs, sign out] after sign-in"
        );
        b.click("#sign-out").await;
        b.wait(
            "return !document.getElementById('signin').hidden",
            "sign-in form",
        )
        .await;
        assert_eq!(
            b.js(shown).await,
            json!([false, false]),
            "[tabs, sign out] shown after sign-out"
        );
        b.close().await;
    });
}

/// A conflict names who decided and when, shows the comment's real status and count, and can
/// be overridden from the card (#21.8).
#[test]
fn conflict_names_who_decided_and_can_be_overridden() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    let contested = harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        b.wait(
            "return document.getElementById('waiting').textContent === '6 waiting'",
            "6 waiting",
        )
        .await;
        let id = b.ids().await[1].clone();
        let r = reqwest::Client::new()
            .post(format!("{}/v1/moderation/comments/{id}/decision", b.base))
            .bearer_auth(BOB)
            .json(&json!({"decision": "reject", "reason": "insult"}))
            .send()
            .await
            .expect("bob decides");
        assert_eq!(r.status(), 200);
        b.click(&format!("{} button.approve", card(&id))).await;
        let shown = b.wait(&format!("const li = document.querySelector(\"{}.conflict\"); return li ? li.textContent : false", card(&id)), "conflict shown").await;
        let shown = shown.as_str().unwrap_or("");
        assert!(shown.contains("bob"), "who decided is not shown: {shown}");
        assert!(
            !shown.contains("override: true"),
            "raw API text shown: {shown}"
        );
        let meta = b
            .js(&format!(
                "return document.querySelector(\"{} .meta\").textContent",
                card(&id)
            ))
            .await;
        let meta = meta.as_str().unwrap_or("");
        assert!(
            meta.contains("rejected") && !meta.contains("held"),
            "card status not updated: {meta}"
        );
        b.wait(
            "return document.getElementById('waiting').textContent === '5 waiting'",
            "count updated to 5 waiting",
        )
        .await;
        // The conflict message, its override button and the toast pass axe-core too.
        check_accessibility(&b.client).await;
        b.click(&format!("{} button.override", card(&id))).await;
        let d = wait_for_status(&b.base, &id, "published").await;
        assert_eq!(d["decisions"][1]["moderator"], "alice", "{d}");
        b.close().await;
        id
    });
    let d = detail(&app, &contested);
    assert_eq!(d["decisions"][1]["decision"], "approve");
    assert_eq!(d["decisions"][1]["override"], true);
}

/// The toast's Undo button takes an action back, for people without a keyboard (#21.9).
#[test]
fn toast_offers_an_undo_button() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    let undone = harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        let id = b.ids().await[0].clone();
        b.click(&format!("{} button.approve", card(&id))).await;
        assert!(!b.ids().await.contains(&id));
        check_accessibility(&b.client).await;
        b.click("#toast button").await;
        assert!(
            b.ids().await.contains(&id),
            "Undo did not bring the comment back"
        );
        tokio::time::sleep(UNDO_WAIT).await;
        b.close().await;
        id
    });
    assert_eq!(detail(&app, &undone)["status"], "held");
    assert_eq!(detail(&app, &undone)["decisions"], json!([]));
}

/// After j/k the current card is not hidden under the sticky header (#21.10).
#[test]
fn current_card_is_not_under_the_header() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    harness::run(async {
        let b = Browser::open(&app, 1280, 600).await;
        b.sign_in(ALICE, 6).await;
        b.click("h1").await;
        let clear = "const c = document.querySelector('li.item.current').getBoundingClientRect(); \
                     return [c.top, document.querySelector('header').getBoundingClientRect().bottom]";
        for key in ['j', 'j', 'j', 'j', 'j', 'k', 'k', 'k', 'k', 'k'] {
            b.press(key).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let [top, header]: [f64; 2] =
                serde_json::from_value(b.js(clear).await).expect("numbers");
            assert!(
                top >= header - 1.0,
                "after {key} the current card's top ({top}) is under the header (bottom {header})"
            );
        }
        b.close().await;
    });
}

/// An empty filtered list says nothing matches; bulk actions with nothing selected say so (#21.12).
#[test]
fn empty_states_say_why() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let seeded = seed(&app);
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        b.click("#bulk-reject").await;
        let said = b
            .wait(
                "return document.getElementById('toast').textContent || false",
                "a message",
            )
            .await;
        assert!(
            said.as_str()
                .unwrap_or("")
                .to_lowercase()
                .contains("select"),
            "{said}"
        );
        assert_eq!(b.ids().await.len(), 6);
        b.client
            .find(Locator::Id("f-article"))
            .await
            .expect("filter")
            .send_keys("no/such-article")
            .await
            .expect("type");
        b.click("#filters button[type=submit]").await;
        let end = b.wait("return document.querySelectorAll('li.item').length === 0 && document.getElementById('queue-end').textContent || false", "empty list message").await;
        assert!(end.as_str().unwrap_or("").contains("match"), "{end}");
        b.close().await;
    });
    for (id, _) in &seeded {
        assert_eq!(detail(&app, id)["decisions"], json!([]));
    }
}

/// A moderator can reverse their own earlier approval from the Published view (#21.8).
#[test]
fn own_approval_can_be_reversed_with_override() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let ids = seed_texts(&app, &HELD_TEXTS[..1]);
    let id = ids[0].clone();
    let approved = app.post_as(
        ALICE,
        &format!("/v1/moderation/comments/{id}/decision"),
        &json!({"decision": "approve"}),
    );
    assert_eq!(approved.status(), 200);
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 0).await;
        b.client
            .find(Locator::Id("f-status"))
            .await
            .expect("status filter")
            .select_by_value("published")
            .await
            .expect("pick published");
        b.click("#filters button[type=submit]").await;
        b.wait(
            &format!("return !!document.querySelector(\"{}\")", card(&id)),
            "the approved comment in the Published view",
        )
        .await;
        b.client
            .find(Locator::Id(&format!("reason-{id}")))
            .await
            .expect("reason")
            .select_by_value("obscene")
            .await
            .expect("pick obscene");
        b.click(&format!("{} button.reject", card(&id))).await;
        let shown = b
            .wait(
                &format!("const li = document.querySelector(\"{}.conflict\"); return li ? li.textContent : false", card(&id)),
                "conflict with the own approval",
            )
            .await;
        assert!(
            shown
                .as_str()
                .unwrap_or("")
                .contains("alice already approved"),
            "{shown}"
        );
        b.click(&format!("{} button.override", card(&id))).await;
        wait_for_status(&b.base, &id, "rejected").await;
        b.close().await;
    });
    let d = detail(&app, &id);
    assert_eq!(d["decisions"][1]["decision"], "reject", "{d}");
    assert_eq!(d["decisions"][1]["reason"], "obscene");
    assert_eq!(d["decisions"][1]["override"], true);
}

/// The label filter finds comments by the finer labels, not only abuse and incitement (#21.5).
#[test]
fn label_filter_finds_finer_labels() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let seeded = seed(&app);
    // What the page should list under "threat": the held comments scoring at least 0.5 there.
    let mut threats: Vec<String> = seeded
        .iter()
        .filter(|(id, _)| detail(&app, id)["scores"]["threat"].as_f64().unwrap_or(0.0) >= 0.5)
        .map(|(id, _)| id.clone())
        .collect();
    assert!(
        !threats.is_empty() && threats.len() < seeded.len(),
        "the seed should hold some threats and some comments that are not: {threats:?}"
    );
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        b.client
            .find(Locator::Id("f-label"))
            .await
            .expect("label filter")
            .select_by_value("threat")
            .await
            .expect("pick threat");
        b.click("#filters button[type=submit]").await;
        b.wait(
            &format!(
                "return document.querySelectorAll('li.item').length === {} || document.getElementById('queue-end').textContent.includes('match')",
                threats.len()
            ),
            "the threat view",
        )
        .await;
        let mut listed = b.ids().await;
        listed.sort();
        threats.sort();
        assert_eq!(listed, threats, "comments listed under threat");
        b.close().await;
    });
}

/// The audit log shows each entry's comment text linked to the comment, who, what and local
/// time; filters by moderator, action and article; shows moderator actions unless asked for
/// automatic events too (#21.13, requirement 7).
#[test]
fn audit_log_shows_text_local_time_filters_and_links() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let seeded = seed(&app);
    let (rockets, politics) = (&seeded[0].0, &seeded[4].0);
    for (token, id, body) in [
        (ALICE, rockets, json!({"decision": "approve"})),
        (
            BOB,
            politics,
            json!({"decision": "reject", "reason": "insult"}),
        ),
    ] {
        let r = app.post_as(
            token,
            &format!("/v1/moderation/comments/{id}/decision"),
            &body,
        );
        assert_eq!(r.status(), 200);
    }
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 4).await;
        b.click("#tab-log").await;
        let rows = "return [...document.querySelectorAll('#log-rows tr')].map(tr => [...tr.cells].map(td => td.textContent))";
        // By default only the two moderator actions, not the seven automatic ones.
        let shown = b
            .wait(
                "const n = document.querySelectorAll('#log-rows tr').length; return n > 0 && n",
                "log rows",
            )
            .await;
        assert_eq!(shown, json!(2), "{}", b.js(rows).await);
        let table: Vec<Vec<String>> = serde_json::from_value(b.js(rows).await).expect("rows");
        // Newest first: bob's rejection, then alice's approval, each with the comment's text.
        assert_eq!(table[0][1], "bob");
        assert_eq!(table[0][2], "reject");
        assert!(
            table[0][3].starts_with("Shut up you stupid moron"),
            "{table:?}"
        );
        assert_eq!(table[0][4], "politics/vote");
        assert_eq!(table[0][6], "insult");
        assert_eq!(table[1][1], "alice");
        assert!(table[1][3].starts_with("You are a worthless"), "{table:?}");
        // Local time in the queue's format, not raw UTC with nanoseconds.
        let times = b.js("return [...document.querySelectorAll('#log-rows time')].map(t => [t.textContent, new Date(t.getAttribute('datetime')).toLocaleString()])").await;
        for pair in times.as_array().expect("times") {
            assert_eq!(pair[0], pair[1], "not the queue's local time format");
            assert!(!pair[0].as_str().unwrap_or("").contains('Z'), "{pair}");
        }
        // Automatic events on request: 7 posted + 2 decided.
        b.click("#l-auto").await;
        b.wait(
            "return document.querySelectorAll('#log-rows tr').length === 9",
            "9 entries with automatic events",
        )
        .await;
        // Article filter (automatic events still shown): the politics comments' entries only.
        b.client
            .find(Locator::Id("l-article"))
            .await
            .expect("article filter")
            .send_keys("politics/vote")
            .await
            .expect("type");
        b.click("#log-filters button[type=submit]").await;
        b.wait("const r = [...document.querySelectorAll('#log-rows tr')]; return r.length === 3 && r.every(tr => tr.cells[4].textContent === 'politics/vote')", "3 politics entries").await;
        // Moderator filter and action filter.
        b.js("document.getElementById('l-article').value = ''; document.getElementById('l-actor').value = 'alice'").await;
        b.click("#log-filters button[type=submit]").await;
        b.wait("const r = [...document.querySelectorAll('#log-rows tr')]; return r.length === 1 && r[0].cells[1].textContent === 'alice'", "alice's entry").await;
        b.js("document.getElementById('l-actor').value = ''").await;
        b.client
            .find(Locator::Id("l-action"))
            .await
            .expect("action filter")
            .select_by_value("auto_held")
            .await
            .expect("pick auto_held");
        b.click("#log-filters button[type=submit]").await;
        b.wait("const r = [...document.querySelectorAll('#log-rows tr')]; return r.length === 6 && r.every(tr => tr.cells[2].textContent === 'auto held')", "6 auto held entries").await;
        check_accessibility(&b.client).await;
        // The comment cell links to the comment: its text and history.
        b.click(&format!("#log-rows a[href='#comment/{politics}']"))
            .await;
        let text = b.wait("const v = document.getElementById('comment-view'); return !v.hidden && v.querySelector('table') && v.textContent", "the comment view").await;
        let text = text.as_str().unwrap_or("");
        assert!(text.contains("Shut up you stupid moron"), "{text}");
        assert!(text.contains("bob") && text.contains("rejected"), "{text}");
        check_accessibility(&b.client).await;
        b.close().await;
    });
}

/// New held comments show up while the page is open: "2 new" within a few seconds, inserted at
/// the top on request, with the waiting count right (#21.11, requirement 3).
#[test]
fn new_held_comments_appear_without_a_reload() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        b.wait(
            "return document.getElementById('waiting').textContent === '6 waiting'",
            "6 waiting",
        )
        .await;
        let before = b.ids().await;
        // Two comments get held while the page is open (a clean one is published, not new here).
        let http = reqwest::Client::new();
        let mut posted = Vec::new();
        for (author, body) in [
            (
                "late1",
                "You are a disgusting idiot and a worthless piece of shit",
            ),
            (
                "late2",
                "Someone should shoot him in the head, kill the bastard",
            ),
            ("late3", common::CLEAN),
        ] {
            let v: Value = http
                .post(format!("{}/v1/comments", b.base))
                .json(&json!({"article_id": "world/rockets", "author": author, "body": body}))
                .send()
                .await
                .expect("post")
                .json()
                .await
                .expect("json");
            if v["status"] == "held" {
                posted.push(v["id"].as_str().expect("id").to_string());
            }
        }
        assert_eq!(posted.len(), 2, "both abusive comments must be held");
        let started = std::time::Instant::now();
        let shown = b
            .wait(
                "const n = document.getElementById('new-items'); return !n.hidden && n.textContent",
                "the new-comments button",
            )
            .await;
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "took {:?}",
            started.elapsed()
        );
        assert!(shown.as_str().unwrap_or("").starts_with("2 new"), "{shown}");
        // Nothing moves under the moderator's hands: the list is unchanged until asked.
        assert_eq!(b.ids().await, before);
        b.wait(
            "return document.getElementById('waiting').textContent === '8 waiting'",
            "8 waiting",
        )
        .await;
        check_accessibility(&b.client).await;
        b.click("#new-items").await;
        b.wait(
            "return document.querySelectorAll('li.item').length === 8",
            "8 listed comments",
        )
        .await;
        let ids = b.ids().await;
        let mut top: Vec<String> = ids[..2].to_vec();
        top.sort();
        let mut expected = posted.clone();
        expected.sort();
        assert_eq!(top, expected, "the new comments go on top");
        assert_eq!(ids[2..].to_vec(), before, "the rest stays as it was");
        assert_eq!(
            b.js("return document.getElementById('new-items').hidden")
                .await,
            json!(true)
        );
        // Acting on one counts down; no stale "new" comes back after the next polls.
        b.click(&format!("{} button.approve", card(&ids[0]))).await;
        wait_for_status(&b.base, &ids[0], "published").await;
        b.wait(
            "return document.getElementById('waiting').textContent === '7 waiting'",
            "7 waiting",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(4500)).await;
        assert_eq!(
            b.js("return document.getElementById('new-items').hidden")
                .await,
            json!(true),
            "a comment already shown was reported as new"
        );
        b.close().await;
    });
}

/// `?` opens a help listing every shortcut, Esc closes it, and keys do not act on the queue
/// behind it; number keys still pick the reason (requirement 8).
#[test]
fn question_mark_lists_the_shortcuts() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 6).await;
        b.click("h1").await;
        b.press('?').await;
        let text = b
            .wait(
                "const d = document.getElementById('help'); return d && d.open && d.textContent",
                "the keyboard help",
            )
            .await;
        let text = text.as_str().unwrap_or("");
        for needle in [
            "next comment",
            "previous comment",
            "approve",
            "reject",
            "1reason: insult",
            "5reason: incitement",
            "8reason: other",
            "select",
            "undo",
        ] {
            assert!(text.contains(needle), "help lacks {needle:?}: {text}");
        }
        check_accessibility(&b.client).await;
        // Keys go to the help, not to the queue behind it.
        b.press('a').await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            b.ids().await.len(),
            6,
            "a approved a comment behind the help"
        );
        b.press('\u{E00C}').await; // Escape
        b.wait(
            "return !document.getElementById('help').open",
            "help closed",
        )
        .await;
        // Number keys pick the reason on the focused comment.
        let id = b.ids().await[0].clone();
        b.click(&format!("{} p.body", card(&id))).await;
        b.press('7').await;
        assert_eq!(
            b.js(&format!(
                "return document.getElementById('reason-{id}').value"
            ))
            .await,
            json!("off_topic")
        );
        b.close().await;
    });
}

/// The page runs under its Content-Security-Policy: its own script and style work, while an
/// inline event handler injected into the page does not run (requirement 9).
#[test]
fn page_runs_under_its_content_security_policy() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    seed(&app);
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        // Signing in and listing comments needs the page's script; the sticky header its style.
        b.sign_in(ALICE, 6).await;
        assert_eq!(
            b.js("return getComputedStyle(document.querySelector('header')).position")
                .await,
            json!("sticky")
        );
        // What an injected comment body with markup would try, if text ever reached innerHTML.
        b.js("const i = document.createElement('img'); i.setAttribute('onerror', 'window.__injected = 1'); i.src = '/no-such-image'; document.body.append(i);").await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(
            b.js("return window.__injected === undefined").await,
            json!(true),
            "an injected inline handler ran"
        );
        b.close().await;
    });
}

/// Readers' reports (#21, requirement 2): the Reported tab lists a comment readers reported
/// back into the queue with its count and reasons, learns of a newly reported comment without a
/// reload, and approving the comment resolves its reports, as the audit log shows.
#[test]
fn reported_queue_shows_counts_and_reasons_and_approving_resolves_them() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let seeded = seed(&app);
    let clean = app.must_comment("world/rockets", common::CLEAN);
    assert_eq!(clean["status"], "published", "{clean}");
    let clean = clean["id"].as_str().expect("id").to_string();
    for (who, reason) in [("r1", "abuse"), ("r2", "abuse"), ("r3", "spam")] {
        let (status, v) = app.report(&clean, &json!({"reason": reason, "reporter_id": who}));
        assert_eq!(status, 201, "{v}");
    }
    assert_eq!(
        detail(&app, &clean)["status"],
        "held",
        "three readers re-queue it"
    );
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 7).await;
        b.wait(
            "return document.getElementById('tab-reported').textContent.trim() === 'Reported (1)'",
            "the reported count on its tab",
        )
        .await;
        b.click("#tab-reported").await;
        b.wait(
            "return document.getElementById('tab-reported').getAttribute('aria-pressed') === 'true' && document.querySelectorAll('li.item').length === 1",
            "the reported queue",
        )
        .await;
        assert_eq!(b.ids().await, vec![clean.clone()]);
        let shown = b
            .js(&format!(
                "return document.querySelector(\"{} .reports\").textContent",
                card(&clean)
            ))
            .await;
        let shown = shown.as_str().unwrap_or("");
        assert!(
            shown.contains("Reported 3 times by 3 readers: abuse 2, spam 1"),
            "{shown}"
        );
        // Nothing crossed a bar, so the reject reason follows the readers: a kind of abuse.
        let reason = b
            .js(&format!(
                "return document.getElementById('reason-{clean}').value"
            ))
            .await;
        assert!(
            ["insult", "obscene", "threat", "identity_attack"]
                .iter()
                .any(|k| reason == json!(k)),
            "{reason}"
        );
        check_accessibility(&b.client).await;
        // A reader reports another comment while the page is open: the queue says so.
        let r = reqwest::Client::new()
            .post(format!("{}/v1/comments/{}/reports", b.base, seeded[0].0))
            .json(&json!({"reason": "incitement"}))
            .send()
            .await
            .expect("report");
        assert_eq!(r.status(), 201);
        let news = b
            .wait(
                "const n = document.getElementById('new-items'); return !n.hidden && n.textContent",
                "the newly reported comment",
            )
            .await;
        assert!(news.as_str().unwrap_or("").starts_with("1 new"), "{news}");
        b.click(&format!("{} button.approve", card(&clean))).await;
        assert!(!b.ids().await.contains(&clean));
        wait_for_status(&b.base, &clean, "published").await;
        b.wait(
            "return document.getElementById('tab-reported').textContent.trim() === 'Reported (1)'",
            "the count after approving (the other reported comment is left)",
        )
        .await;
        // The audit log shows the approval resolving the three reports.
        b.click("#tab-log").await;
        let row = b
            .wait(
                "const r = [...document.querySelectorAll('#log-rows tr')].find(tr => tr.cells[2].textContent.startsWith('approve')); return r ? r.cells[2].textContent : false",
                "the approval in the log",
            )
            .await;
        assert_eq!(row, json!("approve · resolved 3 reports"));
        b.close().await;
    });
    let d = detail(&app, &clean);
    let reports = d["report_history"].as_array().expect("reports");
    assert_eq!(reports.len(), 3);
    for r in reports {
        assert_eq!(r["resolution"], "dismissed", "{d}");
        assert_eq!(r["resolved_by"], "alice");
    }
    assert_eq!(d["decisions"][0]["decision"], "approve");
}

/// A comment's article is a link named by its headline, and a reply shows the comment it
/// answers above its own text (#21, requirement 4; bug 12's "a reply is shown without its
/// parent").
#[test]
fn cards_link_to_the_article_and_show_the_parent_of_a_reply() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let url = "https://news.example/2026/11/rocket-fire";
    let (status, parent) = app.post_comment(&json!({
        "article_id": "world/rockets", "author": "Calm Reader", "body": common::CLEAN,
        "article_url": url, "article_title": "Rocket fire over the border"
    }));
    assert_eq!((status, &parent["status"]), (201, &json!("published")));
    let (status, reply) = app.post_comment(&json!({
        "article_id": "world/rockets", "author": "Angry", "body": HELD_TEXTS[0].1,
        "parent_id": parent["id"]
    }));
    assert_eq!((status, &reply["status"]), (201, &json!("held")), "{reply}");
    let reply = reply["id"].as_str().expect("id").to_string();
    // Another article that nobody described: its card names the article id, without a link.
    seed_texts(&app, &HELD_TEXTS[4..5]);
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 2).await;
        let link = b
            .js(&format!(
                "const a = document.querySelector(\"{} a.article-link\"); \
                 return a && [a.href, a.textContent, a.target, a.rel, a.closest('.meta').textContent]",
                card(&reply)
            ))
            .await;
        assert_eq!(link[0], json!(url));
        assert_eq!(link[1], json!("Rocket fire over the border"));
        assert_eq!(link[2], json!("_blank"));
        assert_eq!(link[3], json!("noopener noreferrer"));
        assert!(
            link[4].as_str().unwrap_or("").contains("(world/rockets)"),
            "{link}"
        );
        // The parent comes before the reply's own text.
        let parent_shown = b
            .js(&format!(
                "const li = document.querySelector(\"{}\"); const p = li.querySelector('.parent'); \
                 return p && [p.textContent, !!(p.compareDocumentPosition(li.querySelector('p.body')) & Node.DOCUMENT_POSITION_FOLLOWING)]",
                card(&reply)
            ))
            .await;
        let text = parent_shown[0].as_str().unwrap_or("");
        assert!(
            text.contains("In reply to Calm Reader (published)") && text.contains(common::CLEAN),
            "{parent_shown}"
        );
        assert_eq!(parent_shown[1], json!(true), "parent not above the reply");
        let other = b
            .js("const li = [...document.querySelectorAll('li.item')].find(li => li.textContent.includes('politics/vote')); \
                 return li && [!!li.querySelector('a.article-link'), !!li.querySelector('.parent')]")
            .await;
        assert_eq!(other, json!([false, false]));
        check_accessibility(&b.client).await;
        // The same context on the comment's own page.
        b.js(&format!("location.hash = '#comment/{reply}'")).await;
        let shown = b
            .wait(
                "const v = document.getElementById('comment-view'); \
                 return !v.hidden && v.querySelector('.parent') && v.querySelector('a.article-link') && v.textContent",
                "the reply's own page with its parent",
            )
            .await;
        assert!(
            shown.as_str().unwrap_or("").contains(common::CLEAN),
            "{shown}"
        );
        // Long article ids, titles and parents wrap at 375 px.
        b.js("location.hash = ''").await;
        b.click("#tab-queue").await;
        b.client.set_window_size(375, 812).await.expect("resize");
        let width = b.js("return document.documentElement.scrollWidth").await;
        assert!(
            width.as_u64().unwrap_or(9999) <= 375,
            "page overflows at 375 px: {width}"
        );
        b.close().await;
    });
}

/// The author panel (#21, requirements 4 and 5): opened from a card's author name, it shows the
/// author's latest comments and counts; a moderator suspends the author with a reason, which
/// the log records and which holds the author's next comment with the reason on its card; then
/// lifts it. Comments without a platform author id have no panel.
#[test]
fn author_panel_lists_comments_and_suspends_and_reinstates_the_author() {
    if !browser_available() {
        return;
    }
    let app = harness::app();
    let by_dana = |body: &str| {
        let (status, v) = app.post_comment(&json!({
            "article_id": "world/rockets", "author": "Dana", "author_id": "user-4711", "body": body
        }));
        assert_eq!(status, 201, "{v}");
        v
    };
    assert_eq!(by_dana(common::CLEAN)["status"], "published");
    let first = by_dana(HELD_TEXTS[0].1);
    assert_eq!(first["status"], "held");
    by_dana(HELD_TEXTS[1].1);
    seed_texts(&app, &HELD_TEXTS[4..5]);
    let first = first["id"].as_str().expect("id").to_string();
    harness::run(async {
        let b = Browser::open(&app, 1280, 1000).await;
        b.sign_in(ALICE, 3).await;
        // Only comments with an author id have a panel to open.
        let buttons = b
            .js("return [...document.querySelectorAll('li.item')].map(li => !!li.querySelector('button.author-link'))")
            .await;
        assert_eq!(
            buttons
                .as_array()
                .expect("list")
                .iter()
                .filter(|x| **x == json!(true))
                .count(),
            2
        );
        b.click(&format!("{} button.author-link", card(&first)))
            .await;
        let summary = b
            .wait(
                "const d = document.getElementById('author'); const c = d.querySelector('.author-counts'); \
                 return d.open && c && d.querySelector('#author-summary').textContent",
                "the author panel",
            )
            .await;
        let summary = summary.as_str().unwrap_or("");
        assert!(
            summary.contains("user-4711")
                && summary.contains("Active")
                && summary.contains("3 comments: 1 published, 2 held, 0 rejected"),
            "{summary}"
        );
        assert_eq!(
            b.js("return document.getElementById('author-h').textContent")
                .await,
            json!("Author Dana")
        );
        assert_eq!(
            b.js("return document.querySelectorAll('#author-recent li').length")
                .await,
            json!(3)
        );
        assert_eq!(
            b.js("return document.getElementById('author-lift').hidden")
                .await,
            json!(true)
        );
        check_accessibility(&b.client).await;
        // Keys belong to the panel while it is open: `a` approves nothing behind it.
        b.press('a').await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(b.ids().await.len(), 3);

        // A suspension needs a reason.
        b.click("#author-suspend").await;
        let error = b
            .wait(
                "return document.getElementById('author-error').textContent",
                "the missing reason",
            )
            .await;
        assert!(error.as_str().unwrap_or("").contains("reason"), "{error}");
        b.client
            .find(Locator::Id("author-reason"))
            .await
            .expect("reason field")
            .send_keys("cooling off after a flame war")
            .await
            .expect("type");
        b.client
            .find(Locator::Id("author-duration"))
            .await
            .expect("duration")
            .select_by_value("604800")
            .await
            .expect("pick 7 days");
        b.click("#author-suspend").await;
        let standing = b
            .wait(
                "const s = document.querySelector('#author-summary .standing.suspended'); return s && s.textContent",
                "the suspension in the panel",
            )
            .await;
        assert!(
            standing
                .as_str()
                .unwrap_or("")
                .contains("by alice: cooling off after a flame war"),
            "{standing}"
        );
        b.wait(
            "return !document.getElementById('author-lift').hidden && document.querySelectorAll('#author-actions tr').length === 1",
            "the lift button and the action in the panel's history",
        )
        .await;
        save_screenshot(&b.client, "moderate-author.png").await;
        check_accessibility(&b.client).await;
        b.click("#author-close").await;
        b.wait(
            "return !document.getElementById('author').open",
            "the panel closed",
        )
        .await;

        // The author's next comment waits in the queue with the reason on its card.
        let r = reqwest::Client::new()
            .post(format!("{}/v1/comments", b.base))
            .json(&json!({"article_id": "world/rockets", "author": "Dana",
                "author_id": "user-4711", "body": common::CLEAN}))
            .send()
            .await
            .expect("post");
        let posted: Value = r.json().await.expect("json");
        assert_eq!(posted["status"], "held", "{posted}");
        let new_id = posted["id"].as_str().expect("id").to_string();
        b.wait(
            "const n = document.getElementById('new-items'); return !n.hidden && n.textContent.startsWith('1 new')",
            "the held comment announced",
        )
        .await;
        b.click("#new-items").await;
        let badge = b
            .wait(
                &format!(
                    "const s = document.querySelector(\"{} .status-reason\"); return s && [s.textContent, s.dataset.reason]",
                    card(&new_id)
                ),
                "the reason on the card",
            )
            .await;
        assert_eq!(badge, json!(["author suspended", "author_suspended"]));

        // The audit log lists the suspension by alice, with the reason and its end.
        b.click("#tab-log").await;
        let row = b
            .wait(
                "const r = [...document.querySelectorAll('#log-rows tr')].find(tr => tr.cells[2].textContent === 'suspend author'); \
                 return r && [...r.cells].map(td => td.textContent)",
                "the suspension in the log",
            )
            .await;
        assert_eq!(row[1], json!("alice"));
        assert!(row[3].as_str().unwrap_or("").contains("user-4711"), "{row}");
        assert!(row[5].as_str().unwrap_or("").starts_with("until "), "{row}");
        assert_eq!(row[6], json!("cooling off after a flame war"));
        check_accessibility(&b.client).await;

        // Lift it from the panel, opened from the log.
        b.click("#log-rows button.author-link").await;
        b.wait(
            "return document.getElementById('author').open && !document.getElementById('author-lift').hidden",
            "the panel with the lift button",
        )
        .await;
        b.client
            .find(Locator::Id("author-reason"))
            .await
            .expect("reason field")
            .send_keys("apologised")
            .await
            .expect("type");
        b.click("#author-lift").await;
        b.wait(
            "const s = document.querySelector('#author-summary .standing'); return s && s.classList.contains('active') && document.getElementById('author-lift').hidden",
            "the author active again",
        )
        .await;
        b.close().await;
    });
    let panel: Value = app.author("user-4711").json().expect("panel");
    assert_eq!(panel["status"], "active");
    let actions: Vec<(&str, &str, &str)> = panel["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| {
            (
                a["actor"].as_str().unwrap_or(""),
                a["action"].as_str().unwrap_or(""),
                a["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("alice", "lift_author", "apologised"),
            ("alice", "suspend_author", "cooling off after a flame war")
        ]
    );
    assert_eq!(
        app.comment_by("user-4711", "world/rockets", common::CLEAN)["status"],
        "published"
    );
}
