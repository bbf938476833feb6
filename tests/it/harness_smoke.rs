//! Smoke tests of the harness itself: it starts real servers of every configured version,
//! shares one per version, kills them, and scrubs the environment of the command under test.

use std::io::ErrorKind;
use std::net::TcpStream;

use crate::support::harness::{
    Etcd, EtcdpyCmd, etcd_binaries, etcdpy, for_each_etcd, shared, unique,
};

fn put_get(etcd: &Etcd, key: &str, value: &str) {
    let put = etcd.etcdctl(&["put", key, value]);
    assert!(put.status.success(), "etcdctl put: {put:?}");
    assert_eq!(String::from_utf8_lossy(&put.stdout).trim(), "OK");
    let get = etcd.etcdctl(&["get", key, "--print-value-only"]);
    assert!(get.status.success(), "etcdctl get: {get:?}");
    assert_eq!(String::from_utf8_lossy(&get.stdout), format!("{value}\n"));
}

#[test]
fn binaries_have_versions_and_etcdctl() {
    let bins = etcd_binaries();
    assert!(!bins.is_empty());
    for bin in bins {
        eprintln!(
            "etcd {}: {} (etcdctl {})",
            bin.version,
            bin.etcd.display(),
            bin.etcdctl.display()
        );
        assert!(bin.version.starts_with("3."), "{bin:?}");
        assert!(bin.etcdctl.is_file(), "{bin:?}");
    }
}

#[test]
fn start_put_get_kill() {
    for_each_etcd(|bin| {
        let mut etcd = Etcd::start(bin);
        eprintln!(
            "etcd {} healthy on {} after {:?}",
            etcd.version(),
            etcd.endpoint(),
            etcd.started_in()
        );
        assert_eq!(etcd.version(), bin.version);
        assert_eq!(etcd.endpoint(), format!("http://127.0.0.1:{}", etcd.port()));
        let key = unique("smoke");
        put_get(&etcd, &key, "hello");

        let port = etcd.port();
        etcd.kill();
        etcd.kill(); // idempotent
        let err =
            TcpStream::connect(("127.0.0.1", port)).expect_err("the killed server still listens");
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
    });
}

#[test]
fn start_with_extra_args() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start_with(bin, &["--max-request-bytes=1024"]);
        let key = unique("big");
        let big = "x".repeat(2048);
        let put = etcd.etcdctl(&["put", &key, &big]);
        assert!(
            !put.status.success(),
            "a 2 KiB put passed --max-request-bytes=1024: {put:?}"
        );
        let stderr = String::from_utf8_lossy(&put.stderr);
        assert!(stderr.contains("request is too large"), "{stderr}");
        put_get(&etcd, &key, "small");
    });
}

#[test]
fn shared_server_is_shared() {
    for_each_etcd(|bin| {
        let a = shared(bin);
        let b = shared(bin);
        assert!(std::ptr::eq(a, b));
        assert_eq!(a.version(), bin.version);
        let key = unique("shared");
        put_get(a, &key, "one");
        put_get(b, &key, "two");
    });
}

#[test]
fn unique_prefixes_differ() {
    let a = unique("x");
    let b = unique("x");
    assert_ne!(a, b);
    assert!(a.starts_with("/t/x-"), "{a}");
}

#[test]
fn for_each_etcd_names_the_failing_version() {
    let bins = etcd_binaries();
    let err =
        std::panic::catch_unwind(|| for_each_etcd(|bin| panic!("boom {}", bin.etcd.display())))
            .expect_err("for_each_etcd swallowed a panic");
    let msg = err
        .downcast_ref::<String>()
        .expect("a String panic message");
    for bin in bins {
        assert!(msg.contains(&format!("etcd {} (", bin.version)), "{msg}");
        assert!(
            msg.contains(&format!("boom {}", bin.etcd.display())),
            "{msg}"
        );
    }
}

#[test]
fn command_environment_is_scrubbed() {
    let run = EtcdpyCmd::with_program("env")
        .env("ETCDPY_EXPLICIT", "yes")
        .env("TERM_LIKE", "kept")
        .run();
    assert_eq!(run.code, 0, "{run:?}");
    let out = run.out();
    for line in out.lines() {
        let (key, _) = line.split_once('=').unwrap_or((line, ""));
        let allowed = key == "ETCDPY_EXPLICIT" || key == "TERM_LIKE";
        assert!(
            allowed
                || !(key.starts_with("ETCDPY_")
                    || key.starts_with("ETCDCTL_")
                    || ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"].contains(&key)),
            "{key} leaked into the command's environment:\n{out}"
        );
    }
    assert!(out.lines().any(|l| l == "ETCDPY_EXPLICIT=yes"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("PATH=")), "{out}");
}

#[test]
fn command_stdin_and_timeout() {
    let run = EtcdpyCmd::with_program("cat").stdin("piped in").run();
    assert_eq!((run.code, run.out().as_str()), (0, "piped in"), "{run:?}");
    let run = EtcdpyCmd::with_program("cat").run();
    assert_eq!(
        (run.code, run.out().as_str()),
        (0, ""),
        "stdin is not null: {run:?}"
    );
    let slow = std::panic::catch_unwind(|| {
        EtcdpyCmd::with_program("sleep")
            .arg("30")
            .timeout(std::time::Duration::from_millis(200))
            .run()
    });
    assert!(slow.is_err(), "the timeout did not fire");
}

#[test]
fn etcdpy_help_runs() {
    let run = etcdpy().arg("--help").run();
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.is_empty(), "{run:?}");
}

/// The interop tests' etcdctl (each version's own) says nothing on stderr for a plain write:
/// etcd 3.6+'s etcdctl warns about `ETCDCTL_API=3` ("unrecognized environment variable"), so
/// the harness does not set it (v3 is etcdctl's default since 3.4).
#[test]
fn etcdctl_of_every_version_writes_without_noise() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("etcdctl-quiet"));
        let out = etcd.etcdctl(&["put", &key, "v"]);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "etcdctl {}",
            bin.version
        );
    });
}

/// No suite imports another (issue 23): a file of tests/it names no module of the crate but
/// `support` (no `crate::` path to another, no `super` path), and nothing in `support/` names a
/// suite. What suites share lives in `support/`.
#[test]
fn support_is_the_only_shared_module() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(all.len() > 40, "{all:?}");
    // Spelt apart so that this test's own text does not match.
    let (krate, sup) = (["crate", "::"].concat(), ["super", "::"].concat());
    let mut wrong = Vec::new();
    for path in &all {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&root).unwrap().display().to_string();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(at) = rest.find(&krate) {
                rest = &rest[at + krate.len()..];
                if !rest.starts_with("support") {
                    wrong.push(format!("{name}:{}: {}", n + 1, line.trim()));
                }
            }
            if code.contains(&sup) {
                wrong.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a suite may import only crate::support (move what is shared there):\n{}",
        wrong.join("\n")
    );
}
