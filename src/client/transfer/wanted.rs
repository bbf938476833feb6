//! What a [`Source`] wants the span to hold ([`Wanted`] keys, in key order), which keys it
//! lacks are deleted ([`Prune`]), and the revisions migrate wrote itself ([`OwnWrites`],
//! [`MIGRATE_WRITES`]), which tell its own earlier writes from a conflict.

use crate::client::error::Result;
use crate::client::{Client, RangeSpec};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Instant;

/// A key as the destination should hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    /// Seconds left, for a key that expires.
    pub ttl: Option<i64>,
    /// The lease to put the key on, alive when the source was read (rollback: the key's lease
    /// at REV); `None`: a lease is granted for `ttl`, as load and migrate do.
    pub lease: Option<i64>,
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
    pub(super) fn add(&self, revision: i64) {
        if let Ok(mut r) = self.revisions.lock() {
            r.insert(revision, true);
        }
    }

    /// Written by this run.
    pub(super) fn has(&self, revision: i64) -> bool {
        self.revisions
            .lock()
            .is_ok_and(|r| r.get(&revision) == Some(&true))
    }

    /// Written by this run or an earlier one: [`MIGRATE_WRITES`] as of `revision` was written
    /// at `revision`. Unknown (compacted, not readable) counts as not.
    pub(super) async fn wrote(&self, client: &Client, revision: i64) -> bool {
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
