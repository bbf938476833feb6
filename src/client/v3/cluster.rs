//! Cluster calls: the member list (from any endpoint) and a member's own
//! status, decoded into plain types; and the view of the whole cluster that
//! `members` and `leader` show, each member found through the configured
//! endpoints (whose status answers name the member behind them) or at the
//! client URLs it advertises, every probe bounded by the dial timeout.

use crate::client::error::{Error, Result};
use crate::client::v3::wire::{self, Header, de_i64, de_u64};
use crate::client::{Client, Retry};
use crate::duration::show;
use serde::Deserialize;
use std::time::Duration;
use tokio::task::JoinSet;

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
    /// Bytes of the database holding live data (3.4+; 0 when not reported).
    pub db_size_in_use: i64,
    pub raft_applied_index: i64,
    /// The member says it is a learner (3.4+; left out when false).
    pub is_learner: bool,
    /// The backend quota in bytes (3.6+: `dbSizeQuota`), if reported.
    pub db_size_quota: Option<i64>,
    /// The storage schema version (3.6+), if reported.
    pub storage_version: Option<String>,
    /// Whether `/readyz` says the member is ready; `None` where the server
    /// has no `/readyz` (3.4, 3.5) or it could not be asked.
    pub ready: Option<bool>,
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
pub(in crate::client) struct MemberListResponse {
    /// Required, though unread: etcd always sends one.
    #[allow(dead_code)]
    header: Header,
    #[serde(default)]
    members: Vec<WireMember>,
}

#[derive(Deserialize, Default)]
pub(in crate::client) struct StatusResponse {
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
    #[serde(default, rename = "dbSizeInUse", deserialize_with = "de_i64")]
    db_size_in_use: i64,
    #[serde(default, rename = "raftAppliedIndex", deserialize_with = "de_i64")]
    raft_applied_index: i64,
    #[serde(default, rename = "isLearner")]
    is_learner: bool,
    #[serde(default, rename = "dbSizeQuota", deserialize_with = "wire::de_i64_opt")]
    db_size_quota: Option<i64>,
    #[serde(default, rename = "storageVersion")]
    storage_version: Option<String>,
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
            db_size_in_use: r.db_size_in_use,
            raft_applied_index: r.raft_applied_index,
            is_learner: r.is_learner,
            db_size_quota: r.db_size_quota.filter(|q| *q > 0),
            storage_version: r.storage_version.filter(|v| !v.is_empty()),
            ready: None,
        })
    }

    /// The configured endpoints, as base URLs.
    pub fn endpoint_urls(&self) -> &[String] {
        &self.endpoints
    }
}

/// One member and what probing it gave.
#[derive(Debug)]
pub struct Probe {
    pub member: Member,
    /// The URL that answered for it (a configured endpoint or one of its client
    /// URLs), or the first of its client URLs tried.
    pub url: Option<String>,
    pub status: std::result::Result<MemberStatus, String>,
}

/// The whole cluster as seen right now: every member, found through the
/// configured endpoints or at the client URLs it advertises.
#[derive(Debug)]
pub struct ClusterView {
    pub probes: Vec<Probe>,
    /// A leader a quorum stands behind, shown by a linearizable read through an
    /// endpoint that named it: for when too few members can be reached (NAT, a
    /// proxy) for their own statuses to show it.
    pub confirmed: Option<Confirmed>,
    /// The cluster's active alarms, or why they could not be listed.
    pub alarms: std::result::Result<Vec<crate::client::Alarm>, String>,
}

/// The leader a linearizable read confirmed, and the raft term it leads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmed {
    pub leader: u64,
    pub raft_term: i64,
}

/// What a member is, as far as can be told from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Leader,
    Follower,
    Learner,
    /// It did not answer, and nobody who did says it leads.
    Unknown,
}

/// Who leads, according to the members that answered.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The member at this index of `probes` leads.
    Leader(usize),
    /// No leader, or no agreement on one; the reason, for a message.
    NoLeader(String),
}

/// What one probe of one URL found.
struct Finding {
    url: String,
    status: std::result::Result<MemberStatus, String>,
    /// The raft term a linearizable read through this URL was answered in, after
    /// its status named a leader (asked of configured endpoints only).
    read_term: Option<i64>,
}

/// The answer to the quorum read: only its header's term matters.
#[derive(Deserialize, Default)]
struct ReadResponse {
    #[serde(default)]
    header: TermHeader,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TermHeader {
    #[serde(deserialize_with = "de_i64")]
    raft_term: i64,
}

/// The key the quorum read counts: any key does, only the read's barrier matters.
const READ_KEY: &[u8] = b"health";

impl Client {
    /// How long one probe of one member may take: the dial timeout (at most
    /// the command timeout), so a member that hangs costs no more than that.
    pub(in crate::client) fn probe_timeout(&self) -> Duration {
        self.dial_timeout.min(self.command_timeout)
    }

    /// The member list and every member's status, all at once: each configured
    /// endpoint is asked for its status (which names the member it is, and the
    /// leader) and, when that names a leader, for a linearizable read; then
    /// each member not found so is asked at its advertised client URLs. Every
    /// probe is bounded by [`Client::probe_timeout`].
    pub async fn cluster_view(&self) -> Result<ClusterView> {
        if self.auth.is_some() {
            // Once, before the probes that would otherwise each authenticate.
            self.token().await?;
        }
        let mut probes = JoinSet::new();
        let mut asked: Vec<String> = Vec::new();
        for url in &self.endpoints {
            self.spawn_probe(&mut probes, url, true);
            asked.push(url.clone());
        }
        let members = self.member_list_hedged().await?;
        for url in members.iter().flat_map(|m| &m.client_urls) {
            let url = url.trim_end_matches('/');
            if !asked.iter().any(|a| a == url) {
                self.spawn_probe(&mut probes, url, false);
                asked.push(url.to_string());
            }
        }
        let mut findings: Vec<Finding> = Vec::new();
        while let Some(joined) = probes.join_next().await {
            if let Ok(finding) = joined {
                findings.push(finding);
            }
            // Every member answered for itself: nothing left to learn.
            let found = |m: &Member| {
                findings
                    .iter()
                    .any(|f| f.status.as_ref().is_ok_and(|s| s.member_id == m.id))
            };
            if members.iter().all(found) {
                break;
            }
        }
        let mut view = ClusterView::from_findings(members, &findings);
        // After the probes, and only when a member answered like etcd: a server that
        // answers everything with an endless body is then read once at a time.
        // Asked of a member that answered, so that a hung endpoint costs nothing more.
        view.alarms = match findings.iter().find(|f| f.status.is_ok()) {
            Some(answered) => {
                let wait = self.probe_timeout();
                match tokio::time::timeout(wait, self.alarms_at(&answered.url)).await {
                    Ok(Ok(alarms)) => Ok(alarms),
                    Ok(Err(error)) => Err(error.message),
                    Err(_) => Err(format!("no answer within {} (--dial-timeout)", show(wait))),
                }
            }
            None => Err("no member answered".into()),
        };
        Ok(view)
    }

    /// Probe `url` in a task of `set`: its status, then (`read`) a linearizable
    /// read if the status names a leader, all within one probe timeout.
    fn spawn_probe(&self, set: &mut JoinSet<Finding>, url: &str, read: bool) {
        let client = self.clone();
        let url = url.to_string();
        let wait = self.probe_timeout();
        set.spawn(async move {
            let deadline = tokio::time::Instant::now() + wait;
            let late = || {
                format!(
                    "{url} gave no answer within {} (--dial-timeout)",
                    show(wait)
                )
            };
            let status = match tokio::time::timeout_at(deadline, client.status_at(&url)).await {
                Ok(Ok(mut status)) => {
                    let ready = tokio::time::timeout_at(deadline, client.readiness_at(&url));
                    status.ready = ready.await.ok().flatten().map(|r| r.is_ok());
                    Ok(status)
                }
                Ok(Err(error)) => Err(error.message),
                Err(_) => Err(late()),
            };
            let read_term = match &status {
                Ok(before) if read && before.leader != 0 => {
                    tokio::time::timeout_at(deadline, client.read_term(&url, before))
                        .await
                        .ok()
                        .flatten()
                }
                _ => None,
            };
            Finding {
                url,
                status,
                read_term,
            }
        });
    }

    /// A linearizable read through `url` (etcd answers it only once the leader
    /// has heard from a quorum): the raft term it was answered in. A user who
    /// may not read the key is refused only after that barrier, so then the
    /// member is asked again whether `before`'s leader and term still hold.
    async fn read_term(&self, url: &str, before: &MemberStatus) -> Option<i64> {
        let request = wire::RangeRequest {
            key: READ_KEY.to_vec(),
            count_only: true,
            ..Default::default()
        };
        match self
            .call_at::<_, ReadResponse>(url, "kv/range", &request)
            .await
        {
            Ok(answer) => Some(answer.header.raft_term),
            Err(error) if error.kind.auth() => {
                let after = self.status_at(url).await.ok()?;
                (after.leader == before.leader).then_some(after.raft_term)
            }
            Err(_) => None,
        }
    }

    /// The member list from the endpoints in turn (as [`Client::member_list`]),
    /// and also from the next endpoint each time the last one asked has not
    /// answered within the probe timeout: a member that hangs delays it by one
    /// probe timeout, not a command timeout. The first list wins; when none
    /// comes, the error of the asking that tried every endpoint in turn.
    async fn member_list_hedged(&self) -> Result<Vec<Member>> {
        let count = self.endpoints.len();
        let first = self.start_index();
        let mut lists = JoinSet::new();
        let ask = |lists: &mut JoinSet<_>, step: usize| {
            let client = self.clone();
            client.set_current((first + step) % count);
            lists.spawn(async move { (step, client.member_list().await) });
        };
        ask(&mut lists, 0);
        let mut asked = 1;
        let mut hedge = tokio::time::Instant::now() + self.probe_timeout();
        loop {
            tokio::select! {
                Some(joined) = lists.join_next() => match joined {
                    Ok((_, Ok(members))) => return Ok(members),
                    Ok((0, Err(error))) => return Err(error),
                    // A later asking failed: the first is still going.
                    Ok(_) => {}
                    Err(error) => {
                        return Err(Error::unexpected(format!("the member list request failed: {error}")));
                    }
                },
                () = tokio::time::sleep_until(hedge), if asked < count => {
                    ask(&mut lists, asked);
                    asked += 1;
                    hedge = tokio::time::Instant::now() + self.probe_timeout();
                }
                else => return Err(Error::unexpected("the member list request failed")),
            }
        }
    }
}

impl ClusterView {
    /// Each member with the status that names it (whichever URL gave it), or
    /// the failure at its own client URLs; and the leader a read confirmed.
    fn from_findings(members: Vec<Member>, findings: &[Finding]) -> ClusterView {
        let probes = members
            .into_iter()
            .map(|member| {
                let answered = findings
                    .iter()
                    .find(|f| f.status.as_ref().is_ok_and(|s| s.member_id == member.id));
                if let Some(f) = answered {
                    return Probe {
                        url: Some(f.url.clone()),
                        status: f.status.clone(),
                        member,
                    };
                }
                let own = member.client_urls.iter().find_map(|url| {
                    let url = url.trim_end_matches('/');
                    findings.iter().find(|f| f.url == url)
                });
                let (url, why) = match own {
                    Some(f) => (
                        Some(f.url.clone()),
                        match &f.status {
                            Err(why) if !why.contains(&f.url) => format!("{}: {why}", f.url),
                            Err(why) => why.clone(),
                            Ok(_) => format!("{} answers for another member", f.url),
                        },
                    ),
                    None => (
                        member.client_urls.first().cloned(),
                        "it advertises no client URL (not started yet?)".to_string(),
                    ),
                };
                Probe {
                    member,
                    url,
                    status: Err(why),
                }
            })
            .collect();
        let confirmed = findings.iter().find_map(|f| {
            let status = f.status.as_ref().ok()?;
            (f.read_term? == status.raft_term).then_some(Confirmed {
                leader: status.leader,
                raft_term: status.raft_term,
            })
        });
        ClusterView {
            probes,
            confirmed,
            alarms: Ok(Vec::new()),
        }
    }

    /// Every member's role: as it says itself, or the leader the verdict names.
    pub fn roles(&self) -> Vec<Role> {
        let verdict = self.verdict(false);
        self.probes
            .iter()
            .enumerate()
            .map(|(index, p)| match &p.status {
                Ok(s) if s.leader != 0 && s.leader == p.member.id => Role::Leader,
                _ if verdict == Verdict::Leader(index) => Role::Leader,
                _ if p.member.is_learner => Role::Learner,
                Ok(_) => Role::Follower,
                Err(_) => Role::Unknown,
            })
            .collect()
    }

    /// The leader's raft term: its own, or the one the read confirmed it in.
    pub fn raft_term(&self, index: usize) -> i64 {
        match (&self.probes[index].status, self.confirmed) {
            (Ok(status), _) => status.raft_term,
            (Err(_), Some(c)) if c.leader == self.probes[index].member.id => c.raft_term,
            _ => 0,
        }
    }
}

impl ClusterView {
    /// The leader, if the members that answered agree on one that answers
    /// and calls itself leader. With `all`, every member must answer and agree.
    pub fn verdict(&self, all: bool) -> Verdict {
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
        let first = match self.named_leader() {
            Ok(first) => first,
            Err(why) => return Verdict::NoLeader(why),
        };
        let Some(index) = self.probes.iter().position(|p| p.member.id == first) else {
            return Verdict::NoLeader(format!(
                "the reported leader {first:x} is not in the member list"
            ));
        };
        // A read through a member that names it showed a quorum behind it, in
        // the term it was named in: though it cannot be reached from here.
        if self.confirmed.is_some_and(|c| c.leader == first) {
            return Verdict::Leader(index);
        }
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

    /// The leader every member that answered names, or why there is none: nobody answered,
    /// some know no leader, or they disagree.
    fn named_leader(&self) -> std::result::Result<u64, String> {
        let answered: Vec<&MemberStatus> = self
            .probes
            .iter()
            .filter_map(|p| p.status.as_ref().ok())
            .collect();
        let claims: Vec<u64> = answered.iter().map(|s| s.leader).collect();
        let Some(&first) = claims.first() else {
            return Err("no member answered".into());
        };
        if first == 0 || claims.contains(&0) {
            let without: Vec<String> = self
                .probes
                .iter()
                .filter(|p| p.status.as_ref().is_ok_and(|s| s.leader == 0))
                .map(|p| display_name(&p.member))
                .collect();
            return Err(format!("{} know(s) no leader", without.join(", ")));
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
            return Err(format!(
                "the members disagree about the leader ({})",
                views.join(", ")
            ));
        }
        Ok(first)
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
