//! An election's leader, looked up once or observed: the oldest key under
//! `NAME/` (etcd's `concurrency.Election`, the keys `etcdctl elect NAME`
//! makes), whose value is the leader's proposal. Campaigning is the
//! [`Mutex`](super::Mutex) with [`Recipe::Election`](super::Recipe).

use super::error::Result;
use super::v3::lock::Holder;
use super::v3::watch::Watch;
use super::{Client, WatchSpec, prefix_end};

/// Every change of an election's leader, in order.
pub struct Observe<'a> {
    client: &'a Client,
    name: Vec<u8>,
    /// The leader last handed out: key, create revision, value.
    last: Option<(Vec<u8>, i64, Vec<u8>)>,
    watch: Option<Watch<'a>>,
}

impl<'a> Observe<'a> {
    pub fn new(client: &'a Client, name: &[u8]) -> Observe<'a> {
        Observe {
            client,
            name: name.to_vec(),
            last: None,
            watch: None,
        }
    }

    /// The next leader (another key, or a new value the leader proclaimed),
    /// the current one first: each revision that changed a key under `NAME/`
    /// is looked at, so no leader is skipped.
    pub async fn next(&mut self) -> Result<Holder> {
        loop {
            let at = match self.watch.as_mut() {
                None => 0,
                Some(watch) => {
                    let events = watch.next().await?;
                    events.first().map_or(0, |e| e.kv.mod_revision)
                }
            };
            let (queue, revision) = self.client.lock_queue(&self.name, 1, at).await?;
            if self.watch.is_none() {
                let dir = [&self.name[..], b"/"].concat();
                self.watch = Some(self.client.watch(WatchSpec {
                    end: Some(prefix_end(&dir)),
                    key: dir,
                    start_revision: revision + 1,
                    ..Default::default()
                }));
            }
            let Some(leader) = queue.into_iter().next() else {
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
                return Ok(leader);
            }
        }
    }
}
