//! Maintenance calls: alarms (list, disarm), compaction, one member's
//! defragmentation, and a member's readiness (`/readyz`, probed: servers
//! without it answer 404). The procedures built on them (defrag's sweep) are
//! in `defrag.rs`.

use crate::client::error::Result;
use crate::client::request::Request;
use crate::client::v3::wire::{self, de_u64};
use crate::client::{Client, Retry};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// An active alarm: which member raised it and what it is ("NOSPACE", "CORRUPT").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub member_id: u64,
    pub alarm: String,
}

const ALARM_GET: AlarmRequest<'static> = AlarmRequest {
    action: "GET",
    member_id: None,
    alarm: None,
};

#[derive(Serialize)]
struct AlarmRequest<'a> {
    action: &'a str,
    #[serde(rename = "memberID", skip_serializing_if = "Option::is_none")]
    member_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alarm: Option<&'a str>,
}

/// 3.4 answers `{}` with no header when there is no alarm.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AlarmResponse {
    alarms: Vec<WireAlarm>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireAlarm {
    #[serde(rename = "memberID", deserialize_with = "de_u64")]
    member_id: u64,
    /// Left out when it is NONE (the zero value).
    alarm: String,
}

#[derive(Serialize)]
struct NoFields {}

/// An answer whose content does not matter (3.4 and 3.5 answer a
/// defragmentation with `{}`, no header).
#[derive(Deserialize)]
struct Ignored {}

#[derive(Serialize)]
struct CompactionRequest {
    revision: String,
    physical: bool,
}

impl Client {
    /// The cluster's active alarms, from the first endpoint that answers.
    pub async fn alarms(&self) -> Result<Vec<Alarm>> {
        let response: AlarmResponse = self
            .call("maintenance/alarm", &ALARM_GET, Retry::Idempotent)
            .await?;
        Ok(alarm_list(response))
    }

    /// The cluster's active alarms, asked of the member at `base` only.
    pub async fn alarms_at(&self, base: &str) -> Result<Vec<Alarm>> {
        let response: AlarmResponse = self.call_at(base, "maintenance/alarm", &ALARM_GET).await?;
        Ok(alarm_list(response))
    }

    /// Deactivate one alarm (etcd clears the space quota's refusal of writes
    /// for NOSPACE at once; a full backend raises it again on the next write).
    pub async fn disarm(&self, alarm: &Alarm) -> Result<()> {
        let request = AlarmRequest {
            action: "DEACTIVATE",
            member_id: Some(alarm.member_id.to_string()),
            alarm: Some(&alarm.alarm),
        };
        self.call::<_, Ignored>("maintenance/alarm", &request, Retry::Idempotent)
            .await?;
        Ok(())
    }

    /// Compact the keyspace's history up to `revision`; with `physical`, the
    /// answer waits until the compaction has been applied to the backend.
    pub async fn compact(&self, revision: i64, physical: bool) -> Result<()> {
        let request = CompactionRequest {
            revision: revision.to_string(),
            physical,
        };
        self.call::<_, wire::Empty>("kv/compaction", &request, Retry::Once)
            .await?;
        Ok(())
    }

    /// The store's current revision, as the member asked reports it in a
    /// status answer (which needs no permission: a user refused the
    /// compaction itself is told so by name). A member a little behind gives
    /// a smaller revision: a compaction to it keeps a few more revisions.
    pub async fn current_revision(&self) -> Result<i64> {
        #[derive(Deserialize, Default)]
        struct Status {
            header: wire::Header,
        }
        let status: Status = self
            .call("maintenance/status", &NoFields {}, Retry::Idempotent)
            .await?;
        Ok(status.header.revision)
    }

    /// Defragment the member at `base` (a client URL), waiting up to `within`:
    /// the member blocks reads and writes while it rewrites its database.
    pub async fn defragment_at(&self, base: &str, within: Duration) -> Result<()> {
        let mut client = self.clone();
        client.command_timeout = within.max(self.command_timeout);
        client
            .call_at::<_, Ignored>(base, "maintenance/defragment", &NoFields {})
            .await?;
        Ok(())
    }

    /// `GET <base>/readyz`: `Some(true)` when the member is ready,
    /// `Some(false)` with the failing checks when it is not, `None` where the
    /// server has no `/readyz` (404: etcd before 3.6) or did not answer.
    pub async fn readiness_at(&self, base: &str) -> Option<std::result::Result<(), String>> {
        let url = format!("{}/readyz?verbose", base.trim_end_matches('/'));
        let mut request = Request::new(&self.http, reqwest::Method::GET, &url, Vec::new());
        request.timeout = Some(self.dial_timeout.min(self.command_timeout));
        let sent = self.send_request(request).await;
        let response = sent.ok()?;
        let status = response.status().as_u16();
        if status == 404 {
            return None;
        }
        let body = response.text().await.unwrap_or_default();
        if status == 200 {
            return Some(Ok(()));
        }
        let failed: Vec<&str> = body
            .lines()
            .filter_map(|l| l.strip_prefix("[-]"))
            .map(|l| l.split_whitespace().next().unwrap_or(l))
            .collect();
        Some(Err(if failed.is_empty() {
            format!("/readyz answered HTTP {status}")
        } else {
            format!("/readyz: {} failed", failed.join(", "))
        }))
    }

    /// Ask the leader at `leader` (a client URL) to hand leadership to the
    /// member `target`; the answer comes once the transfer is done.
    pub async fn move_leader(&self, leader: &str, target: u64) -> Result<()> {
        #[derive(Serialize)]
        struct MoveLeader {
            #[serde(rename = "targetID")]
            target: String,
        }
        let request = MoveLeader {
            target: target.to_string(),
        };
        self.call_at::<_, Ignored>(leader, "maintenance/transfer-leadership", &request)
            .await?;
        Ok(())
    }
}

/// The alarms of an answer, NONE left out, sorted.
fn alarm_list(response: AlarmResponse) -> Vec<Alarm> {
    let mut alarms: Vec<Alarm> = response
        .alarms
        .into_iter()
        .filter(|a| !a.alarm.is_empty() && a.alarm != "NONE")
        .map(|a| Alarm {
            member_id: a.member_id,
            alarm: a.alarm,
        })
        .collect();
    alarms.sort_by(|a, b| (a.member_id, &a.alarm).cmp(&(b.member_id, &b.alarm)));
    alarms
}
