//! Second stage ("stacking"): for a decision label, a small logistic regression over the six
//! first-stage log-odds, their pairwise products and (format 3) the network branch's six
//! log-odds. It learns how the heads combine (an insult- or threat-looking comment is more
//! likely abuse or incitement than the decision head's own words say), how far to trust the
//! linear and the network view, and re-calibrates score levels across the kinds of comment the
//! heads see; trained on out-of-fold predictions so it never sees a head's fit to its own
//! training rows.

use crate::domain::Label;

/// Inputs without a network branch: 6 log-odds + 21 pairwise products (i <= j).
pub const N_BASE: usize = 6 + 21;
/// With the network branch's 6 log-odds appended (zero when a model has none).
pub const N_INPUTS: usize = N_BASE + 6;
/// Log-odds are clipped to this range before stacking.
pub const CLIP: f32 = 16.0;
/// Products are divided by this so every input has a similar scale.
const PRODUCT_SCALE: f32 = 10.0;

/// One stacked label: its final log-odds are `bias + coef · inputs`.
#[derive(Debug, Clone, PartialEq)]
pub struct StackHead {
    pub label: Label,
    pub coef: [f32; N_INPUTS],
    pub bias: f32,
}

/// The stacking inputs for first-stage log-odds `z` and the network's log-odds `net` (both in
/// [`Label::ALL`] order).
pub fn inputs(z: &[f32; 6], net: Option<&[f32; 6]>) -> [f32; N_INPUTS] {
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
    if let Some(net) = net {
        for (o, v) in out[N_BASE..].iter_mut().zip(net) {
            *o = v.clamp(-CLIP, CLIP);
        }
    }
    out
}

impl StackHead {
    pub fn apply(&self, x: &[f32; N_INPUTS]) -> f32 {
        self.bias + self.coef.iter().zip(x).map(|(a, b)| a * b).sum::<f32>()
    }

    /// How much this label's final log-odds rise per unit of each first-stage log-odds at `z`
    /// (the network's inputs held still), taken at the clipped values so a saturated head still
    /// counts: the weights that carry a first-stage head's per-token evidence through to this
    /// label's score. A head whose evidence would lower the score here weighs nothing, so the
    /// explanation names what pushed the score up.
    pub fn gradient(&self, z: &[f32; 6]) -> [f32; 6] {
        let c: [f32; 6] = z.map(|v| v.clamp(-CLIP, CLIP));
        let mut g: [f32; 6] = std::array::from_fn(|k| self.coef[k]);
        let mut k = 6;
        for a in 0..6 {
            for b in a..6 {
                let w = self.coef[k] / PRODUCT_SCALE;
                g[a] += w * c[b];
                g[b] += w * c[a];
                k += 1;
            }
        }
        g.map(|v| v.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_clipped_logits_scaled_products_then_network_logits() {
        let x = inputs(&[1.0, 2.0, 0.0, 0.0, 0.0, 100.0], None);
        assert_eq!(x[..6], [1.0, 2.0, 0.0, 0.0, 0.0, CLIP]);
        assert_eq!(x[6], 0.1); // z0 * z0 / 10
        assert_eq!(x[7], 0.2); // z0 * z1 / 10
        assert_eq!(x[N_BASE - 1], CLIP * CLIP / 10.0);
        assert_eq!(x[N_BASE..], [0.0; 6]);
        let x = inputs(&[0.0; 6], Some(&[3.0, -40.0, 0.0, 0.0, 0.0, 1.0]));
        assert_eq!(x[N_BASE..], [3.0, -CLIP, 0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn gradient_matches_finite_differences_where_it_rises_and_is_never_negative() {
        let head = StackHead {
            label: Label::Abuse,
            coef: std::array::from_fn(|i| ((i * 7 % 11) as f32 - 5.0) / 4.0),
            bias: 0.3,
        };
        let net = [0.5, -1.0, 0.0, 2.0, 0.0, 0.0];
        let z = [1.5, -2.0, 0.7, 3.0, -0.4, 1.0];
        let g = head.gradient(&z);
        let at = |z: &[f32; 6]| head.apply(&inputs(z, Some(&net)));
        for k in 0..6 {
            let h = 1e-2;
            let (mut up, mut down) = (z, z);
            up[k] += h;
            down[k] -= h;
            let numeric = (at(&up) - at(&down)) / (2.0 * h);
            assert!(
                (numeric.max(0.0) - g[k]).abs() < 1e-2,
                "d/dz{k}: {numeric} vs {}",
                g[k]
            );
        }
        assert!(g.iter().any(|&v| v > 0.0) && g.contains(&0.0));
    }
}
