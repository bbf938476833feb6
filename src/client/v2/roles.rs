//! The v2 client in the commands' roles (`--api v2`, python-etcd's keyspace): reads answer a
//! listing in one page (v2 reads a subtree whole), writes with python-etcd's conditions and
//! TTLs from 1 s, python-etcd's lock, v2's watch; what v2 cannot do is refused here, with
//! [`Error::unsupported`].

use super::{Node, V2, V2Conditions, V2Listing, V2Mutex, V2Watch, Walk};
use crate::client::error::{Error, Kind, Result};
use crate::client::roles::{
    At, Backend, Cluster, Found, Keys, Leveled, Locks, Paged, V3Only, Watching,
};
use crate::client::roles::{Conditions, Entry, Nearby, Refreshed, Written};

use crate::client::{Client, ClusterView, KeyValue, RangePage, Recipe};
use crate::duration::Ttl;
use crate::keys::KeySpan;

/// `--rev` on v2.
fn no_past(at: At) -> Result<()> {
    match at {
        At::Past(_) => Err(Error::unsupported(
            "--rev",
            "the v2 store keeps no past revisions",
        )),
        At::Now | At::Same(_) => Ok(()),
    }
}

/// The v2 path of a listing's start (`DIR/` or `DIR`; v3's "every key" is v2's root).
fn node_of(start: &[u8]) -> &[u8] {
    match start {
        [0] => b"/",
        _ => start.strip_suffix(b"/").unwrap_or(start),
    }
}

impl V2<'_> {
    /// The node at `key` (`None`: not found, with v2's error), its index; every key's TTL
    /// remembered for [`Keys::ttl_left`].
    async fn node(&self, key: &[u8], recursive: bool) -> Result<(Node, i64)> {
        let (node, index) = self.get(key, recursive).await?;
        let mut ttls = self.ttls.borrow_mut();
        let mut remember = |n: &Node| {
            if let Some(ttl) = n.ttl {
                ttls.insert(n.key.clone(), ttl);
            }
        };
        remember(&node);
        node.nodes.iter().for_each(&mut remember);
        node.leaves().into_iter().for_each(remember);
        Ok((node, index))
    }

    /// The TTLs of keys a walk handed out, for [`Keys::ttl_left`].
    fn remember_ttls(&self, nodes: &[Node]) {
        let mut ttls = self.ttls.borrow_mut();
        for n in nodes.iter().filter(|n| n.ttl.is_some()) {
            ttls.insert(n.key.clone(), n.ttl.unwrap_or_default());
        }
    }

    /// python-etcd's `prevExist` / `prevValue` / `prevIndex` for v3's `--if-*`.
    fn conditions(when: &Conditions) -> Result<V2Conditions> {
        let value = when.value.clone().map(String::from_utf8).transpose();
        let value = value.map_err(|_| {
            Error::new(
                Kind::Unsupported,
                "--if-value is not UTF-8 text, which etcd's v2 API (--api v2) cannot compare",
            )
        })?;
        let exists = match (when.absent, when.exists, when.mod_revision) {
            (true, _, _) | (_, _, Some(0)) => Some(false),
            (_, true, _) => Some(true),
            _ => None,
        };
        let index = when.mod_revision.filter(|r| *r != 0);
        Ok(V2Conditions {
            exists,
            value,
            index,
        })
    }
}

impl<'a> Keys for V2<'a> {
    type Pages<'b>
        = OnePage<'b, 'a>
    where
        Self: 'b;
    type Level<'b>
        = OneLevel<'b, 'a>
    where
        Self: 'b;

    fn api(&self) -> &'static str {
        "v2"
    }

    /// A directory has no value of its own (v3's "key not found", as before); a key not
    /// found keeps v2's words.
    async fn key(&self, key: &[u8], at: At, _keys_only: bool) -> Result<Found> {
        no_past(at)?;
        match self.node(key, false).await {
            Ok((node, revision)) => Ok(Found {
                kv: (!node.dir).then(|| node.kv()),
                revision,
                absent: None,
            }),
            Err(err) if err.kind == Kind::NotFound => Ok(Found {
                kv: None,
                revision: 0,
                absent: Some(err),
            }),
            Err(err) => Err(err),
        }
    }

    fn pages(
        &self,
        range: (Vec<u8>, Vec<u8>),
        at: At,
        _keys_only: bool,
        limit: Option<u64>,
    ) -> OnePage<'_, 'a> {
        OnePage {
            v2: self,
            range,
            at,
            limit,
            index: 0,
            truncated: false,
            empty_dir: false,
            done: false,
            walk: None,
            given: 0,
        }
    }

    fn level(
        &self,
        dir: Vec<u8>,
        at: At,
        _keys_only: bool,
        limit: Option<u64>,
    ) -> OneLevel<'_, 'a> {
        OneLevel {
            v2: self,
            dir,
            at,
            limit,
            index: 0,
            truncated: false,
            empty_dir: false,
            done: false,
        }
    }

    async fn set(
        &self,
        key: &[u8],
        value: Vec<u8>,
        ttl: Option<&Ttl>,
        _prev: bool,
        when: &Conditions,
    ) -> Result<Written> {
        let when = V2::conditions(when)?;
        let ttl = ttl.map(|t| t.secs as i64);
        let (revision, prev) = V2::set(self, key, &value, ttl, &when).await?;
        Ok(Written {
            revision,
            lease: 0,
            prev,
        })
    }

    async fn remove(&self, span: &KeySpan, when: &Conditions) -> Result<(i64, i64)> {
        let when = V2::conditions(when)?;
        let removed = self.delete(span.key(), span.recursive(), &when).await?;
        Ok((removed.index, removed.deleted))
    }

    /// `refresh=true`: the value stays and no watcher is woken; v2 has no lease to renew.
    async fn refresh(&self, key: &[u8], ttl: Option<&Ttl>) -> Result<Refreshed> {
        let Some(ttl) = ttl.map(|t| t.secs as i64) else {
            return Err(Error::unsupported(
                "refresh without --ttl",
                "v2 keys have no lease to renew; give the new --ttl",
            ));
        };
        let revision = V2::refresh(self, key, ttl).await?;
        Ok(Refreshed {
            revision,
            lease: None,
            ttl,
        })
    }

    /// Keys below a directory; v2's keys are the same with or without a leading `/`.
    async fn nearby(&self, key: &[u8], below: bool) -> Option<Nearby> {
        if !below || key.is_empty() {
            return None;
        }
        let (node, _) = self.get(key, true).await.ok()?;
        let n = node.leaves().len() as i64;
        (node.dir && n > 0).then_some(Nearby::Below(n))
    }

    async fn ttl_left(&self, kv: &KeyValue) -> Result<Option<i64>> {
        Ok(self.ttls.borrow().get(&kv.key).copied())
    }
}

/// A range read from v2 in one subtree read: its keys in key order, as one page; a subtree
/// over etcdpy's 16 MiB answer cap is read directory by directory instead ([`Walk`]), a page
/// per batch, and fails at the end if it changed during the read.
pub struct OnePage<'b, 'a> {
    v2: &'b V2<'a>,
    range: (Vec<u8>, Vec<u8>),
    at: At,
    limit: Option<u64>,
    index: i64,
    truncated: bool,
    empty_dir: bool,
    done: bool,
    walk: Option<Walk<'b, 'a>>,
    /// Keys handed out by the walk so far.
    given: u64,
}

impl OnePage<'_, '_> {
    /// Whether `key` is in the range.
    fn within(&self, key: &[u8]) -> bool {
        let (start, end) = &self.range;
        // An end of "" or "\0" is v3's "every key from start on".
        let open = end.is_empty() || end == &[0];
        key >= start.as_slice() && (open || key < end.as_slice())
    }

    /// The walk's next batch as a page; at its end, an error if the subtree changed meanwhile.
    async fn next_piece(&mut self) -> Result<Option<RangePage>> {
        let Some(walk) = self.walk.as_mut() else {
            return Ok(None);
        };
        let limit = self.limit.unwrap_or(u64::MAX);
        let Some(batch) = walk.next_batch().await? else {
            let walk = self.walk.take().expect("walking");
            let span = KeySpan::new(node_of(&self.range.0).to_vec(), true);
            if let Some(changed) = walk.unsettled(&span).await? {
                return Err(changed.error(span.key(), walk.first, walk.last));
            }
            return Ok(None);
        };
        self.v2.remember_ttls(&batch);
        let mut kvs = Vec::with_capacity(batch.len());
        let wanted: Vec<&Node> = batch
            .iter()
            .filter(|n| !n.dir && self.within(&n.key))
            .collect();
        for n in wanted {
            if self.given == limit {
                self.truncated = true;
                self.walk = None;
                break;
            }
            self.given += 1;
            kvs.push(n.kv());
        }
        Ok(Some(RangePage {
            revision: self.index,
            kvs,
            more: false,
        }))
    }
}

impl Paged for OnePage<'_, '_> {
    async fn next(&mut self) -> Result<Option<RangePage>> {
        if std::mem::replace(&mut self.done, true) {
            return self.next_piece().await;
        }
        no_past(self.at)?;
        let (start, end) = &self.range;
        let (node, index) = match self.v2.node(node_of(start), true).await {
            Err(err) if crate::client::v2::too_big_for_one_read(&err) => {
                let walk = Walk::start(self.v2, node_of(start)).await?;
                self.index = walk.first;
                self.walk = Some(walk);
                return self.next_piece().await;
            }
            other => other?,
        };
        self.index = index;
        // An end of "" or "\0" is v3's "every key from start on".
        let open = end.is_empty() || end == &[0];
        let within = |k: &[u8]| k >= start.as_slice() && (open || k < end.as_slice());
        let mut kvs: Vec<KeyValue> = node
            .leaves()
            .into_iter()
            .filter(|n| !n.dir && within(&n.key))
            .map(Node::kv)
            .collect();
        kvs.sort_by(|a, b| a.key.cmp(&b.key));
        self.empty_dir = node.dir && kvs.is_empty();
        let limit = self.limit.unwrap_or(u64::MAX) as usize;
        self.truncated = kvs.len() > limit;
        kvs.truncate(limit);
        Ok(Some(RangePage {
            revision: index,
            kvs,
            more: false,
        }))
    }

    fn revision(&self) -> i64 {
        self.index
    }

    fn truncated(&self) -> bool {
        self.truncated
    }

    fn empty_dir(&self) -> bool {
        self.empty_dir
    }
}

/// One directory level read from v2 (python-etcd's `read`), as one page of entries.
pub struct OneLevel<'b, 'a> {
    v2: &'b V2<'a>,
    dir: Vec<u8>,
    at: At,
    limit: Option<u64>,
    index: i64,
    truncated: bool,
    empty_dir: bool,
    done: bool,
}

impl Leveled for OneLevel<'_, '_> {
    async fn next(&mut self) -> Result<Option<Vec<Entry>>> {
        if std::mem::replace(&mut self.done, true) {
            return Ok(None);
        }
        no_past(self.at)?;
        let (node, index) = self.v2.node(node_of(&self.dir), false).await?;
        self.index = index;
        let entries: Vec<Entry> = node
            .nodes
            .iter()
            .map(|n| match n.dir {
                true => Entry::Dir([n.key.as_slice(), b"/"].concat()),
                false => Entry::Key(n.kv()),
            })
            .collect();
        self.empty_dir = node.dir && entries.is_empty();
        let limit = self.limit.unwrap_or(u64::MAX) as usize;
        self.truncated = entries.len() > limit;
        Ok(Some(entries.into_iter().take(limit).collect()))
    }

    fn revision(&self) -> i64 {
        self.index
    }

    fn truncated(&self) -> bool {
        self.truncated
    }

    fn empty_dir(&self) -> bool {
        self.empty_dir
    }
}

impl<'a> Watching for V2<'a> {
    type Changes<'b>
        = V2Watch<'b>
    where
        Self: 'b;
    type Listing<'b>
        = V2Listing<'b>
    where
        Self: 'b;

    /// v2's events carry no previous state to ask for.
    fn watch(&self, span: &KeySpan, start_revision: i64, _prev: bool) -> Result<V2Watch<'_>> {
        V2::watch(self, span, start_revision)
    }

    fn listing(&self, span: &KeySpan) -> V2Listing<'_> {
        V2::listing(self, span)
    }
}

impl<'a> Locks for V2<'a> {
    type Lock<'b>
        = V2Mutex<'b>
    where
        Self: 'b;

    /// python-etcd's lock: in-order keys with a TTL, one holder.
    async fn lock_queue(&self, name: Vec<u8>, ttl: u64, recipe: Recipe) -> Result<V2Mutex<'_>> {
        match recipe {
            Recipe::Semaphore(n) if n > 1 => Err(Error::unsupported(
                "lock --limit above 1",
                "python-etcd's lock has one holder",
            )),
            _ => Ok(V2Mutex::new(self, name, ttl)),
        }
    }
}

impl Cluster for V2<'_> {
    async fn cluster_view(&self) -> Result<ClusterView> {
        V2::cluster_view(self).await
    }

    fn trouble_fails(&self) -> bool {
        false
    }
}

impl Backend for V2<'_> {
    fn v3(&self, what: V3Only) -> Result<&Client> {
        Err(match what {
            V3Only::Du => Error::unsupported(
                "du",
                "it counts v3's keys, their bytes and leases at one revision; v2's keys have \
                 TTLs, not leases (get -r lists them)",
            ),
            V3Only::Edit => Error::unsupported(
                "edit",
                "its write is guarded by v3's mod revision and keeps the key's v3 lease",
            ),
            V3Only::Elect => Error::unsupported(
                "elect",
                "python-etcd 0.4.5 has no election to agree with; elections live in v3",
            ),
            V3Only::Load => Error::unsupported(
                "load",
                "load writes to etcd's v3 keyspace only: run it without --api v2 (a dump made \
                 with --api v2 loads into v3)",
            ),
            V3Only::LockAdmin => Error::unsupported(
                "lock status and lock break",
                "they read etcd's v3 lock keys and leases",
            ),
            // rollback (issue 26)
            V3Only::Rollback => {
                Error::unsupported("rollback", "v2 keeps no past revisions to go back to")
            }
            V3Only::Operator => Error::unsupported(
                "the operator commands (defrag, compact, alarm, lease, move-leader and snapshot)",
                "they are etcd's v3 maintenance API",
            ),
            V3Only::History => Error::unsupported(
                "history",
                "etcd's v2 API keeps no history of a key (it is read from v3's revisions)",
            ),
            V3Only::Diff => Error::unsupported(
                "diff",
                "etcd's v2 API keeps no past values of a key (they are read from v3's revisions)",
            ),
        })
    }
}
