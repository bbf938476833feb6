#!/usr/bin/env python3
"""etcdpy side by side with etcdctl, curl and python-etcd (see bench/run, which
installs what this needs and calls it). Starts its own etcd servers, loads
the data, runs the cases with the tools alternating run by run, prints the
table and writes BENCHMARKS.md.

Every timed run is one whole process, spawned with posix_spawn and reaped
with wait4: wall time from spawn to exit, peak RSS from the child's rusage.
"""
import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import types
import importlib.util

HERE = os.path.dirname(os.path.abspath(__file__))


def log(*args):
    print("bench:", *args, file=sys.stderr, flush=True)


def b64(text):
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Etcd:
    """One etcd member on free loopback ports, in its own data dir."""

    def __init__(self, binary, workdir, name, extra=()):
        self.client_port, self.peer_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.client_port}"
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.log = open(self.log_path, "wb")
        args = [
            binary,
            "--name", name,
            "--data-dir", os.path.join(workdir, name),
            "--listen-client-urls", self.url,
            "--advertise-client-urls", self.url,
            "--listen-peer-urls", f"http://127.0.0.1:{self.peer_port}",
            "--initial-advertise-peer-urls", f"http://127.0.0.1:{self.peer_port}",
            "--initial-cluster", f"{name}=http://127.0.0.1:{self.peer_port}",
            "--max-txn-ops", "10000",
            "--max-request-bytes", str(8 << 20),
            "--quota-backend-bytes", str(8 << 30),
            "--log-level", "warn",
            *extra,
        ]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.time() + 30
        while True:
            try:
                status, body = self.request("GET", "/health", None)
                if status == 200 and json.loads(body).get("health") == "true":
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                sys.exit(f"bench: etcd did not start; see {self.log_path}")
            time.sleep(0.1)

    def request(self, method, path, body):
        conn = http.client.HTTPConnection("127.0.0.1", self.client_port, timeout=120)
        try:
            conn.request(method, path, body, {"content-type": "application/json"})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def put(self, key, value):
        status, body = self.request("POST", "/v3/kv/put", json.dumps({"key": b64(key), "value": b64(value)}))
        if status != 200:
            sys.exit(f"bench: put {key} failed: {body[:200]!r}")

    def count(self, prefix):
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        body = json.dumps({"key": b64(prefix), "range_end": b64(end), "count_only": True})
        status, answer = self.request("POST", "/v3/kv/range", body)
        return int(json.loads(answer).get("count", 0))

    def load(self, prefix, n, value_bytes, batch=5000):
        started = time.time()
        subprocess.run(
            [sys.executable, os.path.join(HERE, "load.py"), self.url, prefix, str(n), str(value_bytes), str(batch),
             "4"],
            check=True,
        )
        got = self.count(prefix)
        if got != n:
            sys.exit(f"bench: loaded {got} keys under {prefix}, expected {n}")
        log(f"loaded {n} keys under {prefix} in {time.time() - started:.1f}s")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


class Runner:
    """Runs a command through GNU time: a child of this (large) Python process
    would report Python's RSS as its own peak (ru_maxrss survives fork and
    exec), a child of the small `time` process reports its own."""

    def __init__(self, workdir):
        self.errfile = os.path.join(workdir, "stderr")
        self.rssfile = os.path.join(workdir, "rss")

    def run(self, argv, stdout="/dev/null"):
        """Run argv to completion: (wall seconds, peak RSS in KiB)."""
        timed = ["/usr/bin/time", "-f", "%M %U %S", "-o", self.rssfile, *argv]
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
            (os.POSIX_SPAWN_OPEN, 2, self.errfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        ]
        started = time.perf_counter()
        pid = os.posix_spawn(timed[0], timed, os.environ, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            with open(self.errfile, errors="replace") as f:
                err = f.read()[-2000:]
            sys.exit(f"bench: {' '.join(argv)} failed ({os.waitstatus_to_exitcode(status)}):\n{err}")
        with open(self.rssfile) as f:
            rss, user, system = f.read().split()[-3:]
        self.cpu = float(user) + float(system)
        return wall, int(rss)


def alternate(runner, tools, rounds):
    """Run each tool once per round, in an order that rotates round by round.
    tools: {name: argv}. Returns {name: ([wall], [rss], [cpu])}."""
    names = list(tools)
    results = {n: ([], [], []) for n in names}
    for r in range(rounds):
        for i in range(len(names)):
            name = names[(r + i) % len(names)]
            wall, rss = runner.run(tools[name])
            results[name][0].append(wall)
            results[name][1].append(rss)
            results[name][2].append(runner.cpu)
    return results


def median(xs):
    return statistics.median(xs) if xs else None


# --- watch: write -> printed delay ---------------------------------------------------------------


def watch_delays(etcd, key, n, watcher):
    """Start `watcher`, write `key` n times over one kept-alive connection and
    return, per write, the ms from just before it is sent until the watcher
    has printed the line holding its value."""
    conn = http.client.HTTPConnection("127.0.0.1", etcd.client_port, timeout=10)
    proc = subprocess.Popen(watcher, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    buffer = b""

    def wait_for(token, deadline):
        nonlocal buffer
        while True:
            i = buffer.find(token)
            if i >= 0:
                buffer = buffer[i + len(token):]
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0 or not sel.select(left):
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                sys.exit(f"bench: {watcher[0]} watch ended")
            buffer += chunk

    def put(value):
        conn.request("POST", "/v3/kv/put", json.dumps({"key": b64(key), "value": b64(value)}),
                     {"content-type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            sys.exit(f"bench: put failed: HTTP {resp.status}")

    try:
        # Until the watcher prints a write, it may not be watching yet.
        deadline = time.perf_counter() + 15
        while True:
            put(b"ready")
            if wait_for(b"ready", time.perf_counter() + 0.2) is not None:
                break
            if time.perf_counter() > deadline:
                sys.exit(f"bench: {watcher[0]} never printed a write")
        time.sleep(0.1)
        buffer = b""
        delays = []
        for i in range(n):
            value = b"w%06dz" % i
            sent = time.perf_counter()
            put(value)
            seen = wait_for(value, sent + 10)
            if seen is None:
                sys.exit(f"bench: {watcher[0]} did not print write {i}")
            delays.append((seen - sent) * 1000)
            time.sleep(0.005)
        return delays
    finally:
        proc.terminate()
        proc.wait()
        conn.close()


# --- lock: handoff between two contending holders ------------------------------------------------


def handoff(first, second):
    """`first` holds the lock running CMD1 (prints 'held', sleeps, prints the
    time in ns as it ends); `second`, started once the lock is held, runs CMD2
    (prints the time in ns as it starts). Returns CMD2's start - CMD1's end, ms."""
    a = subprocess.Popen(first, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = a.stdout.readline()
    if "held" not in line:
        sys.exit(f"bench: {first[0]} lock did not hold: {line!r}")
    b = subprocess.Popen(second, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    a_out, _ = a.communicate(timeout=30)
    b_out, _ = b.communicate(timeout=30)
    if a.returncode or b.returncode:
        sys.exit(f"bench: lock handoff runs failed ({a.returncode}, {b.returncode})")
    end = int(a_out.split()[-1])
    start = int(b_out.split()[-1])
    return (start - end) / 1e6


# --- semaphore and election ---------------------------------------------------------------------


def contenders(argv, n):
    """Start `n` copies of argv at once; the wall time until all have ended, s."""
    start = time.monotonic()
    procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(n)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        if proc.returncode:
            sys.exit(f"bench: {' '.join(argv)} failed ({proc.returncode}): {err[-500:]}")
    return time.monotonic() - start


def failover(leader, follower, sig):
    """`leader` prints a line once it leads; `follower`, started then, prints one
    when it leads. From sending `sig` to the leader (once the follower has
    queued) to reading the follower's line, ms."""
    a = subprocess.Popen(leader, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if not a.stdout.readline():
        sys.exit(f"bench: {leader[0]} did not lead")
    b = subprocess.Popen(follower, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(0.5)  # the follower's key is made
    killed = time.monotonic_ns()
    a.send_signal(sig)
    line = b.stdout.readline()
    led = time.monotonic_ns()
    a.wait(timeout=30)
    b.terminate()
    b.wait(timeout=30)
    if not line:
        sys.exit(f"bench: {follower[0]} did not lead after the leader was stopped")
    return (led - killed) / 1e6


# --- report --------------------------------------------------------------------------------------


def machine(args):
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
            return out.splitlines()[0] if out else "?"
        except OSError:
            return "?"

    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / (1 << 20):.1f} GiB"
    osname = "?"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    osname = line.split("=", 1)[1].strip().strip('"')
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} logical cores"),
        ("RAM", mem),
        ("OS / kernel", f"{osname}, Linux {platform.release()}"),
        ("load average at start", args.load_at_start),
        ("etcd", first_line([args.etcd, "--version"])),
        ("etcdctl", first_line([args.etcdctl, "version"])),
        ("curl", first_line(["curl", "--version"])),
        ("python-etcd", f"{args.python_etcd_version} on {first_line([args.python, '--version'])}"),
        ("etcdpy", f"{first_line([args.etcdpy, '--version'])}, release build, {first_line(['rustc', '--version'])}"),
        ("etcdpy binary size", f"{os.path.getsize(args.etcdpy) / (1 << 20):.2f} MiB ({os.path.getsize(args.etcdpy)} bytes, stripped, LTO)"),
    ]


def etcd_version(args, prefix):
    """The binary of etcd `prefix` (e.g. "3.7") from --etcd-matrix (scripts/setup-etcd's list)."""
    for binary in args.etcd_matrix.split(":"):
        if binary and subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.find(
                f"etcd Version: {prefix}.") >= 0:
            return binary
    sys.exit(f"bench: no etcd {prefix} in --etcd-matrix")


def extra_cases(only):
    """The cases in bench/cases/*.py (each: NAME, and run(ctx) returning rows), in name order;
    with --only, just those named."""
    folder = os.path.join(HERE, "cases")
    names = sorted(f[:-3] for f in os.listdir(folder) if f.endswith(".py")) if os.path.isdir(folder) else []
    for name in only:
        if name not in names:
            sys.exit(f"bench: no case {name!r} in bench/cases (have: {', '.join(names) or 'none'})")
    for name in (only or names):
        spec = importlib.util.spec_from_file_location(f"cases.{name}", os.path.join(folder, f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module


def fmt(value, unit):
    if value is None:
        return "–"
    if unit == "ms":  # seconds, shown in ms
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value * 1000:,.0f} ms"
    if unit == "msd":  # already in ms
        return f"{value:.2f} ms"
    if unit == "MiB":
        return f"{value / 1024:.1f} MiB"
    if unit == "/s":
        return f"{value:.1f}/s"
    return str(value)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--etcd", required=True)
    p.add_argument("--etcdctl", required=True)
    p.add_argument("--etcdpy", required=True)
    p.add_argument("--python", required=True, help="the python-etcd virtualenv's python")
    p.add_argument("--python-etcd-version", required=True)
    p.add_argument("--load-at-start", default="?")
    p.add_argument("--workdir", required=True)
    p.add_argument("--out", required=True, help="BENCHMARKS.md to write")
    p.add_argument("--command", default="bench/run")
    p.add_argument("--small-rounds", type=int, default=30)
    p.add_argument("--big-keys", type=int, default=100_000)
    p.add_argument("--huge-keys", type=int, default=1_000_000)
    p.add_argument("--big-rounds", type=int, default=9)
    p.add_argument("--huge-rounds", type=int, default=2)
    p.add_argument("--watch-writes", type=int, default=200)
    p.add_argument("--lock-runs", type=int, default=50)
    p.add_argument("--handoffs", type=int, default=20)
    p.add_argument("--sem-runs", type=int, default=40)
    p.add_argument("--failovers", type=int, default=5)
    p.add_argument("--snapshot-keys", type=int, default=200_000, help="1,000-byte values: ≥ 200 MB")
    p.add_argument("--snapshot-rounds", type=int, default=3)
    p.add_argument("--etcd-matrix", default="", help="':'-separated etcd binaries (3.4 ... 3.7) for cases "
                   "that depend on the version (ctx.etcd_version)")
    p.add_argument("--only", default="", help="run only these extra cases (bench/cases/NAME.py, ','-separated)")
    args = p.parse_args()

    runner = Runner(args.workdir)
    rows = []  # (case, measure, {tool: value}, unit, target text, met)
    etcds = []

    def start_etcd(name, extra=(), binary=None):
        e = Etcd(binary or args.etcd, args.workdir, name, extra)
        etcds.append(e)
        return e

    def handle(signum, _frame):
        raise SystemExit(128 + signum)

    only = [n for n in args.only.split(",") if n]
    ctx = types.SimpleNamespace(args=args, runner=runner, start_etcd=start_etcd, etcds=etcds, log=log,
                                median=median, alternate=alternate, contenders=contenders,
                                failover=failover, b64=b64, etcd_version=lambda prefix: etcd_version(args, prefix),
                                here=HERE)
    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    try:
        if not only:
            main_etcd = start_etcd("bench", ["--enable-v2"])
            url = main_etcd.url
            host, port = "127.0.0.1", str(main_etcd.client_port)
            ep = ["--endpoints", url]
            ec = [args.etcdctl, f"--endpoints={url}"]

            # --- case 1: one small get and set, whole process --------------------------------------
            log("case 1: small get/set")
            main_etcd.put("/bench/small", "hello")
            py_client = f"import etcd; c = etcd.Client(host='{host}', port={port})"
            subprocess.run([args.python, "-c", f"{py_client}; c.write('/bench/small', 'hello')"], check=True)
            get_tools = {
                "etcdpy": [args.etcdpy, *ep, "get", "/bench/small"],
                "etcdctl": [*ec, "get", "/bench/small"],
                "curl": ["curl", "-sS", "-f", url + "/v3/kv/range", "-d", json.dumps({"key": b64("/bench/small")})],
                "python-etcd": [args.python, "-c", f"{py_client}; print(c.read('/bench/small').value)"],
            }
            set_tools = {
                "etcdpy": [args.etcdpy, *ep, "set", "/bench/small", "world"],
                "etcdctl": [*ec, "put", "/bench/small", "world"],
                "curl": ["curl", "-sS", "-f", url + "/v3/kv/put", "-d",
                         json.dumps({"key": b64("/bench/small"), "value": b64("world")})],
                "python-etcd": [args.python, "-c", f"{py_client}; c.write('/bench/small', 'world')"],
            }
            for label, tools in (("get", get_tools), ("set", set_tools)):
                res = alternate(runner, tools, args.small_rounds)
                t = {n: median(w) for n, (w, _, _) in res.items()}
                m = {n: median(r) for n, (_, r, _) in res.items()}
                met = t["etcdpy"] <= 0.5 * t["etcdctl"] and t["etcdpy"] <= t["curl"]
                rows.append(("1", f"small `{label}`: wall (median of {args.small_rounds})", t, "ms",
                             "≤ 0.5 × etcdctl and ≤ curl", met))
                rows.append(("1", f"small `{label}`: peak RSS", m, "MiB", "", None))

            # --- case 4: watch delay ----------------------------------------------------------------
            log(f"case 4: watch, {args.watch_writes} writes per tool")
            delays = {"etcdpy": [], "etcdctl": []}
            block = max(1, args.watch_writes // 4)
            done = 0
            while done < args.watch_writes:
                n = min(block, args.watch_writes - done)
                delays["etcdpy"] += watch_delays(main_etcd, "/bench/watched", n,
                                                 [args.etcdpy, *ep, "watch", "-f", "/bench/watched"])
                delays["etcdctl"] += watch_delays(main_etcd, "/bench/watched", n, [*ec, "watch", "/bench/watched"])
                done += n
            t = {n: median(d) for n, d in delays.items()}
            rows.append(("4", f"watch: write → printed (median of {args.watch_writes})", t, "msd",
                         "≤ etcdctl", t["etcdpy"] <= t["etcdctl"]))

            # --- case 5: lock -----------------------------------------------------------------------
            log(f"case 5: lock, {args.lock_runs} runs and {args.handoffs} handoffs per tool")
            res = alternate(runner, {
                "etcdpy": [args.etcdpy, *ep, "lock", "bench-a", "--", "true"],
                "etcdctl": [*ec, "lock", "/_locks/bench-b", "true"],
            }, args.lock_runs)
            per_run = {n: median(w) for n, (w, _, _) in res.items()}
            throughput = {n: len(w) / sum(w) for n, (w, _, _) in res.items()}
            rows.append(("5", f"`lock L -- true`: wall per run (median of {args.lock_runs})", per_run, "ms", "", None))
            rows.append(("5", f"`lock L -- true`: throughput ({args.lock_runs} sequential runs)", throughput, "/s",
                         "≥ etcdctl", throughput["etcdpy"] >= throughput["etcdctl"]))
            hold = "echo held; sleep 0.4; date +%s%N"
            take = "date +%s%N"
            hand = {"etcdpy": [], "etcdctl": []}
            for _ in range(args.handoffs):
                hand["etcdpy"].append(handoff([args.etcdpy, *ep, "lock", "bench-h", "--", "sh", "-c", hold],
                                              [args.etcdpy, *ep, "lock", "bench-h", "--", "sh", "-c", take]))
                hand["etcdctl"].append(handoff([*ec, "lock", "/_locks/bench-h2", "--", "sh", "-c", hold],
                                               [*ec, "lock", "/_locks/bench-h2", "--", "sh", "-c", take]))
            t = {n: median(d) for n, d in hand.items()}
            rows.append(("5", f"lock handoff: holder's CMD ends → next CMD starts (median of {args.handoffs})", t,
                         "msd", "≤ etcdctl", t["etcdpy"] <= t["etcdctl"]))

            # --- case 7: semaphore and election -----------------------------------------------------
            log(f"case 7: semaphore ({args.sem_runs} contenders), election failover ({args.failovers} per way)")
            cmd = ["--", "sleep", "0.05"]
            sem = contenders([args.etcdpy, *ep, "lock", "bench-sem", "--limit", "4", *cmd], args.sem_runs)
            one = contenders([args.etcdpy, *ep, "lock", "bench-one", *cmd], args.sem_runs)
            rows.append(("7", f"`lock --limit 4 -- sleep 0.05`, {args.sem_runs} contenders at once: throughput",
                         {"etcdpy": args.sem_runs / sem}, "/s", "", None))
            rows.append(("7", f"the same with `--limit 1` (the plain lock): throughput",
                         {"etcdpy": args.sem_runs / one}, "/s", "", None))
            leads = "echo leading; sleep 60"
            over = {"etcdpy": [], "etcdctl": [], "etcdpy-kill": []}
            for i in range(args.failovers):
                e = [args.etcdpy, *ep, "elect", f"bench-e{i}", "--", "sh", "-c", leads]
                over["etcdpy"].append(failover(e, e, signal.SIGTERM))
                c = [*ec, "elect", f"bench-c{i}", "p"]
                over["etcdctl"].append(failover(c, c, signal.SIGTERM))
                k = [args.etcdpy, *ep, "elect", f"bench-k{i}", "--ttl", "2s", "--", "sh", "-c", leads]
                over["etcdpy-kill"].append(failover(k, k, signal.SIGKILL))
            t = {n: median(over[n]) for n in ("etcdpy", "etcdctl")}
            rows.append(("7", f"election failover: SIGTERM to the leader → the next leads (median of "
                              f"{args.failovers})", t, "msd", "≤ etcdctl", t["etcdpy"] <= t["etcdctl"]))
            rows.append(("7", f"election failover: SIGKILL to the leader (`--ttl 2s`) → the next leads "
                              f"(median of {args.failovers})", {"etcdpy": median(over["etcdpy-kill"])}, "msd",
                         "", None))

            # --- case 2: get -r of 100,000 keys -----------------------------------------------------
            log(f"case 2: get -r of {args.big_keys} keys")
            main_etcd.load("/big/", args.big_keys, 100)
            status, body = main_etcd.request("POST", "/v3/kv/range", json.dumps(
                {"key": b64("/big/"), "range_end": b64("/big0")}))
            json_mb = len(body) / 1e6
            half = args.big_keys // 2
            big_tools = {
                "etcdpy": [args.etcdpy, *ep, "get", "/big", "-r"],
                # The same read through the JSON gateway (what etcdpy did before it spoke gRPC).
                "etcdpy-gateway": [args.etcdpy, *ep, "--transport", "gateway", "get", "/big", "-r"],
                "etcdctl": [*ec, "get", "--prefix", "/big/"],
                "curl": ["curl", "-sS", "-f", url + "/v3/kv/range", "-d",
                         json.dumps({"key": b64("/big/"), "range_end": b64("/big0")})],
                # What the gateway takes answering on two cores: the two halves at once.
                "curl-halves": ["sh", "-c", 'curl -sS -f "$0" -d "$1" >/dev/null & '
                                'curl -sS -f "$0" -d "$2" >/dev/null & wait',
                                url + "/v3/kv/range",
                                json.dumps({"key": b64("/big/"), "range_end": b64(f"/big/{half:08d}")}),
                                json.dumps({"key": b64(f"/big/{half:08d}"), "range_end": b64("/big0")})],
            }
            alternate(runner, big_tools, 1)  # a round to warm up, not counted
            res = alternate(runner, big_tools, args.big_rounds)
            big_t = {n: median(w) for n, (w, _, _) in res.items()}
            big_m = {n: median(r) for n, (_, r, _) in res.items()}
            big_cpu = {n: median(c) for n, (_, _, c) in res.items()}
            big_peak = max(res["etcdpy"][1])
            rows.append(("2", f"`get -r`, {args.big_keys:,} keys ({json_mb:.0f} MB of gateway JSON): wall "
                              f"(median of {args.big_rounds})", big_t, "ms",
                         "≤ 0.6 × etcdctl",
                         big_t["etcdpy"] <= 0.6 * big_t["etcdctl"]))
            rows.append(("2", f"`get -r --transport gateway` (the JSON gateway instead of gRPC): wall "
                              f"(median of {args.big_rounds})", {"etcdpy": big_t["etcdpy-gateway"]}, "ms", "", None))
            rows.append(("2", f"the gateway answering the same range as two halves at once (two curls): wall "
                              f"(median of {args.big_rounds})", {"curl": big_t["curl-halves"]}, "ms", "", None))
            rows.append(("2", f"`get -r`, {args.big_keys:,} keys: peak RSS", big_m, "MiB", "≤ 0.3 × etcdctl",
                         big_m["etcdpy"] <= 0.3 * big_m["etcdctl"]))
            rows.append(("2", f"`get -r`, {args.big_keys:,} keys: the tool's own CPU time (user + sys)", big_cpu,
                         "ms", "", None))
            # --- case 6: dump and load of the same keys ---------------------------------------------
            log(f"case 6: dump and load of {args.big_keys} keys")
            dump_file = os.path.join(args.workdir, "big.ndjson")
            dumps = {
                "etcdpy": ([args.etcdpy, *ep, "dump", "/big"], dump_file),
                "etcdctl": ([*ec, "get", "--prefix", "/big/", "-w", "json"], os.path.join(args.workdir, "ctl.json")),
            }
            res = {n: ([], []) for n in dumps}
            for r in range(args.big_rounds):
                for name in (list(dumps) if r % 2 == 0 else list(reversed(dumps))):
                    wall, rss = runner.run(dumps[name][0], stdout=dumps[name][1])
                    res[name][0].append(wall)
                    res[name][1].append(rss)
            rows.append(("6", f"`dump /big` vs `etcdctl get --prefix -w json`, {args.big_keys:,} keys: wall "
                              f"(median of {args.big_rounds})", {n: median(w) for n, (w, _) in res.items()}, "ms",
                         "", None))
            rows.append(("6", f"`dump /big`, {args.big_keys:,} keys: peak RSS", {n: median(m) for n, (_, m) in
                                                                              res.items()}, "MiB", "", None))
            # load into empty prefixes: etcdpy's planned, guarded 128-op transactions against a plain
            # txn loader (bench/load.py: 128-put transactions, one connection, no reads, no guards).
            load_rounds = min(3, args.big_rounds)
            res = {"etcdpy": ([], []), "txn loader": ([], [])}
            for r in range(load_rounds):
                tools = {
                    "etcdpy": [args.etcdpy, *ep, "load", dump_file, "--prefix-rename", f"/big=/load{r}"],
                    "txn loader": [sys.executable, os.path.join(HERE, "load.py"), url, f"/txn{r}/",
                                   str(args.big_keys), "100", "128", "1"],
                }
                for name in (list(tools) if r % 2 == 0 else list(reversed(tools))):
                    wall, rss = runner.run(tools[name])
                    res[name][0].append(wall)
                    res[name][1].append(rss)
            rows.append(("6", f"`load` of the dump into an empty prefix vs a txn loader, {args.big_keys:,} keys: "
                              f"wall (median of {load_rounds})", {n: median(w) for n, (w, _) in res.items()}, "ms",
                         "", None))
            rows.append(("6", f"`load`, {args.big_keys:,} keys: peak RSS", {n: median(m) for n, (_, m) in
                                                                        res.items()}, "MiB", "", None))
            wall, rss = runner.run([args.etcdpy, *ep, "load", dump_file, "--prefix-rename", "/big=/load0"])
            rows.append(("6", f"`load` again (nothing to write), {args.big_keys:,} keys: wall", {"etcdpy": wall},
                         "ms", "", None))
            rows.append(("6", f"`load` again, {args.big_keys:,} keys: peak RSS", {"etcdpy": rss}, "MiB", "", None))

            main_etcd.stop()
            etcds.remove(main_etcd)

            # --- case 3: 1,000,000 keys, etcdpy alone, on its own etcd --------------------------------
            log(f"case 3: get -r of {args.huge_keys} keys (own etcd)")
            huge = start_etcd("huge", ["--unsafe-no-fsync"])
            huge.load("/huge/", args.huge_keys, 100)
            walls, rss = [], []
            for _ in range(args.huge_rounds):
                w, r = runner.run([args.etcdpy, "--endpoints", huge.url, "get", "/huge", "-r"])
                walls.append(w)
                rss.append(r)
            huge_m = max(rss)
            rows.append(("3", f"`get -r`, {args.huge_keys:,} keys: wall (median of {args.huge_rounds})",
                         {"etcdpy": median(walls)}, "ms", "", None))
            rows.append(("3", f"`get -r`, {args.huge_keys:,} keys: peak RSS (max of {args.huge_rounds})",
                         {"etcdpy": huge_m}, "MiB", f"within 10% of the {args.big_keys:,}-key figure "
                                                     f"(max of {args.big_rounds}: {big_peak / 1024:.1f} MiB)",
                         huge_m <= 1.1 * big_peak))
            # dump and load at this size: memory stays flat (streamed page by page, planned and
            # written batch by batch), whatever the number of keys.
            huge_dump = os.path.join(args.workdir, "huge.ndjson")
            w, r = runner.run([args.etcdpy, "--endpoints", huge.url, "dump", "/huge"], stdout=huge_dump)
            rows.append(("3", f"`dump /huge`, {args.huge_keys:,} keys: wall", {"etcdpy": w}, "ms", "", None))
            rows.append(("3", f"`dump /huge`, {args.huge_keys:,} keys: peak RSS", {"etcdpy": r}, "MiB",
                         "≤ 64 MiB (a few tens)", r <= 64 * 1024))
            w, r = runner.run([args.etcdpy, "--endpoints", huge.url, "load", huge_dump,
                               "--prefix-rename", "/huge=/reloaded"])
            rows.append(("3", f"`load` of that dump into an empty prefix, {args.huge_keys:,} keys: wall",
                         {"etcdpy": w}, "ms", "", None))
            rows.append(("3", f"`load` of that dump, {args.huge_keys:,} keys: peak RSS", {"etcdpy": r}, "MiB",
                         "≤ 64 MiB (a few tens)", r <= 64 * 1024))
            os.remove(huge_dump)
            huge.stop()
            etcds.remove(huge)

            # --- case 8: snapshot save of a ≥ 200 MB database, on its own etcd ----------------------
            log(f"case 8: snapshot save of {args.snapshot_keys} keys of 1,000 bytes (own etcd)")
            snap = start_etcd("snap", ["--unsafe-no-fsync"])
            snap.load("/snap/", args.snapshot_keys, 1000, batch=1000)
            status, body = snap.request("POST", "/v3/maintenance/status", "{}")
            db_mb = int(json.loads(body)["dbSize"]) / 1e6
            files = {n: os.path.join(args.workdir, f"{n}.snapshot.db") for n in ("etcdpy", "etcdctl")}
            snap_tools = {
                "etcdpy": [args.etcdpy, "--endpoints", snap.url, "snapshot", "save", files["etcdpy"]],
                "etcdctl": [args.etcdctl, f"--endpoints={snap.url}", "snapshot", "save", files["etcdctl"]],
            }
            res = alternate(runner, snap_tools, args.snapshot_rounds)
            rows.append(("8", f"`snapshot save`, a {db_mb:.0f} MB database: wall (median of "
                              f"{args.snapshot_rounds})", {n: median(w) for n, (w, _, _) in res.items()}, "ms",
                         "≤ etcdctl", median(res["etcdpy"][0]) <= median(res["etcdctl"][0])))
            rows.append(("8", f"`snapshot save`, a {db_mb:.0f} MB database: peak RSS (max of "
                              f"{args.snapshot_rounds})", {n: max(r) for n, (_, r, _) in res.items()}, "MiB",
                         "≤ 64 MiB whatever the size", max(res["etcdpy"][1]) <= 64 * 1024))
            for f in files.values():
                os.remove(f)
            snap.stop()
            etcds.remove(snap)
        for case in extra_cases(only):
            log(f"case {case.NAME}")
            rows += case.run(ctx)
    finally:
        for e in etcds:
            e.stop()

    # --- the table -------------------------------------------------------------------------------
    tools = ["etcdpy", "etcdctl", "curl", "python-etcd", "txn loader"]
    tools += sorted({t for r in rows for t in r[2] if t not in tools})  # the extra cases' own tools
    head = ["case", "measure", *tools, "etcdpy / etcdctl", "etcdpy / curl", "etcdpy / python-etcd",
            "etcdpy / txn loader", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case, measure, values, unit, target, met in rows:
        cells = [case, measure, *(fmt(values.get(t), unit) for t in tools)]
        for other in ("etcdctl", "curl", "python-etcd", "txn loader"):
            cells.append(ratio(values.get("etcdpy"), values.get(other)))
        cells += [target or "", {True: "yes", False: "**no**", None: ""}[met]]
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table)

    missed = [r for r in rows if r[5] is False]
    notes = []
    if not only:
        notes.append(
            f"Case 2: etcdpy reads the range over etcd's gRPC API (`--transport auto`): "
            f"{big_t['etcdpy'] * 1000:.0f} ms, {big_cpu['etcdpy'] * 1000:.0f} ms of it its own CPU, against "
            f"{big_t['etcdpy-gateway'] * 1000:.0f} ms through the JSON gateway (`--transport gateway`) and "
            f"etcdctl's {big_t['etcdctl'] * 1000:.0f} ms. The gateway re-encodes every key as JSON: one curl "
            f"of the whole range takes {big_t['curl'] * 1000:.0f} ms, two curls of its halves at once "
            f"{big_t['curl-halves'] * 1000:.0f} ms, on this {os.cpu_count()}-core machine (load average at "
            f"the start: {args.load_at_start}).")
    watch_row = next((r for r in rows if r[0] == "4"), None)
    if watch_row and watch_row[5] is False:
        w = watch_row[2]
        notes.append(
            f"Case 4: {w['etcdpy']:.2f} ms against etcdctl's {w['etcdctl']:.2f} ms. etcdpy's watch goes "
            f"through the gateway, which gets each event from etcd's own gRPC watch and re-encodes it as "
            f"JSON; etcdctl gets it from the gRPC watch directly. etcdpy prints each event as soon as its "
            f"line arrives (one write per event).")
    hand_row = next((r for r in rows if r[0] == "5" and "handoff" in r[1]), None)
    if hand_row and hand_row[5] is False:
        h = hand_row[2]
        notes.append(
            f"Case 5 handoff: {h['etcdpy']:.2f} ms against etcdctl's {h['etcdctl']:.2f} ms. Both waiters "
            f"learn of the release from a watch inside etcd; etcdpy's through the gateway's lock call "
            f"(etcd's own lock service answering over HTTP), etcdctl's over its gRPC watch; on etcd 3.5.1+ "
            f"etcdpy then starts CMD at once (see HACKING.md).")
    fail_row = next((r for r in rows if r[0] == "7" and "SIGTERM" in r[1]), None)
    if fail_row and fail_row[5] is False:
        f = fail_row[2]
        notes.append(
            f"Case 7 failover: {f['etcdpy']:.2f} ms against etcdctl's {f['etcdctl']:.2f} ms. Both followers "
            f"learn of the resignation from a watch (etcdpy's through the gateway, re-encoded as JSON); "
            f"etcdpy then reads the queue once more and starts CMD's guardian and `sh`, whose line is what "
            f"is timed, while etcdctl prints its key after one Get.")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    md = [
        "# Benchmarks",
        "",
        f"Written by `{args.command}` on {now}. The tools alternate run by run, so machine noise",
        "hits them alike; every timed run is a whole process; wall times and peak RSS are medians unless",
        "stated otherwise. Ratios are etcdpy / the other tool, measured in the same run.",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in machine(args)),
        "",
        "## Results",
        "",
        table,
        "",
        "## Cases",
        "",
        "1. One small `get` and one small `set`: `etcdpy get/set`, `etcdctl get/put`, `curl` POSTing to the",
        "   v3 gateway (the raw HTTP lower bound, output left base64-encoded), and a python-etcd script doing",
        "   the same over etcd's v2 API (`--enable-v2`).",
        "2. `etcdpy get /big -r` (over gRPC, and with `--transport gateway` through the JSON gateway),",
        "   `etcdctl get --prefix /big/` and one `curl` of the whole range from the gateway, output to",
        "   /dev/null, over keys with 100-byte values.",
        "3. The same with 1,000,000 keys, etcdpy alone, on a separate etcd (loaded with --unsafe-no-fsync);",
        "   then `etcdpy dump` of those keys to a file and `etcdpy load` of that file into an empty prefix.",
        "4. `etcdpy watch -f KEY` and `etcdctl watch KEY`: from just before a write is sent (on a kept-alive",
        "   HTTP connection) until the watcher has printed it; blocks of writes alternate between the tools.",
        "5. Sequential `lock L -- true` runs (whole processes, alternating), and the handoff between two",
        "   contending holders: from the holder's CMD printing the time as it ends to the waiter's CMD",
        "   printing the time as it starts (both CMDs are `sh -c '…; date +%s%N'`).",
        "6. `etcdpy dump /big` (NDJSON at one revision) against `etcdctl get --prefix /big/ -w json`, both to a",
        "   file; then `etcdpy load` of that dump into an empty prefix (`--prefix-rename`: plan, then",
        "   128-op transactions guarded by mod revisions, one lease per TTL second) against a plain txn",
        "   loader (bench/load.py: 128-put transactions on one connection), and `load` again (nothing to write).",
        "7. Semaphore: N contenders started at once, `lock L --limit 4 -- sleep 0.05` (and `--limit 1`),",
        "   until the last has ended (etcdctl has no semaphore). Election failover: a leader (`etcdpy elect",
        "   E -- sh -c 'echo leading; …'`, `etcdctl elect E p`) and a follower queued behind it; from the",
        "   signal to the leader's process until the follower's line (its CMD's, or etcdctl's key) is read.",
        "   With SIGTERM both resign; after SIGKILL the leader's lease must expire (etcdpy `--ttl 2s`;",
        "   etcdctl elect has no TTL option: its session's is 60 s, so it is not measured that way).",
        "",
    ]
    if missed or notes:
        md += ["## Targets not met", ""]
        for r in missed:
            md.append(f"- case {r[0]}, {r[1]}: target {r[4]}")
        for note in notes:
            md += ["", note]
        md += [""]
    else:
        md += ["Every target is met.", ""]
    with open(args.out, "w") as f:
        f.write("\n".join(md))
    log(f"wrote {args.out}")


main()
