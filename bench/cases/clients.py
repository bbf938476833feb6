"""Many clients (issue 28 item 4), etcdpy beside etcdctl on the bench's etcd (3.5):
(a) N `lock L -- true` processes started at once: time until all are done, and the gRPC requests
    etcd served per acquisition (grpc_server_handled_total summed from /metrics, before/after);
(b) N `lock` processes waiting on a 3-member cluster while its leader is killed (SIGKILL): the
    requests the survivors were sent per second during the leaderless window
    (grpc_server_started_total), and the time from the kill until every waiter has held once;
(c) N `elect --observe` processes on one election while the leader changes M times: whether every
    observer printed every leader (a correctness check: the row is "met" only then), and the
    requests etcd served per change.
Sizes: ETCDPY_CLIENTS_LOCKERS (300), ETCDPY_CLIENTS_WAITERS (200), ETCDPY_CLIENTS_OBSERVERS (100),
ETCDPY_CLIENTS_CHANGES (20)."""
import http.client
import json
import os
import signal
import subprocess
import sys
import time

NAME = "clients"


def size(name, default):
    return int(os.environ.get(f"ETCDPY_CLIENTS_{name}", default))


def metric(port, names):
    """The sum of every sample of the metrics `names` on the member at `port` (0 if it is down)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
        conn.close()
    except OSError:
        return 0.0
    total = 0.0
    for line in text.splitlines():
        name = line.split("{", 1)[0].split(" ", 1)[0]
        if name in names:
            total += float(line.rsplit(" ", 1)[1])
    return total


def served(ports):
    return sum(metric(p, ("grpc_server_handled_total",)) for p in ports)


def started(ports):
    return sum(metric(p, ("grpc_server_started_total",)) for p in ports)


def spawn_all(argv, n, out=subprocess.DEVNULL):
    return [subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
            for _ in range(n)]


def reap(procs, what, timeout=600):
    for proc in procs:
        _, err = proc.communicate(timeout=timeout)
        if proc.returncode:
            sys.exit(f"bench: {what} failed ({proc.returncode}): {err.decode()[-500:]}")


class Cluster:
    """Three etcd members on free loopback ports."""

    def __init__(self, ctx, binary, tag):
        from socket import socket
        ports = []
        for _ in range(6):
            s = socket()
            s.bind(("127.0.0.1", 0))
            ports.append(s)
        nums = [s.getsockname()[1] for s in ports]
        for s in ports:
            s.close()
        self.client = nums[:3]
        peers = nums[3:]
        names = [f"{tag}{i}" for i in range(3)]
        initial = ",".join(f"{n}=http://127.0.0.1:{p}" for n, p in zip(names, peers))
        self.urls = [f"http://127.0.0.1:{p}" for p in self.client]
        self.procs = []
        for i, name in enumerate(names):
            log = open(os.path.join(ctx.args.workdir, f"{name}.log"), "wb")
            self.procs.append(subprocess.Popen([
                binary, "--name", name, "--data-dir", os.path.join(ctx.args.workdir, name),
                "--listen-client-urls", self.urls[i], "--advertise-client-urls", self.urls[i],
                "--listen-peer-urls", f"http://127.0.0.1:{peers[i]}",
                "--initial-advertise-peer-urls", f"http://127.0.0.1:{peers[i]}",
                "--initial-cluster", initial, "--log-level", "warn",
            ], stdout=log, stderr=log, start_new_session=True))
        deadline = time.time() + 60
        while self.leader() is None:
            if time.time() > deadline:
                self.stop()
                sys.exit("bench: the 3-member cluster did not elect a leader")
            time.sleep(0.1)

    def status(self, i):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.client[i], timeout=2)
            conn.request("POST", "/v3/maintenance/status", "{}", {"content-type": "application/json"})
            body = json.loads(conn.getresponse().read())
            conn.close()
            return body
        except (OSError, ValueError):
            return None

    def leader(self):
        for i in range(3):
            s = self.status(i)
            if s and s.get("leader") and s["leader"] == s["header"]["member_id"]:
                return i
        return None

    def kill(self, i):
        if self.procs[i].poll() is None:
            os.killpg(self.procs[i].pid, signal.SIGKILL)
            self.procs[i].wait()

    def stop(self):
        for i in range(3):
            self.kill(i)


def locks_at_once(ctx, n):
    """(a): n lockers started at once, each tool in turn on one etcd."""
    etcd = ctx.start_etcd("clients-a")
    port = etcd.client_port
    res = {}
    for tool, argv in (("etcdpy", [ctx.args.etcdpy, "--endpoints", etcd.url, "lock", "L", "--", "true"]),
                       ("etcdctl", [ctx.args.etcdctl, f"--endpoints={etcd.url}", "lock", "L", "true"])):
        before = served([port])
        took = ctx.contenders(argv, n)
        res[tool] = (took, (served([port]) - before) / n)
        ctx.log(f"clients (a) {tool}: {n} lockers in {took:.2f}s, {res[tool][1]:.1f} requests each")
    etcd.stop()
    ctx.etcds.remove(etcd)
    return [
        ("clients a", f"{n} `lock L -- true` started at once: until all are done",
         {t: r[0] for t, r in res.items()}, "ms", "", None),
        ("clients a", f"the same: gRPC requests etcd served per acquisition",
         {t: round(r[1], 1) for t, r in res.items()}, "", "", None),
    ]


def waiters_under_a_leader_kill(ctx, binary, tool, n):
    """(b) for one tool: n waiters behind a holder; the leader killed; (requests/s at the
    survivors while leaderless, leaderless s, s from the kill until all held once)."""
    cluster = Cluster(ctx, binary, f"cb-{tool}-")
    try:
        eps = ",".join(cluster.urls)
        if tool == "etcdpy":
            argv = [ctx.args.etcdpy, "--endpoints", eps, "lock", "L", "--"]
        else:
            argv = [ctx.args.etcdctl, f"--endpoints={eps}", "lock", "L"]
        holder = subprocess.Popen([*argv, "sh", "-c", "echo held; sleep 3"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
        holder.stdout.readline()
        waiters = spawn_all([*argv, "true"], n)
        time.sleep(1.5)  # queued
        leader = cluster.leader()
        survivors = [cluster.client[i] for i in range(3) if i != leader]
        before = started(survivors)
        killed = time.monotonic()
        cluster.kill(leader)
        # Leaderless until a survivor names a new leader.
        while True:
            s = [cluster.status(i) for i in range(3) if i != leader]
            if any(x and x.get("leader") == x["header"]["member_id"] for x in s):
                break
            time.sleep(0.01)
        window = time.monotonic() - killed
        rate = (started(survivors) - before) / window
        holder.wait(timeout=60)
        reap(waiters, f"{tool} lock waiter")
        done = time.monotonic() - killed
        return rate, window, done
    finally:
        cluster.stop()


def observers(ctx, n, changes):
    """(c): n observers, `changes` leaders in turn; (every observer saw every leader, requests per change)."""
    etcd = ctx.start_etcd("clients-c")
    ep = [ctx.args.etcdpy, "--endpoints", etcd.url]
    first = subprocess.Popen([*ep, "elect", "E", "--value", "v0"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    first.stdout.readline()
    files = [os.path.join(ctx.args.workdir, f"observer{i}.out") for i in range(n)]
    procs = []
    for f in files:
        with open(f, "wb") as out:
            procs.append(subprocess.Popen([*ep, "elect", "E", "--observe"], stdout=out,
                                          stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL))

    def lines(f):
        with open(f) as fh:
            return fh.read().splitlines()

    def wait_lines(count, limit):
        deadline = time.time() + limit
        while time.time() < deadline and any(len(lines(f)) < count for f in files):
            time.sleep(0.1)

    wait_lines(1, 60)
    before = served([etcd.client_port]) + started([etcd.client_port])
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    for k in range(1, changes + 1):
        subprocess.run([*ep, "elect", "E", "--value", f"v{k}", "--", "true"], check=True)
    wait_lines(changes + 1, 60)
    # (started + handled: the observers' watch streams stay open, so they are only started.)
    per_change = (served([etcd.client_port]) + started([etcd.client_port]) - before) / changes
    for p in procs:
        p.terminate()
        p.wait(timeout=30)
    want = [f"v{k}" for k in range(changes + 1)]
    complete = sum(lines(f) == want for f in files)
    etcd.stop()
    ctx.etcds.remove(etcd)
    ctx.log(f"clients (c): {complete} of {n} observers printed all {changes + 1} leaders; "
            f"{per_change:.1f} requests per change (the candidates' own included)")
    return complete, per_change


def run(ctx):
    rows = locks_at_once(ctx, size("LOCKERS", 300))
    n = size("WAITERS", 200)
    binary = ctx.args.etcd
    res = {t: waiters_under_a_leader_kill(ctx, binary, t, n) for t in ("etcdpy", "etcdctl")}
    for t, (rate, window, done) in res.items():
        ctx.log(f"clients (b) {t}: {rate:.0f} requests/s during {window:.2f}s leaderless; all held in {done:.2f}s")
    rows.append(("clients b", f"{n} waiting `lock`s, the leader of 3 killed: requests/s at the survivors "
                              f"while leaderless", {t: round(r[0]) for t, r in res.items()}, "", "bounded", None))
    rows.append(("clients b", "the same: from the kill until every waiter held once",
                 {t: r[2] for t, r in res.items()}, "ms", "", None))
    obs, changes = size("OBSERVERS", 100), size("CHANGES", 20)
    complete, per_change = observers(ctx, obs, changes)
    rows.append(("clients c", f"{obs} `elect --observe`, {changes} leader changes: observers that printed "
                              f"every leader", {"etcdpy": complete}, "", f"all {obs}", complete == obs))
    rows.append(("clients c", "the same: requests etcd served per change (candidates' included)",
                 {"etcdpy": round(per_change, 1)}, "", "", None))
    return rows
