//! python-etcd 0.4.5's lock (its `etcd/lock.py`), so that `etcdpy --api v2 lock NAME` and
//! `etcd.Lock(client, NAME)` exclude each other: an in-order key under `<prefix>/NAME` with a
//! random hex value and a TTL; the bytewise-smallest key holds the lock; a waiter watches only
//! the key just before its own, from that key's `modifiedIndex + 1`, and looks again at any
//! change. The key's TTL is renewed every TTL/3 (with `refresh=true`, which wakes no waiter and
//! keeps the key's place; each member gets TTL/6 to answer before the next is asked) while
//! waiting and while holding; release deletes it. The fencing token
//! is the key's index (its `createdIndex`, the number in its name).

use super::{Node, V2, V2Watch};
use crate::client::error::{Error, Kind, Result};
use crate::client::{EventKind, Held, Locking, Lost, Waited, Watcher};
use crate::keys::KeySpan;
use crate::text::escape;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::time::Duration;
use tokio::time::{Instant, sleep, sleep_until, timeout as within};

/// The lock `<prefix>/NAME` on the v2 store.
pub struct V2Mutex<'a> {
    v2: &'a V2<'a>,
    name: Vec<u8>,
    ttl: u64,
    /// This holder's value in its key (python-etcd: `uuid4().hex`).
    value: String,
    /// The in-order key queued, with its created index.
    key: RefCell<Option<(Vec<u8>, i64)>>,
    renewed: Cell<Instant>,
}

impl<'a> V2Mutex<'a> {
    pub fn new(v2: &'a V2<'a>, name: Vec<u8>, ttl: u64) -> V2Mutex<'a> {
        V2Mutex {
            v2,
            name,
            ttl,
            value: random_hex(),
            key: RefCell::new(None),
            renewed: Cell::new(Instant::now()),
        }
    }

    fn queued(&self) -> Option<(Vec<u8>, i64)> {
        self.key.borrow().clone()
    }

    /// Take a place in the queue: a new in-order key.
    async fn enqueue(&self) -> Result<(Vec<u8>, i64)> {
        let sent = Instant::now();
        let node = self
            .v2
            .append(&self.name, &self.value, Some(self.ttl as i64))
            .await?;
        self.renewed.set(sent);
        let key = (node.key, node.created);
        *self.key.borrow_mut() = Some(key.clone());
        Ok(key)
    }

    /// Renew the key's TTL without waking anybody: `Ok(false)` when the key is gone. Each
    /// member gets TTL/6 to answer before the next is asked, so one that hangs does not cost
    /// the lock.
    async fn renew(&self, key: &[u8]) -> Result<bool> {
        let sent = Instant::now();
        let within = self.ttl() / 6;
        match self.v2.refresh_within(key, self.ttl as i64, within).await {
            Ok(_) => {
                self.renewed.set(sent);
                Ok(true)
            }
            Err(e) if e.kind == Kind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Every key queued, bytewise sorted by full key (python-etcd's order), and the
    /// store's index they were read at.
    async fn queue(&self) -> Result<(Vec<Node>, i64)> {
        let (dir, index) = match self.v2.get(&self.name, true).await {
            Err(e) if e.kind == Kind::NotFound => return Ok((Vec::new(), 0)),
            other => other?,
        };
        let mut leaves: Vec<Node> = dir.leaves().into_iter().cloned().collect();
        leaves.sort_by(|a, b| a.key.cmp(&b.key));
        Ok((leaves, index))
    }

    async fn give_up(&self) {
        let queued = self.key.borrow_mut().take();
        if let Some((key, _)) = queued {
            let _ = self.v2.delete(&key, false, &Default::default()).await;
        }
    }

    /// The first change to `key` from `index` on (a long poll).
    async fn changed(&self, key: &[u8], index: i64) -> Result<EventKind> {
        let span = KeySpan::new(key.to_vec(), false);
        let mut watch: V2Watch<'_> = self.v2.watch(&span, index)?;
        Ok(watch.next().await?.kind)
    }
}

impl Locking for V2Mutex<'_> {
    fn name(&self) -> &[u8] {
        &self.name
    }
    fn ttl(&self) -> Duration {
        Duration::from_secs(self.ttl)
    }
    fn renewed(&self) -> Instant {
        self.renewed.get()
    }
    fn lease(&self) -> Option<i64> {
        None
    }

    async fn acquire<S: Future>(
        &self,
        timeout: Option<Duration>,
        stop: S,
        _watcher: Option<Watcher<'_>>,
    ) -> Result<Waited<S::Output>> {
        let deadline = timeout.map(|t| Instant::now() + t);
        tokio::pin!(stop);
        let period = self.ttl() / 3;
        let mut backoff = crate::client::backoff::Backoff::new();
        loop {
            let (key, created) = match self.queued() {
                Some(queued) => queued,
                None => self.enqueue().await?,
            };
            let (queue, index) = self.queue().await?;
            let Some(place) = queue.iter().position(|n| n.key == key) else {
                // Our key expired while we could not renew it (etcdpy was stopped): queue again.
                *self.key.borrow_mut() = None;
                continue;
            };
            if place == 0 {
                return Ok(Waited::Held(Held {
                    key,
                    created,
                    token: created,
                    slot: 0,
                }));
            }
            if timeout.is_some_and(|t| t.is_zero()) {
                // Tried once (`--timeout 0`): our key goes, the holder is named.
                self.give_up().await;
                let (name, holder) = (escape(&self.name), escape(&queue[0].key));
                let message = format!(
                    "lock {name} is held (key {holder}); not waiting (--timeout 0 tries once)"
                );
                return Err(Error::new(Kind::TimedOut, message));
            }
            // Any change to the key before ours after the read (python-etcd watches from its
            // modifiedIndex + 1; from the read's index + 1 misses nothing either and stays
            // within v2's 1000-event history however old that key is).
            let before = &queue[place - 1];
            let from = index.max(before.modified) + 1;
            let renew_at = self.renewed.get() + period;
            let forever = Instant::now() + Duration::from_secs(100 * 365 * 86400);
            tokio::select! {
                changed = self.changed(&before.key, from) => match changed {
                    Ok(_) => backoff.reset(),
                    // A broken poll: look again (after a pause, so as not to spin).
                    Err(e) if e.kind != Kind::NotFound => sleep(backoff.next_pause()).await,
                    Err(_) => {}
                },
                _ = sleep_until(renew_at) => {
                    if !self.renew(&key).await.unwrap_or(true) {
                        *self.key.borrow_mut() = None;
                    }
                }
                _ = sleep_until(deadline.unwrap_or(forever)) => {
                    self.give_up().await;
                    let waited = humantime::format_duration(timeout.unwrap_or_default());
                    let message = format!("timed out after {waited} waiting for lock {}", escape(&self.name));
                    return Err(Error::new(Kind::TimedOut, message));
                }
                stopped = &mut stop => {
                    self.give_up().await;
                    return Ok(Waited::Stopped(stopped));
                }
            }
        }
    }

    async fn keep(&self, held: &Held, give_up_after: Duration, on_renew: &dyn Fn(Instant)) -> Lost {
        let period = self.ttl() / 3;
        let retry = (self.ttl() / 12).clamp(Duration::from_millis(100), Duration::from_secs(1));
        let renewals = async {
            let mut failure: Option<String> = None;
            loop {
                let give_up = self.renewed.get() + give_up_after;
                let next = match failure {
                    Some(_) => Instant::now() + retry,
                    None => self.renewed.get() + period,
                };
                sleep_until(next.min(give_up)).await;
                let sent = Instant::now();
                if sent >= give_up {
                    let since = sent - self.renewed.get();
                    return Lost::NotRenewed {
                        since,
                        error: failure,
                    };
                }
                match within(give_up - sent, self.renew(&held.key)).await {
                    Err(_) => {
                        let error = failure;
                        return Lost::NotRenewed {
                            since: give_up_after,
                            error,
                        };
                    }
                    Ok(Ok(true)) => {
                        on_renew(self.renewed.get());
                        failure = None;
                    }
                    Ok(Ok(false)) => return Lost::KeyDeleted,
                    Ok(Err(e)) => failure = Some(e.message),
                }
            }
        };
        // The key deleted or expired is seen at once, not at the next renewal.
        let watched = async {
            let mut backoff = crate::client::backoff::Backoff::new();
            loop {
                let from = match self.v2.get(&held.key, false).await {
                    Ok((_, index)) => index + 1,
                    Err(e) if e.kind == Kind::NotFound => return Lost::KeyDeleted,
                    Err(_) => {
                        sleep(backoff.next_pause()).await;
                        continue;
                    }
                };
                match self.changed(&held.key, from).await {
                    Ok(EventKind::Delete) => return Lost::KeyDeleted,
                    Ok(EventKind::Put) => backoff.reset(),
                    Err(_) => sleep(backoff.next_pause()).await,
                }
            }
        };
        tokio::select! {
            lost = renewals => lost,
            lost = watched => lost,
        }
    }

    async fn release(&self) -> Result<()> {
        let queued = self.key.borrow_mut().take();
        let Some((key, _)) = queued else {
            return Ok(());
        };
        match self.v2.delete(&key, false, &Default::default()).await {
            Err(e) if e.kind != Kind::NotFound => Err(Error::new(
                e.kind,
                format!(
                    "could not release lock {} ({}); it frees itself within {}s when its key's TTL runs out",
                    escape(&self.name),
                    e.message,
                    self.ttl
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// 32 random hex digits (python-etcd's `uuid4().hex` has the same shape).
fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .is_ok();
    if !ok {
        let seed = std::process::id() as u128
            ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
        bytes = seed.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
