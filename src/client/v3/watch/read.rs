//! Reading the stream: lines as they arrive, a message that must complete within the command
//! timeout, and the check after a silence (does the member answer; does the store show a change
//! the stream owes?).

use super::{Break, CHECK_EVERY, Watch, check_bound};
use crate::client::WatchEvent;
use crate::client::error::{Error, Kind, Result};
use crate::client::v3::transport::{MAX_RESPONSE_BYTES, root_cause};
use crate::client::v3::wire;
use crate::duration::show;
use std::time::Instant;

/// What [`Watch::owed`] says when the store moved on but shows nothing the stream owes.
const UNSEEN: &str = "unseen";

impl Watch<'_> {
    /// Read until a message with new events arrives.
    pub(super) async fn read(&mut self) -> std::result::Result<Vec<WatchEvent>, Break> {
        let command_timeout = self.client.command_timeout;
        loop {
            let stream = self.stream.as_mut().expect("connected");
            if let Some(line) = stream.lines.next_line() {
                stream.partial_since = None;
                if let Some(events) = self.handle(&line, false)? {
                    return Ok(events);
                }
                continue;
            }
            // A message that has begun must end within the command timeout (a server
            // trickling bytes is not silent, but it is not answering either).
            let unfinished = match (stream.lines.unfinished(), stream.partial_since) {
                (false, _) => None,
                (true, Some(since)) => Some(since),
                (true, None) => Some(*stream.partial_since.insert(Instant::now())),
            };
            if unfinished.is_some_and(|since| since.elapsed() >= command_timeout) {
                return Err(Break::Lost(Error::new(
                    Kind::TimedOut,
                    format!(
                        "a watch message did not complete within the command timeout of {}",
                        show(command_timeout)
                    ),
                )));
            }
            let wait = unfinished.map_or(CHECK_EVERY, |since| {
                CHECK_EVERY.min(command_timeout.saturating_sub(since.elapsed()))
            });
            let chunk = tokio::select! {
                chunk = stream.response.chunk() => Some(chunk),
                _ = tokio::time::sleep(wait) => None,
            };
            let Some(chunk) = chunk else {
                if wait < CHECK_EVERY {
                    // The unfinished message's time is up: said at the top of the loop.
                    continue;
                }
                self.silent().await?;
                continue;
            };
            let stream = self.stream.as_mut().expect("connected");
            match chunk {
                Ok(Some(bytes)) => {
                    if stream.lines.push(&bytes, MAX_RESPONSE_BYTES).is_err() {
                        return Err(Break::Fatal(Error::new(
                            Kind::TooLarge,
                            format!(
                                "{}/v3/watch: a watch message is larger than etcdpy's limit of 16 MiB",
                                stream.base
                            ),
                        )));
                    }
                }
                Ok(None) => {
                    // The in-band error that ends a stream has no trailing newline.
                    let rest = stream.lines.take_rest();
                    if !rest.iter().all(u8::is_ascii_whitespace)
                        && let Some(events) = self.handle(&rest, true)?
                    {
                        return Ok(events);
                    }
                    return Err(Break::Lost(Error::new(
                        Kind::Unreachable,
                        "the server ended the watch",
                    )));
                }
                Err(err) => {
                    return Err(Break::Lost(Error::new(
                        Kind::Unreachable,
                        format!("the watch connection broke: {}", root_cause(&err)),
                    )));
                }
            }
        }
    }

    /// After [`CHECK_EVERY`] of silence: the check; the watch opened again (on the same
    /// endpoint, from the next revision) when the store moved past what the stream last said,
    /// which a key created and deleted meanwhile leaves as its only trace (a replay from there
    /// costs one request when nothing is owed).
    async fn silent(&mut self) -> std::result::Result<(), Break> {
        let base = self.stream.as_ref().expect("connected").base.clone();
        if self.check(&base).await? {
            self.stream = None;
            self.connect().await.map_err(Break::Fatal)?;
        }
        // Silent, but it answers: the watch is served.
        self.served();
        Ok(())
    }

    /// After [`CHECK_EVERY`] of silence: does the endpoint still answer (and have a leader),
    /// and has nothing happened that the stream owes? Asked on a connection of its own. A
    /// connection that a proxy or NAT stopped forwarding stays open and silent, exactly like
    /// a quiet watch; only the store shows that changes were not delivered. Either way the
    /// watch is opened again from the next revision, so nothing is lost or repeated.
    /// `Ok(true)`: nothing is owed that the store shows, but it moved past what the stream last
    /// said.
    async fn check(&self, base: &str) -> std::result::Result<bool, Break> {
        let bound = check_bound(self.client);
        match tokio::time::timeout(bound, self.owed(base)).await {
            Ok(Ok(None)) => Ok(false),
            Ok(Ok(Some(UNSEEN))) => Ok(true),
            Ok(Ok(Some(what))) => Err(Break::Lost(Error::new(
                Kind::Unreachable,
                format!(
                    "the watch stream from {base} stalled: {what} since revision {} did not arrive",
                    self.next_revision
                ),
            ))),
            Ok(Err(mut error)) => {
                if error.kind == Kind::TimedOut {
                    // No answer is an unreachable member, like a dial that fails.
                    error.kind = Kind::Unreachable;
                }
                Err(Break::Lost(
                    error.context("the endpoint did not answer a check"),
                ))
            }
            Err(_) => Err(Break::Lost(Error::new(
                Kind::Unreachable,
                format!("the endpoint did not answer a check within {}", show(bound)),
            ))),
        }
    }

    /// What the store shows that the stream has not delivered, if anything: a key in the range
    /// changed at `next_revision` or later, or fewer keys than at `next_revision - 1` (a
    /// delete). A key both created and deleted since shows neither: when the store's revision
    /// is past the last one the stream spoke of, [`UNSEEN`] (a span watch only). A watch of
    /// deletes only (`no_put`) is owed only the delete.
    async fn owed(&self, base: &str) -> Result<Option<&'static str>> {
        let next = self.next_revision;
        let range = |request: wire::RangeRequest| async move {
            self.client
                .call_at::<_, wire::RangeResponse>(base, "kv/range", &request)
                .await
        };
        // One key, cheap: whether it answers, and whether anything at all was written since.
        let latest = range(wire::RangeRequest {
            key: self.spec.key.clone(),
            count_only: true,
            ..Default::default()
        })
        .await?;
        if next == 0 || latest.header.revision < next {
            return Ok(None);
        }
        if !self.spec.no_put {
            let changed = range(wire::RangeRequest {
                key: self.spec.key.clone(),
                range_end: self.spec.end.clone(),
                keys_only: true,
                min_mod_revision: next,
                limit: 1,
                ..Default::default()
            })
            .await?;
            if !changed.kvs.is_empty() {
                return Ok(Some("a change"));
            }
        }
        // No key changed since, so every key there now was there at `next - 1`: fewer now means
        // a delete. (For deletes only, a key put since could hide one in a range; a single
        // key, a lock's, is exact.)
        let count = |revision: i64| {
            range(wire::RangeRequest {
                key: self.spec.key.clone(),
                range_end: self.spec.end.clone(),
                count_only: true,
                revision,
                ..Default::default()
            })
        };
        let now = count(0).await?.count;
        let before = if next > 1 {
            match count(next - 1).await {
                Ok(before) => before.count,
                // Compacted: there is no telling.
                Err(error) if error.kind == Kind::Compacted => return Ok(None),
                Err(error) => return Err(error),
            }
        } else {
            0
        };
        if before != now {
            return Ok(Some("a delete"));
        }
        let spoke = self.stream.as_ref().map_or(0, |s| s.spoke);
        Ok((!self.spec.no_put && latest.header.revision > spoke).then_some(UNSEEN))
    }
}
