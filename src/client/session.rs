//! A lock's lease kept alive (what etcd's `concurrency.Session` does): one
//! keepalive every TTL/3, each endpoint given a sixth of the TTL to answer
//! before the next is asked, the lock key checked after each renewal and
//! watched meanwhile; and why the lock is lost, or could be, when that ends.

use super::Client;
use std::cell::Cell;
use std::time::Duration;
use tokio::time::{Instant, sleep, sleep_until, timeout};

/// What a lease kept alive for a lock needs.
pub struct Keeping<'a> {
    pub lease: i64,
    pub ttl: Duration,
    /// Give up once no keepalive has succeeded for this long after the last
    /// one that did was sent (the lease could expire a TTL after that).
    pub give_up_after: Duration,
    /// When the last keepalive that succeeded was sent (or the lease granted).
    pub renewed: &'a Cell<Instant>,
    /// While the lock is held: its key and create revision, checked after
    /// each renewal.
    pub held: Option<(&'a [u8], i64)>,
}

/// Why a lock's lease was given up.
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

impl Client {
    /// Keep the lease alive; returns (only) when the lock is lost or could
    /// be, saying why. `on_renew(sent)` is called after every renewal.
    pub async fn keep_lease(&self, keeping: Keeping<'_>, on_renew: &dyn Fn(Instant)) -> Lost {
        let Keeping {
            lease,
            ttl,
            give_up_after,
            renewed,
            held,
        } = keeping;
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
            match timeout(give_up - sent, self.lease_keepalive_within(lease, within)).await {
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
                        let check = timeout(within, self.lock_key_alive(key, revision)).await;
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
    /// while no watch can be kept, [`Client::keep_lease`]'s check is what
    /// notices.
    pub async fn lock_key_watched(&self, key: &[u8], revision: i64) -> Lost {
        loop {
            match self.lock_key_deleted(key, revision).await {
                Ok(()) => return Lost::KeyDeleted,
                Err(_) => sleep(Duration::from_secs(1)).await,
            }
        }
    }
}
