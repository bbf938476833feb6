//! `etcdpy history KEY [-r] [--values]`: every revision etcd still holds for KEY (or, with -r,
//! for KEY and everything under KEY/, interleaved by revision), oldest first, streamed.

use crate::client::Client;
use crate::commands::args::KeyParser;
use crate::error::Result;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::history::{Change, End, Head};
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "Read in one pass: a watch from the compaction floor (the revision etcd compacted to) up to the \
    store's revision when history started; memory stays bounded however long the history. The first line says \
    where history starts (\"revisions before N were compacted\"); a key's value from before the floor, the only \
    one etcd still keeps of that time, is listed as `held` at the revision it was written.\n\n\
    Each line: revision, what happened (created: a new key or a re-created one, version 1 again; updated; \
    deleted; held), version, key, value (escaped and cut after 60 characters; --values: whole), lease.\n\n\
    -o json: one object per line: {\"type\":\"history\",\"key\":…,\"recursive\":…,\"revision\":R,\"compacted\":F|null}, \
    then per revision {\"type\":\"created\"|\"updated\"|\"deleted\"|\"held\",\"key\":…,\"value\":…|null,\"revision\":…,\
    \"create_revision\":…,\"version\":…,\"lease\":…|null}, and last, only once all was read, \
    {\"type\":\"end\",\"revisions\":N,\"revision\":R}. Not with --api v2 (v2 keeps no history).\n\n\
    Examples:\n  etcdpy history /app/config\n  etcdpy history /app -r\n  etcdpy history /app/config --values\n  \
    etcdpy history /app/config -o json | jq -c 'select(.type == \"updated\")'"
)]
pub struct HistoryArgs {
    /// The key whose history to read. With -r, "" means every key.
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// KEY itself and every key under KEY/ (not KEY2), interleaved by revision
    #[arg(short, long)]
    pub recursive: bool,
    /// Show each value whole in text (it is always whole with -o json)
    #[arg(long)]
    pub values: bool,
}

pub async fn run(
    args: HistoryArgs,
    keys: KeyEncoding,
    client: &Client,
    out: &mut Out,
) -> Result<()> {
    let span = KeySpan::typed(
        keys,
        &args.key,
        args.recursive,
        "history",
        "read the history of",
    )?;
    let mut history = client.history(&span, 0).await?;
    out.emit(&Head::new(
        span.key(),
        span.recursive(),
        history.now,
        history.floor,
    ))?;
    let mut count = 0u64;
    while let Some(revision) = history.next().await? {
        out.emit(&Change::new(&revision, args.values))?;
        count += 1;
    }
    out.emit(&End::new(count, history.now))
}
