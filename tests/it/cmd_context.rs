//! `etcdpy context` and `--context` (issue 25): contexts in a config file against real servers.
//! Precedence (command line > environment > context > default) checked against the URL
//! `--debug` shows; read_only refusals with the keyspace unchanged (read with etcdctl);
//! confirm without a terminal; bad config files refused and left byte for byte unchanged;
//! 20 concurrent `context use` leave a valid file. Helpers are this suite's own.

use crate::support::harness::{
    Etcd, EtcdpyCmd, etcdpy, for_each_etcd, for_each_etcd_v2, shared, unique,
};
use std::path::{Path, PathBuf};

/// A config file in a fresh directory, and etcdpy pointed at it (ETCDPY_CONFIG).
struct Cfg {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Cfg {
    fn new(text: &str) -> Cfg {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        if !text.is_empty() {
            std::fs::write(&path, text).unwrap();
        }
        Cfg { _dir: dir, path }
    }
    fn etcdpy(&self) -> EtcdpyCmd {
        etcdpy().env("ETCDPY_CONFIG", &self.path)
    }
    fn text(&self) -> String {
        std::fs::read_to_string(&self.path).unwrap_or_default()
    }
    fn dir(&self) -> &Path {
        self.path.parent().unwrap()
    }
}

#[track_caller]
fn expect(run: &crate::support::harness::Run, code: i32) {
    assert_eq!(run.code, code, "{run:?}");
}

/// The keyspace as etcdctl sees it (keys and values).
fn keyspace(etcd: &Etcd) -> String {
    let out = etcd.etcdctl(&["get", "", "--prefix"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_context_names_the_servers_and_each_source_wins_in_order() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("ctx");
        let cfg = Cfg::new("");
        let add = cfg
            .etcdpy()
            .args(["context", "add", "dev", "--endpoints", &etcd.endpoint()])
            .args(["--dial-timeout", "3s", "--label", "DEV"])
            .run();
        expect(&add, 0);
        expect(&cfg.etcdpy().args(["context", "use", "dev"]).run(), 0);
        // The context's endpoint is the one used.
        let set = cfg.etcdpy().args(["--debug", "set", &key, "v"]).run();
        expect(&set, 0);
        assert!(
            set.stderr
                .contains(&format!("POST {}/v3/kv/put", etcd.endpoint())),
            "{set:?}"
        );
        let show = cfg.etcdpy().args(["context", "show"]).run();
        expect(&show, 0);
        let out = show.out();
        assert!(out.contains("context dev [DEV]"), "{out}");
        assert!(
            out.lines()
                .any(|l| l.contains("dial_timeout") && l.contains("(context dev)")),
            "{out}"
        );
        assert!(
            out.lines()
                .any(|l| l.contains("command_timeout") && l.contains("(default)")),
            "{out}"
        );
        // The environment overrides the context (and --debug says so); the command line both.
        let dead = "http://127.0.0.1:9";
        let env = cfg
            .etcdpy()
            .env("ETCDPY_ENDPOINTS", dead)
            .args(["--debug", "get", &key])
            .run();
        expect(&env, 7);
        assert!(
            env.stderr.contains(&format!("POST {dead}/v3/kv/range")),
            "{env:?}"
        );
        assert!(
            env.stderr
                .contains("ETCDPY_ENDPOINTS (environment) overrides endpoints of context dev"),
            "{env:?}"
        );
        let show = cfg
            .etcdpy()
            .env("ETCDPY_ENDPOINTS", dead)
            .args(["context", "show", "-o", "json"])
            .run();
        assert!(
            show.out()
                .contains("environment variable ETCDPY_ENDPOINTS, overrides context dev"),
            "{show:?}"
        );
        let cli = cfg
            .etcdpy()
            .env("ETCDPY_ENDPOINTS", dead)
            .args(["--debug", "--endpoints", &etcd.endpoint(), "get", &key])
            .run();
        expect(&cli, 0);
        assert!(
            cli.stderr
                .contains(&format!("POST {}/v3/kv/range", etcd.endpoint())),
            "{cli:?}"
        );
        // A context without endpoints: the default's URL.
        let cfg2 = Cfg::new("[contexts.slow]\ncommand_timeout = \"9s\"\n");
        let run = cfg2
            .etcdpy()
            .args(["--context", "slow", "--debug", "get", &key])
            .run();
        assert!(
            run.stderr
                .contains("POST http://127.0.0.1:2379/v3/kv/range"),
            "{run:?}"
        );
        // --context picks another one for one command; an unknown one lists the known ones.
        let other = cfg
            .etcdpy()
            .args(["context", "add", "gone", "--endpoints", dead])
            .run();
        expect(&other, 0);
        let run = cfg.etcdpy().args(["--context", "gone", "get", &key]).run();
        expect(&run, 7);
        let run = cfg.etcdpy().args(["--context", "nope", "get", &key]).run();
        expect(&run, 2);
        assert!(
            run.stderr
                .contains("unknown context 'nope'; known: dev, gone"),
            "{run:?}"
        );
        let ls = cfg.etcdpy().args(["context", "ls", "--names"]).run();
        assert_eq!(ls.out(), "dev\ngone\n");
        let ls = cfg.etcdpy().args(["context", "ls"]).run();
        assert!(ls.out().starts_with("* dev"), "{ls:?}");
    });
}

#[test]
fn read_only_refuses_writes_before_sending_anything() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let p = unique("ro");
        etcd.etcdctl(&["put", &format!("{p}/a"), "1"]);
        let cfg = Cfg::new(&format!(
            "# production\n[contexts.prod]\nendpoints = [\"{}\"]\nread_only = true\nlabel = \"PROD\"\n",
            etcd.endpoint()
        ));
        let before = keyspace(&etcd);
        let dump = cfg.dir().join("dump.ndjson");
        std::fs::write(&dump, "").unwrap();
        let dump = dump.display().to_string();
        let a = format!("{p}/a");
        let cases: Vec<Vec<&str>> = vec![
            vec!["set", &a, "2"],
            vec!["rm", &a],
            vec!["lock", "ctx-ro", "--", "true"],
            vec!["load", &dump],
            vec!["migrate"],
        ];
        for args in &cases {
            let run = cfg
                .etcdpy()
                .args(["--context", "prod", "--debug"])
                .args(args)
                .run();
            expect(&run, 13);
            assert!(
                run.stderr.contains("context prod is read-only"),
                "{args:?}: {run:?}"
            );
            assert!(
                !run.stderr.contains("POST"),
                "{args:?} sent a request: {run:?}"
            );
        }
        assert_eq!(keyspace(&etcd), before);
        // Reads go on.
        expect(
            &cfg.etcdpy().args(["--context", "prod", "get", &a]).run(),
            0,
        );
    });
}

#[test]
fn confirm_needs_yes_without_a_terminal() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("confirm");
        let cfg = Cfg::new(&format!(
            "current = \"prod\"\n[contexts.prod]\nendpoints = [\"{}\"]\nconfirm = true\n",
            etcd.endpoint()
        ));
        let run = cfg.etcdpy().args(["set", &key, "1"]).run();
        expect(&run, 13);
        assert!(
            run.stderr.contains("context prod asks before writing"),
            "{run:?}"
        );
        expect(&cfg.etcdpy().args(["get", &key]).run(), 3);
        expect(&cfg.etcdpy().args(["--yes", "set", &key, "1"]).run(), 0);
        expect(&cfg.etcdpy().args(["get", &key]).run(), 0);
    });
}

#[test]
fn password_file_and_password_command_through_a_context() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        for args in [&["user", "add", "root:Pw-root-1"][..], &["auth", "enable"]] {
            let out = etcd.etcdctl(args);
            assert!(out.status.success(), "{out:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let pw = dir.path().join("pw");
        std::fs::write(&pw, "Pw-root-1\n").unwrap();
        let cfg = Cfg::new(&format!(
            "[contexts.file]\nendpoints = [\"{e}\"]\nuser = \"root\"\npassword_file = \"{}\"\n\
             [contexts.cmd]\nendpoints = [\"{e}\"]\nuser = \"root\"\npassword_command = \"echo Pw-root-1\"\n\
             [contexts.bad]\nendpoints = [\"{e}\"]\nuser = \"root\"\npassword_command = \"echo no vault >&2; exit 4\"\n\
             [contexts.empty]\nendpoints = [\"{e}\"]\nuser = \"root\"\npassword_command = \"true\"\n",
            pw.display(),
            e = etcd.endpoint()
        ));
        expect(
            &cfg.etcdpy()
                .args(["--context", "file", "set", "/ctx/a", "1"])
                .run(),
            0,
        );
        let get = cfg
            .etcdpy()
            .args(["--context", "cmd", "get", "/ctx/a"])
            .run();
        expect(&get, 0);
        assert_eq!(get.out(), "1\n");
        let bad = cfg
            .etcdpy()
            .args(["--context", "bad", "get", "/ctx/a"])
            .run();
        expect(&bad, 8);
        assert!(
            bad.stderr
                .contains("password_command of context bad failed (exit 4): no vault"),
            "{bad:?}"
        );
        let empty = cfg
            .etcdpy()
            .args(["--context", "empty", "get", "/ctx/a"])
            .run();
        expect(&empty, 8);
        assert!(
            empty.stderr.contains("context empty printed nothing"),
            "{empty:?}"
        );
        let show = cfg.etcdpy().args(["context", "show", "cmd"]).run();
        assert!(
            !show.out().contains("Pw-root-1\n") || show.out().contains("echo Pw-root-1"),
            "{show:?}"
        );
    });
}

#[test]
fn a_v2_context() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let key = unique("ctxv2");
        let cfg = Cfg::new(&format!(
            "[contexts.py]\nendpoints = [\"{}\"]\napi = \"v2\"\n",
            etcd.endpoint()
        ));
        let set = cfg
            .etcdpy()
            .args(["--context", "py", "--debug", "set", &key, "v"])
            .run();
        expect(&set, 0);
        assert!(set.stderr.contains("/v2/keys"), "{set:?}");
        let get = cfg.etcdpy().args(["--context", "py", "get", &key]).run();
        assert_eq!(get.out(), "v\n");
    });
}

#[test]
fn bad_config_files_are_refused_and_left_unchanged() {
    let cases: &[(&str, &str)] = &[
        (
            "current = \"dev\"\n[contexts.dev\nendpoints = [\"x\"]\n",
            ":2:14: TOML syntax error",
        ),
        (
            "# mine\n[contexts.dev]\nendpoint = [\"http://a:1\"]\n",
            ":3:1: unknown key 'endpoint' in context dev; did you mean 'endpoints'?",
        ),
        (
            "[contexts.dev]\ndial_timeout = \"soon\"\n",
            ":2:1: invalid value 'soon' for dial_timeout",
        ),
        (
            "colour = 1\n",
            ":1:1: unknown key 'colour' at the top level",
        ),
    ];
    for (text, message) in cases {
        let cfg = Cfg::new(text);
        for args in [
            &["--context", "dev", "get", "/a"][..],
            &["context", "use", "dev"],
            &["context", "add", "x", "--endpoints", "a:1"],
        ] {
            let run = cfg.etcdpy().args(args).run();
            expect(&run, 2);
            assert!(run.stderr.contains(message), "{args:?}: {run:?}");
            assert_eq!(cfg.text(), *text);
        }
    }
    // A plaintext password in a file others can read.
    let text = "[contexts.dev]\nuser = \"root\"\npassword = \"x\"\n";
    let cfg = Cfg::new(text);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cfg.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = cfg.etcdpy().args(["context", "use", "dev"]).run();
    expect(&run, 8);
    assert!(
        run.stderr
            .contains(&format!("chmod 600 {}", cfg.path.display())),
        "{run:?}"
    );
    assert_eq!(cfg.text(), text);
    // Overwriting without --force; removing an unknown one.
    let text = "[contexts.dev]\nendpoints = [\"http://a:1\"]\n";
    let cfg = Cfg::new(text);
    let run = cfg
        .etcdpy()
        .args(["context", "add", "dev", "--endpoints", "b:2"])
        .run();
    expect(&run, 2);
    assert!(run.stderr.contains("give --force"), "{run:?}");
    expect(&cfg.etcdpy().args(["context", "rm", "zzz"]).run(), 2);
    assert_eq!(cfg.text(), text);
    // A file that cannot be written (its directory is a file): an error, not a silent no-op.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f"), "").unwrap();
    // A file made read-only (mode 0444; refused even for root, who could rename over it).
    let text = "[contexts.a]\nendpoints = [\"http://a:1\"]\n";
    let cfg = Cfg::new(text);
    std::fs::set_permissions(&cfg.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = cfg.etcdpy().args(["context", "use", "a"]).run();
    expect(&run, 1);
    assert!(run.stderr.contains("not writable"), "{run:?}");
    assert_eq!(cfg.text(), text);
    // add --check against a cluster that does not answer saves nothing.
    let run = cfg
        .etcdpy()
        .args([
            "context",
            "add",
            "dead",
            "--check",
            "--endpoints",
            "http://127.0.0.1:9",
        ])
        .run();
    expect(&run, 7);
    assert_eq!(cfg.text(), text);
    let run = etcdpy()
        .env("ETCDPY_CONFIG", dir.path().join("f/config.toml"))
        .args(["context", "add", "x", "--endpoints", "a:1"])
        .run();
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("cannot"), "{run:?}");
}

#[test]
fn a_fifo_or_a_huge_config_file_is_refused_at_once() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    // A FIFO nobody writes to (it was read, blocking every command for ever).
    let fifo = dir.path().join("fifo.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // 100 MB (it was read whole: 210 MB of RSS and seconds before a word).
    let huge = dir.path().join("huge.toml");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(100_000_000).unwrap();
    for (path, message) in [(&fifo, "not a regular file"), (&huge, "larger than 4 MiB")] {
        for args in [&["get", "/a"][..], &["context", "use", "a"]] {
            let started = Instant::now();
            let run = etcdpy()
                .env("ETCDPY_CONFIG", path)
                .args(args)
                .timeout(Duration::from_secs(20))
                .run();
            expect(&run, 2);
            assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
            assert!(run.stderr.contains(message), "{args:?}: {run:?}");
            assert!(started.elapsed() < Duration::from_secs(10), "{run:?}");
        }
    }
    assert_eq!(std::fs::metadata(&huge).unwrap().len(), 100_000_000);
}

#[test]
fn a_password_command_that_hangs_or_floods_is_bounded() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let pid = dir.path().join("pid");
    let cfg = |command: &str| {
        Cfg::new(&format!(
            "[contexts.p]\nendpoints = [\"http://127.0.0.1:9\"]\nuser = \"root\"\npassword_command = '{command}'\n"
        ))
    };
    // 10 MB on stdout: refused, not sent to the server as a password (it was: exit 2).
    let big = cfg("head -c 10000000 /dev/zero");
    let run = big.etcdpy().args(["--context", "p", "get", "/a"]).run();
    expect(&run, 8);
    assert!(
        run.stderr
            .contains("password_command of context p printed more than 64 KiB"),
        "{run:?}"
    );
    // A command that never ends (sh forks: the sleep is killed with it). It ran for ever.
    let text = format!("echo $$ > {}; sleep 600; echo pw", pid.display());
    let hang = cfg(&text);
    let started = Instant::now();
    let run = hang
        .etcdpy()
        .args(["--context", "p", "get", "/a"])
        .timeout(Duration::from_secs(90))
        .run();
    expect(&run, 8);
    assert!(
        run.stderr.contains("did not finish within 30s (killed)"),
        "{run:?}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(60), "{run:?}");
    let group: i32 = std::fs::read_to_string(&pid)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // No live process is left in its group (a zombie waiting for init to reap it is dead:
    // kill(-group, 0) still counts those, so /proc is read instead).
    let deadline = Instant::now() + Duration::from_secs(5);
    while !live_in_group(group).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        live_in_group(group),
        Vec::<i32>::new(),
        "its process group lives on"
    );
}

/// The processes of process group `group` that are not zombies.
fn live_in_group(group: i32) -> Vec<i32> {
    let mut live = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'.
        let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.len() > 2 && fields[0] != "Z" && fields[2] == group.to_string() {
            live.push(pid);
        }
    }
    live
}

#[test]
fn edits_keep_comments_and_use_dash_goes_back() {
    let text = "# my clusters\ncurrent = \"a\"\n\n[contexts.a] # first\nendpoints = [\"http://a:1\"]\n\n[contexts.b]\nendpoints = [\"http://b:1\"]\n";
    let cfg = Cfg::new(text);
    expect(&cfg.etcdpy().args(["context", "use", "b"]).run(), 0);
    let now = cfg.text();
    assert!(
        now.contains("# my clusters") && now.contains("[contexts.a] # first"),
        "{now}"
    );
    assert!(
        now.contains("current = \"b\"") && now.contains("previous = \"a\""),
        "{now}"
    );
    expect(&cfg.etcdpy().args(["context", "use", "-"]).run(), 0);
    assert!(cfg.text().contains("current = \"a\""));
    expect(&cfg.etcdpy().args(["context", "rm", "b"]).run(), 0);
    assert!(
        !cfg.text().contains("contexts.b") && !cfg.text().contains("previous"),
        "{}",
        cfg.text()
    );
    // A current context that went missing stops commands (exit 2) but not `context use`.
    let cfg = Cfg::new("current = \"gone\"\n[contexts.a]\nendpoints = [\"http://a:1\"]\n");
    let run = cfg.etcdpy().args(["get", "/k"]).run();
    expect(&run, 2);
    assert!(
        run.stderr.contains("unknown context 'gone'; known: a"),
        "{run:?}"
    );
    expect(&cfg.etcdpy().args(["context", "use", "a"]).run(), 0);
    assert!(!cfg.text().contains("gone"), "{}", cfg.text());
}

#[test]
fn twenty_concurrent_context_use_leave_a_valid_file() {
    let cfg = Cfg::new(
        "# keep me\n[contexts.a]\nendpoints = [\"http://a:1\"]\n[contexts.b]\nendpoints = [\"http://b:1\"]\n",
    );
    let children: Vec<_> = (0..20)
        .map(|i| {
            cfg.etcdpy()
                .args(["context", "use", if i % 2 == 0 { "a" } else { "b" }])
                .spawn()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let ls = cfg.etcdpy().args(["context", "ls", "-o", "json"]).run();
    expect(&ls, 0);
    let value: serde_json::Value = serde_json::from_slice(&ls.stdout).unwrap();
    let current: Vec<&str> = value["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["current"] == true)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(current == ["a"] || current == ["b"], "{current:?}");
    assert!(cfg.text().contains("# keep me"), "{}", cfg.text());
    let leftovers = std::fs::read_dir(cfg.dir()).unwrap().count();
    assert_eq!(leftovers, 1, "temporary files left behind");
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, in `dir`.
fn tls_files(dir: &Path) -> crate::support::harness::TlsFiles {
    use crate::support::certs::{Leaf, make_ca, make_leaf};
    make_ca(dir, "ca");
    for (name, san) in [
        ("server", &["DNS:localhost", "IP:127.0.0.1"][..]),
        ("client", &["DNS:etcdpy-client"][..]),
    ] {
        let leaf = Leaf {
            name,
            ca: "ca",
            san,
            dates: None,
        };
        make_leaf(dir, &leaf);
    }
    crate::support::harness::TlsFiles {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
        client_cert: dir.join("client.pem"),
        client_key: dir.join("client.key"),
    }
}

/// A context with TLS client certificates, saved by `context add --check`, then every command
/// family run through it with no option but --context.
#[test]
fn every_command_family_through_a_tls_context() {
    for_each_etcd(|bin| {
        let certs = tempfile::tempdir().unwrap();
        let tls = tls_files(certs.path());
        let etcd = Etcd::start_tls(bin, &tls);
        let cfg = Cfg::new("");
        let add = cfg
            .etcdpy()
            .args([
                "context",
                "add",
                "secure",
                "--check",
                "--endpoints",
                &etcd.endpoint(),
            ])
            .arg("--cacert")
            .arg(&tls.ca)
            .arg("--cert")
            .arg(&tls.client_cert)
            .arg("--key")
            .arg(&tls.client_key)
            .run();
        expect(&add, 0);
        // --check printed the members that answered.
        assert!(add.out().contains(etcd.name()), "{add:?}");
        let text = cfg.text();
        assert!(
            text.contains(&format!("cacert = \"{}\"", tls.ca.display())),
            "{text}"
        );
        let snap = cfg.dir().join("snap.db");
        let dump = cfg.dir().join("dump.ndjson");
        let (snap, dump) = (snap.display().to_string(), dump.display().to_string());
        let ctx = |args: &[&str]| cfg.etcdpy().args(["--context", "secure"]).args(args).run();
        for (args, code) in [
            (&["set", "/c/a", "1"][..], 0),
            (&["set", "/c/t", "2", "--ttl", "60s"], 0),
            (&["refresh", "/c/t", "--ttl", "120s"], 0),
            (&["get", "/c", "-r"], 0),
            (&["wait", "/c/a", "--for", "exists"], 0),
            (&["watch", "/c/a", "--rev", "1", "--count", "1"], 0),
            (&["lock", "ctx", "--", "true"], 0),
            (&["elect", "ctx-e", "--leader"], 3),
            (&["members"], 0),
            (&["leader"], 0),
            (&["lease", "list"], 0),
            (&["alarm", "list"], 0),
            (&["compact", "--keep-revisions", "100", "--dry-run"], 0),
            (&["snapshot", "save", &snap], 0),
            (&["rm", "/c/a"], 0),
        ] {
            let run = ctx(args);
            assert_eq!(run.code, code, "{args:?}: {run:?}");
        }
        let run = ctx(&["dump", "/c"]);
        expect(&run, 0);
        std::fs::write(&dump, &run.stdout).unwrap();
        expect(&ctx(&["rm", "/c/t"]), 0);
        expect(&ctx(&["load", &dump]), 0);
        let out = etcd.etcdctl(&["get", "/c/t", "--print-value-only"]);
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2");
    });
}

/// `line` run on a pseudo-terminal (util-linux `script`), `input` typed into it.
fn on_pty(line: &str, input: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let mut child = std::process::Command::new("script")
        .args(["-qefc", line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .env("XDG_CONFIG_HOME", "/nonexistent/etcdpy-tests")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` is needed for the terminal tests");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    drop(stdin);
    let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    (out.status.code(), shown)
}

#[test]
fn confirm_asks_on_a_terminal() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("confirm-pty");
        let cfg = Cfg::new(&format!(
            "[contexts.prod]\nendpoints = [\"{}\"]\nconfirm = true\nlabel = \"PROD\"\n",
            etcd.endpoint()
        ));
        let line = format!(
            "ETCDPY_CONFIG='{}' {} --context prod set {key} v",
            cfg.path.display(),
            env!("CARGO_BIN_EXE_etcdpy")
        );
        let (code, shown) = on_pty(&line, "n\n");
        assert_eq!(code, Some(13), "{shown}");
        let question = format!("write to context prod ({})? [y/N]", etcd.endpoint());
        assert!(shown.contains(&question), "{shown}");
        expect(
            &cfg.etcdpy().args(["--context", "prod", "get", &key]).run(),
            3,
        );
        let (code, shown) = on_pty(&line, "y\n");
        assert_eq!(code, Some(0), "{shown}");
        expect(
            &cfg.etcdpy().args(["--context", "prod", "get", &key]).run(),
            0,
        );
    });
}

#[test]
fn contexts_from_etcdctl_variables_and_from_kubeadm() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let cfg = Cfg::new("");
        let add = cfg
            .etcdpy()
            .env("ETCDCTL_ENDPOINTS", etcd.endpoint())
            .env("ETCDCTL_DIAL_TIMEOUT", "4s")
            .env("ETCDCTL_API", "3")
            .args(["context", "add", "ctl", "--from-etcdctl-env"])
            .run();
        expect(&add, 0);
        let text = cfg.text();
        assert!(
            text.contains(&format!("endpoints = [\"{}\"]", etcd.endpoint())),
            "{text}"
        );
        assert!(
            text.contains("dial_timeout = \"4s\"") && !text.contains("api"),
            "{text}"
        );
        let members = cfg.etcdpy().args(["--context", "ctl", "members"]).run();
        expect(&members, 0);
    });
    // kubeadm's files: each checked readable; the file is left unchanged when one is missing.
    let cfg = Cfg::new("# mine\n");
    let pki = tempfile::tempdir().unwrap();
    for file in ["ca.crt", "healthcheck-client.crt"] {
        std::fs::write(pki.path().join(file), "x").unwrap();
    }
    let kubeadm = || {
        cfg.etcdpy()
            .args(["context", "add", "kube", "--from-kubeadm", "--pki"])
            .arg(pki.path())
            .run()
    };
    let run = kubeadm();
    expect(&run, 2);
    assert!(run.stderr.contains("healthcheck-client.key"), "{run:?}");
    assert_eq!(cfg.text(), "# mine\n");
    std::fs::write(pki.path().join("healthcheck-client.key"), "x").unwrap();
    expect(&kubeadm(), 0);
    let text = cfg.text();
    assert!(
        text.contains("endpoints = [\"https://127.0.0.1:2379\"]"),
        "{text}"
    );
    let key = pki.path().join("healthcheck-client.key");
    assert!(
        text.contains(&format!("key = \"{}\"", key.display())),
        "{text}"
    );
}

/// bash completes context names for `--context` and `context use`, from `context ls --names`.
#[test]
fn bash_completes_context_names() {
    let cfg = Cfg::new(
        "[contexts.dev]\nendpoints = [\"http://a:1\"]\n[contexts.prod]\nendpoints = [\"http://b:1\"]\n",
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/etcdpy.bash");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_etcdpy")).parent().unwrap();
    let probe = format!(
        "source '{}'; COMP_WORDS=(etcdpy context use ''); COMP_CWORD=3; _etcdpy etcdpy '' use; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\" | grep -v '^-'; \
         COMP_WORDS=(etcdpy --context p); COMP_CWORD=2; _etcdpy etcdpy p --context; echo \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &probe])
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
        .env("ETCDPY_CONFIG", &cfg.path)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "dev\nprod\nprod\n",
        "{out:?}"
    );
}

/// `context ls -o json` and `context show -o json` against independent copies of their schema;
/// a password never appears in show, whether in the file (mode 0600) or in the environment.
#[test]
fn json_schemas_and_no_secret_shown() {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Listed {
        file: String,
        contexts: Vec<Row>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Row {
        name: String,
        current: bool,
        endpoints: Vec<String>,
        label: Option<String>,
        read_only: bool,
        confirm: bool,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shown {
        file: String,
        context: Option<String>,
        label: Option<String>,
        read_only: bool,
        confirm: bool,
        settings: Vec<Setting>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Setting {
        key: String,
        value: Option<String>,
        from: String,
    }
    let cfg = Cfg::new(
        "current = \"s\"\n[contexts.s]\nendpoints = [\"http://a:1\"]\nuser = \"bob\"\npassword = \"Sekr1t-file\"\nlabel = \"S\"\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cfg.path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let ls = cfg.etcdpy().args(["context", "ls", "-o", "json"]).run();
    expect(&ls, 0);
    let listed: Listed = serde_json::from_slice(&ls.stdout).unwrap();
    assert_eq!(listed.contexts[0].label.as_deref(), Some("S"));
    for env in [None, Some("Sekr1t-env")] {
        let mut cmd = cfg.etcdpy().args(["context", "show", "-o", "json"]);
        if let Some(pw) = env {
            cmd = cmd.env("ETCDPY_PASSWORD", pw);
        }
        let show = cmd.run();
        expect(&show, 0);
        let shown: Shown = serde_json::from_slice(&show.stdout).unwrap();
        let password = shown.settings.iter().find(|s| s.key == "password").unwrap();
        assert_eq!(password.value.as_deref(), Some("(set)"));
        let text = format!("{}{}", show.out(), show.stderr);
        assert!(!text.contains("Sekr1t"), "{text}");
        let text = cfg.etcdpy().args(["context", "show"]).run();
        assert!(!text.out().contains("Sekr1t"), "{text:?}");
    }
}
