//! The service over real HTTP, one module per area: each test starts the real app (`common`) on
//! 127.0.0.1:0 with a temporary SQLite file or a PostgreSQL database of its own.

// Private here, so the dead-code lint checks the shared helpers in this binary, which uses every
// one of them; the other binaries declare it `pub` as each uses only a part.
#[path = "../common/mod.rs"]
mod common;

mod abuse_cases;
mod authors;
mod bad_input;
mod comments;
mod durability;
mod fuzz_inputs;
mod hardening;
mod instances;
mod moderation;
mod openapi;
mod ops;
mod perspective;
mod pg_faults;
mod premoderation;
mod reports;
