//! `etcdpy dump [PREFIX] > FILE`: PREFIX and every key under PREFIX/ as NDJSON, read at one
//! revision page by page (v2: the subtree in one read, or directory by directory over 16 MiB),
//! for `etcdpy load`; on a terminal, the keys dumped so far on stderr.

use crate::client::{At, Keys, Kind, LeaseTtls, Paged, Watching, compacted};
use crate::commands::args::KeyParser;
use crate::error::Result;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::transfer::{Dump, progress, progress_done};
use clap::Args;

#[derive(Args, Debug)]
#[command(
    after_help = "The first line is a header ({\"dump\":\"etcdpy\",\"api\":…,\"prefix\":…,\"revision\":…}); each \
    following line is one key, in key order, with the fields of get -o json and \"ttl\" (seconds left, or null); \
    the last line, written only after every key was read, is {\"end\":\"etcdpy\",\"keys\":N,\"sha256\":…} (the \
    SHA-256 of every byte before it). load refuses a file without it.\n\n\
    Examples:\n  etcdpy dump /app > app.ndjson\n  etcdpy dump /app --rev 1 > app-1.ndjson\n  etcdpy dump > everything.ndjson\n  etcdpy --api v2 dump /team > team.ndjson"
)]
pub struct DumpArgs {
    /// PREFIX itself and every key under PREFIX/ (not PREFIX2); "" (the default) dumps every key
    #[arg(value_parser = KeyParser, default_value = "")]
    pub prefix: String,
    /// The subtree as it was at this past revision (a compacted one is refused, naming the
    /// oldest revision etcd still holds)
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub rev: Option<i64>,
}

pub async fn run(
    args: DumpArgs,
    keys: KeyEncoding,
    store: &(impl Keys + Watching),
    out: &mut Out,
) -> Result<()> {
    let span = KeySpan::typed(keys, &args.prefix, true, "dump", "dump")?;
    let (start, end) = span.covering();
    let end = end.unwrap_or_default();
    let mut dump = Dump::new(store.api(), span.key());
    let mut ttls = LeaseTtls::new(true);
    let mut pages = store.pages((start, end), At::asked(args.rev), false, None);
    let mut written = 0;
    loop {
        let page = match (pages.next().await, args.rev) {
            (Err(e), Some(rev)) if e.kind == Kind::Compacted => {
                progress_done(out);
                return Err(compacted(store, &span, rev).await.into());
            }
            (page, _) => match page.inspect_err(|_| progress_done(out))? {
                Some(page) => page,
                None => break,
            },
        };
        dump.begin(out, pages.revision())?;
        for kv in page.kvs.iter().filter(|kv| span.contains(&kv.key)) {
            let ttl = ttls.get(store, kv).await?.flatten();
            dump.kv(out, kv, ttl)?;
            written += 1;
        }
        out.flush()?;
        progress(out, &format!("dumped {written} keys"));
    }
    progress_done(out);
    dump.end(out, pages.revision())
}
