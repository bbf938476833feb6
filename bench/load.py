#!/usr/bin/env python3
"""Load N keys PREFIX%08d with VALUE_BYTES-byte values into etcd through the v3
gateway: txn batches of BATCH puts, sent over a few kept-alive connections in
parallel. Usage: load.py ENDPOINT PREFIX N [VALUE_BYTES] [BATCH] [CONNS]
(the server needs --max-txn-ops >= BATCH)."""
import base64
import http.client
import json
import sys
import threading
import urllib.parse


def main():
    endpoint, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    value_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    conns = int(sys.argv[6]) if len(sys.argv) > 6 else 4
    url = urllib.parse.urlsplit(endpoint)
    value = base64.b64encode((b"v" * value_bytes)).decode()
    starts = list(range(0, n, batch))
    lock = threading.Lock()
    errors = []

    def worker():
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        while True:
            with lock:
                if not starts or errors:
                    return
                start = starts.pop()
            ops = [
                {
                    "request_put": {
                        "key": base64.b64encode(f"{prefix}{i:08d}".encode()).decode(),
                        "value": value,
                    }
                }
                for i in range(start, min(start + batch, n))
            ]
            body = json.dumps({"success": ops})
            conn.request("POST", "/v3/kv/txn", body, {"content-type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            if resp.status != 200:
                with lock:
                    errors.append(f"HTTP {resp.status}: {data[:200]!r}")
                return

    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit(f"load.py: {errors[0]}")


main()
