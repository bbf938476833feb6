//! `migrate --check`: what blocks the upgrade from etcd 3.5 to 3.6, as far as a client sees.

use super::{Out, Render};
use serde::Serialize;
use std::io;

/// What a client cannot see, said every time.
pub const NOT_CHECKED: &str = "each member's data directory: v2 data deleted over the API stays \
in the v2 snapshot files and WAL until a new snapshot is taken; on every member run \
`etcdutl check v2store --data-dir DIR` (etcdutl 3.5.32 or later), and where it finds custom \
content restart that member once with --snapshot-count=1 and check again";

/// The report.
#[derive(Serialize, Debug, Default)]
pub struct UpgradeCheck {
    /// Every member: its name, the client URL asked, and the etcd version it runs (null when
    /// it could not be asked).
    pub members: Vec<MemberVersion>,
    /// One entry per thing that blocks the upgrade.
    pub blockers: Vec<Blocker>,
    /// What a client cannot check (the data directories): always said.
    pub not_checked: &'static str,
}

#[derive(Serialize, Debug)]
pub struct MemberVersion {
    pub name: String,
    pub url: Option<String>,
    pub version: Option<String>,
}

/// One blocker: `kind` is `version` (a member older than 3.5.26), `unreachable` (a member
/// that could not be asked), `v2_enabled` (a member serving the v2 API), `v2_keys` (visible
/// v2 keys or empty directories left) or `v2_hidden` (a hidden directory probed by name).
#[derive(Serialize, Debug)]
pub struct Blocker {
    pub kind: &'static str,
    /// The member it is about (null for the v2 store, which every member shares).
    pub member: Option<String>,
    pub message: String,
}

impl UpgradeCheck {
    pub fn block(&mut self, kind: &'static str, member: Option<&str>, message: String) {
        self.blockers.push(Blocker {
            kind,
            member: member.map(str::to_string),
            message,
        });
    }
}

impl Render for UpgradeCheck {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        for b in &self.blockers {
            out.raw(format!("blocks etcd 3.6: {}\n", b.message).as_bytes())?;
        }
        if self.blockers.is_empty() {
            let versions: Vec<String> = self
                .members
                .iter()
                .map(|m| format!("{} {}", m.name, m.version.as_deref().unwrap_or("?")))
                .collect();
            let line = format!(
                "nothing a client can see blocks etcd 3.6 ({})\n",
                versions.join(", ")
            );
            out.raw(line.as_bytes())?;
        }
        out.raw(format!("not checked: {}\n", self.not_checked).as_bytes())
    }
}
