//! Key-value calls: range (one page), put, delete, and transactions, with
//! their answers decoded into plain types.

use super::wire;
use super::{Client, Retry};
use crate::error::Result;

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

    fn wire(&self) -> wire::RangeRequest {
        wire::RangeRequest {
            key: self.key.clone(),
            range_end: self.end.clone(),
            limit: self.limit,
            revision: self.revision,
            keys_only: self.keys_only,
            count_only: false,
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

    /// Write a key; returns the new revision and, when asked, the previous key.
    pub async fn put(
        &self,
        key: &[u8],
        value: Vec<u8>,
        lease: i64,
        prev: bool,
    ) -> Result<(i64, Option<KeyValue>)> {
        let request = put_request(key, &Some(value), lease, prev);
        let response: wire::PutResponse = self
            .call("kv/put", &request, Retry::Once)
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
        let request = wire::TxnRequest {
            compare: compare.iter().map(Compare::wire).collect(),
            success: success.iter().map(Op::wire).collect(),
            failure: failure.iter().map(Op::wire).collect(),
        };
        let retry = if read_only {
            Retry::Idempotent
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
        Ok(TxnOutcome {
            succeeded: response.succeeded,
            revision: response.header.revision,
            results,
        })
    }
}

/// Reads `[key, end)` page by page at one pinned revision, so that memory
/// does not grow with the size of the range.
pub struct Pager {
    spec: RangeSpec,
    /// Keys still wanted (None: all).
    remaining: Option<u64>,
    done: bool,
    /// The range had more keys than `remaining` allowed.
    pub truncated: bool,
    /// Keys per page: [`PAGE_SIZE`], halved while a page is too large to take.
    page_size: i64,
}

/// Keys per page: large enough that round trips do not dominate, small
/// enough that one page of ~100-byte values stays well under a megabyte.
pub const PAGE_SIZE: i64 = 1000;

impl Pager {
    /// `revision` 0 pins the revision of the first page.
    pub fn new(
        key: Vec<u8>,
        end: Vec<u8>,
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Pager {
        Pager {
            spec: RangeSpec {
                key,
                end: Some(end),
                limit: PAGE_SIZE,
                revision,
                keys_only,
            },
            remaining: limit,
            done: false,
            truncated: false,
            page_size: PAGE_SIZE,
        }
    }

    /// The revision every page is read at (0 before the first page without --rev).
    pub fn revision(&self) -> i64 {
        self.spec.revision
    }

    /// Continue the range at `key` instead (skipping what lies before it).
    pub fn skip_to(&mut self, key: Vec<u8>) {
        if self
            .spec
            .end
            .as_ref()
            .is_some_and(|end| *end != [0] && key >= *end)
        {
            self.done = true;
        }
        self.spec.key = key;
    }

    /// The next page, or `None` when the range is exhausted.
    pub async fn next(&mut self, client: &Client) -> Result<Option<RangePage>> {
        if self.done {
            return Ok(None);
        }
        let page = loop {
            let mut limit = self.page_size;
            if let Some(remaining) = self.remaining {
                limit = limit.min(remaining as i64);
            }
            self.spec.limit = limit;
            match client.range(&self.spec).await {
                // Large values: the same page in smaller pieces, each within the answer limit.
                Err(e) if limit > 1 && super::transport::is_too_large(&e) => {
                    self.page_size = (limit / 2).max(1);
                }
                result => break result?,
            }
        };
        if self.spec.revision == 0 {
            self.spec.revision = page.revision;
        }
        if let Some(remaining) = self.remaining.as_mut() {
            *remaining -= page.kvs.len() as u64;
            if *remaining == 0 {
                self.truncated = page.more;
                self.done = true;
            }
        }
        match page.kvs.last() {
            Some(last) if page.more => {
                let mut next = last.key.clone();
                next.push(0);
                self.spec.key = next;
            }
            _ => self.done = true,
        }
        Ok(Some(page))
    }
}
