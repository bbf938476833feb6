//! An election's leader, looked up once or observed: the oldest key under
//! `NAME/` (etcd's `concurrency.Election`, the keys `etcdctl elect NAME`
//! makes), whose value is the leader's proposal. Campaigning is the
//! [`Mutex`](super::Mutex) with [`Recipe::Election`](super::Recipe).

use super::error::Result;
use super::v3::lock::Holder;
use super::v3::watch::{EventKind, Watch, WatchEvent};
use super::{Client, KeyValue, WatchSpec, prefix_end};

/// Every change of an election's leader, in order.
pub struct Observe<'a> {
    client: &'a Client,
    name: Vec<u8>,
    /// The leader last handed out: key, create revision, value.
    last: Option<(Vec<u8>, i64, Vec<u8>)>,
    /// Every key under `NAME/` in create-revision order, as of the last revision seen: read
    /// once, then kept up to date from the watch's events (no read per change, so that many
    /// observers cost the cluster one watch event each, not a range each).
    queue: Vec<Holder>,
    watch: Option<Watch<'a>>,
}

impl<'a> Observe<'a> {
    pub fn new(client: &'a Client, name: &[u8]) -> Observe<'a> {
        Observe {
            client,
            name: name.to_vec(),
            last: None,
            queue: Vec::new(),
            watch: None,
        }
    }

    /// The next leader (another key, or a new value the leader proclaimed),
    /// the current one first: each revision that changed a key under `NAME/`
    /// is looked at, so no leader is skipped.
    pub async fn next(&mut self) -> Result<Holder> {
        loop {
            match self.watch.as_mut() {
                None => {
                    let (queue, revision) = self.client.lock_queue(&self.name, 0, 0).await?;
                    self.queue = queue;
                    let dir = [&self.name[..], b"/"].concat();
                    self.watch = Some(self.client.watch(WatchSpec {
                        end: Some(prefix_end(&dir)),
                        key: dir,
                        start_revision: revision + 1,
                        ..Default::default()
                    }));
                }
                Some(watch) => {
                    let events = watch.next().await?;
                    events.into_iter().for_each(|e| apply(&mut self.queue, e));
                }
            }
            let Some(leader) = self.queue.first() else {
                self.last = None;
                continue;
            };
            let seen = (
                leader.key.clone(),
                leader.create_revision,
                leader.value.clone(),
            );
            if self.last.as_ref() != Some(&seen) {
                self.last = Some(seen);
                return Ok(leader.clone());
            }
        }
    }
}

/// One change to the queue: a key deleted leaves it, a key put is new (at its place by create
/// revision, then key, as etcd sorts a range by create revision) or takes its new value.
fn apply(queue: &mut Vec<Holder>, event: WatchEvent) {
    let kv: KeyValue = event.kv;
    let at = queue.iter().position(|h| h.key == kv.key);
    match (event.kind, at) {
        (EventKind::Delete, Some(at)) => {
            queue.remove(at);
        }
        (EventKind::Delete, None) => {}
        (EventKind::Put, Some(at)) => {
            queue[at].note = serde_json::from_slice(&kv.value).ok();
            queue[at].value = kv.value;
            queue[at].lease = kv.lease;
        }
        (EventKind::Put, None) => {
            let place = queue.partition_point(|h| {
                (h.create_revision, &h.key[..]) < (kv.create_revision, &kv.key[..])
            });
            let holder = Holder {
                note: serde_json::from_slice(&kv.value).ok(),
                key: kv.key,
                create_revision: kv.create_revision,
                lease: kv.lease,
                value: kv.value,
            };
            queue.insert(place, holder);
        }
    }
}
