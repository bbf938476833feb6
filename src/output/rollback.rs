//! `rollback`'s output: one key's plan (the unified diff from now to REV, what becomes of the
//! lease) and what was written; a prefix's plan (load's counts) and what applying did, with
//! the keys that changed during the rollback and were left alone.

use super::transfer::{AbortedBatch, AppliedReport, Tally};
use super::{Out, Render};
use crate::client::{Applied, Counts, KeyRollback, LeaseFate, PrefixWritten};
use crate::text::escape;
use serde::Serialize;
use std::io;

/// One key: the plan, and the revision written at (null: nothing written).
#[derive(Serialize, Debug)]
pub struct KeyReport {
    pub key: String,
    /// The revision rolled back to.
    pub to: i64,
    /// The revision the key was read at now (the write is guarded by its mod revision then).
    pub read_revision: i64,
    /// "put" (the value of REV), "delete" (the key did not exist at REV) or "none" (it holds
    /// that value already).
    pub action: &'static str,
    /// "none", "kept" (REV's lease, still alive), "expired" (REV's lease is gone: not revived)
    /// or "new" (--ttl).
    pub lease: &'static str,
    /// The lease ID in hex (kept, expired), or null.
    pub lease_id: Option<String>,
    /// The unified diff from the value now to the value at REV.
    pub diff: String,
    /// The revision of the write; null with --dry-run or when nothing was to be written.
    pub written: Option<i64>,
    pub dry_run: bool,
}

impl KeyReport {
    pub fn new(plan: &KeyRollback, diff: String, dry_run: bool) -> KeyReport {
        let action = match (&plan.then, plan.unchanged()) {
            (_, true) => "none",
            (Some(_), false) => "put",
            (None, false) => "delete",
        };
        let (lease, lease_id) = match plan.lease {
            LeaseFate::None => ("none", None),
            LeaseFate::Kept(id) => ("kept", Some(format!("{id:x}"))),
            LeaseFate::Expired(id) => ("expired", Some(format!("{id:x}"))),
            LeaseFate::New(_) => ("new", None),
        };
        KeyReport {
            key: escape(&plan.key),
            to: plan.to,
            read_revision: plan.revision,
            action,
            lease,
            lease_id,
            diff,
            written: None,
            dry_run,
        }
    }

    /// The plan in text: the diff and what happens to the lease (shown before asking).
    pub fn plan(&self, out: &mut Out) -> io::Result<()> {
        if self.action == "none" {
            let line = format!(
                "{} already holds its value of revision {}: nothing to roll back\n",
                self.key, self.to
            );
            return out.raw(line.as_bytes());
        }
        out.raw(self.diff.as_bytes())?;
        let lease = match (self.lease, &self.lease_id) {
            ("kept", Some(id)) => format!(
                "lease: kept ({id}, the key's lease at revision {}, still alive)\n",
                self.to
            ),
            ("expired", Some(id)) => format!(
                "lease: {id}, the key's lease at revision {}, has expired and is not revived: written without a lease (--ttl gives a new one)\n",
                self.to
            ),
            ("new", _) => "lease: a new one (--ttl)\n".to_string(),
            _ if self.action == "delete" => format!(
                "the key did not exist at revision {}: it is deleted\n",
                self.to
            ),
            _ => "lease: none\n".to_string(),
        };
        out.raw(lease.as_bytes())
    }
}

impl Render for KeyReport {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        match self.written {
            Some(rev) => out.raw(
                format!(
                    "rolled back {} to its value at revision {} (written at revision {rev})\n",
                    self.key, self.to
                )
                .as_bytes(),
            ),
            None if self.dry_run && self.action != "none" => out.raw(b"dry run: nothing written\n"),
            None => Ok(()),
        }
    }
}

/// A prefix: the plan (load's counts) and what applying it did.
#[derive(Serialize, Debug)]
pub struct PrefixReport {
    pub prefix: String,
    pub to: i64,
    /// Keys the subtree held at REV.
    pub keys: u64,
    /// Keys whose lease at REV has expired since (restored without one).
    pub expired_leases: u64,
    /// The revision the plan was read at; every batch is guarded by it.
    pub plan_revision: i64,
    pub plan: Tally,
    /// Null with --dry-run or when there was nothing to do.
    pub applied: Option<AppliedReport>,
    /// Keys changed during the rollback: left as they are (escaped text).
    pub changed: Vec<String>,
}

impl PrefixReport {
    pub fn new(prefix: &[u8], to: i64, keys: (u64, u64), plan: (&Counts, i64)) -> PrefixReport {
        PrefixReport {
            prefix: escape(prefix),
            to,
            keys: keys.0,
            expired_leases: keys.1,
            plan_revision: plan.1,
            plan: plan.0.into(),
            applied: None,
            changed: Vec::new(),
        }
    }

    pub fn applied(&mut self, written: &PrefixWritten) {
        let a: &Applied = &written.applied;
        self.applied = Some(AppliedReport {
            done: (&a.done).into(),
            transactions: a.batches,
            leases: a.leases,
            revision: a.revision,
            aborted: a.aborted.iter().map(AbortedBatch::from).collect(),
        });
        self.changed = written.changed.iter().map(|k| escape(k)).collect();
    }

    /// The plan in text (shown before asking).
    pub fn plan(&self, out: &mut Out) -> io::Result<()> {
        let p = &self.plan;
        let mut text = format!(
            "plan: {} back to revision {} (read at revision {}): {} to create, {} to update, {} unchanged, {} to delete\n",
            self.prefix, self.to, self.plan_revision, p.create, p.update, p.unchanged, p.delete
        );
        if self.expired_leases > 0 {
            text += &format!(
                "{} keys had a lease at revision {} that has expired since: restored without a lease\n",
                self.expired_leases, self.to
            );
        }
        out.raw(text.as_bytes())
    }
}

impl Render for PrefixReport {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let Some(a) = &self.applied else {
            return match self.plan.create + self.plan.update + self.plan.delete {
                0 => out.raw(b"nothing to roll back\n"),
                _ => out.raw(b"dry run: nothing written\n"),
            };
        };
        let d = &a.done;
        out.raw(
            format!(
                "rolled back: {} created, {} updated, {} deleted in {} transactions; revision {}\n",
                d.create, d.update, d.delete, a.transactions, a.revision
            )
            .as_bytes(),
        )?;
        for key in &self.changed {
            out.raw(format!("not rolled back (changed during the rollback): {key}\n").as_bytes())?;
        }
        Ok(())
    }
}
