//! `watch --initial`: the current state of a span, page by page in key order, all at one
//! revision R (the watch then starts at R + 1, so nothing between the two is lost or
//! doubled). v3 reads it with the [`Pages`] pager (bounded memory: a page and the one read
//! ahead); v2 reads the subtree at one index, as its API only can.

use super::error::Result;
use super::{Client, KeyValue, Paged, Pages, V2};
use crate::keys::KeySpan;

/// The keys of a span at one revision, in key order.
#[allow(async_fn_in_trait)]
pub trait Listing {
    /// The next page (possibly empty after filtering); `None` at the end.
    async fn next_page(&mut self) -> Result<Option<Vec<KeyValue>>>;
    /// The revision (v2: index) every page is read at; known once the first page was read.
    fn revision(&self) -> i64;
    /// The ID of the cluster the keys are read from (`watch --checkpoint` records it).
    async fn cluster_id(&self) -> Result<u64> {
        Err(super::Error::new(
            super::Kind::Unsupported,
            "watch --checkpoint is not available with --api v2 (etcd's v2 API)",
        ))
    }
}

/// v3: a span's keys through the pager, over the range that covers it, the few keys of that
/// range outside the span (`KEY-x` with -r) dropped.
pub struct SpanPages<'a> {
    client: &'a Client,
    pages: Pages<'a>,
    span: KeySpan,
}

impl Client {
    /// The keys of `span` now, page by page.
    pub fn listing(&self, span: &KeySpan) -> SpanPages<'_> {
        let (start, end) = span.covering();
        let end = end.unwrap_or_else(|| {
            let mut end = start.clone();
            end.push(0);
            end
        });
        SpanPages {
            client: self,
            pages: Pages::new(self, (start, end), 0, false, None),
            span: span.clone(),
        }
    }
}

impl Listing for SpanPages<'_> {
    async fn next_page(&mut self) -> Result<Option<Vec<KeyValue>>> {
        let Some(page) = self.pages.next().await? else {
            return Ok(None);
        };
        let span = &self.span;
        Ok(Some(
            page.kvs
                .into_iter()
                .filter(|kv| span.contains(&kv.key))
                .collect(),
        ))
    }

    fn revision(&self) -> i64 {
        self.pages.revision()
    }

    async fn cluster_id(&self) -> Result<u64> {
        self.client.cluster_id().await
    }
}

/// v2: the subtree read at one index, handed out as one page.
pub struct V2Listing<'a> {
    v2: &'a V2<'a>,
    span: KeySpan,
    index: i64,
    done: bool,
}

impl<'a> V2<'a> {
    /// The keys of `span` now (one quorum read of the subtree).
    pub fn listing(&'a self, span: &KeySpan) -> V2Listing<'a> {
        V2Listing {
            v2: self,
            span: span.clone(),
            index: 0,
            done: false,
        }
    }
}

impl Listing for V2Listing<'_> {
    async fn next_page(&mut self) -> Result<Option<Vec<KeyValue>>> {
        if self.done {
            return Ok(None);
        }
        self.done = true;
        let (node, index) = self.v2.subtree(&self.span).await?;
        self.index = index;
        let Some(node) = node else {
            return Ok(Some(Vec::new()));
        };
        Ok(Some(node.leaves().into_iter().map(|n| n.kv()).collect()))
    }

    fn revision(&self) -> i64 {
        self.index
    }
}
