//! The bulk reads (`get -r`, a directory level) over etcd's gRPC API:
//! `etcdserverpb.KV/Range` as a unary call (`unary.rs`). etcd encodes a large
//! range as protobuf for about a quarter of the CPU its gateway spends on JSON
//! (docs/grpc.md). Here: the Range messages, the answer decoded into a
//! [`RangePage`], and peeked at without decoding it (for the pager).

use crate::client::Client;
use crate::client::Retry;
use crate::client::error::Error;
use crate::client::v3::classify::not_etcd;
use crate::client::v3::range::{KeyValue, Peeked, RangePage, RangeSpec};
use crate::client::v3::unary::Outcome;
#[cfg(test)]
use crate::client::v3::unary::{check_frame, frame};

/// The method's path, after the endpoint's `scheme://host:port`.
pub(in crate::client) const RANGE_PATH: &str = "/etcdserverpb.KV/Range";

/// `etcdserverpb.RangeRequest` (api/etcdserverpb/rpc.proto): the fields etcdpy sends.
#[derive(Clone, PartialEq, prost::Message)]
pub(in crate::client) struct RangeRequest {
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

impl From<&RangeSpec> for RangeRequest {
    fn from(spec: &RangeSpec) -> Self {
        RangeRequest {
            key: spec.key.clone(),
            range_end: spec.end.clone().unwrap_or_default(),
            limit: spec.limit,
            revision: spec.revision,
            keys_only: spec.keys_only,
        }
    }
}

/// `etcdserverpb.RangeResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub(in crate::client) struct RangeResponse {
    #[prost(message, optional, tag = "1")]
    pub(in crate::client) header: Option<ResponseHeader>,
    #[prost(message, repeated, tag = "2")]
    kvs: Vec<WireKeyValue>,
    #[prost(bool, tag = "3")]
    more: bool,
    #[prost(int64, tag = "4")]
    count: i64,
}

/// `etcdserverpb.ResponseHeader`.
#[derive(Clone, PartialEq, prost::Message)]
pub(in crate::client) struct ResponseHeader {
    #[prost(uint64, tag = "1")]
    cluster_id: u64,
    #[prost(uint64, tag = "2")]
    member_id: u64,
    #[prost(int64, tag = "3")]
    pub(in crate::client) revision: i64,
    #[prost(uint64, tag = "4")]
    raft_term: u64,
}

/// `mvccpb.KeyValue` (api/mvccpb/kv.proto).
#[derive(Clone, PartialEq, prost::Message)]
pub(in crate::client) struct WireKeyValue {
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

impl From<WireKeyValue> for KeyValue {
    fn from(kv: WireKeyValue) -> Self {
        KeyValue {
            key: kv.key,
            value: kv.value,
            create_revision: kv.create_revision,
            mod_revision: kv.mod_revision,
            version: kv.version,
            lease: kv.lease,
        }
    }
}

impl From<RangeResponse> for RangePage {
    fn from(r: RangeResponse) -> Self {
        RangePage {
            revision: r.header.map_or(0, |h| h.revision),
            kvs: r.kvs.into_iter().map(KeyValue::from).collect(),
            more: r.more,
        }
    }
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
pub(in crate::client) enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// The next field of a protobuf message: its tag and value; `None` at bytes
/// that are no protobuf.
pub(in crate::client) fn next_field<'a>(message: &mut &'a [u8]) -> Option<(u32, Field<'a>)> {
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

impl Client {
    /// One Range at the endpoint at `index` over gRPC, with `token` (if
    /// any) in the metadata: the answer's whole frame. `--debug` shows the
    /// request as `json` (the gateway's JSON, which is what grpcurl's `-d`
    /// takes for it).
    pub(in crate::client) async fn grpc_range(
        &self,
        index: usize,
        spec: &RangeSpec,
        json: &[u8],
        token: Option<&str>,
    ) -> Outcome {
        let request = RangeRequest::from(spec);
        self.unary(index, RANGE_PATH, &request, json, token, Retry::Idempotent)
            .await
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
}
