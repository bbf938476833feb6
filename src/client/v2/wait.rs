//! `wait` on v2: the key (or subtree) read with a quorum read that also answers "not found"
//! with the store's index, then v2's watch from the next index (`waitIndex`).

use super::keys::path;
use super::keys::{Node, Response};
use super::{V2, V2Watch};
use crate::client::Retry;
use crate::client::error::{Error, Kind, Result};
use crate::client::transport::Attempt;
use crate::client::wait::{Awaiting, Snapshot};
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
        let revision = answer.index;
        if answer.body.is_empty() {
            return Ok(Snapshot {
                revision,
                first: None,
                keys: recursive.then(Vec::new),
            });
        }
        let node = Node::from(Response::decode(&answer)?.node);
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
