//! The procedures the commands need, built from etcd's v3 primitives: a put
//! with a fresh lease and `--if-*` conditions (the lease revoked when the
//! write does not happen), the conditional delete of a key span, refresh's
//! lease swap, and the listings of `get` (a prefix page by page, one
//! directory level with each sub-directory once, remaining lease TTLs asked
//! once per lease), and the watch of a key span. The commands reach them
//! through [`super::Keys`].

use super::error::{Error, Kind, Result};
use super::roles::{At, Changes, Conditions, Found, Keys, Nearby, Refreshed, Written};
use super::v3::listing::{Level, Pages};
use super::{
    Client, Compare, Condition, KeyValue, Op, OpResult, RangeSpec, Watch, WatchEvent, WatchSpec,
};
use crate::duration::Ttl;
use crate::keys::{KeySpan, prefix_end};
use crate::text::escape;
use std::collections::HashMap;
use std::time::Duration;

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

/// The v3 client's keys: the plain operations forwarded, the procedures written out.
impl Keys for Client {
    type Pages<'a> = Pages<'a>;
    type Level<'a> = Level<'a>;

    fn api(&self) -> &'static str {
        "v3"
    }

    async fn key(&self, key: &[u8], at: At, keys_only: bool) -> Result<Found> {
        let spec = RangeSpec {
            keys_only,
            revision: at.revision(),
            ..RangeSpec::key(key)
        };
        let page = self.range(&spec).await?;
        Ok(Found {
            kv: page.kvs.into_iter().next(),
            revision: page.revision,
            absent: None,
        })
    }

    fn pages(
        &self,
        range: (Vec<u8>, Vec<u8>),
        at: At,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Pages<'_> {
        Pages::new(self, range, at.revision(), keys_only, limit)
    }

    fn level(&self, dir: Vec<u8>, at: At, keys_only: bool, limit: Option<u64>) -> Level<'_> {
        Level::new(self, dir, at.revision(), keys_only, limit)
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

    async fn ttl_left(&self, kv: &KeyValue) -> Result<Option<i64>> {
        if kv.lease == 0 {
            return Ok(None);
        }
        Ok(Some(self.lease_time_to_live(kv.lease, false).await?.ttl))
    }

    async fn held_in_v2(&self, key: &[u8]) -> bool {
        self.v2().holds(key).await
    }

    /// Nothing half-written: the lease of a write that did not happen is revoked.
    async fn set(
        &self,
        key: &[u8],
        value: Vec<u8>,
        ttl: Option<&Ttl>,
        prev: bool,
        when: &Conditions,
    ) -> Result<Written> {
        let lease = match ttl {
            Some(ttl) => self.grant_exactly(lease_secs(ttl)?).await?,
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
    async fn refresh(&self, key: &[u8], wanted: Option<&Ttl>) -> Result<Refreshed> {
        let wanted = wanted.map(lease_secs).transpose()?;
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
                lease: Some(kv.lease),
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
            lease: Some(lease),
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

/// A TTL as a v3 lease's: at least etcd's minimum lease.
fn lease_secs(ttl: &Ttl) -> Result<i64> {
    Ok(ttl.lease().map_err(Error::invalid)? as i64)
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

    /// `None`: not asked for; `Some(None)`: the key has no TTL.
    pub async fn get(&mut self, keys: &impl Keys, kv: &KeyValue) -> Result<Option<Option<i64>>> {
        if !self.enabled {
            return Ok(None);
        }
        if let Some(ttl) = self.known.get(&kv.lease).filter(|_| kv.lease != 0) {
            return Ok(Some(Some(*ttl)));
        }
        let ttl = keys.ttl_left(kv).await?.map(|t| t.max(0));
        if let (Some(ttl), 1..) = (ttl, kv.lease) {
            self.known.insert(kv.lease, ttl);
        }
        Ok(Some(ttl))
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

impl Changes for SpanWatch<'_> {
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
