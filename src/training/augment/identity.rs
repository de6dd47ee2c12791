//! Identity-term counter-examples: group words in neutral and friendly sentences, every label 0.

use super::{sentence_case, template_rows};
use crate::training::dataset::Row;

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
pub(super) const GROUPS: &[&str] = &[
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

/// The counter-example rows (every label 0).
pub(super) fn identity_templates() -> Vec<Row> {
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
