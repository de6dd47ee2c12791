//! Threats against and wishes of harm to one person: the writer of the article, a judge, a
//! referee, a neighbour. The sources teach incitement mostly as calls against groups and as
//! imperatives ("kill them"), so a wish in the passive voice ("I hope the ref gets his legs
//! broken") or a first-person promise scored near 0. Every harmful frame is also filled with
//! harmless outcomes, so the evidence has to come from the harm, not the frame or the target.

use super::{labelled, sentence_case, template_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// The people readers threaten under news stories.
pub(super) const PEOPLE: &[&str] = &[
    "the writer",
    "whoever wrote this",
    "this reporter",
    "the author",
    "that judge",
    "the ref",
    "the referee",
    "their keeper",
    "the coach",
    "the minister",
    "that senator",
    "my neighbour",
    "the landlord",
    "Cohen",
    "Levy",
    "Dana",
    "the prosecutor",
    "the columnist",
    "the editor",
    "the chairman",
    "that MP",
    "the striker",
    "the councillor",
    "this clown",
];

/// What happens to the person, as the rest of "I hope the ref …".
const HARMS: &[&str] = &[
    "gets stabbed on the way home",
    "gets a knife in the back",
    "gets shot in the head",
    "gets run over by a truck",
    "gets his legs broken",
    "ends up in a body bag",
    "gets beaten half to death",
    "burns to death in his house",
    "gets his throat cut",
    "never wakes up",
    "gets kneecapped",
    "bleeds out in the street",
    "gets torn apart by a mob",
    "gets acid in the face",
    "gets strung up from a lamppost",
    "chokes on his own blood",
    "gets a bullet between the eyes",
    "is found dead in a ditch",
    "gets his skull caved in",
    "dies slowly and in pain",
];

/// Outcomes a reader may wish on someone they are angry with, in the same frames.
const FAIR_OUTCOMES: &[&str] = &[
    "gets fired for this",
    "gets a better editor",
    "gets voted out next spring",
    "gets a red card next time",
    "gets relegated with his club",
    "reads the comments and learns something",
    "loses the next election",
    "has to apologise on air",
    "gets his facts checked before printing",
    "gets dropped from the squad",
    "gets a long ban from the league",
    "pays every cent of the fine",
    "is held to account in court",
    "retires before the next season",
    "gets well soon",
    "has a long hard look in the mirror",
    "gets sued for libel",
    "loses his seat",
    "gets a proper education",
    "never gets to write again",
];

/// Frames a wish comes in; `{t}` is the person, `{h}` what happens.
const WISH_FRAMES: &[&str] = &[
    "I hope {t} {h}.",
    "Honestly I hope {t} {h}.",
    "Can't wait for the day {t} {h}.",
    "Praying that {t} {h}.",
    "Would love to see the day {t} {h}.",
    "Here's hoping {t} {h}, soon.",
    "If there is any justice, {t} {h}.",
];

/// First-person threats and calls on others to harm the person.
const THREATS: &[&str] = &[
    "I know where {t} lives and I'm bringing a knife.",
    "Next time I see {t} I will break every bone in his body.",
    "{T} won't make it home tonight, I promise you that.",
    "I'm going to find {t} and make him bleed.",
    "Somebody take {t} out back and put him down.",
    "Someone needs to smash {t} in the face with a brick.",
    "{T} deserves a bullet, and I have one ready.",
    "Give me five minutes alone with {t} and a baseball bat.",
    "Hold {t} down and let the crowd have him.",
    "{T} should be dragged out of his house and hanged.",
    "I'll be waiting outside for {t} with a crowbar.",
    "Keep talking, {t}, and you'll be eating through a straw.",
    "Whoever meets {t} first, do us all a favour and stab him.",
    "{T} is a dead man walking, mark my words.",
    "One day {t} will get what he deserves, a knife between the ribs.",
];

/// The same people in sentences that are angry, rude or about violence, but threaten no one.
const NOT_THREATS: &[&str] = &[
    "I know where {t} stands and I'm bringing the receipts.",
    "Next time I see {t} I will tell him what I think of this.",
    "{T} won't get my vote again, I promise you that.",
    "I'm going to write to {t} and demand a correction.",
    "Somebody tell {t} to check his sources.",
    "Someone needs to sit {t} down and explain the offside rule.",
    "{T} deserves a pay cut, and I have said so before.",
    "Give me five minutes alone with {t} and a copy of the budget.",
    "{T} was threatened with a knife last year and still speaks out.",
    "The man who attacked {t} has been sentenced to six years.",
    "I'll be waiting for a reply from {t} in the next edition.",
    "Keep talking, {t}, the voters are listening.",
    "Nobody should threaten {t}, however wrong he is.",
    "{T} is a dead loss as a public speaker, mark my words.",
    "I'd never wish harm on {t}, I just want him out of office.",
];

/// A target for each (frame, outcome) pair by rotation, two per pair, so every person appears
/// with many frames and no combination is repeated.
fn people_for(a: usize, b: usize) -> [&'static str; 2] {
    [
        PEOPLE[(a * 5 + b * 3) % PEOPLE.len()],
        PEOPLE[(a * 5 + b * 3 + 11) % PEOPLE.len()],
    ]
}

fn fill(frame: &str, person: &str, happening: &str) -> String {
    let capitalised = sentence_case(person);
    sentence_case(
        &frame
            .replace("{T}", &capitalised)
            .replace("{t}", person)
            .replace("{h}", happening),
    )
}

fn wishes(outcomes: &'static [&'static str]) -> impl Iterator<Item = String> {
    WISH_FRAMES.iter().enumerate().flat_map(move |(f, frame)| {
        outcomes.iter().enumerate().flat_map(move |(o, outcome)| {
            people_for(f, o).map(|person| fill(frame, person, outcome))
        })
    })
}

fn said(sentences: &'static [&'static str]) -> impl Iterator<Item = String> {
    sentences
        .iter()
        .enumerate()
        .flat_map(|(s, sentence)| people_for(s, s + 7).map(|person| fill(sentence, person, "")))
}

/// Wishes of harm and threats (incitement and threat), then the harmless fillings (every
/// label 0).
pub(super) fn person_templates() -> Vec<Row> {
    let harmful = labelled(&[(Label::Incitement, true), (Label::Threat, true)]);
    template_rows(
        "templates:person:",
        wishes(HARMS)
            .chain(said(THREATS))
            .map(|t| (t, harmful))
            .chain(
                wishes(FAIR_OUTCOMES)
                    .chain(said(NOT_THREATS))
                    .map(|t| (t, [Some(false); 6])),
            ),
    )
}
