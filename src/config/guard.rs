//! A context's guards, applied before anything is sent: `read_only` refuses a command that
//! writes, `confirm` asks on the terminal (or needs `--yes`); and its `password_command`, run
//! when no other source gives the password.

use super::{Config, layers};
use crate::error::{Error, Result};
use crate::exit::Exit;

impl Config {
    /// Whether a command that `writes` may go on, under the context in use.
    pub fn guard(&self, writes: bool) -> Result<()> {
        let Some(context) = &self.context else {
            return Ok(());
        };
        if !writes {
            return Ok(());
        }
        if context.read_only {
            return Err(layers::read_only(&context.name));
        }
        if !context.confirm || self.yes {
            return Ok(());
        }
        let servers = match &self.srv {
            Some(srv) => format!("SRV {}", srv.domain),
            None => self.client.endpoints.join(","),
        };
        let question = format!(
            "write to context {} ({})?",
            context.name,
            crate::text::escape(servers.as_bytes())
        );
        match crate::prompt::confirm(&question) {
            Some(true) => Ok(()),
            Some(false) => Err(Error::new(
                Exit::ContextGuard,
                format!(
                    "not confirmed: nothing was sent to context {}",
                    context.name
                ),
            )),
            None => Err(Error::new(
                Exit::ContextGuard,
                format!(
                    "context {} asks before writing and there is no terminal to ask on: give --yes",
                    context.name
                ),
            )),
        }
    }

    /// `--debug`'s lines about the context: which of its values the environment overrides.
    pub fn context_notes(&self) -> Vec<String> {
        let Some(context) = &self.context else {
            return Vec::new();
        };
        let mut notes = vec![format!("context {}", context.name)];
        for (key, variable) in &context.shadowed {
            notes.push(format!(
                "{variable} (environment) overrides {key} of context {}",
                context.name
            ));
        }
        if !context.left_out.is_empty() {
            notes.push(format!(
                "{} of context {} left out: the servers or the user are named otherwise",
                context.left_out.join(", "),
                context.name
            ));
        }
        notes
    }
}

/// The password the context's `password_command` prints (its first line; `sh -c`). A command
/// that fails or prints nothing is exit 8, naming the context and its stderr's first line.
pub fn password_command(context: &str, command: &str) -> Result<String> {
    let failed = |why: String| {
        Error::new(
            Exit::AuthRefused,
            format!("password_command of context {context} {why}"),
        )
    };
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| failed(format!("cannot be run: {e}")))?;
    let first = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let line = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end_matches('\r');
        crate::text::escape(line.as_bytes())
    };
    if !output.status.success() {
        let status = match output.status.code() {
            Some(code) => format!("exit {code}"),
            None => "killed by a signal".into(),
        };
        let stderr = first(&output.stderr);
        let stderr = if stderr.is_empty() {
            String::new()
        } else {
            format!(": {stderr}")
        };
        return Err(failed(format!("failed ({status}){stderr}")));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| failed("printed something that is not UTF-8 text".into()))?;
    let line = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r');
    if line.is_empty() {
        return Err(failed("printed nothing".into()));
    }
    Ok(line.to_string())
}
