//! One request to the gateway: POST JSON to `<endpoint>/v3/<path>`, fail over
//! to the next endpoint where that is safe, and classify etcd's answer.

use crate::client::error::{Error, Kind, Result};
use crate::client::v3::wire::ErrorBody;
use crate::client::{Client, Retry};
use crate::duration::show;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;
use tokio::time::Instant;

/// How long to wait before asking a leaderless cluster again.
pub(in crate::client) const ELECTION_RETRY: Duration = Duration::from_millis(250);

/// Asks a member cut off from its cluster to say so at once.
const HAS_LEADER: &str = "grpc-metadata-hasleader";

/// The member list is answered from the member's own data, leader or not: it
/// is asked without [`HAS_LEADER`], so that `leader` and `members` learn at once
/// who knows no leader instead of waiting out an election that may never end.
const NEEDS_NO_LEADER: &str = "/v3/cluster/member/list";

/// The most one answer (a unary body, or one line of a watch stream) may hold
/// before it is refused. etcd's largest single value is 1.5 MiB by default
/// (`--max-request-bytes`), 2 MiB as base64; 16 MiB leaves room for a value
/// several times that, with its previous value. A range page larger than this
/// is asked for again in smaller pages (see `Pager`), and a server sending
/// more is cut off here instead of filling the memory.
pub(in crate::client) const MAX_RESPONSE_BYTES: usize = 16 << 20;

/// The limit as the error message names it.
pub(in crate::client) const TOO_LARGE: &str = "the answer is larger than etcdpy's limit of 16 MiB";

/// What became of one attempt at one endpoint.
pub(in crate::client) enum Attempt<T> {
    Answered(T),
    /// Not an answer from etcd; `next` says whether another endpoint may be
    /// tried, `reached` whether the request reached etcd there.
    Failed {
        error: Error,
        next: bool,
        reached: bool,
    },
}

impl<T> Attempt<T> {
    pub(in crate::client) fn map<U>(self, f: impl FnOnce(T) -> U) -> Attempt<U> {
        match self {
            Attempt::Answered(answer) => Attempt::Answered(f(answer)),
            Attempt::Failed {
                error,
                next,
                reached,
            } => Attempt::Failed {
                error,
                next,
                reached,
            },
        }
    }
}

/// How a failover loop ended without an answer.
pub(in crate::client) enum Ended {
    /// An endpoint's failure after which no other endpoint may be tried.
    Final(Error),
    /// Every endpoint failed, and no further round was wanted.
    Exhausted(Round),
}

/// What every endpoint said in one round of a failover loop, in the order
/// they were tried: whether to ask again, and the error when giving up.
#[derive(Default)]
pub(in crate::client) struct Round {
    /// (endpoint, its failure, whether the request reached etcd there)
    tried: Vec<(String, Error, bool)>,
}

impl Round {
    /// `endpoint` failed with `error`, and another endpoint may be tried.
    /// A "no leader" error must mean that nothing was proposed there.
    pub(in crate::client) fn failed(&mut self, endpoint: &str, error: Error, reached: bool) {
        self.tried.push((endpoint.to_string(), error, reached));
    }

    /// Some endpoint answered that it has no leader.
    pub(in crate::client) fn leaderless(&self) -> bool {
        self.tried.iter().any(|(_, e, _)| e.kind.leaderless())
    }

    /// The last endpoint's failure.
    pub(in crate::client) fn into_last(self) -> Option<Error> {
        self.tried.into_iter().last().map(|(_, error, _)| error)
    }

    /// Every endpoint tried with its reason: "URL (reason), URL (reason)".
    pub(in crate::client) fn list(&self) -> String {
        let each: Vec<String> = self
            .tried
            .iter()
            .map(|(endpoint, e, _)| format!("{endpoint} ({})", e.message))
            .collect();
        each.join(", ")
    }

    /// The error for the round as a whole, naming every endpoint with its own
    /// reason: "no leader" (exit 9) when any endpoint said so (`elapsed`: how
    /// long it was asked); else what an endpoint that was reached said; "cannot
    /// reach the cluster" (exit 7) only when none was.
    pub(in crate::client) fn into_error(mut self, elapsed: Duration) -> Error {
        if self.leaderless() {
            return Error::new(
                Kind::NoLeader,
                format!("no leader for {}: tried {}", show(elapsed), self.list()),
            );
        }
        match self.tried.iter().rposition(|(_, _, reached)| *reached) {
            Some(index) => {
                let (_, mut error, _) = self.tried.remove(index);
                if !self.tried.is_empty() {
                    error.message = format!("{}; also tried {}", error.message, self.list());
                }
                error
            }
            None => Error::new(
                Kind::Unreachable,
                format!("cannot reach the cluster: tried {}", self.list()),
            ),
        }
    }
}

/// What the failover loop does about an endpoint that has not answered
/// within the dial timeout.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::client) enum Silence {
    /// Wait for it, until the attempt's own timeout: a lock's wait, streams,
    /// requests bounded otherwise.
    Wait,
    /// Ask the next endpoint too and take the first answer: a request that
    /// changes nothing (a linearizable read stays one wherever it is asked).
    Hedge,
    /// Once the member is found to hang while another answers (a status
    /// request), leave it for the next endpoint: a write that cannot apply
    /// twice.
    MoveOn,
    /// Once the member is found to hang, stop: the write may or may not have
    /// been applied there, and saying so now beats the command timeout.
    GiveUp,
}

impl From<Retry> for Silence {
    fn from(retry: Retry) -> Silence {
        match retry {
            Retry::Idempotent => Silence::Hedge,
            Retry::Guarded => Silence::MoveOn,
            Retry::Once => Silence::GiveUp,
        }
    }
}

/// One attempt under way in the failover loop.
struct Running<F> {
    index: usize,
    /// Since when it has been waited for (reset after a probe found its member answering).
    since: Instant,
    attempt: std::pin::Pin<Box<F>>,
}

/// `attempt` at the endpoint at `index`, under way from now, bounded by
/// `within` (one that takes longer failed, having reached etcd).
fn running<T>(
    index: usize,
    attempt: impl Future<Output = Attempt<T>>,
    within: Option<Duration>,
) -> Running<impl Future<Output = Attempt<T>>> {
    let bounded = async move {
        let Some(within) = within else {
            return attempt.await;
        };
        let late = || Attempt::Failed {
            error: Error::new(Kind::TimedOut, format!("no answer within {}", show(within))),
            next: true,
            reached: true,
        };
        tokio::time::timeout(within, attempt)
            .await
            .unwrap_or_else(|_| late())
    };
    Running {
        index,
        since: Instant::now(),
        attempt: Box::pin(bounded),
    }
}

/// The first of the attempts under way to end (removed from them), with its endpoint's index.
async fn first_done<F: Future>(running: &mut Vec<Running<F>>) -> (usize, F::Output) {
    std::future::poll_fn(|cx| {
        for at in 0..running.len() {
            if let std::task::Poll::Ready(outcome) = running[at].attempt.as_mut().poll(cx) {
                let done = running.swap_remove(at);
                return std::task::Poll::Ready((done.index, outcome));
            }
        }
        std::task::Poll::Pending
    })
    .await
}

/// The first `Some` of `futures`, or `None` once every one has ended without.
async fn first_some<T, F: Future<Output = Option<T>>>(
    mut futures: Vec<std::pin::Pin<Box<F>>>,
) -> Option<T> {
    std::future::poll_fn(|cx| {
        let mut at = 0;
        while at < futures.len() {
            match futures[at].as_mut().poll(cx) {
                std::task::Poll::Ready(Some(found)) => return std::task::Poll::Ready(Some(found)),
                std::task::Poll::Ready(None) => {
                    futures.swap_remove(at);
                }
                std::task::Poll::Pending => at += 1,
            }
        }
        if futures.is_empty() {
            std::task::Poll::Ready(None)
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

/// The error for a member found to hang under a write (`silence`): the
/// write was left there; with [`Silence::GiveUp`] its fate is unknown.
fn hung(endpoint: &str, other: &str, patience: Duration, silence: Silence) -> Error {
    let fate = if silence == Silence::GiveUp {
        uncertain(Retry::Once)
    } else {
        ""
    };
    Error::new(
        Kind::TimedOut,
        format!(
            "{endpoint} gave no answer, nor to a status request within {}, while {other} answered: the member hangs{fate}",
            show(patience / 2)
        ),
    )
}

impl Client {
    /// POST `body` to `/v3/<path>` and decode the answer.
    pub(in crate::client) async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        body: &Req,
        retry: Retry,
    ) -> Result<Resp> {
        let body = serde_json::to_vec(body).map_err(crate::client::error::encoding)?;
        let (bytes, url) = self.post(path, body, retry).await?;
        decode(&url, &bytes)
    }

    /// Send the request to the endpoints in turn, with the auth token if there
    /// is one (renewed once if the server calls it invalid); return the body
    /// of the first 200 answer and the URL that gave it.
    pub(in crate::client) async fn post(
        &self,
        path: &str,
        body: Vec<u8>,
        retry: Retry,
    ) -> Result<(Vec<u8>, String)> {
        let body = &body;
        self.with_token(|token| async move {
            self.post_with(path, body.clone(), retry, token.as_deref())
                .await
        })
        .await
    }

    /// [`Client::post`] with a given token (or none).
    pub(in crate::client) async fn post_with(
        &self,
        path: &str,
        body: Vec<u8>,
        retry: Retry,
        token: Option<&str>,
    ) -> Result<(Vec<u8>, String)> {
        let body = &body;
        self.failover_current_on(None, true, retry.into(), |index| {
            self.attempt_at(index, path, body.clone(), retry, token)
        })
        .await
    }

    /// [`Client::post`] for an idempotent request that must be answered
    /// soon (a lease's keepalive): each endpoint in turn, from the current
    /// one, gets at most `within` (and the command timeout) to answer before
    /// the next is asked, so that a member that hangs costs only that.
    pub(in crate::client) async fn post_within(
        &self,
        path: &str,
        body: Vec<u8>,
        within: Duration,
    ) -> Result<(Vec<u8>, String)> {
        let within = within.min(self.command_timeout);
        let body = &body;
        self.with_token(|token| async move {
            self.failover_current(Some(within), false, |index| {
                let token = token.as_deref();
                self.attempt_at(index, path, body.clone(), Retry::Idempotent, token)
            })
            .await
        })
        .await
    }

    /// The one failover loop: ask the endpoints in turn, from `start` (the
    /// current endpoint when `None`, read again each round), until one
    /// answers; returns its index and answer. `within` bounds each attempt (one
    /// that takes longer failed, having reached etcd). A failure that allows
    /// no other endpoint ends the loop at once. After a round in which every
    /// endpoint failed, `pause` says how long to wait before the next round,
    /// or `None` to give up. An endpoint that stays silent is waited for
    /// ([`Silence::Wait`]); see [`Client::failover_on`] for the others.
    pub(in crate::client) async fn failover<T, Fut>(
        &self,
        start: Option<usize>,
        within: Option<Duration>,
        attempt: impl FnMut(usize) -> Fut,
        pause: impl FnMut(&Round) -> Option<Duration>,
    ) -> std::result::Result<(usize, T), Ended>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        self.failover_on(start, within, Silence::Wait, attempt, pause)
            .await
    }

    /// [`Client::failover`], where `silence` says what to do about an
    /// endpoint that has not answered within the dial timeout: ask the next
    /// one too and take the first answer (a read), or probe whether the
    /// member hangs while another answers, and then move on (a write that
    /// cannot apply twice) or stop, naming it (one that could).
    pub(in crate::client) async fn failover_on<T, Fut>(
        &self,
        start: Option<usize>,
        within: Option<Duration>,
        silence: Silence,
        mut attempt: impl FnMut(usize) -> Fut,
        mut pause: impl FnMut(&Round) -> Option<Duration>,
    ) -> std::result::Result<(usize, T), Ended>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        let count = self.endpoints.len();
        let patience = self.dial_timeout;
        let mut launch = |index: usize| running(index, attempt(index), within);
        loop {
            let first = start.unwrap_or_else(|| self.start_index()) % count;
            let mut round = Round::default();
            // The attempts under way (more than one only when hedging), how many
            // endpoints have been asked this round, and a probe under way.
            let mut running = vec![launch(first)];
            let mut asked = 1;
            let mut probe = None;
            while !running.is_empty() {
                // When to act on the oldest attempt's silence.
                let oldest = running.iter().map(|r| r.since).min();
                let oldest = oldest.unwrap_or_else(Instant::now);
                let (act, wake) = match silence {
                    Silence::Wait => (false, oldest),
                    Silence::Hedge => (asked < count, oldest + patience),
                    Silence::MoveOn | Silence::GiveUp => (probe.is_none(), oldest + patience / 2),
                };
                tokio::select! {
                    (index, outcome) = first_done(&mut running) => {
                        probe = None;
                        match outcome {
                            Attempt::Answered(answer) => return Ok((index, answer)),
                            Attempt::Failed { error, next: false, .. } => {
                                return Err(Ended::Final(error));
                            }
                            Attempt::Failed { error, reached, .. } => {
                                round.failed(&self.endpoints[index], error, reached);
                                if running.is_empty() && asked < count {
                                    running.push(launch((first + asked) % count));
                                    asked += 1;
                                }
                            }
                        }
                    }
                    _ = tokio::time::sleep_until(wake), if act => {
                        if silence == Silence::Hedge {
                            running.push(launch((first + asked) % count));
                            asked += 1;
                        } else if let Some(r) = running.first() {
                            probe = Some(Box::pin(self.hangs(r.index, patience / 2)));
                        }
                    }
                    answered = async { probe.as_mut().expect("a probe").await }, if probe.is_some() => {
                        probe = None;
                        let Some(r) = running.first_mut() else { continue };
                        let Some(other) = answered else {
                            // The member answers (or none does): wait, and look again later.
                            r.since = Instant::now();
                            continue;
                        };
                        let endpoint = &self.endpoints[r.index];
                        let error = hung(endpoint, &self.endpoints[other], patience, silence);
                        if silence == Silence::GiveUp {
                            return Err(Ended::Final(error));
                        }
                        round.failed(endpoint, error, true);
                        running.clear();
                        if asked < count {
                            running.push(launch((first + asked) % count));
                            asked += 1;
                        }
                    }
                }
            }
            match pause(&round) {
                Some(pause) => tokio::time::sleep(pause).await,
                None => return Err(Ended::Exhausted(round)),
            }
        }
    }

    /// Whether the member at `index` hangs: it gives no answer to a status
    /// request within `within` while another endpoint does. Returns the index
    /// of that other endpoint. (Any HTTP answer counts: the member is not frozen.)
    pub(in crate::client) async fn hangs(&self, index: usize, within: Duration) -> Option<usize> {
        let ask = |i: usize| async move {
            let url = format!("{}/v3/maintenance/status", self.endpoints[i]);
            self.send(&url, b"{}".to_vec(), None, Some(within))
                .await
                .ok()
                .map(|_| i)
        };
        let others: Vec<_> = (0..self.endpoints.len())
            .filter(|&i| i != index)
            .map(|i| Box::pin(ask(i)))
            .collect();
        let (this, other) = tokio::join!(ask(index), first_some(others));
        match (this, other) {
            (None, Some(other)) => Some(other),
            _ => None,
        }
    }

    /// Whether the server at `url` (an http:// one whose connection closed
    /// without an answer) speaks TLS: it answers a TLS ClientHello with a TLS
    /// record (a ServerHello or an alert) within the dial timeout.
    async fn speaks_tls(&self, url: &str) -> bool {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return false;
        };
        let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
            return false;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let check = async {
            let mut stream = tokio::net::TcpStream::connect((host.as_str(), port))
                .await
                .ok()?;
            stream.write_all(&client_hello()).await.ok()?;
            let mut head = [0u8; 2];
            stream.read_exact(&mut head).await.ok()?;
            // A handshake (22) or alert (21) record of TLS 1.x.
            Some(matches!(head, [21 | 22, 3]))
        };
        tokio::time::timeout(self.dial_timeout, check)
            .await
            .ok()
            .flatten()
            .unwrap_or(false)
    }

    /// [`Client::failover`] from the current endpoint; the one that answers
    /// becomes current. With `election`: while any endpoint answered "no
    /// leader" before proposing anything, an election is under way (about
    /// 2 s), and a dead endpoint beside it changes nothing: ask again every
    /// [`ELECTION_RETRY`] until the command timeout. The error names every
    /// endpoint with its reason ([`Round::into_error`]).
    pub(in crate::client) async fn failover_current<T, Fut>(
        &self,
        within: Option<Duration>,
        election: bool,
        attempt: impl FnMut(usize) -> Fut,
    ) -> Result<T>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        self.failover_current_on(within, election, Silence::Wait, attempt)
            .await
    }

    /// [`Client::failover_current`], doing what `silence` says about an
    /// endpoint that stays silent (see [`Client::failover_on`]).
    pub(in crate::client) async fn failover_current_on<T, Fut>(
        &self,
        within: Option<Duration>,
        election: bool,
        silence: Silence,
        attempt: impl FnMut(usize) -> Fut,
    ) -> Result<T>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        let began = std::time::Instant::now();
        let pause = |round: &Round| {
            let again = election
                && round.leaderless()
                && began.elapsed() + ELECTION_RETRY < self.command_timeout;
            again.then_some(ELECTION_RETRY)
        };
        match self
            .failover_on(None, within, silence, attempt, pause)
            .await
        {
            Ok((index, answer)) => {
                self.set_current(index);
                Ok(answer)
            }
            Err(Ended::Final(error)) => Err(error),
            Err(Ended::Exhausted(round)) => Err(round.into_error(began.elapsed())),
        }
    }

    /// One unary request to the endpoint at `index`: its answer and URL.
    pub(in crate::client) async fn attempt_at(
        &self,
        index: usize,
        path: &str,
        body: Vec<u8>,
        retry: Retry,
        token: Option<&str>,
    ) -> Attempt<(Vec<u8>, String)> {
        let url = format!("{}/v3/{path}", self.endpoints[index]);
        let attempt = self.attempt(&url, body, retry, token).await;
        attempt.map(|bytes| (bytes, url))
    }

    /// POST to one endpoint only (no failover): probing a given member.
    pub(in crate::client) async fn call_at<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        base: &str,
        path: &str,
        body: &Req,
    ) -> Result<Resp> {
        let body = serde_json::to_vec(body).map_err(crate::client::error::encoding)?;
        let url = format!("{}/v3/{path}", base.trim_end_matches('/'));
        let (url, body) = (&url, &body);
        let bytes = self
            .with_token(|token| async move {
                match self
                    .attempt(url, body.clone(), Retry::Idempotent, token.as_deref())
                    .await
                {
                    Attempt::Answered(bytes) => Ok(bytes),
                    Attempt::Failed { error, .. } => Err(error),
                }
            })
            .await?;
        decode(url, &bytes)
    }

    /// Send one POST with etcd's headers (and `token` in `Authorization`),
    /// reporting it to the `--debug` tracer. `timeout`: for the whole answer;
    /// streams have none.
    pub(in crate::client) async fn send(
        &self,
        url: &str,
        body: Vec<u8>,
        token: Option<&str>,
        timeout: Option<Duration>,
    ) -> std::result::Result<reqwest::Response, reqwest::Error> {
        let has_leader = !url.ends_with(NEEDS_NO_LEADER);
        let mut request = self.http.post(url).header(CONTENT_TYPE, "application/json");
        if has_leader {
            // An isolated member answers "no leader" at once instead of after 7 s.
            request = request.header(HAS_LEADER, "true");
        }
        if let Some(mut value) = token.and_then(|t| HeaderValue::from_str(t).ok()) {
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let Some(tracer) = &self.tracer else {
            return request.body(body).send().await;
        };
        let shown = redact_body(&body);
        let began = std::time::Instant::now();
        let result = request.body(body).send().await;
        let mut headers = vec![(CONTENT_TYPE.as_str(), "application/json".to_string())];
        if has_leader {
            headers.push((HAS_LEADER, "true".to_string()));
        }
        if token.is_some() {
            headers.push((AUTHORIZATION.as_str(), "<redacted>".to_string()));
        }
        trace(tracer, "POST", url, headers, &shown, &result, began);
        result
    }

    async fn attempt(
        &self,
        url: &str,
        body: Vec<u8>,
        retry: Retry,
        token: Option<&str>,
    ) -> Attempt<Vec<u8>> {
        let sent = self
            .send(url, body, token, Some(self.command_timeout))
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(err) if url.starts_with("http://") && !err.is_connect() && !err.is_timeout() => {
                // A closed connection is a scheme mix-up only where the server is
                // seen to speak TLS; else a crash, a proxy, a restart.
                if self.speaks_tls(url).await {
                    let cause = root_cause(&err);
                    return Attempt::Failed {
                        error: Error::new(
                            Kind::Unreachable,
                            format!(
                                "{url}: {cause}: the server answers in TLS (is this an https endpoint?)"
                            ),
                        ),
                        next: true,
                        reached: false,
                    };
                }
                return self.send_failure(url, &err, retry);
            }
            Err(err) => return self.send_failure(url, &err, retry),
        };
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        // Redirects are not followed (the client's policy): they are not etcd's answers, and
        // following one would send the request, and any credentials, elsewhere.
        let redirect = status.is_redirection().then(|| {
            let to = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("nowhere");
            format!(", a redirect to {to}, which etcdpy does not follow")
        });
        let bytes = match read_body(response, self.command_timeout).await {
            Ok(bytes) => bytes,
            Err(err) => {
                return Attempt::Failed {
                    error: err,
                    next: retry == Retry::Idempotent,
                    reached: true,
                };
            }
        };
        if status.is_success() {
            return Attempt::Answered(bytes);
        }
        match serde_json::from_slice::<ErrorBody>(&bytes)
            .ok()
            .and_then(|b| b.parts())
        {
            Some((code, message)) => refused(code, &message, retry),
            None => {
                let error = not_etcd(
                    url,
                    &format!(
                        "HTTP {}{}{}",
                        status,
                        if content_type.is_empty() {
                            String::new()
                        } else {
                            format!(", {content_type}")
                        },
                        redirect.unwrap_or_default()
                    ),
                );
                // A 404 or 405 means no etcd gateway processed the request.
                let untouched = status.as_u16() == 404 || status.as_u16() == 405;
                let peer = status.as_u16() == 404
                    && crate::client::peer::is_peer_port(&self.http, url, self.dial_timeout).await;
                let error = if peer {
                    crate::client::peer::peer_port(url)
                } else {
                    error
                };
                Attempt::Failed {
                    error,
                    next: untouched || retry == Retry::Idempotent,
                    reached: false,
                }
            }
        }
    }

    pub(in crate::client) fn send_failure<T>(
        &self,
        url: &str,
        err: &reqwest::Error,
        retry: Retry,
    ) -> Attempt<T> {
        let cause = root_cause(err);
        let tls = tls_failure(url, &cause);
        // A failed TLS handshake (with TLS 1.3 the server's alert may only arrive with the
        // answer) means the request never reached etcd.
        if err.is_connect() || tls.as_ref().is_some_and(|t| t.handshake) {
            let why = if err.is_timeout() || cause.contains("timed out") {
                format!(
                    "no connection within the dial timeout of {}",
                    show(self.dial_timeout)
                )
            } else if let Some(tls) = tls {
                tls.message
            } else {
                cause
            };
            return Attempt::Failed {
                error: Error::new(Kind::Unreachable, why),
                next: true,
                reached: false,
            };
        }
        if err.is_timeout() {
            return Attempt::Failed {
                error: Error::new(
                    Kind::TimedOut,
                    format!(
                        "no answer from {url} within the command timeout of {}{}",
                        show(self.command_timeout),
                        uncertain(retry)
                    ),
                ),
                next: retry == Retry::Idempotent,
                reached: true,
            };
        }
        let cause = tls.map_or(cause, |t| t.message);
        Attempt::Failed {
            error: Error::new(
                Kind::Unreachable,
                format!("{url}: {cause}{}", uncertain(retry)),
            ),
            next: retry == Retry::Idempotent,
            reached: false,
        }
    }
}

/// etcd's refusal (a gRPC status code and message, from the gateway's error
/// body or gRPC's headers) as an attempt that failed, and whether another
/// endpoint may take the request.
pub(in crate::client) fn refused<T>(code: i64, message: &str, retry: Retry) -> Attempt<T> {
    let mut error = classify(code, message);
    if error.kind == Kind::Unavailable {
        error.message.push_str(uncertain(retry));
    }
    // Unavailable: no leader here. With the hasleader header a write
    // was refused before it was proposed, so another member may take it.
    let next = error.kind == Kind::NoLeader
        || (error.kind == Kind::Unavailable && retry == Retry::Idempotent);
    Attempt::Failed {
        error,
        next,
        reached: true,
    }
}

/// A connection failure explained in TLS terms.
/// Report one request (its answer's status, or why there was none) to the `--debug` tracer.
pub(in crate::client) fn trace(
    tracer: &crate::client::Tracer,
    method: &str,
    url: &str,
    headers: Vec<(&str, String)>,
    body: &[u8],
    result: &std::result::Result<reqwest::Response, reqwest::Error>,
    began: std::time::Instant,
) {
    tracer(&crate::client::Exchange {
        method,
        url,
        headers,
        body,
        outcome: match result {
            Ok(response) => Ok(response.status().as_u16()),
            Err(err) => Err(root_cause(err)),
        },
        elapsed: began.elapsed(),
        grpc: false,
    });
}

pub(in crate::client) struct TlsFailure {
    pub(in crate::client) message: String,
    /// The TLS handshake failed: no request reached etcd.
    pub(in crate::client) handshake: bool,
}

/// Name the likely cause of a TLS (or TLS/plain mix-up) failure, from the innermost error
/// text of rustls or hyper; `None` when `cause` is no such failure.
pub(in crate::client) fn tls_failure(url: &str, cause: &str) -> Option<TlsFailure> {
    let has = |needle: &str| cause.contains(needle);
    let https = url.starts_with("https://");
    let (hint, handshake) = if has("fatal alert") {
        (
            "the server refused the TLS handshake; it may require a client certificate (give one with --cert and --key) or not accept the one given",
            true,
        )
    } else if https && (has("corrupt message") || has("InvalidContentType")) {
        (
            "the server does not speak TLS (is this an http endpoint?)",
            true,
        )
    } else if https && has("handshake eof") {
        (
            "the server closed the connection during the TLS handshake (is this an http endpoint?)",
            true,
        )
    } else if https && has("reset by peer") {
        // Also what a crash after the request was sent looks like: not surely unsent.
        (
            "the server reset the connection (is this an http endpoint?)",
            false,
        )
    } else if has("certificate") {
        // rustls's words are its types' names (UnknownIssuer): said in plain words instead.
        return Some(TlsFailure {
            message: crate::client::tls::refused(cause),
            handshake: true,
        });
    } else {
        return None;
    };
    Some(TlsFailure {
        message: hint.to_string(),
        handshake,
    })
}

/// A minimal TLS 1.2 ClientHello (two cipher suites, no extensions): a TLS
/// server answers it with a ServerHello or an alert, a plain HTTP one with
/// HTTP or nothing.
fn client_hello() -> Vec<u8> {
    let mut hello = vec![3, 3]; // client_version: TLS 1.2
    hello.extend_from_slice(&[7; 32]); // random
    hello.push(0); // no session id
    hello.extend_from_slice(&[0, 4, 0xc0, 0x2f, 0x00, 0x9c]); // two cipher suites
    hello.extend_from_slice(&[1, 0]); // no compression
    hello.extend_from_slice(&[0, 0]); // no extensions
    let mut handshake = vec![1, 0, (hello.len() >> 8) as u8, hello.len() as u8];
    handshake.extend_from_slice(&hello);
    let mut record = vec![
        22,
        3,
        1,
        (handshake.len() >> 8) as u8,
        handshake.len() as u8,
    ];
    record.extend_from_slice(&handshake);
    record
}

/// For a write that may have reached the server before the connection
/// failed: say so, rather than repeat it and maybe apply it twice.
fn uncertain(retry: Retry) -> &'static str {
    match retry {
        Retry::Idempotent => "",
        Retry::Once | Retry::Guarded => {
            "; the write may or may not have been applied (check before repeating it)"
        }
    }
}

/// Read a whole answer, refusing one larger than [`MAX_RESPONSE_BYTES`] as soon as it says
/// (Content-Length) or grows so; the request's own timeout bounds the time.
pub(in crate::client) async fn read_body(
    response: reqwest::Response,
    timeout: Duration,
) -> Result<Vec<u8>> {
    read_sized(response, timeout, |_| None).await
}

/// [`read_body`], where `size` may tell the whole answer's size from its
/// first bytes (a gRPC frame's header): the buffer is made that size, and an
/// answer announced larger than [`MAX_RESPONSE_BYTES`] is refused at once.
pub(in crate::client) async fn read_sized(
    mut response: reqwest::Response,
    timeout: Duration,
    size: impl Fn(&[u8]) -> Option<usize>,
) -> Result<Vec<u8>> {
    let url = response.url().to_string();
    let announced = response.content_length().unwrap_or(0);
    if announced > MAX_RESPONSE_BYTES as u64 {
        return Err(too_large(&url));
    }
    let mut bytes = Vec::with_capacity(announced as usize);
    let mut sized = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(too_large(&url));
                }
                bytes.extend_from_slice(&chunk);
                if !sized && let Some(whole) = size(&bytes) {
                    sized = true;
                    if whole > MAX_RESPONSE_BYTES {
                        return Err(too_large(&url));
                    }
                    bytes.reserve_exact(whole.saturating_sub(bytes.len()));
                }
            }
            Ok(None) => return Ok(bytes),
            Err(err) if err.is_timeout() => {
                return Err(Error::new(
                    Kind::TimedOut,
                    format!(
                        "{url}: the answer did not complete within the command timeout of {}",
                        show(timeout)
                    ),
                ));
            }
            Err(err) => {
                return Err(Error::new(
                    Kind::Unreachable,
                    format!("{url}: the answer was cut off ({})", root_cause(&err)),
                ));
            }
        }
    }
}

fn too_large(url: &str) -> Error {
    Error::new(
        Kind::TooLarge,
        format!("{url}: {TOO_LARGE} for one response"),
    )
}

/// Decode a 200 answer: JSON of the shape etcd gives, or an error that says
/// what came instead.
pub(in crate::client) fn decode<T: DeserializeOwned>(url: &str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        let what = if e.is_data() {
            format!("the JSON does not match etcd's ({e})")
        } else if e.is_eof() {
            format!("the JSON ends early ({e})")
        } else {
            format!("the answer is not JSON ({e}): it starts {}", preview(bytes))
        };
        not_etcd(url, &what)
    })
}

/// The start of a body, quoted and escaped, for an error message.
pub(in crate::client) fn preview(bytes: &[u8]) -> String {
    const SHOW: usize = 40;
    let head = &bytes[..bytes.len().min(SHOW)];
    let more = if bytes.len() > SHOW { "…" } else { "" };
    format!("\"{}{more}\"", crate::text::escape(head))
}

/// An etcd gRPC status code and message, as an error of the kind the program
/// reacts to: the one place where etcd's messages are read.
pub(in crate::client) fn classify(code: i64, message: &str) -> Error {
    let has = |needle: &str| message.contains(needle);
    let kind = match code {
        3 if has("request is too large") => {
            return value_too_large(message);
        }
        8 if has("larger than max") => {
            return value_too_large(message);
        }
        3 | 2 if has("user name is empty") => {
            return Error::new(
                Kind::AuthRequired,
                format!("the cluster requires authentication: give --user ({message})"),
            );
        }
        _ if has("authentication failed") => Kind::AuthFailed,
        _ if has("authentication is not enabled") => Kind::AuthNotEnabled,
        // The lock service reports it with code 2 (Unknown).
        _ if has("permission denied") => Kind::PermissionDenied,
        7 | 16 if has("invalid auth token") => Kind::StaleToken,
        7 | 16 => Kind::AuthRefused,
        3 => Kind::InvalidInput,
        11 if has("compacted") => Kind::Compacted,
        11 if has("future revision") => Kind::InvalidInput,
        // Refused before it was proposed: another member may take it.
        14 if has("no leader") => Kind::NoLeader,
        // "request timed out", "leader changed": proposed, fate unknown.
        14 => Kind::Unavailable,
        2 if has("context deadline exceeded") => Kind::DeadlineExceeded,
        4 => Kind::TimedOut,
        _ if has("requested lease not found") => Kind::LeaseNotFound,
        _ => Kind::Unexpected,
    };
    Error::new(kind, message.to_string())
}

fn value_too_large(message: &str) -> Error {
    Error::new(
        Kind::ValueTooLarge,
        format!(
            "value too large: the server refused the request ({message}); etcd's default limit is 1.5 MiB (--max-request-bytes)"
        ),
    )
}

/// A request body as `--debug` shows it: any `"password"` field redacted.
fn redact_body(body: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut map)) if map.contains_key("password") => {
            map.insert("password".into(), "<redacted>".into());
            serde_json::to_vec(&map).unwrap_or_default()
        }
        _ => body.to_vec(),
    }
}

/// How an answer that is not etcd's is described.
const NOT_ETCD: &str = "did not answer like an etcd v3 gateway";

pub(in crate::client) fn not_etcd(url: &str, what: &str) -> Error {
    Error::new(
        Kind::NotEtcd,
        format!("{url} {NOT_ETCD}: {what} (check the endpoint and --path-prefix)"),
    )
}

/// The innermost cause of a reqwest error: "Connection refused (os error 111)".
pub(in crate::client) fn root_cause(err: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = err;
    while let Some(next) = source.source() {
        source = next;
    }
    let text = source.to_string();
    if text.is_empty() {
        err.to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_failures_name_their_cause() {
        let hint = |url, cause| tls_failure(url, cause).map(|t| (t.message, t.handshake));
        let (m, h) = hint(
            "https://a:1/v3/kv/range",
            "invalid peer certificate: UnknownIssuer",
        )
        .unwrap();
        assert!(m.contains("--cacert") && h);
        let (m, _) = hint(
            "https://a:1/v3/kv/range",
            "invalid peer certificate: certificate expired: x",
        )
        .unwrap();
        assert!(m.contains("expired") && !m.contains("--cacert"));
        let (m, _) = hint(
            "https://a:1/v3/kv/range",
            "received fatal alert: CertificateRequired",
        )
        .unwrap();
        assert!(m.contains("client certificate") && m.contains("--cert and --key"));
        let (m, _) = hint("https://a:1/v3/kv/range", "tls handshake eof").unwrap();
        assert!(m.contains("is this an http endpoint?"));
        // A closed connection alone is no evidence of TLS (see `speaks_tls`).
        assert!(
            hint(
                "http://a:1/v3/kv/put",
                "connection closed before message completed"
            )
            .is_none()
        );
        assert!(
            hint(
                "https://a:1/v3/kv/range",
                "Connection refused (os error 111)"
            )
            .is_none()
        );
        assert!(hint("http://a:1/v3/kv/range", "tls handshake eof").is_none());
    }

    #[test]
    fn codes_map_to_outcomes() {
        // The exit status each answer ends the program with (the mapping is `crate::commands`').
        use crate::exit::Exit;
        let exit = |code, message| crate::commands::exit_for(classify(code, message).kind);
        assert_eq!(
            exit(11, "etcdserver: mvcc: required revision has been compacted"),
            Exit::Compacted
        );
        assert_eq!(exit(14, "etcdserver: no leader"), Exit::NoLeader);
        assert_eq!(exit(3, "etcdserver: request is too large"), Exit::Usage);
        assert!(
            classify(8, "grpc: received message larger than max (1 vs. 2)")
                .message
                .starts_with("value too large")
        );
        assert_eq!(
            exit(16, "etcdserver: invalid auth token"),
            Exit::AuthRefused
        );
        assert_eq!(exit(7, "etcdserver: permission denied"), Exit::AuthRefused);
        assert_eq!(
            exit(2, "etcdserver: requested lease not found"),
            Exit::Unexpected
        );
        // And the kinds the client decides by.
        assert_eq!(
            classify(16, "etcdserver: invalid auth token").kind,
            Kind::StaleToken
        );
        assert_eq!(
            classify(14, "etcdserver: leader changed").kind,
            Kind::Unavailable
        );
        assert_eq!(
            classify(5, "etcdserver: requested lease not found").kind,
            Kind::LeaseNotFound
        );
    }
}
