//! What the operator's commands print: `compact`, `alarm list` / `alarm
//! disarm` and `defrag`'s report (their `-o json` schemas and text).

use super::cluster::bytes;
use super::{Out, Render, escape};
use crate::client::{Alarm, MemberStatus, Outcome, Sweep};
use serde::Serialize;
use std::io;

/// `compact`.
#[derive(Serialize, Debug)]
pub struct Compacted {
    /// The revision the history was compacted to (every older one is gone);
    /// null when --keep-revisions found nothing to compact.
    pub revision: Option<i64>,
    /// The store's revision when compact asked.
    pub current: i64,
    /// The answer waited until the compaction was applied to the backend.
    pub physical: bool,
    /// `--dry-run`: nothing was compacted.
    pub dry_run: bool,
}

impl Render for Compacted {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let how = if self.physical { " (physical)" } else { "" };
        let verb = if self.dry_run {
            "dry run: would compact"
        } else {
            "compacted"
        };
        match self.revision {
            Some(revision) => out.raw(format!("{verb} to revision {revision}{how}\n").as_bytes()),
            None => out.raw(
                format!(
                    "nothing to compact: the store is at revision {}\n",
                    self.current
                )
                .as_bytes(),
            ),
        }
    }
}

/// One alarm, with the member it is on.
#[derive(Serialize, Debug)]
pub struct AlarmRow {
    /// The member's ID in hex.
    pub member_id: String,
    /// Its name, when the member list names it.
    pub member: String,
    /// "NOSPACE" or "CORRUPT".
    pub alarm: String,
}

impl AlarmRow {
    pub fn new(alarm: &Alarm, names: &[(u64, String)]) -> AlarmRow {
        let name = names.iter().find(|(id, _)| *id == alarm.member_id);
        AlarmRow {
            member_id: format!("{:x}", alarm.member_id),
            member: name.map(|(_, n)| n.clone()).unwrap_or_default(),
            alarm: alarm.alarm.clone(),
        }
    }

    fn line(&self) -> String {
        let who = match self.member.as_str() {
            "" => self.member_id.clone(),
            name => format!("{} ({})", escape(name.as_bytes()), self.member_id),
        };
        format!("{} on {who}\n", self.alarm)
    }
}

/// `alarm list`: the active alarms (an empty array when none).
#[derive(Serialize, Debug)]
#[serde(transparent)]
pub struct Alarms(pub Vec<AlarmRow>);

impl Render for Alarms {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        for row in &self.0 {
            out.raw(row.line().as_bytes())?;
        }
        Ok(())
    }
}

/// `alarm disarm`: what was disarmed.
#[derive(Serialize, Debug)]
pub struct Disarmed {
    /// With `dry_run`: what would be disarmed.
    pub disarmed: Vec<AlarmRow>,
    pub dry_run: bool,
}

impl Render for Disarmed {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        if self.disarmed.is_empty() {
            return out.raw(b"no alarm to disarm\n");
        }
        let verb = if self.dry_run {
            "dry run: would disarm"
        } else {
            "disarmed"
        };
        for row in &self.disarmed {
            out.raw(format!("{verb} {}", row.line()).as_bytes())?;
        }
        Ok(())
    }
}

/// One member in `defrag`'s report.
#[derive(Serialize, Debug)]
pub struct DefragRow {
    /// The member's ID in hex, its name and the URL it was reached at.
    pub id: String,
    pub name: String,
    pub endpoint: String,
    pub leader: bool,
    /// "defragmented", "planned" (--dry-run), "skipped", "failed" or
    /// "not_reached" (the sweep stopped before it).
    pub action: &'static str,
    /// Why it was skipped or failed, or null.
    pub reason: Option<String>,
    /// Database size and size in use, in bytes, as the gate found them and
    /// after defragmentation (null unless defragmented).
    pub db_size_before: i64,
    pub db_size_in_use_before: i64,
    pub db_size_after: Option<i64>,
    pub db_size_in_use_after: Option<i64>,
    /// How long its defragmentation took, in milliseconds.
    pub took_ms: Option<u64>,
}

/// `defrag`.
#[derive(Serialize, Debug)]
pub struct DefragReport {
    pub dry_run: bool,
    /// The revision compacted to first (--compact), or null.
    pub compacted: Option<i64>,
    /// In the order visited: followers first, the leader last.
    pub members: Vec<DefragRow>,
    /// The member whose failure stopped the sweep, or null.
    pub stopped_at: Option<String>,
    /// NOSPACE alarms disarmed (--disarm).
    pub disarmed: Vec<AlarmRow>,
    /// Why NOSPACE was left armed despite --disarm, or null.
    pub kept_armed: Option<String>,
}

impl DefragReport {
    pub fn new(sweep: &Sweep) -> DefragReport {
        let names: Vec<(u64, String)> = sweep
            .visits
            .iter()
            .map(|v| (v.target.id, v.target.name.clone()))
            .collect();
        let members = sweep
            .visits
            .iter()
            .map(|v| {
                let before: &MemberStatus = &v.target.status;
                let (action, reason, after, took) = match &v.outcome {
                    Outcome::Planned => ("planned", None, None, None),
                    Outcome::Skipped(why) => ("skipped", Some(why.clone()), None, None),
                    Outcome::Defragmented { after, took } => (
                        "defragmented",
                        None,
                        Some(after),
                        Some(took.as_millis() as u64),
                    ),
                    Outcome::Failed(why) => ("failed", Some(why.clone()), None, None),
                    Outcome::NotReached => ("not_reached", None, None, None),
                };
                DefragRow {
                    id: format!("{:x}", v.target.id),
                    name: v.target.name.clone(),
                    endpoint: v.target.url.clone(),
                    leader: v.target.leader,
                    action,
                    reason,
                    db_size_before: before.db_size,
                    db_size_in_use_before: before.db_size_in_use,
                    db_size_after: after.map(|a| a.db_size),
                    db_size_in_use_after: after.map(|a| a.db_size_in_use),
                    took_ms: took,
                }
            })
            .collect();
        DefragReport {
            dry_run: sweep.dry_run,
            compacted: sweep.compacted,
            members,
            stopped_at: sweep.stopped_at.clone(),
            disarmed: sweep
                .disarmed
                .iter()
                .map(|a| AlarmRow::new(a, &names))
                .collect(),
            kept_armed: sweep.kept_armed.clone(),
        }
    }
}

impl Render for DefragReport {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let would = if self.dry_run { "would " } else { "" };
        if self.dry_run {
            out.raw(b"dry run: nothing was changed\n")?;
        }
        if let Some(revision) = self.compacted {
            let verb = if self.dry_run { "compact" } else { "compacted" };
            out.raw(format!("{would}{verb} to revision {revision} (physical)\n").as_bytes())?;
        }
        for m in &self.members {
            let role = if m.leader { "leader" } else { "follower" };
            let name = escape(m.name.as_bytes());
            let size = format!(
                "{} (in use {})",
                bytes(m.db_size_before),
                bytes(m.db_size_in_use_before)
            );
            let what = match (m.action, &m.reason) {
                ("defragmented", _) => format!(
                    "defragmented {} -> {} in {:.2}s",
                    bytes(m.db_size_before),
                    bytes(m.db_size_after.unwrap_or_default()),
                    m.took_ms.unwrap_or_default() as f64 / 1000.0
                ),
                ("planned", _) => format!("would defragment, now {size}"),
                ("skipped", Some(why)) => format!("skipped: {why}"),
                ("failed", Some(why)) => format!("FAILED: {}", escape(why.as_bytes())),
                _ => "not reached: the sweep stopped before it".to_string(),
            };
            out.raw(format!("{name} ({role}): {what}\n").as_bytes())?;
        }
        for alarm in &self.disarmed {
            out.raw(format!("disarmed {}", alarm.line()).as_bytes())?;
        }
        if let Some(why) = &self.kept_armed {
            out.raw(format!("NOSPACE left armed: {why}\n").as_bytes())?;
        }
        Ok(())
    }
}

/// `snapshot save`.
#[derive(Serialize, Debug)]
pub struct Saved {
    /// The member it was taken from, and its URL.
    pub member: String,
    pub endpoint: String,
    /// The store's revision just before the stream began (the snapshot holds it).
    pub revision: i64,
    /// Bytes written (etcd's trailing 32-byte SHA-256 included, as etcdctl writes it).
    pub size: u64,
    /// The SHA-256 the snapshot ends with (hex), checked against its content.
    pub sha256: String,
    /// The file written, or null for stdout.
    pub file: Option<String>,
    /// "grpc" or "gateway".
    pub transport: &'static str,
}

impl Saved {
    pub fn new(s: &crate::client::Snapshot, revision: i64, file: Option<String>) -> Saved {
        Saved {
            member: s.member.clone(),
            endpoint: s.url.clone(),
            revision,
            size: s.size,
            sha256: s.sha256.clone(),
            file,
            transport: if s.grpc { "grpc" } else { "gateway" },
        }
    }

    /// One line: what was saved where.
    pub fn summary(&self) -> String {
        format!(
            "snapshot of {} ({}) at revision {}: {} bytes, sha256 {}{}",
            escape(self.member.as_bytes()),
            self.endpoint,
            self.revision,
            self.size,
            self.sha256,
            self.file
                .as_ref()
                .map(|f| format!(", saved to {}", escape(f.as_bytes())))
                .unwrap_or_default()
        )
    }
}

impl Render for Saved {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        out.raw(format!("{}\n", self.summary()).as_bytes())
    }
}

/// `move-leader`.
#[derive(Serialize, Debug)]
pub struct Moved {
    /// The leader before, and the member asked to lead (names).
    pub from: String,
    pub to: String,
    /// false when `to` already led.
    pub moved: bool,
}

impl Render for Moved {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let (from, to) = (escape(self.from.as_bytes()), escape(self.to.as_bytes()));
        match self.moved {
            true => out.raw(format!("leadership moved from {from} to {to}\n").as_bytes()),
            false => out.raw(format!("{to} already leads\n").as_bytes()),
        }
    }
}
