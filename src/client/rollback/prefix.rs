//! A subtree back to its state at a past revision ([`PrefixRollback`]), online, through load's
//! plan-and-apply engine: the subtree at REV is the source ([`Spool`]), the span now the
//! destination, pruned (keys added since are deleted). Every batch is guarded by the mod
//! revisions the plan saw; a batch that a concurrent change aborted is planned again at the
//! same revision without the keys that changed (which are reported, never overwritten), so
//! the rest of it is still rolled back.

use super::check_revision;
use super::spool::{Only, Spool};
use crate::client::error::Result;
use crate::client::{Action, Applied, Client, Counts, Prune, Transfer};
use crate::keys::KeySpan;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// Passes over aborted batches before what is left is reported as not written.
const PASSES: usize = 8;

pub struct PrefixRollback<'a> {
    client: &'a Client,
    span: KeySpan,
    /// The revision rolled back to.
    pub to: i64,
    max_ops: usize,
    spool: Spool,
}

/// What applying did: load's report of every pass together, and the keys that changed during
/// the rollback (left as they were).
pub struct PrefixWritten {
    pub applied: Applied,
    pub changed: BTreeSet<Vec<u8>>,
}

impl<'a> PrefixRollback<'a> {
    /// Read `span` as it was at `to` (spooled to a file in `dir`).
    pub async fn read(
        client: &'a Client,
        span: KeySpan,
        to: i64,
        max_ops: usize,
        dir: &Path,
    ) -> Result<PrefixRollback<'a>> {
        check_revision(client, &span, to).await?;
        let spool = Spool::read(client, &span, to, dir).await?;
        Ok(PrefixRollback {
            client,
            span,
            to,
            max_ops,
            spool,
        })
    }

    /// Keys the subtree held at `to`.
    pub fn keys(&self) -> u64 {
        self.spool.keys
    }

    /// Keys whose lease at `to` has expired since (restored without one).
    pub fn expired(&self) -> u64 {
        self.spool.expired
    }

    fn transfer<'t>(&self, prune: Prune<'t>) -> Transfer<'t>
    where
        'a: 't,
    {
        Transfer {
            client: self.client,
            span: self.span.clone(),
            prune,
            max_ops: self.max_ops,
            protect_after: None,
            written: None,
            ttl_slack: None,
        }
    }

    /// The plan against the span now: its counts and the revision it was read at.
    pub async fn plan(&mut self, each: &mut dyn FnMut(Action, &[u8])) -> Result<(Counts, i64)> {
        self.spool.only = None;
        self.transfer(Prune::All)
            .plan(&mut self.spool, 0, each)
            .await
    }

    /// Apply the plan made at `revision`; `progress` sees the keys done so far.
    pub async fn apply(
        &mut self,
        revision: i64,
        progress: &mut dyn FnMut(&Counts),
    ) -> Result<PrefixWritten> {
        self.spool.only = None;
        let mut applied = self
            .transfer(Prune::All)
            .apply(&mut self.spool, revision, progress)
            .await?;
        let mut changed = BTreeSet::new();
        let mut skip = HashSet::new();
        for _ in 0..PASSES {
            if applied.aborted.is_empty() {
                break;
            }
            let aborted = std::mem::take(&mut applied.aborted);
            let spans = aborted.iter().map(|a| (a.first.clone(), a.last.clone()));
            let spans = spans.collect();
            for key in aborted.iter().flat_map(|a| a.changed.iter()) {
                changed.insert(key.clone());
                skip.insert(key.clone());
            }
            let only = Only {
                spans,
                skip: skip.clone(),
            };
            // The keys to delete in those batches, less those that changed.
            let mut deletes = HashSet::new();
            self.spool.only = Some(only.clone());
            {
                let mut each = |action: Action, key: &[u8]| {
                    if action == Action::Delete && only.takes(key) {
                        deletes.insert(key.to_vec());
                    }
                };
                let transfer = self.transfer(Prune::All);
                transfer.plan(&mut self.spool, revision, &mut each).await?;
            }
            let again = self.transfer(Prune::Known(&deletes));
            let pass = again.apply(&mut self.spool, revision, progress).await?;
            add(&mut applied, pass);
        }
        for key in applied.aborted.iter().flat_map(|a| a.changed.iter()) {
            changed.insert(key.clone());
        }
        self.spool.only = None;
        Ok(PrefixWritten { applied, changed })
    }
}

/// A later pass's writes added to the first's.
fn add(total: &mut Applied, pass: Applied) {
    let (t, p) = (&mut total.done, &pass.done);
    t.create += p.create;
    t.update += p.update;
    t.delete += p.delete;
    total.batches += pass.batches;
    total.leases += pass.leases;
    total.revision = total.revision.max(pass.revision);
    total.aborted = pass.aborted;
}
