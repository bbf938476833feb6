//! One transaction of the plan's writes ([`Batch`]): each key guarded by the mod revision the
//! plan saw; sent on its own ([`Ready`], beside others in the window), sent again when its
//! member died on the way (and found already applied), or aborted whole with the keys that
//! changed ([`Sent`]); what is kept of it meanwhile ([`Ledger`]); the [`Leases`] the wanted
//! TTLs get.

use super::counts::Action;
use super::wanted::Wanted;
use crate::client::error::{Error, Kind, Result};
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

    /// The transaction to send (with migrate's `mark`), and what is kept of it meanwhile.
    pub(super) fn split(self, mark: Option<Op>) -> (Ready, Ledger) {
        let key = |i: usize| {
            self.guards
                .get(i)
                .map(|g| g.key.clone())
                .unwrap_or_default()
        };
        let bytes = self.ops.iter().map(op_bytes).sum();
        let ledger = Ledger {
            bytes,
            first: key(0),
            last: key(self.guards.len().saturating_sub(1)),
            keys: self.guards.len() as u64,
            actions: self.actions,
            leases: self.leases,
            replaced: self.replaced,
        };
        let ops = [&self.ops[..], mark.as_slice()].concat();
        let ready = Ready {
            writes: self.ops,
            ops,
            guards: self.guards,
            reads: self.reads,
        };
        (ready, ledger)
    }
}

/// The bytes of keys and values an operation sends.
fn op_bytes(op: &Op) -> usize {
    match op {
        Op::Put { key, value, .. } => key.len() + value.as_ref().map_or(0, Vec::len),
        Op::Delete { key, .. } => key.len(),
        Op::Range(spec) => spec.key.len(),
    }
}

/// What is kept of a batch while it is sent: its keys and what it does, for the tally.
pub(super) struct Ledger {
    /// Its keys' and values' bytes (the window bounds the sum in flight).
    pub(super) bytes: usize,
    pub(super) first: Vec<u8>,
    pub(super) last: Vec<u8>,
    pub(super) keys: u64,
    pub(super) actions: Vec<Action>,
    pub(super) leases: Vec<i64>,
    /// The keys as they were, for those that had a lease.
    pub(super) replaced: Vec<KeyValue>,
}

/// What became of one batch sent.
pub(super) enum Sent {
    /// Written at this revision (now, or by an earlier try whose answer was lost).
    Landed(i64),
    /// Not written: these keys had changed after the plan.
    Aborted(Vec<Vec<u8>>),
    /// No answer that says: it may or may not have been written.
    Failed(Error),
}

/// One guarded transaction, ready to send (on its own, beside others).
pub(super) struct Ready {
    /// The batch's own writes (checked by [`Ready::holds`]); `ops` adds migrate's mark.
    writes: Vec<Op>,
    ops: Vec<Op>,
    guards: Vec<Compare>,
    reads: Vec<Op>,
}

impl Ready {
    pub(super) async fn send(self, client: Client) -> Sent {
        // Guarded by the plan's mod revisions, a batch may be sent again when its member died
        // or lost its leader on the way: if the first one was applied, the second finds each
        // key as the batch wrote it (below).
        let mut tries = 0;
        let outcome = loop {
            tries += 1;
            match client.txn_bulk(&self.guards, &self.ops, &self.reads).await {
                Err(e) if tries < 4 && again(e.kind) => {
                    tokio::time::sleep(std::time::Duration::from_millis(300 * tries)).await
                }
                Err(e) => return Sent::Failed(e),
                Ok(outcome) => break outcome,
            }
        };
        if outcome.succeeded {
            return Sent::Landed(outcome.revision);
        }
        if self.holds(&outcome.results) {
            // Written by the earlier try: its revision is the keys' mod revision.
            let revisions = outcome.results.iter().filter_map(|r| match r {
                OpResult::Range(page) => page.kvs.first().map(|kv| kv.mod_revision),
                _ => None,
            });
            return Sent::Landed(revisions.max().unwrap_or(outcome.revision));
        }
        let changed = self
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
        Sent::Aborted(changed)
    }
}

impl Ready {
    /// Whether every key already is as the batch writes it (its own earlier try applied,
    /// and its answer was lost): the value on the very lease granted for it, or gone.
    fn holds(&self, results: &[OpResult]) -> bool {
        results.len() == self.writes.len()
            && self.writes.iter().zip(results).all(|(op, result)| {
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
