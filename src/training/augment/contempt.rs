//! Contempt for a group said in a whole sentence rather than a claim: in the first person
//! ("I can't stand …"), as a "just asking" question or sarcasm, as a demand to shut the group
//! out, as a comparison with vermin or disease, and as one person's behaviour blamed on their
//! whole group. Each hateful sentence has a harmless twin of the same shape about the same
//! group (the contempt turned on the bigot, a question about fairness, a complaint about one
//! person), and criticism of a government sits beside hatred of its people, so what tells the
//! classes apart is what the sentence does, not its frame or the group it names.

use super::stereotypes::{Group, Pool, group_at, hateful};
use super::{sentence_case, template_rows};
use crate::training::dataset::Row;

/// `(hateful, harmless, pool)`: `{g}` the group, `{one}` one of its members.
type Twin = (&'static str, &'static str, Pool);

/// Contempt in the first person.
const FIRST_PERSON: &[Twin] = &[
    (
        "I can't stand {g}, never could.",
        "I can't stand people who sneer at {g}, never could.",
        Pool::All,
    ),
    (
        "I'd never hire {g}, whatever their CV says.",
        "I'd hire {g} in a heartbeat if their CV is good, like anyone else.",
        Pool::All,
    ),
    (
        "I would never let my son marry one of those {g}.",
        "I would be glad if my son married one of the {g} from his school.",
        Pool::Origin,
    ),
    (
        "I don't want {g} living on my street.",
        "I don't mind who lives on my street, {g} included.",
        Pool::All,
    ),
    (
        "Honestly, {g} disgust me.",
        "Honestly, the way people talk about {g} disgusts me.",
        Pool::All,
    ),
    (
        "I won't rent my flat to {g}, I've learned my lesson.",
        "I rent my flat to {g} and they've been the best tenants I've had.",
        Pool::All,
    ),
    (
        "I don't trust {g}, not a single one of them.",
        "I don't trust people who blame {g} for everything.",
        Pool::All,
    ),
    (
        "I change seats on the bus when {g} sit near me.",
        "I chat with {g} on the bus most mornings.",
        Pool::All,
    ),
    (
        "I refuse to buy anything from shops run by {g}.",
        "I buy my bread from a shop run by {g} and it's the best in town.",
        Pool::All,
    ),
];

/// "Just asking" questions and sarcasm.
const QUESTIONS: &[Twin] = &[
    (
        "Why is it always {g} causing the trouble?",
        "Why is it always {g} who get blamed for the trouble?",
        Pool::All,
    ),
    (
        "Funny how the crime rate goes up wherever {g} move in, isn't it?",
        "Funny how people blame {g} every time the crime rate goes up, isn't it?",
        Pool::Origin,
    ),
    (
        "Just asking: has anyone ever met an honest one among the {g}?",
        "Just asking: has anyone here actually talked to {g} before judging them?",
        Pool::All,
    ),
    (
        "Are {g} even capable of running anything?",
        "Are {g} represented fairly on the new council?",
        Pool::All,
    ),
    (
        "What did you expect from {g}? It's in their nature.",
        "What do {g} think of the plan? The article never asks them.",
        Pool::All,
    ),
    (
        "Another story about {g} and crime. Surprise, surprise.",
        "Another story that blames {g} for crime without a single figure. Shameful.",
        Pool::All,
    ),
    (
        "Name one useful thing {g} have ever done. I'll wait.",
        "Name one useful thing {g} have done? Easy, look at who staffs our hospitals.",
        Pool::All,
    ),
    (
        "Oh wonderful, more {g} moving in. Better lock your doors.",
        "Good news, more {g} moving in, the school has been begging for pupils.",
        Pool::All,
    ),
];

/// Demands to shut a group out, and the same places opened to it.
const EXCLUSION: &[Twin] = &[
    (
        "{g} should not be allowed to live in this country.",
        "{g} should be allowed to live in this country like anyone else.",
        Pool::Origin,
    ),
    (
        "Keep {g} out of our neighbourhood.",
        "Keep {g} in the loop about the neighbourhood plan.",
        Pool::All,
    ),
    (
        "Schools should put {g} in separate classrooms.",
        "Schools should teach children the history of {g}.",
        Pool::All,
    ),
    (
        "No company should be forced to hire {g}.",
        "No company should refuse to hire {g}.",
        Pool::All,
    ),
    (
        "Ban {g} from the public pool, it's the only way to keep it clean.",
        "Nobody should ban {g} from the public pool, that is discrimination.",
        Pool::All,
    ),
    (
        "Stop letting {g} into the country.",
        "Stop blaming {g} for the housing crisis.",
        Pool::Origin,
    ),
    (
        "{g} should have their own buses, away from decent people.",
        "{g} should not have to fear the bus ride home.",
        Pool::All,
    ),
    (
        "Landlords should be free to turn {g} away.",
        "Landlords should never be allowed to turn {g} away.",
        Pool::All,
    ),
    (
        "{g} should never hold public office.",
        "{g} should be able to hold public office like anyone.",
        Pool::All,
    ),
    (
        "Nobody decent would ever date {g}.",
        "Who anyone dates, {g} included, is nobody else's business.",
        Pool::Minority,
    ),
];

/// Comparisons with vermin, disease and animals, and the same words used to condemn them or
/// in their ordinary sense.
const DEHUMANISING: &[Twin] = &[
    (
        "{g} are like cockroaches, let one in and soon the building is full.",
        "Calling {g} cockroaches is how the worst crimes in history started.",
        Pool::All,
    ),
    (
        "{g} multiply like rabbits.",
        "Comparing {g} to rabbits is disgusting and the paper should not print it.",
        Pool::Origin,
    ),
    (
        "{g} are a virus this country has caught.",
        "The virus hit {g} harder than most, the study found.",
        Pool::All,
    ),
    (
        "{g} are leeches on our health system.",
        "{g} are nurses and doctors in our health system.",
        Pool::All,
    ),
    (
        "{g} are more animal than human.",
        "{g} are more than the headlines make them out to be.",
        Pool::All,
    ),
    (
        "{g} are a swarm, and the swarm keeps coming.",
        "The word swarm for {g} belongs in propaganda, not in a newspaper.",
        Pool::Origin,
    ),
];

/// One person's behaviour: blamed on the whole group, or complained about as one person's.
const ONE_OR_ALL: &[Twin] = &[
    (
        "{one} cut in front of me in the queue today. Typical {g}, they're all like that.",
        "{one} cut in front of me in the queue today. Rude, but that's one person.",
        Pool::All,
    ),
    (
        "My landlord is {one} and never fixes anything. That's {g} for you.",
        "My landlord is {one} and never fixes anything. Worst landlord I've ever had.",
        Pool::All,
    ),
    (
        "A colleague, {one}, keeps taking credit for my work. Never work with {g}.",
        "A colleague, {one}, keeps taking credit for my work. I've reported it to my manager.",
        Pool::All,
    ),
    (
        "The person arrested for the robbery is {one}. No surprise, {g} are all criminals.",
        "The person arrested for the robbery is {one}. Let the court decide if they did it.",
        Pool::All,
    ),
    (
        "{one} was rude to my mother at the clinic. I've never met a decent one of them.",
        "{one} was rude to my mother at the clinic. We've filed a complaint about that nurse.",
        Pool::All,
    ),
];

/// Members of a group speaking of themselves: harmless, whatever words follow.
const IN_GROUP: &[&str] = &[
    "As {one}, I'm tired of reading comments like these.",
    "As {one}, I can tell you none of these stereotypes are true.",
    "I'm {one} and I've lived here all my life.",
];

/// A state, its people, one of them: criticism of the government is not hate of the people.
const STATES: &[(&str, &str, &str)] = &[
    ("the Russian government", "Russians", "Russian"),
    ("the Israeli government", "Israelis", "Israeli"),
    ("the Iranian government", "Iranians", "Iranian"),
    ("the Chinese government", "Chinese people", "Chinese person"),
    ("the Polish government", "Poles", "Pole"),
    ("the Turkish government", "Turks", "Turk"),
    ("the Mexican government", "Mexicans", "Mexican"),
    ("the Hungarian government", "Hungarians", "Hungarian"),
    ("the American government", "Americans", "American"),
];

/// Hatred of a people; `{gov}`, `{g}` and `{one}` from [`STATES`].
const AGAINST_PEOPLE: &[&str] = &[
    "{g} are all as rotten as {gov}.",
    "There are no innocent {g}, every one of them is guilty.",
    "{g} are a backward nation and always will be.",
    "Every {one} living here should be thrown out tomorrow.",
    "Never trust {g}, lying is in their blood.",
];

/// Criticism of the government, and the people defended.
const AGAINST_POLICY: &[&str] = &[
    "{gov}'s policy on refugees is cruel and should change.",
    "Criticising {gov} is not the same as hating {g}.",
    "Sanctions should hit {gov}, not ordinary {g}.",
    "I oppose what {gov} is doing, and I'll keep saying so.",
    "{g} have every right to protest against {gov}.",
];

fn fill(frame: &str, group: &Group) -> String {
    sentence_case(
        &frame
            .replace("{g}", group.plural)
            .replace("{one}", group.one),
    )
}

/// Each twin with two groups by rotation; the hateful and harmless sides name the same ones.
fn twins(
    offset: usize,
    sets: &'static [(&'static [Twin], bool)],
) -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    sets.iter().flat_map(move |&(set, insulting)| {
        set.iter()
            .enumerate()
            .flat_map(move |(t, &(hate, fine, who))| {
                (0..2).flat_map(move |k| {
                    let group = group_at(t + offset + 3 * k, 2 * k + 1, who);
                    [
                        (fill(hate, group), hateful(insulting)),
                        (fill(fine, group), [Some(false); 6]),
                    ]
                })
            })
    })
}

fn in_group() -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    IN_GROUP.iter().enumerate().flat_map(|(f, frame)| {
        (0..4).map(move |k| {
            (
                fill(frame, group_at(f, 3 * k + 2, Pool::All)),
                [Some(false); 6],
            )
        })
    })
}

fn states() -> impl Iterator<Item = (String, [Option<bool>; 6])> {
    let fill = |frame: &str, &(gov, people, one): &(&str, &str, &str)| {
        sentence_case(
            &frame
                .replace("{gov}", gov)
                .replace("{g}", people)
                .replace("{one}", one),
        )
    };
    STATES.iter().flat_map(move |state| {
        AGAINST_PEOPLE
            .iter()
            .map(move |f| (fill(f, state), hateful(false)))
            .chain(
                AGAINST_POLICY
                    .iter()
                    .map(move |f| (fill(f, state), [Some(false); 6])),
            )
    })
}

/// The twins (hateful side: abuse and identity attack, insult for the dehumanising ones;
/// harmless side: every label 0), members speaking of themselves, and peoples beside their
/// governments.
pub(super) fn contempt_templates() -> Vec<Row> {
    const SETS: &[(&[Twin], bool)] = &[
        (FIRST_PERSON, false),
        (QUESTIONS, false),
        (EXCLUSION, false),
        (DEHUMANISING, true),
        (ONE_OR_ALL, false),
    ];
    template_rows(
        "templates:contempt:",
        twins(0, SETS).chain(in_group()).chain(states()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::stereotypes::GROUPS;
    use super::*;
    use crate::domain::Label;
    use std::collections::HashSet;

    #[test]
    fn contempt_twins_balance_and_label_as_intended() {
        let rows = contempt_templates();
        let texts: HashSet<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts.len(), rows.len(), "no sentence twice");
        let (hate, fine): (Vec<&Row>, Vec<&Row>) = rows
            .iter()
            .partition(|r| r.labels[Label::Abuse.index()] == Some(true));
        let twins = FIRST_PERSON.len()
            + QUESTIONS.len()
            + EXCLUSION.len()
            + DEHUMANISING.len()
            + ONE_OR_ALL.len();
        assert_eq!(hate.len(), 2 * twins + STATES.len() * AGAINST_PEOPLE.len());
        assert!(fine.len() >= hate.len(), "{} / {}", hate.len(), fine.len());
        assert!(fine.iter().all(|r| r.labels == [Some(false); 6]));
        for r in &hate {
            assert_eq!(r.labels[Label::IdentityAttack.index()], Some(true));
            assert_eq!(r.labels[Label::Incitement.index()], Some(false));
            assert_eq!(r.labels[Label::Threat.index()], Some(false));
        }
        let insulting = |t: &str| rows.iter().find(|r| r.text.contains(t)).expect(t).labels;
        assert_eq!(
            insulting("multiply like rabbits")[Label::Insult.index()],
            Some(true)
        );
        assert_eq!(insulting("disgust me.")[Label::Insult.index()], None);
        let policy = rows
            .iter()
            .find(|r| r.text.starts_with("Criticising the Israeli government"))
            .expect("policy criticism");
        assert_eq!(policy.labels, [Some(false); 6]);
    }

    /// Every group a twin names is named by its hateful and its harmless side.
    #[test]
    fn each_named_group_is_in_both_classes() {
        let rows = contempt_templates();
        let mut named = 0;
        for group in GROUPS {
            let has = |harmful: bool| {
                rows.iter().any(|r| {
                    (r.labels[Label::Abuse.index()] == Some(true)) == harmful
                        && (r.text.contains(group.plural) || r.text.contains(group.one))
                })
            };
            // Members speaking of themselves are harmless only; every group a hateful
            // sentence names is named by a harmless one too.
            if has(true) {
                named += 1;
                assert!(has(false), "{}", group.plural);
            }
        }
        assert!(named >= 20, "{named} groups named");
    }
}
