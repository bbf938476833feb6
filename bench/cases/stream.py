"""Issue 28 item 3: `get -r` and `dump` of 100,000 keys on etcd 3.7, where etcdpy reads the range
through KV.RangeStream, side by side with `etcdctl get --prefix --stream` (3.7's own etcdctl, which
merges the chunks into one answer) and plain `etcdctl get --prefix`. The server runs with etcd's
default --max-request-bytes (1.5 MiB), which sizes RangeStream's chunks."""
import os

NAME = "stream"


def run(ctx):
    args, log, median = ctx.args, ctx.log, ctx.median
    keys = args.big_keys
    etcd37 = ctx.etcd_version("3.7")
    etcdctl = os.path.join(os.path.dirname(etcd37), "etcdctl")
    e = ctx.start_etcd("stream37", ["--unsafe-no-fsync", "--max-request-bytes", str(1536 * 1024)], binary=etcd37)
    log(f"stream: {keys} keys on etcd 3.7")
    e.load("/stream/", keys, 100)
    ep = ["--endpoints", e.url]
    ec = [etcdctl, f"--endpoints={e.url}"]
    tools = {
        "etcdpy": [args.etcdpy, *ep, "get", "/stream", "-r"],
        "etcdctl --stream": [*ec, "get", "--prefix", "/stream/", "--stream"],
        "etcdctl": [*ec, "get", "--prefix", "/stream/"],
        "etcdpy dump": [args.etcdpy, *ep, "dump", "/stream"],
    }
    ctx.alternate(ctx.runner, tools, 1)  # a round to warm up, not counted
    res = ctx.alternate(ctx.runner, tools, args.big_rounds)
    t = {n: median(w) for n, (w, _, _) in res.items()}
    m = {n: median(r) for n, (_, r, _) in res.items()}
    cpu = {n: median(c) for n, (_, _, c) in res.items()}
    rounds = args.big_rounds
    reads = ("etcdpy", "etcdctl --stream", "etcdctl")
    pick = lambda d: {n: d[n] for n in reads}
    ratio = lambda a, b: f"{a / b:.2f}" if a and b else "–"
    log(f"stream: wall etcdpy/etcdctl --stream {ratio(t['etcdpy'], t['etcdctl --stream'])}, "
        f"etcdpy/etcdctl {ratio(t['etcdpy'], t['etcdctl'])}; RSS etcdpy/etcdctl --stream "
        f"{ratio(m['etcdpy'], m['etcdctl --stream'])}, etcdpy/etcdctl {ratio(m['etcdpy'], m['etcdctl'])}")
    met_t = t["etcdpy"] <= 0.6 * t["etcdctl --stream"] and t["etcdpy"] <= 0.6 * t["etcdctl"]
    met_m = m["etcdpy"] <= 0.3 * m["etcdctl --stream"] and m["etcdpy"] <= 0.3 * m["etcdctl"]
    rows = [
        ("28.3", f"etcd 3.7: `get -r`, {keys:,} keys (RangeStream): wall (median of {rounds})", pick(t), "ms",
         "≤ 0.6 × etcdctl --stream and ≤ 0.6 × etcdctl", met_t),
        ("28.3", f"etcd 3.7: `get -r`, {keys:,} keys: peak RSS", pick(m), "MiB", "≤ 0.3 × etcdctl's", met_m),
        ("28.3", f"etcd 3.7: `get -r`, {keys:,} keys: the tool's own CPU time (user + sys)", pick(cpu), "ms", "",
         None),
        ("28.3", f"etcd 3.7: `dump /stream`, {keys:,} keys: wall (median of {rounds})",
         {"etcdpy": t["etcdpy dump"]}, "ms", "", None),
        ("28.3", f"etcd 3.7: `dump /stream`, {keys:,} keys: peak RSS", {"etcdpy": m["etcdpy dump"]}, "MiB", "",
         None),
    ]
    e.stop()
    ctx.etcds.remove(e)
    return rows
