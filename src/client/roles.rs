//! The backend seam, after etcd's clientv3: small role traits the commands are written against,
//! over plain result types (decoded keys and values, revisions). [`Keys`] (read, list, write,
//! delete, refresh), [`Watching`] (a span's changes and its listing), [`Locks`] (a lock queue),
//! [`Cluster`] (the members), gathered by [`Backend`], which also hands out the v3 client for
//! what only v3 has. The v3 client implements them (`recipes.rs`, `v3/listing.rs`), and so does
//! the v2 client (`v2/roles.rs`), which refuses what v2 cannot do with one error kind
//! ([`super::Kind::Unsupported`], worded by [`super::Error::unsupported`]).

use super::error::Result;
use super::{Client, ClusterView, KeyValue, RangePage, Recipe, Watcher};
use super::{Held, Lost, Waited, WatchEvent};
use crate::duration::Ttl;
use crate::keys::KeySpan;
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
    /// No condition at all.
    pub fn is_empty(&self) -> bool {
        !self.absent && !self.exists && self.value.is_none() && self.mod_revision.is_none()
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
    /// `None` on v2, whose keys have no lease.
    pub lease: Option<i64>,
    pub ttl: i64,
}

/// What lies near a key that was not found ([`Keys::nearby`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Nearby {
    /// This many keys live below `KEY/`: KEY is a directory.
    Below(i64),
    /// The same key with a leading `/` exists (python-etcd adds one), or
    /// keys below it do.
    Slashed(Vec<u8>),
}

/// One entry of a directory level.
#[derive(Debug)]
pub enum Entry {
    /// A key directly below the directory.
    Key(KeyValue),
    /// A sub-directory (`DIR/sub/`), once however many keys it holds.
    Dir(Vec<u8>),
}

/// Which revision a read is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The latest.
    Now,
    /// A past revision the person asked for (`get --rev`): v2 keeps none.
    Past(i64),
    /// The revision an earlier read of the same listing was served at (v2: ignored, it reads now).
    Same(i64),
}

impl At {
    /// `--rev`, when given.
    pub fn asked(rev: Option<i64>) -> At {
        rev.map_or(At::Now, At::Past)
    }

    /// A listing's later reads: at `revision` (an earlier read's, 0: none) unless a past one
    /// was asked for.
    pub fn or_same(self, revision: i64) -> At {
        match self {
            At::Now if revision != 0 => At::Same(revision),
            other => other,
        }
    }

    /// The revision as v3 asks for it (0: the latest).
    pub fn revision(self) -> i64 {
        match self {
            At::Now => 0,
            At::Past(r) | At::Same(r) => r,
        }
    }
}

/// KEY itself as read: its key-value, the revision read at, and, when it has no value of its
/// own, the backend's "key not found" in its own words (`None`: v3's).
#[derive(Debug)]
pub struct Found {
    pub kv: Option<KeyValue>,
    pub revision: i64,
    pub absent: Option<super::Error>,
}

impl Found {
    /// "key not found" for `key`, as the backend says it.
    pub fn absent(&mut self, key: &[u8]) -> super::Error {
        self.absent
            .take()
            .unwrap_or_else(|| super::Error::not_found(key))
    }
}

/// The keys of a span at one revision, in key order.
#[allow(async_fn_in_trait)]
pub trait Listing {
    /// The next page (possibly empty after filtering); `None` at the end.
    async fn next_page(&mut self) -> Result<Option<Vec<KeyValue>>>;
    /// The revision (v2: index) every page is read at; known once the first page was read.
    fn revision(&self) -> i64;
    /// The ID of the cluster the keys are read from (`watch --checkpoint` records it).
    async fn cluster_id(&self) -> Result<u64> {
        Err(super::Error::new(
            super::Kind::Unsupported,
            "watch --checkpoint is not available with --api v2 (etcd's v2 API)",
        ))
    }
}

/// The keys of a range, page by page in key order, all at one revision.
#[allow(async_fn_in_trait)]
pub trait Paged {
    /// The next page; `None` when the range is exhausted.
    async fn next(&mut self) -> Result<Option<RangePage>>;
    /// The revision every page is read at.
    fn revision(&self) -> i64;
    /// The range had more keys than the limit allowed.
    fn truncated(&self) -> bool;
    /// It held no key, but is a directory that exists (v2's empty directories).
    fn empty_dir(&self) -> bool {
        false
    }
}

/// The level directly below a directory: keys with their values, sub-directories once.
#[allow(async_fn_in_trait)]
pub trait Leveled {
    /// The entries of the next page; `None` when the level is exhausted.
    async fn next(&mut self) -> Result<Option<Vec<Entry>>>;
    /// The revision every page is read at.
    fn revision(&self) -> i64;
    /// There were more entries than the limit allowed.
    fn truncated(&self) -> bool;
    /// It held no entry, but is a directory that exists (v2's empty directories).
    fn empty_dir(&self) -> bool {
        false
    }
}

/// Keys: read, list, write, delete, refresh (etcd's `KV` and the leases that carry TTLs).
// Static dispatch on one thread: the futures need no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Keys {
    type Pages<'a>: Paged
    where
        Self: 'a;
    type Level<'a>: Leveled
    where
        Self: 'a;

    /// The API the keys live in, as `dump`'s header names it: `v3`, `v2`.
    fn api(&self) -> &'static str;

    /// KEY itself at `at`.
    async fn key(&self, key: &[u8], at: At, keys_only: bool) -> Result<Found>;

    /// KEY itself, unless KEY/ is the prefix and already covers it (`get -r DIR/`); its
    /// revision is the one a listing's later reads pin to (the one asked for, if any).
    async fn span_key(&self, span: &KeySpan, at: At, keys_only: bool) -> Result<Found> {
        let mut found = Found {
            kv: None,
            revision: at.revision(),
            absent: None,
        };
        if span.has_own_key() {
            found = self.key(span.key(), at, keys_only).await?;
            if at.revision() != 0 {
                found.revision = at.revision();
            }
        }
        Ok(found)
    }

    /// Every key in `range` (`[start, end)`) at `at`, page by page, at most `limit` of them
    /// (with 0, only whether there are any: [`Paged::truncated`]).
    fn pages(
        &self,
        range: (Vec<u8>, Vec<u8>),
        at: At,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Self::Pages<'_>;

    /// The level directly below the directory `dir` (ending in `/`).
    fn level(&self, dir: Vec<u8>, at: At, keys_only: bool, limit: Option<u64>) -> Self::Level<'_>;

    /// Write `key`, with a TTL when given (the backend says what the shortest is), if `when`
    /// holds.
    async fn set(
        &self,
        key: &[u8],
        value: Vec<u8>,
        ttl: Option<&Ttl>,
        prev: bool,
        when: &Conditions,
    ) -> Result<Written>;

    /// Delete a span's keys if `when` holds: the revision and how many went.
    async fn remove(&self, span: &KeySpan, when: &Conditions) -> Result<(i64, i64)>;

    /// A new TTL for an existing key, or (`None`) its current one renewed.
    async fn refresh(&self, key: &[u8], ttl: Option<&Ttl>) -> Result<Refreshed>;

    /// For a key that was not found: keys below `KEY/` (when `below`), or the key with a
    /// leading `/`. A few requests, made only on this error path; `None` also when they fail.
    async fn nearby(&self, key: &[u8], below: bool) -> Option<Nearby>;

    /// A key's remaining TTL in seconds (`None`: it has none; negative: it has expired).
    async fn ttl_left(&self, kv: &KeyValue) -> Result<Option<i64>>;

    /// Whether etcd's other keyspace (v2's, python-etcd's, seen from v3) holds `key`: a hint
    /// for "key not found", looked up only then.
    async fn held_in_v2(&self, _key: &[u8]) -> bool {
        false
    }
}

/// A stream of changes, from either backend: the v3 span watch or v2's long polls.
#[allow(async_fn_in_trait)]
pub trait Changes {
    /// The next changes (`None`: none within `within`).
    async fn next_within(&mut self, within: Option<Duration>) -> Option<Result<Vec<WatchEvent>>>;
}

/// Watching: a span's changes from a revision on, and its keys now (`watch --initial`).
pub trait Watching {
    type Changes<'a>: Changes
    where
        Self: 'a;
    type Listing<'a>: Listing
    where
        Self: 'a;

    /// Changes to the keys of a span from `start_revision` on (0: from now), with each key's
    /// previous state when `prev` (where the backend keeps it).
    fn watch(&self, span: &KeySpan, start_revision: i64, prev: bool) -> Result<Self::Changes<'_>>;

    /// The keys of `span` now, page by page.
    fn listing(&self, span: &KeySpan) -> Self::Listing<'_>;
}

/// A lock queue held while a command runs, from either backend: v3's [`super::Mutex`] (a
/// lease, etcdctl's keys) or v2's [`super::V2Mutex`] (python-etcd's in-order keys with a TTL).
#[allow(async_fn_in_trait)]
pub trait Locking {
    /// `<prefix>/NAME`.
    fn name(&self) -> &[u8];
    /// What is held, as messages name it: `lock /_locks/NAME`, `election NAME`.
    fn what(&self) -> String {
        format!("lock {}", crate::text::escape(self.name()))
    }
    /// How long the lock outlives its last renewal.
    fn ttl(&self) -> Duration;
    /// When the last renewal that succeeded was sent.
    fn renewed(&self) -> tokio::time::Instant;
    /// The lease the lock is held with (`None` on v2).
    fn lease(&self) -> Option<i64>;
    /// Wait for the lock until `timeout` (exit 5) or until `stop` completes.
    async fn acquire<S: std::future::Future>(
        &self,
        timeout: Option<Duration>,
        stop: S,
        watcher: Option<Watcher<'_>>,
    ) -> Result<Waited<S::Output>>;
    /// Keep the lock `held`; returns (only) when it is lost or could be.
    async fn keep(
        &self,
        held: &Held,
        give_up_after: Duration,
        on_renew: &dyn Fn(tokio::time::Instant),
    ) -> Lost;
    /// Give the lock up, handing it to the next waiter.
    async fn release(&self) -> Result<()>;
}

/// Locks: a lock queue by name (etcd's `concurrency.Mutex`, python-etcd's `Lock`).
#[allow(async_fn_in_trait)]
pub trait Locks {
    type Lock<'a>: Locking
    where
        Self: 'a;

    /// The queue for the lock `name` held with a TTL of `ttl` seconds, by `recipe`.
    async fn lock_queue(&self, name: Vec<u8>, ttl: u64, recipe: Recipe) -> Result<Self::Lock<'_>>;
}

/// Cluster: every member with its status, as one consistent view.
#[allow(async_fn_in_trait)]
pub trait Cluster {
    async fn cluster_view(&self) -> Result<ClusterView>;

    /// Whether a member with an alarm, or one that did not answer, fails `members` (exit 11).
    /// v2's view has no alarms, and `--api v2 members` has always exited 0.
    fn trouble_fails(&self) -> bool {
        true
    }
}

/// A backend `wait` runs on (`wait.rs`): v3's gateway or v2's keys.
#[allow(async_fn_in_trait)]
pub trait Awaiting {
    type Stream<'a>: Changes
    where
        Self: 'a;
    /// The span at `revision` (0: now).
    async fn snapshot(&self, span: &KeySpan, revision: i64) -> Result<Snapshot>;
    /// The span's changes from `revision` on.
    fn changes(&self, span: &KeySpan, revision: i64) -> Result<Self::Stream<'_>>;
}

/// The span's state at one revision, as `wait` needs it.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The revision (v2: index) the span was read at.
    pub revision: i64,
    /// The key (with -r: the span's first key), if there is one.
    pub first: Option<KeyValue>,
    /// v2 only: every key of the span, to tell when the last one goes.
    pub keys: Option<Vec<Vec<u8>>>,
}

/// What only etcd's v3 API has, named for the refusal the v2 backend gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V3Only {
    Du,
    Edit,
    Elect,
    Load,
    LockAdmin,
    Operator,
    /// rollback (issue 26)
    Rollback,
    History,
    Diff,
}

/// A backend the commands run on: every role, and the v3 client for what only v3 has.
pub trait Backend: Keys + Watching + Locks + Cluster + Awaiting {
    /// The v3 client, or (v2) the refusal of `what`.
    fn v3(&self, what: V3Only) -> Result<&Client>;
}
