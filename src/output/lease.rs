//! What `lease list`, `lease show` and `lease revoke` print: each lease's ID
//! (hex as etcdctl prints it, decimal as the JSON gateway does), TTLs and keys.

use super::{Out, Render, escape};
use crate::client::Lease;
use serde::Serialize;
use std::io;

/// One lease.
#[derive(Serialize, Debug)]
pub struct LeaseRow {
    /// The ID as the JSON gateway gives it (decimal), and in hex as etcdctl prints it (16 digits).
    pub id: String,
    pub id_hex: String,
    /// Seconds granted, and seconds left.
    pub granted_ttl: i64,
    pub ttl: i64,
    /// How many keys are attached to it.
    pub key_count: usize,
    /// The keys (escaped text), with --keys, `show` and `revoke`; else null.
    pub keys: Option<Vec<String>>,
}

impl LeaseRow {
    pub fn new(lease: &Lease, keys: bool) -> LeaseRow {
        LeaseRow {
            id: lease.id.to_string(),
            // etcdctl prints 16 digits (%016x).
            id_hex: format!("{:016x}", lease.id),
            granted_ttl: lease.granted_ttl,
            ttl: lease.ttl,
            key_count: lease.keys.len(),
            keys: keys.then(|| lease.keys.iter().map(|k| escape(k)).collect()),
        }
    }

    fn line(&self) -> String {
        format!(
            "{}  ({})  ttl {}s of {}s  {} key(s)\n",
            self.id_hex, self.id, self.ttl, self.granted_ttl, self.key_count
        )
    }

    fn keys(&self, out: &mut Out) -> io::Result<()> {
        for key in self.keys.iter().flatten() {
            out.raw(format!("  {key}\n").as_bytes())?;
        }
        Ok(())
    }
}

/// `lease list`: an array, sorted by ID.
#[derive(Serialize, Debug)]
#[serde(transparent)]
pub struct Leases(pub Vec<LeaseRow>);

impl Render for Leases {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        for row in &self.0 {
            out.raw(row.line().as_bytes())?;
            row.keys(out)?;
        }
        Ok(())
    }
}

impl Render for LeaseRow {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        out.raw(self.line().as_bytes())?;
        self.keys(out)
    }
}

/// `lease revoke`: the lease and the keys that went with it.
#[derive(Serialize, Debug)]
pub struct Revoked {
    pub revoked: LeaseRow,
    /// `--dry-run`: nothing was revoked; `revoked.keys` would be deleted.
    pub dry_run: bool,
}

impl Render for Revoked {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let verb = if self.dry_run {
            "dry run: would revoke"
        } else {
            "revoked"
        };
        let r = &self.revoked;
        let text = format!(
            "{verb} lease {} ({}), deleting {} key(s)\n",
            r.id_hex, r.id, r.key_count
        );
        out.raw(text.as_bytes())?;
        r.keys(out)
    }
}
