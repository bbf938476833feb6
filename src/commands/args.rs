//! Argument groups that several commands share, each one flattened struct written once.

use crate::client::Conditions;
use clap::Args;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// `--if-value` and `--if-revision` of set and rm: the key's state a write or delete needs.
#[derive(Args, Debug, Default)]
pub struct IfArgs {
    /// Only if KEY holds exactly this value (exit 4 otherwise); -1 works as it is, -x needs
    /// --if-value=-x
    #[arg(long, value_name = "VALUE", value_parser = clap::value_parser!(OsString))]
    pub if_value: Option<OsString>,
    /// Only if KEY's mod revision is REV (exit 4 otherwise); set --if-revision 0: only if KEY
    /// does not exist
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(0..))]
    pub if_revision: Option<i64>,
}

impl IfArgs {
    /// The conditions these say, on KEY.
    pub fn conditions(self) -> Conditions {
        Conditions {
            value: self.if_value.map(OsString::into_vec),
            mod_revision: self.if_revision,
            ..Conditions::default()
        }
    }
}
