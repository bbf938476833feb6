//! `edit KEY` with scripted editors (small shell scripts the tests write; `$1` is the file):
//! an unchanged file writes nothing, a change is written on the key's lease, a concurrent
//! change is merged or settled in the reopened editor (never overwritten), a key deleted
//! meanwhile is not written, `--validate` reopens the editor on a terminal, an editor that
//! fails or is killed writes nothing, and binary, oversized and missing keys are refused.

use crate::support::auth::{ROOT, alice, auth_etcd, root_ctl};
use crate::support::harness::{Etcd, EtcdpyCmd, etcdpy, for_each_etcd, shared, unique};
use crate::support::pty::{pty, pty_to_type_into};
use crate::support::schema::SetDoc;
use crate::support::util::{expect, stored};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A fresh directory for one case's scripts, counters and temporary files (its TMPDIR),
/// removed when the case ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch() -> Scratch {
    let dir = std::env::temp_dir().join(unique("edit").trim_start_matches("/t/"));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// An editor script in `dir`: `body` runs with the file as `$1`, `$D` the scratch directory,
/// `$CTL` etcdctl on the server, and `$N` the how-many-th time it runs (counted in `$D/n`).
fn editor(dir: &Path, etcd: &Etcd, body: &str) -> String {
    let path = dir.join("editor");
    let script = format!(
        "#!/bin/sh\nD='{d}'\nCTL='{ctl} --endpoints={ep}'\nN=$(( $(cat \"$D/n\" 2>/dev/null || echo 0) + 1 ))\necho $N > \"$D/n\"\n{body}\n",
        d = dir.display(),
        ctl = etcd.etcdctl_path().display(),
        ep = etcd.endpoint(),
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

fn runs(dir: &Path) -> u32 {
    std::fs::read_to_string(dir.join("n")).map_or(0, |n| n.trim().parse().unwrap())
}

/// `etcdpy edit KEY ARGS` with `EDITOR` on a pseudo-terminal, leading its process group as a
/// shell's job does: (exit code, what it showed).
fn on_pty(etcd: &Etcd, dir: &Path, editor: &str, key: &str, args: &str) -> (i32, String) {
    let line = format!(
        "TMPDIR='{}' EDITOR='{editor}' exec {} --endpoints {} edit '{key}' {args}",
        dir.display(),
        env!("CARGO_BIN_EXE_etcdpy"),
        etcd.endpoint()
    );
    let out = pty(&line).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), shown)
}

/// `etcdpy edit KEY` without a terminal.
fn piped(etcd: &Etcd, dir: &Path, editor: &str, key: &str) -> crate::support::harness::Run {
    etcdpy()
        .endpoint(etcd)
        .env("EDITOR", editor)
        .env("TMPDIR", dir)
        .args(["edit", key])
        .run()
}

/// Only the case's own files are left in `dir` (no temporary file of etcdpy's).
fn no_temp_left(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("etcdpy-edit-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

fn value(etcd: &Etcd, key: &str) -> String {
    String::from_utf8(stored(etcd, key).expect("the key exists").value).unwrap()
}

#[test]
fn unchanged_writes_nothing_and_a_change_is_written_on_the_lease() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/app.json", unique("edit"));
        let lease = etcd.etcdctl(&["lease", "grant", "600"]);
        let lease = String::from_utf8_lossy(&lease.stdout);
        let id = lease.split_whitespace().nth(1).unwrap().to_string();
        etcd.etcdctl(&["put", &key, "old", "--lease", &id]);
        let before = stored(etcd, &key).unwrap();
        let dir = scratch();
        let look = "stat -c %a \"$1\" > \"$D/mode\"; basename \"$1\" > \"$D/name\"";
        let (code, shown) = on_pty(etcd, &dir, &editor(&dir, etcd, look), &key, "");
        assert_eq!(code, 0, "{shown}");
        assert!(shown.contains("no change, nothing written"), "{shown}");
        assert_eq!(
            stored(etcd, &key).unwrap().mod_revision,
            before.mod_revision
        );
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
        assert_eq!(read("mode").trim(), "600");
        assert!(
            read("name").trim().ends_with("-app.json"),
            "{}",
            read("name")
        );
        let change = "printf 'new\\n' > \"$1\"";
        let (code, shown) = on_pty(etcd, &dir, &editor(&dir, etcd, change), &key, "");
        assert_eq!(code, 0, "{shown}");
        let after = stored(etcd, &key).unwrap();
        // The newline the editor added to a value that had none is not part of the edit.
        assert_eq!(after.value, b"new");
        assert_eq!(after.lease, before.lease);
        assert!(after.mod_revision > before.mod_revision);
        no_temp_left(&dir);
    });
}

#[test]
fn a_concurrent_change_is_merged_or_settled_never_overwritten() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("edit");
        let dir = scratch();
        // Different lines: both changes kept, the other writer's shown as a diff.
        etcd.etcdctl(&["put", &key, "a\nb\nc\n"]);
        let racer = format!(
            "printf 'a\\nb\\nC\\n' | $CTL put '{key}' >/dev/null; printf 'A\\nb\\nc\\n' > \"$1\""
        );
        let run = etcdpy()
            .endpoint(etcd)
            .env("EDITOR", editor(&dir, etcd, &racer))
            .env("TMPDIR", &*dir)
            .args(["-o", "json", "edit", &key])
            .run();
        expect(&run, 0);
        assert!(run.stderr.contains("changed meanwhile"), "{run:?}");
        assert!(run.stderr.contains("-c\n+C\n"), "{run:?}");
        assert_eq!(value(etcd, &key), "A\nb\nC\n");
        // -o json: set's document, the revision of the write.
        let doc: SetDoc = serde_json::from_slice(&run.stdout).expect("set's JSON document");
        assert_eq!(
            (doc.key.as_str(), doc.lease, doc.ttl),
            (key.as_str(), None, None)
        );
        assert_eq!(doc.revision, stored(etcd, &key).unwrap().mod_revision);
        // The same line: the editor reopens with both between markers, and its settling is written.
        std::fs::remove_file(dir.join("n")).unwrap();
        etcd.etcdctl(&["put", &key, "a\nb\n"]);
        let settle = format!(
            "if [ $N = 1 ]; then printf 'a\\nX\\n' | $CTL put '{key}' >/dev/null; printf 'a\\nY\\n' > \"$1\"; \
             else grep -q '^<<<<<<< your edit' \"$1\" && grep -qx X \"$1\" && grep -qx Y \"$1\" && printf 'a\\nXY\\n' > \"$1\"; fi"
        );
        let run = piped(etcd, &dir, &editor(&dir, etcd, &settle), &key);
        expect(&run, 0);
        assert!(
            run.stderr.contains("overlap: reopening the editor"),
            "{run:?}"
        );
        assert_eq!((runs(&dir), value(etcd, &key).as_str()), (2, "a\nXY\n"));
        // Left unsettled (the reopened file saved as it was): nothing written, exit 4.
        std::fs::remove_file(dir.join("n")).unwrap();
        etcd.etcdctl(&["put", &key, "a\nb\n"]);
        let leave = format!(
            "if [ $N = 1 ]; then printf 'a\\nX\\n' | $CTL put '{key}' >/dev/null; printf 'a\\nY\\n' > \"$1\"; fi"
        );
        let run = piped(etcd, &dir, &editor(&dir, etcd, &leave), &key);
        expect(&run, 4);
        assert!(
            run.stderr
                .contains("the conflict was not settled; nothing written"),
            "{run:?}"
        );
        assert!(run.stderr.contains("your edit is kept in"), "{run:?}");
        assert_eq!(value(etcd, &key), "a\nX\n");
    });
}

#[test]
fn a_key_deleted_meanwhile_is_not_written() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("edit");
        let dir = scratch();
        etcd.etcdctl(&["put", &key, "v"]);
        let delete = format!("$CTL del '{key}' >/dev/null; printf w > \"$1\"");
        let run = piped(etcd, &dir, &editor(&dir, etcd, &delete), &key);
        expect(&run, 4);
        assert!(
            run.stderr
                .contains("was deleted meanwhile; nothing written"),
            "{run:?}"
        );
        assert!(stored(etcd, &key).is_none());
        // On a terminal, a yes re-creates it with the edit.
        etcd.etcdctl(&["put", &key, "v"]);
        let line = format!(
            "TMPDIR='{}' EDITOR='{}' {} --endpoints {} edit '{key}'",
            dir.display(),
            editor(&dir, etcd, &delete),
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let mut child = pty_to_type_into(&line);
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"y\n").unwrap();
        let out = child.wait_with_output().unwrap();
        let shown = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{shown}");
        assert!(
            shown.contains("was deleted meanwhile; re-create it with your edit? [y/N]"),
            "{shown}"
        );
        assert_eq!(value(etcd, &key), "w");
        etcd.etcdctl(&["del", &key]);
        // Its lease expired (revoked here): never written without it.
        let lease = etcd.etcdctl(&["lease", "grant", "600"]);
        let lease = String::from_utf8_lossy(&lease.stdout);
        let id = lease.split_whitespace().nth(1).unwrap().to_string();
        etcd.etcdctl(&["put", &key, "v", "--lease", &id]);
        let revoke = format!("$CTL lease revoke {id} >/dev/null; printf w > \"$1\"");
        let run = piped(etcd, &dir, &editor(&dir, etcd, &revoke), &key);
        expect(&run, 4);
        assert!(
            // etcdctl 3.7 pads the ID with zeros; etcdpy writes lease IDs unpadded.
            run.stderr
                .contains(&format!("its lease {} expired", id.trim_start_matches('0'))),
            "{run:?}"
        );
        assert!(stored(etcd, &key).is_none());
    });
}

#[test]
fn a_failing_validate_reopens_the_editor_on_a_terminal_only() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("edit");
        let dir = scratch();
        etcd.etcdctl(&["put", &key, "v"]);
        let script = "if [ $N = 1 ]; then echo bad > \"$1\"; else echo good > \"$1\"; fi";
        let script = editor(&dir, etcd, script);
        let check = "--validate 'grep -qx good || { echo not good >&2; exit 3; }'";
        let (code, shown) = on_pty(etcd, &dir, &script, &key, check);
        assert_eq!(code, 0, "{shown}");
        assert!(shown.contains("not good"), "{shown}");
        assert!(
            shown.contains("exited with status 3: reopening the editor"),
            "{shown}"
        );
        assert_eq!((runs(&dir), value(etcd, &key).as_str()), (2, "good"));
        // Without a terminal: nothing written, exit 2, the edit kept.
        std::fs::remove_file(dir.join("n")).unwrap();
        etcd.etcdctl(&["put", &key, "v"]);
        let run = etcdpy()
            .endpoint(etcd)
            .env("EDITOR", &script)
            .env("TMPDIR", &*dir)
            .args(["edit", &key, "--validate", "grep -qx good"])
            .run();
        expect(&run, 2);
        assert!(
            run.stderr.contains("exited with status 1; nothing written"),
            "{run:?}"
        );
        assert!(run.stderr.contains("your edit is kept in"), "{run:?}");
        assert_eq!((runs(&dir), value(etcd, &key).as_str()), (1, "v"));
    });
}

#[test]
fn an_editor_that_fails_or_is_killed_writes_nothing() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("edit");
        let dir = scratch();
        etcd.etcdctl(&["put", &key, "v"]);
        let before = stored(etcd, &key).unwrap().mod_revision;
        for (body, says) in [
            (
                "printf x > \"$1\"; exit 1",
                "exited with status 1; nothing written",
            ),
            (
                "printf x > \"$1\"; kill -KILL $$",
                "was killed by SIGKILL (status 137); nothing written",
            ),
        ] {
            let (code, shown) = on_pty(etcd, &dir, &editor(&dir, etcd, body), &key, "");
            assert_eq!(code, 1, "{shown}");
            assert!(shown.contains(says), "{shown}");
            assert_eq!(stored(etcd, &key).unwrap().mod_revision, before);
        }
        // An editor killed in raw mode: the terminal's settings come back (stty after etcdpy).
        let raw = editor(&dir, etcd, "stty raw -echo; kill -KILL $$");
        let line = format!(
            "TMPDIR='{}' EDITOR='{raw}' {} --endpoints {} edit '{key}'; stty -a",
            dir.display(),
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let shown = String::from_utf8_lossy(&pty(&line).output().unwrap().stdout).into_owned();
        assert!(shown.contains("was killed by SIGKILL"), "{shown}");
        let words: Vec<_> = shown.split_whitespace().collect();
        assert!(
            words.contains(&"echo") && words.contains(&"icanon"),
            "{shown}"
        );
        no_temp_left(&dir);
    });
}

#[test]
fn binary_oversized_and_missing_values_and_a_missing_editor_are_refused() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("edit");
        let dir = scratch();
        let script = editor(&dir, etcd, "printf x > \"$1\"");
        let set = |key: &str, value: Vec<u8>| {
            expect(
                &etcdpy()
                    .endpoint(etcd)
                    .args(["set", key, "-"])
                    .stdin(value)
                    .run(),
                0,
            );
        };
        let cases: [(&str, Vec<u8>, &str); 3] = [
            (
                "bin",
                b"\xff\xfe".to_vec(),
                "holds a binary value (not UTF-8)",
            ),
            ("nul", b"a\0b".to_vec(), "holds a binary value (a NUL byte)"),
            (
                "big",
                vec![b'x'; (1 << 20) + 1],
                "holds 1048577 bytes, more than edit opens (1 MiB)",
            ),
        ];
        for (name, bytes, says) in cases {
            let key = format!("{p}/{name}");
            set(&key, bytes);
            let run = piped(etcd, &dir, &script, &key);
            expect(&run, 2);
            assert!(run.stderr.contains(says), "{run:?}");
            assert_eq!(runs(&dir), 0, "the editor never ran");
        }
        if bin.has_v2() {
            let run = etcdpy()
                .endpoint(etcd)
                .env("EDITOR", &script)
                .args(["--api", "v2", "edit", &format!("{p}/bin")])
                .run();
            expect(&run, 2);
            assert!(
                run.stderr.contains("edit is not available with --api v2"),
                "{run:?}"
            );
        }
        let run = piped(etcd, &dir, &script, &format!("{p}/missing"));
        expect(&run, 3);
        assert!(run.stderr.contains("key not found"), "{run:?}");
        // No terminal and no editor named: not vi (it would hang or quit there), a usage error.
        set(&format!("{p}/text"), b"t".to_vec());
        let run = etcdpy()
            .endpoint(etcd)
            .env("VISUAL", "")
            .env("EDITOR", " ")
            .env("TMPDIR", &*dir)
            .args(["edit", &format!("{p}/text")])
            .run();
        expect(&run, 2);
        assert!(
            run.stderr.starts_with(
                "error: no editor: VISUAL and EDITOR are unset and vi needs a terminal; set \
                 EDITOR to a command that edits the file given to it\n"
            ),
            "{run:?}"
        );
        let run = etcdpy()
            .endpoint(etcd)
            .env("EDITOR", &script)
            .args(["edit", &format!("{p}/text"), "--validate", ""])
            .run();
        expect(&run, 2);
        assert!(run.stderr.contains("--validate needs a command"), "{run:?}");
        assert_eq!(runs(&dir), 0, "the editor never ran");
        assert_eq!(value(etcd, &format!("{p}/text")), "t");
        no_temp_left(&dir);
    });
}

/// An edit that cannot be written for a reason of the server's (here alice's permission is
/// taken away while she edits: exit 8) is kept in its file, named in the one-line error.
#[test]
fn an_edit_the_server_refuses_is_kept_and_named() {
    for_each_etcd(|bin| {
        let etcd = auth_etcd(bin);
        let dir = scratch();
        root_ctl(&etcd, &["put", "/app/conf", "old"]);
        let body = format!(
            "printf mine > \"$1\"\n$CTL --user '{ROOT}' role revoke-permission app /app/ --prefix >/dev/null"
        );
        let run = alice(&etcd)
            .env("EDITOR", editor(&dir, &etcd, &body))
            .env("TMPDIR", &*dir)
            .args(["edit", "/app/conf"])
            .run();
        expect(&run, 8);
        assert!(
            run.stderr.starts_with("etcdpy: error: permission denied")
                && run.stderr.lines().count() == 1,
            "{run:?}"
        );
        let kept = run
            .stderr
            .split("(your edit is kept in ")
            .nth(1)
            .and_then(|rest| rest.strip_suffix(")\n"))
            .unwrap_or_else(|| panic!("the file is named: {run:?}"));
        assert_eq!(std::fs::read_to_string(kept).unwrap(), "mine");
        let value = root_ctl(&etcd, &["get", "/app/conf", "--print-value-only"]);
        assert_eq!(value, "old\n");
        std::fs::remove_file(kept).unwrap();
        no_temp_left(&dir);
    });
}

/// What the editor leaves is read bounded: a 1 GiB (sparse) file or a FIFO in the file's place
/// is refused at once (exit 2), under a 256 MiB address-space limit; nothing is written.
#[test]
fn what_the_editor_leaves_is_read_bounded() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("edit");
        let dir = scratch();
        etcd.etcdctl(&["put", &key, "v"]);
        for (body, says) in [
            (
                "truncate -s 1G \"$1\"",
                "the edited value is larger than 10 MiB",
            ),
            (
                "rm \"$1\"; mkfifo \"$1\"",
                "is no longer a regular file after the editor",
            ),
        ] {
            let run = EtcdpyCmd::with_program("prlimit")
                .arg(format!("--as={}", 256u64 << 20))
                .args(["--", env!("CARGO_BIN_EXE_etcdpy")])
                .args(["--endpoints", &etcd.endpoint(), "edit", &key])
                .env("EDITOR", editor(&dir, etcd, body))
                .env("TMPDIR", &*dir)
                .run();
            expect(&run, 2);
            assert!(run.stderr.contains(says), "{run:?}");
            assert_eq!(value(etcd, &key), "v");
            no_temp_left(&dir);
        }
    });
}

/// A Ctrl-C while the editor runs is the editor's: etcdpy and the shell it runs the editor with
/// ignore it (as git does), so the edit goes on and is written. The editor script sends SIGINT
/// to the whole foreground group, as the terminal does (etcdpy leads it: `exec` on the pty).
#[test]
fn ctrl_c_in_the_editor_is_the_editors() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = unique("edit");
        let dir = scratch();
        etcd.etcdctl(&["put", &key, "v"]);
        let script = editor(&dir, etcd, "kill -INT 0; printf w > \"$1\"");
        let (code, shown) = on_pty(etcd, &dir, &script, &key, "");
        assert_eq!(code, 0, "{shown}");
        assert_eq!(value(etcd, &key), "w");
        no_temp_left(&dir);
    });
}
