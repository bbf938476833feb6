//! Documentation tells the truth: every `etcdpy …` line in README's shell
//! blocks and in each subcommand's `--help` examples runs as written, in
//! order, against a fresh server. A README line expects exit 0 unless its
//! comment says `(exit N)`; a line whose comment says `(waits)` blocks by
//! design and is only checked to parse.

use crate::harness::{Etcd, for_each_etcd};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The shell command of a documentation line, and the exit code it expects.
fn example(line: &str) -> Option<(String, Option<i32>, bool)> {
    let line = line.trim();
    if !(line.starts_with("etcdpy ") || line.contains("| etcdpy ")) {
        return None;
    }
    let (command, comment) = match line.find(" #") {
        Some(i) => (line[..i].trim_end(), &line[i..]),
        None => (line, ""),
    };
    let expected = comment
        .find("(exit ")
        .and_then(|i| comment[i + 6..].split(')').next())
        .and_then(|n| n.trim().parse().ok());
    Some((command.to_string(), expected, comment.contains("(waits)")))
}

fn sh(etcd: &Etcd, dir: &Path, command: &str) -> (i32, String) {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_etcdpy")).parent().unwrap();
    let mut child = Command::new("sh")
        .args(["-c", command])
        .current_dir(dir)
        .env_clear()
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("ETCDPY_ENDPOINTS", etcd.endpoint())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..400 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return (status.code().unwrap_or(-1), err);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("`{command}` still ran after 20 s");
}

#[test]
fn readme_examples_run_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut in_sh = false;
    let mut lines = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if in_sh && let Some(found) = example(line) {
            lines.push(found);
        }
    }
    assert!(lines.len() >= 20, "README examples not found: {lines:?}");
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        for (command, expected, waits) in &lines {
            if *waits {
                continue;
            }
            let (code, stderr) = sh(&etcd, dir.path(), command);
            assert_eq!(
                code,
                expected.unwrap_or(0),
                "README example `{command}`: {stderr}"
            );
        }
    });
}

#[test]
fn help_examples_run_as_written() {
    let cmd = etcdpy::cli::command();
    let mut lines = Vec::new();
    for sub in ["set", "get", "refresh", "rm"]
        .iter()
        .filter_map(|name| cmd.find_subcommand(name))
        .chain(
            cmd.get_subcommands()
                .filter(|s| !["set", "get", "refresh", "rm"].contains(&s.get_name())),
        )
    {
        let help = sub
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        let found: Vec<_> = help
            .lines()
            .filter(|l| l.starts_with("  "))
            .filter_map(example)
            .collect();
        assert!(
            !found.is_empty(),
            "`etcdpy {} --help` has no examples",
            sub.get_name()
        );
        lines.extend(found);
    }
    let about = cmd
        .get_long_about()
        .map(|h| h.to_string())
        .unwrap_or_default();
    lines.extend(
        about
            .lines()
            .filter(|l| l.starts_with("  "))
            .filter_map(example),
    );
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        for (command, _, waits) in &lines {
            if *waits {
                continue;
            }
            // Accepted and carried out: a documented outcome, not a usage
            // error, a crash or a failure to reach the server.
            let (code, stderr) = sh(&etcd, dir.path(), command);
            assert!(
                [0, 3, 4, 5].contains(&code),
                "help example `{command}` exited {code}: {stderr}"
            );
        }
    });
}
