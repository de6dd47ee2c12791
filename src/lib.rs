//! talkback: self-hosted comment moderation.
//!
//! Layers: `domain` (valid-by-construction types) <- `model` (scoring) and `storage` (SQLite)
//! <- `http` (actix-web handlers). `training` builds models offline; `cli` wires commands.

pub mod cli;
pub mod config;
pub mod domain;
pub mod http;
// Offline work (training, evaluation, rescoring, export, gating) and the crates only it uses
// (rayon, linfa, ndarray, plotters, png, csv, indicatif): left out of a server-only build.
#[cfg(feature = "training")]
pub mod learning;
pub mod model;
pub mod perspective;
pub mod storage;
#[cfg(feature = "training")]
pub mod training;

/// The layer rule, checked on the source: lower layers never name a higher one.
#[cfg(test)]
mod layers {
    use std::path::Path;

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("source dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Code lines (not comments) under `src/<dir>` that name any of `forbidden`.
    fn offences(dir: &str, forbidden: &[&str]) -> Vec<String> {
        let mut files = Vec::new();
        rust_files(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir),
            &mut files,
        );
        let mut found = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("source file");
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if !code.starts_with("//") && forbidden.iter().any(|f| code.contains(f)) {
                    found.push(format!("{}:{}: {code}", file.display(), n + 1));
                }
            }
        }
        found
    }

    #[test]
    fn lower_layers_do_not_import_http() {
        for dir in [
            "domain",
            "model",
            "storage",
            "training",
            "learning",
            "perspective",
        ] {
            let found = offences(dir, &["crate::http"]);
            assert!(found.is_empty(), "{found:#?}");
        }
    }

    #[test]
    fn domain_imports_no_other_layer() {
        let others = [
            "crate::http",
            "crate::storage",
            "crate::model",
            "crate::training",
        ];
        let found = offences(
            "domain",
            &[&others[..], &["crate::learning", "crate::config"]].concat(),
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
