//! `etcdpy --api v2 rm KEY [-r]`: python-etcd's `delete` (`recursive=True` for a directory),
//! with `prevValue` / `prevIndex`.

use super::if_value;
use crate::client::{Kind, V2, V2Conditions};
use crate::commands::rm::RmArgs;
use crate::error::Result;
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::output::schema::RmResult;

pub async fn run(args: RmArgs, keys: KeyEncoding, v2: &V2<'_>, out: &mut Out) -> Result<()> {
    let span = crate::commands::rm::span(&args, keys)?;
    let when = V2Conditions {
        exists: None,
        value: if_value(args.if_value)?,
        index: args.if_revision,
    };
    let removed = match v2.delete(span.key(), args.recursive, &when).await {
        // rm -f: a key already gone is no error (v2's answer names no index: 0).
        Err(err) if args.force && err.kind == Kind::NotFound => {
            return out.emit(&RmResult {
                revision: 0,
                deleted: 0,
                recursive: args.recursive,
            });
        }
        removed => removed?,
    };
    out.emit(&RmResult {
        revision: removed.index,
        deleted: removed.deleted,
        recursive: args.recursive,
    })
}
