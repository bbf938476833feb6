//! Bulk writes (`load`'s, `migrate`'s guarded batches): one transaction over gRPC's
//! `etcdserverpb.KV/Txn` where the endpoint carries it (a unary call, `unary.rs`), else the
//! gateway's `kv/txn`, with the same probe and fallback as the bulk reads (`bulk.rs`). etcd
//! decodes a 128-put transaction's protobuf for a fraction of the CPU its gateway spends on
//! the JSON (and etcdpy encodes no base64). Here: the Txn messages (api/etcdserverpb/rpc.proto)
//! and their answer as a [`TxnOutcome`].

use crate::client::error::{Result, encoding};
use crate::client::v3::classify::{decode, not_etcd};
use crate::client::v3::failover::Attempt;
use crate::client::v3::grpc::{RangeRequest, RangeResponse, ResponseHeader, WireKeyValue};
use crate::client::v3::kv::{Compare, Condition, Op, OpResult, TxnOutcome, txn_request};
use crate::client::v3::unary::{Outcome, Route, refused_pin};
use crate::client::v3::wire;
use crate::client::{Client, KeyValue, Retry, Transport};

const TXN_PATH: &str = "/etcdserverpb.KV/Txn";

#[derive(Clone, PartialEq, prost::Message)]
struct TxnRequest {
    #[prost(message, repeated, tag = "1")]
    compare: Vec<WireCompare>,
    #[prost(message, repeated, tag = "2")]
    success: Vec<RequestOp>,
    #[prost(message, repeated, tag = "3")]
    failure: Vec<RequestOp>,
}

/// `etcdserverpb.Compare`: `result` (EQUAL 0, GREATER 1), `target` (VERSION 0, MOD 2,
/// VALUE 3), the key, and the value compared in the `target_union` oneof.
#[derive(Clone, PartialEq, prost::Message)]
struct WireCompare {
    #[prost(int32, tag = "1")]
    result: i32,
    #[prost(int32, tag = "2")]
    target: i32,
    #[prost(bytes = "vec", tag = "3")]
    key: Vec<u8>,
    #[prost(oneof = "Against", tags = "4, 6, 7")]
    against: Option<Against>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
enum Against {
    #[prost(int64, tag = "4")]
    Version(i64),
    #[prost(int64, tag = "6")]
    ModRevision(i64),
    #[prost(bytes = "vec", tag = "7")]
    Value(Vec<u8>),
}

#[derive(Clone, PartialEq, prost::Message)]
struct RequestOp {
    #[prost(oneof = "Request", tags = "1, 2, 3")]
    request: Option<Request>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
enum Request {
    #[prost(message, tag = "1")]
    Range(RangeRequest),
    #[prost(message, tag = "2")]
    Put(PutRequest),
    #[prost(message, tag = "3")]
    Delete(DeleteRangeRequest),
}

#[derive(Clone, PartialEq, prost::Message)]
struct PutRequest {
    #[prost(bytes = "vec", tag = "1")]
    key: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    value: Vec<u8>,
    #[prost(int64, tag = "3")]
    lease: i64,
    #[prost(bool, tag = "4")]
    prev_kv: bool,
    #[prost(bool, tag = "5")]
    ignore_value: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
struct DeleteRangeRequest {
    #[prost(bytes = "vec", tag = "1")]
    key: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    range_end: Vec<u8>,
    #[prost(bool, tag = "3")]
    prev_kv: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
struct TxnResponse {
    #[prost(message, optional, tag = "1")]
    header: Option<ResponseHeader>,
    #[prost(bool, tag = "2")]
    succeeded: bool,
    #[prost(message, repeated, tag = "3")]
    responses: Vec<ResponseOp>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct ResponseOp {
    #[prost(oneof = "Response", tags = "1, 2, 3")]
    response: Option<Response>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
enum Response {
    #[prost(message, tag = "1")]
    Range(RangeResponse),
    #[prost(message, tag = "2")]
    Put(PutResponse),
    #[prost(message, tag = "3")]
    Delete(DeleteRangeResponse),
}

#[derive(Clone, PartialEq, prost::Message)]
struct PutResponse {
    #[prost(message, optional, tag = "1")]
    header: Option<ResponseHeader>,
    #[prost(message, optional, tag = "2")]
    prev_kv: Option<WireKeyValue>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct DeleteRangeResponse {
    #[prost(message, optional, tag = "1")]
    header: Option<ResponseHeader>,
    #[prost(int64, tag = "2")]
    deleted: i64,
    #[prost(message, repeated, tag = "3")]
    prev_kvs: Vec<WireKeyValue>,
}

fn compare(c: &Compare) -> WireCompare {
    let (result, target, against) = match &c.condition {
        Condition::Absent => (0, 0, Against::Version(0)),
        Condition::Exists => (1, 0, Against::Version(0)),
        Condition::ValueIs(value) => (0, 3, Against::Value(value.clone())),
        Condition::ModRevisionIs(rev) => (0, 2, Against::ModRevision(*rev)),
    };
    WireCompare {
        result,
        target,
        key: c.key.clone(),
        against: Some(against),
    }
}

fn op(op: &Op) -> RequestOp {
    let request = match op {
        Op::Range(spec) => Request::Range(RangeRequest::from(spec)),
        Op::Put {
            key,
            value,
            lease,
            prev,
        } => Request::Put(PutRequest {
            key: key.clone(),
            value: value.clone().unwrap_or_default(),
            lease: *lease,
            prev_kv: *prev,
            ignore_value: value.is_none(),
        }),
        Op::Delete { key, end, prev } => Request::Delete(DeleteRangeRequest {
            key: key.clone(),
            range_end: end.clone().unwrap_or_default(),
            prev_kv: *prev,
        }),
    };
    RequestOp {
        request: Some(request),
    }
}

fn outcome(r: TxnResponse) -> TxnOutcome {
    let results = r.responses.into_iter().map(|r| match r.response {
        Some(Response::Range(range)) => OpResult::Range(range.into()),
        Some(Response::Put(put)) => OpResult::Put {
            prev: put.prev_kv.map(KeyValue::from),
        },
        Some(Response::Delete(delete)) => OpResult::Delete {
            deleted: delete.deleted,
            prev: delete.prev_kvs.into_iter().map(KeyValue::from).collect(),
        },
        None => OpResult::Delete {
            deleted: 0,
            prev: Vec::new(),
        },
    });
    TxnOutcome {
        succeeded: r.succeeded,
        revision: r.header.map_or(0, |h| h.revision),
        results: results.collect(),
    }
}

/// A `TxnResponse` frame (checked whole already) decoded.
fn decode_frame(url: &str, bytes: &[u8]) -> Result<TxnOutcome> {
    use prost::Message as _;
    let response = TxnResponse::decode(bytes.get(5..).unwrap_or_default())
        .map_err(|e| not_etcd(url, &format!("the protobuf is not a TxnResponse ({e})")))?;
    Ok(outcome(response))
}

/// An answer that could not be decoded: it reached etcd, and the write may have applied.
fn decoded(decoding: Result<TxnOutcome>) -> Attempt<TxnOutcome> {
    match decoding {
        Ok(outcome) => Attempt::Answered(outcome),
        Err(error) => Attempt::Failed {
            error,
            next: false,
            reached: true,
        },
    }
}

/// One transaction's parts: compares, success and failure operations.
type Parts<'a> = (&'a [Compare], &'a [Op], &'a [Op]);

/// The transaction as the gateway's JSON.
fn json(parts: Parts) -> Result<Vec<u8>> {
    serde_json::to_vec(&txn_request(parts.0, parts.1, parts.2)).map_err(encoding)
}

impl Client {
    /// A guarded write transaction in bulk (`load`'s batches): over gRPC where the endpoint
    /// carries it, else the gateway (as [`Client::txn`] always does). The compares must make
    /// a repeat harmless ([`Retry::Guarded`]).
    pub async fn txn_bulk(
        &self,
        guards: &[Compare],
        success: &[Op],
        failure: &[Op],
    ) -> Result<TxnOutcome> {
        let parts = (guards, success, failure);
        let message = TxnRequest {
            compare: guards.iter().map(compare).collect(),
            success: success.iter().map(op).collect(),
            failure: failure.iter().map(op).collect(),
        };
        // The gateway's JSON only where it is sent or shown (--debug).
        let any_gateway = (0..self.endpoints.len()).any(|i| !self.grpc_at(i));
        let shown = match any_gateway || self.tracer.is_some() {
            true => json(parts)?,
            false => Vec::new(),
        };
        let (message, shown) = (&message, &shown);
        let key = guards.first().map(|c| c.key.clone()).unwrap_or_default();
        self.with_token(|token| async move {
            self.failover_current_on(None, true, Retry::Guarded.into(), |index| {
                self.txn_at(index, parts, message, shown, token.as_deref())
            })
            .await
        })
        .await
        .map_err(|e| self.on_key(e, &key, "write"))
    }

    /// One try at the endpoint at `index`: gRPC if it carries it (an endpoint found not to
    /// is remembered with `--transport auto`), else its gateway.
    async fn txn_at(
        &self,
        index: usize,
        parts: Parts<'_>,
        message: &TxnRequest,
        shown: &[u8],
        token: Option<&str>,
    ) -> Attempt<TxnOutcome> {
        if self.grpc_at(index) {
            let call = self.unary(index, TXN_PATH, message, shown, token, Retry::Guarded);
            match call.await {
                Outcome::Answered(Attempt::Answered((bytes, url))) => {
                    return decoded(decode_frame(&url, &bytes));
                }
                Outcome::Answered(failed) => return failed.map(|_| unreachable_outcome()),
                Outcome::NotHere(why) if self.transport == Transport::Grpc => {
                    return Attempt::Failed {
                        error: refused_pin(&why),
                        next: true,
                        reached: false,
                    };
                }
                Outcome::NotHere(_) => self.set_route(index, Route::Gateway),
            }
        }
        let body = match shown.is_empty() {
            false => Ok(shown.to_vec()),
            // The endpoint turned out gateway-only after the JSON was skipped.
            true => json(parts),
        };
        let body = match body {
            Ok(body) => body,
            Err(error) => {
                return Attempt::Failed {
                    error,
                    next: false,
                    reached: false,
                };
            }
        };
        match self
            .attempt_at(index, "kv/txn", body, Retry::Guarded, token)
            .await
        {
            Attempt::Answered((bytes, url)) => {
                decoded(decode::<wire::TxnResponse>(&url, &bytes).map(TxnOutcome::from))
            }
            failed => failed.map(|_| unreachable_outcome()),
        }
    }
}

/// What a failed attempt's `map` never calls for.
fn unreachable_outcome() -> TxnOutcome {
    TxnOutcome {
        succeeded: false,
        revision: 0,
        results: Vec::new(),
    }
}
