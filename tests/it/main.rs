//! The one integration-test binary (docs/style.md, "Tests"): one link step for all tests.

mod api_v2;
mod auth;
mod bad_input;
mod bytes;
mod cmd_cluster;
mod cmd_cluster_reach;
mod cmd_get;
mod cmd_lock;
mod cmd_refresh;
mod cmd_rm;
mod cmd_set;
mod cmd_start;
mod cmd_wait;
mod cmd_watch;
mod connect;
mod dns;
mod docs;
mod dump_load;
mod elect;
mod ergonomics;
mod failover;
mod frozen;
mod generated;
mod grpc;
mod harness_smoke;
mod help;
mod hostile;
// issue 29: Ctrl-C at a terminal; etcdctl habits.
mod habits;
mod interrupt;
mod json_schema;
mod lock_admin;
mod lock_failure;
mod migrate;
mod operator;
mod proxy;
mod semaphore;
mod snapshot;
mod terminal;
mod tls;
mod upgrade;
mod watch_faults;
mod watch_frozen;
mod watch_initial;

mod support;
