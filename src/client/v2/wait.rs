//! `wait` on v2: the key (or subtree) read with a quorum read that also answers "not found"
//! with the store's index, then v2's watch from the next index (`waitIndex`).

use super::keys::path;
use super::keys::{Node, Response};
use super::{V2, V2Watch};
use crate::client::Retry;
use crate::client::error::{Error, Kind, Result};
use crate::client::roles::{Awaiting, Snapshot};
use crate::client::v3::transport::Attempt;
use crate::keys::KeySpan;
use reqwest::Method;

impl<'a> Awaiting for V2<'a> {
    type Stream<'b>
        = V2Watch<'b>
    where
        Self: 'b;

    /// v2 cannot read the past: only `revision` 0 (now) is asked for by `wait` on v2, which
    /// keeps the subtree's keys instead.
    async fn snapshot(&self, span: &KeySpan, revision: i64) -> Result<Snapshot> {
        if revision != 0 {
            return Err(Error::new(
                Kind::Unsupported,
                "etcd's v2 API cannot read an earlier index",
            ));
        }
        let recursive = span.recursive();
        let (node, revision) = self.subtree(span).await?;
        let Some(node) = node else {
            return Ok(Snapshot {
                revision,
                first: None,
                keys: recursive.then(Vec::new),
            });
        };
        if !recursive {
            let first = Some(node.kv());
            return Ok(Snapshot {
                revision,
                first,
                keys: None,
            });
        }
        let leaves = node.leaves();
        let first = leaves.first().map(|n| n.kv());
        let keys = Some(leaves.iter().map(|n| n.key.clone()).collect());
        Ok(Snapshot {
            revision,
            first,
            keys,
        })
    }

    fn changes(&self, span: &KeySpan, revision: i64) -> Result<Self::Stream<'_>> {
        self.watch(span, revision)
    }
}

impl V2<'_> {
    /// The key (with -r its subtree) and the index it was read at, with a quorum read that
    /// answers "not found" with the index too (`None`).
    pub(crate) async fn subtree(&self, span: &KeySpan) -> Result<(Option<Node>, i64)> {
        let recursive = span.recursive();
        let query = format!(
            "{}?quorum=true&sorted=true&recursive={recursive}",
            path(span.key())?
        );
        let query = &query;
        let answer = self
            .client
            .failover_current(None, true, |index| {
                let url = format!("{}{query}", self.bases[index]);
                async move {
                    let answer = self
                        .attempt_with(Method::GET, url, None, Retry::Idempotent, None, true)
                        .await;
                    match answer {
                        Attempt::Answered(a) if a.index <= 0 => Attempt::Failed {
                            error: Error::unexpected(format!("{}: no X-Etcd-Index", a.url)),
                            next: false,
                            reached: true,
                        },
                        other => other,
                    }
                }
            })
            .await?;
        if answer.body.is_empty() {
            return Ok((None, answer.index));
        }
        let node = Node::from(Response::decode(&answer)?.node);
        Ok((Some(node), answer.index))
    }
}
