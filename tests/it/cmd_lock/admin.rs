//! `etcdpy lock status` (holders and waiters, etcdpy's and etcdctl's, in text
//! and JSON; exit 3 when free) and `etcdpy lock break` (refused without a
//! terminal or --force; the holder's CMD is stopped and it exits 6; the next
//! waiter starts at once); a lock named `status`.

use crate::support::harness::{etcdpy, for_each_etcd, shared};
use crate::support::pty::pty_to_type_into;
use crate::support::schema::StatusJson;
use crate::support::util::{count, expect};
use crate::support::{Etcdctl, finish, first_line, kill, lock_cmd, namespace, read, sh, wait_for};
use std::time::{Duration, Instant};

fn status(etcd: &crate::support::harness::Etcd, prefix: &str, json: bool) -> (i32, String) {
    let mut cmd = etcdpy()
        .endpoint(etcd)
        .args(["lock", "status", "L", "--prefix", prefix]);
    if json {
        cmd = cmd.args(["-o", "json"]);
    }
    let run = cmd.run();
    (run.code, String::from_utf8_lossy(&run.stdout).into_owned())
}

#[test]
fn lock_status_shows_the_holder_and_waiters_in_queue_order() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("status");
        let (code, text) = status(etcd, &prefix, false);
        assert_eq!((code, text.as_str()), (3, "free\n"));
        let mut holder = lock_cmd(etcd, &prefix, &["--ttl", "30s"]).spawn();
        let held = first_line(&mut holder);
        let waiter = lock_cmd(etcd, &prefix, &["--", "true"]).spawn();
        wait_for("the etcdpy waiter", Duration::from_secs(10), || {
            count(etcd, &keys) == 2
        });
        let _ctl = Etcdctl::lock(bin, etcd, &[&format!("{prefix}/L")]);
        wait_for("the etcdctl waiter", Duration::from_secs(10), || {
            count(etcd, &keys) == 3
        });
        // The notes are written a moment after the keys.
        let mut state: Option<StatusJson> = None;
        wait_for("the notes", Duration::from_secs(10), || {
            let (code, out) = status(etcd, &prefix, true);
            assert_eq!(code, 0, "{out}");
            let s: StatusJson = serde_json::from_str(&out).unwrap();
            let ready = s
                .holders
                .iter()
                .chain(&s.waiters)
                .filter(|e| e.pid.is_some())
                .count()
                == 2;
            state = Some(s);
            ready
        });
        let s = state.unwrap();
        assert_eq!(
            (s.lock.as_str(), s.limit, s.held),
            (&*format!("{prefix}/L"), 1, true)
        );
        assert_eq!(s.holders.len(), 1, "{s:?}");
        let h = &s.holders[0];
        assert_eq!(h.key, held);
        assert_eq!(h.pid, Some(holder.id()));
        assert!(h.ttl.is_some_and(|t| (1..=30).contains(&t)), "{s:?}");
        assert!(h.since.is_some() && h.host.is_some(), "{s:?}");
        assert_eq!(s.waiters.len(), 2, "{s:?}");
        assert_eq!(
            s.waiters[0].pid,
            Some(waiter.id()),
            "etcdpy's waiter first: {s:?}"
        );
        assert_eq!(s.waiters[1].pid, None, "etcdctl's waiter has no pid: {s:?}");
        assert!(s.waiters[0].revision < s.waiters[1].revision);
        let (code, text) = status(etcd, &prefix, false);
        assert_eq!(code, 0);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with(&format!("holder {held} revision ")),
            "{text}"
        );
        assert!(
            lines[0].contains(&format!(" pid {} since ", holder.id())),
            "{text}"
        );
        assert!(
            lines[1].starts_with("waiter ") && lines[1].contains(&format!(" pid {} ", waiter.id())),
            "{text}"
        );
        assert!(
            lines[2].starts_with("waiter ")
                && lines[2].ends_with("(no host/pid: etcdctl or another client)"),
            "{text}"
        );
        kill(&holder, libc::SIGTERM);
        assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        assert_eq!(finish(waiter, Duration::from_secs(10)).0, 0);
        // etcdctl, which got the lock last, releases it on SIGTERM.
        let mut ctl = _ctl;
        first_line(&mut ctl.0);
        kill(&ctl.0, libc::SIGTERM);
        wait_for("the lock to be free", Duration::from_secs(10), || {
            status(etcd, &prefix, false).0 == 3
        });
    });
}

#[test]
fn lock_break_stops_the_holder_and_hands_the_lock_on() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("break");
        let dir = tempfile::tempdir().unwrap();
        let (termed, started) = (dir.path().join("termed"), dir.path().join("started"));
        let none = etcdpy()
            .endpoint(etcd)
            .args(["lock", "break", "L", "--prefix", &prefix, "--force"])
            .run();
        expect(&none, 3);
        let script = format!(
            "trap 'echo term > {t}; exit 0' TERM; echo \"$ETCDPY_LOCK_KEY\"; while :; do sleep 0.1; done",
            t = termed.display()
        );
        let mut holder = lock_cmd(etcd, &prefix, &[]).args(sh(&script)).spawn();
        let held = first_line(&mut holder);
        let waiter = lock_cmd(etcd, &prefix, &[])
            .args(sh(&format!("touch {}", started.display())))
            .spawn();
        wait_for("the waiter", Duration::from_secs(10), || {
            count(etcd, &keys) == 2
        });
        let unforced = etcdpy()
            .endpoint(etcd)
            .args(["lock", "break", "L", "--prefix", &prefix])
            .run();
        expect(&unforced, 2);
        assert!(
            unforced.stderr.contains("give --force"),
            "{}",
            unforced.stderr
        );
        let broke = etcdpy()
            .endpoint(etcd)
            .args(["lock", "break", "L", "--prefix", &prefix, "--force"])
            .run();
        let at = Instant::now();
        expect(&broke, 0);
        assert!(
            broke.out().starts_with(&format!("broke {held} revision ")),
            "{}",
            broke.out()
        );
        wait_for("the waiter's CMD", Duration::from_secs(5), || {
            started.exists()
        });
        let took = at.elapsed();
        assert!(
            took < Duration::from_secs(1),
            "the next waiter started {took:?} after the break"
        );
        let (code, stderr) = finish(holder, Duration::from_secs(15));
        assert_eq!(code, 6, "{stderr}");
        assert!(stderr.contains("lost lock"), "{stderr}");
        assert_eq!(read(&termed).trim(), "term");
        assert_eq!(finish(waiter, Duration::from_secs(10)).0, 0);
    });
}

#[test]
fn a_lock_named_status_is_taken_with_an_option_first() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("named-status");
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "lock",
                "--prefix",
                &prefix,
                "status",
                "--",
                "sh",
                "-c",
                "echo $ETCDPY_LOCK_KEY",
            ])
            .run();
        expect(&run, 0);
        assert!(
            run.out().starts_with(&format!("{prefix}/status/")),
            "{}",
            run.out()
        );
    });
}

#[test]
fn lock_break_of_a_semaphore_needs_the_holder_key() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("break-sem");
        let script = "echo \"$ETCDPY_LOCK_KEY\"; while sleep 0.1; do :; done";
        let args = ["--limit", "2"];
        let mut a = lock_cmd(etcd, &prefix, &args).args(sh(script)).spawn();
        let mut b = lock_cmd(etcd, &prefix, &args).args(sh(script)).spawn();
        let (ka, _kb) = (first_line(&mut a), first_line(&mut b));
        let brk = |extra: &[&str]| {
            etcdpy()
                .endpoint(etcd)
                .args(["lock", "break", "L", "--prefix", &prefix, "--force"])
                .args(extra)
                .run()
        };
        let which = brk(&[]);
        expect(&which, 2);
        assert!(which.stderr.contains("has 2 holders"), "{}", which.stderr);
        let broke = brk(&["--holder", &ka]);
        expect(&broke, 0);
        assert!(
            broke.out().starts_with(&format!("broke {ka} revision ")),
            "{}",
            broke.out()
        );
        let (code, stderr) = finish(a, Duration::from_secs(15));
        assert_eq!(code, 6, "{stderr}");
        kill(&b, libc::SIGTERM);
        assert_eq!(finish(b, Duration::from_secs(10)).0, 143);
    });
}

/// On a terminal `lock break` asks first: any answer but yes leaves the holder alone (exit 4,
/// still held); `y` breaks it and the holder exits 6. (Before: "no" was a usage error, exit 2,
/// followed by clap's usage text.)
#[test]
fn lock_break_on_a_terminal_asks_and_a_no_leaves_the_lock_held() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("break-tty");
        let mut holder = lock_cmd(etcd, &prefix, &[])
            .args(sh("echo \"$ETCDPY_LOCK_KEY\"; while :; do sleep 0.1; done"))
            .spawn();
        let held = first_line(&mut holder);
        let on_terminal = |answer: &str| {
            let line = format!(
                "{} --endpoints {} lock break L --prefix {prefix}",
                env!("CARGO_BIN_EXE_etcdpy"),
                etcd.endpoint()
            );
            let mut child = pty_to_type_into(&line);
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(answer.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            )
        };
        let (code, shown) = on_terminal("n\n");
        assert_eq!(code, Some(4), "{shown}");
        assert!(
            shown.contains(&format!("break lock {prefix}/L held by ")),
            "{shown}"
        );
        assert!(
            shown.contains(&held) && shown.contains("? [y/N]"),
            "{shown}"
        );
        assert!(shown.contains("not broken: not confirmed"), "{shown}");
        assert!(!shown.contains("Usage:"), "{shown}");
        assert_eq!(status(etcd, &prefix, false).0, 0, "still held");
        let (code, shown) = on_terminal("y\n");
        assert_eq!(code, Some(0), "{shown}");
        assert!(
            shown.contains(&format!("broke {held} revision ")),
            "{shown}"
        );
        let (code, stderr) = finish(holder, Duration::from_secs(15));
        assert_eq!(code, 6, "{stderr}");
    });
}

#[test]
fn allow_empty_makes_a_free_lock_no_failure() {
    // Before: lock status of a free lock exited 3, and a script under set -e had only `|| true`.
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("status-empty");
        let lock = |args: &[&str]| {
            etcdpy()
                .endpoint(etcd)
                .arg("lock")
                .args(args)
                .args(["L", "--prefix", &prefix])
                .run()
        };
        let free = lock(&["status"]);
        expect(&free, 3);
        let allowed = lock(&["status", "--allow-empty"]);
        expect(&allowed, 0);
        assert_eq!(allowed.stdout, free.stdout, "the same report");
        expect(&lock(&["break", "--force"]), 3);
        let run = lock(&["break", "--force", "--allow-empty"]);
        expect(&run, 0);
        assert!(run.stdout.is_empty() && run.stderr.is_empty(), "{run:?}");
    });
}
