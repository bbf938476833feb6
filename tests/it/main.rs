//! The one integration-test binary (docs/style.md, "Tests"): one link step for all tests.
//!
//! One suite per command, `cmd_<command>` (a command's subcommands and variants are modules
//! inside it: `cmd_lock::limit`, `cmd_watch::initial`), each running its API-neutral cases on
//! `--api v3` and, where the server has it, `--api v2`; suites across commands are named by
//! their topic. A suite imports only `support` (checked by `support_is_the_only_shared_module`
//! in `harness_smoke`), never another suite.

// Command suites.
mod cmd_compact;
mod cmd_context;
mod cmd_defrag;
mod cmd_diff;
mod cmd_du;
mod cmd_edit;
mod cmd_elect;
mod cmd_get;
mod cmd_history;
mod cmd_leader;
mod cmd_lease;
mod cmd_load;
mod cmd_lock;
mod cmd_members;
mod cmd_migrate;
mod cmd_move_leader;
mod cmd_refresh;
mod cmd_rm;
// rollback (issue 26)
mod cmd_rollback;
mod cmd_set;
mod cmd_snapshot;
mod cmd_wait;
mod cmd_watch;

// Suites across commands.
mod api_v2;
mod auth;
mod bad_input;
mod bytes;
mod cluster_reach;
mod connect;
mod dns;
mod docs;
mod ergonomics;
mod failover;
mod frozen;
mod generated;
mod grpc;
mod habits;
mod harness_smoke;
mod help;
mod hostile;
mod interrupt;
mod json_schema;
mod proxy;
mod terminal;
mod tls;
mod unstartable;
mod upgrade;

// What the suites share: harness, drivers, fixtures, the JSON schema.
mod support;
