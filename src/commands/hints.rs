//! Hints on "key not found", looked up only on that error path, never on success.

use crate::client::{Nearby, Store, V2};
use crate::error::Error;
use std::time::Duration;

/// How long "key not found" waits for its hint at most (a slow or failing
/// lookup leaves the message as it is).
const HINT_WAIT: Duration = Duration::from_secs(2);

/// "key not found: KEY", with a hint when something lies near it (looked up
/// only now, on the error path): keys below KEY/ (`below` says what to do with
/// them; `None`: not looked for), or KEY with a leading `/`.
pub async fn not_found(store: &impl Store, key: &[u8], below: Option<&str>) -> Error {
    let mut error = Error::not_found(key);
    let nearby = tokio::time::timeout(HINT_WAIT, store.nearby(key, below.is_some())).await;
    let hint = match nearby.ok().flatten() {
        Some(Nearby::Below(n)) => {
            let keys = if n == 1 { "key" } else { "keys" };
            let dir = crate::output::escape(key);
            let slash = if key.ends_with(b"/") { "" } else { "/" };
            format!(
                "{dir}{slash} is a directory of {n} {keys}: {}",
                below.unwrap_or("")
            )
        }
        Some(Nearby::Slashed(slashed)) => {
            format!("did you mean {}?", crate::output::escape(&slashed))
        }
        None => return error,
    };
    error.message = format!("{} ({hint})", error.message);
    error
}

/// `err` (key not found in v3) with a second line when etcd's v2 store holds `key`.
pub async fn in_v2(mut err: Error, v2: &V2<'_>, key: &[u8]) -> Error {
    let held = tokio::time::timeout(HINT_WAIT, v2.holds(key)).await;
    if held.unwrap_or(false) {
        let key = crate::output::escape(key);
        err.hint = Some(format!(
            "{key} exists in etcd's v2 keyspace (python-etcd's); use --api v2"
        ));
    }
    err
}
