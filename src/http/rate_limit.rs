//! Posting limits: tight per author (one person flooding a thread), loose per client address
//! (a whole newsroom proxy or a benchmark shares one address). GCRA limiters from `governor`.

use crate::config::{Rate, RateLimits};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

/// Forget idle keys every this many checks so memory stays bounded.
const SWEEP_EVERY: u64 = 16_384;

pub struct RateLimiter {
    per_author: Option<DefaultKeyedRateLimiter<String>>,
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: AtomicU64,
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
    pub fn new(limits: &RateLimits) -> RateLimiter {
        RateLimiter {
            per_author: limits
                .per_author
                .and_then(quota)
                .map(DefaultKeyedRateLimiter::keyed),
            per_address: limits
                .per_address
                .and_then(quota)
                .map(DefaultKeyedRateLimiter::keyed),
            checks: AtomicU64::new(0),
        }
    }

    /// Take one post from the address's and the author's allowance.
    pub fn check(&self, author: &str, address: Option<IpAddr>) -> Result<(), Limited> {
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
        if let Some(limiter) = &self.per_author {
            // Case-folded so "Troll" and "troll" share an allowance.
            limiter
                .check_key(&author.to_lowercase())
                .map_err(|n| retry(n, "author"))?;
        }
        Ok(())
    }

    fn sweep(&self) {
        if let Some(l) = &self.per_author {
            l.retain_recent();
            l.shrink_to_fit();
        }
        if let Some(l) = &self.per_address {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
}
