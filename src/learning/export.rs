//! Moderator decisions (and `comments:suggestscore` judgements) as a labelled CSV in the shared
//! data schema, `id,source,split,text,abuse,incitement,insult,obscene,threat,identity_attack`,
//! plus the training `weight` column the trainer reads.
//!
//! Decision to labels (stored with each decision by `storage::implied_labels`; an empty cell
//! means "not labelled", never 0):
//!
//! | decision | reason           | labels                                   |
//! |----------|------------------|------------------------------------------|
//! | approve  | -                | abuse=0, incitement=0                    |
//! | reject   | insult           | abuse=1, insult=1                        |
//! | reject   | obscene          | abuse=1, obscene=1                       |
//! | reject   | threat           | abuse=1, threat=1                        |
//! | reject   | identity_attack  | abuse=1, identity_attack=1               |
//! | reject   | incitement       | incitement=1                             |
//! | reject   | spam, off_topic, other, none | nothing: the row is left out |
//!
//! Reader reports the decision resolved fill in labels a rejection for `other` (or without a
//! reason) leaves unsaid: each reported abuse or incitement becomes a positive
//! (`storage::labels_with_reports`; docs/learning-loop.md, "Reports as labels").
//!
//! Only a comment's latest decision counts (an override replaces the earlier one). A
//! suggested score teaches its label: value >= 0.5 is 1, below is 0. Every row gets
//! `source=newsroom`, and `split` from a stable hash of its id, so the same comment stays in
//! the held-out slice across exports and retrains.

use crate::domain::Label;
use crate::storage::{DecidedComment, SuggestedLabel};
use std::collections::BTreeMap;
use std::io::Write;

pub const SOURCE: &str = "newsroom";

/// One exported row.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    pub id: String,
    pub test: bool,
    pub text: String,
    pub labels: [Option<u8>; 6],
}

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportCounts {
    pub decisions: usize,
    /// Decisions whose reason implies no label (spam, off topic, other).
    pub decisions_without_labels: usize,
    pub suggested_texts: usize,
    pub rows: usize,
    pub test_rows: usize,
}

/// FNV-1a 64: fixed, platform-independent, unlike `std`'s randomised hasher.
fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether `id` belongs to the held-out slice (`test_percent` out of 100).
pub fn is_test(id: &str, test_percent: u8) -> bool {
    stable_hash(id) % 100 < u64::from(test_percent.min(100))
}

/// Decisions then suggestions as rows; rows with no label at all are left out.
pub fn rows(
    decided: &[DecidedComment],
    suggested: &[SuggestedLabel],
    test_percent: u8,
) -> (Vec<ExportRow>, ExportCounts) {
    let mut counts = ExportCounts {
        decisions: decided.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    for d in decided {
        let mut labels = [None; 6];
        for (&label, &v) in &d.labels {
            labels[label.index()] = Some(v.min(1));
        }
        if labels.iter().all(Option::is_none) {
            counts.decisions_without_labels += 1;
            continue;
        }
        let id = d.id.to_string();
        out.push(ExportRow {
            test: is_test(&id, test_percent),
            id,
            text: d.body.clone(),
            labels,
        });
    }
    // One row per distinct text; a later judgement of the same label wins.
    let mut by_text: BTreeMap<&str, [Option<u8>; 6]> = BTreeMap::new();
    let mut order = Vec::new();
    for s in suggested {
        let entry = by_text.entry(&s.text).or_insert_with(|| {
            order.push(s.text.as_str());
            [None; 6]
        });
        entry[s.label.index()] = Some(u8::from(s.value >= 0.5));
    }
    counts.suggested_texts = order.len();
    for text in order {
        let id = format!("suggest-{:016x}", stable_hash(text));
        out.push(ExportRow {
            test: is_test(&id, test_percent),
            id,
            text: text.to_string(),
            labels: by_text[text],
        });
    }
    counts.rows = out.len();
    counts.test_rows = out.iter().filter(|r| r.test).count();
    (out, counts)
}

/// Write rows as CSV with the shared header plus a `weight` column: training rows carry
/// `train_weight`, so the newsroom's own labels count for more than the shared data's when
/// both are trained on; held-out rows leave it empty (1), evaluation ignores it anyway.
pub fn write_csv(rows: &[ExportRow], train_weight: f32, out: impl Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["id", "source", "split", "text"];
    header.extend(Label::ALL.iter().map(|l| l.as_str()));
    header.push("weight");
    w.write_record(&header)?;
    for r in rows {
        let weight = if r.test {
            String::new()
        } else {
            train_weight.to_string()
        };
        write_row(&mut w, r, weight)?;
    }
    w.flush()?;
    Ok(())
}

fn write_row<W: Write>(w: &mut csv::Writer<W>, r: &ExportRow, weight: String) -> csv::Result<()> {
    let mut record = vec![
        r.id.clone(),
        SOURCE.to_string(),
        if r.test { "test" } else { "train" }.to_string(),
        r.text.clone(),
    ];
    record.extend(
        r.labels
            .iter()
            .map(|v| v.map_or_else(String::new, |v| v.to_string())),
    );
    record.push(weight);
    w.write_record(&record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_stable_and_roughly_proportional() {
        let n = (0..2000)
            .filter(|i| is_test(&format!("comment-{i}"), 20))
            .count();
        assert!((300..500).contains(&n), "{n}");
        assert_eq!(is_test("abc", 20), is_test("abc", 20));
        assert!(!is_test("abc", 0));
        assert!(is_test("abc", 100));
    }

    #[test]
    fn training_rows_carry_the_weight() {
        let row = |id: &str, test| ExportRow {
            id: id.into(),
            test,
            text: "some, \"quoted\"\ntext".into(),
            labels: [Some(1), None, Some(0), None, None, None],
        };
        let mut out = Vec::new();
        write_csv(&[row("a", false), row("b", true)], 2.5, &mut out).expect("writes");
        let ds = crate::training::dataset::read_from(std::path::Path::new("x.csv"), &out[..])
            .expect("the trainer reads it");
        let got: Vec<(&str, f32)> = ds.rows.iter().map(|r| (r.id.as_str(), r.weight)).collect();
        assert_eq!(got, [("a", 2.5), ("b", 1.0)]);
        assert_eq!(ds.rows[0].text, "some, \"quoted\"\ntext");
        assert_eq!(ds.rows[1].labels[Label::Insult.index()], Some(false));
    }
}
