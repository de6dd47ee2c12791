//! Posting and reporting limits: tight per author or reporter (one person flooding a thread or
//! the report button), loose per client address (a whole newsroom proxy or a benchmark shares
//! one address). GCRA limiters from `governor`.
//!
//! With several instances on one PostgreSQL database the per-person allowance is kept in the
//! database (the same GCRA, see `storage::fleet`), so a reader gets the configured rate however
//! many instances the load balancer spreads their posts over. The address limit stays in each
//! instance's memory: it guards that instance against a flood, and N instances allow N times
//! it in total (docs/postgres.md).

use crate::config::{Rate, RateLimits, ReportRateLimits};
use crate::storage::Store;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

/// Forget idle keys every this many checks so memory stays bounded.
const SWEEP_EVERY: u64 = 16_384;

pub struct RateLimiter {
    /// What the per-person key is, as named in a 429: `author` or `reporter`.
    key_scope: &'static str,
    per_key: Option<DefaultKeyedRateLimiter<String>>,
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: AtomicU64,
    /// The per-person rate, for the shared allowance.
    per_key_rate: Option<Rate>,
    /// Set on a shared database: the per-person allowance is kept there.
    shared: Option<Store>,
}

/// Which limit was hit and when to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub scope: &'static str,
    pub retry_after_secs: u64,
}

/// `count` per `per`, allowing a burst of `count`.
fn quota(rate: Rate) -> Option<Quota> {
    let count = NonZeroU32::new(rate.count)?;
    Some(Quota::with_period(rate.per / rate.count)?.allow_burst(count))
}

impl RateLimiter {
    /// Posting limits: per author name and per address.
    pub fn new(limits: &RateLimits) -> RateLimiter {
        RateLimiter::keyed("author", limits.per_author, limits.per_address)
    }

    /// Reader report limits: per `reporter_id` and per address.
    pub fn for_reports(limits: &ReportRateLimits) -> RateLimiter {
        RateLimiter::keyed("reporter", limits.per_reporter, limits.per_address)
    }

    fn keyed(
        key_scope: &'static str,
        per_key: Option<Rate>,
        per_address: Option<Rate>,
    ) -> RateLimiter {
        RateLimiter {
            key_scope,
            per_key: per_key.and_then(quota).map(DefaultKeyedRateLimiter::keyed),
            per_address: per_address
                .and_then(quota)
                .map(DefaultKeyedRateLimiter::keyed),
            checks: AtomicU64::new(0),
            per_key_rate: per_key.filter(|r| r.count > 0),
            shared: None,
        }
    }

    /// Keep the per-person allowance in `store` when instances share it (PostgreSQL).
    pub fn shared_through(mut self, store: &Store) -> RateLimiter {
        if store.is_shared() {
            self.shared = Some(store.clone());
        }
        self
    }

    /// Take one request from the address's allowance (this instance's) and the person's
    /// (the database's when shared). While the database cannot be asked, the person's
    /// allowance falls back to this instance's memory: the post itself will fail then anyway.
    pub async fn take(&self, key: Option<&str>, address: Option<IpAddr>) -> Result<(), Limited> {
        let Some(store) = &self.shared else {
            return self.check_key(key, address);
        };
        self.check_key(None, address)?;
        let (Some(rate), Some(key)) = (self.per_key_rate, key) else {
            return Ok(());
        };
        let interval = rate.per / rate.count;
        let name = format!("{}:{}", self.key_scope, key.to_lowercase());
        match store.take_allowance(name, interval, rate.per).await {
            Ok(None) => Ok(()),
            Ok(Some(wait)) => Err(Limited {
                scope: self.key_scope,
                // Round up: retrying a fraction of a second early would fail again.
                retry_after_secs: wait.as_secs() + 1,
            }),
            Err(err) => {
                tracing::debug!(error = %super::error::Chain(&err), "shared rate allowance unavailable; limiting in memory");
                self.check_key(Some(key), None)
            }
        }
    }

    /// Take one post from the address's and the author's allowance.
    pub fn check(&self, author: &str, address: Option<IpAddr>) -> Result<(), Limited> {
        self.check_key(Some(author), address)
    }

    /// Take one request from the address's and, when there is one, the key's allowance.
    pub fn check_key(&self, key: Option<&str>, address: Option<IpAddr>) -> Result<(), Limited> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep();
        }
        let clock = DefaultClock::default();
        let retry = |not_until: governor::NotUntil<_>, scope| Limited {
            scope,
            // Round up: retrying a fraction of a second early would fail again.
            retry_after_secs: not_until.wait_time_from(clock.now()).as_secs() + 1,
        };
        if let (Some(limiter), Some(address)) = (&self.per_address, address) {
            limiter
                .check_key(&address)
                .map_err(|n| retry(n, "address"))?;
        }
        if let (Some(limiter), Some(key)) = (&self.per_key, key) {
            // Case-folded so "Troll" and "troll" share an allowance.
            limiter
                .check_key(&key.to_lowercase())
                .map_err(|n| retry(n, self.key_scope))?;
        }
        Ok(())
    }

    fn sweep(&self) {
        if let Some(l) = &self.per_key {
            l.retain_recent();
            l.shrink_to_fit();
        }
        if let Some(l) = &self.per_address {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

/// Failed token or key attempts an address may make per window before it is answered 429.
pub const AUTH_FAILURE_LIMIT: u32 = 10;
pub const AUTH_FAILURE_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);
/// Addresses tracked at once; past this, expired ones are dropped first, and if every one is
/// still live a new address goes untracked rather than growing memory without bound.
const MAX_TRACKED_ADDRESSES: usize = 65_536;

/// Slows token and key guessing: after [`AUTH_FAILURE_LIMIT`] wrong credentials from one
/// address within [`AUTH_FAILURE_WINDOW`] of the first, every authenticated request from it is
/// refused until the window ends, right token or not, so guessing gains nothing by continuing.
/// Missing credentials do not count: they are not guesses.
pub struct FailureThrottle {
    failures: parking_lot::Mutex<std::collections::HashMap<IpAddr, (std::time::Instant, u32)>>,
}

impl Default for FailureThrottle {
    fn default() -> Self {
        FailureThrottle {
            failures: parking_lot::Mutex::new(std::collections::HashMap::new()),
        }
    }
}

impl FailureThrottle {
    /// `Err(seconds to wait)` while `address` has used up its failures.
    pub fn check(&self, address: Option<IpAddr>) -> Result<(), u64> {
        let Some(ip) = address else { return Ok(()) };
        let now = std::time::Instant::now();
        match self.failures.lock().get(&ip) {
            Some(&(start, n)) if n >= AUTH_FAILURE_LIMIT && now < start + AUTH_FAILURE_WINDOW => {
                let left = (start + AUTH_FAILURE_WINDOW).saturating_duration_since(now);
                // Round up: retrying a fraction of a second early would be refused again.
                Err(left.as_secs() + 1)
            }
            _ => Ok(()),
        }
    }

    /// Record one wrong token or key from `address`.
    pub fn failed(&self, address: Option<IpAddr>) {
        let Some(ip) = address else { return };
        let now = std::time::Instant::now();
        let mut failures = self.failures.lock();
        if failures.len() >= MAX_TRACKED_ADDRESSES && !failures.contains_key(&ip) {
            failures.retain(|_, (start, _)| now < *start + AUTH_FAILURE_WINDOW);
            if failures.len() >= MAX_TRACKED_ADDRESSES {
                return;
            }
        }
        let entry = failures.entry(ip).or_insert((now, 0));
        if now >= entry.0 + AUTH_FAILURE_WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn throttles_an_address_after_its_failures_only() {
        let throttle = FailureThrottle::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..AUTH_FAILURE_LIMIT {
            assert!(throttle.check(Some(a)).is_ok());
            throttle.failed(Some(a));
        }
        let wait = throttle.check(Some(a)).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(throttle.check(Some(b)).is_ok());
        assert!(throttle.check(None).is_ok());
    }

    #[test]
    fn limits_each_author() {
        let limiter = RateLimiter::new(&RateLimits {
            per_author: Some(Rate {
                count: 2,
                per: Duration::from_secs(60),
            }),
            per_address: None,
        });
        assert!(limiter.check("Ann", None).is_ok());
        assert!(limiter.check("ann", None).is_ok());
        let limited = limiter.check("ANN", None).unwrap_err();
        assert_eq!(limited.scope, "author");
        assert!((1..=31).contains(&limited.retry_after_secs));
        assert!(limiter.check("bob", None).is_ok());
    }

    #[test]
    fn limits_each_reporter_and_anonymous_reports_by_address_only() {
        let limiter = RateLimiter::for_reports(&ReportRateLimits {
            per_reporter: Some(Rate {
                count: 1,
                per: Duration::from_secs(60),
            }),
            per_address: Some(Rate {
                count: 3,
                per: Duration::from_secs(60),
            }),
        });
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        assert!(limiter.check_key(Some("u1"), Some(ip)).is_ok());
        assert_eq!(
            limiter.check_key(Some("u1"), Some(ip)).unwrap_err().scope,
            "reporter"
        );
        assert!(limiter.check_key(None, Some(ip)).is_ok());
        assert_eq!(
            limiter.check_key(None, Some(ip)).unwrap_err().scope,
            "address"
        );
    }
}
