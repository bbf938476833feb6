//! Durations and TTLs as typed: a value or a clear message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = etcdpy::duration::parse(text);
    if let Err(message) = &parsed {
        assert!(!message.is_empty());
    }
    match etcdpy::duration::parse_positive(text) {
        Ok(d) => assert!(!d.is_zero() && parsed == Ok(d)),
        Err(message) => assert!(!message.is_empty()),
    }
    match etcdpy::duration::parse_ttl(text) {
        Ok(secs) => assert!((etcdpy::duration::MIN_TTL_SECS..=9_000_000_000).contains(&secs)),
        Err(message) => assert!(!message.is_empty()),
    }
});
