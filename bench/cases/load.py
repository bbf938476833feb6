"""`load` near etcd's write limit (issue 28 item 2), on etcd 3.5 and 3.7: a dump of 100,000 and of
1,000,000 keys (100-byte values) loaded into an empty prefix by etcdpy (planned, guarded 128-op
transactions, a window of them in flight over gRPC's KV/Txn), against the plain sequential txn
loader (bench/load.py: 128-put transactions, one connection, no reads, no guards) and a parallel one
(bench/load.py with 16 connections: etcd's own apply rate for 128-put transactions, the ceiling).
etcdpy also over the gateway (--transport gateway) for the 100,000 keys. Each tool runs as a
whole process (wall, its CPU, peak RSS) and etcd's CPU during the run is read from /proc. The
100,000 keys go to an etcd that syncs its log (as the built-in case 6); the 1,000,000 to one with
--unsafe-no-fsync (as case 3, where today's 46 s was measured)."""
import os
import sys

NAME = "load"
SMALL, HUGE = 100_000, 1_000_000
ROUNDS = 3


def etcd_cpu(etcd):
    """etcd's CPU seconds so far (user + system), from /proc."""
    with open(f"/proc/{etcd.proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(ctx, etcd, keys, rounds, dump, gateway):
    """{tool: (walls, rss, cpu, etcd cpu)}, tools alternating run by run."""
    a = ctx.args
    loader = os.path.join(ctx.here, "load.py")
    res = {}
    for r in range(rounds):
        tools = {
            "etcdpy": [a.etcdpy, "--endpoints", etcd.url, "load", dump, "--prefix-rename", f"/src=/py{r}"],
            "txn loader": [sys.executable, loader, etcd.url, f"/seq{r}/", str(keys), "100", "128", "1"],
            "parallel loader": [sys.executable, loader, etcd.url, f"/par{r}/", str(keys), "100", "128", "16"],
        }
        if gateway:
            tools["etcdpy gateway"] = [a.etcdpy, "--endpoints", etcd.url, "--transport", "gateway", "load", dump,
                                       "--prefix-rename", f"/src=/gw{r}"]
        names = list(tools)
        for i in range(len(names)):
            name = names[(r + i) % len(names)]
            before = etcd_cpu(etcd)
            wall, rss = ctx.runner.run(tools[name])
            got = res.setdefault(name, ([], [], [], []))
            got[0].append(wall)
            got[1].append(rss)
            got[2].append(ctx.runner.cpu)
            got[3].append(etcd_cpu(etcd) - before)
    return res


def rows_of(ctx, label, keys, res, rounds, target, factor):
    m = ctx.median
    walls = {n: m(v[0]) for n, v in res.items()}
    ratio = walls["etcdpy"] / walls["txn loader"]
    ceiling = walls["etcdpy"] / walls["parallel loader"]
    ctx.log(f"load {label}, {keys:,} keys: etcdpy {walls['etcdpy']:.2f}s = {ratio:.2f} x the txn loader, "
            f"{ceiling:.2f} x the parallel loader")
    for name, v in res.items():  # each tool's figures as soon as they are known (a long run)
        ctx.log(f"  {name}: wall {m(v[0]):.2f}s, CPU {m(v[2]):.2f}s, etcd's CPU {m(v[3]):.2f}s, "
                f"peak RSS {max(v[1]) / 1024:.1f} MiB")
    return [
        ("load", f"`load`, {label}, {keys:,} keys: wall (median of {rounds}); etcdpy/txn loader {ratio:.2f}, "
                 f"etcdpy/parallel loader {ceiling:.2f}", walls, "ms", target, ratio <= factor),
        ("load", f"`load`, {label}, {keys:,} keys: the tool's CPU (user + sys)",
         {n: m(v[2]) for n, v in res.items()}, "ms", "", None),
        ("load", f"`load`, {label}, {keys:,} keys: etcd's CPU during the run",
         {n: m(v[3]) for n, v in res.items()}, "ms", "", None),
        ("load", f"`load`, {label}, {keys:,} keys: peak RSS", {n: max(v[1]) for n, v in res.items()}, "MiB",
         "", None),
    ]


def source(ctx, etcd, keys, name):
    """A dump of `keys` keys under /src (100-byte values), made with load.py and etcdpy dump."""
    a = ctx.args
    etcd.load("/src/", keys, 100)
    path = os.path.join(a.workdir, f"{name}.ndjson")
    ctx.runner.run([a.etcdpy, "--endpoints", etcd.url, "dump", "/src"], stdout=path)
    return path


def run(ctx):
    rows = []
    for version in ("3.5", "3.7"):
        binary = ctx.etcd_version(version)
        ctx.log(f"load: {SMALL:,} keys on etcd {version}")
        etcd = ctx.start_etcd(f"load-{version}", binary=binary)
        dump = source(ctx, etcd, SMALL, f"load-{version}")
        res = measure(ctx, etcd, SMALL, ROUNDS, dump, True)
        rows += rows_of(ctx, f"etcd {version}", SMALL, res, ROUNDS, "≤ 0.6 × txn loader", 0.6)
        os.remove(dump)
        etcd.stop()
        ctx.etcds.remove(etcd)

        ctx.log(f"load: {HUGE:,} keys on etcd {version} (--unsafe-no-fsync)")
        etcd = ctx.start_etcd(f"load-huge-{version}", ["--unsafe-no-fsync"], binary=binary)
        dump = source(ctx, etcd, HUGE, f"load-huge-{version}")
        res = measure(ctx, etcd, HUGE, 1, dump, False)
        # Today's rate: 1,000,000 keys in 46 s (BENCHMARKS.md, case 3); the target is 3 × that rate.
        rows += rows_of(ctx, f"etcd {version}, no fsync", HUGE, res, 1, "≥ 3 × 46 s's rate (≤ 15.3 s)", 9e9)
        rows[-4] = rows[-4][:5] + (ctx.median(res["etcdpy"][0]) <= 46 / 3,)
        os.remove(dump)
        etcd.stop()
        ctx.etcds.remove(etcd)
    return rows
