//! One transaction of the plan's writes ([`Batch`]): each key guarded by the mod revision the
//! plan saw, sent again when its member died on the way (and found already applied), or
//! aborted whole with the keys that changed; the [`Leases`] the wanted TTLs get.

use super::counts::{Aborted, Action, Applied};
use super::wanted::Wanted;
use crate::client::error::{Kind, Result};
use crate::client::{Client, Compare, Condition, KeyValue, Op, OpResult, RangeSpec};
use std::collections::HashMap;

/// One transaction being gathered: its operations, their guards, and a read of each key for
/// when the guards fail.
#[derive(Default)]
pub(super) struct Batch {
    actions: Vec<Action>,
    pub(super) ops: Vec<Op>,
    guards: Vec<Compare>,
    reads: Vec<Op>,
    leases: Vec<i64>,
    /// The keys as they were, for those that had a lease.
    pub(super) replaced: Vec<KeyValue>,
}

impl Batch {
    pub(super) fn push(
        &mut self,
        action: Action,
        key: Vec<u8>,
        wanted: Option<Wanted>,
        now: Option<KeyValue>,
        lease: i64,
    ) {
        let condition = match &now {
            Some(kv) => Condition::ModRevisionIs(kv.mod_revision),
            None => Condition::Absent,
        };
        if let Some(kv) = now.as_ref().filter(|kv| kv.lease != 0) {
            self.replaced.push(kv.clone());
        }
        self.guards.push(Compare {
            key: key.clone(),
            condition,
        });
        self.reads.push(Op::Range(RangeSpec::key(&key)));
        self.ops.push(match wanted {
            Some(w) => Op::Put {
                key,
                value: Some(w.value),
                lease,
                prev: false,
            },
            None => Op::Delete {
                key,
                end: None,
                prev: false,
            },
        });
        self.actions.push(action);
        self.leases.push(lease);
    }

    pub(super) async fn send(
        &mut self,
        client: &Client,
        applied: &mut Applied,
        leases: &mut Leases,
        mark: Option<Op>,
    ) -> Result<()> {
        let batch = std::mem::take(self);
        let ops = [&batch.ops[..], mark.as_slice()].concat();
        // Guarded by the plan's mod revisions, a batch may be sent again when its member died
        // or lost its leader on the way: if the first one was applied, the second finds each
        // key as the batch wrote it (below).
        let mut tries = 0;
        let outcome = loop {
            tries += 1;
            match client.txn(&batch.guards, &ops, &batch.reads).await {
                Err(e) if tries < 4 && again(e.kind) => {
                    tokio::time::sleep(std::time::Duration::from_millis(300 * tries)).await
                }
                other => break other?,
            }
        };
        applied.batches += 1;
        let landed = !outcome.succeeded && batch.holds(&outcome.results);
        if outcome.succeeded || landed {
            applied.revision = outcome.revision;
            if landed {
                // Written by the earlier try: its revision is the keys' mod revision.
                let revisions = outcome.results.iter().filter_map(|r| match r {
                    OpResult::Range(page) => page.kvs.first().map(|kv| kv.mod_revision),
                    _ => None,
                });
                applied.revision = revisions.max().unwrap_or(outcome.revision);
            }
            for action in &batch.actions {
                applied.done.add(*action);
            }
            leases.used(&batch.leases);
            return Ok(());
        }
        let changed = batch
            .guards
            .iter()
            .zip(&outcome.results)
            .filter(|(guard, result)| {
                let now = match result {
                    OpResult::Range(page) => page.kvs.first().map_or(0, |kv| kv.mod_revision),
                    _ => 0,
                };
                match guard.condition {
                    Condition::ModRevisionIs(rev) => rev != now,
                    _ => now != 0,
                }
            })
            .map(|(guard, _)| guard.key.clone())
            .collect();
        let key = |i: usize| batch.guards[i].key.clone();
        applied.aborted.push(Aborted {
            first: key(0),
            last: key(batch.guards.len() - 1),
            keys: batch.guards.len() as u64,
            changed,
        });
        Ok(())
    }
}

impl Batch {
    /// Whether every key already is as the batch writes it (its own earlier try applied,
    /// and its answer was lost): the value on the very lease granted for it, or gone.
    fn holds(&self, results: &[OpResult]) -> bool {
        results.len() == self.ops.len()
            && self.ops.iter().zip(results).all(|(op, result)| {
                let now = match result {
                    OpResult::Range(page) => page.kvs.first(),
                    _ => return false,
                };
                match (op, now) {
                    (Op::Put { value, lease, .. }, Some(kv)) => {
                        value.as_ref() == Some(&kv.value) && kv.lease == *lease
                    }
                    (Op::Delete { .. }, None) => true,
                    _ => false,
                }
            })
    }
}

/// A failure after which the batch may have been applied or not, or was not sent at all.
fn again(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Unreachable | Kind::TimedOut | Kind::NoLeader | Kind::Unavailable
    )
}

/// The leases wanted TTLs get: one per TTL in seconds, granted when first needed; those no
/// written key uses are revoked at the end.
#[derive(Default)]
pub(super) struct Leases {
    by_ttl: HashMap<i64, (i64, bool)>,
}

impl Leases {
    pub(super) async fn get(&mut self, client: &Client, ttl: i64) -> Result<i64> {
        if let Some((id, _)) = self.by_ttl.get(&ttl) {
            return Ok(*id);
        }
        // A key about to expire still gets the shortest lease the server grants.
        let (id, _) = client.lease_grant(ttl.max(1)).await?;
        self.by_ttl.insert(ttl, (id, false));
        Ok(id)
    }

    pub(super) fn used(&mut self, ids: &[i64]) {
        for (id, used) in self.by_ttl.values_mut() {
            *used |= ids.contains(id);
        }
    }

    pub(super) async fn finish(self, client: &Client) -> u64 {
        let mut kept = 0;
        for (id, used) in self.by_ttl.into_values() {
            if used {
                kept += 1;
            } else {
                let _ = client.lease_revoke(id).await;
            }
        }
        kept
    }
}
