//! `etcdpy set`: values from arguments and stdin, TTLs, conditions, --prev,
//! and input that must be refused without writing anything.
//!
//! On `--api v2`: etcdpy's writes read by python-etcd.

use crate::support::api::{etcdpy_on, for_each_api};
use crate::support::harness::for_each_etcd_v2;
use crate::support::harness::{etcdpy, for_each_etcd, shared, unique};
use crate::support::pyetcd::py;
use crate::support::util::{expect, leases, put, stored};
use std::time::{Duration, Instant};

#[test]
fn set_then_get_and_permanent_by_default() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/n1", unique("set"));
        let run = etcdpy().endpoint(etcd).args(["set", &key, "1"]).run();
        expect(&run, 0);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(stored(etcd, &key).unwrap().value, b"1");

        // With a TTL the key gets a lease; a later write without --ttl makes it permanent.
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &key, "2", "--ttl", "30s"])
                .run(),
            0,
        );
        assert_ne!(stored(etcd, &key).unwrap().lease, 0);
        expect(&etcdpy().endpoint(etcd).args(["set", &key, "3"]).run(), 0);
        let now = stored(etcd, &key).unwrap();
        assert_eq!((now.value.as_slice(), now.lease), (&b"3"[..], 0));
    });
}

#[test]
fn ttl_expires_the_key() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/n2", unique("ttl"));
        let started = Instant::now();
        let run = etcdpy()
            .endpoint(etcd)
            .args(["set", &key, "2", "--ttl", "2s", "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["ttl"], 2);
        assert_eq!(
            etcdpy().endpoint(etcd).args(["get", &key]).run().stdout,
            b"2\n"
        );
        while started.elapsed() < Duration::from_secs(8) && stored(etcd, &key).is_some() {
            std::thread::sleep(Duration::from_millis(200));
        }
        let gone_after = started.elapsed();
        assert!(
            stored(etcd, &key).is_none(),
            "key still there after {gone_after:?}"
        );
        assert!(
            gone_after >= Duration::from_millis(1500),
            "gone too early: {gone_after:?}"
        );
        expect(&etcdpy().endpoint(etcd).args(["get", &key]).run(), 3);
    });
}

#[test]
fn short_or_fractional_ttl_is_refused_and_nothing_written() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("ttlbad"));
        for ttl in ["1s", "500ms", "0", "2500ms", "-3s", "soon"] {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["set", &key, "v", "--ttl", ttl])
                .run();
            expect(&run, 2);
            assert!(run.stderr.contains(&format!("'{ttl}'")), "{run:?}");
        }
        let run = etcdpy()
            .endpoint(etcd)
            .args(["set", &key, "v", "--ttl", "1s"])
            .run();
        assert!(run.stderr.contains("minimum lease TTL of 2s"), "{run:?}");
        assert!(stored(etcd, &key).is_none());
    });
}

#[test]
fn value_from_stdin_is_binary_safe() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("stdin");
        let bytes: Vec<u8> = (0..=255u8).chain(b"\n\n".iter().copied()).collect();
        let key = format!("{p}/bin");
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &key])
                .stdin(bytes.clone())
                .run(),
            0,
        );
        assert_eq!(stored(etcd, &key).unwrap().value, bytes);
        // Raw bytes to a pipe, plus the newline.
        let run = etcdpy().endpoint(etcd).args(["get", &key]).run();
        let mut expected = bytes.clone();
        expected.push(b'\n');
        assert_eq!(run.stdout, expected);

        let key2 = format!("{p}/dash");
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &key2, "-"])
                .stdin("from stdin")
                .run(),
            0,
        );
        assert_eq!(stored(etcd, &key2).unwrap().value, b"from stdin");

        // A value that is not UTF-8 given as an argument is stored as it is.
        use std::os::unix::ffi::OsStrExt;
        let key3 = format!("{p}/arg");
        let raw = std::ffi::OsStr::from_bytes(b"\xff\xfe ok");
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args([std::ffi::OsStr::new("set"), key3.as_ref(), raw])
                .run(),
            0,
        );
        assert_eq!(stored(etcd, &key3).unwrap().value, b"\xff\xfe ok");
    });
}

#[test]
fn conditions_hold_or_exit_4_with_what_the_key_holds() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/c", unique("cond"));
        let set = |args: &[&str]| etcdpy().endpoint(etcd).args(["set", &key]).args(args).run();

        let run = set(&["x", "--if-exists"]);
        expect(&run, 4);
        assert!(run.stderr.contains("it does not exist"), "{run:?}");
        assert!(stored(etcd, &key).is_none());

        expect(&set(&["one", "--if-absent"]), 0);
        let run = set(&["two", "--if-absent"]);
        expect(&run, 4);
        assert!(run.stderr.contains("it holds 'one'"), "{run:?}");
        assert_eq!(stored(etcd, &key).unwrap().value, b"one");

        let run = set(&["two", "--if-value", "nope"]);
        expect(&run, 4);
        assert_eq!(stored(etcd, &key).unwrap().value, b"one");
        let run = set(&["two", "--if-value", "one", "--prev"]);
        expect(&run, 0);
        assert_eq!(run.stdout, b"one\n");
        assert_eq!(stored(etcd, &key).unwrap().value, b"two");

        let rev = stored(etcd, &key).unwrap().mod_revision;
        let run = set(&["three", "--if-revision", &(rev - 1).to_string()]);
        expect(&run, 4);
        assert!(
            run.stderr.contains(&format!("mod revision {rev}")),
            "{run:?}"
        );
        expect(
            &set(&["three", "--if-revision", &rev.to_string(), "--if-exists"]),
            0,
        );
        assert_eq!(stored(etcd, &key).unwrap().value, b"three");

        let run = set(&["four", "--if-absent", "--if-exists"]);
        expect(&run, 2);
    });
}

#[test]
fn failed_condition_with_ttl_leaves_no_lease_behind() {
    for_each_etcd(|bin| {
        // A server of its own, so that every lease on it is this test's.
        let etcd = crate::support::harness::Etcd::start(bin);
        let key = "/c/held";
        put(&etcd, key, "held");
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["set", key, "x", "--ttl", "60s", "--if-absent"])
            .run();
        expect(&run, 4);
        let now = stored(&etcd, key).unwrap();
        assert_eq!((now.value.as_slice(), now.lease), (&b"held"[..], 0));
        assert!(
            leases(&etcd).is_empty(),
            "a lease was left behind: {:?}",
            leases(&etcd)
        );
    });
}

#[test]
fn prev_prints_nothing_for_a_new_key_and_json_says_null() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let key = format!("{}/p", unique("prev"));
        let run = etcdpy_on(etcd, api)
            .args(["set", &key, "a", "--prev"])
            .run();
        expect(&run, 0);
        assert!(run.stdout.is_empty());
        let run = etcdpy_on(etcd, api)
            .args(["set", &key, "b", "--prev", "-o", "json"])
            .run();
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["prev"]["value"], "a");
    });
}

#[test]
fn too_large_value_is_refused_and_nothing_written() {
    for_each_etcd(|bin| {
        let etcd = crate::support::harness::Etcd::start(bin);
        let key = "/big/value";
        for size in [1_600_000usize, 2_300_000] {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["set", key, "--ttl", "60s"])
                .stdin(vec![b'x'; size])
                .run();
            expect(&run, 2);
            assert!(run.stderr.contains("value too large"), "{run:?}");
            assert!(
                run.stderr
                    .lines()
                    .any(|l| l.starts_with("error: value too large")),
                "{run:?}"
            );
            assert!(stored(&etcd, key).is_none());
            assert!(
                leases(&etcd).is_empty(),
                "a lease was left behind: {:?}",
                leases(&etcd)
            );
        }
    });
}

#[test]
fn empty_and_non_utf8_keys_are_refused() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let run = etcdpy_on(etcd, api).args(["set", "", "v"]).run();
        expect(&run, 2);
        assert!(run.stderr.contains("KEY must not be empty"), "{run:?}");

        use std::os::unix::ffi::OsStrExt;
        let bad = std::ffi::OsStr::from_bytes(b"/k\xff");
        let run = etcdpy_on(etcd, api)
            .args([std::ffi::OsStr::new("set"), bad, "v".as_ref()])
            .run();
        expect(&run, 2);
        assert!(
            run.stderr.contains("'/k\\xff' is not valid UTF-8"),
            "{run:?}"
        );
    });
}

#[test]
fn etcdpy_v2_writes_are_read_by_python_etcd() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2write");
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        expect(&v2().args(["set", &format!("{p}/a"), "1"]).run(), 0);
        expect(&v2().args(["set", &format!("{p}/d/b"), "2"]).run(), 0);
        expect(&v2().args(["set", &format!("{p}/_h"), "3"]).run(), 0);
        expect(
            &v2()
                .args(["set", &format!("{p}/t"), "4", "--ttl", "60s"])
                .run(),
            0,
        );
        let out = py(
            etcd,
            &format!(
                "r = c.read('{p}', recursive=True, sorted=True)\n\
                 print(sorted((n.key, n.value) for n in r.leaves))\n\
                 t = c.read('{p}/t'); print(t.ttl is not None and 50 <= t.ttl <= 60)\n\
                 print(c.read('{p}/_h').value)"
            ),
        );
        assert_eq!(
            out,
            format!("[('{p}/a', '1'), ('{p}/d/b', '2'), ('{p}/t', '4')]\nTrue\n3\n")
        );
        // Conditions: python-etcd's prevExist / prevValue / prevIndex, v3's exit codes.
        let run = v2()
            .args(["set", &format!("{p}/a"), "x", "--if-absent"])
            .run();
        expect(&run, 4);
        assert!(run.stderr.contains("Key already exists"), "{run:?}");
        let run = v2()
            .args(["set", &format!("{p}/a"), "x", "--if-value", "0"])
            .run();
        expect(&run, 4);
        assert!(run.stderr.contains("Compare failed"), "{run:?}");
        expect(
            &v2()
                .args(["set", &format!("{p}/new"), "x", "--if-exists"])
                .run(),
            3,
        );
        let run = v2()
            .args(["set", &format!("{p}/a"), "2", "--if-value", "1", "--prev"])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "1\n");
        let run = v2().args(["set", &format!("{p}/d"), "x"]).run();
        expect(&run, 4);
        assert!(run.stderr.contains("Not a file"), "{run:?}");
        // 1 s TTLs are v2's to honour (v3 leases start at 2 s).
        expect(
            &v2()
                .args(["set", &format!("{p}/one"), "x", "--ttl", "1s"])
                .run(),
            0,
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args(["set", &format!("{p}/one"), "x", "--ttl", "1s"])
            .run();
        expect(&run, 2);
        // rm: a key, a directory with -r, conditions.
        expect(
            &v2()
                .args(["rm", &format!("{p}/a"), "--if-value", "1"])
                .run(),
            4,
        );
        expect(&v2().args(["rm", &format!("{p}/a")]).run(), 0);
        expect(&v2().args(["rm", &format!("{p}/d")]).run(), 4);
        let run = v2().args(["rm", &format!("{p}/d"), "-r"]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "deleted 1 key\n");
        let out = py(
            etcd,
            &format!(
                "for k in ['a', 'd']:\n    try:\n        c.read('{p}/' + k); print('there')\n    \
                 except etcd.EtcdKeyNotFound:\n        print('gone')"
            ),
        );
        assert_eq!(out, "gone\ngone\n");
    });
}
