//! The learning loop around the service: re-score the held queue with a new model, export
//! moderator decisions as training data, and gate a retrained model against the current one
//! (report with metrics and curves) before it is promoted. `talkback retrain` strings the
//! commands together; hot reload of the promoted model lives in `http::reload`.

pub mod cli;
pub mod curves;
pub mod export;
pub mod gate;
pub mod rescore;
pub mod retrain;
