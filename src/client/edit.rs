//! `edit`'s writes: the edited value put back in one transaction guarded by the mod revision
//! read before editing, on the key's own lease; when the guard fails, the key as it is now
//! (changed, or gone) comes back instead, so that nothing is overwritten unseen.

use super::error::Result;
use super::{Client, Compare, Condition, KeyValue, Op, OpResult, RangeSpec};

/// What a guarded write found.
#[derive(Debug)]
pub enum Guarded {
    /// Written at this revision.
    Written(i64),
    /// The key changed since the revision the edit started from: here it is now.
    Changed(KeyValue),
    /// The key no longer exists (deleted, or its lease expired).
    Deleted,
}

impl Client {
    /// Put `value` on `lease` (0: none) if `key`'s mod revision is still `mod_revision`
    /// (0: if the key still does not exist, a re-creation).
    pub async fn put_guarded(
        &self,
        key: &[u8],
        value: Vec<u8>,
        lease: i64,
        mod_revision: i64,
    ) -> Result<Guarded> {
        let compare = Compare {
            key: key.to_vec(),
            condition: Condition::ModRevisionIs(mod_revision),
        };
        let put = Op::Put {
            key: key.to_vec(),
            value: Some(value),
            lease,
            prev: false,
        };
        let outcome = self
            .txn(&[compare], &[put], &[Op::Range(RangeSpec::key(key))])
            .await?;
        if outcome.succeeded {
            return Ok(Guarded::Written(outcome.revision));
        }
        let now = outcome.results.into_iter().find_map(|r| match r {
            OpResult::Range(page) => page.kvs.into_iter().next(),
            _ => None,
        });
        Ok(now.map_or(Guarded::Deleted, Guarded::Changed))
    }

    /// Whether lease `id` still exists (a key re-created on it keeps it).
    pub async fn lease_alive(&self, id: i64) -> Result<bool> {
        Ok(self.lease_time_to_live(id, false).await?.ttl >= 0)
    }
}
