//! Pretrained word vectors (GloVe, see `scripts/fetch_vectors.sh`): the one input that knows
//! English beyond the labelled comments. The hashed n-grams only know words the training data
//! used in labelled comments; a vector places an unseen word near the words it is used like
//! (a new slur near old ones, "exterminate" near "wipe out"). A comment is pooled into the mean
//! and the element-wise maximum of its known words' vectors, which the network branch reads
//! beside the hashed features.
//!
//! No word text is stored: a word is its 64-bit FNV-1a hash (sorted, looked up through an
//! open-addressing table built at load), its vector int8 with one scale per word.

use super::features::{FNV_OFFSET, fnv};
use super::normalize::Normalized;

/// Limits a model file may declare (checked before allocating).
pub const MAX_WORDS: usize = 4_000_000;
pub const MAX_DIMS: usize = 1024;

#[derive(Clone, PartialEq)]
pub struct WordVectors {
    pub dims: usize,
    /// Word hashes, strictly ascending.
    pub keys: Vec<u64>,
    /// Per word: its vector is `vecs[w * dims..][..dims] as f32 * scale[w]`.
    pub scale: Vec<f32>,
    pub vecs: Vec<i8>,
    /// Open addressing over `keys`: word index + 1, 0 = empty; a power of two at least twice
    /// the word count, so a miss (most tokens of a typo-ridden comment) ends within a probe or
    /// two.
    slots: Vec<u32>,
}

impl std::fmt::Debug for WordVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WordVectors({} words x {} dims)", self.len(), self.dims)
    }
}

pub fn word_key(word: &str) -> u64 {
    fnv(FNV_OFFSET, word.as_bytes())
}

impl WordVectors {
    /// Build from float vectors (`[word][dims]`, most frequent word first). A word whose hash
    /// repeats an earlier one (a 64-bit collision, or the same word twice) is dropped.
    pub fn from_floats(words: &[&str], dims: usize, floats: &[f32]) -> Result<Self, String> {
        // Checked before sorting and quantising, which would otherwise run on any size.
        check_size(words.len(), dims)?;
        if floats.len() != words.len() * dims {
            return Err("vector data does not match the word count".into());
        }
        let mut order: Vec<(u64, usize)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (word_key(w), i))
            .collect();
        order.sort_unstable();
        order.dedup_by_key(|(k, _)| *k);
        let rows: Vec<f32> = order
            .iter()
            .flat_map(|&(_, i)| floats[i * dims..][..dims].iter().copied())
            .collect();
        let (vecs, scale) = super::mlp::Mlp::quantize_rows(&rows, dims);
        Self::new(dims, order.iter().map(|&(k, _)| k).collect(), scale, vecs)
    }

    /// Assemble stored parts, checking they fit together.
    pub fn new(
        dims: usize,
        keys: Vec<u64>,
        scale: Vec<f32>,
        vecs: Vec<i8>,
    ) -> Result<Self, String> {
        check_size(keys.len(), dims)?;
        if scale.len() != keys.len() || vecs.len() != keys.len() * dims {
            return Err("word vector sizes disagree".into());
        }
        if keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err("word keys are not strictly ascending".into());
        }
        if scale.iter().any(|s| !s.is_finite()) {
            return Err("word vector scales contain NaN or infinity".into());
        }
        let n_slots = (keys.len() * 2).next_power_of_two().max(2);
        let mut slots = vec![0u32; n_slots];
        let mask = n_slots - 1;
        for (i, &k) in keys.iter().enumerate() {
            let mut s = slot_of(k, mask);
            while slots[s] != 0 {
                s = (s + 1) & mask;
            }
            slots[s] = i as u32 + 1;
        }
        Ok(Self {
            dims,
            keys,
            scale,
            vecs,
            slots,
        })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Width of the pooled input: mean then maximum.
    pub fn pooled_dims(&self) -> usize {
        2 * self.dims
    }

    fn find(&self, key: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut s = slot_of(key, mask);
        loop {
            match self.slots[s] {
                0 => return None,
                i if self.keys[i as usize - 1] == key => return Some(i as usize - 1),
                _ => s = (s + 1) & mask,
            }
        }
    }

    /// Mean (first `dims`) and element-wise maximum (next `dims`) of the vectors of the
    /// comment's known words, into `out` (length [`Self::pooled_dims`]); zeros when no word is
    /// known. Returns how many tokens were found.
    pub fn pool(&self, norm: &Normalized, out: &mut [f32]) -> usize {
        // As in the network's loop: baseline x86-64 converts int8 with SSE2 shuffles, so CPUs
        // with AVX2 get a copy compiled for it.
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            return unsafe { self.pool_avx2(norm, out) };
        }
        self.pool_portable(norm, out)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn pool_avx2(&self, norm: &Normalized, out: &mut [f32]) -> usize {
        self.pool_portable(norm, out)
    }

    #[inline(always)]
    fn pool_portable(&self, norm: &Normalized, out: &mut [f32]) -> usize {
        let d = self.dims;
        let (mean, max) = out.split_at_mut(d);
        mean.fill(0.0);
        max.fill(f32::NEG_INFINITY);
        let mut found = 0usize;
        for t in norm.tokens.iter().filter(|t| !t.punct) {
            let Some(w) = self.find(word_key(norm.token_text(t))) else {
                continue;
            };
            found += 1;
            let s = self.scale[w];
            for ((m, x), &q) in mean
                .iter_mut()
                .zip(max.iter_mut())
                .zip(&self.vecs[w * d..][..d])
            {
                let v = f32::from(q) * s;
                *m += v;
                *x = x.max(v);
            }
        }
        if found == 0 {
            max.fill(0.0);
        } else {
            let inv = 1.0 / found as f32;
            mean.iter_mut().for_each(|m| *m *= inv);
        }
        found
    }
}

fn check_size(words: usize, dims: usize) -> Result<(), String> {
    if dims == 0 || dims > MAX_DIMS || words > MAX_WORDS {
        return Err(format!(
            "{words} words of {dims} dimensions: at most {MAX_WORDS} words of 1 to {MAX_DIMS}"
        ));
    }
    Ok(())
}

fn slot_of(key: u64, mask: usize) -> usize {
    // FNV-1a's low bits are weak; the high bits index the table.
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(text: &str) -> Normalized {
        let mut n = Normalized::default();
        n.run(text);
        n
    }

    #[test]
    fn pools_mean_and_max_of_known_words_only() {
        let v = WordVectors::from_floats(
            &["good", "bad", "good"],
            2,
            &[1.0, 0.0, -1.0, 2.0, 9.0, 9.0],
        )
        .unwrap();
        assert_eq!(v.len(), 2, "the repeated word keeps its first vector");
        let mut out = [0f32; 4];
        assert_eq!(v.pool(&norm("Good, BAD and unknown!"), &mut out), 2);
        let expect = [0.0, 1.0, 1.0, 2.0];
        for (o, e) in out.iter().zip(expect) {
            assert!((o - e).abs() < 0.02, "{out:?}");
        }
        assert_eq!(v.pool(&norm("nothing known here"), &mut out), 0);
        assert_eq!(out, [0.0; 4]);
    }

    #[test]
    fn stored_parts_are_checked() {
        assert!(WordVectors::new(2, vec![2, 1], vec![1.0; 2], vec![0; 4]).is_err());
        assert!(WordVectors::new(2, vec![1, 2], vec![1.0; 2], vec![0; 3]).is_err());
        assert!(WordVectors::new(0, vec![], vec![], vec![]).is_err());
        assert!(WordVectors::new(2, vec![1, 2], vec![f32::NAN, 1.0], vec![0; 4]).is_err());
        let v = WordVectors::new(2, vec![1, 2], vec![1.0; 2], vec![0; 4]).unwrap();
        assert_eq!(v.find(2), Some(1));
        assert_eq!(v.find(3), None);
    }
}
