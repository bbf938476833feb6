//! Keys and values that are not text — invalid UTF-8, NUL, terminal escape
//! sequences, C1 controls — written through stdin and `--key-encoding base64`,
//! read back raw, through `-o json` and through a watch, and passed back from
//! the JSON: always the exact bytes, checked against the keyspace over HTTP.
//! (What a terminal shows of them is in `terminal.rs`.)

use crate::support::bytes::{NASTY, assert_inert, b64, under};
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, http, shared, unique};
use crate::support::util::expect;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Every key under `prefix/` and its value, as etcd holds them (read over HTTP).
fn keyspace(etcd: &Etcd, prefix: &str) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let start = under(prefix, b"");
    let mut end = start.clone();
    *end.last_mut().unwrap() += 1;
    let body = format!(r#"{{"key":"{}","range_end":"{}"}}"#, b64(&start), b64(&end));
    let (status, body) = http(etcd.port(), "POST", "/v3/kv/range", Some(&body)).expect("range");
    assert_eq!(status, 200, "{body}");
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let field = |kv: &serde_json::Value, name: &str| {
        STANDARD
            .decode(kv[name].as_str().unwrap_or_default())
            .unwrap()
    };
    doc["kvs"]
        .as_array()
        .map(|kvs| {
            kvs.iter()
                .map(|kv| (field(kv, "key"), field(kv, "value")))
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON string field decoded as its `*_encoding` field says.
fn decoded(doc: &serde_json::Value, field: &str) -> Vec<u8> {
    let text = doc[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field}: {doc}"));
    match doc
        .get(format!("{field}_encoding"))
        .and_then(|e| e.as_str())
    {
        Some("base64") => STANDARD.decode(text).unwrap(),
        None => text.as_bytes().to_vec(),
        Some(other) => panic!("unknown encoding {other}: {doc}"),
    }
}

/// The `--key-encoding base64` argument for a key as `-o json` printed it.
fn key_argument(doc: &serde_json::Value) -> String {
    match doc.get("key_encoding").and_then(|e| e.as_str()) {
        Some("base64") => doc["key"].as_str().unwrap().to_string(),
        _ => b64(doc["key"].as_str().unwrap().as_bytes()),
    }
}

fn json(stdout: &[u8]) -> serde_json::Value {
    assert_inert("-o json", stdout);
    serde_json::from_slice(stdout).unwrap_or_else(|e| panic!("{e}: {stdout:?}"))
}

#[test]
fn nasty_keys_and_values_round_trip_through_stdin_json_and_back() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("bytes");
        let mut expected = BTreeMap::new();
        let mut first_revision = 0;
        for (suffix, value) in NASTY {
            let key = under(&p, suffix);
            let run = etcdpy()
                .endpoint(etcd)
                // `-`: stdin even when empty (NASTY has an empty value).
                .args([
                    "-o",
                    "json",
                    "set",
                    "--key-encoding",
                    "base64",
                    &b64(&key),
                    "-",
                ])
                .stdin(value.to_vec())
                .run();
            expect(&run, 0);
            let set = json(&run.stdout);
            assert_eq!(decoded(&set, "key"), key, "{set}");
            if first_revision == 0 {
                first_revision = set["revision"].as_i64().unwrap();
            }
            expected.insert(key.clone(), value.to_vec());

            // Raw to a pipe: the value's bytes and a newline.
            let run = etcdpy()
                .endpoint(etcd)
                .args(["get", "--key-encoding", "base64", &b64(&key)])
                .run();
            expect(&run, 0);
            assert_eq!(run.stdout, [*value, b"\n"].concat(), "{key:?}");

            // JSON, and its key passed back.
            let run = etcdpy()
                .endpoint(etcd)
                .args(["get", "-o", "json", "--key-encoding", "base64", &b64(&key)])
                .run();
            expect(&run, 0);
            let doc = json(&run.stdout);
            let kv = &doc["kvs"][0];
            assert_eq!(
                (decoded(kv, "key"), decoded(kv, "value")),
                (key.clone(), value.to_vec())
            );
            let run = etcdpy()
                .endpoint(etcd)
                .env("ETCDPY_KEY_ENCODING", "base64")
                .args(["get", &key_argument(kv)])
                .run();
            expect(&run, 0);
            assert_eq!(run.stdout, [*value, b"\n"].concat(), "{key:?}");
        }
        assert_eq!(keyspace(etcd, &p), expected);

        // The whole prefix as one listing.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", "-r", &p, "-o", "json"])
            .run();
        expect(&run, 0);
        let doc = json(&run.stdout);
        let listed: BTreeMap<_, _> = doc["kvs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| (decoded(kv, "key"), decoded(kv, "value")))
            .collect();
        assert_eq!(listed, expected);

        // A watch replaying the writes reports the same bytes.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", "-r", &p, "-o", "json", "--rev"])
            .arg(first_revision.to_string())
            .args(["-n", &NASTY.len().to_string()])
            .run();
        expect(&run, 0);
        assert_inert("watch -o json", &run.stdout);
        let events: BTreeMap<_, _> = run
            .stdout
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|line| {
                let event: serde_json::Value = serde_json::from_slice(line).unwrap();
                (decoded(&event, "key"), decoded(&event, "value"))
            })
            .collect();
        assert_eq!(events, expected);

        // Each key deleted through the key its JSON gave; a second time: not found, escaped.
        for kv in doc["kvs"].as_array().unwrap() {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["rm", "--key-encoding", "base64", &key_argument(kv)])
                .run();
            expect(&run, 0);
            let run = etcdpy()
                .endpoint(etcd)
                .args(["rm", "--key-encoding", "base64", &key_argument(kv)])
                .run();
            expect(&run, 3);
            assert!(run.stderr.contains("key not found: "), "{run:?}");
            assert_inert("an error message", run.stderr.trim_end().as_bytes());
        }
        assert_eq!(keyspace(etcd, &p), BTreeMap::new());
    });
}

#[test]
fn a_directory_listing_with_a_non_utf8_subdirectory_says_base64() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("bytes-dirs");
        for suffix in [&b"\xffdir/x"[..], b"plain/y", b"leaf"] {
            let key = under(&p, suffix);
            let run = etcdpy()
                .endpoint(etcd)
                .args(["set", "--key-encoding", "base64", &b64(&key), "v"])
                .run();
            expect(&run, 0);
        }
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &p, "-o", "json"])
            .run();
        expect(&run, 0);
        let doc = json(&run.stdout);
        assert_eq!(doc["dirs_encoding"], "base64", "{doc}");
        let dirs: Vec<Vec<u8>> = doc["dirs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| STANDARD.decode(d.as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(
            dirs,
            vec![under(&p, b"plain/"), under(&p, b"\xffdir/")],
            "{doc}"
        );
        assert_eq!(decoded(&doc["kvs"][0], "key"), under(&p, b"leaf"));

        // All UTF-8: plain strings, no dirs_encoding.
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &format!("{p}/plain/"), "-o", "json"])
            .run();
        let doc = json(&run.stdout);
        assert!(doc.get("dirs_encoding").is_none(), "{doc}");
    });
}

#[test]
fn values_and_conditions_given_as_arguments_are_their_exact_bytes() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("bytes-argv");
        let key = under(&p, b"k\xff");
        let set = |value: &[u8], extra: &[&OsStr]| {
            etcdpy()
                .endpoint(etcd)
                .args(["set", "--key-encoding", "base64", &b64(&key)])
                .arg(OsStr::from_bytes(value))
                .args(extra)
                .run()
        };
        expect(&set(b"\xfe\x1b[1mv1", &[]), 0);
        assert_eq!(keyspace(etcd, &p)[&key], b"\xfe\x1b[1mv1");

        let wrong = OsStr::from_bytes(b"\xfe\x1b[1mv");
        let run = set(b"v2", &["--if-value".as_ref(), wrong]);
        expect(&run, 4);
        assert!(run.stderr.contains("\\xfe\\x1b[1mv1"), "{run:?}");
        assert_inert("a condition error", run.stderr.trim_end().as_bytes());
        let right = OsStr::from_bytes(b"\xfe\x1b[1mv1");
        expect(&set(b"\x80v2", &["--if-value".as_ref(), right]), 0);
        assert_eq!(keyspace(etcd, &p)[&key], b"\x80v2");

        let rm = |value: &[u8]| {
            etcdpy()
                .endpoint(etcd)
                .args(["rm", "--key-encoding", "base64", &b64(&key), "--if-value"])
                .arg(OsStr::from_bytes(value))
                .run()
        };
        expect(&rm(b"\x80v"), 4);
        expect(&rm(b"\x80v2"), 0);
        assert!(keyspace(etcd, &p).is_empty());
    });
}

#[test]
fn key_arguments_that_are_not_utf8_or_not_base64_are_refused_naming_the_way() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let raw = OsStr::from_bytes(b"/k\xff");
        for command in ["get", "rm", "refresh", "watch", "lock"] {
            let run = etcdpy()
                .endpoint(etcd)
                .arg(command)
                .arg(raw)
                .timeout(std::time::Duration::from_secs(10))
                .run();
            expect(&run, 2);
            assert!(
                run.stderr.contains("'/k\\xff' is not valid UTF-8")
                    && run.stderr.contains("--key-encoding base64"),
                "{command}: {run:?}"
            );
        }
        for (args, what) in [
            (
                &["get", "--key-encoding", "base64", "L2s*"][..],
                "KEY 'L2s*'",
            ),
            (
                &["set", "--key-encoding", "base64", "L2s", "v"],
                "KEY 'L2s'",
            ),
            (
                &["lock", "--key-encoding", "base64", "bm=me"],
                "NAME 'bm=me'",
            ),
            (
                &[
                    "lock",
                    "--key-encoding",
                    "base64",
                    "bmFtZQ==",
                    "--prefix",
                    "/_locks",
                ],
                "--prefix '/_locks'",
            ),
        ] {
            let run = etcdpy().endpoint(etcd).args(args).run();
            expect(&run, 2);
            assert!(
                run.stderr.contains(&format!(
                    "{what} is not valid base64 (--key-encoding base64)"
                )),
                "{args:?}: {run:?}"
            );
        }
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", "--key-encoding", "hex", "/k"])
            .run();
        expect(&run, 2);
    });
}

#[test]
fn watch_commands_get_non_utf8_bytes_exactly_and_nul_is_refused() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let dir = tempfile::tempdir().unwrap();
        let p = unique("bytes-exec");
        let key = under(&p, b"\xff\x1b[31m\x80");
        let value = b"\xfe\x01\x7f\xc2\x9b".to_vec();
        let nul_key = under(&p, b"nul");
        let script = r#"printf '%s' "$ETCDPY_WATCH_KEY" > "$0/key"; printf '%s' "$ETCD_WATCH_VALUE" > "$0/value""#;
        let put = |key: &[u8], value: &[u8]| {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["set", "--key-encoding", "base64", &b64(key)])
                .stdin(value.to_vec())
                .run();
            expect(&run, 0);
            let doc: serde_json::Value = serde_json::from_slice(
                &etcdpy()
                    .endpoint(etcd)
                    .args(["get", "-o", "json", "--key-encoding", "base64", &b64(key)])
                    .run()
                    .stdout,
            )
            .unwrap();
            doc["kvs"][0]["mod_revision"].as_i64().unwrap()
        };
        let rev = put(&key, &value);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["watch", "--key-encoding", "base64", &b64(&key), "--rev"])
            .arg(rev.to_string())
            .args(["--", "sh", "-c", script])
            .arg(dir.path())
            .run();
        expect(&run, 0);
        assert_eq!(std::fs::read(dir.path().join("key")).unwrap(), key);
        assert_eq!(std::fs::read(dir.path().join("value")).unwrap(), value);

        // A NUL cannot be put in the environment: a failure of CMD, said so.
        let rev = put(&nul_key, b"a\x00b");
        let watch = |on_error: &str| {
            etcdpy()
                .endpoint(etcd)
                .args(["watch", "-r", &p, "-n", "1", "--rev"])
                .arg(rev.to_string())
                .args(["--on-error", on_error, "--", "true"])
                .run()
        };
        let run = watch("exit");
        expect(&run, 1);
        assert!(
            run.stderr.contains("its value contains a NUL byte"),
            "{run:?}"
        );
        let run = watch("continue");
        expect(&run, 0);
        assert!(
            run.stderr.contains("warning:") && run.stderr.contains("still watching"),
            "{run:?}"
        );
    });
}

#[test]
fn lock_names_in_base64_reach_the_key_the_command_and_the_json() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let dir = tempfile::tempdir().unwrap();
        let p = unique("bytes-lock");
        let name = b"n\xff\x1b[1m".to_vec();
        let file = dir.path().join("key");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["lock", "--key-encoding", "base64", &b64(&name), "--prefix"])
            .arg(b64(p.as_bytes()))
            .args(["--", "sh", "-c", r#"printf '%s' "$ETCDPY_LOCK_KEY" > "$0""#])
            .arg(&file)
            .run();
        expect(&run, 0);
        let held = std::fs::read(&file).unwrap();
        let mut lock = under(&p, &name);
        lock.push(b'/');
        assert!(held.starts_with(&lock), "{held:?}");

        // Without CMD: the JSON names the lock exactly.
        let mut holder = etcdpy()
            .endpoint(etcd)
            .args([
                "lock",
                "-o",
                "json",
                "--key-encoding",
                "base64",
                &b64(&name),
                "--prefix",
            ])
            .arg(b64(p.as_bytes()))
            .spawn();
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(holder.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        // SAFETY: kill(2) on our own child.
        unsafe { libc::kill(holder.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(holder.wait().unwrap().code(), Some(130));
        let doc = json(line.as_bytes());
        // `name` is NAME as given (the old assertion wanted the prefix too).
        assert_eq!(decoded(&doc, "name"), name, "{doc}");
        assert!(decoded(&doc, "key").starts_with(&lock), "{doc}");

        // A NUL cannot reach CMD's environment: refused before anything is held.
        let run = etcdpy()
            .endpoint(etcd)
            .args([
                "lock",
                "--key-encoding",
                "base64",
                &b64(b"a\x00b"),
                "--",
                "true",
            ])
            .run();
        expect(&run, 2);
        assert!(run.stderr.contains("NUL"), "{run:?}");
    });
}
