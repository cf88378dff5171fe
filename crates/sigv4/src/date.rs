//! Date handling for SigV4: the `X-Amz-Date` timestamp (`YYYYMMDD'T'HHMMSS'Z'`, ISO 8601 basic
//! format, always UTC) and the credential-scope date (`YYYYMMDD`).
//!
//! Conversions use the proleptic Gregorian calendar and plain integer arithmetic; no time zone
//! database or system clock is involved.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds in one day.
const SECS_PER_DAY: i64 = 86_400;

/// Converts `now` to signed seconds since the Unix epoch. Times before the epoch give negative
/// values instead of failing.
pub fn unix_seconds(now: SystemTime) -> i64 {
    match now.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs())
            .map(|s| -s)
            .unwrap_or(i64::MIN),
    }
}

/// Converts signed seconds since the Unix epoch back into a [`SystemTime`].
pub fn system_time_from_unix(secs: i64) -> SystemTime {
    if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    }
}

/// Number of days since 1970-01-01 for a proleptic Gregorian civil date.
/// `month` is 1..=12 and `day` 1..=31; callers validate ranges.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(month);
    let d = i64::from(day);
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: returns `(year, month, day)`.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    // Both values are within u32 range by construction.
    (y, m as u32, d as u32)
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn parse_digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, b| {
        acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
    })
}

/// Parses a credential-scope date `YYYYMMDD` and returns days since the Unix epoch.
/// Returns `None` unless the input is exactly eight ASCII digits forming a valid calendar date.
pub fn parse_scope_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 8 {
        return None;
    }
    let year = i64::from(parse_digits(&b[0..4])?);
    let month = parse_digits(&b[4..6])?;
    let day = parse_digits(&b[6..8])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Parses an `X-Amz-Date` value (`YYYYMMDD'T'HHMMSS'Z'`, e.g. `20150830T123600Z`) into seconds
/// since the Unix epoch. Returns `None` unless the input is exactly in that form and denotes a
/// valid UTC time (leap seconds are not accepted).
pub fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let days = parse_scope_date(s.get(0..8)?)?;
    let hour = parse_digits(&b[9..11])?;
    let minute = parse_digits(&b[11..13])?;
    let second = parse_digits(&b[13..15])?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second))
}

/// Formats seconds since the Unix epoch as an `X-Amz-Date` value (`YYYYMMDD'T'HHMMSS'Z'`).
/// Years outside 0..=9999 are printed with as many digits as needed.
pub fn format_amz_date(secs: i64) -> String {
    let days = secs.div_euclid(SECS_PER_DAY);
    let rem = secs.rem_euclid(SECS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_timestamp() {
        // 2015-08-30T12:36:00Z
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        assert_eq!(parse_amz_date("19700101T000000Z"), Some(0));
        assert_eq!(parse_amz_date("20000229T235959Z"), Some(951_868_799));
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for bad in [
            "",
            "20150830",
            "20150830T123600",
            "20150830t123600Z",
            "20150830T123600z",
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "20150230T123600Z",
            "20190229T000000Z",
            "20150830T243600Z",
            "20150830T126000Z",
            "20150830T123660Z",
            "20150830T12360 Z",
            "+0150830T123600Z",
            "２0150830T123600Z",
            "20150830T123600Z ",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn scope_date() {
        assert_eq!(parse_scope_date("19700102"), Some(1));
        assert_eq!(parse_scope_date("20000229"), Some(11_016));
        assert_eq!(parse_scope_date("19000229"), None);
        assert_eq!(parse_scope_date("2015083"), None);
        assert_eq!(parse_scope_date("201508300"), None);
        assert_eq!(parse_scope_date("20150800"), None);
        assert_eq!(parse_scope_date("2015083é"), None);
    }

    #[test]
    fn format_round_trips() {
        for secs in [
            0,
            1,
            1_440_938_160,
            951_868_799,
            951_868_800,
            4_102_444_799,
            -1,
            -86_400,
            253_402_300_799,
        ] {
            let s = format_amz_date(secs);
            assert_eq!(parse_amz_date(&s), Some(secs), "{s}");
        }
        assert_eq!(format_amz_date(1_440_938_160), "20150830T123600Z");
        assert_eq!(format_amz_date(-1), "19691231T235959Z");
    }

    #[test]
    fn civil_round_trip_over_many_days() {
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn unix_seconds_handles_pre_epoch() {
        assert_eq!(unix_seconds(system_time_from_unix(-5)), -5);
        assert_eq!(unix_seconds(system_time_from_unix(42)), 42);
    }
}
