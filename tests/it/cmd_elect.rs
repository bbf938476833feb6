//! `etcdpy elect`: one leader among candidates, failover when the leader's
//! etcdpy is stopped, `--leader`, `--observe`, and interoperation with
//! `etcdctl elect` in both directions.

use crate::support::harness::{Etcd, EtcdBin, etcdpy, for_each_etcd, shared, unique};
use crate::support::util::{count, expect};
use crate::support::{finish, first_line, kill, sh, wait_for};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

fn elect(etcd: &Etcd, name: &str, extra: &[&str]) -> crate::support::harness::EtcdpyCmd {
    etcdpy().endpoint(etcd).args(["elect", name]).args(extra)
}

/// `etcdctl elect ARGS` in the background.
fn etcdctl_elect(bin: &EtcdBin, etcd: &Etcd, args: &[&str]) -> Child {
    Command::new(&bin.etcdctl)
        .arg(format!("--endpoints={}", etcd.endpoint()))
        .arg("elect")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run etcdctl elect")
}

/// Every line `child` prints on stdout, as it prints it.
fn lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

fn next(rx: &mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(20))
        .expect("no line within 20 s")
}

fn wait_file(path: &Path, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if path.exists() {
            return true;
        }
        thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn elect_runs_one_leader_and_fails_over_when_it_is_stopped() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("elect-two");
        let dir = tempfile::tempdir().unwrap();
        let started = |who: &str| dir.path().join(who);
        let candidate = |who: &str| {
            let script = format!(
                "touch {}; while sleep 0.1; do :; done",
                started(who).display()
            );
            elect(etcd, &name, &["--value", who])
                .args(sh(&script))
                .spawn()
        };
        let (a, b) = (candidate("a"), candidate("b"));
        let limit = Duration::from_secs(15);
        let start = Instant::now();
        while !(started("a").exists() || started("b").exists()) {
            assert!(start.elapsed() < limit, "no candidate's CMD started");
            thread::sleep(Duration::from_millis(10));
        }
        thread::sleep(Duration::from_secs(1));
        assert!(
            !(started("a").exists() && started("b").exists()),
            "both CMDs ran"
        );
        let (leader, other, follower) = match started("a").exists() {
            true => (a, "b", b),
            false => (b, "a", a),
        };
        let leads = elect(etcd, &name, &["--leader"]).run();
        expect(&leads, 0);
        let value = if other == "a" { "b" } else { "a" };
        assert_eq!(leads.out(), format!("{value}\n"));
        kill(&leader, libc::SIGTERM);
        let killed = Instant::now();
        assert!(
            wait_file(&started(other), Duration::from_secs(10)),
            "no failover"
        );
        let took = killed.elapsed();
        assert!(
            took < Duration::from_secs(2),
            "the other's CMD started {took:?} after SIGTERM"
        );
        // CMD got the SIGTERM; its status is passed through.
        assert_eq!(finish(leader, Duration::from_secs(10)).0, 143);
        kill(&follower, libc::SIGTERM);
        assert_eq!(finish(follower, Duration::from_secs(10)).0, 143);
        expect(&elect(etcd, &name, &["--leader"]).run(), 3);
    });
}

#[test]
fn elect_and_etcdctl_elect_see_each_others_leaders() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("elect-ctl");
        // etcdpy leads: etcdctl elect -l (observe) shows its key and value.
        let mut ours = elect(etcd, &name, &["--value", "alpha"]).spawn();
        let key = first_line(&mut ours);
        assert!(key.starts_with(&format!("{name}/")), "{key}");
        let mut observer = etcdctl_elect(bin, etcd, &["-l", &name]);
        let seen = lines(&mut observer);
        assert_eq!(
            (next(&seen), next(&seen)),
            (key.clone(), "alpha".to_string())
        );
        let _ = observer.kill();
        let _ = observer.wait();
        kill(&ours, libc::SIGTERM);
        assert_eq!(finish(ours, Duration::from_secs(10)).0, 0);
        // etcdctl leads: etcdpy --leader prints its value; etcdpy waits behind it.
        let mut theirs = etcdctl_elect(bin, etcd, &[&name, "beta"]);
        let told = lines(&mut theirs);
        assert!(next(&told).starts_with(&format!("{name}/")));
        let leads = elect(etcd, &name, &["--leader"]).run();
        expect(&leads, 0);
        assert_eq!(leads.out(), "beta\n");
        let tried = elect(etcd, &name, &["--timeout", "0", "--", "true"]).run();
        expect(&tried, 5);
        kill(&theirs, libc::SIGTERM);
        let _ = theirs.wait();
        expect(&elect(etcd, &name, &["--leader"]).run(), 3);
    });
}

#[test]
fn elect_observe_sees_every_change_in_order() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("elect-observe");
        let mut first = elect(etcd, &name, &["--value", "one"]).spawn();
        first_line(&mut first);
        let mut observer = elect(etcd, &name, &["--observe", "-o", "json"]).spawn();
        let seen = lines(&mut observer);
        let value = |line: String| {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            v["value"].as_str().unwrap().to_string()
        };
        assert_eq!(value(next(&seen)), "one");
        let second = elect(etcd, &name, &["--value", "two"]).spawn();
        let dir = format!("{name}/");
        wait_for("the second candidate", Duration::from_secs(10), || {
            count(etcd, &dir) == 2
        });
        let third = etcdctl_elect(bin, etcd, &[&name, "three"]);
        wait_for("the third candidate", Duration::from_secs(10), || {
            count(etcd, &dir) == 3
        });
        // "two" resigns as soon as it leads: it leads only for a moment, and is seen.
        kill(&first, libc::SIGTERM);
        assert_eq!(finish(first, Duration::from_secs(10)).0, 0);
        kill(&second, libc::SIGTERM);
        assert_eq!(value(next(&seen)), "two");
        assert_eq!(value(next(&seen)), "three");
        finish(second, Duration::from_secs(10));
        let mut third = third;
        kill(&third, libc::SIGTERM);
        let _ = third.wait();
        let _ = observer.kill();
        let _ = observer.wait();
    });
}

#[test]
fn elect_stops_cmd_and_exits_6_when_leadership_is_lost() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("elect-lost");
        let dir = tempfile::tempdir().unwrap();
        let keyfile = dir.path().join("key");
        let script = format!(
            "echo \"$ETCDPY_LOCK_KEY\" > {k}.tmp; mv {k}.tmp {k}; while sleep 0.1; do :; done",
            k = keyfile.display()
        );
        let leader = elect(etcd, &name, &[]).args(sh(&script)).spawn();
        assert!(
            wait_file(&keyfile, Duration::from_secs(15)),
            "CMD never started"
        );
        let key = std::fs::read_to_string(&keyfile).unwrap();
        // Resigned from outside: the leader key deleted.
        expect(&etcdpy().endpoint(etcd).args(["rm", key.trim()]).run(), 0);
        let (code, stderr) = finish(leader, Duration::from_secs(15));
        assert_eq!(code, 6, "{stderr}");
        assert!(
            stderr.contains(&format!("lost election {name}: its key")),
            "{stderr}"
        );
    });
}

#[test]
fn elect_waiting_on_a_terminal_says_who_leads() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("elect-tty");
        let mut leader = elect(etcd, &name, &["--value", "alpha"]).spawn();
        let key = first_line(&mut leader);
        // The candidate runs on a pseudo-terminal made by util-linux `script`.
        let line = format!(
            "{} --endpoints {} elect {name} -- sh -c 'echo in-cmd'",
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let waiter = thread::spawn(move || {
            crate::support::pty::pty(&line)
                .stdin(Stdio::null())
                .output()
                .expect("util-linux `script` is needed for the terminal tests")
        });
        thread::sleep(Duration::from_millis(1800));
        kill(&leader, libc::SIGTERM);
        assert_eq!(finish(leader, Duration::from_secs(10)).0, 0);
        let out = waiter.join().unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{shown}");
        let expected =
            format!("etcdpy: waiting for election {name}: led by alpha ({key}) for at least ");
        assert!(shown.contains(&expected), "{shown:?}");
        assert!(shown.contains("\r\x1b[Kin-cmd"), "{shown:?}");
    });
}

/// Issue 28: many observers of one election each print every leader, in order, while the
/// leader changes again and again (each observer keeps the queue from its watch's events).
#[test]
fn many_observers_each_see_every_leader() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("elect-many");
        let mut first = elect(etcd, &name, &["--value", "v0"]).spawn();
        first_line(&mut first);
        let mut observers: Vec<_> = (0..20)
            .map(|_| elect(etcd, &name, &["--observe"]).spawn())
            .collect();
        let seen: Vec<_> = observers.iter_mut().map(lines).collect();
        // Every observer is watching once it has printed the first leader.
        for rx in &seen {
            assert_eq!(next(rx), "v0");
        }
        kill(&first, libc::SIGTERM);
        assert_eq!(finish(first, Duration::from_secs(10)).0, 0);
        for n in 1..=5 {
            let value = format!("v{n}");
            expect(
                &elect(etcd, &name, &["--value", &value, "--", "true"]).run(),
                0,
            );
        }
        for (i, rx) in seen.iter().enumerate() {
            let got: Vec<String> = (1..=5).map(|_| next(rx)).collect();
            assert_eq!(got, ["v1", "v2", "v3", "v4", "v5"], "observer {i}");
        }
        for mut observer in observers {
            let _ = observer.kill();
            let _ = observer.wait();
        }
    });
}
