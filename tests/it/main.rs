//! The one integration-test binary (docs/style.md, "Tests"): one link step for all tests.

mod auth;
mod bytes;
mod certs;
mod cluster;
mod cmd_cluster;
mod cmd_get;
mod cmd_lock;
mod cmd_refresh;
mod cmd_rm;
mod cmd_set;
mod cmd_watch;
mod connect;
mod dns;
mod docs;
mod generated;
mod harness;
mod harness_smoke;
mod hostile;
mod json_schema;
mod proxy;
mod terminal;
mod tls;
mod util;
mod watch_faults;
