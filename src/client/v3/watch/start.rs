//! Where a watch "from now" begins: every endpoint asked at once, the first answer counts.

use crate::client::error::Result;
use std::time::Duration;

/// Where a watch "from now" begins: each of `count` endpoints is asked at once (`ask`: the store's
/// revision or index there, each within `within`), so that a member that hangs delays nothing.
/// The first answer gives the revision; the watch is opened on `current` if it answered
/// (within `within`), else on the endpoint that answered first. `None`: nobody answered.
pub(in crate::client) async fn start_point<Fut>(
    count: usize,
    current: usize,
    within: Duration,
    ask: impl Fn(usize) -> Fut,
) -> Option<(usize, i64)>
where
    Fut: Future<Output = Result<i64>>,
{
    use std::pin::Pin;
    use std::task::Poll;
    let mut pending: Vec<(usize, Pin<Box<tokio::time::Timeout<Fut>>>)> = (0..count)
        .map(|step| {
            let index = (current + step) % count;
            (index, Box::pin(tokio::time::timeout(within, ask(index))))
        })
        .collect();
    let mut first: Option<(usize, i64)> = None;
    let mut current_done = false;
    std::future::poll_fn(|cx| {
        let mut i = 0;
        while i < pending.len() {
            let (index, ask) = &mut pending[i];
            let Poll::Ready(outcome) = ask.as_mut().poll(cx) else {
                i += 1;
                continue;
            };
            let index = *index;
            drop(pending.swap_remove(i));
            if let Ok(Ok(revision)) = outcome {
                let revision = first.map_or(revision, |(_, r)| r);
                if index == current {
                    return Poll::Ready(Some((current, revision)));
                }
                first.get_or_insert((index, revision));
            }
            current_done |= index == current;
        }
        if pending.is_empty() || (current_done && first.is_some()) {
            Poll::Ready(first)
        } else {
            Poll::Pending
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::error::Error;

    #[test]
    fn a_watch_starts_where_the_first_answer_says_on_the_current_endpoint_if_it_answers() {
        let ms = Duration::from_millis;
        // Per endpoint: how long it takes, and its revision (None: it fails).
        let run = |current: usize, answers: Vec<(u64, Option<i64>)>| {
            let count = answers.len();
            let ask = |index: usize| {
                let (after, revision) = answers[index];
                async move {
                    tokio::time::sleep(ms(after)).await;
                    revision.ok_or_else(|| Error::unexpected("refused"))
                }
            };
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            runtime.block_on(start_point(count, current, ms(300), ask))
        };
        // The current endpoint answers later than another: the earlier revision, the current
        // endpoint.
        assert_eq!(run(0, vec![(50, Some(7)), (0, Some(5))]), Some((0, 5)));
        // It hangs (past the bound) or fails: the first that answered.
        assert_eq!(
            run(1, vec![(30, Some(6)), (10_000, Some(1)), (10, Some(5))]),
            Some((2, 5))
        );
        assert_eq!(run(0, vec![(0, None), (20, Some(9))]), Some((1, 9)));
        // Nobody answers.
        assert_eq!(run(0, vec![(0, None), (10_000, Some(1))]), None);
    }
}
