#!/usr/bin/env python3
"""Fill etcd's v2 store: v2fill.py URL PREFIX KEYS DIRS VALUE_BYTES [THREADS [PROCESSES]]
writes KEYS keys PREFIX/dNNNN/kNNNNNNN (in DIRS directories) with PUTs over kept-alive
connections, THREADS (default 32) per process, PROCESSES (default 4) processes: the v2 API has
no transactions, and one Python process tops out near 4,000 PUTs a second."""
import http.client
import os
import sys
import threading
import time
import urllib.parse


def fill(url, prefix, keys, dirs, body, first, stride):
    parsed = urllib.parse.urlparse(url)
    headers = {"content-type": "application/x-www-form-urlencoded"}
    failed = []

    def worker(start):
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        for i in range(start, keys, stride):
            path = f"/v2/keys{prefix}/d{i % dirs:04d}/k{i:07d}"
            for attempt in range(6):
                conn.request("PUT", path, body, headers)
                resp = conn.getresponse()
                resp.read()
                # 500: etcd timed the proposal out (a busy machine, a v2 snapshot): again.
                if resp.status != 500:
                    break
                time.sleep(0.2 * (attempt + 1))
            if resp.status not in (200, 201):
                failed.append((path, resp.status))
                return

    threads = [threading.Thread(target=worker, args=(s,)) for s in first]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failed


def main():
    url, prefix, keys, dirs, value_bytes = sys.argv[1:6]
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else 32
    procs = int(sys.argv[7]) if len(sys.argv) > 7 else 4
    keys, dirs, value_bytes = int(keys), int(dirs), int(value_bytes)
    body = urllib.parse.urlencode({"value": "v" * value_bytes})
    stride = threads * procs
    pids = []
    for p in range(procs):
        pid = os.fork()
        if pid == 0:
            failed = fill(url, prefix, keys, dirs, body, range(p * threads, (p + 1) * threads), stride)
            if failed:
                print(f"v2fill: {failed[0][0]}: HTTP {failed[0][1]}", file=sys.stderr)
            os._exit(1 if failed else 0)
        pids.append(pid)
    bad = [pid for pid in pids if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0]
    if bad:
        sys.exit("v2fill: a filling process failed")


if __name__ == "__main__":
    main()
