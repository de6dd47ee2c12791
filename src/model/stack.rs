//! Second stage ("stacking"): for a decision label, a small logistic regression over the six
//! first-stage log-odds and their pairwise products. It learns how the heads combine (an
//! insult- or threat-looking comment is more likely abuse or incitement than the decision
//! head's own words say) and re-calibrates score levels across the kinds of comment the heads
//! see; trained on out-of-fold first-stage predictions so it never sees a head's fit to its own
//! training rows.

use crate::domain::Label;

/// Inputs: 6 log-odds + 21 pairwise products (i <= j).
pub const N_INPUTS: usize = 6 + 21;
/// First-stage log-odds are clipped to this range before stacking.
pub const CLIP: f32 = 16.0;
/// Products are divided by this so every input has a similar scale.
const PRODUCT_SCALE: f32 = 10.0;

/// One stacked label: its final log-odds are `bias + coef · inputs(z)`.
#[derive(Debug, Clone, PartialEq)]
pub struct StackHead {
    pub label: Label,
    pub coef: [f32; N_INPUTS],
    pub bias: f32,
}

/// The stacking inputs for first-stage log-odds `z` (in [`Label::ALL`] order).
pub fn inputs(z: &[f32; 6]) -> [f32; N_INPUTS] {
    let mut out = [0f32; N_INPUTS];
    let c: [f32; 6] = z.map(|v| v.clamp(-CLIP, CLIP));
    out[..6].copy_from_slice(&c);
    let mut k = 6;
    for a in 0..6 {
        for b in a..6 {
            out[k] = c[a] * c[b] / PRODUCT_SCALE;
            k += 1;
        }
    }
    out
}

impl StackHead {
    pub fn apply(&self, z: &[f32; 6]) -> f32 {
        let x = inputs(z);
        self.bias + self.coef.iter().zip(&x).map(|(a, b)| a * b).sum::<f32>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_clipped_logits_then_scaled_products() {
        let x = inputs(&[1.0, 2.0, 0.0, 0.0, 0.0, 100.0]);
        assert_eq!(x[..6], [1.0, 2.0, 0.0, 0.0, 0.0, CLIP]);
        assert_eq!(x[6], 0.1); // z0 * z0 / 10
        assert_eq!(x[7], 0.2); // z0 * z1 / 10
        assert_eq!(x[N_INPUTS - 1], CLIP * CLIP / 10.0);
    }
}
