//! etcd's answers classified, once: a gRPC status code and message as an error of the kind
//! the program reacts to ([`classify`]), a refusal as a failed attempt that may or may not go
//! to another endpoint ([`refused`]), an answer that is not etcd's ([`not_etcd`]), and a
//! connection's failure in plain words ([`root_cause`], [`tls_failure`]).

use crate::client::Retry;
use crate::client::error::{Error, Kind, Result};
use crate::client::v3::failover::{Attempt, uncertain};
use serde::de::DeserializeOwned;

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
