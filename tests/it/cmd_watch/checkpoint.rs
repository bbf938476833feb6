//! `watch --checkpoint FILE`: a `watch -r -f --checkpoint F -- CMD` SIGKILLed at random while
//! 2,000 writes go on sees every revision across its restarts, repeating only the change in
//! flight at each kill; a corrupt FILE and one of another key, prefix or cluster are refused
//! (exit 2, one line) and left as they were.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, http, shared, unique};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Put through the gateway: the write's revision.
fn put_rev(etcd: &Etcd, key: &str, value: &str) -> i64 {
    let body = format!(
        r#"{{"key":"{}","value":"{}"}}"#,
        STANDARD.encode(key),
        STANDARD.encode(value)
    );
    let (status, text) = http(etcd.port(), "POST", "/v3/kv/put", Some(&body)).expect("put");
    assert_eq!(status, 200, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["header"]["revision"].as_str().unwrap().parse().unwrap()
}

/// The revision a checkpoint file records (0: no file yet).
fn recorded(path: &Path) -> i64 {
    match std::fs::read(path) {
        Ok(text) => {
            let v: serde_json::Value = serde_json::from_slice(&text)
                .unwrap_or_else(|e| panic!("checkpoint {}: {e}", String::from_utf8_lossy(&text)));
            v["revision"].as_i64().unwrap()
        }
        Err(_) => 0,
    }
}

/// The revisions CMD recorded, one per line, with how often each came.
fn seen(log: &Path) -> BTreeMap<i64, u32> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut seen = BTreeMap::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        *seen.entry(line.parse::<i64>().unwrap()).or_insert(0) += 1;
    }
    seen
}

/// A small xorshift, seeded from the clock (the seed is printed to replay a failure).
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn a_watch_killed_ten_times_sees_every_revision_and_repeats_only_those_in_flight() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("checkpoint");
        let dir = tempfile::tempdir().unwrap();
        let (file, log) = (dir.path().join("cp"), dir.path().join("log"));
        let first = put_rev(etcd, &format!("{p}-before"), "x") + 1;
        let written = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let (written, p) = (written.clone(), p.clone());
            let etcd: &'static Etcd = etcd;
            thread::spawn(move || {
                for i in 0..2_000u32 {
                    let rev = put_rev(etcd, &format!("{p}/k{:03}", i % 300), &i.to_string());
                    written.lock().unwrap().push(rev);
                    thread::sleep(Duration::from_micros(1_500));
                }
            })
        };
        let record = format!("echo \"$ETCDPY_WATCH_REVISION\" >> '{}'", log.display());
        let watch = || {
            etcdpy()
                .endpoint(etcd)
                .args(["watch", &p, "-r", "-f", "--rev", &first.to_string()])
                .arg("--checkpoint")
                .arg(&file)
                .args(["--", "sh", "-c", &record])
                .spawn()
        };
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        eprintln!("kill schedule seed {seed}");
        let mut random = Random(seed);
        // After each kill: the checkpoint, so the change in flight is the next one written.
        let mut at_kill = Vec::new();
        for _ in 0..10 {
            let mut child = watch();
            thread::sleep(Duration::from_millis(150 + random.below(500)));
            child.kill().unwrap();
            child.wait().unwrap();
            at_kill.push(recorded(&file));
        }
        writer.join().unwrap();
        let written: BTreeSet<i64> = written.lock().unwrap().iter().copied().collect();
        assert_eq!(written.len(), 2_000);
        let mut child = watch();
        let started = Instant::now();
        let last = *written.last().unwrap();
        while recorded(&file) < last {
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "the last run got only to {} of {last}",
                recorded(&file)
            );
            thread::sleep(Duration::from_millis(100));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        // Give a CMD that outlived a kill its moment to write.
        thread::sleep(Duration::from_millis(200));
        let seen = seen(&log);
        let missed: Vec<_> = written.iter().filter(|r| !seen.contains_key(r)).collect();
        assert!(missed.is_empty(), "never seen: {missed:?}");
        let extra: Vec<_> = seen.keys().filter(|r| !written.contains(r)).collect();
        assert!(extra.is_empty(), "not written: {extra:?}");
        // In flight at a kill: the first revision written after the checkpoint it left (a run
        // killed before it got anywhere leaves the same one in flight again).
        let mut in_flight: BTreeMap<i64, u32> = BTreeMap::new();
        for &c in &at_kill {
            if let Some(&r) = written.range(c + 1..).next() {
                *in_flight.entry(r).or_insert(0) += 1;
            }
        }
        let repeated: BTreeMap<_, _> = seen.iter().filter(|(_, n)| **n > 1).collect();
        for (revision, times) in &repeated {
            let kills = in_flight.get(revision).copied().unwrap_or(0);
            assert!(
                **times <= 1 + kills,
                "revision {revision} seen {times} times; in flight at the kills: {in_flight:?} (checkpoints {at_kill:?})"
            );
        }
        eprintln!(
            "{}: checkpoints at the kills {at_kill:?}, repeated {repeated:?}",
            etcd.version()
        );
    });
}

#[test]
fn a_corrupt_checkpoint_or_one_of_another_watch_is_refused_and_left_alone() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("cpowner");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cp");
        let rev = put_rev(etcd, &format!("{p}/a"), "1");
        let watch = |etcd: &Etcd, key: &str, recursive: bool| {
            let mut cmd = etcdpy().endpoint(etcd).args(["watch", key, "--rev", "1"]);
            if recursive {
                cmd = cmd.arg("-r");
            }
            cmd.args(["--timeout", "2s", "--checkpoint"])
                .arg(&file)
                .run()
        };
        let run = watch(etcd, &p, true);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(recorded(&file), rev, "{run:?}");
        let good = std::fs::read(&file).unwrap();
        let refused = |run: crate::support::harness::Run, what: &str| {
            assert_eq!(run.code, 2, "{run:?}");
            assert!(run.stdout.is_empty(), "{run:?}");
            assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
            assert!(run.stderr.contains(what), "{run:?}");
        };
        // Another prefix, the same key without -r, another cluster.
        refused(
            watch(etcd, &format!("{p}x"), true),
            "belongs to another watch",
        );
        refused(watch(etcd, &p, false), "belongs to another watch");
        let other = Etcd::start(bin);
        refused(watch(&other, &p, true), "on cluster");
        assert_eq!(std::fs::read(&file).unwrap(), good);
        for corrupt in [&b""[..], b"garbage\n", &good[..good.len() / 2]] {
            std::fs::write(&file, corrupt).unwrap();
            refused(watch(etcd, &p, true), "is not an etcdpy watch checkpoint");
            assert_eq!(std::fs::read(&file).unwrap(), corrupt);
        }
        // A FIFO is refused at once (it was read, blocking until the harness killed it).
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let started = std::time::Instant::now();
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "watch",
                &p,
                "-r",
                "--rev",
                "1",
                "--timeout",
                "2s",
                "--checkpoint",
            ])
            .arg(&fifo)
            .timeout(std::time::Duration::from_secs(20))
            .run();
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(run.stderr.contains("not a regular file"), "{run:?}");
        assert!(started.elapsed().as_secs() < 10, "{run:?}");
        // A checkpoint in a directory that does not exist is refused before the first change
        // is handled (it was found only when writing after it: the change printed, then exit 1).
        let nowhere = dir.path().join("nodir").join("ck");
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "watch",
                &p,
                "-r",
                "--rev",
                "1",
                "--timeout",
                "2s",
                "--checkpoint",
            ])
            .arg(&nowhere)
            .timeout(std::time::Duration::from_secs(20))
            .run();
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(run.stderr.contains("does not exist"), "{run:?}");
        assert!(!nowhere.parent().unwrap().exists(), "{run:?}");
    });
}

/// Delete through the gateway.
fn del_key(etcd: &Etcd, key: &str) {
    let body = format!(r#"{{"key":"{}"}}"#, STANDARD.encode(key));
    let (status, text) =
        http(etcd.port(), "POST", "/v3/kv/deleterange", Some(&body)).expect("delete");
    assert_eq!(status, 200, "{text}");
}

/// `etcdctl get --prefix PREFIX`: key → mod revision, and the revision read at.
fn state_now(etcd: &Etcd, prefix: &str) -> (BTreeMap<String, i64>, i64) {
    let out = etcd.etcdctl(&["get", "--prefix", prefix, "-w", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |v: &serde_json::Value| {
        String::from_utf8(STANDARD.decode(v.as_str().unwrap_or("")).unwrap()).unwrap()
    };
    let keys = doc["kvs"]
        .as_array()
        .map(|kvs| {
            kvs.iter()
                .map(|kv| (text(&kv["key"]), kv["mod_revision"].as_i64().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    (keys, doc["header"]["revision"].as_i64().unwrap())
}

#[test]
fn a_resync_after_compaction_emits_exactly_the_difference_then_live_changes() {
    use crate::support::Lines;
    for_each_etcd(|bin| {
        // Its own server: compaction would disturb other tests on the shared one.
        let etcd = Etcd::start(bin);
        let p = unique("resync");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cp");
        for i in 0..300 {
            put_rev(&etcd, &format!("{p}/k{i:03}"), "0");
        }
        let watch = || {
            etcdpy()
                .endpoint(&etcd)
                .args(["watch", &p, "-r", "-f", "--initial", "-o", "json"])
                .args(["--on-compacted", "resync", "--checkpoint"])
                .arg(&file)
                .spawn()
        };
        let json = |line: &str| serde_json::from_str::<serde_json::Value>(line).unwrap();
        let mut child = watch();
        let lines = Lines::of(&mut child);
        while json(&lines.next(Duration::from_secs(30)))["type"] != "initial-end" {}
        let last = put_rev(&etcd, &format!("{p}/k000"), "live");
        assert_eq!(json(&lines.next(Duration::from_secs(10)))["revision"], last);
        let started = Instant::now();
        while recorded(&file) < last {
            assert!(started.elapsed() < Duration::from_secs(10), "checkpoint");
            thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let (before, _) = state_now(&etcd, &format!("{p}/"));
        // 500 changes while it is stopped: adds (some deleted again), updates, deletes.
        for i in 0..500u32 {
            match i % 5 {
                0 | 1 => put_rev(&etcd, &format!("{p}/n{i:03}"), "new"),
                2 => put_rev(&etcd, &format!("{p}/k{:03}", (i * 7) % 300), "upd"),
                3 => {
                    del_key(&etcd, &format!("{p}/k{:03}", (i * 11) % 300));
                    0
                }
                _ => {
                    del_key(&etcd, &format!("{p}/n{:03}", i - 4));
                    0
                }
            };
        }
        let (after, now) = state_now(&etcd, &format!("{p}/"));
        let out = etcd.etcdctl(&["compact", &now.to_string()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut expected = BTreeSet::new();
        for (key, rev) in &after {
            if before.get(key) != Some(rev) {
                expected.insert(("PUT".to_string(), key.clone()));
            }
        }
        for key in before.keys().filter(|k| !after.contains_key(*k)) {
            expected.insert(("DELETE".to_string(), key.clone()));
        }
        let mut child = watch();
        let lines = Lines::of(&mut child);
        let mut emitted = BTreeSet::new();
        for _ in 0..expected.len() {
            let v = json(&lines.next(Duration::from_secs(30)));
            let event = (
                v["type"].as_str().unwrap().to_string(),
                v["key"].as_str().unwrap().to_string(),
            );
            assert!(emitted.insert(event), "{v} twice");
        }
        assert_eq!(emitted, expected, "the resync's events");
        let live = put_rev(&etcd, &format!("{p}/after"), "x");
        let v = json(&lines.next(Duration::from_secs(10)));
        assert_eq!(
            (v["key"].as_str().unwrap(), v["revision"].as_i64().unwrap()),
            (&*format!("{p}/after"), live)
        );
        child.kill().unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let puts = expected.iter().filter(|e| e.0 == "PUT").count();
        let line = format!(
            "etcdpy: resync: revision {} was compacted away; the state at revision {now} differed from the last one known by {puts} PUT and {} DELETE events\n",
            last + 1,
            expected.len() - puts
        );
        assert_eq!(stderr, line);
        eprintln!(
            "{}: {} PUT, {} DELETE",
            etcd.version(),
            puts,
            expected.len() - puts
        );
    });
}
