//! Violence called for beside the same violence refused, forbidden or condemned ("We should
//! burn the settlers' … " / "We must never …"), and everyday sentences that share the violent
//! words (news of an attack, sport, cooking, games, idioms). The sources rarely write a
//! refusal of violence, so "Nobody deserves to be lynched, not the Haredim, not anyone." shared
//! every strong n-gram with the call and scored as one. Each act and each target is in both
//! classes, and each call frame has a refusal of the same shape.

use super::{labelled, sentence_case, template_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// An act against `{t}`: imperative, past tense, and what is done to the target.
pub(super) const ACTS: &[(&str, &str, &str)] = &[
    ("shoot {t}", "shot {t}", "shot"),
    ("stab {t}", "stabbed {t}", "stabbed"),
    ("burn {t} alive", "burned {t} alive", "burned alive"),
    ("beat {t} to death", "beat {t} to death", "beaten to death"),
    ("hang {t}", "hanged {t}", "hanged"),
    ("lynch {t}", "lynched {t}", "lynched"),
    ("kill {t}", "killed {t}", "killed"),
    (
        "drive a truck into {t}",
        "drove a truck into {t}",
        "run down with a truck",
    ),
    ("beat up {t}", "beat up {t}", "beaten up"),
    (
        "throw stones at {t}",
        "threw stones at {t}",
        "pelted with stones",
    ),
    (
        "attack {t} with knives",
        "attacked {t} with knives",
        "attacked with knives",
    ),
    ("gun down {t}", "gunned down {t}", "gunned down"),
    ("torture {t}", "tortured {t}", "tortured"),
    (
        "drive {t} out with clubs",
        "drove {t} out with clubs",
        "driven out with clubs",
    ),
];

/// Targets of the acts, and whether they are a group of identity (so a call against them is
/// also an identity attack).
pub(super) const TARGETS: &[(&str, bool)] = &[
    ("the settlers", true),
    ("those Arabs", true),
    ("the Haredim", true),
    ("the migrants", true),
    ("the refugees at the station", true),
    ("the Jews on this street", true),
    ("the Muslims next door", true),
    ("the Roma in the park", true),
    ("the Africans in the south of the city", true),
    ("the Christians", true),
    ("the gay couple upstairs", true),
    ("the protesters", false),
    ("those journalists", false),
    ("the judges", false),
    ("the cops", false),
    ("the strikers", false),
];

/// `(call, refusal, threat)`: the call for violence and, of the same shape, the same act
/// refused, forbidden or condemned; `{a}` the imperative act, `{d}` its past, `{p}` what is
/// done, `{t}` the target. `threat` is false where the call praises an act already done.
pub(super) const FRAMES: &[(&str, &str, bool)] = &[
    (
        "We should {a}.",
        "We must never {a}, whatever they have done.",
        true,
    ),
    ("Somebody has to {a}.", "Nobody has any right to {a}.", true),
    (
        "I'm ready to {a} tonight.",
        "I would never {a}, and neither would anyone I know.",
        true,
    ),
    (
        "Let's go and {a}.",
        "Don't let anyone talk you into going out to {a}.",
        true,
    ),
    ("It's time to {a}.", "It will never be time to {a}.", true),
    (
        "{T} deserve to be {p}.",
        "Nobody deserves to be {p}, not {t}, not anyone.",
        true,
    ),
    (
        "For a second I wanted to {a}, and next time I will.",
        "For a second I wanted to {a}, but that is exactly what the extremists want.",
        true,
    ),
    (
        "Whoever {d} did the right thing.",
        "Whoever {d} must be caught and put on trial.",
        false,
    ),
    (
        "Meet at the square at dawn, we're going to {a}.",
        "Police say a mob met at the square at dawn to {a}; officers stopped them.",
        true,
    ),
    (
        "Honestly, I'd love to {a}.",
        "Honestly, I'd never want to {a}, however angry I get.",
        true,
    ),
];

/// Calls for calm and condemnations that name a target but no act.
const CALM: &[&str] = &[
    "Violence against {t} is never acceptable.",
    "Whatever you think of {t}, nobody should get hurt.",
    "Please, everyone, leave {t} alone and let the police do their job.",
];

/// Violent words in everyday senses, and reports and condemnations of violence.
pub(super) const EVERYDAY: &[&str] = &[
    "The gunman who shot two people at the market was arrested last night.",
    "Three settlers were stabbed near the junction, police said.",
    "A mosque was set on fire overnight and the mayor called it a hate crime.",
    "Stones were thrown at a bus in the north; nobody was hurt.",
    "The attack on the synagogue was condemned by every party.",
    "Six men were charged with beating a refugee outside the station.",
    "The court jailed the man who ran over a protester with his car.",
    "Thousands marched to remember the victims of the lynching in 1921.",
    "The museum tells the story of the families killed in the pogrom.",
    "Leaders of both communities called for calm after the shooting.",
    "The striker shot from thirty yards and hit the crossbar.",
    "They beat us three nil and deserved it.",
    "Our keeper was beaten at the near post again.",
    "The champion knocked out his rival in the fourth round.",
    "The home side killed the game off with a late goal.",
    "Burn the peppers on the grill, then peel off the skin.",
    "Beat the eggs with the sugar until pale.",
    "Stab the potatoes with a fork before they go in the oven.",
    "Hang the washing out before it rains.",
    "I killed it at the quiz night, we won by ten points.",
    "In the game you have to shoot the zombies before they reach the wall.",
    "My son spent all weekend blowing up tanks in that video game.",
    "She stabbed at the salad with her fork and said nothing.",
    "The new minister wants to kill the bill before the summer.",
    "The opposition torched the budget in a two-hour speech.",
    "That comedian murdered the crowd last night, best show of the year.",
    "I'd kill for a cup of coffee right now.",
    "The heat is killing me this week.",
    "Traffic was so bad I wanted to scream.",
    "The fire brigade burned a strip of grass to stop the blaze spreading.",
    "He was hanged in 1946 after the trials, the documentary says.",
    "The army says the soldiers who beat the prisoner will face a court martial.",
    "Teenagers who threw stones at the ambulance were caught on camera.",
    "Anyone who attacks a paramedic should go to prison.",
    "The hunters shot three deer, which is legal in season.",
    "Nobody should be beaten for the way they pray.",
    "Calls to kill anyone have no place in these comments.",
    "Please don't answer hate with hate.",
    "The police are investigating threats made against the local imam.",
    "The rabbi and the imam visited the injured together.",
];

fn fill(frame: &str, act: (&str, &str, &str), target: &str) -> String {
    let (imperative, past, done) = act;
    sentence_case(
        &frame
            .replace("{a}", &imperative.replace("{t}", target))
            .replace("{d}", &past.replace("{t}", target))
            .replace("{p}", done)
            .replace("{T}", target)
            .replace("{t}", target),
    )
}

fn violent(threat: bool, identity: bool) -> [Option<bool>; 6] {
    let mut labels = labelled(&[
        (Label::Abuse, true),
        (Label::Incitement, true),
        (Label::Obscene, false),
    ]);
    if threat {
        labels[Label::Threat.index()] = Some(true);
    }
    if identity {
        labels[Label::IdentityAttack.index()] = Some(true);
    }
    labels
}

/// Each act in each frame, the target by rotation, as the call and as its refusal.
fn pairs() -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    FRAMES
        .iter()
        .enumerate()
        .flat_map(|(f, &(call, refusal, threat))| {
            ACTS.iter().enumerate().flat_map(move |(a, &act)| {
                let (target, identity) = TARGETS[(f * 5 + a * 3) % TARGETS.len()];
                [
                    (fill(call, act, target), violent(threat, identity)),
                    (fill(refusal, act, target), [Some(false); 6]),
                ]
            })
        })
}

/// Calls for violence (abuse, incitement, a threat where the call is to act, an identity
/// attack where the target is a group of identity), each beside its refusal; calls for calm
/// and everyday uses of the words (every label 0).
pub(super) fn negation_templates() -> Vec<Row> {
    let calm = CALM.iter().flat_map(|frame| {
        TARGETS
            .iter()
            .map(move |&(t, _)| sentence_case(&frame.replace("{t}", t)))
    });
    let harmless = calm
        .chain(EVERYDAY.iter().map(|s| s.to_string()))
        .map(|t| (t, [Some(false); 6]));
    template_rows("templates:negation:", pairs().chain(harmless))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_call_has_its_refusal_and_harmless_uses_outnumber_calls() {
        let rows = negation_templates();
        let texts: HashSet<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts.len(), rows.len(), "no sentence twice");
        let (calls, fine): (Vec<&Row>, Vec<&Row>) = rows
            .iter()
            .partition(|r| r.labels[Label::Incitement.index()] == Some(true));
        assert_eq!(calls.len(), FRAMES.len() * ACTS.len());
        assert!(fine.len() >= calls.len() + EVERYDAY.len());
        assert!(fine.iter().all(|r| r.labels == [Some(false); 6]));
        for r in &calls {
            assert_eq!(r.labels[Label::Abuse.index()], Some(true), "{}", r.text);
        }
        for (target, identity) in TARGETS {
            let target = super::sentence_case(target);
            let named = |r: &Row| r.text.to_lowercase().contains(&target.to_lowercase());
            let called: Vec<&&Row> = calls.iter().filter(|r| named(r)).collect();
            assert!(
                !called.is_empty() && fine.iter().any(|r| named(r)),
                "{target}"
            );
            let want = identity.then_some(true);
            assert!(
                called
                    .iter()
                    .all(|r| r.labels[Label::IdentityAttack.index()] == want)
            );
        }
        let label = |text: &str| {
            rows.iter()
                .find(|r| r.text == text)
                .map(|r| r.labels)
                .expect(text)
        };
        let praise = label("Whoever shot the migrants did the right thing.");
        assert_eq!(praise[Label::Threat.index()], None);
        assert_eq!(praise[Label::Incitement.index()], Some(true));
        assert_eq!(
            label("We must never shoot the settlers, whatever they have done."),
            [Some(false); 6]
        );
    }

    #[test]
    fn every_act_is_both_called_for_and_refused() {
        let rows = negation_templates();
        for (_, _, done) in ACTS {
            for incites in [true, false] {
                assert!(
                    rows.iter().any(|r| {
                        (r.labels[Label::Incitement.index()] == Some(true)) == incites
                            && r.text.contains(&format!("be {done}"))
                    }),
                    "{done}"
                );
            }
        }
    }
}
