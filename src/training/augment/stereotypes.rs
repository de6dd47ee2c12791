//! Plain statements of hate about a group in ordinary words (stereotypes of crime, dirt,
//! disease, stupidity, laziness and disloyalty, comparisons with vermin, claims of inferiority,
//! demands to shut a group out), with the look-alikes of the same shapes: the same frames
//! carrying praise or plain facts, the stereotype denied, and the stereotype condemned. The
//! sources teach hate mostly through slurs, so "After twenty years in this city I can tell you
//! Roma are thieves, all of them." has no word an n-gram model knows as abuse; here every
//! frame, every group and every stereotype appears in both classes, so only what the sentence
//! does with them can tell the classes apart.

use super::{labelled, sentence_case, template_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// Which groups a claim reads naturally about ("… should go back where they came from" is
/// said of migrants and minorities of origin, not of women or disabled people).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Pool {
    /// Nationalities, ethnicities, religions, migrants.
    Origin,
    /// Every group but women.
    Minority,
    /// Every group.
    All,
}

/// A group as readers name it: plural, one person ("a Haredi man"), and whether it is a
/// group of origin (nationality, ethnicity, religion, migration).
pub(super) struct Group {
    pub plural: &'static str,
    pub one: &'static str,
    pub origin: bool,
}

const fn g(plural: &'static str, one: &'static str, origin: bool) -> Group {
    Group {
        plural,
        one,
        origin,
    }
}

/// Groups a news site in Israel, Europe or the US sees discussed under its stories.
pub(super) const GROUPS: &[Group] = &[
    g("Arabs", "an Arab man", true),
    g("Jews", "a Jewish woman", true),
    g("settlers", "a settler", true),
    g("Haredim", "a Haredi man", true),
    g("Ethiopian Israelis", "an Ethiopian Israeli woman", true),
    g("Roma", "a Roma man", true),
    g("Africans", "an African man", true),
    g("Muslims", "a Muslim woman", true),
    g("Christians", "a Christian man", true),
    g("Russians", "a Russian woman", true),
    g("Poles", "a Polish man", true),
    g("Mexicans", "a Mexican man", true),
    g("Asians", "an Asian woman", true),
    g("migrants", "a migrant", true),
    g("refugees", "a refugee", true),
    g("gay people", "a gay man", false),
    g("trans people", "a trans woman", false),
    g("lesbians", "a lesbian", false),
    g("women", "a woman", false),
    g("disabled people", "a disabled man", false),
    g("black people", "a black woman", true),
    g("Palestinians", "a Palestinian man", true),
    g("Israelis", "an Israeli man", true),
    g("Turks", "a Turkish woman", true),
    g("Romanians", "a Romanian man", true),
    g("Chinese people", "a Chinese woman", true),
    g("Hindus", "a Hindu man", true),
    g("Eritreans", "an Eritrean man", true),
    g("Bedouins", "a Bedouin woman", true),
    g("asylum seekers", "an asylum seeker", true),
    g("Ukrainians", "a Ukrainian woman", true),
];

/// The groups a claim can be said of.
pub(super) fn pool(who: Pool) -> Vec<&'static Group> {
    GROUPS
        .iter()
        .filter(|g| match who {
            Pool::Origin => g.origin,
            Pool::Minority => g.plural != "women",
            Pool::All => true,
        })
        .collect()
}

/// One group for position (a, b) by rotation, so a frame meets many groups and the harmful
/// and harmless fillings of the same position name the same group.
pub(super) fn group_at(a: usize, b: usize, who: Pool) -> &'static Group {
    let groups = pool(who);
    groups[(a * 7 + b * 11) % groups.len()]
}

/// A stereotype and, in the same place in the sentence, a claim whose denial is the
/// stereotype's contempt: `(hateful, regard, insulting, pool)`.
pub(super) const CLAIMS: &[(&str, &str, bool, Pool)] = &[
    (
        "are all thieves",
        "are as honest as anyone else",
        true,
        Pool::All,
    ),
    (
        "bring crime to every town they move to",
        "make good neighbours in every town they move to",
        false,
        Pool::Minority,
    ),
    (
        "are dirty people who never wash",
        "keep their homes as clean as anyone",
        true,
        Pool::All,
    ),
    (
        "carry diseases nobody here has seen in decades",
        "are as healthy as anyone else",
        false,
        Pool::Origin,
    ),
    (
        "are too stupid to hold down a proper job",
        "are as clever as anyone else",
        true,
        Pool::All,
    ),
    (
        "are lazy and live on benefits",
        "work as hard as anyone",
        true,
        Pool::All,
    ),
    (
        "will never be loyal to this country",
        "are loyal to this country",
        false,
        Pool::Origin,
    ),
    (
        "are a danger to our children",
        "are safe to have around children",
        false,
        Pool::Minority,
    ),
    (
        "are no better than rats",
        "are human beings like the rest of us",
        true,
        Pool::All,
    ),
    (
        "are like cockroaches, impossible to get rid of",
        "have every right to live here",
        true,
        Pool::Origin,
    ),
    (
        "are parasites on the welfare system",
        "put more into the welfare system than they take",
        true,
        Pool::All,
    ),
    (
        "are an inferior people",
        "are equal to everyone else",
        true,
        Pool::Origin,
    ),
    (
        "are not really human",
        "are as human as you and me",
        true,
        Pool::All,
    ),
    (
        "are a disease spreading through this country",
        "are part of what holds this country together",
        true,
        Pool::All,
    ),
    (
        "can't think for themselves",
        "can think for themselves",
        true,
        Pool::All,
    ),
    (
        "lie as easily as they breathe",
        "are honest people",
        true,
        Pool::All,
    ),
    (
        "are violent by nature",
        "are peaceful people",
        false,
        Pool::Minority,
    ),
    (
        "breed like animals",
        "raise their kids like everyone else",
        true,
        Pool::Origin,
    ),
    (
        "should not be allowed to buy homes here",
        "should be able to buy homes here like anyone",
        false,
        Pool::All,
    ),
    (
        "have no place in our neighbourhood",
        "belong in our neighbourhood",
        false,
        Pool::All,
    ),
    (
        "should be kept in separate schools",
        "should go to school with our kids",
        false,
        Pool::All,
    ),
    (
        "should never be hired for a serious job",
        "should be hired on merit like anyone else",
        false,
        Pool::All,
    ),
    (
        "should be banned from our beaches",
        "have the same right to our beaches as anyone",
        false,
        Pool::Origin,
    ),
    (
        "should go back where they came from",
        "have a right to stay here",
        false,
        Pool::Origin,
    ),
    (
        "are only good for cleaning floors",
        "can do any job as well as anyone",
        true,
        Pool::All,
    ),
    (
        "are a fifth column",
        "are good citizens",
        false,
        Pool::Origin,
    ),
    (
        "should not be allowed to marry our daughters",
        "make good husbands and wives like anyone else",
        false,
        Pool::Origin,
    ),
    (
        "cheat everyone they do business with",
        "are as fair in business as anyone",
        false,
        Pool::All,
    ),
];

/// Frames that assert what follows: hateful with a stereotype, harmless with regard.
pub(super) const ASSERTIONS: &[&str] = &[
    "{g} {p}.",
    "Let's face it, {g} {p}.",
    "Not being funny, but {g} {p}.",
    "After twenty years in this city I can tell you {g} {p}.",
    "Whatever the papers say, {g} {p}.",
];

/// Frames that deny what follows: harmless with a stereotype, hateful with regard ("The idea
/// that Roma work as hard as anyone is a myth.").
pub(super) const DENIALS: &[&str] = &[
    "It is not true that {g} {p}.",
    "Don't believe anyone who tells you {g} {p}.",
    "The idea that {g} {p} is a myth.",
];

/// The same stereotype condemned and endorsed, in one shape: `(harmless, hateful)`.
pub(super) const VERDICTS: &[(&str, &str)] = &[
    (
        "Saying {g} {p} is hate, plain and simple.",
        "Saying {g} {p} isn't hate, it's just the truth.",
    ),
    (
        "The candidate was thrown off the list for claiming {g} {p}.",
        "The candidate was thrown off the list just for saying {g} {p}, which everyone knows is true.",
    ),
    (
        "I was raised to believe {g} {p}; it took me years to see how wrong that was.",
        "I was raised to believe {g} {p}, and everything I've seen since proves it.",
    ),
];

fn fill(frame: &str, group: &Group, claim: &str) -> String {
    sentence_case(&frame.replace("{g}", group.plural).replace("{p}", claim))
}

/// Labels of a hateful statement about a group: abuse and identity attack, no call to
/// violence, no threat, nothing obscene; insult where the claim names the group as vermin,
/// thieves or fools.
pub(super) fn hateful(insulting: bool) -> [Option<bool>; 6] {
    let mut labels = labelled(&[
        (Label::Abuse, true),
        (Label::IdentityAttack, true),
        (Label::Incitement, false),
        (Label::Threat, false),
        (Label::Obscene, false),
    ]);
    if insulting {
        labels[Label::Insult.index()] = Some(true);
    }
    labels
}

/// Each frame with each claim, the group chosen by rotation: `side_is_hate` picks which side
/// of each claim is said, `hateful_here` whether saying it in these frames is hate.
fn sentences(
    frames: &'static [&'static str],
    offset: usize,
    side_is_hate: bool,
    hateful_here: bool,
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    frames.iter().enumerate().flat_map(move |(f, frame)| {
        CLAIMS
            .iter()
            .enumerate()
            .map(move |(c, &(hate, regard, insulting, who))| {
                let group = group_at(f + offset, c, who);
                let claim = if side_is_hate { hate } else { regard };
                let labels = if hateful_here {
                    hateful(insulting)
                } else {
                    [Some(false); 6]
                };
                (fill(frame, group, claim), labels)
            })
    })
}

/// Each verdict pair with each stereotype: the condemnation (harmless) and the endorsement
/// (hateful) name the same group.
fn verdicts() -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    VERDICTS
        .iter()
        .enumerate()
        .flat_map(|(v, &(condemn, endorse))| {
            CLAIMS
                .iter()
                .enumerate()
                .flat_map(move |(c, &(hate, _, insulting, who))| {
                    let group = group_at(v + 3, c, who);
                    [
                        (fill(endorse, group, hate), hateful(insulting)),
                        (fill(condemn, group, hate), [Some(false); 6]),
                    ]
                })
        })
}

/// Stereotypes asserted, regard denied and stereotypes endorsed (hateful); regard asserted,
/// stereotypes denied and stereotypes condemned (every label 0).
pub(super) fn stereotype_templates() -> Vec<Row> {
    template_rows(
        "templates:stereotypes:",
        sentences(ASSERTIONS, 0, true, true)
            .chain(sentences(ASSERTIONS, 0, false, false))
            .chain(sentences(DENIALS, 5, false, true))
            .chain(sentences(DENIALS, 5, true, false))
            .chain(verdicts()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Whether `text` names `group` as whole words ("migrants" is not in "immigrants").
    fn names(text: &str, group: &str) -> bool {
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        let (text, group) = (words(text), words(group));
        text.windows(group.len()).any(|w| w == group.as_slice())
    }

    #[test]
    fn stereotypes_balance_hate_with_look_alikes_and_name_every_group_in_both() {
        let rows = stereotype_templates();
        let texts: HashSet<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts.len(), rows.len(), "no sentence twice");
        let (hate, fine): (Vec<&Row>, Vec<&Row>) = rows
            .iter()
            .partition(|r| r.labels[Label::Abuse.index()] == Some(true));
        assert_eq!(hate.len(), fine.len());
        assert_eq!(
            hate.len(),
            CLAIMS.len() * (ASSERTIONS.len() + DENIALS.len() + VERDICTS.len())
        );
        for r in &hate {
            assert_eq!(r.labels[Label::IdentityAttack.index()], Some(true));
            for label in [Label::Incitement, Label::Threat, Label::Obscene] {
                assert_eq!(r.labels[label.index()], Some(false), "{}", r.text);
            }
        }
        assert!(fine.iter().all(|r| r.labels == [Some(false); 6]));
        for group in GROUPS {
            for (class, rows) in [("hateful", &hate), ("harmless", &fine)] {
                assert!(
                    rows.iter().any(|r| names(&r.text, group.plural)),
                    "{} never in a {class} sentence",
                    group.plural
                );
            }
        }
        for (hate_claim, regard, _, _) in CLAIMS {
            for claim in [hate_claim, regard] {
                for rows in [&hate, &fine] {
                    assert!(rows.iter().any(|r| r.text.contains(claim)), "{claim}");
                }
            }
        }
    }

    #[test]
    fn a_denied_stereotype_is_harmless_and_denied_regard_is_hate() {
        let rows = stereotype_templates();
        let labels_of = |start: &str, claim: &str| {
            rows.iter()
                .find(|r| r.text.starts_with(start) && r.text.contains(claim))
                .map(|r| r.labels)
                .expect(claim)
        };
        assert_eq!(
            labels_of("It is not true that", "are all thieves"),
            [Some(false); 6]
        );
        assert_eq!(
            labels_of("It is not true that", "are as honest as anyone else"),
            hateful(true)
        );
        assert_eq!(labels_of("Saying", "is hate,"), [Some(false); 6]);
        assert_eq!(
            labels_of("Let's face it", "are no better than rats"),
            hateful(true)
        );
    }

    #[test]
    fn claims_about_origin_are_not_said_of_women() {
        for r in stereotype_templates() {
            if names(&r.text, "women") {
                assert!(!r.text.contains("where they came from"), "{}", r.text);
            }
        }
    }
}
