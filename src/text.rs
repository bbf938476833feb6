//! Bytes shown as one line of printable text: what a message, a warning or a
//! terminal may show of a key, a value, a server's words or a typed argument.
//! A leaf: it imports nothing of the program.

/// Bytes as printable text: control characters and bytes that are not UTF-8
/// become escapes (`\n`, `\t`, `\x1b`, `\xff`), everything else stays.
pub fn escape(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => text.push_str("\\n"),
                '\t' => text.push_str("\\t"),
                '\r' => text.push_str("\\r"),
                c if (c as u32) < 0x80 && c.is_control() => {
                    let _ = write!(text, "\\x{:02x}", c as u32);
                }
                c if c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
                {
                    let _ = write!(text, "\\u{{{:x}}}", c as u32);
                }
                c => text.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(text, "\\x{b:02x}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        assert_eq!(escape(b"plain /k"), "plain /k");
        assert_eq!(escape(b"a\nb\tc\x1b[31m"), "a\\nb\\tc\\x1b[31m");
        assert_eq!(escape(b"\xff\x00z"), "\\xff\\x00z");
        assert_eq!(escape("caf\u{e9} \u{85}".as_bytes()), "caf\u{e9} \\u{85}");
    }
}
