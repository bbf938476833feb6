//! `watch --initial` on v2: the subtree read at one index (v2 cannot read the past, so the
//! whole span comes in one read), handed out as one page; v3's pager is in `../initial.rs`.

use super::V2;
use crate::client::KeyValue;
use crate::client::error::Result;
use crate::client::roles::Listing;
use crate::keys::KeySpan;

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
