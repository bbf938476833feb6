//! v3's listings for `get` and `dump`: a range page by page (the next pages read while one is
//! handed out), and one directory level with each sub-directory once, whose keys are jumped
//! over instead of read.

use crate::client::error::Result;
use crate::client::roles::{Entry, Leveled, Paged};
use crate::client::v3::kv::{Page, Pager};
use crate::client::v3::stream::{RangeStream, Streamed};
use crate::client::{Client, RangePage, RangeSpec};
use crate::keys::prefix_end;

/// The keys of a range, page by page in key order, all at one revision:
/// through etcd 3.7's RangeStream where the server has it (`stream.rs`), else
/// with the next pages read while one is handed out.
pub struct Pages<'a> {
    client: &'a Client,
    /// The range as one stream, until the server is found without it.
    stream: Option<RangeStream>,
    /// Where the range ends, and whether keys only are read (for a pager that
    /// takes over from the stream).
    end: Vec<u8>,
    keys_only: bool,
    pager: Pager,
    /// A limit of 0: no page is read, only whether the range holds a key.
    probe: Option<RangeSpec>,
    more: bool,
}

impl<'a> Pages<'a> {
    pub(in crate::client) fn new(
        client: &'a Client,
        (start, end): (Vec<u8>, Vec<u8>),
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Pages<'a> {
        let probe = (limit == Some(0)).then(|| RangeSpec {
            end: Some(end.clone()),
            limit: 1,
            revision,
            keys_only: true,
            ..RangeSpec::key(&start)
        });
        let stream = (limit != Some(0) && client.may_stream())
            .then(|| RangeStream::new(start.clone(), end.clone(), revision, keys_only, limit));
        let pager = Pager::new(start, end.clone(), revision, keys_only, limit);
        Pages {
            client,
            stream,
            end,
            keys_only,
            pager,
            probe,
            more: false,
        }
    }

    /// The next chunk of the stream; `None` when the rest is read page by page.
    async fn streamed(&mut self) -> Result<Option<Option<RangePage>>> {
        let Some(stream) = self.stream.as_mut() else {
            return Ok(None);
        };
        match stream.next(self.client).await? {
            Streamed::Page(page) => Ok(Some(Some(page))),
            Streamed::End => Ok(Some(None)),
            Streamed::Paged => {
                let (key, limit) = stream.rest();
                let revision = stream.revision();
                self.pager = Pager::new(key, self.end.clone(), revision, self.keys_only, limit);
                self.stream = None;
                Ok(None)
            }
        }
    }
}

impl Paged for Pages<'_> {
    async fn next(&mut self) -> Result<Option<RangePage>> {
        if let Some(probe) = self.probe.take() {
            self.more = !self.client.range(&probe).await?.kvs.is_empty();
        }
        if let Some(page) = self.streamed().await? {
            return Ok(page);
        }
        self.pager
            .next_ahead(self.client)
            .await?
            .map(Page::decode)
            .transpose()
    }

    fn revision(&self) -> i64 {
        self.stream
            .as_ref()
            .map_or(self.pager.revision(), RangeStream::revision)
    }

    fn truncated(&self) -> bool {
        self.pager.truncated
            || self.more
            || self.stream.as_ref().is_some_and(RangeStream::truncated)
    }
}

/// The level directly below a directory `DIR/`, page by page: keys with
/// their values, sub-directories once, whose keys are jumped over instead
/// of read.
pub struct Level<'a> {
    client: &'a Client,
    pager: Pager,
    dir: Vec<u8>,
    last_sub: Option<Vec<u8>>,
    /// Entries still wanted.
    left: u64,
    /// There were more entries than the limit allowed.
    truncated: bool,
}

impl<'a> Level<'a> {
    pub(in crate::client) fn new(
        client: &'a Client,
        dir: Vec<u8>,
        revision: i64,
        keys_only: bool,
        limit: Option<u64>,
    ) -> Level<'a> {
        let pager = Pager::new(dir.clone(), prefix_end(&dir), revision, keys_only, None);
        Level {
            client,
            pager,
            dir,
            last_sub: None,
            left: limit.unwrap_or(u64::MAX),
            truncated: false,
        }
    }
}

impl Leveled for Level<'_> {
    async fn next(&mut self) -> Result<Option<Vec<Entry>>> {
        if self.truncated {
            return Ok(None);
        }
        let Some(page) = self.pager.next(self.client).await? else {
            return Ok(None);
        };
        let last_key = page.kvs.last().map(|kv| kv.key.clone());
        let mut entries = Vec::new();
        for kv in page.kvs {
            let rest = &kv.key[self.dir.len()..];
            let entry_sub = rest
                .iter()
                .position(|b| *b == b'/')
                .map(|i| kv.key[..self.dir.len() + i + 1].to_vec());
            if entry_sub.is_some() && entry_sub == self.last_sub {
                continue;
            }
            if self.left == 0 {
                self.truncated = true;
                return Ok(Some(entries));
            }
            self.left -= 1;
            match entry_sub {
                Some(sub) => {
                    self.last_sub = Some(sub.clone());
                    entries.push(Entry::Dir(sub));
                }
                None => entries.push(Entry::Key(kv)),
            }
        }
        // Jump over the rest of a sub-directory instead of reading it.
        if let (Some(sub), Some(last)) = (&self.last_sub, last_key)
            && last.starts_with(sub)
        {
            self.pager.skip_to(prefix_end(sub));
        }
        Ok(Some(entries))
    }

    fn revision(&self) -> i64 {
        self.pager.revision()
    }

    fn truncated(&self) -> bool {
        self.truncated
    }
}
