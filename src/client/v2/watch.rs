//! The v2 watch: `wait=true` long polls chained by `waitIndex` (the last event's
//! `modifiedIndex + 1`, never `X-Etcd-Index + 1`), so no change is lost between polls; a
//! poll cut off (a member going away) is asked again, of the next endpoint if need be, from
//! the same index. History older than v2's 1000 events is an error (exit 10), never a gap.

use super::keys::{Node, Response};
use super::{Answer, V2, encode, utf8};
use crate::client::error::{Error, Result};
use crate::client::transport::{Attempt, read_body};
use crate::client::{Changes, EventKind, Retry, WatchEvent};
use crate::keys::KeySpan;
use reqwest::Method;
use std::time::Duration;

/// Changes to a v2 key (with `recursive`, to it and everything below it).
pub struct V2Watch<'a> {
    v2: &'a V2<'a>,
    path: String,
    recursive: bool,
    /// The `waitIndex` of the next poll; 0: only changes from now on.
    next: i64,
}

impl<'a> V2<'a> {
    /// Watch `span` from v2 index `start` (0: from now on).
    pub fn watch(&'a self, span: &KeySpan, start: i64) -> Result<V2Watch<'a>> {
        let key = utf8("the key", span.key())?;
        let key = key.strip_prefix('/').unwrap_or(key);
        Ok(V2Watch {
            v2: self,
            path: format!("/keys/{}", encode(key, true)),
            recursive: span.recursive(),
            next: start,
        })
    }
}

impl V2Watch<'_> {
    /// The next change (one long poll, as many requests as failover needs).
    pub async fn next(&mut self) -> Result<WatchEvent> {
        let mut query = format!("?wait=true&recursive={}", self.recursive);
        if self.next > 0 {
            query.push_str(&format!("&waitIndex={}", self.next));
        }
        let path = format!("{}{query}", self.path);
        let v2 = self.v2;
        let path = &path;
        let answer = v2
            .client
            .failover_current(None, false, |index| {
                let url = format!("{}{path}", v2.bases[index]);
                async move { poll(v2, url).await }
            })
            .await?;
        let response = Response::decode(&answer)?;
        let node = Node::from(response.node);
        self.next = node.modified + 1;
        let kind = match response.action.as_str() {
            "delete" | "compareAndDelete" | "expire" => EventKind::Delete,
            _ => EventKind::Put,
        };
        let mut kv = node.kv();
        if kind == EventKind::Delete {
            kv.value.clear();
            kv.create_revision = 0;
        }
        Ok(WatchEvent {
            kind,
            kv,
            prev: response.prev.map(|p| Node::from(p).kv()),
        })
    }
}

impl Changes for V2Watch<'_> {
    async fn next_within(&mut self, within: Option<Duration>) -> Option<Result<Vec<WatchEvent>>> {
        let event = match within {
            Some(within) => tokio::time::timeout(within, self.next()).await.ok()?,
            None => self.next().await,
        };
        Some(event.map(|e| vec![e]))
    }
}

/// One long poll: no time limit (the server answers when a change comes); a cut-off
/// answer fails over and is asked again from the same index.
async fn poll(v2: &V2<'_>, url: String) -> Attempt<Answer> {
    let response = match v2.send(Method::GET, &url, None, None).await {
        Ok(response) => response,
        Err(err) => return v2.client.send_failure(&url, &err, Retry::Idempotent),
    };
    let status = response.status();
    let index = super::etcd_index(&response);
    let body = match read_body(response, Duration::ZERO).await {
        Ok(body) if body.is_empty() => {
            // The server went away while the poll was open (its chunked body cut short).
            let error = Error::new(
                crate::client::Kind::Unreachable,
                format!("{url}: the watch was cut off"),
            );
            return Attempt::Failed {
                error,
                next: true,
                reached: true,
            };
        }
        Ok(body) => body,
        Err(error) => {
            return Attempt::Failed {
                error,
                next: true,
                reached: true,
            };
        }
    };
    if status.is_success() {
        return Attempt::Answered(Answer { body, index, url });
    }
    let error = v2.refusal(&url, status, &body).await;
    let next = error.kind == crate::client::Kind::NoLeader;
    Attempt::Failed {
        error,
        next,
        reached: true,
    }
}
