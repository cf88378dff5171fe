//! Timestamps in a seed file: RFC 3339 with milliseconds (`2026-01-31T09:30:00.250Z`),
//! the precision roster keeps.

use chrono::{DateTime, SecondsFormat, Utc};
use roster_domain::Timestamp;

pub fn parse_time(s: &str) -> Result<Timestamp, String> {
    let t = DateTime::parse_from_rfc3339(s).map_err(|e| {
        format!("{s:?} is not an RFC 3339 time such as 2026-01-31T09:30:00.250Z ({e})")
    })?;
    if t.timestamp_subsec_nanos() % 1_000_000 != 0 {
        return Err(format!(
            "{s:?} is more precise than a millisecond, which is what roster keeps"
        ));
    }
    Ok(Timestamp(t.timestamp_millis()))
}

pub fn format_time(t: Timestamp) -> String {
    match DateTime::<Utc>::from_timestamp_millis(t.0) {
        Some(d) => d.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => "1970-01-01T00:00:00.000Z".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_milliseconds() {
        for ms in [0, 1, 1_733_300_000_123, 4_102_444_800_999] {
            assert_eq!(parse_time(&format_time(Timestamp(ms))), Ok(Timestamp(ms)));
        }
        assert_eq!(
            parse_time("2026-01-31T10:30:00.250+01:00"),
            parse_time("2026-01-31T09:30:00.250Z")
        );
        assert!(parse_time("yesterday").is_err());
        assert!(parse_time("2026-01-31T09:30:00.2501Z").is_err());
    }
}
