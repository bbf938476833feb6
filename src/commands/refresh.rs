//! `etcdpy refresh KEY [--ttl D]`: a new TTL for an existing key, value kept
//! (python-etcd's `refresh`); without --ttl, renew the key's current lease.

use crate::cli::{KeyEncoding, KeyParser};
use crate::client::{Client, Compare, Condition, Op, RangeSpec};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::schema::RefreshResult;
use crate::output::{Out, escape};
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy refresh /nodes/n1 --ttl 600s\n  etcdpy refresh /nodes/n1"
)]
pub struct RefreshArgs {
    /// The key to refresh
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// The new TTL (whole seconds, at least 2s); without it the key's lease is renewed to its granted TTL
    #[arg(long, value_parser = duration::parse_ttl, allow_hyphen_values = true, value_name = "DURATION")]
    pub ttl: Option<u64>,
}

pub async fn run(
    args: RefreshArgs,
    keys: KeyEncoding,
    client: &Client,
    out: &mut Out,
) -> Result<()> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() {
        return Err(Error::usage("KEY must not be empty"));
    }
    let page = client
        .range(&RangeSpec {
            keys_only: true,
            ..RangeSpec::key(&key)
        })
        .await?;
    let Some(kv) = page.kvs.into_iter().next() else {
        return Err(Error::not_found(&key));
    };
    let wanted = args.ttl.map(|t| t as i64);
    let old = kv.lease;

    // Same TTL as the lease already has (or none asked): renew it in place,
    // which writes nothing and wakes no watcher.
    if old != 0 {
        let info = client.lease_time_to_live(old, false).await?;
        if info.ttl >= 0 && (wanted.is_none() || wanted == Some(info.granted_ttl)) {
            return match client.lease_keepalive(old).await? {
                Some(ttl) => out.emit(&RefreshResult::new(&key, kv.mod_revision, old, ttl)),
                None => {
                    Err(Error::not_found(&key).context("the key expired while being refreshed"))
                }
            };
        }
    }
    let Some(ttl) = wanted else {
        return Err(Error::usage(format!(
            "{} has no TTL to renew; give --ttl to attach one",
            escape(&key)
        )));
    };

    // A new lease, swapped in only if nobody wrote the key meanwhile.
    let lease = client.grant_exactly(ttl).await?;
    let unchanged = Compare {
        key: key.clone(),
        condition: Condition::ModRevisionIs(kv.mod_revision),
    };
    let swap = Op::Put {
        key: key.clone(),
        value: None,
        lease,
        prev: false,
    };
    let outcome = match client.txn(&[unchanged], &[swap], &[]).await {
        Ok(outcome) => outcome,
        Err(err) => {
            let _ = client.lease_revoke(lease).await;
            return Err(err.into());
        }
    };
    if !outcome.succeeded {
        let _ = client.lease_revoke(lease).await;
        return Err(Error::new(
            Exit::ConditionFailed,
            format!(
                "{} changed while being refreshed (it was at mod revision {}); nothing was changed",
                escape(&key),
                kv.mod_revision
            ),
        ));
    }
    // The old lease goes only if no other key still hangs on it.
    if old != 0 {
        let info = client.lease_time_to_live(old, true).await?;
        if info.ttl >= 0 && info.keys.is_empty() {
            client.lease_revoke(old).await?;
        }
    }
    out.emit(&RefreshResult::new(&key, outcome.revision, lease, ttl))
}
