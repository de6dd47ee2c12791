//! talkback: self-hosted comment moderation.
//!
//! Layers: `domain` (valid-by-construction types) <- `model` (scoring) and `storage` (SQLite)
//! <- `http` (actix-web handlers). `training` builds models offline; `cli` wires commands.

pub mod cli;
pub mod config;
pub mod domain;
pub mod http;
pub mod learning;
pub mod model;
pub mod perspective;
pub mod storage;
pub mod training;
