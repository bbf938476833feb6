//! `etcdpy migrate --check`: what etcdpy can see over the API that blocks the upgrade from
//! etcd 3.5 to 3.6 (etcd's upgrade guide), one line each, exit 4 when anything does.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::upgrade::{MemberVersion, NOT_CHECKED, UpgradeCheck};

/// The oldest 3.5 patch etcd's 3.6 upgrade guide accepts.
const OLDEST_3_5: (u32, u32, u32) = (3, 5, 26);
/// Hidden v2 directories python-etcd 0.4.5 writes (its Lock's default `lock_prefix`): v2's
/// listings never show `_` keys, so each is probed by name.
const HIDDEN_DIRS: &[&str] = &["/_locks"];

pub async fn run(prefix: &str, client: &Client, out: &mut Out) -> Result<()> {
    let mut report = UpgradeCheck {
        not_checked: NOT_CHECKED,
        ..UpgradeCheck::default()
    };
    let v2 = client.v2();
    let view = client.cluster_view().await?;
    for probe in &view.probes {
        let name = match probe.member.name.as_str() {
            "" => format!("{:x}", probe.member.id),
            name => name.to_string(),
        };
        let version = probe.status.as_ref().ok().map(|s| s.version.clone());
        match (&version, &probe.url) {
            (Some(v), _) => {
                if let Some(why) = too_old(v) {
                    let message = format!("member {name} runs etcd {v}: {why}");
                    report.block("version", Some(&name), message);
                }
            }
            (None, url) => {
                let why = probe.status.as_ref().err().cloned().unwrap_or_default();
                let at = url.as_deref().unwrap_or("no client URL");
                let message = format!("member {name} ({at}) could not be asked: {why}");
                report.block("unreachable", Some(&name), message);
            }
        }
        if let Some(url) = &probe.url
            && v2.serves_keys(url).await
        {
            let message = format!(
                "member {name} serves the v2 API (started with --enable-v2): remove the flag"
            );
            report.block("v2_enabled", Some(&name), message);
        }
        report.members.push(MemberVersion {
            name,
            url: probe.url.clone(),
            version,
        });
    }
    let mut dirs: Vec<&str> = HIDDEN_DIRS.to_vec();
    if prefix != "/" && !dirs.contains(&prefix) {
        dirs.push(prefix);
    }
    if let Some((keys, empty)) = v2.left_under("/").await? {
        let message = format!(
            "v2 still holds {keys} keys and {empty} empty directories: \
             etcdpy migrate --delete-source, then etcdpy --api v2 rm DIR -r for the directories"
        );
        report.block("v2_keys", None, message);
    }
    for dir in dirs.iter().filter(|d| d.starts_with("/_")) {
        if let Some((keys, empty)) = v2.left_under(dir).await? {
            let message = format!(
                "v2's hidden directory {dir} holds {keys} keys and {empty} empty directories \
                 (python-etcd's locks live in /_locks): etcdpy --api v2 rm {dir} -r once \
                 nothing holds them, or etcdpy migrate {dir} --include-hidden --delete-source"
            );
            report.block("v2_hidden", None, message);
        }
    }
    out.emit(&report)?;
    match report.blockers.len() {
        0 => Ok(()),
        n => Err(Error::new(
            Exit::ConditionFailed,
            format!("{n} things block the upgrade to etcd 3.6 (listed above)"),
        )),
    }
}

/// Why a member on `version` cannot go to 3.6 yet (`None`: it can, or it is there).
fn too_old(version: &str) -> Option<String> {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let v = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    let (major, minor, patch) = OLDEST_3_5;
    if v >= OLDEST_3_5 {
        return None;
    }
    Some(if (v.0, v.1) < (major, minor) {
        format!(
            "upgrade it to {major}.{minor}.{patch} or later first (one minor version at a time)"
        )
    } else {
        format!("the upgrade to 3.6 needs {major}.{minor}.{patch} or later on every member first")
    })
}
