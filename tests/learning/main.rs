//! Learning from moderators: exporting decisions, retraining, the promotion gate, rescoring and
//! hot model reload. All but `reload` train or gate through the training modules.

// `pub`: this binary uses only part of the shared helpers; the api binary, which uses them all,
// declares the module private so the dead-code lint checks it there.
#[path = "../common/mod.rs"]
pub mod common;

#[cfg(feature = "training")]
mod export;
#[cfg(feature = "training")]
mod gate;
mod reload;
#[cfg(feature = "training")]
mod rescore;
#[cfg(feature = "training")]
mod retrain_script;
