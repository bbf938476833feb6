//! etcd authentication against real servers with auth enabled (set up with etcdctl): a root
//! user and a restricted user `alice` whose role may read and write `/app/` and lock
//! `/_locks/app/` only. Every command works as alice on her keys and is refused (exit 8,
//! naming the key) elsewhere; a wrong password exits 8; a revoked token is renewed once,
//! transparently; no password or token appears in any output.
//!
//! On `--api v2`: HTTP Basic, its refusals exit 8; a user without root refused by the operator's
//! commands.

use crate::support::auth::{PASSWORD, ROOT, alice, auth_etcd, root_ctl};
use crate::support::cluster::Cluster;
use crate::support::harness::{Etcd, for_each_etcd_v2};
use crate::support::harness::{Run, etcdpy, for_each_etcd, shared, unique};
use crate::support::pyetcd::{py, py_as};
use crate::support::util::{expect, put};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Nothing secret in what a user sees: the passwords, or anything shaped like a simple token
/// (16 letters, a dot, digits) — etcdpy never prints the one it holds.
#[track_caller]
fn no_secrets(run: &Run) {
    let all = format!("{}\n{}", run.out(), run.stderr);
    for secret in [PASSWORD, "R00t-pw-5x"] {
        assert!(!all.contains(secret), "a password leaked\n{run:?}");
    }
    let bytes = all.as_bytes();
    for start in 0..bytes.len().saturating_sub(17) {
        let letters = &bytes[start..start + 16];
        if letters.iter().all(u8::is_ascii_alphabetic)
            && bytes[start + 16] == b'.'
            && bytes.get(start + 17).is_some_and(u8::is_ascii_digit)
            && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
        {
            panic!("something shaped like a token leaked\n{run:?}");
        }
    }
}

#[track_caller]
fn refused(run: &Run, key: &str) {
    expect(run, 8);
    assert!(
        run.stderr.contains("permission denied") && run.stderr.contains(key),
        "the refusal names the key {key}\n{run:?}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
}

#[test]
fn every_command_works_as_a_restricted_user_on_its_own_keys() {
    for_each_etcd(|bin| {
        let etcd = auth_etcd(bin);
        let runs = [
            alice(&etcd).args(["set", "/app/a", "1"]).run(),
            alice(&etcd)
                .args(["set", "/app/t", "v", "--ttl", "30s"])
                .run(),
            alice(&etcd)
                .args(["refresh", "/app/t", "--ttl", "60s"])
                .run(),
            alice(&etcd).args(["get", "/app/a"]).run(),
            alice(&etcd)
                .args(["get", "/app/", "-r", "-o", "json"])
                .run(),
            alice(&etcd).args(["members"]).run(),
            alice(&etcd).args(["leader"]).run(),
            alice(&etcd)
                .args(["lock", "app/job", "--", "sh", "-c", "echo held"])
                .run(),
            alice(&etcd)
                .args(["set", "/app/c", "2", "--if-absent"])
                .run(),
        ];
        for run in &runs {
            expect(run, 0);
            no_secrets(run);
        }
        assert_eq!(runs[3].out(), "1\n");
        let listing: serde_json::Value = serde_json::from_slice(&runs[4].stdout).unwrap();
        assert_eq!(listing["count"], 2, "{:?}", runs[4]);
        assert!(runs[5].out().contains("leader"), "{:?}", runs[5]);
        assert_eq!(runs[7].out(), "held\n");
        // The keyspace as root sees it.
        let t = root_ctl(&etcd, &["get", "/app/t", "-w", "json"]);
        assert!(t.contains("\"lease\""), "the TTL key has a lease: {t}");
        assert_eq!(
            root_ctl(&etcd, &["get", "/app/c", "--print-value-only"]),
            "2\n"
        );
        assert_eq!(root_ctl(&etcd, &["get", "/_locks/app/", "--prefix"]), "");

        // watch: an event written by root reaches alice's watch.
        let child = alice(&etcd).args(["watch", "/app/w", "-o", "json"]).spawn();
        std::thread::sleep(Duration::from_millis(700));
        root_ctl(&etcd, &["put", "/app/w", "seen"]);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let event: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(event["value"], "seen");

        let run = alice(&etcd).args(["rm", "/app/", "-r"]).run();
        expect(&run, 0);
        assert_eq!(
            root_ctl(&etcd, &["get", "/app/", "--prefix", "--keys-only"]),
            ""
        );
    });
}

#[test]
fn permission_denied_exits_8_naming_the_key() {
    for_each_etcd(|bin| {
        let etcd = auth_etcd(bin);
        root_ctl(&etcd, &["put", "/secret/x", "root only"]);
        refused(&alice(&etcd).args(["get", "/secret/x"]).run(), "/secret/x");
        refused(
            &alice(&etcd).args(["get", "/secret/", "-r"]).run(),
            "/secret/",
        );
        refused(
            &alice(&etcd).args(["set", "/secret/x", "mine"]).run(),
            "/secret/x",
        );
        refused(
            &alice(&etcd)
                .args(["set", "/secret/y", "v", "--ttl", "10s"])
                .run(),
            "/secret/y",
        );
        refused(&alice(&etcd).args(["rm", "/secret/x"]).run(), "/secret/x");
        refused(
            &alice(&etcd)
                .args(["refresh", "/secret/x", "--ttl", "60s"])
                .run(),
            "/secret/x",
        );
        refused(
            &alice(&etcd).args(["watch", "/secret/x"]).run(),
            "/secret/x",
        );
        refused(
            &alice(&etcd).args(["lock", "other", "--", "true"]).run(),
            "/_locks/other",
        );
        assert_eq!(
            root_ctl(&etcd, &["get", "/secret/", "--prefix"]),
            "/secret/x\nroot only\n",
            "nothing was changed"
        );
        // No lease was left behind by the refused TTL write or lock.
        assert_eq!(root_ctl(&etcd, &["lease", "list"]).trim(), "found 0 leases");

        // Without credentials: exit 8, saying authentication is needed.
        let run = etcdpy().endpoint(&etcd).args(["get", "/app/a"]).run();
        expect(&run, 8);
        assert!(run.stderr.contains("--user"), "{run:?}");
    });
}

#[test]
fn wrong_password_exits_8_and_says_so() {
    for_each_etcd(|bin| {
        let etcd = auth_etcd(bin);
        for user in ["alice:wrong-password", "nobody:Al1ce-secret-pw"] {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["get", "/app/a"])
                .env("ETCDPY_USER", user)
                .run();
            expect(&run, 8);
            assert!(
                run.stderr.contains("authentication failed")
                    && run.stderr.contains("wrong user name or password"),
                "{run:?}"
            );
            assert!(!run.stderr.contains("wrong-password"), "{run:?}");
            no_secrets(&run);
        }
    });
}

#[test]
fn password_sources_and_the_command_line_warning() {
    for_each_etcd(|bin| {
        let etcd = auth_etcd(bin);
        root_ctl(&etcd, &["put", "/app/a", "1"]);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, format!("{PASSWORD}\n")).unwrap();
        let get = || etcdpy().endpoint(&etcd).args(["get", "/app/a"]);
        let warning = "visible to other users";

        let quiet = [
            get()
                .args(["--user", "alice", "--password-file"])
                .arg(&file)
                .run(),
            get()
                .env("ETCDPY_USER", "alice")
                .env("ETCDPY_PASSWORD_FILE", &file)
                .run(),
            get().env("ETCDPY_USER", format!("alice:{PASSWORD}")).run(),
            alice(&etcd).args(["get", "/app/a"]).run(),
        ];
        for run in &quiet {
            expect(run, 0);
            assert_eq!(run.out(), "1\n");
            assert!(!run.stderr.contains(warning), "{run:?}");
        }
        let loud = [
            get().args(["--user", &format!("alice:{PASSWORD}")]).run(),
            get()
                .args(["--user", "alice", "--password", PASSWORD])
                .run(),
        ];
        for run in &loud {
            expect(run, 0);
            assert_eq!(run.out(), "1\n");
            assert!(run.stderr.contains(warning), "{run:?}");
        }
        // The command line wins over the environment.
        let run = get()
            .args(["--user", "alice", "--password-file"])
            .arg(&file)
            .env("ETCDPY_PASSWORD", "stale")
            .run();
        expect(&run, 0);

        // Usage errors, exit 2.
        for (args, says) in [
            (
                &["--user", "alice:x", "--password", "y"][..],
                "both give a password",
            ),
            (&["--password", "y"], "--password needs --user"),
            (&["--user", ":x"], "needs a user name"),
            (&["--user", "alice"], "no terminal to ask on"),
            (
                &["--user", "alice", "--password-file", "/nonexistent/pw"],
                "cannot read",
            ),
        ] {
            let run = get().args(args).run();
            expect(&run, 2);
            assert!(run.stderr.contains(says), "{args:?}: {run:?}");
        }

        // The password is not shown in --help, even when it is in the environment (the
        // options are in `etcdpy --help`; a subcommand's help only points there).
        for help in [&["--help"][..], &["get", "--help"]] {
            let run = etcdpy()
                .args(help)
                .env("ETCDPY_PASSWORD", PASSWORD)
                .env("ETCDPY_USER", format!("alice:{PASSWORD}"))
                .run();
            expect(&run, 0);
            no_secrets(&run);
            if help.len() == 1 {
                assert!(run.out().contains("--password-file"));
            }
        }
    });
}

#[test]
fn the_password_is_asked_for_on_a_terminal_without_echo() {
    let bin = &crate::support::harness::etcd_binaries()[0];
    let etcd = auth_etcd(bin);
    root_ctl(&etcd, &["put", "/app/a", "typed"]);
    // `script` gives etcdpy a pty; the password is typed once the prompt is up.
    let line = format!(
        "{} --endpoints {} --user alice get /app/a",
        env!("CARGO_BIN_EXE_etcdpy"),
        etcd.endpoint()
    );
    let typed = format!("sleep 1; printf '%s\\n' '{PASSWORD}'; sleep 2");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("({typed}) | script -qefc '{line}' /dev/null"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .stderr(Stdio::piped())
        .output()
        .expect("util-linux `script` is needed");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("Password for alice: "), "{shown}");
    assert!(shown.contains("typed"), "{shown}");
    assert!(
        !shown.contains(PASSWORD),
        "the password was echoed: {shown}"
    );
}

#[test]
fn a_revoked_token_is_renewed_once_transparently() {
    for_each_etcd(|bin| {
        let etcd = auth_etcd(bin);
        // Changing a password revokes the user's tokens; etcdpy holds one across it.
        let passwd = format!(
            "printf '%s\\n' '{PASSWORD}' | {} --endpoints={} --user {ROOT} user passwd alice --interactive=false",
            etcd.etcdctl_path().display(),
            etcd.endpoint()
        );
        let run = alice(&etcd)
            .args(["--debug", "lock", "app/renew", "--", "sh", "-c"])
            .arg(format!("{passwd} >/dev/null && echo changed"))
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "changed\n");
        assert!(
            run.stderr.contains("-> HTTP 401"),
            "the old token was refused once: {run:?}"
        );
        assert_eq!(
            run.stderr
                .matches("/v3/auth/authenticate -> HTTP 200")
                .count(),
            2,
            "authenticated again once: {run:?}"
        );
        no_secrets(&run);
        assert_eq!(root_ctl(&etcd, &["get", "/_locks/app/", "--prefix"]), "");
        assert_eq!(root_ctl(&etcd, &["lease", "list"]).trim(), "found 0 leases");

        // A watch across a revocation: no event lost, none repeated.
        let child = alice(&etcd)
            .args(["watch", "/app/w", "-o", "json", "--count", "3"])
            .spawn();
        std::thread::sleep(Duration::from_millis(700));
        root_ctl(&etcd, &["put", "/app/w", "1"]);
        let status = Command::new("sh").arg("-c").arg(&passwd).output().unwrap();
        assert!(status.status.success());
        root_ctl(&etcd, &["put", "/app/w", "2"]);
        // The watch notices at its next check (after 5 s of silence) and comes back.
        std::thread::sleep(Duration::from_secs(7));
        root_ctl(&etcd, &["put", "/app/w", "3"]);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let values: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["value"].to_string())
            .collect();
        assert_eq!(values, ["\"1\"", "\"2\"", "\"3\""], "{out:?}");
    });
}

#[test]
fn debug_traces_requests_with_secrets_redacted() {
    for_each_etcd(|bin| {
        let etcd = auth_etcd(bin);
        let run = alice(&etcd).args(["--debug", "set", "/app/d", "v"]).run();
        expect(&run, 0);
        no_secrets(&run);
        for needed in [
            "POST ",
            "/v3/auth/authenticate -> HTTP 200 in ",
            "/v3/kv/put -> HTTP 200 in ",
            " ms",
            "\"password\":\"<redacted>\"",
            "-H 'authorization: <redacted>'",
            "curl -sS --http1.1 -X POST ",
        ] {
            assert!(run.stderr.contains(needed), "{needed}: {run:?}");
        }
        // The curl command it prints works as printed (with the token filled in).
        let token = Command::new("curl")
            .args(["-sS", "-X", "POST"])
            .arg(format!("{}/v3/auth/authenticate", etcd.endpoint()))
            .arg("--data-binary")
            .arg(format!(
                "{{\"name\":\"alice\",\"password\":\"{PASSWORD}\"}}"
            ))
            .output()
            .unwrap();
        let token: serde_json::Value = serde_json::from_slice(&token.stdout).unwrap();
        let token = token["token"].as_str().unwrap().to_string();
        let curl = run
            .stderr
            .lines()
            .find(|l| l.contains("curl") && l.contains("/v3/kv/put"))
            .unwrap()
            .trim_start_matches("etcdpy: debug: ")
            .replace("<redacted>", &token)
            .replace("\"dg==\"", "\"djI=\"");
        let out = Command::new("sh").arg("-c").arg(&curl).output().unwrap();
        assert!(out.status.success(), "{curl}: {out:?}");
        assert_eq!(
            root_ctl(&etcd, &["get", "/app/d", "--print-value-only"]),
            "v2\n"
        );
    });
}

#[test]
fn credentials_against_a_server_without_auth_send_no_token() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("noauth"));
        put(etcd, &key, "open");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--debug", "--user", "alice", "--password", "x", "get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "open\n");
        assert!(
            !run.stderr.to_lowercase().contains("authorization"),
            "{run:?}"
        );
    });
}

#[test]
fn a_user_without_root_gets_exit_8_naming_the_operation_where_etcd_refuses_it() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 1);
        for n in 0..5 {
            cluster.etcdctl(0, &["put", "/app/k", &n.to_string()]);
        }
        let endpoint = cluster.members[0].endpoint();
        let etcdctl = |args: &[&str]| {
            Command::new(&cluster.etcdctl)
                .env("ETCDCTL_API", "3")
                .args(["--endpoints", &endpoint])
                .args(args)
                .output()
                .unwrap()
        };
        crate::support::auth::enable_auth(etcdctl);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.db");
        let (file, theirs) = (file.to_str().unwrap(), dir.path().join("e.db"));
        let alice = format!("alice:{}", crate::support::auth::PASSWORD);
        // What etcd lets a non-root user do differs by version (3.4 lets anyone compact):
        // etcdctl as the same user says which, and etcdpy must agree.
        for (ours, etcdctls, names) in [
            (
                &["compact", "--rev", "3"][..],
                &["compaction", "2"][..],
                "compact",
            ),
            (&["alarm", "list"], &["alarm", "list"], "alarm list"),
            (&["defrag", "--cluster"], &["defrag"], "defrag"),
            (
                &["snapshot", "save", file],
                &["snapshot", "save", theirs.to_str().unwrap()],
                "snapshot",
            ),
        ] {
            let refused = {
                let out = etcdctl(&[&["--user", &alice][..], etcdctls].concat());
                String::from_utf8_lossy(&out.stderr).contains("permission denied")
            };
            let run = etcdpy()
                .args(["--endpoints", &endpoint, "--user", "alice"])
                .env("ETCDPY_PASSWORD", crate::support::auth::PASSWORD)
                .args(ours)
                .run();
            eprintln!(
                "etcd {} {ours:?}: etcdctl refused {refused}, etcdpy exit {}",
                bin.version, run.code
            );
            if !refused {
                expect(&run, 0);
                continue;
            }
            expect(&run, 8);
            assert!(
                run.stderr.starts_with("etcdpy: error: ")
                    && run.stderr.contains(names)
                    && run.stderr.contains("permission denied"),
                "{ours:?}: {run:?}"
            );
            assert!(!dir.path().join("s.db").exists() && !dir.path().join("s.db.part").exists());
        }
    });
}

#[test]
fn v2_auth_is_http_basic_and_its_refusals_exit_8() {
    for_each_etcd_v2(|bin| {
        // Auth is cluster-wide: a server of its own.
        let etcd = Etcd::start(bin);
        // Root user, auth on, and the guest role's default read/write on /* revoked (only
        // then are anonymous requests refused).
        py(
            &etcd,
            &format!(
                "import urllib.request, base64\n\
                 def call(path, body, auth=False):\n    \
                 r = urllib.request.Request('http://127.0.0.1:{port}' + path, data=body.encode(), method='PUT')\n    \
                 r.add_header('Content-Type', 'application/json')\n    \
                 if auth: r.add_header('Authorization', 'Basic ' + base64.b64encode(b'root:pw').decode())\n    \
                 urllib.request.urlopen(r).read()\n\
                 call('/v2/auth/users/root', '{{\"user\":\"root\",\"password\":\"pw\"}}')\n\
                 call('/v2/auth/enable', '')\n\
                 call('/v2/auth/roles/guest', '{{\"role\":\"guest\",\"revoke\":{{\"kv\":{{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}}}}', True)",
                port = etcd.port()
            ),
        );
        let v2 = || etcdpy().endpoint(&etcd).args(["--api", "v2"]);
        let run = v2().args(["set", "/auth/k", "v"]).run();
        expect(&run, 8);
        assert!(
            run.stderr
                .contains("The request requires user authentication"),
            "{run:?}"
        );
        expect(
            &v2().args(["--user", "root:wrong", "get", "/auth/k"]).run(),
            8,
        );
        expect(
            &v2()
                .args(["--user", "root:pw", "set", "/auth/k", "v"])
                .run(),
            0,
        );
        let run = v2().args(["--user", "root:pw", "get", "/auth/k"]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "v\n");
        let client = format!("port={}, username='root', password='pw'", etcd.port());
        assert_eq!(py_as(&client, "print(c.read('/auth/k').value)"), "v\n");
    });
}
