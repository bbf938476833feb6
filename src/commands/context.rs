//! `etcdpy context use|ls|show|add|rm`: named clusters in the config file (see
//! [`crate::context`]). What `show` prints and what `add` saves are worked out by `config`
//! (the options' sources, what was typed); here they are checked, saved and emitted.

use crate::context::ConfigFile;
use crate::error::{Error, Result};
use crate::output::Out;
use crate::output::context::{ContextShown, Contexts};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy context add dev --endpoints http://127.0.0.1:2379\n  \
etcdpy context add prod --endpoints https://etcd1:2379 --read-only --label PROD\n  \
etcdpy context use dev\n  \
etcdpy --context prod get /app -r\n  \
etcdpy context show prod   # every setting and where it came from\n\n\
The file: $XDG_CONFIG_HOME/etcdpy/config.toml (~/.config/etcdpy/config.toml), or --config FILE / \
ETCDPY_CONFIG. A context holds any global option under its variable's name without ETCDPY_ \
(endpoints, cacert, cert, key, user, password_file, dial_timeout, output, lock_prefix, ...), and \
read_only, confirm, label and password_command. Precedence: command line > environment > \
context > default.")]
pub struct ContextArgs {
    #[command(subcommand)]
    pub command: ContextCommand,
}

#[derive(Subcommand, Debug)]
pub enum ContextCommand {
    /// Make NAME the current context ('-': the one before it)
    Use {
        #[arg(value_name = "CONTEXT")]
        name: String,
    },
    /// List the contexts, the current one marked with *
    #[command(alias = "list")]
    Ls {
        /// Only the names, one a line (for completion)
        #[arg(long)]
        names: bool,
    },
    /// Every setting of a context (default: the one in use) and where it came from
    Show {
        #[arg(value_name = "CONTEXT")]
        name: Option<String>,
    },
    /// Save the global options given here as context NAME
    Add(AddArgs),
    /// Remove context NAME
    Rm {
        #[arg(value_name = "CONTEXT")]
        name: String,
    },
}

#[derive(Args, Debug)]
pub struct AddArgs {
    pub name: String,
    /// Replace a context of that name
    #[arg(long)]
    pub force: bool,
    /// Connect first (members), and save only if the cluster answers
    #[arg(long)]
    pub check: bool,
    /// Refuse every command that writes, deletes, locks or defragments (exit 13)
    #[arg(long)]
    pub read_only: bool,
    /// Ask before such commands on a terminal; without one, they need --yes
    #[arg(long)]
    pub confirm: bool,
    /// A short marker shown in notices and listings (PROD)
    #[arg(long, value_name = "TEXT")]
    pub label: Option<String>,
    /// A command whose first line of output is the password (sh -c)
    #[arg(long, value_name = "CMD")]
    pub password_command: Option<String>,
    /// Take the options from the ETCDCTL_* variables that are set
    #[arg(long, conflicts_with = "from_kubeadm")]
    pub from_etcdctl_env: bool,
    /// Take kubeadm's etcd client certificate (healthcheck-client) and https://127.0.0.1:2379
    #[arg(long)]
    pub from_kubeadm: bool,
    /// kubeadm's etcd PKI directory
    #[arg(
        long,
        value_name = "DIR",
        default_value = "/etc/kubernetes/pki/etcd",
        requires = "from_kubeadm"
    )]
    pub pki: PathBuf,
}

/// What `config` worked out for the command: the rows of `ls` and `show`, what `add` saves.
pub struct Worked {
    pub listed: Option<Contexts>,
    pub shown: Option<ContextShown>,
    pub saved: Vec<(String, toml_edit::Item)>,
}

pub fn run(args: ContextArgs, file: &mut ConfigFile, worked: Worked, out: &mut Out) -> Result<()> {
    match args.command {
        ContextCommand::Use { name } => {
            let name = match name.as_str() {
                "-" => file.previous().map(str::to_string).ok_or_else(|| {
                    Error::usage("no previous context to go back to (context use - needs one)")
                })?,
                _ => name,
            };
            file.switch(&name)?;
            {
                crate::output::note(&format!("using context {name}"));
                Ok(())
            }
        }
        ContextCommand::Ls { .. } => match worked.listed {
            Some(listed) => out.emit(&listed),
            None => Err(Error::unexpected("nothing to list")),
        },
        ContextCommand::Show { .. } => match worked.shown {
            Some(shown) => out.emit(&shown),
            None => Err(Error::unexpected("nothing to show")),
        },
        ContextCommand::Add(add) => {
            if worked.saved.is_empty() {
                return Err(Error::usage(
                    "context add: give the options to save (--endpoints ...)",
                ));
            }
            file.add(&add.name, &worked.saved, add.force)?;
            let path = file.path.display();
            crate::output::note(&format!("saved context {} in {path}", add.name));
            Ok(())
        }
        ContextCommand::Rm { name } => {
            file.remove(&name)?;
            {
                crate::output::note(&format!("removed context {name}"));
                Ok(())
            }
        }
    }
}
