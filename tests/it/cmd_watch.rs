//! `etcdpy watch`: one-shot, recursive, timeout, forever and count, replay
//! from a revision (and a compacted one), previous values, JSON lines, exec
//! mode, and a 3-member cluster whose serving member is killed mid-stream.
//!
//! On `--api v2`: long polls chained without losing a change; 1,500 writes while frozen
//! (exit 10 naming the oldest index).

mod checkpoint;
mod faults;
mod frozen;
mod initial;

use crate::support::api::{etcdpy_on, for_each_api, put_on};
use crate::support::child::{Lines, exit_code, stderr_of};
use crate::support::cluster::Cluster;
use crate::support::harness::for_each_etcd_v2;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, http, shared, unique};
use crate::support::pyetcd::{py, py_within};
use crate::support::schema::EventDoc;
use crate::support::util::{del, expect, put, revision};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::io::{BufRead, BufReader};
use std::process::Child;
use std::process::ChildStdout;
use std::thread;
use std::time::{Duration, Instant};

fn sigint(child: &Child) {
    // SAFETY: a plain kill(2) of our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
}

#[test]
fn one_shot_prints_the_next_change_and_exits() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("watch"));
        let mut child = etcdpy_on(etcd, api).args(["watch", &key]).spawn();
        let lines = Lines::of(&mut child);
        // The watch may not be open yet: keep writing until it reports one change.
        let mut i = 0;
        let line = loop {
            put_on(etcd, api, &key, &format!("v{i}"));
            i += 1;
            if let Ok(line) = lines.0.recv_timeout(Duration::from_millis(100)) {
                break line;
            }
            assert!(i < 100, "the watch printed nothing");
        };
        assert_eq!(exit_code(&mut child, Duration::from_secs(10)), 0);
        let prefix = format!("PUT {key} = v");
        assert!(line.starts_with(&prefix), "{line}");
        assert!(line.contains("  [rev="), "{line}");
        assert!(lines.0.recv_timeout(Duration::from_millis(200)).is_err());
    });
}

#[test]
fn recursive_watches_key_and_subtree_but_not_key2() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("watch-r");
        let key = format!("{p}/dir");
        let from = put(etcd, &format!("{key}2"), "no");
        put(etcd, &format!("{key}-x"), "no");
        let a = put(etcd, &format!("{key}/a"), "1");
        let dir = put(etcd, &key, "2");
        put(etcd, &format!("{key}20/x"), "no");
        let gone = del(etcd, &format!("{key}/a"));
        let c = put(etcd, &format!("{key}/b/c"), "3");

        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", "-r", &key, "--rev", &from.to_string(), "-n", "4"])
            .run();
        expect(&run, 0);
        let lines: Vec<String> = run.out().lines().map(str::to_string).collect();
        assert_eq!(
            lines,
            vec![
                format!("PUT {key}/a = 1  [rev={a}]"),
                format!("PUT {key} = 2  [rev={dir}]"),
                format!("DELETE {key}/a  [rev={gone}]"),
                format!("PUT {key}/b/c = 3  [rev={c}]"),
            ],
            "{run:?}"
        );

        // KEY/ watches only what is under it.
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "watch",
                "-r",
                &format!("{key}/"),
                "--rev",
                &from.to_string(),
            ])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), format!("PUT {key}/a = 1  [rev={a}]\n"));
    });
}

#[test]
fn timeout_exits_5_close_to_the_duration() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let key = format!("{}/quiet", unique("watch-t"));
        let start = Instant::now();
        let run = etcdpy_on(etcd, api)
            .args(["watch", &key, "--timeout", "1500ms"])
            .run();
        let elapsed = start.elapsed();
        expect(&run, 5);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert!(
            run.stderr.starts_with("etcdpy: error: no change to "),
            "{run:?}"
        );
        assert!(
            elapsed >= Duration::from_millis(1500) && elapsed < Duration::from_millis(2700),
            "returned after {elapsed:?}"
        );

        let run = etcdpy_on(etcd, api)
            .args(["watch", &key, "--timeout", "-1s"])
            .run();
        expect(&run, 2);
        assert!(run.stderr.contains("negative duration"), "{run:?}");
    });
}

#[test]
fn forever_with_count_stops_after_n_changes() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/c", unique("watch-n"));
        let from = revision(etcd.port()) + 1;
        for i in 0..5 {
            put(etcd, &key, &i.to_string());
        }
        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", "-f", "-n", "3", &key, "--rev", &from.to_string()])
            .run();
        expect(&run, 0);
        let values: Vec<String> = run
            .out()
            .lines()
            .map(|l| {
                l.split(" = ")
                    .nth(1)
                    .unwrap()
                    .split("  ")
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(values, ["0", "1", "2"], "{run:?}");
    });
}

#[test]
fn forever_streams_json_lines_at_once_and_ctrl_c_exits_0() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/live", unique("watch-f"));
        let from = revision(etcd.port()) + 1;
        let mut child = etcdpy()
            .endpoint(etcd)
            .args([
                "watch",
                "-f",
                &key,
                "-o",
                "json",
                "--rev",
                &from.to_string(),
            ])
            .spawn();
        let lines = Lines::of(&mut child);
        for i in 0..3 {
            put(etcd, &key, &format!("v{i}"));
            // Each event is on stdout (a pipe) while the watch keeps running.
            let line = lines.next(Duration::from_secs(10));
            let event: EventDoc = serde_json::from_str(&line).expect(&line);
            assert_eq!(event.value.as_deref(), Some(format!("v{i}").as_str()));
        }
        // Ctrl-C ends -f as it ends every wait: exit 130, no error line.
        sigint(&child);
        assert_eq!(exit_code(&mut child, Duration::from_secs(10)), 130);
        assert_eq!(stderr_of(&mut child), "");
    });
}

#[test]
fn rev_replays_history_and_a_compacted_revision_exits_10() {
    for_each_etcd(|bin| {
        // Its own server: compaction would disturb other tests on the shared one.
        let etcd = Etcd::start(bin);
        let key = "/w/hist";
        let from = revision(etcd.port()) + 1;
        for v in ["a", "b", "c"] {
            put(&etcd, key, v);
        }
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["watch", key, "-n", "3", "--rev", &from.to_string()])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!(
                "PUT {key} = a  [rev={}]\nPUT {key} = b  [rev={}]\nPUT {key} = c  [rev={}]\n",
                from,
                from + 1,
                from + 2
            )
        );

        let compact_to = from + 2;
        let out = etcd.etcdctl(&["compact", &compact_to.to_string()]);
        assert!(out.status.success());
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["watch", key, "--rev", &from.to_string()])
            .timeout(Duration::from_secs(20))
            .run();
        expect(&run, 10);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(
            run.stderr,
            format!(
                "etcdpy: error: revision {from} has been compacted away; the oldest revision still available is {compact_to}\n"
            )
        );
    });
}

#[test]
fn prev_shows_the_previous_value() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/p", unique("watch-prev"));
        let from = put(etcd, &key, "one");
        let two = put(etcd, &key, "two");
        let gone = del(etcd, &key);
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "watch",
                &key,
                "--prev",
                "-n",
                "3",
                "--rev",
                &from.to_string(),
            ])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!(
                "PUT {key} = one  [rev={from} prev=none]\nPUT {key} = two  [rev={two} prev=one]\nDELETE {key}  [rev={gone} prev=two]\n"
            )
        );
    });
}

#[test]
fn json_lines_match_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/j", unique("watch-json"));
        let from = revision(etcd.port()) + 1;
        put(etcd, &key, "x y");
        put(etcd, &key, "z");
        assert!(etcd.etcdctl(&["del", &key]).status.success());
        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", &key, "-o", "json", "-n", "3", "--prev"])
            .args(["--rev", &from.to_string()])
            .run();
        expect(&run, 0);
        assert!(run.stdout.ends_with(b"\n"));
        let events: Vec<EventDoc> = run
            .out()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(events.len(), 3, "{run:?}");
        let (put1, put2, del) = (&events[0], &events[1], &events[2]);
        // Other tests write to the shared server meanwhile: revisions only grow.
        let first = put1.revision;
        assert!(first >= from, "{put1:?}");
        assert_eq!(
            (put1.kind.as_str(), put1.value.as_deref()),
            ("PUT", Some("x y"))
        );
        assert_eq!((put1.create_revision, put1.version), (first, 1));
        assert!(matches!(put1.prev, Some(None)), "{put1:?}");
        assert_eq!(put2.version, 2);
        assert!(put2.revision > first, "{put2:?}");
        let prev = put2.prev.as_ref().unwrap().as_ref().unwrap();
        assert_eq!((prev.key.as_str(), prev.version), (key.as_str(), 1));
        assert_eq!(prev.create_revision, first);
        assert!(prev.key_encoding.is_none() && prev.value_encoding.is_none());
        assert!(prev.lease.is_none());
        assert_eq!(
            (prev.value.as_deref(), prev.mod_revision),
            (Some("x y"), first)
        );
        assert_eq!((del.kind.as_str(), del.value.as_deref()), ("DELETE", None));
        assert!(del.revision > put2.revision, "{del:?}");
        assert_eq!(del.key, key);
        assert!(del.key_encoding.is_none() && del.value_encoding.is_none() && del.lease.is_none());

        // Without --prev there is no prev field at all.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", &key, "-o", "json", "--rev", &from.to_string()])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert!(doc.get("prev").is_none(), "{doc}");
    });
}

#[test]
fn exec_mode_passes_raw_keys_and_values_in_the_environment() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let dir = tempfile::tempdir().unwrap();
        let p = unique("watch-exec");
        let key = format!("{p}/a key with \"quotes\" and 'single'");
        let value = "two words, \"double\" and 'single' quotes\nand a second line $HOME `x`";
        let from = put(etcd, &key, value);
        let del = del(etcd, &key);
        let script = r#"d="$0/$ETCDPY_WATCH_REVISION"; mkdir "$d" &&
            printf '%s' "$ETCDPY_WATCH_TYPE" > "$d/type" &&
            printf '%s' "$ETCDPY_WATCH_KEY" > "$d/key" &&
            printf '%s' "$ETCDPY_WATCH_VALUE" > "$d/value" &&
            printf '%s|%s|%s|%s' "$ETCD_WATCH_EVENT_TYPE" "$ETCD_WATCH_KEY" "$ETCD_WATCH_VALUE" "$ETCD_WATCH_REVISION" > "$d/etcdctl""#;
        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", "-r", &p, "-n", "2", "--rev", &from.to_string()])
            .arg("--")
            .args(["sh", "-c", script])
            .arg(dir.path())
            .run();
        expect(&run, 0);
        assert!(run.stdout.is_empty(), "{run:?}");
        let read = |rev: i64, name: &str| {
            std::fs::read_to_string(dir.path().join(rev.to_string()).join(name))
                .unwrap_or_else(|e| panic!("{rev}/{name}: {e}\n{run:?}"))
        };
        assert_eq!(read(from, "type"), "PUT");
        assert_eq!(read(from, "key"), key);
        assert_eq!(read(from, "value"), value);
        assert_eq!(read(from, "etcdctl"), format!("PUT|{key}|{value}|{from}"));
        assert_eq!(read(del, "type"), "DELETE");
        assert_eq!(read(del, "value"), "");
        assert_eq!(read(del, "etcdctl"), format!("DELETE|{key}||{del}"));
    });
}

#[test]
fn exec_mode_on_error_continue_and_exit() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/e", unique("watch-fail"));
        let from = revision(etcd.port()) + 1;
        put(etcd, &key, "1");
        put(etcd, &key, "2");
        let rev = from.to_string();

        // The default: warn and keep going.
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "watch", &key, "-n", "2", "--rev", &rev, "--", "sh", "-c", "exit 3",
            ])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.stderr
                .matches("etcdpy: warning: sh exited with status 3")
                .count(),
            2,
            "{run:?}"
        );

        // --on-error exit: CMD's own status, after the first change.
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "watch",
                &key,
                "-n",
                "2",
                "--rev",
                &rev,
                "--on-error",
                "exit",
            ])
            .args(["--", "sh", "-c", "echo ran; exit 7"])
            .run();
        expect(&run, 7);
        assert_eq!(run.out(), "ran\n");
        assert!(
            run.stderr
                .contains("sh exited with status 7 for the PUT of"),
            "{run:?}"
        );

        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", &key, "--rev", &rev, "--", "/nonexistent/cmd"])
            .run();
        expect(&run, 127);
        assert!(
            run.stderr.contains("cannot run /nonexistent/cmd"),
            "{run:?}"
        );
    });
}

/// Put `key` = `value` unless the key exists: a write that can be retried
/// without ever applying twice.
fn put_once(port: u16, key: &str, value: &str) -> bool {
    let body = format!(
        r#"{{"compare":[{{"key":"{k}","target":"CREATE","result":"EQUAL","create_revision":"0"}}],"success":[{{"request_put":{{"key":"{k}","value":"{v}"}}}}]}}"#,
        k = STANDARD.encode(key),
        v = STANDARD.encode(value)
    );
    matches!(
        http(port, "POST", "/v3/kv/txn", Some(&body)),
        Some((200, _))
    )
}

/// How a cluster test takes the serving member away.
#[derive(Clone, Copy)]
enum Fault {
    /// SIGKILL: the connection is closed at once.
    Kill,
    /// SIGSTOP: the connection stays open and silent; only the liveness check notices.
    Freeze,
}

#[test]
fn cluster_member_killed_mid_stream_loses_and_repeats_nothing() {
    for_each_etcd(|bin| failover(bin, Fault::Kill, 60, 20));
}

#[test]
fn cluster_member_frozen_mid_stream_is_noticed_and_left() {
    for_each_etcd(|bin| failover(bin, Fault::Freeze, 30, 10));
}

/// A writer writes `writes` keys through the members that do not serve the
/// watch; after `fault_after` of them have been printed, the serving member
/// is killed or frozen. Every write must come out exactly once, in order.
fn failover(
    bin: &crate::support::harness::EtcdBin,
    fault: Fault,
    writes: usize,
    fault_after: usize,
) {
    let mut cluster = Cluster::start(bin, 3);
    // The watch is served by the first endpoint: the leader, so that an election happens too.
    let serving = cluster.leader().unwrap_or(0);
    let order = cluster.order_from(serving);
    let endpoints = cluster.endpoints_from(serving);
    let writers: Vec<u16> = order[1..]
        .iter()
        .map(|i| cluster.members[*i].port)
        .collect();
    let p = "/w/cluster";
    let from = revision(writers[0]) + 1;
    let mut child = etcdpy()
        .args(["--endpoints", &endpoints])
        .args(["watch", "-f", "-r", p, "-o", "json"])
        .args(["-n", &writes.to_string(), "--rev", &from.to_string()])
        .spawn();
    let lines = Lines::of(&mut child);
    let mut seen = Vec::new();
    let mut turn = 0;
    for i in 0..writes {
        if i == fault_after {
            // Make sure the stream is running on the serving member, then take it away.
            while seen.len() < fault_after {
                seen.push(lines.next(Duration::from_secs(15)));
            }
            match fault {
                Fault::Kill => cluster.members[serving].kill(),
                Fault::Freeze => cluster.members[serving].freeze(),
            }
        }
        let key = format!("{p}/{i:05}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !put_once(writers[turn % 2], &key, &i.to_string()) {
            turn += 1;
            assert!(Instant::now() < deadline, "cannot write {key}");
            thread::sleep(Duration::from_millis(50));
        }
        thread::sleep(Duration::from_millis(10));
    }
    while seen.len() < writes {
        seen.push(lines.next(Duration::from_secs(30)));
    }
    assert_eq!(exit_code(&mut child, Duration::from_secs(10)), 0);
    let stderr = stderr_of(&mut child);
    let events: Vec<EventDoc> = seen
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let keys: Vec<String> = events.iter().map(|e| e.key.clone()).collect();
    let expected: Vec<String> = (0..writes).map(|i| format!("{p}/{i:05}")).collect();
    assert_eq!(keys, expected, "stderr: {stderr}");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e.value.as_deref(), Some(i.to_string().as_str()));
    }
    assert!(
        events.windows(2).all(|w| w[0].revision < w[1].revision),
        "revisions out of order: {seen:?}"
    );
}

#[test]
fn a_terminal_shows_what_is_watched_and_the_type_in_colour() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/tty", unique("watch-tty"));
        put(etcd, &key, "v");
        // The put's own revision: other tests write to this server meanwhile.
        let from = crate::support::util::stored(etcd, &key)
            .unwrap()
            .mod_revision;
        // A real pty from util-linux `script`, as in terminal.rs.
        let line = format!(
            "{} --endpoints {} watch -r '{key}' --rev {from}",
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let out = std::process::Command::new("script")
            .args(["-qefc", &line, "/dev/null"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TERM", "xterm")
            .output()
            .expect("util-linux `script` is needed for the terminal tests");
        let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        assert!(out.status.success(), "{shown}");
        assert!(
            shown.starts_with(&format!(
                "etcdpy: waiting for the next change to {key} and everything under {key}/; \
                 -f to keep watching\n"
            )),
            "{shown:?}"
        );
        assert!(shown.contains("32mPUT\x1b[0m"), "{shown:?}");
        assert!(
            shown.contains(&format!("v\x1b[2m  [rev={from}]\x1b[0m\n")),
            "{shown:?}"
        );
    });
}

/// `etcdpy --api v2 watch` with `-o json`, started; its stdout as lines.
fn v2_watch(etcd: &Etcd, args: &[&str]) -> (Child, std::io::Lines<BufReader<ChildStdout>>) {
    let mut child = etcdpy()
        .endpoint(etcd)
        .args(["--api", "v2", "-o", "json", "watch"])
        .args(args)
        .spawn();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, lines)
}

fn value_of(line: &str) -> String {
    let doc: serde_json::Value = serde_json::from_str(line).unwrap();
    format!(
        "{} {}",
        doc["type"].as_str().unwrap(),
        doc["value"].as_str().unwrap_or("-")
    )
}

#[test]
fn v2_watch_chains_long_polls_without_losing_a_change() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2watch");
        let (mut watch, mut lines) = v2_watch(etcd, &["-f", "-r", &p, "-n", "203"]);
        // The watch is registered once python-etcd's own waiter on the same key is.
        std::thread::sleep(Duration::from_millis(500));
        py(
            etcd,
            &format!(
                "for i in range(200): c.write('{p}/k', str(i))\n\
                 c.write('{p}/t', 'x', ttl=1); c.delete('{p}/k')"
            ),
        );
        let mut got = Vec::new();
        for _ in 0..203 {
            got.push(value_of(&lines.next().unwrap().unwrap()));
        }
        let mut want: Vec<String> = (0..200).map(|i| format!("PUT {i}")).collect();
        want.extend(["PUT x".to_string(), "DELETE -".into(), "DELETE -".into()]);
        assert_eq!(
            got, want,
            "every change, in order (the last one: the TTL expiring)"
        );
        assert!(watch.wait().unwrap().success());
        // --rev is python-etcd's waitIndex: replay from there.
        let index: i64 = py(etcd, &format!("print(c.write('{p}/r', 'a').modifiedIndex)"))
            .trim()
            .parse()
            .unwrap();
        py(etcd, &format!("c.write('{p}/r', 'b')"));
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "watch",
                &format!("{p}/r"),
                "--rev",
                &index.to_string(),
                "-n",
                "2",
            ])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!(
                "PUT {p}/r = a  [rev={index}]\nPUT {p}/r = b  [rev={}]\n",
                index + 1
            )
        );
        // --timeout and exec mode.
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "watch",
                &format!("{p}/quiet"),
                "--timeout",
                "1s",
            ])
            .run();
        expect(&run, 5);
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "watch",
                &format!("{p}/r"),
                "--rev",
                &index.to_string(),
                "--",
            ])
            .args([
                "sh",
                "-c",
                "echo \"$ETCDPY_WATCH_TYPE $ETCDPY_WATCH_KEY $ETCDPY_WATCH_VALUE\"",
            ])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), format!("PUT {p}/r a\n"));
    });
}

#[test]
fn v2_watch_across_1500_writes_while_frozen_exits_10_naming_the_oldest_index() {
    for_each_etcd_v2(|bin| {
        // A server of its own: the v2 history window (1000 events) is the whole store's.
        let etcd = Etcd::start(bin);
        let (mut watch, mut lines) = v2_watch(&etcd, &["-f", "/frozen"]);
        std::thread::sleep(Duration::from_millis(500));
        py(&etcd, "c.write('/frozen', 'first')");
        assert_eq!(value_of(&lines.next().unwrap().unwrap()), "PUT first");
        let pid = watch.id() as i32;
        // SAFETY: signals to our own child.
        unsafe { libc::kill(pid, libc::SIGSTOP) };
        py_within(
            &etcd,
            "for i in range(1500): c.write('/frozen', 'w%d' % i)",
            Duration::from_secs(120),
        );
        unsafe { libc::kill(pid, libc::SIGCONT) };
        // A watch that silently skipped the gap would wait on: end it after 60 s.
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(60));
            unsafe { libc::kill(pid, libc::SIGKILL) };
        });
        // The poll open when it froze may hold the first of those writes; after it, the next
        // change it could ask for is out of v2's history: exit 10, never a silent jump.
        let rest: Vec<String> = lines.map(|l| value_of(&l.unwrap())).collect();
        assert!(rest.is_empty() || rest == ["PUT w0"], "{rest:?}");
        let status = watch.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut watch.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(10), "{stderr}");
        assert!(
            stderr.contains("the oldest index still available is"),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    });
}
