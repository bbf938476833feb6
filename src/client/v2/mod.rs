//! The v2 backend (`--api v2`): etcd's `/v2/keys` store, the one python-etcd 0.4.5 uses, a
//! keyspace of its own beside v3's. Requests go through the client's one failover loop with
//! HTTP Basic credentials; v2's answers (nodes, `errorCode`s) stay private here and come out as
//! the plain types the commands already print ([`KeyValue`], revisions = v2 indexes).
//!
//! URL layout: `ENDPOINT/v2/keys/KEY`; an endpoint with a path (`--path-prefix /etcd`) replaces
//! `/v2` with it (`/etcd/keys/KEY`), as python-etcd's `version_prefix` does.

mod cluster;
mod keys;
mod listing;
mod lock;
mod roles;
mod wait;
mod walk;
mod watch;

pub use keys::{Node, Removed, V2Conditions};
pub use listing::V2Listing;
pub use lock::V2Mutex;
pub use roles::{OneLevel, OnePage};
pub use walk::{Unsettled, Walk, too_big_for_one_read};
pub use watch::V2Watch;

use super::error::{Error, Kind, Result};
use super::{Client, Retry};
use crate::client::request::{Credentials, Request};
use crate::client::v3::transport::{Attempt, read_body};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

/// Which of etcd's APIs (and keyspaces) the commands work on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Api {
    /// etcd's v2 API (/v2/keys): python-etcd's keyspace
    V2,
    /// etcd's v3 API (the HTTP/JSON gateway)
    #[default]
    V3,
}

impl Client {
    /// This client on etcd's v2 API (`--api v2`, python-etcd's keyspace).
    pub fn v2(&self) -> V2<'_> {
        V2::new(self)
    }
}

/// The v2 client: the v3 client's connection, endpoints and credentials, v2's URLs.
pub struct V2<'a> {
    client: &'a Client,
    /// Per endpoint, where `/keys`, `/members`, `/stats` live.
    bases: Vec<String>,
    /// The TTL left of each key read, as read (`get -l`, `dump`): v2 has no leases to ask.
    ttls: RefCell<HashMap<Vec<u8>, i64>>,
}

/// One answer: its body, the `X-Etcd-Index` header (0 when absent) and the URL.
pub(crate) struct Answer {
    pub body: Vec<u8>,
    pub index: i64,
    pub url: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "errorCode")]
    code: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    index: i64,
}

impl<'a> V2<'a> {
    pub fn new(client: &'a Client) -> V2<'a> {
        let bases = client.endpoints.iter().map(|e| api_base(e)).collect();
        V2 {
            client,
            bases,
            ttls: RefCell::default(),
        }
    }

    /// `method` on `path` (`/keys/k?x=y`, under the API base), `form` as an
    /// `application/x-www-form-urlencoded` body, through the failover loop.
    pub(crate) async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        form: Option<String>,
        retry: Retry,
    ) -> Result<Answer> {
        let (method, form) = (&method, &form);
        self.client
            .failover_current(None, true, |index| {
                let url = format!("{}{path}", self.bases[index]);
                self.attempt(method.clone(), url, form.clone(), retry, None)
            })
            .await
    }

    /// Send one request (Basic credentials) through the one request path; `timeout`
    /// bounds the whole answer (none when `None`).
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        form: Option<String>,
        timeout: Option<Duration>,
    ) -> std::result::Result<reqwest::Response, reqwest::Error> {
        const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
        let body = form.unwrap_or_default().into_bytes();
        let post = method == reqwest::Method::PUT || method == reqwest::Method::POST;
        let mut request = Request::new(&self.client.http, method, url, body);
        if !request.body.is_empty() {
            request.headers.push(FORM);
        } else if post {
            request.unshown = Some(FORM);
        }
        request.credentials = Credentials::Basic;
        request.timeout = timeout;
        self.client.send_request(request).await
    }

    async fn attempt(
        &self,
        method: reqwest::Method,
        url: String,
        form: Option<String>,
        retry: Retry,
        timeout: Option<Duration>,
    ) -> Attempt<Answer> {
        self.attempt_with(method, url, form, retry, timeout, false)
            .await
    }

    /// [`V2::attempt`]; with `absent`, "key not found" is an answer with an empty body (and
    /// the store's index, at which the key was absent).
    pub(super) async fn attempt_with(
        &self,
        method: reqwest::Method,
        url: String,
        form: Option<String>,
        retry: Retry,
        timeout: Option<Duration>,
        absent: bool,
    ) -> Attempt<Answer> {
        let timeout = timeout.unwrap_or(self.client.command_timeout);
        let response = match self.send(method, &url, form, Some(timeout)).await {
            Ok(response) => response,
            Err(err) => return self.client.send_failure(&url, &err, retry),
        };
        let status = response.status();
        let index = etcd_index(&response);
        let body = match read_body(response, timeout).await {
            Ok(body) => body,
            Err(error) => {
                return Attempt::Failed {
                    error,
                    next: retry == Retry::Idempotent,
                    reached: true,
                };
            }
        };
        if status.is_success() {
            return Attempt::Answered(Answer { body, index, url });
        }
        let error = self.refusal(&url, status, &body).await;
        if absent && error.kind == Kind::NotFound {
            let index = serde_json::from_slice::<ErrorBody>(&body).map_or(index, |e| e.index);
            let body = Vec::new();
            return Attempt::Answered(Answer { body, index, url });
        }
        // An election under way: another member may take it (as v3's "no leader").
        let next = error.kind == Kind::NoLeader;
        Attempt::Failed {
            error,
            next,
            reached: true,
        }
    }
}

impl V2<'_> {
    /// [`answer_error`], and for a 404 that is not the v2 store's own (no `errorCode`): etcd
    /// without the v2 API, named by probing `/version` at the endpoint's root. 3.6 and later
    /// have no v2 API at all, 3.4 and 3.5 serve it only with `--enable-v2`; what to do differs.
    pub(crate) async fn refusal(
        &self,
        url: &str,
        status: reqwest::StatusCode,
        body: &[u8],
    ) -> Error {
        let error = answer_error(url, status, body);
        if status != reqwest::StatusCode::NOT_FOUND || error.kind != Kind::NotEtcd {
            return error;
        }
        let root = root_of(url);
        // Only etcd's own layout: under another path (--path-prefix) the 404 may be the path's.
        if !url[root.len()..].starts_with("/v2/") {
            return error;
        }
        let Some(version) = self.server_version(&root).await else {
            return error;
        };
        no_v2_api(&root, &version).unwrap_or(error)
    }

    /// The `etcdserver` of `ROOT/version`, if it answers as etcd does.
    async fn server_version(&self, root: &str) -> Option<String> {
        #[derive(Deserialize)]
        struct Version {
            etcdserver: String,
        }
        let url = format!("{root}/version");
        let timeout = Some(self.client.command_timeout);
        let response = self
            .send(reqwest::Method::GET, &url, None, timeout)
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        let body = read_body(response, self.client.command_timeout)
            .await
            .ok()?;
        serde_json::from_slice::<Version>(&body)
            .ok()
            .map(|v| v.etcdserver)
    }
}

/// `scheme://host:port` of a URL.
fn root_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => url[..after_scheme + i].to_string(),
        None => url.to_string(),
    }
}

/// What `--api v2` says to an etcd (`version` from its `/version`) that answered a v2 URL
/// with a plain 404: one line, exit 7 (reached, but not the API asked for). `None` when the version does not read as `3.N.…`.
fn no_v2_api(root: &str, version: &str) -> Option<Error> {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    let (major, minor) = (parts.next()??, parts.next()??);
    let message = if (major, minor) >= (3, 6) {
        format!(
            "etcd {version} at {root} has no v2 API: etcd 3.6 removed it (3.7 the v2 store too), \
             so --api v2 (python-etcd's keyspace) works on etcd 3.4 and 3.5 only; move v2 keys \
             to v3 with `etcdpy migrate` on 3.5 before upgrading (`etcdpy migrate --check` says \
             what blocks the upgrade)"
        )
    } else {
        format!(
            "etcd {version} at {root} does not serve the v2 API (--api v2): it was started \
             without --enable-v2"
        )
    };
    Some(Error::new(Kind::NotEtcd, message))
}

/// The `X-Etcd-Index` of an answer (0 when it has none).
pub(crate) fn etcd_index(response: &reqwest::Response) -> i64 {
    response
        .headers()
        .get("x-etcd-index")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Where one endpoint's v2 API lives: its path when it has one (python-etcd's
/// `version_prefix` replaces `/v2`), else `/v2`.
fn api_base(endpoint: &str) -> String {
    let after_scheme = endpoint.find("://").map_or(0, |i| i + 3);
    if endpoint[after_scheme..].contains('/') {
        endpoint.to_string()
    } else {
        format!("{endpoint}/v2")
    }
}

/// A refusal, from v2's error body (`errorCode`), or a 401/403/404 without one.
pub(crate) fn answer_error(url: &str, status: reqwest::StatusCode, body: &[u8]) -> Error {
    if let Ok(e) = serde_json::from_slice::<ErrorBody>(body) {
        return classify(e.code, &e.message, &e.cause, e.index);
    }
    let kind = match status.as_u16() {
        401 => Kind::AuthRefused,
        404 | 405 => Kind::NotEtcd,
        _ => Kind::Unexpected,
    };
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
    Error::new(
        kind,
        format!("{url}: HTTP {status}: {}", text.trim()).replace('\n', " "),
    )
}

/// v2's `errorCode`, as the kind the program reacts to (the v3 counterparts' exit
/// codes), keeping v2's own words: `Key already exists (/k)`.
fn classify(code: i64, message: &str, cause: &str, index: i64) -> Error {
    let kind = match code {
        100 => Kind::NotFound,
        // Compare failed, Not a file, Not a directory, Key already exists, Directory not
        // empty: the key's state refused the request, as a failed --if-* does on v3.
        101 | 102 | 104 | 105 | 108 => Kind::ConditionFailed,
        110 => Kind::AuthRefused,
        107 | 200..=299 => Kind::InvalidInput,
        301 => Kind::NoLeader,
        401 => Kind::Compacted,
        _ => Kind::Unexpected,
    };
    let message = match code {
        // The history window has moved on: name the oldest index still kept.
        401 => format!(
            "v2: {message} ({cause}): etcd's v2 store keeps only its last 1000 events; the oldest index still available is {}, the store is at {index}",
            oldest(cause).map_or_else(|| "unknown".into(), |o| o.to_string())
        ),
        _ if cause.is_empty() => format!("v2: {message}"),
        _ => format!("v2: {message} ({cause})"),
    };
    Error::new(kind, message)
}

/// The oldest index in EventIndexCleared's cause: `the requested history has been cleared [136/33]`.
fn oldest(cause: &str) -> Option<i64> {
    let inner = cause.rsplit_once('[')?.1;
    inner.split('/').next()?.trim().parse().ok()
}

/// Percent-encode everything but RFC 3986's unreserved characters (and `/` when `path`).
pub(crate) fn encode(text: &str, path: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b'/' if path => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `name=value&…`, encoded.
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v, false)))
        .collect();
    parts.join("&")
}

/// v2 keys and values are text: refuse bytes that are not UTF-8 (v2 would store U+FFFD).
pub(crate) fn utf8<'b>(what: &str, bytes: &'b [u8]) -> Result<&'b str> {
    std::str::from_utf8(bytes).map_err(|_| {
        Error::new(
            Kind::Unsupported,
            format!("{what} is not UTF-8 text, which etcd's v2 API (--api v2) cannot store"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_follow_python_etcds_version_prefix() {
        assert_eq!(api_base("http://h:1"), "http://h:1/v2");
        assert_eq!(api_base("https://h:1/etcd"), "https://h:1/etcd");
    }

    #[test]
    fn cleared_history_names_the_oldest_index() {
        let e = classify(
            401,
            "The event in requested index is outdated and cleared",
            "the requested history has been cleared [136/33]",
            1135,
        );
        assert_eq!(e.kind, Kind::Compacted);
        assert!(
            e.message
                .contains("the oldest index still available is 136"),
            "{}",
            e.message
        );
    }

    #[test]
    fn no_v2_api_names_the_version_and_what_to_do() {
        let e = no_v2_api("http://h:1", "3.6.17").unwrap();
        assert_eq!(e.kind, Kind::NotEtcd);
        assert!(
            e.message
                .starts_with("etcd 3.6.17 at http://h:1 has no v2 API: etcd 3.6 removed it")
        );
        assert!(e.message.contains("migrate"), "{}", e.message);
        let e = no_v2_api("http://h:1", "3.5.36").unwrap();
        assert!(e.message.contains("--enable-v2"), "{}", e.message);
        assert!(no_v2_api("http://h:1", "garbage").is_none());
        assert_eq!(root_of("https://h:1/etcd/keys/a"), "https://h:1");
    }

    #[test]
    fn encoding_keeps_slashes_in_paths_only() {
        assert_eq!(encode("/a b/ü?&=", true), "/a%20b/%C3%BC%3F%26%3D");
        assert_eq!(form(&[("value", "a/b c")]), "value=a%2Fb%20c");
    }
}
