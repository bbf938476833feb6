//! Endpoints as typed (--endpoints, with and without --path-prefix): a base URL the client
//! can use, or a usage error naming the endpoint.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first line is the endpoint, the rest (if any) the --path-prefix.
    let (endpoint, prefix) = match text.split_once('\n') {
        Some((e, p)) => (e, Some(p)),
        None => (text, None),
    };
    match etcdpy::client::parse_endpoint(endpoint, prefix) {
        Ok(parsed) => {
            let base = &parsed.base;
            assert!(
                base.starts_with("http://") || base.starts_with("https://"),
                "{base}"
            );
            assert!(!base.ends_with('/'), "{base}");
            // The base is itself an endpoint that means the same.
            let again = etcdpy::client::parse_endpoint(base, None)
                .ok()
                .map(|e| e.base);
            assert_eq!(again.as_deref(), Some(base.as_str()), "{base}");
        }
        Err(error) => {
            assert!(
                error.message.starts_with("invalid endpoint")
                    || error.message.starts_with("invalid --path-prefix"),
                "{}",
                error.message
            );
            assert_eq!(
                etcdpy::error::exit_for(error.kind),
                etcdpy::exit::Exit::Usage
            );
        }
    }
});
