//! `migrate`'s procedures: a v2 subtree read as the wanted keys ([`V2Tree`]), the v3 marker
//! of the last verified migrate, and `--follow` ([`Follow`]): v2's changes brought to v3 as
//! they come, TTL renewals included, which v2's watch does not report.

use super::error::{Kind, Result};
use super::transfer::{Action, OwnWrites, Prune, Source, Transfer, Wanted};
use super::v2::{Unsettled, Walk};
use super::{Client, Node, RangeSpec, V2, V2Conditions};
use crate::keys::KeySpan;
use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

/// A v2 subtree as wanted keys (`migrate`): every key in byte order, hidden ones (a path
/// segment starting with `_`, python-etcd's `/_locks`) left out unless asked for; with the
/// empty directories (which v3 cannot hold) and the v2 index it was read at. v2 cannot page:
/// the subtree is one read, or, when that answer is over etcdpy's 16 MiB cap, read directory by
/// directory from the index of its first listing ([`Walk`]; `unsettled`: what changed meanwhile).
#[derive(Default)]
pub struct V2Tree {
    keys: Vec<Wanted>,
    /// Each key's v2 modifiedIndex, as copied (`--delete-source` deletes only that).
    indexes: Vec<i64>,
    next: usize,
    pub hidden: u64,
    pub empty_dirs: Vec<Vec<u8>>,
    pub index: i64,
    /// When it was read (its TTLs age from there).
    read_at: Option<Instant>,
    /// Read piecewise, and the subtree changed during the read (the copy is of no one state).
    pub unsettled: Option<Unsettled>,
}

impl V2<'_> {
    /// python-etcd's subtree at `key`, as wanted keys for `migrate`.
    /// [`V2::tree`], `progress` told the keys read so far of a tree read piecewise.
    pub async fn tree(
        &self,
        key: &[u8],
        include_hidden: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<V2Tree> {
        V2Tree::read_with(self, key, include_hidden, progress).await
    }
}

impl V2Tree {
    pub async fn read(v2: &V2<'_>, key: &[u8], include_hidden: bool) -> Result<V2Tree> {
        V2Tree::read_with(v2, key, include_hidden, &mut |_| {}).await
    }

    async fn read_with(
        v2: &V2<'_>,
        key: &[u8],
        include_hidden: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<V2Tree> {
        let read_at = Some(Instant::now());
        let (node, index) = match v2.get(key, true).await {
            Err(err) if crate::client::v2::too_big_for_one_read(&err) => {
                return V2Tree::read_piecewise(v2, key, include_hidden, progress).await;
            }
            other => other?,
        };
        let mut tree = V2Tree {
            index,
            read_at,
            ..V2Tree::default()
        };
        let mut leaves = Vec::new();
        tree.add(&node, include_hidden, &mut leaves);
        leaves.sort_by(|a, b| a.0.key.cmp(&b.0.key));
        (tree.keys, tree.indexes) = leaves.into_iter().unzip();
        tree.empty_dirs.sort();
        Ok(tree)
    }

    /// The subtree read directory by directory ([`Walk`]), at the index of its first listing.
    async fn read_piecewise(
        v2: &V2<'_>,
        key: &[u8],
        include_hidden: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<V2Tree> {
        let read_at = Some(Instant::now());
        let mut walk = Walk::start(v2, key).await?;
        let mut tree = V2Tree {
            index: walk.first,
            read_at,
            ..V2Tree::default()
        };
        let mut leaves = Vec::new();
        while let Some(batch) = walk.next_batch().await? {
            for node in &batch {
                tree.add(node, include_hidden, &mut leaves);
            }
            progress(leaves.len() as u64);
        }
        (tree.keys, tree.indexes) = leaves.into_iter().unzip();
        tree.empty_dirs.sort();
        tree.unsettled = walk.unsettled(&KeySpan::new(key.to_vec(), true)).await?;
        Ok(tree)
    }

    fn add(&mut self, node: &Node, include_hidden: bool, leaves: &mut Vec<(Wanted, i64)>) {
        let hidden = node.key.split(|b| *b == b'/').any(|s| s.starts_with(b"_"));
        if hidden && !include_hidden {
            self.hidden += node.leaves().len() as u64;
            return;
        }
        if !node.dir && node.ttl.is_some_and(|t| t <= 0) {
            // Expired; v2 removes it within half a second (its expire event follows).
        } else if !node.dir {
            let wanted = Wanted {
                key: node.key.clone(),
                value: node.value.clone(),
                ttl: node.ttl,
                lease: None,
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

    /// The wanted keys.
    pub fn keys(&self) -> impl Iterator<Item = &Wanted> {
        self.keys.iter()
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

    fn read_at(&self) -> Option<Instant> {
        self.read_at
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

/// How long `--follow` waits for more of v2's events before bringing the changed keys over.
const DRAIN: Duration = Duration::from_millis(20);
/// At most this many events are gathered before the keys they name are brought over.
const MAX_BATCH: usize = 256;
/// How often the keys with a TTL are read again (at least; 4 times as long as a sweep took).
const SWEEP: Duration = Duration::from_secs(1);
/// More keys with a TTL than this: a sweep reads the whole span in one request.
const SWEEP_KEYS: usize = 64;
/// Seconds a copied lease's TTL may differ from v2's TTL before it is replaced.
pub const TTL_SLACK: i64 = 1;
/// Times a key is read and brought over again when its transaction was aborted (a v3 key
/// changed meanwhile, a lease ran out); after that the verification tells.
const ATTEMPTS: usize = 5;

/// What `migrate --follow` carried over.
#[derive(Debug, Clone, Default)]
pub struct Followed {
    /// v2 changes seen, and the keys written or deleted in v3 because of them.
    pub events: u64,
    pub written: u64,
    /// Keys left alone: written in v3 after this migrate copied them.
    pub conflicts: Vec<Vec<u8>>,
}

/// `migrate --follow`: v2's changes in the span from an index on (a v2 watch), each changed key
/// (or directory) read from v2 again and brought to v3: written, or deleted when v2 no longer
/// has it. v2's watch does not report a TTL renewed with `refresh`, so the keys with a TTL are
/// read again every second ([`SWEEP`]) and a lease that differs by more than [`TTL_SLACK`] is
/// replaced. A v3 key written after `since` by anyone but migrate is a conflict, left alone;
/// a v3 key v2 never held is v3's own, never deleted.
pub struct Follow<'a> {
    pub v2: &'a V2<'a>,
    pub dest: &'a Client,
    pub span: KeySpan,
    pub include_hidden: bool,
    pub max_ops: usize,
    pub since: i64,
    pub written: Option<&'a OwnWrites>,
    /// Keys v2 held since the copy began (the ones its deletes delete in v3).
    pub known: HashSet<Vec<u8>>,
    /// Keys with a TTL in v2, as last read.
    ttl_keys: BTreeSet<Vec<u8>>,
    conflicts: BTreeSet<Vec<u8>>,
    followed: Followed,
}

impl<'a> Follow<'a> {
    /// Follow on from `copy`'s copy of `tree`, made by the revision `since`.
    pub fn new(
        v2: &'a V2<'a>,
        copy: &Transfer<'a>,
        since: i64,
        tree: &V2Tree,
        include_hidden: bool,
    ) -> Follow<'a> {
        Follow {
            v2,
            dest: copy.client,
            span: copy.span.clone(),
            include_hidden,
            max_ops: copy.max_ops,
            since,
            written: copy.written,
            known: tree.keys().map(|w| w.key.clone()).collect(),
            ttl_keys: tree
                .keys()
                .filter(|w| w.ttl.is_some())
                .map(|w| w.key.clone())
                .collect(),
            conflicts: BTreeSet::new(),
            followed: Followed::default(),
        }
    }

    /// Follow from v2 index `index` until `stop` completes (checked between batches of
    /// changes, never in the middle of one); then the whole span is brought over once more.
    pub async fn run<S: std::future::Future>(
        &mut self,
        index: i64,
        stop: S,
        progress: &mut dyn FnMut(&Followed),
    ) -> Result<Followed> {
        let v2 = self.v2;
        let mut watch = v2.watch(&self.span, index)?;
        let mut stop = std::pin::pin!(stop);
        let mut next_sweep = Instant::now() + SWEEP;
        loop {
            let mut dirty = BTreeSet::new();
            let mut resync = false;
            let first = tokio::select! {
                event = watch.next() => Some(event),
                _ = tokio::time::sleep_until(next_sweep.into()) => None,
                _ = &mut stop => break,
            };
            if let Some(mut event) = first {
                loop {
                    match event {
                        Ok(e) => {
                            self.followed.events += 1;
                            dirty.insert(e.kv.key);
                        }
                        // Fallen behind v2's 1000 events: read everything again instead.
                        Err(e) if e.kind == Kind::Compacted => {
                            resync = true;
                            break;
                        }
                        Err(e) => return Err(e),
                    }
                    if dirty.len() >= MAX_BATCH {
                        break;
                    }
                    match tokio::time::timeout(DRAIN, watch.next()).await {
                        Ok(next) => event = next,
                        Err(_) => break,
                    }
                }
            }
            if resync {
                let index = self.bring(self.span.clone()).await?;
                watch = v2.watch(&self.span, index + 1)?;
            } else {
                // A key below a directory that changed too is brought over with it.
                let mut last: Option<KeySpan> = None;
                for key in dirty {
                    if last.as_ref().is_some_and(|dir| holds(dir, &key)) {
                        continue;
                    }
                    let span = KeySpan::new(key, true);
                    self.bring(span.clone()).await?;
                    last = Some(span);
                }
            }
            if Instant::now() >= next_sweep {
                let began = Instant::now();
                self.sweep().await?;
                next_sweep = Instant::now() + SWEEP.max(began.elapsed() * 4);
            }
            progress(&self.followed());
        }
        self.bring(self.span.clone()).await?;
        Ok(self.followed())
    }

    fn followed(&self) -> Followed {
        Followed {
            conflicts: self.conflicts.iter().cloned().collect(),
            ..self.followed.clone()
        }
    }

    /// The keys with a TTL read again from v2 (a `refresh` renews one without an event).
    async fn sweep(&mut self) -> Result<()> {
        if self.ttl_keys.len() > SWEEP_KEYS {
            return self.bring(self.span.clone()).await.map(|_| ());
        }
        let keys: Vec<Vec<u8>> = self.ttl_keys.iter().cloned().collect();
        for key in keys {
            self.bring(KeySpan::new(key, false)).await?;
        }
        Ok(())
    }

    /// Read `span` from v2 and bring v3 to it; the v2 index it was read at.
    async fn bring(&mut self, span: KeySpan) -> Result<i64> {
        let mut index = 0;
        for _ in 0..ATTEMPTS {
            let mut tree = match V2Tree::read(self.v2, span.key(), self.include_hidden).await {
                Err(err) if err.kind == Kind::NotFound => {
                    // Nothing there: the index from the root's listing.
                    let (_, index) = self.v2.get(b"/", false).await?;
                    V2Tree {
                        index,
                        read_at: Some(Instant::now()),
                        ..V2Tree::default()
                    }
                }
                other => other?,
            };
            index = tree.index;
            self.known.extend(tree.keys().map(|w| w.key.clone()));
            self.ttl_keys.retain(|k| !holds(&span, k));
            let with_ttl = tree.keys().filter(|w| w.ttl.is_some());
            self.ttl_keys.extend(with_ttl.map(|w| w.key.clone()));
            let transfer = Transfer {
                client: self.dest,
                span: span.clone(),
                prune: Prune::Known(&self.known),
                max_ops: self.max_ops,
                protect_after: Some(self.since),
                written: self.written,
                ttl_slack: Some(TTL_SLACK),
            };
            let mut conflicts = Vec::new();
            let (plan, revision) = transfer
                .plan(&mut tree, 0, &mut |action, key| {
                    if action == Action::Conflict {
                        conflicts.push(key.to_vec());
                    }
                })
                .await?;
            self.conflicts.extend(conflicts);
            if plan.changes() == 0 {
                break;
            }
            let applied = transfer.apply(&mut tree, revision, &mut |_| {}).await?;
            self.followed.written += applied.done.changes();
            if applied.aborted.is_empty() {
                break;
            }
        }
        Ok(index)
    }
}

/// Whether `key` is in `span` (`KeySpan::contains` answers only for keys of its covering range).
fn holds(span: &KeySpan, key: &[u8]) -> bool {
    let (start, end) = span.covering();
    let covered = match end {
        Some(end) => key >= &start[..] && key < &end[..],
        None => key == start,
    };
    covered && span.contains(key)
}

impl Transfer<'_> {
    /// The copy checked: v3 compared with `tree` (v2 as copied) or, with `again` (after
    /// --follow), with v2's subtree read again now; then differences (missing, different, TTLs
    /// further apart than `ttl_slack`, keys to delete) are looked for up to 3 times, 1 s apart,
    /// since a key whose TTL runs out goes from v2 and v3 at nearly the same moment. The last
    /// comparison's counts, and the tree it compared with.
    pub async fn verify(
        &self,
        v2: &V2<'_>,
        include_hidden: bool,
        mut tree: V2Tree,
        again: bool,
    ) -> Result<(super::Counts, V2Tree)> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if again {
                tree = V2Tree::read(v2, self.span.key(), include_hidden).await?;
            }
            let (check, _) = self.plan(&mut tree, 0, &mut |_, _| {}).await?;
            if check.changes() + check.conflict == 0 || attempt == 3 || !again {
                return Ok((check, tree));
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}
