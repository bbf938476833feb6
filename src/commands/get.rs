//! `etcdpy get KEY [-r]`: one key, one directory level, or a whole prefix, on either API.

use crate::client::{At, Entry, Found, Keys, LeaseTtls, Leveled, Paged};
use crate::commands::args::{KeyParser, not_with_json};
use crate::error::Result;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::schema::Listing;
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy get /nodes/n2\n  etcdpy get /nodes -r\n  etcdpy get /_locks -r --allow-empty  # exit 0 when there is nothing (set -e)\n  etcdpy get /nodes -r --keys-only --limit 10\n  etcdpy get /nodes -r --tree\n  etcdpy get /nodes/n2 -l -o json\n  etcdpy get /nodes/n2 --raw > n2.value"
)]
pub struct GetArgs {
    /// The key to read. If it has no value but keys exist below KEY/, the level below it is listed
    /// (sub-directories once, with a trailing /). With -r, "" means every key.
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// List KEY itself (if it exists) and every key under KEY/ (not KEY2), sorted by key
    #[arg(short, long)]
    pub recursive: bool,
    /// Print keys without their values
    #[arg(long)]
    pub keys_only: bool,
    /// Print at most N keys
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Read as of this past revision
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub rev: Option<i64>,
    /// Also show create and mod revision, version, lease and the lease's remaining TTL
    #[arg(short, long)]
    pub long: bool,
    /// Print KEY's value exactly, with no newline added (etcdpy get KEY --raw > file); KEY
    /// itself only (a KEY with no value of its own exits 3), so not with -r, --keys-only, -l,
    /// --limit or -o json. On a terminal its control characters are still shown escaped
    #[arg(long, conflicts_with_all = ["recursive", "keys_only", "long", "limit"])]
    pub raw: bool,
    /// Print each value alone on a line (with -r every key's; sub-directories left out), as
    /// etcdctl does; not with --keys-only, -l, --raw or -o json
    #[arg(long, conflicts_with_all = ["keys_only", "long", "raw"])]
    pub print_value_only: bool,
    /// Nothing found is fine: exit 0 and print nothing (-o json: an empty listing) instead of
    /// exit 3, for scripts under set -e (every other error still fails). Like etcdctl get
    #[arg(long)]
    pub allow_empty: bool,
    /// With -r: an indented tree, a line per directory (SEGMENT/) and per key (its last segment)
    #[arg(long, requires = "recursive", conflicts_with_all = ["raw", "print_value_only"])]
    pub tree: bool,
}

pub async fn run(args: GetArgs, keys: KeyEncoding, store: &impl Keys, out: &mut Out) -> Result<()> {
    let span = KeySpan::typed(keys, &args.key, args.recursive, "get", "read")?;
    let key = span.key();
    let bytes = "prints the value's bytes and nothing else";
    not_with_json(
        out.json,
        &[
            (args.raw, "--raw", bytes),
            (args.print_value_only, "--print-value-only", bytes),
            (args.tree, "--tree", "is a text view of get -r's keys"),
        ],
    )?;
    let mut ttls = LeaseTtls::new(args.long);
    let at = At::asked(args.rev);

    let mut exact = store.span_key(&span, at, args.keys_only).await?;
    let pinned = exact.revision;

    if args.raw {
        let Some(kv) = exact.kv else {
            let below = Some("get without --raw lists it");
            return match args.allow_empty {
                true => Ok(()),
                false => Err(super::not_found(store, exact.absent(key), key, below).await),
            };
        };
        out.data(&kv.value)?;
        return out.flush();
    }
    let alone = args.print_value_only || !args.recursive && !args.long && !args.keys_only;
    let mut listing = Listing::new(alone, false).tree(args.tree.then(|| span.dir()));
    let mut left = args.limit;
    if let Some(kv) = exact.kv.take() {
        listing.begin(pinned);
        let ttl = ttls.get(store, &kv).await?;
        listing.kv(out, &kv, args.keys_only, ttl)?;
        if !args.recursive {
            return listing.end(out, false);
        }
        left = left.map(|n| n - 1);
    }
    if !args.recursive {
        return list_level(&args, &span, store, out, exact, &mut ttls).await;
    }

    // Everything under KEY/; with --limit used up by KEY itself, only whether there is more.
    let mut pages = store.pages(span.below(), at.or_same(pinned), args.keys_only, left);
    while let Some(page) = super::unless_absent(pages.next().await, &mut exact)? {
        listing.begin(pages.revision());
        for kv in &page.kvs {
            let ttl = ttls.get(store, kv).await?;
            listing.kv(out, kv, args.keys_only, ttl)?;
        }
        out.flush()?;
    }
    if listing.is_empty() && !args.allow_empty && !pages.empty_dir() {
        return Err(super::not_found(store, exact.absent(key), key, None).await);
    }
    listing.begin(pages.revision().max(pinned));
    listing.end(out, pages.truncated())
}

/// The level directly below KEY/: keys with their values, sub-directories once.
async fn list_level(
    args: &GetArgs,
    span: &KeySpan,
    store: &impl Keys,
    out: &mut Out,
    mut exact: Found,
    ttls: &mut LeaseTtls,
) -> Result<()> {
    let revision = exact.revision;
    let at = At::asked(args.rev).or_same(revision);
    let mut level = store.level(span.dir(), at, args.keys_only, args.limit);
    let mut listing = Listing::new(args.print_value_only, true);
    while let Some(entries) = super::unless_absent(level.next().await, &mut exact)? {
        listing.begin(level.revision());
        for entry in &entries {
            match entry {
                Entry::Dir(_) if args.print_value_only => {}
                Entry::Dir(sub) => listing.dir(out, sub)?,
                Entry::Key(kv) => {
                    let ttl = ttls.get(store, kv).await?;
                    listing.kv(out, kv, args.keys_only, ttl)?;
                }
            }
        }
        out.flush()?;
    }
    if listing.is_empty() && !args.allow_empty && !level.empty_dir() {
        let absent = exact.absent(span.key());
        return Err(super::not_found(store, absent, span.key(), None).await);
    }
    listing.begin(level.revision().max(revision));
    listing.end(out, level.truncated())
}
