//! One key back to its value at a past revision ([`KeyRollback`]): read at REV and now, then
//! written (or deleted, when it did not exist at REV) in one transaction guarded by its mod
//! revision now, so that a change made in between fails the rollback instead of being
//! overwritten. The lease the key had at REV is kept when it is still alive (the key lives
//! and dies with it again); one that has expired is not revived; `--ttl` grants a new one.

use super::check_revision;
use crate::client::error::{Error, Kind, Result};
use crate::client::{Client, Compare, Condition, KeyValue, Op, OpResult, RangeSpec};
use crate::keys::KeySpan;

/// What the rollback does with the key's lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseFate {
    /// No lease at REV (or the key did not exist then): written without one.
    None,
    /// REV's lease is still alive: the key is attached to it again.
    Kept(i64),
    /// REV's lease has expired: it is not revived, the key is written without a lease.
    Expired(i64),
    /// `--ttl`: a new lease of this many seconds.
    New(i64),
}

/// The plan of one key's rollback.
#[derive(Debug, Clone)]
pub struct KeyRollback {
    pub key: Vec<u8>,
    /// The revision rolled back to.
    pub to: i64,
    /// The revision the key was read at now (the guard's).
    pub revision: i64,
    /// The key at `to` (`None`: it did not exist then).
    pub then: Option<KeyValue>,
    /// The key now (`None`: it does not exist).
    pub now: Option<KeyValue>,
    pub lease: LeaseFate,
}

impl KeyRollback {
    /// Read `key` at `to` and now; `ttl`: a new lease instead of REV's.
    pub async fn plan(client: &Client, key: &[u8], to: i64, ttl: Option<i64>) -> Result<Self> {
        let span = KeySpan::new(key.to_vec(), false);
        check_revision(client, &span, to).await?;
        let then = client
            .range(&RangeSpec {
                revision: to,
                ..RangeSpec::key(key)
            })
            .await?
            .kvs
            .pop();
        let page = client.range(&RangeSpec::key(key)).await?;
        let now = page.kvs.into_iter().next();
        let lease = match (&then, ttl) {
            (None, _) => LeaseFate::None,
            (Some(_), Some(ttl)) => LeaseFate::New(ttl),
            (Some(kv), None) if kv.lease == 0 => LeaseFate::None,
            (Some(kv), None) => match client.lease_time_to_live(kv.lease, false).await?.ttl {
                left if left > 0 => LeaseFate::Kept(kv.lease),
                _ => LeaseFate::Expired(kv.lease),
            },
        };
        Ok(KeyRollback {
            key: key.to_vec(),
            to,
            revision: page.revision,
            then,
            now,
            lease,
        })
    }

    /// The key holds its value of `to` already (on the lease it would get): nothing to write.
    pub fn unchanged(&self) -> bool {
        match (&self.then, &self.now) {
            (None, None) => true,
            (Some(then), Some(now)) => {
                then.value == now.value
                    && match self.lease {
                        LeaseFate::Kept(id) => now.lease == id,
                        LeaseFate::None | LeaseFate::Expired(_) => now.lease == 0,
                        LeaseFate::New(_) => false,
                    }
            }
            _ => false,
        }
    }

    /// Write the key back, guarded by its mod revision as planned: the revision written at,
    /// or a condition failure naming the revision that changed the key since.
    pub async fn apply(&self, client: &Client) -> Result<i64> {
        let lease = match self.lease {
            LeaseFate::Kept(id) => id,
            LeaseFate::New(ttl) => client.lease_grant(ttl).await?.0,
            LeaseFate::None | LeaseFate::Expired(_) => 0,
        };
        let guard = Compare {
            key: self.key.clone(),
            condition: match &self.now {
                Some(kv) => Condition::ModRevisionIs(kv.mod_revision),
                None => Condition::Absent,
            },
        };
        let op = match &self.then {
            Some(kv) => Op::Put {
                key: self.key.clone(),
                value: Some(kv.value.clone()),
                lease,
                prev: false,
            },
            None => Op::Delete {
                key: self.key.clone(),
                end: None,
                prev: false,
            },
        };
        let read = Op::Range(RangeSpec::key(&self.key));
        let outcome = client.txn(&[guard], &[op], &[read]).await?;
        if outcome.succeeded {
            return Ok(outcome.revision);
        }
        let current = outcome.results.into_iter().find_map(|r| match r {
            OpResult::Range(page) => Some(page.kvs.into_iter().next()),
            _ => None,
        });
        let current = current.flatten();
        // A guarded transaction may be sent twice (its answer lost): the first one landed
        // when the key is exactly as written.
        let landed = match (&self.then, &current) {
            (Some(then), Some(kv)) => then.value == kv.value && kv.lease == lease,
            (None, None) => true,
            _ => false,
        };
        if landed {
            return Ok(current.map_or(outcome.revision, |kv| kv.mod_revision));
        }
        if let LeaseFate::New(_) = self.lease {
            let _ = client.lease_revoke(lease).await;
        }
        let key = crate::text::escape(&self.key);
        let what = match current {
            Some(kv) => format!("was changed at revision {}", kv.mod_revision),
            None => format!("was deleted after revision {}", self.revision),
        };
        Err(Error::new(
            Kind::ConditionFailed,
            format!(
                "{key} {what}, after the rollback read it at revision {}: nothing written, the new value is kept",
                self.revision
            ),
        ))
    }
}
