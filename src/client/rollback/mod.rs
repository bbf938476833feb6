//! `rollback`: a key ([`KeyRollback`]) or a whole prefix ([`PrefixRollback`]) brought back to
//! what it held at a past revision, as new revisions, never over a change made meanwhile;
//! and where a compacted history starts ([`compaction_floor`], also for `dump --rev`).
//!
//! - `key.rs`: one key, read at REV and now, written back in one transaction guarded by its
//!   current mod revision; its lease kept when still alive (or a new one, `--ttl`);
//! - `prefix.rs`: the subtree at REV as load's [`super::Source`] (spooled, read page by page),
//!   planned and applied by load's engine ([`super::Transfer`]), batches that a concurrent
//!   change aborted applied again without the keys that changed;
//! - `spool.rs`: the subtree at REV in a temporary file, read back in key order.

mod key;
mod prefix;
mod spool;

pub use key::{KeyRollback, LeaseFate};
pub use prefix::{PrefixRollback, PrefixWritten};

use crate::client::error::{Error, Kind, Result};
use crate::client::{Changes, Client, RangeSpec, Watching};
use crate::keys::KeySpan;
use std::time::Duration;

/// The oldest revision etcd still holds, when `revision` is older (read from the answer of a
/// watch that starts at `revision` on `span`: etcd names its compaction floor there).
pub async fn compaction_floor(
    watching: &impl Watching,
    span: &KeySpan,
    revision: i64,
) -> Option<i64> {
    let mut watch = watching.watch(span, revision, false).ok()?;
    match watch.next_within(Some(Duration::from_secs(5))).await {
        Some(Err(e)) if e.kind == Kind::Compacted => {
            e.message.rsplit(' ').next().and_then(|n| n.parse().ok())
        }
        _ => None,
    }
}

/// A compacted `revision`'s error, naming the floor when etcd tells it.
pub async fn compacted(watching: &impl Watching, span: &KeySpan, revision: i64) -> Error {
    let message = match compaction_floor(watching, span, revision).await {
        Some(floor) => format!(
            "revision {revision} has been compacted away; the oldest revision still available is {floor}"
        ),
        None => format!("revision {revision} has been compacted away"),
    };
    Error::new(Kind::Compacted, message)
}

/// Check that `revision` is a past revision that etcd can still read for `key`: the current
/// revision (the header of a read of `key` now) when it is.
async fn check_revision(client: &Client, span: &KeySpan, revision: i64) -> Result<i64> {
    // The span's first key ("" -r, the whole keyspace, starts at \0: etcd refuses an empty key).
    let (key, _) = span.covering();
    let now = client
        .range(&RangeSpec {
            keys_only: true,
            limit: 1,
            ..RangeSpec::key(&key)
        })
        .await?
        .revision;
    if revision > now {
        return Err(Error::invalid(format!(
            "revision {revision} is beyond the current revision {now}"
        )));
    }
    let probe = RangeSpec {
        revision,
        keys_only: true,
        limit: 1,
        ..RangeSpec::key(&key)
    };
    match client.range(&probe).await {
        Err(e) if e.kind == Kind::Compacted => Err(compacted(client, span, revision).await),
        Err(e) => Err(e),
        Ok(_) => Ok(now),
    }
}
