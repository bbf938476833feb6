//! What the `context` commands need from the resolved options: every option's value and
//! source (`context show`), and what `context add` saves: the options typed, or etcdctl's
//! variables (`--from-etcdctl-env`), or kubeadm's files (`--from-kubeadm`).

use super::layers::{Layers, Source};
use crate::cli::Matches;
use crate::commands::context::{AddArgs, ContextArgs, ContextCommand, Worked};
use crate::context::Shape;
use crate::error::{Error, Result};
use crate::output::context::{ContextRow, ContextShown, Contexts, SettingRow};
use toml_edit::Item;

/// The options whose value is a secret: shown as `(set)`, never as themselves.
const SECRETS: &[&str] = &["password"];

pub fn worked(args: &ContextArgs, matches: &Matches, layers: &Layers) -> Result<Worked> {
    let mut worked = Worked {
        listed: None,
        shown: None,
        saved: Vec::new(),
    };
    match &args.command {
        ContextCommand::Show { name } => {
            let using = layers.context.as_ref().map(|c| c.name.as_str());
            if let Some(name) = name
                && using != Some(name.as_str())
            {
                return Err(Error::usage(format!(
                    "give the context's name right after 'context show' (etcdpy context show {name} -o json)"
                )));
            }
            worked.shown = Some(shown(matches, layers));
        }
        ContextCommand::Ls { names } => worked.listed = Some(listed(layers, *names)),
        ContextCommand::Add(add) => worked.saved = saved(add, matches, layers)?,
        _ => {}
    }
    Ok(worked)
}

/// What `context add` saves: the options typed (or etcdctl's variables, or kubeadm's files),
/// then the guards, the label and the password command.
fn saved(add: &AddArgs, matches: &Matches, layers: &Layers) -> Result<Vec<(String, Item)>> {
    let mut typed = Vec::new();
    if add.from_etcdctl_env {
        typed = etcdctl_env(layers)?;
    } else if add.from_kubeadm {
        typed = kubeadm(add)?;
    }
    for key in &layers.keys {
        if layers.source(key, matches) == Source::CommandLine
            && let Some(value) = matches.raw(key.id())
        {
            typed.retain(|(k, _, _)| *k != key.name);
            typed.push((key.name.clone(), value, key.shape));
        }
    }
    // Files are saved as absolute paths: the context is used from any directory.
    for (key, value, _) in &mut typed {
        if ["cacert", "cert", "key", "password_file"].contains(&key.as_str()) {
            let path = std::path::absolute(&*value)
                .map_err(|e| Error::usage(format!("--{key} {value}: {e}")))?;
            *value = path.display().to_string();
        }
    }
    let mut settings = crate::context::items(&typed);
    for (key, on) in [("read_only", add.read_only), ("confirm", add.confirm)] {
        if on {
            settings.push((key.to_string(), toml_edit::value(true)));
        }
    }
    for (key, text) in [
        ("label", &add.label),
        ("password_command", &add.password_command),
    ] {
        if let Some(text) = text {
            settings.push((key.to_string(), toml_edit::value(text.as_str())));
        }
    }
    Ok(settings)
}

/// `context ls`: the file's contexts, the current one marked.
fn listed(layers: &Layers, names_only: bool) -> Contexts {
    let file = layers.file.as_ref();
    let current = file.and_then(|f| f.current());
    let contexts = file.map(|f| f.contexts.as_slice()).unwrap_or_default();
    let contexts = contexts
        .iter()
        .map(|c| ContextRow {
            name: c.name.clone(),
            current: current == Some(c.name.as_str()),
            endpoints: c
                .get("endpoints")
                .map(|s| s.value.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            label: c.label.clone(),
            read_only: c.read_only,
            confirm: c.confirm,
        })
        .collect();
    Contexts {
        file: layers.path.display().to_string(),
        contexts,
        names_only,
    }
}

/// Every option with its value (a secret's shown as `(set)`) and where it came from.
pub fn shown(matches: &Matches, layers: &Layers) -> ContextShown {
    let context = layers.context.as_ref();
    let mut settings = Vec::new();
    for key in &layers.keys {
        let source = layers.source(key, matches);
        let value = match &source {
            Source::Context { .. } => context
                .and_then(|c| c.get(&key.name))
                .map(|s| s.value.clone()),
            Source::Env { variable, .. } => std::env::var(variable).ok(),
            Source::Unset => None,
            _ => matches.raw(key.id()),
        };
        let value = match (key.name.as_str(), value) {
            (name, Some(_)) if SECRETS.contains(&name) => Some("(set)".to_string()),
            ("user", Some(user)) => Some(user.split(':').next().unwrap_or_default().to_string()),
            (_, value) => value,
        };
        settings.push(SettingRow {
            key: key.name.clone(),
            value,
            from: describe(&source),
        });
    }
    if let Some(command) = context.and_then(|c| c.password_command.clone()) {
        let from = describe(&Source::Context {
            context: context.map(|c| c.name.clone()).unwrap_or_default(),
        });
        settings.push(SettingRow {
            key: "password_command".into(),
            value: Some(command),
            from,
        });
    }
    ContextShown {
        file: layers.path.display().to_string(),
        context: context.map(|c| c.name.clone()),
        label: context.and_then(|c| c.label.clone()),
        read_only: context.is_some_and(|c| c.read_only),
        confirm: context.is_some_and(|c| c.confirm),
        settings,
    }
}

/// A source in words: "command line", "environment variable ETCDPY_X (overrides context
/// prod)", "context prod", "default", "not set".
pub fn describe(source: &Source) -> String {
    match source {
        Source::CommandLine => "command line".into(),
        Source::Env {
            variable,
            over: None,
        } => format!("environment variable {variable}"),
        Source::Env {
            variable,
            over: Some(context),
        } => format!("environment variable {variable}, overrides context {context}"),
        Source::Context { context } => format!("context {context}"),
        Source::Default => "default".into(),
        Source::Unset => "not set".into(),
    }
}

/// `--from-etcdctl-env`: each ETCDCTL_* variable set that has an etcdpy option.
fn etcdctl_env(layers: &Layers) -> Result<Vec<(String, String, Shape)>> {
    let renamed = [("WRITE_OUT", "output")];
    let mut typed = Vec::new();
    for (name, value) in std::env::vars() {
        let Some(rest) = name.strip_prefix("ETCDCTL_") else {
            continue;
        };
        let key = renamed
            .iter()
            .find(|(from, _)| *from == rest)
            .map(|(_, to)| to.to_string())
            .unwrap_or_else(|| rest.to_ascii_lowercase());
        // ETCDCTL_API is etcdctl's own API version, not etcdpy's --api.
        if rest == "API" {
            continue;
        }
        if let Some(k) = layers.keys.iter().find(|k| k.name == key) {
            if let Some(reason) = k.refused(&value) {
                return Err(Error::usage(format!(
                    "--from-etcdctl-env: {name}={}: {reason}",
                    crate::text::escape(value.as_bytes())
                )));
            }
            typed.push((key, value, k.shape));
        }
    }
    if typed.is_empty() {
        return Err(Error::usage(
            "--from-etcdctl-env: no ETCDCTL_* variable with an etcdpy option is set (ETCDCTL_ENDPOINTS, ETCDCTL_CACERT, ...)",
        ));
    }
    typed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(typed)
}

/// `--from-kubeadm`: kubeadm's etcd CA and healthcheck client certificate under `--pki`,
/// each checked readable, and the local member's client URL.
fn kubeadm(add: &AddArgs) -> Result<Vec<(String, String, Shape)>> {
    let mut typed = vec![(
        "endpoints".to_string(),
        "https://127.0.0.1:2379".to_string(),
        Shape::List,
    )];
    for (key, file) in [
        ("cacert", "ca.crt"),
        ("cert", "healthcheck-client.crt"),
        ("key", "healthcheck-client.key"),
    ] {
        let path = add.pki.join(file);
        std::fs::File::open(&path).map_err(|e| {
            Error::usage(format!(
                "--from-kubeadm: cannot read {}: {e}",
                path.display()
            ))
        })?;
        let path = std::path::absolute(&path).unwrap_or(path);
        typed.push((key.to_string(), path.display().to_string(), Shape::One));
    }
    Ok(typed)
}
