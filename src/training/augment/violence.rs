//! Calls for violence in readers' idioms, and the same frames with harmless content.

use super::{labelled, sentence_case, template_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// Calls for violence in the idioms newsroom readers use ("string him up", "put a bullet in
/// him"). The labelled data teaches incitement mostly from a few sources' wording (YouTube
/// threats against groups, coded tweets, Wikipedia threats), so plain calls such as "Hang the
/// judge." scored near 0 incitement and an independent list of 40 readers' calls for violence
/// had 1 of 40 over the hold bar (models/README.md). Each act is paired with four call frames
/// and one target per frame by rotation, so every act appears in several frames without the
/// set (168 calls) outweighing the ~3,200 real incitement positives.
pub(super) const VIOLENT_ACTS: &[&str] = &[
    "shoot {}",
    "hang {}",
    "string {} up",
    "put a bullet in {}",
    "stab {}",
    "lynch {}",
    "execute {}",
    "burn {} alive",
    "beat {} to death",
    "gas {}",
    "blow {} up",
    "run {} over",
    "kill {}",
    "wipe {} out",
    "slaughter {}",
    "put {} in the ground",
    "strangle {}",
    "drown {}",
    "behead {}",
    "torture {}",
    "beat {} up",
    "punch {} in the face",
    "set {} on fire",
    "throw {} off a bridge",
    "poison {}",
    "gun {} down",
    "hunt {} down",
    "murder {}",
    "exterminate {}",
    "kick {} to death",
    "bury {}",
    "shoot {} on sight",
];

const VIOLENT_TARGETS: &[&str] = &[
    "him",
    "her",
    "them",
    "that traitor",
    "the judge",
    "these people",
    "every last one of them",
    "the minister",
    "the lot of them",
    "that journalist",
    "the mayor",
    "his whole family",
];

pub(super) const CALL_FRAMES: &[&str] = &[
    "Someone should {}.",
    "{}.",
    "We should {} and be done with it.",
    "I hope somebody has the guts to {}.",
    "It is time to {}.",
    "Just {}, nobody would miss them.",
    "I swear I will {} if I ever get the chance.",
    "Somebody needs to {} before the election.",
];

/// Harmless things to call for, in the same frames and with the same targets, so a frame
/// ("I hope somebody has the guts to …") is no evidence by itself: without these, frames
/// alone pushed "I hope somebody has the guts to say no." to 0.77 incitement.
pub(super) const HARMLESS_ACTS: &[&str] = &[
    "vote {} out",
    "take {} to court",
    "sack {}",
    "report {} to the regulator",
    "ignore {}",
    "thank {}",
    "invite {} to the debate",
    "write to {}",
    "sue {}",
    "interview {}",
    "elect {}",
    "listen to {}",
    "boycott {}",
    "fine {}",
    "ban {} from the league",
    "question {} in parliament",
    "hold {} to account",
    "call {} out",
    "investigate {}",
    "replace {}",
    "give {} a pay rise",
    "send {} a letter",
    "support {}",
    "challenge {} at the next meeting",
    "audit {}",
    "welcome {}",
    "remove {} from the board",
    "name and shame {}",
    "email {}",
    "forgive {}",
    "outvote {}",
    "fact-check {}",
];

/// Harm wished on a group or person as a statement ("they deserve to be shot").
pub(super) const DESERVED_HARMS: &[&str] = &[
    "{} should be shot",
    "{} deserve to be hanged",
    "{} need to be put down like rabid dogs",
    "{} should be lined up against a wall",
    "{} deserve a bullet",
    "{} should all die",
    "{} should be burned alive",
    "{} deserve to be beaten senseless",
];

pub(super) const DESERVING: &[&str] = &[
    "they",
    "these people",
    "people like that",
    "traitors like them",
    "the protesters",
];

/// The same statement frames with harmless content.
pub(super) const DESERVED_GOOD: &[&str] = &[
    "{} should be ashamed",
    "{} deserve a fair trial",
    "{} need to be voted out",
    "{} should be sacked",
    "{} deserve to be heard",
    "{} should all resign",
    "{} should be held to account",
    "{} deserve an apology",
];

/// The same verbs in harmless senses, neutral reports of violence and condemnations of it, so
/// the evidence has to come from someone being called on or wished to do it.
pub(super) const HARMLESS_USES: &[&str] = &[
    "They shot the documentary in the old harbour.",
    "We hung the new curtains in the living room.",
    "The committee killed the proposal after a long debate.",
    "Police said a man was stabbed during the robbery on Friday.",
    "The goalkeeper was beaten by a shot from outside the box.",
    "The fire burned down an empty warehouse near the station.",
    "The company will execute its plan to open two new stores.",
    "The court heard that the victim had been beaten badly.",
    "The minister wants to wipe out child poverty within ten years.",
    "The film bombed at the box office.",
    "She killed it on stage last night.",
    "The old bridge will be blown up to make way for a new one.",
    "They strung up fairy lights along the high street.",
    "The judge was praised for how she ran the trial.",
    "Two people were shot dead in the attack, the police confirmed.",
    "Nobody deserves to be threatened for what they write.",
    "The traitor in the novel is hanged in the last chapter.",
    "A lorry ran over a fox on the motorway.",
    "The striker put the ball in the back of the net.",
    "Hundreds gathered to mourn the people killed in the bombing.",
    "We should kill two birds with one stone and fix both roads.",
    "The gas bill went up again this winter.",
    "The bill would ban executions in the state.",
    "Violence is never the answer, whatever they did.",
    "Burn the onions slightly for a smoky flavour.",
    "The striker shot wide again in the second half.",
    "The killer was sentenced to life in prison yesterday.",
    "Whoever attacked the nurse must face the full force of the law.",
    "Vote them out at the next election, that is how democracy works.",
    "The minister should resign over this scandal.",
    "I could strangle my printer some days.",
    "The town was flooded and three people drowned.",
    "That joke killed me, I could not stop laughing.",
    "The police hunted down the stolen car within an hour.",
    "The article says the soldiers tortured prisoners, which is a war crime.",
    "He was punched in the face outside the pub and the attacker was arrested.",
    "The mayor has buried the report for two years now.",
    "They want to hang the portrait in the town hall.",
    "The opposition will try to shoot down the budget.",
];

/// Each act in four call frames, one rotating target per frame.
fn calls<'a>(acts: &'a [&'a str]) -> impl Iterator<Item = String> + 'a {
    acts.iter().enumerate().flat_map(|(a, act)| {
        (0..4).map(move |k| {
            let frame = CALL_FRAMES[(a + 2 * k) % CALL_FRAMES.len()];
            // Offset by one so no template repeats a sentence the tests and README score
            // ("Someone should shoot him.").
            let target = VIOLENT_TARGETS[(a + 5 * k + 1) % VIOLENT_TARGETS.len()];
            sentence_case(&frame.replace("{}", &act.replace("{}", target)))
        })
    })
}

/// Each statement about each of the [`DESERVING`].
fn statements<'a>(about: &'a [&'a str]) -> impl Iterator<Item = String> + 'a {
    about.iter().flat_map(|s| {
        DESERVING
            .iter()
            .map(move |who| sentence_case(&s.replace("{}", who)) + ".")
    })
}

/// The violence rows: calls labelled incitement and threat (the labels a call for violence
/// carries in the data; the others are left unlabelled), then the same frames with harmless
/// acts and the harmless uses, every label 0.
pub(super) fn violence_templates() -> Vec<Row> {
    let violent = labelled(&[(Label::Incitement, true), (Label::Threat, true)]);
    let harmless = calls(HARMLESS_ACTS)
        .chain(statements(DESERVED_GOOD))
        .chain(HARMLESS_USES.iter().map(|t| t.to_string()));
    template_rows(
        "templates:violence:",
        calls(VIOLENT_ACTS)
            .chain(statements(DESERVED_HARMS))
            .map(|text| (text, violent))
            .chain(harmless.map(|t| (t, [Some(false); 6]))),
    )
}
