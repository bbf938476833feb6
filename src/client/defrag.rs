//! Defragmentation done safely (etcd-defrag's procedure): a health gate
//! (every target answers within the dial timeout, a leader exists; NOSPACE
//! does not block), an optional physical compaction to the current revision,
//! then one member at a time, followers first and the leader last, each
//! skipped when below the rule; NOSPACE disarmed only when the sweep left
//! every member below its quota by the given share. Never prints: progress
//! goes to a callback, the result is a plain [`Sweep`].

use super::error::{Kind, Result};
use super::v3::cluster::display_name;
use super::{Alarm, Client, MemberStatus, Verdict};
use std::time::{Duration, Instant};

/// etcd's default `--quota-backend-bytes`, for servers that do not report theirs (before 3.6).
pub const DEFAULT_QUOTA: i64 = 2 << 30;

/// What the sweep is asked to do.
#[derive(Debug, Clone, Default)]
pub struct DefragOptions {
    /// Every member of the member list, not only the configured endpoints.
    pub cluster: bool,
    pub compact: bool,
    /// Defragment only members at least this fragmented (percent) ...
    pub if_fragmented: Option<f64>,
    /// ... or with at least this many free bytes (either rule given suffices).
    pub if_free: Option<i64>,
    pub dry_run: bool,
    pub continue_on_error: bool,
    pub disarm: bool,
    /// Disarm only when every member's database is below this share of its quota (percent).
    pub disarm_below: f64,
    /// The quota of servers that do not report theirs.
    pub quota: Option<i64>,
    /// How long one member's defragmentation may take.
    pub timeout: Duration,
}

/// One member the sweep will visit, as the gate found it.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: u64,
    pub name: String,
    pub url: String,
    pub leader: bool,
    pub status: MemberStatus,
}

/// Why the gate did not let the sweep start.
#[derive(Debug)]
pub enum Refusal {
    /// These targets (name: why) did not answer.
    Silent(Vec<String>),
    /// The cluster has no leader (why).
    NoLeader(String),
}

/// What happened to one member.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// `--dry-run`: it would be defragmented.
    Planned,
    Skipped(String),
    Defragmented {
        after: MemberStatus,
        took: Duration,
    },
    Failed(String),
    /// The sweep stopped before reaching it.
    NotReached,
}

#[derive(Debug, Clone)]
pub struct Visit {
    pub target: Target,
    pub outcome: Outcome,
}

/// The whole sweep, for the report.
#[derive(Debug, Default)]
pub struct Sweep {
    pub dry_run: bool,
    /// The revision compacted to (or, with `--dry-run`, that would be).
    pub compacted: Option<i64>,
    pub visits: Vec<Visit>,
    /// The member whose failure stopped the sweep.
    pub stopped_at: Option<String>,
    pub disarmed: Vec<Alarm>,
    /// Why NOSPACE was left armed, when `--disarm` was given and it was.
    pub kept_armed: Option<String>,
}

/// A step, for the progress line on a terminal: (position, count, member name).
pub type Progress<'a> = &'a dyn Fn(usize, usize, &str);

impl Client {
    /// The health gate: every target (every member with `cluster`, else the
    /// member behind each configured endpoint) answered its status within
    /// the dial timeout, and the cluster has a leader. The targets come back
    /// followers first (by name), the leader last.
    pub async fn defrag_gate(
        &self,
        cluster: bool,
    ) -> Result<std::result::Result<Vec<Target>, Refusal>> {
        let view = self.cluster_view().await?;
        let leader = match view.verdict(false) {
            Verdict::Leader(index) => view.probes[index].member.id,
            Verdict::NoLeader(why) => return Ok(Err(Refusal::NoLeader(why))),
        };
        let mut silent = Vec::new();
        let mut targets = Vec::new();
        for probe in &view.probes {
            let by_endpoint = probe
                .url
                .as_ref()
                .is_some_and(|u| self.endpoints.contains(u));
            if !cluster && !by_endpoint {
                continue;
            }
            match &probe.status {
                Ok(status) if status.ready == Some(false) && !status.is_learner => {
                    silent.push(format!(
                        "{} (not ready: /readyz failed)",
                        display_name(&probe.member)
                    ))
                }
                Ok(status) => targets.push(Target {
                    id: probe.member.id,
                    name: display_name(&probe.member),
                    url: probe.url.clone().unwrap_or_default(),
                    leader: probe.member.id == leader,
                    status: status.clone(),
                }),
                Err(why) => silent.push(format!("{} ({why})", display_name(&probe.member))),
            }
        }
        // A configured endpoint that answered for no member of the list.
        if !cluster {
            for url in &self.endpoints {
                let found = view
                    .probes
                    .iter()
                    .any(|p| p.url.as_ref() == Some(url) && p.status.is_ok());
                if !found && !view.probes.iter().any(|p| p.url.as_ref() == Some(url)) {
                    silent.push(format!("{url} (it answers for no member)"));
                }
            }
        }
        if !silent.is_empty() {
            return Ok(Err(Refusal::Silent(silent)));
        }
        targets.sort_by(|a, b| (a.leader, &a.name).cmp(&(b.leader, &b.name)));
        Ok(Ok(targets))
    }

    /// Run the sweep over the gate's `targets` (see the module's comment).
    pub async fn defrag_sweep(
        &self,
        targets: Vec<Target>,
        options: &DefragOptions,
        progress: Progress<'_>,
    ) -> Result<Sweep> {
        let mut sweep = Sweep {
            dry_run: options.dry_run,
            ..Sweep::default()
        };
        if options.compact {
            let revision = self.current_revision().await?;
            if !options.dry_run {
                match self.compact(revision, true).await {
                    // Compacted to it already (a second run): nothing to do.
                    Err(e) if e.kind == Kind::Compacted => {}
                    other => other?,
                }
            }
            sweep.compacted = Some(revision);
        }
        let count = targets.len();
        for (position, mut target) in targets.into_iter().enumerate() {
            if sweep.stopped_at.is_some() {
                sweep.visits.push(Visit {
                    target,
                    outcome: Outcome::NotReached,
                });
                continue;
            }
            progress(position + 1, count, &target.name);
            let outcome = self.visit(&mut target, options).await?;
            if matches!(outcome, Outcome::Failed(_)) && !options.continue_on_error {
                sweep.stopped_at = Some(target.name.clone());
            }
            sweep.visits.push(Visit { target, outcome });
        }
        if options.disarm && !options.dry_run && sweep.stopped_at.is_none() {
            self.disarm_if_below(&mut sweep, options).await?;
        }
        Ok(sweep)
    }

    /// One member: its status now (after any compaction), the rule, the
    /// defragmentation. A refusal for who is asking ends the sweep (the next
    /// member would refuse as well).
    /// The target's status becomes the one just read (the report's "before").
    async fn visit(&self, target: &mut Target, options: &DefragOptions) -> Result<Outcome> {
        let now = match self.status_at(&target.url).await {
            Ok(status) => status,
            Err(e) => return Ok(Outcome::Failed(e.message)),
        };
        target.status = now.clone();
        if let Some(why) = below_rule(&now, options) {
            return Ok(Outcome::Skipped(why));
        }
        if options.dry_run {
            return Ok(Outcome::Planned);
        }
        let began = Instant::now();
        match self.defragment_at(&target.url, options.timeout).await {
            Err(e) if e.kind.auth() => return Err(e.context(format!("defragment {}", target.name))),
            Err(e) => return Ok(Outcome::Failed(e.message)),
            Ok(()) => {}
        }
        let took = began.elapsed();
        Ok(match self.status_at(&target.url).await {
            Ok(after) => Outcome::Defragmented { after, took },
            Err(e) => Outcome::Failed(format!("defragmented, but its status after: {}", e.message)),
        })
    }

    /// Disarm NOSPACE when every member visited is below `disarm_below`% of its quota.
    async fn disarm_if_below(&self, sweep: &mut Sweep, options: &DefragOptions) -> Result<()> {
        let nospace: Vec<Alarm> = self
            .alarms()
            .await?
            .into_iter()
            .filter(|a| a.alarm == "NOSPACE")
            .collect();
        if nospace.is_empty() {
            return Ok(());
        }
        for visit in &sweep.visits {
            let status = match &visit.outcome {
                Outcome::Defragmented { after, .. } => after.clone(),
                _ => self.status_at(&visit.target.url).await?,
            };
            let quota = status
                .db_size_quota
                .or(options.quota)
                .unwrap_or(DEFAULT_QUOTA);
            let used = status.db_size as f64 * 100.0 / quota as f64;
            if used >= options.disarm_below {
                sweep.kept_armed = Some(format!(
                    "{} is at {used:.1}% of its quota ({} bytes), not below {}%",
                    visit.target.name, quota, options.disarm_below
                ));
                return Ok(());
            }
        }
        for alarm in nospace {
            self.disarm(&alarm).await?;
            sweep.disarmed.push(alarm);
        }
        Ok(())
    }
}

/// Why a member is below the rule (and is skipped), or `None` to defragment it.
fn below_rule(status: &MemberStatus, options: &DefragOptions) -> Option<String> {
    if options.if_fragmented.is_none() && options.if_free.is_none() {
        return None;
    }
    let free = (status.db_size - status.db_size_in_use).max(0);
    let fragmented = match status.db_size {
        0 => 0.0,
        size => free as f64 * 100.0 / size as f64,
    };
    let by_pct = options.if_fragmented.is_some_and(|p| fragmented >= p);
    let by_free = options.if_free.is_some_and(|f| free >= f);
    if by_pct || by_free {
        return None;
    }
    let mut rules = Vec::new();
    if let Some(p) = options.if_fragmented {
        rules.push(format!("{fragmented:.1}% fragmented < {p}%"));
    }
    if let Some(f) = options.if_free {
        rules.push(format!("{free} bytes free < {f}"));
    }
    Some(rules.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(size: i64, in_use: i64) -> MemberStatus {
        MemberStatus {
            db_size: size,
            db_size_in_use: in_use,
            ..MemberStatus::default()
        }
    }

    #[test]
    fn the_rule_skips_members_below_every_given_threshold() {
        let mut options = DefragOptions::default();
        // No rule: every member.
        assert_eq!(below_rule(&status(100, 99), &options), None);
        options.if_fragmented = Some(10.0);
        assert_eq!(below_rule(&status(1000, 800), &options), None);
        assert_eq!(
            below_rule(&status(1000, 950), &options).as_deref(),
            Some("5.0% fragmented < 10%")
        );
        // Either rule suffices.
        options.if_free = Some(40);
        assert_eq!(below_rule(&status(1000, 950), &options), None);
        options.if_free = Some(100);
        assert!(
            below_rule(&status(1000, 950), &options)
                .unwrap()
                .contains("50 bytes free < 100")
        );
        // No size reported: nothing free, below every rule.
        assert!(below_rule(&status(0, 0), &options).is_some());
    }
}
