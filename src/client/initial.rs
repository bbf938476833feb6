//! `watch --initial`: the current state of a span, page by page in key order, all at one
//! revision R (the watch then starts at R + 1, so nothing between the two is lost or
//! doubled). v3 reads it with the [`Pages`] pager (bounded memory: a page and the one read
//! ahead); v2 reads the subtree at one index, as its API only can (`v2/listing.rs`). Both
//! implement [`Listing`] (in `roles.rs`, with the other role traits).

use super::error::Result;
use super::roles::{Listing, Paged};
use super::{Client, KeyValue, Pages};
use crate::keys::KeySpan;

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
