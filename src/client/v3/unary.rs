//! One unary call of etcd's gRPC API, whatever the method: the request message as one
//! gRPC frame POSTed to the method's path over HTTP/2 on the same client URL as the
//! gateway (etcd serves both on one port), through the one request path
//! (`client/request.rs`), and the answer read back as one whole frame, its message left
//! for the caller to decode. `grpc.rs`'s Range is one such call; another (a `KV/Txn`
//! for `load`) is a message type and a call of [`Client::unary`] beside it.
//!
//! The wire: `POST /etcdserverpb.KV/Range` with `content-type:
//! application/grpc`, `te: trailers`, the auth token in the metadata header
//! `token` and `hasleader: true`; the body is one gRPC frame (a 0 byte for "not
//! compressed", a 4-byte big-endian length, then the protobuf message).
//! Plain http endpoints speak HTTP/2 with prior knowledge (h2c), https ones
//! negotiate `h2` by ALPN.
//!
//! **Trailers.** reqwest 0.12 does not expose HTTP trailers, where gRPC puts
//! the status of an answer. This reader relies on what etcd does for a unary
//! call: an error comes *Trailers-Only* (`grpc-status` and `grpc-message` in
//! the response headers, no body), a success as exactly one frame (and
//! `grpc-status: 0` in trailers that are not read). So an answer with no
//! `grpc-status` header must hold one whole frame whose length is exactly the
//! bytes received: a cut answer, or no frame at all, is an error, never an
//! empty or short page.
//!
//! Where gRPC cannot go (an endpoint with a path prefix, an HTTP/1.1-only
//! proxy, a server that refuses h2c, "unimplemented"), the call says so
//! ([`Outcome::NotHere`]); with [`Transport::Auto`](crate::client::Transport)
//! the caller asks the gateway on the same endpoint instead, and the endpoint
//! is remembered as gateway-only for the rest of the run.

use crate::client::error::{Error, Kind};
use crate::client::request::{Credentials, Request, Shown};
use crate::client::v3::body::read_sized;
use crate::client::v3::classify::{not_etcd, refused, root_cause, tls_failure};
use crate::client::v3::failover::Attempt;
use crate::client::{Client, Retry, Transport};
use reqwest::header::HeaderValue;
use std::collections::HashMap;

/// What is known of an endpoint's gRPC, for the rest of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::client) enum Route {
    /// It answered over gRPC: its failures are failures, not a reason to
    /// fall back.
    Grpc,
    /// It cannot carry gRPC: bulk reads go to its gateway.
    Gateway,
}

/// Per endpoint (its base URL), shared by every clone of a client.
pub(in crate::client) type Routes = std::sync::Mutex<HashMap<String, Route>>;

/// The outcome of one unary gRPC call at one endpoint.
pub(in crate::client) enum Outcome {
    /// The answer's body (one whole frame) and URL, or why there was none.
    Answered(Attempt<(Vec<u8>, String)>),
    /// The endpoint does not carry etcd's gRPC API, and why.
    NotHere(String),
}

/// Whether an endpoint can carry gRPC at all: a gRPC method's path is
/// `/etcdserverpb.KV/Range` from the root, so an endpoint with a path prefix
/// (a reverse proxy's `/etcd/`) cannot.
pub(in crate::client) fn has_prefix(endpoint: &str) -> bool {
    let rest = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    rest.contains('/')
}

/// The error for an endpoint that cannot carry gRPC when `--transport grpc`
/// asks for it (the failover loop's error names the endpoint).
pub(in crate::client) fn refused_pin(why: &str) -> Error {
    Error::new(
        Kind::Unreachable,
        format!("no gRPC there ({why}); use --transport auto or gateway"),
    )
}

/// A request as one gRPC frame.
pub(in crate::client) fn frame(request: &impl prost::Message) -> Vec<u8> {
    let len = request.encoded_len();
    let mut body = Vec::with_capacity(5 + len);
    body.push(0);
    body.extend_from_slice(&(len as u32).to_be_bytes());
    // A Vec grows as needed: encoding into one cannot fail.
    let _ = request.encode(&mut body);
    body
}

/// One answer's body: exactly one uncompressed frame, its length matching
/// the bytes received.
pub(in crate::client) fn check_frame(url: &str, bytes: &[u8]) -> Result<(), Error> {
    let Some((head, message)) = bytes.split_first_chunk::<5>() else {
        let what = if bytes.is_empty() {
            "an answer with neither a gRPC frame nor a grpc-status".to_string()
        } else {
            format!("a gRPC frame cut off in its header ({} bytes)", bytes.len())
        };
        return Err(not_etcd(url, &what));
    };
    if head[0] != 0 {
        return Err(not_etcd(
            url,
            &format!("a gRPC frame with flags {} (compressed?)", head[0]),
        ));
    }
    let len = frame_len(head);
    if len != message.len() {
        let what = if len > message.len() {
            format!(
                "the gRPC answer was cut off ({} of {len} bytes)",
                message.len()
            )
        } else {
            format!(
                "{} bytes after a {len}-byte gRPC frame",
                message.len() - len
            )
        };
        return Err(not_etcd(url, &what));
    }
    Ok(())
}

/// The message length a frame's 5-byte header announces.
pub(in crate::client) fn frame_len(head: &[u8; 5]) -> usize {
    u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize
}

/// `grpc-message` as sent: percent-encoded (the gRPC spec), decoded here.
pub(in crate::client) fn unescape(message: &[u8]) -> String {
    let mut out = Vec::with_capacity(message.len());
    let mut at = 0;
    while at < message.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (message[at], message.get(at + 1), message.get(at + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                at += 3;
            }
            (b, _, _) => {
                out.push(b);
                at += 1;
            }
        }
    }
    crate::text::escape(&out)
}

impl Client {
    /// Whether a bulk read at the endpoint at `index` goes over gRPC.
    pub(in crate::client) fn grpc_at(&self, index: usize) -> bool {
        let endpoint = &self.endpoints[index];
        match self.transport {
            Transport::Gateway => false,
            Transport::Grpc => true,
            Transport::Auto => {
                !has_prefix(endpoint)
                    && self.routes.lock().map_or(true, |routes| {
                        routes.get(endpoint.as_str()) != Some(&Route::Gateway)
                    })
            }
        }
    }

    fn route(&self, index: usize) -> Option<Route> {
        let routes = self.routes.lock().ok()?;
        routes.get(&self.endpoints[index]).copied()
    }

    pub(in crate::client) fn set_route(&self, index: usize, route: Route) {
        if let Ok(mut routes) = self.routes.lock() {
            routes.insert(self.endpoints[index].clone(), route);
        }
    }

    /// The HTTP/2 client for gRPC, made on first use (the system's CA store
    /// is read once more for it: only commands that read in bulk pay that).
    pub(in crate::client) fn grpc_client(&self) -> Result<&reqwest::Client, Error> {
        self.grpc
            .get_or_init(|| self.options.build_http(true))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// One unary call at the endpoint at `index`: `message` as one frame POSTed to
    /// `method` (a path such as `/etcdserverpb.KV/Range`), with `token` (if any) in the
    /// metadata; `--debug` shows the request as `json` (the gateway's JSON, which is
    /// what grpcurl's `-d` takes for it). `retry` says, as on the gateway, whether a
    /// failure after the request may have reached etcd lets another endpoint take it.
    /// The answer: its one whole frame (checked) and URL, the message undecoded.
    pub(in crate::client) async fn unary(
        &self,
        index: usize,
        method: &str,
        message: &impl prost::Message,
        json: &[u8],
        token: Option<&str>,
        retry: Retry,
    ) -> Outcome {
        let call = Call {
            method,
            json,
            token,
            retry,
            timeout: Some(self.command_timeout),
        };
        let (response, url) = match self.grpc_call(index, message, &call).await {
            Ok((Ok(response), url)) => (response, url),
            Ok((Err(status), url)) => return refusal(&url, status, self.known(index), retry),
            Err(outcome) => return outcome,
        };
        // Sized by the frame's header once it has come: no buffer grows by doubling, and a
        // frame announcing more than the limit is refused before it is read.
        let frame = |bytes: &[u8]| bytes.first_chunk::<5>().map(|head| 5 + frame_len(head));
        let checked = read_sized(response, self.command_timeout, frame)
            .await
            .and_then(|bytes| check_frame(&url, &bytes).map(|()| bytes));
        match checked {
            Ok(bytes) => {
                self.set_route(index, Route::Grpc);
                Outcome::Answered(Attempt::Answered((bytes, url)))
            }
            Err(error) => Outcome::Answered(Attempt::Failed {
                error,
                next: retry == Retry::Idempotent,
                reached: true,
            }),
        }
    }

    /// Whether the endpoint at `index` has answered over gRPC before.
    pub(in crate::client) fn known(&self, index: usize) -> bool {
        self.route(index) == Some(Route::Grpc)
    }

    /// A gRPC call at the endpoint at `index` up to its answer's headers: the response
    /// (frames follow) and its URL; or what the headers said instead (a `grpc-status`, or
    /// no gRPC answer at all: see [`refusal`]); or, as an outcome, why there was no answer.
    pub(in crate::client) async fn grpc_call(
        &self,
        index: usize,
        message: &impl prost::Message,
        call: &Call<'_>,
    ) -> Result<(std::result::Result<reqwest::Response, Status>, String), Outcome> {
        let endpoint = &self.endpoints[index];
        if has_prefix(endpoint) {
            return Err(Outcome::NotHere("it has a path prefix".into()));
        }
        let http = match self.grpc_client() {
            Ok(http) => http,
            Err(error) => {
                return Err(Outcome::Answered(Attempt::Failed {
                    error,
                    next: false,
                    reached: false,
                }));
            }
        };
        let url = format!("{endpoint}{}", call.method);
        let mut request = Request::new(http, reqwest::Method::POST, &url, frame(message));
        request.headers = vec![
            ("content-type", "application/grpc"),
            ("te", "trailers"),
            // An isolated member answers "no leader" at once (the gateway's grpc-metadata-hasleader).
            ("hasleader", "true"),
        ];
        request.credentials = Credentials::Token("token", call.token);
        request.shown = Shown::As(call.json);
        request.timeout = call.timeout;
        request.grpc = true;
        let sent = self.send_request(request).await;
        let response = match sent {
            Ok(response) => response,
            Err(err) => return Err(self.unsent_call(&url, &err, self.known(index), call.retry)),
        };
        match Status::of(&response) {
            Some(status) => Ok((Err(status), url)),
            None => Ok((Ok(response), url)),
        }
    }

    /// A call that got no answer: a failure as on the gateway where the gateway would fare
    /// no better (or the endpoint has answered over gRPC before: `known`), else no gRPC here.
    fn unsent_call(&self, url: &str, err: &reqwest::Error, known: bool, retry: Retry) -> Outcome {
        let cause = root_cause(err);
        // Nothing listens, no connection in time, a TLS handshake refused for its
        // certificates: the gateway would fare no better. A TLS server that offers no
        // h2 (NoApplicationProtocol) speaks HTTP/1.1 only.
        let no_h2 = cause.contains("NoApplicationProtocol");
        let down = err.is_timeout()
            || cause.contains("refused")
            || (!no_h2 && tls_failure(url, &cause).is_some_and(|t| t.handshake));
        if known || down {
            return Outcome::Answered(self.send_failure(url, err, retry));
        }
        Outcome::NotHere(format!("HTTP/2 failed: {cause}"))
    }
}

/// What a call's parts, besides the message, are.
pub(in crate::client) struct Call<'a> {
    /// The method's path, such as `/etcdserverpb.KV/Range`.
    pub(in crate::client) method: &'a str,
    /// The request as `--debug` shows it (the gateway's JSON).
    pub(in crate::client) json: &'a [u8],
    pub(in crate::client) token: Option<&'a str>,
    pub(in crate::client) retry: Retry,
    /// Bounds the whole call, the answer's body included (`None`: a stream, bounded by
    /// its reader).
    pub(in crate::client) timeout: Option<std::time::Duration>,
}

/// What an answer's headers say when they say it is no success.
pub(in crate::client) enum Status {
    /// etcd's refusal, Trailers-Only: `grpc-status` (`None` when it is no number, with
    /// the header as it came) and `grpc-message`.
    Grpc {
        code: Option<i64>,
        shown: String,
        message: String,
    },
    /// No `grpc-status`, and not a gRPC answer.
    NotGrpc(String),
}

impl Status {
    /// `None` when the headers say a frame should follow.
    fn of(response: &reqwest::Response) -> Option<Status> {
        let header = |name: &str| response.headers().get(name).map(HeaderValue::as_bytes);
        if let Some(code) = header("grpc-status") {
            return Some(Status::Grpc {
                code: std::str::from_utf8(code)
                    .ok()
                    .and_then(|c| c.trim().parse::<i64>().ok()),
                shown: crate::text::escape(code),
                message: unescape(header("grpc-message").unwrap_or_default()),
            });
        }
        let grpc_type = header("content-type").is_some_and(|t| t.starts_with(b"application/grpc"));
        let status = response.status();
        if status.is_success() && grpc_type {
            return None;
        }
        Some(Status::NotGrpc(format!(
            "HTTP {status} without a grpc-status"
        )))
    }
}

/// The outcome of a call whose headers said it is no success: etcd's refusal, or no gRPC
/// answer at all (no gRPC here, unless the endpoint has answered over gRPC before: `known`).
pub(in crate::client) fn refusal(url: &str, status: Status, known: bool, retry: Retry) -> Outcome {
    match status {
        // Unimplemented: no such service here (a proxy's own gRPC, a path it rewrote).
        Status::Grpc {
            code: Some(12),
            message,
            ..
        } if !known => Outcome::NotHere(format!("grpc-status 12: {message}")),
        Status::Grpc {
            code: Some(code),
            message,
            ..
        } if code != 0 => Outcome::Answered(refused(code, &message, retry)),
        Status::Grpc { shown, .. } => Outcome::Answered(Attempt::Failed {
            error: not_etcd(
                url,
                &format!("grpc-status {shown} in the headers of an answer"),
            ),
            next: retry == Retry::Idempotent,
            reached: true,
        }),
        Status::NotGrpc(what) if !known => Outcome::NotHere(what),
        Status::NotGrpc(what) => Outcome::Answered(Attempt::Failed {
            error: not_etcd(url, &what),
            next: true,
            reached: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_with_a_path_cannot_carry_grpc() {
        assert!(has_prefix("https://proxy:443/etcd"));
        assert!(!has_prefix("http://127.0.0.1:2379"));
        assert!(!has_prefix("http://[::1]:2379"));
    }

    #[test]
    fn grpc_messages_are_unescaped() {
        assert_eq!(
            unescape(b"etcdserver: mvcc: required revision is a future revision"),
            "etcdserver: mvcc: required revision is a future revision"
        );
        assert_eq!(unescape(b"a%20b%zz%0a"), "a b%zz\\n");
    }
}
