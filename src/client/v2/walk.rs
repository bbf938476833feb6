//! A v2 subtree read in pieces, for a subtree whose one recursive answer would pass etcdpy's
//! 16 MiB cap (v2 cannot page): directory by directory (a GET without `recursive` lists one
//! level), [`IN_FLIGHT`] listings at a time, the nodes handed out in batches in byte order of
//! their keys, so memory is bounded by the widest directory, not the store.
//!
//! Consistency: v2 has no revisions to pin. Every listing is a quorum read and answers with the
//! store's `X-Etcd-Index`; the walk keeps the first (the root's listing) and the last. When they
//! are equal nothing in the whole store changed during the read; otherwise v2's event history
//! is asked (a recursive watch from `first + 1`, [`Walk::unsettled`]) whether anything in the
//! subtree changed up to `last`. None did: the read is the subtree as it was at `first`.

use super::{Node, V2};
use crate::client::error::{Error, Kind, Result};
use crate::keys::KeySpan;
use std::collections::{HashMap, HashSet, VecDeque};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

/// Directory listings in flight at once.
pub const IN_FLIGHT: usize = 8;
/// At most this many nodes per batch.
const BATCH: usize = 4096;
/// How far down the queue listings are started ahead of need.
const LOOK_AHEAD: usize = 1 << 16;
/// How long v2's event history may take to answer for changes already made; a poll still
/// waiting after that waits for a change to come: none was made in the subtree meanwhile.
const HISTORY_WAIT: Duration = Duration::from_secs(2);

/// A listing: the directory's node (`None`: gone meanwhile) and the index it was read at.
type Listing<'b> = Pin<Box<dyn Future<Output = Result<(Option<Node>, i64)>> + 'b>>;

enum Item {
    /// A key, or a directory found empty: handed out as it is.
    Node(Node),
    /// A directory still to be listed.
    Dir(Vec<u8>),
}

/// The subtree's nodes in byte order of their keys, a batch at a time ([`Walk::next_batch`]).
pub struct Walk<'b, 'a> {
    v2: &'b V2<'a>,
    queue: VecDeque<Item>,
    listed: HashMap<Vec<u8>, Option<Node>>,
    flight: Vec<(Vec<u8>, Listing<'b>)>,
    started: HashSet<Vec<u8>>,
    /// The index of the first listing, and the highest any listing answered with.
    pub first: i64,
    pub last: i64,
    /// Directories listed, and ones gone before their listing (a change during the read).
    pub listings: u64,
    pub vanished: u64,
}

/// What changed in the subtree during a piecewise read.
#[derive(Debug)]
pub struct Unsettled {
    pub changes: u64,
    pub example: Option<Vec<u8>>,
    /// v2's 1000 events no longer reach back to the read's start: changes cannot be told.
    pub cleared: bool,
}

impl<'b, 'a> Walk<'b, 'a> {
    /// A walk of the directory `root`, from its listing (read at `index`).
    pub fn new(v2: &'b V2<'a>, root: Node, index: i64) -> Walk<'b, 'a> {
        let mut walk = Walk {
            v2,
            queue: VecDeque::new(),
            listed: HashMap::new(),
            flight: Vec::new(),
            started: HashSet::new(),
            first: index,
            last: index,
            listings: 1,
            vanished: 0,
        };
        walk.expand(root);
        walk
    }

    /// A walk of `key`, listed now.
    pub async fn start(v2: &'b V2<'a>, key: &[u8]) -> Result<Walk<'b, 'a>> {
        let (root, index) = match v2.get(key, false).await {
            Err(err) if err.kind == Kind::TooLarge => return Err(too_wide(key)),
            other => other?,
        };
        Ok(Walk::new(v2, root, index))
    }

    /// The next nodes (keys, and directories found empty) in byte order; `None` at the end.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<Node>>> {
        let mut out = Vec::new();
        while out.len() < BATCH {
            match self.queue.pop_front() {
                None => break,
                Some(Item::Node(node)) => out.push(node),
                Some(Item::Dir(key)) if !out.is_empty() && !self.listed.contains_key(&key) => {
                    // Hand out what is ready before waiting for a listing.
                    self.queue.push_front(Item::Dir(key));
                    break;
                }
                Some(Item::Dir(key)) => {
                    if let Some(node) = self.listing(key).await? {
                        self.expand(node);
                    }
                }
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }

    /// A listed directory's children queued in front, in the byte order of the keys below
    /// them: a directory `d` stands for `d/…`, so it sorts as `d/`.
    fn expand(&mut self, mut dir: Node) {
        if dir.nodes.is_empty() {
            if !dir.key.is_empty() {
                self.queue.push_front(Item::Node(dir));
            }
            return;
        }
        let mut children = std::mem::take(&mut dir.nodes);
        children.sort_by_cached_key(order_key);
        for child in children.into_iter().rev() {
            let item = match child.dir {
                true => Item::Dir(child.key),
                false => Item::Node(child),
            };
            self.queue.push_front(item);
        }
    }

    /// The listing of `key` (the queue's head), with listings ahead started while it is awaited.
    async fn listing(&mut self, key: Vec<u8>) -> Result<Option<Node>> {
        loop {
            if let Some(node) = self.listed.remove(&key) {
                self.started.remove(&key);
                return Ok(node);
            }
            self.launch(&key);
            let (done, answer) = self.one_done().await;
            let (node, index) = answer?;
            self.listings += 1;
            self.vanished += u64::from(node.is_none());
            self.last = self.last.max(index);
            self.listed.insert(done, node);
        }
    }

    /// `head` listed, then the directories after it in the queue, up to [`IN_FLIGHT`].
    fn launch(&mut self, head: &[u8]) {
        let ahead = self
            .queue
            .iter()
            .take(LOOK_AHEAD)
            .filter_map(|item| match item {
                Item::Dir(key) => Some(key),
                Item::Node(_) => None,
            });
        let wanted: Vec<Vec<u8>> = std::iter::once(head)
            .chain(ahead.map(Vec::as_slice))
            .filter(|k| !self.started.contains(*k))
            .take(IN_FLIGHT.saturating_sub(self.flight.len()))
            .map(<[u8]>::to_vec)
            .collect();
        for key in wanted {
            self.started.insert(key.clone());
            let v2 = self.v2;
            let dir = key.clone();
            let listing: Listing<'b> = Box::pin(async move {
                match v2.get(&dir, false).await {
                    Ok((node, index)) => Ok((Some(node), index)),
                    Err(err) if err.kind == Kind::NotFound => Ok((None, 0)),
                    Err(err) if err.kind == Kind::TooLarge => Err(too_wide(&dir)),
                    Err(err) => Err(err),
                }
            });
            self.flight.push((key, listing));
        }
    }

    /// The first listing in flight to answer.
    async fn one_done(&mut self) -> (Vec<u8>, Result<(Option<Node>, i64)>) {
        let flight = &mut self.flight;
        poll_fn(|cx| {
            for i in 0..flight.len() {
                if let Poll::Ready(answer) = flight[i].1.as_mut().poll(cx) {
                    let (key, _) = flight.swap_remove(i);
                    return Poll::Ready((key, answer));
                }
            }
            Poll::Pending
        })
        .await
    }

    /// Whether `span` (the walked subtree) changed between the first listing and the last
    /// (`None`: it did not, the read is the subtree at index `first`).
    pub async fn unsettled(&self, span: &KeySpan) -> Result<Option<Unsettled>> {
        if self.last == self.first && self.vanished == 0 {
            return Ok(None);
        }
        let mut seen = Unsettled {
            changes: self.vanished,
            example: None,
            cleared: false,
        };
        let mut watch = self.v2.watch(span, self.first + 1)?;
        loop {
            match tokio::time::timeout(HISTORY_WAIT, watch.next()).await {
                Err(_) => break,
                Ok(Err(err)) if err.kind == Kind::Compacted => {
                    seen.cleared = true;
                    break;
                }
                Ok(Err(err)) => return Err(err),
                Ok(Ok(event)) if event.kv.mod_revision > self.last => break,
                Ok(Ok(event)) => {
                    seen.changes += 1;
                    seen.example.get_or_insert(event.kv.key);
                }
            }
        }
        Ok((seen.changes > 0 || seen.cleared).then_some(seen))
    }
}

impl Unsettled {
    /// The error a read that must be one state gives (exit 4).
    pub fn error(&self, dir: &[u8], first: i64, last: i64) -> Error {
        let dir = String::from_utf8_lossy(dir);
        let what = if self.cleared {
            "more than v2's 1000 remembered changes were made meanwhile".to_string()
        } else {
            let example = self.example.as_deref().map(String::from_utf8_lossy);
            let example = example.map_or_else(String::new, |e| format!(", e.g. {e}"));
            format!("{} changes{example}", self.changes)
        };
        Error::new(
            Kind::ConditionFailed,
            format!(
                "v2: {dir} changed while it was read directory by directory (its one answer is \
                 over etcdpy's 16 MiB limit) between index {first} and {last}: {what}; the \
                 output is not one state of the store, read again when the writes stop"
            ),
        )
    }
}

/// Whether a recursive read's failure says to read the subtree piecewise instead: its answer
/// passed the cap, or etcd timed the read out (a quorum read of 1,000,000 keys builds the whole
/// answer in etcd's apply loop, longer than its request timeout: seen on a loaded machine).
pub fn too_big_for_one_read(err: &Error) -> bool {
    err.kind == Kind::TooLarge
        || (err.kind == Kind::Unexpected && err.message.contains("etcdserver: request timed out"))
}

/// One directory whose listing alone passes the cap: v2 cannot page a directory (exit 7).
fn too_wide(dir: &[u8]) -> Error {
    Error::new(
        Kind::TooLarge,
        format!(
            "v2: the directory {} alone lists more than etcdpy's limit of 16 MiB for one \
             answer, and v2 cannot read a directory in parts",
            String::from_utf8_lossy(dir)
        ),
    )
}

/// A node's place in byte order: a directory sorts as `key/`.
fn order_key(node: &Node) -> Vec<u8> {
    let mut key = node.key.clone();
    if node.dir {
        key.push(b'/');
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: &str, dir: bool) -> Node {
        Node {
            key: key.as_bytes().to_vec(),
            dir,
            ..Node::default()
        }
    }

    #[test]
    fn directories_sort_as_their_keys_below() {
        let mut nodes = [node("/a", true), node("/a-x", false), node("/a0", true)];
        nodes.sort_by_cached_key(order_key);
        let keys: Vec<&[u8]> = nodes.iter().map(|n| n.key.as_slice()).collect();
        // "/a-x" < "/a/…" < "/a0/…", as the keys below them sort.
        assert_eq!(keys, [&b"/a-x"[..], b"/a", b"/a0"]);
    }
}
