//! HTTP layer (actix-web). OWNED BY THE SERVICE WORK: routes per resource, auth, one ApiError.

use crate::config::Config;

/// Start the service and block until it shuts down (SIGTERM/SIGINT finish in-flight requests).
pub fn run(_config: Config) -> anyhow::Result<()> {
    anyhow::bail!("serve is not implemented yet")
}
