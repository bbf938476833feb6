//! `etcdpy history`: every revision etcd still holds for a key or a prefix, against the
//! revisions etcdctl's writes report; across a compaction (the floor named, the value held
//! from before it listed); 10,000 revisions of one key streamed under a memory cap; refused on
//! `--api v2`.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, for_each_etcd_v2};
use crate::support::harness::{shared, unique};
use crate::support::schema::history_line;
use crate::support::util::{capped, del, expect, load, put};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Instant;

/// The JSON lines of `history -o json`, each checked against the documented schema.
fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| {
            history_line(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))
        })
        .collect()
}

/// (type, revision, version, value) of each revision line.
fn changes(docs: &[Value]) -> Vec<(String, i64, i64, Option<String>)> {
    docs.iter()
        .filter(|d| !matches!(d["type"].as_str(), Some("history" | "end")))
        .map(|d| {
            (
                d["type"].as_str().unwrap().to_string(),
                d["revision"].as_i64().unwrap(),
                d["version"].as_i64().unwrap(),
                d["value"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn ch(
    kind: &str,
    revision: i64,
    version: i64,
    value: Option<&str>,
) -> (String, i64, i64, Option<String>) {
    (
        kind.to_string(),
        revision,
        version,
        value.map(str::to_string),
    )
}

#[test]
fn history_across_create_update_delete_and_recreate() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("history");
        let key = format!("{p}/k");
        let r1 = put(etcd, &key, "one");
        let r2 = put(etcd, &key, "two");
        let r3 = del(etcd, &key);
        let r4 = put(etcd, &key, "three");
        let r5 = put(etcd, &format!("{p}/k/child"), "c");
        let r6 = put(etcd, &format!("{p}/k2"), "not under /k/");

        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "history", &key])
            .run();
        expect(&run, 0);
        let docs = lines(&run.stdout);
        assert_eq!(docs[0]["type"], "history", "{docs:?}");
        assert!(docs[0]["compacted"].is_null(), "{docs:?}");
        assert!(docs[0]["revision"].as_i64().unwrap() >= r6);
        let mine = [
            ch("created", r1, 1, Some("one")),
            ch("updated", r2, 2, Some("two")),
            ch("deleted", r3, 0, None),
            ch("created", r4, 1, Some("three")),
        ];
        assert_eq!(changes(&docs), mine);
        let end = docs.last().unwrap();
        assert_eq!(
            (end["type"].as_str(), end["revisions"].as_i64()),
            (Some("end"), Some(4))
        );

        // -r: KEY and everything under KEY/ (not KEY2), interleaved by revision.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "history", &key, "-r"])
            .run();
        expect(&run, 0);
        let mut all = mine.to_vec();
        all.push(ch("created", r5, 1, Some("c")));
        assert_eq!(changes(&lines(&run.stdout)), all);

        // Text: where history starts, one line per revision.
        let run = etcdpy().endpoint(etcd).args(["history", &key]).run();
        expect(&run, 0);
        let text = run.out();
        let rows: Vec<&str> = text.lines().collect();
        assert!(
            rows[0].starts_with(&format!("# history of {key} up to revision ")),
            "{text}"
        );
        assert!(rows[0].ends_with("nothing was compacted"), "{text}");
        assert_eq!(rows.len(), 5, "{text}");
        let words = |row: &str| {
            row.split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            words(rows[1]),
            [
                r1.to_string(),
                "created".into(),
                "v1".into(),
                key.clone(),
                "=".into(),
                "one".into()
            ]
        );
        assert_eq!(
            words(rows[3]),
            [r3.to_string(), "deleted".into(), key.clone()]
        );
        assert_eq!(words(rows[4])[1..3], ["created", "v1"]);

        // A key never written: no revision, exit 0.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["history", &format!("{p}/none")])
            .run();
        expect(&run, 0);
        assert!(run.out().contains("# no revision"), "{run:?}");
    });
}

#[test]
fn history_shows_leases_and_values_escaped_shortened_or_whole() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("history"));
        let granted = etcd.etcdctl(&["lease", "grant", "600"]);
        let lease = String::from_utf8_lossy(&granted.stdout)
            .split_whitespace()
            .nth(1)
            .expect("lease id")
            .to_string();
        // etcdctl pads the ID to 16 digits; etcdpy writes it as etcd's JSON has it.
        let shown = format!("{:x}", u64::from_str_radix(&lease, 16).unwrap());
        let long = "x".repeat(100);
        let out = etcd.etcdctl(&["put", &key, &long, "--lease", &lease]);
        assert!(out.status.success());
        let status = std::process::Command::new(etcd.etcdctl_path())
            .args(["--endpoints", &etcd.endpoint(), "put", &key])
            .arg(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"\xff\x1bbin"))
            .output()
            .unwrap();
        assert!(status.status.success());

        let run = etcdpy().endpoint(etcd).args(["history", &key]).run();
        expect(&run, 0);
        let text = run.out();
        let rows: Vec<&str> = text.lines().collect();
        assert!(
            rows[1].contains(&format!("= {}… (100 bytes)", "x".repeat(60))),
            "{text}"
        );
        assert!(rows[1].ends_with(&format!("[lease={shown}]")), "{text}");
        assert!(rows[2].contains("= \\xff\\x1bbin"), "{text}");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["history", &key, "--values"])
            .run();
        assert!(run.out().lines().nth(1).unwrap().contains(&long), "{run:?}");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "history", &key])
            .run();
        let docs = lines(&run.stdout);
        assert_eq!(docs[1]["value"].as_str(), Some(long.as_str()));
        assert_eq!(docs[1]["lease"].as_str(), Some(shown.as_str()));
        assert_eq!(
            (
                docs[2]["value"].as_str(),
                docs[2]["value_encoding"].as_str()
            ),
            (Some("/xtiaW4="), Some("base64"))
        );
    });
}

#[test]
fn history_across_a_compaction_names_the_floor_and_the_value_held() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let r1 = put(&etcd, "/c/k", "old");
        let r2 = put(&etcd, "/c/k", "kept");
        let floor = put(&etcd, "/c/other", "x");
        let out = etcd.etcdctl(&["compact", &floor.to_string()]);
        assert!(out.status.success(), "{out:?}");
        let r4 = put(&etcd, "/c/k", "new");

        let run = etcdpy().endpoint(&etcd).args(["history", "/c/k"]).run();
        expect(&run, 0);
        let text = run.out();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .ends_with(&format!("revisions before {floor} were compacted")),
            "{text}"
        );
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["-o", "json", "history", "/c/k"])
            .run();
        let docs = lines(&run.stdout);
        assert_eq!(docs[0]["compacted"].as_i64(), Some(floor));
        // r1 is gone; the value written at r2 is the one etcd holds from before the floor.
        assert_eq!(
            changes(&docs),
            [
                ch("held", r2, 2, Some("kept")),
                ch("updated", r4, 3, Some("new"))
            ]
        );
        assert!(r1 < r2);

        // A prefix: the values held from before the floor, then the changes from it on (the
        // one at the floor included).
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["-o", "json", "history", "/c", "-r"])
            .run();
        expect(&run, 0);
        assert_eq!(
            changes(&lines(&run.stdout)),
            [
                ch("held", r2, 2, Some("kept")),
                ch("created", floor, 1, Some("x")),
                ch("updated", r4, 3, Some("new"))
            ]
        );
    });
}

/// Write `n` revisions of `key` (values "1".."n") through the gateway: `conns` keep-alive
/// connections, each with its requests pipelined, so etcd commits them in batches (each put is
/// still its own revision). Returns the seconds taken.
fn write_revisions(etcd: &Etcd, key: &str, n: usize, conns: usize) -> f64 {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let started = Instant::now();
    let port = etcd.port();
    std::thread::scope(|scope| {
        for c in 0..conns {
            let key = b64(key);
            scope.spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                let mine: Vec<usize> = (0..n).filter(|i| i % conns == c).collect();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut requests = Vec::new();
                for i in &mine {
                    let body = format!("{{\"key\":\"{key}\",\"value\":\"{}\"}}", b64(&(i + 1).to_string()));
                    requests.extend_from_slice(
                        format!(
                            "POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    );
                }
                let writer = std::thread::spawn(move || stream.write_all(&requests).unwrap());
                for _ in &mine {
                    let mut length = 0;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        reader.read_line(&mut line).unwrap();
                        assert!(!line.is_empty(), "the gateway closed the connection");
                        if line.starts_with("HTTP/1.1") {
                            assert!(line.contains(" 200 "), "{line}");
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap();
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    std::io::Read::read_exact(&mut reader, &mut body).unwrap();
                }
                writer.join().unwrap();
            });
        }
    });
    started.elapsed().as_secs_f64()
}

#[test]
fn ten_thousand_revisions_of_one_key_stream_under_a_memory_cap() {
    const N: usize = 10_000;
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/busy", unique("history"));
        let took = write_revisions(etcd, &key, N, 8);
        eprintln!("{}: {N} revisions written in {took:.1}s", etcd.version());
        let run = capped(64)
            .args([
                "--endpoints",
                &etcd.endpoint(),
                "-o",
                "json",
                "history",
                &key,
            ])
            .run();
        expect(&run, 0);
        let docs = lines(&run.stdout);
        assert_eq!(docs.len(), N + 2, "{}", run.stderr);
        let versions: Vec<i64> = docs[1..=N]
            .iter()
            .map(|d| d["version"].as_i64().unwrap())
            .collect();
        assert_eq!(versions, (1..=N as i64).collect::<Vec<_>>());
        let revisions: Vec<i64> = docs[1..=N]
            .iter()
            .map(|d| d["revision"].as_i64().unwrap())
            .collect();
        assert!(revisions.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(docs[N + 1]["revisions"].as_i64(), Some(N as i64));
        // The text form too, under the same cap.
        let run = capped(64)
            .args(["--endpoints", &etcd.endpoint(), "history", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out().lines().count(), N + 1);
    });
}

#[test]
fn history_is_refused_on_api_v2() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "history", "/k"])
            .run();
        expect(&run, 2);
        assert!(
            run.stderr
                .contains("history is not available with --api v2"),
            "{run:?}"
        );
    });
}

#[test]
fn a_prefix_held_from_before_the_floor_is_read_page_by_page_in_write_order() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        // 1,200 keys written 100 per transaction (12 revisions of 100 keys), one rewritten
        // later: the first page of 1,000 ends inside the 11th revision.
        load(&etcd, "/h", 1_200, 8);
        put(&etcd, "/h/00007", "rewritten");
        let floor = put(&etcd, "/elsewhere", "x");
        let out = etcd.etcdctl(&["compact", &floor.to_string()]);
        assert!(out.status.success(), "{out:?}");
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["-o", "json", "history", "/h", "-r"])
            .run();
        expect(&run, 0);
        let docs = lines(&run.stdout);
        let held: Vec<&Value> = docs.iter().filter(|d| d["type"] == "held").collect();
        assert_eq!(held.len(), 1_200, "{}", run.stderr);
        let revisions: Vec<i64> = held
            .iter()
            .map(|d| d["revision"].as_i64().unwrap())
            .collect();
        assert!(revisions.windows(2).all(|w| w[0] <= w[1]), "{revisions:?}");
        let mut keys: Vec<&str> = held.iter().map(|d| d["key"].as_str().unwrap()).collect();
        assert_eq!(held.last().unwrap()["key"], "/h/00007");
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 1_200);
        assert_eq!(docs.len(), 1_202, "nothing else changed since the floor");
    });
}
