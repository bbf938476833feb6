//! The queue etcdpy keeps itself, for a semaphore (`lock --limit N`: the N
//! oldest keys hold it) and an election (the oldest key leads; etcd's
//! `concurrency.Election` recipe, as `etcdctl elect` runs it): the same keys
//! as the plain lock, `NAME/<lease ID in hex>` on the session's lease, in one
//! queue ordered by create revision, so that `etcdctl lock` and `etcdctl
//! elect` keys are seen and wait their turn.
//!
//! A semaphore waiter writes its N (and host, pid) into its key when it
//! queues; keys ahead of it that say another N, or none (a plain lock,
//! etcdctl's), are refused rather than mixed. A holder's slot (0 to N-1) is
//! the lowest one the holders ahead of it do not hold, written into its key.

use super::backoff::Backoff;
use super::error::{Error, Kind, Result};
use super::mutex::{Held, Mutex, Recipe, Waited, Watcher};
use super::v3::lock::{Holder, HolderNote};
use super::{EventKind, WatchSpec, lease_hex, prefix_end};
use crate::text::escape;
use std::future::Future;
use std::time::Duration;
use tokio::time::{Instant, sleep, sleep_until};

/// How soon a waiter that is among the first N looks again while a holder
/// ahead of it has not yet written its slot.
const SLOT_POLL: Duration = Duration::from_millis(20);

/// How often a waiter tells its watcher who holds the lock (from the last read).
const SHOW_EVERY: Duration = Duration::from_secs(1);

impl<'a> Mutex<'a> {
    /// How many of the oldest keys hold the lock.
    fn places(&self) -> usize {
        match self.recipe {
            Recipe::Semaphore(n) => n as usize,
            Recipe::Lock | Recipe::Election(_) => 1,
        }
    }

    /// "lock NAME" or "election NAME".
    pub fn what(&self) -> String {
        let kind = match self.recipe {
            Recipe::Election(_) => "election",
            Recipe::Lock | Recipe::Semaphore(_) => "lock",
        };
        format!("{kind} {}", escape(&self.name))
    }

    /// Refuse to share the queue with keys that use another N (an error
    /// naming one of them); elections take any key.
    pub(super) fn agree(&self, others: &[Holder]) -> Result<()> {
        let limit = match self.recipe {
            Recipe::Election(_) => return Ok(()),
            Recipe::Semaphore(n) => n,
            Recipe::Lock => 1,
        };
        let Some(other) = others
            .iter()
            .find(|h| HolderNote::limit_of(h.note.as_ref()) != limit)
        else {
            return Ok(());
        };
        let theirs = HolderNote::limit_of(other.note.as_ref());
        let message = format!(
            "{} is used with --limit {theirs} by {}; refusing --limit {limit} (all holders of \
             one lock must use the same --limit)",
            self.what(),
            other.describe()
        );
        Err(Error::new(Kind::InvalidInput, message))
    }

    /// What this waiter writes into its key.
    fn waiter_value(&self) -> Result<Vec<u8>> {
        match &self.recipe {
            Recipe::Election(proposal) => Ok(proposal.clone()),
            Recipe::Semaphore(n) => {
                let note = HolderNote {
                    limit: Some(*n),
                    ..HolderNote::here()
                };
                serde_json::to_vec(&note).map_err(super::error::encoding)
            }
            Recipe::Lock => Ok(Vec::new()),
        }
    }

    /// Whether a key ahead of this waiter is settled as a holder (a semaphore
    /// holder has written its slot).
    fn settled(&self, holder: &Holder) -> bool {
        match self.recipe {
            Recipe::Semaphore(_) => holder.note.as_ref().is_some_and(|n| n.slot.is_some()),
            Recipe::Lock | Recipe::Election(_) => true,
        }
    }

    /// Queue with the session's lease and wait until the key is among the
    /// first [`Mutex::places`]; until `timeout` (exit 5; zero: look once) or
    /// until `stop` completes. A key that disappears (its lease ran out) is
    /// made again with a new lease.
    pub(super) async fn wait_turn<S: Future>(
        &self,
        timeout: Option<Duration>,
        stop: S,
        mut watcher: Option<Watcher<'_>>,
    ) -> Result<Waited<S::Output>> {
        let (session, client, name) = (&self.session, self.session.client(), &self.name[..]);
        let started = Instant::now();
        let deadline = timeout.map(|t| started + t);
        let dir = [name, b"/"].concat();
        let mut seen: Option<(Vec<u8>, Instant)> = None;
        let mut backoff = Backoff::new();
        tokio::pin!(stop);
        loop {
            let lease = session.lease();
            let own = [&dir[..], lease_hex(lease).as_bytes()].concat();
            let (created, _) = client.put(&own, self.waiter_value()?, lease, false).await?;
            loop {
                let (queue, revision) = client.lock_queue(name, 0, 0).await?;
                let Some(place) = queue.iter().position(|h| h.key == own) else {
                    // The key is gone (its lease ran out, or it was deleted).
                    session.renew_lease().await?;
                    break;
                };
                let ahead = &queue[..place];
                self.agree(ahead)?;
                let first = ahead.len() < self.places();
                if first && ahead.iter().all(|h| self.settled(h)) {
                    let slot = self.take_slot(&own, created, ahead).await?;
                    return Ok(Waited::Held(held(own, created, slot)));
                }
                if timeout.is_some_and(|t| t.is_zero()) {
                    return Err(self.not_waiting(ahead));
                }
                if let Some(watcher) = watcher.as_mut() {
                    show_holder(watcher, &mut seen, ahead.first());
                }
                let turn = self.turn_may_have_come(&dir, ahead, revision, &mut backoff);
                let keep = session.keep(session.ttl(), None, &|_| {});
                tokio::pin!(turn, keep);
                let mut tick = tokio::time::interval_at(Instant::now() + SHOW_EVERY, SHOW_EVERY);
                loop {
                    tokio::select! {
                        biased;
                        stopped = stop.as_mut() => return Ok(Waited::Stopped(stopped)),
                        _ = sleep_until(deadline.unwrap_or(started)), if deadline.is_some() => {
                            return Err(self.timed_out(timeout));
                        }
                        // The lease ran out: the next look finds the key gone.
                        _ = &mut keep => break,
                        // The only key ahead is gone: this waiter is next, no read needed
                        // (a key made later can never get ahead of it).
                        proven = &mut turn => match proven {
                            true => return Ok(Waited::Held(held(own, created, 0))),
                            false => break,
                        },
                        // The holder as last read, and for how long (no request).
                        _ = tick.tick(), if watcher.is_some() => {
                            if let Some(watcher) = watcher.as_mut() {
                                show_holder(watcher, &mut seen, ahead.first());
                            }
                        }
                    }
                }
            }
        }
    }

    /// Returns when this waiter's turn may have come (the queue read at `revision`, with
    /// `ahead` before it): it watches only what it must, so that a release wakes one waiter,
    /// not the queue (no herd). A lock or an election (one place): the key just before it
    /// deleted, as etcd's recipes wait; a semaphore of N: as many of the keys ahead deleted
    /// as it takes to be among the first N, counted from one watch of the queue's deletions;
    /// among the first N already: a holder ahead writing its slot (looked at again every
    /// [`SLOT_POLL`]). A watch that fails is looked at again after a back-off pause. True
    /// when the turn has come for sure: one place, and the one key ahead was deleted.
    async fn turn_may_have_come(
        &self,
        dir: &[u8],
        ahead: &[Holder],
        revision: i64,
        backoff: &mut Backoff,
    ) -> bool {
        let client = self.session.client();
        let places = self.places();
        let first = ahead.len() < places;
        let (key, end) = match ahead.last() {
            Some(before) if places == 1 => (before.key.clone(), None),
            _ => (dir.to_vec(), Some(prefix_end(dir))),
        };
        let mut watch = client.watch(WatchSpec {
            key,
            end,
            start_revision: revision + 1,
            no_put: !first,
            ..Default::default()
        });
        if first {
            tokio::select! {
                changed = watch.next() => if changed.is_err() { sleep(SLOT_POLL).await },
                _ = sleep(SLOT_POLL) => {}
            }
            return false;
        }
        // The keys ahead not yet seen deleted.
        let mut left: Vec<&[u8]> = ahead.iter().map(|h| &h.key[..]).collect();
        loop {
            let Ok(events) = watch.next().await else {
                sleep(backoff.next_pause()).await;
                return false;
            };
            backoff.reset();
            for event in events.iter().filter(|e| e.kind == EventKind::Delete) {
                left.retain(|key| *key != &event.kv.key[..]);
            }
            // One place: only the key just before is watched; once it is gone, this waiter is
            // next if it was the only one ahead, else the queue is read again.
            if places == 1 && left.len() < ahead.len() {
                return ahead.len() == 1;
            }
            if left.len() < places {
                return false;
            }
        }
    }

    /// The wait lasted `timeout`.
    fn timed_out(&self, timeout: Option<Duration>) -> Error {
        let waited = humantime::format_duration(timeout.unwrap_or_default());
        let message = format!("timed out after {waited} waiting for {}", self.what());
        Error::new(Kind::TimedOut, message)
    }

    /// `--timeout 0` and the lock is taken: who holds it (and how many more, for a semaphore).
    fn not_waiting(&self, ahead: &[Holder]) -> Error {
        let mut who = ahead
            .first()
            .map_or("another waiter".into(), Holder::describe);
        let more = ahead.len().min(self.places()).saturating_sub(1);
        if more > 0 {
            who.push_str(&format!(" and {more} more"));
        }
        let message = format!(
            "{} is held by {who}; not waiting (--timeout 0 tries once)",
            self.what()
        );
        Error::new(Kind::TimedOut, message)
    }

    /// A semaphore holder's slot: the lowest the holders `ahead` do not
    /// hold, written into its key with the time it was taken.
    async fn take_slot(&self, own: &[u8], created: i64, ahead: &[Holder]) -> Result<u32> {
        let Recipe::Semaphore(n) = self.recipe else {
            return Ok(0);
        };
        let taken: Vec<u32> = ahead.iter().filter_map(|h| h.note.as_ref()?.slot).collect();
        let slot = (0..n).find(|s| !taken.contains(s)).unwrap_or(0);
        let note = HolderNote {
            limit: Some(n),
            slot: Some(slot),
            ..HolderNote::here()
        };
        let value = serde_json::to_vec(&note).map_err(super::error::encoding)?;
        let client = self.session.client();
        // Not written: the key is gone, which keeping the lock notices.
        let _ = client
            .put_if_created(own, created, self.session.lease(), value)
            .await?;
        Ok(slot)
    }
}

/// The lock held with the key `own` made at `created`, in `slot`.
fn held(own: Vec<u8>, created: i64, slot: u32) -> Held {
    Held {
        key: own,
        created,
        token: created,
        slot,
    }
}

/// Tell the watcher who is ahead, and since when (a holder seen last time keeps its time).
fn show_holder(
    watcher: &mut Watcher<'_>,
    seen: &mut Option<(Vec<u8>, Instant)>,
    holder: Option<&Holder>,
) {
    let now = Instant::now();
    let since = match (&*seen, holder) {
        (Some((k, t)), Some(h)) if *k == h.key => *t,
        _ => now,
    };
    *seen = holder.map(|h| (h.key.clone(), since));
    watcher(holder, now - since);
}
