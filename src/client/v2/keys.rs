//! The v2 keyspace: read a key or directory (one level or the whole subtree), write with a
//! TTL and python-etcd's conditions (`prevExist`, `prevValue`, `prevIndex`), delete, refresh a
//! TTL without waking watchers (`refresh=true`).

use super::{Answer, V2, encode, form, utf8};
use crate::client::error::Result;
use crate::client::v3::transport::decode;
use crate::client::{KeyValue, Kind, Retry};
use reqwest::Method;
use serde::Deserialize;
use std::time::Duration;

/// A v2 node as read: a key with its value, or a directory with the nodes below it.
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub dir: bool,
    pub created: i64,
    pub modified: i64,
    /// Seconds left, for a key with a TTL.
    pub ttl: Option<i64>,
    /// A directory's children, sorted by key (one level, or all with `recursive`).
    pub nodes: Vec<Node>,
}

impl Node {
    /// The key as the commands print one: v2 indexes for revisions, no version, no lease.
    pub fn kv(&self) -> KeyValue {
        KeyValue {
            key: self.key.clone(),
            value: self.value.clone(),
            create_revision: self.created,
            mod_revision: self.modified,
            version: 0,
            lease: 0,
        }
    }

    /// Every key (not directory) at or below this node, in key order.
    pub fn leaves(&self) -> Vec<&Node> {
        if !self.dir {
            return vec![self];
        }
        self.nodes.iter().flat_map(Node::leaves).collect()
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct WireNode {
    #[serde(default)]
    key: String,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    dir: bool,
    #[serde(default, rename = "createdIndex")]
    created: i64,
    #[serde(default, rename = "modifiedIndex")]
    modified: i64,
    #[serde(default)]
    ttl: Option<i64>,
    /// Present for a key with a TTL, also when its `ttl` (whole seconds left, rounded up) is
    /// 0 and therefore left out: the key expired and v2 has yet to remove it.
    #[serde(default)]
    expiration: Option<String>,
    #[serde(default)]
    nodes: Vec<WireNode>,
}

impl From<WireNode> for Node {
    fn from(w: WireNode) -> Node {
        let mut nodes: Vec<Node> = w.nodes.into_iter().map(Node::from).collect();
        nodes.sort_by(|a, b| a.key.cmp(&b.key));
        Node {
            key: w.key.into_bytes(),
            value: w.value.unwrap_or_default().into_bytes(),
            dir: w.dir,
            created: w.created,
            modified: w.modified,
            ttl: w.ttl.or(w.expiration.map(|_| 0)),
            nodes,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct Response {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub node: WireNode,
    #[serde(default, rename = "prevNode")]
    pub prev: Option<WireNode>,
}

impl Response {
    pub(crate) fn decode(answer: &Answer) -> Result<Response> {
        decode(&answer.url, &answer.body)
    }
}

/// python-etcd's write conditions.
#[derive(Debug, Default, Clone)]
pub struct V2Conditions {
    /// `prevExist`: `Some(false)` only create, `Some(true)` only update.
    pub exists: Option<bool>,
    /// `prevValue`
    pub value: Option<String>,
    /// `prevIndex`
    pub index: Option<i64>,
}

impl V2Conditions {
    fn push(&self, pairs: &mut Vec<(&'static str, String)>) {
        if let Some(exists) = self.exists {
            pairs.push(("prevExist", exists.to_string()));
        }
        if let Some(value) = &self.value {
            pairs.push(("prevValue", value.clone()));
        }
        if let Some(index) = self.index {
            pairs.push(("prevIndex", index.to_string()));
        }
    }
}

/// What a delete did: the index of the deletion and how many keys went.
#[derive(Debug)]
pub struct Removed {
    pub index: i64,
    pub deleted: i64,
}

pub(super) fn path(key: &[u8]) -> Result<String> {
    let key = utf8("the key", key)?;
    let key = key.strip_prefix('/').unwrap_or(key);
    Ok(format!("/keys/{}", encode(key, true)))
}

fn owned(pairs: &[(&'static str, String)]) -> String {
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    form(&refs)
}

impl V2<'_> {
    /// A key, or a directory with its children sorted (all levels when
    /// `recursive`), and the store's index; a quorum read, as v3's are linearizable.
    pub async fn get(&self, key: &[u8], recursive: bool) -> Result<(Node, i64)> {
        let query = format!("?quorum=true&sorted=true&recursive={recursive}");
        let answer = self
            .request(
                Method::GET,
                &format!("{}{query}", path(key)?),
                None,
                Retry::Idempotent,
            )
            .await?;
        let response = Response::decode(&answer)?;
        Ok((response.node.into(), answer.index))
    }

    /// Whether the v2 store holds `key` (a key or a directory); false when it
    /// cannot be told (no v2 API, refused, not text). One request, no failover.
    pub async fn holds(&self, key: &[u8]) -> bool {
        let (Ok(path), Some(base)) = (path(key), self.bases.get(self.client.start_index())) else {
            return false;
        };
        let timeout = Some(self.client.command_timeout);
        let url = format!("{base}{path}");
        matches!(self.send(Method::GET, &url, None, timeout).await, Ok(r) if r.status().is_success())
    }

    /// Write `key` (with a TTL in seconds), if `when` holds: the write's index and the
    /// previous key, if there was one.
    pub async fn set(
        &self,
        key: &[u8],
        value: &[u8],
        ttl: Option<i64>,
        when: &V2Conditions,
    ) -> Result<(i64, Option<KeyValue>)> {
        let mut pairs = vec![("value", utf8("the value", value)?.to_string())];
        if let Some(ttl) = ttl {
            pairs.push(("ttl", ttl.to_string()));
        }
        when.push(&mut pairs);
        let answer = self
            .request(Method::PUT, &path(key)?, Some(owned(&pairs)), Retry::Once)
            .await?;
        let response = Response::decode(&answer)?;
        let prev = response.prev.map(|p| Node::from(p).kv());
        Ok((response.node.modified, prev))
    }

    /// A new TTL for an existing key, value kept; watchers are not woken
    /// (`refresh=true`). The key's new modified index.
    pub async fn refresh(&self, key: &[u8], ttl: i64) -> Result<i64> {
        let pairs = [
            ("ttl", ttl.to_string()),
            ("refresh", "true".into()),
            ("prevExist", "true".into()),
        ];
        let answer = self
            .request(Method::PUT, &path(key)?, Some(owned(&pairs)), Retry::Once)
            .await?;
        Ok(Response::decode(&answer)?.node.modified)
    }

    /// [`V2::refresh`] for a key that must stay alive (a lock's): a refresh with `prevExist`
    /// is safe to repeat, so each endpoint in turn, from the current one, gets at most `within`
    /// (and the command timeout) to answer before the next is asked, as v3's keepalive does.
    pub async fn refresh_within(&self, key: &[u8], ttl: i64, within: Duration) -> Result<i64> {
        let within = within.min(self.client.command_timeout);
        let pairs = [
            ("ttl", ttl.to_string()),
            ("refresh", "true".into()),
            ("prevExist", "true".into()),
        ];
        let (path, form) = (&path(key)?, &owned(&pairs));
        let answer = self
            .client
            .failover_current(Some(within), false, |index| {
                let url = format!("{}{path}", self.bases[index]);
                let form = Some(form.clone());
                self.attempt(Method::PUT, url, form, Retry::Idempotent, Some(within))
            })
            .await?;
        Ok(Response::decode(&answer)?.node.modified)
    }

    /// Delete a key (a whole directory when `recursive`) if `when` holds.
    /// How many keys went is counted by a read just before (v2 does not say).
    pub async fn delete(
        &self,
        key: &[u8],
        recursive: bool,
        when: &V2Conditions,
    ) -> Result<Removed> {
        let deleted = if recursive {
            let (node, _) = self.get(key, true).await?;
            node.leaves().len().max(1) as i64
        } else {
            1
        };
        let mut pairs = Vec::new();
        if recursive {
            pairs.push(("recursive", "true".to_string()));
        }
        when.push(&mut pairs);
        let query = if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", owned(&pairs))
        };
        let answer = self
            .request(
                Method::DELETE,
                &format!("{}{query}", path(key)?),
                None,
                Retry::Once,
            )
            .await?;
        let response = Response::decode(&answer)?;
        Ok(Removed {
            index: response.node.modified,
            deleted,
        })
    }

    /// Add an in-order key under `dir` (python-etcd's `append`): its node.
    pub async fn append(&self, dir: &[u8], value: &str, ttl: Option<i64>) -> Result<Node> {
        let mut pairs = vec![("value", value.to_string())];
        if let Some(ttl) = ttl {
            pairs.push(("ttl", ttl.to_string()));
        }
        let answer = self
            .request(Method::POST, &path(dir)?, Some(owned(&pairs)), Retry::Once)
            .await?;
        Ok(Response::decode(&answer)?.node.into())
    }
}

impl V2<'_> {
    // migrate --check: what of v2 is left before the upgrade to 3.6.

    /// Whether the member at `url` answers v2's key API (only a member with --enable-v2 does).
    pub async fn serves_keys(&self, url: &str) -> bool {
        let url = format!("{}/v2/keys/", url.trim_end_matches('/'));
        let answer = self.send(reqwest::Method::GET, &url, None, None).await;
        answer.is_ok_and(|r| r.status().is_success() && r.headers().contains_key("x-etcd-index"))
    }

    /// Keys and empty directories the v2 store holds under `dir` (`None`: nothing, or no v2 API
    /// at the endpoints, which leaves only the data directory to check).
    pub async fn left_under(&self, dir: &str) -> Result<Option<(usize, usize)>> {
        let node = match self.get(dir.as_bytes(), true).await {
            Ok((node, _)) => node,
            Err(e) if matches!(e.kind, Kind::NotFound | Kind::NotEtcd) => return Ok(None),
            Err(e) => return Err(e),
        };
        let (keys, empty) = count(&node);
        // The root itself is no custom content.
        let empty = empty - usize::from(dir == "/" && keys == 0 && node.nodes.is_empty());
        Ok((keys + empty > 0).then_some((keys, empty)))
    }
}

/// Keys and empty directories at or below `node`.
fn count(node: &Node) -> (usize, usize) {
    if !node.dir {
        return (1, 0);
    }
    if node.nodes.is_empty() {
        return (0, 1);
    }
    node.nodes
        .iter()
        .map(count)
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}
