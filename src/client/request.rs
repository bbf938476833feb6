//! The one request path: every HTTP request etcdpy makes to etcd — the v3 gateway's JSON,
//! etcd's gRPC (HTTP/2), v2's `/v2/keys`, a member's `/readyz` — is described as a
//! [`Request`] and built and sent by [`Client::send_request`]: its headers, its credentials
//! (the v3 auth token in a header, v2's HTTP Basic), its timeout, and the `--debug`
//! tracer's [`Exchange`], secrets redacted. The callers only say what differs.

use crate::client::v3::classify::root_cause;
use crate::client::{Client, Exchange};
use reqwest::header::HeaderValue;
use std::time::Duration;

/// How a request proves who sends it.
pub(in crate::client) enum Credentials<'a> {
    None,
    /// The v3 auth token in the header named (`authorization` on the gateway, the metadata
    /// header `token` over gRPC); none when there is no token.
    Token(&'static str, Option<&'a str>),
    /// The client's user and password as HTTP Basic (v2), when it has them.
    Basic,
}

/// What `--debug` shows of a request's body.
pub(in crate::client) enum Shown<'a> {
    /// The body as sent.
    Sent,
    /// The body as sent, JSON with any `"password"` field redacted.
    Redacted,
    /// Something else: a gRPC request as the gateway's JSON (what grpcurl's `-d` takes).
    As(&'a [u8]),
}

/// One request, as [`Client::send_request`] builds it.
pub(in crate::client) struct Request<'a> {
    /// The gateway's HTTP/1.1 client, or the gRPC one (HTTP/2).
    pub http: &'a reqwest::Client,
    pub method: reqwest::Method,
    pub url: &'a str,
    /// Sent, and shown by `--debug`, in this order (the credentials' header follows).
    pub headers: Vec<(&'static str, &'static str)>,
    /// Sent, not shown (v2's content type on a PUT or POST without a body).
    pub unshown: Option<(&'static str, &'static str)>,
    pub credentials: Credentials<'a>,
    pub body: Vec<u8>,
    pub shown: Shown<'a>,
    /// For the whole answer; streams have none.
    pub timeout: Option<Duration>,
    /// Over etcd's gRPC API (for the tracer).
    pub grpc: bool,
}

impl<'a> Request<'a> {
    /// A request with no headers, credentials or timeout yet.
    pub(in crate::client) fn new(
        http: &'a reqwest::Client,
        method: reqwest::Method,
        url: &'a str,
        body: Vec<u8>,
    ) -> Request<'a> {
        Request {
            http,
            method,
            url,
            headers: Vec::new(),
            unshown: None,
            credentials: Credentials::None,
            body,
            shown: Shown::Sent,
            timeout: None,
            grpc: false,
        }
    }
}

impl Client {
    /// Build and send `request`, reporting it to the `--debug` tracer (when there is one)
    /// once its answer's headers have come, or it failed.
    pub(in crate::client) async fn send_request(
        &self,
        request: Request<'_>,
    ) -> std::result::Result<reqwest::Response, reqwest::Error> {
        let Request {
            http,
            method,
            url,
            headers,
            unshown,
            credentials,
            body,
            shown,
            timeout,
            grpc,
        } = request;
        let mut builder = http.request(method.clone(), url);
        for (name, value) in headers.iter().chain(&unshown) {
            builder = builder.header(*name, *value);
        }
        let mut shown_headers: Vec<(&str, String)> =
            headers.iter().map(|(n, v)| (*n, v.to_string())).collect();
        match credentials {
            Credentials::None | Credentials::Token(_, None) => {}
            Credentials::Token(name, Some(token)) => {
                if let Ok(mut value) = HeaderValue::from_str(token) {
                    value.set_sensitive(true);
                    builder = builder.header(name, value);
                }
                shown_headers.push((name, "<redacted>".to_string()));
            }
            Credentials::Basic => {
                if let Some(auth) = &self.auth {
                    let c = auth.credentials();
                    builder = builder.basic_auth(&c.user, Some(&c.password));
                    shown_headers.push(("Authorization", "<redacted>".to_string()));
                }
            }
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let Some(tracer) = &self.tracer else {
            return builder.body(body).send().await;
        };
        let shown = match shown {
            Shown::Sent => body.clone(),
            Shown::Redacted => redact_body(&body),
            Shown::As(bytes) => bytes.to_vec(),
        };
        let began = std::time::Instant::now();
        let result = builder.body(body).send().await;
        tracer(&Exchange {
            method: method.as_str(),
            url,
            headers: shown_headers,
            body: &shown,
            outcome: match &result {
                Ok(response) => Ok(response.status().as_u16()),
                Err(err) => Err(root_cause(err)),
            },
            elapsed: began.elapsed(),
            grpc,
        });
        result
    }
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
