//! Large listings for `get -r` and the gRPC path: uneven keys loaded over the gateway, a
//! `get -r -o json` document read back as bytes, a listing read while it is written to.

use crate::support::harness::{Etcd, etcdpy, http};
use crate::support::util::expect;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// Keys and values as bytes.
pub type Kvs = Vec<(Vec<u8>, Vec<u8>)>;

/// Write `kvs` through the gateway, 100 puts per transaction.
pub fn load_bytes(etcd: &Etcd, kvs: &Kvs) {
    for chunk in kvs.chunks(100) {
        let ops: Vec<serde_json::Value> = chunk
            .iter()
            .map(|(k, v)| {
                serde_json::json!({"request_put": {"key": STANDARD.encode(k), "value": STANDARD.encode(v)}})
            })
            .collect();
        let body = serde_json::json!({ "success": ops }).to_string();
        let (status, answer) = http(etcd.port(), "POST", "/v3/kv/txn", Some(&body)).expect("txn");
        assert_eq!(status, 200, "{answer}");
    }
}

/// The keys and values of a `get -r -o json` document, as bytes, and its revision.
pub fn listed(run: &crate::support::harness::Run) -> (Kvs, i64) {
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let bytes = |kv: &serde_json::Value, field: &str| {
        let text = kv[field].as_str().unwrap();
        if kv[format!("{field}_encoding")] == "base64" {
            STANDARD.decode(text).unwrap()
        } else {
            text.as_bytes().to_vec()
        }
    };
    let kvs = doc["kvs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| (bytes(kv, "key"), bytes(kv, "value")))
        .collect();
    (kvs, doc["revision"].as_i64().unwrap())
}

/// About 24,000 keys under `p` that lie unevenly, some of them bytes that
/// are not text, with their values, sorted.
pub fn uneven_keys(p: &str) -> Kvs {
    let mut kvs: Kvs = Vec::new();
    let mut add = |key: Vec<u8>| {
        let value = format!("v{}", kvs.len()).into_bytes();
        kvs.push((key, value));
    };
    // etcdpy reads large ranges in stretches whose ends it guesses from
    // how densely keys lie, several at a time. Numbers lying sparsely,
    // then densely, then sparsely again make stretches come back with
    // far fewer and far more keys than guessed.
    for i in 0..3000u64 {
        add(format!("{p}/n/{:08}", i * 100).into_bytes());
    }
    for i in 0..10_000u64 {
        add(format!("{p}/n/{:08}", 300_000 + i).into_bytes());
    }
    for i in 0..2000u64 {
        add(format!("{p}/n/{:08}", 400_000 + i * 1000).into_bytes());
    }
    // Numbers without padding, sorted as text.
    for i in 0..6000u64 {
        add(format!("{p}/u/n{i}").into_bytes());
    }
    // Bytes that are not text, up to the end of the byte range.
    for i in 0..3000u32 {
        let mut key = format!("{p}/x/").into_bytes();
        key.extend_from_slice(&i.wrapping_mul(2_654_435_761).to_be_bytes());
        add(key);
    }
    for i in 0..=255u8 {
        let mut key = format!("{p}/x/").into_bytes();
        key.extend([0xff, i]);
        add(key);
    }
    kvs.sort();
    kvs
}

/// `get -r P/n` (with `args`) while keys are written inside the range: every
/// stretch is read at the revision of the first page, so the listing is the
/// range as of that revision (as etcdctl reads it at that revision).
pub fn listing_while_written_to(
    etcd: &Etcd,
    p: &str,
    args: &[&str],
) -> crate::support::harness::Run {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (done, port, p) = (done.clone(), etcd.port(), p.to_string());
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                // A new key inside the range, and a new value for an old one.
                let put = |key: String, value: &str| {
                    let body = format!(
                        r#"{{"key":"{}","value":"{}"}}"#,
                        STANDARD.encode(key),
                        STANDARD.encode(value)
                    );
                    http(port, "POST", "/v3/kv/put", Some(&body));
                };
                put(
                    format!("{p}/n/{:08}+", 300_000 + (i * 7919) % 10_000),
                    "new",
                );
                put(
                    format!("{p}/n/{:08}", 400_000 + (i % 2000) * 1000),
                    "changed",
                );
                i += 1;
            }
            i
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    let run = etcdpy()
        .endpoint(etcd)
        .args(args)
        .args(["get", "-r", &format!("{p}/n"), "-o", "json"])
        .run();
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let writes = writer.join().unwrap();
    expect(&run, 0);
    let (got, revision) = listed(&run);
    let out = etcd.etcdctl(&[
        "get",
        "--prefix",
        &format!("{p}/n/"),
        "--rev",
        &revision.to_string(),
        "-w",
        "json",
    ]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let then: Kvs = doc["kvs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| {
            let field = |f: &str| STANDARD.decode(kv[f].as_str().unwrap_or("")).unwrap();
            (field("key"), field("value"))
        })
        .collect();
    assert!(writes > 10, "only {writes} writes");
    assert!(
        doc["header"]["revision"].as_i64().unwrap() > revision,
        "nothing was written after the listing's revision"
    );
    assert_eq!(got.len(), then.len());
    assert!(
        got == then,
        "the listing is not the range as of revision {revision}"
    );
    run
}
