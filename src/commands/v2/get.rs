//! `etcdpy --api v2 get KEY [-r]`: a key, one level of a directory (python-etcd's `read`), or
//! a whole subtree (`recursive=True`), sorted by key; revisions are v2 indexes.

use super::unsupported;
use crate::client::{Kind, Node, V2};
use crate::commands::get::GetArgs;
use crate::error::{Error, Result};
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::schema::Listing;

pub async fn run(args: GetArgs, keys: KeyEncoding, v2: &V2<'_>, out: &mut Out) -> Result<()> {
    if args.rev.is_some() {
        return Err(unsupported(
            "--rev",
            "cannot be used: the v2 store keeps no past revisions",
        ));
    }
    let span = KeySpan::typed(keys, &args.key, args.recursive, "get", "read")?;
    if args.raw && out.json {
        return Err(Error::usage(
            "--raw prints the value's bytes and nothing else; it does not go with -o json",
        ));
    }
    let (node, index) = match v2.get(span.key(), args.recursive).await {
        // --allow-empty: nothing there prints nothing (-o json: an empty listing), exit 0.
        Err(err) if args.allow_empty && err.kind == Kind::NotFound => {
            if args.raw {
                return Ok(());
            }
            return Listing::new(false, !args.recursive).end(out, false);
        }
        got => got?,
    };
    if args.raw {
        if node.dir {
            return Err(Error::not_found(span.key()));
        }
        out.data(&node.value)?;
        return out.flush();
    }
    let ttl = |n: &Node| args.long.then_some(n.ttl);
    if !node.dir {
        let mut listing = Listing::new(!args.recursive && !args.long && !args.keys_only, false);
        listing.begin(index);
        listing.kv(out, &node.kv(), args.keys_only, ttl(&node))?;
        return listing.end(out, false);
    }
    let mut listing = Listing::new(false, !args.recursive);
    listing.begin(index);
    let mut left = args.limit.unwrap_or(u64::MAX);
    let entries: Vec<&Node> = if args.recursive {
        node.leaves()
    } else {
        node.nodes.iter().collect()
    };
    let more = entries.len() as u64 > left;
    for entry in entries {
        if left == 0 {
            break;
        }
        left -= 1;
        if entry.dir {
            let mut key = entry.key.clone();
            key.push(b'/');
            listing.dir(out, &key)?;
        } else {
            listing.kv(out, &entry.kv(), args.keys_only, ttl(entry))?;
        }
    }
    listing.end(out, more)
}
