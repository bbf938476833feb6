//! The context layer of the options: which context is in use (`--context`, `ETCDPY_CONTEXT`,
//! the config file's `current`), its values checked against the options' own parsers, and
//! handed to clap as the options' environment variables where the person set none, so that
//! clap's own order gives command line > environment > context > default for every option
//! (and clap's conflicts and requirements apply to them). The variables set here are removed
//! once the command line is parsed ([`Layers::forget`]): a CMD that etcdpy runs never sees them.
//! Each option's source is then read back from clap (through the flag layer's [`Matches`]) and
//! from what was set here ([`Source`]).

use crate::cli::{Key, Matches, Origin};
use crate::context::{ConfigFile, Context, Shape};
use crate::error::{Error, Result};
use std::ffi::OsString;
use std::path::PathBuf;

/// Where an option's value came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Source {
    CommandLine,
    /// An environment variable (named); `over` names the context whose value it overrides.
    Env {
        variable: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        over: Option<String>,
    },
    Context {
        context: String,
    },
    Default,
    Unset,
}

/// Options that name the servers: given by the person in any form, the context's are all left out
/// (its endpoints with a typed --host would be the servers named twice).
const SERVERS: &[&str] = &[
    "endpoints",
    "host",
    "port",
    "protocol",
    "discovery_srv",
    "discovery_srv_name",
    "dns_server",
];
/// Options that say who to be: a person's --user leaves out the context's password too.
const IDENTITY: &[&str] = &["user", "password", "password_file"];

/// The config file and the context in use, and the variables set for it.
#[derive(Debug, Default)]
pub struct Layers {
    pub path: PathBuf,
    pub file: Option<ConfigFile>,
    pub context: Option<Context>,
    /// How the context was picked: `--context`, ETCDPY_CONTEXT, or the file's current.
    pub picked_by: Option<Source>,
    /// The options (keys) whose variable this set to the context's value.
    injected: Vec<Key>,
    /// The context's options the person's environment overrides: (key, variable).
    pub shadowed: Vec<(String, String)>,
    /// The context's options left out because the person named the servers or the user.
    pub left_out: Vec<String>,
    /// The person gave --user (or ETCDPY_USER): the context's password command is not used.
    user_given: bool,
    pub keys: Vec<Key>,
}

impl Layers {
    /// Read the config file and pick the context, before the command line is parsed: the
    /// context's values become the variables the person did not set.
    pub fn prepare() -> Result<Layers> {
        let typed = Typed::scan();
        let explicit = typed
            .value("config")
            .or_else(|| std::env::var_os("ETCDPY_CONFIG").filter(|v| !v.is_empty()));
        let path = crate::context::path(explicit.map(PathBuf::from));
        // Without a file, only `context` (add, show) needs the keys: other commands start
        // without building the command tree twice.
        let needed = path.exists() || typed.args.iter().any(|a| a == "context");
        let keys = if needed {
            crate::cli::keys()
        } else {
            Vec::new()
        };
        let known: Vec<(String, Shape)> = keys.iter().map(|k| (k.name.clone(), k.shape)).collect();
        let file = ConfigFile::load(&path, &known)?;
        // Every context's values are checked, not only the one in use: `context use` of a
        // context that would fail is refused too.
        for context in &file.contexts {
            for setting in &context.settings {
                if let Some(key) = keys.iter().find(|k| k.name == setting.key) {
                    check(&path, &context.name, setting, key)?;
                }
            }
        }
        // `context use/add/rm/ls` edit or list the file: no context is in use for them (a
        // current one that went missing must not stop `context use` from fixing it, and
        // `add --check` connects with what it saves). `context show NAME` uses NAME.
        let editing = typed.args.windows(2).any(|w| {
            w[0] == "context"
                && ["use", "add", "rm", "ls", "list"]
                    .iter()
                    .any(|s| w[1] == *s)
        });
        let (name, picked_by) = match (typed.value("context"), std::env::var_os("ETCDPY_CONTEXT")) {
            _ if editing => (None, None),
            _ if typed.shown.is_some() => (typed.shown.clone(), None),
            (Some(name), _) => (Some(name), Some(Source::CommandLine)),
            (None, Some(name)) if !name.is_empty() => (
                Some(name),
                Some(Source::Env {
                    variable: "ETCDPY_CONTEXT".into(),
                    over: None,
                }),
            ),
            _ => (file.current().map(OsString::from), None),
        };
        let context = match name {
            Some(name) => Some(file.context(&name.to_string_lossy())?.clone()),
            None => None,
        };
        let picked_by = picked_by.or_else(|| {
            context.as_ref().map(|c| Source::Context {
                context: c.name.clone(),
            })
        });
        let mut layers = Layers {
            path,
            file: Some(file),
            context,
            picked_by,
            keys,
            ..Layers::default()
        };
        layers.apply(&typed)?;
        Ok(layers)
    }

    /// Check the context's values with the options' parsers, and set the variables of
    /// those the person did not give.
    fn apply(&mut self, typed: &Typed) -> Result<()> {
        let Some(context) = self.context.clone() else {
            return Ok(());
        };
        let given = |names: &[&str]| {
            names.iter().any(|name| {
                let key = self.keys.iter().find(|k| k.name == *name);
                key.is_some_and(|k| typed.has(k) || std::env::var_os(&k.variable).is_some())
            })
        };
        let (servers, identity) = (given(SERVERS), given(&["user"]));
        self.user_given = identity;
        for setting in &context.settings {
            let Some(key) = self.keys.iter().find(|k| k.name == setting.key).cloned() else {
                continue;
            };
            if std::env::var_os(&key.variable).is_some() {
                if !typed.has(&key) {
                    self.shadowed.push((key.name.clone(), key.variable.clone()));
                }
                continue;
            }
            if (servers && SERVERS.contains(&key.name.as_str()))
                || (identity && IDENTITY.contains(&key.name.as_str()))
            {
                self.left_out.push(key.name.clone());
                continue;
            }
            // SAFETY: no other thread runs yet (the runtime starts after parsing).
            unsafe { std::env::set_var(&key.variable, &setting.value) };
            self.injected.push(key);
        }
        Ok(())
    }

    /// Remove the variables [`Layers::prepare`] set (the command line is parsed).
    pub fn forget(&self) {
        for key in &self.injected {
            // SAFETY: as in apply: still a single thread.
            unsafe { std::env::remove_var(&key.variable) };
        }
    }

    /// The context's password command, unless the person gave the user or a password.
    pub fn password_command(&self) -> Option<(&str, &str)> {
        let context = self.context.as_ref()?;
        let command = context.password_command.as_deref()?;
        (!self.user_given).then_some((context.name.as_str(), command))
    }

    /// Where option `key`'s value came from, as clap parsed it (`matches`, the top level's).
    pub fn source(&self, key: &Key, matches: &Matches) -> Source {
        let context = self.context.as_ref().map(|c| c.name.clone());
        match matches.origin(key.id()) {
            Some(Origin::CommandLine) => Source::CommandLine,
            Some(Origin::Env) if self.injected.iter().any(|k| k.name == key.name) => {
                Source::Context {
                    context: context.unwrap_or_default(),
                }
            }
            Some(Origin::Env) => Source::Env {
                variable: key.variable.clone(),
                over: context.filter(|_| self.shadowed.iter().any(|(k, _)| *k == key.name)),
            },
            Some(Origin::Default) => Source::Default,
            None => Source::Unset,
        }
    }
}

/// A context's value checked with the option's own parser: a bad one names the file, line and
/// column, as a syntax error does.
fn check(
    path: &std::path::Path,
    context: &str,
    setting: &crate::context::Setting,
    key: &Key,
) -> Result<()> {
    key.refused(&setting.value).map_or(Ok(()), |reason| {
        Err(crate::context::located(
            path,
            setting.at,
            &format!(
                "invalid value '{}' for {} (context {context}): {reason}",
                crate::text::escape(setting.value.as_bytes()),
                key.name
            ),
        ))
    })
}

/// What was typed on the command line, scanned before clap parses it (the file and the context
/// decide the variables clap reads): options up to `--`, and `context show NAME`.
struct Typed {
    args: Vec<OsString>,
    /// `context show NAME`: the context shown is NAME.
    shown: Option<OsString>,
}

impl Typed {
    fn scan() -> Typed {
        let args: Vec<OsString> = std::env::args_os()
            .skip(1)
            .take_while(|a| a != "--")
            .collect();
        // `context show NAME`: NAME right after the two words (config::worked checks it).
        let shown = args
            .windows(3)
            .find(|w| w[0] == "context" && w[1] == "show")
            .map(|w| w[2].clone())
            .filter(|name| !name.to_string_lossy().starts_with('-'));
        Typed { args, shown }
    }

    /// The value of `--NAME VALUE` or `--NAME=VALUE` (the last one typed).
    fn value(&self, long: &str) -> Option<OsString> {
        let flag = format!("--{long}");
        let mut found = None;
        for (i, arg) in self.args.iter().enumerate() {
            let text = arg.to_string_lossy();
            if text == flag {
                found = self.args.get(i + 1).cloned();
            } else if let Some(value) = text.strip_prefix(&format!("{flag}=")) {
                found = Some(OsString::from(value));
            }
        }
        found
    }

    /// Whether option `key` was typed (`--long`, `--long=…`, or its short letter).
    fn has(&self, key: &Key) -> bool {
        key.typed_in(&self.args)
    }
}

/// A context's guard refused a command: read_only (the context named), or confirm unanswered.
pub fn read_only(context: &str) -> Error {
    Error::new(
        crate::exit::Exit::ContextGuard,
        format!(
            "context {context} is read-only: nothing was sent (use another context, or --context)"
        ),
    )
}
