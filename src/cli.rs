//! What was typed: the clap definitions of the global options and the
//! subcommand tree. Each subcommand's own arguments, and the [`Command`] enum
//! that names them, live beside their `run` functions in `commands/`.

mod given;
mod global;
mod values;

pub use given::{Key, Matches, Origin, keys};
pub use global::{GlobalArgs, Protocol, TransportChoice};

use crate::commands::Command;
use crate::duration;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "etcdpy",
    version,
    about = "A command-line client for etcd: get, set, rm, edit, watch, wait, refresh, lock, elect, members, leader, dump, load, migrate; looking back: history, diff, rollback, du; upkeep: defrag, compact, alarm, lease, move-leader, snapshot",
    long_about = "etcdpy is a command-line client for etcd 3.4 to 3.7. It speaks etcd's v3 HTTP/JSON \
gateway (/v3/...) over HTTP/1.1, so it also works through HTTPS reverse proxies and under a URL path prefix. \
Bulk reads (get -r, a directory level, dump) go over etcd's gRPC API where the endpoint carries it \
(--transport), and --api v2 works on python-etcd's v2 keyspace.\n\n\
Examples:\n  etcdpy set /nodes/n1 1\n  etcdpy set /nodes/n2 2 --ttl 4s\n  etcdpy get /nodes/n2\n  \
etcdpy get /nodes -r\n  etcdpy rm /nodes/n1\n  etcdpy refresh /nodes/n2 --ttl 600s"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Top,
}

/// The subcommands: those that talk to etcd, and `completion`, which needs no server.
/// (Parsed once per run: the size of its largest variant does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Top {
    #[command(flatten)]
    Etcd(Command),
    /// Named clusters: use, ls, show, add, rm (the config file; needs no server)
    Context(crate::commands::context::ContextArgs),
    /// Print the completion script for a shell (needs no server)
    #[command(after_help = "Examples:\n  \
etcdpy completion bash > etcdpy.bash  # bash: into ~/.local/share/bash-completion/completions/etcdpy\n  \
etcdpy completion zsh > _etcdpy       # zsh: into a directory of $fpath, before compinit\n  \
etcdpy completion fish > etcdpy.fish  # fish: into ~/.config/fish/completions/")]
    Completion(CompletionArgs),
}

#[derive(Args, Debug)]
pub struct CompletionArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells `etcdpy completion` writes a script for (those of `completions/`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// What `etcdpy -h` (and bare `etcdpy`) ends with: the rest is in `--help`.
const SHORT_AFTER: &str = "More global options (--discovery-srv, --host/--port, --path-prefix, \
--transport, timeouts, --color, --key-encoding, ...), durations and exit codes: etcdpy --help. \
A command's own options: etcdpy COMMAND -h";

/// The line every subcommand's help ends with, in place of the global options.
pub const SEE_GLOBAL: &str = "Global options (--endpoints, --user, -o, ...; also taken after the \
command), durations and exit codes: etcdpy --help";

/// The whole command tree, as `--help` and the man pages show it: the global options,
/// durations and the exit-code table in `etcdpy --help`; each subcommand's help has its
/// own options and examples, and one line pointing there. The global options still parse
/// after a subcommand (and from the environment): each subcommand holds hidden copies.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command()
        .after_help(SHORT_AFTER)
        .after_long_help(format!(
            "{}\n\n{}",
            duration::HELP,
            crate::exit::help_text()
        ));
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |sub| {
            let examples = sub
                .get_after_help()
                .map(|h| format!("{h}\n\n"))
                .unwrap_or_default();
            // clap propagates a global argument only to a subcommand that lacks it.
            let sub = sub.after_help(format!("{examples}{SEE_GLOBAL}"));
            globals
                .iter()
                .fold(sub, |sub, arg| sub.arg(arg.clone().hide(true)))
        });
    }
    cmd
}

/// The completion script for `shell`: what `etcdpy completion SHELL` prints and
/// `completions/` holds. The global options are offered after a subcommand too.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    use clap::CommandFactory;
    use clap_complete::aot::{Shell as Target, generate};
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
    };
    let mut script = Vec::new();
    generate(target, &mut Cli::command(), "etcdpy", &mut script);
    // Contexts: --context and context use/show/rm complete the config file's names.
    crate::context::complete::names(&format!("{shell:?}"), script)
}

/// What was typed, parsed. A usage error ends the program as clap does (exit 2),
/// with what was typed shown escaped in it, and a bad value that came from an
/// environment variable named after the variable. An option typed on the command
/// line wins over its variable, even when the variable's value is invalid.
pub fn matches() -> clap::ArgMatches {
    bare();
    let mut overridden = Vec::new();
    loop {
        // Built afresh each time: clap's parsing finishes building the command.
        let mut cmd = without_environment(command(), &overridden);
        let err = match cmd.try_get_matches_from_mut(std::env::args_os()) {
            Ok(matches) => return matches,
            Err(err) => err,
        };
        match from_environment(&err, &cmd) {
            Some(Refused::Overridden(id)) => overridden.push(id),
            Some(Refused::Variable(name)) => {
                use clap::error::{ContextKind, ContextValue};
                let mut err = err;
                err.insert(ContextKind::InvalidArg, ContextValue::String(name));
                escaped(err).exit()
            }
            None => with_habit(escaped(err), &cmd).exit(),
        }
    }
}

/// What was typed, parsed into the command tree, with clap's matches (which options
/// were typed rather than taken from the environment or defaults: see [`matches()`]).
pub fn parse() -> (Cli, Matches) {
    use clap::FromArgMatches;
    let matches = matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| escaped(e).exit());
    (cli, Matches(matches))
}

/// End the program with a usage error found after parsing (by `config` or a command), as
/// clap ends it (exit 2): under the usage of the subcommand `sub`, `message` escaped.
pub fn usage_exit(sub: &str, message: &str) -> ! {
    let mut cmd = command();
    let mut cmd = cmd.find_subcommand_mut(sub).cloned().unwrap_or(cmd);
    cmd = cmd.bin_name(format!("etcdpy {sub}"));
    if message.starts_with("invalid value '") {
        // A value refused after parsing (set --ttl 1s) reads as clap's own refusal of
        // a value (--ttl 0): no usage lines.
        let message = crate::text::escape(message.as_bytes());
        let message = format!("{message}\n\nFor more information, try '--help'.\n");
        clap::Error::raw(clap::error::ErrorKind::ValueValidation, message)
            .with_cmd(&cmd)
            .exit()
    }
    cmd.error(
        clap::error::ErrorKind::ValueValidation,
        crate::text::escape(message.as_bytes()),
    )
    .exit()
}

/// Bare `etcdpy`: the short help (the commands, then the common global options) on stdout,
/// exit 0, as etcdctl, kubectl and cargo do; usage errors exit 2.
fn bare() {
    if std::env::args_os().len() == 1 {
        let help = command().render_help();
        let _ = std::io::Write::write_all(&mut std::io::stdout(), help.to_string().as_bytes());
        std::process::exit(0);
    }
}

/// `err` with etcdpy's form as its one tip, in place of clap's guess, when what was refused is
/// an etcdctl habit (`get --prefix /app`, `lease grant 10`, `ls /`: see [`crate::habits`]).
fn with_habit(err: clap::Error, cmd: &clap::Command) -> clap::Error {
    use crate::habits::{Refused, tip};
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let refused = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    if err.kind() == ErrorKind::MissingSubcommand {
        // clap lists every name, hidden aliases too (read, put, del...): the commands alone.
        let names = cmd
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| c.get_name().to_string())
            .collect();
        let mut err = err;
        err.insert(ContextKind::ValidSubcommand, ContextValue::Strings(names));
        return err;
    }
    let found = match err.kind() {
        ErrorKind::InvalidSubcommand => refused(ContextKind::InvalidSubcommand)
            .and_then(|sub| tip(&Refused::Subcommand(&sub), &args)),
        ErrorKind::UnknownArgument => refused(ContextKind::InvalidArg).and_then(|option| {
            let sub = args.iter().find(|a| cmd.find_subcommand(a).is_some());
            let sub = sub.map(String::as_str);
            tip(
                &Refused::Option {
                    option: &option,
                    sub,
                },
                &args,
            )
        }),
        _ => None,
    };
    // The usage of the subcommand typed (clap's own is shaped after its guess).
    let mut usage = args
        .iter()
        .find_map(|a| cmd.find_subcommand(a))
        .map(|sub| sub.clone().bin_name(format!("etcdpy {}", sub.get_name())))
        .unwrap_or_else(|| cmd.clone());
    let Some(found) = found else {
        return err;
    };
    let mut fresh = clap::Error::new(err.kind()).with_cmd(cmd);
    for (kind, value) in err.context() {
        let guess = matches!(
            kind,
            ContextKind::Suggested
                | ContextKind::SuggestedArg
                | ContextKind::SuggestedSubcommand
                | ContextKind::SuggestedValue
                | ContextKind::Usage
        );
        if !guess {
            fresh.insert(kind, value.clone());
        }
    }
    let tip = crate::text::escape(found.as_bytes());
    fresh.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![tip.into()]),
    );
    let usage = usage.render_usage();
    fresh.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    fresh
}

/// A value clap refused that was an environment variable's, not typed.
enum Refused {
    /// The option was typed too (with another value): what was typed wins.
    Overridden(clap::Id),
    /// Only the variable gave it: `ETCDPY_COMMAND_TIMEOUT (--command-timeout)`.
    Variable(String),
}

/// Whether `err` refuses the value of an environment variable rather than a typed one
/// (clap reads the variable for every copy of a global option, so its value can be
/// refused even when the option is also typed).
fn from_environment(err: &clap::Error, cmd: &clap::Command) -> Option<Refused> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use std::os::unix::ffi::OsStrExt;
    if !matches!(
        err.kind(),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
    ) {
        return None;
    }
    let (Some(ContextValue::String(shown)), Some(ContextValue::String(value))) = (
        err.get(ContextKind::InvalidArg),
        err.get(ContextKind::InvalidValue),
    ) else {
        return None;
    };
    let named = |long: &str| {
        let flag = format!("--{long}");
        *shown == flag || shown.starts_with(&format!("{flag} "))
    };
    let arg = std::iter::once(cmd)
        .chain(cmd.get_subcommands())
        .flat_map(|c| c.get_arguments())
        .find(|a| a.get_long().is_some_and(named))?;
    let (var, long) = (arg.get_env()?, arg.get_long()?);
    if std::env::var_os(var).is_none_or(|set| set.as_bytes() != value.as_bytes()) {
        return None;
    }
    // Typed as well (`--output=xml`, `-o xml`, `-oxml`)?
    let args: Vec<Vec<u8>> = std::env::args_os()
        .skip(1)
        .map(|a| a.as_bytes().to_vec())
        .take_while(|a| a != b"--")
        .collect();
    let flag = format!("--{long}");
    let option_typed = args.iter().any(|a| {
        *a == flag.as_bytes()
            || a.starts_with(format!("{flag}=").as_bytes())
            || arg.get_short().is_some_and(|s| {
                a.len() > 1 && a[0] == b'-' && a[1] != b'-' && a.contains(&(s as u8))
            })
    });
    if !option_typed {
        return Some(Refused::Variable(format!(
            "{} ({flag})",
            var.to_string_lossy()
        )));
    }
    if args.iter().any(|a| a.ends_with(value.as_bytes())) {
        // The refused value may be the typed one: the message names the option.
        return None;
    }
    Some(Refused::Overridden(arg.get_id().clone()))
}

/// `cmd` with the options `ids` no longer read from their environment variables, in
/// every copy (the top level's and each subcommand's).
fn without_environment(cmd: clap::Command, ids: &[clap::Id]) -> clap::Command {
    ids.iter().fold(cmd, |cmd, id| {
        let has = |c: &clap::Command| c.get_arguments().any(|a| a.get_id() == id);
        let names: Vec<String> = cmd
            .get_subcommands()
            .filter(|c| has(c))
            .map(|c| c.get_name().to_string())
            .collect();
        let cmd = if has(&cmd) {
            cmd.mut_arg(id, |a| a.env(None))
        } else {
            cmd
        };
        names.into_iter().fold(cmd, |cmd, name| {
            cmd.mut_subcommand(name, |sub| sub.mut_arg(id, |a| a.env(None)))
        })
    })
}

/// `err` with every typed argument or value it quotes escaped (`--\r` shows as
/// `--\\r`), so that a control character typed on the command line (or set in an
/// ETCDPY_* variable) is shown, never obeyed by the terminal.
pub fn escaped(mut err: clap::Error) -> clap::Error {
    use clap::builder::StyledStr;
    use clap::error::{ContextKind, ContextValue};
    use std::os::unix::ffi::OsStrExt;
    let clean = |text: &str| crate::text::escape(text.as_bytes());
    // The arguments with something to escape, as clap quotes them.
    let hostile: Vec<String> = std::env::args_os()
        .map(|arg| String::from_utf8_lossy(arg.as_bytes()).into_owned())
        .filter(|arg| clean(arg) != *arg)
        .collect();
    // Styled text (a tip) holds such an argument among clap's own escape sequences: the
    // argument is put in escaped, then the text kept without its styling.
    let styled = |text: &StyledStr| -> StyledStr {
        let mut ansi = text.ansi().to_string();
        for arg in &hostile {
            ansi = ansi.replace(arg.as_str(), &clean(arg));
        }
        clean(&StyledStr::from(ansi).to_string()).into()
    };
    let context: Vec<(ContextKind, ContextValue)> =
        err.context().map(|(k, v)| (k, v.clone())).collect();
    for (kind, value) in context {
        let value = match value {
            ContextValue::String(s) => ContextValue::String(clean(&s)),
            ContextValue::Strings(list) => {
                ContextValue::Strings(list.iter().map(|s| clean(s)).collect())
            }
            ContextValue::StyledStr(s) if !hostile.is_empty() && kind != ContextKind::Usage => {
                ContextValue::StyledStr(styled(&s))
            }
            ContextValue::StyledStrs(list) if !hostile.is_empty() => {
                ContextValue::StyledStrs(list.iter().map(styled).collect())
            }
            _ => continue,
        };
        err.insert(kind, value);
    }
    err
}
