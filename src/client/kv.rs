//! Key-value calls: range (one page), put, delete, and transactions, with
//! their answers decoded into plain types.

use super::wire;
use super::{Client, Retry};
use crate::error::{Error, Result};
use base64::Engine as _;

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

/// A page of a range as the gateway sent it, not decoded yet.
pub struct RawPage {
    bytes: Vec<u8>,
    url: String,
}

impl RawPage {
    /// The last key of the page and whether more follow, found without
    /// decoding the page: the gateway writes `"kvs":[{…"key":"<base64>"…}…],
    /// "more":true` and base64 holds no quotes. `None` when the page holds no
    /// key (or is shaped otherwise; then it is decoded first).
    fn peek(&self) -> Option<(Vec<u8>, bool)> {
        const KEY: &[u8] = b"\"key\":\"";
        let bytes = &self.bytes;
        let at = bytes.windows(KEY.len()).rposition(|w| w == KEY)? + KEY.len();
        let len = bytes[at..].iter().position(|b| *b == b'"')?;
        let key = base64::engine::general_purpose::STANDARD
            .decode(&bytes[at..at + len])
            .ok()?;
        let rest = &bytes[at + len..];
        let more = rest.windows(11).any(|w| w == b"\"more\":true");
        Some((key, more))
    }

    /// Decode the page (checking it against what [`RawPage::peek`] saw).
    pub fn decode(self) -> Result<RangePage> {
        let response: wire::RangeResponse = serde_json::from_slice(&self.bytes).map_err(|e| {
            super::transport::not_etcd(&self.url, &format!("the JSON does not match etcd's ({e})"))
        })?;
        let page = RangePage::from(response);
        if let Some((last, more)) = self.peek()
            && (page.kvs.last().map(|kv| &kv.key) != Some(&last) || page.more != more)
        {
            return Err(super::transport::not_etcd(
                &self.url,
                "a range page that does not end with its last key",
            ));
        }
        Ok(page)
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

    /// Read one page of a range, leaving it undecoded.
    pub async fn range_raw(&self, spec: &RangeSpec) -> Result<RawPage> {
        let body = serde_json::to_vec(&spec.wire())
            .map_err(|e| Error::unexpected(format!("cannot encode request: {e}")))?;
        let (bytes, url) = self
            .post("kv/range", body, Retry::Idempotent)
            .await
            .map_err(|e| self.on_key(e, &spec.key, "read"))?;
        Ok(RawPage { bytes, url })
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
/// stays bounded whatever the size of the range.
///
/// etcd counts the whole rest of the range for every page it answers with a
/// limit (about 0.3 µs a key), so many small pages of a large range cost time
/// that grows with the square of its size. Pages therefore start small (the
/// first keys arrive at once) and grow fourfold per page up to about
/// [`PAGE_BYTES`] of the gateway's JSON (and at most [`MAX_PAGE`] keys).
///
/// [`Pager::next`] reads one page after the other; [`Pager::plan`] with
/// [`Pager::accept_raw`] (or [`Pager::accept`]) let a caller ask for the next
/// page before it decodes and prints the current one.
pub struct Pager {
    spec: RangeSpec,
    /// Keys still wanted (None: all).
    remaining: Option<u64>,
    /// Keys to ask for in the next page (before `remaining` is applied).
    page: i64,
    /// Where the range ends (`spec.end` may be a guess short of it).
    end: Vec<u8>,
    /// The last page: the key it started at, its last key, how many keys.
    density: Option<(Vec<u8>, Vec<u8>, u64)>,
    done: bool,
    /// The range had more keys than `remaining` allowed.
    pub truncated: bool,
}

/// Keys in the first page.
pub const PAGE_SIZE: i64 = 1000;

/// The most keys in one page.
pub const MAX_PAGE: i64 = 32768;

/// About how many bytes of the gateway's JSON a page may hold.
pub const PAGE_BYTES: usize = 4 << 20;

/// Where, after `to`, about `want` more keys should end if keys go on as
/// densely as the `n` keys from `from` to `to` did: both read as numbers
/// from the first 8 bytes after their common prefix. `None` when they give
/// no such measure.
fn guess_end(from: &[u8], to: &[u8], n: u64, want: u64) -> Option<Vec<u8>> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    let number = |key: &[u8]| {
        let mut bytes = [0u8; 8];
        for (b, k) in bytes.iter_mut().zip(&key[common..]) {
            *b = *k;
        }
        u64::from_be_bytes(bytes)
    };
    let (a, z) = (number(from), number(to));
    let step = z.checked_sub(a)? / n.max(1);
    let end = z.checked_add(step.max(1).checked_mul(want)?)?;
    let mut key = to[..common].to_vec();
    key.extend_from_slice(&end.to_be_bytes());
    Some(key)
}

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
                end: Some(end.clone()),
                limit: PAGE_SIZE,
                revision,
                keys_only,
            },
            remaining: limit,
            page: PAGE_SIZE,
            end,
            density: None,
            done: false,
            truncated: false,
        }
    }

    /// The revision every page is read at (0 before the first page without --rev).
    pub fn revision(&self) -> i64 {
        self.spec.revision
    }

    /// Continue the range at `key` instead (skipping what lies before it).
    pub fn skip_to(&mut self, key: Vec<u8>) {
        if self.end != [0] && key >= self.end {
            self.done = true;
        }
        self.density = None;
        self.spec.key = key;
    }

    /// The request for the next page, or `None` when the range is exhausted.
    /// Hand its answer to [`Pager::accept`] before planning the one after.
    pub fn plan(&mut self) -> Option<RangeSpec> {
        if self.done {
            return None;
        }
        let mut limit = self.page;
        if let Some(remaining) = self.remaining {
            limit = limit.min(remaining as i64);
        }
        self.spec.limit = limit;
        // etcd counts every key from the start to the range end for a page:
        // end it where about two pages of keys should be, judging by the
        // last page, instead of at the end of the whole range. (Not with
        // --limit, which must tell whether keys follow.)
        let guess = match (&self.density, self.remaining) {
            (Some((from, to, n)), None) => guess_end(from, to, *n, 2 * self.page as u64)
                .filter(|g| *g > self.spec.key && (self.end == [0] || *g < self.end)),
            _ => None,
        };
        self.spec.end = Some(guess.unwrap_or_else(|| self.end.clone()));
        Some(self.spec.clone())
    }

    /// The range ends at a guess, short of its real end.
    fn guessed(&self) -> bool {
        self.spec.end.as_ref() != Some(&self.end)
    }

    /// Take in the answer to the request [`Pager::plan`] gave last.
    pub fn accept(&mut self, page: &RangePage) {
        if self.spec.revision == 0 {
            self.spec.revision = page.revision;
        }
        // The gateway's JSON of a key: its fields, key and value in base64.
        let json: usize = page
            .kvs
            .iter()
            .map(|kv| (kv.key.len() + kv.value.len()) * 4 / 3 + 120)
            .sum();
        let last = page.kvs.last().map(|kv| kv.key.clone());
        self.advance(page.kvs.len() as u64, json, last, page.more);
    }

    /// Take in the undecoded answer to the request [`Pager::plan`] gave last,
    /// so that the next page can be asked for before this one is decoded.
    /// False when that cannot be done (this page must be decoded and given to
    /// [`Pager::accept`] instead): the first page of an unpinned range, or a
    /// page without keys.
    pub fn accept_raw(&mut self, raw: &RawPage) -> bool {
        if self.spec.revision == 0 {
            return false;
        }
        let Some((last, more)) = raw.peek() else {
            return false;
        };
        if !more && self.guessed() {
            // How many keys the guessed stretch held: decode to count them.
            return false;
        }
        // A page with more after it is full; the last page is not counted.
        let count = if more { self.spec.limit as u64 } else { 1 };
        self.advance(count, raw.bytes.len(), Some(last), more);
        true
    }

    fn advance(&mut self, count: u64, json_bytes: usize, last: Option<Vec<u8>>, more: bool) {
        if let Some(remaining) = self.remaining.as_mut() {
            *remaining = remaining.saturating_sub(count);
            if *remaining == 0 {
                self.truncated = more;
                self.done = true;
            }
        }
        if let Some(per_key) = json_bytes.checked_div(count as usize) {
            let fits = (PAGE_BYTES / per_key.max(1)).max(1) as i64;
            self.page = (self.page * 4).min(fits).clamp(1, MAX_PAGE);
        }
        self.density = match &last {
            Some(last) if count > 0 => Some((self.spec.key.clone(), last.clone(), count)),
            _ => None,
        };
        match last {
            Some(mut next) if more => {
                next.push(0);
                self.spec.key = next;
            }
            // The guessed stretch is done; the range goes on after it.
            _ if self.guessed() && !self.done => {
                self.spec.key = self.spec.end.clone().unwrap_or_default();
            }
            _ => self.done = true,
        }
    }

    /// After `error` on the page [`Pager::plan`] gave last: when the page was
    /// too large for one answer (large values), the same page in half as
    /// many keys; `None` when the error stands.
    pub fn smaller(&mut self, error: &Error) -> Option<RangeSpec> {
        if self.spec.limit <= 1 || !super::transport::is_too_large(error) {
            return None;
        }
        self.page = (self.spec.limit / 2).max(1);
        self.plan()
    }

    /// Read the page `spec` planned, undecoded, smaller if it must be.
    pub async fn read_raw(&mut self, client: &Client, mut spec: RangeSpec) -> Result<RawPage> {
        loop {
            match client.range_raw(&spec).await {
                Err(error) => match self.smaller(&error) {
                    Some(less) => spec = less,
                    None => return Err(error),
                },
                page => return page,
            }
        }
    }

    /// The next page, or `None` when the range is exhausted.
    pub async fn next(&mut self, client: &Client) -> Result<Option<RangePage>> {
        let Some(spec) = self.plan() else {
            return Ok(None);
        };
        let page = self.read_raw(client, spec).await?.decode()?;
        self.accept(&page);
        Ok(Some(page))
    }
}

#[cfg(test)]
mod tests {
    use super::guess_end;

    #[test]
    fn range_ends_are_guessed_past_the_last_key() {
        // 128 keys k/<00>..k/<7f>: 64 more end about at k/<bf>.
        let end = guess_end(b"k/\x00", b"k/\x7f", 128, 64).unwrap();
        assert!(end.as_slice() > b"k/\xbe".as_slice() && end.as_slice() < b"k/\xc0".as_slice());
        let end = guess_end(b"k/0000", b"k/0999", 1000, 2000).unwrap();
        assert!(end.as_slice() > b"k/0999".as_slice());
        // Keys that give no measure, or a guess past the largest number.
        assert_eq!(guess_end(b"k/9", b"k/1", 10, 10), None);
        assert_eq!(guess_end(b"\x00", &[0xff; 8], 2, 9), None);
    }
}
