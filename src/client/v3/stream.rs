//! etcd 3.7's `KV.RangeStream` (gRPC only): one request, the range sent back in chunks the
//! server sizes (about `--max-request-bytes` each), all at one revision. The same
//! `RangeRequest` as `KV/Range`; each answer frame is a `RangeStreamResponse` wrapping a
//! `RangeResponse` whose `kvs` are the next keys in order; only the last chunk carries
//! `header` (and `more`, `count`). A stream whose body ends without that chunk was cut off,
//! whatever its trailers say.
//!
//! The revision is pinned here, not left to the server: a cut stream is resumed after the
//! last key handed out, at the same revision, so nothing is repeated or lost, and etcd
//! names the stream's revision only on its last chunk. The stream (its opening and its
//! first chunk) goes through the one failover loop like a paged read: a dead member is
//! skipped, a silent one hedged, "no leader" waited out. A chunk that does not come within
//! the dial timeout, a broken connection or a retryable status in the trailers ends the
//! stream there, and it is opened again at the next endpoint from where it stopped.
//!
//! Servers before 3.7 answer "unimplemented" (grpc-status 12): the run remembers that and
//! reads page by page (`pager.rs`), as it does for an endpoint without gRPC and for a chunk
//! over [`MAX_RESPONSE_BYTES`](crate::client::v3::body::MAX_RESPONSE_BYTES).

use crate::client::error::{Error, Kind, Result};
use crate::client::v3::body::{MAX_RESPONSE_BYTES, TOO_LARGE};
use crate::client::v3::bulk::{RawPage, Wire};
use crate::client::v3::classify::{not_etcd, refused, root_cause};
use crate::client::v3::failover::{Attempt, Silence};
use crate::client::v3::grpc::{Field, RangeRequest, next_field};
use crate::client::v3::range::{RangePage, RangeSpec};
use crate::client::v3::unary::{Call, Outcome, Route, Status, frame_len, refusal, unescape};
use crate::client::{Client, Retry};
use crate::duration::show;
use http_body_util::BodyExt as _;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The method's path, after the endpoint's `scheme://host:port`.
pub(in crate::client) const STREAM_PATH: &str = "/etcdserverpb.KV/RangeStream";

/// What the run knows of the servers' RangeStream (`Client::streams`; 0: nothing yet).
const HAS: u8 = 1;
const LACKS: u8 = 2;

/// A range read through RangeStream at one revision, resumed where it stopped when the
/// stream breaks.
pub(in crate::client) struct RangeStream {
    /// What is still to be read: from `key` (after the last key handed out) to `end`,
    /// `limit` keys more (with a limit), at `revision` (0 until it is pinned).
    spec: RangeSpec,
    limited: bool,
    open: Option<Open>,
    /// The last chunk came: whether keys lie beyond the limit.
    ended: Option<bool>,
}

/// A stream under way: its frames, and the endpoint it came from.
struct Open {
    frames: Frames,
    index: usize,
}

/// What [`RangeStream::next`] found.
pub(in crate::client) enum Streamed {
    Page(RangePage),
    /// The range is exhausted.
    End,
    /// The rest must be read page by page from [`RangeStream::rest`]: the server has
    /// no RangeStream, the endpoint no gRPC, or a chunk was too large.
    Paged,
}

/// What an attempt at one endpoint opened.
enum Opened {
    Stream(Open, Item),
    Paged,
}

/// One item of a gRPC stream: a whole frame (header included), or its end with the
/// trailers' `grpc-status` and `grpc-message` (none: no trailers).
enum Item {
    Frame(Vec<u8>),
    End(Option<(Option<i64>, String)>),
}

impl RangeStream {
    /// `[key, end)` at `revision` (0: pinned when the stream starts), `limit` keys at most.
    pub(in crate::client) fn new(
        key: Vec<u8>,
        end: Vec<u8>,
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> RangeStream {
        RangeStream {
            spec: RangeSpec {
                end: Some(end),
                limit: limit.map_or(0, |n| i64::try_from(n).unwrap_or(i64::MAX)),
                revision,
                keys_only,
                ..RangeSpec::key(&key)
            },
            limited: limit.is_some(),
            open: None,
            ended: None,
        }
    }

    /// The revision every chunk is read at (0 before the first).
    pub(in crate::client) fn revision(&self) -> i64 {
        self.spec.revision
    }

    /// The last chunk said keys lie beyond the limit.
    pub(in crate::client) fn truncated(&self) -> bool {
        self.ended == Some(true)
    }

    /// Where the rest of the range starts, and how many keys are still wanted.
    pub(in crate::client) fn rest(&self) -> (Vec<u8>, Option<u64>) {
        let limit = self.limited.then(|| self.spec.limit.max(0) as u64);
        (self.spec.key.clone(), limit)
    }

    /// The next chunk's keys, in key order.
    pub(in crate::client) async fn next(&mut self, client: &Client) -> Result<Streamed> {
        if self.ended.is_some() {
            return Ok(Streamed::End);
        }
        if self.spec.revision == 0 {
            self.spec.revision = client.revision_now(&self.spec.key).await?;
        }
        loop {
            let (item, url) = match &mut self.open {
                Some(open) => {
                    let url = open.frames.url.clone();
                    match open.frames.next(Some(client.dial_timeout)).await {
                        Ok(item) => (item, url),
                        Err(error) if error.kind == Kind::TooLarge => return Ok(Streamed::Paged),
                        Err(_) => {
                            self.resume(client);
                            continue;
                        }
                    }
                }
                None => match client.open_stream(&self.spec).await? {
                    Opened::Paged => return Ok(Streamed::Paged),
                    Opened::Stream(open, item) => {
                        let url = open.frames.url.clone();
                        self.open = Some(open);
                        (item, url)
                    }
                },
            };
            match item {
                Item::Frame(bytes) => return self.take(bytes, url).map(Streamed::Page),
                Item::End(status) => match ended_early(&url, status) {
                    Attempt::Failed { next: true, .. } => self.resume(client),
                    Attempt::Failed { error, .. } => return Err(error),
                    Attempt::Answered(never) => match never {},
                },
            }
        }
    }

    /// The stream broke: open it again from where it stopped, at the next endpoint.
    fn resume(&mut self, client: &Client) {
        if let Some(open) = self.open.take() {
            client.set_current(open.index + 1);
        }
    }

    /// A chunk as a page, the stream moved on past it.
    fn take(&mut self, bytes: Vec<u8>, url: String) -> Result<RangePage> {
        let bad = |what: &str| not_etcd(&url, what);
        let start = 5 + wrapped(&bytes[5..])
            .ok_or_else(|| bad("the protobuf is not a RangeStreamResponse"))?;
        let last = has_header(&bytes[start..]);
        let mut page = RawPage::at(bytes, url.clone(), Wire::Grpc, start).decode()?;
        page.revision = self.spec.revision;
        let count = page.kvs.len() as i64;
        if page.kvs.first().is_some_and(|kv| kv.key < self.spec.key) {
            return Err(bad(
                "a RangeStream chunk with keys before the ones already read",
            ));
        }
        if self.limited {
            self.spec.limit -= count;
            if self.spec.limit < 0 || (self.spec.limit == 0 && !last) {
                return Err(bad("a RangeStream that went past its limit"));
            }
        }
        if let Some(kv) = page.kvs.last() {
            self.spec.key.clone_from(&kv.key);
            self.spec.key.push(0);
        }
        if last {
            self.ended = Some(page.more);
            self.open = None;
        } else if count == 0 {
            return Err(bad("a RangeStream chunk without keys before its last"));
        }
        Ok(page)
    }
}

/// A stream's end without its last chunk: what its trailers said (a retryable
/// status lets it be opened again), else that it was cut off.
fn ended_early(
    url: &str,
    status: Option<(Option<i64>, String)>,
) -> Attempt<std::convert::Infallible> {
    match status {
        Some((Some(code), message)) if code != 0 => refused(code, &message, Retry::Idempotent),
        _ => Attempt::Failed {
            error: Error::new(
                Kind::Unreachable,
                format!("{url}: the stream ended before its last chunk"),
            ),
            next: true,
            reached: true,
        },
    }
}

/// Where the `RangeResponse` inside a `RangeStreamResponse` starts (its field 1, the
/// only one etcd sends); `None` when the message is shaped otherwise.
fn wrapped(message: &[u8]) -> Option<usize> {
    if message.is_empty() {
        return Some(0);
    }
    let mut rest = message;
    match next_field(&mut rest)? {
        (1, Field::Bytes(inner)) if rest.is_empty() => Some(message.len() - inner.len()),
        _ => None,
    }
}

/// Whether a `RangeResponse` carries its `header` (field 1): RangeStream's last chunk.
fn has_header(mut message: &[u8]) -> bool {
    while let Some((tag, _)) = next_field(&mut message) {
        if tag == 1 {
            return true;
        }
    }
    false
}

/// A gRPC answer's body, frame by frame, then its trailers.
struct Frames {
    body: reqwest::Body,
    /// Bytes received and not handed out yet (the start of the next frame).
    buffer: Vec<u8>,
    trailers: Option<(Option<i64>, String)>,
    url: String,
}

impl Frames {
    fn new(response: reqwest::Response, url: String) -> Frames {
        Frames {
            body: reqwest::Body::from(response),
            buffer: Vec::new(),
            trailers: None,
            url,
        }
    }

    /// The next whole frame, or the end; `stall` bounds the wait for each piece.
    async fn next(&mut self, stall: Option<Duration>) -> Result<Item> {
        loop {
            if let Some(head) = self.buffer.first_chunk::<5>() {
                if head[0] != 0 {
                    let what = format!("a gRPC frame with flags {} (compressed?)", head[0]);
                    return Err(not_etcd(&self.url, &what));
                }
                let len = frame_len(head);
                if len > MAX_RESPONSE_BYTES {
                    let message = format!("{}: {TOO_LARGE} for one chunk", self.url);
                    return Err(Error::new(Kind::TooLarge, message));
                }
                let whole = 5 + len;
                if self.buffer.len() >= whole {
                    let rest = self.buffer.split_off(whole);
                    return Ok(Item::Frame(std::mem::replace(&mut self.buffer, rest)));
                }
                self.buffer.reserve_exact(whole - self.buffer.len());
            }
            let piece = match stall {
                Some(stall) => tokio::time::timeout(stall, self.body.frame())
                    .await
                    .map_err(|_| self.stalled(stall))?,
                None => self.body.frame().await,
            };
            match piece {
                None if self.buffer.is_empty() => return Ok(Item::End(self.trailers.take())),
                None => {
                    let what = match self.buffer.first_chunk::<5>() {
                        Some(head) => format!(
                            "the gRPC answer was cut off ({} of {} bytes)",
                            self.buffer.len() - 5,
                            frame_len(head)
                        ),
                        None => format!(
                            "a gRPC frame cut off in its header ({} bytes)",
                            self.buffer.len()
                        ),
                    };
                    return Err(not_etcd(&self.url, &what));
                }
                Some(Err(err)) => {
                    let message = format!("{}: the stream broke ({})", self.url, root_cause(&err));
                    return Err(Error::new(Kind::Unreachable, message));
                }
                Some(Ok(piece)) => match piece.into_data() {
                    Ok(data) => self.buffer.extend_from_slice(&data),
                    Err(piece) => {
                        if let Ok(trailers) = piece.into_trailers() {
                            let get = |name| trailers.get(name).map(|v| v.as_bytes());
                            let code = get("grpc-status")
                                .and_then(|c| std::str::from_utf8(c).ok())
                                .and_then(|c| c.trim().parse().ok());
                            let message = unescape(get("grpc-message").unwrap_or_default());
                            self.trailers = Some((code, message));
                        }
                    }
                },
            }
        }
    }

    fn stalled(&self, stall: Duration) -> Error {
        Error::new(
            Kind::TimedOut,
            format!(
                "{}: the stream brought nothing for {}",
                self.url,
                show(stall)
            ),
        )
    }
}

impl Client {
    /// Whether bulk reads try RangeStream (not through the gateway, nor once a
    /// server was found without it).
    pub(in crate::client) fn may_stream(&self) -> bool {
        self.transport != crate::client::Transport::Gateway
            && self.streams.load(Ordering::Relaxed) != LACKS
    }

    /// The store's revision now, read with one key (`key`, or the first one): a read
    /// of one key costs etcd nothing, where a limited range counts the whole range.
    async fn revision_now(&self, key: &[u8]) -> Result<i64> {
        let key = if key.is_empty() {
            vec![0]
        } else {
            key.to_vec()
        };
        let spec = RangeSpec {
            keys_only: true,
            ..RangeSpec::key(&key)
        };
        Ok(self.range_raw(&spec).await?.decode()?.revision)
    }

    /// Open a stream of `spec` through the failover loop, its first item read.
    async fn open_stream(&self, spec: &RangeSpec) -> Result<Opened> {
        let json = serde_json::to_vec(&spec.wire()).map_err(crate::client::error::encoding)?;
        let json = &json;
        self.with_token(|token| async move {
            self.failover_current_on(None, true, Silence::Hedge, |index| {
                self.stream_at(index, spec, json, token.as_deref())
            })
            .await
        })
        .await
        .map_err(|e| self.on_key(e, &spec.key, "read"))
    }

    /// One attempt at the endpoint at `index`: the stream opened and its first item,
    /// within the command timeout.
    async fn stream_at(
        &self,
        index: usize,
        spec: &RangeSpec,
        json: &[u8],
        token: Option<&str>,
    ) -> Attempt<Opened> {
        let opened = tokio::time::timeout(self.command_timeout, async {
            let (response, url) = match self.stream_headers(index, spec, json, token).await {
                Ok(answer) => answer,
                Err(attempt) => return attempt,
            };
            self.set_route(index, Route::Grpc);
            let mut frames = Frames::new(response, url);
            match frames.next(None).await {
                Err(error) if error.kind == Kind::TooLarge => Attempt::Answered(Opened::Paged),
                Err(error) => Attempt::Failed {
                    error,
                    next: true,
                    reached: true,
                },
                // No chunk at all: as a unary answer without a frame.
                Ok(Item::End(None)) => Attempt::Failed {
                    error: not_etcd(
                        &frames.url,
                        "an answer with neither a gRPC frame nor a grpc-status",
                    ),
                    next: true,
                    reached: true,
                },
                // "unimplemented" after the headers: what etcd's gRPC over TLS
                // (ServeHTTP) sends where plain h2c sends it Trailers-Only.
                Ok(Item::End(Some((Some(12), _)))) => {
                    self.streams.store(LACKS, Ordering::Relaxed);
                    Attempt::Answered(Opened::Paged)
                }
                Ok(Item::End(status)) => {
                    ended_early(&frames.url, status).map(|never| match never {})
                }
                Ok(item) => {
                    self.streams.store(HAS, Ordering::Relaxed);
                    Attempt::Answered(Opened::Stream(Open { frames, index }, item))
                }
            }
        });
        opened.await.unwrap_or_else(|_| {
            let url = format!("{}{STREAM_PATH}", self.endpoints[index]);
            Attempt::Failed {
                error: Error::new(
                    Kind::TimedOut,
                    format!(
                        "no answer from {url} within the command timeout of {}",
                        show(self.command_timeout)
                    ),
                ),
                next: true,
                reached: true,
            }
        })
    }

    /// A stream's request at the endpoint at `index`, up to the answer's headers: the
    /// response, or what the attempt came to instead.
    async fn stream_headers(
        &self,
        index: usize,
        spec: &RangeSpec,
        json: &[u8],
        token: Option<&str>,
    ) -> std::result::Result<(reqwest::Response, String), Attempt<Opened>> {
        if !self.grpc_at(index) {
            return Err(Attempt::Answered(Opened::Paged));
        }
        let call = Call {
            method: STREAM_PATH,
            json,
            token,
            retry: Retry::Idempotent,
            timeout: None,
        };
        let outcome = match self
            .grpc_call(index, &RangeRequest::from(spec), &call)
            .await
        {
            Ok((Ok(response), url)) => return Ok((response, url)),
            // No RangeStream here (before 3.7): page by page for the rest of the run.
            Ok((Err(Status::Grpc { code: Some(12), .. }), _)) => {
                self.streams.store(LACKS, Ordering::Relaxed);
                return Err(Attempt::Answered(Opened::Paged));
            }
            Ok((Err(status), url)) => refusal(&url, status, self.known(index), Retry::Idempotent),
            Err(outcome) => outcome,
        };
        Err(match outcome {
            Outcome::NotHere(_) => Attempt::Answered(Opened::Paged),
            Outcome::Answered(attempt) => attempt.map(|_| Opened::Paged),
        })
    }
}
