//! `lease list`, `lease show` and `lease revoke` against a real cluster, checked with etcdctl
//! (moved from the operator suite).

use crate::support::cluster::{Cluster, cluster_args};
use crate::support::harness::{etcdpy, for_each_etcd};
use crate::support::util::expect;

#[test]
fn lease_list_show_and_revoke_agree_with_etcdctl() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 1);
        let grant = |ttl: &str| {
            let out = cluster.etcdctl(0, &["lease", "grant", ttl]);
            out.split_whitespace().nth(1).unwrap().to_string()
        };
        let (held, orphan) = (grant("300"), grant("200"));
        cluster.etcdctl(0, &["put", "/lease/a", "1", "--lease", &held]);
        cluster.etcdctl(0, &["put", "/lease/b", "2", "--lease", &held]);
        let args = cluster_args(&cluster);
        let run = etcdpy()
            .args(&args)
            .args(["lease", "list", "--keys", "-o", "json"])
            .run();
        expect(&run, 0);
        let rows: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let listed: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id_hex"].as_str().unwrap())
            .collect();
        let mut theirs: Vec<String> = cluster
            .etcdctl(0, &["lease", "list"])
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect();
        theirs.sort();
        let mut ours: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
        ours.sort();
        assert_eq!(ours, theirs);
        for row in rows.as_array().unwrap() {
            let hex = row["id_hex"].as_str().unwrap();
            let ttl = cluster.etcdctl(0, &["lease", "timetolive", hex, "--keys", "-w", "json"]);
            let ttl: serde_json::Value = serde_json::from_str(&ttl).unwrap();
            assert_eq!(
                row["id"].as_str().unwrap(),
                ttl["id"].to_string(),
                "{row} {ttl}"
            );
            assert_eq!(row["granted_ttl"], ttl["granted-ttl"], "{row} {ttl}");
            let keys = ttl["keys"].as_array().map_or(0, Vec::len);
            assert_eq!(row["key_count"].as_u64(), Some(keys as u64), "{row} {ttl}");
        }
        let run = etcdpy()
            .args(&args)
            .args(["lease", "list", "--orphans", "-o", "json"])
            .run();
        expect(&run, 0);
        let orphans: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let orphans: Vec<&str> = orphans
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id_hex"].as_str().unwrap())
            .collect();
        assert_eq!(orphans, vec![orphan.as_str()]);

        let run = etcdpy()
            .args(&args)
            .args(["lease", "show", "--for-key", "/lease/a"])
            .run();
        expect(&run, 0);
        assert!(run.out().starts_with(&held), "{run:?}");
        // Without a terminal and --force: refused, nothing revoked.
        let run = etcdpy()
            .args(&args)
            .args(["lease", "revoke", "--for-key", "/lease/a"])
            .run();
        expect(&run, 2);
        let run = etcdpy()
            .args(&args)
            .args(["lease", "revoke", "--for-key", "/lease/a", "--dry-run"])
            .run();
        expect(&run, 0);
        assert_eq!(
            cluster.etcdctl(0, &["get", "/lease/b", "--print-value-only"]),
            "2\n"
        );
        let run = etcdpy()
            .args(&args)
            .args(["lease", "revoke", "--for-key", "/lease/a", "--force"])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!(
                "revoked lease {held} ({}), deleting 2 key(s)\n  /lease/a\n  /lease/b\n",
                i64::from_str_radix(&held, 16).unwrap()
            )
        );
        assert_eq!(
            cluster.etcdctl(0, &["get", "/lease/", "--prefix", "--keys-only"]),
            ""
        );
        assert!(!cluster.etcdctl(0, &["lease", "list"]).contains(&held));
        let run = etcdpy().args(&args).args(["lease", "show", &held]).run();
        expect(&run, 3);
    });
}
