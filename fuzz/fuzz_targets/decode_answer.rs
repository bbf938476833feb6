//! A unary answer from a server: decoded as every call's answer type and as an error body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    etcdpy::client::fuzzing::unary_answer(data);
});
