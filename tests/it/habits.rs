//! A newcomer's habits from etcdctl, git and the shell: etcdctl's spellings get one tip naming
//! etcdpy's form, etcdctl's environment is named when the connection fails, bare `etcdpy` and
//! `-h` show the commands first, and endpoints typed as a peer port or with spaces are named.

use crate::support::harness::{Etcd, Run, etcdpy, for_each_etcd, shared, unique};
use crate::support::util::{expect, put};

/// A usage error (exit 2) whose tip (clap's "tip:" line) is `tip`, and not clap's own guess.
#[track_caller]
fn tip(run: &Run, tip: &str) {
    expect(run, 2);
    let tips: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("tip:"))
        .collect();
    assert_eq!(tips.len(), 1, "one tip: {run:?}");
    assert!(tips[0].contains(tip), "{tip:?} in {run:?}");
    for guess in ["'-- --prefix'", "'--prev'", "'leader'"] {
        assert!(!run.stderr.contains(guess), "clap's guess {guess}: {run:?}");
    }
}

#[test]
fn etcdctl_spellings_get_etcdpys_form() {
    // Before: "to pass '--prefix' as a value, use '-- --prefix'", "a similar argument exists:
    // '--prev'", "a similar subcommand exists: 'leader'", and nothing for ls.
    let run = |line: &str| etcdpy().args(line.split(' ')).run();
    tip(&run("get --prefix /app"), "etcdpy get /app -r");
    tip(&run("get /app --prefix"), "etcdpy get /app -r");
    tip(&run("watch --prefix /app"), "etcdpy watch /app -r");
    tip(&run("del --prefix /app"), "etcdpy rm /app -r");
    // `lease` lists, shows and revokes; it grants no bare lease.
    tip(&run("lease grant 10"), "set KEY VALUE --ttl 10s");
    let unknown = |name| etcdpy::cli::command().find_subcommand(name).is_none();
    if unknown("ls") {
        tip(&run("ls /"), "etcdpy get / lists one level");
    }
    if unknown("member") {
        tip(&run("member list"), "etcdpy members");
    }
    // get --print-value-only is etcdpy's own flag now (issue 23): accepted, not a tip.
    let accepted = run("get /app --print-value-only");
    assert_ne!(accepted.code, 2, "{accepted:?}");
    assert!(!accepted.stderr.contains("tip:"), "{accepted:?}");
    // The usage lines are the command's own, not shaped after a guess.
    let watch = run("watch --prefix /app");
    assert!(
        watch.stderr.contains("Usage: etcdpy watch [OPTIONS] <KEY>"),
        "{watch:?}"
    );
    // What etcdpy does not know stays clap's plain refusal.
    let frob = run("frobnicate /x");
    expect(&frob, 2);
    assert!(frob.stderr.contains("unrecognized subcommand 'frobnicate'"));
}

#[test]
fn etcdctl_output_flag_and_rm_f_work_as_etcdctl_users_type_them() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("habit-w"));
        put(etcd, &key, "v");
        // -w json / --write-out=json / -w simple: hidden aliases of -o (same meaning).
        for args in [["-w", "json"], ["--write-out", "json"]] {
            let run = etcdpy().endpoint(etcd).args(args).args(["get", &key]).run();
            expect(&run, 0);
            assert!(run.out().starts_with("{\"revision\":"), "{run:?}");
        }
        let run = etcdpy()
            .endpoint(etcd)
            .args(["-w", "simple", "get", &key])
            .run();
        assert_eq!(run.out(), "v\n", "{run:?}");
        // Before: "use '-- -f'" (exit 2). Now rm -f, as the shell's: no error if missing.
        for _ in 0..2 {
            let run = etcdpy().endpoint(etcd).args(["rm", "-f", &key]).run();
            expect(&run, 0);
            assert!(run.stderr.is_empty(), "{run:?}");
        }
    });
}

#[test]
fn etcdctl_variables_are_named_when_the_connection_fails() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("habit-env"));
        put(etcd, &key, "v");
        // Before: only "tried http://127.0.0.1:2379 (Connection refused)".
        let run = etcdpy()
            .env("ETCDCTL_ENDPOINTS", etcd.endpoint())
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", "http://127.0.0.1:1", "get", &key])
            .run();
        expect(&run, 7);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{run:?}");
        assert_eq!(
            lines[1],
            "etcdpy: hint: etcdpy reads ETCDPY_* variables, not etcdctl's ETCDCTL_ENDPOINTS \
             (set here): export ETCDPY_ENDPOINTS=\"$ETCDCTL_ENDPOINTS\"",
        );
        // ETCDCTL_API alone (etcdctl's API version) is no reason, nor a variable etcdpy's own
        // covers.
        for (name, value) in [("ETCDCTL_API", "3"), ("ETCDCTL_DIAL_TIMEOUT", "1s")] {
            let run = etcdpy()
                .env(name, value)
                .env("ETCDPY_DIAL_TIMEOUT", "1s")
                .args(["--endpoints", "http://127.0.0.1:1", "get", &key])
                .run();
            expect(&run, 7);
            assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        }
        // A success says nothing.
        let run = etcdpy()
            .endpoint(etcd)
            .env("ETCDCTL_ENDPOINTS", "http://127.0.0.1:1")
            .args(["get", &key])
            .run();
        expect(&run, 0);
        assert!(run.stderr.is_empty(), "{run:?}");
    });
}

#[test]
fn bare_etcdpy_and_dash_h_show_the_commands_first() {
    // Before: the whole 101-line --help on stderr, exit 2; -h the same 101 lines.
    let bare = etcdpy().run();
    expect(&bare, 0);
    assert!(bare.stderr.is_empty(), "{bare:?}");
    let short = etcdpy().arg("-h").run();
    expect(&short, 0);
    assert_eq!(bare.out(), short.out(), "bare etcdpy is etcdpy -h");
    let text = short.out();
    let commands = text.find("Commands:").expect("a command list");
    let globals = text.find("Global options:").expect("global options");
    assert!(commands < globals, "{text}");
    assert!(
        // 26 commands and the common global options (the rest are in --help).
        text.lines().count() <= 66,
        "{} lines: {text}",
        text.lines().count()
    );
    for alias in [
        "read",
        "put",
        "write",
        "del",
        "delete",
        "machines",
        "write-out",
    ] {
        assert!(
            !text
                .split_whitespace()
                .any(|w| w == alias || w == format!("--{alias}")),
            "hidden alias {alias} shown: {text}"
        );
    }
    assert!(
        text.contains("--endpoints") && text.contains("etcdpy --help"),
        "{text}"
    );
    // Options but no command: a usage error (exit 2) listing the commands, not the aliases.
    // Before: "[subcommands: get, read, set, put, write, rm, del, delete, ...]".
    let run = etcdpy().args(["--endpoints", "127.0.0.1:1"]).run();
    expect(&run, 2);
    assert!(
        run.stderr
            .contains("[subcommands: get, set, rm, watch, wait, refresh, lock, elect"),
        "{run:?}"
    );
    assert!(
        !run.stderr.contains("read") && !run.stderr.contains("machines"),
        "{run:?}"
    );
    // --help still has everything.
    let long = etcdpy().arg("--help").run().out();
    for option in [
        "--discovery-srv",
        "--transport",
        "--key-encoding",
        "Exit status:",
    ] {
        assert!(long.contains(option), "{option} in --help");
    }
}

#[test]
fn endpoints_typed_with_spaces_or_at_a_peer_port_are_named() {
    // Before: "invalid endpoint 'a:1 b:2': invalid port number".
    let run = etcdpy()
        .args(["--endpoints", "127.0.0.1:1 127.0.0.1:2", "get", "/k"])
        .run();
    expect(&run, 2);
    assert!(
        run.stderr.contains(
            "endpoints are separated by commas, not spaces: --endpoints 127.0.0.1:1,127.0.0.1:2"
        ),
        "{run:?}"
    );
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        // Before: "did not answer like an etcd v3 gateway: HTTP 404 Not Found".
        let peer = format!("127.0.0.1:{}", etcd.peer_port());
        let run = etcdpy()
            .args(["--endpoints", &peer, "set", "/k", "v"])
            .run();
        expect(&run, 7);
        assert!(
            run.stderr.contains("looks like an etcd peer port"),
            "{run:?}"
        );
        assert!(run.stderr.contains("2379"), "{run:?}");
    });
}

#[test]
fn a_ttl_too_short_reads_the_same_whether_clap_or_etcdpy_refuses_it() {
    // Before: --ttl 0 "invalid value '0' for '--ttl <DURATION>': ..." without usage, --ttl 1s
    // "TTL '1s' is below ..." with usage lines.
    let first = |run: &Run| {
        expect(run, 2);
        assert!(!run.stderr.contains("Usage:"), "{run:?}");
        run.stderr.lines().next().unwrap_or_default().to_string()
    };
    for command in [&["set", "/k", "v"][..], &["refresh", "/k"][..]] {
        for ttl in ["0", "1s"] {
            let run = etcdpy().args(command).args(["--ttl", ttl]).run();
            assert_eq!(
                first(&run),
                format!(
                    "error: invalid value '{ttl}' for '--ttl <DURATION>': TTL '{ttl}' is below \
                     etcd's minimum lease TTL of 2s (1s with --api v2)"
                ),
                "{command:?}"
            );
        }
    }
}
