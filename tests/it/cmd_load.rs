//! `dump` and `load`: a prefix copied to a second server byte for byte (binary keys and
//! values, TTLs as leases shared per second), loading again and `--dry-run` writing nothing
//! (the revision does not move), `--prune` deleting exactly the extra keys, a key changed
//! after the plan aborting only its transaction (exit 4), a malformed line named before
//! anything is written, a dump cut short (half its lines, a SIGKILLed dump) refused even with
//! --prune --dry-run, `load -` from a pipe, a load whose leader is SIGKILLed going on through
//! another member, and 100,000 keys (41 MiB of values) dumped and loaded between two servers
//! in bounded memory (RLIMIT_AS 64 MiB).

mod concurrent;

use crate::support::bytes::{NASTY, b64, under};
use crate::support::harness::{Etcd, Run, etcdpy, for_each_etcd};
use crate::support::util::{capped, count, expect, file, leases, put, revision, sealed, stored};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn dump(etcd: &Etcd, prefix: &str) -> Run {
    let run = etcdpy().endpoint(etcd).args(["dump", prefix]).run();
    expect(&run, 0);
    run
}

fn load(etcd: &Etcd, file: &Path, extra: &[&str]) -> Run {
    etcdpy()
        .endpoint(etcd)
        .arg("load")
        .arg(file)
        .args(extra)
        .run()
}

/// One dumped key: (key, key_encoding, value, value_encoding, ttl).
type Line = (Value, Value, Value, Value, Option<i64>);

/// A dump's header and its key lines.
fn lines(run: &Run) -> (Value, Vec<Line>) {
    let mut docs = run
        .out()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .collect::<Vec<_>>()
        .into_iter();
    let header = docs.next().expect("a header line");
    let mut docs: Vec<Value> = docs.collect();
    // The end line: every key line counted.
    let end = docs.pop().expect("an end line");
    assert_eq!(end["end"], "etcdpy", "{end}");
    assert_eq!(end["keys"], docs.len(), "{end}");
    let keys = docs
        .into_iter()
        .map(|d| {
            (
                d["key"].clone(),
                d["key_encoding"].clone(),
                d["value"].clone(),
                d["value_encoding"].clone(),
                d["ttl"].as_i64(),
            )
        })
        .collect();
    (header, keys)
}

#[test]
fn dump_then_load_copies_the_keyspace() {
    for_each_etcd(|bin| {
        let (src, dst) = (Etcd::start(bin), Etcd::start(bin));
        crate::support::util::load(&src, "/dl/n", 2000, 10);
        for (suffix, value) in NASTY {
            let key = under("/dl/bin", suffix);
            let run = etcdpy()
                .endpoint(&src)
                .args(["--key-encoding", "base64", "set", &b64(&key), "-"])
                .stdin(value.to_vec())
                .run();
            expect(&run, 0);
        }
        for (key, ttl) in [("/dl/t/a", "60s"), ("/dl/t/b", "60s"), ("/dl/t/c", "90s")] {
            expect(
                &etcdpy()
                    .endpoint(&src)
                    .args(["set", key, "x", "--ttl", ttl])
                    .run(),
                0,
            );
        }
        put(&src, "/dl2/outside", "not dumped");
        put(&dst, "/dl2/keep", "outside the prefix");

        let dumped = dump(&src, "/dl");
        let (header, keys) = lines(&dumped);
        assert_eq!(header["prefix"], "/dl", "{header}");
        assert_eq!(
            keys.len(),
            2000 + NASTY.len() + 3,
            "every key under /dl once"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "dl.ndjson", &dumped.stdout);
        expect(&load(&dst, &path, &[]), 0);

        // The same keys and values, the TTLs within 2 s; one lease per TTL second.
        let (_, copied) = lines(&dump(&dst, "/dl"));
        assert_eq!(copied.len(), keys.len());
        for (a, b) in keys.iter().zip(&copied) {
            assert_eq!((&a.0, &a.1, &a.2, &a.3), (&b.0, &b.1, &b.2, &b.3));
            match (a.4, b.4) {
                (Some(x), Some(y)) => assert!((x - y).abs() <= 2, "ttl {x} vs {y}"),
                (x, y) => assert_eq!(x, y, "{:?}", a.0),
            }
        }
        let ttls: BTreeSet<i64> = keys.iter().filter_map(|k| k.4).collect();
        assert_eq!(leases(&dst).len(), ttls.len(), "one lease per TTL second");

        // Loading again, and a dry run, write nothing.
        let before = revision(dst.port());
        let again = load(&dst, &path, &[]);
        expect(&again, 0);
        assert!(
            again.out().contains("0 to create, 0 to update"),
            "{again:?}"
        );
        assert_eq!(revision(dst.port()), before, "a second load writes nothing");

        put(&dst, "/dl/n/00001", "changed");
        put(&dst, "/dl/extra", "e");
        put(&dst, "/dl/n/zz", "e");
        let before = revision(dst.port());
        let dry = load(&dst, &path, &["--dry-run", "--prune", "-v"]);
        expect(&dry, 0);
        assert!(dry.out().contains("update    /dl/n/00001\n"), "{dry:?}");
        assert!(dry.out().contains("1 to update, "), "{dry:?}");
        assert!(dry.out().contains("2 to delete"), "{dry:?}");
        assert_eq!(revision(dst.port()), before, "--dry-run writes nothing");

        // --prune: exactly the two extra keys go, the changed one comes back.
        let pruned = load(&dst, &path, &["--prune", "-o", "json"]);
        expect(&pruned, 0);
        let report: Value = serde_json::from_slice(&pruned.stdout).unwrap();
        assert_eq!(report["applied"]["done"]["delete"], 2, "{report}");
        assert_eq!(report["applied"]["done"]["update"], 1, "{report}");
        assert!(stored(&dst, "/dl/extra").is_none());
        assert!(stored(&dst, "/dl/n/zz").is_none());
        assert_eq!(stored(&dst, "/dl/n/00001").unwrap().value, b"vvvvvvvvvv");
        assert_eq!(
            stored(&dst, "/dl2/keep").unwrap().value,
            b"outside the prefix"
        );
        assert_eq!(count(&dst, "/dl/"), keys.len());
    });
}

/// A dump file of `n` keys `PREFIX/kNN` (values `vNN`), made by hand.
fn made(prefix: &str, n: usize, bad: Option<(usize, &str)>) -> Vec<u8> {
    let mut text =
        format!("{{\"dump\":\"etcdpy\",\"api\":\"v3\",\"prefix\":\"{prefix}\",\"revision\":1}}\n");
    for i in 0..n {
        match bad {
            // Line numbers count the header as line 1.
            Some((line, what)) if line == i + 2 => text.push_str(what),
            _ => text.push_str(&format!(
                "{{\"key\":\"{prefix}/k{i:02}\",\"value\":\"v{i:02}\",\"ttl\":null}}"
            )),
        }
        text.push('\n');
    }
    sealed(&text).into_bytes()
}

#[test]
fn a_key_changed_after_the_plan_aborts_only_its_batch() {
    for_each_etcd(|bin| {
        let dst = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "c.ndjson", &made("/c", 50, None));
        put(&dst, "/c/k25", "old");
        let dry = load(&dst, &path, &["--dry-run", "-o", "json"]);
        expect(&dry, 0);
        let plan: Value = serde_json::from_slice(&dry.stdout).unwrap();
        let planned = plan["plan_revision"].as_i64().unwrap().to_string();

        // Someone writes /c/k25 between the plan and the load.
        put(&dst, "/c/k25", "theirs");
        let run = load(
            &dst,
            &path,
            &["--plan-revision", &planned, "--max-txn-ops", "10"],
        );
        expect(&run, 4);
        assert!(
            run.stderr.contains("1 of 5 transactions aborted"),
            "{run:?}"
        );
        assert!(run.stderr.contains("/c/k25"), "{run:?}");
        assert_eq!(stored(&dst, "/c/k25").unwrap().value, b"theirs");
        // Its batch (k20…k29) is not half-written; the other four are whole.
        for i in 0..50 {
            let key = format!("/c/k{i:02}");
            let there = stored(&dst, &key).is_some();
            assert_eq!(there, !(20..30).contains(&i) || i == 25, "{key}");
        }
        assert_eq!(count(&dst, "/c/"), 41);
    });
}

#[test]
fn a_malformed_line_is_named_and_nothing_is_written() {
    for_each_etcd(|bin| {
        let dst = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (
                12,
                r#"{"key":"/m/k10","value":"%%","value_encoding":"base64"}"#,
                "not base64",
            ),
            (
                30,
                r#"{"key":"/m/k00","value":"x"}"#,
                "not after the key before it",
            ),
            (7, "{\"key\":\"/m/k05\"", "not a dump line"),
            (
                40,
                r#"{"key":"/elsewhere","value":"x"}"#,
                "outside the dump's prefix",
            ),
        ];
        for (line, text, why) in cases {
            let path = file(&dir, "m.ndjson", &made("/m", 60, Some((line, text))));
            let before = revision(dst.port());
            let run = load(&dst, &path, &[]);
            expect(&run, 2);
            assert!(run.stderr.contains(&format!("line {line}: ")), "{run:?}");
            assert!(run.stderr.contains(why), "{run:?}");
            assert_eq!(revision(dst.port()), before, "nothing written");
            assert_eq!(count(&dst, "/m/"), 0);
        }
        // A pipe cannot be read twice: refused before anything is read.
        let piped = etcdpy()
            .endpoint(&dst)
            .args(["load", "/dev/stdin"])
            .stdin(made("/m", 3, None))
            .run();
        expect(&piped, 2);
        assert!(piped.stderr.contains("not a regular file"), "{piped:?}");
        assert_eq!(count(&dst, "/m/"), 0);
    });
}

#[test]
fn dump_and_load_stream_in_bounded_memory() {
    const KEYS: usize = 100_000;
    const CAP_MIB: u64 = 64;
    let run = |etcd: &Etcd, args: &[&str], file: Option<&Path>| {
        let mut cmd = capped(CAP_MIB)
            .args(["--endpoints", &etcd.endpoint()])
            .args(args);
        if let Some(file) = file {
            cmd = cmd.arg(file);
        }
        let run = cmd.timeout(std::time::Duration::from_secs(400)).run();
        expect(&run, 0);
        run
    };
    for_each_etcd(|bin| {
        let (first, second) = (Etcd::start(bin), Etcd::start(bin));
        let dir = tempfile::tempdir().unwrap();
        // 100,000 keys, 41 MiB of values: more than the cap, so no command may hold them all.
        let value = "v".repeat(430);
        let mut text = String::from(
            "{\"dump\":\"etcdpy\",\"api\":\"v3\",\"prefix\":\"/big\",\"revision\":1}\n",
        );
        for i in 0..KEYS {
            text.push_str(&format!(
                "{{\"key\":\"/big/{i:06}\",\"value\":\"{value}\",\"ttl\":null}}\n"
            ));
        }
        let path = file(&dir, "big.ndjson", sealed(&text).as_bytes());
        run(&first, &["load"], Some(&path));
        assert_eq!(count(&first, "/big/"), KEYS);

        // dump → load into a second server, both capped; the same keys and values there.
        let dumped = run(&first, &["dump", "/big"], None);
        let (_, keys) = lines(&dumped);
        assert_eq!(keys.len(), KEYS);
        assert!(keys.iter().all(|k| k.2 == value.as_str()));
        let copy = file(&dir, "copy.ndjson", &dumped.stdout);
        run(&second, &["load"], Some(&copy));
        let (_, copied) = lines(&dump(&second, "/big"));
        assert!(
            keys == copied,
            "the second server holds the same 100,000 keys"
        );
    });
}

#[test]
fn a_v2_dump_loads_into_v3() {
    crate::support::harness::for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        // /v/sub-x sorts before /v/sub/c in bytes ('-' < '/') but after it in v2's tree order.
        crate::support::pyetcd::py(
            &etcd,
            "c.write('/v/a', 'é')\nc.write('/v/sub/c', 'c')\nc.write('/v/sub-x', 'x')\nc.write('/v/t', 't', ttl=120)\n",
        );
        let dumped = etcdpy()
            .endpoint(&etcd)
            .args(["--api", "v2", "dump", "/v"])
            .run();
        expect(&dumped, 0);
        let (header, keys) = lines(&dumped);
        assert_eq!(header["api"], "v2");
        let names: Vec<&str> = keys.iter().map(|k| k.0.as_str().unwrap()).collect();
        assert_eq!(names, ["/v/a", "/v/sub-x", "/v/sub/c", "/v/t"]);
        let dir = tempfile::tempdir().unwrap();
        let path = file(&dir, "v2.ndjson", &dumped.stdout);
        expect(&load(&etcd, &path, &[]), 0);
        assert_eq!(stored(&etcd, "/v/a").unwrap().value, "é".as_bytes());
        assert_eq!(stored(&etcd, "/v/sub-x").unwrap().value, b"x");
        assert_ne!(
            stored(&etcd, "/v/t").unwrap().lease,
            0,
            "the TTL became a lease"
        );
        assert_eq!(count(&etcd, "/v/"), 4);
    });
}

/// The keys under `prefix`, as etcdctl lists them (keys and values).
fn listing(etcd: &Etcd, prefix: &str) -> Vec<u8> {
    let out = etcd.etcdctl(&["get", prefix, "--prefix"]);
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

/// A dump cut short (issue 21): the first half of its lines, as a dump that exits 5 or is
/// killed at a line boundary leaves it, and a dump SIGKILLed part way (cut anywhere). `load`
/// refuses both, with --prune and --dry-run too, naming the line where the dump stops; the
/// keyspace is unchanged (etcdctl). `--allow-partial` loads a hand-made file, never with
/// --prune.
#[test]
fn a_cut_dump_is_refused_and_prune_deletes_nothing() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        crate::support::util::load(&etcd, "/cut", 3000, 500);
        let before = listing(&etcd, "/cut/");
        let whole = dump(&etcd, "/cut");
        let text = whole.out();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3002, "header, 3000 keys, end line");
        let dir = tempfile::tempdir().unwrap();
        let half = file(
            &dir,
            "half.ndjson",
            (lines[..1500].join("\n") + "\n").as_bytes(),
        );

        // SIGKILL while it writes: whatever reached stdout.
        let mut child = etcdpy().endpoint(&etcd).args(["dump", "/cut"]).spawn();
        let mut stdout = child.stdout.take().unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 8192];
        while got.len() < 200_000 {
            use std::io::Read;
            let n = stdout.read(&mut buf).unwrap();
            assert!(n > 0, "dump ended before it was killed");
            got.extend_from_slice(&buf[..n]);
        }
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        std::io::Read::read_to_end(&mut stdout, &mut got).unwrap();
        let _ = child.wait();
        assert!(got.len() < text.len(), "killed part way");
        let killed = file(&dir, "killed.ndjson", &got);
        let killed_lines = got.iter().filter(|b| **b == b'\n').count() as u64;

        for (path, stop) in [(&half, 1500), (&killed, killed_lines)] {
            for extra in [
                &["--prune", "--dry-run"][..],
                &["--prune"],
                &["--dry-run"],
                &[],
            ] {
                let run = load(&etcd, path, extra);
                expect(&run, 2);
                assert_eq!(run.stdout, b"", "no plan is shown: {run:?}");
                let cut_in_line = format!("line {}: the file stops in the middle", stop + 1);
                let at_line = format!("line {stop}: the dump stops here, without the end line");
                assert!(
                    run.stderr.contains(&at_line) || run.stderr.contains(&cut_in_line),
                    "{extra:?}: {run:?}"
                );
                let first = run.stderr.lines().next().unwrap_or_default();
                assert!(first.ends_with("nothing was written"), "one line: {run:?}");
            }
        }
        assert_eq!(listing(&etcd, "/cut/"), before, "the keyspace is unchanged");
        // A hand-made file may be loaded as it is, but never pruned from.
        let partial = load(&etcd, &half, &["--allow-partial", "--prune"]);
        expect(&partial, 2);
        let partial = load(&etcd, &half, &["--allow-partial", "-o", "json"]);
        expect(&partial, 0);
        let doc: Value = serde_json::from_slice(&partial.stdout).unwrap();
        assert_eq!(
            (doc["keys"].clone(), doc["plan"]["unchanged"].clone()),
            (1499.into(), 1499.into())
        );
        assert_eq!(listing(&etcd, "/cut/"), before);

        // An end line that does not match what precedes it: a line dropped, or a value edited.
        let dropped = [&lines[..10], &lines[11..]].concat().join("\n") + "\n";
        let edited = text.replacen("vvvv", "vvvw", 1);
        for (name, bytes, why) in [
            (
                "dropped",
                dropped,
                "the end line counts 3000 keys, but 2999 key lines came before it",
            ),
            (
                "edited",
                edited,
                "the SHA-256 of the lines before the end line is not the one it gives",
            ),
        ] {
            let run = load(&etcd, &file(&dir, name, bytes.as_bytes()), &["--prune"]);
            expect(&run, 2);
            assert!(run.stderr.contains(why), "{name}: {run:?}");
        }
        assert_eq!(listing(&etcd, "/cut/"), before);
    });
}

/// `load -` reads stdin (issue 29): `etcdpy dump /a | etcdpy --endpoints OTHER load -`, spooled
/// to a temporary file that is gone afterwards; a cut-off dump on stdin is refused the same way.
#[test]
fn load_dash_reads_a_dump_from_a_pipe() {
    for_each_etcd(|bin| {
        let (src, dst) = (Etcd::start(bin), Etcd::start(bin));
        crate::support::util::load(&src, "/pipe", 500, 20);
        put(&src, "/pipe/x", "y");
        let dumped = dump(&src, "/pipe");
        let tmp = tempfile::tempdir().unwrap();
        let piped = |bytes: Vec<u8>, extra: &[&str]| {
            etcdpy()
                .endpoint(&dst)
                .env("TMPDIR", tmp.path())
                .args(["load", "-"])
                .args(extra)
                .stdin(bytes)
                .run()
        };
        let cut = dumped.stdout[..dumped.stdout.len() / 2].to_vec();
        let refused = piped(cut, &["--prune"]);
        expect(&refused, 2);
        assert!(refused.stderr.contains("stdin: line "), "{refused:?}");
        assert_eq!(count(&dst, "/pipe"), 0);

        let run = piped(dumped.stdout.clone(), &["-o", "json"]);
        expect(&run, 0);
        let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["applied"]["done"]["create"], 501, "{doc}");
        assert_eq!(listing(&dst, "/pipe"), listing(&src, "/pipe"));
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            0,
            "the spool file is gone"
        );
        // Again, through a shell pipe from dump itself: nothing left to write.
        let shell = format!(
            "'{bin}' --endpoints {src} dump /pipe | '{bin}' --endpoints {dst} load -",
            bin = env!("CARGO_BIN_EXE_etcdpy"),
            src = src.endpoint(),
            dst = dst.endpoint()
        );
        let out = std::process::Command::new("sh")
            .args(["-c", &shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .contains("0 to create, 0 to update, 501 unchanged"),
            "{out:?}"
        );
    });
}

/// `load` whose member dies (the leader, SIGKILLed mid-load) moves to another member: its
/// transactions are guarded by the plan's mod revisions, so one sent again either applies or
/// finds its keys already as it wrote them (issue 21 item 9: it exited 7 "may or may not
/// have been applied", and a re-run converged).
#[test]
fn load_moves_to_another_member_when_its_leader_dies() {
    const KEYS: usize = 20_000;
    for_each_etcd(|bin| {
        let mut cluster = crate::support::cluster::Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let other = (leader + 1) % 3;
        let dir = tempfile::tempdir().unwrap();
        let value = "v".repeat(200);
        let mut text = String::from(
            "{\"dump\":\"etcdpy\",\"api\":\"v3\",\"prefix\":\"/fo\",\"revision\":1}\n",
        );
        for i in 0..KEYS {
            text.push_str(&format!(
                "{{\"key\":\"/fo/{i:06}\",\"value\":\"{value}\",\"ttl\":{}}}\n",
                if i % 1000 == 0 { "600" } else { "null" }
            ));
        }
        let path = file(&dir, "fo.ndjson", sealed(&text).as_bytes());
        let count = |cluster: &crate::support::cluster::Cluster| {
            let out = cluster.etcdctl(
                other,
                &["get", "/fo/", "--prefix", "--limit", "1", "-w", "json"],
            );
            serde_json::from_str::<Value>(&out).map_or(0, |v| v["count"].as_u64().unwrap_or(0))
        };
        let child = etcdpy()
            .args(["--endpoints", &cluster.endpoints_from(leader)])
            .args(["load", "--max-txn-ops", "50"])
            .arg(&path)
            .spawn();
        let began = std::time::Instant::now();
        while count(&cluster) < 2000 {
            assert!(
                began.elapsed() < std::time::Duration::from_secs(60),
                "no progress"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        cluster.members[leader].kill();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains(&format!("applied: {KEYS} created")),
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert_eq!(count(&cluster), KEYS as u64);
    });
}
