//! Lease calls: grant, revoke, time-to-live and a single keepalive (the
//! gateway's keepalive stream answers once per request body, so a keepalive
//! is one short POST).

use crate::client::error::{Error, Kind, Result};
use crate::client::v3::wire;
use crate::client::{Client, Retry};
use std::time::Duration;

/// What etcd knows of a lease.
#[derive(Debug, Clone, Default)]
pub struct LeaseInfo {
    /// Seconds left; -1 when the lease does not exist (expired or revoked).
    pub ttl: i64,
    pub granted_ttl: i64,
    pub keys: Vec<Vec<u8>>,
}

impl Client {
    /// Grant a lease of `ttl` seconds; returns its ID and the TTL etcd granted.
    ///
    /// Asked again, like a read, after any failure (a member that forwarded it
    /// to a leader that died answers "request timed out" or "leader changed"):
    /// a lease that may have been granted all the same holds no key and
    /// expires by itself within `ttl`, so asking again cannot do harm.
    pub async fn lease_grant(&self, ttl: i64) -> Result<(i64, i64)> {
        let response: wire::LeaseGrantResponse = self
            .call(
                "lease/grant",
                &wire::LeaseGrantRequest { ttl },
                Retry::Idempotent,
            )
            .await?;
        if !response.error.is_empty() {
            return Err(Error::unexpected(format!(
                "lease grant refused: {}",
                response.error
            )));
        }
        Ok((response.id, response.ttl))
    }

    /// Revoke a lease, deleting every key attached to it. A lease that is
    /// already gone is not an error.
    pub async fn lease_revoke(&self, id: i64) -> Result<()> {
        let request = wire::LeaseIdRequest { id: id.to_string() };
        match self
            .call::<_, wire::Empty>("lease/revoke", &request, Retry::Idempotent)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.kind == Kind::LeaseNotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub async fn lease_time_to_live(&self, id: i64, keys: bool) -> Result<LeaseInfo> {
        let request = wire::LeaseTimeToLiveRequest {
            id: id.to_string(),
            keys,
        };
        let response: wire::LeaseTimeToLiveResponse = self
            .call("lease/timetolive", &request, Retry::Idempotent)
            .await?;
        Ok(LeaseInfo {
            ttl: response.ttl,
            granted_ttl: response.granted_ttl,
            keys: response.keys.into_iter().map(|k| k.0).collect(),
        })
    }

    /// Renew a lease once; returns the TTL it was renewed to, or `None` when
    /// the lease no longer exists.
    pub async fn lease_keepalive(&self, id: i64) -> Result<Option<i64>> {
        let (bytes, url) = self
            .post("lease/keepalive", keepalive_body(id)?, Retry::Idempotent)
            .await?;
        keepalive_answer(&bytes, &url)
    }

    /// [`Client::lease_keepalive`] that gives each endpoint at most `within`
    /// to answer before asking the next (a lock's lease must be renewed
    /// within its TTL even when the member asked first hangs).
    pub async fn lease_keepalive_within(&self, id: i64, within: Duration) -> Result<Option<i64>> {
        let (bytes, url) = self
            .post_within("lease/keepalive", keepalive_body(id)?, within)
            .await?;
        keepalive_answer(&bytes, &url)
    }
}

fn keepalive_body(id: i64) -> Result<Vec<u8>> {
    serde_json::to_vec(&wire::LeaseIdRequest { id: id.to_string() })
        .map_err(|e| Error::unexpected(e.to_string()))
}

/// The keepalive stream's one answer line: the TTL the lease was renewed to,
/// or `None` when the lease no longer exists.
fn keepalive_answer(bytes: &[u8], url: &str) -> Result<Option<i64>> {
    let line = bytes
        .split(|b| *b == b'\n')
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    #[derive(serde::Deserialize)]
    struct Line {
        result: Option<wire::KeepAliveResult>,
    }
    let parsed: Line = serde_json::from_slice(line).map_err(|e| {
        Error::new(
            Kind::Unreachable,
            format!("{url}: unexpected keepalive answer ({e})"),
        )
    })?;
    match parsed.result {
        Some(result) if result.ttl > 0 => Ok(Some(result.ttl)),
        Some(_) => Ok(None),
        None => {
            let body: wire::ErrorBody = serde_json::from_slice(line).map_err(|e| {
                Error::new(
                    Kind::Unreachable,
                    format!("{url}: unexpected keepalive answer ({e})"),
                )
            })?;
            let (code, message) = body.parts().unwrap_or((2, "keepalive failed".into()));
            Err(crate::client::v3::classify::classify(code, &message))
        }
    }
}

impl Client {
    /// Grant a lease of exactly `ttl` seconds. If the server would grant a
    /// longer one (its minimum TTL is higher), the lease is revoked and the
    /// request refused rather than silently lengthened.
    pub async fn grant_exactly(&self, ttl: i64) -> Result<i64> {
        let (id, granted) = self.lease_grant(ttl).await?;
        if granted != ttl {
            let _ = self.lease_revoke(id).await;
            return Err(Error::invalid(format!(
                "the server would grant a TTL of {granted}s instead of {ttl}s (its minimum lease TTL); use --ttl {granted}s or more"
            )));
        }
        Ok(id)
    }
}
