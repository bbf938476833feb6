//! `etcdpy diff KEY REV [REV2]`: a unified diff of KEY's value at REV and at REV2 (now by
//! default); a negative REV counts back through KEY's own changes.

use crate::client::Client;
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::output::history::Diff;
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "REV is a revision of the store (etcdpy get -l shows a key's), or negative: -N is KEY as it \
    was N changes back from REV2 in KEY's own history (-1: before its last change, whichever revision that \
    was; a delete counts as a change; at most -1000000). A side where KEY did not exist is labelled \
    (absent). Values that are not text are compared in escaped form (\\xff).\n\n\
    Exit status: 0 whether or not the values differ (the output says which); 10 when REV was compacted \
    away (the message names the oldest revision etcd keeps); 2 for a revision that is 0, beyond the \
    store's, or further back than KEY's history; 3 when KEY has no history at all. -o json: {\"key\":…,\"old\":{\"revision\":…,\"exists\":…,\
    \"value\":…|null,\"mod_revision\":…|null},\"new\":{…},\"same\":B,\"diff\":TEXT}. Not with --api v2.\n\n\
    Examples:\n  etcdpy set /app/config v1 && etcdpy diff /app/config -1   # the last change to /app/config\n  \
    etcdpy diff /app/config 2            # revision 2 against now\n  \
    etcdpy diff /app/config 2 3\n  etcdpy diff /app/config -1 -U 1 -o json"
)]
pub struct DiffArgs {
    /// The key to compare
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// The old side: a revision, or -N (N changes of KEY back from REV2)
    #[arg(value_name = "REV", allow_negative_numbers = true)]
    pub rev: i64,
    /// The new side: a revision [default: now]
    #[arg(value_name = "REV2", value_parser = clap::value_parser!(i64).range(1..))]
    pub rev2: Option<i64>,
    /// Lines of context around each change, as diff -U N
    #[arg(short = 'U', long = "unified", value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u16))]
    pub lines: u16,
}

pub async fn run(args: DiffArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() {
        return Err(Error::usage("KEY must not be empty"));
    }
    if args.rev == 0 {
        return Err(Error::usage(
            "REV 0 is no revision: revisions start at 1, and -1 is KEY before its last change",
        ));
    }
    let compared = client.compare(&key, args.rev, args.rev2).await?;
    let diff = Diff::new(&key, &compared.old, &compared.new, args.lines.into());
    out.emit(&diff)
}
