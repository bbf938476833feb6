//! `migrate --to-endpoints`: another cluster to write to, with its own TLS and auth options
//! (resolved into client options by `config`, like the global ones).

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug, Clone, Default)]
pub struct DestinationArgs {
    /// Write into the v3 keyspace of this other cluster (comma-separated URLs) instead of the
    /// source cluster's own
    #[arg(long, value_name = "URLS", value_delimiter = ',')]
    pub to_endpoints: Vec<String>,
    /// The CA bundle that verifies the destination's certificates (PEM)
    #[arg(long, value_name = "FILE", requires = "to_endpoints")]
    pub to_cacert: Option<PathBuf>,
    /// A client certificate for the destination (PEM; with --to-key)
    #[arg(long, value_name = "FILE", requires_all = ["to_key", "to_endpoints"])]
    pub to_cert: Option<PathBuf>,
    /// The private key of --to-cert (PEM)
    #[arg(long, value_name = "FILE", requires = "to_cert")]
    pub to_key: Option<PathBuf>,
    /// The destination's user (etcd's auth); the password comes from --to-password-file
    #[arg(long, value_name = "NAME", requires_all = ["to_password_file", "to_endpoints"])]
    pub to_user: Option<String>,
    /// A file whose first line is --to-user's password
    #[arg(long, value_name = "FILE", requires = "to_user")]
    pub to_password_file: Option<PathBuf>,
}
