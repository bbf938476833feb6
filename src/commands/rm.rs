//! `etcdpy rm KEY [-r]`: delete a key, or a key and everything under it.

use super::args::IfArgs;
use crate::client::{Keys, Kind};
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::schema::RmResult;
use crate::output::{Out, escape};
use clap::Args;

#[derive(Args, Debug)]
#[command(
    allow_negative_numbers = true,
    after_help = "Examples:\n  etcdpy rm /nodes/n1\n  etcdpy rm -f /nodes/n1                # exit 0 even if it is already gone\n  etcdpy rm /nodes -r\n  etcdpy rm /lock/owner --if-value me"
)]
pub struct RmArgs {
    /// The key to delete. With -r, "" means every key (needs --whole-keyspace)
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// Delete KEY and every key under KEY/ (not KEY2), atomically, and report how many went
    #[arg(short, long)]
    pub recursive: bool,
    #[command(flatten)]
    pub when: IfArgs,
    /// No error if KEY does not exist (exit 0, nothing deleted), as rm -f: an idempotent delete.
    /// A failed --if-* condition still exits 4
    #[arg(short, long)]
    pub force: bool,
    /// Allow deleting the whole keyspace (rm -r / or rm -r ""); -f does not
    #[arg(long)]
    pub whole_keyspace: bool,
}

pub async fn run(args: RmArgs, keys: KeyEncoding, store: &impl Keys, out: &mut Out) -> Result<()> {
    // set's --if-revision 0 ("only if absent") deletes nothing: refused as clap did.
    if args.when.if_revision == Some(0) {
        return Err(Error::usage(
            "invalid value '0' for '--if-revision <REV>': 0 is not in 1..9223372036854775807",
        ));
    }
    let span = span(&args, keys)?;
    let when = args.when.conditions();
    let below = (!args.recursive).then_some("use rm -r to delete it and its keys");
    let (revision, deleted, absent) = match store.remove(&span, &when).await {
        Ok((revision, deleted)) => (revision, deleted, None),
        // v2 says "key not found" itself (with -f: nothing deleted at index 0).
        Err(err) if err.kind == Kind::NotFound => (0, 0, Some(err)),
        // v2 refuses a directory without -r ("Not a file", exit 4): the same hint.
        Err(err) if err.kind == Kind::ConditionFailed && below.is_some() && when.is_empty() => {
            return Err(super::not_found(store, err, span.key(), below).await);
        }
        Err(err) => return Err(err.into()),
    };
    if deleted == 0 && !args.force {
        let absent = absent.unwrap_or_else(|| crate::client::Error::not_found(span.key()));
        return Err(super::not_found(store, absent, span.key(), below).await);
    }
    out.emit(&RmResult {
        revision,
        deleted,
        recursive: args.recursive,
    })
}

/// What KEY (and -r) name, refusing an empty KEY and, without --whole-keyspace, the whole keyspace.
pub fn span(args: &RmArgs, keys: KeyEncoding) -> Result<KeySpan> {
    let span = KeySpan::new(keys.decode("KEY", &args.key)?, args.recursive);
    if span.key().is_empty() && !args.recursive {
        return Err(Error::usage("KEY must not be empty"));
    }
    if span.is_root() && !args.whole_keyspace {
        return Err(Error::usage(format!(
            "refusing to delete the whole keyspace (rm -r '{}'); add --whole-keyspace if you mean it (-f only ignores a missing key)",
            escape(span.key())
        )));
    }
    Ok(span)
}
