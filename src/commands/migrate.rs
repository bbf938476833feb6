//! `etcdpy migrate [PREFIX]`: python-etcd's v2 keyspace copied into v3 on the same cluster,
//! through load's plan and guarded transactions, then verified.

use crate::client::{Client, Counts, Follow, OwnWrites, Prune, TTL_SLACK, Transfer};
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::transfer::{MigrateReport, follow_progress, progress, progress_done, step};
use crate::process::Signals;
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "Keys keep their paths and bytes; a TTL becomes a lease of the seconds left (one lease per \
    second). Running it again writes nothing when nothing changed. A v3 key that differs from v2 and was \
    written after the last verified migrate (the v3 key etcdpy/migrated marks it) by anyone but migrate \
    is a conflict: reported, left alone, exit 4, unless --overwrite. Exit 0 only when v3 then holds every \
    migrated key as v2 does (TTLs within 2 s; after --follow, none of the keys v2 deleted).\n\n--check says \
    what blocks the upgrade to etcd 3.6 instead (exit 4 when anything does).\n\n\
    Examples:\n  etcdpy migrate --dry-run -v\n  etcdpy migrate /team\n  etcdpy migrate --check"
)]
pub struct MigrateArgs {
    /// The v2 directory to copy (with everything below it); "/" (the default) copies it all
    #[arg(value_parser = KeyParser, default_value = "/")]
    pub prefix: String,
    /// Show the plan and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Also copy hidden keys (a path segment starting with _). etcd's v2 API never lists them, so
    /// only those under a PREFIX naming a hidden directory are found: `migrate /_locks --include-hidden`
    #[arg(long)]
    pub include_hidden: bool,
    /// Write over v3 keys changed since the last migrate instead of reporting them
    #[arg(long)]
    pub overwrite: bool,
    /// Operations per transaction (etcd's --max-txn-ops, 128 by default)
    #[arg(long, default_value_t = 128, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_txn_ops: u64,
    /// After a verified copy, delete the copied keys from v2, each only if it still has the
    /// index that was copied (a key written since is kept)
    #[arg(long, conflicts_with = "dry_run")]
    pub delete_source: bool,
    /// After the copy, keep applying v2's changes (a v2 watch from the copy's index; TTL keys
    /// read again every second, as v2 reports no refresh; keys v2 deletes deleted) until
    /// Ctrl-C or SIGTERM, then verify again
    #[arg(long, conflicts_with = "dry_run")]
    pub follow: bool,
    #[command(flatten)]
    pub to: super::destination::DestinationArgs,
    /// List every key of the plan with its action
    #[arg(short, long)]
    pub verbose: bool,
    /// Copy nothing: what blocks the upgrade to etcd 3.6 as a client sees it (exit 4), and what not
    #[arg(long, conflicts_with_all = ["dry_run", "delete_source", "follow", "overwrite"])]
    pub check: bool,
}

pub async fn run(
    args: MigrateArgs,
    keys: KeyEncoding,
    client: &Client,
    to: Option<&Client>,
    out: &mut Out,
) -> Result<()> {
    // v2 is read from `client`; v3 written through `dest` (the same cluster by default).
    let dest = to.unwrap_or(client);
    let span = KeySpan::typed(keys, &args.prefix, true, "migrate", "migrate")?;
    let last = dest.last_migrate().await?;
    let v2 = client.v2();
    let signals = args.follow.then(Signals::catch).transpose();
    let mut signals =
        signals.map_err(|e| Error::unexpected(format!("cannot catch signals: {e}")))?;
    let mut read = |n| progress(out, &format!("read {n} v2 keys"));
    let mut tree = v2.tree(span.key(), args.include_hidden, &mut read).await?;
    progress_done(out);
    let written = OwnWrites::default();
    let transfer = Transfer {
        client: dest,
        span,
        prune: Prune::No,
        max_ops: args.max_txn_ops as usize,
        protect_after: (!args.overwrite).then_some(last),
        written: Some(&written),
        ttl_slack: Some(TTL_SLACK),
    };
    let mut shown = Ok(());
    let (plan, revision) = transfer
        .plan(&mut tree, 0, &mut |action, key| {
            if args.verbose && shown.is_ok() {
                shown = step(out, action, key);
            }
        })
        .await?;
    shown?;
    if args.dry_run {
        return out.emit(&MigrateReport::of(&tree, revision, &plan, None, None));
    }
    let total = plan.changes();
    let applied = transfer
        .apply(&mut tree, revision, &mut |done| {
            progress(out, &format!("migrated {}/{total} keys", done.changes()));
        })
        .await?;
    progress_done(out);
    let mut follow = Follow::new(&v2, &transfer, applied.revision, &tree, args.include_hidden);
    let mut followed = None;
    if let Some(signals) = &mut signals {
        let (mut shown, stop) = (|f: &_| follow_progress(out, f), signals.recv());
        followed = Some(follow.run(tree.index + 1, stop, &mut shown).await?);
        progress_done(out);
    }
    // Verification: the same comparison again, now, TTLs within 2 s; after --follow, the keys
    // v2 deleted meanwhile must be gone from v3 too.
    let check = transfer.verifying(followed.as_ref().map(|_| &follow.known));
    // A piecewise read during which v2 changed is checked against v2 as it is now.
    let again = followed.is_some() || tree.unsettled.is_some();
    let (check, tree) = check.verify(&v2, args.include_hidden, tree, again).await?;
    let verified = check.changes() + check.conflict == 0;
    let good = verified && applied.aborted.is_empty();
    // Marked when it wrote (or never was), so that a run that writes nothing moves nothing.
    let wrote = applied.done.changes() + followed.as_ref().map_or(0, |f| f.written);
    if good && (wrote > 0 || last == 0) {
        dest.mark_migrated(tree.index).await?;
    }
    let mut report = MigrateReport::of(&tree, revision, &plan, Some(&applied), Some(verified));
    report.followed = followed.as_ref().map(Into::into);
    if good && args.delete_source {
        report.source_deleted(tree.delete_source(&v2).await?);
    }
    out.emit(&report)?;
    if good {
        return Ok(());
    }
    Err(unverified(&check, applied.aborted.len()))
}

/// Exit 4: what v3 still lacks after the copy (`check`: the verification's counts).
fn unverified(check: &Counts, aborted: usize) -> Error {
    let (missing, conflict) = (check.create, check.conflict);
    let different = check.update + check.conflict;
    Error::new(
        Exit::ConditionFailed,
        format!(
            "v3 does not hold every migrated key as v2 does: {missing} missing, {different} different, {} deleted in v2 ({conflict} conflicts, {aborted} aborted transactions); run migrate again, or with --overwrite",
            check.delete
        ),
    )
}
