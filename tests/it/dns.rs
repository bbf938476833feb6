//! DNS SRV discovery (`--discovery-srv`, python-etcd's `srv_domain=`) against
//! a real DNS server: dnsmasq on a free loopback port (UDP and TCP) serving
//! SRV and A records, asked through `--dns-server`. Plain http records
//! against a real etcd, failover across a 3-member cluster whose first-named
//! member is dead, `--discovery-srv-name`, an https record pointing at the
//! nginx TLS proxy of `proxy.rs` under a path prefix, and a domain with no
//! records (exit 7 naming the SRV names tried).

use crate::support::cluster::Cluster;
use crate::support::harness::{etcdpy, for_each_etcd, free_ports, shared, spawn_guarded, unique};
use crate::support::proxy::{PROXY_DNS_NAME, Proxy, tool};
use crate::support::util::{expect, put, stored};
use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The zone dnsmasq answers for itself (`--local`): other names there are NXDOMAIN.
const ZONE: &str = "example.test";
const START_TIMEOUT: Duration = Duration::from_secs(10);
const START_ATTEMPTS: u32 = 3;

/// A real dnsmasq on a free loopback port, answering only from the records it was given.
/// Killed on drop; shows its log (every query) when a test fails.
pub struct Dns {
    child: Child,
    port: u16,
    // Last: removed after the server is killed.
    dir: tempfile::TempDir,
}

impl Dns {
    /// Starts dnsmasq with these record options (`--srv-host=...`, `--host-record=...`).
    pub fn start(records: &[String]) -> Dns {
        let dnsmasq = tool("dnsmasq", "dnsmasq-base");
        let dir = tempfile::Builder::new()
            .prefix("etcdpy-dnsmasq-")
            .tempdir()
            .expect("create a temp dir for dnsmasq");
        for attempt in 1..=START_ATTEMPTS {
            let (port, _) = free_ports();
            let log = dir.path().join("dnsmasq.log");
            let out = File::create(&log).expect("create dnsmasq.log");
            let mut cmd = Command::new(&dnsmasq);
            cmd.args([
                "--no-daemon",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--no-poll",
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
                "--user=root",
                "--log-queries",
                "--log-facility=-",
            ])
            .arg(format!("--port={port}"))
            .arg(format!(
                "--pid-file={}",
                dir.path().join("dnsmasq.pid").display()
            ))
            .arg(format!("--local=/{ZONE}/"))
            .args(records)
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("clone a file handle"))
            .stderr(out);
            let mut child = spawn_guarded(cmd).expect("run dnsmasq");
            let deadline = Instant::now() + START_TIMEOUT;
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            let failure = loop {
                if let Some(status) = child.try_wait().expect("wait for dnsmasq") {
                    break format!("dnsmasq exited ({status})");
                }
                // dnsmasq binds UDP and TCP before it serves either.
                if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                    return Dns { child, port, dir };
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break format!(
                        "dnsmasq did not listen on port {port} within {START_TIMEOUT:?}"
                    );
                }
                thread::sleep(Duration::from_millis(20));
            };
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if text.contains("Address already in use") && attempt < START_ATTEMPTS {
                eprintln!("dns: dnsmasq lost its port (attempt {attempt}), retrying:\n{text}");
                continue;
            }
            panic!("could not start dnsmasq (attempt {attempt}): {failure}\n{text}");
        }
        unreachable!()
    }

    /// Ask for the A records of `name` (over UDP) and wait for the answer.
    pub fn ask_a(&self, name: &str) {
        let mut query = vec![0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in name.split('.') {
            query.push(label.len() as u8);
            query.extend_from_slice(label.as_bytes());
        }
        query.extend_from_slice(&[0, 0, 1, 0, 1]);
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind a UDP socket");
        socket
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        socket
            .send_to(&query, self.server())
            .expect("send a DNS query");
        let mut answer = [0; 512];
        socket.recv(&mut answer).expect("dnsmasq answers");
    }

    /// `127.0.0.1:PORT`, for `--dns-server`.
    pub fn server(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            let text =
                std::fs::read_to_string(self.dir.path().join("dnsmasq.log")).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            eprintln!(
                "----- dnsmasq on port {}: log tail -----\n{}\n----- end of dnsmasq log -----",
                self.port,
                lines[lines.len().saturating_sub(40)..].join("\n")
            );
        }
    }
}

/// `--srv-host=SERVICE.DOMAIN,TARGET,PORT,PRIORITY,WEIGHT`
fn srv(name: &str, target: &str, port: u16, priority: u16) -> String {
    format!("--srv-host={name},{target},{port},{priority},0")
}

/// `--host-record=NAME,127.0.0.1`
fn a(name: &str) -> String {
    format!("--host-record={name},127.0.0.1")
}

#[test]
fn srv_records_name_the_endpoints_for_set_and_get() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let dns = Dns::start(&[
            srv(
                &format!("_etcd-client._tcp.{ZONE}"),
                &format!("m1.{ZONE}"),
                etcd.port(),
                0,
            ),
            a(&format!("m1.{ZONE}")),
        ]);
        let srv_args = ["--discovery-srv", ZONE, "--dns-server", &dns.server()];
        let p = unique("dns");
        let run = etcdpy()
            .args(srv_args)
            .args(["set", &format!("{p}/a"), "found"])
            .run();
        expect(&run, 0);
        assert_eq!(stored(etcd, &format!("{p}/a")).unwrap().value, b"found");
        put(etcd, &format!("{p}/b"), "from etcdctl");
        let run = etcdpy()
            .args(srv_args)
            .args(["get", &format!("{p}/b")])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "from etcdctl\n");
        // --protocol http asks only for the plain record: the same answer.
        let run = etcdpy()
            .args(srv_args)
            .args(["--protocol", "http", "get", &format!("{p}/a")])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "found\n");
        // --protocol https asks only for _etcd-client-ssl, which does not exist here.
        let run = etcdpy()
            .args(srv_args)
            .args(["--protocol", "https", "get", &format!("{p}/a")])
            .run();
        expect(&run, 7);
        assert!(
            run.stderr
                .contains(&format!("_etcd-client-ssl._tcp.{ZONE}")),
            "{run:?}"
        );
        assert!(
            !run.stderr.contains(&format!("_etcd-client._tcp.{ZONE}")),
            "{run:?}"
        );
    });
}

#[test]
fn srv_discovery_fails_over_when_the_first_named_member_is_dead() {
    // The record with the best priority names a follower, which is then killed: the client
    // must move on to the next record (no leader election in the way).
    for_each_etcd(|bin| failover(bin, false));
}

#[test]
fn srv_discovery_fails_over_when_the_first_named_member_was_the_leader() {
    // The same with the leader: the read rides out the election that follows.
    for_each_etcd(|bin| failover(bin, true));
}

/// A 3-member cluster named by SRV records with distinct priorities; the member with the best
/// priority (the leader or a follower) is killed, then get, set and get through discovery.
fn failover(bin: &crate::support::harness::EtcdBin, kill_leader: bool) {
    {
        let mut cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("the cluster has a leader");
        let first = (0..3).find(|&i| (i == leader) == kill_leader).unwrap();
        let order = cluster.order_from(first);
        let mut records = Vec::new();
        for (priority, &i) in order.iter().enumerate() {
            let host = format!("m{i}.{ZONE}");
            records.push(srv(
                &format!("_etcd-client._tcp.{ZONE}"),
                &host,
                cluster.members[i].port,
                priority as u16 * 10,
            ));
            records.push(a(&host));
        }
        let dns = Dns::start(&records);
        let srv_args = ["--discovery-srv", ZONE, "--dns-server", &dns.server()];
        let key = format!("{}/k", unique("dns-failover"));
        expect(
            &etcdpy().args(srv_args).args(["set", &key, "before"]).run(),
            0,
        );
        cluster.members[first].kill();
        let start = Instant::now();
        // A read goes to the next record at once (and waits out an election if need be).
        let run = etcdpy().args(srv_args).args(["get", &key]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "before\n");
        if kill_leader {
            // A write sent while no leader is elected may time out inside etcd, with an
            // unknown outcome (exit 9, by design: not repeated blindly); wait for the election.
            while cluster.leader().is_none_or(|l| l == first) {
                assert!(
                    start.elapsed() < Duration::from_secs(15),
                    "no new leader\n{}",
                    cluster.logs()
                );
                thread::sleep(Duration::from_millis(50));
            }
        }
        let run = etcdpy().args(srv_args).args(["set", &key, "after"]).run();
        expect(&run, 0);
        let run = etcdpy().args(srv_args).args(["get", &key]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "after\n");
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "failover took {:?}",
            start.elapsed()
        );
        // Read back independently from a live member.
        let live = order[1];
        let out = Command::new(&cluster.etcdctl)
            .args(["--endpoints", &cluster.members[live].endpoint()])
            .args(["get", &key, "--print-value-only"])
            .output()
            .expect("run etcdctl");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "after");
    }
}

#[test]
fn discovery_srv_name_picks_the_named_service() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let domain = format!("named.{ZONE}");
        let dns = Dns::start(&[
            srv(
                &format!("_etcd-client-blue._tcp.{domain}"),
                &format!("m1.{ZONE}"),
                etcd.port(),
                0,
            ),
            a(&format!("m1.{ZONE}")),
        ]);
        let key = format!("{}/k", unique("dns-name"));
        put(etcd, &key, "blue");
        let srv_args = ["--discovery-srv", &domain, "--dns-server", &dns.server()];
        let run = etcdpy()
            .args(srv_args)
            .args(["--discovery-srv-name", "blue", "get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "blue\n");
        // Without the name, the unnamed records are asked for, and there are none.
        let run = etcdpy().args(srv_args).args(["get", &key]).run();
        expect(&run, 7);
        assert!(
            run.stderr.contains(&format!("_etcd-client._tcp.{domain}")),
            "{run:?}"
        );
        // Another name finds nothing either, and says which names it tried.
        let run = etcdpy()
            .args(srv_args)
            .args(["--discovery-srv-name", "green", "get", &key])
            .run();
        expect(&run, 7);
        for name in [
            format!("_etcd-client-ssl-green._tcp.{domain}"),
            format!("_etcd-client-green._tcp.{domain}"),
        ] {
            assert!(run.stderr.contains(&name), "{name}: {run:?}");
        }
    });
}

#[test]
fn https_srv_record_through_the_tls_proxy_under_a_path_prefix() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        let domain = format!("secure.{ZONE}");
        // Only the TLS record; its target is a name that resolves only at this DNS server and
        // that the server certificate covers.
        let dns = Dns::start(&[
            srv(
                &format!("_etcd-client-ssl._tcp.{domain}"),
                PROXY_DNS_NAME,
                proxy.port(),
                0,
            ),
            a(PROXY_DNS_NAME),
        ]);
        let ca = proxy.ca().display().to_string();
        let p = unique("dns-https");
        // python-etcd: Client(srv_domain=..., protocol='https', version_prefix='/etcd', ca_cert=...)
        for protocol in [&["--protocol", "https"][..], &[][..]] {
            let via = || {
                etcdpy()
                    .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
                    .args(protocol)
                    .args(["--path-prefix", "/etcd", "--cacert", &ca])
            };
            let key = format!("{p}/k{}", protocol.len());
            let run = via().args(["set", &key, "over tls"]).run();
            expect(&run, 0);
            assert_eq!(stored(etcd, &key).unwrap().value, b"over tls");
            let run = via().args(["get", &key]).run();
            expect(&run, 0);
            assert_eq!(run.out(), "over tls\n");
        }
        // Without --cacert the proxy's certificate is refused.
        let run = etcdpy()
            .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
            .args(["--path-prefix", "/etcd", "get", &format!("{p}/k2")])
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("certificate"), "{run:?}");
        crate::support::tls::no_tls_library_text(&run.stderr);
        // --protocol http asks only for the plain record, which does not exist.
        let run = etcdpy()
            .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
            .args([
                "--protocol",
                "http",
                "--path-prefix",
                "/etcd",
                "--cacert",
                &ca,
            ])
            .args(["get", &format!("{p}/k2")])
            .run();
        expect(&run, 7);
        assert!(
            run.stderr.contains("no etcd endpoints found in DNS"),
            "{run:?}"
        );
    });
}

#[test]
fn a_domain_without_records_exits_7_naming_the_srv_names_tried() {
    // No etcd is needed: nothing is found, so nothing is contacted.
    let dns = Dns::start(&[a(&format!("m1.{ZONE}"))]);
    let domain = format!("empty.{ZONE}");
    let run = etcdpy()
        .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
        .args(["get", "/k"])
        .run();
    expect(&run, 7);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
    assert!(
        run.stderr.contains("no etcd endpoints found in DNS"),
        "{run:?}"
    );
    for name in [
        format!("_etcd-client-ssl._tcp.{domain}"),
        format!("_etcd-client._tcp.{domain}"),
    ] {
        assert!(run.stderr.contains(&name), "{name}: {run:?}");
    }
    assert!(
        run.stderr.contains(&dns.server()),
        "names the DNS server: {run:?}"
    );
    // A domain outside the zone dnsmasq serves, which it has no upstream server to ask about.
    let run = etcdpy()
        .args([
            "--discovery-srv",
            "unknown.invalid",
            "--dns-server",
            &dns.server(),
        ])
        .args(["get", "/k"])
        .run();
    expect(&run, 7);
    assert!(
        run.stderr.contains("_etcd-client._tcp.unknown.invalid"),
        "{run:?}"
    );
}

#[test]
fn a_dns_server_that_does_not_answer_is_not_reported_as_no_records() {
    // A bound UDP socket nobody reads: queries to it time out.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind a UDP socket");
    let server = silent.local_addr().unwrap().to_string();
    let run = etcdpy()
        .args(["--discovery-srv", ZONE, "--dns-server", &server])
        .args(["--protocol", "http", "get", "/k"])
        .run();
    expect(&run, 7);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
    assert!(
        run.stderr.contains("no etcd endpoints found in DNS"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains(&format!("_etcd-client._tcp.{ZONE}: request timed out")),
        "{run:?}"
    );
    assert!(!run.stderr.contains("no SRV records"), "{run:?}");
    drop(silent);
}

#[test]
fn python_etcds_own_record_is_the_fallback_after_etcdctls() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("dns-python"));
        put(etcd, &key, "python");
        // python-etcd's Client(srv_domain=D) looks up _etcd._tcp.D only, with its protocol
        // (http unless told otherwise).
        let domain = format!("py.{ZONE}");
        let dns = Dns::start(&[
            srv(
                &format!("_etcd._tcp.{domain}"),
                &format!("m1.{ZONE}"),
                etcd.port(),
                0,
            ),
            a(&format!("m1.{ZONE}")),
        ]);
        for protocol in [&[][..], &["--protocol", "http"][..]] {
            let run = etcdpy()
                .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
                .args(protocol)
                .args(["get", &key])
                .run();
            expect(&run, 0);
            assert_eq!(run.out(), "python\n");
        }
        // With a service name (etcdctl's idea only) it is not asked for.
        let run = etcdpy()
            .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
            .args(["--discovery-srv-name", "blue", "get", &key])
            .run();
        expect(&run, 7);
        assert!(!run.stderr.contains("_etcd._tcp"), "{run:?}");

        // etcdctl's records, when there are any, are the ones used: python-etcd's record
        // for the same domain names a port where nothing listens, and is not used.
        let (dead, _) = free_ports();
        let domain = format!("both.{ZONE}");
        let dns = Dns::start(&[
            srv(
                &format!("_etcd._tcp.{domain}"),
                &format!("m1.{ZONE}"),
                dead,
                0,
            ),
            srv(
                &format!("_etcd-client._tcp.{domain}"),
                &format!("m1.{ZONE}"),
                etcd.port(),
                10,
            ),
            a(&format!("m1.{ZONE}")),
        ]);
        let run = etcdpy()
            .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
            .args(["--debug", "get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "python\n");
        assert!(!run.stderr.contains(&format!(":{dead}")), "{run:?}");

        // No record at all: the message names python-etcd's too.
        let domain = format!("none.{ZONE}");
        let run = etcdpy()
            .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
            .args(["get", &key])
            .run();
        expect(&run, 7);
        assert!(
            run.stderr
                .contains(&format!("or _etcd._tcp.{domain} (asked ")),
            "{run:?}"
        );
    });
}

#[test]
fn python_etcds_record_with_https_through_the_tls_proxy() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        let domain = format!("pysecure.{ZONE}");
        let dns = Dns::start(&[
            srv(
                &format!("_etcd._tcp.{domain}"),
                PROXY_DNS_NAME,
                proxy.port(),
                0,
            ),
            a(PROXY_DNS_NAME),
        ]);
        let ca = proxy.ca().display().to_string();
        let key = format!("{}/k", unique("dns-pyhttps"));
        // python-etcd: Client(srv_domain=D, protocol='https', version_prefix='/etcd', ca_cert=...)
        let via = || {
            etcdpy()
                .args(["--discovery-srv", &domain, "--dns-server", &dns.server()])
                .args(["--protocol", "https", "--path-prefix", "/etcd"])
                .args(["--cacert", &ca])
        };
        expect(&via().args(["set", &key, "over tls"]).run(), 0);
        assert_eq!(stored(etcd, &key).unwrap().value, b"over tls");
        let run = via().args(["get", &key]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "over tls\n");
    });
}

/// `--host-record=NAME,127.0.0.2`: an address of the target where etcd does not listen
/// (etcd binds 127.0.0.1 only), so a connection there is refused.
fn a_dead(name: &str) -> String {
    format!("--host-record={name},127.0.0.2")
}

#[test]
fn every_address_of_an_srv_target_is_tried() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("dns-addrs"));
        put(etcd, &key, "found");
        let host = format!("m1.{ZONE}");
        let dns = Dns::start(&[
            srv(&format!("_etcd-client._tcp.{ZONE}"), &host, etcd.port(), 0),
            a_dead(&host),
            a(&host),
        ]);
        // dnsmasq turns the order of a name's addresses at each question about it: one more
        // question of our own before each run, so that the runs see both orders.
        for run in 0..4 {
            for _ in 0..run {
                dns.ask_a(&host);
            }
            let run = etcdpy()
                .args(["--discovery-srv", ZONE, "--dns-server", &dns.server()])
                .args(["get", &key])
                .run();
            expect(&run, 0);
            assert_eq!(run.out(), "found\n");
        }
    });
}

#[test]
fn debug_curl_lines_resolve_each_srv_endpoint_at_its_own_port() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("dns-curl"));
        put(etcd, &key, "curled");
        let host = format!("m1.{ZONE}");
        // Two records for one target: the first at a port where nothing listens.
        let (dead, _) = free_ports();
        let dns = Dns::start(&[
            srv(&format!("_etcd-client._tcp.{ZONE}"), &host, dead, 0),
            srv(&format!("_etcd-client._tcp.{ZONE}"), &host, etcd.port(), 10),
            a(&host),
        ]);
        let run = etcdpy()
            .args(["--discovery-srv", ZONE, "--dns-server", &dns.server()])
            .args(["--debug", "get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "curled\n");
        let curl = |port: u16| {
            run.stderr
                .lines()
                .find(|l| l.contains("curl") && l.contains(&format!("'http://{host}:{port}/")))
                .unwrap_or_else(|| panic!("no curl line for port {port}: {run:?}"))
                .trim_start_matches("etcdpy: debug: ")
                .to_string()
        };
        for port in [dead, etcd.port()] {
            assert!(
                curl(port).contains(&format!("--resolve '{host}:{port}:127.0.0.1'")),
                "{}",
                curl(port)
            );
        }
        // The line works as printed: curl finds the target at this DNS server's address.
        let line = curl(etcd.port());
        let out = Command::new("sh").arg("-c").arg(&line).output().unwrap();
        assert!(out.status.success(), "{line}: {out:?}");
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(answer["kvs"][0]["value"], "Y3VybGVk", "{line}: {answer}");
    });
}
