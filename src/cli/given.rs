//! What the flag layer tells `config` about what was typed, in clap-free terms: where each
//! option's value came from and its raw text ([`Matches`], clap's matches behind plain
//! questions), and the options a context may set ([`Key`]: found in the command tree, typed
//! or not, a value checked with the option's own clap parser).

use crate::context::Shape;
use clap::parser::ValueSource;
use std::ffi::OsString;

/// Where clap took an option's value from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    CommandLine,
    Env,
    Default,
}

fn origin(source: ValueSource) -> Option<Origin> {
    match source {
        ValueSource::CommandLine => Some(Origin::CommandLine),
        ValueSource::EnvVariable => Some(Origin::Env),
        ValueSource::DefaultValue => Some(Origin::Default),
        _ => None,
    }
}

/// What was typed, as clap parsed it (see [`super::parse`]).
#[derive(Debug)]
pub struct Matches(pub(super) clap::ArgMatches);

impl Matches {
    /// The subcommand typed (`get`), if any.
    pub fn subcommand_name(&self) -> Option<&str> {
        self.0.subcommand_name()
    }

    /// Whether the top level's option `id` was typed on the command line (not taken from
    /// its variable or its default).
    pub fn typed(&self, id: &str) -> bool {
        self.0.value_source(id) == Some(ValueSource::CommandLine)
    }

    /// Where option `id`'s value came from: the top level's, else a subcommand's
    /// (lock --prefix); `None` when it has none.
    pub fn origin(&self, id: &str) -> Option<Origin> {
        let source = self
            .0
            .try_get_raw(id)
            .ok()
            .flatten()
            .and_then(|_| self.0.value_source(id))
            .or_else(|| sub_source(&self.0, id));
        source.and_then(origin)
    }

    /// The top level's value of option `id` as typed (a list's values joined with `,`).
    pub fn raw(&self, id: &str) -> Option<String> {
        let values = self.0.try_get_raw(id).ok().flatten()?;
        let values: Vec<String> = values.map(|v| v.to_string_lossy().into_owned()).collect();
        Some(values.join(","))
    }
}

/// A subcommand's option (lock --prefix): its source in the subcommand's matches.
fn sub_source(matches: &clap::ArgMatches, id: &str) -> Option<ValueSource> {
    let (_, sub) = matches.subcommand()?;
    sub.try_get_raw(id)
        .ok()
        .flatten()
        .and_then(|_| sub.value_source(id))
        .or_else(|| sub_source(sub, id))
}

/// An option a context may set: its key (`dial_timeout`), variable and clap argument.
#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub variable: String,
    pub shape: Shape,
    arg: clap::Arg,
}

/// Every option a context may hold: each ETCDPY_* variable of the command tree (but the
/// file's and the context's own), keyed by its name without ETCDPY_, in lower case.
pub fn keys() -> Vec<Key> {
    let cmd = super::command();
    let mut keys: Vec<Key> = Vec::new();
    let args = cmd
        .get_arguments()
        .chain(cmd.get_subcommands().flat_map(|s| s.get_arguments()))
        .chain(
            cmd.get_subcommands()
                .flat_map(|s| s.get_subcommands())
                .flat_map(|s| s.get_arguments()),
        );
    for arg in args {
        let Some(variable) = arg.get_env().and_then(|v| v.to_str()) else {
            continue;
        };
        let Some(name) = variable.strip_prefix("ETCDPY_") else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        if ["context", "config"].contains(&name.as_str()) || keys.iter().any(|k| k.name == name) {
            continue;
        }
        let shape = if !arg.get_action().takes_values() {
            Shape::Flag
        } else if arg.get_value_delimiter().is_some() {
            Shape::List
        } else {
            Shape::One
        };
        keys.push(Key {
            name,
            variable: variable.to_string(),
            shape,
            arg: arg.clone(),
        });
    }
    keys
}

impl Key {
    /// The option's id in the command tree (what [`Matches`] is asked about).
    pub fn id(&self) -> &str {
        self.arg.get_id().as_str()
    }

    /// Whether the option was typed in `args` (`--long`, `--long=…`, or its short letter).
    pub fn typed_in(&self, args: &[OsString]) -> bool {
        let arg = &self.arg;
        let longs: Vec<String> = arg
            .get_long()
            .into_iter()
            .chain(arg.get_all_aliases().unwrap_or_default())
            .map(|l| format!("--{l}"))
            .collect();
        let shorts: Vec<char> = arg
            .get_short()
            .into_iter()
            .chain(arg.get_all_short_aliases().unwrap_or_default())
            .collect();
        args.iter().any(|a| {
            let text = a.to_string_lossy();
            longs
                .iter()
                .any(|l| text == l.as_str() || text.starts_with(&format!("{l}=")))
                || (text.len() > 1
                    && text.starts_with('-')
                    && !text.starts_with("--")
                    && text.chars().nth(1).is_some_and(|c| shorts.contains(&c)))
        })
    }

    /// Why the option's own parser refuses `value`, if it does.
    pub fn refused(&self, value: &str) -> Option<String> {
        if self.shape == Shape::Flag {
            return None;
        }
        let mut arg = clap::Arg::new("v")
            .long("v")
            .action(clap::ArgAction::Set)
            .allow_hyphen_values(true)
            .value_parser(self.arg.get_value_parser().clone());
        if self.shape == Shape::List {
            arg = arg.value_delimiter(',');
        }
        let probe = clap::Command::new("etcdpy").no_binary_name(true).arg(arg);
        let err = probe.try_get_matches_from([format!("--v={value}")]).err()?;
        let text = err.to_string();
        let first = text.lines().next().unwrap_or_default();
        let reason = first.split_once("': ").map(|(_, r)| r).unwrap_or(first);
        Some(reason.trim_start_matches("error: ").to_string())
    }
}
