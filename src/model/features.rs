//! Hashed n-gram features shared by training and scoring, so both see exactly the same vector.
//!
//! Word 1-2-grams and character 2-5-grams taken inside each token padded with spaces (the
//! `char_wb` style: n-grams never straddle words, which keeps them meaningful after
//! normalisation). Every n-gram is hashed with 64-bit FNV-1a (fixed, platform independent, no
//! random seed) into `2^buckets_log2` buckets, so no vocabulary from the data is stored.
//! Weighting is sublinear TF (`1 + ln tf`) times an IDF fixed at training time, and each block
//! (words, characters) is L2-normalised on its own, so a comment's vector depends on that
//! comment alone: scoring one comment gives exactly the score it gets in a batch.

use super::normalize::Normalized;
use serde::{Deserialize, Serialize};

/// Everything that determines the feature vector; stored in the manifest and checked on load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// Hash algorithm name; only `fnv1a64` exists. Recorded so a future change cannot silently
    /// load old weights.
    pub hash: String,
    pub buckets_log2: u32,
    pub word_ngrams: [u32; 2],
    pub char_ngrams: [u32; 2],
    pub sublinear_tf: bool,
    /// The word block's L2 norm (the character block's is 1): how much words count relative
    /// to character n-grams.
    #[serde(default = "one")]
    pub word_weight: f32,
    /// Also emit each word's light stem as a feature.
    #[serde(default)]
    pub stems: bool,
    /// Version of the normaliser's rules (`normalize.rs`); bump when they change.
    pub normalizer: u32,
}

fn one() -> f32 {
    1.0
}

pub const NORMALIZER_VERSION: u32 = 3;

impl Default for FeatureSpec {
    fn default() -> Self {
        Self {
            hash: "fnv1a64".into(),
            buckets_log2: 20,
            word_ngrams: [1, 2],
            char_ngrams: [2, 5],
            sublinear_tf: true,
            word_weight: 1.5,
            stems: false,
            normalizer: NORMALIZER_VERSION,
        }
    }
}

impl FeatureSpec {
    pub fn buckets(&self) -> usize {
        1usize << self.buckets_log2
    }

    /// The only settings this build can reproduce; anything else is refused on load.
    pub fn check_supported(&self) -> Result<(), String> {
        let d = FeatureSpec::default();
        if self.hash != d.hash {
            return Err(format!("unsupported feature hash `{}`", self.hash));
        }
        if !(10..=24).contains(&self.buckets_log2) {
            return Err(format!("buckets_log2 {} out of range", self.buckets_log2));
        }
        if self.word_ngrams[0] != 1
            || !(1..=3).contains(&self.word_ngrams[1])
            || self.char_ngrams != d.char_ngrams
            || !self.sublinear_tf
        {
            return Err("unsupported n-gram settings".into());
        }
        if !(self.word_weight > 0.0 && self.word_weight <= 10.0) {
            return Err(format!("word_weight {} out of range", self.word_weight));
        }
        // v2 differs only in how `!` between letters and hashtags are read, which the
        // normaliser can still reproduce (`Normalized::compat_v2`), so models trained before
        // v3 keep loading.
        if !(2..=NORMALIZER_VERSION).contains(&self.normalizer) {
            return Err(format!(
                "model was built with normaliser v{}, this build reads v2 to v{NORMALIZER_VERSION}",
                self.normalizer
            ));
        }
        Ok(())
    }
}

/// Feature block: words and characters are normalised separately.
pub const WORD: u32 = 0;
pub const CHAR: u32 = 1;

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
pub(crate) fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// FNV-1a's low bits are weak for short inputs; a final avalanche spreads them over buckets.
#[inline]
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// One distinct feature of a comment: bucket, block, how often it occurred and its final value.
#[derive(Debug, Clone, Copy, Default)]
pub struct Feat {
    pub bucket: u32,
    pub block: u32,
    pub count: u32,
    pub value: f32,
}

/// Reusable buffers for turning text into features; grows to the largest comment seen, then
/// allocates nothing.
#[derive(Debug, Default)]
pub struct Extractor {
    pub norm: Normalized,
    /// One entry per n-gram occurrence: `key << 32 | token_a << 16 | token_b`, where key is
    /// `bucket << 1 | block` and token_a/token_b are the tokens it came from (equal except for
    /// bigrams). Sorted, so equal features are adjacent.
    pub pairs: Vec<u64>,
    /// For each entry of `pairs`, the index of its feature in `feats`.
    pub pair_feature: Vec<u32>,
    pub feats: Vec<Feat>,
    padded: Vec<u8>,
    bounds: Vec<usize>,
    /// Scratch for [`radix_sort_by_key`].
    sort_buf: Vec<u64>,
}

#[inline]
pub fn pair_tokens(p: u64) -> (usize, usize) {
    (((p >> 16) & 0xffff) as usize, (p & 0xffff) as usize)
}

impl Extractor {
    /// Normalise `text` and fill `pairs` (sorted) and `feats` (counts only, values unset).
    ///
    /// The scoring hot path, kept in one loop over the extractor's reused buffers: split into
    /// helpers, each would need the same five buffers and the n-gram window passed in.
    pub fn extract(&mut self, text: &str, spec: &FeatureSpec) {
        self.norm.compat_v2 = spec.normalizer == 2;
        self.norm.run(text);
        self.pairs.clear();
        let mask = (spec.buckets() - 1) as u64;
        let key =
            |h: u64, block: u32| -> u64 { (((finish(h) & mask) << 1) | u64::from(block)) << 32 };
        let n_tok = self.norm.tokens.len();
        for ti in 0..n_tok {
            let t = self.norm.tokens[ti];
            let text = self.norm.token_text(&t).as_bytes();
            let tid = ti as u64;
            let uni = fnv(fnv(FNV_OFFSET, b"w"), text);
            self.pairs.push(key(uni, WORD) | tid << 16 | tid);
            // The word's stem as well (`killing`, `killed`, `kills` -> `kill`), so rare
            // inflections share what the common form learned.
            if spec.stems && !t.punct {
                let stem = light_stem(text);
                if stem.len() < text.len() {
                    let h = fnv(fnv(FNV_OFFSET, b"s"), stem);
                    self.pairs.push(key(h, WORD) | tid << 16 | tid);
                }
            }
            // Word n-grams join consecutive words, skipping punctuation between them; the
            // hash is extended one word at a time.
            if !t.punct {
                let mut h = fnv(fnv(FNV_OFFSET, b"b"), text);
                let mut k = ti + 1;
                for _ in 2..=spec.word_ngrams[1] {
                    while k < n_tok && self.norm.tokens[k].punct {
                        k += 1;
                    }
                    if k >= n_tok {
                        break;
                    }
                    let next = self.norm.tokens[k];
                    h = fnv(fnv(h, &[0xff]), self.norm.token_text(&next).as_bytes());
                    self.pairs.push(key(h, WORD) | tid << 16 | k as u64);
                    k += 1;
                }
            }
            // char_wb n-grams over " token ".
            self.padded.clear();
            self.padded.push(b' ');
            self.padded.extend_from_slice(text);
            self.padded.push(b' ');
            let [lo, hi] = [spec.char_ngrams[0] as usize, spec.char_ngrams[1] as usize];
            let tok = tid << 16 | tid;
            if self.padded.is_ascii() && (lo, hi) == (2, 5) {
                let n = self.padded.len();
                self.padded.extend_from_slice(&[0; 4]);
                push_ascii_char_ngrams(&mut self.pairs, &self.padded, n, |h| key(h, CHAR) | tok);
                continue;
            }
            self.bounds.clear();
            if self.padded.is_ascii() {
                self.bounds.extend(0..=self.padded.len());
            } else {
                // Only char boundaries; the padded bytes are valid UTF-8 by construction.
                let s = std::str::from_utf8(&self.padded).unwrap_or("");
                self.bounds.extend(s.char_indices().map(|(i, _)| i));
                self.bounds.push(self.padded.len());
            }
            let n_chars = self.bounds.len() - 1;
            for s in 0..n_chars {
                let mut h = fnv(FNV_OFFSET, b"c");
                for n in 1..=hi.min(n_chars - s) {
                    h = fnv(h, &self.padded[self.bounds[s + n - 1]..self.bounds[s + n]]);
                    if n >= lo {
                        self.pairs.push(key(h, CHAR) | tok);
                    }
                }
            }
            // A token shorter than the smallest n-gram still gets one char feature.
            if n_chars < lo {
                let h = fnv(fnv(FNV_OFFSET, b"c"), &self.padded);
                self.pairs.push(key(h, CHAR) | tok);
            }
        }
        // Only the key (upper 32 bits) needs ordering: pairs were pushed in token order, so
        // within a key they already are in (token_a, token_b) order and a stable sort by key
        // gives exactly what sorting the whole u64 would.
        radix_sort_by_key(&mut self.pairs, &mut self.sort_buf, spec.buckets_log2 + 1);
        // One feature per run of equal keys. Whether an occurrence starts a new run is close
        // to random, so it is not branched on: a new key moves the write position on to a
        // zeroed slot, and every occurrence counts into the feature there.
        self.feats.clear();
        self.feats.resize(self.pairs.len(), Feat::default());
        self.pair_feature.clear();
        self.pair_feature.resize(self.pairs.len(), 0);
        let mut n = 0usize;
        // No key is this large, so the first occurrence starts a feature.
        let mut prev = u64::MAX;
        for (&p, feature) in self.pairs.iter().zip(&mut self.pair_feature) {
            let k = p >> 32;
            n += usize::from(k != prev);
            // The slot a new key moves to is still zero.
            let f = &mut self.feats[n - 1];
            f.count += 1;
            *feature = (n - 1) as u32;
            f.bucket = (k >> 1) as u32;
            f.block = (k & 1) as u32;
            prev = k;
        }
        self.feats.truncate(n);
    }
}

/// The character 2-5-grams of an ASCII space-padded token of `n` bytes (`padded` holds four
/// zero bytes more), pushed in the order of the general loop: by start, then by length. Same
/// hashes, but without that loop's data-dependent inner exit, which mispredicted at the end of
/// every token: each start computes all four lengths and writes them, and the write position
/// moves on by however many end inside the token, so the others are overwritten by the next
/// start's.
fn push_ascii_char_ngrams(
    pairs: &mut Vec<u64>,
    padded: &[u8],
    n: usize,
    entry: impl Fn(u64) -> u64,
) {
    let mut len = pairs.len();
    pairs.resize(len + 4 * n, 0);
    let seed = fnv(FNV_OFFSET, b"c");
    for s in 0..n.saturating_sub(1) {
        let mut h = fnv(seed, &padded[s..s + 1]);
        for k in 0..4 {
            h = fnv(h, &padded[s + 1 + k..s + 2 + k]);
            pairs[len + k] = entry(h);
        }
        len += (n - s - 1).min(4);
    }
    pairs.truncate(len);
}

/// Stable LSD radix sort of `pairs` by their upper 32 bits, of which only the low `key_bits`
/// can be set. A comparison sort of the ~1,500 occurrences of a 300-character comment was a
/// sixth of the scoring time; two or three counting passes over a reused buffer cost a
/// fraction of that and allocate nothing once the buffer has grown (`radsort`, the usual
/// crate, allocates scratch the size of the slice on every call, and sorts all 32 key bits).
fn radix_sort_by_key(pairs: &mut Vec<u64>, buf: &mut Vec<u64>, key_bits: u32) {
    const DIGIT: u32 = 11;
    let mut counts = [0u32; 1 << DIGIT];
    buf.clear();
    buf.resize(pairs.len(), 0);
    let mut shift = 32;
    while shift < 32 + key_bits {
        counts.fill(0);
        for &p in pairs.iter() {
            counts[((p >> shift) as usize) & ((1 << DIGIT) - 1)] += 1;
        }
        let mut total = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = total;
            total += n;
        }
        for &p in pairs.iter() {
            let d = ((p >> shift) as usize) & ((1 << DIGIT) - 1);
            buf[counts[d] as usize] = p;
            counts[d] += 1;
        }
        std::mem::swap(pairs, buf);
        shift += DIGIT;
    }
}

/// Strip one common English inflection (`-ing`, `-ed`, `-es`, `-s`, `-er`, `-ers`) when a
/// stem of at least three bytes remains; doubled final consonants are undone (`shooting` ->
/// `shoot`, `stabbed` -> `stab`).
pub fn light_stem(word: &[u8]) -> &[u8] {
    for suffix in [&b"ings"[..], b"ing", b"ers", b"er", b"ed", b"es", b"s"] {
        if word.len() >= suffix.len() + 3 && word.ends_with(suffix) {
            let stem = &word[..word.len() - suffix.len()];
            if suffix == b"s" && stem.ends_with(b"s") {
                return word;
            }
            let n = stem.len();
            if n >= 4
                && stem[n - 1] == stem[n - 2]
                && !matches!(stem[n - 1], b'l' | b's' | b'o' | b'e')
            {
                return &stem[..n - 1];
            }
            return stem;
        }
    }
    word
}

/// `1 + ln count`, from a table for the small counts nearly every feature has (`ln` was 4% of
/// scoring); the table holds exactly what the expression gives.
fn sublinear_tf(count: u32) -> f32 {
    const SMALL: usize = 64;
    static TABLE: std::sync::LazyLock<[f32; SMALL]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|c| 1.0 + (c as f32).ln()));
    match TABLE.get(count as usize) {
        Some(&tf) => tf,
        None => 1.0 + (count as f32).ln(),
    }
}

/// Set each feature's value: `(1 + ln count) * idf`, then L2-normalise each block separately.
/// `idf(i, bucket)` gives the IDF of `feats[i]`, whose bucket is `bucket` (training reads its
/// IDF vector by bucket, the scorer the rows it gathered in feature order).
pub fn weigh(feats: &mut [Feat], spec: &FeatureSpec, idf: impl Fn(usize, u32) -> f32) {
    let mut norm2 = [0f32; 2];
    for (i, f) in feats.iter_mut().enumerate() {
        f.value = sublinear_tf(f.count) * idf(i, f.bucket);
        norm2[f.block as usize] += f.value * f.value;
    }
    let mut inv = norm2.map(|n| if n > 0.0 { 1.0 / n.sqrt() } else { 0.0 });
    inv[WORD as usize] *= spec.word_weight;
    for f in feats.iter_mut() {
        f.value *= inv[f.block as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_sort_orders_like_a_full_sort_when_keys_were_pushed_in_token_order() {
        // Keys up to 21 bits, low halves ascending in push order as the extractor pushes them.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut pairs: Vec<u64> = (0..3000u64)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ((state % 700) << 32) | i
            })
            .collect();
        let mut expected = pairs.clone();
        expected.sort_unstable();
        radix_sort_by_key(&mut pairs, &mut Vec::new(), 21);
        assert_eq!(pairs, expected);
        let mut empty = Vec::new();
        radix_sort_by_key(&mut empty, &mut Vec::new(), 21);
        assert!(empty.is_empty());
    }

    #[test]
    fn ascii_char_ngrams_are_every_two_to_five_byte_substring_in_order() {
        for token in [" a ", " ab ", " shoot ", " xxxxxxxxxxxx "] {
            let bytes = token.as_bytes();
            let n = bytes.len();
            let mut padded = bytes.to_vec();
            padded.extend_from_slice(&[0; 4]);
            // Entries already there stay.
            let mut got = vec![7];
            push_ascii_char_ngrams(&mut got, &padded, n, |h| h);
            let mut want = vec![7];
            for s in 0..n {
                for len in (2..=5).filter(|len| s + len <= n) {
                    want.push(fnv(fnv(FNV_OFFSET, b"c"), &bytes[s..s + len]));
                }
            }
            assert_eq!(got, want, "{token:?}");
        }
    }

    #[test]
    fn features_are_the_runs_of_equal_keys_and_every_occurrence_knows_its_feature() {
        let spec = FeatureSpec::default();
        let mut a = Extractor::default();
        for text in [
            "",
            "idiot",
            "You are an idiot, an IDIOT!! Ünïcode façade naïve",
            "a a a a",
        ] {
            a.extract(text, &spec);
            assert_eq!(a.pair_feature.len(), a.pairs.len());
            let total: u32 = a.feats.iter().map(|f| f.count).sum();
            assert_eq!(total as usize, a.pairs.len(), "{text:?}");
            let keys: Vec<u64> = a
                .feats
                .iter()
                .map(|f| u64::from(f.bucket) << 1 | u64::from(f.block))
                .collect();
            assert!(
                keys.windows(2).all(|w| w[0] < w[1]),
                "{text:?}: keys ascending, distinct"
            );
            for (p, &fi) in a.pairs.iter().zip(&a.pair_feature) {
                assert_eq!(keys[fi as usize], p >> 32, "{text:?}");
            }
        }
    }

    #[test]
    fn vector_is_stable_and_normalised() {
        let spec = FeatureSpec::default();
        let mut a = Extractor::default();
        a.extract("You are an idiot, an IDIOT", &spec);
        let idf = vec![1.0; spec.buckets()];
        weigh(&mut a.feats, &spec, |_, b| idf[b as usize]);
        let n: f32 = a.feats.iter().map(|f| f.value * f.value).sum();
        // Word block has norm word_weight, character block norm 1.
        let expected = spec.word_weight * spec.word_weight + 1.0;
        assert!((n - expected).abs() < 1e-4, "expected {expected}, got {n}");
        let first: Vec<(u32, f32)> = a.feats.iter().map(|f| (f.bucket, f.value)).collect();
        a.extract("something else entirely", &spec);
        a.extract("You are an idiot, an IDIOT", &spec);
        weigh(&mut a.feats, &spec, |_, b| idf[b as usize]);
        let again: Vec<(u32, f32)> = a.feats.iter().map(|f| (f.bucket, f.value)).collect();
        assert_eq!(first, again);
    }
}
