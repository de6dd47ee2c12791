//! Domain types: labels, comments, articles, authors, scores, decisions, reader reports and
//! pre-moderation, valid by construction.

// `text_newtype!` is defined in `comment` and used by `article`, `author`, `premoderation` and
// `report`.
#[macro_use]
mod comment;
mod article;
mod author;
mod decision;
mod explain;
mod label;
mod premoderation;
mod report;
mod text;

use text::{Controls, bounded_text, checked_text, optional_text};

pub use article::*;
pub use author::*;
pub use comment::*;
pub use decision::*;
pub use explain::*;
pub use label::*;
pub use premoderation::*;
pub use report::*;
