//! What a new user coming from python-etcd or etcdctl types (issue 13): the
//! familiar command names, values that start with `-`, a forgotten VALUE,
//! try-lock (`--timeout 0`), hints on "key not found", `ETCDPY_LOCK_PREFIX`.

use crate::cmd_lock::{Etcdctl, finish, first_line, kill, namespace, wait_for};
use crate::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::util::{count, expect, stored};
use std::process::{Child, Command};
use std::time::Duration;

/// A spawned process that is killed (and reaped) when the test ends, even by a panic.
struct Spawned(Child);

impl Spawned {
    /// The child, no longer killed on drop (a stand-in takes its place).
    fn take(&mut self) -> Child {
        let done = Command::new("true").spawn().expect("run true");
        std::mem::replace(&mut self.0, done)
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn hidden_aliases_do_what_their_command_does() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("alias");
        let (a, b) = (format!("{p}/a"), format!("{p}/b"));
        let run = |args: &[&str]| etcdpy().endpoint(etcd).args(args).run();

        expect(&run(&["put", &a, "1"]), 0);
        assert_eq!(stored(etcd, &a).unwrap().value, b"1");
        expect(&run(&["write", &b, "2"]), 0);
        assert_eq!(stored(etcd, &b).unwrap().value, b"2");
        let read = run(&["read", &a]);
        expect(&read, 0);
        assert_eq!(read.stdout, b"1\n");
        // The same exit codes as the command itself.
        expect(&run(&["read", &format!("{p}/none")]), 3);
        expect(&run(&["put", &a, "3", "--if-absent"]), 4);
        expect(&run(&["del", &a]), 0);
        assert!(stored(etcd, &a).is_none());
        expect(&run(&["del", &a]), 3);
        expect(&run(&["delete", &b]), 0);
        assert!(stored(etcd, &b).is_none());
        let machines = run(&["machines", "-o", "json"]);
        expect(&machines, 0);
        let doc: serde_json::Value = serde_json::from_slice(&machines.stdout).unwrap();
        assert_eq!(doc.as_array().map(Vec::len), Some(1), "{machines:?}");

        // Hidden: the command list names only the real commands.
        let help = run(&["--help"]).out();
        for alias in ["put", "write", "read", "del", "delete", "machines"] {
            assert!(
                !help
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{alias} "))),
                "{alias} listed in:\n{help}"
            );
        }
    });
}

/// The lock keys left under `keys`, as etcdctl sees them.
fn lock_keys(etcd: &Etcd, keys: &str) -> Vec<String> {
    let out = etcd.etcdctl(&["get", keys, "--prefix", "--keys-only"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn lock_timeout_0_tries_once() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("trylock");
        let name = format!("{prefix}/L");
        // Runs at most 30 s: a try that waited for the holders below would never end.
        let try_lock = |extra: &[&str]| {
            etcdpy()
                .endpoint(etcd)
                .args(["lock", "L", "--prefix", &prefix, "--timeout", "0"])
                .args(extra)
                .timeout(Duration::from_secs(30))
                .run()
        };

        // Free: acquired, CMD runs, released.
        let run = try_lock(&["--", "sh", "-c", "echo \"$ETCDPY_LOCK_KEY\""]);
        expect(&run, 0);
        assert!(run.out().starts_with(&keys), "{run:?}");
        assert_eq!(count(etcd, &keys), 0);

        // etcdpy holds: exit 5 at once, the holder named, no waiter key left behind.
        let mut holder = Spawned(
            etcdpy()
                .endpoint(etcd)
                .args(["lock", "L", "--prefix", &prefix])
                .spawn(),
        );
        let held = first_line(&mut holder.0);
        for extra in [&["--", "true"][..], &[], &["-o", "json"]] {
            let run = try_lock(extra);
            expect(&run, 5);
            assert!(run.stdout.is_empty(), "{run:?}");
            assert!(
                run.stderr.contains(&format!("lock {name} is held by "))
                    && run.stderr.contains(&held)
                    && run.stderr.contains("--timeout 0"),
                "{run:?}"
            );
            assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
            assert_eq!(lock_keys(etcd, &keys), vec![held.clone()]);
        }
        kill(&holder.0, libc::SIGTERM);
        let (code, stderr) = finish(holder.take(), Duration::from_secs(10));
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(count(etcd, &keys), 0);

        // etcdctl holds: the same.
        let mut theirs = Etcdctl::lock(bin, etcd, &[&name]);
        let key = first_line(&mut theirs.0);
        assert!(key.starts_with(&keys), "{key}");
        let run = try_lock(&["--", "true"]);
        expect(&run, 5);
        assert!(run.stderr.contains(&key), "{run:?}");
        assert_eq!(lock_keys(etcd, &keys), vec![key]);
        // Once etcdctl let go (on SIGINT it releases), the try succeeds.
        kill(&theirs.0, libc::SIGINT);
        wait_for("etcdctl's release", Duration::from_secs(10), || {
            count(etcd, &keys) == 0
        });
        expect(&try_lock(&["--", "true"]), 0);
        assert_eq!(count(etcd, &keys), 0);
    });
}

#[test]
fn lock_prefix_from_the_environment() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lockenv");
        let show = ["--", "sh", "-c", "echo \"$ETCDPY_LOCK_KEY\""];
        let run = etcdpy()
            .endpoint(etcd)
            .env("ETCDPY_LOCK_PREFIX", &prefix)
            .args(["lock", "L"])
            .args(show)
            .run();
        expect(&run, 0);
        assert!(run.out().starts_with(&keys), "{run:?}");
        // --prefix wins over the variable.
        let (other, other_keys) = namespace("lockflag");
        let run = etcdpy()
            .endpoint(etcd)
            .env("ETCDPY_LOCK_PREFIX", &prefix)
            .args(["lock", "L", "--prefix", &other])
            .args(show)
            .run();
        expect(&run, 0);
        assert!(run.out().starts_with(&other_keys), "{run:?}");
        // And the help names it.
        let help = etcdpy().args(["lock", "--help"]).run().out();
        assert!(help.contains("ETCDPY_LOCK_PREFIX"), "{help}");
    });
}
