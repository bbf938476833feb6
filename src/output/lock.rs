//! What `etcdpy lock` prints: the [`LockResult`] (its `-o json` schema; as
//! text, the lock key) once the lock is held without a command, and the
//! "waiting for lock" notice on stderr, shown only when stderr is a terminal.

use super::schema::text;
use super::{Out, Render, escape};
use crate::client::{Holder, lease_hex};
use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `lock` without a command, printed as soon as the lock is held.
#[derive(Serialize, Debug)]
pub struct LockResult {
    /// The lock's NAME as given (without the prefix; the full path is in `key`).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_encoding: Option<&'static str>,
    /// The lock key held: `<prefix>/NAME/<lease ID in hex>`.
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// The fencing token: the revision at which the lock was acquired
    /// (etcdctl's `ETCD_LOCK_REV`).
    pub revision: i64,
    /// The lock's lease ID in hex; null with --api v2 (the key has a TTL of its own).
    pub lease: Option<String>,
    /// The lease's TTL in seconds.
    pub ttl: i64,
    #[serde(skip)]
    raw_key: Vec<u8>,
}

impl LockResult {
    pub fn new(name: &[u8], key: &[u8], revision: i64, lease: Option<i64>, ttl: i64) -> Self {
        let (key_text, key_encoding) = text(key);
        let (name, name_encoding) = text(name);
        LockResult {
            name,
            name_encoding,
            key: key_text,
            key_encoding,
            revision,
            lease: lease.map(lease_hex),
            ttl,
            raw_key: key.to_vec(),
        }
    }
}

impl Render for LockResult {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        out.data(&self.raw_key)?;
        out.raw(b"\n")
    }
}

/// The "waiting for lock" line on stderr, rewritten in place while waiting;
/// silent when stderr is not a terminal.
pub struct WaitNotice {
    enabled: bool,
    shown: bool,
}

impl Default for WaitNotice {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitNotice {
    pub fn new() -> WaitNotice {
        WaitNotice {
            enabled: io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// Whether the notice is shown at all (callers skip the holder lookup otherwise).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// `what`: "lock NAME" or "election NAME" (escaped; an election's leader
    /// is shown by its proposal).
    /// "etcdpy: waiting for lock /_locks/x: held by host:pid (key …) for 12s".
    /// `seen` is how long this waiter has seen the same holder, for holders
    /// that left no note.
    pub fn show(&mut self, what: &str, holder: Option<&Holder>, seen: Duration) {
        if !self.enabled {
            return;
        }
        let election = what.starts_with("election ");
        let who = match holder {
            None if election => "nobody leads it now".to_string(),
            None => "nobody holds it now".to_string(),
            Some(h) if election => format!(
                "led by {} ({}) for at least {}",
                escape(&h.value),
                escape(&h.key),
                short(seen)
            ),
            Some(h) => match &h.note {
                Some(note) => {
                    let now = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0);
                    format!(
                        "held by {} pid {} ({}) for {}",
                        escape(note.host.as_bytes()),
                        note.pid,
                        escape(&h.key),
                        short(Duration::from_secs(now.saturating_sub(note.since)))
                    )
                }
                None => format!("held by {} for at least {}", escape(&h.key), short(seen)),
            },
        };
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r\x1b[Ketcdpy: waiting for {what}: {who}");
        let _ = err.flush();
        self.shown = true;
    }

    /// Remove the line (the lock was acquired, or the wait ended).
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

/// Once held without CMD, on stderr and only on a terminal: "holding lock /_locks/x; Ctrl-C to
/// release" (an election: "leading election x; Ctrl-C to resign").
pub fn holding_notice(what: &str) {
    if !io::stderr().is_terminal() {
        return;
    }
    let line = match what.starts_with("election ") {
        true => format!("leading {what}; Ctrl-C to resign"),
        false => format!("holding {what}; Ctrl-C to release"),
    };
    let _ = writeln!(io::stderr().lock(), "etcdpy: {line}");
}

/// Whole seconds, as 1h2m3s.
fn short(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}
