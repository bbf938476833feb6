//! Telling a member's peer port from its client port: `--endpoints 127.0.0.1:2380` answers
//! `/v3/...` with a plain 404, which alone reads as "not an etcd gateway"; the peer listener
//! answers `/members` with the member list, which the client port does not serve.

use super::Client;
use super::error::{Error, Kind};
use super::request::Request;

impl Client {
    /// Whether the endpoint `url` (`<endpoint>/v3/...`) points at is an etcd peer listener:
    /// asked only after a 404, through the one request path (`--debug` shows it), with the
    /// dial timeout, and any failure means no.
    pub(super) async fn is_peer_port(&self, url: &str) -> bool {
        let Some((base, _)) = url.split_once("/v3/") else {
            return false;
        };
        let members = format!("{base}/members");
        let mut request = Request::new(&self.http, reqwest::Method::GET, &members, Vec::new());
        request.timeout = Some(self.dial_timeout);
        let Ok(response) = self.send_request(request).await else {
            return false;
        };
        if !response.status().is_success() {
            return false;
        }
        let body = super::v3::body::read_body(response, self.dial_timeout).await;
        body.is_ok_and(|body| memchr::memmem::find(&body, b"\"peerURLs\"").is_some())
    }
}

/// The error for a request sent to a peer port.
pub(super) fn peer_port(url: &str) -> Error {
    let base = url.split_once("/v3/").map_or(url, |(base, _)| base);
    Error::new(
        Kind::NotEtcd,
        format!(
            "{base} looks like an etcd peer port (where members talk to each other), not a client \
             port: give the client URL (port 2379 by default; etcd's --advertise-client-urls)"
        ),
    )
}
