//! Looking at a lock from outside (`lock status`) and breaking it (`lock
//! break`): its queue under `NAME/` read once, the holders' leases asked for
//! their time left, a holder's lease revoked.

use super::Client;
use super::error::{Error, Kind, Result};
use super::v3::lock::{Holder, HolderNote};
use crate::text::escape;

/// A lock's queue as it is now: holders first, then waiters, in queue order.
#[derive(Debug, Clone)]
pub struct LockState {
    /// Each holder, with its lease's seconds left (-1: expired meanwhile).
    pub holders: Vec<(Holder, i64)>,
    pub waiters: Vec<Holder>,
    /// How many hold it at once: the oldest key's `--limit` (1: a plain lock).
    pub limit: u32,
}

impl Client {
    /// The holders and waiters of the lock `name` (`<prefix>/NAME`).
    pub async fn lock_state(&self, name: &[u8]) -> Result<LockState> {
        let (mut queue, _) = self.lock_queue(name, 0, 0).await?;
        let limit = HolderNote::limit_of(queue.first().and_then(|h| h.note.as_ref()));
        let waiters = queue.split_off(queue.len().min(limit as usize));
        let mut holders = Vec::with_capacity(queue.len());
        for holder in queue {
            let left = match holder.lease {
                0 => -1,
                lease => self.lease_time_to_live(lease, false).await?.ttl,
            };
            holders.push((holder, left));
        }
        Ok(LockState {
            holders,
            waiters,
            limit,
        })
    }

    /// The holder of `name` that [`Client::break_lock`] would break: the one
    /// whose key is `key` (any key in the queue, a waiter's too), or the only
    /// holder. An error when nobody holds the lock (not found), or when a
    /// semaphore has several holders and no `key` says which.
    pub async fn lock_victim(&self, name: &[u8], key: Option<&[u8]>) -> Result<Holder> {
        let state = self.lock_state(name).await?;
        let mut queue = state
            .holders
            .into_iter()
            .map(|(h, _)| h)
            .chain(state.waiters);
        let found = match key {
            Some(key) => queue.find(|h| h.key == key),
            None => {
                let holders: Vec<Holder> = queue.take(state.limit as usize).collect();
                if holders.len() > 1 {
                    let keys: Vec<String> = holders.iter().map(|h| escape(&h.key)).collect();
                    let message = format!(
                        "lock {} has {} holders ({}); say which with --holder KEY",
                        escape(name),
                        holders.len(),
                        keys.join(", ")
                    );
                    return Err(Error::new(Kind::InvalidInput, message));
                }
                holders.into_iter().next()
            }
        };
        found.ok_or_else(|| {
            let what = match key {
                Some(key) => format!("no key {} in lock {}", escape(key), escape(name)),
                None => format!("nobody holds lock {}", escape(name)),
            };
            Error::new(Kind::NotFound, what)
        })
    }

    /// Break `holder`'s hold: revoke its lease (deleting its key and any other
    /// key on that lease), or delete the key if it has no lease.
    pub async fn break_lock(&self, holder: &Holder) -> Result<()> {
        match holder.lease {
            0 => self.delete(&holder.key, None).await.map(|_| ()),
            lease => self.lease_revoke(lease).await,
        }
    }
}
