//! What `history` and `diff` print. history streams: with `-o json` one JSON object per line
//! (as `watch -o json` and `dump` do): a head, one line per revision, an end line written only
//! after the last revision (a stream without it was cut off); in text a `#` line saying where
//! the history starts, then one line per revision. diff prints a unified diff, or its two sides
//! and the diff as one JSON document.

use super::diff::{Side as DiffSide, unified};
use super::schema::text;
use super::{Out, Render, escape};
use crate::client::{KeyValue, Operation, Revision, Side, lease_hex};
use colored::Colorize;
use serde::Serialize;
use std::io::{self, Write};

/// How much of a value a text line shows without `--values`.
const SHORT: usize = 60;

/// The first line: `{"type":"history","key":K,"recursive":B,"revision":R,"compacted":F|null}`.
#[derive(Serialize, Debug)]
pub struct Head {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    pub recursive: bool,
    /// The store's revision the history runs up to.
    pub revision: i64,
    /// The revision etcd compacted to (revisions before it are gone), or null.
    pub compacted: Option<i64>,
    #[serde(skip)]
    raw: Vec<u8>,
}

impl Head {
    pub fn new(key: &[u8], recursive: bool, revision: i64, floor: i64) -> Head {
        let (k, key_encoding) = text(key);
        Head {
            kind: "history",
            key: k,
            key_encoding,
            recursive,
            revision,
            compacted: (floor > 0).then_some(floor),
            raw: key.to_vec(),
        }
    }
}

impl Render for Head {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let what = match (self.recursive, self.raw.is_empty()) {
            (true, true) => "every key".to_string(),
            (true, false) => format!("{} and under it", escape(&self.raw)),
            _ => escape(&self.raw),
        };
        let from = match self.compacted {
            Some(floor) => format!("revisions before {floor} were compacted"),
            None => "nothing was compacted".to_string(),
        };
        out.dim(&format!(
            "# history of {what} up to revision {}; {from}\n",
            self.revision
        ))
    }
}

/// One revision: `{"type":"created"|"updated"|"deleted"|"held","key":K,"value":V|null,
/// "revision":R,"create_revision":C,"version":N,"lease":L|null}` (`*_encoding` as elsewhere).
#[derive(Serialize, Debug)]
pub struct Change {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// null for a delete.
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_encoding: Option<&'static str>,
    /// The revision of the change (for `held`: when the value held at the floor was written).
    pub revision: i64,
    /// 0 for a delete.
    pub create_revision: i64,
    /// 0 for a delete.
    pub version: i64,
    pub lease: Option<String>,
    #[serde(skip)]
    raw: KeyValue,
    #[serde(skip)]
    whole: bool,
}

pub fn operation_name(operation: Operation) -> &'static str {
    match operation {
        Operation::Created => "created",
        Operation::Updated => "updated",
        Operation::Deleted => "deleted",
        Operation::Held => "held",
    }
}

impl Change {
    /// `whole`: the text line shows the whole value (`--values`).
    pub fn new(revision: &Revision, whole: bool) -> Change {
        let kv = &revision.kv;
        let (key, key_encoding) = text(&kv.key);
        let deleted = revision.operation == Operation::Deleted;
        let (value, value_encoding) = match deleted {
            true => (None, None),
            false => {
                let (v, e) = text(&kv.value);
                (Some(v), e)
            }
        };
        Change {
            kind: operation_name(revision.operation),
            key,
            key_encoding,
            value,
            value_encoding,
            revision: kv.mod_revision,
            create_revision: kv.create_revision,
            version: kv.version,
            lease: (kv.lease != 0).then(|| lease_hex(kv.lease)),
            raw: kv.clone(),
            whole,
        }
    }
}

impl Render for Change {
    /// `     12  updated  v2  /k = value…  [lease=…]`.
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let version = match self.kind {
            "deleted" => String::new(),
            _ => format!("v{}", self.version),
        };
        out.dim(&format!("{:>8}  ", self.revision))?;
        out.raw(format!("{:<7}  {version:<4}  ", self.kind).as_bytes())?;
        out.key(&self.raw.key)?;
        if self.kind != "deleted" {
            out.raw(b" = ")?;
            match self.whole {
                true => out.data(&self.raw.value)?,
                false => out.raw(shorten(&self.raw.value).as_bytes())?,
            }
        }
        if let Some(lease) = &self.lease {
            out.dim(&format!("  [lease={lease}]"))?;
        }
        out.raw(b"\n")
    }
}

/// The unified diff, its removed lines red, added ones green and hunk heads cyan when colour
/// is on (as git diff does).
fn colored_diff(out: &mut Out, diff: &str) -> io::Result<()> {
    if !out.color {
        return out.raw(diff.as_bytes());
    }
    for line in diff.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let shown = match body {
            b if b.starts_with("+++") || b.starts_with("---") => b.bold(),
            b if b.starts_with('+') => b.green(),
            b if b.starts_with('-') => b.red(),
            b if b.starts_with("@@") => b.cyan(),
            b => b.normal(),
        };
        write!(out.writer, "{shown}{newline}")?;
    }
    Ok(())
}

fn value(side: &Side) -> Option<&[u8]> {
    side.kv.as_ref().map(|kv| kv.value.as_slice())
}

/// A value on one line: escaped, cut after [`SHORT`] characters with its size.
fn shorten(value: &[u8]) -> String {
    let escaped = escape(value);
    if escaped.chars().count() <= SHORT {
        return escaped;
    }
    let cut: String = escaped.chars().take(SHORT).collect();
    format!("{cut}… ({} bytes)", value.len())
}

/// The last line: `{"type":"end","revisions":N,"revision":R}`; in text only when there was none.
#[derive(Serialize, Debug)]
pub struct End {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub revisions: u64,
    pub revision: i64,
}

impl End {
    pub fn new(revisions: u64, revision: i64) -> End {
        End {
            kind: "end",
            revisions,
            revision,
        }
    }
}

impl Render for End {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        match self.revisions {
            0 => out.dim("# no revision: the key has no history etcd still holds\n"),
            _ => Ok(()),
        }
    }
}

/// One side of `diff -o json`: `{"revision":R,"exists":B,"value":V|null}` (`value_encoding`).
#[derive(Serialize, Debug)]
pub struct DiffEnd {
    pub revision: i64,
    pub exists: bool,
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_encoding: Option<&'static str>,
    pub mod_revision: Option<i64>,
}

impl DiffEnd {
    fn new(side: &Side) -> DiffEnd {
        let (value, value_encoding) = match &side.kv {
            Some(kv) => {
                let (v, e) = text(&kv.value);
                (Some(v), e)
            }
            None => (None, None),
        };
        DiffEnd {
            revision: side.revision,
            exists: side.kv.is_some(),
            value,
            value_encoding,
            mod_revision: side.kv.as_ref().map(|kv| kv.mod_revision),
        }
    }
}

/// `diff`: `{"key":K,"old":DiffEnd,"new":DiffEnd,"same":B,"diff":TEXT}` (TEXT: the unified
/// diff, "" when the values are the same).
#[derive(Serialize, Debug)]
pub struct Diff {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    pub old: DiffEnd,
    pub new: DiffEnd,
    pub same: bool,
    pub diff: String,
}

impl Diff {
    pub fn new(key: &[u8], old: &Side, new: &Side, context: usize) -> Diff {
        let label = |side: &Side| format!("{}@{}", escape(key), side.revision);
        let before = DiffSide::new(label(old), value(old));
        let after = DiffSide::new(label(new), value(new));
        let (k, key_encoding) = text(key);
        let diff = unified(&before, &after, context);
        Diff {
            key: k,
            key_encoding,
            old: DiffEnd::new(old),
            new: DiffEnd::new(new),
            same: diff.is_empty(),
            diff,
        }
    }
}

impl Render for Diff {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        if !self.same {
            return colored_diff(out, &self.diff);
        }
        let (a, b) = (self.old.revision, self.new.revision);
        let what = match self.old.exists {
            true => "the same value",
            false => "absent",
        };
        out.dim(&format!(
            "# no difference: {what} at revisions {a} and {b}\n"
        ))
    }
}
