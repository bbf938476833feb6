//! What the suites share, and the only thing a test module may import from another file
//! (`tests/it/main.rs` checks it): the harness (etcd servers, `etcdpy` runs), clusters, the
//! etcdctl and python-etcd drivers, child processes, the nginx proxy, the pty, certificates,
//! servers with auth or TLS, bytes that are not text, large listings, and the JSON schema.
//! The helpers every lock and watch suite uses are re-exported here (`crate::support::finish`).

pub mod api;
pub mod auth;
pub mod bytes;
pub mod certs;
pub mod child;
pub mod cluster;
pub mod etcdctl;
pub mod harness;
pub mod listing;
pub mod lock;
pub mod proxy;
pub mod pty;
pub mod pyetcd;
pub mod schema;
pub mod tls;
pub mod util;
pub mod watch;

pub use child::{Lines, exit_code, finish, first_line, kill, read, sh, stderr_of, wait_for};
pub use etcdctl::Etcdctl;
pub use lock::{lock_cmd, namespace};
pub use schema::EventDoc;
