//! `du`: a span's keys and bytes per directory, largest first, sizes as `du -h` shows them;
//! `-o json`: `{"revision":R,"depth":N,"sort":S,"rows":[{"path":…,"depth":…,"keys":…,
//! "key_bytes":…,"value_bytes":…,"leased":…}…]}` with exact numbers, the span's row first.

use super::schema::text;
use super::{Out, Render};
use crate::client::{Row, Usage};
use serde::Serialize;
use std::io;

/// How the rows below the span's are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Key bytes and value bytes together, largest first.
    Size,
    /// Number of keys, most first.
    Keys,
    /// Path, in key order.
    Name,
}

/// One row as printed.
#[derive(Serialize, Debug)]
pub struct DuRow {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_encoding: Option<&'static str>,
    pub depth: u32,
    pub keys: u64,
    pub key_bytes: u64,
    pub value_bytes: u64,
    pub leased: u64,
    #[serde(skip)]
    raw: Vec<u8>,
}

/// `du`'s result.
#[derive(Serialize, Debug)]
pub struct Du {
    pub revision: i64,
    pub depth: u32,
    pub sort: Order,
    pub rows: Vec<DuRow>,
}

impl Du {
    /// The rows of `usage`, the span's first, then the rest in `order` (ties in key order).
    pub fn new(usage: Usage, depth: u32, order: Order) -> Du {
        let mut rows = usage.rows;
        let below = rows.get_mut(1..).unwrap_or_default();
        match order {
            Order::Size => below.sort_by_key(|r| std::cmp::Reverse(r.tally.bytes())),
            Order::Keys => below.sort_by_key(|r| std::cmp::Reverse(r.tally.keys)),
            Order::Name => {}
        }
        let rows = rows.into_iter().map(row).collect();
        Du {
            revision: usage.revision,
            depth,
            sort: order,
            rows,
        }
    }
}

fn row(r: Row) -> DuRow {
    let (path, path_encoding) = text(&r.path);
    DuRow {
        path,
        path_encoding,
        depth: r.depth,
        keys: r.tally.keys,
        key_bytes: r.tally.key_bytes,
        value_bytes: r.tally.value_bytes,
        leased: r.tally.leased,
        raw: r.path,
    }
}

/// Bytes as `du -h` shows them: under 1024 as they are, else K, M, G, T (powers of 1024),
/// rounded up, with one decimal under 10.
pub fn human(bytes: u64) -> String {
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut unit = 0;
    let mut scale: u64 = 1024;
    while unit < 4 && bytes.div_ceil(scale) >= 1024 {
        unit += 1;
        scale *= 1024;
    }
    let letter = ["K", "M", "G", "T", "P"][unit];
    let tenths = (u128::from(bytes) * 10).div_ceil(u128::from(scale));
    if tenths < 100 {
        format!("{}.{}{letter}", tenths / 10, tenths % 10)
    } else {
        format!("{}{letter}", bytes.div_ceil(scale))
    }
}

impl Render for Du {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        out.raw(b"    KEYS  KEY BYTES  VALUE BYTES  LEASED  PATH\n")?;
        for r in &self.rows {
            let line = format!(
                "{:>8}  {:>9}  {:>11}  {:>6}  ",
                r.keys,
                human(r.key_bytes),
                human(r.value_bytes),
                r.leased
            );
            out.raw(line.as_bytes())?;
            match (r.depth, r.raw.is_empty()) {
                (0, true) => out.raw(b"(every key)")?,
                _ => out.key(&r.raw)?,
            }
            out.raw(b"\n")?;
        }
        out.dim(&format!(
            "at revision {}: the keys and values as they are there; MVCC history (older \
             revisions kept until a compaction) is not counted: etcdpy members shows the \
             database size\n",
            self.revision
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn sizes_as_du_h_shows_them() {
        assert_eq!(human(0), "0");
        assert_eq!(human(1023), "1023");
        assert_eq!(human(1024), "1.0K");
        assert_eq!(human(1025), "1.1K");
        assert_eq!(human(10 * 1024), "10K");
        assert_eq!(human(10 * 1024 + 1), "11K");
        assert_eq!(human(1024 * 1024 - 1), "1.0M");
        assert_eq!(human(5 << 30), "5.0G");
        assert_eq!(human(u64::MAX), "16384P");
    }
}
