//! `etcdpy get`: values, directory levels, recursive listings, pages,
//! past revisions, and how a missing key is reported.
//!
//! On `--api v2`: python-etcd's writes read by etcdpy (and not by v3); a v3 key not found that
//! v2 holds gets a hint.

mod tree;

use crate::support::api::{etcdpy_on, for_each_api, put_on};
use crate::support::harness::for_each_etcd_v2;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::listing::{listed, listing_while_written_to, load_bytes, uneven_keys};
use crate::support::pyetcd::py;
use crate::support::util::{expect, load, put};

#[test]
fn value_alone_and_missing_key() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("get");
        put(etcd, &format!("{p}/n2"), "2");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/n2")])
            .run();
        expect(&run, 0);
        assert_eq!(run.stdout, b"2\n");

        let missing = format!("{p}/missing");
        let run = etcdpy().endpoint(etcd).args(["get", &missing]).run();
        expect(&run, 3);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(
            run.stderr,
            format!("etcdpy: error: key not found: {missing}\n")
        );

        // JSON mode prints nothing on stdout for a missing key either.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &missing, "-o", "json"])
            .run();
        expect(&run, 3);
        assert!(run.stdout.is_empty(), "{run:?}");
    });
}

#[test]
fn empty_value_prints_an_empty_line() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let key = format!("{}/empty", unique("get"));
        put_on(etcd, api, &key, "");
        let run = etcdpy_on(etcd, api).args(["get", &key]).run();
        expect(&run, 0);
        assert_eq!(run.stdout, b"\n");
    });
}

#[test]
fn directory_level_lists_children_and_subdirectories_once() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let p = unique("dir");
        put_on(etcd, api, &format!("{p}/nodes/n1"), "1");
        put_on(etcd, api, &format!("{p}/nodes/n2"), "2");
        for i in 0..5 {
            put_on(etcd, api, &format!("{p}/nodes/sub/s{i}"), "x");
        }
        put_on(etcd, api, &format!("{p}/nodes/sub/deeper/d"), "y");
        put_on(etcd, api, &format!("{p}/nodes/zz"), "z");
        put_on(etcd, api, &format!("{p}/nodes2/other"), "no");

        let run = etcdpy_on(etcd, api)
            .args(["get", &format!("{p}/nodes")])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/nodes/n1 = 1\n{p}/nodes/n2 = 2\n{p}/nodes/sub/\n{p}/nodes/zz = z\n")
        );

        // --limit counts entries, a sub-directory being one.
        let run = etcdpy_on(etcd, api)
            .args(["get", &format!("{p}/nodes"), "--limit", "3", "--keys-only"])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/nodes/n1\n{p}/nodes/n2\n{p}/nodes/sub/\n")
        );

        let run = etcdpy_on(etcd, api)
            .args(["get", &format!("{p}/nodes/"), "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["dirs"], serde_json::json!([format!("{p}/nodes/sub/")]));
        assert_eq!(doc["count"], 3);
    });
}

#[test]
fn recursive_lists_key_and_subtree_but_not_siblings() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("rec");
        put(etcd, &format!("{p}/nodes"), "self");
        put(etcd, &format!("{p}/nodes/b"), "2");
        put(etcd, &format!("{p}/nodes/a"), "1");
        put(etcd, &format!("{p}/nodes/sub/c"), "3");
        put(etcd, &format!("{p}/nodes2"), "sibling");
        put(etcd, &format!("{p}/nodes-x"), "sibling");
        put(etcd, &format!("{p}/nodes.y/z"), "sibling");

        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/nodes"), "-r"])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/nodes = self\n{p}/nodes/a = 1\n{p}/nodes/b = 2\n{p}/nodes/sub/c = 3\n")
        );

        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "get",
                &format!("{p}/nodes"),
                "--recursive",
                "--keys-only",
                "--limit",
                "2",
            ])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), format!("{p}/nodes\n{p}/nodes/a\n"));

        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "get",
                &format!("{p}/nodes"),
                "-r",
                "--limit",
                "2",
                "-o",
                "json",
            ])
            .run();
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["count"], 2);
        assert_eq!(doc["more"], true);

        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/none"), "-r"])
            .run();
        expect(&run, 3);
    });
}

#[test]
fn large_prefix_is_read_in_pages_in_key_order() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("big");
        load(etcd, &p, 2345, 20);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &p, "-r", "--keys-only"])
            .run();
        expect(&run, 0);
        let expected: String = (0..2345).map(|i| format!("{p}/{i:05}\n")).collect();
        assert_eq!(run.out(), expected);

        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &p, "-r", "--limit", "1500", "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["count"], 1500);
        assert_eq!(doc["more"], true);
        assert_eq!(doc["kvs"][1499]["key"], format!("{p}/01499"));
    });
}

#[test]
fn growing_pages_keep_every_key_in_order_and_stop_at_the_limit() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("pages");
        // Pages of 1000, 4000, then the rest.
        load(etcd, &p, 6000, 10);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/"), "-r"])
            .run();
        expect(&run, 0);
        let expected: String = (0..6000)
            .map(|i| format!("{p}/{i:05} = vvvvvvvvvv\n"))
            .collect();
        assert_eq!(run.out(), expected);

        for (limit, more) in [(5500, true), (6000, false)] {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["get", &p, "-r", "--limit", &limit.to_string(), "-o", "json"])
                .run();
            expect(&run, 0);
            let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            assert_eq!(doc["count"], limit);
            assert_eq!(doc["more"], more);
            let kvs = doc["kvs"].as_array().unwrap();
            assert_eq!(kvs.len(), limit);
            assert_eq!(kvs[limit - 1]["key"], format!("{p}/{:05}", limit - 1));
            assert_eq!(kvs[limit - 1]["value"], "vvvvvvvvvv");
        }
    });
}

#[test]
fn uneven_keys_come_out_once_each_in_key_order_as_of_one_revision() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("uneven");
        let kvs = uneven_keys(&p);
        load_bytes(etcd, &kvs);

        for sub in ["", "/n", "/u", "/x"] {
            let prefix = format!("{p}{sub}");
            let run = etcdpy()
                .endpoint(etcd)
                .args(["get", "-r", &prefix, "-o", "json"])
                .run();
            expect(&run, 0);
            let wanted: Vec<_> = kvs
                .iter()
                .filter(|(k, _)| k.starts_with(format!("{prefix}/").as_bytes()))
                .cloned()
                .collect();
            let (got, _) = listed(&run);
            assert_eq!(got.len(), wanted.len(), "{prefix}");
            assert!(
                got == wanted,
                "{prefix}: the listing differs from the keys written"
            );
        }

        let _ = listing_while_written_to(etcd, &p, &[]);
    });
}

#[test]
fn past_revisions_and_compacted_history() {
    for_each_etcd(|bin| {
        let mut etcd = Etcd::start(bin);
        put(&etcd, "/r/k", "old");
        let rev = json_revision(&etcd, "/r/k");
        put(&etcd, "/r/k", "new");
        put(&etcd, "/r/k2", "later");

        let run = etcdpy()
            .endpoint(&etcd)
            .args(["get", "/r/k", "--rev", &rev.to_string()])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "old\n");
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["get", "/r", "-r", "--rev", &rev.to_string()])
            .run();
        assert_eq!(run.out(), "/r/k = old\n");

        let now = json_revision(&etcd, "/r/k2");
        let out = etcd.etcdctl(&["compact", &now.to_string()]);
        assert!(out.status.success());
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["get", "/r/k", "--rev", &rev.to_string()])
            .run();
        expect(&run, 10);
        assert!(run.stderr.contains("compacted"), "{run:?}");
        etcd.kill();
    });
}

fn json_revision(etcd: &Etcd, key: &str) -> i64 {
    let run = etcdpy()
        .endpoint(etcd)
        .args(["get", key, "-o", "json"])
        .run();
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    doc["kvs"][0]["mod_revision"].as_i64().unwrap()
}

#[test]
fn long_listing_shows_revisions_lease_and_ttl() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/l", unique("long"));
        let run = etcdpy()
            .endpoint(etcd)
            .args(["set", &key, "v", "--ttl", "100s"])
            .run();
        expect(&run, 0);
        let run = etcdpy().endpoint(etcd).args(["get", &key, "-l"]).run();
        expect(&run, 0);
        let line = run.out();
        assert!(line.starts_with(&format!("{key} = v  [create=")), "{line}");
        assert!(line.contains(" version=1 lease="), "{line}");
        let ttl: i64 = line
            .rsplit("ttl=")
            .next()
            .unwrap()
            .trim_end_matches("s]\n")
            .parse()
            .unwrap();
        assert!((95..=100).contains(&ttl), "{line}");

        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &key, "-l", "-o", "json"])
            .run();
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let ttl = doc["kvs"][0]["ttl"].as_i64().unwrap();
        assert!((95..=100).contains(&ttl), "{doc}");
    });
}

#[test]
fn closed_pipe_ends_quietly() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("pipe");
        load(etcd, &p, 3000, 100);
        let mut child = etcdpy().endpoint(etcd).args(["get", &p, "-r"]).spawn();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        drop(stdout);
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(0), "stderr: {stderr}");
        assert_eq!(stderr, "");
    });
}

#[test]
fn raw_prints_exactly_the_value_and_a_file_round_trips() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("raw");
        let dir = tempfile::tempdir().unwrap();
        let binary: Vec<u8> = (0..=255u8).rev().collect();
        let mut with_newline = binary.clone();
        with_newline.extend_from_slice(b"\r\n\n");
        let cases: [(&str, Vec<u8>); 4] = [
            ("binary", binary),
            ("newline", with_newline),
            ("text", b"no newline at the end".to_vec()),
            ("empty", Vec::new()),
        ];
        for (name, value) in cases {
            let key = format!("{p}/{name}");
            let file = dir.path().join(name);
            std::fs::write(&file, &value).unwrap();
            // set from stdin (`-`: even an empty one), get --raw > file, as a shell would.
            let script = "\"$0\" --endpoints \"$1\" set \"$2\" - < \"$3\" && \
                          \"$0\" --endpoints \"$1\" get --raw \"$2\" > \"$3.out\"";
            let run = crate::support::harness::EtcdpyCmd::with_program("sh")
                .args(["-c", script, env!("CARGO_BIN_EXE_etcdpy")])
                .args([&etcd.endpoint(), &key, file.to_str().unwrap()])
                .run();
            expect(&run, 0);
            let back = std::fs::read(dir.path().join(format!("{name}.out"))).unwrap();
            assert!(
                back == value,
                "{name}: {} bytes back for {}",
                back.len(),
                value.len()
            );

            let run = etcdpy().endpoint(etcd).args(["get", &key, "--raw"]).run();
            expect(&run, 0);
            assert_eq!(run.stdout, value, "{name}");
        }
    });
}

#[test]
fn raw_is_for_one_key_only() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let p = unique("raw1");
        put_on(etcd, api, &format!("{p}/dir/a"), "1");
        // A key with no value of its own: not found, no listing.
        let run = etcdpy_on(etcd, api)
            .args(["get", &format!("{p}/dir"), "--raw"])
            .run();
        expect(&run, 3);
        assert!(run.stdout.is_empty(), "{run:?}");
        for extra in [
            &["-r"][..],
            &["--keys-only"],
            &["-l"],
            &["--limit", "1"],
            &["-o", "json"],
        ] {
            let run = etcdpy_on(etcd, api)
                .args(["get", &format!("{p}/dir/a"), "--raw"])
                .args(extra)
                .run();
            expect(&run, 2);
            assert!(run.stdout.is_empty(), "{extra:?}: {run:?}");
            assert!(run.stderr.contains("--raw"), "{extra:?}: {run:?}");
        }
    });
}

#[test]
fn allow_empty_lets_a_script_say_nothing_is_fine() {
    // Before: `get /_locks -r` of nothing exited 3 "key not found" with no way to say that is
    // fine but `|| true`, which also swallows a real failure.
    let check = |etcd: &Etcd, api: &str| {
        let p = unique("allow-empty");
        let get = |args: &[&str]| {
            etcdpy()
                .endpoint(etcd)
                .args(["--api", api, "get"])
                .args(args)
                .arg(&p)
                .arg("--allow-empty")
                .run()
        };
        for args in [&["-r"][..], &[], &["--raw"], &["-r", "-l"]] {
            let run = get(args);
            expect(&run, 0);
            assert!(
                run.stdout.is_empty() && run.stderr.is_empty(),
                "{api} {args:?}: {run:?}"
            );
        }
        let run = get(&["-r", "-o", "json"]);
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
        assert_eq!(
            (doc["count"].as_i64(), doc["kvs"].as_array().map(Vec::len)),
            (Some(0), Some(0))
        );
        // Without it, still exit 3; and a real failure still fails with it.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", api, "get", "-r", &p])
            .run();
        expect(&run, 3);
        let run = etcdpy()
            .args([
                "--endpoints",
                "http://127.0.0.1:1",
                "--api",
                api,
                "get",
                "-r",
                &p,
            ])
            .arg("--allow-empty")
            .run();
        expect(&run, 7);
        // Something there: listed as ever.
        let key = format!("{p}/a");
        let set = etcdpy()
            .endpoint(etcd)
            .args(["--api", api, "set", &key, "1"])
            .run();
        expect(&set, 0);
        assert_eq!(get(&["-r"]).out(), format!("{key} = 1\n"));
    };
    for_each_api(|bin, api| check(shared(bin), api));
}

#[test]
fn python_etcd_writes_are_read_by_etcdpy_v2_and_not_by_v3() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2read");
        py(
            etcd,
            &format!(
                "c.write('{p}/svc1', 'a'); c.write('{p}/cfg/db', 'pg'); \
                 c.write('{p}/t', 'x', ttl=100); c.write('{p}/_hidden', 'h')"
            ),
        );
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        let run = v2().args(["get", &p]).run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/cfg/\n{p}/svc1 = a\n{p}/t = x\n"),
            "one level, sorted, hidden key left out"
        );
        let run = v2().args(["get", &p, "-r"]).run();
        assert_eq!(
            run.out(),
            format!("{p}/cfg/db = pg\n{p}/svc1 = a\n{p}/t = x\n")
        );
        let run = v2().args(["get", &format!("{p}/t"), "-l"]).run();
        expect(&run, 0);
        let out = run.out();
        assert!(out.starts_with(&format!("{p}/t = x  [create=")), "{out}");
        let ttl: i64 = out
            .rsplit("ttl=")
            .next()
            .unwrap()
            .trim_end_matches("s]\n")
            .parse()
            .unwrap();
        assert!((90..=100).contains(&ttl), "{out}");
        let run = v2().args(["get", &format!("{p}/_hidden")]).run();
        assert_eq!(run.out(), "h\n");
        let run = v2().args(["get", &format!("{p}/svc1"), "-o", "json"]).run();
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let kv = &doc["kvs"][0];
        assert_eq!(kv["value"], "a");
        assert_eq!(kv["lease"], serde_json::Value::Null);
        assert!(doc["revision"].as_i64().unwrap() >= kv["mod_revision"].as_i64().unwrap());
        let run = v2().args(["get", &format!("{p}/nope")]).run();
        expect(&run, 3);
        assert!(run.stderr.contains("Key not found"), "{run:?}");
        // The v3 keyspace is another store.
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["get", &format!("{p}/svc1")])
                .run(),
            3,
        );
    });
}

#[test]
fn a_v3_key_not_found_that_v2_holds_gets_a_hint_on_the_error_path_only() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2hint");
        py(
            etcd,
            &format!("c.write('{p}/svc1', 'a'); c.write('{p}/cfg/db', 'pg')"),
        );
        for args in [
            vec!["get", &format!("{p}/svc1")],
            vec!["get", &p, "-r"],
            vec!["rm", &format!("{p}/svc1")],
            vec!["refresh", &format!("{p}/svc1"), "--ttl", "5s"],
        ] {
            let run = etcdpy().endpoint(etcd).args(&args).run();
            expect(&run, 3);
            let lines: Vec<&str> = run.stderr.lines().collect();
            assert_eq!(lines.len(), 2, "{run:?}");
            assert!(
                lines[0].starts_with("etcdpy: error: key not found"),
                "{run:?}"
            );
            assert!(
                lines[1].starts_with("etcdpy: hint: ")
                    && lines[1]
                        .ends_with("exists in etcd's v2 keyspace (python-etcd's); use --api v2"),
                "{run:?}"
            );
        }
        // Not in v2 either: the error alone.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/none")])
            .run();
        expect(&run, 3);
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        // Found in v3: no request to the v2 API at all.
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &format!("{p}/svc1"), "v3"])
                .run(),
            0,
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--debug", "get", &format!("{p}/svc1")])
            .run();
        expect(&run, 0);
        assert!(
            run.stderr.contains("/v3/kv/range") && !run.stderr.contains("/v2/"),
            "{run:?}"
        );
    });
}

// ---- get on --api v2: v3's "key not found" hints (issue 23, helper r23-roles) ----

/// `get --raw DIR` on v2 names the directory and what to do, as v3 does: a v2 directory has no
/// value of its own (exit 3, as before).
#[test]
fn v2_get_raw_on_a_directory_says_it_is_one() {
    crate::support::harness::for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let dir = unique("v2rawdir");
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        for key in ["a", "b"] {
            expect(&v2().args(["set", &format!("{dir}/{key}"), "1"]).run(), 0);
        }
        let run = v2().args(["get", &dir, "--raw"]).run();
        expect(&run, 3);
        assert_eq!(
            run.stderr.trim_end(),
            format!(
                "etcdpy: error: key not found: {dir} ({dir}/ is a directory of 2 keys: get \
                 without --raw lists it)"
            ),
            "{run:?}"
        );
        assert!(run.stdout.is_empty(), "{run:?}");
    });
}

// ---- get --print-value-only (etcdctl's name) on both APIs (issue 23, helper r23-roles) ----

/// `--print-value-only` prints each value alone on a line, as `etcdctl get --print-value-only`
/// does (a key, or with -r every key's value in key order); a one-level listing leaves its
/// sub-directories out; it does not go with -o json (exit 2).
fn print_value_only(etcd: &Etcd, api: &str) {
    let p = unique("pvo");
    let cmd = || etcdpy().endpoint(etcd).args(["--api", api]);
    for (key, value) in [("a", "1"), ("b", "x y"), ("c/d", "deep")] {
        expect(&cmd().args(["set", &format!("{p}/{key}"), value]).run(), 0);
    }
    let get = |args: &[&str]| cmd().arg("get").args(args).arg("--print-value-only").run();
    let run = get(&[&format!("{p}/a")]);
    expect(&run, 0);
    assert_eq!(run.stdout, b"1\n", "{api}: {run:?}");
    let run = get(&[&p, "-r"]);
    expect(&run, 0);
    assert_eq!(run.stdout, b"1\nx y\ndeep\n", "{api}: {run:?}");
    let run = get(&[&p]);
    expect(&run, 0);
    assert_eq!(run.stdout, b"1\nx y\n", "{api}: {run:?}");
    let run = get(&[&p, "-r", "--limit", "2"]);
    expect(&run, 0);
    assert_eq!(run.stdout, b"1\nx y\n", "{api}: {run:?}");
    expect(&get(&[&format!("{p}/nope")]), 3);
    let run = get(&[&format!("{p}/a"), "-o", "json"]);
    expect(&run, 2);
    assert!(run.stderr.contains("--print-value-only"), "{api}: {run:?}");
}

#[test]
fn print_value_only_prints_values_alone_on_v3() {
    for_each_etcd(|bin| print_value_only(shared(bin), "v3"));
}

#[test]
fn print_value_only_prints_values_alone_on_v2() {
    crate::support::harness::for_each_etcd_v2(|bin| print_value_only(shared(bin), "v2"));
}

/// v2's listings through the one generic `get`/`dump`: the whole keyspace ("" -r, dump with no
/// PREFIX) holds this test's keys, and -r lists them in key order (`d-b` before `d/x`), as v3
/// and `dump` do.
#[test]
fn v2_whole_keyspace_and_key_order() {
    crate::support::harness::for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("v2order");
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2"]);
        for (key, value) in [("d/x", "1"), ("d-b", "2")] {
            expect(&v2().args(["set", &format!("{p}/{key}"), value]).run(), 0);
        }
        let run = v2().args(["get", &p, "-r"]).run();
        expect(&run, 0);
        assert_eq!(run.out(), format!("{p}/d-b = 2\n{p}/d/x = 1\n"));
        let run = v2().args(["get", "", "-r"]).run();
        expect(&run, 0);
        assert!(
            run.out().contains(&format!("{p}/d-b = 2\n{p}/d/x = 1\n")),
            "{run:?}"
        );
        let run = v2().arg("dump").run();
        expect(&run, 0);
        assert!(
            run.out().contains(&format!("\"key\":\"{p}/d/x\"")),
            "{run:?}"
        );
    });
}
