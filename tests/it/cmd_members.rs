//! `members` (and `leader`) against a real 3-member cluster: agreement with what etcd itself
//! reports. (A leader killed, quorum lost, nobody home: `cmd_leader`; writes across a leader
//! kill, a dead first endpoint and `--discover`: `failover`.)
//!
//! On `--api v2`: agreement with python-etcd's machines and leader.

use crate::support::cluster::Cluster;
use crate::support::cluster::etcdctl;
use crate::support::harness::for_each_etcd_v2;
use crate::support::harness::{etcdpy, for_each_etcd};
use crate::support::pyetcd::py_as;
use crate::support::util::expect;

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
fn v2_members_and_leader_agree_with_python_etcds_machines_and_leader() {
    for_each_etcd_v2(|bin| {
        let cluster = crate::support::cluster::Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let follower = (leader + 1) % 3;
        let port = cluster.members[follower].port;
        let py_says = |script: &str| py_as(&crate::support::pyetcd::at(port), script);
        let at = cluster.members[follower].endpoint();
        let run = etcdpy()
            .args(["--endpoints", &at, "--api", "v2", "members", "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let members = doc.as_array().unwrap();
        assert_eq!(members.len(), 3, "{doc}");
        let leaders: Vec<&str> = members
            .iter()
            .filter(|m| m["role"] == "leader")
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(leaders, [cluster.members[leader].name.as_str()], "{doc}");
        assert!(
            members
                .iter()
                .all(|m| m["reachable"] == true && m["raft_term"].as_i64() > Some(0)),
            "{doc}"
        );
        let mut urls: Vec<String> = members
            .iter()
            .map(|m| m["client_urls"][0].as_str().unwrap().to_string())
            .collect();
        urls.sort();
        assert_eq!(
            py_says("print(sorted(c.machines))"),
            format!("{urls:?}\n").replace('"', "'")
        );
        // python-etcd's leader, asked of a follower, is the one etcdpy --api v2 leader names.
        let run = etcdpy()
            .args(["--endpoints", &at, "--api", "v2", "leader"])
            .run();
        expect(&run, 0);
        let name = run.out().split(' ').next().unwrap().to_string();
        assert_eq!(py_says("print(c.leader['name'])").trim(), name);
    });
}
