//! Context names in the completion scripts: clap's scripts complete `--context CONTEXT` and
//! `context use/show/rm CONTEXT` as files or nothing; these edits make them ask
//! `etcdpy context ls --names` (the config file's names, one a line) instead.

/// The names, as each shell runs a command for its candidates.
const NAMES: &str = "etcdpy context ls --names 2>/dev/null";

/// `script` (clap's, for `shell`: Bash, Zsh or Fish) completing context names.
pub fn names(shell: &str, script: Vec<u8>) -> Vec<u8> {
    let Ok(text) = String::from_utf8(script.clone()) else {
        return script;
    };
    let text = match shell {
        "Bash" => bash(&text),
        // (zsh names a positional by its field: `context use/show/rm`'s, and add's, `name`.)
        "Zsh" => {
            let names = format!("{{compadd -- $({NAMES})}}");
            text.replace(":CONTEXT:_default", &format!(":CONTEXT:{names}"))
                .replace("':name:_default'", &format!("':name:{names}'"))
                .replace("'::name:_default'", &format!("'::name:{names}'"))
        }
        "Fish" => fish(&text),
        _ => text,
    };
    text.into_bytes()
}

fn bash(text: &str) -> String {
    let mut out = String::new();
    let mut after_context = false;
    let mut takes_name = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.ends_with(')') && trimmed.starts_with("etcdpy__") {
            takes_name = ["use)", "show)", "rm)"]
                .iter()
                .any(|s| trimmed.ends_with(&format!("context__subcmd__{s}")));
        }
        if after_context && trimmed.starts_with("COMPREPLY=($(compgen -f") {
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(&format!(
                "{indent}COMPREPLY=($(compgen -W \"$({NAMES})\" -- \"${{cur}}\"))\n"
            ));
            after_context = false;
            continue;
        }
        after_context = trimmed == "--context)";
        if takes_name && trimmed.starts_with("opts=") && line.ends_with('"') {
            // The positional CONTEXT of context use/show/rm: the names beside the options.
            out.push_str(&format!("{} $({NAMES})\"", &line[..line.len() - 1]));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

fn fish(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line);
        if line.contains(" -l context ") && line.ends_with(" -r") {
            out.push_str(&format!(" -f -a \"({NAMES})\""));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "complete -c etcdpy -n \"__fish_etcdpy_using_subcommand context; and __fish_seen_subcommand_from use show rm\" -f -a \"({NAMES})\"\n"
    ));
    out
}
