//! [`Transfer`]: one span of the destination, planned against a source and brought to it in
//! guarded batches; the walk that compares both sides, page by page, in key order.

use super::batch::{Batch, Leases, Ledger, Sent};
use super::counts::{Aborted, Action, Applied, Counts};
use super::wanted::{MIGRATE_WRITES, OwnWrites, Prune, Source, Wanted};
use super::window::Window;
use crate::client::error::{Error, Kind, Result};
use crate::client::{Client, KeyValue, Op, Paged, Pages};
use crate::keys::KeySpan;
use std::collections::{HashMap, HashSet, VecDeque};

/// One span of the destination and how to bring it to a [`Source`].
pub struct Transfer<'a> {
    pub client: &'a Client,
    pub span: KeySpan,
    /// Which of the span's keys that the source does not have are deleted.
    pub prune: Prune<'a>,
    /// Operations per transaction (etcd's `--max-txn-ops`, 128 by default).
    pub max_ops: usize,
    /// Keys whose mod revision is above this are neither updated nor pruned: a conflict
    /// instead (migrate without `--overwrite`: written in v3 since the last migrate), unless
    /// `written` says migrate wrote it.
    pub protect_after: Option<i64>,
    /// Where the revisions of the transactions written are kept (migrate).
    pub written: Option<&'a OwnWrites>,
    /// Compare TTLs too: a key whose lease has more than this many seconds more or less left
    /// than the wanted TTL is updated (a new lease). `None`: only whether there is a lease.
    pub ttl_slack: Option<i64>,
}

impl Transfer<'_> {
    /// The plan against the span at `revision` (0: now): its counts and the revision it
    /// was read at; `each` sees every key with its action.
    pub async fn plan(
        &self,
        source: &mut impl Source,
        revision: i64,
        each: &mut dyn FnMut(Action, &[u8]),
    ) -> Result<(Counts, i64)> {
        source.rewind()?;
        let mut walk = Walk::new(self, source, revision);
        let mut counts = Counts::default();
        while let Some((action, key, _, _)) = walk.next().await? {
            counts.add(action);
            each(action, &key);
        }
        Ok((counts, walk.revision()))
    }

    /// Apply the plan made at `revision`; `progress` sees the keys done so far after each
    /// batch. Batches are sent [`WINDOW`](super::window::WINDOW) at a time; when one fails
    /// (or the walk does), no more are sent, those in flight are waited for, and the error
    /// says which were written.
    pub async fn apply(
        &self,
        source: &mut impl Source,
        revision: i64,
        progress: &mut dyn FnMut(&Counts),
    ) -> Result<Applied> {
        source.rewind()?;
        let mut walk = Walk::new(self, source, revision);
        let mut state = Applying {
            batch: Batch::default(),
            leases: Leases::default(),
            applied: Applied {
                revision,
                ..Applied::default()
            },
            window: Window::default(),
            progress,
        };
        let walked = self.feed(&mut walk, &mut state).await;
        // Whatever is in flight is waited for, failure or not: its fate is reported.
        let mut settled = Ok(());
        while let Some(done) = state.window.next().await {
            let result = self.settle(done, &mut state).await;
            settled = settled.and(result);
        }
        let failure = walked
            .err()
            .or(settled.err())
            .or(state.window.fates.failure.take());
        if let Some(error) = failure {
            return Err(state.window.fates.report(error));
        }
        let mut applied = state.applied;
        applied.aborted.sort_by(|a, b| a.first.cmp(&b.first));
        applied.leases = state.leases.finish(self.client).await;
        Ok(applied)
    }

    /// The walk's writes gathered into batches and sent, until the walk ends or a batch fails.
    async fn feed<S: Source>(
        &self,
        walk: &mut Walk<'_, '_, S>,
        state: &mut Applying<'_>,
    ) -> Result<()> {
        while let Some((action, key, wanted, now)) = walk.next().await? {
            if matches!(action, Action::Unchanged | Action::Conflict) {
                continue;
            }
            let lease = match wanted.as_ref().map(|w| (w.lease, w.ttl)) {
                Some((Some(lease), _)) => lease,
                Some((None, Some(ttl))) => state.leases.get(self.client, ttl - walk.age()).await?,
                _ => 0,
            };
            state.batch.push(action, key, wanted, now, lease);
            // Room for migrate's MIGRATE_WRITES.
            let room = self.max_ops.max(2) - usize::from(self.written.is_some());
            if state.batch.ops.len() >= room {
                self.launch(state).await?;
                if state.window.fates.failure.is_some() {
                    return Ok(());
                }
            }
        }
        if !state.batch.ops.is_empty() {
            self.launch(state).await?;
        }
        Ok(())
    }

    /// Send the batch gathered, once the window has room.
    async fn launch(&self, state: &mut Applying<'_>) -> Result<()> {
        while state.window.full() {
            let Some(done) = state.window.next().await else {
                break;
            };
            self.settle(done, state).await?;
        }
        if state.window.fates.failure.is_some() {
            return Ok(());
        }
        let mark = self.written.map(|_| Op::Put {
            key: MIGRATE_WRITES.to_vec(),
            value: Some(Vec::new()),
            lease: 0,
            prev: false,
        });
        let (ready, ledger) = std::mem::take(&mut state.batch).split(mark);
        state.window.start(self.client, ready, ledger);
        Ok(())
    }
}

/// Applying under way: the batch being gathered, the leases, the tally, the batches in flight.
struct Applying<'p> {
    batch: Batch,
    leases: Leases,
    applied: Applied,
    window: Window,
    progress: &'p mut dyn FnMut(&Counts),
}

impl<'a> Transfer<'a> {
    /// The same comparison again, to verify what was written: TTLs within a second more than
    /// the plan's slack; `known` (after migrate --follow): the keys v2 deleted meanwhile, which
    /// must be gone from the span too (without it, nothing is pruned).
    pub fn verifying(self, known: Option<&'a HashSet<Vec<u8>>>) -> Transfer<'a> {
        Transfer {
            prune: known.map_or(Prune::No, Prune::Known),
            ttl_slack: self.ttl_slack.map(|slack| slack + 1),
            ..self
        }
    }
}

impl Transfer<'_> {
    /// Take in one batch done: counted when written or aborted, its fate noted; for migrate,
    /// its revision noted as migrate's own when written, and the leases of the keys it
    /// replaced revoked when migrate had granted them and no key is left on them (they would
    /// expire by themselves, keyless).
    async fn settle(&self, done: (u64, Ledger, Sent), state: &mut Applying<'_>) -> Result<()> {
        let (number, ledger, sent) = done;
        let applied = &mut state.applied;
        let revision = match sent {
            Sent::Failed(error) => {
                state.window.fates.failed(number, &ledger, error);
                return Ok(());
            }
            Sent::Aborted(changed) => {
                applied.batches += 1;
                state.window.fates.aborted(number, &ledger);
                applied.aborted.push(Aborted {
                    first: ledger.first,
                    last: ledger.last,
                    keys: ledger.keys,
                    changed,
                });
                (state.progress)(&applied.done);
                return Ok(());
            }
            Sent::Landed(revision) => revision,
        };
        applied.batches += 1;
        applied.revision = applied.revision.max(revision);
        for action in &ledger.actions {
            applied.done.add(*action);
        }
        state.leases.used(&ledger.leases);
        state.window.fates.written(number, &ledger);
        (state.progress)(&applied.done);
        let Some(written) = self.written else {
            return Ok(());
        };
        written.add(revision);
        let mut done = HashSet::new();
        for kv in ledger.replaced {
            // Only a lease migrate granted (the key was last written by migrate), once.
            if !written.has(kv.mod_revision) || !done.insert(kv.lease) {
                continue;
            }
            let info = self.client.lease_time_to_live(kv.lease, true).await?;
            if info.ttl > 0 && info.keys.is_empty() {
                self.client.lease_revoke(kv.lease).await?;
            }
        }
        Ok(())
    }
}

/// The comparison itself: the source's keys against the span's, both in key order.
struct Walk<'a, 's, S> {
    pages: Pages<'a>,
    client: &'a Client,
    span: KeySpan,
    prune: Prune<'a>,
    protect_after: Option<i64>,
    written: Option<&'a OwnWrites>,
    ttl_slack: Option<i64>,
    /// Seconds left on each lease seen (with `ttl_slack`), asked once per lease.
    lease_ttls: HashMap<i64, i64>,
    buffer: VecDeque<KeyValue>,
    dest_done: bool,
    source: &'s mut S,
    pending: Option<Wanted>,
    source_done: bool,
    last: Option<Vec<u8>>,
}

type Step = (Action, Vec<u8>, Option<Wanted>, Option<KeyValue>);

impl<'a, 's, S: Source> Walk<'a, 's, S> {
    fn new(transfer: &Transfer<'a>, source: &'s mut S, revision: i64) -> Self {
        let (start, end) = transfer.span.covering();
        let end = end.unwrap_or_else(|| {
            let mut end = start.clone();
            end.push(0);
            end
        });
        Walk {
            pages: Pages::new(transfer.client, (start, end), revision, false, None),
            client: transfer.client,
            span: transfer.span.clone(),
            prune: transfer.prune,
            protect_after: transfer.protect_after,
            written: transfer.written,
            ttl_slack: transfer.ttl_slack,
            lease_ttls: HashMap::new(),
            buffer: VecDeque::new(),
            dest_done: false,
            source,
            pending: None,
            source_done: false,
            last: None,
        }
    }

    fn revision(&self) -> i64 {
        self.pages.revision()
    }

    /// Whole seconds since the source's TTLs were read.
    fn age(&self) -> i64 {
        self.source
            .read_at()
            .map_or(0, |at| at.elapsed().as_secs_f64().round() as i64)
    }

    /// A key written in v3 since `protect_after`, by someone other than migrate.
    async fn protected(&self, kv: &KeyValue) -> bool {
        if self.protect_after.is_none_or(|r| kv.mod_revision <= r) {
            return false;
        }
        match self.written {
            Some(w) => !w.wrote(self.client, kv.mod_revision).await,
            None => true,
        }
    }

    /// Seconds left on a lease (-1: gone), asked once per lease.
    async fn lease_left(&mut self, lease: i64) -> Result<i64> {
        if let Some(left) = self.lease_ttls.get(&lease) {
            return Ok(*left);
        }
        let left = self.client.lease_time_to_live(lease, false).await?.ttl;
        self.lease_ttls.insert(lease, left);
        Ok(left)
    }

    /// With `ttl_slack`: a key that expires within the slack on the side that has it is as
    /// good as gone on the other (v2 and v3 expire keys half a second or so apart).
    async fn expiring(&mut self, wanted: Option<&Wanted>, kv: Option<&KeyValue>) -> Result<bool> {
        let Some(slack) = self.ttl_slack else {
            return Ok(false);
        };
        if let Some(ttl) = wanted.and_then(|w| w.ttl) {
            return Ok(ttl - self.age() <= slack);
        }
        match kv {
            Some(kv) if kv.lease != 0 => Ok(self.lease_left(kv.lease).await? <= slack),
            _ => Ok(false),
        }
    }

    /// Does `kv` hold what `w` wants: the value and the lease `w` names, or else a lease
    /// exactly when a TTL is wanted and (with `ttl_slack`) that many seconds left, give or
    /// take the slack.
    async fn same(&mut self, w: &Wanted, kv: &KeyValue) -> Result<bool> {
        if let Some(lease) = w.lease {
            return Ok(w.value == kv.value && kv.lease == lease);
        }
        if w.value != kv.value || w.ttl.is_some() != (kv.lease != 0) {
            return Ok(false);
        }
        let (Some(ttl), Some(slack)) = (w.ttl, self.ttl_slack) else {
            return Ok(true);
        };
        let left = self.lease_left(kv.lease).await?;
        Ok(left >= 0 && (left - (ttl - self.age())).abs() <= slack)
    }

    async fn dest(&mut self) -> Result<Option<&KeyValue>> {
        while self.buffer.is_empty() && !self.dest_done {
            match self.pages.next().await? {
                Some(page) => self.buffer.extend(
                    page.kvs
                        .into_iter()
                        .filter(|kv| self.span.contains(&kv.key)),
                ),
                None => self.dest_done = true,
            }
        }
        Ok(self.buffer.front())
    }

    async fn wanted(&mut self) -> Result<Option<&Wanted>> {
        if self.pending.is_none() && !self.source_done {
            self.pending = self.source.next_wanted()?;
            match &self.pending {
                None => self.source_done = true,
                Some(w) => {
                    if !self.span.contains(&w.key)
                        || self.last.as_ref().is_some_and(|l| *l >= w.key)
                    {
                        return Err(Error::new(
                            Kind::InvalidInput,
                            "the keys to load are not in increasing order within the span",
                        ));
                    }
                    self.last = Some(w.key.clone());
                }
            }
        }
        Ok(self.pending.as_ref())
    }

    async fn next(&mut self) -> Result<Option<Step>> {
        loop {
            let wanted_key = self.wanted().await?.map(|w| w.key.clone());
            let dest_key = self.dest().await?.map(|kv| kv.key.clone());
            let order = match (&wanted_key, &dest_key) {
                (None, None) => return Ok(None),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(w), Some(d)) => w.cmp(d),
            };
            match order {
                std::cmp::Ordering::Less => {
                    if let Some(w) = self.pending.take() {
                        let action = match self.expiring(Some(&w), None).await? {
                            true => Action::Unchanged,
                            false => Action::Create,
                        };
                        return Ok(Some((action, w.key.clone(), Some(w), None)));
                    }
                }
                std::cmp::Ordering::Greater => {
                    let Some(kv) = self.buffer.pop_front() else {
                        continue;
                    };
                    let prune = match self.prune {
                        Prune::No => false,
                        Prune::All => true,
                        Prune::Known(known) => known.contains(&kv.key),
                    };
                    if prune && !self.expiring(None, Some(&kv)).await? {
                        let action = match self.protected(&kv).await {
                            true => Action::Conflict,
                            false => Action::Delete,
                        };
                        return Ok(Some((action, kv.key.clone(), None, Some(kv))));
                    }
                }
                std::cmp::Ordering::Equal => {
                    let (Some(w), Some(kv)) = (self.pending.take(), self.buffer.pop_front()) else {
                        continue;
                    };
                    let same = self.same(&w, &kv).await?;
                    let protected = self.protected(&kv).await;
                    let action = match (same, protected) {
                        (true, _) => Action::Unchanged,
                        (false, true) => Action::Conflict,
                        (false, false) => Action::Update,
                    };
                    return Ok(Some((action, w.key.clone(), Some(w), Some(kv))));
                }
            }
        }
    }
}
