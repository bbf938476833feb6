//! The plain types of a range, shared by every way of reading one (the gateway's JSON,
//! gRPC's protobuf, the pager, transactions, watches): which keys to read ([`RangeSpec`]),
//! a page of them ([`RangePage`]) and each key as stored ([`KeyValue`]).

use crate::client::v3::wire;

/// A key as stored, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    pub create_revision: i64,
    pub mod_revision: i64,
    pub version: i64,
    /// 0 when the key has no lease.
    pub lease: i64,
}

impl From<wire::KeyValue> for KeyValue {
    fn from(kv: wire::KeyValue) -> Self {
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

/// Which keys a range reads: `key` alone, or `[key, end)`.
#[derive(Debug, Clone, Default)]
pub struct RangeSpec {
    pub key: Vec<u8>,
    pub end: Option<Vec<u8>>,
    pub limit: i64,
    /// 0 = the newest revision.
    pub revision: i64,
    pub keys_only: bool,
}

impl RangeSpec {
    pub fn key(key: &[u8]) -> Self {
        RangeSpec {
            key: key.to_vec(),
            ..Default::default()
        }
    }

    pub(in crate::client) fn wire(&self) -> wire::RangeRequest {
        wire::RangeRequest {
            key: self.key.clone(),
            range_end: self.end.clone(),
            limit: self.limit,
            revision: self.revision,
            keys_only: self.keys_only,
            ..Default::default()
        }
    }
}

/// One page of a range.
#[derive(Debug, Default)]
pub struct RangePage {
    /// The store revision the read was served at.
    pub revision: i64,
    pub kvs: Vec<KeyValue>,
    /// More keys follow in the range after the last one returned.
    pub more: bool,
}

impl From<wire::RangeResponse> for RangePage {
    fn from(r: wire::RangeResponse) -> Self {
        RangePage {
            revision: r.header.revision,
            kvs: r.kvs.into_iter().map(KeyValue::from).collect(),
            more: r.more,
        }
    }
}

/// What a page's peek finds without decoding it (`bulk::RawPage`'s, or `grpc::peek`).
pub(in crate::client) struct Peeked {
    pub(in crate::client) first: Vec<u8>,
    pub(in crate::client) last: Vec<u8>,
    pub(in crate::client) more: bool,
    pub(in crate::client) count: u64,
}
