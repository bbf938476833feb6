//! The cluster a watch runs on, as a checkpoint records it: the cluster ID of any answer's header.

use crate::client::Client;
use crate::client::Retry;
use crate::client::error::Result;
use crate::client::v3::wire;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Answer {
    header: IdHeader,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct IdHeader {
    #[serde(deserialize_with = "wire::de_u64")]
    cluster_id: u64,
}

impl Client {
    /// The cluster's ID (one status request, which any authenticated user may make).
    pub async fn cluster_id(&self) -> Result<u64> {
        let request = serde_json::json!({});
        let answer: Answer = self
            .call("maintenance/status", &request, Retry::Idempotent)
            .await?;
        Ok(answer.header.cluster_id)
    }
}
