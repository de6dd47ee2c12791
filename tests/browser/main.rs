//! The moderator page in headless Chromium over WebDriver, against the real server: each test
//! opens a chromedriver and a browser profile of its own (`harness`). Skips with a reason when
//! chromedriver or Chromium is not installed, except under CI.

// `pub`: this binary uses only part of the shared helpers; the api binary, which uses them all,
// declares the module private so the dead-code lint checks it there.
#[path = "../common/mod.rs"]
pub mod common;
mod harness;

mod moderate;
mod premoderation;
