//! Documentation tells the truth: every `etcdpy …` line in README's shell
//! blocks and in each subcommand's `--help` examples runs as written, in
//! order, against a fresh server. A README line expects exit 0 unless its
//! comment says `(exit N)`; a line whose comment says `(waits)` blocks by
//! design and is only checked to parse.

use crate::support::harness::{Etcd, for_each_etcd};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The shell command of a documentation line, and the exit code it expects.
fn example(line: &str) -> Option<(String, Option<i32>, bool)> {
    let line = line.trim();
    if !(line.starts_with("etcdpy ") || line.contains("| etcdpy ") || line.contains("&& etcdpy ")) {
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

/// What a README comment says the line prints: `# prints 2` (its first word) or
/// `prints "deleted 2 keys"` (the quoted text).
fn prints(comment: &str) -> Option<String> {
    let rest = &comment[comment.find("prints ")? + 7..];
    match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().map(str::to_string),
        None => rest
            .split_whitespace()
            .next()
            .map(|w| w.trim_end_matches([',', '.', ';']).to_string()),
    }
}

/// Runs `command` with sh in `dir` (also its HOME) against `etcd`: exit code, stdout, stderr.
fn sh_out(etcd: &Etcd, dir: &Path, command: &str) -> (i32, String, String) {
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
        .env("HOME", dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).map(|_| out)
    });
    for _ in 0..400 {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            let out = out.join().unwrap().unwrap();
            let out = String::from_utf8_lossy(&out).into_owned();
            return (status.code().unwrap_or(-1), out, err);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("`{command}` still ran after 20 s");
}

fn sh(etcd: &Etcd, dir: &Path, command: &str) -> (i32, String) {
    let (code, _, stderr) = sh_out(etcd, dir, command);
    (code, stderr)
}

/// An example on etcd's v2 API (`--api v2`, or `migrate`, which reads it): run only on servers
/// that have it (3.4, 3.5); `api_v2::api_v2_on_a_server_without_it_…` tests the others.
fn needs_v2(command: &str) -> bool {
    command.contains("--api v2") || command.contains("etcdpy migrate")
}

#[test]
fn readme_examples_run_as_written() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut in_sh = false;
    let mut lines = Vec::new();
    // The "Leaving v2" walkthrough works on v2 data throughout: v2 servers only.
    let mut leaving_v2 = false;
    for line in readme.lines() {
        if line.starts_with("## ") {
            leaving_v2 = line.starts_with("## Leaving v2");
        }
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if in_sh && let Some((command, expected, waits)) = example(line) {
            let printed = line.find(" #").and_then(|i| prints(&line[i..]));
            let v2 = leaving_v2 || needs_v2(&command);
            lines.push((command, expected, waits, printed, v2));
        }
    }
    assert!(lines.len() >= 20, "README examples not found: {lines:?}");
    let printing = lines.iter().filter(|l| l.3.is_some()).count();
    assert!(printing >= 3, "no `# prints` comments found: {lines:?}");
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        for (command, expected, waits, printed, v2) in &lines {
            if *waits || (*v2 && !bin.has_v2()) {
                continue;
            }
            let (code, stdout, stderr) = sh_out(&etcd, dir.path(), command);
            assert_eq!(
                code,
                expected.unwrap_or(0),
                "README example `{command}`: {stderr}"
            );
            // A comment saying what the line prints holds when the examples run in order.
            if let Some(printed) = printed {
                let holds = match printed.as_str() {
                    "nothing" => stdout.is_empty(),
                    printed => stdout.lines().any(|l| l == printed),
                };
                assert!(
                    holds,
                    "README example `{command}` prints {stdout:?}, not {printed:?}"
                );
            }
        }
        // The completion scripts were installed where the README says.
        let bash = dir
            .path()
            .join(".local/share/bash-completion/completions/etcdpy");
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/etcdpy.bash");
        assert_eq!(std::fs::read(bash).ok(), std::fs::read(committed).ok());
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
            if *waits || (needs_v2(command) && !bin.has_v2()) {
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

/// The facts issue 13 found wrong or out of step, as README, `--help` and the man pages say them.
#[test]
fn readme_help_and_man_pages_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let readme = read("README.md");
    let help = |args: &[&str]| {
        let out = crate::support::harness::etcdpy().args(args).run();
        assert_eq!(out.code, 0, "{out:?}");
        out.out()
    };
    // Installed with the dependency versions the tests ran with.
    assert!(
        readme.contains("cargo install --path . --locked "),
        "README install"
    );
    // python-etcd's default port is 4001, etcdpy's 2379: the table says both.
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `etcd.Client()`"))
        .unwrap();
    assert!(row.contains("4001") && row.contains("2379"), "{row}");

    // Durations: README lists the units etcdpy --help lists and the parser takes.
    let flat = readme
        .replace('`', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let units = format!("Units: {}", etcdpy::duration::UNITS);
    assert!(flat.contains(&units), "README does not say {units:?}");

    // Without CMD, lock holds until the same four signals everywhere (process::Signals).
    let lock_help = help(&["lock", "--help"]);
    let lock_man = read("man/etcdpy-lock.1").replace("\\-", "-");
    let lock_readme = readme.split("### lock").nth(1).unwrap();
    for (what, text) in [
        ("lock --help", lock_help.as_str()),
        ("man etcdpy-lock", lock_man.as_str()),
        ("README", lock_readme),
    ] {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let without = text
            .split("Without CMD")
            .nth(1)
            .unwrap_or_else(|| panic!("{what} does not say what happens without CMD"));
        let sentence = without.split(". ").next().unwrap();
        for signal in ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] {
            assert!(sentence.contains(signal), "{what}: {sentence}");
        }
        // The TTL's default is etcdpy's own: etcdctl lock's is 10 s.
        assert!(!text.contains("60s, as etcdctl"), "{what}");
        assert!(!text.contains("default `60s` as etcdctl"), "{what}");
        if what != "man etcdpy-lock" {
            assert!(
                text.contains("etcdctl lock's is 10s") || text.contains("etcdctl lock's is 10 s"),
                "{what}"
            );
        }
    }

    // ETCDPY_PASSWORD is not itself "visible in the process list"; --password typed is.
    let man = read("man/etcdpy.1");
    let entry = man
        .split("\\fBETCDPY_PASSWORD\\fR\n")
        .nth(1)
        .and_then(|rest| rest.split(".TP").next())
        .unwrap();
    assert!(!entry.contains("process list"), "{entry}");
    let password = man
        .split("\\fB\\-\\-password\\fR \\fI<PASSWORD>\\fR\n")
        .nth(1)
        .unwrap();
    assert!(
        password
            .split(".TP")
            .next()
            .unwrap()
            .contains("process list")
    );
}
