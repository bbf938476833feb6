//! `etcdpy rollback KEY --to REV` (and `-r`, a whole prefix): back to what it held at REV, as
//! new revisions, never over a change made meanwhile. The procedures are the client's
//! (`client/rollback/`); here: the plan shown, the question asked (or `--yes`), the report.

mod prefix;

use crate::client::{Client, KeyRollback};
use crate::commands::args::KeyParser;
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::diff::{Side, unified};
use crate::output::rollback::KeyReport;
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "KEY: its value at REV is written as a new revision (or KEY is deleted when \
it did not exist at REV), in one transaction guarded by KEY's mod revision as read: if KEY changes \
in between, nothing is written (exit 4, naming the revision that changed it). The lease KEY had at \
REV is attached again while it is alive; a lease that has expired is not revived (the value is \
written without one); --ttl gives a new lease.\n\n\
-r: the subtree KEY/ goes back to its state at REV through load's guarded batches: keys added since \
are deleted, changed ones restored, deleted ones re-created. A key that changes during the rollback \
is reported and left as it is (exit 4); the rest is still rolled back. Leases as for KEY: each key \
goes back on its lease at REV while that lives; an expired one is not revived.\n\n\
The plan (a diff, or the counts) is shown, then asked about on a terminal; without one, give --yes.\n\n\
Examples:\n  etcdpy rollback /flags/a --to 1 --dry-run\n  etcdpy rollback /flags -r --to 1 --dry-run\n  \
etcdpy --yes rollback /flags -r --to 1"
)]
pub struct RollbackArgs {
    /// The key (with -r: KEY itself and every key under KEY/)
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// The past revision to go back to
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub to: i64,
    /// KEY and everything under KEY/ (not KEY2)
    #[arg(short, long)]
    pub recursive: bool,
    /// Show the plan and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Attach a new lease with this TTL (whole seconds, at least 2s) instead of REV's
    #[arg(long, value_name = "DURATION", value_parser = duration::parse_ttl, conflicts_with = "recursive")]
    pub ttl: Option<u64>,
    /// With -r: operations per transaction (etcd's --max-txn-ops, 128 by default)
    #[arg(long, default_value_t = 128, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_txn_ops: u64,
    /// With -r: list every key of the plan with its action
    #[arg(short, long)]
    pub verbose: bool,
    /// The global --yes (set by main): roll back without asking.
    #[arg(skip)]
    pub yes: bool,
}

pub async fn run(
    args: RollbackArgs,
    keys: KeyEncoding,
    client: &Client,
    out: &mut Out,
) -> Result<()> {
    let span = KeySpan::typed(keys, &args.key, args.recursive, "rollback", "roll back")?;
    if args.recursive {
        return prefix::run(args, span, client, out).await;
    }
    let ttl = args.ttl.map(|t| t as i64);
    let plan = KeyRollback::plan(client, span.key(), args.to, ttl).await?;
    let label = crate::text::escape(span.key());
    let now = Side::new(
        format!("{label}@{}", plan.revision),
        plan.now.as_ref().map(|kv| kv.value.as_slice()),
    );
    let then = Side::new(
        format!("{label}@{}", args.to),
        plan.then.as_ref().map(|kv| kv.value.as_slice()),
    );
    let mut report = KeyReport::new(&plan, unified(&now, &then, 3), args.dry_run);
    if !out.json {
        report.plan(out)?;
    }
    if args.dry_run || plan.unchanged() {
        return out.emit(&report);
    }
    out.flush()?;
    ask(
        args.yes,
        &format!("roll back {label} to revision {}?", args.to),
    )?;
    report.written = Some(plan.apply(client).await?);
    out.emit(&report)
}

/// Ask on the terminal unless `--yes`; no terminal and no `--yes`: refused.
fn ask(yes: bool, question: &str) -> Result<()> {
    if yes {
        return Ok(());
    }
    match crate::prompt::confirm(question) {
        Some(true) => Ok(()),
        Some(false) => Err(Error::new(
            Exit::ConditionFailed,
            "not rolled back: not confirmed",
        )),
        None => Err(Error::usage(
            "rollback asks before writing and there is no terminal to ask on: give --yes (or --dry-run to see the plan)",
        )),
    }
}
