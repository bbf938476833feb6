//! The leases an operator looks at: every lease with its TTLs and keys
//! (`lease list`), one lease by ID or by a key attached to it, and revoking
//! one (its keys go with it).

use super::error::{Error, Kind, Result};
use super::v3::wire;
use super::{Client, RangeSpec, Retry};
use serde::Deserialize;
use tokio::task::JoinSet;

/// One lease as etcd reports it.
#[derive(Debug, Clone)]
pub struct Lease {
    pub id: i64,
    pub granted_ttl: i64,
    /// Seconds left (-1: it expired or was revoked while being listed).
    pub ttl: i64,
    pub keys: Vec<Vec<u8>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LeasesResponse {
    leases: Vec<LeaseId>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LeaseId {
    #[serde(rename = "ID", deserialize_with = "wire::de_i64")]
    id: i64,
}

#[derive(serde::Serialize)]
struct NoFields {}

/// How many leases are asked about at once.
const AT_ONCE: usize = 8;

impl Client {
    /// Every lease, sorted by ID, each with its TTLs and keys.
    pub async fn leases(&self) -> Result<Vec<Lease>> {
        let response: LeasesResponse = self
            .call("lease/leases", &NoFields {}, Retry::Idempotent)
            .await?;
        let mut ids: Vec<i64> = response.leases.into_iter().map(|l| l.id).collect();
        let mut found = Vec::with_capacity(ids.len());
        let mut asking = JoinSet::new();
        while !ids.is_empty() || !asking.is_empty() {
            while asking.len() < AT_ONCE
                && let Some(id) = ids.pop()
            {
                let client = self.clone();
                asking.spawn(async move { client.lease(id).await });
            }
            match asking.join_next().await {
                Some(Ok(Ok(Some(lease)))) => found.push(lease),
                // Gone between the listing and the question: not a lease any more.
                Some(Ok(Ok(None))) => {}
                Some(Ok(Err(error))) => return Err(error),
                Some(Err(e)) => {
                    return Err(Error::unexpected(format!("a lease request failed: {e}")));
                }
                None => break,
            }
        }
        found.sort_by_key(|l| l.id);
        Ok(found)
    }

    /// One lease with its keys, sorted (etcd gives them in no order); `None`
    /// when etcd does not know it.
    pub async fn lease(&self, id: i64) -> Result<Option<Lease>> {
        let mut info = self.lease_time_to_live(id, true).await?;
        info.keys.sort();
        Ok((info.ttl >= 0).then_some(Lease {
            id,
            granted_ttl: info.granted_ttl,
            ttl: info.ttl,
            keys: info.keys,
        }))
    }

    /// The lease `key` is attached to: exit-worthy errors when the key does
    /// not exist or holds no lease.
    pub async fn lease_of(&self, key: &[u8]) -> Result<i64> {
        let page = self.range(&RangeSpec::key(key)).await?;
        let kv = page.kvs.first().ok_or_else(|| Error::not_found(key))?;
        match kv.lease {
            0 => Err(Error::new(
                Kind::NotFound,
                format!("{} holds no lease", crate::text::escape(key)),
            )),
            lease => Ok(lease),
        }
    }
}
