//! `watch --initial`: the state at one revision R (compared with `etcdctl get --prefix --rev
//! R`), the marker, then every later write exactly once — 10,000 keys, writes going on while
//! the state is read; and on --api v2.

use crate::support::Lines;
use crate::support::api::put_on;
use crate::support::harness::{
    Etcd, etcdpy, for_each_etcd, for_each_etcd_v2, http, shared, unique,
};
use crate::support::util::load;
use crate::support::watch::initial_state;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

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

/// `etcdctl get --prefix PREFIX --rev R`: key → (value, mod revision).
fn state_at(etcd: &Etcd, prefix: &str, rev: i64) -> BTreeMap<String, (String, i64)> {
    let out = etcd.etcdctl(&[
        "get",
        "--prefix",
        prefix,
        "--rev",
        &rev.to_string(),
        "-w",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |v: &serde_json::Value| {
        String::from_utf8(STANDARD.decode(v.as_str().unwrap_or("")).unwrap()).unwrap()
    };
    doc["kvs"]
        .as_array()
        .map(|kvs| {
            kvs.iter()
                .map(|kv| {
                    (
                        text(&kv["key"]),
                        (text(&kv["value"]), kv["mod_revision"].as_i64().unwrap()),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn initial_state_at_one_revision_then_every_later_write_exactly_once() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("initial");
        load(etcd, &p, 10_000, 20);
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let (stop, written, p) = (stop.clone(), written.clone(), p.clone());
            let port_etcd: &'static Etcd = etcd;
            thread::spawn(move || {
                let mut i = 0u64;
                while !stop.load(Ordering::SeqCst) || i < 50 {
                    // New keys and overwrites of loaded ones, interleaved.
                    let key = match i % 2 {
                        0 => format!("{p}/w{i:05}"),
                        _ => format!("{p}/{:05}", (i * 37) % 10_000),
                    };
                    let value = format!("w{i}");
                    let rev = put_rev(port_etcd, &key, &value);
                    written.lock().unwrap().push((key, value, rev));
                    i += 1;
                    thread::sleep(Duration::from_millis(2));
                }
            })
        };
        // Writes before R are part of the test: wait for some (on a loaded machine the writer's
        // first put came after a fixed 50 ms pause and after R: "no write before R").
        while written.lock().unwrap().len() < 5 {
            thread::sleep(Duration::from_millis(5));
        }
        let mut child = etcdpy()
            .endpoint(etcd)
            .args(["watch", &p, "-r", "-f", "--initial", "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut child);
        let mut initial = BTreeMap::new();
        let mut last_key = String::new();
        let r = loop {
            let line = lines.next(Duration::from_secs(60));
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            if v["type"] == "initial-end" {
                assert_eq!(v["keys"].as_u64().unwrap() as usize, initial.len());
                break v["revision"].as_i64().unwrap();
            }
            assert_eq!(v["initial"], true, "{line}");
            let key = v["key"].as_str().unwrap().to_string();
            assert!(key > last_key, "key order: {key} after {last_key}");
            last_key = key.clone();
            let value = v["value"].as_str().unwrap().to_string();
            initial.insert(key, (value, v["revision"].as_i64().unwrap()));
        };
        thread::sleep(Duration::from_millis(300));
        stop.store(true, Ordering::SeqCst);
        writer.join().unwrap();
        let written = written.lock().unwrap().clone();
        assert!(written.iter().any(|w| w.2 <= r), "no write before R={r}");
        let later: Vec<_> = written.into_iter().filter(|w| w.2 > r).collect();
        assert!(!later.is_empty(), "no write after R={r}");
        assert_eq!(
            initial,
            state_at(etcd, &format!("{p}/"), r),
            "initial state at {r}"
        );
        let mut seen = Vec::new();
        while seen.len() < later.len() {
            let line = lines.next(Duration::from_secs(30));
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            assert!(v.get("initial").is_none(), "{line}");
            let key = v["key"].as_str().unwrap().to_string();
            let value = v["value"].as_str().unwrap().to_string();
            seen.push((key, value, v["revision"].as_i64().unwrap()));
        }
        assert_eq!(seen, later, "changes after R={r}");
        assert!(
            lines.0.recv_timeout(Duration::from_millis(500)).is_err(),
            "an event twice"
        );
        let _ = child.kill();
        let _ = child.wait();
    });
}

#[test]
fn initial_on_an_empty_prefix_and_on_api_v2() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("initial-empty");
        let before = put_rev(etcd, &format!("{p}-beside"), "x");
        let run = initial_state(etcd, "v3", &p).args(["-o", "json"]).run();
        assert_eq!(run.code, 5, "{}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(run.out().trim()).unwrap();
        assert_eq!(v["type"], "initial-end");
        assert_eq!(v["keys"], 0);
        assert!(v["revision"].as_i64().unwrap() >= before, "{v}");
    });
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("initial-v2");
        for (k, v) in [("a", "1"), ("d/b", "2")] {
            put_on(etcd, "v2", &format!("{p}/{k}"), v);
        }
        let run = initial_state(etcd, "v2", &p).run();
        assert_eq!(run.code, 5, "{}", run.stderr);
        let out = run.out();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(
            lines[0].starts_with(&format!("PUT {p}/a = 1  [rev=")),
            "{out}"
        );
        assert!(lines[0].ends_with(" initial]"), "{out}");
        assert!(lines[1].starts_with(&format!("PUT {p}/d/b = 2")), "{out}");
        assert!(
            lines[2].starts_with("-- initial state: 2 keys at revision "),
            "{out}"
        );
    });
}

#[test]
fn initial_in_exec_mode_runs_cmd_per_key_or_once_with_initial_batch() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("initial-exec");
        let ra = put_rev(etcd, &format!("{p}/a"), "1");
        let r = put_rev(etcd, &format!("{p}/b"), "2");
        let per_key = r#"echo "$ETCDPY_WATCH_TYPE $ETCDPY_WATCH_KEY=$ETCDPY_WATCH_VALUE $ETCDPY_WATCH_REVISION""#;
        let run = initial_state(etcd, "v3", &p)
            .args(["--", "sh", "-c", per_key])
            .run();
        assert_eq!(run.code, 5, "{}", run.stderr);
        assert_eq!(run.out(), format!("PUT {p}/a=1 {ra}\nPUT {p}/b=2 {r}\n"));
        let batch = r#"echo "$ETCDPY_WATCH_TYPE $ETCDPY_WATCH_INITIAL_KEYS $ETCDPY_WATCH_REVISION"; cat "$ETCDPY_WATCH_INITIAL_FILE""#;
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "watch",
                &p,
                "-r",
                "--initial",
                "--initial-batch",
                "--timeout",
                "1s",
            ])
            .args(["--", "sh", "-c", batch])
            .run();
        assert_eq!(run.code, 5, "{}", run.stderr);
        let out = run.out();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        let head: Vec<&str> = lines[0].split(' ').collect();
        assert_eq!(&head[..2], ["INITIAL", "2"], "{out}");
        assert!(head[2].parse::<i64>().unwrap() >= r, "{out}");
        for (line, (key, value)) in lines[1..].iter().zip([("a", "1"), ("b", "2")]) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["key"], format!("{p}/{key}"));
            assert_eq!(v["value"], value);
            assert_eq!(v["initial"], true);
        }
        // The file is gone once CMD ran.
        let leftover = std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("etcdpy-initial-")
            });
        assert!(!leftover, "the initial file was left behind");
    });
}
