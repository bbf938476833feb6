//! What a new user reads and types first (issue 13): help that shows the command (the global
//! options once, in `etcdpy --help`), global options after the command, an invalid environment
//! value named after its variable, `etcdpy completion`, and one message for a TTL below the
//! minimum, with the units of a duration listed once.

use crate::support::harness::{Run, etcdpy, for_each_etcd, shared, unique};
use crate::support::util::{expect, put, stored};
use std::path::Path;

/// Every subcommand that talks to etcd.
const COMMANDS: &[&str] = &[
    "get",
    "set",
    "rm",
    "edit",
    "watch",
    "refresh",
    "lock",
    "elect",
    "members",
    "leader",
    "dump",
    "load",
    "migrate",
    "wait",
    "defrag",
    "compact",
    "alarm",
    "lease",
    "move-leader",
    "snapshot",
];

/// A usage error: exit 2 and exactly one `error:` line, which is returned.
#[track_caller]
fn usage_error(run: &Run) -> String {
    expect(run, 2);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{run:?}");
    errors[0].to_string()
}

#[test]
fn subcommand_help_shows_the_command_and_points_to_the_global_options() {
    // Before: `get --help` was 204 lines and `get -h` 95, mostly global options and the
    // exit-code table.
    for command in COMMANDS.iter().chain(&["completion"]) {
        for flag in ["--help", "-h"] {
            let run = etcdpy().args([command, flag]).run();
            expect(&run, 0);
            let help = run.out();
            let lines = help.lines().count();
            assert!(lines <= 70, "`{command} {flag}`: {lines} lines\n{help}");
            let usage = format!("Usage: etcdpy {command}");
            assert!(
                help.lines()
                    .any(|l| l == usage || l.starts_with(&format!("{usage} "))),
                "{help}"
            );
            assert!(help.contains("Examples:\n  etcdpy "), "{help}");
            // The global options are not repeated, nor the exit-code table: one line points
            // to where they are.
            for global in [
                "--dial-timeout",
                "--insecure-skip-tls-verify",
                "ETCDPY_ENDPOINTS",
            ] {
                assert!(!help.contains(global), "`{command} {flag}` shows {global}");
            }
            assert!(!help.contains("Exit status:"), "{help}");
            let pointers = help.matches("etcdpy --help").count();
            assert_eq!(pointers, 1, "`{command} {flag}`:\n{help}");
            assert!(help.contains("Global options"), "{help}");
        }
    }
    // `get`'s own options are all there.
    let get = etcdpy().args(["get", "--help"]).run().out();
    for own in [
        "--recursive",
        "--keys-only",
        "--limit <N>",
        "--rev <REV>",
        "--raw",
    ] {
        assert!(get.contains(own), "{get}");
    }

    // `etcdpy --help` has every global option, with its variable, how durations are
    // written and the exit codes; `etcdpy -h` names every command in its first line.
    let root = etcdpy().arg("--help").run();
    expect(&root, 0);
    let root = root.out();
    for needle in [
        "--dial-timeout <DURATION>",
        "--insecure-skip-tls-verify",
        "[env: ETCDPY_ENDPOINTS=]",
        "Durations (",
        "Exit status:",
        "  130  interrupted by Ctrl-C (SIGINT) while waiting or holding (no error line, as shells report it)",
    ] {
        assert!(root.contains(needle), "etcdpy --help lacks {needle:?}");
    }
    let short = etcdpy().arg("-h").run().out();
    let about = short.split("\n\n").next().unwrap_or_default();
    for command in COMMANDS {
        assert!(about.contains(command), "{about}");
    }
    assert!(!about.contains(" and refresh"), "{about}");
}

#[test]
fn global_options_work_after_the_command_and_from_the_environment() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("help-global"));
        put(etcd, &key, "v1");

        // Before the command, after it, and from ETCDPY_*: the same answer.
        let before = etcdpy().endpoint(etcd).args(["get", &key]).run();
        expect(&before, 0);
        assert_eq!(before.out(), "v1\n");
        let after = etcdpy()
            .args(["get", &key, "--endpoints", &etcd.endpoint(), "-o", "json"])
            .run();
        expect(&after, 0);
        assert!(after.out().starts_with("{\"revision\":"), "{after:?}");
        let env = etcdpy()
            .env("ETCDPY_ENDPOINTS", etcd.endpoint())
            .env("ETCDPY_OUTPUT", "json")
            .args(["get", &key])
            .run();
        expect(&env, 0);
        // The same key; the store's revision may have moved: the shared server is shared.
        let without_revision = |run: &crate::support::harness::Run| {
            let mut doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            doc.as_object_mut().unwrap().remove("revision");
            doc
        };
        assert_eq!(without_revision(&env), without_revision(&after));

        // A write with a global option after the command is carried out.
        let set = etcdpy()
            .args(["set", &key, "v2", "--endpoints", &etcd.endpoint()])
            .run();
        expect(&set, 0);
        assert_eq!(stored(etcd, &key).map(|s| s.value), Some(b"v2".to_vec()));

        // Usage errors about a global option after the command are as before.
        let typo = etcdpy()
            .args(["get", &key, "--endpoint", &etcd.endpoint()])
            .run();
        let error = usage_error(&typo);
        assert!(error.contains("'--endpoint'"), "{typo:?}");
        assert!(
            typo.stderr
                .contains("tip: a similar argument exists: '--endpoints'")
        );
        let missing = etcdpy().args(["get", &key, "--endpoints"]).run();
        let error = usage_error(&missing);
        assert!(
            error.contains("a value is required for '--endpoints"),
            "{missing:?}"
        );
    });
}

#[test]
fn an_invalid_environment_value_names_the_variable() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("help-env"));
        let cases = [
            (
                "ETCDPY_COMMAND_TIMEOUT",
                "0",
                "--command-timeout",
                "greater than zero",
            ),
            (
                "ETCDPY_DIAL_TIMEOUT",
                "5x",
                "--dial-timeout",
                "unknown unit 'x'",
            ),
            (
                "ETCDPY_OUTPUT",
                "xml",
                "--output",
                "[possible values: text, json]",
            ),
            ("ETCDPY_PORT", "http", "--port", "invalid digit"),
        ];
        for (var, value, flag, why) in cases {
            let run = etcdpy()
                .endpoint(etcd)
                .env(var, value)
                .args(["set", &key, "v"])
                .run();
            let error = usage_error(&run);
            assert!(
                error.contains(&format!("invalid value '{value}' for '{var} ({flag})'")),
                "{run:?}"
            );
            assert!(run.stderr.contains(why), "{run:?}");
            assert!(stored(etcd, &key).is_none(), "{var}={value}: written");
        }
        // Typed on the command line, the option is named as typed, even with its variable set.
        let run = etcdpy()
            .endpoint(etcd)
            .env("ETCDPY_COMMAND_TIMEOUT", "5s")
            .args(["get", &key, "--command-timeout", "0"])
            .run();
        let error = usage_error(&run);
        assert!(
            error.contains("for '--command-timeout <DURATION>'"),
            "{run:?}"
        );
        assert!(!error.contains("ETCDPY_"), "{run:?}");
        // Typed on the command line, the option wins over an invalid variable (README:
        // "the command line wins"), before and after the command, in every form. Before:
        // exit 2, "invalid value 'xml' for 'ETCDPY_OUTPUT (--output)'".
        put(etcd, &key, "v");
        for typed in [
            &["-o", "json", "get", &key][..],
            &["get", &key, "--output=json"],
            &["get", "-ojson", &key],
        ] {
            let run = etcdpy()
                .endpoint(etcd)
                .env("ETCDPY_OUTPUT", "xml")
                .env("ETCDPY_COMMAND_TIMEOUT", "0")
                .args(typed)
                .args(["--command-timeout", "5s"])
                .run();
            expect(&run, 0);
            let json: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
            assert_eq!(json["kvs"][0]["value"], "v", "{run:?}");
        }
        crate::support::util::del(etcd, &key);
        // With the variable set to another value, what was typed is named.
        let run = etcdpy()
            .endpoint(etcd)
            .env("ETCDPY_OUTPUT", "text")
            .args(["get", &key, "--output=xml"])
            .run();
        let error = usage_error(&run);
        assert!(error.contains("for '--output <OUTPUT>'"), "{run:?}");
    });
}

#[test]
fn completion_prints_the_committed_scripts_without_a_server() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "etcdpy.bash"),
        ("zsh", "_etcdpy"),
        ("fish", "etcdpy.fish"),
    ] {
        // No server, an endpoint that answers nothing: not needed, not contacted.
        let run = etcdpy()
            .env("ETCDPY_ENDPOINTS", "127.0.0.1:1")
            .args(["completion", shell])
            .run();
        expect(&run, 0);
        assert_eq!(run.stderr, "", "{run:?}");
        let committed = std::fs::read(base.join(file)).unwrap();
        assert!(
            run.stdout == committed,
            "`etcdpy completion {shell}` differs from completions/{file}"
        );
    }
    // The bash script, sourced, completes the subcommands and the global options after one.
    let script = r#"source <(etcdpy completion bash)
        COMP_WORDS=(etcdpy compl); COMP_CWORD=1; _etcdpy etcdpy compl etcdpy; echo "${COMPREPLY[*]}"
        COMP_WORDS=(etcdpy get /k --endp); COMP_CWORD=3; _etcdpy etcdpy --endp /k
        echo "${COMPREPLY[*]}""#;
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_etcdpy")).parent().unwrap();
    let out = std::process::Command::new("bash")
        .args(["-c", script])
        .env(
            "PATH",
            format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "completion\n--endpoints\n", "{out:?}");

    let run = etcdpy().args(["completion", "tcsh"]).run();
    let error = usage_error(&run);
    assert!(error.contains("invalid value 'tcsh'"), "{run:?}");
    assert!(run.stderr.contains("[possible values: bash, zsh, fish]"));
}

#[test]
fn a_ttl_below_the_minimum_gets_one_message_and_durations_list_their_units() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("help-ttl"));
        put(etcd, &key, "v");
        let lock = unique("help-ttl-lock");
        let commands: [&[&str]; 3] = [
            &["set", &key, "w", "--ttl"],
            &["refresh", &key, "--ttl"],
            &["lock", &lock, "--ttl"],
        ];
        for command in commands {
            // Before: 0 was "shorter than etcd's minimum", -4 "negative duration".
            for ttl in ["0", "-4", "1", "-0", "0.5"] {
                let run = etcdpy()
                    .endpoint(etcd)
                    .args(command)
                    .arg(ttl)
                    .args(["--", "true"].iter().filter(|_| command[0] == "lock"))
                    .run();
                let error = usage_error(&run);
                assert!(
                    error.ends_with(&format!(
                        "TTL '{ttl}' is below etcd's minimum lease TTL of 2s{}",
                        if command[0] == "lock" {
                            ""
                        } else {
                            " (1s with --api v2)"
                        }
                    )),
                    "{command:?} {ttl}: {run:?}"
                );
            }
        }
        // The key was left as it was.
        let kept = stored(etcd, &key).unwrap();
        assert_eq!((kept.value, kept.lease), (b"v".to_vec(), 0));

        // A unit that is not one (months, or a typo) is refused with the units etcdpy takes,
        // the same list `etcdpy --help` gives, and not humantime's "months, years".
        let help = etcdpy().arg("--help").run().out();
        let units = help
            .split("Units: ")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap_or_else(|| panic!("etcdpy --help lists no units:\n{help}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for (args, unit) in [
            (["watch", key.as_str(), "--timeout", "5M"], "M"),
            (["leader", "--wait", "2months", ""], "months"),
            (["set", key.as_str(), "--ttl", "4x"], "x"),
        ] {
            let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
            let run = etcdpy().endpoint(etcd).args(&args).run();
            let error = usage_error(&run);
            assert!(
                error.ends_with(&format!("unknown unit '{unit}' (units: {units})")),
                "{args:?}: {run:?}"
            );
            assert!(!error.contains("years"), "{run:?}");
        }
        // The units listed are taken.
        for duration in [
            "1500ms", "2s", "1m", "1h", "1d", "1w", "1y", "100us", "100ns",
        ] {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["leader", "--wait", duration])
                .run();
            expect(&run, 0);
        }
    });
}
