//! `etcdpy du [PREFIX]`: where the space goes: keys, key bytes, value bytes and leased keys per
//! directory below PREFIX, at one revision, largest first (v3 only).

use crate::client::{At, Client, usage};
use crate::commands::args::KeyParser;
use crate::error::Result;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::du::{Du, Order};
use clap::{Args, ValueEnum};

/// The deepest `--depth`.
const MAX_DEPTH: i64 = 1000;

#[derive(Args, Debug)]
#[command(
    after_help = "Path segments are directories: a key /registry/pods/ns/p1 counts in \
/registry/pods/ and /registry/pods/ns/ (rows end with /); a key counts in the row of every directory \
it lies under down to --depth, and always in PREFIX's own row (the first). Key bytes and value bytes \
are the keys and values as stored at that revision; MVCC history (older revisions kept until a \
compaction) and the database file are not counted: etcdpy members shows the database size. Memory \
grows with the rows, not the keys. Text shows sizes as du -h does (K = 1024 bytes, rounded up); \
-o json gives exact numbers. --api v2 is refused (v2's keys have TTLs, not leases).\n\n\
Examples:\n  etcdpy du /registry\n  etcdpy du --depth 2 --sort keys\n  etcdpy du /app --depth 0 -o json"
)]
pub struct DuArgs {
    /// PREFIX itself and every key under PREFIX/ (not PREFIX2); "" (the default) every key
    #[arg(value_parser = KeyParser, default_value = "")]
    pub prefix: String,
    /// Rows for directories down to N levels below PREFIX (0: PREFIX's total alone)
    #[arg(long, short = 'd', value_name = "N", default_value_t = 1, allow_negative_numbers = true,
          value_parser = clap::value_parser!(i64).range(0..=MAX_DEPTH))]
    pub depth: i64,
    /// How the rows below PREFIX's are ordered
    #[arg(long, value_enum, default_value_t = Sort::Size)]
    pub sort: Sort,
    /// Count as of this past revision
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub rev: Option<i64>,
}

/// `--sort`'s values.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Key bytes and value bytes together, largest first
    Size,
    /// Number of keys, most first
    Keys,
    /// Path, in key order
    Name,
}

pub async fn run(args: DuArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    let span = KeySpan::typed(keys, &args.prefix, true, "du", "count")?;
    let depth = args.depth as u32;
    let usage = usage(client, &span, At::asked(args.rev), depth).await?;
    let order = match args.sort {
        Sort::Size => Order::Size,
        Sort::Keys => Order::Keys,
        Sort::Name => Order::Name,
    };
    out.emit(&Du::new(usage, depth, order))
}
