//! Labelled comment CSVs: `text` plus any of the label columns (`abuse`, `incitement`, ...),
//! optionally `id`, `source` and `split`. An empty label cell means "not labelled" and is kept
//! apart from 0: each head trains and is evaluated only on rows labelled for it.

use crate::domain::Label;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read data file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: line {line}: malformed CSV: {message}")]
    Csv {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{path}: no `text` column (header is: {header})")]
    NoText { path: PathBuf, header: String },
    #[error("{path}: no label columns; expected at least one of {expected}")]
    NoLabels { path: PathBuf, expected: String },
    #[error("{path}: line {line}: column `{column}` must be 0, 1 or empty, found {value:?}")]
    BadLabel {
        path: PathBuf,
        line: u64,
        column: String,
        value: String,
    },
    #[error("{path}: line {line}: split must be `train` or `test`, found {value:?}")]
    BadSplit {
        path: PathBuf,
        line: u64,
        value: String,
    },
    #[error(
        "{path}: line {line}: weight must be a number above 0 and at most 1000, found {value:?}"
    )]
    BadWeight {
        path: PathBuf,
        line: u64,
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    /// `all` when the file has no `source` column.
    pub source: String,
    pub split: Option<Split>,
    pub text: String,
    pub labels: [Option<bool>; 6],
    /// How much the row counts in training, as if it appeared this many times (IDF, every
    /// head, the network, the second stage). 1 unless the file has a `weight` column (empty =
    /// 1); evaluation ignores it.
    pub weight: f32,
}

#[derive(Debug, Default)]
pub struct Dataset {
    pub rows: Vec<Row>,
    /// Labels that have a column in the file.
    pub columns: Vec<Label>,
    pub has_split: bool,
}

impl Dataset {
    /// Sources in first-seen order.
    pub fn sources(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.rows {
            if !out.contains(&r.source) {
                out.push(r.source.clone());
            }
        }
        out
    }
}

pub fn read_csv(path: &Path) -> Result<Dataset, DataError> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_from(path, file)
}

/// Where each known column sits in a file's header.
struct Columns {
    text: usize,
    id: Option<usize>,
    source: Option<usize>,
    split: Option<usize>,
    weight: Option<usize>,
    labels: Vec<(Label, usize)>,
}

impl Columns {
    fn of(path: &Path, header: &csv::StringRecord) -> Result<Columns, DataError> {
        let col = |name: &str| header.iter().position(|h| h.trim() == name);
        let text = col("text").ok_or_else(|| DataError::NoText {
            path: path.to_path_buf(),
            header: header.iter().collect::<Vec<_>>().join(","),
        })?;
        let labels: Vec<(Label, usize)> = Label::ALL
            .into_iter()
            .filter_map(|l| col(l.as_str()).map(|c| (l, c)))
            .collect();
        if labels.is_empty() {
            return Err(DataError::NoLabels {
                path: path.to_path_buf(),
                expected: Label::ALL.map(|l| l.as_str()).join(", "),
            });
        }
        Ok(Columns {
            text,
            id: col("id"),
            source: col("source"),
            split: col("split"),
            weight: col("weight"),
            labels,
        })
    }

    /// One record as a row; `line` names it in errors.
    fn row(&self, path: &Path, line: u64, record: &csv::StringRecord) -> Result<Row, DataError> {
        let field = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim();
        let mut labels = [None; 6];
        for &(l, c) in &self.labels {
            let v = field(Some(c));
            labels[l.index()] = match v {
                "" => None,
                "1" | "1.0" | "true" | "True" => Some(true),
                "0" | "0.0" | "false" | "False" => Some(false),
                _ => {
                    return Err(DataError::BadLabel {
                        path: path.to_path_buf(),
                        line,
                        column: l.as_str().into(),
                        value: v.into(),
                    });
                }
            };
        }
        let split = match self.split.map(|c| field(Some(c))) {
            None | Some("") => None,
            Some("train") => Some(Split::Train),
            Some("test") => Some(Split::Test),
            Some(other) => {
                return Err(DataError::BadSplit {
                    path: path.to_path_buf(),
                    line,
                    value: other.into(),
                });
            }
        };
        let weight = match field(self.weight) {
            "" => 1.0,
            v => parse_weight(v).ok_or_else(|| DataError::BadWeight {
                path: path.to_path_buf(),
                line,
                value: v.into(),
            })?,
        };
        let source = field(self.source);
        let raw = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_string();
        Ok(Row {
            id: raw(self.id),
            source: if source.is_empty() {
                "all".into()
            } else {
                source.into()
            },
            split,
            text: raw(Some(self.text)),
            labels,
            weight,
        })
    }
}

pub fn read_from(path: &Path, input: impl std::io::Read) -> Result<Dataset, DataError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let csv_err = |e: csv::Error| DataError::Csv {
        path: path.to_path_buf(),
        line: e.position().map_or(0, |p| p.line()),
        message: e.to_string(),
    };
    let header = reader.headers().map_err(csv_err)?.clone();
    let columns = Columns::of(path, &header)?;
    let mut ds = Dataset {
        rows: Vec::new(),
        columns: columns.labels.iter().map(|(l, _)| *l).collect(),
        has_split: columns.split.is_some(),
    };
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_err)? {
        let line = record.position().map_or(0, |p| p.line());
        ds.rows.push(columns.row(path, line, &record)?);
    }
    Ok(ds)
}

/// A training weight: a number above 0 and at most [`MAX_WEIGHT`] (a typo such as `30000`
/// would otherwise let one row drown the data).
pub fn parse_weight(v: &str) -> Option<f32> {
    v.trim()
        .parse::<f32>()
        .ok()
        .filter(|w| *w > 0.0 && *w <= MAX_WEIGHT)
}

pub const MAX_WEIGHT: f32 = 1000.0;

/// A row's fold out of `n`, from a fixed hash (FNV-1a 64) of its id: stable across runs and
/// platforms, independent of row order.
/// `K/N` (fold K of N, K < N), as `--exclude-fold` and `--fold` take it.
pub fn parse_fold(s: &str) -> Option<(u32, u32)> {
    s.split_once('/')
        .and_then(|(k, n)| Some((k.parse::<u32>().ok()?, n.parse::<u32>().ok()?)))
        .filter(|&(k, n)| k < n)
}

pub fn fold_of(id: &str, n: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % u64::from(n.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_unlabelled_and_errors_name_the_line() {
        let csv = "text,abuse,threat\nhello,0,\nyou idiot,1,0\n";
        let ds = read_from(Path::new("x.csv"), csv.as_bytes()).expect("parses");
        assert_eq!(ds.rows[0].labels[Label::Threat.index()], None);
        assert_eq!(ds.rows[1].labels[Label::Abuse.index()], Some(true));
        assert_eq!(ds.rows[0].source, "all");
        let bad = "text,abuse\nok,0\nbad,yes\n";
        let err = read_from(Path::new("x.csv"), bad.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
        assert_eq!(
            ds.rows[0].weight, 1.0,
            "no weight column: every row counts once"
        );
    }

    #[test]
    fn weights_are_read_and_bad_ones_name_the_line() {
        let csv = "text,abuse,weight\na,0,2.5\nb,1,\n";
        let ds = read_from(Path::new("x.csv"), csv.as_bytes()).expect("parses");
        assert_eq!((ds.rows[0].weight, ds.rows[1].weight), (2.5, 1.0));
        for bad in ["0", "-1", "NaN", "inf", "heavy", "1001"] {
            let csv = format!("text,abuse,weight\nok,0,1\nx,1,{bad}\n");
            let err = read_from(Path::new("x.csv"), csv.as_bytes()).unwrap_err();
            assert!(
                err.to_string().contains("line 3") && err.to_string().contains("weight"),
                "{bad}: {err}"
            );
        }
    }
}
