//! Built-in training sentences, written for talkback and not taken from any dataset, for two
//! things the labelled data teaches badly.
//!
//! Identity-term bias: abusive training comments mention groups (`muslims`, `gay`, `black`)
//! far more often than clean ones, so a bag-of-n-grams model learns the group words themselves
//! as abuse and flags "Gay people deserve equal rights." (Dixon et al., 2018, "Measuring and
//! Mitigating Unintended Bias in Text Classification"). [`identity_templates`] put group words
//! in neutral and friendly contexts with every label 0, so the evidence has to come from what
//! is said about a group.
//!
//! Calls for violence against a person, which the sources rarely phrase as newsroom readers do:
//! [`violence_templates`].

use super::dataset::{Row, Split};
use crate::domain::Label;

/// The `source` of the counter-example rows.
pub const SOURCE: &str = "templates";

/// Adjective forms: "a {} teacher".
const ADJECTIVES: &[&str] = &[
    "gay",
    "lesbian",
    "bisexual",
    "trans",
    "transgender",
    "queer",
    "black",
    "white",
    "asian",
    "latino",
    "hispanic",
    "arab",
    "jewish",
    "muslim",
    "christian",
    "catholic",
    "hindu",
    "sikh",
    "buddhist",
    "african",
    "mexican",
    "chinese",
    "indian",
    "immigrant",
    "disabled",
    "deaf",
    "female",
    "old",
    "young",
    "atheist",
];

/// Plural nouns: "{} deserve equal rights".
const GROUPS: &[&str] = &[
    "gay people",
    "lesbians",
    "trans people",
    "black people",
    "white people",
    "asians",
    "latinos",
    "arabs",
    "jews",
    "muslims",
    "christians",
    "catholics",
    "hindus",
    "sikhs",
    "immigrants",
    "refugees",
    "women",
    "men",
    "girls",
    "feminists",
    "disabled people",
    "mexicans",
    "africans",
    "gay men",
    "old people",
    "atheists",
];

const ADJECTIVE_TEMPLATES: &[&str] = &[
    "I am {}.",
    "My best friend is {}.",
    "My neighbour is {} and very kind.",
    "Being {} is nothing to be ashamed of.",
    "She is a {} doctor at the local hospital.",
    "He is a {} teacher who loves his job.",
    "The {} community organised a food drive for the winter.",
    "We welcomed a {} family to our street last year.",
];

const GROUP_TEMPLATES: &[&str] = &[
    "{} deserve equal rights.",
    "{} are welcome here.",
    "Many {} live and work in this city.",
    "The report looks at how the new law affects {}.",
    "I respect {} and their traditions.",
    "The survey asked {} about housing costs.",
    "{} have served in the army for generations.",
    "The museum opened an exhibition about the history of {}.",
];

/// Every built-in row: identity counter-examples, then calls for violence and harmless uses.
pub fn templates() -> Vec<Row> {
    let mut rows = identity_templates();
    rows.extend(violence_templates());
    rows
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

/// The counter-example rows (every label 0).
fn identity_templates() -> Vec<Row> {
    let fill = |template: &str, word: &str| sentence_case(&template.replace("{}", word));
    let adjectives = ADJECTIVE_TEMPLATES
        .iter()
        .flat_map(|t| ADJECTIVES.iter().map(move |w| fill(t, w)));
    let groups = GROUP_TEMPLATES
        .iter()
        .flat_map(|t| GROUPS.iter().map(move |w| fill(t, w)));
    template_rows(
        "templates:",
        adjectives.chain(groups).map(|t| (t, [Some(false); 6])),
    )
}

/// Sentence-initial capital, as people write.
fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Calls for violence in the idioms newsroom readers use ("string him up", "put a bullet in
/// him"). The labelled data teaches incitement mostly from a few sources' wording (YouTube
/// threats against groups, coded tweets, Wikipedia threats), so plain calls such as "Hang the
/// judge." scored near 0 incitement and an independent list of 40 readers' calls for violence
/// had 1 of 40 over the hold bar (models/README.md). Each act is paired with four call frames
/// and one target per frame by rotation, so every act appears in several frames without the
/// set (168 calls) outweighing the ~3,200 real incitement positives.
const VIOLENT_ACTS: &[&str] = &[
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

const CALL_FRAMES: &[&str] = &[
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
const HARMLESS_ACTS: &[&str] = &[
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
const DESERVED_HARMS: &[&str] = &[
    "{} should be shot",
    "{} deserve to be hanged",
    "{} need to be put down like rabid dogs",
    "{} should be lined up against a wall",
    "{} deserve a bullet",
    "{} should all die",
    "{} should be burned alive",
    "{} deserve to be beaten senseless",
];

const DESERVING: &[&str] = &[
    "they",
    "these people",
    "people like that",
    "traitors like them",
    "the protesters",
];

/// The same statement frames with harmless content.
const DESERVED_GOOD: &[&str] = &[
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
const HARMLESS_USES: &[&str] = &[
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
fn violence_templates() -> Vec<Row> {
    let mut violent = [None; 6];
    violent[Label::Incitement.index()] = Some(true);
    violent[Label::Threat.index()] = Some(true);
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

#[cfg(test)]
mod tests {
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
    fn all_templates_have_unique_ids_and_the_template_source() {
        let rows = templates();
        let ids: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), rows.len());
        assert!(
            rows.iter()
                .all(|r| r.source == SOURCE && r.split == Some(Split::Train))
        );
    }
}
