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
}

impl MemberRow {
    fn new(probe: &Probe, role: Role) -> MemberRow {
        let m = &probe.member;
        let status = probe.status.as_ref().ok();
        MemberRow {
            id: format!("{:x}", m.id),
            name: m.name.clone(),
            peer_urls: m.peer_urls.clone(),
            client_urls: m.client_urls.clone(),
            learner: m.is_learner,
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
        let rows = view.probes.iter().zip(view.roles());
        Members(
            rows.map(|(probe, role)| MemberRow::new(probe, role))
                .collect(),
        )
    }
}

impl Render for Members {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let header = [
            "ID",
            "NAME",
            "ROLE",
            "STATUS",
            "VERSION",
            "TERM",
            "INDEX",
            "DB SIZE",
            "CLIENT URLS",
            "PEER URLS",
        ];
        let rows: Vec<[String; 10]> = self
            .0
            .iter()
            .map(|m| {
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
                    m.client_urls.join(","),
                    m.peer_urls.join(","),
                ]
            })
            .collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut text = String::new();
            for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                if i + 1 == cells.len() {
                    text.push_str(cell);
                } else {
                    text.push_str(&format!("{cell:<w$}  "));
                }
            }
            text.push('\n');
            text
        };
        out.dim(&line(header.to_vec()))?;
        for row in &rows {
            out.data(line(row.iter().map(String::as_str).collect()).as_bytes())?;
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

fn bytes(n: i64) -> String {
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
        })
    }
}

impl Render for LeaderResult {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        out.key(self.name.as_bytes())?;
        out.raw(format!(" {}\n", self.client_urls.join(",")).as_bytes())
    }
}
