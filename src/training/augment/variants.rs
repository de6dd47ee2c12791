//! Misspelt copies of a fixed subset of the other templates, harmful and harmless alike, with
//! the labels of their originals. Readers type fast ("dont", "musilms", "i hope"), and the
//! templates are all spelt and punctuated with care; without these copies a typo or a missing
//! capital would be evidence of the raw data's class rather than of nothing.
//!
//! The hand-written kinds added after the first copies (plain, collective, coded) get copies
//! of their own, one of every row, each with a letter-level slip (a letter dropped, doubled or
//! swapped, a word split, letters written as digits or symbols) and every other one also typed
//! in lower case without a final stop: readers misspell hate and threats as often as anything
//! else, and a tuned encoder that only saw them spelt with care read the misspelt ones worse.

use crate::training::dataset::Row;
use std::collections::HashSet;

/// About this many copies are made of each class (harmful, harmless).
pub(super) const PER_CLASS: usize = 400;

/// The ways a copy is misspelt; each copy takes one, by turn.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Edit {
    DropLetter,
    DoubleLetter,
    SwapLetters,
    NoApostrophes,
    Lowercase,
    NoFinalStop,
    SpacedWord,
    LeetWord,
    SplitWord,
    SymbolWord,
}

pub(super) const EDITS: [Edit; 8] = [
    Edit::DropLetter,
    Edit::DoubleLetter,
    Edit::SwapLetters,
    Edit::NoApostrophes,
    Edit::Lowercase,
    Edit::NoFinalStop,
    Edit::SpacedWord,
    Edit::LeetWord,
];

/// The slips of the late copies: inside a word, as fast typing makes them.
pub(super) const LETTER_EDITS: [Edit; 6] = [
    Edit::DropLetter,
    Edit::SwapLetters,
    Edit::SplitWord,
    Edit::DoubleLetter,
    Edit::SymbolWord,
    Edit::LeetWord,
];

/// FNV-1a, so the word an edit touches depends on the sentence and nothing else.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Byte range of a word of at least four ASCII letters chosen by `seed`.
fn pick_word(text: &str, seed: u64) -> Option<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= 4 {
                    words.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    let n = u64::try_from(words.len()).ok().filter(|&n| n > 0)?;
    usize::try_from(seed % n).ok().map(|k| words[k])
}

/// The text with the chosen word rewritten by `f`.
fn in_word(text: &str, seed: u64, f: impl Fn(&str) -> String) -> Option<String> {
    let (s, e) = pick_word(text, seed)?;
    Some(format!("{}{}{}", &text[..s], f(&text[s..e]), &text[e..]))
}

/// `word` with each letter in `table` written as its stand-in.
fn substitute(word: &str, table: &[(char, char)]) -> String {
    word.chars()
        .map(|c| {
            table
                .iter()
                .find(|&&(from, _)| from == c)
                .map_or(c, |&(_, to)| to)
        })
        .collect()
}

/// One misspelling of `text`, or None when the edit would change nothing.
pub(super) fn misspell(text: &str, edit: Edit) -> Option<String> {
    let seed = hash(text);
    // A letter inside the word: never the first, so the word stays recognisable.
    let at = |w: &str| 1 + usize::try_from(seed >> 8).unwrap_or(0) % (w.len() - 2);
    let out = match edit {
        Edit::DropLetter => in_word(text, seed, |w| {
            let i = at(w);
            format!("{}{}", &w[..i], &w[i + 1..])
        })?,
        Edit::DoubleLetter => in_word(text, seed, |w| {
            let i = at(w);
            format!("{}{}", &w[..=i], &w[i..])
        })?,
        Edit::SwapLetters => in_word(text, seed, |w| {
            let i = at(w);
            let b = w.as_bytes();
            format!(
                "{}{}{}{}",
                &w[..i],
                char::from(b[i + 1]),
                char::from(b[i]),
                &w[i + 2..]
            )
        })?,
        Edit::NoApostrophes => text.replace(['\'', '\u{2019}'], ""),
        Edit::Lowercase => text.to_lowercase(),
        Edit::NoFinalStop => text.trim_end_matches(['.', '!', '?']).to_string(),
        Edit::SpacedWord => in_word(text, seed, |w| {
            w.chars().map(String::from).collect::<Vec<_>>().join(" ")
        })?,
        Edit::LeetWord => in_word(text, seed, |w| {
            substitute(
                w,
                &[('a', '4'), ('e', '3'), ('i', '1'), ('o', '0'), ('s', '5')],
            )
        })?,
        Edit::SplitWord => in_word(text, seed, |w| {
            let i = at(w);
            format!("{} {}", &w[..i], &w[i..])
        })?,
        Edit::SymbolWord => in_word(text, seed, |w| substitute(w, &[('a', '@'), ('s', '$')]))?,
    };
    (out != text).then_some(out)
}

/// Whether a row says something harmful (any label true).
pub(super) fn is_harmful(row: &Row) -> bool {
    row.labels.contains(&Some(true))
}

/// `(index of the original in rows, misspelt text)`: every k-th row of each class, so each
/// class gets about [`PER_CLASS`] copies; each copy takes the next edit in turn, falling back
/// to the following ones when an edit changes nothing or writes a sentence that exists.
pub(super) fn variant_sources(rows: &[Row]) -> Vec<(usize, String)> {
    let mut seen: HashSet<String> = rows.iter().map(|r| r.text.clone()).collect();
    let mut out = Vec::new();
    for harmful in [true, false] {
        let class: Vec<usize> = (0..rows.len())
            .filter(|&i| is_harmful(&rows[i]) == harmful)
            .collect();
        let stride = (class.len() / PER_CLASS).max(1);
        for (k, &i) in class.iter().step_by(stride).take(PER_CLASS).enumerate() {
            let made = (0..EDITS.len())
                .filter_map(|j| misspell(&rows[i].text, EDITS[(k + j) % EDITS.len()]))
                .find(|t| !seen.contains(t));
            if let Some(text) = made {
                seen.insert(text.clone());
                out.push((i, text));
            }
        }
    }
    out
}

/// `(index in late, misspelt text)`: one copy of every row of `late` (the kinds written after
/// the first copies) that has a word to misspell; the `k`-th takes the `k`-th letter-level slip
/// in turn (the next one when a slip changes nothing or writes a sentence that exists), and
/// every odd one is also lower-cased without its final stop.
pub(super) fn late_variant_sources(late: &[Row], existing: &[Row]) -> Vec<(usize, String)> {
    let mut seen: HashSet<String> = existing
        .iter()
        .chain(late)
        .map(|r| r.text.clone())
        .collect();
    let mut out = Vec::new();
    for (k, row) in late.iter().enumerate() {
        let made = (0..LETTER_EDITS.len())
            .filter_map(|j| misspell(&row.text, LETTER_EDITS[(k + j) % LETTER_EDITS.len()]))
            .map(|t| as_typed(k, t))
            .find(|t| !seen.contains(t));
        if let Some(text) = made {
            seen.insert(text.clone());
            out.push((k, text));
        }
    }
    out
}

/// The `k`-th late copy's slip as it is typed: every odd one in lower case without a final stop.
fn as_typed(k: usize, slip: String) -> String {
    if k % 2 == 1 {
        slip.to_lowercase()
            .trim_end_matches(['.', '!', '?'])
            .to_string()
    } else {
        slip
    }
}

/// The late kinds' misspelt copies, with their originals' labels.
pub(super) fn late_variant_templates(late: &[Row], existing: &[Row]) -> Vec<Row> {
    super::template_rows(
        "templates:variant2:",
        late_variant_sources(late, existing)
            .into_iter()
            .map(|(k, text)| (text, late[k].labels)),
    )
}

/// The misspelt copies, with their originals' labels.
pub(super) fn variant_templates(rows: &[Row]) -> Vec<Row> {
    super::template_rows(
        "templates:variant:",
        variant_sources(rows)
            .into_iter()
            .map(|(i, text)| (text, rows[i].labels)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::augment::templates;

    #[test]
    fn each_edit_changes_the_text_as_named() {
        let t = "I don't think refugees are dangerous.";
        assert_eq!(
            misspell(t, Edit::NoApostrophes).as_deref(),
            Some("I dont think refugees are dangerous.")
        );
        assert_eq!(
            misspell(t, Edit::Lowercase).as_deref(),
            Some("i don't think refugees are dangerous.")
        );
        assert_eq!(
            misspell(t, Edit::NoFinalStop).as_deref(),
            Some("I don't think refugees are dangerous")
        );
        assert_eq!(misspell("No stop", Edit::NoFinalStop), None);
        for edit in [Edit::DropLetter, Edit::DoubleLetter] {
            let out = misspell(t, edit).expect("a word to edit");
            assert_eq!(out.len().abs_diff(t.len()), 1, "{out}");
        }
        let swapped = misspell(t, Edit::SwapLetters).expect("a word to edit");
        let mut a: Vec<char> = swapped.chars().collect();
        let mut b: Vec<char> = t.chars().collect();
        assert_ne!(a, b);
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "{swapped}");
        assert!(misspell(t, Edit::SpacedWord).expect("spaced").len() > t.len());
        assert!(
            misspell(t, Edit::LeetWord)
                .expect("leet")
                .contains(char::is_numeric)
        );
    }

    #[test]
    fn letter_slips_split_a_word_or_write_symbols() {
        let t = "Bans are sad laws.";
        let split = misspell(t, Edit::SplitWord).expect("a word to split");
        assert_eq!(split.len(), t.len() + 1);
        assert_eq!(split.replace(' ', ""), t.replace(' ', ""));
        let symbols = misspell(t, Edit::SymbolWord).expect("a word with a or s");
        assert!(symbols.contains(['@', '$']), "{symbols}");
        assert_eq!(misspell("Tiny words only: I do.", Edit::SymbolWord), None);
    }

    /// Every hand-written sentence after the first copies gets one copy of its own, with its
    /// labels, in both classes, misspelt by every letter-level slip somewhere.
    #[test]
    fn late_kinds_get_one_misspelt_copy_each() {
        let rows = templates();
        let late_start = rows
            .iter()
            .position(|r| r.id.starts_with("templates:plain:"))
            .expect("plain rows");
        let late_end = rows
            .iter()
            .position(|r| r.id.starts_with("templates:variant2:"))
            .expect("late copies");
        let (early, late) = (&rows[..late_start], &rows[late_start..late_end]);
        // Kinds added after the late copies (insults) follow them and get none.
        let copies_end = late_end
            + rows[late_end..]
                .iter()
                .take_while(|r| r.id.starts_with("templates:variant2:"))
                .count();
        let copies = &rows[late_end..copies_end];
        let sources = late_variant_sources(late, early);
        assert_eq!(sources.len(), copies.len());
        assert!(
            copies.len() + 10 >= late.len(),
            "{} / {}",
            copies.len(),
            late.len()
        );
        let originals: HashSet<&str> = late.iter().map(|r| r.text.as_str()).collect();
        let harmful = copies.iter().filter(|r| is_harmful(r)).count();
        assert!(harmful >= 500 && copies.len() - harmful >= harmful);
        for ((k, text), copy) in sources.iter().zip(copies) {
            assert_eq!(&copy.text, text);
            assert_eq!(copy.labels, late[*k].labels, "{text}");
            assert!(!originals.contains(text.as_str()), "{text}");
            if k % 2 == 1 {
                assert_eq!(text, &text.to_lowercase());
                assert!(!text.ends_with(['.', '!', '?']), "{text}");
            }
        }
        for edit in LETTER_EDITS {
            assert!(
                sources.iter().any(|(k, t)| misspell(&late[*k].text, edit)
                    .map(|m| as_typed(*k, m))
                    .as_ref()
                    == Some(t)),
                "{edit:?} never used"
            );
        }
    }

    #[test]
    fn variants_copy_both_classes_with_their_labels() {
        let rows = templates();
        // Kinds added after the variants are not misspelt: the base is what came before.
        let is_variant = |r: &Row| r.id.starts_with("templates:variant:");
        let base: Vec<Row> = rows
            .iter()
            .take_while(|r| !is_variant(r))
            .cloned()
            .collect();
        let variants: Vec<Row> = rows.iter().filter(|r| is_variant(r)).cloned().collect();
        let sources = variant_sources(&base);
        assert_eq!(sources.len(), variants.len());
        for ((i, text), v) in sources.iter().zip(&variants) {
            assert_eq!(&v.text, text);
            assert_eq!(v.labels, base[*i].labels, "{text}");
            assert_ne!(&base[*i].text, text);
        }
        let harmful = variants.iter().filter(|r| is_harmful(r)).count();
        let harmless = variants.len() - harmful;
        assert!(
            harmful >= PER_CLASS - 5 && harmless >= harmful,
            "{harmful} / {harmless}"
        );
        for edit in EDITS {
            assert!(
                sources
                    .iter()
                    .any(|(i, t)| misspell(&base[*i].text, edit).as_ref() == Some(t)),
                "{edit:?} never used"
            );
        }
    }
}
