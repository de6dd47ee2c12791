//! Subcommands through the built `talkback` binary: `migrate-store`, and `train | eval | score`
//! (these need the training subcommands).

// `pub`: this binary uses only part of the shared helpers; the api binary, which uses them all,
// declares the module private so the dead-code lint checks it there.
#[path = "../common/mod.rs"]
pub mod common;

mod migrate_store;
#[cfg(feature = "training")]
mod model;
