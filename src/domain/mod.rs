//! Domain types: labels, comments, scores, decisions and reader reports, valid by construction.

// `text_newtype!` is defined in `comment` and used by `report`.
#[macro_use]
mod comment;
mod decision;
mod label;
mod report;

pub use comment::*;
pub use decision::*;
pub use label::*;
pub use report::*;
