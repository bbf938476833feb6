//! What a new user coming from python-etcd or etcdctl types (issue 13): the
//! familiar command names, values that start with `-`, a forgotten VALUE,
//! try-lock (`--timeout 0`), hints on "key not found", `ETCDPY_LOCK_PREFIX`.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::util::{count, expect, put, stored};
use crate::support::{Etcdctl, finish, first_line, kill, namespace, wait_for};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
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

#[test]
fn values_that_start_with_a_hyphen() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/counter", unique("hyphen"));
        let run = |args: &[&str]| etcdpy().endpoint(etcd).args(args).run();
        let value = || stored(etcd, &key).map(|s| String::from_utf8(s.value).unwrap());

        // python-etcd's write('/counter', -1).
        expect(&run(&["set", &key, "-1"]), 0);
        assert_eq!(value().as_deref(), Some("-1"));
        // Condition values too, without '='.
        expect(&run(&["set", &key, "-5", "--if-value", "-1"]), 0);
        assert_eq!(value().as_deref(), Some("-5"));
        expect(&run(&["set", &key, "-2.5", "--if-value", "-4"]), 4);
        assert_eq!(value().as_deref(), Some("-5"));
        expect(&run(&["rm", &key, "--if-value", "-4"]), 4);
        assert_eq!(value().as_deref(), Some("-5"));

        // Real flags are still flags, before or after VALUE.
        expect(&run(&["set", &key, "--ttl", "5s", "a"]), 0);
        assert_eq!(value().as_deref(), Some("a"));
        assert_ne!(stored(etcd, &key).unwrap().lease, 0);
        expect(&run(&["set", &key, "b", "--ttl", "5s"]), 0);
        assert_eq!(value().as_deref(), Some("b"));
        // --ttl without its value is a usage error, not a value.
        let missing = run(&["set", &key, "--ttl"]);
        expect(&missing, 2);
        assert!(missing.stderr.contains("--ttl"), "{missing:?}");
        assert_eq!(value().as_deref(), Some("b"));

        // Anything else that starts with '-' is an option: refused, with the way out.
        let unknown = run(&["set", &key, "-x"]);
        expect(&unknown, 2);
        assert!(unknown.stderr.contains("'-- -x'"), "{unknown:?}");
        assert_eq!(value().as_deref(), Some("b"));
        expect(&run(&["set", &key, "--", "-x"]), 0);
        assert_eq!(value().as_deref(), Some("-x"));
        expect(&run(&["set", &key, "--ttl", "5", "--", "-v"]), 0);
        assert_eq!(value().as_deref(), Some("-v"));
        expect(&run(&["set", &key, "--", "--"]), 0);
        assert_eq!(value().as_deref(), Some("--"));
        expect(&run(&["set", &key, "-7", "--if-value=--"]), 0);
        expect(&run(&["rm", &key, "--if-value", "-7"]), 0);
        assert_eq!(value(), None);
    });
}

#[test]
fn a_forgotten_value_with_an_empty_stdin_is_refused() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("novalue"));
        let set = || etcdpy().endpoint(etcd).arg("set").arg(&key);

        // `etcdpy set /k $UNSET` with stdin /dev/null, or an empty pipe: nothing written.
        for run in [set().run(), set().stdin("").run()] {
            expect(&run, 2);
            assert!(
                run.stderr.contains("no VALUE and nothing on stdin")
                    && run.stderr.contains("''")
                    && run.stderr.contains(" - "),
                "{run:?}"
            );
            assert!(stored(etcd, &key).is_none());
        }
        // Asked for explicitly: an empty value.
        expect(&set().arg("-").run(), 0);
        assert_eq!(stored(etcd, &key).unwrap().value, b"");
        expect(&set().arg("x").run(), 0);
        expect(&set().arg("").run(), 0);
        assert_eq!(stored(etcd, &key).unwrap().value, b"");
        // A value on stdin works as before, and says nothing when stdin is no terminal.
        let run = set().stdin("piped").run();
        expect(&run, 0);
        assert_eq!(run.stderr, "");
        assert_eq!(stored(etcd, &key).unwrap().value, b"piped");
    });
}

/// Read `stream` on a thread; the bytes come through the channel as they arrive.
fn chunks(mut stream: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = stream.read(&mut buf) {
            if tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn set_on_a_terminal_says_it_reads_the_value_from_stdin() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("ttyvalue"));
        let line = format!(
            "{} --endpoints {} set {key}",
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let child = crate::support::pty::pty(&line)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("util-linux `script` is needed for the terminal tests");
        let mut child = Spawned(child);
        let shown = chunks(child.0.stdout.take().unwrap());
        // The notice comes before anything is typed.
        let mut seen = Vec::new();
        while !String::from_utf8_lossy(&seen).contains("reading the value from stdin") {
            let chunk = shown
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no notice; the terminal showed {seen:?}"));
            seen.extend(chunk);
        }
        assert!(
            String::from_utf8_lossy(&seen).contains("Ctrl-D"),
            "{seen:?}"
        );
        assert!(stored(etcd, &key).is_none());
        // Typed, then the end of input (script passes on the end of its stdin as Ctrl-D).
        let mut stdin = child.0.stdin.take().unwrap();
        stdin.write_all(b"typed\n").unwrap();
        drop(stdin);
        let status = child.0.wait().unwrap();
        assert!(status.success(), "{status:?}");
        assert_eq!(stored(etcd, &key).unwrap().value, b"typed\n");
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

#[test]
fn key_not_found_hints() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("hint");
        let dir = format!("{p}/dir");
        put(etcd, &format!("{dir}/a"), "1");
        put(etcd, &format!("{dir}/b"), "2");
        put(etcd, &format!("{p}/one"), "1");
        let run = |args: &[&str]| etcdpy().endpoint(etcd).args(args).run();

        // rm of a directory: exit 3, and what to do.
        for json in [&[][..], &["-o", "json"]] {
            let rm = run(&[&["rm", &dir][..], json].concat());
            expect(&rm, 3);
            assert!(rm.stdout.is_empty(), "{rm:?}");
            assert_eq!(
                rm.stderr,
                format!(
                    "etcdpy: error: key not found: {dir} ({dir}/ is a directory of 2 keys: \
                     use rm -r to delete it and its keys)\n"
                )
            );
            assert_eq!(count(etcd, &format!("{dir}/")), 2);
        }
        let raw = run(&["get", &dir, "--raw"]);
        expect(&raw, 3);
        assert!(
            raw.stderr
                .contains("is a directory of 2 keys: get without --raw lists it"),
            "{raw:?}"
        );

        // No leading slash (python-etcd adds one).
        let bare = format!("{}/one", p.trim_start_matches('/'));
        for args in [
            &["get", &bare][..],
            &["get", &bare, "-o", "json"],
            &["get", &bare, "-r"],
            &["rm", &bare],
        ] {
            let miss = run(args);
            expect(&miss, 3);
            assert!(miss.stdout.is_empty(), "{miss:?}");
            assert_eq!(
                miss.stderr,
                format!("etcdpy: error: key not found: {bare} (did you mean {p}/one?)\n")
            );
        }
        let bare_dir = dir.trim_start_matches('/');
        let miss = run(&["rm", "-r", bare_dir]);
        expect(&miss, 3);
        assert!(
            miss.stderr.contains(&format!("(did you mean {dir}?)")),
            "{miss:?}"
        );
        assert_eq!(count(etcd, &format!("{dir}/")), 2);

        // Nothing near: the plain message.
        let none = format!("{p}/none");
        let miss = run(&["rm", &none]);
        expect(&miss, 3);
        assert_eq!(
            miss.stderr,
            format!("etcdpy: error: key not found: {none}\n")
        );

        // A key that exists costs no extra request: one range, one delete.
        let requests = |run: &crate::support::harness::Run| {
            let posts = run.stderr.lines().filter(|l| l.contains("debug: POST "));
            posts.count()
        };
        let got = run(&["--debug", "get", &format!("{p}/one")]);
        expect(&got, 0);
        assert_eq!(requests(&got), 1, "{got:?}");
        let removed = run(&["--debug", "rm", &format!("{p}/one")]);
        expect(&removed, 0);
        assert_eq!(requests(&removed), 1, "{removed:?}");
    });
}
