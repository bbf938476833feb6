//! `etcdpy rm`: one key, a subtree, conditions, and the whole-keyspace guard.

use crate::support::api::for_each_api;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::util::{count, expect, put, stored};

#[test]
fn rm_one_key_and_missing_key() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("rm");
        put(etcd, &format!("{p}/n1"), "1");
        put(etcd, &format!("{p}/n1/child"), "stays");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", &format!("{p}/n1")])
            .run();
        expect(&run, 0);
        assert!(stored(etcd, &format!("{p}/n1")).is_none());
        assert!(stored(etcd, &format!("{p}/n1/child")).is_some());

        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", &format!("{p}/n1")])
            .run();
        expect(&run, 3);
        // {p}/n1/child is still there: the message says so (issue 13).
        assert_eq!(
            run.stderr,
            format!(
                "etcdpy: error: key not found: {p}/n1 ({p}/n1/ is a directory of 1 key: use rm -r \
                 to delete it and its keys)\n"
            )
        );
    });
}

#[test]
fn rm_recursive_counts_and_spares_siblings() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("rmr");
        put(etcd, &format!("{p}/nodes"), "self");
        for i in 0..4 {
            put(etcd, &format!("{p}/nodes/n{i}"), "x");
        }
        put(etcd, &format!("{p}/nodes2"), "sibling");
        put(etcd, &format!("{p}/nodes-x/y"), "sibling");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", "-r", &format!("{p}/nodes")])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "deleted 5 keys\n");
        assert_eq!(count(etcd, &format!("{p}/nodes")), 2);
        assert!(stored(etcd, &format!("{p}/nodes2")).is_some());

        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", "-r", &format!("{p}/nodes"), "-o", "json"])
            .run();
        expect(&run, 3);
        put(etcd, &format!("{p}/d/a"), "x");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", "-r", &format!("{p}/d/"), "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["deleted"], 1);
    });
}

#[test]
fn rm_conditions() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("rmc");
        let key = format!("{p}/k");
        put(etcd, &key, "mine");
        put(etcd, &format!("{key}/under"), "x");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", &key, "--if-value", "theirs"])
            .run();
        expect(&run, 4);
        assert!(run.stderr.contains("it holds 'mine'"), "{run:?}");
        assert!(stored(etcd, &key).is_some());

        let rev = stored(etcd, &key).unwrap().mod_revision;
        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", "-r", &key, "--if-revision", &(rev + 100).to_string()])
            .run();
        expect(&run, 4);
        assert_eq!(
            count(etcd, &p),
            2,
            "nothing may go when the condition fails"
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", "-r", &key, "--if-revision", &rev.to_string()])
            .run();
        expect(&run, 0);
        assert_eq!(count(etcd, &p), 0);
    });
}

#[test]
fn whole_keyspace_needs_whole_keyspace() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        put(&etcd, "/a", "1");
        put(&etcd, "b", "2");
        for key in ["/", ""] {
            let run = etcdpy().endpoint(&etcd).args(["rm", "-r", key]).run();
            expect(&run, 2);
            assert!(
                run.stderr.contains("refusing to delete the whole keyspace"),
                "{run:?}"
            );
        }
        assert_eq!(count(&etcd, ""), 2);
        // -f/--force (no error if missing) is not the guard: the old spelling of the guard
        // is refused, naming the new one, and deletes nothing.
        for force in ["--force", "-f"] {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["rm", "-r", "/", force])
                .run();
            expect(&run, 2);
            assert!(run.stderr.contains("add --whole-keyspace"), "{run:?}");
        }
        assert_eq!(count(&etcd, ""), 2);
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["rm", "-r", "", "--whole-keyspace"])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "deleted 2 keys\n");
        assert_eq!(count(&etcd, ""), 0);
    });
}

#[test]
fn rm_f_is_an_idempotent_delete_on_both_apis() {
    // Before: rm /gone and rm --force /gone exited 3; rm -f was refused ("use '-- -f'").
    let check = |etcd: &Etcd, api: &str| {
        let key = format!("{}/gone", unique("rm-f"));
        let rm = |args: &[&str]| {
            etcdpy()
                .endpoint(etcd)
                .args(["--api", api, "rm"])
                .args(args)
                .arg(&key)
                .run()
        };
        put_on(etcd, api, &key);
        for args in [&["-f"][..], &["-f"], &["--force"], &["-f", "-r"]] {
            let run = rm(args);
            expect(&run, 0);
            assert!(run.stderr.is_empty(), "{api} {args:?}: {run:?}");
        }
        let run = rm(&["-f", "-o", "json"]);
        expect(&run, 0);
        assert!(run.out().contains("\"deleted\":0"), "{api}: {run:?}");
        // Without -f a missing key is still exit 3, and -f does not override a condition.
        expect(&rm(&[]), 3);
        put_on(etcd, api, &key);
        expect(&rm(&["-f", "--if-value", "other"]), 4);
    };
    for_each_api(|bin, api| check(shared(bin), api));
}

/// `key` = "1" in the keyspace of `api`.
fn put_on(etcd: &Etcd, api: &str, key: &str) {
    let run = etcdpy()
        .endpoint(etcd)
        .args(["--api", api, "set", key, "1"])
        .run();
    expect(&run, 0);
}

// ---- rm on --api v2: v3's "key not found" hints (issue 23, helper r23-roles) ----

/// `rm DIR` without -r on v2: v2 refuses it ("Not a file", exit 4 as before), with v3's hint
/// naming the directory and rm -r.
#[test]
fn v2_rm_of_a_directory_without_r_says_use_rm_r() {
    crate::support::harness::for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let dir = unique("v2rmdir");
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        expect(&v2().args(["set", &format!("{dir}/k"), "1"]).run(), 0);
        let run = v2().args(["rm", &dir]).run();
        expect(&run, 4);
        assert!(run.stderr.contains("Not a file"), "{run:?}");
        assert!(
            run.stderr.trim_end().ends_with(&format!(
                "({dir}/ is a directory of 1 key: use rm -r to delete it and its keys)"
            )),
            "{run:?}"
        );
        expect(&v2().args(["get", &format!("{dir}/k")]).run(), 0);
    });
}
