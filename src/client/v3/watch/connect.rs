//! Opening the watch: the request body from the next revision, the endpoints tried in turn
//! through the failover loop (the auth token renewed once when refused), and why none took it.

use super::{Break, CHECK_TIMEOUT, Stream, Watch, check_bound, message::stream_error};
use crate::client::error::{Error, Kind, Result};
use crate::client::v3::auth::stale_token;
use crate::client::v3::transport::{Attempt, Ended, Round, root_cause};
use crate::client::v3::wire::{self, ErrorBody};
use crate::duration::show;
use serde::Serialize;
use std::time::{Duration, Instant};

/// The most an error answer's body may hold.
const MAX_ERROR_BYTES: usize = 64 << 10;

impl Watch<'_> {
    /// Open the watch on the current endpoint or, failing that, the next ones. Before the
    /// watch was ever established this is one request like any other: while an endpoint
    /// answers "no leader" it is asked again after each of a back-off's pauses until the
    /// command timeout, and it fails at once when no endpoint answers. Once established, the
    /// endpoints are tried until the watch has been down for the command timeout.
    pub(super) async fn connect(&mut self) -> Result<()> {
        let body = self.body()?;
        let client = self.client;
        let timeout = client.command_timeout;
        // (Taken out while the endpoints are tried, put back after.)
        let mut backoff = std::mem::take(&mut self.backoff);
        let down_since = *self.down_since.get_or_insert_with(Instant::now);
        let established = self.established;
        let pause = |round: &Round| {
            if established {
                (down_since.elapsed() < timeout).then(|| backoff.next_pause())
            } else if round.leaderless() {
                backoff.before(down_since + timeout)
            } else {
                None
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
        let tried = client
            .failover(Some(self.index), None, attempt, pause)
            .await;
        self.backoff = backoff;
        match tried {
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
                spoke: 0,
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

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}
