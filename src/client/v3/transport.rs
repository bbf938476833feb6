//! The gateway: POST JSON to `<endpoint>/v3/<path>` through the failover loop
//! (`failover.rs`), with the auth token, and read etcd's answer or refusal
//! (`classify.rs`). The request itself is built by the one request path
//! (`client/request.rs`).
//!
//! The wire's shared names are re-exported here too, for the files that reach
//! them through `transport::` (the watch, v2).

pub(in crate::client) use crate::client::v3::body::{MAX_RESPONSE_BYTES, read_body};
pub(in crate::client) use crate::client::v3::classify::{
    classify, decode, not_etcd, preview, root_cause, tls_failure,
};
pub(in crate::client) use crate::client::v3::failover::{Attempt, Ended, Round};

use crate::client::error::{Error, Kind, Result};
use crate::client::request::{Credentials, Request, Shown};
use crate::client::v3::classify::refused;
use crate::client::v3::failover::uncertain;
use crate::client::v3::wire::ErrorBody;
use crate::client::{Client, Retry};
use crate::duration::show;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Asks a member cut off from its cluster to say so at once.
const HAS_LEADER: &str = "grpc-metadata-hasleader";

/// The member list is answered from the member's own data, leader or not: it
/// is asked without [`HAS_LEADER`], so that `leader` and `members` learn at once
/// who knows no leader instead of waiting out an election that may never end.
const NEEDS_NO_LEADER: &str = "/v3/cluster/member/list";

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

    /// Send one POST with etcd's headers (and `token` in `Authorization`)
    /// through the one request path. `timeout`: for the whole answer;
    /// streams have none.
    pub(in crate::client) async fn send(
        &self,
        url: &str,
        body: Vec<u8>,
        token: Option<&str>,
        timeout: Option<Duration>,
    ) -> std::result::Result<reqwest::Response, reqwest::Error> {
        let mut request = Request::new(&self.http, reqwest::Method::POST, url, body);
        request.headers.push(("content-type", "application/json"));
        if !url.ends_with(NEEDS_NO_LEADER) {
            // An isolated member answers "no leader" at once instead of after 7 s.
            request.headers.push((HAS_LEADER, "true"));
        }
        request.credentials = Credentials::Token("authorization", token);
        request.shown = Shown::Redacted;
        request.timeout = timeout;
        self.send_request(request).await
    }

    /// One POST to `url` (no failover): etcd's answer, or why there was none.
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
            Err(err) => return self.unsent(url, &err, retry).await,
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
                let what = match content_type.as_str() {
                    "" => format!("HTTP {status}"),
                    _ => format!("HTTP {status}, {content_type}"),
                };
                let what = what + &redirect.unwrap_or_default();
                self.not_a_gateway(url, status, &what, retry).await
            }
        }
    }

    /// A POST that got no answer: a closed http:// connection to a server seen to speak
    /// TLS is a scheme mix-up; else a crash, a proxy, a restart ([`Client::send_failure`]).
    async fn unsent<T>(&self, url: &str, err: &reqwest::Error, retry: Retry) -> Attempt<T> {
        if url.starts_with("http://")
            && !err.is_connect()
            && !err.is_timeout()
            && self.speaks_tls(url).await
        {
            let cause = root_cause(err);
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
        self.send_failure(url, err, retry)
    }

    /// An answer that is no etcd gateway's (`what` describes it): a 404 or 405 means none
    /// processed the request; a 404 from an etcd peer port is named as one.
    async fn not_a_gateway<T>(
        &self,
        url: &str,
        status: reqwest::StatusCode,
        what: &str,
        retry: Retry,
    ) -> Attempt<T> {
        let untouched = status.as_u16() == 404 || status.as_u16() == 405;
        let peer = status.as_u16() == 404 && self.is_peer_port(url).await;
        let error = if peer {
            crate::client::peer::peer_port(url)
        } else {
            not_etcd(url, what)
        };
        Attempt::Failed {
            error,
            next: untouched || retry == Retry::Idempotent,
            reached: false,
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
