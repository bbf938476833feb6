//! `diff`'s procedure: one key at two revisions. A negative revision counts back through the
//! key's own changes (-1: as it was before its last change), found in one pass over its
//! history ([`super::History`]); a revision compacted away is refused naming the floor.

use super::error::{Error, Kind, Result};
use super::{Client, KeyValue, Operation, RangeSpec};
use crate::keys::KeySpan;
use std::collections::VecDeque;

/// How far back a negative revision may count (its changes' revisions are kept while reading).
pub const MAX_BACK: i64 = 1_000_000;

/// The key at one revision: `None` when it did not exist then.
#[derive(Debug)]
pub struct Side {
    pub revision: i64,
    pub kv: Option<KeyValue>,
}

/// The two sides of a diff, and the store's revision when it was read.
#[derive(Debug)]
pub struct Compared {
    pub old: Side,
    pub new: Side,
    pub now: i64,
}

impl Client {
    /// `key` at `rev` (negative: that many of its changes back from `rev2`) and at `rev2`
    /// (`None`: now).
    pub async fn compare(&self, key: &[u8], rev: i64, rev2: Option<i64>) -> Result<Compared> {
        let now = self.range(&RangeSpec::key(key)).await?.revision;
        for (name, r) in [("REV", rev), ("REV2", rev2.unwrap_or(now))] {
            if r > now {
                return Err(Error::new(
                    Kind::InvalidInput,
                    format!("{name} {r} is beyond the store's revision now ({now})"),
                ));
            }
        }
        let rev2 = rev2.unwrap_or(now);
        let rev = if rev < 0 {
            self.back(key, -rev, rev2).await?
        } else {
            rev
        };
        let new = self.side(key, rev2).await?;
        let old = self.side(key, rev).await?;
        Ok(Compared { old, new, now })
    }

    /// The key at `revision` (0: before its first change, absent); compacted names the floor.
    async fn side(&self, key: &[u8], revision: i64) -> Result<Side> {
        if revision == 0 {
            return Ok(Side { revision, kv: None });
        }
        let spec = RangeSpec {
            revision,
            ..RangeSpec::key(key)
        };
        match self.range(&spec).await {
            Ok(page) => {
                let kv = page.kvs.into_iter().find(|kv| kv.key == key);
                Ok(Side { revision, kv })
            }
            Err(e) if e.kind == Kind::Compacted => {
                let floor = self.compaction_floor(key).await?;
                Err(Error::new(
                    Kind::Compacted,
                    format!(
                        "revision {revision} was compacted away: the oldest revision etcd keeps is {floor}"
                    ),
                ))
            }
            Err(e) => Err(e),
        }
    }

    /// The revision `back` changes of `key` before its last change at or before `until`.
    async fn back(&self, key: &[u8], back: i64, until: i64) -> Result<i64> {
        if back > MAX_BACK {
            return Err(Error::new(
                Kind::InvalidInput,
                format!("REV -{back} counts back too far: at most -{MAX_BACK}"),
            ));
        }
        let keep = usize::try_from(back)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let span = KeySpan::new(key.to_vec(), false);
        let mut history = self.history(&span, until).await?;
        let mut revisions: VecDeque<i64> = VecDeque::new();
        let mut first = None;
        let mut changes = 0i64;
        while let Some(change) = history.next().await? {
            let revision = match change.operation {
                // Its value at the floor is the one readable there.
                Operation::Held => history.floor,
                _ => change.kv.mod_revision,
            };
            first.get_or_insert((change.operation, revision));
            changes += 1;
            if revisions.len() == keep {
                revisions.pop_front();
            }
            revisions.push_back(revision);
        }
        if revisions.len() == keep {
            return Ok(revisions[0]);
        }
        let Some((operation, revision)) = first else {
            return Err(Error::new(
                Kind::NotFound,
                format!("key not found: {} has no history", crate::text::escape(key)),
            ));
        };
        // Whether the history read begins with the key's creation, nothing compacted before it.
        let whole =
            operation != Operation::Held && (history.floor == 0 || revision > history.floor);
        if whole && changes == back {
            // Before its first change the key did not exist.
            return Ok(revision - 1);
        }
        if !whole {
            return Err(Error::new(
                Kind::Compacted,
                format!(
                    "REV -{back}: etcd holds only {} of the key since the compaction floor {} (it keeps no older ones)",
                    plural(changes),
                    history.floor
                ),
            ));
        }
        Err(Error::new(
            Kind::InvalidInput,
            format!(
                "REV -{back}: the key's history holds only {} (-{} is before it existed)",
                plural(changes),
                changes
            ),
        ))
    }
}

/// "1 change", "2 changes".
fn plural(n: i64) -> String {
    match n {
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    }
}
