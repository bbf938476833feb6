//! Durations and TTLs as typed: a value or a clear one-line message, never a panic. An accepted
//! duration is at most 100 years, so that a deadline computed from it (`Instant::now() + d`,
//! as `watch --timeout`, `lock --timeout` and `leader --wait` do) cannot overflow.
#![no_main]

use etcdpy::duration::{MAX, MAX_TTL_SECS, MIN_TTL_SECS};
use libfuzzer_sys::fuzz_target;

/// A message for one line of a terminal: no control characters (typed ones are escaped).
fn one_clean_line(message: &str) {
    assert!(!message.is_empty());
    assert!(!message.chars().any(char::is_control), "{message:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = etcdpy::duration::parse(text);
    match &parsed {
        Ok(d) => {
            assert!(*d <= MAX);
            let _ = std::time::Instant::now() + *d;
        }
        Err(message) => one_clean_line(message),
    }
    match etcdpy::duration::parse_positive(text) {
        Ok(d) => assert!(!d.is_zero() && parsed == Ok(d)),
        Err(message) => one_clean_line(&message),
    }
    match etcdpy::duration::parse_ttl(text) {
        Ok(secs) => {
            assert!((MIN_TTL_SECS..=MAX_TTL_SECS).contains(&secs));
            let _ = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        }
        Err(message) => one_clean_line(&message),
    }
});
