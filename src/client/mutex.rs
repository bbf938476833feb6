//! A cluster-wide lock held with a [`Session`]'s lease (what etcd's
//! `concurrency.Mutex` does): wait in the queue through the v3lock gateway,
//! learn meanwhile whether the answer needs a second look (the probe), check
//! the answer (3.4 grants a lock whose lease expired while it waited), queue
//! again with a new lease when the old one ran out or the connection that held
//! the place in the queue broke; then, while held, keep the lease alive, write
//! the holder's note, and watch the lock key, returning why the lock is lost.
//!
//! Lock keys are `<prefix>/NAME/<lease ID in hex>`, as etcdctl lock makes
//! them, so the two exclude each other.

use super::backoff::Backoff;
use super::error::{Error, Kind, Result};
use super::session::{Lost, Session};
use super::v3::lock::{Acquired, Holder, HolderNote};
use super::{Client, RangeSpec, lease_hex};
use crate::text::escape;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::{Instant, sleep, sleep_until};

/// How long a holder waits before it writes its note and watches its key: a
/// short CMD never needs them, and its release then does not queue behind
/// their requests (the watch still sees a deletion made meanwhile).
const SETTLE: Duration = Duration::from_millis(50);

/// How long a lock wait lasts before etcdpy learns whether its answer will
/// need a second look (an uncontended lock is answered sooner).
const PROBE_AFTER: Duration = Duration::from_millis(20);

/// How long a lock wait lasts before the waiter writes its note (host, pid,
/// since when it waits) into its key.
const NOTE_AFTER: Duration = Duration::from_millis(200);

/// How one place in the queue ended.
enum Turn<S> {
    /// The lock call's answer, and what the probe learnt, if it finished.
    Answered(Result<Acquired>, Option<(String, i64)>),
    /// The lease may have run out while waiting.
    LeaseRanOut,
    Stopped(S),
    TimedOut,
}

/// Who holds the lock, looked up about once a second for a [`Watcher`].
struct Watching<'w> {
    started: Instant,
    tick: tokio::time::Interval,
    /// The holder last seen, and since when.
    seen: Option<(Vec<u8>, Instant)>,
    watcher: Option<Watcher<'w>>,
}

impl<'w> Watching<'w> {
    fn new(started: Instant, watcher: Option<Watcher<'w>>) -> Watching<'w> {
        let first = started + Duration::from_millis(300);
        Watching {
            started,
            tick: tokio::time::interval_at(first, Duration::from_secs(1)),
            seen: None,
            watcher,
        }
    }

    /// Look up the holder and tell the watcher (nothing if the lookup fails).
    async fn look(&mut self, client: &Client, name: &[u8]) {
        let (Ok(holder), Some(watcher)) = (client.lock_holder(name).await, self.watcher.as_mut())
        else {
            return;
        };
        let now = Instant::now();
        let since = match (&self.seen, &holder) {
            (Some((k, t)), Some(h)) if *k == h.key => *t,
            _ => now,
        };
        self.seen = holder.as_ref().map(|h| (h.key.clone(), since));
        watcher(holder.as_ref(), now - since);
    }
}

/// The lock `<prefix>/NAME`, waited for and held with a session's lease.
pub struct Mutex<'a> {
    pub(super) session: Session<'a>,
    pub(super) name: Vec<u8>,
    pub(super) recipe: Recipe,
}

/// What the keys under `NAME/` are, all of them in the same queue ordered by
/// create revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipe {
    /// The plain lock (through the v3lock gateway): the oldest key holds it.
    Lock,
    /// A semaphore: the N oldest keys hold it (`crate::client::semaphore`).
    Semaphore(u32),
    /// An election: the oldest key leads; each key's value is its proposal.
    Election(Vec<u8>),
}

/// The lock, held.
pub struct Held {
    pub key: Vec<u8>,
    /// The lock key's create revision.
    pub created: i64,
    /// The fencing token (see [`Acquired::revision`]; a semaphore's and an
    /// election's: the key's create revision).
    pub token: i64,
    /// The semaphore slot held (0 to N-1; 0 for a plain lock).
    pub slot: u32,
}

/// How a wait for the lock ended without an error.
pub enum Waited<S> {
    Held(Held),
    /// The caller's `stop` future completed first (with this).
    Stopped(S),
}

/// Told, about once a second while waiting, who holds the lock and for how
/// long this waiter has seen that holder.
pub type Watcher<'w> = &'w mut dyn FnMut(Option<&Holder>, Duration);

impl<'a> Mutex<'a> {
    pub fn new(session: Session<'a>, name: Vec<u8>) -> Mutex<'a> {
        Mutex::with(session, name, Recipe::Lock)
    }

    /// A lock of another [`Recipe`] (`Semaphore(1)` is the plain lock).
    pub fn with(session: Session<'a>, name: Vec<u8>, recipe: Recipe) -> Mutex<'a> {
        let recipe = match recipe {
            Recipe::Semaphore(n) if n <= 1 => Recipe::Lock,
            recipe => recipe,
        };
        Mutex {
            session,
            name,
            recipe,
        }
    }

    pub fn session(&self) -> &Session<'a> {
        &self.session
    }

    /// Release the lock: revoke the lease, which deletes the lock key and
    /// hands the lock to the next waiter.
    pub async fn release(&self) -> Result<()> {
        self.session.revoke().await.map_err(|e| {
            let message = format!(
                "could not release lock {} ({}); it frees itself within {}s when its lease expires",
                escape(&self.name),
                e.message,
                self.session.ttl_secs()
            );
            Error::new(e.kind, message)
        })
    }

    /// `<prefix>/NAME`.
    pub fn name(&self) -> &[u8] {
        &self.name
    }

    /// Wait for the lock until `timeout` (then exit 5) or until `stop`
    /// completes; a waiter whose lease ran out queues again with a new one.
    /// A zero `timeout` tries once ([`Mutex::try_acquire`]).
    pub async fn acquire<S: Future>(
        &self,
        timeout: Option<Duration>,
        stop: S,
        watcher: Option<Watcher<'_>>,
    ) -> Result<Waited<S::Output>> {
        if self.recipe != Recipe::Lock {
            return self.wait_turn(timeout, stop, watcher).await;
        }
        let (session, client, name) = (&self.session, self.session.client(), &self.name[..]);
        let (queue, _) = client.lock_queue(name, 0, 0).await?;
        self.agree(&queue)?;
        if timeout.is_some_and(|t| t.is_zero()) {
            return self.try_acquire().await.map(Waited::Held);
        }
        let started = Instant::now();
        let deadline = timeout.map(|t| started + t);
        let timed_out = || {
            let waited = humantime::format_duration(timeout.unwrap_or_default());
            let message = format!("timed out after {waited} waiting for lock {}", escape(name));
            Error::new(Kind::TimedOut, message)
        };
        tokio::pin!(stop);
        let mut watching = Watching::new(started, watcher);
        let mut pause = Duration::ZERO;
        let mut backoff = Backoff::new();
        loop {
            let current = session.lease();
            let turn = self.queue(pause, deadline, stop.as_mut(), &mut watching);
            // `None`: the lease may have run out while waiting.
            let (answer, probed) = match turn.await {
                Turn::Answered(answer, probed) => (Some(answer), probed),
                Turn::LeaseRanOut => (None, None),
                Turn::Stopped(stopped) => return Ok(Waited::Stopped(stopped)),
                Turn::TimedOut => return Err(timed_out()),
            };
            pause = Duration::ZERO;
            match answer {
                Some(Ok(acquired)) => {
                    if let Some(held) = self.confirm(current, acquired, probed).await? {
                        return Ok(Waited::Held(held));
                    }
                }
                // The connection that held our place in the queue broke (the
                // server then drops the waiter key) or the member lost its
                // leader: queue again, with a new lease, so that the old
                // request's clean-up can never delete the new key.
                // (An answer that is not etcd's would only come again.)
                Some(Err(e)) if e.kind == Kind::Unreachable || e.kind.leaderless() => {
                    pause = backoff.next_pause();
                }
                // Refused, and not because the lease ran out meanwhile (then:
                // queue again).
                Some(Err(e))
                    if !client
                        .lease_time_to_live(current, false)
                        .await
                        .is_ok_and(|info| info.ttl < 0) =>
                {
                    return Err(e.context(format!("waiting for lock {}", escape(name))));
                }
                Some(Err(_)) | None => {}
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Err(timed_out());
            }
            session.renew_lease().await?;
        }
    }

    /// Try once (`--timeout 0`, etcd's `Mutex.TryLock`): write this session's
    /// lock key, and hold the lock if it is the oldest key under `NAME/`;
    /// otherwise delete the key at once and fail (timed out, exit 5) naming
    /// the holder, leaving no waiter behind.
    async fn try_acquire(&self) -> Result<Held> {
        let (session, client, name) = (&self.session, self.session.client(), &self.name[..]);
        let own = [name, b"/", lease_hex(session.lease()).as_bytes()].concat();
        client.put(&own, Vec::new(), session.lease(), false).await?;
        let holder = client.lock_holder(name).await;
        if let Ok(Some(holder)) = &holder
            && holder.key == own
        {
            let created = holder.create_revision;
            return Ok(Held {
                key: own,
                created,
                token: created,
                slot: 0,
            });
        }
        // (Should this fail, revoking the session's lease still removes the key.)
        let _ = client.delete(&own, None).await;
        let who = holder?.map_or("another waiter".into(), |h| h.describe());
        let message = format!(
            "lock {} is held by {who}; not waiting (--timeout 0 tries once)",
            escape(name)
        );
        Err(Error::new(Kind::TimedOut, message))
    }

    /// One place in the queue, with the current lease (kept alive meanwhile),
    /// after `pause`: wait for the lock's answer, and, if the wait lasts,
    /// probe whether it will need a second look.
    async fn queue<S: Future>(
        &self,
        pause: Duration,
        deadline: Option<Instant>,
        mut stop: Pin<&mut S>,
        watching: &mut Watching<'_>,
    ) -> Turn<S::Output> {
        let (session, client, name) = (&self.session, self.session.client(), &self.name[..]);
        let current = session.lease();
        let guard = session.keep(session.ttl(), None, &|_| {});
        tokio::pin!(guard);
        let lock = async move {
            // (A zero sleep would still wait for the next timer tick.)
            if !pause.is_zero() {
                sleep(pause).await;
            }
            client.lock(name, current).await
        };
        tokio::pin!(lock);
        // A wait that lasts: learn meanwhile whether the answer will need a
        // second look (see `confirm`), so that the handoff does not wait for it.
        let own_key = [name, b"/", lease_hex(current).as_bytes()].concat();
        let probe = async {
            sleep(pause + PROBE_AFTER).await;
            client.lock_wait_checked(&own_key).await
        };
        tokio::pin!(probe);
        // A wait that lasts: say in the waiter key who waits (`lock status`).
        let note = async {
            sleep(pause + NOTE_AFTER).await;
            let page = client.range(&RangeSpec::key(&own_key)).await;
            if let Some(kv) = page.ok().and_then(|p| p.kvs.into_iter().next()) {
                let note = HolderNote::here();
                let _ = client
                    .lock_note(&own_key, kv.create_revision, current, &note)
                    .await;
            }
        };
        tokio::pin!(note);
        let (mut probed, mut noted) = (None, false);
        loop {
            tokio::select! {
                biased;
                answer = &mut lock => return Turn::Answered(answer, probed.flatten()),
                found = &mut probe, if probed.is_none() => probed = Some(found),
                _ = &mut note, if !noted => noted = true,
                _ = &mut guard => return Turn::LeaseRanOut,
                stopped = stop.as_mut() => return Turn::Stopped(stopped),
                _ = sleep_until(deadline.unwrap_or(watching.started)), if deadline.is_some() => {
                    return Turn::TimedOut;
                }
                _ = watching.tick.tick(), if watching.watcher.is_some() => {
                    watching.look(client, name).await;
                }
            }
        }
    }

    /// The lock's answer, checked; `None` when the waiter's lease ran out while
    /// it waited (3.4 grants such a lock).
    async fn confirm(
        &self,
        lease: i64,
        acquired: Acquired,
        checked: Option<(String, i64)>,
    ) -> Result<Option<Held>> {
        let (client, name) = (self.session.client(), &self.name[..]);
        let Acquired { key, revision } = acquired;
        let held = |created| {
            Some(Held {
                key: key.clone(),
                created,
                token: revision,
                slot: 0,
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
                let gone = client.range(&RangeSpec::key(&key)).await?.kvs.is_empty();
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

    /// While the lock is `held`: keep its lease alive (giving up as
    /// [`Session::keep`] does), write the holder's note into the lock key and
    /// watch the key; returns (only) when the lock is lost or could be.
    pub async fn keep(
        &self,
        held: &Held,
        give_up_after: Duration,
        on_renew: &dyn Fn(Instant),
    ) -> Lost {
        let (session, client) = (&self.session, self.session.client());
        let note = HolderNote::here();
        let key = (&held.key[..], held.created);
        tokio::select! {
            lost = session.keep(give_up_after, Some(key), on_renew) => lost,
            lost = async {
                sleep(SETTLE).await;
                session.key_watched(&held.key, held.created).await
            } => lost,
            never = async {
                sleep(SETTLE).await;
                // (A semaphore's note is written on acquisition; an election's
                // value is its proposal.)
                if self.recipe == Recipe::Lock {
                    let _ = client.lock_note(&held.key, held.created, session.lease(), &note).await;
                }
                std::future::pending().await
            } => never,
        }
    }
}

/// `<prefix>/NAME` (NAME alone with an empty prefix).
pub fn lock_name(prefix: &[u8], name: &[u8]) -> Vec<u8> {
    let end = prefix.iter().rposition(|b| *b != b'/').map_or(0, |i| i + 1);
    let mut full = prefix[..end].to_vec();
    if !full.is_empty() {
        full.push(b'/');
    }
    full.extend_from_slice(name);
    full
}

impl HolderNote {
    /// This process, holding a lock from now on.
    pub fn here() -> HolderNote {
        HolderNote {
            host: hostname(),
            pid: std::process::id(),
            since: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            limit: None,
            slot: None,
        }
    }
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
