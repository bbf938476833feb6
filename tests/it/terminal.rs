//! What a person at a terminal sees: control characters escaped, colour on a
//! terminal only, NO_COLOR and --color respected. The terminal is a real pty
//! made by util-linux `script`.

use crate::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::util::expect;
use std::process::Command;

/// Run etcdpy on a pseudo-terminal; returns what the terminal showed.
fn on_terminal(etcd: &Etcd, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut line = format!(
        "{} --endpoints {}",
        env!("CARGO_BIN_EXE_etcdpy"),
        etcd.endpoint()
    );
    for arg in args {
        line.push_str(&format!(" '{}'", arg.replace('\'', "'\\''")));
    }
    let out = Command::new("script")
        .args(["-qefc", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .envs(env.iter().copied())
        .output()
        .expect("util-linux `script` is needed for the terminal tests");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
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
