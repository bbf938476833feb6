//! The committed shell completions (`completions/`) and man pages (`man/`),
//! generated from the clap definitions in `etcdpy::cli::command()` and the
//! exit-code table in `etcdpy::exit::TABLE`.
//!
//! The test regenerates everything in memory and compares it with the files in
//! the repository, so it fails as soon as a flag, a subcommand, a help text or
//! an exit code changes without the files being regenerated. To regenerate:
//!
//! ```text
//! ETCDPY_REGENERATE=1 cargo test --test it generated
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use clap::Command;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};
use etcdpy::cli::Shell;
use etcdpy::exit;

/// The command that rewrites the files; quoted in every failure message.
const REGENERATE: &str = "ETCDPY_REGENERATE=1 cargo test --test it generated";

/// The directories the generator owns, relative to the crate root. Any file in
/// them that the generator does not produce is stale.
const OWNED_DIRS: &[&str] = &["completions", "man"];

/// The shells completions are committed for, and their files.
const SHELLS: &[(Shell, &str)] = &[
    (Shell::Bash, "etcdpy.bash"),
    (Shell::Zsh, "_etcdpy"),
    (Shell::Fish, "etcdpy.fish"),
];

/// The program's name, as installed.
const BIN: &str = "etcdpy";

/// Environment variables the program reads that are not the `env` of a clap argument.
const EXTRA_ENV: &[(&str, &str)] = &[(
    "NO_COLOR",
    "If set to a non-empty value, turns colour off when --color is auto (the default). \
     --color always still colours.",
)];

/// The full clap tree, built, so that subcommands carry their bin names
/// (`etcdpy get`), display names (`etcdpy-get`) and the propagated global options.
fn built_command() -> Command {
    let mut cmd = etcdpy::cli::command().bin_name(BIN);
    cmd.build();
    cmd
}

/// Every file the generator produces: path relative to the crate root → contents.
fn generate_all() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();

    for &(shell, file) in SHELLS {
        let script = etcdpy::cli::completion_script(shell);
        files.insert(Path::new("completions").join(file), script);
    }

    // Man pages: one for the program and one per (nested) subcommand; there is
    // no page for clap's built-in `help` subcommand.
    let mut root = etcdpy::cli::command()
        .bin_name(BIN)
        .disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    collect_pages(&root, &root, &mut pages);
    for (name, page) in pages {
        files.insert(Path::new("man").join(format!("{name}.1")), page);
    }
    files
}

/// Renders the page of `cmd` and, recursively, of each visible subcommand.
fn collect_pages(root: &Command, cmd: &Command, pages: &mut Vec<(String, Vec<u8>)>) {
    let name = page_name(cmd).to_string();
    pages.push((name, man_page(root, cmd)));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(root, sub, pages);
    }
}

/// `etcdpy` for the program, `etcdpy-get` for a subcommand.
fn page_name(cmd: &Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

/// One man page: clap_mangen's title, NAME, SYNOPSIS, OPTIONS and SUBCOMMANDS,
/// with our own DESCRIPTION and EXAMPLES (split out of the help texts), EXIT
/// STATUS (from `exit::TABLE`), ENVIRONMENT and SEE ALSO.
fn man_page(root: &Command, cmd: &Command) -> Vec<u8> {
    let man = Man::new(cmd.clone())
        .title(page_name(cmd).to_uppercase())
        // An explicitly empty argument, so that the page carries no date (the
        // output is stable) and groff does not read the source as the date.
        .date("\"\"")
        .source(format!("{BIN} {}", root.get_version().unwrap_or_default()))
        .manual("User Commands");

    // clap's long about and after-help hold paragraphs separated by blank
    // lines; a paragraph starting "Examples:" belongs in EXAMPLES.
    let mut description = Vec::new();
    let mut examples = Vec::new();
    let texts = [
        cmd.get_long_about().or_else(|| cmd.get_about()),
        cmd.get_after_help(),
    ];
    for text in texts.into_iter().flatten() {
        for block in paragraphs(&text.to_string()) {
            match block.split_first() {
                Some((first, rest)) if first.trim() == "Examples:" => {
                    examples.extend(rest.iter().map(|l| l.trim().to_string()))
                }
                // The help's pointer to `etcdpy --help`: on a page, to the program's page.
                Some((first, [])) if first == etcdpy::cli::SEE_GLOBAL => description.push(vec![
                    format!("The global options are on {BIN}(1); they may also be given after the command."),
                ]),
                _ => description.push(block),
            }
        }
    }

    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut render = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut buf = Vec::new();
        f(&mut buf).expect("rendering into memory");
        parts.push(buf);
    };
    render(&|w| man.render_title(w));
    render(&|w| man.render_name_section(w));
    render(&|w| synopsis_section(root, cmd).to_writer(w));
    render(&|w| description_section(&description).to_writer(w));
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        render(&|w| man.render_options_section(w));
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        render(&|w| man.render_subcommands_section(w));
    }
    if !examples.is_empty() {
        render(&|w| examples_section(&examples).to_writer(w));
    }
    render(&|w| exit_status_section().to_writer(w));
    render(&|w| environment_section(cmd).to_writer(w));
    render(&|w| see_also_section(root, cmd).to_writer(w));
    if cmd.get_version().is_some() || cmd.get_long_version().is_some() {
        render(&|w| man.render_version_section(w));
    }

    // Each rendered piece starts with roff's apostrophe preamble; keep the first.
    let preamble = Roff::new().render().into_bytes();
    let mut page = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        let body = if i == 0 {
            &part[..]
        } else {
            part.strip_prefix(&preamble[..]).unwrap_or(&part[..])
        };
        page.extend_from_slice(body);
    }
    page
}

/// SYNOPSIS: the command, its own options with their value names, `[GLOBAL OPTIONS]`
/// for a subcommand (they are on the program's page), then its arguments.
fn synopsis_section(root: &Command, cmd: &Command) -> Roff {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name());
    let mut line = vec![bold(name)];
    for arg in cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_positional())
    {
        line.push(roman(" ["));
        if let Some(short) = arg.get_short() {
            line.push(bold(format!("-{short}")));
            if arg.get_long().is_some() {
                line.push(roman("|"));
            }
        }
        if let Some(long) = arg.get_long() {
            line.push(bold(format!("--{long}")));
        }
        if arg.get_action().takes_values() {
            let value = arg
                .get_value_names()
                .map(|names| names.join(" "))
                .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
            line.push(roman(" "));
            line.push(italic(value));
        }
        line.push(roman("]"));
    }
    if !std::ptr::eq(root, cmd) {
        line.push(roman(" [GLOBAL OPTIONS]"));
    }
    for arg in cmd.get_positionals().filter(|a| !a.is_hide_set()) {
        let value = arg
            .get_value_names()
            .map(|names| names.join(" "))
            .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
        let many = if arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
            "..."
        } else {
            ""
        };
        let (open, close) = match (arg.is_last_set(), arg.is_required_set()) {
            (true, _) => ("[-- ", "]"),
            (false, true) => ("", ""),
            (false, false) => ("[", "]"),
        };
        line.push(roman(format!(" {open}")));
        line.push(italic(value));
        line.push(roman(format!("{many}{close}")));
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        line.push(roman(" "));
        line.push(italic("COMMAND"));
    }
    let mut roff = Roff::new();
    roff.control("SH", ["SYNOPSIS"]);
    roff.text(line);
    roff
}

/// Splits text into its blank-line separated paragraphs, each a list of lines.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let mut blocks = vec![Vec::new()];
    for line in text.lines() {
        if line.trim().is_empty() {
            blocks.push(Vec::new());
        } else {
            blocks.last_mut().unwrap().push(line.to_string());
        }
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

fn description_section(paragraphs: &[Vec<String>]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["DESCRIPTION"]);
    for (i, block) in paragraphs.iter().enumerate() {
        if i > 0 {
            roff.control("PP", []);
        }
        for line in block {
            roff.text([roman(line.as_str())]);
        }
    }
    roff
}

fn examples_section(examples: &[String]) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLES"]);
    roff.control("RS", ["4"]);
    roff.control("nf", []);
    for line in examples {
        roff.text([roman(line.as_str())]);
    }
    roff.control("fi", []);
    roff.control("RE", []);
    roff
}

fn exit_status_section() -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for row in exit::TABLE {
        roff.control("TP", ["5"]);
        roff.text([bold(row.code.to_string())]);
        roff.text([roman(row.meaning)]);
    }
    // Notes that `--help` prints after the table (lines that are neither the
    // heading nor a row), so that the two never disagree.
    let notes: Vec<String> = exit::help_text()
        .lines()
        .skip(1)
        .filter(|line| !exit::TABLE.iter().any(|row| line.contains(row.meaning)))
        .map(|line| line.trim().to_string())
        .filter(|line| !line.is_empty())
        .collect();
    if !notes.is_empty() {
        roff.control("PP", []);
        for note in notes {
            roff.text([roman(note)]);
        }
    }
    roff
}

/// One environment variable read through a clap argument's `env`.
struct EnvVar {
    /// How the option is typed: `--endpoints`, or `KEY` for a positional.
    option: String,
    help: String,
    values: Vec<String>,
    defaults: Vec<String>,
    /// The subcommands (`etcdpy lock`) whose option it sets, other than the
    /// page's own command; empty for a global option or one of the page's.
    commands: Vec<String>,
}

/// The environment variables of `page` and of every subcommand below it,
/// sorted by name.
fn env_vars(page: &Command) -> BTreeMap<String, EnvVar> {
    fn walk(page: &Command, cmd: &Command, vars: &mut BTreeMap<String, EnvVar>) {
        let elsewhere = !std::ptr::eq(page, cmd);
        for arg in cmd.get_arguments() {
            let Some(name) = arg.get_env() else { continue };
            if elsewhere && arg.is_global_set() {
                continue; // the page's own copy of a global option
            }
            let name = name.to_string_lossy().into_owned();
            let option = match (arg.get_long(), arg.get_short()) {
                (Some(long), _) => format!("--{long}"),
                (None, Some(short)) => format!("-{short}"),
                (None, None) => arg
                    .get_value_names()
                    .and_then(|v| v.first().map(|n| n.to_string()))
                    .unwrap_or_else(|| arg.get_id().as_str().to_uppercase()),
            };
            let entry = vars.entry(name).or_insert_with(|| EnvVar {
                option,
                help: arg
                    .get_help()
                    .or_else(|| arg.get_long_help())
                    .map(|h| h.to_string())
                    .unwrap_or_default(),
                values: if arg.is_hide_possible_values_set() {
                    Vec::new()
                } else {
                    arg.get_possible_values()
                        .iter()
                        .filter(|v| !v.is_hide_set())
                        .map(|v| v.get_name().to_string())
                        .collect()
                },
                defaults: if arg.is_hide_default_value_set() {
                    Vec::new()
                } else {
                    arg.get_default_values()
                        .iter()
                        .map(|v| v.to_string_lossy().into_owned())
                        .collect()
                },
                commands: Vec::new(),
            });
            if elsewhere {
                let command = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string();
                if !entry.commands.contains(&command) {
                    entry.commands.push(command);
                }
            }
        }
        for sub in cmd.get_subcommands() {
            walk(page, sub, vars);
        }
    }
    let mut vars = BTreeMap::new();
    walk(page, page, &mut vars);
    vars
}

fn environment_section(cmd: &Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    roff.text([roman(
        "An option given on the command line wins over its environment variable.",
    )]);
    for (name, var) in env_vars(cmd) {
        roff.control("TP", []);
        roff.text([bold(name)]);
        let mut line = vec![roman("Sets "), bold(var.option)];
        if !var.commands.is_empty() {
            line.push(roman(format!(" of {}", var.commands.join(", "))));
        }
        let help = var.help.trim().trim_end_matches('.');
        if help.is_empty() {
            line.push(roman("."));
        } else {
            line.push(roman(format!(": {help}.")));
        }
        if !var.values.is_empty() {
            line.push(roman(format!(" One of: {}.", var.values.join(", "))));
        }
        if !var.defaults.is_empty() {
            line.push(roman(format!(" Default: {}.", var.defaults.join(","))));
        }
        roff.text(line);
    }
    for (name, what) in EXTRA_ENV {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }
    roff
}

fn see_also_section(root: &Command, cmd: &Command) -> Roff {
    // The program's page has its subcommands' pages; a subcommand's page has
    // the pages of the commands above it and of its siblings.
    let mut pages: Vec<String> = Vec::new();
    let siblings: Vec<&Command> = if std::ptr::eq(root, cmd) {
        root.get_subcommands().collect()
    } else {
        let mut ancestors = Vec::new();
        let mut child = cmd;
        while let Some(parent) = parent_of(root, child) {
            ancestors.push(page_name(parent).to_string());
            child = parent;
        }
        pages.extend(ancestors.into_iter().rev());
        parent_of(root, cmd)
            .map(|p| p.get_subcommands().collect())
            .unwrap_or_default()
    };
    for sub in siblings {
        if !sub.is_hide_set() && !std::ptr::eq(sub, cmd) {
            pages.push(page_name(sub).to_string());
        }
    }
    let mut roff = Roff::new();
    if pages.is_empty() {
        return roff;
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut line = Vec::new();
    for (i, page) in pages.into_iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(page));
        line.push(roman("(1)"));
    }
    roff.text(line);
    roff
}

fn parent_of<'a>(node: &'a Command, cmd: &Command) -> Option<&'a Command> {
    for sub in node.get_subcommands() {
        if std::ptr::eq(sub, cmd) {
            return Some(node);
        }
        if let Some(found) = parent_of(sub, cmd) {
            return Some(found);
        }
    }
    None
}

/// Compares the generated files with the committed ones, or, with
/// `ETCDPY_REGENERATE=1`, writes them (and deletes files no longer generated).
#[test]
fn committed_files_are_up_to_date() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let regenerate = std::env::var_os("ETCDPY_REGENERATE").is_some_and(|v| v == "1");
    let files = generate_all();

    let mut stale = Vec::new(); // (path, why)
    for (path, contents) in &files {
        let full = base.join(path);
        match fs::read(&full) {
            Ok(committed) if &committed == contents => {}
            Ok(_) => stale.push((path.clone(), "out of date")),
            Err(_) => stale.push((path.clone(), "missing")),
        }
    }
    for dir in OWNED_DIRS {
        let Ok(entries) = fs::read_dir(base.join(dir)) else {
            continue;
        };
        let mut extra: Vec<PathBuf> = entries
            .map(|e| Path::new(dir).join(e.expect("reading a directory entry").file_name()))
            .filter(|path| !files.contains_key(path))
            .collect();
        extra.sort();
        stale.extend(extra.into_iter().map(|p| (p, "not generated any more")));
    }

    if regenerate {
        for (path, why) in &stale {
            let full = base.join(path);
            if *why == "not generated any more" {
                if full.is_dir() {
                    fs::remove_dir_all(&full)
                } else {
                    fs::remove_file(&full)
                }
                .unwrap_or_else(|e| panic!("removing {}: {e}", full.display()));
                eprintln!("removed {}", path.display());
            } else {
                fs::create_dir_all(full.parent().unwrap()).unwrap();
                fs::write(&full, &files[path])
                    .unwrap_or_else(|e| panic!("writing {}: {e}", full.display()));
                eprintln!("wrote {}", path.display());
            }
        }
        return;
    }

    let list: Vec<String> = stale
        .iter()
        .map(|(path, why)| format!("  {} ({why})", path.display()))
        .collect();
    assert!(
        stale.is_empty(),
        "the generated completions and man pages are stale:\n{}\nregenerate them with:\n  {REGENERATE}",
        list.join("\n")
    );
}

/// What the generator produces, checked on the in-memory output.
#[test]
fn man_pages_and_completions_say_what_they_must() {
    let files = generate_all();
    let root = built_command();
    let text =
        |path: &str| -> String {
            String::from_utf8(files.get(Path::new(path)).cloned().unwrap_or_else(|| {
                panic!("{path} is not generated; generated: {:?}", files.keys())
            }))
            .unwrap()
        };

    // Every visible subcommand, nested ones included, has its page.
    let mut expected_pages = BTreeSet::from([format!("man/{BIN}.1")]);
    fn names(cmd: &Command, out: &mut BTreeSet<String>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name() != "help" {
                out.insert(format!("man/{}.1", page_name(sub)));
                names(sub, out);
            }
        }
    }
    names(&root, &mut expected_pages);
    let pages: BTreeSet<String> = files
        .keys()
        .filter(|p| p.starts_with("man"))
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(pages, expected_pages);
    assert!(pages.contains("man/etcdpy-get.1"), "{pages:?}");

    for page in &pages {
        let roff = text(page);
        for needle in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            "ETCDPY_ENDPOINTS",
            "NO_COLOR",
        ] {
            assert!(roff.contains(needle), "{page} lacks {needle:?}");
        }
        // Each code of the table, as a tagged paragraph of EXIT STATUS.
        for row in exit::TABLE {
            let item = format!(".TP 5\n\\fB{}\\fR\n", row.code);
            assert!(roff.contains(&item), "{page} lacks exit code {}", row.code);
        }
        // No date, and clap's EXTRA section replaced by ours.
        assert!(roff.contains("\n.TH ETCDPY"), "{page}: title");
        assert!(roff.contains(" 1 \"\" \"etcdpy "), "{page}: date not empty");
        assert!(!roff.contains(".SH EXTRA"), "{page}");
        assert_eq!(roff.matches(".ie \\n(.g").count(), 1, "{page}: preamble");
    }

    // Every ETCDPY_* variable of an argument is documented on the main page.
    let main = text("man/etcdpy.1");
    let mut env_names = BTreeSet::new();
    fn envs(cmd: &Command, out: &mut BTreeSet<String>) {
        for arg in cmd.get_arguments() {
            if let Some(name) = arg.get_env() {
                out.insert(name.to_string_lossy().into_owned());
            }
        }
        for sub in cmd.get_subcommands() {
            envs(sub, out);
        }
    }
    envs(&root, &mut env_names);
    assert!(env_names.contains("ETCDPY_ENDPOINTS"), "{env_names:?}");
    let environment = main
        .split(".SH ENVIRONMENT")
        .nth(1)
        .and_then(|s| s.split("\n.SH ").next())
        .unwrap();
    for name in &env_names {
        assert!(
            environment.contains(&format!("\\fB{name}\\fR")),
            "ENVIRONMENT of etcdpy.1 lacks {name}"
        );
    }

    // The subcommand pages are named after the full command.
    let get = text("man/etcdpy-get.1");
    assert!(get.contains(".TH ETCDPY-GET 1 "), "{get}");
    assert!(get.contains("\\fBetcdpy get\\fR"), "synopsis: {get}");

    // Completions: all three shells, each offering every subcommand.
    let bash = text("completions/etcdpy.bash");
    let zsh = text("completions/_etcdpy");
    let fish = text("completions/etcdpy.fish");
    assert!(bash.contains("complete -F _etcdpy"), "bash registration");
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        assert!(
            bash.contains(&format!("etcdpy,{name})")),
            "bash completion lacks subcommand {name}"
        );
        assert!(
            bash.split_whitespace().any(|w| w.trim_matches('"') == name),
            "bash completion does not offer {name}"
        );
        assert!(zsh.contains(&format!("'{name}:")), "zsh lacks {name}");
        assert!(
            fish.contains(&format!("-a \"{name}\"")),
            "fish lacks {name}"
        );
    }
}
