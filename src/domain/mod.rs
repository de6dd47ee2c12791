//! Domain types: labels, comments, scores and decisions, valid by construction.

mod comment;
mod decision;
mod label;

pub use comment::*;
pub use decision::*;
pub use label::*;
