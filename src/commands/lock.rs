//! `etcdpy lock NAME [-- CMD ARGS…]`: wait for a cluster-wide lock, run CMD
//! while holding it (or hold it until SIGINT/SIGTERM), release it at once.
//!
//! Every lock gets its own lease (`--ttl`), kept alive with one keepalive
//! POST every TTL/3 while waiting and while held. A waiter whose lease ran
//! out queues again with a new one. A holder stops CMD and exits 6 when the
//! lock is lost (lease expired or revoked, or the lock key deleted — seen at
//! once by a watch on the key) or could be lost before CMD is killed (no
//! keepalive succeeded in time). A guardian process kills CMD's group before
//! the lease can expire when etcdpy cannot (SIGKILLed, stopped). On every
//! way out the lease is revoked, which deletes the lock key and hands the
//! lock to the next waiter.

use crate::cli::{KeyEncoding, KeyParser};
use crate::client::{Acquired, Client, HolderNote, Keeping, Kind, Lost, lease_hex};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::lock::{LockResult, WaitNotice};
use crate::output::{Out, escape, warn};
use crate::process::{Acted, Group, Guardian, Signals, signal_name, status_code};
use clap::Args;
use std::cell::Cell;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::process::ExitStatus;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::{Instant, sleep, sleep_until, timeout};

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy lock backup -- sh -c 'echo \"$ETCDPY_LOCK_KEY holds fencing token $ETCDPY_LOCK_REV\"'\n  \
etcdpy lock nightly-report --timeout 30s -- date\n  \
etcdpy lock migrate --ttl 120s --kill-after 30s -- sleep 1\n  \
etcdpy lock maintenance  # (waits) prints the lock key, holds the lock until Ctrl-C\n\n\
CMD gets ETCDPY_LOCK_KEY and ETCD_LOCK_KEY (the lock key) and ETCDPY_LOCK_REV and ETCD_LOCK_REV \
(the fencing token: the revision at which the lock was acquired, as etcdctl lock sets \
ETCD_LOCK_REV; it grows with every acquisition, by etcdpy or etcdctl). etcdpy exits with CMD's \
status (128+N if signal N killed it; 127 if CMD cannot be found, 126 if it cannot be run). \
SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to CMD's process group while it runs; while \
waiting they cancel the wait and exit 128+N (130 for SIGINT). A waiter whose lease ran out \
(etcdpy was stopped) queues again. If the lock is lost while CMD runs, or could be lost before \
CMD is stopped (no keepalive succeeded in time), CMD's process group gets SIGTERM, then SIGKILL \
after --kill-after, and etcdpy exits 6. If etcdpy dies (even by SIGKILL) or is stopped, a \
guardian process does the same: SIGTERM at once (or when the lease draws near its end), and \
SIGKILL always before the lease could expire and another holder start. \
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
    /// When CMD must stop (the lock is lost, or could be), CMD's process group gets SIGTERM, then
    /// SIGKILL after this long [default: 5s]. At most a quarter of --ttl (a longer one is
    /// shortened, with a warning), so that SIGKILL comes before the lease can expire
    #[arg(long, value_parser = duration::parse, allow_hyphen_values = true, value_name = "DURATION")]
    pub kill_after: Option<Duration>,
}

/// `--prefix` when not given (in any --key-encoding).
const DEFAULT_PREFIX: &[u8] = b"/_locks";

/// `--kill-after` when not given (shortened for a short TTL).
const DEFAULT_KILL_AFTER: Duration = Duration::from_secs(5);

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

/// When CMD is stopped, for a lease of `ttl`: its lease could expire a TTL
/// after the last keepalive that succeeded was sent (the deadline).
#[derive(Clone, Copy)]
struct Timing {
    ttl: Duration,
    /// From SIGTERM to SIGKILL: --kill-after, at most a quarter of the TTL.
    grace: Duration,
    /// SIGKILL comes at least this long before the deadline (a twelfth of the TTL).
    margin: Duration,
}

impl Timing {
    /// The timing for `args`, and a warning if --kill-after had to be shortened.
    fn of(args: &LockArgs) -> (Timing, Option<String>) {
        let ttl = Duration::from_secs(args.ttl);
        let most = ttl / 4;
        let asked = args.kill_after.unwrap_or(DEFAULT_KILL_AFTER);
        let warning = (args.kill_after.is_some() && asked > most).then(|| {
            format!(
                "--kill-after {} is longer than a quarter of --ttl {}; using {}, so that CMD is \
                 killed before the lease can expire",
                humantime::format_duration(asked),
                humantime::format_duration(ttl),
                humantime::format_duration(most)
            )
        });
        let timing = Timing {
            ttl,
            grace: asked.min(most),
            margin: ttl / 12,
        };
        (timing, warning)
    }

    /// How long after the last renewal a holder gives up and stops CMD: in
    /// time for SIGKILL (a grace period later) to come two margins before the
    /// deadline, a margin before the guardian would step in.
    fn give_up_after(&self, command: bool) -> Duration {
        let grace = if command { self.grace } else { Duration::ZERO };
        self.ttl
            .saturating_sub(grace)
            .saturating_sub(self.margin * 2)
    }
}

pub async fn run(
    args: LockArgs,
    keys: KeyEncoding,
    client: &Client,
    out: &mut Out,
    color_stderr: bool,
) -> Result<()> {
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
    let (timing, warning) = Timing::of(&args);
    if let Some(warning) = warning {
        warn(&warning, color_stderr);
    }
    // From here on these signals no longer kill etcdpy: they clean up.
    let mut signals =
        Signals::catch().map_err(|e| Error::unexpected(format!("cannot catch signals: {e}")))?;
    let ttl = args.ttl as i64;
    let renewed = Cell::new(Instant::now());
    // The current lease: a new one replaces it if the wait has to start over.
    let lease = Cell::new(client.grant_exactly(ttl).await?);
    let waiting = Waiting {
        args: &args,
        timing,
        client,
        name: &name,
        lease: &lease,
        renewed: &renewed,
    };

    let outcome = hold(&waiting, out, &mut signals).await;
    let released = client.lease_revoke(lease.get()).await.map_err(Error::from);

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

/// What waiting for and holding the lock share.
struct Waiting<'a> {
    args: &'a LockArgs,
    timing: Timing,
    client: &'a Client,
    name: &'a [u8],
    /// The current lease (a new one if the wait starts over).
    lease: &'a Cell<i64>,
    /// When the last keepalive that succeeded was sent.
    renewed: &'a Cell<Instant>,
}

/// The lock, held.
struct Held {
    key: Vec<u8>,
    /// The lock key's create revision.
    created: i64,
    /// The fencing token (see [`Acquired::revision`]).
    token: i64,
}

async fn hold(w: &Waiting<'_>, out: &mut Out, signals: &mut Signals) -> Result<Ending> {
    let (args, client, name, timing) = (w.args, w.client, w.name, w.timing);
    let held = acquire(w, signals).await?;
    let lease = w.lease.get();

    // Started before CMD, so that it watches CMD from its first instruction.
    let guardian = match args.command.is_empty() {
        true => None,
        false => Some(
            Guardian::start(
                (w.renewed.get() + timing.ttl).into_std(),
                timing.grace,
                timing.margin,
            )
            .map_err(|e| Error::unexpected(format!("cannot start CMD's guardian: {e}")))?,
        ),
    };
    let on_renew = |sent: Instant| {
        if let Some(guardian) = &guardian {
            guardian.renewed((sent + timing.ttl).into_std());
        }
    };
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
        client
            .lock_note(&held.key, held.created, lease, &note)
            .await
    };
    tokio::pin!(note);
    let mut noted = false;
    let keeping = Keeping {
        lease,
        ttl: timing.ttl,
        give_up_after: timing.give_up_after(guardian.is_some()),
        renewed: w.renewed,
        held: Some((&held.key, held.created)),
    };
    let guard = async {
        tokio::select! {
            lost = client.keep_lease(keeping, &on_renew) => lost,
            lost = async {
                sleep(SETTLE).await;
                client.lock_key_watched(&held.key, held.created).await
            } => lost,
        }
    };
    tokio::pin!(guard);

    let Some(guardian) = &guardian else {
        out.emit(&LockResult::new(
            name,
            &held.key,
            held.token,
            lease,
            args.ttl as i64,
        ))?;
        loop {
            tokio::select! {
                _ = signals.recv() => return Ok(Ending::Released),
                lost = &mut guard => {
                    return Err(lost_lock(name, &why(&lost, timing, &held.key), None));
                }
                _ = &mut note, if !noted => noted = true,
            }
        }
    };

    let key_os = OsString::from_vec(held.key.clone());
    let rev_os = OsString::from(held.token.to_string());
    let env = [
        ("ETCDPY_LOCK_KEY", key_os.clone()),
        ("ETCDPY_LOCK_REV", rev_os.clone()),
        ("ETCD_LOCK_KEY", key_os),
        ("ETCD_LOCK_REV", rev_os),
    ];
    let mut group = Group::spawn_guarded(&args.command, &env, guardian).map_err(|e| {
        // Nothing to guard (the failed child is reaped already).
        guardian.stand_down();
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
    loop {
        tokio::select! {
            biased;
            status = group.wait() => {
                let status = status
                    .map_err(|e| Error::unexpected(format!("cannot wait for the command: {e}")))?;
                return ended(w, status, guardian, None);
            }
            sig = signals.recv() => group.signal(sig),
            lost = &mut guard => {
                let why = why(&lost, timing, &held.key);
                // CMD may have ended before etcdpy noticed (etcdpy was stopped).
                if let Ok(Some(_)) = group.try_wait() {
                    let status = group.wait().await
                        .map_err(|e| Error::unexpected(format!("cannot wait for the command: {e}")))?;
                    return ended(w, status, guardian, Some(&why));
                }
                let stopped = stop(&mut group, guardian, timing).await;
                return Err(lost_lock(name, &why, Some(&stopped)));
            }
            _ = &mut note, if !noted => noted = true,
        }
    }
}

/// CMD ended with `status`: that is how etcdpy ends, unless the guardian
/// stopped CMD because the lease was not renewed in time (`why`, if etcdpy
/// already knows).
fn ended(
    w: &Waiting<'_>,
    status: ExitStatus,
    guardian: &Guardian,
    why: Option<&str>,
) -> Result<Ending> {
    if guardian.stand_down() != Some(Acted::StoppedCommand) {
        return Ok(Ending::Command(status_code(status)));
    }
    let late = Lost::NotRenewed {
        since: w.renewed.get().elapsed(),
        error: None,
    };
    Err(lost_lock(
        w.name,
        why.unwrap_or(&self::why(&late, w.timing, b"")),
        Some("CMD's guardian stopped it before the lease could expire"),
    ))
}

/// Wait for the lock; a waiter whose lease ran out queues again.
async fn acquire(w: &Waiting<'_>, signals: &mut Signals) -> Result<Held> {
    let (args, client, name) = (w.args, w.client, w.name);
    let started = Instant::now();
    let deadline = args.timeout.map(|t| started + t);
    let timed_out = || {
        Error::new(
            Exit::TimedOut,
            format!(
                "timed out after {} waiting for lock {}",
                humantime::format_duration(args.timeout.unwrap_or_default()),
                escape(name)
            ),
        )
    };
    let mut notice = WaitNotice::new();
    // Ask who holds the lock only when the answer will be shown.
    let mut tick =
        tokio::time::interval_at(started + Duration::from_millis(300), Duration::from_secs(1));
    let mut seen: Option<(Vec<u8>, Instant)> = None;
    let mut pause = Duration::ZERO;
    loop {
        let current = w.lease.get();
        let keeping = Keeping {
            lease: current,
            ttl: w.timing.ttl,
            give_up_after: w.timing.ttl,
            renewed: w.renewed,
            held: None,
        };
        let guard = client.keep_lease(keeping, &|_| {});
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
        // second look (see `confirm`), so that the handoff does not wait for it.
        let own_key = [name, b"/", lease_hex(current).as_bytes()].concat();
        let probe = async {
            sleep(wait + PROBE_AFTER).await;
            client.lock_wait_checked(&own_key).await
        };
        tokio::pin!(probe);
        let mut probed = None;
        // `None`: the lease may have run out while waiting.
        let answer = loop {
            tokio::select! {
                biased;
                answer = &mut lock => break Some(answer),
                found = &mut probe, if probed.is_none() => probed = Some(found),
                _ = &mut guard => break None,
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
                    return Err(timed_out());
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
        pause = Duration::ZERO;
        match answer {
            Some(Ok(acquired)) => {
                if let Some(held) =
                    confirm(client, name, current, acquired, probed.flatten()).await?
                {
                    notice.clear();
                    return Ok(held);
                }
            }
            // The connection that held our place in the queue broke (the
            // server then drops the waiter key) or the member lost its
            // leader: queue again, with a new lease, so that the old
            // request's clean-up can never delete the new key.
            // (An answer that is not etcd's would only come again.)
            Some(Err(e)) if e.kind == Kind::Unreachable || e.kind.leaderless() => {
                pause = Duration::from_secs(1);
            }
            // Refused, and not because the lease ran out meanwhile (then:
            // queue again).
            Some(Err(e))
                if !client
                    .lease_time_to_live(current, false)
                    .await
                    .is_ok_and(|info| info.ttl < 0) =>
            {
                notice.clear();
                return Err(Error::from(e).context(format!("waiting for lock {}", escape(name))));
            }
            Some(Err(_)) | None => {}
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            notice.clear();
            return Err(timed_out());
        }
        let _ = client.lease_revoke(current).await;
        w.renewed.set(Instant::now());
        w.lease.set(client.grant_exactly(args.ttl as i64).await?);
    }
}

/// The lock's answer, checked; `None` when the waiter's lease ran out while
/// it waited (3.4 grants such a lock).
async fn confirm(
    client: &Client,
    name: &[u8],
    lease: i64,
    acquired: Acquired,
    checked: Option<(String, i64)>,
) -> Result<Option<Held>> {
    let Acquired { key, revision } = acquired;
    let held = |created| {
        Some(Held {
            key: key.clone(),
            created,
            token: revision,
        })
    };
    // The member that answered checked after the wait that the key still
    // exists, and its create revision is known: the lock is held.
    if let Some((endpoint, created)) = checked
        && endpoint == client.current_endpoint()
        && key == [name, b"/", lease_hex(lease).as_bytes()].concat()
    {
        return Ok(held(created));
    }
    match client.lock_holder(name).await? {
        Some(holder) if holder.key == key && holder.lease == lease => {
            Ok(held(holder.create_revision))
        }
        holder => {
            let gone = client
                .range(&crate::client::RangeSpec::key(&key))
                .await?
                .kvs
                .is_empty();
            if gone {
                Ok(None)
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

/// Why the lock held with `key` is lost, in words.
fn why(lost: &Lost, timing: Timing, key: &[u8]) -> String {
    match lost {
        Lost::LeaseGone => "its lease expired or was revoked".into(),
        Lost::KeyDeleted => format!(
            "its key {} was deleted (lease revoked or expired, or unlocked by someone else)",
            escape(key)
        ),
        Lost::NotRenewed { since, error } => {
            let mut why = format!(
                "no keepalive succeeded for {} (the lease expires {} after the last one)",
                show(*since),
                humantime::format_duration(timing.ttl)
            );
            if let Some(error) = error {
                why.push_str(&format!(" (last error: {error})"));
            }
            why
        }
    }
}

/// A duration to a tenth of a second: `2.4s`.
fn show(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// SIGTERM to CMD's group, SIGKILL after the grace period (before the lease
/// could expire; the guardian sends it should etcdpy not); says what it did.
async fn stop(group: &mut Group, guardian: &Guardian, timing: Timing) -> String {
    group.signal(libc::SIGTERM);
    guardian.termed();
    let mut what = "CMD got SIGTERM".to_string();
    if timeout(timing.grace, group.wait()).await.is_err() {
        what.push_str(&format!(
            " and, {} later, SIGKILL",
            humantime::format_duration(timing.grace)
        ));
    }
    // Whatever is left of the group must not go on without the lock.
    group.signal(libc::SIGKILL);
    let _ = group.wait().await;
    guardian.stand_down();
    what
}

fn lost_lock(name: &[u8], reason: &str, stopped: Option<&str>) -> Error {
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
