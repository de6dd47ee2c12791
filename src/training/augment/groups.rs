//! Plain hate against a group and calls for violence against one, with the look-alikes a
//! moderator must publish: the same claims denied, quoted to condemn them, and praise. The
//! sources carry hate mostly as slurs and insults at a person; a calm sentence of contempt
//! ("Refugees are a disease on this country.") has no insulting word for n-grams to find.

use super::{identity::GROUPS, labelled, sentence_case, template_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// What is said of a group; contempt without a call to harm.
const CONTEMPT: &[&str] = &[
    "are vermin",
    "are a plague on this country",
    "are less than human",
    "are parasites living off our taxes",
    "are animals, nothing more",
    "are a cancer on society",
    "should not be allowed to vote",
    "are criminals, every one of them",
    "are filth",
    "are worthless",
    "do not belong in this country",
    "are a disease",
    "are born inferior",
    "make me physically sick",
    "breed like rats",
    "should be kept out of our schools",
    "are too stupid to run anything",
    "are a stain on this nation",
    "ruin every neighbourhood they move into",
    "can never be trusted with anything",
];

/// Praise and plain facts in the same place in the sentence.
const REGARD: &[&str] = &[
    "are our neighbours",
    "are a gift to this country",
    "are human beings like anyone else",
    "pay the same taxes we do",
    "are people, nothing less",
    "are the backbone of many hospitals",
    "should have the same vote as everyone",
    "are mostly law-abiding, like everyone else",
    "are welcome here",
    "are worth listening to",
    "belong in this country as much as I do",
    "are a valued part of our city",
    "are as clever as anyone",
    "make me proud of this town",
    "raise their families like everyone else",
    "should feel safe in our schools",
    "run some of the best businesses here",
    "are part of this nation's story",
    "improve every neighbourhood they move into",
    "can be trusted like anyone else",
];

/// Frames for a statement about a group: `{g}` the group, `{p}` what is said.
const STATEMENT_FRAMES: &[&str] = &[
    "{g} {p}.",
    "Let's be honest, {g} {p}.",
    "Everyone knows {g} {p}.",
    "I'm sorry but {g} {p}.",
];

/// The contempt denied or quoted to condemn it; `{g}` the group, `{p}` the contempt.
const REJECTIONS: &[&str] = &[
    "It is not true that {g} {p}.",
    "Anyone who says {g} {p} should be ashamed.",
    "My grandfather was told that {g} {p}; he proved them wrong.",
    "The poster claimed {g} {p}, and the council took it down.",
    "Stop spreading the lie that {g} {p}.",
];

/// Calls for violence against a group; `{g}` the group.
const GROUP_CALLS: &[&str] = &[
    "Round up the {g} and shoot them.",
    "Time to take up arms against the {g}.",
    "Wipe the {g} off the face of the earth.",
    "Burn every house the {g} live in.",
    "The only answer to the {g} is a bullet.",
    "Drive the {g} into the sea.",
    "Line the {g} up against a wall.",
    "Kill every last one of the {g}.",
    "Someone should bomb the {g} where they pray.",
    "The {g} need to be exterminated before it's too late.",
    "Grab a rope, the {g} are marching tomorrow.",
    "We should hunt the {g} down street by street.",
];

/// The same shapes with lawful content, and reports and condemnations of such calls.
const GROUP_NOT_CALLS: &[&str] = &[
    "Round up the {g} and ask them what they need.",
    "Time to take up the cause of the {g}.",
    "Wipe the slate clean and talk to the {g}.",
    "Build more houses the {g} can afford.",
    "The only answer to the {g} is a better argument.",
    "Drive the {g} to the polling station if they need a lift.",
    "Line up to hear what the {g} have to say.",
    "A man who called for killing the {g} was arrested yesterday.",
    "Someone should visit the {g} where they pray and listen.",
    "Calls to exterminate the {g} have no place in this debate.",
    "Nobody should be attacked for being one of the {g}.",
    "We should welcome the {g} street by street.",
];

/// Groups that calls for violence under news stories name, beside identity groups.
const FACTIONS: &[&str] = &[
    "settlers",
    "protesters",
    "traitors on the left",
    "election officials",
    "migrants",
    "journalists",
    "leftists",
    "right-wingers",
];

fn group_for(a: usize, b: usize, groups: &[&'static str]) -> &'static str {
    groups[(a * 7 + b * 5) % groups.len()]
}

fn statements(
    frames: &'static [&'static str],
    said: &'static [&'static str],
) -> impl Iterator<Item = String> {
    frames.iter().enumerate().flat_map(move |(f, frame)| {
        said.iter().enumerate().map(move |(p, part)| {
            let g = group_for(f, p, GROUPS);
            sentence_case(&frame.replace("{g}", g).replace("{p}", part))
        })
    })
}

fn calls(frames: &'static [&'static str]) -> impl Iterator<Item = String> {
    frames.iter().enumerate().flat_map(|(f, frame)| {
        [
            group_for(f, 1, GROUPS),
            group_for(f, 2, GROUPS),
            group_for(f, 0, FACTIONS),
            group_for(f, 3, FACTIONS),
        ]
        .map(|g| sentence_case(&frame.replace("{g}", g)))
    })
}

/// Contempt (abuse and identity attack), calls for violence (abuse, incitement, threat), then
/// the look-alikes (every label 0).
pub(super) fn group_templates() -> Vec<Row> {
    let contempt = labelled(&[(Label::Abuse, true), (Label::IdentityAttack, true)]);
    let violent = labelled(&[
        (Label::Abuse, true),
        (Label::Incitement, true),
        (Label::Threat, true),
    ]);
    template_rows(
        "templates:groups:",
        statements(STATEMENT_FRAMES, CONTEMPT)
            .map(|t| (t, contempt))
            .chain(calls(GROUP_CALLS).map(|t| (t, violent)))
            .chain(
                statements(STATEMENT_FRAMES, REGARD)
                    .chain(statements(REJECTIONS, CONTEMPT))
                    .chain(calls(GROUP_NOT_CALLS))
                    .map(|t| (t, [Some(false); 6])),
            ),
    )
}
