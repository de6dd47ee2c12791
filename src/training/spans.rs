//! Explanation quality: do the words talkback highlights match the words people marked?
//!
//! For each comment in the spans file that is among the evaluated rows: gold = characters marked
//! by more than half of the annotators who marked anything in that comment; predicted = the
//! spans the model gives for `abuse` (the label the product decides on). Both are compared at
//! word level (maximal runs of alphanumeric characters of the original text), F1 per comment,
//! averaged over comments as in SemEval-2021 Task 5 (both empty counts as 1).

use super::dataset::Row;
use crate::domain::Label;
use crate::model::Model;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

#[derive(Debug, Serialize)]
pub struct SpanReport {
    pub comments: usize,
    pub f1: f64,
    pub precision: f64,
    pub recall: f64,
}

#[derive(Debug, serde::Deserialize)]
struct SpanRow {
    id: String,
    annotator: String,
    start: usize,
    end: usize,
}

pub fn span_f1(model: &Model, rows: &[&Row], path: &Path) -> anyhow::Result<SpanReport> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| anyhow::anyhow!("cannot read spans file {}: {e}", path.display()))?;
    // id -> annotator -> character ranges
    let mut marks: HashMap<String, BTreeMap<String, Vec<(usize, usize)>>> = HashMap::new();
    for rec in reader.deserialize::<SpanRow>() {
        let r = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            anyhow::anyhow!("{}: line {line}: {e}", path.display())
        })?;
        marks
            .entry(r.id)
            .or_default()
            .entry(r.annotator)
            .or_default()
            .push((r.start, r.end));
    }
    let (mut f1_sum, mut p_sum, mut r_sum, mut n) = (0.0, 0.0, 0.0, 0usize);
    for row in rows {
        let Some(by_annotator) = marks.get(&row.id) else {
            continue;
        };
        let chars: Vec<char> = row.text.chars().collect();
        let mut votes = vec![0usize; chars.len()];
        for ranges in by_annotator.values() {
            let mut mine = vec![false; chars.len()];
            for &(s, e) in ranges {
                for m in mine.iter_mut().take(e.min(chars.len())).skip(s) {
                    *m = true;
                }
            }
            for (v, m) in votes.iter_mut().zip(mine) {
                *v += usize::from(m);
            }
        }
        let need = by_annotator.len() / 2 + 1;
        let words = word_ranges(&chars);
        let gold: BTreeSet<usize> = words
            .iter()
            .enumerate()
            .filter(|&(_, &(s, e))| votes[s..e].iter().any(|&v| v >= need))
            .map(|(i, _)| i)
            .collect();
        let scored = model.score(&row.text);
        let spans = &scored.explanations[Label::Abuse.index()];
        let pred: BTreeSet<usize> = words
            .iter()
            .enumerate()
            .filter(|&(_, &(s, e))| spans.iter().any(|sp| sp.start < e && s < sp.end))
            .map(|(i, _)| i)
            .collect();
        let tp = gold.intersection(&pred).count() as f64;
        let (p, r, f) = match (pred.is_empty(), gold.is_empty()) {
            (true, true) => (1.0, 1.0, 1.0),
            (true, false) | (false, true) => (0.0, 0.0, 0.0),
            _ => {
                let p = tp / pred.len() as f64;
                let r = tp / gold.len() as f64;
                let f = if tp > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
                (p, r, f)
            }
        };
        f1_sum += f;
        p_sum += p;
        r_sum += r;
        n += 1;
    }
    anyhow::ensure!(n > 0, "no evaluated row has spans in {}", path.display());
    let n_f = n as f64;
    Ok(SpanReport {
        comments: n,
        f1: f1_sum / n_f,
        precision: p_sum / n_f,
        recall: r_sum / n_f,
    })
}

fn word_ranges(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_alphanumeric() {
            let s = i;
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}
