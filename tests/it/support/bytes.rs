//! Keys and values that are not text, and the check that a terminal would not act on bytes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Key suffixes and values no text-only path would carry intact.
pub const NASTY: &[(&[u8], &[u8])] = &[
    (b"\xff\xfe", b""),
    (b"a\x00b", b"\x00"),
    (b"\x1b[31mred\x1b[0m", b"\xff\xfe\x00"),
    (b"cr\rnl\n", b"\x1b[2J\x1b[H"),
    ("csi\u{9b}2J".as_bytes(), "\u{9b}31m".as_bytes()),
    (b"\x80", b"\r\n"),
    (b"\x00", b"\x80abc\x7f"),
    (b"\x1b]0;title\x07", b"\x1b]0;title\x07"),
];

pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// `prefix/` followed by `suffix`.
pub fn under(prefix: &str, suffix: &[u8]) -> Vec<u8> {
    let mut key = format!("{prefix}/").into_bytes();
    key.extend_from_slice(suffix);
    key
}

/// No byte a terminal would act on: ESC, DEL, C1 (raw or as UTF-8), NUL, CR.
#[track_caller]
pub fn assert_inert(what: &str, bytes: &[u8]) {
    let at = (0..bytes.len()).find(|&i| {
        matches!(bytes[i], 0x1b | 0x7f | 0x00 | 0x9b | b'\r')
            || (bytes[i] == 0xc2 && bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)))
    });
    if let Some(at) = at {
        let around = &bytes[at.saturating_sub(40)..(at + 40).min(bytes.len())];
        panic!(
            "{what} carries a control byte at {at}: …{}…",
            around.escape_ascii()
        );
    }
}
