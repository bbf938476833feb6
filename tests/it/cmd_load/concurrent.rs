//! `load` sends its guarded transactions concurrently (a window of them in flight, over gRPC's
//! KV/Txn where the endpoint carries it): a load under a SIGKILLed member and under a
//! SIGSTOPped one either finishes or says which transactions were written, and a re-run
//! converges on the file key by key (read back with etcdctl); `--transport grpc` and
//! `--transport gateway` leave the same keyspace; a racing writer aborts exactly the
//! transactions of the keys it wrote, among 200 in flight, and nothing else is lost.

use crate::support::bytes::{NASTY, b64, under};
use crate::support::cluster::Cluster;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd};
use crate::support::util::{capped, expect, file, sealed};
use base64::Engine as _;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// A dump of `n` keys `PREFIX/NNNNNN` with `len`-byte values (every 500th with a TTL).
fn keys(prefix: &str, n: usize, len: usize) -> String {
    let mut text =
        format!("{{\"dump\":\"etcdpy\",\"api\":\"v3\",\"prefix\":\"{prefix}\",\"revision\":1}}\n");
    for i in 0..n {
        let ttl = if i % 500 == 0 { "600" } else { "null" };
        let value = format!("{i:06}{}", "v".repeat(len));
        text.push_str(&format!(
            "{{\"key\":\"{prefix}/{i:06}\",\"value\":\"{value}\",\"ttl\":{ttl}}}\n"
        ));
    }
    sealed(&text)
}

/// `etcdctl get PREFIX/ --prefix` through member `at`: (key, value, has a lease) in key order.
fn read_back(cluster: &Cluster, at: usize, prefix: &str) -> Vec<(String, String, bool)> {
    let out = cluster.etcdctl(
        at,
        &["get", &format!("{prefix}/"), "--prefix", "-w", "json"],
    );
    decoded(&out)
}

/// etcdctl's `get -w json` as (key, value, has a lease), in key order.
fn decoded(out: &str) -> Vec<(String, String, bool)> {
    let doc: Value = serde_json::from_str(out).expect("etcdctl's JSON");
    let text = |v: &Value| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .unwrap();
        String::from_utf8(bytes).unwrap()
    };
    let kvs = doc["kvs"].as_array().cloned().unwrap_or_default();
    kvs.iter()
        .map(|kv| {
            (
                text(&kv["key"]),
                text(&kv["value"]),
                kv["lease"].is_number(),
            )
        })
        .collect()
}

/// What the dump holds, as [`read_back`] shows it.
fn wanted(text: &str) -> Vec<(String, String, bool)> {
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines[1..lines.len() - 1]
        .iter()
        .map(|l| {
            let s = |v: &Value| v.as_str().unwrap().to_string();
            (s(&l["key"]), s(&l["value"]), l["ttl"].is_number())
        })
        .collect()
}

/// Start a capped `load` of `path` at `endpoints`, wait until `at` counts `from` keys under
/// `prefix`, do `fault`, and return how the load ended (exit code, stderr).
fn load_through(
    cluster: &mut Cluster,
    endpoints: &str,
    path: &Path,
    (prefix, at, from): (&str, usize, u64),
    fault: impl FnOnce(&mut Cluster),
) -> (Option<i32>, String) {
    let child = capped(96)
        .args(["--endpoints", endpoints, "load", "--max-txn-ops", "25"])
        .arg(path)
        .spawn();
    let began = Instant::now();
    let count = |cluster: &Cluster| {
        let args = [
            "get",
            &format!("{prefix}/"),
            "--prefix",
            "--limit",
            "1",
            "-w",
            "json",
        ];
        let out = cluster.etcdctl(at, &args);
        serde_json::from_str::<Value>(&out).map_or(0, |v| v["count"].as_u64().unwrap_or(0))
    };
    while count(cluster) < from {
        assert!(began.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    fault(cluster);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

/// A load that ended either way, then a re-run through `endpoints`: the keyspace is the file's.
fn converges(endpoints: &str, path: &Path, ended: (Option<i32>, String)) {
    let (code, stderr) = ended;
    match code {
        Some(0) => {}
        // Not finished: it says which transactions were written and which not.
        Some(_) => assert!(
            stderr.contains("transactions sent") && stderr.contains("were written"),
            "{stderr}"
        ),
        None => panic!("load died of a signal: {stderr}"),
    }
    let again = etcdpy()
        .args(["--endpoints", endpoints, "load"])
        .arg(path)
        .run();
    expect(&again, 0);
}

#[test]
fn a_concurrent_load_under_a_killed_or_stopped_member_converges() {
    const KEYS: usize = 10_000;
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        let dir = tempfile::tempdir().unwrap();
        // SIGKILL the member the load talks to (the leader) after 1,500 keys.
        let leader = cluster.leader().expect("a leader");
        let other = (leader + 1) % 3;
        let text = keys("/kill", KEYS, 200);
        let path = file(&dir, "kill.ndjson", text.as_bytes());
        let endpoints = cluster.endpoints_from(leader);
        let at = ("/kill", other, 1500);
        let ended = load_through(&mut cluster, &endpoints, &path, at, |c| {
            c.members[leader].kill()
        });
        converges(&cluster.endpoints_from(other), &path, ended);
        assert!(read_back(&cluster, other, "/kill") == wanted(&text));

        // The killed member back; then SIGSTOP the member the load talks to.
        cluster.members[leader].restart();
        cluster.members[leader].wait_healthy(Duration::from_secs(30));
        let text = keys("/stop", KEYS, 200);
        let path = file(&dir, "stop.ndjson", text.as_bytes());
        let endpoints = cluster.endpoints_from(other);
        let third = (other + 1) % 3;
        let at = ("/stop", third, 1500);
        let ended = load_through(&mut cluster, &endpoints, &path, at, |c| {
            c.members[other].freeze()
        });
        cluster.members[other].thaw();
        converges(&endpoints, &path, ended);
        assert!(read_back(&cluster, third, "/stop") == wanted(&text));
    });
}

/// The same dump (binary keys and values, TTLs) loaded over gRPC and over the gateway.
#[test]
fn grpc_and_gateway_leave_the_same_keyspace() {
    for_each_etcd(|bin| {
        let (src, dst) = (Etcd::start(bin), Etcd::start(bin));
        crate::support::util::load(&src, "/t/n", 600, 10);
        for (suffix, value) in NASTY {
            let key = under("/t/bin", suffix);
            let run = etcdpy()
                .endpoint(&src)
                .args(["--key-encoding", "base64", "set", &b64(&key), "-"])
                .stdin(value.to_vec())
                .run();
            expect(&run, 0);
        }
        let run = etcdpy()
            .endpoint(&src)
            .args(["set", "/t/ttl", "x", "--ttl", "60s"]);
        expect(&run.run(), 0);
        let dumped = etcdpy().endpoint(&src).args(["dump", "/t"]).run();
        expect(&dumped, 0);
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "t.ndjson", &dumped.stdout);
        for (transport, to, wire) in [
            ("grpc", "/t=/viagrpc", "/etcdserverpb.KV/Txn"),
            ("gateway", "/t=/viagw", "/v3/kv/txn"),
        ] {
            let run = etcdpy()
                .endpoint(&dst)
                .args([
                    "--transport",
                    transport,
                    "--debug",
                    "load",
                    "--max-txn-ops",
                    "50",
                ])
                .arg(&path)
                .args(["--prefix-rename", to])
                .run();
            expect(&run, 0);
            assert!(run.stderr.contains(wire), "{transport}: {}", run.stderr);
        }
        let listing = |prefix: &str| {
            let run = etcdpy().endpoint(&dst).args(["dump", prefix]).run();
            expect(&run, 0);
            // Key lines without the prefix (keys in base64 decoded first), revisions aside.
            let lines: Vec<Value> = run
                .out()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            lines[1..lines.len() - 1]
                .iter()
                .map(|v| {
                    let key = v["key"].as_str().unwrap().as_bytes().to_vec();
                    let key = match v["key_encoding"].as_str() {
                        Some("base64") => base64::engine::general_purpose::STANDARD
                            .decode(key)
                            .unwrap(),
                        _ => key,
                    };
                    let key = key[prefix.len()..].to_vec();
                    (
                        key,
                        v["value"].clone(),
                        v["value_encoding"].clone(),
                        v["ttl"].is_number(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let (grpc, gateway) = (listing("/viagrpc"), listing("/viagw"));
        assert_eq!(grpc.len(), 601 + NASTY.len());
        let differ: Vec<_> = grpc.iter().zip(&gateway).filter(|(a, b)| a != b).collect();
        assert!(
            differ.is_empty(),
            "the same keys, values and TTLs both ways: {differ:?}"
        );
    });
}

/// A writer racing the load: between the plan and the load, three keys in three of 200
/// transactions change; those three transactions abort whole (exit 4, named), the other 197
/// are written, and a re-run converges.
#[test]
fn a_racing_writer_aborts_exactly_its_transactions() {
    for_each_etcd(|bin| {
        let dst = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        let text = keys("/race", 2000, 5);
        let path = file(&dir, "race.ndjson", text.as_bytes());
        let dry = etcdpy()
            .endpoint(&dst)
            .args(["load", "--dry-run", "-o", "json"])
            .arg(&path)
            .run();
        expect(&dry, 0);
        let plan: Value = serde_json::from_slice(&dry.stdout).unwrap();
        let planned = plan["plan_revision"].as_i64().unwrap().to_string();
        let raced = [5, 999, 1995];
        for i in raced {
            crate::support::util::put(&dst, &format!("/race/{i:06}"), "theirs");
        }
        let run = etcdpy()
            .endpoint(&dst)
            .args([
                "-o",
                "json",
                "load",
                "--max-txn-ops",
                "10",
                "--plan-revision",
                &planned,
            ])
            .arg(&path)
            .run();
        expect(&run, 4);
        assert!(
            run.stderr.contains("3 of 200 transactions aborted"),
            "{run:?}"
        );
        let report: Value = serde_json::from_slice(&run.stdout).unwrap();
        let aborted = report["applied"]["aborted"].as_array().unwrap();
        let batches: Vec<(String, String, Value)> = aborted
            .iter()
            .map(|a| {
                (
                    a["first"].to_string(),
                    a["last"].to_string(),
                    a["changed"].clone(),
                )
            })
            .collect();
        let expected: Vec<(String, String, Value)> = raced
            .iter()
            .map(|i| {
                let first = i / 10 * 10;
                (
                    format!("\"/race/{first:06}\""),
                    format!("\"/race/{:06}\"", first + 9),
                    serde_json::json!([format!("/race/{i:06}")]),
                )
            })
            .collect();
        assert_eq!(batches, expected);
        assert_eq!(report["applied"]["done"]["create"], 1970);
        // Every key of the 197 batches written, as the file has it; of the three aborted, only
        // the racing writer's.
        let out = dst.etcdctl(&["get", "/race/", "--prefix", "-w", "json"]);
        let got = decoded(&String::from_utf8_lossy(&out.stdout));
        let expected: Vec<(String, String, bool)> = wanted(&text)
            .into_iter()
            .enumerate()
            .filter_map(|(i, kv)| match raced.iter().any(|r| r / 10 == i / 10) {
                false => Some(kv),
                true if raced.contains(&i) => Some((kv.0, "theirs".into(), false)),
                true => None,
            })
            .collect();
        assert!(got == expected, "exactly the three batches are missing");
        let again = etcdpy().endpoint(&dst).arg("load").arg(&path).run();
        expect(&again, 0);
        assert!(again.out().contains("27 created, 3 updated"), "{again:?}");
    });
}
