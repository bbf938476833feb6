//! etcd's v3 gateway JSON, exactly as it travels: bytes as padded standard
//! base64, 64-bit integers as strings, zero values omitted. Private to the
//! client; the rest of the program sees the decoded types in `client`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn ser_b64<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&b64(bytes))
}

pub fn ser_b64_opt<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(b) => s.serialize_str(&b64(b)),
        None => s.serialize_none(),
    }
}

/// Decoded straight from the JSON text: no String per key and value (a
/// range page holds tens of thousands).
pub fn de_b64<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    struct Base64;
    impl serde::de::Visitor<'_> for Base64 {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a base64 string")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
            STANDARD.decode(text.as_bytes()).map_err(E::custom)
        }
    }
    d.deserialize_str(Base64)
}

/// An int64 that arrives as a string (or, leniently, a number).
pub fn de_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    // A visitor, not an untagged enum: that would buffer (and allocate)
    // every field first, three per key of a range page.
    struct Int;
    impl serde::de::Visitor<'_> for Int {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an int64 as a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<i64, E> {
            text.parse().map_err(E::custom)
        }
        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<i64, E> {
            Ok(n)
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<i64, E> {
            i64::try_from(n).map_err(E::custom)
        }
    }
    d.deserialize_any(Int)
}

/// A uint64 (member and cluster IDs) that arrives as a string or a number.
pub fn de_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Int {
        S(String),
        N(u64),
    }
    match Int::deserialize(d)? {
        Int::N(n) => Ok(n),
        Int::S(s) => s.parse().map_err(serde::de::Error::custom),
    }
}

/// An optional int64 that arrives as a string (or a number): a field only
/// newer servers send.
pub fn de_i64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    de_i64(d).map(Some)
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct Header {
    #[serde(deserialize_with = "de_i64")]
    pub revision: i64,
    #[serde(deserialize_with = "de_u64")]
    pub member_id: u64,
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct KeyValue {
    #[serde(deserialize_with = "de_b64")]
    pub key: Vec<u8>,
    #[serde(deserialize_with = "de_b64")]
    pub value: Vec<u8>,
    #[serde(deserialize_with = "de_i64")]
    pub create_revision: i64,
    #[serde(deserialize_with = "de_i64")]
    pub mod_revision: i64,
    #[serde(deserialize_with = "de_i64")]
    pub version: i64,
    #[serde(deserialize_with = "de_i64")]
    pub lease: i64,
}

#[derive(Serialize, Default, Debug, Clone)]
pub struct RangeRequest {
    #[serde(serialize_with = "ser_b64")]
    pub key: Vec<u8>,
    #[serde(
        serialize_with = "ser_b64_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub range_end: Option<Vec<u8>>,
    #[serde(skip_serializing_if = "is_zero")]
    pub limit: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub revision: i64,
    #[serde(skip_serializing_if = "is_false")]
    pub keys_only: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub count_only: bool,
    /// Only keys changed at this revision or later (etcd 3.4 and 3.5 still count every key
    /// of the range in `count`, with or without `count_only`).
    #[serde(skip_serializing_if = "is_zero")]
    pub min_mod_revision: i64,
    /// Only keys changed at this revision or earlier.
    #[serde(skip_serializing_if = "is_zero")]
    pub max_mod_revision: i64,
    /// etcd's SortOrder (0 none, 1 ascending, 2 descending) and SortTarget (0 key, 3 mod).
    #[serde(skip_serializing_if = "is_zero")]
    pub sort_order: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub sort_target: i64,
}

#[derive(Deserialize, Default, Debug)]
pub struct RangeResponse {
    /// Required: every etcd answer to these calls has one.
    pub header: Header,
    #[serde(default)]
    pub kvs: Vec<KeyValue>,
    #[serde(default)]
    pub more: bool,
    #[serde(default, deserialize_with = "de_i64")]
    pub count: i64,
}

#[derive(Serialize, Default, Debug, Clone)]
pub struct PutRequest {
    #[serde(serialize_with = "ser_b64")]
    pub key: Vec<u8>,
    #[serde(
        serialize_with = "ser_b64_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Vec<u8>>,
    #[serde(skip_serializing_if = "is_zero")]
    pub lease: i64,
    #[serde(skip_serializing_if = "is_false")]
    pub prev_kv: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub ignore_value: bool,
}

#[derive(Deserialize, Default, Debug)]
pub struct PutResponse {
    /// Required: every etcd answer to these calls has one.
    pub header: Header,
    #[serde(default)]
    pub prev_kv: Option<KeyValue>,
}

#[derive(Serialize, Default, Debug, Clone)]
pub struct DeleteRangeRequest {
    #[serde(serialize_with = "ser_b64")]
    pub key: Vec<u8>,
    #[serde(
        serialize_with = "ser_b64_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub range_end: Option<Vec<u8>>,
    #[serde(skip_serializing_if = "is_false")]
    pub prev_kv: bool,
}

#[derive(Deserialize, Default, Debug)]
pub struct DeleteRangeResponse {
    /// Required: every etcd answer to these calls has one.
    pub header: Header,
    #[serde(default, deserialize_with = "de_i64")]
    pub deleted: i64,
    #[serde(default)]
    pub prev_kvs: Vec<KeyValue>,
}

#[derive(Serialize, Debug, Clone)]
pub struct Compare {
    #[serde(serialize_with = "ser_b64")]
    pub key: Vec<u8>,
    /// Always sent: a compare without a target silently means VERSION.
    pub target: &'static str,
    pub result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_revision: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mod_revision: Option<i64>,
    #[serde(
        serialize_with = "ser_b64_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Vec<u8>>,
}

#[derive(Serialize, Debug, Clone)]
pub enum RequestOp {
    #[serde(rename = "request_range")]
    Range(RangeRequest),
    #[serde(rename = "request_put")]
    Put(PutRequest),
    #[serde(rename = "request_delete_range")]
    DeleteRange(DeleteRangeRequest),
}

#[derive(Serialize, Debug, Default)]
pub struct TxnRequest {
    pub compare: Vec<Compare>,
    pub success: Vec<RequestOp>,
    pub failure: Vec<RequestOp>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct ResponseOp {
    pub response_range: Option<RangeResponse>,
    pub response_put: Option<PutResponse>,
    pub response_delete_range: Option<DeleteRangeResponse>,
}

#[derive(Deserialize, Default, Debug)]
pub struct TxnResponse {
    /// Required: every etcd answer to these calls has one.
    pub header: Header,
    /// Omitted when false: a failed compare has no `succeeded` field.
    #[serde(default)]
    pub succeeded: bool,
    #[serde(default)]
    pub responses: Vec<ResponseOp>,
}

#[derive(Serialize, Debug)]
pub struct LeaseGrantRequest {
    #[serde(rename = "TTL")]
    pub ttl: i64,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct LeaseGrantResponse {
    #[serde(rename = "ID", deserialize_with = "de_i64")]
    pub id: i64,
    #[serde(rename = "TTL", deserialize_with = "de_i64")]
    pub ttl: i64,
    pub error: String,
}

#[derive(Serialize, Debug)]
pub struct LeaseIdRequest {
    #[serde(rename = "ID")]
    pub id: String,
}

#[derive(Serialize, Debug)]
pub struct LeaseTimeToLiveRequest {
    #[serde(rename = "ID")]
    pub id: String,
    pub keys: bool,
}

#[derive(Deserialize, Default, Debug)]
pub struct LeaseTimeToLiveResponse {
    /// Required, though unread: every etcd answer to these calls has one.
    #[allow(dead_code)]
    pub header: Header,
    #[serde(default, rename = "TTL", deserialize_with = "de_i64")]
    pub ttl: i64,
    #[serde(default, rename = "grantedTTL", deserialize_with = "de_i64")]
    pub granted_ttl: i64,
    #[serde(default)]
    pub keys: Vec<B64>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct KeepAliveResult {
    #[serde(rename = "ID", deserialize_with = "de_i64")]
    pub id: i64,
    /// Omitted (0) when the lease is gone.
    #[serde(rename = "TTL", deserialize_with = "de_i64")]
    pub ttl: i64,
}

/// A base64 bytes field inside a list.
#[derive(Deserialize, Default, Debug)]
pub struct B64(#[serde(deserialize_with = "de_b64")] pub Vec<u8>);

#[derive(Deserialize, Default, Debug)]
pub struct Empty {
    /// Required, though unread: every etcd answer to these calls has one.
    #[allow(dead_code)]
    pub header: Header,
}

/// A flat unary error body: `{"error":…,"code":3,"message":…}` (etcd 3.7's
/// grpc-gateway v2 leaves out `error`), or the nested stream shape
/// `{"error":{"grpc_code":14,"message":…}}` (etcd 3.7: `{"error":{"code":14,…}}`).
#[derive(Deserialize, Debug)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: Option<i64>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

impl ErrorBody {
    /// The gRPC code and message, whichever shape the body had.
    pub fn parts(&self) -> Option<(i64, String)> {
        if let Some(code) = self.code {
            let message = self
                .message
                .clone()
                .or_else(|| {
                    self.error
                        .as_ref()
                        .and_then(|e| e.as_str().map(String::from))
                })
                .unwrap_or_default();
            return Some((code, message));
        }
        let nested = self.error.as_ref()?.as_object()?;
        let code = nested
            .get("grpc_code")
            .or_else(|| nested.get("code"))?
            .as_i64()?;
        let message = nested
            .get("message")
            .and_then(|m| m.as_str())
            .unwrap_or_default();
        Some((code, message.to_string()))
    }
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Newline-delimited JSON (the watch stream) as it arrives in chunks: complete
/// lines out, blank ones skipped, and a bound on a line still unfinished.
#[derive(Default, Debug)]
pub struct Lines {
    buffer: Vec<u8>,
    /// Where the next line starts.
    start: usize,
    /// Everything before this has been searched for a newline.
    scanned: usize,
    /// Bytes after the last newline.
    tail: usize,
}

/// A line longer than [`Lines`] takes.
#[derive(Debug, PartialEq, Eq)]
pub struct LineTooLong;

impl Lines {
    /// Append a chunk; refused when it makes the unfinished line longer than `max`.
    pub fn push(&mut self, chunk: &[u8], max: usize) -> Result<(), LineTooLong> {
        match chunk.iter().rposition(|b| *b == b'\n') {
            Some(at) => self.tail = chunk.len() - at - 1,
            None => self.tail += chunk.len(),
        }
        if self.tail > max {
            return Err(LineTooLong);
        }
        if self.start > 0 && self.start >= self.buffer.len() / 2 {
            self.buffer.drain(..self.start);
            self.scanned -= self.start;
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
        Ok(())
    }

    /// The next complete line, without its `\n`; `None` until one has arrived.
    pub fn next_line(&mut self) -> Option<Vec<u8>> {
        loop {
            let from = self.scanned.max(self.start);
            let Some(at) = self.buffer[from..].iter().position(|b| *b == b'\n') else {
                self.scanned = self.buffer.len();
                return None;
            };
            let end = from + at;
            let line = self.buffer[self.start..end].to_vec();
            self.start = end + 1;
            self.scanned = self.start;
            if self.start == self.buffer.len() {
                self.buffer.clear();
                self.start = 0;
                self.scanned = 0;
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                return Some(line);
            }
        }
    }

    /// Whether part of a line has arrived and waits for its end.
    pub fn unfinished(&self) -> bool {
        self.buffer[self.start..]
            .iter()
            .any(|b| !b.is_ascii_whitespace())
    }

    /// What is left after the last newline (the stream ended).
    pub fn take_rest(&mut self) -> Vec<u8> {
        let rest = self.buffer.split_off(self.start);
        *self = Lines::default();
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_every_gateway_give_the_code_and_message() {
        let parts = |body: &str| {
            serde_json::from_str::<ErrorBody>(body)
                .unwrap()
                .parts()
                .unwrap()
        };
        let no_leader = (14, "etcdserver: no leader".to_string());
        // etcd 3.4-3.6 (grpc-gateway v1): unary flat with `error`, streams nested `grpc_code`.
        assert_eq!(
            parts(
                r#"{"error":"etcdserver: no leader","code":14,"message":"etcdserver: no leader"}"#
            ),
            no_leader
        );
        assert_eq!(
            parts(
                r#"{"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: no leader","http_status":"Service Unavailable"}}"#
            ),
            no_leader
        );
        // etcd 3.7 (grpc-gateway v2): unary without `error`, streams nested with `code`.
        assert_eq!(
            parts(r#"{"code":14,"message":"etcdserver: no leader"}"#),
            no_leader
        );
        assert_eq!(
            parts(r#"{"error":{"code":14,"message":"etcdserver: no leader"}}"#),
            no_leader
        );
    }

    #[test]
    fn lines_split_across_chunks_and_blank_lines_are_skipped() {
        let mut lines = Lines::default();
        lines.push(b"{\"a\":1}\n\n \n{\"b\"", 100).unwrap();
        assert_eq!(lines.next_line(), Some(b"{\"a\":1}".to_vec()));
        assert_eq!(lines.next_line(), None);
        assert!(lines.unfinished());
        lines.push(b":2}\n{\"c\"", 100).unwrap();
        assert_eq!(lines.next_line(), Some(b"{\"b\":2}".to_vec()));
        assert_eq!(lines.next_line(), None);
        assert_eq!(lines.take_rest(), b"{\"c\"".to_vec());
        assert!(!lines.unfinished());
    }

    #[test]
    fn an_unfinished_line_is_bounded() {
        let mut lines = Lines::default();
        lines.push(&[b'x'; 60], 100).unwrap();
        assert_eq!(lines.push(&[b'x'; 60], 100), Err(LineTooLong));
        // Complete lines do not count against the bound, only what follows the last newline.
        let mut lines = Lines::default();
        for _ in 0..10 {
            lines.push(&[b'y'; 60], 100).unwrap();
            lines.push(b"\n", 100).unwrap();
            assert_eq!(lines.next_line(), Some(vec![b'y'; 60]));
        }
    }
}
