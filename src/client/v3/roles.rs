//! The v3 client in its roles beside [`Keys`] (`recipes.rs`): watching a span, a lock queue on
//! a session (and its [`Mutex`] as [`Locking`]), the cluster's members; and itself for what
//! only v3 has.

use crate::client::error::Result;
use crate::client::roles::{Backend, Cluster, Locking, Locks, V3Only, Watching};
use crate::client::{Client, ClusterView, Mutex, Recipe, Session, SpanPages, SpanWatch};
use crate::client::{Held, Lost, Waited, Watcher};
use crate::keys::KeySpan;
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

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

impl Locking for Mutex<'_> {
    fn name(&self) -> &[u8] {
        Mutex::name(self)
    }
    fn what(&self) -> String {
        Mutex::what(self)
    }
    fn ttl(&self) -> Duration {
        self.session().ttl()
    }
    fn renewed(&self) -> Instant {
        self.session().renewed()
    }
    fn lease(&self) -> Option<i64> {
        Some(self.session().lease())
    }
    async fn acquire<S: Future>(
        &self,
        timeout: Option<Duration>,
        stop: S,
        watcher: Option<Watcher<'_>>,
    ) -> Result<Waited<S::Output>> {
        Mutex::acquire(self, timeout, stop, watcher).await
    }
    async fn keep(&self, held: &Held, give_up_after: Duration, on_renew: &dyn Fn(Instant)) -> Lost {
        Mutex::keep(self, held, give_up_after, on_renew).await
    }
    async fn release(&self) -> Result<()> {
        Mutex::release(self).await
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
