//! `etcdpy watch` when the way to etcd misbehaves: a watch started while the
//! cluster has no leader waits for one.

use crate::cluster::Cluster;
use crate::cmd_watch::{EventDoc, Lines, exit_code, stderr_of};
use crate::harness::{etcdpy, for_each_etcd, http};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::thread;
use std::time::{Duration, Instant};

/// Whether the member on `port` answers and knows of no leader.
fn leaderless(port: u16) -> bool {
    let Some((200, body)) = http(port, "POST", "/v3/maintenance/status", Some("{}")) else {
        return false;
    };
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    matches!(v["leader"].as_str(), None | Some("0"))
}

/// Put `key` = `value` through the member on `port`; whether it was applied.
fn put_at(port: u16, key: &str, value: &str) -> bool {
    let body = format!(
        r#"{{"key":"{}","value":"{}"}}"#,
        STANDARD.encode(key),
        STANDARD.encode(value)
    );
    matches!(
        http(port, "POST", "/v3/kv/put", Some(&body)),
        Some((200, _))
    )
}

#[test]
fn a_watch_started_during_an_election_waits_for_the_leader() {
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        cluster.members[1].kill();
        cluster.members[2].kill();
        let survivor = cluster.members[0].port;
        let deadline = Instant::now() + Duration::from_secs(15);
        while !leaderless(survivor) {
            assert!(Instant::now() < deadline, "{} still has a leader", survivor);
            thread::sleep(Duration::from_millis(100));
        }
        let key = "/election/k";
        // Still no leader at the command timeout: exit 9, a dead endpoint beside it or not.
        let began = Instant::now();
        let run = etcdpy()
            .args(["--command-timeout", "2s", "--endpoints"])
            .arg(format!(
                "{},{}",
                cluster.members[2].endpoint(),
                cluster.members[0].endpoint()
            ))
            .args(["watch", key])
            .run();
        let took = began.elapsed();
        assert_eq!(run.code, 9, "{run:?}");
        assert!(
            took >= Duration::from_millis(1500) && took < Duration::from_secs(5),
            "{took:?}"
        );
        let said = run.stderr.trim_end();
        assert!(
            said.starts_with("etcdpy: error: cannot start the watch (no leader for ")
                && said.contains(&format!("tried {} (", cluster.members[2].endpoint()))
                && said.contains(&format!(
                    "{} (etcdserver: no leader)",
                    cluster.members[0].endpoint()
                ))
                && !said.contains('\n'),
            "{said}"
        );
        eprintln!("etcd {}: exit 9 after {took:.1?}: {said}", cluster.version);
        let started = Instant::now();
        let mut child = etcdpy()
            .args(["--endpoints", &cluster.members[0].endpoint()])
            .args(["watch", key, "--timeout", "20s", "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut child);
        while started.elapsed() < Duration::from_secs(3) {
            if let Some(status) = child.try_wait().unwrap() {
                panic!(
                    "the watch ended before the cluster had a leader again: {status} after {:.2?}: {}",
                    started.elapsed(),
                    stderr_of(&mut child)
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
        cluster.members[1].restart();
        // The watch starts from "now" once a leader is back: write until it shows a change.
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut written = 0;
        let line = loop {
            if put_at(survivor, key, &format!("after{written}")) {
                written += 1;
            }
            if let Ok(line) = lines.0.recv_timeout(Duration::from_millis(300)) {
                break line;
            }
            assert!(
                Instant::now() < deadline,
                "no change shown ({written} written)"
            );
        };
        let event: EventDoc = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(
            (event.kind.as_str(), event.key.as_str()),
            ("PUT", key),
            "{line}"
        );
        assert!(
            event
                .value
                .as_deref()
                .unwrap_or_default()
                .starts_with("after")
        );
        assert_eq!(exit_code(&mut child, Duration::from_secs(10)), 0);
        eprintln!(
            "etcd {}: the watch started {:.1?} before its event",
            cluster.version,
            started.elapsed()
        );
    });
}
