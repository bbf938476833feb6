//! Input that must be refused cleanly: durations too large to use, a stdin or a file that never
//! ends (or never comes), control bytes typed into arguments that clap's errors echo, and a
//! stderr nobody reads. Each is a usage error (exit 2, one `error:` line) in bounded time and
//! memory, sends nothing, and never panics (exit 101).

use crate::support::harness::{Etcd, EtcdpyCmd, Run, etcdpy, for_each_etcd, shared, unique};
use crate::support::util::{count, expect, leases, stored};
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// More than 100 years (and more than `Instant` can add).
const HUGE: &str = "9999999999999999999";

/// A usage error: exit 2, exactly one `error:` line saying `what`, no panic.
#[track_caller]
fn refused(run: &Run, what: &str) {
    expect(run, 2);
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("etcdpy: error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{run:?}");
    assert!(errors[0].contains(what), "{run:?}");
}

#[test]
fn durations_too_large_to_use_are_refused_before_anything_is_sent() {
    for_each_etcd(|bin| {
        // A server of its own: no other test's lease or lock key can be there.
        let etcd = Etcd::start(bin);
        let cases: &[&[&str]] = &[
            &["watch", "/k", "--timeout", HUGE],
            &["lock", "x", "--timeout", HUGE, "--", "true"],
            &["lock", "x", "--kill-after", HUGE, "--", "true"],
            &["leader", "--wait", HUGE],
            &["--dial-timeout", HUGE, "get", "/k"],
            &["--command-timeout", HUGE, "get", "/k"],
            // Just over 100 years, in both spellings.
            &["watch", "/k", "--timeout", "3155760001"],
            &["leader", "--wait", "101years"],
        ];
        for args in cases {
            let started = Instant::now();
            let run = etcdpy()
                .endpoint(&etcd)
                .args(*args)
                .timeout(Duration::from_secs(20))
                .run();
            refused(&run, "duration too large");
            assert!(run.stderr.contains("at most 100 years"), "{run:?}");
            assert!(started.elapsed() < Duration::from_secs(5), "{args:?}");
            assert!(leases(&etcd).is_empty(), "{args:?} left a lease behind");
            assert_eq!(count(&etcd, "x"), 0, "{args:?} left a lock key behind");
        }
        // 100 years itself is taken.
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["leader", "--wait", "100years"])
            .run();
        expect(&run, 0);
    });
}

#[test]
fn extreme_revisions_and_ttls_end_without_a_panic() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("extreme"));
        let max = i64::MAX.to_string();
        let cases: &[(&[&str], i32)] = &[
            (&["get", &key, "--rev", &max], 2),
            (&["get", &key, "--rev", "9223372036854775808"], 2),
            (&["watch", &key, "--rev", &max, "--timeout", "1s"], 5),
            (&["set", &key, "v", "--if-revision", &max], 4),
            (&["set", &key, "v", "--ttl", "9000000001"], 2),
            (&["get", &key, "-r", "--limit", "18446744073709551615"], 3),
        ];
        for (args, code) in cases {
            let run = etcdpy().endpoint(etcd).args(*args).run();
            assert!(!run.stderr.contains("panicked"), "{args:?}: {run:?}");
            expect(&run, *code);
        }
    });
}

/// A run of etcdpy whose stderr is a pipe nobody reads any more.
fn with_closed_stderr(args: &[&str]) -> i32 {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(env!("CARGO_BIN_EXE_etcdpy"))
        .env_clear()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(writer)
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("{args:?} still ran after 30 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_closed_stderr_keeps_the_exit_code() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let endpoint = etcd.endpoint();
        let missing = format!("{}/missing", unique("stderr"));
        let cases: &[(&[&str], i32)] = &[
            // An error from the server's answer.
            (&["--endpoints", &endpoint, "get", &missing], 3),
            // A warning first, then the error.
            (
                &[
                    "--insecure-skip-tls-verify",
                    "--endpoints",
                    &endpoint,
                    "get",
                    &missing,
                ],
                3,
            ),
            // Usage errors: clap's own, and one found after parsing.
            (&["get", "/k", "--frobnicate"], 2),
            (&["--endpoints", &endpoint, "get", ""], 2),
            (&["watch", "/k", "--timeout", HUGE], 2),
            // Nothing answers.
            (&["--endpoints", "127.0.0.1:1", "get", "/k"], 7),
        ];
        for (args, code) in cases {
            assert_eq!(with_closed_stderr(args), *code, "{args:?}");
        }
    });
}

/// etcdpy with stdin from `stdin` (a path), under a 256 MiB address-space limit.
fn capped(stdin: &str) -> EtcdpyCmd {
    EtcdpyCmd::with_program("sh").args([
        "-c",
        &format!("ulimit -v 262144 && exec \"$0\" \"$@\" < {stdin}"),
        env!("CARGO_BIN_EXE_etcdpy"),
    ])
}

#[test]
fn set_reads_no_more_of_stdin_than_a_value_can_be() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("endless"));
        let dir = tempfile::tempdir().unwrap();
        // Just over the limit, from a file: refused before anything is sent.
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; (10 << 20) + 1]).unwrap();
        for stdin in ["/dev/zero", big.to_str().unwrap()] {
            let started = Instant::now();
            let run = capped(stdin)
                .args(["--endpoints", &etcd.endpoint(), "set", &key, "--ttl", "60s"])
                .timeout(Duration::from_secs(30))
                .run();
            let took = started.elapsed();
            refused(&run, "value too large");
            assert!(run.stderr.contains("10 MiB"), "{run:?}");
            assert!(took < Duration::from_secs(5), "{stdin}: took {took:?}");
            assert!(stored(etcd, &key).is_none());
        }
    });
}

/// A FIFO in `dir`, which nobody writes.
fn fifo(dir: &std::path::Path, name: &str) -> String {
    let path = dir.join(name);
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a plain mkfifo(3) on a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    path.to_str().unwrap().to_string()
}

#[test]
fn option_files_that_never_end_or_never_come_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let nobody = fifo(dir.path(), "nobody-writes");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--user", "u", "--password-file", "/dev/zero"],
            "--password-file /dev/zero is too large",
        ),
        (
            vec!["--cacert", "/dev/zero"],
            "--cacert /dev/zero is too large",
        ),
        (
            vec!["--cert", "/dev/zero", "--key", "/dev/zero"],
            "--cert /dev/zero is too large",
        ),
        (
            vec!["--user", "u", "--password-file", &nobody],
            "nothing to read from --password-file",
        ),
        (vec!["--cacert", &nobody], "nothing to read from --cacert"),
        (
            vec!["--cert", &nobody, "--key", "/dev/null"],
            "nothing to read from --cert",
        ),
        (
            vec!["--cert", "/dev/null", "--key", &nobody],
            "nothing to read from --key",
        ),
    ];
    for (args, what) in cases {
        let started = Instant::now();
        let run = capped("/dev/null")
            .args(&args)
            .args(["--endpoints", "127.0.0.1:1", "get", "/k"])
            .timeout(Duration::from_secs(30))
            .run();
        let took = started.elapsed();
        refused(&run, what);
        assert!(took < Duration::from_secs(5), "{args:?}: took {took:?}");
    }
}

#[test]
fn a_password_written_to_a_fifo_a_little_later_is_read() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let dir = tempfile::tempdir().unwrap();
        let path = fifo(dir.path(), "pw");
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(500));
                std::fs::write(path, "secret\n").unwrap();
            })
        };
        let missing = format!("{}/missing", unique("fifo"));
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--user", "u", "--password-file", &path, "get", &missing])
            .timeout(Duration::from_secs(20))
            .run();
        writer.join().unwrap();
        // A server without auth takes the request without a token: the password was read.
        expect(&run, 3);
    });
}

/// Bytes a terminal would obey: C0 controls other than a newline, DEL, and C1 controls.
fn controls(stderr: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(stderr);
    text.chars()
        .filter(|&c| (c < ' ' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

#[test]
fn clap_errors_show_typed_control_bytes_escaped() {
    let cases: &[&[&str]] = &[
        &["get", "/k", "--\r\x0c"],
        &["g\ret", "/k"],
        &["get", "/k", "--limit", "\x1b[31m1"],
        &["--output", "\r"],
        &["--color", "\u{85}x", "get", "/k"],
        &["watch", "/k", "--timeout", "1\x01s\r"],
        &["get", "/k", "\x7f", "\x07"],
        &["get", "/k", "--keys-only=\x08"],
        &["--dial-timeout", "\x1b]0;title\x07", "get", "/k"],
    ];
    for args in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_etcdpy"))
            .env_clear()
            .args(*args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let bad = controls(&out.stderr);
        assert!(
            bad.is_empty(),
            "{args:?}: {bad:?} on stderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("error: "),
            "{args:?}: {out:?}"
        );
    }
    // Shown escaped, not dropped.
    let out = Command::new(env!("CARGO_BIN_EXE_etcdpy"))
        .env_clear()
        .args(["get", "/k", "--\r\x0c"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'--\\r\\x0c'"), "{stderr}");
}
