//! `etcdpy diff KEY REV [REV2]`: the unified diff of the values etcdctl reads with `get --rev`;
//! a negative REV counted through the key's own changes; an absent side; binary values; bad
//! REVs refused with a one-line error and a documented exit code.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::schema::DiffDoc;
use crate::support::util::{del, expect, put};
use serde_json::Value;

/// KEY's value at `rev`, read by etcdctl (`None`: it did not exist).
fn etcdctl_value(etcd: &Etcd, key: &str, rev: i64) -> Option<String> {
    let out = etcd.etcdctl(&["get", key, "--rev", &rev.to_string(), "--print-value-only"]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    // etcdctl prints the value and a newline, nothing for a missing key.
    text.strip_suffix('\n').map(str::to_string)
}

fn diff_json(etcd: &Etcd, args: &[&str]) -> Value {
    let run = etcdpy()
        .endpoint(etcd)
        .args(["-o", "json", "diff"])
        .args(args)
        .run();
    expect(&run, 0);
    let typed: Result<DiffDoc, _> = serde_json::from_slice(&run.stdout);
    typed.unwrap_or_else(|e| panic!("{e}: {run:?}"));
    serde_json::from_slice(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"))
}

#[test]
fn diff_matches_etcdctl_get_rev() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/conf", unique("diff"));
        let r1 = put(etcd, &key, "a=1\nb=2\nc=3\n");
        let r2 = put(etcd, &key, "a=1\nb=20\nc=3\n");
        let r3 = del(etcd, &key);
        let r4 = put(etcd, &key, "a=1\n");

        let run = etcdpy()
            .endpoint(etcd)
            .args(["diff", &key, &r1.to_string(), &r2.to_string()])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("--- {key}@{r1}\n+++ {key}@{r2}\n@@ -1,3 +1,3 @@\n a=1\n-b=2\n+b=20\n c=3\n")
        );
        // Each side is the value etcdctl reads at that revision.
        for (rev, rev2) in [(r1, r2), (r2, r4), (r1, r4), (r3, r4)] {
            let doc = diff_json(etcd, &[&key, &rev.to_string(), &rev2.to_string()]);
            for (side, r) in [("old", rev), ("new", rev2)] {
                let expected = etcdctl_value(etcd, &key, r);
                assert_eq!(
                    doc[side]["value"].as_str().map(str::to_string),
                    expected,
                    "{doc}"
                );
                assert_eq!(
                    doc[side]["exists"].as_bool(),
                    Some(expected.is_some()),
                    "{doc}"
                );
                assert_eq!(doc[side]["revision"].as_i64(), Some(r));
            }
        }
        // A side where the key did not exist is labelled absent.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["diff", &key, &r3.to_string()])
            .run();
        expect(&run, 0);
        assert!(
            run.out()
                .starts_with(&format!("--- {key}@{r3} (absent)\n+++ {key}@")),
            "{run:?}"
        );

        // -1: before the key's last change (r4: it was deleted then); -2: before the delete.
        let doc = diff_json(etcd, &[&key, "-1"]);
        assert_eq!(
            (
                doc["old"]["revision"].as_i64(),
                doc["old"]["exists"].as_bool()
            ),
            (Some(r3), Some(false))
        );
        let doc = diff_json(etcd, &[&key, "-2"]);
        assert_eq!(doc["old"]["revision"].as_i64(), Some(r2));
        assert_eq!(
            doc["old"]["value"].as_str(),
            etcdctl_value(etcd, &key, r2).as_deref()
        );
        // Counted back from REV2.
        let doc = diff_json(etcd, &[&key, "-1", &r2.to_string()]);
        assert_eq!(
            (
                doc["old"]["revision"].as_i64(),
                doc["new"]["revision"].as_i64()
            ),
            (Some(r1), Some(r2))
        );
        // Back past its first change: it did not exist.
        let doc = diff_json(etcd, &[&key, "-4"]);
        assert_eq!(
            (
                doc["old"]["revision"].as_i64(),
                doc["old"]["exists"].as_bool()
            ),
            (Some(r1 - 1), Some(false))
        );

        // The same value: no diff.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["diff", &key, &r4.to_string()])
            .run();
        expect(&run, 0);
        assert!(run.out().starts_with("# no difference"), "{run:?}");
        let doc = diff_json(etcd, &[&key, &r4.to_string()]);
        assert_eq!(
            (doc["same"].as_bool(), doc["diff"].as_str()),
            (Some(true), Some(""))
        );
    });
}

#[test]
fn binary_values_are_compared_escaped() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/bin", unique("diff"));
        let r1 = put(etcd, &key, "text");
        let out = std::process::Command::new(etcd.etcdctl_path())
            .args(["--endpoints", &etcd.endpoint(), "put", &key])
            .arg(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"\xff\x01\x1b[31m"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["diff", &key, &r1.to_string()])
            .run();
        expect(&run, 0);
        let text = run.out();
        assert!(text.contains("-text\n"), "{text}");
        assert!(text.contains("+\\xff\\x01\\x1b[31m\n"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
        let doc = diff_json(etcd, &[&key, &r1.to_string()]);
        assert_eq!(doc["new"]["value_encoding"].as_str(), Some("base64"));

        // A key that is not UTF-8, given as base64 (--key-encoding), in history and diff.
        let raw = format!("{}/\u{ff}", unique("diff")).into_bytes();
        let mut bad = raw.clone();
        bad.pop();
        bad.pop();
        bad.push(0xff);
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &bad);
        let out = std::process::Command::new(etcd.etcdctl_path())
            .args(["--endpoints", &etcd.endpoint(), "put"])
            .arg(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(&bad))
            .arg("v1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--key-encoding", "base64", "-o", "json", "diff", &b64, "-1"])
            .run();
        expect(&run, 0);
        let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(
            (doc["key"].as_str(), doc["key_encoding"].as_str()),
            (Some(b64.as_str()), Some("base64"))
        );
        assert_eq!(doc["new"]["value"].as_str(), Some("v1"));
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--key-encoding", "base64", "history", &b64])
            .run();
        expect(&run, 0);
        // To a pipe the key's bytes go out raw, as get and watch print them.
        let line: &[u8] = b"\xff = v1\n";
        assert!(run.stdout.windows(line.len()).any(|w| w == line), "{run:?}");
    });
}

#[test]
fn bad_revisions_are_refused_with_one_error_and_a_documented_code() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        put(&etcd, "/d/k", "1");
        let r2 = put(&etcd, "/d/k", "2");
        let floor = put(&etcd, "/d/k", "3");
        let out = etcd.etcdctl(&["compact", &floor.to_string()]);
        assert!(out.status.success(), "{out:?}");
        let now = put(&etcd, "/d/k", "4");
        let cases: Vec<(Vec<String>, i32, String)> = vec![
            (vec!["0".into()], 2, "REV 0 is no revision".into()),
            (
                vec![(now + 1).to_string()],
                2,
                format!("REV {} is beyond the store's revision now ({now})", now + 1),
            ),
            (vec!["1".into(), (now + 5).to_string()], 2, "REV2".into()),
            (
                vec!["abc".into()],
                2,
                "invalid value 'abc' for '<REV>'".into(),
            ),
            (
                vec!["99999999999999999999".into()],
                2,
                "number too large".into(),
            ),
            (
                vec!["-99999999999999999999".into()],
                2,
                "number too small".into(),
            ),
            (vec!["-2000000".into()], 2, "at most -1000000".into()),
            (vec!["1".into(), "-1".into()], 2, "'-1'".into()),
            (
                vec![r2.to_string()],
                10,
                format!(
                    "revision {r2} was compacted away: the oldest revision etcd keeps is {floor}"
                ),
            ),
            (vec!["-3".into()], 10, format!("compaction floor {floor}")),
        ];
        for (args, code, message) in cases {
            let run = etcdpy()
                .endpoint(&etcd)
                .arg("diff")
                .arg("/d/k")
                .args(&args)
                .run();
            expect(&run, code);
            assert!(run.stderr.contains(&message), "{args:?}: {run:?}");
            let first = run.stderr.lines().next().unwrap();
            assert!(first.contains("error:"), "{args:?}: {run:?}");
            assert!(
                run.stdout.is_empty() && !run.stderr.contains("panicked"),
                "{run:?}"
            );
        }
        // -1: the change at the floor itself, still held.
        let doc = diff_json(&etcd, &["/d/k", "-1"]);
        assert_eq!(
            (
                doc["old"]["revision"].as_i64(),
                doc["old"]["value"].as_str()
            ),
            (Some(floor), Some("3"))
        );
        let run = etcdpy().endpoint(&etcd).args(["diff", "", "1"]).run();
        expect(&run, 2);
    });
}
