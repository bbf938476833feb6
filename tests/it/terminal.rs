//! What a person at a terminal sees: control characters escaped, colour on a
//! terminal only, NO_COLOR and --color respected. The terminal is a real pty
//! made by util-linux `script`.

use crate::support::bytes::{NASTY, assert_inert, b64, under};
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::pty::pty;
use crate::support::util::expect;

/// Run etcdpy on a pseudo-terminal; returns what the terminal showed.
fn on_terminal(etcd: &Etcd, args: &[&str], env: &[(&str, &str)]) -> String {
    let (success, shown) = terminal_run(etcd, args, env);
    let shown = String::from_utf8_lossy(&shown).replace("\r\n", "\n");
    assert!(success, "{shown}");
    shown
}

/// Run etcdpy on a pseudo-terminal: whether it succeeded, and every byte the
/// terminal got (stdout and stderr).
fn terminal_run(etcd: &Etcd, args: &[&str], env: &[(&str, &str)]) -> (bool, Vec<u8>) {
    let mut line = format!(
        "{} --endpoints {}",
        env!("CARGO_BIN_EXE_etcdpy"),
        etcd.endpoint()
    );
    for arg in args {
        line.push_str(&format!(" '{}'", arg.replace('\'', "'\\''")));
    }
    let out = pty(&line)
        .envs(env.iter().copied())
        .output()
        .expect("util-linux `script` is needed for the terminal tests");
    (out.status.success(), out.stdout)
}

#[test]
fn control_characters_are_escaped_on_a_terminal_only() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/evil", unique("tty"));
        let value = b"\x1b]0;pwned\x07\x1b[31mred\nline2\xff".to_vec();
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &key])
                .stdin(value.clone())
                .run(),
            0,
        );

        let shown = on_terminal(etcd, &["get", &key], &[]);
        assert_eq!(shown, "\\x1b]0;pwned\\x07\\x1b[31mred\\nline2\\xff\n");

        // A pipe gets the bytes as they are.
        let run = etcdpy().endpoint(etcd).args(["get", &key]).run();
        let mut expected = value.clone();
        expected.push(b'\n');
        assert_eq!(run.stdout, expected);
    });
}

#[test]
fn colour_on_a_terminal_unless_turned_off() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("colour");
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &format!("{p}/a"), "1"])
                .run(),
            0,
        );
        let listing = ["get", &p, "-r"];
        assert!(
            on_terminal(etcd, &listing, &[]).contains("\x1b["),
            "auto on a terminal: colour"
        );
        assert!(
            !on_terminal(etcd, &listing, &[("NO_COLOR", "1")]).contains("\x1b["),
            "NO_COLOR"
        );
        let never: Vec<&str> = listing
            .iter()
            .copied()
            .chain(["--color", "never"])
            .collect();
        assert!(
            !on_terminal(etcd, &never, &[]).contains("\x1b["),
            "--color never"
        );
        assert!(
            !etcdpy()
                .endpoint(etcd)
                .args(listing)
                .run()
                .out()
                .contains("\x1b["),
            "pipe: none"
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args(listing)
            .args(["--color", "always"])
            .run();
        assert!(run.out().contains("\x1b["), "--color always on a pipe");
        let run = etcdpy()
            .endpoint(etcd)
            .args(listing)
            .env("ETCDPY_COLOR", "always")
            .run();
        assert!(run.out().contains("\x1b["), "ETCDPY_COLOR=always");
    });
}

#[test]
fn nasty_bytes_reach_a_terminal_escaped_as_text_and_as_json() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("tty-bytes");
        for (suffix, value) in NASTY {
            let run = etcdpy()
                .endpoint(etcd)
                .args([
                    "set",
                    "--key-encoding",
                    "base64",
                    &b64(&under(&p, suffix)),
                    "-",
                ])
                .stdin(value.to_vec())
                .run();
            expect(&run, 0);
        }
        // The pty turns \n into \r\n; any other CR would be etcdpy's.
        let strip = |shown: Vec<u8>| -> Vec<u8> {
            String::from_utf8_lossy(&shown)
                .replace("\r\n", "\n")
                .into_bytes()
        };
        for args in [
            &["get", "-r", &p, "--color", "never"][..],
            &["get", "-r", &p, "-l", "--color", "never"],
            &["get", "-r", &p, "-o", "json"],
            &[
                "watch", "-r", &p, "--rev", "1", "-n", "8", "--color", "never",
            ],
            &["watch", "-r", &p, "--rev", "1", "-n", "8", "-o", "json"],
        ] {
            let (success, shown) = terminal_run(etcd, args, &[]);
            let shown = strip(shown);
            assert!(success, "{args:?}: {}", String::from_utf8_lossy(&shown));
            assert_inert(&format!("{args:?} on a terminal"), &shown);
        }
        let shown = on_terminal(etcd, &["get", "-r", &p, "--color", "never"], &[]);
        for line in [
            "\\xff\\xfe = ",
            "a\\x00b = \\x00",
            "\\x1b[31mred\\x1b[0m = \\xff\\xfe\\x00",
            "cr\\rnl\\n = \\x1b[2J\\x1b[H",
            "csi\\u{9b}2J = \\u{9b}31m",
            "\\x80 = \\r\\n",
            "\\x1b]0;title\\x07 = \\x1b]0;title\\x07",
        ] {
            assert!(shown.contains(&format!("{p}/{line}")), "{line}: {shown}");
        }
        let shown = on_terminal(etcd, &["get", "-r", &p, "-o", "json"], &[]);
        assert!(
            shown.contains(r"\u001b[31m") && shown.contains(r"\u009b31m"),
            "{shown}"
        );

        // Errors on the terminal too: a missing key that is all escape sequence.
        let missing = under(&p, b"\x1b[2J\x9b");
        let (success, shown) = terminal_run(
            etcd,
            &[
                "get",
                "--key-encoding",
                "base64",
                &b64(&missing),
                "--color",
                "never",
            ],
            &[],
        );
        let shown = strip(shown);
        assert!(!success);
        assert_inert("an error on a terminal", &shown);
        assert!(
            String::from_utf8_lossy(&shown).contains(&format!("key not found: {p}/\\x1b[2J\\x9b")),
            "{}",
            String::from_utf8_lossy(&shown)
        );
    });
}

#[test]
fn load_shows_progress_on_a_terminal_only() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        let mut text =
            String::from("{\"dump\":\"etcdpy\",\"api\":\"v3\",\"prefix\":\"/p\",\"revision\":1}\n");
        for i in 0..300 {
            text.push_str(&format!(
                "{{\"key\":\"/p/k{i:03}\",\"value\":\"v\",\"ttl\":null}}\n"
            ));
        }
        let path = dir.path().join("p.ndjson");
        std::fs::write(&path, crate::support::util::sealed(&text)).unwrap();
        let path = path.to_str().unwrap();
        let shown = on_terminal(
            &etcd,
            &[
                "load",
                path,
                "--max-txn-ops",
                "100",
                "--prefix-rename",
                "/p=/tty",
            ],
            &[],
        );
        assert!(shown.contains("loaded 100/300 keys"), "{shown:?}");
        assert!(shown.contains("loaded 300/300 keys"), "{shown:?}");
        assert!(shown.contains("applied: 300 created"), "{shown:?}");
        // In a pipe: the report on stdout, nothing on stderr.
        let run = etcdpy()
            .endpoint(&etcd)
            .args([
                "load",
                path,
                "--max-txn-ops",
                "100",
                "--prefix-rename",
                "/p=/pipe",
            ])
            .run();
        expect(&run, 0);
        assert!(run.out().contains("applied: 300 created"), "{run:?}");
        assert_eq!(run.stderr, "", "no progress in a pipe");
    });
}

#[test]
fn every_listing_escapes_a_newline_and_binary_on_a_terminal_and_keeps_them_in_a_pipe() {
    // issue 29: `/sp = hello world⏎second line  [create=8 …]` across two lines, and raw bytes
    // from `get /bin -l`. Each listing shows one line per key on a terminal.
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("tty-listing");
        let (sp, bin_key) = (format!("{p}/sp"), format!("{p}/bin"));
        let values: [(&str, &[u8]); 2] = [
            (&sp, b"hello world\nsecond line"),
            (&bin_key, b"\x01\x1b[31mred\xff"),
        ];
        for (key, value) in values {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["set", key, "-"])
                .stdin(value.to_vec())
                .run();
            expect(&run, 0);
        }
        let never = ["--color", "never"];
        let value = |key: &str| format!("{key} = hello world\\nsecond line");
        let binary = format!("{bin_key} = \\x01\\x1b[31mred\\xff  [create=");
        for (args, wanted, lines) in [
            (vec!["get", &p, "-r"], value(&sp), 2),
            (vec!["get", &p], value(&sp), 2),
            (
                vec!["get", &sp, "-l"],
                format!("{}  [create=", value(&sp)),
                1,
            ),
            (vec!["get", &bin_key, "-l"], binary.clone(), 1),
            (vec!["get", &p, "-r", "-l"], binary, 2),
        ] {
            let args: Vec<&str> = args.into_iter().chain(never).collect();
            let shown = on_terminal(etcd, &args, &[]);
            assert!(shown.contains(&wanted), "{args:?}: {shown:?}");
            assert!(!shown.contains('\u{1b}'), "{args:?}: {shown:?}");
            assert_eq!(shown.lines().count(), lines, "{args:?}: {shown:?}");
        }
        // A pipe gets the bytes as they are.
        let run = etcdpy().endpoint(etcd).args(["get", &p, "-r"]).run();
        let mut raw = format!("{bin_key} = ").into_bytes();
        raw.extend_from_slice(b"\x01\x1b[31mred\xff\n");
        raw.extend_from_slice(format!("{sp} = hello world\nsecond line\n").as_bytes());
        assert_eq!(run.stdout, raw);
    });
}
