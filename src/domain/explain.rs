//! Why a comment got its status: the labels over their bars, each with its score and the spans
//! that drove it. Shared by posting (`http`) and rescoring (`learning`), so both store the same
//! reasons for the same verdict.

use super::{Label, Reason, Scores, Span};

/// Labels at or over a threshold, each with its score and the spans that drove it.
/// `explanations` holds the model's spans per label, indexed by `Label::index`.
pub fn reasons(
    verdict_labels: &[Label],
    scores: &Scores,
    explanations: &[Vec<Span>],
) -> Vec<Reason> {
    verdict_labels
        .iter()
        .filter_map(|&label| {
            Some(Reason {
                label,
                score: scores.get(label)?,
                spans: explanations.get(label.index()).cloned().unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_per_scored_label_with_its_spans() {
        let mut scores = Scores::default();
        scores.set(Label::Threat, 0.9);
        let span = Span {
            start: 0,
            end: 4,
            text: "kill".into(),
            weight: 2.0,
        };
        let mut explanations = vec![Vec::new(); Label::ALL.len()];
        explanations[Label::Threat.index()].push(span.clone());
        // Abuse has no score here: no reason for it.
        let got = reasons(&[Label::Threat, Label::Abuse], &scores, &explanations);
        assert_eq!(
            got,
            vec![Reason {
                label: Label::Threat,
                score: 0.9,
                spans: vec![span],
            }]
        );
        // Spans missing for a label: the reason stands without them.
        let got = reasons(&[Label::Threat], &scores, &[]);
        assert!(got[0].spans.is_empty());
    }
}
