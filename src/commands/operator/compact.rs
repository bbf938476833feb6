//! `etcdpy compact`: compact the keyspace's history to a revision, given
//! (`--rev`) or counted back from the current one (`--keep-revisions`).

use crate::client::{Client, Kind};
use crate::error::{Error, Result};
use crate::output::Out;
use crate::output::maintenance::Compacted;
use clap::Args;

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("to").required(true).args(["rev", "keep_revisions"]))]
#[command(after_help = "Examples:\n  \
etcdpy compact --keep-revisions 1000 --physical  # keep the newest 1000 revisions\n  \
etcdpy compact --keep-revisions 0 --dry-run      # print the current revision, change nothing\n\n\
Every revision older than the one compacted to is gone for good: a get --rev or watch --rev
there exits 10. --rev REV already compacted exits 10, a future one 2, each naming the store's
current revision. --keep-revisions N with no more than N revisions left to compact does nothing
and exits 0 (for a periodic job).")]
pub struct CompactArgs {
    /// Compact to this revision
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub rev: Option<i64>,
    /// Keep the newest N revisions: compact to the current revision minus N
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(0..))]
    pub keep_revisions: Option<i64>,
    /// Wait until the compaction has been applied to the backend (space freed for defrag)
    #[arg(long)]
    pub physical: bool,
    /// Print the revision it would compact to; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub async fn run(args: CompactArgs, client: &Client, out: &mut Out) -> Result<()> {
    let current = client.current_revision().await?;
    let nothing = Compacted {
        revision: None,
        current,
        physical: args.physical,
        dry_run: args.dry_run,
    };
    let revision = match (args.rev, args.keep_revisions) {
        (Some(rev), _) => rev,
        (None, Some(keep)) if current - keep >= 1 => current - keep,
        (None, _) => return out.emit(&nothing),
    };
    if !args.dry_run {
        let done = client.compact(revision, args.physical).await;
        if args.keep_revisions.is_some() && done.as_ref().is_err_and(|e| e.kind == Kind::Compacted)
        {
            // Compacted past it already: no more than N revisions are left.
            return out.emit(&nothing);
        }
        done.map_err(|e| {
            let why = match e.kind {
                Kind::Compacted => "it was already compacted".to_string(),
                Kind::InvalidInput if revision > current => "it is a future revision".to_string(),
                _ => return Error::from(e.context(format!("compact to revision {revision}"))),
            };
            let message = format!(
                "cannot compact to revision {revision}: {why} (the store is at revision {current}; etcd: {})",
                e.message
            );
            Error::new(crate::error::exit_for(e.kind), message)
        })?;
    }
    out.emit(&Compacted {
        revision: Some(revision),
        current,
        physical: args.physical,
        dry_run: args.dry_run,
    })
}
