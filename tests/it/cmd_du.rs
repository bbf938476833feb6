//! `etcdpy du`: 200,000 keys (31 MiB of keys and values) counted under a 48 MiB address-space
//! cap and checked, row by row at --depth 1 and 3, against sums computed from etcdctl's
//! `get --prefix -w json`; each --sort's order, --depth 0; the text table (du -h sizes, the revision
//! and the note that MVCC history is not counted) with leased keys; bad --depth, --sort and
//! --rev; --api v2 refused.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, for_each_etcd_v2, shared, unique};
use crate::support::util::{capped, expect, put, sealed};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A row's counts: keys, key bytes, value bytes, leased keys.
type Counts = [u64; 4];

/// etcdctl's `get -w json`, the fields summed.
#[derive(Deserialize)]
struct EtcdctlDoc {
    #[serde(default)]
    kvs: Vec<EtcdctlKv>,
}

#[derive(Deserialize)]
struct EtcdctlKv {
    key: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    lease: i64,
}

/// Every key under `prefix`/ as etcdctl lists it: (key, value bytes, leased).
fn listed(etcd: &Etcd, prefix: &str) -> Vec<(String, u64, bool)> {
    let out = etcd.etcdctl(&["get", &format!("{prefix}/"), "--prefix", "-w", "json"]);
    assert!(out.status.success(), "{out:?}");
    let doc: EtcdctlDoc = serde_json::from_slice(&out.stdout).expect("etcdctl's JSON");
    let text = |b64: &str| STANDARD.decode(b64).unwrap();
    doc.kvs
        .into_iter()
        .map(|kv| {
            let key = String::from_utf8(text(&kv.key)).unwrap();
            (key, text(&kv.value).len() as u64, kv.lease != 0)
        })
        .collect()
}

/// The rows of `keys` under `prefix`, computed here: the prefix's own, then each directory
/// down to `depth` (the key's segments after `prefix/`, all but its last).
fn expected(keys: &[(String, u64, bool)], prefix: &str, depth: usize) -> BTreeMap<String, Counts> {
    let mut rows: BTreeMap<String, Counts> = BTreeMap::new();
    for (key, value, leased) in keys {
        let counts = [1, key.len() as u64, *value, u64::from(*leased)];
        let segments: Vec<&str> = key[prefix.len() + 1..].split('/').collect();
        let mut paths = vec![prefix.to_string()];
        for d in 1..segments.len().min(depth + 1) {
            paths.push(format!("{prefix}/{}/", segments[..d].join("/")));
        }
        for path in paths {
            let row = rows.entry(path).or_default();
            for (sum, n) in row.iter_mut().zip(counts) {
                *sum += n;
            }
        }
    }
    rows
}

/// du's JSON document: its rows as (path, depth, counts), in its order.
fn rows(stdout: &[u8]) -> (i64, Vec<(String, u32, Counts)>) {
    let doc: serde_json::Value = serde_json::from_slice(stdout).expect("du -o json");
    let rows = doc["rows"].as_array().expect("rows");
    let rows = rows
        .iter()
        .map(|r| {
            let n = |f: &str| r[f].as_u64().unwrap();
            let counts = [n("keys"), n("key_bytes"), n("value_bytes"), n("leased")];
            (
                r["path"].as_str().unwrap().to_string(),
                n("depth") as u32,
                counts,
            )
        })
        .collect();
    (doc["revision"].as_i64().unwrap(), rows)
}

/// 200,000 keys under `/du`: 100,000 in a/, 60,000 in 100 directories of b/, 30,000 in
/// c/x/y/z/, 10,000 directly below /du; values of 0 to 299 bytes. As a dump file, key order.
fn big_dump() -> String {
    let mut keys: Vec<(String, usize)> = Vec::new();
    keys.extend((0..100_000).map(|i| (format!("/du/a/{i:06}"), i)));
    keys.extend((0..60_000).map(|i| (format!("/du/b/{:03}/{i:06}", i % 100), i)));
    keys.extend((0..30_000).map(|i| (format!("/du/c/x/y/z/{i:06}"), i)));
    keys.extend((0..10_000).map(|i| (format!("/du/d{i:06}"), i)));
    keys.sort();
    let mut text =
        String::from("{\"dump\":\"etcdpy\",\"api\":\"v3\",\"prefix\":\"/du\",\"revision\":1}\n");
    for (key, i) in keys {
        let value = "v".repeat(i % 300);
        text.push_str(&format!(
            "{{\"key\":\"{key}\",\"value\":\"{value}\",\"ttl\":null}}\n"
        ));
    }
    sealed(&text)
}

#[test]
fn du_of_200000_keys_matches_etcdctl_in_bounded_memory() {
    let dump = big_dump();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("du.ndjson");
    std::fs::write(&file, dump).unwrap();
    for_each_etcd(|bin| {
        let t0 = Instant::now();
        let etcd = Etcd::start(bin);
        let load = etcdpy().endpoint(&etcd).arg("load").arg(&file);
        expect(&load.timeout(Duration::from_secs(400)).run(), 0);
        let loaded = t0.elapsed();
        let keys = listed(&etcd, "/du");
        assert_eq!(keys.len(), 200_000);
        for depth in [1, 3] {
            let want = expected(&keys, "/du", depth);
            let run = capped(48)
                .args(["--endpoints", &etcd.endpoint(), "-o", "json", "du", "/du"])
                .args(["--depth", &depth.to_string()])
                .timeout(Duration::from_secs(300))
                .run();
            expect(&run, 0);
            let (_, got) = rows(&run.stdout);
            assert_eq!(got[0].0, "/du", "the prefix's row first");
            for (path, d, _) in &got {
                assert_eq!(*d as usize, path.matches('/').count().saturating_sub(2));
            }
            let got: BTreeMap<String, Counts> = got.into_iter().map(|r| (r.0, r.2)).collect();
            assert_eq!(got, want, "--depth {depth} on etcd {}", bin.version);
        }
        eprintln!(
            "du 200,000 keys on etcd {}: loaded in {loaded:?}, counted at --depth 1 and 3 in {:?}",
            bin.version,
            t0.elapsed() - loaded
        );
    });
}

#[test]
fn sort_orders_text_table_and_leases() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("du");
        let grant = etcd.etcdctl(&["lease", "grant", "600"]);
        let lease = String::from_utf8_lossy(&grant.stdout);
        let lease = lease
            .split_whitespace()
            .nth(1)
            .expect("a lease ID")
            .to_string();
        let leased = |key: &str, value: &str| {
            let key = format!("{p}/{key}");
            let out = etcd.etcdctl(&["put", &key, value, &format!("--lease={lease}")]);
            assert!(out.status.success(), "{out:?}");
        };
        leased("big/1", &"x".repeat(3000));
        put(etcd, &format!("{p}/big/2"), "yy");
        for i in 0..5 {
            put(etcd, &format!("{p}/many/{i}"), "m");
        }
        leased("many/5", "m");
        put(etcd, &format!("{p}/top"), "t");
        let du = |args: &[&str]| {
            let run = etcdpy().endpoint(etcd).arg("du").arg(&p).args(args).run();
            expect(&run, 0);
            run
        };
        let k = p.len() as u64;
        let order = |sort: &str| {
            let (_, rows) = rows(&du(&["--sort", sort, "-o", "json"]).stdout);
            let below = |path: &str| path[p.len()..].to_string();
            rows.iter().map(|r| below(&r.0)).collect::<Vec<_>>()
        };
        assert_eq!(order("size"), ["", "/big/", "/many/"]);
        assert_eq!(order("keys"), ["", "/many/", "/big/"]);
        assert_eq!(order("name"), ["", "/big/", "/many/"]);
        let (_, total) = rows(&du(&["--depth", "0", "-o", "json"]).stdout);
        assert_eq!(
            total,
            [(p.clone(), 0, [9, 9 * k + 58, 3009, 2])],
            "--depth 0"
        );
        let (_, named) = rows(&du(&["--sort", "name", "-o", "json"]).stdout);
        assert_eq!(named[2].2, [6, 6 * (k + 7), 6, 1], "{named:?}");

        let run = du(&[]);
        let (revision, _) = rows(&du(&["-o", "json"]).stdout);
        let big = format!("{}/big/", p);
        let many = format!("{}/many/", p);
        let text = format!(
            "    KEYS  KEY BYTES  VALUE BYTES  LEASED  PATH\n\
             {:>8}  {:>9}  {:>11}  {:>6}  {p}\n\
             {:>8}  {:>9}  {:>11}  {:>6}  {big}\n\
             {:>8}  {:>9}  {:>11}  {:>6}  {many}\n\
             at revision {revision}: the keys and values as they are there; MVCC history (older \
             revisions kept until a compaction) is not counted: etcdpy members shows the database size\n",
            9,
            9 * k + 2 * 6 + 6 * 7 + 4,
            "3.0K",
            2,
            2,
            2 * (k + 6),
            "3.0K",
            1,
            6,
            6 * (k + 7),
            6,
            1,
        );
        assert_eq!(run.out(), text);
    });
}

#[test]
fn bad_depth_sort_and_rev_are_usage_errors_and_v2_is_refused() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        for (args, says) in [
            (&["--depth", "-1"][..], "-1 is not in 0..=1000"),
            (&["--depth", "1001"], "1001 is not in 0..=1000"),
            (&["--depth", "99999999999999999999"], "number too large"),
            (&["--depth", "x"], "invalid value 'x' for '--depth <N>'"),
            (
                &["--sort", "bytes"],
                "invalid value 'bytes' for '--sort <SORT>'",
            ),
            (&["--rev", "0"], "0 is not in 1.."),
        ] {
            let run = etcdpy().endpoint(etcd).args(["du", "/x"]).args(args).run();
            expect(&run, 2);
            assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
            assert!(run.stdout.is_empty());
        }
        // Nothing under a prefix: its row, all zero.
        let p = unique("du-none");
        let run = etcdpy().endpoint(etcd).args(["-o", "json", "du", &p]).run();
        expect(&run, 0);
        assert_eq!(rows(&run.stdout).1, [(p.clone(), 0, [0, 0, 0, 0])]);
    });
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "du", "/x"])
            .run();
        expect(&run, 2);
        assert!(
            run.stderr
                .starts_with("error: du is not available with --api v2"),
            "{}",
            run.stderr
        );
    });
}
