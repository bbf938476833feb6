"""Issue 28 item 1: a v2 store of 1,000,000 keys (1,000 directories of 1,000 keys, 20-byte
values; the one recursive answer is about 130 MB, 8 times etcdpy's 16 MiB cap), read directory
by directory: `--api v2 dump`, `--api v2 get -r` and `migrate --dry-run`, wall and peak RSS, side
by side with the one recursive read by curl and by python-etcd (`read(recursive=True)`), which
hold it whole. etcdctl 3.5 has no v2 reads. On etcd 3.5 (--enable-v2 --unsafe-no-fsync: filling
v2, which has no transactions, takes a PUT per key). Also: a tree under the cap (100,000 keys,
~10 MB), read in one answer as etcdpy does below the cap, then the same tree moved over the cap by
10,000 keys of 800 bytes and read again, now directory by directory: what the one-shot read
saves on small trees, and what the failed first attempt costs on big ones."""
import json
import os
import subprocess
import sys
import time
import urllib.request

NAME = "v2big"
KEYS = int(os.environ.get("V2BIG_KEYS", "1000000"))
DIRS = 1000
VALUE = 20
ROUNDS = int(os.environ.get("V2BIG_ROUNDS", "2"))


def run(ctx):
    args, runner, log, median = ctx.args, ctx.runner, ctx.log, ctx.median
    etcd = ctx.start_etcd("v2big", ["--enable-v2", "--unsafe-no-fsync"], binary=ctx.etcd_version("3.5"))
    started = time.time()
    subprocess.run([sys.executable, os.path.join(ctx.here, "v2fill.py"), etcd.url, "/m", str(KEYS), str(DIRS),
                    str(VALUE), "32", "4"], check=True)
    filled = time.time() - started
    log(f"v2big: filled {KEYS:,} v2 keys in {filled:.0f} s ({KEYS / filled:,.0f} PUTs/s)")
    with urllib.request.urlopen(f"{etcd.url}/v2/keys/m?recursive=true&sorted=true", timeout=600) as r:
        size = len(r.read())
    ep = ["--endpoints", etcd.url]
    py = f"import etcd; c = etcd.Client(host='127.0.0.1', port={etcd.client_port})"
    tools = {
        "etcdpy dump": [args.etcdpy, *ep, "--api", "v2", "dump", "/m"],
        "etcdpy get -r": [args.etcdpy, *ep, "--api", "v2", "get", "/m", "-r"],
        "etcdpy migrate --dry-run": [args.etcdpy, *ep, "migrate", "/m", "--dry-run"],
        "curl": ["curl", "-sS", "-f", f"{etcd.url}/v2/keys/m?recursive=true&sorted=true"],
        "python-etcd": [args.python, "-c", f"{py}; n = c.read('/m', recursive=True); "
                                           "print(sum(1 for _ in n.leaves))"],
    }
    res = ctx.alternate(runner, tools, ROUNDS)
    wall = {n: median(w) for n, (w, _, _) in res.items()}
    rss = {n: median(m) for n, (_, m, _) in res.items()}
    cpu = {n: median(c) for n, (_, _, c) in res.items()}
    for name in tools:
        log(f"v2big: {name}: {wall[name]:.2f} s, {rss[name] / 1024:.1f} MiB, cpu {cpu[name]:.2f} s")
    base = wall["curl"]
    log("v2big: wall / curl's one answer: " + ", ".join(f"{n} {wall[n] / base:.2f}" for n in tools))
    label = f"{KEYS:,} v2 keys in {DIRS:,} dirs ({size / 1e6:.0f} MB as one answer)"
    rows = [
        ("v2big", f"{label}: wall (median of {ROUNDS})", wall, "ms", "works (was exit 7)", True),
        ("v2big", f"{label}: peak RSS", rss, "MiB", "etcdpy dump/get -r flat", None),
        ("v2big", f"{label}: CPU", {n: c for n, c in cpu.items()}, "", "", None),
        ("v2big", "filling v2 (PUT per key, 128 in flight)", {"v2fill.py": filled}, "ms", "", None),
    ]
    rows += small_tree(ctx, etcd)
    return rows


def small_tree(ctx, etcd):
    """One answer below the cap vs the same tree read directory by directory once over it."""
    args, runner, median = ctx.args, ctx.runner, ctx.median
    ep = ["--endpoints", etcd.url, "--api", "v2"]
    subprocess.run([sys.executable, os.path.join(ctx.here, "v2fill.py"), etcd.url, "/s", "100000", "100", "20",
                    "32", "4"], check=True)
    one = ctx.alternate(runner, {"etcdpy": [args.etcdpy, *ep, "get", "/s", "-r"]}, 3)["etcdpy"]
    # 10,000 keys of 800 bytes more: over the cap, so the same command reads it piecewise.
    subprocess.run([sys.executable, os.path.join(ctx.here, "v2fill.py"), etcd.url, "/s/zz", "10000", "100", "800",
                    "32", "4"], check=True)
    piece = ctx.alternate(runner, {"etcdpy": [args.etcdpy, *ep, "get", "/s", "-r"]}, 3)["etcdpy"]
    ctx.log(f"v2big: 100k keys in one answer {median(one[0]):.2f} s {median(one[1]) / 1024:.1f} MiB; "
            f"110k keys piecewise {median(piece[0]):.2f} s {median(piece[1]) / 1024:.1f} MiB")
    return [
        ("v2big", "100,000 v2 keys, one recursive answer (under the cap): wall", {"etcdpy": median(one[0])}, "ms",
         "", None),
        ("v2big", "100,000 v2 keys, one recursive answer: peak RSS", {"etcdpy": median(one[1])}, "MiB", "", None),
        ("v2big", "110,000 v2 keys (over the cap), directory by directory: wall", {"etcdpy": median(piece[0])},
         "ms", "", None),
        ("v2big", "110,000 v2 keys, directory by directory: peak RSS", {"etcdpy": median(piece[1])}, "MiB", "",
         None),
    ]
