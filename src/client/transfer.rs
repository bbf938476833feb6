//! Plan and apply: bring a span of the v3 keyspace to the keys a [`Source`] wants (`load`
//! from a dump file; `migrate` from the v2 store). The plan compares the wanted keys with the
//! span as read at one revision, page by page (both sides in key order, so neither is held
//! whole): each key is to create, to update, unchanged, or (with `prune`) to delete. Applying
//! walks the same comparison again at the same revision and writes in transactions of at most
//! `max_ops` operations, each guarded by the mod revisions the plan saw: a key changed since
//! aborts its batch (reported with the keys that changed), never half of it. Wanted TTLs become
//! leases, one per remaining TTL in seconds (keys expiring within the same second share one).

use super::error::{Error, Kind, Result};
use super::{
    Client, Compare, Condition, KeyValue, Node, Op, OpResult, Pages, RangeSpec, V2, V2Conditions,
};
use crate::keys::KeySpan;
use std::collections::{HashMap, VecDeque};

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
    /// Delete the span's keys that the source does not have.
    pub prune: bool,
    /// Operations per transaction (etcd's `--max-txn-ops`, 128 by default).
    pub max_ops: usize,
    /// Keys whose mod revision is above this are neither updated nor pruned: a conflict
    /// instead (migrate without `--overwrite`: written in v3 since the last migrate).
    pub protect_after: Option<i64>,
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
                Some(ttl) => leases.get(self.client, ttl).await?,
                None => 0,
            };
            batch.push(action, key, wanted, now, lease);
            if batch.ops.len() >= self.max_ops.max(1) {
                batch.send(self.client, &mut applied, &mut leases).await?;
                progress(&applied.done);
            }
        }
        if !batch.ops.is_empty() {
            batch.send(self.client, &mut applied, &mut leases).await?;
            progress(&applied.done);
        }
        applied.leases = leases.finish(self.client).await;
        Ok(applied)
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
        self.guards.push(Compare {
            key: key.clone(),
            condition,
        });
        self.reads.push(Op::Range(RangeSpec {
            keys_only: true,
            ..RangeSpec::key(&key)
        }));
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
    ) -> Result<()> {
        let batch = std::mem::take(self);
        let outcome = client.txn(&batch.guards, &batch.ops, &batch.reads).await?;
        applied.batches += 1;
        if outcome.succeeded {
            applied.revision = outcome.revision;
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
    span: KeySpan,
    prune: bool,
    protect_after: Option<i64>,
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
            span: transfer.span.clone(),
            prune: transfer.prune,
            protect_after: transfer.protect_after,
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
                        return Ok(Some((Action::Create, w.key.clone(), Some(w), None)));
                    }
                }
                std::cmp::Ordering::Greater => {
                    if let Some(kv) = self.buffer.pop_front()
                        && self.prune
                    {
                        let protected = self.protect_after.is_some_and(|r| kv.mod_revision > r);
                        let action = match protected {
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
                    let same = w.value == kv.value && w.ttl.is_some() == (kv.lease != 0);
                    let protected = self.protect_after.is_some_and(|r| kv.mod_revision > r);
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

/// A v2 subtree as wanted keys (`migrate`): every key in byte order, hidden ones (a path
/// segment starting with `_`, python-etcd's `/_locks`) left out unless asked for; with the
/// empty directories (which v3 cannot hold) and the v2 index it was read at. v2 cannot page:
/// the subtree is one read.
#[derive(Default)]
pub struct V2Tree {
    keys: Vec<Wanted>,
    /// Each key's v2 modifiedIndex, as copied (`--delete-source` deletes only that).
    indexes: Vec<i64>,
    next: usize,
    pub hidden: u64,
    pub empty_dirs: Vec<Vec<u8>>,
    pub index: i64,
}

impl V2Tree {
    pub async fn read(v2: &V2<'_>, key: &[u8], include_hidden: bool) -> Result<V2Tree> {
        let (node, index) = v2.get(key, true).await?;
        let mut tree = V2Tree {
            keys: Vec::new(),
            indexes: Vec::new(),
            next: 0,
            hidden: 0,
            empty_dirs: Vec::new(),
            index,
        };
        let mut leaves = Vec::new();
        tree.add(&node, include_hidden, &mut leaves);
        leaves.sort_by(|a, b| a.0.key.cmp(&b.0.key));
        (tree.keys, tree.indexes) = leaves.into_iter().unzip();
        tree.empty_dirs.sort();
        Ok(tree)
    }

    fn add(&mut self, node: &Node, include_hidden: bool, leaves: &mut Vec<(Wanted, i64)>) {
        let hidden = node.key.split(|b| *b == b'/').any(|s| s.starts_with(b"_"));
        if hidden && !include_hidden {
            self.hidden += node.leaves().len() as u64;
            return;
        }
        if !node.dir {
            let wanted = Wanted {
                key: node.key.clone(),
                value: node.value.clone(),
                ttl: node.ttl,
            };
            leaves.push((wanted, node.modified));
        } else if node.nodes.is_empty() && !node.key.is_empty() {
            self.empty_dirs.push(node.key.clone());
        }
        for child in &node.nodes {
            self.add(child, include_hidden, leaves);
        }
    }

    /// Delete the copied keys from v2, each only if it still has the index copied
    /// (`prevIndex`): how many went, and the keys kept because they were written since.
    pub async fn delete_source(&self, v2: &V2<'_>) -> Result<(u64, Vec<Vec<u8>>)> {
        let mut deleted = 0;
        let mut kept = Vec::new();
        for (wanted, index) in self.keys.iter().zip(&self.indexes) {
            let when = V2Conditions {
                index: Some(*index),
                ..V2Conditions::default()
            };
            match v2.delete(&wanted.key, false, &when).await {
                Ok(_) => deleted += 1,
                // Gone already (expired): nothing left to delete.
                Err(err) if err.kind == Kind::NotFound => {}
                Err(err) if err.kind == Kind::ConditionFailed => kept.push(wanted.key.clone()),
                Err(err) => return Err(err),
            }
        }
        Ok((deleted, kept))
    }

    /// How many keys are wanted.
    pub fn len(&self) -> u64 {
        self.keys.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl Source for V2Tree {
    fn rewind(&mut self) -> Result<()> {
        self.next = 0;
        Ok(())
    }

    fn next_wanted(&mut self) -> Result<Option<Wanted>> {
        let wanted = self.keys.get(self.next).cloned();
        self.next += 1;
        Ok(wanted)
    }
}

/// The v3 key whose mod revision marks the last migrate that verified (outside `/`, where
/// python-etcd's keys live); its value is the v2 index that migrate copied.
pub const MIGRATE_MARKER: &[u8] = b"etcdpy/migrated";

impl Client {
    /// The mod revision of the last verified migrate (0: none yet).
    pub async fn last_migrate(&self) -> Result<i64> {
        let page = self.range(&RangeSpec::key(MIGRATE_MARKER)).await?;
        Ok(page.kvs.first().map_or(0, |kv| kv.mod_revision))
    }

    /// Mark a verified migrate of the v2 store at `index`.
    pub async fn mark_migrated(&self, index: i64) -> Result<i64> {
        let (revision, _) = self
            .put(MIGRATE_MARKER, index.to_string().into_bytes(), 0, false)
            .await?;
        Ok(revision)
    }
}

/// What `migrate --follow` carried over.
#[derive(Debug, Clone, Default)]
pub struct Followed {
    /// v2 changes seen, and the keys written or deleted in v3 because of them.
    pub events: u64,
    pub written: u64,
    /// Keys left alone: written in v3 after this migrate copied them.
    pub conflicts: Vec<Vec<u8>>,
}

impl Transfer<'_> {
    /// `migrate --follow`: v2's changes in the span from `index` on (a v2 watch), each changed
    /// key read from v2 again and brought to v3 (a key gone from v2 is deleted), until `stop`
    /// completes (checked between changes, never in the middle of one). A v3 key written after
    /// `since` by anyone but this follow is a conflict, left alone.
    pub async fn follow<S: std::future::Future>(
        &self,
        v2: &V2<'_>,
        index: i64,
        since: i64,
        include_hidden: bool,
        stop: S,
        progress: &mut dyn FnMut(&Followed),
    ) -> Result<Followed> {
        let mut watch = v2.watch(&self.span, index)?;
        let mut followed = Followed::default();
        let mut ours: HashMap<Vec<u8>, i64> = HashMap::new();
        let mut stop = std::pin::pin!(stop);
        loop {
            let event = tokio::select! {
                event = watch.next() => event?,
                _ = &mut stop => return Ok(followed),
            };
            followed.events += 1;
            let key = event.kv.key;
            let mut wanted = match V2Tree::read(v2, &key, include_hidden).await {
                Err(err) if err.kind == Kind::NotFound => V2Tree::default(),
                other => other?,
            };
            let one = Transfer {
                client: self.client,
                // The key and all below it: a directory deleted in v2 is one event.
                span: KeySpan::new(key.clone(), true),
                prune: true,
                max_ops: 1,
                protect_after: Some(ours.get(&key).copied().unwrap_or(since).max(since)),
            };
            let (plan, revision) = one.plan(&mut wanted, 0, &mut |_, _| {}).await?;
            if plan.conflict > 0 {
                followed.conflicts.push(key);
                continue;
            }
            let applied = one.apply(&mut wanted, revision, &mut |_| {}).await?;
            if applied.done.changes() > 0 {
                followed.written += applied.done.changes();
                ours.insert(key, applied.revision);
            }
            progress(&followed);
        }
    }
}
