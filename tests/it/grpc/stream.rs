//! etcd 3.7's `KV.RangeStream` (issue 28): `get -r` and `dump` read a range as one stream
//! where the server has it, and page by page where it answers "unimplemented" (3.4-3.6);
//! the output is the same bytes either way, and the same as through the gateway: binary
//! keys, values larger than the server's chunk size, a chunk over etcdpy's 16 MiB answer
//! limit (the rest read page by page), `--limit`, `--keys-only`, an empty range, under an
//! address-space cap. A member killed mid-stream: the stream goes on at the next member from
//! the key after the last one handed out, nothing repeated or lost.

use crate::support::cluster::Cluster;
use crate::support::harness::{Etcd, EtcdBin, EtcdpyCmd, Run, for_each_etcd, http};
use crate::support::listing::{Kvs, listed, load_bytes, uneven_keys};
use crate::support::util::{capped, expect};
use base64::Engine as _;
use std::io::{BufRead, BufReader, Read};
use std::time::Duration;

/// Whether this etcd has RangeStream (3.7 on).
fn streams(bin: &EtcdBin) -> bool {
    bin.minor() >= (3, 7)
}

/// `etcdpy --debug --transport T ARGS` against `etcd`; the stream (auto) under a 64 MiB
/// address-space cap (the gateway's JSON pages of 1.2 MiB values need more).
fn read(etcd: &Etcd, transport: &str, args: &[&str]) -> Run {
    let cmd = match transport {
        "gateway" => EtcdpyCmd::with_program(env!("CARGO_BIN_EXE_etcdpy")),
        _ => capped(64),
    };
    cmd.args([
        "--endpoints",
        &etcd.endpoint(),
        "--debug",
        "--transport",
        transport,
    ])
    .args(args)
    .timeout(Duration::from_secs(120))
    .run()
}

/// The run read its range through one RangeStream (3.7), or tried it once and read pages.
#[track_caller]
fn streamed_or_paged(bin: &EtcdBin, run: &Run) {
    let tried = run
        .stderr
        .matches("/etcdserverpb.KV/RangeStream -> ")
        .count();
    assert!(tried <= 1, "RangeStream asked {tried} times\n{run:?}");
    let paged = run.stderr.contains("/etcdserverpb.KV/Range -> HTTP/2 200");
    if streams(bin) {
        assert!(
            run.stderr.contains("KV/RangeStream -> HTTP/2 200"),
            "{run:?}"
        );
    } else {
        assert!(paged, "no paged read after RangeStream\n{run:?}");
    }
}

/// Keys whose values are larger than etcd's chunk size (1.5 MiB, its --max-request-bytes),
/// and fourteen of 1.2 MiB in a row: one chunk of them is over etcdpy's 16 MiB limit.
fn large_values(p: &str) -> Kvs {
    let mut kvs: Kvs = (0..14u8)
        .map(|i| {
            (
                format!("{p}/y/{i:02}").into_bytes(),
                vec![b'a' + i; 1_200_000],
            )
        })
        .collect();
    kvs.push((format!("{p}/z/after").into_bytes(), b"last".to_vec()));
    kvs
}

#[test]
fn range_stream_and_paged_reads_list_the_same_bytes() {
    for_each_etcd(|bin| {
        // A server of its own: dump's header names the revision, which must stay put.
        let etcd = Etcd::start(bin);
        let p = "/rs";
        let mut kvs = uneven_keys(p);
        load_bytes(&etcd, &kvs);
        for (key, value) in large_values(p) {
            let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
            let body = format!(r#"{{"key":"{}","value":"{}"}}"#, b64(&key), b64(&value));
            let answer = http(etcd.port(), "POST", "/v3/kv/put", Some(&body));
            assert!(matches!(answer, Some((200, _))), "put: {answer:?}");
            kvs.push((key, value));
        }
        kvs.sort();
        // Every key and value as written, read through the stream (3.7) or pages.
        let auto = read(&etcd, "auto", &["get", "-r", p, "-o", "json"]);
        expect(&auto, 0);
        streamed_or_paged(bin, &auto);
        let (got, revision) = listed(&auto);
        assert!(
            got == kvs,
            "not the keys written ({} of {})",
            got.len(),
            kvs.len()
        );
        let rev = revision.to_string();
        let cases: [&[&str]; 8] = [
            &["get", "-r", p, "--rev", &rev, "-o", "json"],
            &["get", "-r", p, "--rev", &rev],
            &["get", "-r", p, "--keys-only"],
            &["get", "-r", p, "--limit", "5000", "-o", "json"],
            &["get", "-r", p, "--limit", "1"],
            &["get", "-r", &format!("{p}/x"), "-o", "json"],
            &["get", "-r", &format!("{p}/none/")],
            &["dump", p],
        ];
        for args in cases {
            let auto = read(&etcd, "auto", args);
            let gateway = read(&etcd, "gateway", args);
            assert_eq!(auto.code, gateway.code, "{args:?}\n{auto:?}\n{gateway:?}");
            assert!(
                auto.stdout == gateway.stdout,
                "{args:?}: stream and gateway differ"
            );
            if auto.code == 0 {
                streamed_or_paged(bin, &auto);
            }
        }
        // etcdctl reads the same keys.
        let out = etcd.etcdctl(&[
            "get",
            "--prefix",
            &format!("{p}/"),
            "--keys-only",
            "-w",
            "json",
        ]);
        assert!(out.status.success());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        let theirs: Vec<Vec<u8>> = doc["kvs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| b64.decode(kv["key"].as_str().unwrap()).unwrap())
            .collect();
        let ours: Vec<Vec<u8>> = kvs.into_iter().map(|(k, _)| k).collect();
        assert!(theirs == ours, "etcdctl lists other keys");
    });
}

/// Write `n` keys `PREFIX/NNNNNN` with `len`-byte values through member `i`'s gateway.
fn seed(cluster: &Cluster, i: usize, prefix: &str, n: usize, len: usize) {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let value = b64(&"v".repeat(len));
    for start in (0..n).step_by(500) {
        let puts: Vec<String> = (start..(start + 500).min(n))
            .map(|k| {
                let key = b64(&format!("{prefix}/{k:06}"));
                format!(r#"{{"request_put":{{"key":"{key}","value":"{value}"}}}}"#)
            })
            .collect();
        let body = format!(r#"{{"success":[{}]}}"#, puts.join(","));
        let answer = http(cluster.members[i].port, "POST", "/v3/kv/txn", Some(&body));
        assert!(matches!(answer, Some((200, _))), "seed: {answer:?}");
    }
}

#[test]
fn a_member_killed_mid_stream_loses_and_repeats_no_key() {
    const KEYS: usize = 40_000;
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start_with_args(bin, 3, &["--max-txn-ops", "500"]);
        let leader = cluster.leader().expect("a leader");
        let victim = (0..3).find(|&i| i != leader).unwrap();
        seed(&cluster, leader, "/kill", KEYS, 100);
        let mut order = vec![victim];
        order.extend((0..3).filter(|&i| i != victim));
        let urls: Vec<String> = order
            .iter()
            .map(|&i| cluster.members[i].endpoint())
            .collect();
        // Killed once the first lines are out: the rest waits for the pipe, so the stream
        // is still under way (HTTP/2 flow control holds etcd back).
        let mut child = capped(64)
            .args(["--endpoints", &urls.join(","), "get", "-r", "/kill"])
            .spawn();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        cluster.members[victim].kill();
        let mut rest = String::new();
        out.read_to_string(&mut rest).unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{stderr}");
        let lines: Vec<&str> = std::iter::once(first.trim_end())
            .chain(rest.lines())
            .collect();
        let wanted: Vec<String> = (0..KEYS)
            .map(|k| format!("/kill/{k:06} = {}", "v".repeat(100)))
            .collect();
        assert_eq!(lines.len(), KEYS, "{stderr}");
        assert!(
            lines.iter().eq(wanted.iter()),
            "keys lost, repeated or out of order"
        );
    });
}
