//! Parse, run, map the outcome to an exit code.

use etcdpy::cli::Top;
use etcdpy::client::Client;
use etcdpy::commands::Command;
use etcdpy::config::{Config, Layers, curl_options};
use etcdpy::error::Error;
use etcdpy::exit::Exit;
use etcdpy::output::Out;
use std::process::ExitCode;

fn main() -> ExitCode {
    fixed_malloc_thresholds();
    // The config file's context: its values become the variables the person did not set.
    let layers = match Layers::prepare() {
        Ok(layers) => layers,
        Err(err) => {
            etcdpy::output::error(&etcdpy::output::escape(err.message.as_bytes()), false);
            return ExitCode::from(err.exit.code());
        }
    };
    let (cli, matches) = etcdpy::cli::parse();
    layers.forget();
    let sub = matches.subcommand_name().unwrap_or_default().to_string();
    let mut command = match cli.command {
        Top::Etcd(command) => command,
        Top::Completion(args) => return print(&etcdpy::cli::completion_script(args.shell)),
        Top::Context(args) => return context(args, &cli.global, &matches, layers),
    };
    let config = match Config::resolve(&cli.global, &matches, &layers) {
        Ok(config) => config,
        Err(err) => return report(err, false, &sub),
    };
    for warning in config.warnings() {
        etcdpy::output::warn(warning, config.output.color_stderr);
    }
    if let Some(label) = config.context.as_ref().and_then(|c| c.label.as_deref()) {
        etcdpy::output::set_label(label, config.output.color_stderr);
    }
    if config.debug {
        for note in config.context_notes() {
            etcdpy::output::note(&format!("debug: {note}"));
        }
    }
    // rollback asks before writing; the global --yes answers it.
    if let Command::Rollback(args) = &mut command {
        args.yes = config.yes;
    }
    if let Err(err) = config.guard(command.writes()) {
        return report(err, config.output.color_stderr, &sub);
    }
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::unexpected(format!("cannot start the runtime: {e}")))
        .and_then(|runtime| runtime.block_on(run(command, &config)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(mut err) => {
            // ETCDCTL_ENDPOINTS set, ETCDPY_ENDPOINTS not: say why the default was tried.
            if matches!(err.exit, Exit::Unreachable | Exit::AuthRefused) && err.hint.is_none() {
                err.hint = config.etcdctl_env_hint();
            }
            report(err, config.output.color_stderr, &sub)
        }
    }
}

/// Find the endpoints, connect as the options say, and run the command.
async fn run(command: Command, config: &Config) -> Result<(), Error> {
    let options = etcdpy::discovery::client_options(&config.client, config.srv.as_ref()).await?;
    let mut client = Client::new(&options)?;
    if config.debug {
        client.set_tracer(etcdpy::output::debug::tracer(&curl_options(&options)));
    }
    if options.discover {
        client.discover().await;
    }
    // migrate --to-endpoints: a second cluster, with its own TLS and auth options.
    let to = match &command {
        Command::Migrate(args) => config.destination(&args.to)?,
        _ => None,
    };
    let to = to.map(|options| Client::new(&options)).transpose()?;
    let mut out = Out::new(&config.output);
    let (keys, color_stderr) = (config.key_encoding, config.output.color_stderr);
    let (api, to) = (config.api, to.as_ref());
    etcdpy::commands::run(command, &client, to, api, &mut out, keys, color_stderr).await
}

/// `etcdpy context ...`: the config file's contexts (no server, but `add --check`'s).
fn context(
    args: etcdpy::commands::context::ContextArgs,
    global: &etcdpy::cli::GlobalArgs,
    matches: &etcdpy::cli::Matches,
    mut layers: Layers,
) -> ExitCode {
    use etcdpy::commands::context::ContextCommand;
    let checked = match &args.command {
        ContextCommand::Add(add) if add.check => Config::resolve(global, matches, &layers)
            .and_then(|config| {
                let members =
                    etcdpy::commands::Command::Members(etcdpy::commands::members::MembersArgs {});
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::unexpected(format!("cannot start the runtime: {e}")))
                    .and_then(|runtime| runtime.block_on(run(members, &config)))
            }),
        _ => Ok(()),
    };
    let options = Config::output_only(global);
    let result = checked
        .and_then(|()| etcdpy::config::worked(&args, matches, &layers))
        .and_then(|worked| {
            let file = layers.file.as_mut().expect("prepare reads the file");
            let mut out = Out::new(&options);
            etcdpy::commands::context::run(args, file, worked, &mut out)
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(err, options.color_stderr, "context"),
    }
}

/// `bytes` on stdout; a closed pipe ends quietly with 0, as for every command.
fn print(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => report(
            Error::unexpected(format!("cannot write to stdout: {e}")),
            false,
            "completion",
        ),
    }
}

fn report(err: Error, color: bool, sub: &str) -> ExitCode {
    if let Some(status) = err.status {
        if !err.message.is_empty() {
            etcdpy::output::error(&err.message, color);
        }
        return ExitCode::from(status);
    }
    match err.exit {
        // A closed stdout pipe, or the person's own Ctrl-C: nothing to say.
        Exit::Success => {}
        Exit::Interrupted if err.message.is_empty() => {}
        // Usage errors look like clap's own and exit 2.
        Exit::Usage => etcdpy::cli::usage_exit(sub, &err.message),
        // Messages may quote what a server sent: control characters are shown escaped,
        // so the message stays one line and cannot drive the terminal.
        _ => {
            etcdpy::output::error(&etcdpy::output::escape(err.message.as_bytes()), color);
            if let Some(hint) = &err.hint {
                etcdpy::output::hint(&etcdpy::output::escape(hint.as_bytes()), color);
            }
        }
    }
    ExitCode::from(err.exit.code())
}

/// glibc raises its mmap threshold each time a large buffer is freed, after
/// which the next large buffers (range pages) come from the heap and stay
/// there: memory would grow with the number of pages. A fixed threshold keeps
/// `get -r` of any size within the same few MiB.
fn fixed_malloc_thresholds() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; nothing is allocated yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 128 << 10);
    }
}
