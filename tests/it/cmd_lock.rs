//! `etcdpy lock`: mutual exclusion and fencing tokens under contention, FIFO
//! order, exit status pass-through, --timeout, a SIGKILLed holder, a lease
//! revoked under a running command, signal forwarding to grandchildren,
//! signals while waiting, stdin, and mutual exclusion with `etcdctl lock`.
//!
//! On `--api v2`: exclusion with python-etcd's locks, a dead python-etcd holder, the TTL while
//! CMD runs, a signal while waiting, `--timeout 0`.

mod admin;
mod failure;
mod limit;

use crate::support::api::etcdpy_on;
use crate::support::api::for_each_api;
use crate::support::child::{finish, first_line, kill, read, sh, wait_for};
use crate::support::etcdctl::Etcdctl;
use crate::support::harness::for_each_etcd_v2;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::lock::lock_cmd_on;
use crate::support::lock::{lock_cmd, namespace};
use crate::support::pyetcd::{py, py_spawn, shell};
use crate::support::schema::LockJson;
use crate::support::util::{count, expect};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// A lock NAME unique to this call, without slashes (for the default /_locks prefix).
fn plain_name(what: &str) -> String {
    unique(what).rsplit('/').next().unwrap().to_string()
}

/// Wait for lockers whose critical sections log to `log` (and `OVERLAP` when
/// another was inside): all must exit 0, none may have overlapped; the log.
#[track_caller]
fn sections(children: Vec<Child>, log: &Path) -> String {
    for child in children {
        let (code, stderr) = finish(child, Duration::from_secs(60));
        assert_eq!(code, 0, "{stderr}");
    }
    let text = read(log);
    assert!(
        !text.contains("OVERLAP"),
        "critical sections overlapped:\n{text}"
    );
    text
}

#[test]
fn lock_excludes_under_contention_with_increasing_fencing_tokens() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-contention");
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("inside");
        let log = dir.path().join("log");
        // noclobber: creating the marker fails if another critical section is inside.
        let script = format!(
            "set -C; if ! : > {m}; then echo OVERLAP >> {l}; exit 1; fi; \
             echo \"$ETCDPY_LOCK_REV\" >> {l}; sleep 0.05; rm -f {m}",
            m = marker.display(),
            l = log.display()
        );
        let children: Vec<Child> = (0..10)
            .map(|_| lock_cmd(etcd, &prefix, &[]).args(sh(&script)).spawn())
            .collect();
        let text = sections(children, &log);
        let revs: Vec<i64> = text.lines().map(|l| l.parse().unwrap()).collect();
        assert_eq!(revs.len(), 10, "{text}");
        assert!(
            revs.windows(2).all(|w| w[0] < w[1]),
            "fencing tokens must grow in acquisition order: {revs:?}"
        );
        assert_eq!(count(etcd, &keys), 0, "every lock key must be gone");
    });
}

#[test]
fn lock_after_a_wait_passes_the_revision_it_acquired_the_lock_at() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-token");
        let mut holder = lock_cmd(etcd, &prefix, &["-o", "json"]).spawn();
        let held: serde_json::Value = serde_json::from_str(&first_line(&mut holder)).unwrap();
        let mut waiter = lock_cmd(etcd, &prefix, &[])
            .args(sh(
                "echo \"$ETCDPY_LOCK_KEY $ETCDPY_LOCK_REV $ETCD_LOCK_REV\"; sleep 30",
            ))
            .spawn();
        wait_for("the waiter key", Duration::from_secs(10), || {
            count(etcd, &keys) == 2
        });
        // Long enough a wait for the waiter to look at its own key meanwhile.
        thread::sleep(Duration::from_millis(300));
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        let line = first_line(&mut waiter);
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 3, "{line}");
        assert_eq!(fields[1], fields[2], "{line}");
        let token: i64 = fields[1].parse().unwrap();
        let out = etcd.etcdctl(&["get", fields[0], "-w", "json"]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let created = doc["kvs"][0]["create_revision"]
            .as_i64()
            .expect("the lock key");
        let now = doc["header"]["revision"].as_i64().unwrap();
        // etcdctl's ETCD_LOCK_REV: the revision at which the lock was
        // acquired, which is the holder's release, after the waiter's key was made.
        let held_token = held["revision"].as_i64().unwrap();
        assert!(
            held_token < created && created < token && token <= now,
            "holder's token {held_token}, waiter key created at {created}, \
             waiter's token {token}, revision now {now}"
        );
        kill(&waiter, libc::SIGTERM);
        finish(waiter, Duration::from_secs(10));
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_fencing_tokens_grow_across_etcdpy_and_etcdctl_holders() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = plain_name("lock-mixed-tokens");
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("inside");
        let log = dir.path().join("log");
        let section = |who: &str, token: &str| {
            format!(
                "set -C; if ! : > {m}; then echo OVERLAP >> {l}; exit 1; fi; \
                 echo \"{who} {token}\" >> {l}; sleep 0.1; rm -f {m}",
                m = marker.display(),
                l = log.display()
            )
        };
        let ours = section("etcdpy", "$ETCDPY_LOCK_REV $ETCD_LOCK_REV");
        let theirs = section("etcdctl", "$ETCD_LOCK_REV $ETCD_LOCK_REV");
        // 16 holders, alternating, all queued at once: most acquire after a wait.
        let mut children = Vec::new();
        for i in 0..16 {
            let child = if i % 2 == 0 {
                etcdpy()
                    .endpoint(etcd)
                    .args(["lock", &name])
                    .args(sh(&ours))
                    .spawn()
            } else {
                Command::new(&bin.etcdctl)
                    .arg(format!("--endpoints={}", etcd.endpoint()))
                    .args([
                        "lock",
                        &format!("/_locks/{name}"),
                        "--",
                        "sh",
                        "-c",
                        &theirs,
                    ])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("run etcdctl lock")
            };
            children.push(child);
            thread::sleep(Duration::from_millis(30));
        }
        let text = sections(children, &log);
        let mut tokens = Vec::new();
        for line in text.lines() {
            let fields: Vec<&str> = line.split(' ').collect();
            assert_eq!(fields.len(), 3, "{text}");
            assert_eq!(
                fields[1], fields[2],
                "ETCDPY_LOCK_REV and ETCD_LOCK_REV differ:\n{text}"
            );
            tokens.push(fields[1].parse::<i64>().unwrap());
        }
        assert_eq!(tokens.len(), 16, "{text}");
        assert!(
            tokens.windows(2).all(|w| w[0] < w[1]),
            "fencing tokens must grow in acquisition order:\n{text}"
        );
    });
}

#[test]
fn lock_serves_waiters_first_come_first_served() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-fifo");
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let mut holder = lock_cmd(etcd, &prefix, &[]).spawn();
        let key = first_line(&mut holder);
        assert!(key.starts_with(&keys), "{key}");
        let mut waiters = Vec::new();
        for i in 0..5 {
            let script = format!("echo {i} >> {}", log.display());
            waiters.push(lock_cmd(etcd, &prefix, &[]).args(sh(&script)).spawn());
            // The next waiter queues only once this one's key exists.
            wait_for("the waiter key", Duration::from_secs(10), || {
                count(etcd, &keys) == i + 2
            });
        }
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        for waiter in waiters {
            let (code, stderr) = finish(waiter, Duration::from_secs(30));
            assert_eq!(code, 0, "{stderr}");
        }
        assert_eq!(read(&log), "0\n1\n2\n3\n4\n");
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_passes_the_command_status_and_environment_through() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-status");
        let run = lock_cmd(etcd, &prefix, &[])
            .args(sh(
                "echo \"$ETCDPY_LOCK_KEY $ETCDPY_LOCK_REV $ETCD_LOCK_KEY $ETCD_LOCK_REV\"; exit 3",
            ))
            .run();
        expect(&run, 3);
        let out = run.out();
        let fields: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(fields.len(), 4, "{out}");
        assert!(fields[0].starts_with(&keys), "{out}");
        assert_eq!(fields[0], fields[2]);
        assert_eq!(fields[1], fields[3]);
        assert!(fields[1].parse::<i64>().unwrap() > 0);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
        // Released at once: the key is gone when etcdpy has exited.
        assert_eq!(count(etcd, &keys), 0);

        expect(&lock_cmd(etcd, &prefix, &[]).args(sh("exit 0")).run(), 0);
        expect(
            &lock_cmd(etcd, &prefix, &[]).args(sh("kill -TERM $$")).run(),
            143,
        );
        expect(
            &lock_cmd(etcd, &prefix, &[]).args(sh("kill -KILL $$")).run(),
            137,
        );
        let missing = lock_cmd(etcd, &prefix, &["--", "/nonexistent/cmd"]).run();
        expect(&missing, 127);
        assert!(
            missing.stderr.contains("cannot run /nonexistent/cmd"),
            "{}",
            missing.stderr
        );
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_stdin_reaches_the_command() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("lock-stdin");
        let run = lock_cmd_on(etcd, api, &prefix, &["--", "cat"])
            .stdin("through the lock\n")
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "through the lock\n");
    });
}

#[test]
fn lock_without_command_prints_the_key_and_json() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-json");
        let mut holder = lock_cmd(etcd, &prefix, &["-o", "json", "--ttl", "7s"]).spawn();
        let line = first_line(&mut holder);
        let typed: LockJson = serde_json::from_str(&line).unwrap();
        assert_eq!(typed.key_encoding, None);
        let doc: serde_json::Value = serde_json::from_str(&line).unwrap();
        let key = doc["key"].as_str().unwrap();
        // `name` is NAME as given; the prefix is in `key`.
        assert_eq!(doc["name"], "L");
        assert_eq!(key, format!("{keys}{}", doc["lease"].as_str().unwrap()));
        assert!(doc["revision"].as_i64().unwrap() > 0);
        assert_eq!(doc["ttl"], 7);
        assert_eq!(count(etcd, &keys), 1);
        // Ctrl-C releases the lock; exit 130 and no error line, as every interrupted wait.
        kill(&holder, libc::SIGINT);
        let (code, stderr) = finish(holder, Duration::from_secs(10));
        assert_eq!(code, 130, "{stderr}");
        assert_eq!(stderr, "", "no error line for Ctrl-C");
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_timeout_gives_up_and_removes_the_waiter_key() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-timeout");
        let mut holder = lock_cmd(etcd, &prefix, &[]).spawn();
        let key = first_line(&mut holder);
        let start = Instant::now();
        let run = lock_cmd(etcd, &prefix, &["--timeout", "1s", "--", "true"]).run();
        expect(&run, 5);
        assert!(start.elapsed() >= Duration::from_secs(1));
        assert!(run.stderr.contains("timed out"), "{}", run.stderr);
        // No "waiting for lock" notice when stderr is not a terminal.
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        // Only the holder's key is left: the waiter's is gone.
        let out = etcd.etcdctl(&["get", &keys, "--prefix", "--keys-only"]);
        let left: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        assert_eq!(left, vec![key]);
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_signals_while_waiting_cancel_the_wait() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-waitsig");
        let mut holder = lock_cmd(etcd, &prefix, &[]).spawn();
        first_line(&mut holder);
        for (sig, code) in [
            (libc::SIGINT, 130),
            (libc::SIGTERM, 143),
            (libc::SIGHUP, 129),
        ] {
            let waiter = lock_cmd(etcd, &prefix, &["--", "true"]).spawn();
            wait_for("the waiter key", Duration::from_secs(10), || {
                count(etcd, &keys) == 2
            });
            kill(&waiter, sig);
            let (got, stderr) = finish(waiter, Duration::from_secs(10));
            assert_eq!(got, code, "{stderr}");
            // Ctrl-C is the person's own: no error line; another signal is named.
            assert_eq!(stderr.is_empty(), sig == libc::SIGINT, "{stderr}");
            assert_eq!(count(etcd, &keys), 1, "the waiter key must be gone");
        }
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
    });
}

#[test]
fn lock_frees_itself_within_the_ttl_when_the_holder_is_killed() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("lock-sigkill");
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("inside");
        let script = format!(
            "echo $$ > {0}.tmp; mv {0}.tmp {0}; exec sleep 30",
            inside.display()
        );
        let holder = lock_cmd_on(etcd, api, &prefix, &["--ttl", "2s"])
            .args(sh(&script))
            .spawn();
        wait_for("the holder's command", Duration::from_secs(10), || {
            inside.exists()
        });
        let mut holder = holder;
        holder.kill().unwrap();
        let killed = Instant::now();
        holder.wait().unwrap();
        let run = lock_cmd_on(etcd, api, &prefix, &["--ttl", "2s", "--", "true"]).run();
        expect(&run, 0);
        let took = killed.elapsed();
        assert!(
            took < Duration::from_secs(3),
            "the next holder got the lock {took:?} after the kill (TTL 2s)"
        );
        // The orphaned command got SIGTERM when etcdpy died (PR_SET_PDEATHSIG).
        let pid = read(&inside).trim().to_string();
        wait_for(
            "the orphaned command to end",
            Duration::from_secs(5),
            || match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                Err(_) => true,
                Ok(stat) => stat
                    .rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z'),
            },
        );
    });
}

#[test]
fn lock_lost_while_the_command_runs_stops_it_and_exits_6() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-lost");
        let dir = tempfile::tempdir().unwrap();
        let keyfile = dir.path().join("key");
        let termed = dir.path().join("termed");
        let script = format!(
            "trap 'echo term > {t}; exit 0' TERM; echo \"$ETCDPY_LOCK_KEY\" > {k}.tmp; \
             mv {k}.tmp {k}; while :; do sleep 0.1; done",
            t = termed.display(),
            k = keyfile.display()
        );
        let holder = lock_cmd(etcd, &prefix, &["--ttl", "30s", "--kill-after", "2s"])
            .args(sh(&script))
            .spawn();
        wait_for("the holder's command", Duration::from_secs(10), || {
            keyfile.exists()
        });
        let key = read(&keyfile).trim().to_string();
        let lease = key.rsplit('/').next().unwrap().to_string();
        let out = etcd.etcdctl(&["lease", "revoke", &lease]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let revoked = Instant::now();
        let (code, stderr) = finish(holder, Duration::from_secs(15));
        assert_eq!(code, 6, "{stderr}");
        assert!(stderr.contains("lost lock"), "{stderr}");
        // Seen by the watch on the lock key at once, not at the next keepalive (TTL/3 = 10 s).
        assert!(
            revoked.elapsed() < Duration::from_secs(2),
            "{:?}",
            revoked.elapsed()
        );
        assert_eq!(read(&termed), "term\n", "CMD must get SIGTERM");
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_forwards_signals_to_the_whole_process_group() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("lock-forward");
        let dir = tempfile::tempdir().unwrap();
        let ready = dir.path().join("ready");
        let got = dir.path().join("got");
        // The grandchild traps the signal; its parent shell just waits for it.
        let inner = format!(
            "trap 'echo $0 >> {g}; exit 0' TERM INT; touch {r}; while :; do sleep 0.1; done",
            g = got.display(),
            r = ready.display()
        );
        for (sig, name) in [(libc::SIGTERM, "term"), (libc::SIGINT, "int")] {
            let _ = std::fs::remove_file(&ready);
            let quoted = inner.replace('"', "\\\"").replace('$', "\\$");
            let outer = format!("sh -c \"{quoted}\" {name}; exit 7");
            let holder = lock_cmd_on(etcd, api, &prefix, &[])
                .args(sh(&outer))
                .spawn();
            wait_for("the grandchild", Duration::from_secs(10), || ready.exists());
            kill(&holder, sig);
            let (code, stderr) = finish(holder, Duration::from_secs(10));
            // The outer shell died of the signal or exited 7 after its child.
            assert!(
                code == 128 + sig || code == 7,
                "exit {code}, stderr: {stderr}"
            );
            assert!(
                read(&got).lines().any(|l| l == name),
                "the grandchild did not get {name}: {:?}",
                read(&got)
            );
        }
    });
}

#[test]
fn lock_excludes_etcdctl_lock_both_ways() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = plain_name("lock-etcdctl");
        let keys = format!("/_locks/{name}/");
        let ours = || etcdpy().endpoint(etcd).args(["lock", &name]);

        // etcdctl holds: etcdpy cannot get in.
        let mut theirs = Etcdctl::lock(bin, etcd, &[&format!("/_locks/{name}")]);
        let key = first_line(&mut theirs.0);
        assert!(key.starts_with(&keys), "{key}");
        expect(&ours().args(["--timeout", "1s", "--", "true"]).run(), 5);
        // Once etcdctl lets go, etcdpy gets it.
        let waiter = ours().args(["--", "true"]).spawn();
        wait_for("etcdpy's waiter key", Duration::from_secs(10), || {
            count(etcd, &keys) == 2
        });
        kill(&theirs.0, libc::SIGINT);
        let (code, stderr) = finish(waiter, Duration::from_secs(10));
        assert_eq!(code, 0, "{stderr}");
        drop(theirs);

        // etcdpy holds: etcdctl waits until etcdpy releases.
        let mut holder = ours().spawn();
        first_line(&mut holder);
        let mut theirs = Etcdctl::lock(bin, etcd, &[&format!("/_locks/{name}")]);
        wait_for("etcdctl's waiter key", Duration::from_secs(10), || {
            count(etcd, &keys) == 2
        });
        thread::sleep(Duration::from_millis(300));
        assert!(
            theirs.0.try_wait().unwrap().is_none(),
            "etcdctl lock must wait"
        );
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        let key = first_line(&mut theirs.0);
        assert!(key.starts_with(&keys), "{key}");
    });
}

#[test]
fn lock_keeps_its_lease_alive_while_waiting_and_while_held() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-keepalive");
        let dir = tempfile::tempdir().unwrap();
        let done = dir.path().join("done");
        // Held for 2.5 TTLs, waited for as long: both leases must be kept alive.
        let holder = lock_cmd(etcd, &prefix, &["--ttl", "2s"])
            .args(sh(&format!("sleep 5; touch {}", done.display())))
            .spawn();
        wait_for("the holder's key", Duration::from_secs(10), || {
            count(etcd, &keys) == 1
        });
        let waiter = lock_cmd(etcd, &prefix, &["--ttl", "2s"])
            .args(sh(&format!("test -e {}", done.display())))
            .spawn();
        let (code, stderr) = finish(holder, Duration::from_secs(20));
        assert_eq!(code, 0, "holder: {stderr}");
        let (code, stderr) = finish(waiter, Duration::from_secs(20));
        assert_eq!(
            code, 0,
            "the waiter ran before the holder was done: {stderr}"
        );
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_lost_without_command_exits_6() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-lost-nocmd");
        let mut holder = lock_cmd(etcd, &prefix, &["--ttl", "3s"]).spawn();
        let key = first_line(&mut holder);
        let out = etcd.etcdctl(&["del", &key]);
        assert!(out.status.success());
        let (code, stderr) = finish(holder, Duration::from_secs(10));
        assert_eq!(code, 6, "{stderr}");
        assert!(stderr.contains("lost lock"), "{stderr}");
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_lost_when_keepalives_fail_for_a_whole_ttl() {
    for_each_api(|bin, api| {
        let mut etcd = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        let ready = dir.path().join("ready");
        let termed = dir.path().join("termed");
        let script = format!(
            "trap 'echo term > {t}; exit 0' TERM; touch {r}; while :; do sleep 0.1; done",
            t = termed.display(),
            r = ready.display()
        );
        let holder = etcdpy_on(&etcd, api)
            .args(["lock", "L", "--ttl", "2s", "--kill-after", "1s"])
            .args(sh(&script))
            .spawn();
        wait_for("the holder's command", Duration::from_secs(10), || {
            ready.exists()
        });
        etcd.kill();
        let killed = Instant::now();
        let (code, stderr) = finish(holder, Duration::from_secs(15));
        assert_eq!(code, 6, "{stderr}");
        assert!(stderr.contains("no keepalive succeeded"), "{stderr}");
        let took = killed.elapsed();
        assert!(took < Duration::from_secs(4), "{took:?}");
        assert_eq!(read(&termed), "term\n", "CMD must get SIGTERM");
    });
}

/// A TCP proxy to etcd whose open connections can be cut (new ones still work).
struct Proxy {
    port: u16,
    open: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Proxy {
    fn start(upstream: u16) -> Proxy {
        use std::net::{TcpListener, TcpStream};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let open = std::sync::Arc::new(std::sync::Mutex::new(Vec::<TcpStream>::new()));
        let list = open.clone();
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                {
                    let mut list = list.lock().unwrap();
                    list.push(client.try_clone().unwrap());
                    list.push(server.try_clone().unwrap());
                }
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
            }
        });
        Proxy { port, open }
    }

    fn cut(&self) {
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

#[test]
fn lock_waiter_queues_again_when_its_connection_breaks() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-reconnect");
        let proxy = Proxy::start(etcd.port());
        let mut holder = lock_cmd(etcd, &prefix, &[]).spawn();
        let held = first_line(&mut holder);
        let waiter = etcdpy()
            .arg("--endpoints")
            .arg(format!("http://127.0.0.1:{}", proxy.port))
            .args(["lock", "L", "--prefix", &prefix, "--", "true"])
            .spawn();
        let waiter_key = || {
            let out = etcd.etcdctl(&["get", &keys, "--prefix", "--keys-only"]);
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .find(|l| !l.is_empty() && *l != held)
                .map(String::from)
        };
        let mut first = None;
        wait_for("the waiter key", Duration::from_secs(10), || {
            first = waiter_key();
            first.is_some()
        });
        proxy.cut();
        // The waiter queues again under a new lease, so a new key.
        wait_for("a new waiter key", Duration::from_secs(10), || {
            waiter_key().is_some_and(|k| Some(&k) != first.as_ref())
        });
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        let (code, stderr) = finish(waiter, Duration::from_secs(10));
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_tells_a_terminal_who_holds_the_lock() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("lock-tty");
        let mut holder = lock_cmd(etcd, &prefix, &[]).spawn();
        let held = first_line(&mut holder);
        // The waiter runs on a pseudo-terminal made by util-linux `script`.
        let line = format!(
            "{} --endpoints {} lock L --prefix {prefix} -- sh -c 'echo in-cmd'",
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let waiter = thread::spawn(move || {
            Command::new("script")
                .args(["-qefc", &line, "/dev/null"])
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("TERM", "xterm")
                .stdin(Stdio::null())
                .output()
                .expect("util-linux `script` is needed for the terminal tests")
        });
        thread::sleep(Duration::from_millis(1800));
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        let out = waiter.join().unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{shown}");
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
        let expected = format!(
            "etcdpy: waiting for lock {prefix}/L: held by {} pid ",
            host.trim()
        );
        assert!(shown.contains(&expected), "{shown:?}");
        assert!(
            shown.contains(&format!("({held}) for 1s"))
                || shown.contains(&format!("({held}) for 2s")),
            "{shown:?}"
        );
        // The notice line is wiped before the command runs.
        assert!(shown.contains("\r\x1b[Kin-cmd"), "{shown:?}");
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
