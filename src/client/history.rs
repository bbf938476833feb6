//! `history`'s procedure: every revision etcd still holds for a key (or a span), oldest first, in
//! one pass. The compaction floor (the revision etcd compacted to, below which it keeps only each
//! key's last value) is found from a watch refused as compacted; the values held from before
//! the floor come first (read at the floor in the order they were written), then one watch from the floor up to the store's revision when
//! the history was asked for ("now"), streamed a message at a time.
//!
//! Where the past ends: a watch of the past goes quiet when it catches up, it does not say so.
//! The end is known (1) from an event at or after now; (2) for a single key that exists now,
//! from its mod revision; (3) from a message of etcd's catch-up that held fewer than 1,000
//! revisions (etcd sends a watch's past in batches of at most 1,000 revisions, each sent at the
//! store's revision then: a smaller batch is the last of what was past when it was sent); and
//! otherwise (nothing changed since the floor, or a last batch of exactly 1,000) (4) from
//! [`QUIET`] of silence after which the store shows nothing more owed.

use super::error::{Error, Kind, Result};
use super::v3::wire;
use super::{Client, EventKind, KeyValue, RangeSpec, Retry, Watch, WatchEvent, WatchSpec};
use crate::keys::KeySpan;
use std::collections::VecDeque;
use std::time::Duration;

/// How long a watch of the past may be silent before the store is asked whether it owes more.
const QUIET: Duration = Duration::from_millis(700);
/// etcd's `watchBatchMaxRevs`: the most revisions one message of a watch's past holds.
const BATCH_REVISIONS: usize = 1000;
/// How many held values (from before the floor) one read asks for.
const HELD_PAGE: i64 = 1000;

/// What a change did to its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A put that started a generation (version 1): the key was new, or re-created.
    Created,
    Updated,
    Deleted,
    /// The value a key held at the floor, written before it (its earlier revisions are gone).
    Held,
}

/// One revision of a key.
#[derive(Debug, Clone)]
pub struct Revision {
    pub operation: Operation,
    /// For a delete: the key and the revision only.
    pub kv: KeyValue,
}

impl Revision {
    fn from_event(event: WatchEvent) -> Revision {
        let operation = match event.kind {
            EventKind::Delete => Operation::Deleted,
            EventKind::Put if event.kv.version == 1 => Operation::Created,
            EventKind::Put => Operation::Updated,
        };
        Revision {
            operation,
            kv: event.kv,
        }
    }
}

/// A span's history, read as a stream: [`History::next`] until `None`.
pub struct History<'a> {
    client: &'a Client,
    span: KeySpan,
    /// The store's revision when the history was asked for: the last one read.
    pub now: i64,
    /// The revision etcd compacted to (0: never compacted).
    pub floor: i64,
    /// A single key's mod revision now (0: it does not exist, or a span).
    last: i64,
    /// What is read ahead (one watch message, or one page of held values, at most).
    ready: VecDeque<Revision>,
    /// The values held from before the floor still to read: from this mod revision on.
    held_from: Option<i64>,
    watch: Watch<'a>,
    /// The last revision handed out (or before the watch's start).
    delivered: i64,
    done: bool,
}

impl Client {
    /// The history of `span` from the compaction floor up to `until` (0: now).
    pub async fn history(&self, span: &KeySpan, until: i64) -> Result<History<'_>> {
        let (key, end) = span.covering();
        let at = self.range(&head(&key, &end, until)).await?;
        let now = if until == 0 { at.revision } else { until };
        let own = at
            .kvs
            .first()
            .filter(|kv| !span.recursive() && kv.key == key);
        let last = own.map_or(0, |kv| kv.mod_revision);
        let floor = self.compaction_floor(&key).await?;
        let start = floor.max(1);
        let watch = self.watch(WatchSpec {
            key,
            end,
            start_revision: start,
            ..Default::default()
        });
        Ok(History {
            client: self,
            span: span.clone(),
            now,
            floor,
            last,
            ready: VecDeque::new(),
            held_from: (floor > 1).then_some(1),
            watch,
            delivered: start - 1,
            // Nothing changed since the floor: the key's last change is older.
            done: last != 0 && last < start,
        })
    }

    /// The revision etcd compacted to, 0 if it never did: revision 1 read, and when that is
    /// compacted away, a watch from revision 1 (refused naming the revision).
    pub async fn compaction_floor(&self, key: &[u8]) -> Result<i64> {
        let first = RangeSpec {
            revision: 1,
            keys_only: true,
            limit: 1,
            ..RangeSpec::key(key)
        };
        match self.range(&first).await {
            Ok(_) => return Ok(0),
            Err(e) if e.kind == Kind::Compacted => {}
            Err(e) => return Err(e),
        }
        let mut watch = self.watch(WatchSpec {
            key: key.to_vec(),
            start_revision: 1,
            ..Default::default()
        });
        match watch.next().await {
            Err(e) if e.kind == Kind::Compacted && watch.compacted() > 0 => Ok(watch.compacted()),
            Err(e) => Err(e),
            Ok(_) => Err(Error::unexpected(
                "etcd refused revision 1 as compacted but replayed it to a watch",
            )),
        }
    }
}

/// The first read: the key itself (or the span's first key) now, or at `until`.
fn head(key: &[u8], end: &Option<Vec<u8>>, until: i64) -> RangeSpec {
    RangeSpec {
        key: key.to_vec(),
        end: end.clone(),
        limit: 1,
        revision: until,
        keys_only: true,
    }
}

fn compacted_meanwhile(error: Error, floor: i64) -> Error {
    match error.kind {
        Kind::Compacted => error.context(format!(
            "etcd compacted past revision {floor} while the history was read; run it again"
        )),
        _ => error,
    }
}

impl History<'_> {
    /// The next revision, oldest first; `None` after the last one up to now.
    pub async fn next(&mut self) -> Result<Option<Revision>> {
        loop {
            if let Some(revision) = self.ready.pop_front() {
                return Ok(Some(revision));
            }
            if let Some(from) = self.held_from {
                self.held_from = self.held_page(from).await?;
                continue;
            }
            if self.done || self.delivered >= self.now {
                return Ok(None);
            }
            let events = match tokio::time::timeout(QUIET, self.watch.next()).await {
                Ok(events) => events.map_err(|e| compacted_meanwhile(e, self.floor))?,
                Err(_) => {
                    self.done = !self.owed().await?;
                    continue;
                }
            };
            for event in events {
                let revision = event.kv.mod_revision;
                if revision > self.now {
                    self.done = true;
                    break;
                }
                self.delivered = revision;
                if self.span.contains(&event.kv.key) {
                    self.ready.push_back(Revision::from_event(event));
                }
            }
            let (sent_at, revisions) = self.watch.last_round();
            let caught_up = sent_at >= self.now && revisions < BATCH_REVISIONS;
            let own_last = self.last != 0 && self.delivered >= self.last;
            self.done |= caught_up || own_last;
        }
    }

    /// The next page of the values held from before the floor (each key's last write before
    /// it), in the order they were written, from mod revision `from`: keys read at the floor
    /// sorted by mod revision, a page at a time; the keys of a page's last revision read whole,
    /// so that the next page starts after it. The next `from`, `None` after the last page.
    async fn held_page(&mut self, from: i64) -> Result<Option<i64>> {
        let (key, end) = self.span.covering();
        let request = |min: i64, max: i64, limit: i64| wire::RangeRequest {
            key: key.clone(),
            range_end: end.clone(),
            revision: self.floor,
            limit,
            min_mod_revision: min,
            max_mod_revision: max,
            sort_order: 1,
            sort_target: 3,
            ..Default::default()
        };
        let read = async |request: wire::RangeRequest| {
            let answer = self.client.range_wire(&request).await;
            answer.map_err(|e| compacted_meanwhile(e, self.floor))
        };
        let page = read(request(from, self.floor - 1, HELD_PAGE)).await?;
        let mut kvs: Vec<KeyValue> = page.kvs.into_iter().map(KeyValue::from).collect();
        let next = match (page.more, kvs.last().map(|kv| kv.mod_revision)) {
            (true, Some(last)) => {
                kvs.retain(|kv| kv.mod_revision < last);
                let same = read(request(last, last, 0)).await?.kvs;
                kvs.extend(same.into_iter().map(KeyValue::from));
                Some(last + 1)
            }
            _ => None,
        };
        let held = kvs.into_iter().filter(|kv| self.span.contains(&kv.key));
        self.ready.extend(held.map(|kv| Revision {
            operation: Operation::Held,
            kv,
        }));
        Ok(next)
    }

    /// After [`QUIET`]: whether the store shows a change of the span after the last revision
    /// handed out, up to now: a key changed since (as it is now), or fewer keys than then.
    async fn owed(&self) -> Result<bool> {
        let (key, end) = self.span.covering();
        let changed = wire::RangeRequest {
            key: key.clone(),
            range_end: end.clone(),
            revision: self.now,
            keys_only: true,
            limit: 1,
            min_mod_revision: self.delivered + 1,
            ..Default::default()
        };
        if !self.client.range_wire(&changed).await?.kvs.is_empty() {
            return Ok(true);
        }
        let count = |revision| wire::RangeRequest {
            key: key.clone(),
            range_end: end.clone(),
            revision,
            count_only: true,
            ..Default::default()
        };
        let then = self.delivered.max(self.floor).max(1);
        let before = self.client.range_wire(&count(then)).await?.count;
        let after = self.client.range_wire(&count(self.now)).await?.count;
        Ok(before != after)
    }
}

impl Client {
    async fn range_wire(&self, request: &wire::RangeRequest) -> Result<wire::RangeResponse> {
        let answer = self.call("kv/range", request, Retry::Idempotent).await;
        answer.map_err(|e| self.on_key(e, &request.key, "read"))
    }
}
