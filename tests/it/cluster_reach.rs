//! `leader` and `members` where the members cannot be reached at the client URLs they
//! advertise (NAT, a reverse proxy, Kubernetes): the configured endpoints answer for them.
//! And with one member frozen (SIGSTOP): both answer within a few seconds, naming it.

use crate::support::cluster::Cluster;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, http};
use crate::support::proxy::Proxy;
use crate::support::util::expect;
use std::process::Command;
use std::time::{Duration, Instant};

/// With default settings (dial timeout 2 s, command timeout 15 s), a frozen member may cost
/// one probe timeout: 5 s leaves room for a loaded machine.
const FROZEN_BOUND: Duration = Duration::from_secs(5);

fn rows(run: &crate::support::harness::Run) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|e| panic!("members -o json: {e}\n{run:?}"));
    doc.as_array().expect("an array").clone()
}

fn row<'a>(rows: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    rows.iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} missing from {rows:?}"))
}

#[test]
fn a_single_member_advertising_an_unreachable_url_is_found_through_the_endpoint() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start_with(bin, &["--advertise-client-urls", "http://127.0.0.1:9"]);
        let run = etcdpy().endpoint(&etcd).arg("leader").run();
        expect(&run, 0);
        assert_eq!(run.out(), format!("{} http://127.0.0.1:9\n", etcd.name()));

        let run = etcdpy()
            .endpoint(&etcd)
            .args(["members", "-o", "json"])
            .run();
        expect(&run, 0);
        let rows = rows(&run);
        assert_eq!(rows.len(), 1, "{rows:?}");
        let m = &rows[0];
        assert_eq!(m["client_urls"], serde_json::json!(["http://127.0.0.1:9"]));
        assert_eq!(
            (&m["reachable"], &m["leader"], &m["role"], &m["error"]),
            (
                &serde_json::json!(true),
                &serde_json::json!(true),
                &serde_json::json!("leader"),
                &serde_json::Value::Null
            ),
            "{m}"
        );
        assert_eq!(m["version"].as_str(), Some(bin.version.as_str()));

        let run = etcdpy().endpoint(&etcd).arg("members").run();
        expect(&run, 0);
        let text = run.out();
        let line = text.lines().nth(1).unwrap_or_default();
        assert!(line.contains(" leader ") && line.contains(" up "), "{text}");
        assert_eq!(
            text.lines().count(),
            2,
            "no complaint about the member: {text}"
        );
    });
}

#[test]
fn a_cluster_behind_nginx_advertising_unreachable_urls() {
    for_each_etcd(|bin| {
        // Loopback addresses where nothing listens: the URLs the members advertise lead nowhere.
        let cluster = Cluster::start_advertising(
            bin,
            &[
                "http://127.0.0.2:9",
                "http://127.0.0.3:9",
                "http://127.0.0.4:9",
            ],
        );
        let routes: Vec<(String, u16)> = cluster
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| (format!("m{i}"), m.port))
            .collect();
        let routes: Vec<(&str, u16)> = routes.iter().map(|(n, p)| (n.as_str(), *p)).collect();
        let proxy = Proxy::start_routes(&routes);
        let ca = proxy.ca().display().to_string();
        let via = |members: &[usize]| {
            let urls: Vec<String> = members
                .iter()
                .map(|i| proxy.url_of(&format!("m{i}")))
                .collect();
            etcdpy().args(["--endpoints", &urls.join(","), "--cacert", &ca])
        };
        let leader = cluster.leader().expect("a leader");
        let follower = (0..3).find(|&i| i != leader).unwrap();
        let leader_name = &cluster.members[leader].name;
        let leader_line = format!("{leader_name} http://127.0.0.{}:9\n", leader + 2);

        // Every member behind its own path: each is found through it.
        let run = via(&[0, 1, 2]).arg("leader").run();
        expect(&run, 0);
        assert_eq!(run.out(), leader_line);
        let run = via(&[0, 1, 2]).args(["leader", "--all"]).run();
        expect(&run, 0);
        let run = via(&[0, 1, 2]).args(["members", "-o", "json"]).run();
        expect(&run, 0);
        let all = rows(&run);
        assert_eq!(all.len(), 3);
        for (i, m) in cluster.members.iter().enumerate() {
            let r = row(&all, &m.name);
            assert_eq!(r["reachable"], true, "{r}");
            let role = if i == leader { "leader" } else { "follower" };
            assert_eq!(
                (&r["role"], &r["leader"]),
                (&serde_json::json!(role), &serde_json::json!(i == leader)),
                "{r}"
            );
        }

        // Only a follower's path is given: it names the leader, and a quorum read through
        // it confirms one. The others cannot be reached: their role is unknown.
        let run = via(&[follower]).arg("leader").run();
        expect(&run, 0);
        assert_eq!(run.out(), leader_line);
        let run = via(&[follower]).args(["leader", "--all"]).run();
        expect(&run, 9);
        let run = via(&[follower]).args(["members", "-o", "json"]).run();
        // Members that do not answer from here: named on stderr, exit 11.
        expect(&run, 11);
        let one = rows(&run);
        for (i, m) in cluster.members.iter().enumerate() {
            let r = row(&one, &m.name);
            if i == follower {
                assert_eq!(
                    (&r["reachable"], &r["role"]),
                    (&serde_json::json!(true), &serde_json::json!("follower")),
                    "{r}"
                );
            } else if i == leader {
                // Unreachable from here, but the cluster says it leads.
                assert_eq!(
                    (&r["reachable"], &r["role"], &r["leader"]),
                    (
                        &serde_json::json!(false),
                        &serde_json::json!("leader"),
                        &serde_json::json!(true)
                    ),
                    "{r}"
                );
            } else {
                assert_eq!(
                    (&r["reachable"], &r["role"], &r["leader"]),
                    (
                        &serde_json::json!(false),
                        &serde_json::json!("unknown"),
                        &serde_json::json!(false)
                    ),
                    "{r}"
                );
            }
        }
        let run = via(&[follower]).arg("members").run();
        expect(&run, 11);
        let text = run.out();
        for role in [" leader ", " follower ", " unknown "] {
            assert_eq!(
                text.lines().filter(|l| l.contains(role)).count(),
                1,
                "{text}"
            );
        }

        // Only the leader's path: the leader answers for itself, a quorum read for the rest.
        let run = via(&[leader]).arg("leader").run();
        expect(&run, 0);
        assert_eq!(run.out(), leader_line);

        // As a user who may read /app/ only, through the follower: the quorum read is refused
        // (after its barrier), and the follower, asked again, names the same leader in the
        // same term.
        let member = cluster.members[follower].endpoint();
        crate::support::auth::enable_auth(|args| {
            Command::new(&cluster.etcdctl)
                .args(["--endpoints", &member])
                .args(args)
                .output()
                .unwrap()
        });
        let run = via(&[follower])
            .args(["--user", "alice", "leader"])
            .env("ETCDPY_PASSWORD", crate::support::auth::PASSWORD)
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), leader_line);
    });
}

/// The leader as the members at `asked` see it: the index of the member every one of them
/// names, once they agree on one.
fn leader_seen_by(cluster: &Cluster, asked: &[usize]) -> Option<usize> {
    let mut seen = None;
    for &i in asked {
        let (200, body) = http(
            cluster.members[i].port,
            "POST",
            "/v3/maintenance/status",
            Some("{}"),
        )?
        else {
            return None;
        };
        let v: serde_json::Value = serde_json::from_str(&body).ok()?;
        let id = v["leader"].as_str()?.to_string();
        if seen.as_ref().is_some_and(|s| *s != id) || id == "0" {
            return None;
        }
        seen = Some(id);
    }
    let (200, list) = http(
        cluster.members[asked[0]].port,
        "POST",
        "/v3/cluster/member/list",
        Some("{}"),
    )?
    else {
        return None;
    };
    let list: serde_json::Value = serde_json::from_str(&list).ok()?;
    let name = list["members"]
        .as_array()?
        .iter()
        .find(|m| m["ID"].as_str() == seen.as_deref())?["name"]
        .as_str()?
        .to_string();
    cluster.members.iter().position(|m| m.name == name)
}

/// Freeze the leader or a follower, list it first, and time `members` and `leader`.
fn frozen_member_is_named_in_time(freeze_leader: bool) {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let frozen = if freeze_leader {
            leader
        } else {
            (0..3).find(|&i| i != leader).unwrap()
        };
        let others: Vec<usize> = (0..3).filter(|&i| i != frozen).collect();
        cluster.members[frozen].freeze();
        // A frozen leader: the others elect a new one first (about 1-2 s).
        let deadline = Instant::now() + Duration::from_secs(20);
        let leader = loop {
            if let Some(l) = leader_seen_by(&cluster, &others)
                && l != frozen
            {
                break l;
            }
            assert!(
                Instant::now() < deadline,
                "no new leader\n{}",
                cluster.logs()
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let endpoints = cluster.endpoints_from(frozen);
        let name = &cluster.members[frozen].name;
        let what = if freeze_leader { "leader" } else { "follower" };

        let started = Instant::now();
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "members", "-o", "json"])
            .run();
        let took = started.elapsed();
        eprintln!(
            "etcd {}: members with a frozen {what} first: exit {} in {took:.2?}",
            bin.version, run.code
        );
        // The frozen member is named in one line on stderr, exit 11.
        expect(&run, 11);
        assert_eq!(
            run.stderr,
            format!("etcdpy: error: {name} did not answer\n")
        );
        assert!(took <= FROZEN_BOUND, "members took {took:?}");
        let all = rows(&run);
        let r = row(&all, name);
        assert_eq!(r["reachable"], false, "{r}");
        assert!(
            r["error"]
                .as_str()
                .unwrap_or_default()
                .contains("gave no answer within 2s"),
            "{r}"
        );
        for &i in &others {
            assert_eq!(
                row(&all, &cluster.members[i].name)["reachable"],
                true,
                "{all:?}"
            );
        }
        assert_eq!(
            row(&all, &cluster.members[leader].name)["role"],
            "leader",
            "{all:?}"
        );

        let started = Instant::now();
        let run = etcdpy().args(["--endpoints", &endpoints, "members"]).run();
        let took = started.elapsed();
        expect(&run, 11);
        assert!(
            run.stderr.starts_with("etcdpy: error: ")
                && run.stderr.lines().count() == 1
                && run.stderr.contains(&format!("{name} did not answer")),
            "{run:?}"
        );
        assert!(took <= FROZEN_BOUND, "members took {took:?}");
        assert!(
            run.out().contains(&format!(
                "({name}) did not answer: {} gave no answer within 2s",
                cluster.members[frozen].endpoint()
            )),
            "{run:?}"
        );

        let started = Instant::now();
        let run = etcdpy().args(["--endpoints", &endpoints, "leader"]).run();
        let took = started.elapsed();
        eprintln!(
            "etcd {}: leader with a frozen {what} first: exit {} in {took:.2?}",
            bin.version, run.code
        );
        expect(&run, 0);
        assert!(took <= FROZEN_BOUND, "leader took {took:?}");
        assert_eq!(
            run.out(),
            format!(
                "{} {}\n",
                cluster.members[leader].name,
                cluster.members[leader].endpoint()
            )
        );

        let started = Instant::now();
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "leader", "--all"])
            .run();
        let took = started.elapsed();
        eprintln!(
            "etcd {}: leader --all with a frozen {what} first: exit {} in {took:.2?}",
            bin.version, run.code
        );
        expect(&run, 9);
        assert!(took <= FROZEN_BOUND, "leader --all took {took:?}");
        assert!(run.stderr.contains(name.as_str()), "{run:?}");
        // Cluster's drop SIGKILLs every member, the frozen one too.
    });
}

#[test]
fn a_frozen_follower_listed_first_is_named_within_seconds() {
    frozen_member_is_named_in_time(false);
}

#[test]
fn a_frozen_leader_listed_first_is_named_within_seconds() {
    frozen_member_is_named_in_time(true);
}
