//! `etcdpy refresh KEY [--ttl D]`: a new TTL for an existing key, value kept
//! (python-etcd's `refresh`); without --ttl, renew the key's current lease.

use crate::client::Keys;
use crate::commands::args::KeyParser;
use crate::duration;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::output::schema::RefreshResult;
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy refresh /nodes/n1 --ttl 600s\n  etcdpy refresh /nodes/n1"
)]
pub struct RefreshArgs {
    /// The key to refresh
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// The new TTL (whole seconds, at least 2s; from 1s with --api v2); without it the key's lease is renewed to its granted TTL
    #[arg(long, value_parser = duration::parse_any_ttl, allow_hyphen_values = true, value_name = "DURATION")]
    pub ttl: Option<duration::Ttl>,
}

pub async fn run(
    args: RefreshArgs,
    keys: KeyEncoding,
    store: &impl Keys,
    out: &mut Out,
) -> Result<()> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() {
        return Err(Error::usage("KEY must not be empty"));
    }
    let done = store.refresh(&key, args.ttl.as_ref()).await?;
    out.emit(&RefreshResult::new(
        &key,
        done.revision,
        done.lease,
        done.ttl,
    ))
}
