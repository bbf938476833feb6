//! The bulk reads (`get -r`, a directory level) over etcd's gRPC API:
//! `etcdserverpb.KV/Range` over HTTP/2 on the same client URL as the gateway
//! (etcd serves both on one port). etcd encodes a large range as protobuf for
//! about a quarter of the CPU its gateway spends on JSON (docs/grpc.md). Every
//! other request stays on the gateway.
//!
//! The wire: `POST /etcdserverpb.KV/Range` with `content-type:
//! application/grpc`, `te: trailers`, the auth token in the metadata header
//! `token` and `hasleader: true`; the body is one gRPC frame (a 0 byte for "not
//! compressed", a 4-byte big-endian length, then a protobuf `RangeRequest`).
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
//! proxy, a server that refuses h2c, "unimplemented"), the read goes to the
//! gateway on the same endpoint instead (with [`Transport::Auto`]), and the
//! endpoint is remembered as gateway-only for the rest of the run.

use crate::client::error::{Error, Kind};
use crate::client::v3::kv::{KeyValue, Peeked, RangePage, RangeSpec};
use crate::client::v3::transport::{Attempt, not_etcd, read_sized, root_cause};
use crate::client::{Client, Retry, Transport};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use std::collections::HashMap;

/// The method's path, after the endpoint's `scheme://host:port`.
pub(in crate::client) const RANGE_PATH: &str = "/etcdserverpb.KV/Range";

/// `etcdserverpb.RangeRequest` (api/etcdserverpb/rpc.proto): the fields etcdpy sends.
#[derive(Clone, PartialEq, prost::Message)]
struct RangeRequest {
    #[prost(bytes = "vec", tag = "1")]
    key: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    range_end: Vec<u8>,
    #[prost(int64, tag = "3")]
    limit: i64,
    #[prost(int64, tag = "4")]
    revision: i64,
    #[prost(bool, tag = "8")]
    keys_only: bool,
}

/// `etcdserverpb.RangeResponse`.
#[derive(Clone, PartialEq, prost::Message)]
struct RangeResponse {
    #[prost(message, optional, tag = "1")]
    header: Option<ResponseHeader>,
    #[prost(message, repeated, tag = "2")]
    kvs: Vec<WireKeyValue>,
    #[prost(bool, tag = "3")]
    more: bool,
    #[prost(int64, tag = "4")]
    count: i64,
}

/// `etcdserverpb.ResponseHeader`.
#[derive(Clone, PartialEq, prost::Message)]
struct ResponseHeader {
    #[prost(uint64, tag = "1")]
    cluster_id: u64,
    #[prost(uint64, tag = "2")]
    member_id: u64,
    #[prost(int64, tag = "3")]
    revision: i64,
    #[prost(uint64, tag = "4")]
    raft_term: u64,
}

/// `mvccpb.KeyValue` (api/mvccpb/kv.proto).
#[derive(Clone, PartialEq, prost::Message)]
struct WireKeyValue {
    #[prost(bytes = "vec", tag = "1")]
    key: Vec<u8>,
    #[prost(int64, tag = "2")]
    create_revision: i64,
    #[prost(int64, tag = "3")]
    mod_revision: i64,
    #[prost(int64, tag = "4")]
    version: i64,
    #[prost(bytes = "vec", tag = "5")]
    value: Vec<u8>,
    #[prost(int64, tag = "6")]
    lease: i64,
}

impl From<RangeResponse> for RangePage {
    fn from(r: RangeResponse) -> Self {
        RangePage {
            revision: r.header.map_or(0, |h| h.revision),
            kvs: r
                .kvs
                .into_iter()
                .map(|kv| KeyValue {
                    key: kv.key,
                    value: kv.value,
                    create_revision: kv.create_revision,
                    mod_revision: kv.mod_revision,
                    version: kv.version,
                    lease: kv.lease,
                })
                .collect(),
            more: r.more,
        }
    }
}

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

/// The outcome of one Range over gRPC at one endpoint.
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
fn frame(request: &RangeRequest) -> Vec<u8> {
    use prost::Message as _;
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
fn frame_len(head: &[u8; 5]) -> usize {
    u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize
}

/// A `RangeResponse` message as a page.
pub(in crate::client) fn decode_message(url: &str, message: &[u8]) -> Result<RangePage, Error> {
    use prost::Message as _;
    let response = RangeResponse::decode(message)
        .map_err(|e| not_etcd(url, &format!("the protobuf is not a RangeResponse ({e})")))?;
    Ok(RangePage::from(response))
}

/// A whole answer's body as a page (the frame checked, then decoded).
#[cfg(test)]
fn decode_answer(url: &str, bytes: &[u8]) -> Result<RangePage, Error> {
    check_frame(url, bytes)?;
    decode_message(url, &bytes[5..])
}

/// A `RangeResponse`'s first and last key, how many keys and whether more
/// follow, read from the protobuf without decoding it (so that the next
/// stretch is asked for before this page is decoded): the top-level fields
/// are walked, and of each `kvs` entry only its `key`. `None` when the page
/// holds no key or the bytes are no protobuf; decoding the page then says
/// what is wrong, and checks what was found here.
pub(in crate::client) fn peek(mut message: &[u8]) -> Option<Peeked> {
    let (mut first, mut last, mut count, mut more) = (None, None, 0u64, false);
    while !message.is_empty() {
        let (tag, field) = next_field(&mut message)?;
        match (tag, field) {
            (2, Field::Bytes(kv)) => {
                let key = kv_key(kv)?;
                first.get_or_insert(key);
                last = Some(key);
                count += 1;
            }
            (3, Field::Varint(value)) => more = value != 0,
            _ => {}
        }
    }
    Some(Peeked {
        first: first?.to_vec(),
        last: last?.to_vec(),
        more,
        count,
    })
}

/// A protobuf field's value, as [`peek`] needs it.
enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// The next field of a protobuf message: its tag and value; `None` at bytes
/// that are no protobuf.
fn next_field<'a>(message: &mut &'a [u8]) -> Option<(u32, Field<'a>)> {
    use prost::encoding::{WireType, decode_key, decode_varint};
    let (tag, wire) = decode_key(message).ok()?;
    let field = match wire {
        WireType::Varint => Field::Varint(decode_varint(message).ok()?),
        WireType::LengthDelimited => {
            let len = usize::try_from(decode_varint(message).ok()?).ok()?;
            let bytes = message.get(..len)?;
            *message = &message[len..];
            Field::Bytes(bytes)
        }
        WireType::SixtyFourBit | WireType::ThirtyTwoBit => {
            let len = if wire == WireType::SixtyFourBit { 8 } else { 4 };
            *message = message.get(len..)?;
            Field::Fixed
        }
        WireType::StartGroup | WireType::EndGroup => return None,
    };
    Some((tag, field))
}

/// The `key` of a `KeyValue` message (the last one given, as a decoder
/// takes it; empty when none is).
fn kv_key(mut kv: &[u8]) -> Option<&[u8]> {
    let mut key: &[u8] = &[];
    while !kv.is_empty() {
        if let (1, Field::Bytes(bytes)) = next_field(&mut kv)? {
            key = bytes;
        }
    }
    Some(key)
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

    /// One Range at the endpoint at `index` over gRPC, with `token` (if
    /// any) in the metadata: the page and the size of its frame. `--debug`
    /// shows the request as `json` (the gateway's JSON, which is what
    /// grpcurl's `-d` takes for it).
    pub(in crate::client) async fn grpc_range(
        &self,
        index: usize,
        spec: &RangeSpec,
        json: &[u8],
        token: Option<&str>,
    ) -> Outcome {
        let endpoint = &self.endpoints[index];
        if has_prefix(endpoint) {
            return Outcome::NotHere("it has a path prefix".into());
        }
        let http = match self.grpc_client() {
            Ok(http) => http,
            Err(error) => {
                return Outcome::Answered(Attempt::Failed {
                    error,
                    next: false,
                    reached: false,
                });
            }
        };
        let url = format!("{endpoint}{RANGE_PATH}");
        let request = RangeRequest {
            key: spec.key.clone(),
            range_end: spec.end.clone().unwrap_or_default(),
            limit: spec.limit,
            revision: spec.revision,
            keys_only: spec.keys_only,
        };
        let mut builder = http
            .post(&url)
            .header(CONTENT_TYPE, "application/grpc")
            .header("te", "trailers")
            // An isolated member answers "no leader" at once (the gateway's grpc-metadata-hasleader).
            .header("hasleader", "true")
            .timeout(self.command_timeout);
        let mut headers = vec![
            ("content-type", "application/grpc".to_string()),
            ("te", "trailers".to_string()),
            ("hasleader", "true".to_string()),
        ];
        if let Some(mut value) = token.and_then(|t| HeaderValue::from_str(t).ok()) {
            value.set_sensitive(true);
            builder = builder.header("token", value);
            headers.push(("token", "<redacted>".to_string()));
        }
        let began = std::time::Instant::now();
        let sent = builder.body(frame(&request)).send().await;
        if let Some(tracer) = &self.tracer {
            tracer(&crate::client::Exchange {
                method: "POST",
                url: &url,
                headers,
                body: json,
                outcome: match &sent {
                    Ok(response) => Ok(response.status().as_u16()),
                    Err(err) => Err(root_cause(err)),
                },
                elapsed: began.elapsed(),
                grpc: true,
            });
        }
        let known = self.route(index) == Some(Route::Grpc);
        let response = match sent {
            Ok(response) => response,
            Err(err) => {
                let cause = root_cause(&err);
                // Nothing listens, no connection in time, a TLS handshake refused for its
                // certificates: the gateway would fare no better. A TLS server that offers no
                // h2 (NoApplicationProtocol) speaks HTTP/1.1 only.
                let no_h2 = cause.contains("NoApplicationProtocol");
                let down = err.is_timeout()
                    || cause.contains("refused")
                    || (!no_h2
                        && crate::client::v3::transport::tls_failure(&url, &cause)
                            .is_some_and(|t| t.handshake));
                if known || down {
                    return Outcome::Answered(self.send_failure(&url, &err, Retry::Idempotent));
                }
                return Outcome::NotHere(format!("HTTP/2 failed: {cause}"));
            }
        };
        let status = response.status();
        let header = |name: &str| response.headers().get(name).map(HeaderValue::as_bytes);
        if let Some(code) = header("grpc-status") {
            let code = std::str::from_utf8(code)
                .ok()
                .and_then(|c| c.trim().parse::<i64>().ok());
            let message = unescape(header("grpc-message").unwrap_or_default());
            return match code {
                // Unimplemented: no KV service here (a proxy's own gRPC, a path it rewrote).
                Some(12) if !known => Outcome::NotHere(format!("grpc-status 12: {message}")),
                Some(code) if code != 0 => Outcome::Answered(
                    crate::client::v3::transport::refused(code, &message, Retry::Idempotent),
                ),
                _ => Outcome::Answered(Attempt::Failed {
                    error: not_etcd(
                        &url,
                        &format!(
                            "grpc-status {} in the headers of an answer",
                            crate::text::escape(header("grpc-status").unwrap_or_default())
                        ),
                    ),
                    next: true,
                    reached: true,
                }),
            };
        }
        let grpc_type = header("content-type").is_some_and(|t| t.starts_with(b"application/grpc"));
        if !status.is_success() || !grpc_type {
            let what = format!("HTTP {status} without a grpc-status");
            if !known {
                return Outcome::NotHere(what);
            }
            return Outcome::Answered(Attempt::Failed {
                error: not_etcd(&url, &what),
                next: true,
                reached: false,
            });
        }
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
                next: true,
                reached: true,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message as _;

    fn answer(page: &RangeResponse) -> Vec<u8> {
        let message = page.encode_to_vec();
        let mut bytes = vec![0];
        bytes.extend_from_slice(&(message.len() as u32).to_be_bytes());
        bytes.extend_from_slice(&message);
        bytes
    }

    #[test]
    fn frames_decode_and_cut_frames_are_errors() {
        let page = RangeResponse {
            header: Some(ResponseHeader {
                revision: 7,
                ..Default::default()
            }),
            kvs: vec![WireKeyValue {
                key: b"k\0".to_vec(),
                value: b"v".to_vec(),
                mod_revision: 3,
                ..Default::default()
            }],
            more: true,
            count: 2,
        };
        let bytes = answer(&page);
        let decoded = decode_answer("u", &bytes).unwrap();
        assert_eq!(decoded.revision, 7);
        assert!(decoded.more);
        assert_eq!(decoded.kvs[0].key, b"k\0");
        let cut = decode_answer("u", &bytes[..bytes.len() - 1]).unwrap_err();
        assert!(cut.message.contains("cut off"), "{}", cut.message);
        let mut long = bytes.clone();
        long.push(0);
        assert!(decode_answer("u", &long).is_err());
        let none = decode_answer("u", b"").unwrap_err();
        assert!(
            none.message
                .contains("neither a gRPC frame nor a grpc-status")
        );
        assert!(decode_answer("u", &[1, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn a_real_answer_decodes() {
        // etcd 3.5.1's answer to a Range of [/a/, /a0) with limit 2: two keys, more, count 6.
        let page = decode_answer(
            "u",
            include_bytes!("../../../fuzz/seeds/grpc_answer/range_more"),
        )
        .unwrap();
        assert_eq!(page.revision, 1022);
        assert!(page.more);
        let keys: Vec<&[u8]> = page.kvs.iter().map(|kv| kv.key.as_slice()).collect();
        assert_eq!(keys, [b"/a/k1".as_slice(), b"/a/k2"]);
        assert_eq!(page.kvs[1].value, b"v2");
        assert_eq!((page.kvs[0].create_revision, page.kvs[0].version), (17, 1));
    }

    #[test]
    fn peeking_finds_what_decoding_does() {
        let bytes = include_bytes!("../../../fuzz/seeds/grpc_answer/range_more");
        let p = peek(&bytes[5..]).unwrap();
        assert_eq!(
            (p.first.as_slice(), p.last.as_slice()),
            (&b"/a/k1"[..], &b"/a/k2"[..])
        );
        assert!(p.more);
        assert_eq!(p.count, 2);
        // No key, or bytes that are no protobuf: nothing to peek at.
        assert!(peek(&[]).is_none());
        assert!(peek(&[0x12, 0x05, 0x0a]).is_none());
        assert!(peek(&[0x0b]).is_none());
    }

    #[test]
    fn requests_are_one_frame() {
        let request = RangeRequest {
            key: b"a".to_vec(),
            range_end: b"b".to_vec(),
            limit: 1000,
            revision: 5,
            keys_only: false,
        };
        let body = frame(&request);
        assert_eq!(body[0], 0);
        assert_eq!(
            u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize,
            body.len() - 5
        );
        // key=1 "a", range_end=2 "b", limit=3 1000, revision=4 5
        assert_eq!(
            &body[5..],
            &[0x0a, 1, b'a', 0x12, 1, b'b', 0x18, 0xe8, 0x07, 0x20, 5]
        );
    }

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
