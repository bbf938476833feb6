//! The cluster on the v2 API (python-etcd's `members`, `machines` and `leader`):
//! `/v2/members`, and each member's `/v2/stats/self` (its own ID, state and the leader
//! it follows) and `/version`, asked at the configured endpoints first, then at the client
//! URLs the members advertise. The raft term and index come from the `X-Raft-Term` and
//! `X-Raft-Index` headers of a read of the root directory; v2 gives no database size (0).

use super::V2;
use crate::client::error::{Error, Kind, Result};
use crate::client::v3::transport::{decode, read_body};
use crate::client::{ClusterView, Member, MemberStatus, Probe, Retry};
use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Deserialize)]
struct Members {
    #[serde(default)]
    members: Vec<WireMember>,
}

#[derive(Deserialize)]
struct WireMember {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default, rename = "peerURLs")]
    peer_urls: Vec<String>,
    #[serde(default, rename = "clientURLs")]
    client_urls: Vec<String>,
}

#[derive(Deserialize)]
struct SelfStats {
    id: String,
    #[serde(default, rename = "leaderInfo")]
    leader_info: LeaderInfo,
}

#[derive(Deserialize, Default)]
struct LeaderInfo {
    #[serde(default)]
    leader: String,
}

#[derive(Deserialize)]
struct Version {
    #[serde(default)]
    etcdserver: String,
}

fn hex(id: &str) -> u64 {
    u64::from_str_radix(id, 16).unwrap_or(0)
}

impl V2<'_> {
    /// Every member with what it says of itself, as the v3 view has it.
    pub async fn cluster_view(&self) -> Result<ClusterView> {
        let answer = self
            .request(Method::GET, "/members", None, Retry::Idempotent)
            .await?;
        let members: Members = decode(&answer.url, &answer.body)?;
        let mut found: Vec<(String, MemberStatus)> = Vec::new();
        for (base, endpoint) in self.bases.iter().zip(&self.client.endpoints) {
            if let Ok(status) = self.status(base, endpoint).await {
                found.push((endpoint.clone(), status));
            }
        }
        let mut probes = Vec::new();
        for m in members.members {
            let member = Member {
                id: hex(&m.id),
                name: m.name,
                peer_urls: m.peer_urls,
                client_urls: m.client_urls,
                is_learner: false,
            };
            let mut probe = Probe {
                url: member.client_urls.first().cloned(),
                status: Err("not asked".into()),
                member,
            };
            if let Some((url, status)) = found.iter().find(|(_, s)| s.member_id == probe.member.id)
            {
                probe.url = Some(url.clone());
                probe.status = Ok(status.clone());
            } else {
                for url in probe.member.client_urls.clone() {
                    let url = url.trim_end_matches('/').to_string();
                    probe.status = self.status(&format!("{url}/v2"), &url).await;
                    if probe.status.is_ok() {
                        probe.url = Some(url);
                        break;
                    }
                }
            }
            probes.push(probe);
        }
        probes.sort_by_key(|p| p.member.id);
        Ok(ClusterView {
            probes,
            confirmed: None,
            alarms: Ok(Vec::new()),
        })
    }

    /// One member's `stats/self` (under its v2 `base`) and `/version` (at its `root`).
    async fn status(&self, base: &str, root: &str) -> std::result::Result<MemberStatus, String> {
        let stats: SelfStats = self
            .get_json(&format!("{base}/stats/self"))
            .await
            .map_err(|e| e.message)?;
        let version: Version = self
            .get_json(&format!("{root}/version"))
            .await
            .map_err(|e| e.message)?;
        let (raft_term, raft_index) = self.raft(&format!("{base}/keys/")).await;
        Ok(MemberStatus {
            member_id: hex(&stats.id),
            version: version.etcdserver,
            leader: hex(&stats.leader_info.leader),
            raft_term,
            raft_index,
            ..MemberStatus::default()
        })
    }

    /// The raft term and index a member's answer to `url` carries (0s without them).
    async fn raft(&self, url: &str) -> (i64, i64) {
        let timeout = Some(self.client.command_timeout);
        let Ok(response) = self.send(Method::GET, url, None, timeout).await else {
            return (0, 0);
        };
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (header("x-raft-term"), header("x-raft-index"))
    }

    async fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T> {
        let timeout = self.client.command_timeout;
        let response = self
            .send(Method::GET, url, None, Some(timeout))
            .await
            .map_err(|e| {
                Error::new(
                    Kind::Unreachable,
                    format!("{url}: {}", crate::client::v3::transport::root_cause(&e)),
                )
            })?;
        let status = response.status();
        let body = read_body(response, timeout).await?;
        if !status.is_success() {
            return Err(self.refusal(url, status, &body).await);
        }
        decode(url, &body)
    }
}
