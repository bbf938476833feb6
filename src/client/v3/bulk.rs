//! Bulk reads (`get -r`, a directory level, the pager's stretches): one page of a range
//! over gRPC where the endpoint carries it (`grpc.rs`), else from the gateway, left
//! undecoded ([`RawPage`]) so that only one page at a time is held decoded, and so that
//! the next stretch can be asked for before this one is decoded.

use crate::client::error::Result;
use crate::client::v3::classify::not_etcd;
use crate::client::v3::failover::{Attempt, Silence};
use crate::client::v3::grpc;
use crate::client::v3::range::{Peeked, RangePage, RangeSpec};
use crate::client::v3::unary::{Outcome, Route, refused_pin};
use crate::client::v3::wire;
use crate::client::{Client, Retry, Transport};
use base64::Engine as _;

/// How a page came: the gateway's JSON, or a gRPC frame (checked whole
/// already) holding a protobuf `RangeResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::client) enum Wire {
    Json,
    Grpc,
}

/// A page of a range as it came, not decoded yet: it is decoded when it is
/// handed out, so that only one page at a time is held decoded.
pub struct RawPage {
    pub(in crate::client) bytes: Vec<u8>,
    url: String,
    wire: Wire,
    /// Where a gRPC page's `RangeResponse` starts (after the frame's 5-byte header, and
    /// a stream's `RangeStreamResponse` around it).
    start: usize,
    /// What [`RawPage::peek`] found, once, where the page was read.
    pub(in crate::client) peeked: Option<Peeked>,
}

impl RawPage {
    pub(in crate::client) fn new(bytes: Vec<u8>, url: String, wire: Wire) -> RawPage {
        RawPage::at(bytes, url, wire, 5)
    }

    /// A gRPC frame whose `RangeResponse` starts at `start`.
    pub(in crate::client) fn at(bytes: Vec<u8>, url: String, wire: Wire, start: usize) -> RawPage {
        let mut raw = RawPage {
            bytes,
            url,
            wire,
            start,
            peeked: None,
        };
        raw.peeked = match wire {
            Wire::Json => raw.peek(),
            Wire::Grpc => grpc::peek(raw.message()),
        };
        raw
    }

    /// A gRPC page's `RangeResponse` message.
    pub(in crate::client) fn message(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }

    /// The page's size on the wire, when the pager should count it rather
    /// than estimate the gateway's JSON from the keys (gRPC).
    pub(in crate::client) fn wire_size(&self) -> Option<usize> {
        (self.wire == Wire::Grpc).then_some(self.bytes.len())
    }

    /// The last key of the page, whether more follow and how many keys it
    /// holds, found without decoding the page: the gateway writes
    /// `"kvs":[{…"key":"<base64>"…}…],"more":true` and base64 holds no
    /// quotes. `None` when the page holds no key (or is shaped otherwise;
    /// then it is decoded first).
    fn peek(&self) -> Option<Peeked> {
        const KEY: &[u8] = b"\"key\":\"";
        let bytes = &self.bytes;
        let key_at = |at: usize| {
            let at = at + KEY.len();
            let len = bytes[at..].iter().position(|b| *b == b'"')?;
            let key = base64::engine::general_purpose::STANDARD
                .decode(&bytes[at..at + len])
                .ok()?;
            Some((key, at + len))
        };
        let (first, _) = key_at(memchr::memmem::find(bytes, KEY)?)?;
        let (last, end) = key_at(memchr::memmem::rfind(bytes, KEY)?)?;
        let rest = &bytes[end..];
        let more = memchr::memmem::find(rest, b"\"more\":true").is_some();
        let count = memchr::memmem::find_iter(bytes, KEY).count() as u64;
        Some(Peeked {
            first,
            last,
            more,
            count,
        })
    }

    /// Decode the page (checking it against what [`RawPage::peek`] saw).
    pub fn decode(self) -> Result<RangePage> {
        let page = match self.wire {
            Wire::Json => {
                let response: wire::RangeResponse =
                    serde_json::from_slice(&self.bytes).map_err(|e| {
                        not_etcd(&self.url, &format!("the JSON does not match etcd's ({e})"))
                    })?;
                RangePage::from(response)
            }
            Wire::Grpc => grpc::decode_message(&self.url, self.message())?,
        };
        let consistent = match &self.peeked {
            Some(p) => {
                page.kvs.first().map(|kv| &kv.key) == Some(&p.first)
                    && page.kvs.last().map(|kv| &kv.key) == Some(&p.last)
                    && page.more == p.more
                    && page.kvs.len() as u64 == p.count
            }
            None => page.kvs.is_empty() && !page.more,
        };
        if !consistent {
            return Err(not_etcd(&self.url, "a range page whose keys do not add up"));
        }
        Ok(page)
    }
}

impl Client {
    /// Read one page of a range in bulk: over gRPC where the endpoint
    /// carries it (see `grpc.rs`), else from the gateway, left undecoded.
    pub async fn range_raw(&self, spec: &RangeSpec) -> Result<RawPage> {
        let body = serde_json::to_vec(&spec.wire()).map_err(crate::client::error::encoding)?;
        let body = &body;
        self.with_token(|token| async move {
            self.failover_current_on(None, true, Silence::Hedge, |index| {
                self.range_at(index, spec, body, token.as_deref())
            })
            .await
        })
        .await
        .map_err(|e| self.on_key(e, &spec.key, "read"))
    }

    /// One bulk read at the endpoint at `index`: over gRPC if it carries it
    /// (with `--transport auto`, an endpoint found not to is remembered and
    /// asked through its gateway instead).
    async fn range_at(
        &self,
        index: usize,
        spec: &RangeSpec,
        json: &[u8],
        token: Option<&str>,
    ) -> Attempt<RawPage> {
        if self.grpc_at(index) {
            match self.grpc_range(index, spec, json, token).await {
                Outcome::Answered(attempt) => {
                    return attempt.map(|(bytes, url)| RawPage::new(bytes, url, Wire::Grpc));
                }
                Outcome::NotHere(why) if self.transport == Transport::Grpc => {
                    return Attempt::Failed {
                        error: refused_pin(&why),
                        next: true,
                        reached: false,
                    };
                }
                Outcome::NotHere(_) => {
                    self.set_route(index, Route::Gateway);
                }
            }
        }
        self.attempt_at(index, "kv/range", json.to_vec(), Retry::Idempotent, token)
            .await
            .map(|(bytes, url)| RawPage::new(bytes, url, Wire::Json))
    }
}
