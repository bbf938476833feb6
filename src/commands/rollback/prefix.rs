//! `rollback PREFIX -r --to REV`: the plan (counts, and the keys with -v or --dry-run), the
//! question, load's guarded batches; the keys that changed meanwhile are reported (exit 4).

use super::{RollbackArgs, ask};
use crate::client::{Client, PrefixRollback};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::KeySpan;
use crate::output::Out;
use crate::output::rollback::PrefixReport;
use crate::output::transfer::{progress, progress_done, step};

pub(super) async fn run(
    args: RollbackArgs,
    span: KeySpan,
    client: &Client,
    out: &mut Out,
) -> Result<()> {
    let dir = std::env::temp_dir();
    let (max_ops, to) = (args.max_txn_ops as usize, args.to);
    let mut rollback = PrefixRollback::read(client, span.clone(), to, max_ops, &dir).await?;
    let mut shown = Ok(());
    let list = args.verbose || args.dry_run;
    let (plan, revision) = rollback
        .plan(&mut |action, key| {
            if list && shown.is_ok() {
                shown = step(out, action, key);
            }
        })
        .await?;
    shown?;
    let keys = (rollback.keys(), rollback.expired());
    let mut report = PrefixReport::new(span.key(), to, keys, (&plan, revision));
    if !out.json {
        report.plan(out)?;
    }
    if args.dry_run || plan.changes() == 0 {
        return out.emit(&report);
    }
    out.flush()?;
    let shown = crate::text::escape(span.key());
    ask(
        args.yes,
        &format!(
            "roll back {shown} -r to revision {to} ({} keys)?",
            plan.changes()
        ),
    )?;
    let total = plan.changes();
    let written = rollback
        .apply(revision, &mut |done| {
            progress(out, &format!("rolled back {}/{total} keys", done.changes()));
        })
        .await?;
    progress_done(out);
    report.applied(&written);
    out.emit(&report)?;
    if written.changed.is_empty() && written.applied.aborted.is_empty() {
        return Ok(());
    }
    // The first ten named here; every one is in the report above.
    let more = match report.changed.len() {
        n if n > 10 => format!(" and {} more", n - 10),
        _ => String::new(),
    };
    let named = report.changed.iter().take(10).cloned();
    Err(Error::new(
        Exit::ConditionFailed,
        format!(
            "{} keys changed during the rollback and were left as they are: {}{more}",
            report.changed.len(),
            named.collect::<Vec<_>>().join(", ")
        ),
    ))
}
