//! `get PREFIX -r --tree`: the listing as an indented tree, printed key by key as the pages
//! come (only the directories of the key before are kept). Path segments are directories: a
//! line per directory (its segment and `/`, once: a directory's keys come in one run in key
//! order) and per key (its last segment, then what `get -r` prints after the key), each two
//! spaces deeper than the directory it is in. An empty segment shows as nothing before its
//! `/` (a directory) or as `""` (a key ending in `/`).

use super::Out;
use std::io;

/// The tree being printed.
pub struct Tree {
    /// PREFIX/ (the line above the rest, once), or "" for every key (no such line).
    base: Vec<u8>,
    /// The directories open, outermost first: the segments of the key before.
    open: Vec<Vec<u8>>,
    base_shown: bool,
}

impl Tree {
    pub fn new(base: Vec<u8>) -> Tree {
        Tree {
            base,
            open: Vec::new(),
            base_shown: false,
        }
    }

    /// Print the lines that lead to `key`, then its own line's start (indent and name);
    /// the caller prints the rest of the line.
    pub fn key(&mut self, out: &mut Out, key: &[u8]) -> io::Result<()> {
        let Some(rest) = key.strip_prefix(self.base.as_slice()) else {
            // PREFIX's own key, beside PREFIX/.
            return out.key(key);
        };
        let mut depth = 0;
        if !self.base.is_empty() {
            if !self.base_shown {
                out.key(&self.base)?;
                out.raw(b"\n")?;
                self.base_shown = true;
            }
            depth = 1;
        }
        let mut segments: Vec<&[u8]> = rest.split(|b| *b == b'/').collect();
        let name = segments.pop().unwrap_or_default();
        let same = self
            .open
            .iter()
            .zip(&segments)
            .take_while(|(a, b)| a.as_slice() == **b)
            .count();
        self.open.truncate(same);
        for segment in &segments[same..] {
            indent(out, depth + self.open.len())?;
            out.key(segment)?;
            out.raw(b"/\n")?;
            self.open.push(segment.to_vec());
        }
        indent(out, depth + segments.len())?;
        match name {
            b"" => out.raw(b"\"\""),
            name => out.key(name),
        }
    }
}

fn indent(out: &mut Out, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        out.raw(b"  ")?;
    }
    Ok(())
}
