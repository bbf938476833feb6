//! `members` and `leader` results: the `-o json` schema and the human table.

use super::{Out, Render, escape};
use crate::client::{ClusterView, Probe, Role, Verdict};
use serde::Serialize;
use std::io;

/// One member in `etcdpy members -o json` (an array of these).
#[derive(Serialize, Debug)]
pub struct MemberRow {
    /// The member ID in hex.
    pub id: String,
    /// Empty for a member that has not started.
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    pub learner: bool,
    /// The member leads: it says so itself, or (when it cannot be reached) the
    /// members that answer name it and a quorum read confirmed it.
    pub leader: bool,
    /// "leader", "follower", "learner", or "unknown" (it did not answer and
    /// nobody says it leads).
    pub role: &'static str,
    /// The member answered its status request, at a configured endpoint or at
    /// one of its client URLs.
    pub reachable: bool,
    /// Why it did not answer, or null.
    pub error: Option<String>,
    pub version: Option<String>,
    pub raft_term: Option<i64>,
    pub raft_index: Option<i64>,
    /// Database size in bytes.
    pub db_size: Option<i64>,
    // Added for the operator (issue 24; 3.6's status, issue 22): each null
    // where the member did not answer or its server does not report it.
    /// Bytes of the database holding live data (etcd 3.4+).
    pub db_size_in_use: Option<i64>,
    /// The share of the database file that is free pages: what a
    /// defragmentation would give back, in percent (one decimal).
    pub fragmented_pct: Option<f64>,
    /// The backend quota in bytes (`--quota-backend-bytes`), where the
    /// server reports it (etcd 3.6+).
    pub quota_bytes: Option<i64>,
    /// Database size as a share of the quota, in percent (one decimal).
    pub quota_used_pct: Option<f64>,
    pub raft_applied_index: Option<i64>,
    /// How many raft entries the member has applied fewer than the leader.
    pub applied_lag: Option<i64>,
    /// The storage schema version (etcd 3.6+).
    pub storage_version: Option<String>,
    /// What the member's `/readyz` says (etcd 3.6+).
    pub ready: Option<bool>,
    /// Active alarms raised by this member ("NOSPACE", "CORRUPT"); empty
    /// when none (or when the alarm list could not be read).
    pub alarms: Vec<String>,
}

fn pct(part: i64, whole: i64) -> f64 {
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

impl MemberRow {
    fn new(
        probe: &Probe,
        role: Role,
        leader_applied: Option<i64>,
        alarms: Vec<String>,
    ) -> MemberRow {
        let m = &probe.member;
        let status = probe.status.as_ref().ok();
        let in_use = status.map(|s| s.db_size_in_use).filter(|n| *n > 0);
        let quota = status.and_then(|s| s.db_size_quota);
        let applied = status.map(|s| s.raft_applied_index).filter(|n| *n > 0);
        MemberRow {
            db_size_in_use: in_use,
            fragmented_pct: status
                .zip(in_use)
                .filter(|(s, _)| s.db_size > 0)
                .map(|(s, used)| pct(s.db_size - used, s.db_size)),
            quota_bytes: quota,
            quota_used_pct: status.zip(quota).map(|(s, q)| pct(s.db_size, q)),
            raft_applied_index: applied,
            applied_lag: applied.zip(leader_applied).map(|(a, l)| (l - a).max(0)),
            storage_version: status.and_then(|s| s.storage_version.clone()),
            ready: status.and_then(|s| s.ready),
            alarms,
            id: format!("{:x}", m.id),
            name: m.name.clone(),
            peer_urls: m.peer_urls.clone(),
            client_urls: m.client_urls.clone(),
            learner: m.is_learner || status.is_some_and(|s| s.is_learner),
            leader: role == Role::Leader,
            role: match role {
                Role::Leader => "leader",
                Role::Follower => "follower",
                Role::Learner => "learner",
                Role::Unknown => "unknown",
            },
            reachable: status.is_some(),
            error: probe.status.as_ref().err().cloned(),
            version: status.map(|s| s.version.clone()),
            raft_term: status.map(|s| s.raft_term),
            raft_index: status.map(|s| s.raft_index),
            db_size: status.map(|s| s.db_size),
        }
    }
}

/// `members`: serialized as a bare JSON array.
#[derive(Serialize, Debug)]
#[serde(transparent)]
pub struct Members(pub Vec<MemberRow>);

impl Members {
    pub fn new(view: &ClusterView) -> Members {
        let roles = view.roles();
        let leader_applied = view
            .probes
            .iter()
            .zip(&roles)
            .find(|(_, role)| **role == Role::Leader)
            .and_then(|(p, _)| p.status.as_ref().ok())
            .map(|s| s.raft_applied_index)
            .filter(|n| *n > 0);
        let alarms = |id: u64| -> Vec<String> {
            let all = view.alarms.as_deref().unwrap_or_default();
            all.iter()
                .filter(|a| a.member_id == id)
                .map(|a| a.alarm.clone())
                .collect()
        };
        let rows = view.probes.iter().zip(roles.iter().copied());
        Members(
            rows.map(|(probe, role)| {
                MemberRow::new(probe, role, leader_applied, alarms(probe.member.id))
            })
            .collect(),
        )
    }

    /// The members that need an operator: an alarm, or no answer. One line.
    pub fn trouble(&self) -> Option<String> {
        let named = |m: &MemberRow| {
            if m.name.is_empty() {
                m.id.clone()
            } else {
                escape(m.name.as_bytes())
            }
        };
        let found: Vec<String> = self
            .0
            .iter()
            .filter_map(|m| match (m.reachable, m.alarms.is_empty()) {
                (true, true) => None,
                (true, false) => Some(format!("{} has alarm {}", named(m), m.alarms.join(","))),
                (false, true) => Some(format!("{} did not answer", named(m))),
                (false, false) => Some(format!(
                    "{} did not answer and has alarm {}",
                    named(m),
                    m.alarms.join(",")
                )),
            })
            .collect();
        (!found.is_empty()).then(|| found.join("; "))
    }
}

impl Render for Members {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let rows: Vec<[String; 15]> = self.0.iter().map(member_row).collect();
        let mut widths: Vec<usize> = MEMBER_HEADER.iter().map(|h| h.len()).collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        out.dim(&table_line(&MEMBER_HEADER, &widths))?;
        for row in &rows {
            out.data(table_line(row, &widths).as_bytes())?;
        }
        for m in self.0.iter().filter(|m| !m.reachable) {
            // The reason may quote what a server sent: shown escaped, on one line.
            let why = escape(m.error.as_deref().unwrap_or("no answer").as_bytes());
            let name = escape(m.name.as_bytes());
            out.raw(format!("{} ({name}) did not answer: {why}\n", m.id).as_bytes())?;
        }
        Ok(())
    }
}

/// The columns of `members`' table.
const MEMBER_HEADER: [&str; 15] = [
    "ID",
    "NAME",
    "ROLE",
    "STATUS",
    "VERSION",
    "TERM",
    "INDEX",
    "DB SIZE",
    "IN USE",
    "FRAG",
    "QUOTA",
    "LAG",
    "ALARMS",
    "CLIENT URLS",
    "PEER URLS",
];

/// One member's cells, under [`MEMBER_HEADER`]; "-" where a value is unknown.
fn member_row(m: &MemberRow) -> [String; 15] {
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    [
        m.id.clone(),
        if m.name.is_empty() {
            "(unstarted)".into()
        } else {
            m.name.clone()
        },
        m.role.into(),
        if m.reachable {
            "up".into()
        } else {
            "no answer".into()
        },
        m.version.clone().unwrap_or_else(|| "-".into()),
        opt(m.raft_term),
        opt(m.raft_index),
        m.db_size.map(bytes).unwrap_or_else(|| "-".into()),
        m.db_size_in_use.map(bytes).unwrap_or_else(|| "-".into()),
        m.fragmented_pct
            .map(|p| format!("{p:.1}%"))
            .unwrap_or_else(|| "-".into()),
        m.quota_used_pct
            .map(|p| format!("{p:.1}%"))
            .unwrap_or_else(|| "-".into()),
        opt(m.applied_lag),
        if m.alarms.is_empty() {
            "-".into()
        } else {
            m.alarms.join(",")
        },
        m.client_urls.join(","),
        m.peer_urls.join(","),
    ]
}

/// One line of the table: each cell padded to its column's width and two spaces, the last
/// one as it is.
fn table_line(cells: &[impl AsRef<str>], widths: &[usize]) -> String {
    let mut text = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        let cell = cell.as_ref();
        if i + 1 == cells.len() {
            text.push_str(cell);
        } else {
            text.push_str(&format!("{cell:<w$}  "));
        }
    }
    text.push('\n');
    text
}

pub fn bytes(n: i64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

/// `leader`.
#[derive(Serialize, Debug)]
pub struct LeaderResult {
    /// The leader's member ID in hex.
    pub id: String,
    pub name: String,
    pub client_urls: Vec<String>,
    pub peer_urls: Vec<String>,
    pub raft_term: i64,
    /// How many members the cluster lists, and how many answered.
    pub members: usize,
    pub answering: usize,
    /// The leader's etcd version, and its storage schema version (etcd 3.6+);
    /// null when it did not answer itself.
    pub version: Option<String>,
    pub storage_version: Option<String>,
}

impl LeaderResult {
    /// `None` unless the view has a leader.
    pub fn new(view: &ClusterView, verdict: &Verdict) -> Option<LeaderResult> {
        let Verdict::Leader(index) = verdict else {
            return None;
        };
        let probe = &view.probes[*index];
        Some(LeaderResult {
            id: format!("{:x}", probe.member.id),
            name: probe.member.name.clone(),
            client_urls: probe.member.client_urls.clone(),
            peer_urls: probe.member.peer_urls.clone(),
            raft_term: view.raft_term(*index),
            members: view.probes.len(),
            answering: view.probes.iter().filter(|p| p.status.is_ok()).count(),
            version: probe.status.as_ref().ok().map(|s| s.version.clone()),
            storage_version: probe
                .status
                .as_ref()
                .ok()
                .and_then(|s| s.storage_version.clone()),
        })
    }
}

impl Render for LeaderResult {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        out.key(self.name.as_bytes())?;
        out.raw(format!(" {}\n", self.client_urls.join(",")).as_bytes())
    }
}
