use super::{CommentStatus, Label};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// One probability per label the model knows; labels it lacks are `None` and left out of JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores(pub [Option<f32>; Label::ALL.len()]);

impl Scores {
    pub fn get(&self, label: Label) -> Option<f32> {
        self.0[label.index()]
    }

    pub fn set(&mut self, label: Label, value: f32) {
        self.0[label.index()] = Some(value);
    }

    pub fn iter(&self) -> impl Iterator<Item = (Label, f32)> + '_ {
        Label::ALL
            .into_iter()
            .filter_map(|l| self.get(l).map(|v| (l, v)))
    }

    /// The largest score, used to order the moderation queue by severity.
    pub fn max(&self) -> f32 {
        self.iter().map(|(_, v)| v).fold(0.0, f32::max)
    }
}

impl Serialize for Scores {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (label, value) in self.iter() {
            // Four decimals is finer than any threshold and keeps responses readable.
            map.serialize_entry(
                label.as_str(),
                &((value as f64 * 10_000.0).round() / 10_000.0),
            )?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Scores {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<Label, f32>::deserialize(deserializer)?;
        let mut scores = Scores::default();
        for (label, value) in map {
            scores.set(label, value);
        }
        Ok(scores)
    }
}

/// A stretch of the comment that pushed a label's score up. Offsets count Unicode characters
/// (not bytes) into the original text, end exclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Contribution to the label's log-odds; larger means more responsible.
    pub weight: f32,
}

/// Why a label fired: its score and the words that drove it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub label: Label,
    pub score: f32,
    pub spans: Vec<Span>,
}

/// Per-label bars. A label missing from a map never triggers that action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub hold: std::collections::BTreeMap<Label, f32>,
    /// Empty disables outright rejection: everything doubtful goes to a person.
    #[serde(default)]
    pub reject: std::collections::BTreeMap<Label, f32>,
}

impl Default for Thresholds {
    /// Bars for the shipped model: holding costs a moderator a glance, missing a call to
    /// violence costs far more, so incitement is held early (at 0.3 the shipped model holds
    /// "someone should shoot him" and "burn their houses down" while ordinary war-news comments
    /// stay published). Outright rejection needs near-certainty.
    fn default() -> Self {
        Self {
            hold: [(Label::Incitement, 0.3), (Label::Abuse, 0.7)].into(),
            reject: [(Label::Incitement, 0.97), (Label::Abuse, 0.99)].into(),
        }
    }
}

/// What the thresholds made of a set of scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: CommentStatus,
    /// Labels at or over their hold (or reject) bar, most severe first.
    pub triggered: Vec<Label>,
}

impl Thresholds {
    pub fn decide(&self, scores: &Scores) -> Verdict {
        let over = |bars: &std::collections::BTreeMap<Label, f32>| -> Vec<Label> {
            let mut hits: Vec<(Label, f32)> = bars
                .iter()
                .filter_map(|(&l, &bar)| scores.get(l).filter(|&s| s >= bar).map(|s| (l, s)))
                .collect();
            hits.sort_by(|a, b| b.1.total_cmp(&a.1));
            hits.into_iter().map(|(l, _)| l).collect()
        };
        let rejected = over(&self.reject);
        if !rejected.is_empty() {
            let mut triggered = rejected;
            for l in over(&self.hold) {
                if !triggered.contains(&l) {
                    triggered.push(l);
                }
            }
            return Verdict {
                status: CommentStatus::Rejected,
                triggered,
            };
        }
        let held = over(&self.hold);
        let status = if held.is_empty() {
            CommentStatus::Published
        } else {
            CommentStatus::Held
        };
        Verdict {
            status,
            triggered: held,
        }
    }

    /// Every bar must be a probability.
    pub fn validate(&self) -> Result<(), String> {
        for (kind, bars) in [("hold", &self.hold), ("reject", &self.reject)] {
            for (label, bar) in bars {
                if !(0.0..=1.0).contains(bar) || bar.is_nan() {
                    return Err(format!(
                        "{kind} threshold for {label} must be within 0..=1, got {bar}"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(abuse: f32, incitement: f32) -> Scores {
        let mut s = Scores::default();
        s.set(Label::Abuse, abuse);
        s.set(Label::Incitement, incitement);
        s
    }

    #[test]
    fn decides_by_bars() {
        let t = Thresholds::default();
        assert_eq!(t.decide(&scores(0.1, 0.1)).status, CommentStatus::Published);
        let held = t.decide(&scores(0.85, 0.6));
        assert_eq!(held.status, CommentStatus::Held);
        assert_eq!(held.triggered, vec![Label::Abuse, Label::Incitement]);
        assert_eq!(t.decide(&scores(0.1, 0.98)).status, CommentStatus::Rejected);
        let no_reject = Thresholds {
            reject: Default::default(),
            ..t
        };
        assert_eq!(
            no_reject.decide(&scores(1.0, 1.0)).status,
            CommentStatus::Held
        );
    }
}
