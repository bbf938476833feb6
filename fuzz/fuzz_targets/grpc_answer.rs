//! A gRPC answer to a bulk read (`etcdserverpb.KV/Range`): the frame checked, the
//! RangeResponse decoded and taken in by a pager; the same bytes as a grpc-message.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    etcdpy::client::fuzzing::grpc_answer(data);
});
