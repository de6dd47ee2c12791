//! Threats that come as a warning or a verdict rather than a wish: a condition ("say that again
//! and …"), a promise about the future, a judgement that someone deserves or belongs to harm,
//! and plain contempt for a group said as a personal preference or a complaint. The sentences in
//! `person` and `groups` carry the harm in a verb phrase; these carry it in the consequence or
//! the verdict, with an ordinary opening. Each harmful frame has a harmless twin of the same
//! shape, so the opening ("say that again, …", "if X turns up …") is evidence of nothing.

use super::{identity::GROUPS, labelled, person::PEOPLE, sentence_case, template_rows};
use crate::domain::Label;
use crate::training::dataset::Row;

/// Warnings and verdicts against one person (`{t}`, `{T}` capitalised), each beside a twin of
/// the same shape that threatens nobody.
const PERSON_PAIRS: &[(&str, &str)] = &[
    (
        "Say that one more time, {t}, and you'll be picking your teeth up off the floor.",
        "Say that one more time, {t}, and I'm cancelling my subscription.",
    ),
    (
        "If {t} turns up at the ground on Saturday, he goes home on a stretcher.",
        "If {t} turns up at the ground on Saturday, he'll be booed all afternoon.",
    ),
    (
        "One more lie from {t} and I swear I'll put him in hospital.",
        "One more lie from {t} and I swear I'll write to the ombudsman.",
    ),
    (
        "Show your face on our street again, {t}, and we'll bury you.",
        "Show your face at the town meeting, {t}, and answer our questions.",
    ),
    (
        "If the ruling goes his way, {t} had better sleep with one eye open.",
        "If the ruling goes his way, {t} had better get ready for the appeal.",
    ),
    (
        "Cross us again, {t}, and they'll be planning your funeral.",
        "Cross us again, {t}, and you'll lose every vote on this street.",
    ),
    (
        "Keep smirking, {t}, we'll wipe that smile off with a hammer.",
        "Keep smirking, {t}, the polls will wipe that smile off.",
    ),
    (
        "Write one more word about us, {t}, and it will be your last.",
        "Write one more word about us, {t}, and we'll ask for a right of reply.",
    ),
    (
        "{T} should be shot for what he did.",
        "{T} should be sacked for what he did.",
    ),
    (
        "{T} ought to be flogged in the town square.",
        "{T} ought to be questioned in the town hall.",
    ),
    (
        "People like {t} should be put up against a wall.",
        "People like {t} should be put on the spot in interviews.",
    ),
    (
        "{T} belongs at the end of a rope.",
        "{T} belongs at the end of the bench.",
    ),
    (
        "{T} needs a proper beating and I know some lads who'd do it.",
        "{T} needs a proper editor and I know some people who'd do it.",
    ),
    (
        "Someone should run {t} off the road.",
        "Someone should run {t} out of office at the next election.",
    ),
    (
        "Somebody go and teach {t} a lesson with a bat.",
        "Somebody go and teach {t} a lesson in economics.",
    ),
    (
        "{T} would look better with a few broken ribs.",
        "{T} would look better with a few more wins.",
    ),
    (
        "We're coming for you, {t}, and there won't be much left when we're done.",
        "We're coming for your seat, {t}, and the ballot box won't be kind.",
    ),
    (
        "Enjoy your last week alive, {t}.",
        "Enjoy your last week in office, {t}.",
    ),
    (
        "Watch your back, {t}, there are a lot of us and we have knives.",
        "Watch your numbers, {t}, there are a lot of us and we read the budget.",
    ),
    (
        "Tie {t} to a post and let the crowd finish him.",
        "Put {t} on a panel and let the crowd question him.",
    ),
    (
        "Nobody would miss {t} if he was found floating in the river.",
        "Nobody would miss {t} if he was moved to the foreign desk.",
    ),
    (
        "{T} has it coming, and when it comes it'll be a blade.",
        "{T} has it coming, and when it comes it'll be a defeat at the polls.",
    ),
];

/// Reports and refusals of such threats: violent words, no threat.
const PERSON_REPORTS: &[&str] = &[
    "{T} received death threats after the match, police said.",
    "The man who threatened to shoot {t} was jailed for two years.",
    "However angry you are at {t}, threatening him is a crime.",
    "Wishing {t} dead says more about you than about him.",
    "Nobody should have to read threats like the ones sent to {t}.",
];

/// Contempt for a group (`{g}`) said as a preference, a complaint or a rule, each beside a
/// twin of the same shape that respects the group.
const GROUP_PAIRS: &[(&str, &str)] = &[
    (
        "I would never let my daughter marry one of the {g}.",
        "I would gladly let my daughter marry one of the {g}.",
    ),
    (
        "Every time more {g} move onto my street, I want to sell up.",
        "Every time more {g} move onto my street, I'm glad of the new neighbours.",
    ),
    (
        "Honestly, the {g} have never given this country a single thing.",
        "Honestly, the {g} have given this country a great deal.",
    ),
    (
        "This town was better before the {g} came.",
        "This town got better when the {g} came.",
    ),
    (
        "Don't hire {g}, they'll rob you blind.",
        "Hire {g}, they're as good at the job as anyone.",
    ),
    (
        "Why do we even let {g} vote?",
        "Of course we let {g} vote, they're citizens.",
    ),
    (
        "You can smell it when {g} have been in a room.",
        "You can tell when {g} have organised an event, it's always lively.",
    ),
    (
        "Keep the {g} in their own neighbourhoods and we'll all be happier.",
        "Welcome the {g} into every neighbourhood and we'll all be better off.",
    ),
    (
        "The {g} are the reason this country is going down the drain.",
        "The {g} are not the reason for this country's problems.",
    ),
    (
        "I'd rather starve than buy from the {g}.",
        "I'd rather buy from the {g} than from a chain store.",
    ),
    (
        "Whenever there's trouble, look for the {g}.",
        "Whenever there's trouble, the {g} are the first to help.",
    ),
    (
        "The {g} should go back to wherever they crawled out of.",
        "The {g} should feel at home wherever they live.",
    ),
];

/// A target for each (frame, slot) by rotation, so every target meets many frames.
fn pick<'a>(targets: &[&'a str], frame: usize, slot: usize) -> &'a str {
    targets[(frame * 7 + slot * 11 + 3) % targets.len()]
}

fn fill(frame: &str, key: &str, target: &str) -> String {
    let capitalised = sentence_case(target);
    sentence_case(&frame.replace("{T}", &capitalised).replace(key, target))
}

/// Each frame filled with `per_frame` targets.
fn filled<'a>(
    frames: impl Iterator<Item = &'a str> + 'a,
    key: &'static str,
    targets: &'static [&'static str],
    per_frame: usize,
) -> impl Iterator<Item = String> + 'a {
    frames.enumerate().flat_map(move |(f, frame)| {
        (0..per_frame).map(move |slot| fill(frame, key, pick(targets, f, slot)))
    })
}

/// Threats (incitement and threat), contempt for groups (abuse and identity attack), then the
/// twins and reports (every label 0).
pub(super) fn warning_templates() -> Vec<Row> {
    let threat = labelled(&[(Label::Incitement, true), (Label::Threat, true)]);
    let contempt = labelled(&[(Label::Abuse, true), (Label::IdentityAttack, true)]);
    let harmless = [Some(false); 6];
    template_rows(
        "templates:warnings:",
        filled(PERSON_PAIRS.iter().map(|p| p.0), "{t}", PEOPLE, 4)
            .map(|t| (t, threat))
            .chain(filled(GROUP_PAIRS.iter().map(|p| p.0), "{g}", GROUPS, 4).map(|t| (t, contempt)))
            .chain(
                filled(PERSON_PAIRS.iter().map(|p| p.1), "{t}", PEOPLE, 4)
                    .chain(filled(PERSON_REPORTS.iter().copied(), "{t}", PEOPLE, 4))
                    .chain(filled(GROUP_PAIRS.iter().map(|p| p.1), "{g}", GROUPS, 4))
                    .map(|t| (t, harmless)),
            ),
    )
}
