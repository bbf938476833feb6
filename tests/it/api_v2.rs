//! `--api v2`: etcd's v2 keyspace, checked against python-etcd 0.4.5 itself (tests/it/pyetcd.rs)
//! in both directions: what python-etcd writes etcdpy reads, and the reverse; conditions, TTLs,
//! directories, hidden `_` keys; refresh wakes no python-etcd waiter; options v2 cannot honour.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, for_each_etcd_v2, shared, unique};
use crate::support::pyetcd::{py, py_as, py_spawn, py_within, shell};
use crate::support::util::expect;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout};
use std::time::Duration;

#[test]
fn python_etcd_writes_are_read_by_etcdpy_v2_and_not_by_v3() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2read");
        py(
            etcd,
            &format!(
                "c.write('{p}/svc1', 'a'); c.write('{p}/cfg/db', 'pg'); \
                 c.write('{p}/t', 'x', ttl=100); c.write('{p}/_hidden', 'h')"
            ),
        );
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        let run = v2().args(["get", &p]).run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/cfg/\n{p}/svc1 = a\n{p}/t = x\n"),
            "one level, sorted, hidden key left out"
        );
        let run = v2().args(["get", &p, "-r"]).run();
        assert_eq!(
            run.out(),
            format!("{p}/cfg/db = pg\n{p}/svc1 = a\n{p}/t = x\n")
        );
        let run = v2().args(["get", &format!("{p}/t"), "-l"]).run();
        expect(&run, 0);
        let out = run.out();
        assert!(out.starts_with(&format!("{p}/t = x  [create=")), "{out}");
        let ttl: i64 = out
            .rsplit("ttl=")
            .next()
            .unwrap()
            .trim_end_matches("s]\n")
            .parse()
            .unwrap();
        assert!((90..=100).contains(&ttl), "{out}");
        let run = v2().args(["get", &format!("{p}/_hidden")]).run();
        assert_eq!(run.out(), "h\n");
        let run = v2().args(["get", &format!("{p}/svc1"), "-o", "json"]).run();
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let kv = &doc["kvs"][0];
        assert_eq!(kv["value"], "a");
        assert_eq!(kv["lease"], serde_json::Value::Null);
        assert!(doc["revision"].as_i64().unwrap() >= kv["mod_revision"].as_i64().unwrap());
        let run = v2().args(["get", &format!("{p}/nope")]).run();
        expect(&run, 3);
        assert!(run.stderr.contains("Key not found"), "{run:?}");
        // The v3 keyspace is another store.
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["get", &format!("{p}/svc1")])
                .run(),
            3,
        );
    });
}

#[test]
fn etcdpy_v2_writes_are_read_by_python_etcd() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2write");
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        expect(&v2().args(["set", &format!("{p}/a"), "1"]).run(), 0);
        expect(&v2().args(["set", &format!("{p}/d/b"), "2"]).run(), 0);
        expect(&v2().args(["set", &format!("{p}/_h"), "3"]).run(), 0);
        expect(
            &v2()
                .args(["set", &format!("{p}/t"), "4", "--ttl", "60s"])
                .run(),
            0,
        );
        let out = py(
            etcd,
            &format!(
                "r = c.read('{p}', recursive=True, sorted=True)\n\
                 print(sorted((n.key, n.value) for n in r.leaves))\n\
                 t = c.read('{p}/t'); print(t.ttl is not None and 50 <= t.ttl <= 60)\n\
                 print(c.read('{p}/_h').value)"
            ),
        );
        assert_eq!(
            out,
            format!("[('{p}/a', '1'), ('{p}/d/b', '2'), ('{p}/t', '4')]\nTrue\n3\n")
        );
        // Conditions: python-etcd's prevExist / prevValue / prevIndex, v3's exit codes.
        let run = v2()
            .args(["set", &format!("{p}/a"), "x", "--if-absent"])
            .run();
        expect(&run, 4);
        assert!(run.stderr.contains("Key already exists"), "{run:?}");
        let run = v2()
            .args(["set", &format!("{p}/a"), "x", "--if-value", "0"])
            .run();
        expect(&run, 4);
        assert!(run.stderr.contains("Compare failed"), "{run:?}");
        expect(
            &v2()
                .args(["set", &format!("{p}/new"), "x", "--if-exists"])
                .run(),
            3,
        );
        let run = v2()
            .args(["set", &format!("{p}/a"), "2", "--if-value", "1", "--prev"])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "1\n");
        let run = v2().args(["set", &format!("{p}/d"), "x"]).run();
        expect(&run, 4);
        assert!(run.stderr.contains("Not a file"), "{run:?}");
        // 1 s TTLs are v2's to honour (v3 leases start at 2 s).
        expect(
            &v2()
                .args(["set", &format!("{p}/one"), "x", "--ttl", "1s"])
                .run(),
            0,
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args(["set", &format!("{p}/one"), "x", "--ttl", "1s"])
            .run();
        expect(&run, 2);
        // rm: a key, a directory with -r, conditions.
        expect(
            &v2()
                .args(["rm", &format!("{p}/a"), "--if-value", "1"])
                .run(),
            4,
        );
        expect(&v2().args(["rm", &format!("{p}/a")]).run(), 0);
        expect(&v2().args(["rm", &format!("{p}/d")]).run(), 4);
        let run = v2().args(["rm", &format!("{p}/d"), "-r"]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "deleted 1 key\n");
        let out = py(
            etcd,
            &format!(
                "for k in ['a', 'd']:\n    try:\n        c.read('{p}/' + k); print('there')\n    \
                 except etcd.EtcdKeyNotFound:\n        print('gone')"
            ),
        );
        assert_eq!(out, "gone\ngone\n");
    });
}

#[test]
fn v2_refresh_keeps_the_value_and_wakes_no_python_etcd_waiter() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("v2refresh"));
        py(etcd, &format!("c.write('{key}', 'v', ttl=100)"));
        // The waiter asks from the index after its read: any event after it, even one made
        // before its long poll began, is returned from the v2 history.
        let mut waiter = py_spawn(
            etcd,
            &format!(
                "r = c.read('{key}'); print('ready', flush=True)\n\
                 e = c.read('{key}', wait=True, waitIndex=r.etcd_index + 1, timeout=30)\n\
                 print(e.action, e.value, flush=True)"
            ),
        );
        let mut lines = BufReader::new(waiter.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().unwrap().unwrap(), "ready");
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api", "v2", "refresh", &key, "--ttl", "500s", "-o", "json",
            ])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["ttl"], 500);
        assert_eq!(doc["lease"], serde_json::Value::Null);
        let out = py(
            etcd,
            &format!("r = c.read('{key}'); print(r.value, 490 <= r.ttl <= 500)"),
        );
        assert_eq!(out, "v True\n");
        // The first event the waiter sees is this write, not the refresh.
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["--api", "v2", "set", &key, "after"])
                .run(),
            0,
        );
        assert_eq!(lines.next().unwrap().unwrap(), "set after");
        assert!(waiter.wait().unwrap().success());
    });
}

#[test]
fn what_v2_cannot_do_exits_2_naming_the_option_and_the_api() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("v2unsup"));
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        for (args, option) in [
            (vec!["get", &key, "--rev", "3"], "--rev"),
            (vec!["refresh", &key], "refresh without --ttl"),
        ] {
            let run = v2().args(&args).run();
            expect(&run, 2);
            assert!(run.stderr.contains(option), "{run:?}");
            assert!(run.stderr.contains("--api v2"), "{run:?}");
        }
        // ETCDPY_API selects the API too.
        let run = etcdpy()
            .endpoint(etcd)
            .env("ETCDPY_API", "v2")
            .args(["get", &key, "--rev", "3"])
            .run();
        expect(&run, 2);
    });
}

#[test]
fn a_path_prefix_replaces_v2_as_python_etcds_version_prefix_does() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("v2prefix"));
        py(etcd, &format!("c.write('{key}', 'p')"));
        // /v2 as the prefix: python-etcd's default layout, /v2/keys/KEY.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "--path-prefix", "/v2", "get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "p\n");
        // /etcd: /etcd/keys/KEY, which plain etcd does not serve.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "--path-prefix", "/etcd", "get", &key])
            .timeout(Duration::from_secs(30))
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("/etcd/keys/"), "{run:?}");
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

/// A python-etcd holder of lock `name`: `rounds` times acquire, log `S id` and `E id` around
/// a short hold, release.
fn py_holder(name: &str, log: &Path, id: &str, rounds: u32) -> String {
    format!(
        "for r in range({rounds}):\n    l = etcd.Lock(c, '{name}'); l.acquire(lock_ttl=30)\n    \
         open('{log}', 'a').write('S {id} -\\n'); time.sleep(0.2)\n    \
         open('{log}', 'a').write('E {id} -\\n'); l.release()",
        log = log.display()
    )
}

#[test]
fn v2_lock_and_python_etcd_locks_exclude_each_other_under_contention() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let name = unique("v2lock").replace('/', "_");
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let hold = format!(
            "echo \"S $ID $ETCDPY_LOCK_REV\" >> {0}; sleep 0.2; echo \"E $ID -\" >> {0}",
            log.display()
        );
        let pythons: Vec<Child> = (0..3)
            .map(|i| py_spawn(etcd, &py_holder(&name, &log, &format!("py{i}"), 2)))
            .collect();
        std::thread::scope(|s| {
            for i in 0..3 {
                let hold = &hold;
                let name = &name;
                s.spawn(move || {
                    for _ in 0..2 {
                        let run = etcdpy()
                            .endpoint(etcd)
                            .env("ID", format!("ep{i}"))
                            .args(["--api", "v2", "lock", name, "--timeout", "60s"])
                            .args(["--", "sh", "-c", hold])
                            .timeout(Duration::from_secs(90))
                            .run();
                        expect(&run, 0);
                    }
                });
            }
        });
        for mut p in pythons {
            assert!(p.wait().unwrap().success());
        }
        let text = std::fs::read_to_string(&log).unwrap();
        let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(' ').collect()).collect();
        assert_eq!(lines.len(), 24, "12 holdings by 6 holders:\n{text}");
        let mut tokens = Vec::new();
        for pair in lines.chunks(2) {
            assert!(
                pair[0][0] == "S" && pair[1][0] == "E" && pair[0][1] == pair[1][1],
                "two holders at once:\n{text}"
            );
            if let Ok(token) = pair[0][2].parse::<i64>() {
                tokens.push(token);
            }
        }
        assert_eq!(tokens.len(), 6, "{text}");
        assert!(
            tokens.windows(2).all(|w| w[0] < w[1]),
            "fencing tokens grow: {tokens:?}"
        );
        // Every holder released: no key left queued.
        let left = py(
            etcd,
            &format!(
                "print(len([n for n in c.read('/_locks/{name}', recursive=True).leaves if not n.dir]))"
            ),
        );
        assert_eq!(left, "0\n");
    });
}

#[test]
fn a_dead_python_etcd_holder_frees_the_v2_lock_when_its_ttl_runs_out() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let name = unique("v2dead").replace('/', "_");
        let key = py(
            etcd,
            &format!(
                "import os\nl = etcd.Lock(c, '{name}'); l.acquire(lock_ttl=3)\n\
                 print(l.lock_key, flush=True); os._exit(0)"
            ),
        );
        let key = key.trim();
        // CMD checks that the dead holder's key is gone by the time etcdpy holds the lock.
        let check = shell(
            etcd.port(),
            &format!(
                "try:\n    c.read('{key}'); print('held twice')\n\
                 except etcd.EtcdKeyNotFound:\n    print('expired first')"
            ),
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "lock",
                &name,
                "--timeout",
                "30s",
                "--",
                "sh",
                "-c",
                &check,
            ])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "expired first\n");
    });
}

#[test]
fn a_v2_lock_outlives_its_ttl_while_cmd_runs_and_cmd_is_stopped_when_it_is_lost() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let name = unique("v2keep").replace('/', "_");
        let mut holder = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "lock",
                &name,
                "--ttl",
                "2s",
                "--",
                "sh",
                "-c",
                "echo $ETCDPY_LOCK_KEY; sleep 5",
            ])
            .spawn();
        let mut lines = BufReader::new(holder.stdout.take().unwrap()).lines();
        let key = lines.next().unwrap().unwrap();
        assert!(key.starts_with(&format!("/_locks/{name}/0000")), "{key}");
        std::thread::sleep(Duration::from_millis(3500));
        // Past the 2 s TTL, python-etcd still finds the lock taken.
        let out = py(
            etcd,
            &format!("print(etcd.Lock(c, '{name}').acquire(blocking=False, lock_ttl=1))"),
        );
        assert_eq!(out, "False\n");
        assert!(holder.wait().unwrap().success());
        // The key deleted under a running CMD: CMD is stopped, exit 6.
        let delete = format!(
            "sleep 1; {}; sleep 30",
            shell(etcd.port(), "c.delete(os.environ['ETCDPY_LOCK_KEY'])")
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "lock",
                &name,
                "--timeout",
                "10s",
                "--",
                "sh",
                "-c",
                &delete,
            ])
            .timeout(Duration::from_secs(25))
            .run();
        expect(&run, 6);
        assert!(run.stderr.contains("lost lock"), "{run:?}");
        // --timeout while python-etcd holds it: exit 5, and etcdpy's waiting key is removed.
        let mut py_holder = py_spawn(
            etcd,
            &format!(
                "l = etcd.Lock(c, '{name}'); l.acquire(lock_ttl=30); print('held', flush=True); time.sleep(4); l.release()"
            ),
        );
        let mut lines = BufReader::new(py_holder.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().unwrap().unwrap(), "held");
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "lock",
                &name,
                "--timeout",
                "1s",
                "--",
                "true",
            ])
            .run();
        expect(&run, 5);
        let out = py(
            etcd,
            &format!(
                "print(len([n for n in c.read('/_locks/{name}', recursive=True).leaves if not n.dir]))"
            ),
        );
        assert_eq!(out, "1\n", "only python-etcd's key is queued");
        assert!(py_holder.wait().unwrap().success());
    });
}

#[test]
fn v2_members_and_leader_agree_with_python_etcds_machines_and_leader() {
    for_each_etcd_v2(|bin| {
        let cluster = crate::support::cluster::Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let follower = (leader + 1) % 3;
        let port = cluster.members[follower].port;
        let py_says = |script: &str| py_as(&crate::support::pyetcd::at(port), script);
        let at = cluster.members[follower].endpoint();
        let run = etcdpy()
            .args(["--endpoints", &at, "--api", "v2", "members", "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let members = doc.as_array().unwrap();
        assert_eq!(members.len(), 3, "{doc}");
        let leaders: Vec<&str> = members
            .iter()
            .filter(|m| m["role"] == "leader")
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(leaders, [cluster.members[leader].name.as_str()], "{doc}");
        assert!(
            members
                .iter()
                .all(|m| m["reachable"] == true && m["raft_term"].as_i64() > Some(0)),
            "{doc}"
        );
        let mut urls: Vec<String> = members
            .iter()
            .map(|m| m["client_urls"][0].as_str().unwrap().to_string())
            .collect();
        urls.sort();
        assert_eq!(
            py_says("print(sorted(c.machines))"),
            format!("{urls:?}\n").replace('"', "'")
        );
        // python-etcd's leader, asked of a follower, is the one etcdpy --api v2 leader names.
        let run = etcdpy()
            .args(["--endpoints", &at, "--api", "v2", "leader"])
            .run();
        expect(&run, 0);
        let name = run.out().split(' ').next().unwrap().to_string();
        assert_eq!(py_says("print(c.leader['name'])").trim(), name);
    });
}

#[test]
fn a_v3_key_not_found_that_v2_holds_gets_a_hint_on_the_error_path_only() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2hint");
        py(
            etcd,
            &format!("c.write('{p}/svc1', 'a'); c.write('{p}/cfg/db', 'pg')"),
        );
        for args in [
            vec!["get", &format!("{p}/svc1")],
            vec!["get", &p, "-r"],
            vec!["rm", &format!("{p}/svc1")],
            vec!["refresh", &format!("{p}/svc1"), "--ttl", "5s"],
        ] {
            let run = etcdpy().endpoint(etcd).args(&args).run();
            expect(&run, 3);
            let lines: Vec<&str> = run.stderr.lines().collect();
            assert_eq!(lines.len(), 2, "{run:?}");
            assert!(
                lines[0].starts_with("etcdpy: error: key not found"),
                "{run:?}"
            );
            assert!(
                lines[1].starts_with("etcdpy: hint: ")
                    && lines[1]
                        .ends_with("exists in etcd's v2 keyspace (python-etcd's); use --api v2"),
                "{run:?}"
            );
        }
        // Not in v2 either: the error alone.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/none")])
            .run();
        expect(&run, 3);
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        // Found in v3: no request to the v2 API at all.
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &format!("{p}/svc1"), "v3"])
                .run(),
            0,
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--debug", "get", &format!("{p}/svc1")])
            .run();
        expect(&run, 0);
        assert!(
            run.stderr.contains("/v3/kv/range") && !run.stderr.contains("/v2/"),
            "{run:?}"
        );
    });
}

#[test]
fn v2_auth_is_http_basic_and_its_refusals_exit_8() {
    for_each_etcd_v2(|bin| {
        // Auth is cluster-wide: a server of its own.
        let etcd = Etcd::start(bin);
        // Root user, auth on, and the guest role's default read/write on /* revoked (only
        // then are anonymous requests refused).
        py(
            &etcd,
            &format!(
                "import urllib.request, base64\n\
                 def call(path, body, auth=False):\n    \
                 r = urllib.request.Request('http://127.0.0.1:{port}' + path, data=body.encode(), method='PUT')\n    \
                 r.add_header('Content-Type', 'application/json')\n    \
                 if auth: r.add_header('Authorization', 'Basic ' + base64.b64encode(b'root:pw').decode())\n    \
                 urllib.request.urlopen(r).read()\n\
                 call('/v2/auth/users/root', '{{\"user\":\"root\",\"password\":\"pw\"}}')\n\
                 call('/v2/auth/enable', '')\n\
                 call('/v2/auth/roles/guest', '{{\"role\":\"guest\",\"revoke\":{{\"kv\":{{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}}}}', True)",
                port = etcd.port()
            ),
        );
        let v2 = || etcdpy().endpoint(&etcd).args(["--api", "v2"]);
        let run = v2().args(["set", "/auth/k", "v"]).run();
        expect(&run, 8);
        assert!(
            run.stderr
                .contains("The request requires user authentication"),
            "{run:?}"
        );
        expect(
            &v2().args(["--user", "root:wrong", "get", "/auth/k"]).run(),
            8,
        );
        expect(
            &v2()
                .args(["--user", "root:pw", "set", "/auth/k", "v"])
                .run(),
            0,
        );
        let run = v2().args(["--user", "root:pw", "get", "/auth/k"]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "v\n");
        let client = format!("port={}, username='root', password='pw'", etcd.port());
        assert_eq!(py_as(&client, "print(c.read('/auth/k').value)"), "v\n");
    });
}

#[test]
fn a_signal_while_waiting_for_a_v2_lock_ends_the_wait_and_removes_the_waiter_key() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let name = unique("v2sig").replace('/', "_");
        let mut holder = py_spawn(
            etcd,
            &format!(
                "l = etcd.Lock(c, '{name}'); l.acquire(lock_ttl=30); print('held', flush=True)\n\
                 time.sleep(4); l.release()"
            ),
        );
        let mut lines = BufReader::new(holder.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().unwrap().unwrap(), "held");
        let waiter = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "lock", &name, "--", "true"])
            .spawn();
        let queued = format!(
            "print(len([n for n in c.read('/_locks/{name}', recursive=True).leaves if not n.dir]))"
        );
        let began = std::time::Instant::now();
        while py(etcd, &queued) != "2\n" {
            assert!(
                began.elapsed() < Duration::from_secs(10),
                "etcdpy never queued"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        unsafe { libc::kill(waiter.id() as i32, libc::SIGTERM) };
        let out = waiter.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(143),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("interrupted by SIGTERM while waiting")
        );
        assert_eq!(py(etcd, &queued), "1\n", "only python-etcd's key is left");
        assert!(holder.wait().unwrap().success());
    });
}

/// `--timeout 0` tries once on v2 too (issue 13): behind a python-etcd holder, exit 5 at once,
/// naming the holder's key, with etcdpy's own key gone; free, the lock is taken and CMD runs.
/// Before: exit 5, "timed out after 0s waiting for lock /_locks/NAME", no holder named.
#[test]
fn a_v2_try_lock_exits_5_at_once_naming_the_holder_and_leaves_no_waiter_key() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let name = unique("v2try").replace('/', "_");
        let dir = tempfile::tempdir().unwrap();
        let done = dir.path().join("done");
        let mut holder = py_spawn(
            etcd,
            &format!(
                "import os\n\
                 l = etcd.Lock(c, '{name}'); l.acquire(lock_ttl=30); print('held', flush=True)\n\
                 print(next(c.read('/_locks/{name}', recursive=True).leaves).key, flush=True)\n\
                 while not os.path.exists('{}'): time.sleep(0.05)\n\
                 l.release()",
                done.display()
            ),
        );
        let mut lines = BufReader::new(holder.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().unwrap().unwrap(), "held");
        let held_key = lines.next().unwrap().unwrap();
        let began = std::time::Instant::now();
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "lock", &name, "--timeout", "0", "--", "true"])
            .run();
        let took = began.elapsed();
        expect(&run, 5);
        assert!(
            run.stderr.contains(&format!(
                "is held (key {held_key}); not waiting (--timeout 0 tries once)"
            )),
            "{run:?}"
        );
        assert!(took < Duration::from_secs(3), "took {took:?}");
        let queued = format!(
            "print(len([n for n in c.read('/_locks/{name}', recursive=True).leaves if not n.dir]))"
        );
        assert_eq!(py(etcd, &queued), "1\n", "only python-etcd's key is left");
        std::fs::write(&done, "").unwrap();
        assert!(holder.wait().unwrap().success());
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "--api",
                "v2",
                "lock",
                &name,
                "--timeout",
                "0",
                "--",
                "echo",
                "ran",
            ])
            .run();
        expect(&run, 0);
        assert_eq!(run.stdout, b"ran\n");
    });
}

/// The lock and election features v2 has no recipe for exit 2 naming the API, write nothing,
/// and leave no lock key behind: `lock --limit N` (python-etcd's lock has one holder),
/// `lock status` / `lock break`, `elect`; and `load`, which writes to v3 only.
#[test]
fn v2_refuses_semaphores_lock_admin_elect_and_load_naming_the_api() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let name = unique("v2refuse").replace('/', "_");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dump.ndjson");
        std::fs::write(&file, "").unwrap();
        let file = file.to_str().unwrap();
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        for (args, what) in [
            (
                vec!["lock", &name, "--limit", "2", "--", "true"],
                "lock --limit above 1",
            ),
            (vec!["lock", "status", &name], "lock status and lock break"),
            (
                vec!["lock", "break", &name, "--force"],
                "lock status and lock break",
            ),
            (vec!["elect", &name, "--", "true"], "elect is not available"),
            (vec!["load", file], "load writes to etcd's v3 keyspace only"),
        ] {
            let run = v2().args(&args).run();
            expect(&run, 2);
            assert!(run.stderr.contains(what), "{args:?}: {run:?}");
            assert!(run.stderr.contains("--api v2"), "{args:?}: {run:?}");
            let errors = run
                .stderr
                .lines()
                .filter(|l| l.starts_with("error:"))
                .count();
            assert_eq!(errors, 1, "{args:?}: {run:?}");
        }
        let names = format!(
            "try:\n  print(len([n for n in c.read('/_locks/{name}', recursive=True).leaves \
             if not n.dir]))\nexcept etcd.EtcdKeyNotFound:\n  print(0)"
        );
        assert_eq!(py(etcd, &names), "0\n", "a v2 lock key was left");
    });
}

/// etcd 3.6 and 3.7 have no v2 API (and 3.4/3.5 have it only with --enable-v2): `--api v2`
/// says so in one line, exit 7, naming the server's version and, on 3.6+, that etcd 3.6
/// removed the v2 API and that `migrate` on 3.5 moves the keys before the upgrade. Every
/// kind of v2 request (keys, watch, lock, members, migrate's source) says the same.
#[test]
fn api_v2_on_a_server_without_it_names_the_version_and_the_way_out() {
    for_each_etcd(|bin| {
        let without;
        let etcd = if bin.has_v2() {
            without = Etcd::start_with(bin, &["--enable-v2=false"]);
            &without
        } else {
            shared(bin)
        };
        let p = unique("nov2");
        let key = format!("{p}/k");
        let lock = p.trim_start_matches('/').replace('/', "-");
        let runs: Vec<(&str, Vec<&str>)> = vec![
            ("get", vec!["--api", "v2", "get", &key]),
            ("set", vec!["--api", "v2", "set", &key, "v"]),
            ("watch", vec!["--api", "v2", "watch", &key]),
            ("lock", vec!["--api", "v2", "lock", &lock, "--", "true"]),
            ("members", vec!["--api", "v2", "members"]),
        ];
        for (what, args) in runs {
            let run = etcdpy()
                .endpoint(etcd)
                .args(args)
                .timeout(Duration::from_secs(30))
                .run();
            expect(&run, 7);
            let err = run.stderr.trim_end();
            assert_eq!(err.lines().count(), 1, "{what}: one line: {run:?}");
            assert!(
                err.contains(&format!("etcd {} at {}", bin.version, etcd.endpoint())),
                "{what}: names the version and endpoint: {run:?}"
            );
            if bin.has_v2() {
                assert!(err.contains("without --enable-v2"), "{what}: {run:?}");
            } else {
                assert!(
                    err.contains("has no v2 API: etcd 3.6 removed it")
                        && err.contains("`etcdpy migrate` on 3.5 before upgrading"),
                    "{what}: {run:?}"
                );
            }
        }
        // migrate reads its source over v2: the same line, nothing written to v3.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["migrate", &p])
            .timeout(Duration::from_secs(30))
            .run();
        expect(&run, 7);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
        assert!(run.stderr.contains("v2 API"), "{run:?}");
        let run = etcdpy().endpoint(etcd).args(["get", "-r", &p]).run();
        assert_eq!(run.out(), "", "nothing written: {run:?}");
    });
}
