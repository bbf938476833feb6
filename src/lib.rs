//! etcdpy: a command-line client for etcd's v3 API (its HTTP/JSON gateway, and
//! gRPC for bulk reads) and, with `--api v2`, its v2 API (python-etcd's keyspace).
//!
//! Data flows one way: [`cli`] (what was typed: the only clap, with each
//! command's Args) → [`config`] (resolved once) → [`commands`] (one file per
//! subcommand, written once for both APIs against the client's role traits;
//! the dispatcher picks the backend) → [`client`] (`client::v3`, the v3 wire,
//! and `client::v2`, behind one request path; never prints) → [`output`] (text
//! or JSON). Leaves below them all: [`keys`], [`duration`], [`text`], [`exit`]
//! (the one table of exit codes), [`error`] (the program's error and the one
//! client error kind → exit code mapping), [`process`] (running CMD), [`input`],
//! [`prompt`]. `scripts/check-shape` keeps this shape (docs/style.md).

pub mod cli;
pub mod client;
pub mod commands;
pub mod config;
pub mod context;
pub mod discovery;
pub mod duration;
pub mod error;
pub mod exit;
pub mod habits;
pub mod input;
pub mod keys;
pub mod output;
pub mod process;
pub mod prompt;
pub mod text;
