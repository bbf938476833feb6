//! Plan and apply: bring a span of the v3 keyspace to the keys a [`Source`] wants (`load`
//! from a dump file; `migrate` from the v2 store). The plan compares the wanted keys with the
//! span as read at one revision, page by page (both sides in key order, so neither is held
//! whole): each key is to create, to update, unchanged, or (with `prune`) to delete. Applying
//! walks the same comparison again at the same revision and writes in transactions of at most
//! `max_ops` operations, each guarded by the mod revisions the plan saw: a key changed since
//! aborts its batch (reported with the keys that changed), never half of it. Wanted TTLs become
//! leases, one per remaining TTL in seconds (keys expiring within the same second share one).

use super::error::{Error, Kind, Result};
use super::{Client, Compare, Condition, KeyValue, Op, OpResult, Paged, Pages, RangeSpec};
use crate::keys::KeySpan;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

/// A key as the destination should hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    /// Seconds left, for a key that expires.
    pub ttl: Option<i64>,
}

/// The wanted keys, in strictly increasing key order, all within the span; read twice (the
/// plan, then the writes), so it can start over.
pub trait Source {
    fn rewind(&mut self) -> Result<()>;
    fn next_wanted(&mut self) -> Result<Option<Wanted>>;
    /// When the TTLs were read, for a live source (v2): they are aged by the time since
    /// before they are compared or granted. `None`: TTLs as given (a dump file).
    fn read_at(&self) -> Option<Instant> {
        None
    }
}

/// Which of the span's keys that the source lacks are deleted.
#[derive(Clone, Copy)]
pub enum Prune<'k> {
    /// None (load without --prune, migrate's copy).
    No,
    /// Every one (load --prune).
    All,
    /// Only these (migrate --follow: keys v2 held since the copy began and has deleted); the
    /// span's other v3 keys are v3's own and are left alone.
    Known(&'k HashSet<Vec<u8>>),
}

/// The v3 key every migrate transaction also writes (outside `/`, beside `etcdpy/migrated`), so
/// that a key's mod revision tells whether migrate wrote it last, in this run or an earlier one
/// (this key's own mod revision at that revision is the same), for as long as etcd keeps the
/// history of that revision (until it is compacted).
pub const MIGRATE_WRITES: &[u8] = b"etcdpy/migrating";

/// The revisions migrate itself wrote: a key whose mod revision is one of them was last
/// written by migrate, so it may follow v2 again (update, delete) without being a conflict.
#[derive(Default)]
pub struct OwnWrites {
    /// Revisions known to be (true) or not to be (false) migrate's transactions.
    revisions: Mutex<HashMap<i64, bool>>,
}

impl OwnWrites {
    fn add(&self, revision: i64) {
        if let Ok(mut r) = self.revisions.lock() {
            r.insert(revision, true);
        }
    }

    /// Written by this run.
    fn has(&self, revision: i64) -> bool {
        self.revisions
            .lock()
            .is_ok_and(|r| r.get(&revision) == Some(&true))
    }

    /// Written by this run or an earlier one: [`MIGRATE_WRITES`] as of `revision` was written
    /// at `revision`. Unknown (compacted, not readable) counts as not.
    async fn wrote(&self, client: &Client, revision: i64) -> bool {
        if let Some(known) = self
            .revisions
            .lock()
            .ok()
            .and_then(|r| r.get(&revision).copied())
        {
            return known;
        }
        let spec = RangeSpec {
            revision,
            keys_only: true,
            ..RangeSpec::key(MIGRATE_WRITES)
        };
        let ours = client.range(&spec).await.is_ok_and(|page| {
            page.kvs
                .first()
                .is_some_and(|kv| kv.mod_revision == revision)
        });
        if let Ok(mut r) = self.revisions.lock() {
            r.insert(revision, ours);
        }
        ours
    }
}

/// What the plan does with one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Delete,
    /// An update refused: the key was written after [`Transfer::protect_after`].
    Conflict,
}

/// How many keys go each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub create: u64,
    pub update: u64,
    pub unchanged: u64,
    pub delete: u64,
    pub conflict: u64,
}

impl Counts {
    fn add(&mut self, action: Action) {
        match action {
            Action::Create => self.create += 1,
            Action::Update => self.update += 1,
            Action::Unchanged => self.unchanged += 1,
            Action::Delete => self.delete += 1,
            Action::Conflict => self.conflict += 1,
        }
    }

    /// Keys the plan writes or deletes.
    pub fn changes(&self) -> u64 {
        self.create + self.update + self.delete
    }
}

/// A batch that was not written because some of its keys changed after the plan.
#[derive(Debug, Clone)]
pub struct Aborted {
    /// The batch's keys, first and last, and how many.
    pub first: Vec<u8>,
    pub last: Vec<u8>,
    pub keys: u64,
    /// The keys whose mod revision was no longer the plan's.
    pub changed: Vec<Vec<u8>>,
}

/// What applying did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Keys written or deleted.
    pub done: Counts,
    pub batches: u64,
    pub aborted: Vec<Aborted>,
    /// Leases granted and used.
    pub leases: u64,
    /// The revision of the last write (the plan's revision when nothing was written).
    pub revision: i64,
}

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

    /// Apply the plan made at `revision`; `progress` sees the keys done so far after each batch.
    pub async fn apply(
        &self,
        source: &mut impl Source,
        revision: i64,
        progress: &mut dyn FnMut(&Counts),
    ) -> Result<Applied> {
        source.rewind()?;
        let mut walk = Walk::new(self, source, revision);
        let mut batch = Batch::default();
        let mut leases = Leases::default();
        let mut applied = Applied {
            revision,
            ..Applied::default()
        };
        while let Some((action, key, wanted, now)) = walk.next().await? {
            if matches!(action, Action::Unchanged | Action::Conflict) {
                continue;
            }
            let lease = match wanted.as_ref().and_then(|w| w.ttl) {
                Some(ttl) => leases.get(self.client, ttl - walk.age()).await?,
                None => 0,
            };
            batch.push(action, key, wanted, now, lease);
            // Room for migrate's MIGRATE_WRITES.
            let room = self.max_ops.max(2) - usize::from(self.written.is_some());
            if batch.ops.len() >= room {
                self.send(&mut batch, &mut applied, &mut leases).await?;
                progress(&applied.done);
            }
        }
        if !batch.ops.is_empty() {
            self.send(&mut batch, &mut applied, &mut leases).await?;
            progress(&applied.done);
        }
        applied.leases = leases.finish(self.client).await;
        Ok(applied)
    }
}

impl Transfer<'_> {
    /// Send one batch, noting its revision as migrate's own when it was written; then, for
    /// migrate, revoke the leases of the keys it replaced when migrate had granted them and
    /// no key is left on them (they would expire by themselves, keyless).
    async fn send(
        &self,
        batch: &mut Batch,
        applied: &mut Applied,
        leases: &mut Leases,
    ) -> Result<()> {
        let aborted = applied.aborted.len();
        let replaced = std::mem::take(&mut batch.replaced);
        let mark = self.written.map(|_| Op::Put {
            key: MIGRATE_WRITES.to_vec(),
            value: Some(Vec::new()),
            lease: 0,
            prev: false,
        });
        batch.send(self.client, applied, leases, mark).await?;
        let Some(written) = self.written else {
            return Ok(());
        };
        if applied.aborted.len() != aborted {
            return Ok(());
        }
        written.add(applied.revision);
        let mut done = HashSet::new();
        for kv in replaced {
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

/// One transaction being gathered: its operations, their guards, and a read of each key for
/// when the guards fail.
#[derive(Default)]
struct Batch {
    actions: Vec<Action>,
    ops: Vec<Op>,
    guards: Vec<Compare>,
    reads: Vec<Op>,
    leases: Vec<i64>,
    /// The keys as they were, for those that had a lease.
    replaced: Vec<KeyValue>,
}

impl Batch {
    fn push(
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

    async fn send(
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
struct Leases {
    by_ttl: HashMap<i64, (i64, bool)>,
}

impl Leases {
    async fn get(&mut self, client: &Client, ttl: i64) -> Result<i64> {
        if let Some((id, _)) = self.by_ttl.get(&ttl) {
            return Ok(*id);
        }
        // A key about to expire still gets the shortest lease the server grants.
        let (id, _) = client.lease_grant(ttl.max(1)).await?;
        self.by_ttl.insert(ttl, (id, false));
        Ok(id)
    }

    fn used(&mut self, ids: &[i64]) {
        for (id, used) in self.by_ttl.values_mut() {
            *used |= ids.contains(id);
        }
    }

    async fn finish(self, client: &Client) -> u64 {
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

    /// Does `kv` hold what `w` wants: the value, a lease exactly when a TTL is wanted, and
    /// (with `ttl_slack`) that many seconds left, give or take the slack.
    async fn same(&mut self, w: &Wanted, kv: &KeyValue) -> Result<bool> {
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
