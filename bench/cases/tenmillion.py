"""Issue 28 item 6: `get -r` and `dump` of 10,000,000 keys (100-byte values) on etcd 3.7 (RangeStream),
peak RSS against the same command's on 100,000 keys of the same server; then `load` of that dump
into an empty prefix, time and RSS. Loading 10M keys takes etcd many minutes and about 4 GB of disk
(the dump file 2 GB more): ETCDPY_BENCH_TENMILLION_KEYS=N runs it with N keys instead (e.g. 1000000
to check the case). etcdpy alone: etcdctl holds a whole range in memory."""
import os
import shutil

NAME = "tenmillion"


def run(ctx):
    args, log = ctx.args, ctx.log
    keys = int(os.environ.get("ETCDPY_BENCH_TENMILLION_KEYS", 10_000_000))
    small = args.big_keys
    need = keys * 600  # etcd's db and WAL, the dump file: about 600 bytes a key measured with 1M
    free = shutil.disk_usage(args.workdir).free
    if free < need:
        raise SystemExit(f"bench: tenmillion needs about {need / 1e9:.0f} GB in {args.workdir}, "
                         f"{free / 1e9:.0f} GB free")
    etcd37 = ctx.etcd_version("3.7")
    e = ctx.start_etcd("ten37", ["--unsafe-no-fsync", "--max-request-bytes", str(1536 * 1024),
                                 "--quota-backend-bytes", str(32 << 30)], binary=etcd37)
    ep = ["--endpoints", e.url]
    e.load("/small/", small, 100)
    log(f"tenmillion: loading {keys:,} keys")
    e.load("/ten/", keys, 100)
    run = ctx.runner.run
    rows = []
    for label, cmd in (("get -r", ["get", "-r"]), ("dump", ["dump"])):
        _, small_rss = run([args.etcdpy, *ep, *cmd, "/small"])
        out = os.path.join(args.workdir, "ten.ndjson") if label == "dump" else "/dev/null"
        wall, rss = run([args.etcdpy, *ep, *cmd, "/ten"], stdout=out)
        cpu = ctx.runner.cpu
        log(f"tenmillion: {label} of {keys:,} keys: {wall:.1f} s, {rss / 1024:.1f} MiB "
            f"({small:,} keys: {small_rss / 1024:.1f} MiB), CPU {cpu:.1f} s")
        rows.append(("28.6", f"etcd 3.7: `{label}`, {keys:,} keys: wall", {"etcdpy": wall}, "ms", "", None))
        rows.append(("28.6", f"etcd 3.7: `{label}`, {keys:,} keys: peak RSS (against {small:,} keys)",
                     {"etcdpy": rss, f"etcdpy, {small:,} keys": small_rss}, "MiB",
                     f"within 10% of the {small:,}-key figure", rss <= 1.1 * small_rss))
    dump = os.path.join(args.workdir, "ten.ndjson")
    log(f"tenmillion: dump file {os.path.getsize(dump) / 1e9:.2f} GB; loading it into /reloaded")
    wall, rss = run([args.etcdpy, *ep, "load", dump, "--prefix-rename", "/ten=/reloaded"])
    log(f"tenmillion: load of {keys:,} keys: {wall:.1f} s, {rss / 1024:.1f} MiB")
    rows.append(("28.6", f"etcd 3.7: `load` of that dump into an empty prefix, {keys:,} keys: wall",
                 {"etcdpy": wall}, "ms", "", None))
    rows.append(("28.6", f"etcd 3.7: `load`, {keys:,} keys: peak RSS", {"etcdpy": rss}, "MiB", "", None))
    os.remove(dump)
    e.stop()
    ctx.etcds.remove(e)
    return rows
