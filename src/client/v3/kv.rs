//! Key-value calls: range (one page), count, put, delete, and transactions, with
//! their answers decoded into plain types. The range types are `range.rs`'s, bulk
//! reads `bulk.rs`'s and the pager `pager.rs`'s (re-exported here for the files that
//! name them through `kv::`: the watch, recipes).

pub use crate::client::v3::pager::{Page, Pager};
pub use crate::client::v3::range::{KeyValue, RangePage, RangeSpec};

use crate::client::error::Result;
use crate::client::v3::wire;
use crate::client::{Client, Retry};

/// One condition of a transaction, on one key.
#[derive(Debug, Clone)]
pub struct Compare {
    pub key: Vec<u8>,
    pub condition: Condition,
}

#[derive(Debug, Clone)]
pub enum Condition {
    /// The key does not exist (create revision 0).
    Absent,
    /// The key exists.
    Exists,
    /// The key exists and holds exactly this value.
    ValueIs(Vec<u8>),
    /// The key's mod revision is this (0: the key does not exist).
    ModRevisionIs(i64),
}

impl Compare {
    fn wire(&self) -> wire::Compare {
        let mut c = wire::Compare {
            key: self.key.clone(),
            target: "VERSION",
            result: "EQUAL",
            version: None,
            create_revision: None,
            mod_revision: None,
            value: None,
        };
        match &self.condition {
            Condition::Absent => c.version = Some(0),
            Condition::Exists => {
                c.result = "GREATER";
                c.version = Some(0);
            }
            Condition::ValueIs(value) => {
                c.target = "VALUE";
                c.value = Some(value.clone());
            }
            Condition::ModRevisionIs(rev) => {
                c.target = "MOD";
                c.mod_revision = Some(*rev);
            }
        }
        c
    }
}

/// One operation inside a transaction.
#[derive(Debug, Clone)]
pub enum Op {
    Range(RangeSpec),
    /// Write `value` with `lease` (0: none); `value: None` keeps the value and only sets the lease.
    Put {
        key: Vec<u8>,
        value: Option<Vec<u8>>,
        lease: i64,
        prev: bool,
    },
    /// Delete `key`, or `[key, end)`.
    Delete {
        key: Vec<u8>,
        end: Option<Vec<u8>>,
        prev: bool,
    },
}

impl Op {
    fn key(&self) -> &[u8] {
        match self {
            Op::Range(spec) => &spec.key,
            Op::Put { key, .. } | Op::Delete { key, .. } => key,
        }
    }

    fn wire(&self) -> wire::RequestOp {
        match self {
            Op::Range(spec) => wire::RequestOp::Range(spec.wire()),
            Op::Put {
                key,
                value,
                lease,
                prev,
            } => wire::RequestOp::Put(put_request(key, value, *lease, *prev)),
            Op::Delete { key, end, prev } => {
                wire::RequestOp::DeleteRange(wire::DeleteRangeRequest {
                    key: key.clone(),
                    range_end: end.clone(),
                    prev_kv: *prev,
                })
            }
        }
    }
}

fn put_request(key: &[u8], value: &Option<Vec<u8>>, lease: i64, prev: bool) -> wire::PutRequest {
    wire::PutRequest {
        key: key.to_vec(),
        // An empty value is sent as "" so that the request always has one.
        value: value.clone(),
        lease,
        prev_kv: prev,
        ignore_value: value.is_none(),
    }
}

/// What one operation of a transaction returned.
#[derive(Debug)]
pub enum OpResult {
    Range(RangePage),
    Put { prev: Option<KeyValue> },
    Delete { deleted: i64, prev: Vec<KeyValue> },
}

#[derive(Debug)]
pub struct TxnOutcome {
    pub succeeded: bool,
    pub revision: i64,
    pub results: Vec<OpResult>,
}

impl Client {
    /// Read one page of a range.
    pub async fn range(&self, spec: &RangeSpec) -> Result<RangePage> {
        let response: wire::RangeResponse = self
            .call("kv/range", &spec.wire(), Retry::Idempotent)
            .await
            .map_err(|e| self.on_key(e, &spec.key, "read"))?;
        Ok(response.into())
    }

    /// How many keys `key` (or `[key, end)`) holds, counted by the server
    /// (no key is sent back).
    pub async fn count(&self, key: &[u8], end: Option<Vec<u8>>) -> Result<i64> {
        let request = wire::RangeRequest {
            count_only: true,
            ..RangeSpec {
                key: key.to_vec(),
                end,
                ..Default::default()
            }
            .wire()
        };
        let response: wire::RangeResponse = self
            .call("kv/range", &request, Retry::Idempotent)
            .await
            .map_err(|e| self.on_key(e, key, "read"))?;
        Ok(response.count)
    }

    /// Write a key; returns the new revision and, when asked, the previous key.
    pub async fn put(
        &self,
        key: &[u8],
        value: Vec<u8>,
        lease: i64,
        prev: bool,
    ) -> Result<(i64, Option<KeyValue>)> {
        let request = put_request(key, &Some(value), lease, prev);
        // On a lease, a repeat writes the same key on the same lease again.
        let retry = if lease != 0 {
            Retry::Guarded
        } else {
            Retry::Once
        };
        let response: wire::PutResponse = self
            .call("kv/put", &request, retry)
            .await
            .map_err(|e| self.on_key(e, key, "write"))?;
        Ok((
            response.header.revision,
            response.prev_kv.map(KeyValue::from),
        ))
    }

    /// Delete a key or `[key, end)`; returns the revision and the number deleted.
    pub async fn delete(&self, key: &[u8], end: Option<Vec<u8>>) -> Result<(i64, i64)> {
        let request = wire::DeleteRangeRequest {
            key: key.to_vec(),
            range_end: end,
            prev_kv: false,
        };
        let response: wire::DeleteRangeResponse = self
            .call("kv/deleterange", &request, Retry::Once)
            .await
            .map_err(|e| self.on_key(e, key, "delete"))?;
        Ok((response.header.revision, response.deleted))
    }

    /// Run a transaction: `success` if every compare holds, else `failure`.
    pub async fn txn(
        &self,
        compare: &[Compare],
        success: &[Op],
        failure: &[Op],
    ) -> Result<TxnOutcome> {
        let read_only = success
            .iter()
            .chain(failure)
            .all(|op| matches!(op, Op::Range(_)));
        let request = txn_request(compare, success, failure);
        let retry = if read_only {
            Retry::Idempotent
        } else if !compare.is_empty() {
            Retry::Guarded
        } else {
            Retry::Once
        };
        let key = compare
            .first()
            .map(|c| c.key.as_slice())
            .or_else(|| success.first().map(Op::key))
            .unwrap_or_default();
        let access = if read_only { "read" } else { "write" };
        let response: wire::TxnResponse = self
            .call("kv/txn", &request, retry)
            .await
            .map_err(|e| self.on_key(e, key, access))?;
        Ok(TxnOutcome::from(response))
    }
}

/// A transaction as the gateway's JSON request.
pub(in crate::client) fn txn_request(
    compare: &[Compare],
    success: &[Op],
    failure: &[Op],
) -> wire::TxnRequest {
    wire::TxnRequest {
        compare: compare.iter().map(Compare::wire).collect(),
        success: success.iter().map(Op::wire).collect(),
        failure: failure.iter().map(Op::wire).collect(),
    }
}

impl From<wire::TxnResponse> for TxnOutcome {
    fn from(response: wire::TxnResponse) -> Self {
        let results = response
            .responses
            .into_iter()
            .map(|r| {
                if let Some(range) = r.response_range {
                    OpResult::Range(range.into())
                } else if let Some(put) = r.response_put {
                    OpResult::Put {
                        prev: put.prev_kv.map(KeyValue::from),
                    }
                } else if let Some(delete) = r.response_delete_range {
                    OpResult::Delete {
                        deleted: delete.deleted,
                        prev: delete.prev_kvs.into_iter().map(KeyValue::from).collect(),
                    }
                } else {
                    // A delete that removed nothing comes back as an empty object.
                    OpResult::Delete {
                        deleted: 0,
                        prev: Vec::new(),
                    }
                }
            })
            .collect();
        TxnOutcome {
            succeeded: response.succeeded,
            revision: response.header.revision,
            results,
        }
    }
}
