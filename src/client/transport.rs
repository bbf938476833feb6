//! One request to the gateway: POST JSON to `<endpoint>/v3/<path>`, fail over
//! to the next endpoint where that is safe, and classify etcd's answer.

use super::wire::ErrorBody;
use super::{Client, Retry};
use crate::error::{Error, Result};
use crate::exit::Exit;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How long to wait before asking a leaderless cluster again.
const ELECTION_RETRY: Duration = Duration::from_millis(250);

/// The most a single response may hold before it is refused.
const MAX_RESPONSE_BYTES: usize = 512 << 20;

/// What became of one attempt at one endpoint.
enum Attempt {
    Answered(Vec<u8>),
    /// Not an answer from etcd; `next` says whether another endpoint may be tried.
    Failed {
        error: Error,
        next: bool,
        reached: bool,
    },
}

impl Client {
    /// POST `body` to `/v3/<path>` and decode the answer.
    pub(super) async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        body: &Req,
        retry: Retry,
    ) -> Result<Resp> {
        let body = serde_json::to_vec(body)
            .map_err(|e| Error::unexpected(format!("cannot encode request: {e}")))?;
        let (bytes, url) = self.post(path, body, retry).await?;
        serde_json::from_slice(&bytes)
            .map_err(|e| not_etcd(&url, &format!("the JSON does not match etcd's ({e})")))
    }

    /// Send the request to the endpoints in turn; return the body of the first
    /// 200 answer and the URL that gave it.
    pub(super) async fn post(
        &self,
        path: &str,
        body: Vec<u8>,
        retry: Retry,
    ) -> Result<(Vec<u8>, String)> {
        let count = self.endpoints.len();
        let began = std::time::Instant::now();
        loop {
            let start = self.start_index();
            let mut failures: Vec<String> = Vec::new();
            let mut last: Option<Error> = None;
            let mut any_reached = false;
            let mut all_leaderless = true;
            for step in 0..count {
                let index = (start + step) % count;
                let url = format!("{}/v3/{path}", self.endpoints[index]);
                match self.attempt(&url, body.clone(), retry).await {
                    Attempt::Answered(bytes) => {
                        self.set_current(index);
                        return Ok((bytes, url));
                    }
                    Attempt::Failed {
                        error,
                        next,
                        reached,
                    } => {
                        any_reached |= reached;
                        all_leaderless &= error.exit == Exit::NoLeader && next;
                        failures.push(format!("{} ({})", self.endpoints[index], error.message));
                        if !next {
                            return Err(error);
                        }
                        last = Some(error);
                    }
                }
            }
            // Every member said "no leader" before proposing anything: an
            // election is under way (about 2 s). Ask again until the command
            // timeout rather than fail a write that would succeed a moment later.
            if all_leaderless && began.elapsed() + ELECTION_RETRY < self.command_timeout {
                tokio::time::sleep(ELECTION_RETRY).await;
                continue;
            }
            return match last {
                Some(mut error) if any_reached => {
                    if all_leaderless {
                        error.message = format!(
                            "{} (every endpoint, for {})",
                            error.message,
                            show(began.elapsed())
                        );
                    }
                    Err(error)
                }
                _ => Err(Error::new(
                    Exit::Unreachable,
                    format!("cannot reach the cluster: tried {}", failures.join(", ")),
                )),
            };
        }
    }

    /// POST to one endpoint only (no failover): probing a given member.
    pub(super) async fn call_at<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        base: &str,
        path: &str,
        body: &Req,
    ) -> Result<Resp> {
        let body = serde_json::to_vec(body)
            .map_err(|e| Error::unexpected(format!("cannot encode request: {e}")))?;
        let url = format!("{}/v3/{path}", base.trim_end_matches('/'));
        match self.attempt(&url, body, Retry::Idempotent).await {
            Attempt::Answered(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| not_etcd(&url, &format!("the JSON does not match etcd's ({e})"))),
            Attempt::Failed { error, .. } => Err(error),
        }
    }

    async fn attempt(&self, url: &str, body: Vec<u8>, retry: Retry) -> Attempt {
        let request = self
            .http
            .post(url)
            .header("content-type", "application/json")
            // An isolated member answers "no leader" at once instead of after 7 s.
            .header("grpc-metadata-hasleader", "true")
            .timeout(self.command_timeout)
            .body(body);
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => return self.send_failure(url, &err, retry),
        };
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = match read_body(response).await {
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
            Some((code, message)) => {
                let mut error = classify(code, &message);
                if code == 14 && !message.contains("no leader") {
                    // "request timed out", "leader changed": proposed, fate unknown.
                    error.message.push_str(uncertain(retry));
                }
                // Unavailable: no leader here. With the hasleader header a write
                // was refused before it was proposed, so another member may take it.
                let next =
                    code == 14 && (retry == Retry::Idempotent || message.contains("no leader"));
                Attempt::Failed {
                    error,
                    next,
                    reached: true,
                }
            }
            None => {
                let error = not_etcd(
                    url,
                    &format!(
                        "HTTP {}{}",
                        status,
                        if content_type.is_empty() {
                            String::new()
                        } else {
                            format!(", {content_type}")
                        }
                    ),
                );
                // A 404 or 405 means no etcd gateway processed the request.
                let untouched = status.as_u16() == 404 || status.as_u16() == 405;
                Attempt::Failed {
                    error,
                    next: untouched || retry == Retry::Idempotent,
                    reached: false,
                }
            }
        }
    }

    fn send_failure(&self, url: &str, err: &reqwest::Error, retry: Retry) -> Attempt {
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
                error: Error::new(Exit::Unreachable, why),
                next: true,
                reached: false,
            };
        }
        if err.is_timeout() {
            return Attempt::Failed {
                error: Error::new(
                    Exit::TimedOut,
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
                Exit::Unreachable,
                format!("{url}: {cause}{}", uncertain(retry)),
            ),
            next: retry == Retry::Idempotent,
            reached: false,
        }
    }
}

/// A connection failure explained in TLS terms.
pub(super) struct TlsFailure {
    pub(super) message: String,
    /// The TLS handshake failed: no request reached etcd.
    pub(super) handshake: bool,
}

/// Name the likely cause of a TLS (or TLS/plain mix-up) failure, from the innermost error
/// text of rustls or hyper; `None` when `cause` is no such failure.
pub(super) fn tls_failure(url: &str, cause: &str) -> Option<TlsFailure> {
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
    } else if !https && (has("connection closed before message completed") || has("reset by peer"))
    {
        (
            "the server closed the connection without an answer (is this an https endpoint?)",
            false,
        )
    } else if has("expired") && has("certificate") {
        (
            "the server's TLS certificate has expired (or this machine's clock is wrong)",
            true,
        )
    } else if has("not valid for name") {
        (
            "the server's TLS certificate is not valid for the host name in the endpoint (use a name the certificate lists)",
            true,
        )
    } else if has("certificate") {
        (
            "the server's TLS certificate was not accepted (give its CA with --cacert)",
            true,
        )
    } else {
        return None;
    };
    Some(TlsFailure {
        message: format!("{cause}: {hint}"),
        handshake,
    })
}

/// For a write that may have reached the server before the connection
/// failed: say so, rather than repeat it and maybe apply it twice.
fn uncertain(retry: Retry) -> &'static str {
    match retry {
        Retry::Idempotent => "",
        Retry::Once => "; the write may or may not have been applied (check before repeating it)",
    }
}

async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>> {
    let url = response.url().to_string();
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(not_etcd(&url, "the response is larger than 512 MiB"));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(bytes),
            Err(err) if err.is_timeout() => {
                return Err(Error::new(
                    Exit::TimedOut,
                    format!("{url}: the answer did not complete in time"),
                ));
            }
            Err(err) => {
                return Err(Error::new(
                    Exit::Unreachable,
                    format!("{url}: {}", root_cause(&err)),
                ));
            }
        }
    }
}

/// An etcd gRPC status code and message, as an outcome the user can act on.
pub(super) fn classify(code: i64, message: &str) -> Error {
    let has = |needle: &str| message.contains(needle);
    let exit = match code {
        3 if has("request is too large") => {
            return Error::usage(format!(
                "value too large: the server refused the request ({message}); etcd's default limit is 1.5 MiB (--max-request-bytes)"
            ));
        }
        8 if has("larger than max") => {
            return Error::usage(format!(
                "value too large: the server refused the request ({message}); etcd's default limit is 1.5 MiB (--max-request-bytes)"
            ));
        }
        3 if has("authentication failed") || has("user name is empty") => Exit::AuthRefused,
        2 if has("user name is empty") => Exit::AuthRefused,
        7 | 16 => Exit::AuthRefused,
        3 => Exit::Usage,
        11 if has("compacted") => Exit::Compacted,
        11 if has("future revision") => Exit::Usage,
        14 => Exit::NoLeader,
        2 if has("context deadline exceeded") => Exit::NoLeader,
        4 => Exit::TimedOut,
        _ => Exit::Unexpected,
    };
    Error::new(exit, message.to_string())
}

pub(super) fn not_etcd(url: &str, what: &str) -> Error {
    Error::new(
        Exit::Unreachable,
        format!(
            "{url} did not answer like an etcd v3 gateway: {what} (check the endpoint and --path-prefix)"
        ),
    )
}

/// The innermost cause of a reqwest error: "Connection refused (os error 111)".
pub(super) fn root_cause(err: &reqwest::Error) -> String {
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

fn show(d: Duration) -> String {
    humantime::format_duration(d).to_string()
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
        assert!(m.contains("has expired") && !m.contains("--cacert"));
        let (m, _) = hint(
            "https://a:1/v3/kv/range",
            "received fatal alert: CertificateRequired",
        )
        .unwrap();
        assert!(m.contains("client certificate") && m.contains("--cert and --key"));
        let (m, _) = hint("https://a:1/v3/kv/range", "tls handshake eof").unwrap();
        assert!(m.contains("is this an http endpoint?"));
        let (m, h) = hint(
            "http://a:1/v3/kv/put",
            "connection closed before message completed",
        )
        .unwrap();
        assert!(m.contains("is this an https endpoint?") && !h);
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
        assert_eq!(
            classify(11, "etcdserver: mvcc: required revision has been compacted").exit,
            Exit::Compacted
        );
        assert_eq!(classify(14, "etcdserver: no leader").exit, Exit::NoLeader);
        assert_eq!(
            classify(3, "etcdserver: request is too large").exit,
            Exit::Usage
        );
        assert!(
            classify(8, "grpc: received message larger than max (1 vs. 2)")
                .message
                .starts_with("value too large")
        );
        assert_eq!(
            classify(16, "etcdserver: invalid auth token").exit,
            Exit::AuthRefused
        );
        assert_eq!(
            classify(7, "etcdserver: permission denied").exit,
            Exit::AuthRefused
        );
        assert_eq!(
            classify(2, "etcdserver: requested lease not found").exit,
            Exit::Unexpected
        );
    }
}
