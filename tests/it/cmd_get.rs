//! `etcdpy get`: values, directory levels, recursive listings, pages,
//! past revisions, and how a missing key is reported.

use crate::harness::{Etcd, etcdpy, for_each_etcd, http, shared, unique};
use crate::util::{expect, load, put};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

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
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/empty", unique("get"));
        put(etcd, &key, "");
        let run = etcdpy().endpoint(etcd).args(["get", &key]).run();
        expect(&run, 0);
        assert_eq!(run.stdout, b"\n");
    });
}

#[test]
fn directory_level_lists_children_and_subdirectories_once() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("dir");
        put(etcd, &format!("{p}/nodes/n1"), "1");
        put(etcd, &format!("{p}/nodes/n2"), "2");
        for i in 0..5 {
            put(etcd, &format!("{p}/nodes/sub/s{i}"), "x");
        }
        put(etcd, &format!("{p}/nodes/sub/deeper/d"), "y");
        put(etcd, &format!("{p}/nodes/zz"), "z");
        put(etcd, &format!("{p}/nodes2/other"), "no");

        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/nodes")])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/nodes/n1 = 1\n{p}/nodes/n2 = 2\n{p}/nodes/sub/\n{p}/nodes/zz = z\n")
        );

        // --limit counts entries, a sub-directory being one.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/nodes"), "--limit", "3", "--keys-only"])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/nodes/n1\n{p}/nodes/n2\n{p}/nodes/sub/\n")
        );

        let run = etcdpy()
            .endpoint(etcd)
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

/// Keys and values as bytes.
pub(crate) type Kvs = Vec<(Vec<u8>, Vec<u8>)>;

/// Write `kvs` through the gateway, 100 puts per transaction.
pub(crate) fn load_bytes(etcd: &Etcd, kvs: &Kvs) {
    for chunk in kvs.chunks(100) {
        let ops: Vec<serde_json::Value> = chunk
            .iter()
            .map(|(k, v)| {
                serde_json::json!({"request_put": {"key": STANDARD.encode(k), "value": STANDARD.encode(v)}})
            })
            .collect();
        let body = serde_json::json!({ "success": ops }).to_string();
        let (status, answer) = http(etcd.port(), "POST", "/v3/kv/txn", Some(&body)).expect("txn");
        assert_eq!(status, 200, "{answer}");
    }
}

/// The keys and values of a `get -r -o json` document, as bytes, and its revision.
pub(crate) fn listed(run: &crate::harness::Run) -> (Kvs, i64) {
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let bytes = |kv: &serde_json::Value, field: &str| {
        let text = kv[field].as_str().unwrap();
        if kv[format!("{field}_encoding")] == "base64" {
            STANDARD.decode(text).unwrap()
        } else {
            text.as_bytes().to_vec()
        }
    };
    let kvs = doc["kvs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| (bytes(kv, "key"), bytes(kv, "value")))
        .collect();
    (kvs, doc["revision"].as_i64().unwrap())
}

/// About 24,000 keys under `p` that lie unevenly, some of them bytes that
/// are not text, with their values, sorted.
pub(crate) fn uneven_keys(p: &str) -> Kvs {
    let mut kvs: Kvs = Vec::new();
    let mut add = |key: Vec<u8>| {
        let value = format!("v{}", kvs.len()).into_bytes();
        kvs.push((key, value));
    };
    // etcdpy reads large ranges in stretches whose ends it guesses from
    // how densely keys lie, several at a time. Numbers lying sparsely,
    // then densely, then sparsely again make stretches come back with
    // far fewer and far more keys than guessed.
    for i in 0..3000u64 {
        add(format!("{p}/n/{:08}", i * 100).into_bytes());
    }
    for i in 0..10_000u64 {
        add(format!("{p}/n/{:08}", 300_000 + i).into_bytes());
    }
    for i in 0..2000u64 {
        add(format!("{p}/n/{:08}", 400_000 + i * 1000).into_bytes());
    }
    // Numbers without padding, sorted as text.
    for i in 0..6000u64 {
        add(format!("{p}/u/n{i}").into_bytes());
    }
    // Bytes that are not text, up to the end of the byte range.
    for i in 0..3000u32 {
        let mut key = format!("{p}/x/").into_bytes();
        key.extend_from_slice(&i.wrapping_mul(2_654_435_761).to_be_bytes());
        add(key);
    }
    for i in 0..=255u8 {
        let mut key = format!("{p}/x/").into_bytes();
        key.extend([0xff, i]);
        add(key);
    }
    kvs.sort();
    kvs
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

/// `get -r P/n` (with `args`) while keys are written inside the range: every
/// stretch is read at the revision of the first page, so the listing is the
/// range as of that revision (as etcdctl reads it at that revision).
pub(crate) fn listing_while_written_to(etcd: &Etcd, p: &str, args: &[&str]) -> crate::harness::Run {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (done, port, p) = (done.clone(), etcd.port(), p.to_string());
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                // A new key inside the range, and a new value for an old one.
                let put = |key: String, value: &str| {
                    let body = format!(
                        r#"{{"key":"{}","value":"{}"}}"#,
                        STANDARD.encode(key),
                        STANDARD.encode(value)
                    );
                    http(port, "POST", "/v3/kv/put", Some(&body));
                };
                put(
                    format!("{p}/n/{:08}+", 300_000 + (i * 7919) % 10_000),
                    "new",
                );
                put(
                    format!("{p}/n/{:08}", 400_000 + (i % 2000) * 1000),
                    "changed",
                );
                i += 1;
            }
            i
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    let run = etcdpy()
        .endpoint(etcd)
        .args(args)
        .args(["get", "-r", &format!("{p}/n"), "-o", "json"])
        .run();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let writes = writer.join().unwrap();
    expect(&run, 0);
    let (got, revision) = listed(&run);
    let out = etcd.etcdctl(&[
        "get",
        "--prefix",
        &format!("{p}/n/"),
        "--rev",
        &revision.to_string(),
        "-w",
        "json",
    ]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let then: Kvs = doc["kvs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| {
            let field = |f: &str| STANDARD.decode(kv[f].as_str().unwrap_or("")).unwrap();
            (field("key"), field("value"))
        })
        .collect();
    assert!(writes > 10, "only {writes} writes");
    assert!(
        doc["header"]["revision"].as_i64().unwrap() > revision,
        "nothing was written after the listing's revision"
    );
    assert_eq!(got.len(), then.len());
    assert!(
        got == then,
        "the listing is not the range as of revision {revision}"
    );
    run
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
            let run = crate::harness::EtcdpyCmd::with_program("sh")
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
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("raw1");
        put(etcd, &format!("{p}/dir/a"), "1");
        // A key with no value of its own: not found, no listing.
        let run = etcdpy()
            .endpoint(etcd)
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
            let run = etcdpy()
                .endpoint(etcd)
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
    for_each_etcd(|bin| check(shared(bin), "v3"));
    crate::harness::for_each_etcd_v2(|bin| check(shared(bin), "v2"));
}

// ---- get on --api v2: v3's "key not found" hints (issue 23, helper r23-roles) ----

/// `get --raw DIR` on v2 names the directory and what to do, as v3 does: a v2 directory has no
/// value of its own (exit 3, as before).
#[test]
fn v2_get_raw_on_a_directory_says_it_is_one() {
    crate::harness::for_each_etcd_v2(|bin| {
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
    crate::harness::for_each_etcd_v2(|bin| print_value_only(shared(bin), "v2"));
}

/// v2's listings through the one generic `get`/`dump`: the whole keyspace ("" -r, dump with no
/// PREFIX) holds this test's keys, and -r lists them in key order (`d-b` before `d/x`), as v3
/// and `dump` do.
#[test]
fn v2_whole_keyspace_and_key_order() {
    crate::harness::for_each_etcd_v2(|bin| {
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
