//! Domain types: labels, comments, articles, authors, scores, decisions and reader reports, valid
//! by construction.

// `text_newtype!` is defined in `comment` and used by `article`, `author` and `report`.
#[macro_use]
mod comment;
mod article;
mod author;
mod decision;
mod explain;
mod label;
mod report;

pub use article::*;
pub use author::*;
pub use comment::*;
pub use decision::*;
pub use explain::*;
pub use label::*;
pub use report::*;
