//! Sign-in throttling: an in-memory rate limit per IP address (governor) as a fast first line,
//! and failure counters per IP address and per account in the database, so lockouts survive a
//! restart (docassemble keeps them in Redis and loses them).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use time::OffsetDateTime;

use crate::config::Config;
use crate::store::accounts::Throttle;
use crate::store::{Store, StoreError};

/// Why a request is refused before its password is even looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Too many requests from this address in the last minute.
    TooFast,
    /// Locked out after too many failures, until then.
    Locked { until: OffsetDateTime },
}

impl Refusal {
    /// Seconds until another try may succeed (for `Retry-After`).
    pub fn retry_after(&self) -> u64 {
        match self {
            Refusal::TooFast => 60,
            Refusal::Locked { until } => {
                u64::try_from((*until - OffsetDateTime::now_utc()).whole_seconds().max(1))
                    .unwrap_or(1)
            }
        }
    }
}

/// The throttle shared by all sign-in, registration and reset handlers.
#[derive(Clone)]
pub struct Throttler {
    fast: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    limit: i64,
    ban: time::Duration,
}

impl std::fmt::Debug for Throttler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttler")
            .field("limit", &self.limit)
            .field("ban", &self.ban)
            .finish_non_exhaustive()
    }
}

fn ip_key(ip: IpAddr) -> String {
    format!("ip:{ip}")
}

fn account_key(email: &str) -> String {
    format!("account:{email}")
}

impl Throttler {
    /// The configured limits.
    pub fn from_config(c: &Config) -> Self {
        let per_minute = NonZeroU32::new(c.login_rate_per_minute).unwrap_or(NonZeroU32::MIN);
        Self {
            fast: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            limit: i64::from(c.login_attempt_limit),
            ban: time::Duration::seconds(i64::try_from(c.login_ban_seconds).unwrap_or(i64::MAX)),
        }
    }

    /// Counts one request from `ip` against the per-minute rate.
    pub fn rate(&self, ip: IpAddr) -> Result<(), Refusal> {
        // Forget addresses whose budget is full again, so the map stays small.
        if self.fast.len() > 10_000 {
            self.fast.retain_recent();
        }
        self.fast.check_key(&ip).map_err(|_| Refusal::TooFast)
    }

    /// Refuses if `ip` or `email` (when given) is locked out.
    pub async fn check(
        &self,
        store: &Store,
        ip: IpAddr,
        email: Option<&str>,
    ) -> Result<Result<(), Refusal>, StoreError> {
        let now = OffsetDateTime::now_utc();
        let mut keys = vec![ip_key(ip)];
        keys.extend(email.map(account_key));
        for key in keys {
            if let Some(t) = store.throttle(&key).await? {
                if let Some(until) = t.locked_until.filter(|u| *u > now) {
                    return Ok(Err(Refusal::Locked { until }));
                }
            }
        }
        Ok(Ok(()))
    }

    /// Records a failure for `ip` and `email`; returns the keys that just became locked.
    pub async fn failed(
        &self,
        store: &Store,
        ip: IpAddr,
        email: Option<&str>,
    ) -> Result<Vec<String>, StoreError> {
        let now = OffsetDateTime::now_utc();
        let mut keys = vec![ip_key(ip)];
        keys.extend(email.map(account_key));
        let mut locked = Vec::new();
        for key in keys {
            let mut t = match store.throttle(&key).await? {
                Some(t) if t.window_start + self.ban > now => t,
                _ => Throttle {
                    failures: 0,
                    window_start: now,
                    locked_until: None,
                },
            };
            t.failures += 1;
            if t.failures >= self.limit && t.locked_until.is_none_or(|u| u <= now) {
                t.locked_until = Some(now + self.ban);
                locked.push(key.clone());
            }
            store.set_throttle(&key, t).await?;
        }
        Ok(locked)
    }

    /// A success clears the counters of `ip` and `email`.
    pub async fn succeeded(
        &self,
        store: &Store,
        ip: IpAddr,
        email: &str,
    ) -> Result<(), StoreError> {
        store.clear_throttle(&ip_key(ip)).await?;
        store.clear_throttle(&account_key(email)).await
    }
}
