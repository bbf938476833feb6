//! A watch stream from a server, in arbitrary chunks: split into lines, each handled as the
//! watch handles it (from now, and from a given revision).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    etcdpy::client::fuzzing::watch_stream(data, 0);
    etcdpy::client::fuzzing::watch_stream(data, 5);
});
