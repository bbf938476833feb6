//! `etcdpy lock --limit N`: at most N holders at once, in queue order, each
//! with its own fencing token and slot; a SIGKILLed holder's slot frees itself
//! within the TTL; holders that disagree on N (or a plain lock, etcdctl's) are
//! refused.

use crate::support::harness::{for_each_etcd, shared};
use crate::support::util::{count, expect};
use crate::support::{Etcdctl, finish, first_line, kill, lock_cmd, namespace, read, sh, wait_for};
use std::process::Child;
use std::time::{Duration, Instant};

#[test]
fn semaphore_admits_exactly_n_in_queue_order_with_increasing_tokens() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("sem-limit");
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let script = format!(
            "echo \"S $ETCDPY_LOCK_REV $ETCDPY_LOCK_SLOT\" >> {l}; sleep 1; \
             echo \"E $ETCDPY_LOCK_REV $ETCDPY_LOCK_SLOT\" >> {l}",
            l = log.display()
        );
        let children: Vec<Child> = (0..8)
            .map(|_| {
                lock_cmd(etcd, &prefix, &["--limit", "3"])
                    .args(sh(&script))
                    .spawn()
            })
            .collect();
        for child in children {
            let (code, stderr) = finish(child, Duration::from_secs(90));
            assert_eq!(code, 0, "{stderr}");
        }
        let text = read(&log);
        let (mut running, mut most) = (Vec::<(i64, String)>::new(), 0);
        let mut started = Vec::new();
        for line in text.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            let (token, slot) = (f[1].parse::<i64>().unwrap(), f[2].to_string());
            if f[0] == "S" {
                assert!(
                    !running.iter().any(|(_, s)| *s == slot),
                    "slot {slot} held twice at once:\n{text}"
                );
                assert!(["0", "1", "2"].contains(&slot.as_str()), "{text}");
                running.push((token, slot));
                started.push(token);
                most = most.max(running.len());
            } else {
                running.retain(|(t, _)| *t != token);
            }
        }
        assert_eq!(
            most, 3,
            "at most, and at some point exactly, 3 at once:\n{text}"
        );
        assert_eq!(started.len(), 8, "every CMD ran:\n{text}");
        let mut sorted = started.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 8, "every holder has its own token:\n{text}");
        // FIFO: the i-th to start is among the i+3 oldest waiters.
        for (i, token) in started.iter().enumerate() {
            let rank = sorted.iter().position(|t| t == token).unwrap();
            assert!(rank < i + 3, "holder {token} started out of turn:\n{text}");
        }
        assert_eq!(count(etcd, &keys), 0, "every key must be gone");
    });
}

#[test]
fn semaphore_slot_of_a_sigkilled_holder_frees_within_the_ttl() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("sem-sigkill");
        let args = ["--limit", "2", "--ttl", "2s"];
        let mut a = lock_cmd(etcd, &prefix, &args).spawn();
        let mut b = lock_cmd(etcd, &prefix, &args).spawn();
        let (ka, kb) = (first_line(&mut a), first_line(&mut b));
        assert_ne!(ka, kb);
        a.kill().unwrap();
        let killed = Instant::now();
        a.wait().unwrap();
        let run = lock_cmd(etcd, &prefix, &args)
            .args(sh("echo \"slot $ETCDPY_LOCK_SLOT\""))
            .run();
        expect(&run, 0);
        let took = killed.elapsed();
        assert!(
            took < Duration::from_secs(3),
            "the slot freed {took:?} after the kill (TTL 2s)"
        );
        kill(&b, libc::SIGTERM);
        let (code, stderr) = finish(b, Duration::from_secs(10));
        assert_eq!(code, 0, "{stderr}");
    });
}

#[test]
fn semaphore_refuses_holders_that_disagree_on_the_limit() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("sem-mismatch");
        let mut holder = lock_cmd(etcd, &prefix, &["--limit", "3"]).spawn();
        first_line(&mut holder);
        let other = lock_cmd(etcd, &prefix, &["--limit", "2", "--", "true"]).run();
        expect(&other, 2);
        assert!(
            other.stderr.contains("is used with --limit 3 by")
                && other.stderr.contains("refusing --limit 2"),
            "{}",
            other.stderr
        );
        let plain = lock_cmd(etcd, &prefix, &["--", "true"]).run();
        expect(&plain, 2);
        assert!(
            plain.stderr.contains("refusing --limit 1"),
            "{}",
            plain.stderr
        );
        kill(&holder, libc::SIGTERM);
        let (code, stderr) = finish(holder, Duration::from_secs(10));
        assert_eq!(code, 0, "{stderr}");
        wait_for("the keys to go", Duration::from_secs(5), || {
            count(etcd, &keys) == 0
        });
        // An etcdctl lock holder is a plain lock: a semaphore is refused.
        let mut ctl = Etcdctl::lock(bin, etcd, &[&format!("{prefix}/L")]);
        first_line(&mut ctl.0);
        let sem = lock_cmd(etcd, &prefix, &["--limit", "3", "--", "true"]).run();
        expect(&sem, 2);
        assert!(
            sem.stderr.contains("is used with --limit 1"),
            "{}",
            sem.stderr
        );
    });
}

#[test]
fn semaphore_timeout_and_try_once_leave_no_key_behind() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("sem-timeout");
        let args = ["--limit", "2"];
        let mut a = lock_cmd(etcd, &prefix, &args).spawn();
        let mut b = lock_cmd(etcd, &prefix, &args).spawn();
        first_line(&mut a);
        first_line(&mut b);
        let tried = lock_cmd(
            etcd,
            &prefix,
            &["--limit", "2", "--timeout", "0", "--", "true"],
        )
        .run();
        expect(&tried, 5);
        assert!(
            tried.stderr.contains("is held by ")
                && tried.stderr.contains(&format!("(key {prefix}/L/"))
                && tried.stderr.contains(") and 1 more; not waiting"),
            "{}",
            tried.stderr
        );
        assert_eq!(count(etcd, &keys), 2, "the try left its key behind");
        let waited = lock_cmd(
            etcd,
            &prefix,
            &["--limit", "2", "--timeout", "1s", "--", "true"],
        )
        .run();
        expect(&waited, 5);
        assert!(
            waited
                .stderr
                .contains("timed out after 1s waiting for lock"),
            "{}",
            waited.stderr
        );
        assert_eq!(count(etcd, &keys), 2, "the waiter left its key behind");
        for holder in [a, b] {
            kill(&holder, libc::SIGTERM);
            assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
        }
        assert_eq!(count(etcd, &keys), 0);
    });
}
