//! `etcdpy set KEY [VALUE]`: write a key, optionally with a TTL and conditions.

use super::{condition_failed, conditions};
use crate::cli::{KeyEncoding, KeyParser};
use crate::client::{Client, Op, RangeSpec};
use crate::duration;
use crate::error::{Error, Result};
use crate::output::Out;
use crate::output::schema::SetResult;
use clap::Args;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy set /nodes/n1 1\n  etcdpy set /nodes/n2 2 --ttl 4s\n  printf '{}' | etcdpy set /config/app --if-absent\n  etcdpy set /counter 2 --if-value 1 --prev"
)]
pub struct SetArgs {
    /// The key to write
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// The value; read from stdin (binary-safe) when omitted or -
    #[arg(value_parser = clap::value_parser!(OsString))]
    pub value: Option<OsString>,
    /// Attach a new lease with this TTL (whole seconds, at least 2s); without --ttl the key is permanent
    #[arg(long, value_parser = duration::parse_ttl, allow_hyphen_values = true, value_name = "DURATION")]
    pub ttl: Option<u64>,
    /// Only create: fail (exit 4) if the key exists
    #[arg(long, conflicts_with_all = ["if_exists", "if_value", "if_revision"])]
    pub if_absent: bool,
    /// Only update: fail (exit 4) if the key does not exist
    #[arg(long)]
    pub if_exists: bool,
    /// Only if the key holds exactly this value (exit 4 otherwise)
    #[arg(long, value_name = "VALUE", value_parser = clap::value_parser!(OsString))]
    pub if_value: Option<OsString>,
    /// Only if the key's mod revision is REV (0: the key does not exist)
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(0..))]
    pub if_revision: Option<i64>,
    /// Print the previous value (nothing if the key did not exist)
    #[arg(long)]
    pub prev: bool,
}

pub async fn run(args: SetArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() {
        return Err(Error::usage("KEY must not be empty"));
    }
    let value = match args.value {
        Some(v) if v != "-" => v.into_vec(),
        _ => crate::input::value_from_stdin()?,
    };
    let if_value = args.if_value.map(OsString::into_vec);
    let compares = conditions(
        &key,
        args.if_absent,
        args.if_exists,
        if_value.as_deref(),
        args.if_revision,
    );

    let (lease, ttl) = match args.ttl {
        Some(ttl) => (client.grant_exactly(ttl as i64).await?, Some(ttl as i64)),
        None => (0, None),
    };
    let written = write(client, &key, value, lease, args.prev, &compares).await;
    let (revision, prev) = match written {
        Ok(done) => done,
        Err(err) => {
            // Nothing half-written: the lease of a write that did not happen goes.
            if lease != 0 {
                let _ = client.lease_revoke(lease).await;
            }
            return Err(err);
        }
    };
    let prev = args.prev.then_some(prev.as_ref());
    out.emit(&SetResult::new(&key, revision, lease, ttl, prev))
}

/// The put itself: plain, or in a transaction when there are conditions.
async fn write(
    client: &Client,
    key: &[u8],
    value: Vec<u8>,
    lease: i64,
    prev: bool,
    compares: &[crate::client::Compare],
) -> Result<(i64, Option<crate::client::KeyValue>)> {
    if compares.is_empty() {
        return Ok(client.put(key, value, lease, prev).await?);
    }
    let put = Op::Put {
        key: key.to_vec(),
        value: Some(value),
        lease,
        prev,
    };
    let outcome = client
        .txn(compares, &[put], &[Op::Range(RangeSpec::key(key))])
        .await?;
    if !outcome.succeeded {
        return Err(condition_failed(key, &outcome.results));
    }
    let prev = match outcome.results.into_iter().next() {
        Some(crate::client::OpResult::Put { prev }) => prev,
        _ => None,
    };
    Ok((outcome.revision, prev))
}
