#!/usr/bin/env python3
"""Fill etcd's v2 store: v2fill.py URL PREFIX KEYS DIRS VALUE_BYTES [THREADS]
writes KEYS keys PREFIX/dNNNN/kNNNNNNN (in DIRS directories) with PUTs over kept-alive
connections, THREADS (default 48) at a time: the v2 API has no transactions."""
import http.client
import sys
import threading
import urllib.parse


def main():
    url, prefix, keys, dirs, value_bytes = sys.argv[1:6]
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else 48
    keys, dirs, value_bytes = int(keys), int(dirs), int(value_bytes)
    parsed = urllib.parse.urlparse(url)
    body = urllib.parse.urlencode({"value": "v" * value_bytes})
    headers = {"content-type": "application/x-www-form-urlencoded"}
    failed = []

    def worker(first):
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        for i in range(first, keys, threads):
            path = f"/v2/keys{prefix}/d{i % dirs:04d}/k{i:07d}"
            conn.request("PUT", path, body, headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status not in (200, 201):
                failed.append((path, resp.status))
                return

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if failed:
        sys.exit(f"v2fill: {failed[0][0]}: HTTP {failed[0][1]}")


if __name__ == "__main__":
    main()
