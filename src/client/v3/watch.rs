//! The watch stream: one long `POST /v3/watch` whose newline-delimited JSON
//! answer is read as it arrives (protocol.md §3). When the connection drops,
//! the member dies or stops answering, the watch is opened again — on the next
//! endpoint — from the revision after the last one handed out, so no event is
//! lost, none is repeated, and order is kept.

mod cluster;

use crate::client::Client;
use crate::client::error::{Error, Kind, Result};
use crate::client::v3::auth::stale_token;
use crate::client::v3::kv::KeyValue;
use crate::client::v3::transport::classify;
use crate::client::v3::transport::{
    Attempt, ELECTION_RETRY, Ended, MAX_RESPONSE_BYTES, Round, root_cause,
};
use crate::client::v3::wire::{self, ErrorBody, Header};
use crate::duration::show;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// How long a watch may sit without a byte before the endpoint is asked
/// whether it still answers.
pub(in crate::client) const CHECK_EVERY: Duration = Duration::from_secs(5);
/// How long that check may take before the endpoint counts as dead: the dial timeout, within
/// these bounds (a frozen member costs no more than that; a slow one still gets a second).
const CHECK_TIMEOUT: Duration = Duration::from_secs(4);
const CHECK_AT_LEAST: Duration = Duration::from_secs(1);
/// Waits between rounds over all endpoints while reconnecting.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// A watch that ends sooner than this is followed by a pause before the next try.
const SHORT_LIVED: Duration = Duration::from_secs(1);
/// The most an error answer's body may hold.
const MAX_ERROR_BYTES: usize = 64 << 10;

/// What to watch: `key` alone, or `[key, end)`; from `start_revision` (0 = from now).
#[derive(Debug, Clone, Default)]
pub struct WatchSpec {
    pub key: Vec<u8>,
    pub end: Option<Vec<u8>>,
    pub start_revision: i64,
    /// Deliver each key's previous value with its event.
    pub prev_kv: bool,
    /// Deliver deletes only (etcd's `NOPUT` filter).
    pub no_put: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Put,
    Delete,
}

/// One change. For a delete, `kv` holds only the key and `mod_revision`.
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub kind: EventKind,
    pub kv: KeyValue,
    /// With `prev_kv`: the key before the change (`None` when it did not exist).
    pub prev: Option<KeyValue>,
}

/// A running watch; [`Watch::next`] hands out its changes one revision at a time.
pub struct Watch<'a> {
    client: &'a Client,
    spec: WatchSpec,
    /// The first revision not yet handed out; 0 until the server told us where "now" is.
    next_revision: i64,
    /// The endpoint the watch runs on (or is tried on next).
    index: usize,
    stream: Option<Stream>,
    /// Since when no endpoint has served the watch; `None` while one does.
    down_since: Option<Instant>,
    /// Whether a watch was ever established: before that, failing endpoints end
    /// the command at once, like any other request.
    established: bool,
    /// Whether the start was looked up (a watch "from now": [`Watch::begin`]).
    begun: bool,
    /// How many times the watch was lost after the command timeout had run out since it was
    /// last served: each endpoint gets its chance before the watch gives up.
    late: usize,
    /// When the auth token was last renewed for this watch.
    renewed: Option<Instant>,
}

struct Stream {
    response: reqwest::Response,
    /// The auth token it was opened with.
    token: Option<String>,
    opened: Instant,
    base: String,
    lines: wire::Lines,
    /// Since when part of a message has waited for the rest.
    partial_since: Option<Instant>,
}

/// Why reading stopped.
pub(in crate::client) enum Break {
    /// This connection or member is gone: reconnect, elsewhere if possible.
    Lost(Error),
    /// An answer that another endpoint would give too.
    Fatal(Error),
}

impl Client {
    /// Start watching; nothing is sent until the first [`Watch::next`].
    pub fn watch(&self, spec: WatchSpec) -> Watch<'_> {
        Watch {
            client: self,
            next_revision: spec.start_revision,
            spec,
            index: self.start_index(),
            stream: None,
            down_since: None,
            established: false,
            begun: false,
            late: 0,
            renewed: None,
        }
    }
}

impl Watch<'_> {
    /// The next change(s): every event of one revision, in the order etcd applied them. Never
    /// empty. Reconnects as needed; an error is final.
    pub async fn next(&mut self) -> Result<Vec<WatchEvent>> {
        if !self.begun {
            self.begin().await;
        }
        loop {
            if self.stream.is_none() {
                self.connect().await?;
            }
            match self.read().await {
                Ok(events) => return Ok(events),
                Err(Break::Fatal(error)) => return Err(error),
                Err(Break::Lost(error)) => {
                    if stale_token(&error) {
                        // Renewed once per stream: a fresh token refused too is final.
                        let Some(token) = self.stream.take().and_then(|s| s.token) else {
                            return Err(error);
                        };
                        if self.renewed.is_some_and(|at| at.elapsed() < SHORT_LIVED) {
                            return Err(error);
                        }
                        self.renewed = Some(Instant::now());
                        self.client.renew(&token).await?;
                        continue;
                    }
                    let stream = self.stream.take();
                    let down = *self.down_since.get_or_insert_with(Instant::now);
                    let timeout = self.client.command_timeout;
                    if !self.established {
                        // A watch that never started is an ordinary request: it waits out
                        // an election ("no leader") until the command timeout, nothing else.
                        if error.kind.leaderless() && down.elapsed() + ELECTION_RETRY < timeout {
                            tokio::time::sleep(ELECTION_RETRY).await;
                            continue;
                        }
                        if self.client.endpoints.len() == 1 {
                            return Err(error);
                        }
                    } else if down.elapsed() >= timeout {
                        // Endpoints that take the watch but never serve it (no event, no
                        // answered check) get no more time than ones that refuse it; but each
                        // gets its chance, however long the one that froze took to tell.
                        self.late += 1;
                        if self.late >= self.client.endpoints.len() {
                            return Err(error.context(format!(
                                "the watch was lost and no endpoint took it back within {}",
                                show(timeout)
                            )));
                        }
                    }
                    // A member that takes the watch and drops it at once gets a pause.
                    if stream.is_some_and(|s| s.opened.elapsed() < SHORT_LIVED) {
                        tokio::time::sleep(FIRST_BACKOFF).await;
                    }
                    self.index = (self.index + 1) % self.client.endpoints.len();
                }
            }
        }
    }

    /// A watch "from now" starts at the revision that was current when it was asked for, taken
    /// from the first member that answers, so that no change is lost while a member that hangs
    /// is passed over; and it is opened first on the current endpoint if that answered within
    /// the dial timeout, else on the member that answered. When none answers (an election, no
    /// member reachable) the watch starts from "now" wherever it is opened, and opening it says
    /// why it cannot be.
    async fn begin(&mut self) {
        self.begun = true;
        let client = self.client;
        if self.next_revision != 0 || client.endpoints.len() == 1 || client.token().await.is_err() {
            return;
        }
        let key = &self.spec.key;
        let ask = |index: usize| async move {
            let request = wire::RangeRequest {
                key: key.clone(),
                count_only: true,
                ..Default::default()
            };
            let base = &client.endpoints[index];
            let answer = client.call_at::<_, wire::RangeResponse>(base, "kv/range", &request);
            Ok(answer.await?.header.revision)
        };
        let within = client.dial_timeout.min(client.command_timeout);
        if let Some((index, revision)) =
            start_point(client.endpoints.len(), self.index, within, ask).await
        {
            self.next_revision = revision.saturating_add(1);
            self.index = index;
        }
    }

    /// Open the watch on the current endpoint or, failing that, the next ones. Before the
    /// watch was ever established this is one request like any other: while an endpoint
    /// answers "no leader" it is asked again every [`ELECTION_RETRY`] until the command
    /// timeout, and it fails at once when no endpoint answers. Once established, the
    /// endpoints are tried until the watch has been down for the command timeout.
    async fn connect(&mut self) -> Result<()> {
        let body = self.body()?;
        let client = self.client;
        let timeout = client.command_timeout;
        let mut backoff = FIRST_BACKOFF;
        let down_since = *self.down_since.get_or_insert_with(Instant::now);
        let established = self.established;
        let pause = |round: &Round| {
            let elapsed = down_since.elapsed();
            if established {
                let pause = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                (elapsed < timeout).then_some(pause)
            } else {
                let again = round.leaderless() && elapsed + ELECTION_RETRY < timeout;
                again.then_some(ELECTION_RETRY)
            }
        };
        let this = &*self;
        let attempt = |index| {
            let body = body.clone();
            async move {
                match this.open(index, body).await {
                    Ok(stream) => Attempt::Answered(stream),
                    Err(Break::Fatal(error)) => Attempt::Failed {
                        error,
                        next: false,
                        reached: true,
                    },
                    Err(Break::Lost(error)) => Attempt::Failed {
                        error,
                        next: true,
                        reached: true,
                    },
                }
            }
        };
        match client
            .failover(Some(self.index), None, attempt, pause)
            .await
        {
            Ok((index, stream)) => {
                self.index = index;
                self.stream = Some(stream);
                Ok(())
            }
            Err(Ended::Final(error)) => Err(error),
            Err(Ended::Exhausted(round)) => Err(self.unreached(round, down_since.elapsed())),
        }
    }

    /// The error when no endpoint took the watch, `elapsed` after it went down.
    fn unreached(&self, round: Round, elapsed: Duration) -> Error {
        let timeout = self.client.command_timeout;
        let leaderless = round.leaderless();
        let what = if self.established {
            format!(
                "the watch was lost and no endpoint took it back within {}",
                show(timeout)
            )
        } else if leaderless {
            format!("cannot start the watch (no leader for {})", show(elapsed))
        } else {
            "cannot start the watch".to_string()
        };
        let tried = round.list();
        if self.client.endpoints.len() == 1
            && let Some(last) = round.into_last()
        {
            return last.context(what);
        }
        // "No leader" from any endpoint says more than a refused connection from another.
        let kind = if leaderless {
            Kind::NoLeader
        } else {
            Kind::Unreachable
        };
        Error::new(kind, format!("{what}: tried {tried}"))
    }

    /// The complete request body, resuming at `next_revision`.
    fn body(&self) -> Result<Vec<u8>> {
        let request = CreateBody {
            create_request: CreateRequest {
                key: self.spec.key.clone(),
                range_end: self.spec.end.clone(),
                start_revision: self.next_revision,
                prev_kv: self.spec.prev_kv,
                filters: if self.spec.no_put {
                    vec!["NOPUT"]
                } else {
                    Vec::new()
                },
            },
        };
        serde_json::to_vec(&request)
            .map_err(|e| Error::unexpected(format!("cannot encode the watch request: {e}")))
    }

    /// Open the watch on one endpoint, with the auth token (renewed once if
    /// the server calls it invalid).
    async fn open(&self, index: usize, body: Vec<u8>) -> std::result::Result<Stream, Break> {
        let token = self.client.token().await.map_err(Break::Fatal)?;
        match self.open_with(index, body.clone(), token.as_deref()).await {
            Err(Break::Fatal(error)) if token.is_some() && stale_token(&error) => {
                let token = self
                    .client
                    .renew(token.as_deref().unwrap_or_default())
                    .await
                    .map_err(Break::Fatal)?;
                self.open_with(index, body, token.as_deref()).await
            }
            other => other,
        }
    }

    async fn open_with(
        &self,
        index: usize,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> std::result::Result<Stream, Break> {
        let base = self.client.endpoints[index].clone();
        let url = format!("{base}/v3/watch");
        // No total timeout: the answer lasts as long as the watch. Taking a lost watch back,
        // a member that does not answer at once is passed over like one that fails a check.
        let request = self.client.send(&url, body, token, None);
        let bound = if self.established {
            check_bound(self.client)
        } else {
            self.client.command_timeout
        };
        let response = match tokio::time::timeout(bound, request).await {
            Err(_) => {
                return Err(Break::Lost(Error::new(
                    Kind::TimedOut,
                    format!("no answer within {}", show(bound)),
                )));
            }
            Ok(Err(err)) => return Err(Break::Lost(self.send_error(&url, &err))),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if status.is_success() {
            return Ok(Stream {
                response,
                token: token.map(str::to_string),
                opened: Instant::now(),
                base,
                lines: wire::Lines::default(),
                partial_since: None,
            });
        }
        let bytes = error_body(response).await;
        match serde_json::from_slice::<ErrorBody>(&bytes)
            .ok()
            .and_then(|b| b.parts())
        {
            Some((code, message)) => Err(stream_error(code, &message)),
            None => Err(Break::Fatal(Error::new(
                Kind::NotEtcd,
                format!(
                    "{url} did not answer like an etcd v3 gateway: HTTP {status} (check the endpoint and --path-prefix)"
                ),
            ))),
        }
    }

    fn send_error(&self, url: &str, err: &reqwest::Error) -> Error {
        let cause = root_cause(err);
        if let Some(tls) = crate::client::v3::transport::tls_failure(url, &cause) {
            return Error::new(Kind::Unreachable, tls.message);
        }
        if err.is_connect() && (err.is_timeout() || cause.contains("timed out")) {
            return Error::new(
                Kind::Unreachable,
                format!(
                    "no connection within the dial timeout of {}",
                    show(self.client.dial_timeout)
                ),
            );
        }
        Error::new(Kind::Unreachable, cause)
    }

    /// Read until a message with new events arrives.
    async fn read(&mut self) -> std::result::Result<Vec<WatchEvent>, Break> {
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
                let base = stream.base.clone();
                self.check(&base).await?;
                // Silent, but it answers: the watch is served.
                self.served();
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

    /// After [`CHECK_EVERY`] of silence: does the endpoint still answer (and have a leader),
    /// and has nothing happened that the stream owes? Asked on a connection of its own. A
    /// connection that a proxy or NAT stopped forwarding stays open and silent, exactly like
    /// a quiet watch; only the store shows that changes were not delivered. Either way the
    /// watch is opened again from the next revision, so nothing is lost or repeated.
    async fn check(&self, base: &str) -> std::result::Result<(), Break> {
        let bound = check_bound(self.client);
        match tokio::time::timeout(bound, self.owed(base)).await {
            Ok(Ok(None)) => Ok(()),
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
    /// delete). A key both created and deleted since is not seen here; it comes with the
    /// first change that is (the watch resumes from `next_revision`). A watch of deletes only
    /// (`no_put`) is owed only the delete.
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
        Ok((before != now).then_some("a delete"))
    }

    /// One message: `Some(events)` when it carries changes not handed out yet.
    /// A whole line that is not etcd's JSON ends the watch (no etcd sends one); the
    /// unfinished rest of a stream that `ended` is a broken connection instead.
    pub(in crate::client) fn handle(
        &mut self,
        line: &[u8],
        ended: bool,
    ) -> std::result::Result<Option<Vec<WatchEvent>>, Break> {
        let message: Message = match decode_message(line) {
            Ok(message) => message,
            Err(_) if ended => {
                return Err(Break::Lost(Error::new(
                    Kind::Unreachable,
                    "the server ended the watch in the middle of a message",
                )));
            }
            Err(e) => {
                let base = self.stream.as_ref().map_or("", |s| s.base.as_str());
                return Err(Break::Fatal(Error::new(
                    Kind::NotEtcd,
                    format!(
                        "{base}/v3/watch did not answer like an etcd v3 gateway: the watch stream held something other than etcd's JSON ({e}): {}",
                        crate::client::v3::transport::preview(line)
                    ),
                )));
            }
        };
        if let Some(error) = message.error {
            let body = ErrorBody {
                code: None,
                message: None,
                error: Some(error),
            };
            let (code, text) = body
                .parts()
                .unwrap_or((14, "the server failed the watch".to_string()));
            return Err(stream_error(code, &text));
        }
        let Some(result) = message.result else {
            return Ok(None);
        };
        if result.canceled {
            return Err(self.canceled(&result));
        }
        if result.created {
            if self.next_revision == 0 {
                // Watching from "now": the first revision we are owed is the next one.
                self.next_revision = result.header.revision.saturating_add(1);
            }
            // Served only once an event or an answered check shows it (`down_since` stays).
            self.established = true;
        }
        let next = self.next_revision;
        let events: Vec<WatchEvent> = result
            .events
            .into_iter()
            .filter(|e| e.kv.mod_revision >= next)
            .map(WatchEvent::from)
            .collect();
        if let Some(last) = events.iter().map(|e| e.kv.mod_revision).max() {
            self.next_revision = last.saturating_add(1);
            self.served();
        }
        Ok((!events.is_empty()).then_some(events))
    }

    /// An event or an answered check shows the watch served.
    fn served(&mut self) {
        self.down_since = None;
        self.late = 0;
    }

    fn canceled(&self, result: &WatchResult) -> Break {
        if result.compact_revision > 0 {
            return Break::Fatal(Error::new(
                Kind::Compacted,
                format!(
                    "revision {} has been compacted away; the oldest revision still available is {}",
                    self.next_revision, result.compact_revision
                ),
            ));
        }
        let reason = &result.cancel_reason;
        let refused = [
            "invalid auth token",
            "PermissionDenied",
            "permission denied",
            "InvalidArgument",
            "Unauthenticated",
        ]
        .iter()
        .any(|r| reason.contains(r));
        let with_token = self.stream.as_ref().is_some_and(|s| s.token.is_some());
        if refused && with_token && self.renewed.is_none() {
            // A watch opened with a revoked token is refused like this rather
            // than with a 401: try once more with a new token.
            return Break::Lost(Error::new(
                Kind::StaleToken,
                format!("invalid auth token? ({reason})"),
            ));
        }
        if reason.contains("PermissionDenied") || reason.contains("permission denied") {
            return Break::Fatal(self.client.on_key(
                Error::new(Kind::PermissionDenied, reason.clone()),
                &self.spec.key,
                "watch",
            ));
        }
        if reason.contains("InvalidArgument") || reason.contains("Unauthenticated") {
            return Break::Fatal(Error::new(
                Kind::AuthRefused,
                format!("watch refused: {reason}"),
            ));
        }
        let why = if reason.is_empty() {
            "the server canceled the watch".to_string()
        } else {
            format!("the server canceled the watch: {reason}")
        };
        Break::Lost(Error::new(Kind::Unexpected, why))
    }
}

/// How long a member may take to answer a silent watch's check, or to take a lost watch back:
/// the dial timeout, at least [`CHECK_AT_LEAST`], at most [`CHECK_TIMEOUT`] and the command
/// timeout.
pub(in crate::client) fn check_bound(client: &Client) -> Duration {
    client
        .dial_timeout
        .clamp(CHECK_AT_LEAST, CHECK_TIMEOUT)
        .min(client.command_timeout)
}

/// Where a watch "from now" begins: each of `count` endpoints is asked at once (`ask`: the store's
/// revision or index there, each within `within`), so that a member that hangs delays nothing.
/// The first answer gives the revision; the watch is opened on `current` if it answered
/// (within `within`), else on the endpoint that answered first. `None`: nobody answered.
pub(in crate::client) async fn start_point<Fut>(
    count: usize,
    current: usize,
    within: Duration,
    ask: impl Fn(usize) -> Fut,
) -> Option<(usize, i64)>
where
    Fut: Future<Output = Result<i64>>,
{
    use std::pin::Pin;
    use std::task::Poll;
    let mut pending: Vec<(usize, Pin<Box<tokio::time::Timeout<Fut>>>)> = (0..count)
        .map(|step| {
            let index = (current + step) % count;
            (index, Box::pin(tokio::time::timeout(within, ask(index))))
        })
        .collect();
    let mut first: Option<(usize, i64)> = None;
    let mut current_done = false;
    std::future::poll_fn(|cx| {
        let mut i = 0;
        while i < pending.len() {
            let (index, ask) = &mut pending[i];
            let Poll::Ready(outcome) = ask.as_mut().poll(cx) else {
                i += 1;
                continue;
            };
            let index = *index;
            drop(pending.swap_remove(i));
            if let Ok(Ok(revision)) = outcome {
                let revision = first.map_or(revision, |(_, r)| r);
                if index == current {
                    return Poll::Ready(Some((current, revision)));
                }
                first.get_or_insert((index, revision));
            }
            current_done |= index == current;
        }
        if pending.is_empty() || (current_done && first.is_some()) {
            Poll::Ready(first)
        } else {
            Poll::Pending
        }
    })
    .await
}

/// One line of the watch stream, decoded.
pub(in crate::client) fn decode_message(line: &[u8]) -> serde_json::Result<Message> {
    serde_json::from_slice(line)
}

/// A failure reported by the server: "no leader" and the like move the watch
/// to another member; other answers would be the same everywhere.
fn stream_error(code: i64, message: &str) -> Break {
    let error = classify(code, message);
    match error.kind {
        kind if kind.leaderless() => Break::Lost(error),
        Kind::Unexpected
        | Kind::AuthNotEnabled
        | Kind::LeaseNotFound
        | Kind::Unreachable
        | Kind::TimedOut => Break::Lost(error),
        _ => Break::Fatal(error),
    }
}

async fn error_body(mut response: reqwest::Response) -> Vec<u8> {
    let mut bytes = Vec::new();
    let read = async {
        while let Ok(Some(chunk)) = response.chunk().await {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_ERROR_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(CHECK_TIMEOUT, read).await;
    bytes
}

// --- the wire shapes, private to the watch ---------------------------------------------

#[derive(Serialize)]
struct CreateBody {
    create_request: CreateRequest,
}

#[derive(Serialize)]
struct CreateRequest {
    #[serde(serialize_with = "wire::ser_b64")]
    key: Vec<u8>,
    #[serde(
        serialize_with = "wire::ser_b64_opt",
        skip_serializing_if = "Option::is_none"
    )]
    range_end: Option<Vec<u8>>,
    #[serde(skip_serializing_if = "is_zero")]
    start_revision: i64,
    #[serde(skip_serializing_if = "is_false")]
    prev_kv: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    filters: Vec<&'static str>,
}

/// One line of the stream: `{"result":{…}}` or the nested `{"error":{…}}`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(in crate::client) struct Message {
    result: Option<WatchResult>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WatchResult {
    header: Header,
    created: bool,
    canceled: bool,
    #[serde(deserialize_with = "wire::de_i64")]
    compact_revision: i64,
    cancel_reason: String,
    events: Vec<WireEvent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireEvent {
    /// Absent for PUT (the enum's zero value).
    #[serde(rename = "type")]
    kind: String,
    kv: wire::KeyValue,
    prev_kv: Option<wire::KeyValue>,
}

impl From<WireEvent> for WatchEvent {
    fn from(e: WireEvent) -> Self {
        WatchEvent {
            kind: if e.kind == "DELETE" || e.kind == "1" {
                EventKind::Delete
            } else {
                EventKind::Put
            },
            kv: e.kv.into(),
            prev: e.prev_kv.map(KeyValue::from),
        }
    }
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watch_starts_where_the_first_answer_says_on_the_current_endpoint_if_it_answers() {
        let ms = Duration::from_millis;
        // Per endpoint: how long it takes, and its revision (None: it fails).
        let run = |current: usize, answers: Vec<(u64, Option<i64>)>| {
            let count = answers.len();
            let ask = |index: usize| {
                let (after, revision) = answers[index];
                async move {
                    tokio::time::sleep(ms(after)).await;
                    revision.ok_or_else(|| Error::unexpected("refused"))
                }
            };
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            runtime.block_on(start_point(count, current, ms(300), ask))
        };
        // The current endpoint answers later than another: the earlier revision, the current
        // endpoint.
        assert_eq!(run(0, vec![(50, Some(7)), (0, Some(5))]), Some((0, 5)));
        // It hangs (past the bound) or fails: the first that answered.
        assert_eq!(
            run(1, vec![(30, Some(6)), (10_000, Some(1)), (10, Some(5))]),
            Some((2, 5))
        );
        assert_eq!(run(0, vec![(0, None), (20, Some(9))]), Some((1, 9)));
        // Nobody answers.
        assert_eq!(run(0, vec![(0, None), (10_000, Some(1))]), None);
    }

    #[test]
    fn messages_decode() {
        let put: Message = serde_json::from_slice(
            br#"{"result":{"header":{"revision":"76"},"events":[{"kv":{"key":"dy9h","create_revision":"76","mod_revision":"76","version":"1","value":"MQ=="}}]}}"#,
        )
        .unwrap();
        let event = WatchEvent::from(put.result.unwrap().events.into_iter().next().unwrap());
        assert_eq!(event.kind, EventKind::Put);
        assert_eq!(event.kv.key, b"w/a");
        assert_eq!(event.kv.value, b"1");
        let del: Message = serde_json::from_slice(
            br#"{"result":{"events":[{"type":"DELETE","kv":{"key":"dy9h","mod_revision":"78"}}]}}"#,
        )
        .unwrap();
        let event = WatchEvent::from(del.result.unwrap().events.into_iter().next().unwrap());
        assert_eq!(event.kind, EventKind::Delete);
        assert_eq!(event.kv.mod_revision, 78);
        let cancel: Message = serde_json::from_slice(
            br#"{"result":{"header":{"raft_term":"2"},"canceled":true,"compact_revision":"50"}}"#,
        )
        .unwrap();
        assert_eq!(cancel.result.unwrap().compact_revision, 50);
        let error: Message = serde_json::from_slice(
            br#"{"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: no leader","http_status":"Service Unavailable"}}"#,
        )
        .unwrap();
        assert!(error.error.is_some());
        assert!(matches!(
            stream_error(14, "etcdserver: no leader"),
            Break::Lost(_)
        ));
    }
}
