//! What `etcdpy lock status` and `lock break` print: the lock's holders and
//! waiters ([`LockStatus`], its `-o json` schema), and whom a break broke.

use super::schema::text;
use super::{Out, Render, escape};
use crate::client::{Holder, LockState, lease_hex};
use serde::Serialize;
use std::io;
use std::time::{Duration, UNIX_EPOCH};

/// `lock status NAME`.
#[derive(Serialize, Debug)]
pub struct LockStatus {
    /// The lock: `<prefix>/NAME`.
    pub lock: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_encoding: Option<&'static str>,
    /// How many may hold it at once (the oldest key's --limit; 1: a plain lock).
    pub limit: u32,
    pub held: bool,
    pub holders: Vec<Entry>,
    /// In queue order (the next to hold it first).
    pub waiters: Vec<Entry>,
}

/// One key in a lock's queue.
#[derive(Serialize, Debug)]
pub struct Entry {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// The key's lease ID in hex.
    pub lease: String,
    /// The key's create revision (its place in the queue; a semaphore
    /// holder's fencing token).
    pub revision: i64,
    /// A holder's lease: seconds left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
    /// Host, pid and since (RFC 3339; a waiter's: when it queued): etcdpy's
    /// keys only (etcdctl's have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// A semaphore holder's slot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<u32>,
}

impl Entry {
    pub fn new(holder: &Holder, ttl: Option<i64>) -> Entry {
        let (key, key_encoding) = text(&holder.key);
        let note = holder.note.as_ref();
        Entry {
            key,
            key_encoding,
            lease: lease_hex(holder.lease),
            revision: holder.create_revision,
            ttl,
            host: note.map(|n| n.host.clone()),
            pid: note.map(|n| n.pid),
            since: note.map(|n| {
                let at = UNIX_EPOCH + Duration::from_secs(n.since);
                humantime::format_rfc3339_seconds(at).to_string()
            }),
            slot: note.and_then(|n| n.slot),
        }
    }

    fn render(&self, role: &str, out: &mut Out) -> io::Result<()> {
        let mut line = format!(
            "{role} {} revision {}",
            escape(self.key.as_bytes()),
            self.revision
        );
        if let Some(slot) = self.slot {
            line.push_str(&format!(" slot {slot}"));
        }
        line.push_str(&format!(" lease {}", self.lease));
        if let Some(ttl) = self.ttl {
            line.push_str(&format!(" ttl {ttl}s"));
        }
        match (&self.host, self.pid, &self.since) {
            (Some(host), Some(pid), Some(since)) => {
                line.push_str(&format!(
                    " host {} pid {pid} since {since}",
                    escape(host.as_bytes())
                ));
            }
            _ => line.push_str(" (no host/pid: etcdctl or another client)"),
        }
        out.raw(line.as_bytes())?;
        out.raw(b"\n")
    }
}

impl LockStatus {
    pub fn new(lock: &[u8], state: &LockState) -> LockStatus {
        let (lock, lock_encoding) = text(lock);
        let holders = state
            .holders
            .iter()
            .map(|(h, ttl)| Entry::new(h, Some(*ttl)));
        LockStatus {
            lock,
            lock_encoding,
            limit: state.limit,
            held: !state.holders.is_empty(),
            holders: holders.collect(),
            waiters: state.waiters.iter().map(|h| Entry::new(h, None)).collect(),
        }
    }
}

impl Render for LockStatus {
    /// "holder KEY revision R lease L ttl Ns host H pid P since T", then one
    /// "waiter …" line each; "free" when nobody holds or waits.
    fn render(&self, out: &mut Out) -> io::Result<()> {
        if self.holders.is_empty() && self.waiters.is_empty() {
            return out.raw(b"free\n");
        }
        for holder in &self.holders {
            holder.render("holder", out)?;
        }
        for waiter in &self.waiters {
            waiter.render("waiter", out)?;
        }
        Ok(())
    }
}

/// `lock break NAME`: the key whose lease was revoked.
#[derive(Serialize, Debug)]
pub struct Broken {
    pub broken: Entry,
}

impl Render for Broken {
    /// "broke KEY revision R lease L host H pid P since T".
    fn render(&self, out: &mut Out) -> io::Result<()> {
        self.broken.render("broke", out)
    }
}
