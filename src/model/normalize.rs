//! Text normalisation for the classifier: turns a raw comment into tokens that survive the ways
//! people write (and disguise) abuse, while remembering where each token came from in the
//! ORIGINAL text so explanations can point at the right characters.
//!
//! Steps, in order: HTML entities decoded; Unicode compatibility folding (NFKD, combining marks
//! dropped, so `ｆｕｃｋ`, `𝐟𝐮𝐜𝐤` and `fück` all read `fuck`); lowercase; zero-width characters
//! dropped; URLs and @mentions replaced by placeholders; leetspeak inside words undone (`k1ll`,
//! `sh00t`, `$hit`); masked profanity restored (`f*ck`, `sh**`); letters repeated more than twice
//! squeezed to two; single letters separated by spaces or dots re-joined (`s h o o t`).
//!
//! Offsets are character (Unicode scalar) indices into the original text, end exclusive.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Placeholder tokens. They contain `_` so no real word can collide with them.
pub const URL_TOKEN: &str = "_url_";
pub const USER_TOKEN: &str = "_user_";

/// Longest token kept verbatim; longer runs (base64, repeated spam) are cut because their tail
/// carries no signal and would only cost time.
const MAX_TOKEN_CHARS: usize = 40;

/// Tokens beyond this are ignored: explanations index tokens with `u16`, and a comment this long
/// is far beyond any size the service accepts.
pub const MAX_TOKENS: usize = 16_000;

/// One token of normalised text: its bytes in [`Normalized::buf`] and the original characters it
/// was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub text_start: u32,
    pub text_end: u32,
    /// First original character (inclusive).
    pub start: u32,
    /// Last original character (exclusive).
    pub end: u32,
    /// Punctuation (`!!`, `?`, `...`, `(((`): kept because it carries tone and coded meaning,
    /// but left out of word bigrams and explanations.
    pub punct: bool,
}

/// A normalised character and the original characters it came from.
#[derive(Debug, Clone, Copy)]
struct NChar {
    c: char,
    start: u32,
    end: u32,
}

/// Reusable buffers: normalising allocates nothing once these have grown to the comment size.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Token texts, back to back without separators (merging adjacent tokens is then free).
    pub buf: String,
    pub tokens: Vec<Token>,
    orig: Vec<char>,
    chars: Vec<NChar>,
    word: Vec<NChar>,
    /// Holds a word run while its pieces are pushed through `word` (swapped, so neither
    /// buffer loses its capacity).
    run: Vec<NChar>,
    /// Reproduce normaliser v2, for models trained with it: `!` between letters was always
    /// read as `i` (`idiot!!!get` was one word) and hashtags were not split into words.
    pub compat_v2: bool,
}

impl Normalized {
    pub fn token_text(&self, t: &Token) -> &str {
        &self.buf[t.text_start as usize..t.text_end as usize]
    }

    /// The tokens as one line, separated by spaces: the normalised comment as a sentence, for
    /// readers of whole sentences (the sentence stage) rather than of n-grams.
    pub fn sentence(&self) -> String {
        let mut out = String::with_capacity(self.buf.len() + self.tokens.len());
        for (i, t) in self.tokens.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.token_text(t));
        }
        out
    }

    /// Original characters `[start, end)` of the last normalised text.
    pub fn original(&self, start: u32, end: u32) -> String {
        let end = (end as usize).min(self.orig.len());
        let start = (start as usize).min(end);
        self.orig[start..end].iter().collect()
    }

    /// Normalise `text` into `self`, replacing what was there.
    pub fn run(&mut self, text: &str) {
        self.buf.clear();
        self.tokens.clear();
        self.orig.clear();
        self.orig.extend(text.chars());
        self.fold_chars();
        self.tokenize();
        self.join_spaced_letters();
    }

    /// Entities, compatibility folding and case: one original char may become several (`ﬁ`) or
    /// none (zero-width space), and one entity of several chars becomes one.
    fn fold_chars(&mut self) {
        self.chars.clear();
        let mut i = 0;
        while i < self.orig.len() {
            let c = self.orig[i];
            if c == '&'
                && let Some((decoded, len)) = decode_entity(&self.orig[i..])
            {
                push_folded(&mut self.chars, decoded, i as u32, (i + len) as u32);
                i += len;
                continue;
            }
            push_folded(&mut self.chars, c, i as u32, i as u32 + 1);
            i += 1;
        }
    }

    /// Split on whitespace into chunks; each chunk is a URL, a mention, or text that yields word
    /// tokens and symbol (emoji) tokens.
    fn tokenize(&mut self) {
        let chars = std::mem::take(&mut self.chars);
        let mut i = 0;
        while i < chars.len() && self.tokens.len() < MAX_TOKENS {
            if chars[i].c.is_whitespace() {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len() && !chars[j].c.is_whitespace() {
                j += 1;
            }
            self.chunk(&chars[i..j]);
            i = j;
        }
        self.chars = chars;
    }

    fn chunk(&mut self, chunk: &[NChar]) {
        if is_url(chunk) {
            self.push_placeholder(URL_TOKEN, chunk[0].start, chunk[chunk.len() - 1].end);
            return;
        }
        // `@name` (possibly followed by `:` as in retweets) is a mention; `@` inside a word is
        // leetspeak and handled below.
        if chunk[0].c == '@' && chunk.len() > 1 && is_word_char(chunk[1].c) {
            let end = chunk[1..]
                .iter()
                .position(|n| !is_word_char(n.c))
                .map_or(chunk.len(), |p| p + 1);
            self.push_placeholder(USER_TOKEN, chunk[0].start, chunk[end - 1].end);
            if end < chunk.len() {
                self.chunk_words(&chunk[end..], false);
            }
            return;
        }
        // `#LockThemUp` is three words; the case that shows it is gone after folding, so the
        // pieces are found from the original characters.
        let hashtag = !self.compat_v2 && chunk[0].c == '#';
        self.chunk_words(chunk, hashtag);
    }

    /// Word runs (letters, digits and the symbols people substitute for letters), punctuation
    /// runs, and emoji.
    fn chunk_words(&mut self, chunk: &[NChar], hashtag: bool) {
        let mut i = 0;
        while i < chunk.len() {
            let c = chunk[i].c;
            let mut j = i + 1;
            if is_word_char(c) || is_leet_symbol(c) {
                while j < chunk.len() && (is_word_char(chunk[j].c) || is_leet_symbol(chunk[j].c)) {
                    j += 1;
                }
                let run = &chunk[i..j];
                // Symbols at the edges are punctuation (`idiot!`), not letters.
                match run.iter().position(|n| is_word_char(n.c)) {
                    None => self.push_punct(run),
                    Some(first) => {
                        let last = run.iter().rposition(|n| is_word_char(n.c)).unwrap_or(first);
                        self.push_punct(&run[..first]);
                        self.word_run(&run[first..=last], hashtag);
                        self.push_punct(&run[last + 1..]);
                    }
                }
            } else if is_symbol_token(c) {
                self.word.clear();
                self.word.push(chunk[i]);
                self.push_word(false);
            } else {
                while j < chunk.len()
                    && !is_word_char(chunk[j].c)
                    && !is_leet_symbol(chunk[j].c)
                    && !is_symbol_token(chunk[j].c)
                {
                    j += 1;
                }
                self.push_punct(&chunk[i..j]);
            }
            i = j;
        }
    }

    fn push_punct(&mut self, run: &[NChar]) {
        if run.is_empty() {
            return;
        }
        self.word.clear();
        self.word.extend_from_slice(run);
        self.push_word(true);
    }

    /// One run of word characters and leet symbols, e.g. `k1ll`, `f*ck`, `don't`, `2020`, `!!!`;
    /// in a `#hashtag` its camel-case pieces become words of their own. One state machine over
    /// the run (leet, elongation, camel case), on the scoring hot path.
    fn word_run(&mut self, run: &[NChar], hashtag: bool) {
        self.word.clear();
        self.word.extend_from_slice(run);
        // A block of digits/symbols with a letter on both sides stands for letters (`k1ll`,
        // `sh00t`, `b!tch`); digits elsewhere (`2020`, `covid19`) stay digits.
        let mut k = 0;
        while k < self.word.len() {
            let c = self.word[k].c;
            if c.is_alphabetic() || leet_letter(c).is_none() {
                k += 1;
                continue;
            }
            let mut e = k;
            while e < self.word.len()
                && !self.word[e].c.is_alphabetic()
                && leet_letter(self.word[e].c).is_some()
            {
                e += 1;
            }
            let bounded = k > 0
                && self.word[k - 1].c.is_alphabetic()
                && e < self.word.len()
                && self.word[e].c.is_alphabetic();
            // A sentence end is left in place: the split below makes it a token of its own.
            let sentence_end = bounded && !self.compat_v2 && self.bangs_end_sentence(k, e);
            if bounded && !sentence_end {
                for n in &mut self.word[k..e] {
                    if let Some(l) = leet_letter(n.c) {
                        n.c = l;
                    }
                }
            }
            k = e;
        }
        // `don't` -> `dont`: apostrophes vary (straight, curly, missing) across sources.
        self.word.retain(|n| !matches!(n.c, '\'' | '`'));
        if self.word.iter().any(|n| n.c == '*') {
            unmask(&mut self.word);
        }
        // Split what is left at any remaining symbol; `!`s between words are punctuation, as
        // at a word's edge.
        std::mem::swap(&mut self.word, &mut self.run);
        let word = std::mem::take(&mut self.run);
        let mut i = 0;
        while i < word.len() {
            if !is_word_char(word[i].c) {
                let mut j = i;
                while j < word.len() && word[j].c == '!' {
                    j += 1;
                }
                if j > i && !self.compat_v2 {
                    self.push_punct(&word[i..j]);
                    i = j;
                } else {
                    i += 1;
                }
                continue;
            }
            let mut j = i;
            while j < word.len() && is_word_char(word[j].c) {
                j += 1;
            }
            let mut piece = i;
            if hashtag {
                for k in i + 1..j {
                    if self.camel_boundary(&word[..j], k) {
                        self.word.clear();
                        self.word.extend_from_slice(&word[piece..k]);
                        self.push_word(false);
                        piece = k;
                    }
                }
            }
            self.word.clear();
            self.word.extend_from_slice(&word[piece..j]);
            self.push_word(false);
            i = j;
        }
        self.run = word;
        self.word.clear();
    }

    /// Whether a new word starts at `word[k]` in a hashtag, judged by the original characters'
    /// case: `Lock|Them|Up`, `Is|A|Mental` (a capital before a capitalised word), not inside
    /// `MAGA`.
    fn camel_boundary(&self, word: &[NChar], k: usize) -> bool {
        let case = |i: usize| {
            let c = self.orig[word[i].start as usize];
            (c.is_uppercase(), c.is_lowercase())
        };
        let (upper, _) = case(k);
        let (prev_upper, prev_lower) = case(k - 1);
        upper && (prev_lower || (prev_upper && k + 1 < word.len() && case(k + 1).1))
    }

    /// Whether the leet-symbol block `word[k..e]`, between letters, ends a sentence typed
    /// without a space (`idiot!!!get out`, `part!you`) rather than standing for letters
    /// (`sh!t`, `b!tch`, `lesb!an`): only `!`s, and either several of them or a word of three
    /// or more letters on both sides.
    fn bangs_end_sentence(&self, k: usize, e: usize) -> bool {
        if !self.word[k..e].iter().all(|n| n.c == '!') {
            return false;
        }
        let letters = |it: &mut dyn Iterator<Item = &NChar>| {
            it.take_while(|n| n.c.is_alphabetic()).take(3).count()
        };
        let before = letters(&mut self.word[..k].iter().rev());
        let after = letters(&mut self.word[e..].iter());
        e - k >= 2 || (before >= 3 && after >= 3)
    }

    /// Append `self.word` as a token, squeezing letter runs longer than two (`stuuupid` ->
    /// `stuupid`) and cutting very long tokens.
    fn push_word(&mut self, punct: bool) {
        if self.word.is_empty() || self.tokens.len() >= MAX_TOKENS {
            return;
        }
        let text_start = self.buf.len() as u32;
        let mut prev = '\0';
        let mut run = 0;
        let mut kept = 0;
        for n in &self.word {
            if n.c == prev {
                run += 1;
            } else {
                prev = n.c;
                run = 1;
            }
            if run > 2 {
                continue;
            }
            if kept == MAX_TOKEN_CHARS {
                break;
            }
            self.buf.push(n.c);
            kept += 1;
        }
        self.tokens.push(Token {
            text_start,
            text_end: self.buf.len() as u32,
            start: self.word[0].start,
            end: self.word[self.word.len() - 1].end,
            punct,
        });
    }

    fn push_placeholder(&mut self, text: &str, start: u32, end: u32) {
        let text_start = self.buf.len() as u32;
        self.buf.push_str(text);
        self.tokens.push(Token {
            text_start,
            text_end: self.buf.len() as u32,
            start,
            end,
            punct: false,
        });
    }

    /// `s h o o t`, `s.h.o.o.t`, `s-h-o-o-t`: three or more single letters, each close to the
    /// previous one in the original text (at most one separator between), become one token.
    fn join_spaced_letters(&mut self) {
        let letter = |t: &Token, buf: &str| -> Option<char> {
            let mut it = buf[t.text_start as usize..t.text_end as usize].chars();
            match (it.next(), it.next()) {
                (Some(c), None) if c.is_alphabetic() && !t.punct => Some(c),
                _ => None,
            }
        };
        let separator = |t: &Token, buf: &str| {
            t.punct
                && matches!(
                    &buf[t.text_start as usize..t.text_end as usize],
                    "." | "-" | "_" | "*"
                )
        };
        let n = self.tokens.len();
        let mut out = 0;
        let mut i = 0;
        while i < n {
            if letter(&self.tokens[i], &self.buf).is_some() {
                let (mut last, mut count, mut k) = (i, 1, i + 1);
                loop {
                    let mut m = k;
                    if m < n && separator(&self.tokens[m], &self.buf) {
                        m += 1;
                    }
                    if m < n
                        && letter(&self.tokens[m], &self.buf).is_some()
                        && self.tokens[m].start <= self.tokens[last].end + 2
                    {
                        count += 1;
                        last = m;
                        k = m + 1;
                    } else {
                        break;
                    }
                }
                if count >= 3 {
                    // The letters are not contiguous in `buf` when separators sit between
                    // them, so the joined word is appended afresh.
                    let text_start = self.buf.len() as u32;
                    for t in i..=last {
                        if let Some(c) = letter(&self.tokens[t], &self.buf) {
                            self.buf.push(c);
                        }
                    }
                    self.tokens[out] = Token {
                        text_start,
                        text_end: self.buf.len() as u32,
                        start: self.tokens[i].start,
                        end: self.tokens[last].end,
                        punct: false,
                    };
                    out += 1;
                    i = last + 1;
                    continue;
                }
            }
            self.tokens[out] = self.tokens[i];
            out += 1;
            i += 1;
        }
        self.tokens.truncate(out);
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_leet_symbol(c: char) -> bool {
    matches!(c, '@' | '$' | '!' | '|' | '*' | '\'' | '`' | '+')
}

/// Emoji and other pictographs carry meaning (🖕, 🔪) and get a token of their own.
fn is_symbol_token(c: char) -> bool {
    !c.is_ascii()
        && !c.is_alphanumeric()
        && !c.is_whitespace()
        && !('\u{2000}'..='\u{206f}').contains(&c)
        && !('\u{fe00}'..='\u{fe0f}').contains(&c)
        && c != '\u{00a0}'
}

/// The letter a digit or symbol stands for inside a word.
fn leet_letter(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        '8' => 'b',
        _ => return None,
    })
}

/// Words people mask with `*`; a masked word matching one of these (same length, visible letters
/// equal) is restored, e.g. `f*ck`, `f**k`, `sh*t`, `b***h`.
const MASKED_WORDS: &[&str] = &[
    "fuck",
    "fucking",
    "fucker",
    "fucked",
    "fucks",
    "motherfucker",
    "shit",
    "shitty",
    "bullshit",
    "bitch",
    "bitches",
    "cunt",
    "dick",
    "dickhead",
    "cock",
    "asshole",
    "ass",
    "bastard",
    "damn",
    "nigger",
    "nigga",
    "whore",
    "slut",
    "pussy",
    "faggot",
    "fag",
    "retard",
    "retarded",
    "kill",
    "shoot",
    "rape",
    "hell",
    "crap",
    "piss",
    "twat",
    "wanker",
    "idiot",
    "stupid",
    "moron",
];

fn unmask(word: &mut Vec<NChar>) {
    for cand in MASKED_WORDS {
        if cand.chars().count() != word.len() {
            continue;
        }
        let fits = cand
            .chars()
            .zip(word.iter())
            .all(|(a, n)| n.c == '*' || n.c == a);
        let visible = word.iter().filter(|n| n.c != '*').count();
        if fits && visible >= 1 {
            for (a, n) in cand.chars().zip(word.iter_mut()) {
                n.c = a;
            }
            return;
        }
    }
    // Unknown masked word: drop the stars so the visible letters still form n-grams.
    word.retain(|n| n.c != '*');
}

fn is_url(chunk: &[NChar]) -> bool {
    let starts =
        |p: &str| chunk.len() > p.len() && p.chars().zip(chunk.iter()).all(|(a, n)| a == n.c);
    starts("http://") || starts("https://") || starts("www.")
}

/// Push `c` compatibility-folded and lowercased, all pieces pointing at original `[start, end)`.
fn push_folded(out: &mut Vec<NChar>, c: char, start: u32, end: u32) {
    if c.is_ascii() {
        out.push(NChar {
            c: c.to_ascii_lowercase(),
            start,
            end,
        });
        return;
    }
    match c {
        // Zero-width and soft hyphen: invisible, used to split words past filters.
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{00ad}' => return,
        '\u{2018}' | '\u{2019}' | '\u{02bc}' => {
            out.push(NChar {
                c: '\'',
                start,
                end,
            });
            return;
        }
        _ => {}
    }
    for d in std::iter::once(c).nfkd() {
        if is_combining_mark(d) {
            continue;
        }
        for l in d.to_lowercase() {
            out.push(NChar { c: l, start, end });
        }
    }
}

/// Decode an HTML entity at the start of `s` (which begins with `&`): the character and how many
/// original characters the entity spans. Hand-written rather than `html-escape` because the
/// normaliser must map every output character back to its source span, which a whole-string
/// decoder does not report; the table is what comment streams actually carry, and changing it
/// changes features (normaliser version).
fn decode_entity(s: &[char]) -> Option<(char, usize)> {
    let semi = s.iter().take(12).position(|&c| c == ';')?;
    let body: String = s[1..semi].iter().collect();
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        char::from_u32(code)?
    } else {
        match body.as_str() {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "ndash" => '-',
            "mdash" => '-',
            "hellip" => '.',
            "rsquo" | "lsquo" => '\'',
            "ldquo" | "rdquo" => '"',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        let mut n = Normalized::default();
        n.run(text);
        n.tokens
            .iter()
            .filter(|t| !t.punct)
            .map(|t| n.token_text(t).to_string())
            .collect()
    }

    #[test]
    fn exclamation_marks_between_words_end_a_sentence_unless_they_stand_for_letters() {
        assert_eq!(
            toks("evil!!!!Death to them"),
            ["evil", "death", "to", "them"]
        );
        assert_eq!(
            toks("i hate you!!!!i hate you"),
            ["i", "hate", "you", "i", "hate", "you"]
        );
        assert_eq!(
            toks("what an idiot!just go"),
            ["what", "an", "idiot", "just", "go"]
        );
        assert_eq!(toks("sh!t b!tch lesb!an"), ["shit", "bitch", "lesbian"]);
        // The marks stay as punctuation, as after a word's last letter.
        let mut n = Normalized::default();
        n.run("evil!!!death");
        let all: Vec<_> = n.tokens.iter().map(|t| n.token_text(t)).collect();
        assert_eq!(all, ["evil", "!!", "death"]);
        // Models trained with normaliser v2 read every `!` between letters as `i`.
        n.compat_v2 = true;
        n.run("evil!!!death part!you");
        let all: Vec<_> = n.tokens.iter().map(|t| n.token_text(t)).collect();
        assert_eq!(all, ["eviliideath", "partiyou"]);
    }

    #[test]
    fn camel_case_hashtags_are_split_into_words() {
        assert_eq!(toks("#LockThemUp now"), ["lock", "them", "up", "now"]);
        assert_eq!(
            toks("#LiberalismIsAMentalDisorder"),
            ["liberalism", "is", "a", "mental", "disorder"]
        );
        assert_eq!(
            toks("#MAGA #maga #VoteRed2018"),
            ["maga", "maga", "vote", "red2018"]
        );
        // Only hashtags: brand names keep their capitals together.
        assert_eq!(
            toks("my iPhone and YouTube"),
            ["my", "iphone", "and", "youtube"]
        );
        let mut n = Normalized::default();
        n.run("#WalkAway");
        let spans: Vec<_> = n
            .tokens
            .iter()
            .filter(|t| !t.punct)
            .map(|t| (t.start, t.end))
            .collect();
        assert_eq!(spans, [(1, 5), (5, 9)]);
        n.compat_v2 = true;
        n.run("#WalkAway");
        assert_eq!(n.token_text(&n.tokens[1]), "walkaway");
    }

    #[test]
    fn folds_obfuscations() {
        assert_eq!(toks("I will K1LL you"), ["i", "will", "kill", "you"]);
        assert_eq!(toks("sh00t them"), ["shoot", "them"]);
        assert_eq!(toks("f*ck off"), ["fuck", "off"]);
        assert_eq!(toks("s h o o t him"), ["shoot", "him"]);
        assert_eq!(toks("stuuuuupid!!!"), ["stuupid"]);
        assert_eq!(toks("ＦＵＣＫ"), ["fuck"]);
        assert_eq!(toks("you &amp; me"), ["you", "me"]);
        assert_eq!(toks("don't"), ["dont"]);
        assert_eq!(toks("in 2020 we"), ["in", "2020", "we"]);
        assert_eq!(toks("s.h.o.o.t him"), ["shoot", "him"]);
        let mut n = Normalized::default();
        n.run("idiot!!!! (((they)))");
        let all: Vec<_> = n.tokens.iter().map(|t| n.token_text(t)).collect();
        assert_eq!(all, ["idiot", "!!", "((", "they", "))"]);
    }

    #[test]
    fn placeholders_and_offsets() {
        let mut n = Normalized::default();
        let text = "@bob: see https://x.y/z now é";
        n.run(text);
        let t: Vec<_> = n.tokens.iter().map(|t| n.token_text(t)).collect();
        assert_eq!(t, ["_user_", ":", "see", "_url_", "now", "e"]);
        let chars: Vec<char> = text.chars().collect();
        let now = n.tokens[4];
        let s: String = chars[now.start as usize..now.end as usize].iter().collect();
        assert_eq!(s, "now");
        let e = n.tokens[5];
        assert_eq!((e.start, e.end), (28, 29));
    }
}
