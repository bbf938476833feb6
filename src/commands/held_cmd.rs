//! Starting CMD while a lock (a semaphore slot, an election) is held, with the
//! lock in its environment, watched by its guardian; and how holding ended.

use crate::client::{Held, Locking, Lost};
use crate::error::{Error, Result};
use crate::output::escape;
use crate::process::{Acted, Group, Guardian, not_started, status_code};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::process::ExitStatus;

/// How holding the lock ended, before the lease is revoked.
pub enum Ending {
    /// CMD ended with this status.
    Command(u8),
    /// Without CMD: a signal asked for the release.
    Released,
    /// Without CMD: Ctrl-C asked for the release (exit 130).
    Interrupted,
}

/// Start CMD, with the lock in its environment, watched by `guardian`.
pub fn spawn(command: &[OsString], held: &Held, guardian: &Guardian) -> Result<Group> {
    let key = OsString::from_vec(held.key.clone());
    let rev = OsString::from(held.token.to_string());
    let env = [
        ("ETCDPY_LOCK_KEY", key.clone()),
        ("ETCDPY_LOCK_REV", rev.clone()),
        ("ETCD_LOCK_KEY", key),
        ("ETCD_LOCK_REV", rev),
        ("ETCDPY_LOCK_SLOT", OsString::from(held.slot.to_string())),
    ];
    Group::spawn_guarded(command, &env, guardian).map_err(|e| {
        // Nothing to guard (the failed child is reaped already).
        guardian.stand_down();
        let what = escape(command[0].as_encoded_bytes());
        let what = format!("cannot run {what}: {e}");
        Error::new(not_started(&e), what)
    })
}

/// CMD ended with `status`: that is how etcdpy ends, unless the guardian
/// stopped CMD because the lease was not renewed in time (`lost`, if etcdpy
/// already knows why the lock is lost).
pub fn ended(
    mutex: &impl Locking,
    held: &Held,
    status: ExitStatus,
    guardian: &Guardian,
    lost: Option<Lost>,
) -> Result<Ending> {
    if guardian.stand_down() != Some(Acted::StoppedCommand) {
        return Ok(Ending::Command(status_code(status)));
    }
    let since = mutex.renewed().elapsed();
    let lost = lost.unwrap_or(Lost::NotRenewed { since, error: None });
    let stopped = "CMD's guardian stopped it before the lease could expire";
    let ttl = mutex.ttl();
    Err(lost
        .error(&mutex.what(), ttl, &held.key, Some(stopped))
        .into())
}
