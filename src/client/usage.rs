//! `du`'s procedure: how many keys, key bytes and value bytes (and how many keys hold a lease)
//! a span holds at one revision, per sub-directory down to a depth. Read page by page over
//! the bulk-read path ([`Keys::pages`]); only the rows kept (one per directory down to the
//! depth) are held, never the keys. Counts the keys as they are at that revision: not MVCC
//! history, nor the database file.

use super::error::Result;
use super::roles::{At, Keys, Paged};
use crate::keys::KeySpan;

/// What one row counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub keys: u64,
    pub key_bytes: u64,
    pub value_bytes: u64,
    /// Keys that hold a lease.
    pub leased: u64,
}

impl Tally {
    fn add(&mut self, key: usize, value: usize, leased: bool) {
        self.keys += 1;
        self.key_bytes += key as u64;
        self.value_bytes += value as u64;
        self.leased += u64::from(leased);
    }

    /// Key and value bytes together.
    pub fn bytes(&self) -> u64 {
        self.key_bytes + self.value_bytes
    }
}

/// One row: a directory (ending in `/`) at a depth below the span, or (depth 0) the span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub path: Vec<u8>,
    pub depth: u32,
    pub tally: Tally,
}

/// A span's usage: the revision read at and its rows in key order, the span's own first.
#[derive(Debug)]
pub struct Usage {
    pub revision: i64,
    pub rows: Vec<Row>,
}

/// Where the directories of `key` end, below `base`: after each `/` of the part after `base`
/// (a leading `/` of the whole keyspace is no directory of its own), at most `depth` of them.
fn dir_ends(key: &[u8], base: usize, depth: u32) -> impl Iterator<Item = usize> + '_ {
    let skip = usize::from(base == 0 && key.first() == Some(&b'/'));
    key[base..]
        .iter()
        .enumerate()
        .skip(skip)
        .filter(|(_, b)| **b == b'/')
        .map(move |(i, _)| base + i + 1)
        .take(depth as usize)
}

/// The rows being counted: the span's, then the open directory at each depth (an index into
/// `rows`); keys come in key order, so a directory's keys are one run and it is added once.
struct Counter {
    rows: Vec<Row>,
    open: Vec<usize>,
    base: usize,
    depth: u32,
}

impl Counter {
    fn count(&mut self, key: &[u8], value: usize, leased: bool) {
        self.rows[0].tally.add(key.len(), value, leased);
        for (level, end) in dir_ends(key, self.base, self.depth).enumerate() {
            let path = &key[..end];
            let same = self
                .open
                .get(level)
                .is_some_and(|&i| self.rows[i].path == path);
            if !same {
                self.open.truncate(level);
                self.open.push(self.rows.len());
                self.rows.push(Row {
                    path: path.to_vec(),
                    depth: level as u32 + 1,
                    tally: Tally::default(),
                });
            }
            let i = self.open[level];
            self.rows[i].tally.add(key.len(), value, leased);
        }
    }
}

/// The usage of `span` (KEY and everything under KEY/; "" every key) at `at`, with a row per
/// directory down to `depth` below it.
pub async fn usage(store: &impl Keys, span: &KeySpan, at: At, depth: u32) -> Result<Usage> {
    let found = store.span_key(span, at, false).await?;
    let base = if span.key().is_empty() {
        0
    } else {
        span.dir().len()
    };
    let mut counter = Counter {
        rows: vec![Row {
            path: span.key().to_vec(),
            depth: 0,
            tally: Tally::default(),
        }],
        open: Vec::new(),
        base,
        depth,
    };
    if let Some(kv) = &found.kv {
        counter.rows[0]
            .tally
            .add(kv.key.len(), kv.value.len(), kv.lease != 0);
    }
    let mut pages = store.pages(span.below(), at.or_same(found.revision), false, None);
    while let Some(page) = pages.next().await? {
        for kv in &page.kvs {
            counter.count(&kv.key, kv.value.len(), kv.lease != 0);
        }
    }
    Ok(Usage {
        revision: pages.revision().max(found.revision),
        rows: counter.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(base: usize, depth: u32, keys: &[&str]) -> Vec<(String, u32, u64)> {
        let mut counter = Counter {
            rows: vec![Row {
                path: Vec::new(),
                depth: 0,
                tally: Tally::default(),
            }],
            open: Vec::new(),
            base,
            depth,
        };
        for key in keys {
            counter.count(key.as_bytes(), 1, false);
        }
        let text = |p: &[u8]| String::from_utf8(p.to_vec()).unwrap();
        let rows = counter.rows.iter();
        rows.map(|r| (text(&r.path), r.depth, r.tally.keys))
            .collect()
    }

    #[test]
    fn directories_down_to_the_depth_each_once() {
        let keys = ["/a/x/1", "/a/x/2", "/a/y", "/a//z", "/b", "c/d"];
        assert_eq!(
            rows(0, 1, &keys),
            [("".into(), 0, 6), ("/a/".into(), 1, 4), ("c/".into(), 1, 1)]
        );
        let deep = rows(0, 3, &keys);
        assert!(deep.contains(&("/a/x/".into(), 2, 2)), "{deep:?}");
        assert!(deep.contains(&("/a//".into(), 2, 1)), "{deep:?}");
        assert_eq!(rows(0, 0, &keys), [("".into(), 0, 6)]);
        // Below a prefix "/a": its directories start after "/a/".
        let below = rows(3, 1, &keys[..4]);
        assert_eq!(below[1..], [("/a/x/".into(), 1, 2), ("/a//".into(), 1, 1)]);
    }
}
