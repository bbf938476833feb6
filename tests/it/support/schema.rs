//! The `-o json` schema, written down a second time, independently of the program's own
//! types, with `deny_unknown_fields`: a schema change must be made here too, on purpose.
//! README's "JSON output" section is the same schema in prose. Every copy the suites check
//! against lives here (some commands' documents are written down twice, by different suites,
//! with different strictness: both are kept).
#![allow(dead_code)]

use serde::Deserialize;

/// An independent copy of the `lock -o json` schema.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct LockJson {
    pub name: String,
    #[serde(default)]
    pub name_encoding: Option<String>,
    pub key: String,
    #[serde(default)]
    pub key_encoding: Option<String>,
    pub revision: i64,
    pub lease: String,
    pub ttl: i64,
}

/// An independent copy of the `lock status -o json` schema.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct StatusJson {
    pub lock: String,
    #[serde(default)]
    pub lock_encoding: Option<String>,
    pub limit: u32,
    pub held: bool,
    pub holders: Vec<EntryJson>,
    pub waiters: Vec<EntryJson>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct EntryJson {
    pub key: String,
    #[serde(default)]
    pub key_encoding: Option<String>,
    pub lease: String,
    pub revision: i64,
    #[serde(default)]
    pub ttl: Option<i64>,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub pid: Option<u32>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub slot: Option<u32>,
}

/// The event schema, written down independently (README's "JSON output").
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct EventDoc {
    #[serde(rename = "type")]
    pub kind: String,
    pub key: String,
    pub key_encoding: Option<String>,
    pub value: Option<String>,
    pub value_encoding: Option<String>,
    pub revision: i64,
    pub create_revision: i64,
    pub version: i64,
    pub lease: Option<String>,
    /// Absent without --prev; null when the key did not exist before.
    #[serde(default, deserialize_with = "present")]
    pub prev: Option<Option<KvDoc>>,
}

/// A field that is there, even as null, is `Some`.
pub fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct KvDoc {
    pub key: String,
    pub key_encoding: Option<String>,
    pub value: Option<String>,
    pub value_encoding: Option<String>,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
    pub lease: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Kv {
    pub key: String,
    pub key_encoding: Option<String>,
    pub value: Option<String>,
    pub value_encoding: Option<String>,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
    pub lease: Option<String>,
    #[serde(default)]
    pub ttl: Option<serde_json::Value>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct GetDoc {
    pub revision: i64,
    pub kvs: Vec<Kv>,
    pub dirs: Option<Vec<String>>,
    pub dirs_encoding: Option<String>,
    pub count: u64,
    pub more: bool,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct SetDoc {
    pub key: String,
    pub key_encoding: Option<String>,
    pub revision: i64,
    pub lease: Option<String>,
    pub ttl: Option<i64>,
    #[serde(default)]
    pub prev: Option<Option<Kv>>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RmDoc {
    pub revision: i64,
    pub deleted: i64,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RefreshDoc {
    pub key: String,
    pub key_encoding: Option<String>,
    pub revision: i64,
    pub lease: Option<String>,
    pub ttl: i64,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub peer_urls: Vec<String>,
    pub client_urls: Vec<String>,
    pub learner: bool,
    pub leader: bool,
    pub role: String,
    pub reachable: bool,
    pub error: Option<String>,
    pub version: Option<String>,
    pub raft_term: Option<i64>,
    pub raft_index: Option<i64>,
    pub db_size: Option<i64>,
    // Issue 24 (operator) and 22 (3.6's status): optional, null where not reported.
    pub db_size_in_use: Option<i64>,
    pub fragmented_pct: Option<f64>,
    pub quota_bytes: Option<i64>,
    pub quota_used_pct: Option<f64>,
    pub raft_applied_index: Option<i64>,
    pub applied_lag: Option<i64>,
    pub storage_version: Option<String>,
    pub ready: Option<bool>,
    pub alarms: Vec<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LeaderDoc {
    pub id: String,
    pub name: String,
    pub client_urls: Vec<String>,
    pub peer_urls: Vec<String>,
    pub raft_term: i64,
    pub members: usize,
    pub answering: usize,
    pub version: Option<String>,
    pub storage_version: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DumpHeader {
    pub dump: String,
    pub api: String,
    pub prefix: String,
    pub prefix_encoding: Option<String>,
    pub revision: i64,
}

/// The dump's last line, written after a complete read.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DumpEnd {
    pub end: String,
    pub keys: u64,
    pub sha256: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    pub create: u64,
    pub update: u64,
    pub unchanged: u64,
    pub delete: u64,
    pub conflict: u64,
}

/// Only parsed (no batch aborts here; `dump_load` makes one abort).
#[allow(dead_code)]
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AbortedDoc {
    pub first: String,
    pub last: String,
    pub keys: u64,
    pub changed: Vec<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct AppliedDoc {
    pub done: Tally,
    pub transactions: u64,
    pub leases: u64,
    pub revision: i64,
    pub aborted: Vec<AbortedDoc>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LoadDoc {
    pub keys: u64,
    pub plan_revision: i64,
    pub plan: Tally,
    pub applied: Option<AppliedDoc>,
}

// rollback (issue 26)
/// `rollback KEY -o json`.
#[allow(dead_code)]
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RollbackKeyDoc {
    pub key: String,
    pub to: i64,
    pub read_revision: i64,
    pub action: String,
    pub lease: String,
    pub lease_id: Option<String>,
    pub diff: String,
    pub written: Option<i64>,
    pub dry_run: bool,
}

/// `rollback PREFIX -r -o json`.
#[allow(dead_code)]
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct RollbackPrefixDoc {
    pub prefix: String,
    pub to: i64,
    pub keys: u64,
    pub expired_leases: u64,
    pub plan_revision: i64,
    pub plan: Tally,
    pub applied: Option<AppliedDoc>,
    pub changed: Vec<String>,
}
// end rollback (issue 26)

/// Only parsed (`migrate --follow` is tested in `migrate`).
#[allow(dead_code)]
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct FollowDoc {
    pub events: u64,
    pub written: u64,
    pub conflicts: Vec<String>,
}

/// Only parsed: the fields are checked by `migrate`'s own tests.
#[allow(dead_code)]
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct MigrateDoc {
    pub keys: u64,
    pub plan_revision: i64,
    pub plan: Tally,
    pub applied: Option<AppliedDoc>,
    pub v2_index: i64,
    pub hidden_skipped: u64,
    pub empty_dirs: Vec<String>,
    pub verified: Option<bool>,
    pub source_deleted: Option<u64>,
    pub source_kept: Vec<String>,
    pub followed: Option<FollowDoc>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct MemberVersionDoc {
    pub name: String,
    pub url: Option<String>,
    pub version: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct BlockerDoc {
    pub kind: String,
    pub member: Option<String>,
    pub message: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct UpgradeCheckDoc {
    pub members: Vec<MemberVersionDoc>,
    pub blockers: Vec<BlockerDoc>,
    pub not_checked: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DefragDoc {
    pub dry_run: bool,
    pub compacted: Option<i64>,
    pub members: Vec<DefragRow>,
    pub stopped_at: Option<String>,
    pub disarmed: Vec<AlarmRow>,
    pub kept_armed: Option<String>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DefragRow {
    pub id: String,
    pub name: String,
    pub endpoint: String,
    pub leader: bool,
    pub action: String,
    pub reason: Option<String>,
    pub db_size_before: i64,
    pub db_size_in_use_before: i64,
    pub db_size_after: Option<i64>,
    pub db_size_in_use_after: Option<i64>,
    pub took_ms: Option<u64>,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AlarmRow {
    pub member_id: String,
    pub member: String,
    pub alarm: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CompactDoc {
    pub revision: Option<i64>,
    pub current: i64,
    pub physical: bool,
    pub dry_run: bool,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DisarmDoc {
    pub disarmed: Vec<AlarmRow>,
    pub dry_run: bool,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SavedDoc {
    pub member: String,
    pub endpoint: String,
    pub revision: i64,
    pub size: u64,
    pub sha256: String,
    pub file: Option<String>,
    pub transport: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct MovedDoc {
    pub from: String,
    pub to: String,
    pub moved: bool,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct WaitDoc {
    pub condition: String,
    pub revision: i64,
    pub kv: Option<Kv>,
}

/// A watch line: a change, or with --initial a key of the initial state (`initial: true`).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct WatchEventDoc {
    #[serde(rename = "type")]
    pub kind: String,
    pub key: String,
    pub key_encoding: Option<String>,
    pub value: Option<String>,
    pub value_encoding: Option<String>,
    pub revision: i64,
    pub create_revision: i64,
    pub version: i64,
    pub lease: Option<String>,
    #[serde(default)]
    pub prev: Option<Option<Kv>>,
    #[serde(default)]
    pub initial: Option<bool>,
}

/// `watch --initial`'s marker between the initial state and the changes.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct InitialEndDoc {
    #[serde(rename = "type")]
    pub kind: String,
    pub revision: i64,
    pub keys: u64,
}

/// `du -o json`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DuDoc {
    pub revision: i64,
    pub depth: u32,
    pub sort: String,
    pub rows: Vec<DuRow>,
}

/// One row of `du -o json`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DuRow {
    pub path: String,
    pub path_encoding: Option<String>,
    pub depth: u32,
    pub keys: u64,
    pub key_bytes: u64,
    pub value_bytes: u64,
    pub leased: u64,
}

// --- history and diff (issue 26) ---

/// `history -o json`'s first line.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct HistoryHead {
    #[serde(rename = "type")]
    pub kind: String,
    pub key: String,
    pub key_encoding: Option<String>,
    pub recursive: bool,
    pub revision: i64,
    pub compacted: Option<i64>,
}

/// `history -o json`'s last line, written once everything was read.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct HistoryEnd {
    #[serde(rename = "type")]
    pub kind: String,
    pub revisions: u64,
    pub revision: i64,
}

/// Check one line of `history -o json` against its documented shape (by its `type`).
pub fn history_line(line: &str) -> serde_json::Result<()> {
    let value: serde_json::Value = serde_json::from_str(line)?;
    match value["type"].as_str() {
        Some("history") => serde_json::from_value::<HistoryHead>(value).map(drop),
        Some("end") => serde_json::from_value::<HistoryEnd>(value).map(drop),
        Some("created" | "updated" | "deleted" | "held") => {
            serde_json::from_value::<HistoryChange>(value).map(drop)
        }
        _ => Err(serde::de::Error::custom("unknown type")),
    }
}

/// One revision of `history -o json` (`type`: created, updated, deleted or held).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct HistoryChange {
    #[serde(rename = "type")]
    pub kind: String,
    pub key: String,
    pub key_encoding: Option<String>,
    pub value: Option<String>,
    pub value_encoding: Option<String>,
    pub revision: i64,
    pub create_revision: i64,
    pub version: i64,
    pub lease: Option<String>,
}

/// `diff -o json`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DiffDoc {
    pub key: String,
    pub key_encoding: Option<String>,
    pub old: DiffSideDoc,
    pub new: DiffSideDoc,
    pub same: bool,
    pub diff: String,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct DiffSideDoc {
    pub revision: i64,
    pub exists: bool,
    pub value: Option<String>,
    pub value_encoding: Option<String>,
    pub mod_revision: Option<i64>,
}
