//! etcdpy: a command-line client for etcd over its v3 HTTP/JSON gateway.
//!
//! Data flows one way: [`cli`] (what was typed) → [`config`] (resolved once)
//! → [`commands`] (one file per subcommand) → [`client`] (HTTP and etcd,
//! never prints) → [`output`] (text or JSON). [`exit`] holds the one table of
//! exit codes.

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
