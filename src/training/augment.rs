//! Built-in counter-examples against identity-term bias.
//!
//! Abusive training comments mention groups (`muslims`, `gay`, `black`) far more often than
//! clean ones, so a bag-of-n-grams model learns the group words themselves as abuse and flags
//! "Gay people deserve equal rights." (Dixon et al., 2018, "Measuring and Mitigating Unintended
//! Bias in Text Classification"). These sentences, written for talkback and not taken from any
//! dataset, put group words in neutral and friendly contexts and are added to training with
//! every label 0, so the evidence has to come from what is said about a group.

use super::dataset::{Row, Split};

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

/// The counter-example rows (source `templates`, split train, every label 0).
pub fn identity_templates() -> Vec<Row> {
    let fill = |template: &str, word: &str| {
        let text = template.replace("{}", word);
        // Sentence-initial capital, as people write.
        let mut chars = text.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => text,
        }
    };
    let adjectives = ADJECTIVE_TEMPLATES
        .iter()
        .flat_map(|t| ADJECTIVES.iter().map(move |w| fill(t, w)));
    let groups = GROUP_TEMPLATES
        .iter()
        .flat_map(|t| GROUPS.iter().map(move |w| fill(t, w)));
    adjectives
        .chain(groups)
        .enumerate()
        .map(|(i, text)| Row {
            id: format!("templates:{i}"),
            source: SOURCE.into(),
            split: Some(Split::Train),
            text,
            labels: [Some(false); 6],
            weight: 1.0,
        })
        .collect()
}
