//! A CMD that cannot be started, under `watch`, `lock` and `elect`: one policy,
//! a shell's: 127 when it is not found, 126 when it cannot be run (for any
//! other reason: not executable, a directory, a path through a file), with one line naming CMD.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::util::expect;
use std::os::unix::fs::PermissionsExt;

/// The commands that run CMD, each given `cmd` to run.
fn runners(etcd: &Etcd, cmd: &str) -> Vec<(&'static str, crate::support::harness::Run)> {
    let key = unique("start/k");
    // The watch runs CMD for the change already made at its start revision.
    let put = etcd.etcdctl(&["put", &key, "v", "-w", "json"]);
    let put: serde_json::Value = serde_json::from_slice(&put.stdout).expect("put's JSON");
    let rev = put["header"]["revision"].to_string();
    let watch = etcdpy()
        .endpoint(etcd)
        .args(["watch", &key, "--rev", &rev, "--", cmd])
        .run();
    let lock = etcdpy()
        .endpoint(etcd)
        .args(["lock", &unique("start-lock"), "--", cmd])
        .run();
    let elect = etcdpy()
        .endpoint(etcd)
        .args(["elect", &unique("start-elect"), "--", cmd])
        .run();
    vec![("watch", watch), ("lock", lock), ("elect", elect)]
}

#[test]
fn a_cmd_that_cannot_start_exits_127_or_126_as_a_shell_does_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("not-executable");
    std::fs::write(&plain, "#!/bin/sh\necho ran\n").unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    // A path that goes through a file.
    let through = format!("{}/x", plain.display());
    let cases = [
        ("/nonexistent/cmd".to_string(), 127),
        (plain.display().to_string(), 126),
        (dir.path().display().to_string(), 126),
        (through, 126),
    ];
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        for (cmd, status) in &cases {
            for (what, run) in runners(etcd, cmd) {
                assert_eq!(run.code, *status, "{what} -- {cmd}: {run:?}");
                assert!(
                    run.stderr.contains(&format!("cannot run {cmd}")),
                    "{what} -- {cmd}: {run:?}"
                );
                assert_eq!(run.stderr.lines().count(), 1, "{what} -- {cmd}: {run:?}");
            }
        }
        // And what bash says of the same commands (dash calls a path through a file "not found").
        for (cmd, status) in &cases {
            let run = std::process::Command::new("bash")
                .args(["-c", &format!("'{cmd}'")])
                .output()
                .unwrap();
            assert_eq!(run.status.code(), Some(*status), "bash -c {cmd}");
        }
    });
}

#[test]
fn the_exit_table_names_126_and_127() {
    let run = etcdpy().arg("--help").run();
    expect(&run, 0);
    for line in ["126  ", "127  "] {
        assert!(run.out().contains(line), "{}", run.out());
    }
}
