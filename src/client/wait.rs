//! `wait`: until a key (or, with -r, any key of a span) exists, is gone, or holds a value —
//! without the race of "read, then watch from now": the span is read at one revision R and
//! the watch starts at R + 1, so a change made between the read and the watch is the watch's
//! first event. A condition that already holds costs one read and no watch.
//!
//! "Every key of the span is gone" needs the span's state after each delete: v3 reads the
//! span again at the delete's own revision (one request per revision with a delete); v2,
//! which cannot read the past, keeps the set of keys its first read returned (v2 reads the
//! whole subtree anyway) and applies every event to it.

use super::error::Result;
use super::roles::{Awaiting, Snapshot};
use super::{Changes, Client, EventKind, KeyValue, Op, OpResult, RangeSpec, SpanWatch, WatchEvent};
use crate::keys::KeySpan;
use std::collections::BTreeSet;

/// What `wait` waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    /// The key (with -r: any key of the span) exists.
    Exists,
    /// The key (with -r: every key of the span) is gone.
    Deleted,
    /// The key holds exactly this value.
    Value(Vec<u8>),
}

/// The condition held: at which revision, with the key that made it hold (none for deleted).
#[derive(Debug)]
pub struct Reached {
    pub revision: i64,
    pub kv: Option<KeyValue>,
}

/// Wait until `until` holds for `span` (no time limit: the caller bounds it).
pub async fn wait<A: Awaiting>(backend: &A, span: &KeySpan, until: &Until) -> Result<Reached> {
    let snapshot = backend.snapshot(span, 0).await?;
    let revision = snapshot.revision;
    match (until, &snapshot.first) {
        (Until::Deleted, None) => return Ok(Reached { revision, kv: None }),
        (Until::Exists, Some(kv)) => return Ok(reached(revision, kv)),
        (Until::Value(v), Some(kv)) if kv.value == *v => return Ok(reached(revision, kv)),
        _ => {}
    }
    let mut keys: Option<BTreeSet<Vec<u8>>> = snapshot.keys.map(BTreeSet::from_iter);
    let mut changes = backend.changes(span, revision + 1)?;
    loop {
        let Some(batch) = changes.next_within(None).await else {
            continue;
        };
        let mut deleted_at = None;
        for event in batch? {
            let at = event.kv.mod_revision;
            match (until, event.kind) {
                (Until::Exists, EventKind::Put) => return Ok(reached(at, &event.kv)),
                (Until::Value(v), EventKind::Put) if event.kv.value == *v => {
                    return Ok(reached(at, &event.kv));
                }
                (Until::Deleted, EventKind::Delete) if !span.recursive() => {
                    return Ok(Reached {
                        revision: at,
                        kv: None,
                    });
                }
                (Until::Deleted, _) => match keys.as_mut() {
                    Some(keys) => {
                        track(keys, &event);
                        if keys.is_empty() {
                            return Ok(Reached {
                                revision: at,
                                kv: None,
                            });
                        }
                    }
                    None if event.kind == EventKind::Delete => deleted_at = Some(at),
                    None => {}
                },
                _ => {}
            }
        }
        if let Some(at) = deleted_at
            && backend.snapshot(span, at).await?.first.is_none()
        {
            return Ok(Reached {
                revision: at,
                kv: None,
            });
        }
    }
}

fn reached(revision: i64, kv: &KeyValue) -> Reached {
    Reached {
        revision,
        kv: Some(kv.clone()),
    }
}

/// v2's set of keys after one event: a delete takes the key and everything below it (a
/// directory deleted or expired is one event).
fn track(keys: &mut BTreeSet<Vec<u8>>, event: &WatchEvent) {
    let key = &event.kv.key;
    match event.kind {
        EventKind::Put => {
            keys.insert(key.clone());
        }
        EventKind::Delete => {
            let mut dir = key.clone();
            dir.push(b'/');
            keys.remove(key);
            keys.retain(|k| !k.starts_with(&dir));
        }
    }
}

impl Awaiting for Client {
    type Stream<'a> = super::SpanWatch<'a>;

    /// One request: the key; with -r the span's first key, read beside KEY itself in one
    /// read-only transaction when the span is `KEY` and `KEY/…` (two ranges, one revision).
    async fn snapshot(&self, span: &KeySpan, revision: i64) -> Result<Snapshot> {
        let key = RangeSpec {
            revision,
            ..RangeSpec::key(span.key())
        };
        if !span.recursive() {
            let page = self.range(&key).await?;
            let first = page.kvs.into_iter().next();
            return Ok(Snapshot {
                revision: page.revision,
                first,
                keys: None,
            });
        }
        let (start, end) = span.below();
        let below = RangeSpec {
            end: Some(end),
            limit: 1,
            revision,
            ..RangeSpec::key(&start)
        };
        if span.is_dir() || span.key().is_empty() {
            let page = self.range(&below).await?;
            let first = page.kvs.into_iter().next();
            return Ok(Snapshot {
                revision: page.revision,
                first,
                keys: None,
            });
        }
        let outcome = self
            .txn(&[], &[Op::Range(key), Op::Range(below)], &[])
            .await?;
        let first = outcome.results.into_iter().find_map(|r| match r {
            OpResult::Range(page) => page.kvs.into_iter().next(),
            _ => None,
        });
        Ok(Snapshot {
            revision: outcome.revision,
            first,
            keys: None,
        })
    }

    fn changes(&self, span: &KeySpan, revision: i64) -> Result<Self::Stream<'_>> {
        Ok(SpanWatch::new(self, span, revision, false))
    }
}
