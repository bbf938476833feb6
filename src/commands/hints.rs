//! Hints on "key not found", looked up only on that error path, never on success.

use crate::client::{Keys, Nearby};
use crate::error::Error;
use std::time::Duration;

/// How long "key not found" waits for its hint at most (a slow or failing
/// lookup leaves the message as it is).
const HINT_WAIT: Duration = Duration::from_secs(2);

/// `absent` (the backend's "key not found: KEY", or v2's refusal of a directory), with a hint when something lies near KEY
/// (looked up only now, on the error path): keys below KEY/ (`below` says what to do with
/// them; `None`: not looked for), or KEY with a leading `/`.
pub async fn not_found(
    store: &impl Keys,
    absent: crate::client::Error,
    key: &[u8],
    below: Option<&str>,
) -> Error {
    let mut error = Error::from(absent);
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

/// `err` (key not found) with a second line when etcd's v2 store holds `key` (seen from v3).
pub async fn in_other_keyspace(mut err: Error, store: &impl Keys, key: &[u8]) -> Error {
    let held = tokio::time::timeout(HINT_WAIT, store.held_in_v2(key)).await;
    if held.unwrap_or(false) {
        let key = crate::output::escape(key);
        err.hint = Some(format!(
            "{key} exists in etcd's v2 keyspace (python-etcd's); use --api v2"
        ));
    }
    err
}

/// A listing's read that found nothing at all (v2's "key not found") is an empty listing;
/// its words are kept in `found` for the error, when KEY's own read had none.
pub fn unless_absent<T>(
    read: crate::client::Result<Option<T>>,
    found: &mut crate::client::Found,
) -> crate::client::Result<Option<T>> {
    match read {
        Err(err) if err.kind == crate::client::Kind::NotFound => {
            found.absent.get_or_insert(err);
            Ok(None)
        }
        other => other,
    }
}
