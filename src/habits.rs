//! Habits from etcdctl (and etcdctl v2) that the parser refuses: `get --prefix /app`, `lease
//! grant 10`, `ls /`. Each gets one tip naming etcdpy's form, in place of clap's own guess
//! (`-- --prefix`, `leader`), which would lead a newcomer astray. Only on the error path: a
//! command etcdpy has (or gains) is never touched. A leaf: it knows the words, not clap.

use crate::text::escape;

/// What the parser refused.
pub enum Refused<'a> {
    /// An unknown subcommand (`lease`).
    Subcommand(&'a str),
    /// An unknown option (`--prefix`) given to the subcommand `sub` (None: before any).
    Option {
        option: &'a str,
        sub: Option<&'a str>,
    },
}

/// The tip for what was refused, when it is a known habit; `args` is the command line
/// without the program name (for the KEY to repeat in the tip).
pub fn tip(refused: &Refused, args: &[String]) -> Option<String> {
    match refused {
        Refused::Subcommand(sub) => subcommand(sub, &after(args, sub)),
        Refused::Option { option, sub } => option_tip(option, sub.unwrap_or(""), args),
    }
}

/// The arguments after `word` (the refused subcommand), escaped for showing.
fn after(args: &[String], word: &str) -> Vec<String> {
    let at = args
        .iter()
        .position(|a| a == word)
        .map_or(args.len(), |i| i + 1);
    args[at..].iter().map(|a| escape(a.as_bytes())).collect()
}

/// The first argument in `args` that is neither an option nor `skip`: the KEY, shown.
fn key(args: &[String], skip: &str) -> String {
    args.iter()
        .find(|a| !a.starts_with('-') && *a != skip)
        .map(|a| escape(a.as_bytes()))
        .unwrap_or_else(|| "KEY".to_string())
}

fn subcommand(sub: &str, rest: &[String]) -> Option<String> {
    let arg = |i: usize, default: &str| rest.get(i).cloned().unwrap_or(default.to_string());
    Some(match sub {
        "ls" => format!(
            "etcdctl's ls is get here: etcdpy get {} lists one level (keys and sub-directories), \
             get {0} -r everything below",
            arg(0, "/")
        ),
        // `lease grant 10` (the lease command has list/show/revoke, not grant): also reached
        // as an unknown subcommand of `lease`.
        "lease" | "grant" => {
            let (verb, ttl_at) = if sub == "grant" {
                (None, 0)
            } else {
                (rest.first(), 1)
            };
            let ttl = match verb.map(String::as_str) {
                Some("grant") | None => format!("{}s", arg(ttl_at, "10")),
                _ => "10s".to_string(),
            };
            format!(
                "etcdpy grants no bare leases: set KEY VALUE --ttl {ttl} gives a key a lease of \
                 its own, refresh KEY renews it; etcdpy lease list shows the leases"
            )
        }
        "keep-alive" => "etcdpy refresh KEY --ttl D renews the lease of KEY".into(),
        "timetolive" => "etcdpy lease show ID (or --for-key KEY)".into(),
        "restore" | "status" => {
            "etcdutl snapshot restore/status work on the file etcdpy snapshot save wrote".into()
        }
        "member" => "etcdpy members lists the members (with health, version and raft state)".into(),
        "endpoint" => "etcdpy members probes every member; etcdpy leader names the leader".into(),
        "mk" => "etcdpy set KEY VALUE --if-absent".into(),
        "update" => "etcdpy set KEY VALUE --if-exists".into(),
        "rmdir" => "etcdpy rm -r DIR".into(),
        "mkdir" | "setdir" => {
            "v3 has no directories to make: etcdpy set DIR/KEY VALUE makes DIR/ appear".into()
        }
        "exec-watch" => "etcdpy watch -f KEY -- CMD ARGS... (add -r for a subtree)".into(),
        "version" => "etcdpy --version".into(),
        _ => return None,
    })
}

fn option_tip(option: &str, sub: &str, args: &[String]) -> Option<String> {
    let option = option.split('=').next().unwrap_or(option);
    let key = key(args, sub);
    Some(match (option, sub) {
        ("--prefix", "get" | "read") => format!(
            "etcdctl's --prefix is -r here: etcdpy get {key} -r (KEY itself and every key under \
             KEY/; a plain prefix also matched KEY2)"
        ),
        ("--prefix", "watch") => format!(
            "etcdctl's --prefix is -r here: etcdpy watch {key} -r (KEY and everything under KEY/)"
        ),
        ("--prefix", "rm" | "del" | "delete") => format!(
            "etcdctl's --prefix is -r here: etcdpy rm {key} -r (KEY and everything under KEY/)"
        ),
        ("--lease", _) => {
            "set KEY VALUE --ttl 10s gives the key a lease of its own (refresh renews it)".into()
        }
        ("--from-key", _) => format!("etcdpy get {key} -r reads KEY and every key under KEY/"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(String::from).collect()
    }

    #[test]
    fn etcdctl_habits_name_etcdpys_form() {
        let prefix = |sub| Refused::Option {
            option: "--prefix",
            sub: Some(sub),
        };
        let get = tip(&prefix("get"), &args("get --prefix /app")).unwrap();
        assert!(get.contains("etcdpy get /app -r"), "{get}");
        let watch = tip(&prefix("watch"), &args("watch --prefix /app")).unwrap();
        assert!(watch.contains("etcdpy watch /app -r"), "{watch}");
        let lease = tip(&Refused::Subcommand("lease"), &args("lease grant 10")).unwrap();
        assert!(lease.contains("--ttl 10s"), "{lease}");
        let grant = tip(&Refused::Subcommand("grant"), &args("lease grant 30")).unwrap();
        assert!(grant.contains("--ttl 30s"), "{grant}");
        let ls = tip(&Refused::Subcommand("ls"), &args("ls /")).unwrap();
        assert!(ls.contains("etcdpy get / "), "{ls}");
        assert!(tip(&Refused::Subcommand("frobnicate"), &args("frobnicate")).is_none());
        let evil = tip(&prefix("get"), &args("get --prefix /a\x1b[2J")).unwrap();
        assert!(evil.contains("/a\\x1b[2J"), "{evil}");
    }
}
