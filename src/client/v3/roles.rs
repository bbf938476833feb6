//! The v3 client in its roles beside [`Keys`] (`recipes.rs`): watching a span, a lock queue on
//! a session, the cluster's members; and itself for what only v3 has.

use crate::client::error::Result;
use crate::client::roles::{Backend, Cluster, Locks, V3Only, Watching};
use crate::client::{Client, ClusterView, Mutex, Recipe, Session, SpanPages, SpanWatch};
use crate::keys::KeySpan;

impl Watching for Client {
    type Changes<'a> = SpanWatch<'a>;
    type Listing<'a> = SpanPages<'a>;

    fn watch(&self, span: &KeySpan, start_revision: i64, prev: bool) -> Result<SpanWatch<'_>> {
        Ok(SpanWatch::new(self, span, start_revision, prev))
    }

    fn listing(&self, span: &KeySpan) -> SpanPages<'_> {
        Client::listing(self, span)
    }
}

impl Locks for Client {
    type Lock<'a> = Mutex<'a>;

    /// etcd's recipe: a lease granted for the lock (a [`Session`]), the queue on it.
    async fn lock_queue(&self, name: Vec<u8>, ttl: u64, recipe: Recipe) -> Result<Mutex<'_>> {
        Ok(Mutex::with(Session::grant(self, ttl).await?, name, recipe))
    }
}

impl Cluster for Client {
    async fn cluster_view(&self) -> Result<ClusterView> {
        Client::cluster_view(self).await
    }
}

impl Backend for Client {
    fn v3(&self, _what: V3Only) -> Result<&Client> {
        Ok(self)
    }
}
