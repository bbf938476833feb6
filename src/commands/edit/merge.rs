//! `edit`'s three-way merge, line by line (the `similar` crate's diffs of the value the edit
//! started from against the person's edit and against the key as it is now): changes that
//! touch different lines are both kept; where they overlap or touch, the two versions are
//! put between conflict markers, as git's merge does, for the person to settle in the editor.

use similar::{Algorithm, DiffTag, capture_diff_slices};
use std::ops::Range;

/// A merge's result: clean, or with conflict markers.
#[derive(Debug, PartialEq, Eq)]
pub enum Merged {
    Clean(String),
    Conflict(String),
}

/// A side's changes: (lines of the base replaced, the side's lines in their place).
type Changes = Vec<(Range<usize>, Range<usize>)>;

fn changes(base: &[&str], side: &[&str]) -> Changes {
    capture_diff_slices(Algorithm::Myers, base, side)
        .into_iter()
        .filter(|op| op.tag() != DiffTag::Equal)
        .map(|op| (op.old_range(), op.new_range()))
        .collect()
}

/// `base[start..end]` with `side`'s changes inside it applied.
fn version<'a>(base: &[&'a str], side: &[&'a str], at: Range<usize>, ch: &Changes) -> Vec<&'a str> {
    let (mut out, mut from) = (Vec::new(), at.start);
    for (old, new) in ch
        .iter()
        .filter(|(o, _)| o.start >= at.start && o.end <= at.end)
    {
        out.extend_from_slice(&base[from..old.start]);
        out.extend_from_slice(&side[new.clone()]);
        from = old.end;
    }
    out.extend_from_slice(&base[from..at.end]);
    out
}

fn lines(s: &str) -> Vec<&str> {
    s.split_inclusive('\n').collect()
}

/// Merge `mine` and `theirs`, both edited from `base`; `labels` name them in the markers.
pub fn merge3(base: &str, mine: &str, theirs: &str, labels: (&str, &str)) -> Merged {
    let (b, m, t) = (lines(base), lines(mine), lines(theirs));
    let (cm, ct) = (changes(&b, &m), changes(&b, &t));
    let mut all: Vec<(Range<usize>, bool)> = cm.iter().map(|c| (c.0.clone(), true)).collect();
    all.extend(ct.iter().map(|c| (c.0.clone(), false)));
    all.sort_by_key(|(r, mine)| (r.start, r.end, !*mine));
    let (mut out, mut conflict, mut at) = (String::new(), false, 0);
    let mut i = 0;
    while i < all.len() {
        let (mut group, mut sides) = (all[i].0.clone(), (all[i].1, !all[i].1));
        i += 1;
        while i < all.len() && all[i].0.start <= group.end {
            group.end = group.end.max(all[i].0.end);
            sides.0 |= all[i].1;
            sides.1 |= !all[i].1;
            i += 1;
        }
        out.extend(b[at..group.start].iter().copied());
        let ours = version(&b, &m, group.clone(), &cm);
        let other = version(&b, &t, group.clone(), &ct);
        match sides {
            (true, false) => out.extend(ours),
            (false, true) => out.extend(other),
            _ if ours == other => out.extend(ours),
            _ => {
                conflict = true;
                markers(&mut out, &ours, &other, labels);
            }
        }
        at = group.end;
    }
    out.extend(b[at..].iter().copied());
    if conflict {
        Merged::Conflict(out)
    } else {
        Merged::Clean(out)
    }
}

fn markers(out: &mut String, ours: &[&str], other: &[&str], labels: (&str, &str)) {
    let block = |out: &mut String, lines: &[&str]| {
        for line in lines {
            out.push_str(line);
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
    };
    out.push_str(&format!("<<<<<<< {}\n", labels.0));
    block(out, ours);
    out.push_str("=======\n");
    block(out, other);
    out.push_str(&format!(">>>>>>> {}\n", labels.1));
}

/// Whether `text` still holds a conflict marker line.
pub fn has_markers(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("<<<<<<< ") || l == "=======" || l.starts_with(">>>>>>> "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: (&str, &str) = ("mine", "theirs");

    #[test]
    fn changes_to_different_lines_are_both_kept() {
        let merged = merge3("a\nb\nc\nd\n", "A\nb\nc\nd\n", "a\nb\nc\nD\n", L);
        assert_eq!(merged, Merged::Clean("A\nb\nc\nD\n".into()));
        let same = merge3("a\nb\n", "a\nB\n", "a\nB\n", L);
        assert_eq!(same, Merged::Clean("a\nB\n".into()));
        let added = merge3("a\nb\nc\n", "a\nb\nc\nmine\n", "a\nX\nc\n", L);
        assert_eq!(added, Merged::Clean("a\nX\nc\nmine\n".into()));
    }

    #[test]
    fn changes_to_one_line_conflict_with_markers() {
        let merged = merge3("a\nb\nc\n", "a\nmine\nc\n", "a\ntheirs\nc\n", L);
        let text = "a\n<<<<<<< mine\nmine\n=======\ntheirs\n>>>>>>> theirs\nc\n";
        assert_eq!(merged, Merged::Conflict(text.into()));
        assert!(has_markers(text) && !has_markers("a\n== x\n"));
        let unterminated = merge3("v", "mine", "theirs", L);
        let text = "<<<<<<< mine\nmine\n=======\ntheirs\n>>>>>>> theirs\n";
        assert_eq!(unterminated, Merged::Conflict(text.into()));
    }
}
