//! The watch stream: one long `POST /v3/watch` whose newline-delimited JSON
//! answer is read as it arrives (protocol.md §3). When the connection drops,
//! the member dies or stops answering, the watch is opened again — on the next
//! endpoint — from the revision after the last one handed out, so no event is
//! lost, none is repeated, and order is kept.

mod cluster;
mod connect;
mod message;
mod read;
mod start;

pub(in crate::client) use start::start_point;

use crate::client::Client;
use crate::client::backoff::Backoff;
use crate::client::error::{Error, Result};
use crate::client::v3::auth::stale_token;
use crate::client::v3::kv::KeyValue;
use crate::client::v3::wire;
use crate::duration::show;
use std::time::{Duration, Instant};

/// How long a watch may sit without a byte before the endpoint is asked
/// whether it still answers.
pub(in crate::client) const CHECK_EVERY: Duration = Duration::from_secs(5);
/// How long that check may take before the endpoint counts as dead: the dial timeout, within
/// these bounds (a frozen member costs no more than that; a slow one still gets a second).
const CHECK_TIMEOUT: Duration = Duration::from_secs(4);
const CHECK_AT_LEAST: Duration = Duration::from_secs(1);
/// A watch that ends sooner than this is followed by a pause before the next try.
const SHORT_LIVED: Duration = Duration::from_secs(1);

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
    /// The compaction revision etcd named when it canceled the watch (0: none).
    compacted: i64,
    /// The last message with events: its header revision and how many revisions it held.
    round: (i64, usize),
    /// The pauses between tries while no endpoint serves the watch (reset once one does).
    backoff: Backoff,
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
    /// The highest store revision a message on this stream was sent at.
    spoke: i64,
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
            compacted: 0,
            round: (0, 0),
            backoff: Backoff::new(),
        }
    }
}

impl Watch<'_> {
    /// The revision etcd's compaction reached, when it refused this watch as compacted (0:
    /// it did not).
    pub fn compacted(&self) -> i64 {
        self.compacted
    }

    /// The last message that carried events: the store revision it was sent at, and how many
    /// distinct revisions its events held (etcd sends a watch's past in messages of at most
    /// 1,000 revisions; one with fewer ends what was past when it was sent).
    pub fn last_round(&self) -> (i64, usize) {
        self.round
    }

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
                        if error.kind.leaderless()
                            && let Some(pause) = self.backoff.before(down + timeout)
                        {
                            tokio::time::sleep(pause).await;
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
                        tokio::time::sleep(self.backoff.next_pause()).await;
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
