//! Durations as people write them: `500ms`, `4s`, `10m`, `1h30m`; a bare
//! number is seconds. These functions are clap value parsers, so a malformed
//! duration is a usage error (exit 2) with clap's own message.

use crate::text::escape;
use std::time::Duration;

/// etcd's smallest lease TTL with default server settings.
pub const MIN_TTL_SECS: u64 = 2;

/// etcd's largest lease TTL (`MaxLeaseTTL`, 9,000,000,000 s).
pub const MAX_TTL_SECS: u64 = 9_000_000_000;

/// The longest duration a timeout or a wait may be: 100 years (of 365.25 days,
/// as humantime counts them). Longer is surely a mistake, and any deadline this
/// far ahead can still be computed (`Instant` + 2^64 s panics).
pub const MAX: Duration = Duration::from_secs(100 * 31_557_600);

/// The bound as messages name it.
const MAX_TEXT: &str = "100 years";

/// The units a duration may be written in, as `--help` and the messages list them.
macro_rules! units {
    () => {
        "ms, s, m (minutes), h, d, w, y (365.25 days), also us and ns"
    };
}

/// The units a duration may be written in, as `--help` and the messages list them.
pub const UNITS: &str = units!();

/// How durations are written, said once in `etcdpy --help`.
pub const HELP: &str = concat!(
    "Durations (--ttl, --timeout, --wait, --dial-timeout, ...) are written 500ms, 4s, 10m, \
1h30m or 2d; a bare number is seconds (2.5). Units: ",
    units!(),
    "; long forms such as sec, min, hours and days work too. Months are not a unit."
);

/// Month spellings humantime would take (`5M` is 5 months there): refused as an
/// unknown unit, since a month has no fixed length and `M` is easily meant as minutes.
const MONTHS: &[&str] = &["M", "month", "months"];

/// A duration: `500ms`, `4s`, `1h30m`, or a bare number of seconds (`2.5`), at
/// most [`MAX`].
pub fn parse(text: &str) -> Result<Duration, String> {
    let d = parse_saturating(text)?;
    if d > MAX {
        return Err(format!(
            "duration too large: '{}' (at most {MAX_TEXT})",
            escape(text.trim().as_bytes())
        ));
    }
    Ok(d)
}

/// A duration, or `Duration::MAX` for one longer than that (for the callers'
/// own bounds to refuse).
fn parse_saturating(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let shown = escape(text.as_bytes());
    if text.is_empty() {
        return Err("empty duration: write it like 500ms, 4s, 10m or 1h30m".into());
    }
    if text.starts_with('-') {
        return Err(format!(
            "negative duration '{shown}': durations must be zero or more"
        ));
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs: f64 = text.parse().map_err(|_| {
            format!("invalid duration '{shown}': write it like 500ms, 4s, 10m or 1h30m")
        })?;
        return Ok(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
    }
    let unknown =
        |unit: &str| format!("invalid duration '{shown}': unknown unit '{unit}' (units: {UNITS})");
    if let Some(month) = text
        .split(|c: char| !c.is_alphabetic())
        .find(|word| MONTHS.contains(word))
    {
        return Err(unknown(month));
    }
    match humantime::parse_duration(text) {
        Err(humantime::DurationError::NumberOverflow) => Ok(Duration::MAX),
        Err(humantime::DurationError::UnknownUnit { unit, .. }) if !unit.is_empty() => {
            Err(unknown(&escape(unit.as_bytes())))
        }
        result => result.map_err(|e| {
            format!("invalid duration '{shown}' ({e}): write it like 500ms, 4s, 10m or 1h30m")
        }),
    }
}

/// A duration that must be greater than zero (timeouts), at most [`MAX`].
pub fn parse_positive(text: &str) -> Result<Duration, String> {
    let d = parse(text)?;
    if d.is_zero() {
        return Err(format!(
            "duration '{}' must be greater than zero",
            escape(text.as_bytes())
        ));
    }
    Ok(d)
}

/// A lease TTL: whole seconds, at least etcd's minimum of 2 s (never silently
/// lengthened or rounded), and at most what etcd accepts ([`MAX_TTL_SECS`]).
pub fn parse_ttl(text: &str) -> Result<u64, String> {
    ttl_of_at_least(text, MIN_TTL_SECS)
}

/// A key's TTL as typed for `set`/`refresh`: whole seconds from 1 s (etcd's v2
/// store honours 1 s; the v3 backend then asks [`Ttl::lease`]).
#[derive(Clone, Debug)]
pub struct Ttl {
    pub secs: u64,
    typed: String,
}

impl Ttl {
    /// The TTL as a v3 lease's: refused below etcd's minimum of [`MIN_TTL_SECS`], in the words
    /// clap uses for a value its parser refuses (`--ttl 0`), so both read alike.
    pub fn lease(&self) -> Result<u64, String> {
        if self.secs < MIN_TTL_SECS {
            let shown = escape(self.typed.as_bytes());
            let why = below_minimum(&shown, true);
            return Err(format!(
                "invalid value '{shown}' for '--ttl <DURATION>': {why}"
            ));
        }
        Ok(self.secs)
    }
}

/// A key's TTL ([`Ttl`]): whole seconds from 1 s up to [`MAX_TTL_SECS`].
pub fn parse_any_ttl(text: &str) -> Result<Ttl, String> {
    let secs = ttl_of_at_least(text, 1)?;
    let typed = text.to_string();
    Ok(Ttl { secs, typed })
}

/// The one message for a TTL below the minimum (`key_ttl`: a key's TTL, which
/// etcd's v2 store takes from 1 s).
fn below_minimum(shown: &str, key_ttl: bool) -> String {
    let v2 = if key_ttl { " (1s with --api v2)" } else { "" };
    format!("TTL '{shown}' is below etcd's minimum lease TTL of {MIN_TTL_SECS}s{v2}")
}

fn ttl_of_at_least(text: &str, min: u64) -> Result<u64, String> {
    let shown = escape(text.as_bytes());
    // A negative TTL is refused as 0 is: below the minimum (not as a "negative duration").
    if let Some(magnitude) = text.trim().strip_prefix('-') {
        return Err(parse_saturating(magnitude)
            .map_or_else(|e| e, |_| below_minimum(&shown, min < MIN_TTL_SECS)));
    }
    let d = parse_saturating(text)?;
    if d.as_secs() > MAX_TTL_SECS {
        return Err(format!(
            "TTL '{shown}' is longer than etcd allows ({MAX_TTL_SECS}s)"
        ));
    }
    if d < Duration::from_secs(min) {
        return Err(below_minimum(&shown, min < MIN_TTL_SECS));
    }
    if d.subsec_nanos() != 0 {
        return Err(format!(
            "TTL '{shown}' is not a whole number of seconds: etcd leases count whole seconds"
        ));
    }
    Ok(d.as_secs())
}

/// A duration as a message shows it, rounded to what a person reads:
/// `250ms`, `4.8s`, `15s`, `2m 30s` (not `4s 787ms 35us 872ns`).
pub fn show(d: Duration) -> String {
    let millis = (d.as_micros() + 500) / 1000;
    if millis < 1000 {
        return format!("{millis}ms");
    }
    let tenths = (millis + 50) / 100;
    if tenths < 600 {
        return match tenths % 10 {
            0 => format!("{}s", tenths / 10),
            t => format!("{}.{t}s", tenths / 10),
        };
    }
    let secs = d
        .as_secs()
        .saturating_add(u64::from(d.subsec_millis() >= 500));
    humantime::format_duration(Duration::from_secs(secs)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_durations() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("4s"), Ok(Duration::from_secs(4)));
        assert_eq!(parse("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse("0"), Ok(Duration::ZERO));
    }

    #[test]
    fn bad_durations_name_the_problem() {
        assert!(parse("-1s").unwrap_err().contains("negative"));
        assert!(parse("4x").unwrap_err().contains("invalid duration '4x'"));
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse("1.2.3").unwrap_err().contains("invalid duration"));
        assert!(
            parse_positive("0s")
                .unwrap_err()
                .contains("greater than zero")
        );
        // Units: the ones listed, not months.
        assert_eq!(parse("2d"), Ok(Duration::from_secs(2 * 86_400)));
        assert_eq!(parse("1w"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse("2min"), Ok(Duration::from_secs(120)));
        for months in ["5M", "1month", "2 months", "1h5M"] {
            let err = parse(months).unwrap_err();
            assert!(err.contains("unknown unit"), "{months}: {err}");
            assert!(err.contains(UNITS), "{months}: {err}");
        }
        assert_eq!(
            parse("4x").unwrap_err(),
            format!("invalid duration '4x': unknown unit 'x' (units: {UNITS})")
        );
        // Typed control characters are shown escaped.
        assert!(parse("1\x07s").unwrap_err().contains("'1\\x07s'"));
    }

    #[test]
    fn durations_too_large_to_use_are_refused() {
        assert_eq!(parse("100years"), Ok(MAX));
        assert_eq!(parse("3155760000"), Ok(MAX));
        for text in [
            "3155760001",
            "101y",
            "9999999999999999999",
            "18446744073709551616",
            "584942417355years",
            "99999999999999999999999999999999.5",
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with("duration too large: '"), "{text}: {err}");
        }
        assert_eq!(
            parse("9999999999999999999").unwrap_err(),
            "duration too large: '9999999999999999999' (at most 100 years)"
        );
        assert!(
            parse_positive("200years")
                .unwrap_err()
                .contains("duration too large")
        );
        // A deadline at the bound can be computed.
        let _ = std::time::Instant::now() + MAX;
    }

    #[test]
    fn ttls() {
        assert_eq!(parse_ttl("4s"), Ok(4));
        assert_eq!(parse_ttl("1h30m"), Ok(5400));
        assert!(parse_ttl("1s").unwrap_err().contains("minimum"));
        // 0 and a negative TTL: the same message.
        assert_eq!(
            parse_ttl("0").unwrap_err(),
            "TTL '0' is below etcd's minimum lease TTL of 2s"
        );
        assert_eq!(
            parse_ttl("-4").unwrap_err(),
            "TTL '-4' is below etcd's minimum lease TTL of 2s"
        );
        assert!(parse_ttl("-4x").unwrap_err().contains("unknown unit 'x'"));
        assert!(parse_ttl("2500ms").unwrap_err().contains("whole number"));
        assert!(parse_ttl("99999999999").unwrap_err().contains("longer"));
        // etcd's own bound, beyond the 100 years of other durations.
        assert_eq!(parse_ttl("9000000000"), Ok(MAX_TTL_SECS));
        for huge in [
            "9999999999999999999",
            "99999999999999999999",
            "584942417355years",
        ] {
            assert!(parse_ttl(huge).unwrap_err().contains("longer"), "{huge}");
        }
    }

    #[test]
    fn durations_shown_rounded() {
        let ms = Duration::from_millis;
        assert_eq!(show(Duration::new(4, 787_035_872)), "4.8s");
        assert_eq!(show(ms(250)), "250ms");
        assert_eq!(show(Duration::from_micros(999_600)), "1s");
        assert_eq!(show(ms(15_000)), "15s");
        assert_eq!(show(ms(12_040)), "12s");
        assert_eq!(show(ms(59_970)), "1m");
        assert_eq!(show(ms(150_400)), "2m 30s");
        assert_eq!(show(Duration::ZERO), "0ms");
        assert_eq!(
            show(Duration::MAX),
            humantime::format_duration(Duration::from_secs(u64::MAX)).to_string()
        );
    }
}
