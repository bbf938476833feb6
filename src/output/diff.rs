//! A unified diff of two values of one key (history's `diff`, `rollback`'s plan, `edit`'s
//! conflicts), computed by the `similar` crate line by line. A value that is not text is
//! compared as its escaped form (`\xff`, `\t`, ...), one line per line of the value, so a
//! terminal shows nothing raw; a side that did not exist is an empty file labelled as absent.

use crate::text::escape;
use similar::TextDiff;

/// One side of a diff: its label (`KEY@REV`) and the value, `None` when the key did not exist.
pub struct Side<'a> {
    pub label: String,
    pub value: Option<&'a [u8]>,
}

impl<'a> Side<'a> {
    pub fn new(label: impl Into<String>, value: Option<&'a [u8]>) -> Side<'a> {
        Side {
            label: label.into(),
            value,
        }
    }

    fn text(&self) -> String {
        let Some(value) = self.value else {
            return String::new();
        };
        let mut text = String::with_capacity(value.len());
        for line in value.split_inclusive(|&b| b == b'\n') {
            let (body, newline) = match line.strip_suffix(b"\n") {
                Some(body) => (body, true),
                None => (line, false),
            };
            text.push_str(&escape(body));
            if newline {
                text.push('\n');
            }
        }
        text
    }

    fn header(&self) -> String {
        match self.value {
            Some(_) => self.label.clone(),
            None => format!("{} (absent)", self.label),
        }
    }
}

/// The unified diff (`--- old`, `+++ new`, hunks with `context` lines around each change) of
/// `old` and `new`; empty when the two are equal, including both absent.
pub fn unified(old: &Side, new: &Side, context: usize) -> String {
    if old.value == new.value {
        return String::new();
    }
    let (before, after) = (old.text(), new.text());
    let diff = TextDiff::from_lines(&before, &after);
    let mut out = diff
        .unified_diff()
        .context_radius(context)
        .missing_newline_hint(true)
        .header(&old.header(), &new.header())
        .to_string();
    if out.is_empty() {
        // Same text, different bytes can only be an absent side against an empty value.
        out = format!("--- {}\n+++ {}\n", old.header(), new.header());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_a_hunk_with_both_labels() {
        let old = Side::new("/k@5", Some(b"a\nb\nc\n"));
        let new = Side::new("/k@9", Some(b"a\nB\nc\n"));
        let text = unified(&old, &new, 3);
        assert_eq!(
            text,
            "--- /k@5\n+++ /k@9\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
        );
    }

    #[test]
    fn an_absent_side_is_labelled_and_empty() {
        let old = Side::new("/k@5", None);
        let new = Side::new("/k@9", Some(b"v"));
        let text = unified(&old, &new, 3);
        assert!(text.starts_with("--- /k@5 (absent)\n+++ /k@9\n"), "{text}");
        assert!(text.contains("+v\n"), "{text}");
        let empty = Side::new("/k@9", Some(b""));
        assert_eq!(unified(&old, &empty, 3), "--- /k@5 (absent)\n+++ /k@9\n");
    }

    #[test]
    fn equal_values_make_no_diff_and_bytes_are_escaped() {
        let same = Side::new("/k", Some(b"x"));
        assert_eq!(unified(&same, &same, 3), "");
        let old = Side::new("/k@1", Some(b"\xff\x1b"));
        let new = Side::new("/k@2", Some(b"ok"));
        assert!(unified(&old, &new, 3).contains("-\\xff\\x1b"));
    }
}
