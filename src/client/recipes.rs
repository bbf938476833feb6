//! The procedures the commands need, built from etcd's v3 primitives: a put
//! with a fresh lease and `--if-*` conditions (the lease revoked when the
//! write does not happen), the conditional delete of a key span, refresh's
//! lease swap, and the listings of `get` (a prefix page by page, one
//! directory level with each sub-directory once, remaining lease TTLs asked
//! once per lease), and the watch of a key span. The commands reach them
//! through [`super::Store`].

use super::error::{Error, Kind, Result};
use super::v3::kv::{Page, Pager};
use super::{
    Acquired, Client, ClusterView, Compare, Condition, Holder, KeyValue, Op, OpResult, RangePage,
    RangeSpec, Store, Watch, WatchEvent, WatchSpec,
};
use crate::keys::{KeySpan, prefix_end};
use crate::text::escape;
use std::collections::HashMap;
use std::time::Duration;

/// The `--if-*` conditions of a write or delete, on its key.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    /// `--if-absent`
    pub absent: bool,
    /// `--if-exists`
    pub exists: bool,
    /// `--if-value`
    pub value: Option<Vec<u8>>,
    /// `--if-revision`
    pub mod_revision: Option<i64>,
}

impl Conditions {
    /// The transaction's compares, on `key`.
    fn compares(&self, key: &[u8]) -> Vec<Compare> {
        let mut list = Vec::new();
        let mut add = |condition| {
            list.push(Compare {
                key: key.to_vec(),
                condition,
            })
        };
        if self.absent {
            add(Condition::Absent);
        }
        if self.exists {
            add(Condition::Exists);
        }
        if let Some(value) = &self.value {
            add(Condition::ValueIs(value.clone()));
        }
        if let Some(revision) = self.mod_revision {
            add(Condition::ModRevisionIs(revision));
        }
        list
    }
}

/// A write done: its revision, the lease it got (0: none), and the key's
/// previous state when it was asked for and existed.
#[derive(Debug)]
pub struct Written {
    pub revision: i64,
    pub lease: i64,
    pub prev: Option<KeyValue>,
}

/// A refresh done: the revision the key is at, its lease and that lease's TTL.
#[derive(Debug)]
pub struct Refreshed {
    pub revision: i64,
    pub lease: i64,
    pub ttl: i64,
}

/// What lies near a key that was not found ([`Store::nearby`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Nearby {
    /// This many keys live below `KEY/`: KEY is a directory.
    Below(i64),
    /// The same key with a leading `/` exists (python-etcd adds one), or
    /// keys below it do.
    Slashed(Vec<u8>),
}

/// The v3 gateway client as the commands' backend: the plain operations
/// forwarded, the procedures written out.
impl Store for Client {
    async fn range(&self, spec: &RangeSpec) -> Result<RangePage> {
        Client::range(self, spec).await
    }

    fn pages(
        &self,
        range: (Vec<u8>, Vec<u8>),
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Pages<'_> {
        Pages::new(self, range, revision, keys_only, limit)
    }

    fn level(&self, dir: Vec<u8>, revision: i64, keys_only: bool, limit: Option<u64>) -> Level<'_> {
        Level::new(self, dir, revision, keys_only, limit)
    }

    fn watch(&self, span: &KeySpan, start_revision: i64, prev: bool) -> SpanWatch<'_> {
        SpanWatch::new(self, span, start_revision, prev)
    }

    async fn nearby(&self, key: &[u8], below: bool) -> Option<Nearby> {
        if key.is_empty() {
            return None;
        }
        let dir = |key: &[u8]| {
            let mut dir = key.to_vec();
            if !dir.ends_with(b"/") {
                dir.push(b'/');
            }
            let end = prefix_end(&dir);
            (dir, Some(end))
        };
        if below {
            let (dir, end) = dir(key);
            if let Ok(n @ 1..) = self.count(&dir, end).await {
                return Some(Nearby::Below(n));
            }
        }
        if key.starts_with(b"/") {
            return None;
        }
        let slashed = [b"/", key].concat();
        let (dir, end) = dir(&slashed);
        let found = matches!(self.count(&slashed, None).await, Ok(1..))
            || matches!(self.count(&dir, end).await, Ok(1..));
        found.then_some(Nearby::Slashed(slashed))
    }

    async fn lease_ttl(&self, lease: i64) -> Result<i64> {
        Ok(self.lease_time_to_live(lease, false).await?.ttl)
    }

    async fn cluster_view(&self) -> Result<ClusterView> {
        Client::cluster_view(self).await
    }

    async fn grant(&self, ttl: i64) -> Result<i64> {
        self.grant_exactly(ttl).await
    }

    async fn revoke(&self, lease: i64) -> Result<()> {
        self.lease_revoke(lease).await
    }

    async fn lock(&self, name: &[u8], lease: i64) -> Result<Acquired> {
        Client::lock(self, name, lease).await
    }

    async fn unlock(&self, key: &[u8]) -> Result<()> {
        Client::unlock(self, key).await
    }

    async fn lock_holder(&self, name: &[u8]) -> Result<Option<Holder>> {
        Client::lock_holder(self, name).await
    }

    /// Nothing half-written: the lease of a write that did not happen is revoked.
    async fn set(
        &self,
        key: &[u8],
        value: Vec<u8>,
        ttl: Option<i64>,
        prev: bool,
        when: &Conditions,
    ) -> Result<Written> {
        let lease = match ttl {
            Some(ttl) => self.grant_exactly(ttl).await?,
            None => 0,
        };
        match self.put_when(key, value, lease, prev, when).await {
            Ok((revision, prev)) => Ok(Written {
                revision,
                lease,
                prev,
            }),
            Err(err) => {
                if lease != 0 {
                    let _ = self.lease_revoke(lease).await;
                }
                Err(err)
            }
        }
    }

    /// One delete, or a transaction of them with the conditions on KEY.
    async fn remove(&self, span: &KeySpan, when: &Conditions) -> Result<(i64, i64)> {
        let delete = |key: Vec<u8>, end: Option<Vec<u8>>| Op::Delete {
            key,
            end,
            prev: false,
        };
        let mut ops = Vec::new();
        if span.has_own_key() {
            ops.push(delete(span.key().to_vec(), None));
        }
        if span.recursive() {
            let (start, end) = span.below();
            ops.push(delete(start, Some(end)));
        }
        let key = span.key();
        let compares = when.compares(key);
        if compares.is_empty()
            && let [Op::Delete { key, end, .. }] = &ops[..]
        {
            return self.delete(key, end.clone()).await;
        }
        let outcome = self
            .txn(&compares, &ops, &[Op::Range(RangeSpec::key(key))])
            .await?;
        if !outcome.succeeded {
            return Err(condition_failed(key, &outcome.results));
        }
        let deleted = outcome
            .results
            .iter()
            .map(|r| match r {
                OpResult::Delete { deleted, .. } => *deleted,
                _ => 0,
            })
            .sum();
        Ok((outcome.revision, deleted))
    }

    /// The same TTL as the lease already has is a renewal in place (nothing
    /// written, no watcher woken); another one is a new lease swapped in.
    async fn refresh(&self, key: &[u8], wanted: Option<i64>) -> Result<Refreshed> {
        let page = self
            .range(&RangeSpec {
                // Not keys-only: etcd 3.7 serves keys-only ranges from its index, without the lease.
                keys_only: false,
                ..RangeSpec::key(key)
            })
            .await?;
        let Some(kv) = page.kvs.into_iter().next() else {
            return Err(Error::not_found(key));
        };
        if let Some(renewed) = self.renew_in_place(key, &kv, wanted).await? {
            return Ok(renewed);
        }
        let Some(ttl) = wanted else {
            return Err(Error::invalid(format!(
                "{} has no TTL to renew; give --ttl to attach one",
                escape(key)
            )));
        };
        self.swap_lease(key, &kv, ttl).await
    }
}

impl Client {
    /// `kv`'s lease renewed when it has one that `wanted` (if given) matches.
    async fn renew_in_place(
        &self,
        key: &[u8],
        kv: &KeyValue,
        wanted: Option<i64>,
    ) -> Result<Option<Refreshed>> {
        if kv.lease == 0 {
            return Ok(None);
        }
        let info = self.lease_time_to_live(kv.lease, false).await?;
        if info.ttl < 0 || !(wanted.is_none() || wanted == Some(info.granted_ttl)) {
            return Ok(None);
        }
        match self.lease_keepalive(kv.lease).await? {
            Some(ttl) => Ok(Some(Refreshed {
                revision: kv.mod_revision,
                lease: kv.lease,
                ttl,
            })),
            None => Err(Error::not_found(key).context("the key expired while being refreshed")),
        }
    }

    /// A new lease of `ttl` seconds for `kv`, swapped in only if nobody wrote
    /// the key meanwhile; the old lease revoked when no other key hangs on it.
    async fn swap_lease(&self, key: &[u8], kv: &KeyValue, ttl: i64) -> Result<Refreshed> {
        let old = kv.lease;
        let lease = self.grant_exactly(ttl).await?;
        let unchanged = Compare {
            key: key.to_vec(),
            condition: Condition::ModRevisionIs(kv.mod_revision),
        };
        let swap = Op::Put {
            key: key.to_vec(),
            value: None,
            lease,
            prev: false,
        };
        let outcome = match self.txn(&[unchanged], &[swap], &[]).await {
            Ok(outcome) => outcome,
            Err(err) => {
                let _ = self.lease_revoke(lease).await;
                return Err(err);
            }
        };
        if !outcome.succeeded {
            let _ = self.lease_revoke(lease).await;
            return Err(Error::new(
                Kind::ConditionFailed,
                format!(
                    "{} changed while being refreshed (it was at mod revision {}); nothing was changed",
                    escape(key),
                    kv.mod_revision
                ),
            ));
        }
        // The old lease goes only if no other key still hangs on it.
        if old != 0 {
            let info = self.lease_time_to_live(old, true).await?;
            if info.ttl >= 0 && info.keys.is_empty() {
                self.lease_revoke(old).await?;
            }
        }
        Ok(Refreshed {
            revision: outcome.revision,
            lease,
            ttl,
        })
    }

    /// The put itself: plain, or in a transaction when there are conditions.
    async fn put_when(
        &self,
        key: &[u8],
        value: Vec<u8>,
        lease: i64,
        prev: bool,
        when: &Conditions,
    ) -> Result<(i64, Option<KeyValue>)> {
        let compares = when.compares(key);
        if compares.is_empty() {
            return self.put(key, value, lease, prev).await;
        }
        let put = Op::Put {
            key: key.to_vec(),
            value: Some(value),
            lease,
            prev,
        };
        let outcome = self
            .txn(&compares, &[put], &[Op::Range(RangeSpec::key(key))])
            .await?;
        if !outcome.succeeded {
            return Err(condition_failed(key, &outcome.results));
        }
        let prev = match outcome.results.into_iter().next() {
            Some(OpResult::Put { prev }) => prev,
            _ => None,
        };
        Ok((outcome.revision, prev))
    }
}

/// "condition failed: KEY holds 'v' (mod revision 7)", from the range a
/// failed transaction ran in its failure branch.
fn condition_failed(key: &[u8], results: &[OpResult]) -> Error {
    let now = match results.first() {
        Some(OpResult::Range(page)) => page.kvs.first(),
        _ => None,
    };
    let state = match now {
        Some(kv) => format!(
            "it holds '{}' (mod revision {}, version {})",
            shorten(&kv.value),
            kv.mod_revision,
            kv.version
        ),
        None => "it does not exist".to_string(),
    };
    Error::new(
        Kind::ConditionFailed,
        format!("condition failed for {}: {state}", escape(key)),
    )
}

/// A value for a one-line message: escaped, and cut after 60 characters.
fn shorten(value: &[u8]) -> String {
    let text = escape(value);
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(60).collect();
        format!("{cut}… ({} bytes)", value.len())
    } else {
        text
    }
}

/// The keys of a range, page by page in key order, all at one revision,
/// with the next pages read while one is handed out.
pub struct Pages<'a> {
    client: &'a Client,
    pager: Pager,
    /// A limit of 0: no page is read, only whether the range holds a key.
    probe: Option<RangeSpec>,
    more: bool,
}

impl<'a> Pages<'a> {
    pub(super) fn new(
        client: &'a Client,
        (start, end): (Vec<u8>, Vec<u8>),
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Pages<'a> {
        let probe = (limit == Some(0)).then(|| RangeSpec {
            end: Some(end.clone()),
            limit: 1,
            revision,
            keys_only: true,
            ..RangeSpec::key(&start)
        });
        let pager = Pager::new(start, end, revision, keys_only, limit);
        Pages {
            client,
            pager,
            probe,
            more: false,
        }
    }

    /// The next page; `None` when the range is exhausted.
    pub async fn next(&mut self) -> Result<Option<RangePage>> {
        if let Some(probe) = self.probe.take() {
            self.more = !self.client.range(&probe).await?.kvs.is_empty();
        }
        self.pager
            .next_ahead(self.client)
            .await?
            .map(Page::decode)
            .transpose()
    }

    /// The revision every page is read at.
    pub fn revision(&self) -> i64 {
        self.pager.revision()
    }

    /// The range had more keys than the limit allowed.
    pub fn truncated(&self) -> bool {
        self.pager.truncated || self.more
    }
}

/// One entry of a directory level.
#[derive(Debug)]
pub enum Entry {
    /// A key directly below the directory.
    Key(KeyValue),
    /// A sub-directory (`DIR/sub/`), once however many keys it holds.
    Dir(Vec<u8>),
}

/// The level directly below a directory `DIR/`, page by page: keys with
/// their values, sub-directories once, whose keys are jumped over instead
/// of read.
pub struct Level<'a> {
    client: &'a Client,
    pager: Pager,
    dir: Vec<u8>,
    last_sub: Option<Vec<u8>>,
    /// Entries still wanted.
    left: u64,
    /// There were more entries than the limit allowed.
    pub truncated: bool,
}

impl<'a> Level<'a> {
    pub(super) fn new(
        client: &'a Client,
        dir: Vec<u8>,
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Level<'a> {
        let pager = Pager::new(dir.clone(), prefix_end(&dir), revision, keys_only, None);
        Level {
            client,
            pager,
            dir,
            last_sub: None,
            left: limit.unwrap_or(u64::MAX),
            truncated: false,
        }
    }

    /// The entries of the next page; `None` when the level is exhausted.
    pub async fn next(&mut self) -> Result<Option<Vec<Entry>>> {
        if self.truncated {
            return Ok(None);
        }
        let Some(page) = self.pager.next(self.client).await? else {
            return Ok(None);
        };
        let last_key = page.kvs.last().map(|kv| kv.key.clone());
        let mut entries = Vec::new();
        for kv in page.kvs {
            let rest = &kv.key[self.dir.len()..];
            let entry_sub = rest
                .iter()
                .position(|b| *b == b'/')
                .map(|i| kv.key[..self.dir.len() + i + 1].to_vec());
            if entry_sub.is_some() && entry_sub == self.last_sub {
                continue;
            }
            if self.left == 0 {
                self.truncated = true;
                return Ok(Some(entries));
            }
            self.left -= 1;
            match entry_sub {
                Some(sub) => {
                    self.last_sub = Some(sub.clone());
                    entries.push(Entry::Dir(sub));
                }
                None => entries.push(Entry::Key(kv)),
            }
        }
        // Jump over the rest of a sub-directory instead of reading it.
        if let (Some(sub), Some(last)) = (&self.last_sub, last_key)
            && last.starts_with(sub)
        {
            self.pager.skip_to(prefix_end(sub));
        }
        Ok(Some(entries))
    }

    /// The revision every page is read at.
    pub fn revision(&self) -> i64 {
        self.pager.revision()
    }
}

/// Remaining lease TTLs (`get -l`), asked once per lease.
pub struct LeaseTtls {
    enabled: bool,
    known: HashMap<i64, i64>,
}

impl LeaseTtls {
    pub fn new(enabled: bool) -> Self {
        LeaseTtls {
            enabled,
            known: HashMap::new(),
        }
    }

    /// `None`: not asked for; `Some(None)`: the key has no lease.
    pub async fn get(&mut self, store: &impl Store, kv: &KeyValue) -> Result<Option<Option<i64>>> {
        if !self.enabled {
            return Ok(None);
        }
        if kv.lease == 0 {
            return Ok(Some(None));
        }
        if let Some(ttl) = self.known.get(&kv.lease) {
            return Ok(Some(Some(*ttl)));
        }
        let ttl = store.lease_ttl(kv.lease).await?.max(0);
        self.known.insert(kv.lease, ttl);
        Ok(Some(Some(ttl)))
    }
}

/// Changes to the keys of a [`KeySpan`], through one watch of the range that
/// covers it: the few keys in that range outside the span (`KEY-x`, `KEY.x`
/// with -r) are dropped here, so that one watch keeps one order.
pub struct SpanWatch<'a> {
    watch: Watch<'a>,
    span: KeySpan,
}

impl<'a> SpanWatch<'a> {
    pub(super) fn new(client: &'a Client, span: &KeySpan, start_revision: i64, prev: bool) -> Self {
        let (key, end) = span.covering();
        let watch = client.watch(WatchSpec {
            key,
            end,
            start_revision,
            prev_kv: prev,
            no_put: false,
        });
        SpanWatch {
            watch,
            span: span.clone(),
        }
    }
}

impl super::Changes for SpanWatch<'_> {
    /// The next batch of changes in the span (possibly none of them in it);
    /// `None` when `within` passed first.
    async fn next_within(&mut self, within: Option<Duration>) -> Option<Result<Vec<WatchEvent>>> {
        let batch = match within {
            Some(within) => tokio::time::timeout(within, self.watch.next()).await.ok()?,
            None => self.watch.next().await,
        };
        Some(batch.map(|mut events| {
            events.retain(|e| self.span.contains(&e.kv.key));
            events
        }))
    }
}
