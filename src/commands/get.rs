//! `etcdpy get KEY [-r]`: one key, one directory level, or a whole prefix.

use crate::cli::{KeyEncoding, KeyParser};
use crate::client::{Client, KeyValue, Pager, RangeSpec, prefix_end};
use crate::error::{Error, Result};
use crate::output::Out;
use crate::output::schema::Listing;
use clap::Args;
use std::collections::HashMap;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy get /nodes/n2\n  etcdpy get /nodes -r\n  etcdpy get /nodes -r --keys-only --limit 10\n  etcdpy get /nodes/n2 -l -o json\n  etcdpy get /nodes/n2 --raw > n2.value"
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
}

pub async fn run(args: GetArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    let key = &keys.decode("KEY", &args.key)?[..];
    if key.is_empty() && !args.recursive {
        return Err(Error::usage(
            "KEY must not be empty (use get \"\" -r to read every key)",
        ));
    }
    if args.raw && out.json {
        return Err(Error::usage(
            "--raw prints the value's bytes and nothing else; it does not go with -o json",
        ));
    }
    let mut ttls = Ttls::new(args.long);
    let revision = args.rev.unwrap_or(0);
    let is_dir_key = key.is_empty() || key.ends_with(b"/");

    // The key itself, unless KEY/ is the prefix and already covers it.
    let mut exact = None;
    let mut pinned = revision;
    if !(args.recursive && is_dir_key) {
        let spec = RangeSpec {
            keys_only: args.keys_only,
            revision,
            ..RangeSpec::key(key)
        };
        let page = client.range(&spec).await?;
        pinned = if revision != 0 {
            revision
        } else {
            page.revision
        };
        exact = page.kvs.into_iter().next();
    }

    if args.raw {
        let kv = exact.ok_or_else(|| Error::not_found(key))?;
        out.data(&kv.value)?;
        return out.flush();
    }
    if !args.recursive {
        if let Some(kv) = exact {
            let mut listing = Listing::new(!args.long && !args.keys_only, false);
            listing.begin(pinned);
            let ttl = ttls.get(client, &kv).await?;
            listing.kv(out, &kv, args.keys_only, ttl)?;
            return listing.end(out, false);
        }
        return list_level(&args, key, client, out, pinned, &mut ttls).await;
    }

    let (start, end) = if key.is_empty() {
        (vec![0], vec![0])
    } else {
        let dir = dir_prefix(key);
        let end = prefix_end(&dir);
        (dir, end)
    };
    let mut listing = Listing::new(false, false);
    let mut left = args.limit;
    if let Some(kv) = exact {
        listing.begin(pinned);
        let ttl = ttls.get(client, &kv).await?;
        listing.kv(out, &kv, args.keys_only, ttl)?;
        left = left.map(|n| n - 1);
    }
    let mut pager = Pager::new(start, end, pinned, args.keys_only, left);
    let truncated = if left != Some(0) {
        while let Some(page) = pager.next_ahead(client).await? {
            let page = page.decode()?;
            listing.begin(pager.revision());
            for kv in &page.kvs {
                let ttl = ttls.get(client, kv).await?;
                listing.kv(out, kv, args.keys_only, ttl)?;
            }
            out.flush()?;
        }
        pager.truncated
    } else {
        // --limit was used up by KEY itself: is there more below it?
        let dir = dir_prefix(key);
        let probe = RangeSpec {
            end: Some(prefix_end(&dir)),
            limit: 1,
            revision: pinned,
            keys_only: true,
            ..RangeSpec::key(&dir)
        };
        !client.range(&probe).await?.kvs.is_empty()
    };
    if listing.is_empty() {
        return Err(Error::not_found(key));
    }
    listing.end(out, truncated)
}

/// The level directly below KEY/: keys with their values, sub-directories once.
async fn list_level(
    args: &GetArgs,
    key: &[u8],
    client: &Client,
    out: &mut Out,
    revision: i64,
    ttls: &mut Ttls,
) -> Result<()> {
    let dir = dir_prefix(key);
    let mut pager = Pager::new(
        dir.clone(),
        prefix_end(&dir),
        revision,
        args.keys_only,
        None,
    );
    let mut listing = Listing::new(false, true);
    let mut last_sub: Option<Vec<u8>> = None;
    let mut left = args.limit.unwrap_or(u64::MAX);
    let mut truncated = false;
    'pages: while let Some(page) = pager.next(client).await? {
        listing.begin(pager.revision());
        for kv in &page.kvs {
            let rest = &kv.key[dir.len()..];
            let entry_sub = rest
                .iter()
                .position(|b| *b == b'/')
                .map(|i| kv.key[..dir.len() + i + 1].to_vec());
            if entry_sub.is_some() && entry_sub == last_sub {
                continue;
            }
            if left == 0 {
                truncated = true;
                break 'pages;
            }
            left -= 1;
            match entry_sub {
                Some(sub) => {
                    listing.dir(out, &sub)?;
                    last_sub = Some(sub);
                }
                None => {
                    let ttl = ttls.get(client, kv).await?;
                    listing.kv(out, kv, args.keys_only, ttl)?;
                }
            }
        }
        // Jump over the rest of a sub-directory instead of reading it.
        if let (Some(sub), Some(last)) = (&last_sub, page.kvs.last())
            && last.key.starts_with(sub)
        {
            pager.skip_to(prefix_end(sub));
        }
        out.flush()?;
    }
    if listing.is_empty() {
        return Err(Error::not_found(key));
    }
    listing.end(out, truncated)
}

/// KEY/ (KEY itself when it already ends with /).
fn dir_prefix(key: &[u8]) -> Vec<u8> {
    let mut dir = key.to_vec();
    if !dir.ends_with(b"/") {
        dir.push(b'/');
    }
    dir
}

/// Remaining TTLs for --long, asked once per lease.
struct Ttls {
    enabled: bool,
    known: HashMap<i64, i64>,
}

impl Ttls {
    fn new(enabled: bool) -> Self {
        Ttls {
            enabled,
            known: HashMap::new(),
        }
    }

    /// `None`: not asked for; `Some(None)`: the key has no lease.
    async fn get(&mut self, client: &Client, kv: &KeyValue) -> Result<Option<Option<i64>>> {
        if !self.enabled {
            return Ok(None);
        }
        if kv.lease == 0 {
            return Ok(Some(None));
        }
        if let Some(ttl) = self.known.get(&kv.lease) {
            return Ok(Some(Some(*ttl)));
        }
        let ttl = client.lease_time_to_live(kv.lease, false).await?.ttl.max(0);
        self.known.insert(kv.lease, ttl);
        Ok(Some(Some(ttl)))
    }
}
