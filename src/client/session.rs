//! A lease kept alive for as long as something needs it (what etcd's
//! `concurrency.Session` does): granted with an exact TTL, one keepalive
//! every TTL/3, each endpoint given a sixth of the TTL to answer before the
//! next is asked, a lock key checked after each renewal and watched
//! meanwhile; and why the lease, or the lock on it, is lost (or could be)
//! when keeping it ends.

use super::Client;
use super::error::{Error, Kind, Result};
use crate::text::escape;
use std::cell::Cell;
use std::time::Duration;
use tokio::time::{Instant, sleep, sleep_until, timeout};

/// A lease of a fixed TTL, and when it was last renewed. A new lease can
/// replace the current one (a lock waiter queueing again).
pub struct Session<'a> {
    client: &'a Client,
    ttl: u64,
    /// The current lease.
    lease: Cell<i64>,
    /// When the last keepalive that succeeded was sent (or the lease granted).
    renewed: Cell<Instant>,
}

/// Why a lease, or the lock held with it, was given up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lost {
    /// The lease expired or was revoked.
    LeaseGone,
    /// The lock key was deleted (lease revoked or expired, or unlocked by
    /// someone else).
    KeyDeleted,
    /// No keepalive succeeded for this long (the last error, if one came).
    NotRenewed {
        since: Duration,
        error: Option<String>,
    },
}

impl<'a> Session<'a> {
    /// Grant a lease of exactly `ttl` seconds.
    pub async fn grant(client: &'a Client, ttl: u64) -> Result<Session<'a>> {
        let renewed = Cell::new(Instant::now());
        let lease = Cell::new(client.grant_exactly(ttl as i64).await?);
        Ok(Session {
            client,
            ttl,
            lease,
            renewed,
        })
    }

    pub fn client(&self) -> &'a Client {
        self.client
    }

    /// The current lease's ID.
    pub fn lease(&self) -> i64 {
        self.lease.get()
    }

    /// The lease's TTL in whole seconds.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl
    }

    pub fn ttl(&self) -> Duration {
        Duration::from_secs(self.ttl)
    }

    /// When the last keepalive that succeeded was sent (or the lease granted):
    /// the lease could expire a TTL after that.
    pub fn renewed(&self) -> Instant {
        self.renewed.get()
    }

    /// Revoke the current lease (whatever the answer) and grant a new one.
    pub async fn renew_lease(&self) -> Result<()> {
        let _ = self.client.lease_revoke(self.lease()).await;
        self.renewed.set(Instant::now());
        self.lease
            .set(self.client.grant_exactly(self.ttl as i64).await?);
        Ok(())
    }

    /// Revoke the current lease (deleting the keys attached to it).
    pub async fn revoke(&self) -> Result<()> {
        self.client.lease_revoke(self.lease()).await
    }

    /// Keep the lease alive; returns (only) when the lease is lost or could
    /// be: once no keepalive has succeeded for `give_up_after` after the last
    /// one that did was sent. `held`: a lock key and its create revision,
    /// checked after each renewal. `on_renew(sent)` is called after every
    /// renewal.
    pub async fn keep(
        &self,
        give_up_after: Duration,
        held: Option<(&[u8], i64)>,
        on_renew: &dyn Fn(Instant),
    ) -> Lost {
        let (client, lease, ttl, renewed) = (self.client, self.lease(), self.ttl(), &self.renewed);
        let period = ttl / 3;
        let within = ttl / 6;
        let retry = (ttl / 12).clamp(Duration::from_millis(100), Duration::from_secs(1));
        let mut failure: Option<String> = None;
        loop {
            // A period after the last renewal (which may predate this loop),
            // or soon again after a failure; never past the time to give up.
            let give_up = renewed.get() + give_up_after;
            let next = if failure.is_some() {
                Instant::now() + retry
            } else {
                renewed.get() + period
            };
            sleep_until(next.min(give_up)).await;
            let sent = Instant::now();
            if sent >= give_up {
                return Lost::NotRenewed {
                    since: sent - renewed.get(),
                    error: failure,
                };
            }
            match timeout(give_up - sent, client.lease_keepalive_within(lease, within)).await {
                Err(_) => {
                    return Lost::NotRenewed {
                        since: give_up_after,
                        error: failure,
                    };
                }
                Ok(Ok(None)) => return Lost::LeaseGone,
                Ok(Err(e)) => failure = Some(e.message),
                Ok(Ok(Some(_))) => {
                    renewed.set(sent);
                    on_renew(sent);
                    failure = None;
                    if let Some((key, revision)) = held {
                        let check = timeout(within, client.lock_key_alive(key, revision)).await;
                        if let Ok(Ok(false)) = check {
                            return Lost::KeyDeleted;
                        }
                    }
                }
            }
        }
    }

    /// Returns (only) when the lock key `key`, created at `revision`, is
    /// deleted, seen by a watch at once rather than at the next keepalive;
    /// while no watch can be kept, [`Session::keep`]'s check is what notices.
    pub async fn key_watched(&self, key: &[u8], revision: i64) -> Lost {
        let mut backoff = super::backoff::Backoff::new();
        loop {
            match self.client.lock_key_deleted(key, revision).await {
                Ok(()) => return Lost::KeyDeleted,
                Err(_) => sleep(backoff.next_pause()).await,
            }
        }
    }
}

impl Lost {
    /// `what` ("lock NAME", "election NAME", as [`super::Mutex::what`] says),
    /// held with `key` on a lease of `ttl`, is lost (exit 6); `stopped`: what
    /// was done to the command that held it.
    pub fn error(&self, what: &str, ttl: Duration, key: &[u8], stopped: Option<&str>) -> Error {
        let mut message = format!("lost {what}: {}", self.describe(ttl, key));
        if let Some(stopped) = stopped {
            message.push_str(&format!("; {stopped}"));
        }
        Error::new(Kind::LockLost, message)
    }

    /// Why the lock held with `key` on a lease of `ttl` is lost, in words.
    pub fn describe(&self, ttl: Duration, key: &[u8]) -> String {
        match self {
            Lost::LeaseGone => "its lease expired or was revoked".into(),
            Lost::KeyDeleted => format!(
                "its key {} was deleted (lease revoked or expired, or unlocked by someone else)",
                escape(key)
            ),
            Lost::NotRenewed { since, error } => {
                let mut why = format!(
                    "no keepalive succeeded for {:.1}s (the lease expires {} after the last one)",
                    since.as_secs_f64(),
                    humantime::format_duration(ttl)
                );
                if let Some(error) = error {
                    why.push_str(&format!(" (last error: {error})"));
                }
                why
            }
        }
    }
}
