//! `move-leader` on a real cluster: leadership handed over, a member that does not answer refused
//! (moved from the operator suite).

use crate::support::cluster::{Cluster, cluster_args};
use crate::support::harness::{etcdpy, for_each_etcd};
use crate::support::util::expect;
use std::time::{Duration, Instant};

#[test]
fn move_leader_hands_over_and_refuses_a_member_that_does_not_answer() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let args = cluster_args(&cluster);
        let old = cluster.leader().unwrap();
        let (to, frozen) = ((old + 1) % 3, (old + 2) % 3);
        let run = etcdpy()
            .args(&args)
            .args(["move-leader", "--to", &cluster.members[to].name])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!(
                "leadership moved from {} to {}\n",
                cluster.members[old].name, cluster.members[to].name
            )
        );
        // The members themselves say so (etcd answers once the transfer is done).
        assert_eq!(cluster.leader(), Some(to), "{}", bin.version);
        let run = etcdpy()
            .args(&args)
            .args(["move-leader", "--to", &cluster.members[to].name])
            .run();
        expect(&run, 0);
        assert!(run.out().ends_with(" already leads\n"), "{run:?}");
        let run = etcdpy()
            .args(&args)
            .args(["move-leader", "--to", "nosuch"])
            .run();
        expect(&run, 3);
        assert!(run.stderr.contains("nosuch is not a member"), "{run:?}");

        cluster.members[frozen].freeze();
        let started = Instant::now();
        let run = etcdpy()
            .args(["--dial-timeout", "1s"])
            .args(&args)
            .args(["move-leader", "--to", &cluster.members[frozen].name])
            .run();
        let took = started.elapsed();
        cluster.members[frozen].thaw();
        expect(&run, 11);
        assert!(run.stderr.contains("does not answer"), "{run:?}");
        assert!(took < Duration::from_secs(4), "{took:?}");
        assert_eq!(cluster.leader(), Some(to));
    });
}
