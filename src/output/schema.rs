//! The `-o json` schema, one type per command result, each with its human
//! rendering. README's "JSON output" section documents these fields; the
//! integration tests hold an independent copy with `deny_unknown_fields`.

use super::tree::Tree;
use super::{Out, Render, json};
use crate::client::{KeyValue, lease_hex};
use crate::error::Result;
use base64::Engine as _;
use serde::Serialize;
use std::io;

/// Bytes as JSON text: UTF-8 as it is, anything else as base64 with an
/// `*_encoding: "base64"` field beside it.
pub(crate) fn text(bytes: &[u8]) -> (String, Option<&'static str>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => (
            base64::engine::general_purpose::STANDARD.encode(bytes),
            Some("base64"),
        ),
    }
}

/// One key as printed.
#[derive(Serialize, Debug)]
pub struct Kv {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// Absent with --keys-only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_encoding: Option<&'static str>,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
    /// The lease ID in hex, or null.
    pub lease: Option<String>,
    /// With --long only: seconds left on the lease, or null without a lease.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<Option<i64>>,
    #[serde(skip)]
    raw: KeyValue,
}

impl Kv {
    /// `ttl`: `None` = not asked for; `Some(None)` = no lease.
    pub fn new(kv: &KeyValue, keys_only: bool, ttl: Option<Option<i64>>) -> Kv {
        let (key, key_encoding) = text(&kv.key);
        let (value, value_encoding) = if keys_only {
            (None, None)
        } else {
            let (v, e) = text(&kv.value);
            (Some(v), e)
        };
        Kv {
            key,
            key_encoding,
            value,
            value_encoding,
            create_revision: kv.create_revision,
            mod_revision: kv.mod_revision,
            version: kv.version,
            lease: (kv.lease != 0).then(|| lease_hex(kv.lease)),
            ttl,
            raw: kv.clone(),
        }
    }
}

/// `key = value  [create=… mod=… version=… lease=… ttl=…]`, straight from
/// the key as read (no JSON strings built for a text listing).
fn line(out: &mut Out, kv: &KeyValue, keys_only: bool, ttl: Option<Option<i64>>) -> io::Result<()> {
    out.key(&kv.key)?;
    line_rest(out, kv, keys_only, ttl)
}

/// A line after its key: ` = value  [meta]` and the newline.
fn line_rest(
    out: &mut Out,
    kv: &KeyValue,
    keys_only: bool,
    ttl: Option<Option<i64>>,
) -> io::Result<()> {
    if !keys_only {
        out.raw(b" = ")?;
        out.data(&kv.value)?;
    }
    if let Some(ttl) = ttl {
        let mut meta = format!(
            "  [create={} mod={} version={}",
            kv.create_revision, kv.mod_revision, kv.version
        );
        match (kv.lease, ttl) {
            // A v2 key (--api v2): a TTL of its own, no lease.
            (0, Some(ttl)) => meta.push_str(&format!(" ttl={ttl}s]")),
            (0, None) => meta.push_str(" lease=none]"),
            (lease, Some(ttl)) => {
                meta.push_str(&format!(" lease={} ttl={ttl}s]", lease_hex(lease)))
            }
            (lease, None) => meta.push_str(&format!(" lease={}]", lease_hex(lease))),
        }
        out.dim(&meta)?;
    }
    out.raw(b"\n")
}

/// `get`: streamed as pages arrive, so it is written piece by piece rather
/// than built whole. JSON: `{"revision":R,"kvs":[Kv…],"dirs":[…],"count":N,"more":B}`
/// (`dirs` only for a one-level directory listing; when one of them is not
/// UTF-8, all are base64 and `"dirs_encoding":"base64"` follows). Nothing is written until
/// the first key, so a key that is not found prints nothing.
pub struct Listing {
    /// `get KEY` of a single key without --long: print the value alone.
    value_only: bool,
    dir_listing: bool,
    revision: i64,
    count: u64,
    dirs: Vec<Vec<u8>>,
    started: bool,
    /// `--tree`: keys printed as an indented tree.
    tree: Option<Tree>,
}

impl Listing {
    pub fn new(value_only: bool, dir_listing: bool) -> Listing {
        Listing {
            value_only,
            dir_listing,
            revision: 0,
            count: 0,
            dirs: Vec::new(),
            started: false,
            tree: None,
        }
    }

    /// Text keys as a tree below `base` (PREFIX/, "" for every key), when given.
    pub fn tree(mut self, base: Option<Vec<u8>>) -> Listing {
        self.tree = base.map(Tree::new);
        self
    }

    /// The revision the listing was read at.
    pub fn begin(&mut self, revision: i64) {
        if self.revision == 0 {
            self.revision = revision;
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.started
    }

    fn start(&mut self, out: &mut Out) -> io::Result<()> {
        if !self.started && out.json {
            out.raw(format!("{{\"revision\":{},\"kvs\":[", self.revision).as_bytes())?;
        }
        self.started = true;
        Ok(())
    }

    /// One key; `ttl`: `None` = not asked for (no --long); `Some(None)` = no lease.
    pub fn kv(
        &mut self,
        out: &mut Out,
        kv: &KeyValue,
        keys_only: bool,
        ttl: Option<Option<i64>>,
    ) -> Result<()> {
        self.start(out)?;
        if out.json {
            if self.count > 0 {
                out.raw(b",")?;
            }
            let mut bytes = Vec::new();
            json(&mut bytes, &Kv::new(kv, keys_only, ttl))?;
            out.raw(&bytes)?;
        } else if self.value_only {
            out.data(&kv.value)?;
            out.raw(b"\n")?;
        } else if let Some(tree) = &mut self.tree {
            tree.key(out, &kv.key)?;
            line_rest(out, kv, keys_only, ttl)?;
        } else {
            line(out, kv, keys_only, ttl)?;
        }
        self.count += 1;
        Ok(())
    }

    /// A sub-directory in a one-level listing (the key ends with `/`).
    pub fn dir(&mut self, out: &mut Out, key: &[u8]) -> Result<()> {
        self.start(out)?;
        if out.json {
            self.dirs.push(key.to_vec());
        } else {
            out.key(key)?;
            out.raw(b"\n")?;
        }
        Ok(())
    }

    /// Finish the document; `more`: --limit stopped before the end.
    pub fn end(mut self, out: &mut Out, more: bool) -> Result<()> {
        self.start(out)?;
        if out.json {
            out.raw(b"]")?;
            if self.dir_listing {
                // One encoding for the whole list: base64 if any one needs it.
                let base64 = self.dirs.iter().any(|d| std::str::from_utf8(d).is_err());
                let dirs: Vec<String> = self
                    .dirs
                    .iter()
                    .map(|d| match std::str::from_utf8(d) {
                        Ok(s) if !base64 => s.to_string(),
                        _ => base64::engine::general_purpose::STANDARD.encode(d),
                    })
                    .collect();
                let mut bytes = b",\"dirs\":".to_vec();
                json(&mut bytes, &dirs)?;
                if base64 {
                    bytes.extend_from_slice(b",\"dirs_encoding\":\"base64\"");
                }
                out.raw(&bytes)?;
            }
            out.raw(format!(",\"count\":{},\"more\":{more}}}\n", self.count).as_bytes())?;
        }
        out.flush()
    }
}

/// `set`.
#[derive(Serialize, Debug)]
pub struct SetResult {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// The revision of the write.
    pub revision: i64,
    /// The new lease in hex (with --ttl), or null.
    pub lease: Option<String>,
    /// The TTL granted (with --ttl), or null.
    pub ttl: Option<i64>,
    /// With --prev only: the key before the write, or null when it did not exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<Option<Kv>>,
}

impl SetResult {
    pub fn new(
        key: &[u8],
        revision: i64,
        lease: i64,
        ttl: Option<i64>,
        prev: Option<Option<&KeyValue>>,
    ) -> Self {
        let (key, key_encoding) = text(key);
        SetResult {
            key,
            key_encoding,
            revision,
            lease: (lease != 0).then(|| lease_hex(lease)),
            ttl,
            prev: prev.map(|p| p.map(|kv| Kv::new(kv, false, None))),
        }
    }
}

impl Render for SetResult {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        // Silent on success, like cp; --prev prints the previous value.
        if let Some(Some(prev)) = &self.prev {
            out.data(&prev.raw.value)?;
            out.raw(b"\n")?;
        }
        Ok(())
    }
}

/// `rm`.
#[derive(Serialize, Debug)]
pub struct RmResult {
    pub revision: i64,
    /// How many keys were deleted.
    pub deleted: i64,
    #[serde(skip)]
    pub recursive: bool,
}

impl Render for RmResult {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        if self.recursive {
            let noun = if self.deleted == 1 { "key" } else { "keys" };
            out.raw(format!("deleted {} {noun}\n", self.deleted).as_bytes())?;
        }
        Ok(())
    }
}

/// `refresh`.
#[derive(Serialize, Debug)]
pub struct RefreshResult {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// The key's mod revision after the refresh (unchanged when the lease was only renewed).
    pub revision: i64,
    /// The key's lease in hex; null on v2 (`--api v2`), whose keys have no lease.
    pub lease: Option<String>,
    /// The TTL the lease now runs from, in seconds.
    pub ttl: i64,
}

impl RefreshResult {
    pub fn new(key: &[u8], revision: i64, lease: Option<i64>, ttl: i64) -> Self {
        let (key, key_encoding) = text(key);
        RefreshResult {
            key,
            key_encoding,
            revision,
            lease: lease.map(lease_hex),
            ttl,
        }
    }
}

impl Render for RefreshResult {
    fn render(&self, _out: &mut Out) -> io::Result<()> {
        Ok(())
    }
}
