//! Built-in training sentences, written for talkback and not taken from any dataset, for
//! things the labelled data teaches badly.
//!
//! Identity-term bias: abusive training comments mention groups (`muslims`, `gay`, `black`)
//! far more often than clean ones, so a bag-of-n-grams model learns the group words themselves
//! as abuse and flags "Gay people deserve equal rights." (Dixon et al., 2018, "Measuring and
//! Mitigating Unintended Bias in Text Classification"). [`identity_templates`] put group words
//! in neutral and friendly contexts with every label 0, so the evidence has to come from what
//! is said about a group.
//!
//! Calls for violence, which the sources rarely phrase as newsroom readers do:
//! [`violence_templates`] (imperatives and calls on others), [`person_templates`] (wishes of
//! harm and threats against one person) and [`group_templates`] (contempt for and calls for
//! violence against a group), each with harmless sentences of the same shapes.
//!
//! Plain hate in ordinary words, which the model read poorly: [`stereotype_templates`]
//! (stereotypes asserted, denied, condemned and endorsed) and [`contempt_templates`] (contempt
//! in the first person, questions, exclusion, dehumanising comparisons, one person blamed on a
//! group, a people beside its government); [`negation_templates`] (violence called for beside
//! the same violence refused, and violent words in everyday senses); [`warning_templates`]
//! (threats as a condition or a verdict, contempt as a preference); and [`variant_templates`],
//! misspelt copies of both classes so spelling is evidence of neither.
//!
//! [`plain_templates`]: hate, threats and calls for violence written one sentence at a time in
//! readers' own forms rather than frames times fillers, each beside a harmless twin that keeps
//! most of its words.
//!
//! [`collective_templates`]: plain hate about a whole group and calls for violence against one,
//! with many verbs, addressees and forms, each beside a harmless twin.
//!
//! [`coded_templates`]: coded and indirect hate (replacement talk, code names for a group,
//! "race realism", sarcasm, euphemism, supremacist pride, blame passed off as statistics),
//! each beside a twin that reports, condemns or argues the same topic without attacking anyone.
//!
//! [`late_variant_templates`]: one misspelt copy of every hand-written sentence above.
//!
//! [`insult_templates`]: name-calling and contempt aimed at one person (another commenter, the
//! writer, a politician, a referee, a neighbour), which the sources label mostly in other
//! shapes, each beside a twin that criticises what the person did or praises them instead.
//!
//! None of these sentences comes from the check lists in `tests/checks/` or from a public
//! functional test suite: those measure what training has not seen.

mod coded;
mod collective;
mod contempt;
mod groups;
mod identity;
mod insults;
mod negation;
mod person;
mod plain;
mod stereotypes;
mod variants;
mod violence;
mod warnings;

use super::dataset::{Row, Split};
use crate::domain::Label;
use coded::coded_templates;
use collective::collective_templates;
use contempt::contempt_templates;
use groups::group_templates;
use identity::identity_templates;
use insults::insult_templates;
use negation::negation_templates;
use person::person_templates;
use plain::plain_templates;
use stereotypes::stereotype_templates;
use variants::{late_variant_templates, variant_templates};
use violence::violence_templates;
use warnings::warning_templates;

/// The `source` of the counter-example rows.
pub const SOURCE: &str = "templates";

/// Every built-in row: identity counter-examples, calls for violence, threats against a
/// person, statements about groups, stereotypes, contempt, violence refused, each kind with
/// its harmless look-alikes, misspelt copies of some of all of them, then the hand-written
/// sentences (plain, collective, coded) and one misspelt copy of each. New kinds go last so
/// the ids and texts of the earlier ones, copies included, stay stable: cached encoder vectors
/// are keyed by id.
pub fn templates() -> Vec<Row> {
    let mut rows = identity_templates();
    rows.extend(violence_templates());
    rows.extend(person_templates());
    rows.extend(group_templates());
    rows.extend(stereotype_templates());
    rows.extend(contempt_templates());
    rows.extend(negation_templates());
    rows.extend(warning_templates());
    let variants = variant_templates(&rows);
    rows.extend(variants);
    let late_start = rows.len();
    rows.extend(plain_templates());
    rows.extend(collective_templates());
    rows.extend(coded_templates());
    let (early, late) = rows.split_at(late_start);
    let late_variants = late_variant_templates(late, early);
    rows.extend(late_variants);
    // After the late copies, so no earlier id moves; insults get no misspelt copies.
    rows.extend(insult_templates());
    rows
}

/// Fillings per sentence that names a group or a person: enough to keep the name from
/// deciding, few enough that the sentence is not a frame.
const FILLINGS: usize = 2;

/// Each `(harmful, harmless)` twin as its two rows, [`FILLINGS`] times when the harmful
/// sentence has a placeholder (the same filling on both sides) and once otherwise;
/// `fill(text, i, k)` writes the `k`th filling of the `i`th twin.
fn twin_rows(
    list: &'static [(&'static str, &'static str)],
    harmful: [Option<bool>; 6],
    fill: impl Fn(&str, usize, usize) -> String + Copy,
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    list.iter().enumerate().flat_map(move |(i, &(harm, twin))| {
        let fillings = if harm.contains('{') { FILLINGS } else { 1 };
        (0..fillings).flat_map(move |k| {
            [
                (fill(harm, i, k), harmful),
                (fill(twin, i, k), [Some(false); 6]),
            ]
        })
    })
}

/// Labels given as true or false; the others unlabelled.
fn labelled(known: &[(Label, bool)]) -> [Option<bool>; 6] {
    let mut labels = [None; 6];
    for &(label, value) in known {
        labels[label.index()] = Some(value);
    }
    labels
}

/// Built-in rows numbered in order under `id_prefix` (source `templates`, split train).
fn template_rows(
    id_prefix: &str,
    rows: impl Iterator<Item = (String, [Option<bool>; 6])>,
) -> Vec<Row> {
    rows.enumerate()
        .map(|(i, (text, labels))| Row {
            id: format!("{id_prefix}{i}"),
            source: SOURCE.into(),
            split: Some(Split::Train),
            text,
            labels,
            weight: 1.0,
        })
        .collect()
}

/// Sentence-initial capital, as people write.
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::violence::{
        DESERVED_GOOD, DESERVED_HARMS, DESERVING, HARMLESS_ACTS, HARMLESS_USES, VIOLENT_ACTS,
    };
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn violence_rows_are_distinct_calls_labelled_incitement_and_threat_then_harmless_uses() {
        let rows = violence_templates();
        let texts: HashSet<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts.len(), rows.len(), "no sentence twice");
        let calls: Vec<&Row> = rows
            .iter()
            .filter(|r| r.labels[Label::Incitement.index()] == Some(true))
            .collect();
        assert_eq!(
            calls.len(),
            VIOLENT_ACTS.len() * 4 + DESERVED_HARMS.len() * DESERVING.len()
        );
        for r in &calls {
            assert_eq!(r.labels[Label::Threat.index()], Some(true), "{}", r.text);
            assert_eq!(r.labels[Label::Abuse.index()], None, "{}", r.text);
            assert!(!r.text.contains("{}") && r.text.starts_with(char::is_uppercase));
        }
        assert_eq!(
            rows.len() - calls.len(),
            HARMLESS_ACTS.len() * 4 + DESERVED_GOOD.len() * DESERVING.len() + HARMLESS_USES.len()
        );
        assert!(
            rows.iter()
                .filter(|r| r.labels[Label::Incitement.index()] == Some(false))
                .all(|r| r.labels == [Some(false); 6])
        );
        assert!(!texts.contains("Someone should shoot him."));
    }

    /// Each harmful kind comes with at least as many harmless sentences of the same shapes, so
    /// a frame, a target or a group name is never evidence by itself.
    #[test]
    fn person_and_group_rows_balance_harm_with_look_alikes() {
        for (kind, rows) in [
            ("person", person_templates()),
            ("groups", group_templates()),
            ("warnings", warning_templates()),
            ("plain", plain_templates()),
            ("collective", collective_templates()),
            ("coded", coded_templates()),
            ("insults", insult_templates()),
        ] {
            let harmful = rows
                .iter()
                .filter(|r| r.labels.contains(&Some(true)))
                .count();
            let harmless = rows.iter().filter(|r| r.labels == [Some(false); 6]).count();
            assert_eq!(harmful + harmless, rows.len(), "{kind}");
            assert!(
                harmful >= 100 && harmless >= harmful,
                "{kind}: {harmful} / {harmless}"
            );
        }
        let threats = person_templates();
        let wish = threats
            .iter()
            .find(|r| r.text.starts_with("I hope ") && r.text.contains("stabbed"))
            .expect("a wish of harm");
        assert_eq!(wish.labels[Label::Incitement.index()], Some(true));
        assert_eq!(wish.labels[Label::Abuse.index()], None);
    }

    /// Every sentence written once, every placeholder filled, capitalised as people write.
    fn assert_distinct_and_filled(rows: &[Row]) {
        let texts: HashSet<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts.len(), rows.len(), "no sentence twice");
        for r in rows {
            assert!(
                !r.text.contains(['{', '}']) && r.text.starts_with(char::is_uppercase),
                "{}",
                r.text
            );
        }
    }

    /// The labels of the row with this text.
    fn labels_of(rows: &[Row], text: &str) -> [Option<bool>; 6] {
        rows.iter()
            .find(|r| r.text == text)
            .map(|r| r.labels)
            .expect(text)
    }

    /// Plain rows: written once each (no frame repeated), every sentence distinct and
    /// capitalised, and labelled by what it does: hate is identity attack without incitement,
    /// a threat is incitement and threat, a call against a group is all of abuse, incitement,
    /// threat and identity attack, and a twin is harmless.
    #[test]
    fn plain_rows_are_distinct_and_labelled_by_kind() {
        let rows = plain_templates();
        assert_distinct_and_filled(&rows);
        let is = |r: &Row, l: Label| r.labels[l.index()] == Some(true);
        let hate: Vec<&Row> = rows
            .iter()
            .filter(|r| is(r, Label::IdentityAttack) && !is(r, Label::Incitement))
            .collect();
        let threats: Vec<&Row> = rows
            .iter()
            .filter(|r| is(r, Label::Threat) && !is(r, Label::IdentityAttack))
            .collect();
        let calls: Vec<&Row> = rows
            .iter()
            .filter(|r| is(r, Label::Incitement) && is(r, Label::IdentityAttack))
            .collect();
        let harmless = rows.iter().filter(|r| r.labels == [Some(false); 6]).count();
        assert_eq!(
            hate.len() + threats.len() + calls.len() + harmless,
            rows.len()
        );
        assert!(hate.len() >= 150 && threats.len() >= 80 && calls.len() >= 50);
        assert!(
            hate.iter()
                .all(|r| is(r, Label::Abuse) && !is(r, Label::Threat))
        );
        assert!(threats.iter().all(|r| is(r, Label::Incitement)));
        assert_eq!(
            labels_of(&rows, "Faggots are disgusting.")[Label::Insult.index()],
            Some(true)
        );
        assert_eq!(
            labels_of(&rows, "As a queer woman, I use the word queer with pride."),
            [Some(false); 6]
        );
        assert_eq!(
            labels_of(&rows, "I will hunt you down.")[Label::Threat.index()],
            Some(true)
        );
        assert_eq!(labels_of(&rows, "I will vote you down."), [Some(false); 6]);
    }

    /// Collective rows: distinct, capitalised, and either hate (abuse and identity attack, no
    /// incitement), a call against a group (abuse, incitement, threat, identity attack) or a
    /// harmless twin.
    #[test]
    fn collective_rows_are_distinct_hate_or_calls_or_harmless() {
        let rows = collective_templates();
        assert_distinct_and_filled(&rows);
        let is = |r: &Row, l: Label| r.labels[l.index()] == Some(true);
        let (mut hate, mut calls, mut harmless) = (0, 0, 0);
        for r in &rows {
            if r.labels == [Some(false); 6] {
                harmless += 1;
            } else if is(r, Label::Incitement) {
                assert!(
                    is(r, Label::Threat) && is(r, Label::IdentityAttack) && is(r, Label::Abuse),
                    "{}",
                    r.text
                );
                calls += 1;
            } else {
                assert!(
                    is(r, Label::IdentityAttack) && is(r, Label::Abuse) && !is(r, Label::Threat),
                    "{}",
                    r.text
                );
                hate += 1;
            }
        }
        assert!(hate >= 150 && calls >= 120, "{hate} / {calls}");
        assert_eq!(harmless, hate + calls);
        assert_eq!(
            labels_of(&rows, "Gays are perverts, the lot of them.")[Label::Insult.index()],
            Some(true)
        );
        assert_eq!(
            labels_of(&rows, "The navy should sink the refugee boats.")[Label::Incitement.index()],
            Some(true)
        );
        assert_eq!(
            labels_of(&rows, "The navy should rescue the refugee boats."),
            [Some(false); 6]
        );
    }

    /// Coded rows: distinct, capitalised, and either hate (abuse and identity attack, no
    /// incitement or threat) or a harmless twin, at least as many twins as hate.
    #[test]
    fn coded_rows_are_distinct_hate_or_harmless() {
        let rows = coded_templates();
        assert_distinct_and_filled(&rows);
        assert!(rows.iter().all(|r| r.id.starts_with("templates:coded:")));
        let is = |r: &Row, l: Label| r.labels[l.index()] == Some(true);
        let (mut hate, mut harmless) = (0, 0);
        for r in &rows {
            if r.labels == [Some(false); 6] {
                harmless += 1;
            } else {
                assert!(
                    is(r, Label::Abuse)
                        && is(r, Label::IdentityAttack)
                        && r.labels[Label::Incitement.index()] == Some(false)
                        && r.labels[Label::Threat.index()] == Some(false),
                    "{}",
                    r.text
                );
                hate += 1;
            }
        }
        assert!(hate >= 220 && harmless >= hate, "{hate} / {harmless}");
        assert_eq!(
            labels_of(
                &rows,
                "The great replacement isn't a theory, it's the policy."
            ),
            super::stereotypes::hateful(false)
        );
        assert_eq!(
            labels_of(
                &rows,
                "The great replacement is a racist conspiracy theory, not a policy."
            ),
            [Some(false); 6]
        );
    }

    /// The held-out check lists measure what training has not seen: a template that repeats one
    /// of their comments would make them meaningless (tests/checks/README.md).
    #[test]
    fn no_template_repeats_a_check_list_comment() {
        let key = |t: &str| t.trim().trim_end_matches(['.', '!', '?']).to_lowercase();
        let templates: HashSet<String> = templates().iter().map(|r| key(&r.text)).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/checks");
        let mut lists = 0;
        for entry in std::fs::read_dir(&dir).expect("tests/checks") {
            let path = entry.expect("list").path();
            if path.extension().is_some_and(|e| e == "txt") {
                lists += 1;
                let text = std::fs::read_to_string(&path).expect("readable list");
                for line in text.lines() {
                    assert!(
                        !templates.contains(&key(line)),
                        "{} line {line:?} is a template",
                        path.display()
                    );
                }
            }
        }
        assert!(lists >= 13, "found {lists} check lists");
    }

    #[test]
    fn all_templates_have_unique_ids_texts_and_the_template_source() {
        let rows = templates();
        let ids: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), rows.len());
        // A sentence two kinds both write ("… are welcome here.") only counts double;
        // the same sentence with other labels would teach nothing.
        let mut labels_of = std::collections::HashMap::new();
        for r in &rows {
            let first = labels_of.entry(r.text.as_str()).or_insert(r.labels);
            assert_eq!(
                *first, r.labels,
                "{:?} is written with two labellings",
                r.text
            );
        }
        assert!(
            labels_of.len() + 2 >= rows.len(),
            "sentences written more than once"
        );
        for r in &rows {
            // Misspelt copies may start lowercase or with a digit: that is their point.
            let variant = r.id.starts_with("templates:variant");
            assert!(
                !r.text.contains(['{', '}']) && (variant || r.text.starts_with(char::is_uppercase)),
                "{}",
                r.text
            );
        }
        assert!(
            rows.iter()
                .all(|r| r.source == SOURCE && r.split == Some(Split::Train))
        );
    }
}
