"""Election failover, case 7's measure repeated for a stable median (issue 28 item 5): a leader
(`etcdpy elect E -- sh -c 'echo leading; sleep 60'`, `etcdctl elect E p`) and a follower queued
behind it; from SIGTERM to the leader to the follower's first line, etcdpy and etcdctl alternating
round by round on one etcd. ETCDPY_FAILOVER_ROUNDS sets the rounds (default 21)."""
import os
import signal

NAME = "failover"


def run(ctx):
    args = ctx.args
    rounds = int(os.environ.get("ETCDPY_FAILOVER_ROUNDS", "21"))
    etcd = ctx.start_etcd("failover")
    ep = ["--endpoints", etcd.url]
    ec = [args.etcdctl, f"--endpoints={etcd.url}"]
    leads = "echo leading; sleep 60"
    over = {"etcdpy": [], "etcdctl": []}
    for i in range(rounds):
        e = [args.etcdpy, *ep, "elect", f"fo-e{i}", "--", "sh", "-c", leads]
        c = [*ec, "elect", f"fo-c{i}", "p"]
        # Alternate which goes first, so that neither always runs on a machine just woken.
        pair = [("etcdpy", e), ("etcdctl", c)]
        for tool, argv in (pair if i % 2 == 0 else pair[::-1]):
            over[tool].append(ctx.failover(argv, argv, signal.SIGTERM))
    ctx.log("failover (ms): " + "; ".join(f"{t}: {sorted(round(v, 2) for v in d)}" for t, d in over.items()))
    t = {n: ctx.median(d) for n, d in over.items()}
    etcd.stop()
    ctx.etcds.remove(etcd)
    return [("failover", f"election failover: SIGTERM to the leader → the next leads (median of {rounds})",
             t, "msd", "≤ etcdctl", t["etcdpy"] <= t["etcdctl"])]
