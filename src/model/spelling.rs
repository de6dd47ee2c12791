//! Spelling repair for the sentence stage. Readers typing fast, or dodging a filter, write
//! `Mulsims`, `bulelt`, `vermi n`; the encoder's tokenizer cuts such a word into pieces that
//! carry none of its meaning. The normaliser already undoes disguises that follow a rule
//! (`k1ll`, `s h o o t`); this undoes plain typos, against a dictionary of the words training
//! comments use (with their counts), the tokenizer's own whole words and, when given, a word
//! list of the language (Debian's `wamerican` and `wbritish`).
//!
//! A word is repaired only when the dictionary does not know it (nor its singular): into the
//! known word one edit away (a letter dropped, added, replaced, or two neighbours swapped) that
//! training comments use most; a word they never use is not a repair, however English. Edits
//! never touch the first letter, which typists rarely get wrong, so an unknown word does not
//! become a different word that merely rhymes with it. Two neighbouring pieces of which one is
//! unknown are joined when together they make a known word (`vermi n`); an unknown word no
//! edit repairs is split into two words comments use when it runs them together
//! (`mentallyill`). Words shorter than four letters have too many neighbours to guess from and
//! are left alone.

use super::normalize::Normalized;
use std::collections::HashMap;

/// The dictionary's file in a model version directory (and beside cached vectors).
pub const SPELLING_FILE: &str = "words.tsv";

/// Words seen fewer times than this in training comments are not in the dictionary (unless the
/// tokenizer or a word list knows them): rarer spellings are mostly typos themselves.
pub const MIN_COUNT: u32 = 3;

const MIN_REPAIR_LEN: usize = 4;
/// Shorter unknown words are typos of one word far more often than two words run together.
const MIN_SPLIT_LEN: usize = 6;
/// Longer tokens are pasted strings, URLs' remains or words run together, not one typo.
const MAX_REPAIR_LEN: usize = 24;
/// Tokens past this are copied as they are: the encoder reads at most 128 word pieces, so
/// repairing a long comment's tail would only cost time.
const MAX_REPAIRED_TOKENS: usize = 256;

/// Known words and how often training comments use them.
#[derive(Debug, Clone, PartialEq)]
pub struct Speller {
    counts: HashMap<Box<str>, u32>,
}

/// The words of one letter; every other single letter is a piece of a word.
fn is_one_letter_word(w: &str) -> bool {
    matches!(w, "a" | "i")
}

/// A word the speller may repair or produce: ASCII lowercase letters only (what the normaliser
/// leaves of an ordinary English word).
fn is_plain_word(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())
}

impl Speller {
    /// The dictionary of `texts` (normalised as the encoder reads them): every plain word used
    /// at least [`MIN_COUNT`] times, plus each of `known` (the tokenizer's whole words, a word
    /// list; case folded) with its count, however small.
    pub fn build<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Speller {
        let mut seen: HashMap<Box<str>, u32> = HashMap::new();
        let mut norm = Normalized::default();
        for text in texts {
            norm.run(text);
            for t in norm.tokens.iter().filter(|t| !t.punct) {
                let w = norm.token_text(t);
                if w.len() >= 2 && is_plain_word(w) {
                    *seen.entry(w.into()).or_default() += 1;
                }
            }
        }
        let mut counts: HashMap<Box<str>, u32> = known
            .into_iter()
            .map(str::to_lowercase)
            .filter(|w| w.len() >= 2 && is_plain_word(w))
            .map(|w| {
                let n = seen.get(w.as_str()).copied().unwrap_or(0);
                (Box::from(w), n)
            })
            .collect();
        counts.extend(seen.into_iter().filter(|&(_, n)| n >= MIN_COUNT));
        Speller { counts }
    }

    /// Read the file [`Speller::to_tsv`] writes: `word<TAB>count` per line.
    pub fn from_tsv(text: &str) -> Result<Speller, String> {
        let mut counts = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let bad = || format!("line {}: expected `word<TAB>count`, got {line:?}", i + 1);
            let (word, count) = line.split_once('\t').ok_or_else(bad)?;
            let count: u32 = count.parse().map_err(|_| bad())?;
            if !is_plain_word(word) {
                return Err(bad());
            }
            if counts.insert(Box::from(word), count).is_some() {
                return Err(format!("line {}: {word:?} is listed twice", i + 1));
            }
        }
        Ok(Speller { counts })
    }

    /// The dictionary as `word<TAB>count` lines, sorted by word, so one dictionary is always
    /// one file (and one checksum).
    pub fn to_tsv(&self) -> String {
        let mut words: Vec<(&str, u32)> = self.counts.iter().map(|(w, &n)| (&**w, n)).collect();
        words.sort_unstable();
        let mut out = String::with_capacity(words.len() * 10);
        for (w, n) in words {
            out.push_str(w);
            out.push('\t');
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    fn knows(&self, w: &str) -> bool {
        is_one_letter_word(w)
            || self.counts.contains_key(w)
            || w.strip_suffix('s')
                .is_some_and(|stem| self.counts.contains_key(stem))
    }

    /// The normalised comment as one line, as [`Normalized::sentence`] gives it, with unknown
    /// words repaired.
    pub fn sentence(&self, norm: &Normalized) -> String {
        let mut out = String::with_capacity(norm.buf.len() + norm.tokens.len() + 8);
        let mut joined = String::new();
        let mut candidate = Vec::new();
        let mut i = 0;
        while i < norm.tokens.len() {
            if i > 0 {
                out.push(' ');
            }
            let t = &norm.tokens[i];
            let word = norm.token_text(t);
            if i >= MAX_REPAIRED_TOKENS {
                out.push_str(word);
                i += 1;
                continue;
            }
            if let Some(next) = norm.tokens.get(i + 1).filter(|n| !t.punct && !n.punct) {
                let next_word = norm.token_text(next);
                joined.clear();
                joined.push_str(word);
                joined.push_str(next_word);
                if self.joins(word, next_word, &joined) {
                    out.push_str(&joined);
                    i += 2;
                    continue;
                }
            }
            if t.punct {
                out.push_str(word);
            } else if let Some(fixed) = self.repair(word, &mut candidate) {
                out.push_str(fixed);
            } else if let Some((left, right)) = self.split(word) {
                out.push_str(left);
                out.push(' ');
                out.push_str(right);
            } else {
                out.push_str(word);
            }
            i += 1;
        }
        out
    }

    /// Whether `left` and `right`, neighbours of which one is unknown, are one word split in
    /// two (`joined`, their concatenation, is known).
    fn joins(&self, left: &str, right: &str, joined: &str) -> bool {
        // `a drian` is `a drain`, not `adrian`: a one-letter word never joins.
        let both_known = self.knows(left) && self.knows(right);
        is_plain_word(joined)
            && !both_known
            && !is_one_letter_word(left)
            && !is_one_letter_word(right)
            && self.counts.contains_key(joined)
    }

    /// Two known words that `word` runs together (`mentallyill`), if it is an unknown plain word
    /// no one edit repairs: the split whose rarer half is most frequent.
    fn split<'w>(&self, word: &'w str) -> Option<(&'w str, &'w str)> {
        if !(MIN_SPLIT_LEN..=MAX_REPAIR_LEN).contains(&word.len())
            || !is_plain_word(word)
            || self.knows(word)
        {
            return None;
        }
        let count = |w: &str| self.counts.get(w).copied().filter(|&n| n >= MIN_COUNT);
        (2..=word.len() - 2)
            .filter_map(|k| {
                let (left, right) = word.split_at(k);
                Some((count(left)?.min(count(right)?), left, right))
            })
            .max_by_key(|&(n, ..)| n)
            .map(|(_, left, right)| (left, right))
    }

    /// The most frequent known word one edit from `word` (first letter kept), if `word` is an
    /// unknown plain word worth repairing. `candidate` is scratch space.
    fn repair<'s>(&'s self, word: &str, candidate: &mut Vec<u8>) -> Option<&'s str> {
        if !(MIN_REPAIR_LEN..=MAX_REPAIR_LEN).contains(&word.len())
            || !is_plain_word(word)
            || self.knows(word)
        {
            return None;
        }
        let w = word.as_bytes();
        let mut best: Option<(&'s str, u32)> = None;
        let mut consider = |c: &[u8]| {
            // Every candidate is ASCII, so this never fails.
            if let Ok(c) = std::str::from_utf8(c)
                && let Some((known, &n)) = self.counts.get_key_value(c)
                && n > 0
                && best.is_none_or(|(b, bn)| n > bn || (n == bn && &**known < b))
            {
                best = Some((known, n));
            }
        };
        for i in 1..w.len() {
            // A letter too many: drop it.
            candidate.clear();
            candidate.extend_from_slice(&w[..i]);
            candidate.extend_from_slice(&w[i + 1..]);
            consider(candidate);
        }
        for i in 0..w.len() - 1 {
            // Two neighbours swapped (the first two included: the first letter stays in the word).
            if w[i] != w[i + 1] {
                candidate.clear();
                candidate.extend_from_slice(w);
                candidate.swap(i, i + 1);
                consider(candidate);
            }
        }
        for i in 1..=w.len() {
            for letter in b'a'..=b'z' {
                // A wrong letter, and a missing one.
                if i < w.len() && letter != w[i] {
                    candidate.clear();
                    candidate.extend_from_slice(w);
                    candidate[i] = letter;
                    consider(candidate);
                }
                candidate.clear();
                candidate.extend_from_slice(&w[..i]);
                candidate.push(letter);
                candidate.extend_from_slice(&w[i..]);
                consider(candidate);
            }
        }
        best.map(|(known, _)| known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller() -> Speller {
        let texts = [
            "Muslims and immigrants and refugees, muslims immigrants refugees",
            "muslims immigrants refugees vermin vermin vermin sorry sorry sorry",
            "the bullet the bullet the bullet",
        ];
        Speller::build(texts, ["Lorry", "hanged", "skull", "isa", "adrian"])
    }

    fn read(s: &Speller, text: &str) -> String {
        let mut n = Normalized::default();
        n.run(text);
        s.sentence(&n)
    }

    #[test]
    fn repairs_one_edit_typos_to_known_words() {
        let s = speller();
        assert_eq!(read(&s, "Mulsims"), "muslims"); // swapped
        assert_eq!(read(&s, "immigants"), "immigrants"); // dropped
        assert_eq!(read(&s, "refugeees"), "refugees"); // doubled
        assert_eq!(read(&s, "bulelt"), "bullet"); // swapped
        assert_eq!(read(&s, "refugess"), "refugees"); // replaced
        assert_eq!(read(&s, "vermi n!"), "vermin !"); // split
        assert_eq!(read(&s, "thebullet"), "the bullet"); // run together
    }

    #[test]
    fn leaves_known_short_and_far_words_alone() {
        let s = speller();
        // Known to the tokenizer though rare in comments; and a plural of a known word.
        assert_eq!(read(&s, "lorry skulls"), "lorry skulls");
        // Unknown, but the only word one edit away changes the first letter; or no comment
        // uses it.
        assert_eq!(read(&s, "borry"), "borry");
        assert_eq!(read(&s, "hanhed"), "hanhed");
        assert_eq!(read(&s, "vrmn"), "vrmn"); // two edits
        assert_eq!(read(&s, "the rfg"), "the rfg"); // too short to guess
        assert_eq!(read(&s, "bullet2"), "bullet2"); // not a plain word
        // `a` and `i` are words, so `is a` is not an unknown piece of `isa`.
        assert_eq!(read(&s, "he is a bullet"), "he is a bullet");
        assert_eq!(read(&s, "a drian"), "a drian");
    }

    #[test]
    fn the_most_frequent_candidate_wins_and_the_file_round_trips() {
        let s = Speller::build(["cat cat cat cut cut cut cut coat coat coat"], []);
        // `cut` (drop a, 4 uses) beats `cat` (drop u, 3 uses).
        assert_eq!(read(&s, "caut"), "cut");
        let back = Speller::from_tsv(&s.to_tsv()).expect("round trip");
        assert_eq!(back, s);
        assert!(Speller::from_tsv("cat\tthree\n").is_err());
        assert!(Speller::from_tsv("Cat\t3\n").is_err());
        assert!(Speller::from_tsv("cat\t3\ncat\t4\n").is_err());
    }
}
