//! `etcdpy load FILE`: bring the keyspace to what a dump holds. The whole file is checked
//! first (`-`: stdin, spooled to a temporary file); then the plan (shown; `--dry-run` stops
//! there) and its guarded batches.

use crate::client::{Applied, Client, DumpFile, Ending, Prune, Transfer};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::transfer::{LoadReport, progress, progress_done, step};
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(
    after_help = "Keys that hold the file's value already (and have a TTL when the file gives one) are left \
    alone, so loading a file twice writes nothing the second time. Each transaction is guarded by the mod \
    revisions the plan saw: a key changed meanwhile aborts its transaction (exit 4, the keys named), never half \
    of it. TTLs become leases of the seconds left, one lease per second. A file without dump's end line \
    (cut off, or dump did not finish) is refused, naming the line where it stops.\n\n\
    Examples:\n  etcdpy load app.ndjson --dry-run -v\n  etcdpy load app.ndjson --prune\n  \
    etcdpy load app.ndjson --prefix-rename /app=/app-copy\n  etcdpy dump /app | etcdpy load - --prefix-rename /app=/app-copy"
)]
pub struct LoadArgs {
    /// A file written by etcdpy dump; - reads stdin (spooled to a temporary file in $TMPDIR,
    /// at most 16 GiB)
    pub file: PathBuf,
    /// Show the plan and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Also delete the keys under the dump's prefix that the file does not have
    #[arg(long)]
    pub prune: bool,
    /// Load the keys that start with OLD under NEW instead (text)
    #[arg(long, value_name = "OLD=NEW")]
    pub prefix_rename: Option<String>,
    /// Operations per transaction (etcd's --max-txn-ops, 128 by default)
    #[arg(long, default_value_t = 128, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_txn_ops: u64,
    /// Plan against the keyspace as it was at REV (as a --dry-run showed it), so that any key
    /// changed since aborts its transaction
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub plan_revision: Option<i64>,
    /// List every key of the plan with its action
    #[arg(short, long)]
    pub verbose: bool,
    /// Load a file that lacks dump's end line (made by hand) as it is; never with --prune,
    /// which must not delete what a cut-off file lacks
    #[arg(long, conflicts_with = "prune")]
    pub allow_partial: bool,
}

pub async fn run(args: LoadArgs, client: &Client, out: &mut Out) -> Result<()> {
    let rename = match &args.prefix_rename {
        None => None,
        Some(pair) => match pair.split_once('=') {
            Some((old, new)) => Some((old.as_bytes().to_vec(), new.as_bytes().to_vec())),
            None => return Err(Error::usage("--prefix-rename takes OLD=NEW")),
        },
    };
    let ending = match args.allow_partial {
        true => Ending::Optional,
        false => Ending::Required,
    };
    let mut file = match args.file.as_os_str() == "-" {
        true => {
            let (stdin, start) = crate::input::spool_stdin(&std::env::temp_dir())?;
            DumpFile::read(stdin, start, "stdin".as_ref(), rename, ending)?
        }
        false => DumpFile::open(&args.file, rename, ending)?,
    };
    let transfer = Transfer {
        client,
        span: file.span.clone(),
        prune: match args.prune {
            true => Prune::All,
            false => Prune::No,
        },
        max_ops: args.max_txn_ops as usize,
        protect_after: None,
        written: None,
        ttl_slack: None,
    };
    let mut shown = Ok(());
    let (plan, revision) = transfer
        .plan(
            &mut file,
            args.plan_revision.unwrap_or(0),
            &mut |action, key| {
                if args.verbose && shown.is_ok() {
                    shown = step(out, action, key);
                }
            },
        )
        .await?;
    shown?;
    if args.dry_run {
        return out.emit(&LoadReport::new(file.keys, revision, &plan, None));
    }
    if plan.changes() == 0 {
        let nothing = Applied {
            revision,
            ..Applied::default()
        };
        return out.emit(&LoadReport::new(file.keys, revision, &plan, Some(&nothing)));
    }
    let total = plan.changes();
    let applied = transfer
        .apply(&mut file, revision, &mut |done| {
            progress(out, &format!("loaded {}/{total} keys", done.changes()));
        })
        .await?;
    progress_done(out);
    out.emit(&LoadReport::new(file.keys, revision, &plan, Some(&applied)))?;
    if applied.aborted.is_empty() {
        return Ok(());
    }
    let changed: Vec<String> = applied
        .aborted
        .iter()
        .flat_map(|a| a.changed.iter().map(|k| crate::output::escape(k)))
        .collect();
    Err(Error::new(
        Exit::ConditionFailed,
        format!(
            "{} of {} transactions aborted: keys changed after the plan (revision {revision}): {}; the other transactions were written",
            applied.aborted.len(),
            applied.batches,
            changed.join(", ")
        ),
    ))
}
