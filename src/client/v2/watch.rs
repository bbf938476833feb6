//! The v2 watch: `wait=true` long polls chained by `waitIndex` (the last event's
//! `modifiedIndex + 1`, never the poll's `X-Etcd-Index + 1`), so no change is lost between
//! polls; a poll cut off (a member going away), or whose member does not answer a check after
//! a silence (a member that hangs), is asked again, of the next endpoint if need be, from the
//! same index. A watch "from now" starts at the index a read answered first when it began
//! (every endpoint asked at once), so a member that hangs loses no change made meanwhile.
//! History older than v2's 1000 events is an error (exit 10), never a gap.

use super::keys::{Node, Response};
use super::{Answer, V2, encode, etcd_index, utf8};
use crate::client::error::{Error, Kind, Result};
use crate::client::v3::transport::{Attempt, read_body, root_cause};
use crate::client::v3::watch::{CHECK_EVERY, check_bound, start_point};
use crate::client::{Changes, EventKind, Retry, WatchEvent};
use crate::duration::show;
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
    /// Whether "now" was looked up ([`V2Watch::begin`]).
    begun: bool,
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
            begun: false,
        })
    }
}

impl V2Watch<'_> {
    /// The next change (one long poll, as many requests as failover needs).
    pub async fn next(&mut self) -> Result<WatchEvent> {
        if !self.begun {
            self.begin().await;
        }
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
                async move { poll_checked(v2, index, url).await }
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

impl V2Watch<'_> {
    /// A watch "from now" starts after the store's index as the first member to answer a
    /// quorum read of the key gives it (every endpoint asked at once, each within the dial
    /// timeout), and polls first the current endpoint if it answered, else that member. When
    /// none answers, the first poll asks for changes from whenever it reaches a member.
    async fn begin(&mut self) {
        self.begun = true;
        let (v2, client) = (self.v2, self.v2.client);
        if self.next != 0 || client.endpoints.len() == 1 {
            return;
        }
        let path = &self.path;
        let ask = |index: usize| async move {
            let url = format!("{}{path}?quorum=true", v2.bases[index]);
            let within = Some(client.dial_timeout);
            let response = v2.send(Method::GET, &url, None, within).await;
            // Only the header is wanted: a key not found carries it too.
            let unanswered = |e: reqwest::Error| Error::new(Kind::Unreachable, root_cause(&e));
            match response.map_err(unanswered)? {
                r if (r.status().is_success() || r.status() == 404) && etcd_index(&r) > 0 => {
                    Ok(etcd_index(&r))
                }
                r => Err(Error::new(
                    Kind::Unexpected,
                    format!("{url}: HTTP {}", r.status()),
                )),
            }
        };
        let within = client.dial_timeout.min(client.command_timeout);
        if let Some((index, at)) =
            start_point(client.endpoints.len(), client.start_index(), within, ask).await
        {
            self.next = at.saturating_add(1);
            client.set_current(index);
        }
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

/// [`poll`], with the endpoint asked after each [`CHECK_EVERY`] without an answer whether it
/// still answers at all (its `/stats/self`, within [`check_bound`]): a member that hangs fails
/// the poll, which the failover loop then asks of the next endpoint, from the same index.
async fn poll_checked(v2: &V2<'_>, index: usize, url: String) -> Attempt<Answer> {
    let poll = poll(v2, url);
    tokio::pin!(poll);
    loop {
        tokio::select! {
            answer = &mut poll => return answer,
            _ = tokio::time::sleep(CHECK_EVERY) => {
                if let Err(error) = check(v2, index).await {
                    return Attempt::Failed { error, next: true, reached: true };
                }
            }
        }
    }
}

/// Whether the member at `index` answers anything (any HTTP status) within [`check_bound`].
async fn check(v2: &V2<'_>, index: usize) -> Result<()> {
    let bound = check_bound(v2.client);
    let url = format!("{}/stats/self", v2.bases[index]);
    let silent = || {
        Error::new(
            Kind::Unreachable,
            format!(
                "{}: the watch was silent and the member did not answer a check within {}",
                v2.bases[index],
                show(bound)
            ),
        )
    };
    match tokio::time::timeout(bound, v2.send(Method::GET, &url, None, Some(bound))).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(err)) if err.is_timeout() => Err(silent()),
        Ok(Err(err)) => Err(Error::new(
            Kind::Unreachable,
            format!("{url}: {}", root_cause(&err)),
        )),
        Err(_) => Err(silent()),
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
