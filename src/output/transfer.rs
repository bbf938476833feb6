//! `dump`'s NDJSON (a header line, one key per line in `get -o json`'s fields plus `ttl`, and
//! the end line with the key count and the SHA-256 of every byte before it), `load`'s plan and
//! report, and the progress line they show on a terminal.

use super::schema::{Kv, text};
use super::{Out, Render, json};
use crate::client::{Aborted, Action, Applied, Counts, Followed, KeyValue, V2Tree};
use crate::error::Result;
use crate::text::escape;
use serde::Serialize;
use std::io::{self, Write};

/// The dump's first line.
#[derive(Serialize)]
struct Header<'a> {
    dump: &'static str,
    /// "v3", or "v2" for `--api v2` (revisions are then v2 indexes).
    api: &'a str,
    prefix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix_encoding: Option<&'static str>,
    /// The revision every key was read at.
    revision: i64,
}

/// The dump's last line, written only after every key was read: how many key lines came
/// before it and the SHA-256 (hex) of every byte before it, header included. A file without it
/// was cut off (or not made by dump), and `load` refuses it.
#[derive(Serialize)]
struct Trailer {
    end: &'static str,
    keys: u64,
    sha256: String,
}

/// `dump`, written line by line as pages arrive.
pub struct Dump {
    api: &'static str,
    prefix: Vec<u8>,
    started: bool,
    pub keys: u64,
    digest: ring::digest::Context,
}

impl Dump {
    pub fn new(api: &'static str, prefix: &[u8]) -> Dump {
        Dump {
            api,
            prefix: prefix.to_vec(),
            started: false,
            keys: 0,
            digest: ring::digest::Context::new(&ring::digest::SHA256),
        }
    }

    /// A line of the dump, counted in its checksum.
    fn line(&mut self, out: &mut Out, bytes: &[u8]) -> Result<()> {
        self.digest.update(bytes);
        out.raw(bytes)?;
        Ok(())
    }

    /// The header, once, with the revision the keys are read at.
    pub fn begin(&mut self, out: &mut Out, revision: i64) -> Result<()> {
        if !self.started {
            let (prefix, prefix_encoding) = text(&self.prefix);
            let header = Header {
                dump: "etcdpy",
                api: self.api,
                prefix,
                prefix_encoding,
                revision,
            };
            let mut bytes = Vec::new();
            json(&mut bytes, &header)?;
            bytes.push(b'\n');
            self.line(out, &bytes)?;
            self.started = true;
        }
        Ok(())
    }

    /// One key; `ttl`: its seconds left, or `None` without a TTL.
    pub fn kv(&mut self, out: &mut Out, kv: &KeyValue, ttl: Option<i64>) -> Result<()> {
        let mut bytes = Vec::new();
        json(&mut bytes, &Kv::new(kv, false, Some(ttl)))?;
        bytes.push(b'\n');
        self.line(out, &bytes)?;
        self.keys += 1;
        if self.keys.is_multiple_of(1000) {
            progress(out, &format!("dumped {} keys", self.keys));
        }
        Ok(())
    }

    /// The end line: call only once every key was read and written.
    pub fn end(mut self, out: &mut Out, revision: i64) -> Result<()> {
        self.begin(out, revision)?;
        let sum = self.digest.finish();
        let trailer = Trailer {
            end: "etcdpy",
            keys: self.keys,
            sha256: sum.as_ref().iter().map(|b| format!("{b:02x}")).collect(),
        };
        let mut bytes = Vec::new();
        json(&mut bytes, &trailer)?;
        bytes.push(b'\n');
        out.raw(&bytes)?;
        progress_done(out);
        out.flush()
    }
}

/// "KEYS keys done" over itself on stderr, only when stderr is a terminal.
pub fn progress(out: &Out, line: &str) {
    if out.stderr_tty() {
        let _ = write!(io::stderr(), "\r\x1b[2K{line}");
    }
}

/// `migrate --follow`'s progress line.
pub fn follow_progress(out: &Out, f: &Followed) {
    let line = format!(
        "following v2: {} changes, {} keys written",
        f.events, f.written
    );
    progress(out, &line);
}

/// The progress line cleared.
pub fn progress_done(out: &Out) {
    if out.stderr_tty() {
        let _ = write!(io::stderr(), "\r\x1b[2K");
    }
}

/// One key of a plan, with `-v`: `create KEY`.
pub fn step(out: &mut Out, action: Action, key: &[u8]) -> io::Result<()> {
    if out.json {
        return Ok(());
    }
    out.raw(format!("{:<9} ", word(action)).as_bytes())?;
    out.key(key)?;
    out.raw(b"\n")
}

fn word(action: Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Update => "update",
        Action::Unchanged => "unchanged",
        Action::Delete => "delete",
        Action::Conflict => "conflict",
    }
}

/// Keys per action.
#[derive(Serialize, Debug)]
pub struct Tally {
    pub create: u64,
    pub update: u64,
    pub unchanged: u64,
    pub delete: u64,
    /// Not written: changed in v3 since the last migrate (migrate without --overwrite).
    pub conflict: u64,
}

impl From<&Counts> for Tally {
    fn from(c: &Counts) -> Tally {
        Tally {
            create: c.create,
            update: c.update,
            unchanged: c.unchanged,
            delete: c.delete,
            conflict: c.conflict,
        }
    }
}

/// A batch not written: its first and last keys, its size, the keys that had changed
/// (keys as text, escaped).
#[derive(Serialize, Debug)]
pub struct AbortedBatch {
    pub first: String,
    pub last: String,
    pub keys: u64,
    pub changed: Vec<String>,
}

impl From<&Aborted> for AbortedBatch {
    fn from(a: &Aborted) -> AbortedBatch {
        AbortedBatch {
            first: escape(&a.first),
            last: escape(&a.last),
            keys: a.keys,
            changed: a.changed.iter().map(|k| escape(k)).collect(),
        }
    }
}

/// `load` (and `migrate`): the plan, and what applying it did (null with --dry-run).
#[derive(Serialize, Debug)]
pub struct LoadReport {
    /// Keys in the source.
    pub keys: u64,
    /// The revision the plan was read at; every batch is guarded by it.
    pub plan_revision: i64,
    pub plan: Tally,
    pub applied: Option<AppliedReport>,
}

#[derive(Serialize, Debug)]
pub struct AppliedReport {
    pub done: Tally,
    pub transactions: u64,
    pub leases: u64,
    /// The revision after the last write (the plan's when nothing was written).
    pub revision: i64,
    pub aborted: Vec<AbortedBatch>,
}

impl LoadReport {
    pub fn new(keys: u64, plan_revision: i64, plan: &Counts, applied: Option<&Applied>) -> Self {
        LoadReport {
            keys,
            plan_revision,
            plan: plan.into(),
            applied: applied.map(|a| AppliedReport {
                done: (&a.done).into(),
                transactions: a.batches,
                leases: a.leases,
                revision: a.revision,
                aborted: a.aborted.iter().map(AbortedBatch::from).collect(),
            }),
        }
    }
}

impl Render for LoadReport {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let p = &self.plan;
        out.raw(
            format!(
                "plan (revision {}): {} to create, {} to update, {} unchanged, {} to delete ({} keys wanted)\n",
                self.plan_revision, p.create, p.update, p.unchanged, p.delete, self.keys
            )
            .as_bytes(),
        )?;
        let Some(a) = &self.applied else {
            return out.raw(b"dry run: nothing written\n");
        };
        let d = &a.done;
        out.raw(
            format!(
                "applied: {} created, {} updated, {} deleted in {} transactions ({} leases); revision {}\n",
                d.create, d.update, d.delete, a.transactions, a.leases, a.revision
            )
            .as_bytes(),
        )?;
        for b in &a.aborted {
            out.raw(
                format!(
                    "aborted: {} keys from {} to {}, changed after the plan: {}\n",
                    b.keys,
                    b.first,
                    b.last,
                    b.changed.join(", ")
                )
                .as_bytes(),
            )?;
        }
        Ok(())
    }
}

/// `migrate`: load's report, plus what v3 cannot hold or was left out, and the verification.
#[derive(Serialize, Debug)]
pub struct MigrateReport {
    #[serde(flatten)]
    pub load: LoadReport,
    /// The v2 index the copy was read at.
    pub v2_index: i64,
    /// Hidden keys (a `_` segment) left out (without --include-hidden).
    pub hidden_skipped: u64,
    /// Empty v2 directories, which have no v3 form (keys as text, escaped).
    pub empty_dirs: Vec<String>,
    /// After copying, every key compared again on both sides and found equal (null with --dry-run).
    pub verified: Option<bool>,
    /// With --delete-source: how many keys were deleted from v2 (null without).
    pub source_deleted: Option<u64>,
    /// With --delete-source: the keys kept in v2 because they were written after the copy.
    pub source_kept: Vec<String>,
    /// With --follow: what the v2 watch carried over (null without).
    pub followed: Option<FollowReport>,
}

/// `migrate --follow`: v2 changes seen, v3 keys written or deleted for them, and the keys left
/// alone because they were written in v3 meanwhile (escaped text).
#[derive(Serialize, Debug)]
pub struct FollowReport {
    pub events: u64,
    pub written: u64,
    pub conflicts: Vec<String>,
}

impl From<&Followed> for FollowReport {
    fn from(f: &Followed) -> FollowReport {
        FollowReport {
            events: f.events,
            written: f.written,
            conflicts: f.conflicts.iter().map(|k| escape(k)).collect(),
        }
    }
}

impl MigrateReport {
    /// The report of a copy of `tree`.
    pub fn of(
        tree: &V2Tree,
        revision: i64,
        plan: &Counts,
        applied: Option<&Applied>,
        verified: Option<bool>,
    ) -> Self {
        let load = LoadReport::new(tree.len(), revision, plan, applied);
        MigrateReport::new(load, tree.index, tree.hidden, &tree.empty_dirs, verified)
    }

    pub fn new(
        load: LoadReport,
        v2_index: i64,
        hidden: u64,
        dirs: &[Vec<u8>],
        verified: Option<bool>,
    ) -> Self {
        MigrateReport {
            load,
            v2_index,
            hidden_skipped: hidden,
            empty_dirs: dirs.iter().map(|d| escape(d)).collect(),
            verified,
            source_deleted: None,
            source_kept: Vec::new(),
            followed: None,
        }
    }

    /// What `--delete-source` did: keys deleted, keys kept.
    pub fn source_deleted(&mut self, (deleted, kept): (u64, Vec<Vec<u8>>)) {
        self.source_deleted = Some(deleted);
        self.source_kept = kept.iter().map(|k| escape(k)).collect();
    }
}

/// What is left to do before etcd 3.6 after `--delete-source`.
const BEFORE_3_6: &str = "before upgrading to etcd 3.6: check that v2 holds nothing more \
(etcdpy --api v2 get / -r; empty directories stay: etcdpy --api v2 rm DIR -r), remove --enable-v2 from every member, run etcdutl check v2store \
on each data dir, and where it still finds custom data restart that member once with \
--snapshot-count=1 so its v2 snapshot is rewritten without it; \
see https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/";

impl Render for MigrateReport {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        // etcd's v2 listings never show hidden (`_`) keys: only those under a hidden PREFIX
        // are seen, and counted here when --include-hidden was not given.
        let hidden = match self.hidden_skipped {
            0 => String::new(),
            n => format!(": {n} hidden keys skipped (--include-hidden copies them)"),
        };
        out.raw(format!("v2 index {}{hidden}\n", self.v2_index).as_bytes())?;
        for dir in &self.empty_dirs {
            out.raw(format!("empty directory (not copied): {dir}/\n").as_bytes())?;
        }
        self.load.render(out)?;
        if self.load.plan.conflict > 0 {
            out.raw(format!("{} conflicts: changed in v3 since the last migrate, left alone (--overwrite writes them)\n", self.load.plan.conflict).as_bytes())?;
        }
        if let Some(f) = &self.followed {
            let line = format!(
                "followed: {} v2 changes, {} v3 keys written; conflicts: {}\n",
                f.events,
                f.written,
                f.conflicts.join(", ")
            );
            out.raw(line.as_bytes())?;
        }
        match self.verified {
            Some(true) => out.raw(b"verified: v3 holds every migrated key as v2 does\n")?,
            Some(false) => out.raw(b"NOT verified: v3 differs from v2\n")?,
            None => {}
        }
        if let Some(deleted) = self.source_deleted {
            out.raw(
                format!(
                    "deleted from v2: {deleted} keys; kept (written after the copy): {}\n",
                    self.source_kept.len()
                )
                .as_bytes(),
            )?;
            for key in &self.source_kept {
                out.raw(format!("kept in v2: {key}\n").as_bytes())?;
            }
            out.raw(format!("{BEFORE_3_6}\n").as_bytes())?;
        }
        Ok(())
    }
}
