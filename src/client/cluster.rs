//! Cluster calls: the member list (from any endpoint) and a member's own
//! status (asked of that member only), decoded into plain types.

use super::wire::{Header, de_i64, de_u64};
use super::{Client, Retry};
use crate::error::Result;
use serde::Deserialize;

/// One member as the cluster lists it.
#[derive(Debug, Clone, Default)]
pub struct Member {
    pub id: u64,
    /// Empty for a member that has not started yet.
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    pub is_learner: bool,
}

/// What one member says of itself.
#[derive(Debug, Clone, Default)]
pub struct MemberStatus {
    pub member_id: u64,
    pub version: String,
    pub db_size: i64,
    /// 0 when this member knows no leader.
    pub leader: u64,
    pub raft_index: i64,
    pub raft_term: i64,
    /// etcd's own complaints, e.g. "etcdserver: no leader".
    pub errors: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireMember {
    #[serde(rename = "ID", deserialize_with = "de_u64")]
    id: u64,
    name: String,
    #[serde(rename = "peerURLs")]
    peer_urls: Vec<String>,
    #[serde(rename = "clientURLs")]
    client_urls: Vec<String>,
    #[serde(rename = "isLearner")]
    is_learner: bool,
}

#[derive(Deserialize, Default)]
pub(super) struct MemberListResponse {
    /// Required, though unread: etcd always sends one.
    #[allow(dead_code)]
    header: Header,
    #[serde(default)]
    members: Vec<WireMember>,
}

#[derive(Deserialize, Default)]
pub(super) struct StatusResponse {
    /// Required: etcd always sends one.
    header: Header,
    #[serde(default)]
    version: String,
    #[serde(default, rename = "dbSize", deserialize_with = "de_i64")]
    db_size: i64,
    #[serde(default, deserialize_with = "de_u64")]
    leader: u64,
    #[serde(default, rename = "raftIndex", deserialize_with = "de_i64")]
    raft_index: i64,
    #[serde(default, rename = "raftTerm", deserialize_with = "de_i64")]
    raft_term: i64,
    #[serde(default)]
    errors: Vec<String>,
}

#[derive(serde::Serialize)]
struct Empty {}

impl Client {
    /// The cluster's members, sorted by ID, from the first endpoint that answers.
    pub async fn member_list(&self) -> Result<Vec<Member>> {
        let response: MemberListResponse = self
            .call("cluster/member/list", &Empty {}, Retry::Idempotent)
            .await?;
        let mut members: Vec<Member> = response
            .members
            .into_iter()
            .map(|m| Member {
                id: m.id,
                name: m.name,
                peer_urls: m.peer_urls,
                client_urls: m.client_urls,
                is_learner: m.is_learner,
            })
            .collect();
        members.sort_by_key(|m| m.id);
        Ok(members)
    }

    /// Ask the member at `base` (a client URL) for its own status.
    pub async fn status_at(&self, base: &str) -> Result<MemberStatus> {
        let r: StatusResponse = self.call_at(base, "maintenance/status", &Empty {}).await?;
        Ok(MemberStatus {
            member_id: r.header.member_id,
            version: r.version,
            db_size: r.db_size,
            leader: r.leader,
            raft_index: r.raft_index,
            raft_term: r.raft_term,
            errors: r.errors,
        })
    }

    /// The configured endpoints, as base URLs.
    pub fn endpoint_urls(&self) -> &[String] {
        &self.endpoints
    }
}

/// The URL asked and what it answered.
type Answer = (Option<String>, std::result::Result<MemberStatus, String>);

/// One member and what probing it gave.
#[derive(Debug)]
pub struct Probe {
    pub member: Member,
    /// The client URL that answered (or the first tried).
    pub url: Option<String>,
    pub status: std::result::Result<MemberStatus, String>,
}

/// The whole cluster as seen right now: every member, each asked on its own.
#[derive(Debug)]
pub struct ClusterView {
    pub probes: Vec<Probe>,
}

/// Who leads, according to the members that answered.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The member at this index of `probes` leads, and says so itself.
    Leader(usize),
    /// No leader, or no agreement on one; the reason, for a message.
    NoLeader(String),
}

impl Client {
    /// The member list, then every member's status asked of that member,
    /// all at once (each probe bounded by the dial and command timeouts).
    pub async fn cluster_view(&self) -> Result<ClusterView> {
        let members = self.member_list().await?;
        let mut set = tokio::task::JoinSet::new();
        for (index, member) in members.iter().enumerate() {
            let client = self.clone();
            let urls = member.client_urls.clone();
            set.spawn(async move {
                let mut last = Err("it advertises no client URL (not started yet?)".to_string());
                let mut used = None;
                for url in urls {
                    used = Some(url.clone());
                    match client.status_at(&url).await {
                        Ok(status) => return (index, used, Ok(status)),
                        Err(err) => last = Err(err.message),
                    }
                }
                (index, used, last)
            });
        }
        let mut results: Vec<Option<Answer>> = members.iter().map(|_| None).collect();
        while let Some(joined) = set.join_next().await {
            if let Ok((index, url, status)) = joined {
                results[index] = Some((url, status));
            }
        }
        let probes = members
            .into_iter()
            .zip(results)
            .map(|(member, result)| {
                let (url, status) = result.unwrap_or((None, Err("the probe failed".into())));
                Probe {
                    member,
                    url,
                    status,
                }
            })
            .collect();
        Ok(ClusterView { probes })
    }
}

impl ClusterView {
    /// The leader, if the members that answered agree on one that answers
    /// and calls itself leader. With `all`, every member must answer and agree.
    pub fn verdict(&self, all: bool) -> Verdict {
        let answered: Vec<&MemberStatus> = self
            .probes
            .iter()
            .filter_map(|p| p.status.as_ref().ok())
            .collect();
        if all {
            let silent: Vec<String> = self
                .probes
                .iter()
                .filter(|p| p.status.is_err())
                .map(|p| display_name(&p.member))
                .collect();
            if !silent.is_empty() {
                return Verdict::NoLeader(format!(
                    "not every member answers: {} did not",
                    silent.join(", ")
                ));
            }
        }
        let claims: Vec<u64> = answered.iter().map(|s| s.leader).collect();
        let Some(&first) = claims.first() else {
            return Verdict::NoLeader("no member answered".into());
        };
        if first == 0 || claims.contains(&0) {
            let without: Vec<String> = self
                .probes
                .iter()
                .filter(|p| p.status.as_ref().is_ok_and(|s| s.leader == 0))
                .map(|p| display_name(&p.member))
                .collect();
            return Verdict::NoLeader(format!("{} know(s) no leader", without.join(", ")));
        }
        if claims.iter().any(|&c| c != first) {
            let views: Vec<String> = self
                .probes
                .iter()
                .filter_map(|p| {
                    p.status
                        .as_ref()
                        .ok()
                        .map(|s| format!("{} says {:x}", display_name(&p.member), s.leader))
                })
                .collect();
            return Verdict::NoLeader(format!(
                "the members disagree about the leader ({})",
                views.join(", ")
            ));
        }
        let Some(index) = self.probes.iter().position(|p| p.member.id == first) else {
            return Verdict::NoLeader(format!(
                "the reported leader {first:x} is not in the member list"
            ));
        };
        // A member cut off from the others may still name the old leader for a
        // moment: the leader must answer and say so itself.
        match &self.probes[index].status {
            Ok(status) if status.leader == first => {}
            _ => {
                return Verdict::NoLeader(format!(
                    "the reported leader {} does not answer",
                    display_name(&self.probes[index].member)
                ));
            }
        }
        // A leader needs a quorum of voting members behind it.
        let voters = self.probes.iter().filter(|p| !p.member.is_learner).count();
        let agreeing = self
            .probes
            .iter()
            .filter(|p| !p.member.is_learner && p.status.as_ref().is_ok_and(|s| s.leader == first))
            .count();
        if agreeing * 2 <= voters {
            return Verdict::NoLeader(format!(
                "only {agreeing} of {voters} voting members answer: no quorum"
            ));
        }
        Verdict::Leader(index)
    }
}

/// A member's name, or its hex ID before it has one.
pub fn display_name(member: &Member) -> String {
    if member.name.is_empty() {
        format!("{:x}", member.id)
    } else {
        member.name.clone()
    }
}
