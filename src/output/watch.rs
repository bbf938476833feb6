//! What `etcdpy watch` prints: one [`Event`] per change — a human line, or
//! with `-o json` one JSON object per line, flushed at once — and its notes
//! on stderr ("watching …" on a terminal only, warnings about a failed
//! command in exec mode).

use super::schema::Kv;
use super::schema::text;
use super::{Out, Render, escape};
use crate::client::{EventKind, WatchEvent, lease_hex};
use crate::keys::KeySpan;
use colored::{Color, Colorize};
use serde::Serialize;
use std::ffi::OsStr;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;

/// One change, as printed. JSON:
/// `{"type":"PUT"|"DELETE","key":K,"value":V|null,"revision":R,"create_revision":C,"version":N,"lease":L|null}`
/// plus `key_encoding`/`value_encoding` ("base64") for bytes that are not UTF-8,
/// and with --prev `"prev": Kv|null`.
#[derive(Serialize, Debug)]
pub struct Event {
    /// "PUT" or "DELETE".
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// The new value; null for a DELETE.
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_encoding: Option<&'static str>,
    /// The revision of the change (the key's new mod revision).
    pub revision: i64,
    /// 0 for a DELETE.
    pub create_revision: i64,
    /// 0 for a DELETE.
    pub version: i64,
    /// The key's lease in hex, or null (always null for a DELETE).
    pub lease: Option<String>,
    /// With --prev only: the key before the change, or null if it did not exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<Option<Kv>>,
    /// With --initial, `true` on the events of the initial state (absent on changes).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub initial: bool,
    #[serde(skip)]
    raw: WatchEvent,
    #[serde(skip)]
    with_prev: bool,
}

impl Event {
    pub fn new(event: &WatchEvent, with_prev: bool) -> Event {
        let kv = &event.kv;
        let (key, key_encoding) = text(&kv.key);
        let (value, value_encoding) = match event.kind {
            EventKind::Put => {
                let (v, e) = text(&kv.value);
                (Some(v), e)
            }
            EventKind::Delete => (None, None),
        };
        Event {
            kind: kind_name(event.kind),
            key,
            key_encoding,
            value,
            value_encoding,
            revision: kv.mod_revision,
            create_revision: kv.create_revision,
            version: kv.version,
            lease: (kv.lease != 0).then(|| lease_hex(kv.lease)),
            prev: with_prev.then(|| event.prev.as_ref().map(|p| Kv::new(p, false, None))),
            initial: false,
            raw: event.clone(),
            with_prev,
        }
    }
}

impl Event {
    /// A key of the initial state (`watch --initial`), as a PUT marked initial.
    pub fn initial(kv: &crate::client::KeyValue) -> Event {
        let event = WatchEvent {
            kind: EventKind::Put,
            kv: kv.clone(),
            prev: None,
        };
        Event {
            initial: true,
            ..Event::new(&event, false)
        }
    }
}

/// The end of the initial state: JSON `{"type":"initial-end","revision":R,"keys":N}`; text
/// `-- initial state: N keys at revision R; changes from R+1 follow --`.
#[derive(Serialize, Debug)]
pub struct InitialEnd {
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The revision (v2: index) the initial state was read at.
    pub revision: i64,
    pub keys: u64,
}

impl InitialEnd {
    pub fn new(revision: i64, keys: u64) -> InitialEnd {
        InitialEnd {
            kind: "initial-end",
            revision,
            keys,
        }
    }
}

impl Render for InitialEnd {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let (n, r) = (self.keys, self.revision);
        out.dim(&format!(
            "-- initial state: {n} keys at revision {r}; changes from {} follow --",
            r + 1
        ))?;
        out.raw(b"\n")
    }
}

pub fn kind_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Put => "PUT",
        EventKind::Delete => "DELETE",
    }
}

impl Render for Event {
    /// `PUT /key = value  [rev=8]`, `DELETE /key  [rev=9]`; with --prev
    /// `[rev=8 prev=old]` (or `prev=none` when the key was new).
    fn render(&self, out: &mut Out) -> io::Result<()> {
        if out.color {
            let color = match self.raw.kind {
                EventKind::Put => Color::Green,
                EventKind::Delete => Color::Red,
            };
            write!(out.writer, "{}", self.kind.color(color).bold())?;
        } else {
            out.raw(self.kind.as_bytes())?;
        }
        out.raw(b" ")?;
        out.key(&self.raw.kv.key)?;
        if self.raw.kind == EventKind::Put {
            out.raw(b" = ")?;
            out.data(&self.raw.kv.value)?;
        }
        if self.initial {
            out.dim(&format!("  [rev={} initial]", self.revision))?;
        } else if !self.with_prev {
            out.dim(&format!("  [rev={}]", self.revision))?;
        } else if let Some(prev) = &self.raw.prev {
            out.dim(&format!("  [rev={} prev=", self.revision))?;
            out.data(&prev.value)?;
            out.dim("]")?;
        } else {
            out.dim(&format!("  [rev={} prev=none]", self.revision))?;
        }
        out.raw(b"\n")
    }
}

/// What the watch will do, on stderr, only when stderr is a terminal: "waiting for the next
/// change to /w; -f to keep watching" (`limit` changes, then exit), or "watching /w; Ctrl-C to
/// stop" (`limit` None: until interrupted).
pub fn watching(out: &Out, what: &str, limit: Option<u64>) {
    if !out.stderr_tty() {
        return;
    }
    let notice = match limit {
        Some(1) => format!("waiting for the next change to {what}; -f to keep watching"),
        Some(n) => format!("waiting for the next {n} changes to {what}; -f to keep watching"),
        None => format!("watching {what}; Ctrl-C to stop"),
    };
    let _ = writeln!(io::stderr(), "etcdpy: {notice}");
}

/// What `wait` waits for, on stderr, only when stderr is a terminal: "waiting for --for exists
/// to hold for /w; Ctrl-C to stop".
pub fn waiting_until(out: &Out, what: &str) {
    if out.stderr_tty() {
        let _ = writeln!(io::stderr(), "etcdpy: waiting for {what}; Ctrl-C to stop");
    }
}

/// What a watch covers, for messages: "/a", "every key", "everything under
/// /a/", "/a and everything under /a/".
pub fn describe(span: &KeySpan) -> String {
    let key = span.key();
    if !span.recursive() {
        show_key(key)
    } else if key.is_empty() {
        "every key".to_string()
    } else if span.is_dir() {
        format!("everything under {}", show_key(key))
    } else {
        format!(
            "{} and everything under {}",
            show_key(key),
            show_key(&span.dir())
        )
    }
}

/// A warning on stderr that does not end the command.
pub fn warn(message: &str) {
    let _ = writeln!(io::stderr(), "etcdpy: warning: {message}");
}

/// `watch --on-compacted resync`: one line on stderr saying that a resync happened and what it gave.
pub fn resynced(compacted: i64, revision: i64, puts: u64, deletes: u64) {
    let _ = writeln!(
        io::stderr(),
        "etcdpy: resync: revision {compacted} was compacted away; the state at revision {revision} differed from the last one known by {puts} PUT and {deletes} DELETE events"
    );
}

/// A key for a one-line message.
pub fn show_key(key: &[u8]) -> String {
    escape(key)
}

/// A change as the environment of the CMD run for it, under etcdpy's names
/// (ETCDPY_WATCH_*) and etcdctl's (ETCD_WATCH_*), the values raw; `revision`
/// is the change's mod revision as text. `Err` names what holds a NUL byte
/// ("key" or "value"), which an environment variable cannot hold.
pub fn environment<'a>(
    event: &'a WatchEvent,
    revision: &'a str,
) -> Result<[(&'static str, &'a OsStr); 8], &'static str> {
    if let Some(what) = [("key", &event.kv.key), ("value", &event.kv.value)]
        .into_iter()
        .find_map(|(what, bytes)| bytes.contains(&0).then_some(what))
    {
        return Err(what);
    }
    let kind = OsStr::new(kind_name(event.kind));
    let key = OsStr::from_bytes(&event.kv.key);
    let value = OsStr::from_bytes(&event.kv.value);
    let revision = OsStr::new(revision);
    Ok([
        ("ETCDPY_WATCH_TYPE", kind),
        ("ETCDPY_WATCH_KEY", key),
        ("ETCDPY_WATCH_VALUE", value),
        ("ETCDPY_WATCH_REVISION", revision),
        ("ETCD_WATCH_EVENT_TYPE", kind),
        ("ETCD_WATCH_KEY", key),
        ("ETCD_WATCH_VALUE", value),
        ("ETCD_WATCH_REVISION", revision),
    ])
}

/// `watch --initial --initial-batch`: the initial state as a file of JSON lines (one initial
/// PUT event per key, as `-o json` prints them), written page by page, for one run of CMD;
/// removed when dropped.
pub struct InitialFile {
    pub path: std::path::PathBuf,
    writer: io::BufWriter<std::fs::File>,
}

impl InitialFile {
    pub fn create() -> io::Result<InitialFile> {
        use std::os::unix::fs::OpenOptionsExt;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!("etcdpy-initial-{}-{nanos}.ndjson", std::process::id());
        let path = std::env::temp_dir().join(name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        let writer = io::BufWriter::new(file);
        Ok(InitialFile { path, writer })
    }

    pub fn add(&mut self, kv: &crate::client::KeyValue) -> io::Result<()> {
        super::json(&mut self.writer, &Event::initial(kv))?;
        self.writer.write_all(b"\n")
    }

    pub fn finish(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl Drop for InitialFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
