//! `etcdpy --api v2 rm KEY [-r]`: python-etcd's `delete` (`recursive=True` for a directory),
//! with `prevValue` / `prevIndex`.

use crate::client::{V2, V2Conditions};
use crate::commands::rm::RmArgs;
use crate::error::{Error, Result};
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::schema::RmResult;
use crate::output::{Out, escape};
use std::os::unix::ffi::OsStringExt;

pub async fn run(args: RmArgs, keys: KeyEncoding, v2: &V2<'_>, out: &mut Out) -> Result<()> {
    let span = KeySpan::new(keys.decode("KEY", &args.key)?, args.recursive);
    if span.key().is_empty() && !args.recursive {
        return Err(Error::usage("KEY must not be empty"));
    }
    if span.is_root() && !args.force {
        return Err(Error::usage(format!(
            "refusing to delete the whole keyspace (rm -r '{}'); add --force if you mean it",
            escape(span.key())
        )));
    }
    let when = V2Conditions {
        exists: None,
        value: args
            .if_value
            .map(|v| String::from_utf8_lossy(&v.into_vec()).into_owned()),
        index: args.if_revision,
    };
    let removed = v2.delete(span.key(), args.recursive, &when).await?;
    out.emit(&RmResult {
        revision: removed.index,
        deleted: removed.deleted,
        recursive: args.recursive,
    })
}
