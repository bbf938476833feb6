//! How a wait ends on Ctrl-C. (Which exit status each kind of client error
//! ends the program with is said once, beside the error type: [`crate::error::exit_for`].)

/// A wait that the person may end with Ctrl-C (`leader --wait`, `elect --observe`): exit 130
/// with no error line, as every waiting command does (exit table: interrupted).
pub async fn or_ctrl_c(
    wait: impl Future<Output = crate::error::Result<()>>,
) -> crate::error::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut sigint = signal(SignalKind::interrupt())
        .map_err(|e| crate::error::Error::unexpected(format!("cannot catch Ctrl-C: {e}")))?;
    tokio::select! {
        result = wait => result,
        _ = sigint.recv() => Err(crate::error::Error::interrupted()),
    }
}
