//! `members` and `leader` against a real 3-member cluster: agreement with
//! what etcd itself reports, a new leader after a kill, no leader without
//! quorum, nobody home, and writes across a leader kill.

use crate::support::cluster::Cluster;
use crate::support::harness::{etcdpy, for_each_etcd};
use crate::support::util::expect;
use std::process::Command;
use std::time::{Duration, Instant};

fn etcdctl(cluster: &Cluster, endpoint: &str, args: &[&str]) -> std::process::Output {
    Command::new(&cluster.etcdctl)
        .args(["--endpoints", endpoint])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn members_and_leader_agree_with_etcd() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let endpoints = cluster.endpoints();
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "members", "-o", "json"])
            .run();
        expect(&run, 0);
        let rows: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 3);

        // etcdctl's own view of the members (decimal IDs) and of their status.
        let list = etcdctl(
            &cluster,
            &cluster.members[0].endpoint(),
            &["member", "list", "-w", "json"],
        );
        let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
        for member in list["members"].as_array().unwrap() {
            let id = format!("{:x}", member["ID"].as_u64().unwrap());
            let row = rows
                .iter()
                .find(|r| r["id"] == id.as_str())
                .unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(row["name"], member["name"]);
            assert_eq!(row["client_urls"], member["clientURLs"]);
            assert_eq!(row["peer_urls"], member["peerURLs"]);
            assert_eq!(row["reachable"], true);
            assert_eq!(row["version"].as_str().unwrap(), bin.version);
        }
        let leader = cluster.leader().expect("the cluster has a leader");
        let leader_name = &cluster.members[leader].name;
        let leaders: Vec<&serde_json::Value> =
            rows.iter().filter(|r| r["leader"] == true).collect();
        assert_eq!(leaders.len(), 1);
        assert_eq!(leaders[0]["name"].as_str().unwrap(), leader_name);

        let run = etcdpy().args(["--endpoints", &endpoints, "leader"]).run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{leader_name} {}\n", cluster.members[leader].endpoint())
        );
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "leader", "--all", "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(
            (doc["members"].as_u64(), doc["answering"].as_u64()),
            (Some(3), Some(3))
        );

        // Human table: a header and one line per member.
        let run = etcdpy().args(["--endpoints", &endpoints, "members"]).run();
        let text = run.out();
        assert!(text.starts_with("ID"), "{text}");
        assert_eq!(
            text.lines().filter(|l| l.contains(" up ")).count(),
            3,
            "{text}"
        );
        assert_eq!(
            text.lines().filter(|l| l.contains(" leader ")).count(),
            1,
            "{text}"
        );
    });
}

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

#[test]
fn no_acknowledged_write_is_lost_across_a_leader_kill() {
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().unwrap();
        // The leader first, so that the kill hits the endpoint in use.
        let endpoints = cluster.endpoints_from(leader);
        let mut acknowledged = Vec::new();
        let mut failed = 0;
        for i in 0..60 {
            if i == 20 {
                cluster.members[leader].kill();
            }
            let run = etcdpy()
                .args([
                    "--endpoints",
                    &endpoints,
                    "set",
                    &format!("/w/{i:03}"),
                    &i.to_string(),
                ])
                .run();
            match run.code {
                0 => acknowledged.push(i),
                // Refused during the election, and said so.
                5 | 7 | 9 => {
                    eprintln!("write {i} refused: {}", run.stderr.trim());
                    failed += 1
                }
                other => panic!("unexpected exit {other}: {run:?}"),
            }
        }
        assert!(
            acknowledged.len() >= 50,
            "only {} of 60 writes acknowledged",
            acknowledged.len()
        );
        let live = cluster
            .members
            .iter()
            .find(|m| m.is_alive())
            .unwrap()
            .endpoint();
        let out = etcdctl(&cluster, &live, &["get", "/w/", "--prefix", "--keys-only"]);
        let stored: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        for i in &acknowledged {
            assert!(
                stored.contains(&format!("/w/{i:03}")),
                "acknowledged write {i} lost"
            );
        }
        eprintln!(
            "etcd {}: {} writes acknowledged, {failed} refused during the election",
            bin.version,
            acknowledged.len()
        );
    });
}

#[test]
fn dead_first_endpoint_is_skipped_in_a_cluster() {
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        // A follower first: killing the leader is an election, which
        // no_acknowledged_write_is_lost_across_a_leader_kill covers.
        let leader = cluster.leader().unwrap();
        let dead = (0..3).find(|i| *i != leader).unwrap();
        cluster.members[dead].kill();
        let endpoints = cluster.endpoints_from(dead);
        expect(
            &etcdpy()
                .args(["--endpoints", &endpoints, "set", "/d/k", "v"])
                .run(),
            0,
        );
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "get", "/d/k"])
            .run();
        expect(&run, 0);
        assert_eq!(run.stdout, b"v\n");
    });
}

#[test]
fn discover_moves_a_watch_to_a_member_not_named() {
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        let first = cluster.members[0].endpoint();
        let other = cluster.members[1].endpoint();
        let mut child = etcdpy()
            .args([
                "--endpoints",
                &first,
                "--discover",
                "watch",
                "/disc/k",
                "-f",
                "-n",
                "2",
                "-o",
                "json",
            ])
            .spawn();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                let _ = tx.send(line);
            }
        });
        std::thread::sleep(Duration::from_millis(800));
        assert!(
            etcdctl(&cluster, &other, &["put", "/disc/k", "one"])
                .status
                .success()
        );
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("first event");
        assert!(line.contains("\"value\":\"one\""), "{line}");
        // The only member named on the command line dies; the watch goes on elsewhere.
        cluster.members[0].kill();
        std::thread::sleep(Duration::from_millis(300));
        let mut wrote = false;
        for _ in 0..40 {
            if etcdctl(&cluster, &other, &["put", "/disc/k", "two"])
                .status
                .success()
            {
                wrote = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        assert!(wrote, "the write after the kill failed");
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("second event after the kill");
        assert!(line.contains("\"value\":\"two\""), "{line}");
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0));
    });
}
