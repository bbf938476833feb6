//! `--api v2` across commands: what v2 cannot do (exit 2), the features it has no recipe for,
//! python-etcd's version prefix, and a server without the v2 API. Each command's own v2 cases
//! are in its suite (`cmd_get`, `cmd_set`, `cmd_lock`, ...), checked against python-etcd 0.4.5
//! (`support::pyetcd`).

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, for_each_etcd_v2, shared, unique};
use crate::support::pyetcd::py;
use crate::support::util::expect;
use std::time::Duration;

#[test]
fn what_v2_cannot_do_exits_2_naming_the_option_and_the_api() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("v2unsup"));
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        for (args, option) in [
            (vec!["get", &key, "--rev", "3"], "--rev"),
            (vec!["refresh", &key], "refresh without --ttl"),
        ] {
            let run = v2().args(&args).run();
            expect(&run, 2);
            assert!(run.stderr.contains(option), "{run:?}");
            assert!(run.stderr.contains("--api v2"), "{run:?}");
        }
        // ETCDPY_API selects the API too.
        let run = etcdpy()
            .endpoint(etcd)
            .env("ETCDPY_API", "v2")
            .args(["get", &key, "--rev", "3"])
            .run();
        expect(&run, 2);
    });
}

#[test]
fn a_path_prefix_replaces_v2_as_python_etcds_version_prefix_does() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("v2prefix"));
        py(etcd, &format!("c.write('{key}', 'p')"));
        // /v2 as the prefix: python-etcd's default layout, /v2/keys/KEY.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "--path-prefix", "/v2", "get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "p\n");
        // /etcd: /etcd/keys/KEY, which plain etcd does not serve.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "--path-prefix", "/etcd", "get", &key])
            .timeout(Duration::from_secs(30))
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("/etcd/keys/"), "{run:?}");
    });
}

/// The lock and election features v2 has no recipe for exit 2 naming the API, write nothing,
/// and leave no lock key behind: `lock --limit N` (python-etcd's lock has one holder),
/// `lock status` / `lock break`, `elect`; and `load`, which writes to v3 only.
#[test]
fn v2_refuses_semaphores_lock_admin_elect_and_load_naming_the_api() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let name = unique("v2refuse").replace('/', "_");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dump.ndjson");
        std::fs::write(&file, "").unwrap();
        let file = file.to_str().unwrap();
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        for (args, what) in [
            (
                vec!["lock", &name, "--limit", "2", "--", "true"],
                "lock --limit above 1",
            ),
            (vec!["lock", "status", &name], "lock status and lock break"),
            (
                vec!["lock", "break", &name, "--force"],
                "lock status and lock break",
            ),
            (vec!["elect", &name, "--", "true"], "elect is not available"),
            (vec!["load", file], "load writes to etcd's v3 keyspace only"),
        ] {
            let run = v2().args(&args).run();
            expect(&run, 2);
            assert!(run.stderr.contains(what), "{args:?}: {run:?}");
            assert!(run.stderr.contains("--api v2"), "{args:?}: {run:?}");
            let errors = run
                .stderr
                .lines()
                .filter(|l| l.starts_with("error:"))
                .count();
            assert_eq!(errors, 1, "{args:?}: {run:?}");
        }
        let names = format!(
            "try:\n  print(len([n for n in c.read('/_locks/{name}', recursive=True).leaves \
             if not n.dir]))\nexcept etcd.EtcdKeyNotFound:\n  print(0)"
        );
        assert_eq!(py(etcd, &names), "0\n", "a v2 lock key was left");
    });
}

/// etcd 3.6 and 3.7 have no v2 API (and 3.4/3.5 have it only with --enable-v2): `--api v2`
/// says so in one line, exit 7, naming the server's version and, on 3.6+, that etcd 3.6
/// removed the v2 API and that `migrate` on 3.5 moves the keys before the upgrade. Every
/// kind of v2 request (keys, watch, lock, members, migrate's source) says the same.
#[test]
fn api_v2_on_a_server_without_it_names_the_version_and_the_way_out() {
    for_each_etcd(|bin| {
        let without;
        let etcd = if bin.has_v2() {
            without = Etcd::start_with(bin, &["--enable-v2=false"]);
            &without
        } else {
            shared(bin)
        };
        let p = unique("nov2");
        let key = format!("{p}/k");
        let lock = p.trim_start_matches('/').replace('/', "-");
        let runs: Vec<(&str, Vec<&str>)> = vec![
            ("get", vec!["--api", "v2", "get", &key]),
            ("set", vec!["--api", "v2", "set", &key, "v"]),
            ("watch", vec!["--api", "v2", "watch", &key]),
            ("lock", vec!["--api", "v2", "lock", &lock, "--", "true"]),
            ("members", vec!["--api", "v2", "members"]),
        ];
        for (what, args) in runs {
            let run = etcdpy()
                .endpoint(etcd)
                .args(args)
                .timeout(Duration::from_secs(30))
                .run();
            expect(&run, 7);
            let err = run.stderr.trim_end();
            assert_eq!(err.lines().count(), 1, "{what}: one line: {run:?}");
            assert!(
                err.contains(&format!("etcd {} at {}", bin.version, etcd.endpoint())),
                "{what}: names the version and endpoint: {run:?}"
            );
            if bin.has_v2() {
                assert!(err.contains("without --enable-v2"), "{what}: {run:?}");
            } else {
                assert!(
                    err.contains("has no v2 API: etcd 3.6 removed it")
                        && err.contains("`etcdpy migrate` on 3.5 before upgrading"),
                    "{what}: {run:?}"
                );
            }
        }
        // migrate reads its source over v2: the same line, nothing written to v3.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["migrate", &p])
            .timeout(Duration::from_secs(30))
            .run();
        expect(&run, 7);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
        assert!(run.stderr.contains("v2 API"), "{run:?}");
        let run = etcdpy().endpoint(etcd).args(["get", "-r", &p]).run();
        assert_eq!(run.out(), "", "nothing written: {run:?}");
    });
}
