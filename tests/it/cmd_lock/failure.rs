//! `etcdpy lock` when things fail around it: etcdpy SIGKILLed or stopped while
//! CMD runs (CMD's whole process group must be gone before the lease can
//! expire), a member frozen under a holder, CMD ending while etcdpy is
//! stopped, a waiter stopped past its TTL.

use crate::support::cluster::Cluster;
use crate::support::harness::{etcdpy, for_each_etcd, shared};
use crate::support::util::expect;
use crate::support::{finish, kill, lock_cmd, namespace, read, sh, wait_for};
use std::path::Path;
use std::process::Child;
use std::thread;
use std::time::{Duration, Instant};

/// The processes of group `pgid` that still run (zombies do not count: nothing
/// here reaps orphans).
fn running_in_group(pgid: i32) -> Vec<i32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or("", |(_, rest)| rest)
            .split_whitespace()
            .collect();
        // state, ppid, pgrp
        if fields.len() > 2 && fields[2] == pgid.to_string() && !matches!(fields[0], "Z" | "X") {
            pids.push(pid);
        }
    }
    pids
}

/// A shell script for the next holder's CMD: prints `running PID` for every
/// process of group `pgid` that still runs, and `marker` if `marker` exists.
fn overlap_check(pgid: &str, marker: &Path) -> String {
    format!(
        "for s in /proc/[0-9]*/stat; do read -r l < \"$s\" 2>/dev/null || continue; \
         set -- ${{l##*\\) }}; [ \"$3\" = {pgid} ] && [ \"$1\" != Z ] && echo \"running $s\"; done; \
         [ -e {m} ] && echo marker; true",
        m = marker.display()
    )
}

/// The command's first line written into `path` (`$$` of the shell: its group).
fn pgid_of(path: &Path) -> String {
    wait_for("the command's pid", Duration::from_secs(10), || {
        path.exists()
    });
    read(path).trim().to_string()
}

#[test]
fn lock_command_group_is_gone_before_the_next_holder_when_etcdpy_is_sigkilled() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let dir = tempfile::tempdir().unwrap();
        // The reproduction, and the same with SIGTERM ignored by every process.
        let cases: Vec<(String, std::path::PathBuf, std::path::PathBuf, Child)> =
            ["", "trap '' TERM; "]
                .iter()
                .enumerate()
                .map(|(i, trap)| {
                    let (prefix, _) = namespace("lock-sigkill-group");
                    let marker = dir.path().join(format!("marker{i}"));
                    let pid = dir.path().join(format!("pid{i}"));
                    let script = format!(
                        "{trap}echo $$ > {p}.tmp; mv {p}.tmp {p}; (sleep 6; touch {x}); true",
                        p = pid.display(),
                        x = marker.display()
                    );
                    let holder = lock_cmd(etcd, &prefix, &["--ttl", "3s"])
                        .args(sh(&script))
                        .spawn();
                    (prefix, marker, pid, holder)
                })
                .collect();
        let pgids: Vec<String> = cases.iter().map(|c| pgid_of(&c.2)).collect();
        // Let the subshell and its sleep start.
        thread::sleep(Duration::from_millis(300));
        for (_, _, _, holder) in &cases {
            kill(holder, libc::SIGKILL);
        }
        let killed = Instant::now();
        for ((prefix, marker, _, mut holder), pgid) in cases.into_iter().zip(&pgids) {
            holder.wait().unwrap();
            let next = lock_cmd(etcd, &prefix, &["--ttl", "3s"])
                .args(sh(&overlap_check(pgid, &marker)))
                .run();
            expect(&next, 0);
            assert_eq!(
                next.out(),
                "",
                "the killed holder's command still ran when the next holder got the lock, {:?} after the kill",
                killed.elapsed()
            );
        }
        for pgid in &pgids {
            let pgid: i32 = pgid.parse().unwrap();
            wait_for(
                "the killed holder's command group to end",
                Duration::from_secs(2).saturating_sub(killed.elapsed()),
                || running_in_group(pgid).is_empty(),
            );
        }
        // The subshell would have touched its marker 6 s after it started.
        thread::sleep(Duration::from_secs(7).saturating_sub(killed.elapsed()));
        for i in 0..2 {
            let marker = dir.path().join(format!("marker{i}"));
            assert!(!marker.exists(), "case {i}: the command's work went on");
        }
    });
}

#[test]
fn lock_command_group_is_gone_before_the_lease_can_expire_while_etcdpy_is_stopped() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-stopped-holder");
        let dir = tempfile::tempdir().unwrap();
        let pid = dir.path().join("pid");
        let marker = dir.path().join("marker");
        let script = format!(
            "trap '' TERM; echo $$ > {p}.tmp; mv {p}.tmp {p}; sleep 5; touch {x}",
            p = pid.display(),
            x = marker.display()
        );
        let holder = lock_cmd(etcd, &prefix, &["--ttl", "3s"])
            .args(sh(&script))
            .spawn();
        let pgid = pgid_of(&pid);
        kill(&holder, libc::SIGSTOP);
        let stopped = Instant::now();
        let next = lock_cmd(etcd, &prefix, &["--ttl", "3s"])
            .args(sh(&overlap_check(&pgid, &marker)))
            .run();
        expect(&next, 0);
        assert_eq!(
            next.out(),
            "",
            "the stopped holder's command still ran when the next holder got the lock, {:?} after the stop",
            stopped.elapsed()
        );
        kill(&holder, libc::SIGCONT);
        let (code, stderr) = finish(holder, Duration::from_secs(10));
        assert_eq!(code, 6, "{stderr}");
        assert!(stderr.contains("lost lock"), "{stderr}");
        thread::sleep(Duration::from_secs(6).saturating_sub(stopped.elapsed()));
        assert!(!marker.exists(), "the command's work went on");
        assert_eq!(crate::support::util::count(etcd, &keys), 0);
    });
}

#[test]
fn lock_kill_after_longer_than_the_ttl_allows_is_shortened_with_a_warning() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, _) = namespace("lock-kill-after");
        let run = lock_cmd(etcd, &prefix, &["--ttl", "4s", "--kill-after", "10s"])
            .args(sh("true"))
            .run();
        expect(&run, 0);
        assert_eq!(
            run.stderr.trim_end(),
            "etcdpy: warning: --kill-after 10s is longer than a quarter of --ttl 4s; \
             using 1s, so that CMD is killed before the lease can expire",
            "{run:?}"
        );
        // The default (5s) is shortened silently.
        let run = lock_cmd(etcd, &prefix, &["--ttl", "2s"])
            .args(sh("true"))
            .run();
        expect(&run, 0);
        assert_eq!(run.stderr, "");
    });
}

/// Thaws a frozen member when dropped (also when the test fails).
struct Thaw<'a>(&'a crate::support::cluster::Member);

impl Drop for Thaw<'_> {
    fn drop(&mut self) {
        self.0.thaw();
    }
}

/// Once every holder's CMD has started (its `ready` file exists), member `frozen` is frozen for
/// 6 s: every holder must still end with its CMD's exit 0. `what(i, since the freeze)` names
/// holder `i` in a failure.
#[track_caller]
fn ride_out_a_freeze(
    cluster: &Cluster,
    frozen: usize,
    holders: Vec<(Child, std::path::PathBuf)>,
    what: impl Fn(usize, Duration) -> String,
) {
    for (_, ready) in &holders {
        wait_for("the holder's command", Duration::from_secs(15), || {
            ready.exists()
        });
    }
    let started = Instant::now();
    cluster.members[frozen].freeze();
    let thaw = Thaw(&cluster.members[frozen]);
    thread::sleep(Duration::from_secs(6));
    drop(thaw);
    for (i, (holder, _)) in holders.into_iter().enumerate() {
        let (code, stderr) = finish(holder, Duration::from_secs(20));
        assert_eq!(
            code,
            0,
            "{} after the freeze: {stderr}",
            what(i, started.elapsed())
        );
    }
}

#[test]
fn lock_keeps_its_lease_when_the_member_it_talks_to_freezes() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let followers: Vec<usize> = (0..3).filter(|&i| i != leader).collect();
        let (frozen, other) = (followers[0], followers[1]);
        let dir = tempfile::tempdir().unwrap();
        let endpoint = |i: usize| cluster.members[i].endpoint();
        // The frozen follower first, then the leader or the other follower.
        let orders = [[frozen, leader, other], [frozen, other, leader]];
        let holders: Vec<(Child, std::path::PathBuf)> = orders
            .iter()
            .enumerate()
            .map(|(i, order)| {
                let ready = dir.path().join(format!("ready{i}"));
                let list: Vec<String> = order.iter().map(|&m| endpoint(m)).collect();
                let holder = etcdpy()
                    .arg("--endpoints")
                    .arg(list.join(","))
                    .args(["lock", &format!("fz{i}"), "--ttl", "3s"])
                    .args(sh(&format!("touch {}; sleep 9", ready.display())))
                    .spawn();
                (holder, ready)
            })
            .collect();
        ride_out_a_freeze(&cluster, frozen, holders, |i, after| {
            format!("endpoint order {i}: {after:?}")
        });
    });
}

#[test]
fn lock_exits_with_the_command_status_when_it_ended_while_etcdpy_was_stopped() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let (prefix, keys) = namespace("lock-ended-stopped");
        let dir = tempfile::tempdir().unwrap();
        let started = dir.path().join("started");
        let holder = lock_cmd(etcd, &prefix, &["--ttl", "3s"])
            .args(sh(&format!(
                "touch {}; sleep 0.3; exit 3",
                started.display()
            )))
            .spawn();
        wait_for("the command", Duration::from_secs(10), || started.exists());
        kill(&holder, libc::SIGSTOP);
        thread::sleep(Duration::from_secs(5));
        kill(&holder, libc::SIGCONT);
        let (code, stderr) = finish(holder, Duration::from_secs(10));
        assert_eq!(code, 3, "{stderr}");
        assert_eq!(stderr, "");
        assert_eq!(crate::support::util::count(etcd, &keys), 0);
    });
}

#[test]
fn lock_waiter_stopped_past_its_ttl_queues_again() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        // Released at once after SIGCONT, or a moment later; and with a
        // --timeout that ran out while the waiter was stopped.
        for (release_after, timeout) in [(0, None), (800, None), (0, Some("3s"))] {
            let (prefix, keys) = namespace("lock-stopped-waiter");
            let mut holder = lock_cmd(etcd, &prefix, &[]).spawn();
            crate::support::first_line(&mut holder);
            let mut extra = vec!["--ttl", "2s"];
            if let Some(t) = timeout {
                extra.extend(["--timeout", t]);
            }
            let waiter = lock_cmd(etcd, &prefix, &extra).args(sh("echo ran")).spawn();
            wait_for("the waiter key", Duration::from_secs(10), || {
                crate::support::util::count(etcd, &keys) == 2
            });
            kill(&waiter, libc::SIGSTOP);
            thread::sleep(Duration::from_secs(4));
            kill(&waiter, libc::SIGCONT);
            thread::sleep(Duration::from_millis(release_after));
            kill(&holder, libc::SIGTERM);
            assert_eq!(finish(holder, Duration::from_secs(10)).0, 0);
            let mut waiter = waiter;
            let out = waiter.stdout.take();
            let (code, stderr) = finish(waiter, Duration::from_secs(15));
            let mut text = String::new();
            if let Some(mut out) = out {
                std::io::Read::read_to_string(&mut out, &mut text).unwrap();
            }
            let what = format!("released {release_after} ms after SIGCONT, --timeout {timeout:?}");
            if timeout.is_some() {
                assert_eq!(code, 5, "{what}: {stderr}");
                assert!(stderr.contains("timed out"), "{what}: {stderr}");
            } else {
                assert_eq!(code, 0, "{what}: {stderr}");
                assert_eq!(text, "ran\n", "{what}");
            }
            assert_eq!(crate::support::util::count(etcd, &keys), 0, "{what}");
        }
    });
}

#[test]
fn v2_lock_keeps_its_key_when_the_member_it_talks_to_freezes() {
    crate::support::harness::for_each_etcd_v2(|bin| {
        let cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let followers: Vec<usize> = (0..3).filter(|&i| i != leader).collect();
        let (frozen, other) = (followers[0], followers[1]);
        let dir = tempfile::tempdir().unwrap();
        let endpoint = |i: usize| cluster.members[i].endpoint();
        // The frozen follower first, then the leader or the other follower; and with a
        // command timeout shorter than the TTL.
        let cases: [([usize; 3], &[&str]); 3] = [
            ([frozen, leader, other], &[]),
            ([frozen, other, leader], &[]),
            ([frozen, leader, other], &["--command-timeout", "1s"]),
        ];
        let holders: Vec<(Child, std::path::PathBuf)> = cases
            .iter()
            .enumerate()
            .map(|(i, (order, extra))| {
                let ready = dir.path().join(format!("ready{i}"));
                let list: Vec<String> = order.iter().map(|&m| endpoint(m)).collect();
                let holder = etcdpy()
                    .args(["--api", "v2", "--endpoints"])
                    .arg(list.join(","))
                    .args(*extra)
                    .args(["lock", &format!("v2fz{i}"), "--ttl", "4s"])
                    .args(sh(&format!("touch {}; sleep 9", ready.display())))
                    .spawn();
                (holder, ready)
            })
            .collect();
        ride_out_a_freeze(&cluster, frozen, holders, |i, after| {
            format!("etcd {}, case {i}: {after:.1?}", cluster.version)
        });
    });
}
