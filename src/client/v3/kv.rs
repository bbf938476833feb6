//! Key-value calls: range (one page), put, delete, and transactions, with
//! their answers decoded into plain types.

use crate::client::error::{Error, Kind, Result};
use crate::client::v3::transport::Silence;
use crate::client::v3::wire;
use crate::client::{Client, Retry};
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
    bytes: Vec<u8>,
    url: String,
    wire: Wire,
    /// What [`RawPage::peek`] found, once, where the page was read.
    peeked: Option<Peeked>,
}

impl RawPage {
    pub(in crate::client) fn new(bytes: Vec<u8>, url: String, wire: Wire) -> RawPage {
        let mut raw = RawPage {
            bytes,
            url,
            wire,
            peeked: None,
        };
        raw.peeked = match wire {
            Wire::Json => raw.peek(),
            Wire::Grpc => crate::client::v3::grpc::peek(raw.message()),
        };
        raw
    }

    /// A gRPC page's protobuf message, after the frame's 5-byte header.
    fn message(&self) -> &[u8] {
        self.bytes.get(5..).unwrap_or_default()
    }

    /// The page's size on the wire, when the pager should count it rather
    /// than estimate the gateway's JSON from the keys (gRPC).
    fn wire_size(&self) -> Option<usize> {
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
                        crate::client::v3::transport::not_etcd(
                            &self.url,
                            &format!("the JSON does not match etcd's ({e})"),
                        )
                    })?;
                RangePage::from(response)
            }
            Wire::Grpc => crate::client::v3::grpc::decode_message(&self.url, self.message())?,
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
            return Err(crate::client::v3::transport::not_etcd(
                &self.url,
                "a range page whose keys do not add up",
            ));
        }
        Ok(page)
    }
}

/// What [`RawPage::peek`] (or `grpc::peek`) finds.
pub(in crate::client) struct Peeked {
    pub(in crate::client) first: Vec<u8>,
    pub(in crate::client) last: Vec<u8>,
    pub(in crate::client) more: bool,
    pub(in crate::client) count: u64,
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
    ) -> crate::client::v3::transport::Attempt<RawPage> {
        use crate::client::v3::transport::Attempt;
        if self.grpc_at(index) {
            match self.grpc_range(index, spec, json, token).await {
                crate::client::v3::grpc::Outcome::Answered(attempt) => {
                    return attempt.map(|(bytes, url)| RawPage::new(bytes, url, Wire::Grpc));
                }
                crate::client::v3::grpc::Outcome::NotHere(why)
                    if self.transport == crate::client::Transport::Grpc =>
                {
                    return Attempt::Failed {
                        error: crate::client::v3::grpc::refused_pin(&why),
                        next: true,
                        reached: false,
                    };
                }
                crate::client::v3::grpc::Outcome::NotHere(_) => {
                    self.set_route(index, crate::client::v3::grpc::Route::Gateway);
                }
            }
        }
        self.attempt_at(index, "kv/range", json.to_vec(), Retry::Idempotent, token)
            .await
            .map(|(bytes, url)| RawPage::new(bytes, url, Wire::Json))
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
        let request = wire::TxnRequest {
            compare: compare.iter().map(Compare::wire).collect(),
            success: success.iter().map(Op::wire).collect(),
            failure: failure.iter().map(Op::wire).collect(),
        };
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
/// Once a page shows how densely keys lie, the range is cut into stretches
/// that end where about a page of keys should end, so that etcd counts no
/// further than that. Stretches are independent, so [`Pager::next_ahead`]
/// reads up to [`AHEAD`] of them at the same time (etcd answers them on
/// several cores) and hands out their pages in key order; a stretch that
/// held more keys than one page is finished before the ones after it. Where
/// no guess can be made (no density yet, keys that read as no numbers, or
/// `--limit`), the next page is asked for as soon as the last one answered,
/// before it is decoded. [`Pager::next`] reads one page after the other.
pub struct Pager {
    /// The revision and keys_only of every request.
    spec: RangeSpec,
    /// Keys still wanted (None: all).
    remaining: Option<u64>,
    /// Keys to ask for in the next stretch.
    page: i64,
    /// The most keys a page may hold (about [`PAGE_BYTES`]), once measured.
    fits: Option<i64>,
    /// Where the range ends.
    end: Vec<u8>,
    /// Where the next stretch starts; `None` while the answer that tells is awaited.
    cursor: Option<Vec<u8>>,
    /// The last page that measured how densely keys lie: its first and
    /// last key, how many keys.
    density: Option<(Vec<u8>, Vec<u8>, u64)>,
    /// The rest of a stretch that held more than one page.
    continuation: Option<RangeSpec>,
    /// Stretches being read, in the order they were planned.
    reading: std::collections::VecDeque<Reading>,
    done: bool,
    /// The range had more keys than `remaining` allowed.
    pub truncated: bool,
}

/// Keys in the first page.
pub const PAGE_SIZE: i64 = 1000;

/// The most keys in one page.
pub const MAX_PAGE: i64 = 32768;

/// About how many bytes of the gateway's JSON a page may hold.
pub const PAGE_BYTES: usize = 2 << 20;

/// Where, after `base`, about `want` more keys should end if keys go on as
/// densely as the `n` keys from `from` to `to` (both included) did. `None`
/// when they give no such measure.
///
/// Keys are read as numbers from where `from` and `to` differ (including
/// the digits of a number they share the start of): a position where both
/// hold a decimal digit counts in tens, any other in bytes. Only how many
/// keys a stretch holds depends on the guess, never which keys are read.
fn guess_end(from: &[u8], to: &[u8], n: u64, base: &[u8], want: u64) -> Option<Vec<u8>> {
    let mut common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    while common > 0 && to[common - 1].is_ascii_digit() {
        common -= 1;
    }
    let prefix = &to[..common];
    if !base.starts_with(prefix) {
        return None;
    }
    let at = |key: &[u8], p: usize| key.get(common + p).copied();
    let mut radix = Vec::new();
    let mut span: u64 = 1;
    for p in 0.. {
        let r = match (at(from, p), at(to, p)) {
            (None, None) => break,
            (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => 10,
            _ => 256,
        };
        let Some(more) = span.checked_mul(r) else {
            break;
        };
        span = more;
        radix.push(r);
    }
    let number = |key: &[u8]| {
        radix.iter().enumerate().fold(0u64, |acc, (p, &r)| {
            let byte = at(key, p).unwrap_or(0);
            let digit = if r == 10 {
                u64::from(byte.clamp(b'0', b'9') - b'0')
            } else {
                u64::from(byte)
            };
            acc * r + digit
        })
    };
    let step = number(to).checked_sub(number(from))? / n.saturating_sub(1).max(1);
    let mut end = number(base).checked_add(step.max(1).checked_mul(want)?)?;
    if end >= span {
        return None;
    }
    let mut tail = vec![0u8; radix.len()];
    for (byte, &r) in tail.iter_mut().zip(&radix).rev() {
        let digit = (end % r) as u8;
        *byte = if r == 10 { b'0' + digit } else { digit };
        end /= r;
    }
    let mut key = prefix.to_vec();
    key.extend_from_slice(&tail);
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
                revision,
                keys_only,
                ..RangeSpec::key(&key)
            },
            remaining: limit,
            page: PAGE_SIZE,
            fits: None,
            end,
            cursor: Some(key),
            density: None,
            continuation: None,
            reading: Default::default(),
            done: limit == Some(0),
            truncated: false,
        }
    }

    /// The revision every page is read at (0 before the first page without --rev).
    pub fn revision(&self) -> i64 {
        self.spec.revision
    }

    /// Continue the range at `key` instead (skipping what lies before it).
    /// Only between pages, with no stretch outstanding.
    pub fn skip_to(&mut self, key: Vec<u8>) {
        if self.end != [0] && key >= self.end {
            self.done = true;
        }
        self.density = None;
        if self.cursor.as_ref().is_none_or(|at| key > *at) {
            self.cursor = Some(key);
        }
    }

    /// The request for the next stretch, or `None` when there is none to ask
    /// for now: the range is exhausted, or where the next stretch starts
    /// depends on an answer still outstanding.
    fn plan(&mut self) -> Option<RangeSpec> {
        if self.done {
            return None;
        }
        let key = self.cursor.take()?;
        let mut limit = self.page;
        if let Some(remaining) = self.remaining {
            limit = limit.min(remaining as i64);
        }
        // Not with --limit, which must tell whether keys follow.
        let guess = match (&self.density, self.remaining) {
            (Some((from, to, n)), None) => guess_end(from, to, *n, &key, self.page as u64)
                .filter(|g| *g > key && (self.end == [0] || *g < self.end)),
            _ => None,
        };
        if guess.is_some() {
            // Room for keys that lie somewhat denser than guessed.
            limit += limit / 2;
        }
        self.cursor.clone_from(&guess);
        if let Some(fits) = self.fits {
            self.page = (self.page * 4).min(fits).clamp(1, MAX_PAGE);
        }
        Some(RangeSpec {
            key,
            end: Some(guess.unwrap_or_else(|| self.end.clone())),
            limit,
            ..self.spec.clone()
        })
    }

    /// Take in the answer to `spec` (planned by [`Pager::plan`], or
    /// narrowed by [`read_raw`]), in the order the stretches were planned;
    /// `size`: its size on the wire when known (gRPC).
    fn accept(&mut self, spec: &RangeSpec, page: &RangePage, size: Option<usize>) {
        if self.spec.revision == 0 {
            self.spec.revision = page.revision;
        }
        // Else the gateway's JSON of a key: its fields, key and value in base64.
        let json: usize = size.unwrap_or_else(|| {
            page.kvs
                .iter()
                .map(|kv| (kv.key.len() + kv.value.len()) * 4 / 3 + 120)
                .sum()
        });
        let ends = page
            .kvs
            .first()
            .zip(page.kvs.last())
            .map(|(first, last)| (first.key.clone(), last.key.clone()));
        self.advance(spec, page.kvs.len() as u64, json, ends, page.more);
    }

    /// Take in the undecoded answer to `spec`, so that the next stretch can
    /// be asked for before this one is decoded. False when that cannot be
    /// done (this page must be decoded and given to [`Pager::accept`]
    /// instead): the first page of an unpinned range, or a page without keys.
    fn accept_raw(&mut self, spec: &RangeSpec, raw: &RawPage) -> bool {
        if self.spec.revision == 0 {
            return false;
        }
        let Some(p) = &raw.peeked else {
            return false;
        };
        let ends = Some((p.first.clone(), p.last.clone()));
        self.advance(spec, p.count, raw.bytes.len(), ends, p.more);
        true
    }

    fn advance(
        &mut self,
        spec: &RangeSpec,
        count: u64,
        json_bytes: usize,
        ends: Option<(Vec<u8>, Vec<u8>)>,
        more: bool,
    ) {
        if let Some(remaining) = self.remaining.as_mut() {
            *remaining = remaining.saturating_sub(count);
            if *remaining == 0 {
                self.truncated = more;
                self.done = true;
            }
        }
        if let Some(per_key) = json_bytes.checked_div(count as usize) {
            let fits = (PAGE_BYTES / per_key.max(1)).max(1) as i64;
            if self.fits.is_none() {
                self.page *= 4;
            }
            self.fits = Some(fits);
            self.page = self.page.min(fits).clamp(1, MAX_PAGE);
        }
        let guessed = spec.end.as_ref() != Some(&self.end);
        self.density = match &ends {
            // Far fewer keys than planned: keys lie unevenly, stop guessing
            // (until a page measures again).
            _ if guessed && count * 4 < spec.limit as u64 => None,
            Some((first, last)) if count > 1 => Some((first.clone(), last.clone(), count)),
            _ => None,
        };
        match ends {
            Some((_, mut next)) if more && !self.done => {
                next.push(0);
                // Stretches being read were all planned after this one.
                if self.reading.is_empty() {
                    // Nothing was planned after this stretch: go on from here.
                    self.cursor = Some(next);
                } else {
                    self.continuation = Some(RangeSpec {
                        key: next,
                        end: spec.end.clone(),
                        limit: self.page,
                        ..self.spec.clone()
                    });
                }
            }
            _ if !guessed => self.done = true,
            // A guessed stretch is done; what follows it is planned already.
            _ => {}
        }
    }

    /// The next page of the range, with up to [`AHEAD`] stretches being
    /// read at the same time; `None` when the range is exhausted. The page
    /// is left undecoded where it can be, so that decoding it overlaps
    /// reading the next ones.
    pub async fn next_ahead(&mut self, client: &Client) -> Result<Option<Page>> {
        self.read_ahead(client);
        let Some(reading) = self.reading.pop_front() else {
            return Ok(None);
        };
        let (spec, raw) = reading
            .await
            .map_err(|e| Error::unexpected(format!("a range read stopped: {e}")))??;
        let page = if self.accept_raw(&spec, &raw) {
            Page::Raw(raw)
        } else {
            let size = raw.wire_size();
            let page = raw.decode()?;
            self.accept(&spec, &page, size);
            Page::Decoded(page)
        };
        if let Some(rest) = self.continuation.take() {
            self.reading.push_front(read_in_background(client, rest));
        }
        self.read_ahead(client);
        // Let the requests just started go out before the caller decodes.
        tokio::task::yield_now().await;
        Ok(Some(page))
    }

    /// Start reading stretches until [`AHEAD`] are being read, or no more
    /// can be planned now.
    fn read_ahead(&mut self, client: &Client) {
        while self.reading.len() < AHEAD {
            let Some(spec) = self.plan() else { break };
            self.reading.push_back(read_in_background(client, spec));
        }
    }

    /// The next page, or `None` when the range is exhausted; one stretch at
    /// a time.
    pub async fn next(&mut self, client: &Client) -> Result<Option<RangePage>> {
        let Some(spec) = self.plan() else {
            return Ok(None);
        };
        let (spec, raw) = read_raw(client, spec).await?;
        let size = raw.wire_size();
        let page = raw.decode()?;
        self.accept(&spec, &page, size);
        Ok(Some(page))
    }
}

/// For the fuzz targets: `bytes` as the answer to a stretch of `get -r`,
/// peeked at and taken in by a pager (which plans the next stretch), then
/// decoded.
pub(in crate::client) fn take_page(bytes: &[u8], url: &str) -> Result<RangePage> {
    take_raw(RawPage::new(bytes.to_vec(), url.to_string(), Wire::Json))
}

/// For the fuzz targets: a page of `get -r` as it came, taken in by a pager
/// (which plans the next stretch), then decoded.
pub(in crate::client) fn take_raw(raw: RawPage) -> Result<RangePage> {
    let mut pager = Pager::new(b"k/".to_vec(), b"k0".to_vec(), 1, false, None);
    if let Some(spec) = pager.plan()
        && pager.accept_raw(&spec, &raw)
    {
        let _ = pager.plan();
    }
    let size = raw.wire_size();
    let spec = pager.plan();
    let page = raw.decode()?;
    if let Some(spec) = spec {
        pager.accept(&spec, &page, size);
        let _ = pager.plan();
    }
    Ok(page)
}

/// How many stretches of a range [`Pager::next_ahead`] reads at the same time.
pub const AHEAD: usize = 2;

/// A page of a range, decoded already or not yet.
pub enum Page {
    Raw(RawPage),
    Decoded(RangePage),
}

impl Page {
    pub fn decode(self) -> Result<RangePage> {
        match self {
            Page::Raw(raw) => raw.decode(),
            Page::Decoded(page) => Ok(page),
        }
    }
}

/// [`read_raw`] as a task of its own.
fn read_in_background(client: &Client, spec: RangeSpec) -> Reading {
    let client = client.clone();
    tokio::spawn(async move { read_raw(&client, spec).await })
}

/// A stretch being read.
type Reading = tokio::task::JoinHandle<Result<(RangeSpec, RawPage)>>;

/// Read the stretch `spec` undecoded; when its answer is too large for one
/// response (large values), in half as many keys, as often as needed. The
/// request that was answered comes back with the answer.
async fn read_raw(client: &Client, mut spec: RangeSpec) -> Result<(RangeSpec, RawPage)> {
    loop {
        match client.range_raw(&spec).await {
            Err(error) if spec.limit > 1 && error.kind == Kind::TooLarge => {
                spec.limit /= 2;
            }
            Err(error) => return Err(error),
            Ok(page) => return Ok((spec, page)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::guess_end;

    #[test]
    fn range_ends_are_guessed_past_the_last_key() {
        // 128 keys k/<00>..k/<7f>: 64 more end about at k/<bf>.
        let end = guess_end(b"k/\x00", b"k/\x7f", 128, b"k/\x7f\x00", 64).unwrap();
        assert!(end.as_slice() > b"k/\xbe".as_slice() && end.as_slice() < b"k/\xc0".as_slice());
        // Zero-padded numbers count in tens, the shared leading zeros too.
        let end = guess_end(b"k/00000000", b"k/00000999", 1000, b"k/00000999\x00", 4000);
        assert_eq!(end.as_deref(), Some(b"k/00004999".as_slice()));
        let next = guess_end(b"k/00000000", b"k/00000999", 1000, b"k/00004999", 4000);
        assert_eq!(next.as_deref(), Some(b"k/00008999".as_slice()));
        // Keys that give no measure, a guess past the largest number, or a
        // base outside the measured prefix.
        assert_eq!(guess_end(b"k/9", b"k/1", 10, b"k/1", 10), None);
        assert_eq!(guess_end(b"k/0", b"k/8", 9, b"k/8", 10), None);
        assert_eq!(guess_end(b"k/0000", b"k/0999", 1000, b"l/", 1000), None);
    }
}
