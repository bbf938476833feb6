//! The v3 wire: etcd's v3 API as it travels, over the JSON gateway (HTTP/1.1) and, for bulk
//! reads and snapshots, over gRPC on the same port. Decoded into the plain types the rest of
//! the client works with.

pub(in crate::client) mod auth;
pub(in crate::client) mod body;
pub(in crate::client) mod bulk;
pub(in crate::client) mod classify;
pub(in crate::client) mod cluster;
pub(in crate::client) mod failover;
pub(in crate::client) mod grpc;
pub(in crate::client) mod kv;
pub(in crate::client) mod lease;
pub(in crate::client) mod listing;
pub(in crate::client) mod lock;
pub(in crate::client) mod maintenance;
pub(in crate::client) mod pager;
pub(in crate::client) mod probe;
pub(in crate::client) mod range;
pub(in crate::client) mod roles;
pub(in crate::client) mod snapshot;
pub(in crate::client) mod stream;
pub(in crate::client) mod transport;
pub(in crate::client) mod txn;
pub(in crate::client) mod unary;
pub(in crate::client) mod watch;
pub(in crate::client) mod wire;
