//! The model itself: the shipped model's verdicts and robustness, its sentence stage against a
//! reference, and training on small fixtures.

// `pub`: this binary uses only part of the shared helpers; the api binary, which uses them all,
// declares the module private so the dead-code lint checks it there.
#[path = "../common/mod.rs"]
pub mod common;

mod encoder;
mod shipped;
mod training;
