//! The backend seam: [`Store`], the operations the commands are written
//! against, over plain result types (decoded keys and values, revisions).
//! The v3 gateway client implements it (in `recipes.rs`). The v2 client
//! (`--api v2`) shares two parts of it, [`Changes`] (watch) and [`Locking`]
//! (lock), so those commands run the same code on both APIs; its reads and
//! writes are its own methods (`v2/keys.rs`), called by `commands/v2/`. The
//! listing streams ([`Pages`], [`Level`]) are still the v3 client's own types.

use super::error::Result;
use super::recipes::{Conditions, Level, Nearby, Pages, Refreshed, SpanWatch, Written};
use super::{Acquired, ClusterView, Holder, RangePage, RangeSpec};
use super::{Held, Lost, Waited, WatchEvent, Watcher};
use crate::keys::KeySpan;
use std::time::Duration;

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

/// A stream of changes, from either backend: the v3 span watch or v2's long polls.
#[allow(async_fn_in_trait)]
pub trait Changes {
    /// The next changes (`None`: none within `within`).
    async fn next_within(&mut self, within: Option<Duration>) -> Option<Result<Vec<WatchEvent>>>;
}

// Static dispatch on one thread: the futures need no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// One page of a key or a range.
    async fn range(&self, spec: &RangeSpec) -> Result<RangePage>;

    /// Every key in `range` (`[start, end)`) at `revision` (0: the first
    /// page's), page by page, at most `limit` of them (with 0, only whether
    /// there are any: [`Pages::truncated`]).
    fn pages(
        &self,
        range: (Vec<u8>, Vec<u8>),
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Pages<'_>;

    /// The level directly below the directory `dir` (ending in `/`).
    fn level(&self, dir: Vec<u8>, revision: i64, keys_only: bool, limit: Option<u64>) -> Level<'_>;

    /// Write `key`, with a new lease of `ttl` seconds when given, if `when` holds.
    async fn set(
        &self,
        key: &[u8],
        value: Vec<u8>,
        ttl: Option<i64>,
        prev: bool,
        when: &Conditions,
    ) -> Result<Written>;

    /// Delete a span's keys atomically if `when` holds: the revision and how many went.
    async fn remove(&self, span: &KeySpan, when: &Conditions) -> Result<(i64, i64)>;

    /// A new TTL for an existing key, or (`None`) its lease renewed.
    async fn refresh(&self, key: &[u8], ttl: Option<i64>) -> Result<Refreshed>;

    /// For a key that was not found: keys below `KEY/` (when `below`), or
    /// the key with a leading `/`. A few counting requests, made only on
    /// this error path; `None` also when they fail.
    async fn nearby(&self, key: &[u8], below: bool) -> Option<Nearby>;

    /// A lease's remaining TTL in seconds (negative: it has expired).
    async fn lease_ttl(&self, lease: i64) -> Result<i64>;

    /// Changes to the keys of a span from `start_revision` on (0: from now),
    /// with each key's previous state when `prev`.
    fn watch(&self, span: &KeySpan, start_revision: i64, prev: bool) -> SpanWatch<'_>;

    /// Every member with its status, as one consistent view.
    async fn cluster_view(&self) -> Result<ClusterView>;

    // The lock and its session's lease, as the client offers them today;
    // the lock recipe itself (queue, probe, requeue) joins them as a Mutex.

    /// A lease of exactly `ttl` seconds (refused when the server would lengthen it).
    async fn grant(&self, ttl: i64) -> Result<i64>;

    /// Revoke a lease and every key attached to it; one already gone is no error.
    async fn revoke(&self, lease: i64) -> Result<()>;

    /// Wait for the lock `name` with `lease`, then hold it.
    async fn lock(&self, name: &[u8], lease: i64) -> Result<Acquired>;

    /// Release a lock by deleting its key (its lease is left alone).
    async fn unlock(&self, key: &[u8]) -> Result<()>;

    /// Who holds the lock `name` now, if anybody.
    async fn lock_holder(&self, name: &[u8]) -> Result<Option<Holder>>;
}
