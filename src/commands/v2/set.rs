//! `etcdpy --api v2 set KEY [VALUE]` (python-etcd's `write`, with `prevExist`, `prevValue`,
//! `prevIndex` and any TTL from 1 s) and `refresh KEY --ttl D` (`refresh=True`: the value
//! stays and no watcher is woken).

use super::{if_value, unsupported};
use crate::client::{V2, V2Conditions};
use crate::commands::refresh::RefreshArgs;
use crate::commands::set::SetArgs;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::output::schema::{RefreshResult, SetResult};

pub async fn run(args: SetArgs, keys: KeyEncoding, v2: &V2<'_>, out: &mut Out) -> Result<()> {
    let (key, value) = crate::commands::set::key_value(&args, keys)?;
    let mut when = V2Conditions {
        value: if_value(args.if_value)?,
        ..V2Conditions::default()
    };
    when.exists = match (args.if_absent, args.if_exists, args.if_revision) {
        (true, _, _) | (_, _, Some(0)) => Some(false),
        (_, true, _) => Some(true),
        _ => None,
    };
    when.index = args.if_revision.filter(|r| *r != 0);
    let ttl = args.ttl.as_ref().map(|t| t.secs as i64);
    let (index, prev) = v2.set(&key, &value, ttl, &when).await?;
    let prev = args.prev.then_some(prev.as_ref());
    out.emit(&SetResult::new(&key, index, 0, ttl, prev))
}

pub async fn refresh(
    args: RefreshArgs,
    keys: KeyEncoding,
    v2: &V2<'_>,
    out: &mut Out,
) -> Result<()> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() {
        return Err(Error::usage("KEY must not be empty"));
    }
    let Some(ttl) = args.ttl.map(|t| t.secs) else {
        return Err(unsupported(
            "refresh without --ttl",
            "is not possible: v2 keys have no lease to renew; give the new --ttl",
        ));
    };
    let index = v2.refresh(&key, ttl as i64).await?;
    out.emit(&RefreshResult::new(&key, index, None, ttl as i64))
}
