//! `etcdpy lock NAME [-- CMD ARGS…]`: wait for a cluster-wide lock, run CMD
//! while holding it (or hold it until SIGINT/SIGTERM), release it at once.
//!
//! Every lock gets its own lease (`--ttl`), kept alive with one keepalive
//! POST every TTL/3 while waiting and while held; losing it (lease expired or
//! revoked, or the lock key deleted — seen at once by a watch on the key — or
//! no keepalive answered for a whole TTL) stops CMD and exits 6. On every way out the lease is revoked, which deletes the
//! lock key and hands the lock to the next waiter.

use crate::cli::{KeyEncoding, KeyParser};
use crate::client::{Client, HolderNote, lease_hex};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::lock::{LockResult, WaitNotice};
use crate::output::{Out, escape};
use crate::process::{Group, Signals, signal_name, status_code};
use clap::Args;
use std::cell::Cell;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::{Instant, sleep, sleep_until, timeout};

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy lock backup -- sh -c 'echo \"$ETCDPY_LOCK_KEY holds fencing token $ETCDPY_LOCK_REV\"'\n  \
etcdpy lock nightly-report --timeout 30s -- date\n  \
etcdpy lock migrate --ttl 20s --kill-after 30s -- sleep 1\n  \
etcdpy lock maintenance  # (waits) prints the lock key, holds the lock until Ctrl-C\n\n\
CMD gets ETCDPY_LOCK_KEY and ETCD_LOCK_KEY (the lock key) and ETCDPY_LOCK_REV and ETCD_LOCK_REV \
(its create revision, a fencing token that grows with every acquisition). etcdpy exits with CMD's \
status (128+N if signal N killed it; 127 if CMD cannot be found, 126 if it cannot be run). \
SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to CMD's process group while it runs; while \
waiting they cancel the wait and exit 128+N (130 for SIGINT). If the lock is lost while CMD runs, \
CMD's process group gets SIGTERM, then SIGKILL after --kill-after, and etcdpy exits 6. \
Lock keys are <prefix>/NAME/<lease ID in hex>, as etcdctl lock makes them, so \
`etcdpy lock NAME` and `etcdctl lock /_locks/NAME` exclude each other.")]
pub struct LockArgs {
    /// The lock's name; its keys live under <prefix>/NAME/
    #[arg(value_parser = KeyParser)]
    pub name: String,
    /// The command to run while holding the lock (after --); stdout is then CMD's alone, etcdpy
    /// prints nothing there. Without CMD, print the lock key (-o json: the lock as JSON) and hold
    /// the lock until SIGINT or SIGTERM
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<OsString>,
    /// Where lock keys live (python-etcd's lock_prefix) [default: /_locks]
    #[arg(long, value_parser = KeyParser, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// The lock's lease TTL (whole seconds, at least 2s): if etcdpy dies without releasing the
    /// lock, others get it after at most this long; keepalives are sent every TTL/3. 60s, as
    /// etcdctl lock, rides out a leader election or a short network outage
    #[arg(long, default_value = "60s", value_parser = duration::parse_ttl, allow_hyphen_values = true, value_name = "DURATION")]
    pub ttl: u64,
    /// Give up waiting after this long: remove the waiter key and exit 5
    #[arg(long, value_parser = duration::parse_positive, allow_hyphen_values = true, value_name = "DURATION")]
    pub timeout: Option<Duration>,
    /// When the lock is lost while CMD runs, CMD's process group gets SIGTERM, then SIGKILL after
    /// this long (kept short: another holder may already be running)
    #[arg(long, default_value = "5s", value_parser = duration::parse, allow_hyphen_values = true, value_name = "DURATION")]
    pub kill_after: Duration,
}

/// `--prefix` when not given (in any --key-encoding).
const DEFAULT_PREFIX: &[u8] = b"/_locks";

/// How long CMD runs before the holder's note is written and the lock key watched.
const SETTLE: Duration = Duration::from_millis(50);

/// How long a lock wait lasts before etcdpy learns whether its answer will
/// need a second look (an uncontended lock is answered sooner).
const PROBE_AFTER: Duration = Duration::from_millis(20);

/// How holding the lock ended, before the lease is revoked.
enum Ending {
    /// CMD ended with this status.
    Command(u8),
    /// Without CMD: a signal asked for the release.
    Released,
}

pub async fn run(args: LockArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    let name = keys.decode("NAME", &args.name)?;
    let prefix = match &args.prefix {
        Some(prefix) => keys.decode("--prefix", prefix)?,
        None => DEFAULT_PREFIX.to_vec(),
    };
    if name.is_empty() {
        return Err(Error::usage("NAME must not be empty"));
    }
    if args.command.first().is_some_and(|c| c.is_empty()) {
        return Err(Error::usage("CMD must not be empty"));
    }
    let name = lock_name(&prefix, &name);
    if !args.command.is_empty() && name.contains(&0) {
        return Err(Error::usage(format!(
            "lock {} contains a NUL byte, which CMD's environment (ETCDPY_LOCK_KEY) cannot hold",
            escape(&name)
        )));
    }
    // From here on these signals no longer kill etcdpy: they clean up.
    let mut signals =
        Signals::catch().map_err(|e| Error::unexpected(format!("cannot catch signals: {e}")))?;
    let ttl = args.ttl as i64;
    let renewed = Cell::new(Instant::now());
    // The current lease: a new one replaces it if the wait has to start over.
    let lease = Cell::new(client.grant_exactly(ttl).await?);

    let outcome = hold(&args, client, out, &name, &lease, &renewed, &mut signals).await;
    let released = client.lease_revoke(lease.get()).await;

    let unreleased = |e: Error| {
        format!(
            "could not release lock {} ({}); it frees itself within {ttl}s when its lease expires",
            escape(&name),
            e.message
        )
    };
    match (outcome, released) {
        (Ok(Ending::Command(0)), Ok(())) | (Ok(Ending::Released), Ok(())) => Ok(()),
        (Ok(Ending::Command(code)), Ok(())) => Err(Error::passthrough(code, "")),
        (Ok(Ending::Command(code)), Err(e)) => Err(Error::passthrough(code, unreleased(e))),
        (Ok(Ending::Released), Err(e)) => Err(Error::new(e.exit, unreleased(e))),
        (Err(err), _) => Err(err),
    }
}

/// `<prefix>/NAME` (NAME alone with an empty prefix).
fn lock_name(prefix: &[u8], name: &[u8]) -> Vec<u8> {
    let end = prefix.iter().rposition(|b| *b != b'/').map_or(0, |i| i + 1);
    let mut full = prefix[..end].to_vec();
    if !full.is_empty() {
        full.push(b'/');
    }
    full.extend_from_slice(name);
    full
}

async fn hold(
    args: &LockArgs,
    client: &Client,
    out: &mut Out,
    name: &[u8],
    lease: &Cell<i64>,
    renewed: &Cell<Instant>,
    signals: &mut Signals,
) -> Result<Ending> {
    let ttl = Duration::from_secs(args.ttl);
    let (key, revision) = acquire(args, client, name, lease, renewed, signals).await?;
    let lease = lease.get();

    let note = HolderNote {
        host: hostname(),
        pid: std::process::id(),
        since: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    };
    // The note and the watch start once CMD has run for a moment: a command
    // that ends sooner never needs them, and its release then does not queue
    // behind their requests (the watch still sees a deletion made meanwhile).
    let note = async {
        sleep(SETTLE).await;
        client.lock_note(&key, revision, lease, &note).await
    };
    tokio::pin!(note);
    let mut noted = false;
    let guard = async {
        tokio::select! {
            reason = keep_alive(client, lease, ttl, renewed, Some((&key, revision))) => reason,
            reason = async {
                sleep(SETTLE).await;
                watch_deletion(client, &key, revision).await
            } => reason,
        }
    };
    tokio::pin!(guard);

    if args.command.is_empty() {
        out.emit(&LockResult::new(
            name,
            &key,
            revision,
            lease,
            args.ttl as i64,
        ))?;
        loop {
            tokio::select! {
                _ = signals.recv() => return Ok(Ending::Released),
                reason = &mut guard => return Err(lost(name, &reason, None)),
                _ = &mut note, if !noted => noted = true,
            }
        }
    }

    let key_os = OsString::from_vec(key.clone());
    let rev_os = OsString::from(revision.to_string());
    let env = [
        ("ETCDPY_LOCK_KEY", key_os.clone()),
        ("ETCDPY_LOCK_REV", rev_os.clone()),
        ("ETCD_LOCK_KEY", key_os),
        ("ETCD_LOCK_REV", rev_os),
    ];
    let mut group = Group::spawn(&args.command, &env).map_err(|e| {
        let what = format!(
            "cannot run {}: {e}",
            escape(args.command[0].as_encoded_bytes())
        );
        match e.kind() {
            std::io::ErrorKind::NotFound => Error::passthrough(127, what),
            std::io::ErrorKind::PermissionDenied => Error::passthrough(126, what),
            _ => Error::unexpected(what),
        }
    })?;
    let pgid = group.pgid;
    loop {
        tokio::select! {
            biased;
            status = group.wait() => {
                let status = status
                    .map_err(|e| Error::unexpected(format!("cannot wait for the command: {e}")))?;
                return Ok(Ending::Command(status_code(status)));
            }
            sig = signals.recv() => crate::process::signal_group(pgid, sig),
            reason = &mut guard => {
                let stopped = stop(&mut group, args.kill_after).await;
                return Err(lost(name, &reason, Some(&stopped)));
            }
            _ = &mut note, if !noted => noted = true,
        }
    }
}

/// Wait for the lock; returns the lock key and its create revision.
async fn acquire(
    args: &LockArgs,
    client: &Client,
    name: &[u8],
    lease: &Cell<i64>,
    renewed: &Cell<Instant>,
    signals: &mut Signals,
) -> Result<(Vec<u8>, i64)> {
    let ttl = Duration::from_secs(args.ttl);
    let started = Instant::now();
    let deadline = args.timeout.map(|t| started + t);
    let mut notice = WaitNotice::new();
    // Ask who holds the lock only when the answer will be shown.
    let mut tick =
        tokio::time::interval_at(started + Duration::from_millis(300), Duration::from_secs(1));
    let mut seen: Option<(Vec<u8>, Instant)> = None;
    let mut pause = Duration::ZERO;
    let waited = loop {
        let current = lease.get();
        let guard = keep_alive(client, current, ttl, renewed, None);
        tokio::pin!(guard);
        let wait = pause;
        let lock = async move {
            // (A zero sleep would still wait for the next timer tick.)
            if !wait.is_zero() {
                sleep(wait).await;
            }
            client.lock(name, current).await
        };
        tokio::pin!(lock);
        // A wait that lasts: learn meanwhile whether the answer will need a
        // second look (see below), so that the handoff does not wait for it.
        let own_key = [name, b"/", lease_hex(current).as_bytes()].concat();
        let probe = async {
            sleep(wait + PROBE_AFTER).await;
            client.lock_wait_checked(&own_key).await
        };
        tokio::pin!(probe);
        let mut probed = None;
        let attempt = loop {
            tokio::select! {
                biased;
                key = &mut lock => break key,
                found = &mut probe, if probed.is_none() => probed = Some(found),
                reason = &mut guard => {
                    notice.clear();
                    return Err(lost(name, &reason, None));
                }
                sig = signals.recv() => {
                    notice.clear();
                    let message = format!(
                        "interrupted by {} while waiting for lock {}",
                        signal_name(sig),
                        escape(name)
                    );
                    return Err(if sig == libc::SIGINT {
                        Error::new(Exit::Interrupted, message)
                    } else {
                        Error::passthrough((128 + sig) as u8, message)
                    });
                }
                _ = sleep_until(deadline.unwrap_or(started)), if deadline.is_some() => {
                    notice.clear();
                    return Err(Error::new(
                        Exit::TimedOut,
                        format!(
                            "timed out after {} waiting for lock {}",
                            humantime::format_duration(args.timeout.unwrap_or_default()),
                            escape(name)
                        ),
                    ));
                }
                _ = tick.tick(), if notice.enabled() => {
                    if let Ok(holder) = client.lock_holder(name).await {
                        let now = Instant::now();
                        let since = match (&seen, &holder) {
                            (Some((k, t)), Some(h)) if *k == h.key => *t,
                            _ => now,
                        };
                        seen = holder.as_ref().map(|h| (h.key.clone(), since));
                        notice.show(name, holder.as_ref(), now - since);
                    }
                }
            }
        };
        match attempt {
            // The connection that held our place in the queue broke (the
            // server then drops the waiter key) or the member lost its
            // leader: queue again, with a new lease, so that the old
            // request's clean-up can never delete the new key.
            // (An answer that is not etcd's would only come again.)
            Err(e)
                if matches!(e.exit, Exit::Unreachable | Exit::NoLeader)
                    && !crate::client::is_not_etcd(&e) =>
            {
                let _ = client.lease_revoke(current).await;
                renewed.set(Instant::now());
                lease.set(client.grant_exactly(ttl.as_secs() as i64).await?);
                pause = Duration::from_secs(1);
            }
            other => break (other, probed.flatten()),
        }
    };
    notice.clear();
    let (waited, checked) = waited;
    let key = waited.map_err(|e| e.context(format!("waiting for lock {}", escape(name))))?;

    // The member that answered checked after the wait that the key still
    // exists, and its create revision is known: the lock is held.
    if let Some((endpoint, revision)) = checked
        && endpoint == client.current_endpoint()
        && key == [name, b"/", lease_hex(lease.get()).as_bytes()].concat()
    {
        return Ok((key, revision));
    }

    // 3.4's lock call reports success even when the waiter's lease ran out
    // meanwhile: check that the key is there and is the holder.
    match client.lock_holder(name).await? {
        Some(holder) if holder.key == key && holder.lease == lease.get() => {
            Ok((key, holder.create_revision))
        }
        holder => {
            let gone = client
                .range(&crate::client::RangeSpec::key(&key))
                .await?
                .kvs
                .is_empty();
            if gone {
                Err(lost(name, "its lease expired while waiting", None))
            } else {
                Err(Error::unexpected(format!(
                    "etcd granted lock {} but {} holds it",
                    escape(name),
                    holder.map_or("nobody".into(), |h| escape(&h.key))
                )))
            }
        }
    }
}

/// Keep the lease alive; returns (only) when the lock is lost, saying why:
/// the lease is gone, the lock key was deleted, or no keepalive succeeded
/// for a whole TTL (after which the server may have expired it).
async fn keep_alive(
    client: &Client,
    lease: i64,
    ttl: Duration,
    renewed: &Cell<Instant>,
    held: Option<(&[u8], i64)>,
) -> String {
    let period = ttl / 3;
    let retry = period.min(Duration::from_secs(1));
    let mut failure: Option<String> = None;
    loop {
        // A period after the last renewal (which may predate this loop), or
        // soon again after a failure.
        let next = if failure.is_some() {
            Instant::now() + retry
        } else {
            renewed.get() + period
        };
        sleep_until(next).await;
        let sent = Instant::now();
        // The server may expire the lease a TTL after the last renewal was sent.
        let expiry = renewed.get() + ttl;
        if sent >= expiry {
            return expired(ttl, failure);
        }
        match timeout(expiry - sent, client.lease_keepalive(lease)).await {
            Err(_) => return expired(ttl, failure),
            Ok(Ok(None)) => return "its lease expired or was revoked".into(),
            Ok(Err(e)) => failure = Some(e.message),
            Ok(Ok(Some(_))) => {
                renewed.set(sent);
                failure = None;
                if let Some((key, revision)) = held {
                    let check = timeout(period, client.lock_key_alive(key, revision)).await;
                    if let Ok(Ok(false)) = check {
                        return format!("its key {} was deleted", escape(key));
                    }
                }
            }
        }
    }
}

/// Returns (only) when the lock key is deleted, seen by a watch at once
/// rather than at the next keepalive; while no watch can be kept, the
/// keepalive loop's check is what notices.
async fn watch_deletion(client: &Client, key: &[u8], revision: i64) -> String {
    loop {
        match client.lock_key_deleted(key, revision).await {
            Ok(()) => {
                return format!(
                    "its key {} was deleted (lease revoked or expired, or unlocked by someone else)",
                    escape(key)
                );
            }
            Err(_) => sleep(Duration::from_secs(1)).await,
        }
    }
}

fn expired(ttl: Duration, failure: Option<String>) -> String {
    let mut why = format!(
        "no keepalive succeeded for the lease's whole TTL of {}",
        humantime::format_duration(ttl)
    );
    if let Some(failure) = failure {
        why.push_str(&format!(" (last error: {failure})"));
    }
    why
}

/// SIGTERM to CMD's group, SIGKILL after the grace period; says what it did.
async fn stop(group: &mut Group, grace: Duration) -> String {
    group.signal(libc::SIGTERM);
    let mut what = "CMD got SIGTERM".to_string();
    if timeout(grace, group.wait()).await.is_err() {
        what.push_str(&format!(
            " and, {} later, SIGKILL",
            humantime::format_duration(grace)
        ));
    }
    // Whatever is left of the group must not go on without the lock.
    group.signal(libc::SIGKILL);
    let _ = group.wait().await;
    what
}

fn lost(name: &[u8], reason: &str, stopped: Option<&str>) -> Error {
    let mut message = format!("lost lock {}: {reason}", escape(name));
    if let Some(stopped) = stopped {
        message.push_str(&format!("; {stopped}"));
    }
    Error::new(Exit::LockLost, message)
}

fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into buf.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    if ok {
        String::from_utf8_lossy(&buf[..end]).into_owned()
    } else {
        "?".into()
    }
}

#[cfg(test)]
mod tests {
    use super::lock_name;

    #[test]
    fn lock_names_join_prefix_and_name() {
        assert_eq!(lock_name(b"/_locks", b"backup"), b"/_locks/backup");
        assert_eq!(lock_name(b"/_locks/", b"backup"), b"/_locks/backup");
        assert_eq!(lock_name(b"", b"backup"), b"backup");
        assert_eq!(lock_name(b"/", b"\xff"), b"\xff");
    }
}
