//! `etcdpy rm KEY [-r]`: delete a key, or a key and everything under it.

use crate::client::{Conditions, Store};
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::schema::RmResult;
use crate::output::{Out, escape};
use clap::Args;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

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
    /// Only if KEY holds exactly this value (exit 4 otherwise); -1 works as it is, -x needs
    /// --if-value=-x
    #[arg(long, value_name = "VALUE", value_parser = clap::value_parser!(OsString))]
    pub if_value: Option<OsString>,
    /// Only if KEY's mod revision is REV (exit 4 otherwise)
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub if_revision: Option<i64>,
    /// No error if KEY does not exist (exit 0, nothing deleted), as rm -f: an idempotent delete.
    /// A failed --if-* condition still exits 4
    #[arg(short, long)]
    pub force: bool,
    /// Allow deleting the whole keyspace (rm -r / or rm -r ""); -f does not
    #[arg(long)]
    pub whole_keyspace: bool,
}

pub async fn run(args: RmArgs, keys: KeyEncoding, store: &impl Store, out: &mut Out) -> Result<()> {
    let span = span(&args, keys)?;
    let when = Conditions {
        value: args.if_value.map(OsString::into_vec),
        mod_revision: args.if_revision,
        ..Conditions::default()
    };
    let (revision, deleted) = store.remove(&span, &when).await?;
    if deleted == 0 && !args.force {
        let below = (!args.recursive).then_some("use rm -r to delete it and its keys");
        return Err(super::not_found(store, span.key(), below).await);
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
