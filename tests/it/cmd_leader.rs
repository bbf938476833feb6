//! `leader` on a real 3-member cluster: a new leader after a kill, no leader without quorum,
//! nobody home (moved from the cluster suite; `members` and `leader` agreeing with etcd is in
//! `cmd_members`).

use crate::support::cluster::Cluster;
use crate::support::harness::{etcdpy, for_each_etcd};
use crate::support::util::expect;
use std::time::{Duration, Instant};

#[test]
fn leader_kill_wait_quorum_loss_and_nobody_home() {
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        let endpoints = cluster.endpoints();
        let old = cluster.leader().unwrap();
        cluster.members[old].kill();
        let killed = Instant::now();

        // Right after the kill there may be no leader yet; --wait waits for the new one.
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "leader", "--wait", "20s"])
            .run();
        expect(&run, 0);
        let took = killed.elapsed();
        eprintln!(
            "etcd {}: `leader --wait` named the new leader {took:?} after the kill",
            bin.version
        );
        let new = cluster.leader().expect("a new leader");
        assert_ne!(new, old);
        assert_eq!(
            run.out(),
            format!(
                "{} {}\n",
                cluster.members[new].name,
                cluster.members[new].endpoint()
            )
        );

        // --all: one member does not answer.
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "leader", "--all"])
            .run();
        expect(&run, 9);
        assert!(run.stderr.contains(&cluster.members[old].name), "{run:?}");
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "members", "-o", "json"])
            .run();
        // The dead member is named in one line on stderr, exit 11.
        expect(&run, 11);
        assert!(
            run.stderr
                == format!(
                    "etcdpy: error: {} did not answer\n",
                    cluster.members[old].name
                ),
            "{run:?}"
        );
        let rows: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let down: Vec<_> = rows
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["reachable"] == false)
            .collect();
        assert_eq!(down.len(), 1);
        assert_eq!(down[0]["name"].as_str().unwrap(), cluster.members[old].name);

        // Two of three gone: no quorum, no leader.
        cluster.members[new].kill();
        let run = etcdpy().args(["--endpoints", &endpoints, "leader"]).run();
        expect(&run, 9);
        assert!(
            run.stderr.starts_with("etcdpy: error: no leader: "),
            "{run:?}"
        );
        let started = Instant::now();
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "leader", "--wait", "2s"])
            .run();
        expect(&run, 5);
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{:?}",
            started.elapsed()
        );

        // Nobody home.
        for m in &mut cluster.members {
            m.kill();
        }
        let run = etcdpy().args(["--endpoints", &endpoints, "leader"]).run();
        expect(&run, 7);
        assert!(run.stderr.contains("cannot reach the cluster"), "{run:?}");
    });
}
