//! Plan and apply: bring a span of the v3 keyspace to the keys a [`Source`] wants (`load`
//! from a dump file; `migrate` from the v2 store). The plan compares the wanted keys with the
//! span as read at one revision, page by page (both sides in key order, so neither is held
//! whole): each key is to create, to update, unchanged, or (with `prune`) to delete. Applying
//! walks the same comparison again at the same revision and writes in transactions of at most
//! `max_ops` operations, each guarded by the mod revisions the plan saw: a key changed since
//! aborts its batch (reported with the keys that changed), never half of it. Wanted TTLs become
//! leases, one per remaining TTL in seconds (keys expiring within the same second share one).
//!
//! - `wanted.rs`: what a source wants ([`Wanted`], [`Source`]), what may be pruned, and the
//!   revisions migrate wrote itself ([`OwnWrites`]);
//! - `counts.rs`: the plan's actions and what applying did;
//! - `plan.rs`: [`Transfer`] (plan, apply) and the walk that compares both sides;
//! - `batch.rs`: one guarded transaction, sent again when it may not have landed, and the
//!   leases the wanted TTLs get;
//! - `window.rs`: the batches in flight at once (over gRPC's `KV/Txn` where the endpoint
//!   carries it), and what became of each for a load that ends part way.

mod batch;
mod counts;
mod plan;
mod wanted;
mod window;

pub use counts::{Aborted, Action, Applied, Counts};
pub use plan::Transfer;
pub use wanted::{OwnWrites, Prune, Source, Wanted};
