//! The pager: a range read page by page at one pinned revision, in stretches whose ends are
//! guessed from how densely keys lie, up to [`AHEAD`] of them read at the same time.

use crate::client::Client;
use crate::client::error::{Error, Kind, Result};
use crate::client::v3::bulk::{RawPage, Wire};
use crate::client::v3::range::{RangePage, RangeSpec};

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
