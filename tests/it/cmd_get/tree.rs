//! `get PREFIX -r --tree`: deep paths, empty segments (`/a//b`, a key ending in `/`), bytes that
//! are not text (raw to a pipe, escaped on a terminal, a prefix given with --key-encoding
//! base64), PREFIX's own key beside PREFIX/, --keys-only and --limit, compared with the
//! expected text; the same tree on --api v2; -o json and a missing -r refused.

use crate::support::api::put_on;
use crate::support::harness::{etcdpy, for_each_etcd, for_each_etcd_v2, shared, unique};
use crate::support::listing::{Kvs, load_bytes};
use crate::support::pty::pty;
use crate::support::util::expect;
use base64::Engine as _;

/// The keys of the tree below `p`, and the tree a pipe gets for `get p -r --tree`.
fn keys_and_tree(p: &str) -> (Kvs, Vec<u8>) {
    let kv = |k: &[u8], v: &[u8]| ([p.as_bytes(), k].concat(), v.to_vec());
    let keys = vec![
        kv(b"", b"root"),
        kv(b"/a/b/c/d/e/f", b"deep"),
        kv(b"/a//b", b"empty"),
        kv(b"/a/x", b"x"),
        kv(b"/bin/\xff\x01", b"\x00v"),
        kv(b"/z/", b"slash"),
        kv(b"-sibling", b"not below"),
    ];
    let tree = [
        format!("{p} = root\n{p}/\n").as_bytes(),
        b"  a/\n    /\n      b = empty\n    b/\n      c/\n        d/\n          e/\n",
        b"            f = deep\n    x = x\n  bin/\n    \xff\x01 = \x00v\n  z/\n    \"\" = slash\n",
    ]
    .concat();
    (keys, tree)
}

#[test]
fn tree_of_deep_paths_empty_segments_and_bytes() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("tree");
        let (keys, tree) = keys_and_tree(&p);
        load_bytes(etcd, &keys);
        let get = |args: &[&str]| {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["get", &p, "-r", "--tree"])
                .args(args)
                .run();
            expect(&run, 0);
            run.stdout
        };
        assert_eq!(
            String::from_utf8_lossy(&get(&[])),
            String::from_utf8_lossy(&tree)
        );
        assert_eq!(get(&[]), tree);

        let limited = format!("{p}\n{p}/\n  a/\n    /\n      b\n");
        assert_eq!(
            String::from_utf8_lossy(&get(&["--keys-only", "--limit", "2"])),
            limited
        );

        // The prefix as base64 (its bytes are not text): its directory, then its key.
        let bin_dir = base64::engine::general_purpose::STANDARD.encode(format!("{p}/bin/"));
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--key-encoding", "base64", "get", &bin_dir, "-r", "--tree"])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.stdout,
            [format!("{p}/bin/\n").as_bytes(), b"  \xff\x01 = \x00v\n"].concat()
        );

        // On a terminal the same tree, its control bytes escaped.
        let line = format!(
            "{} --endpoints {} get {p}/bin -r --tree",
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let shown = pty(&line).env("NO_COLOR", "1").output().expect("script");
        assert!(shown.status.success(), "{shown:?}");
        let shown = String::from_utf8_lossy(&shown.stdout).replace("\r\n", "\n");
        assert_eq!(shown, format!("{p}/bin/\n  \\xff\\x01 = \\x00v\n"));

        for (args, says) in [
            (
                &["-o", "json"][..],
                "--tree is a text view of get -r's keys; it does not go with -o json",
            ),
            (&["--print-value-only"], "cannot be used with"),
        ] {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["get", &p, "-r", "--tree"])
                .args(args)
                .run();
            expect(&run, 2);
            assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
        }
        let run = etcdpy().endpoint(etcd).args(["get", &p, "--tree"]).run();
        expect(&run, 2);
        assert!(run.stderr.contains("--recursive"), "{}", run.stderr);
    });
}

#[test]
fn tree_on_v2() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("tree-v2");
        put_on(etcd, "v2", &format!("{p}/a/b/c"), "1");
        put_on(etcd, "v2", &format!("{p}/a/d"), "2");
        put_on(etcd, "v2", &format!("{p}/e"), "3");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["--api", "v2", "get", &p, "-r", "--tree"])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!("{p}/\n  a/\n    b/\n      c = 1\n    d = 2\n  e = 3\n")
        );
    });
}
