//! Article dates: the formats editors may write, and the site's time zone for dates without one.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// The formats accepted in front matter, as shown to users in error messages.
pub const ACCEPTED_FORMATS: &str =
    "2020-10-13T07:57:32+07:00, 2020-10-13 07:57:32, 2020-10-13 07:57 or 2020-10-13";

/// Parses a front-matter date. A date without an offset is in `zone` (the site's time zone).
pub fn parse_date(text: &str, zone: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    let date = parse_any(text, zone)?;
    check_year(date, zone).map_err(|year| {
        format!(
            "`{text}`: the year must be between 1 and 9999 (it is {year} in the site's time zone \
             or in UTC)"
        )
    })?;
    Ok(date)
}

/// The years a date is shown in must all be between 1 and 9999: as written, in the site's
/// time zone (pages, archives, feeds) and in UTC (sitemaps). Checking only the date as
/// written let `0001-01-01T00:00:00+14:00` publish as year 0, and `9999-12-31T23:00-10:00`
/// reach the templates as year 10000. On failure, the year out of range.
fn check_year(date: DateTime<FixedOffset>, zone: FixedOffset) -> Result<(), i32> {
    let years = [
        date.year(),
        date.with_timezone(&zone).year(),
        date.naive_utc().year(),
    ];
    match years.into_iter().find(|y| !(1..=9999).contains(y)) {
        Some(year) => Err(year),
        None => Ok(()),
    }
}

fn parse_any(text: &str, zone: FixedOffset) -> Result<DateTime<FixedOffset>, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Ok(d);
    }
    // RFC 3339 with a space instead of `T`, as YAML timestamps are often written.
    for format in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(text, format) {
            return Ok(d);
        }
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return local(naive, zone, text);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return local(
            day.and_hms_opt(0, 0, 0).expect("midnight exists"),
            zone,
            text,
        );
    }
    Err(format!(
        "`{text}` is not a date; accepted formats are {ACCEPTED_FORMATS}"
    ))
}

fn local(
    naive: NaiveDateTime,
    zone: FixedOffset,
    text: &str,
) -> Result<DateTime<FixedOffset>, String> {
    zone.from_local_datetime(&naive)
        .single()
        .ok_or_else(|| format!("`{text}` is not a valid time"))
}

/// Parses a time-zone offset from config: `+07:00`, `+0700`, `+7`, `UTC+7`, `-03:30`, `UTC`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let t = text.trim();
    let t = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    if t.is_empty() || t == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match t.as_bytes()[0] {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if rest.len() == 4 => (rest[..2].parse().ok()?, rest[2..].parse().ok()?),
        None => (rest.parse().ok()?, 0),
    };
    if hours > 14 || minutes >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ict() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    #[test]
    fn accepts_each_documented_format() {
        let full = parse_date("2020-10-13T07:57:32+07:00", ict()).unwrap();
        assert_eq!(parse_date("2020-10-13 07:57:32", ict()).unwrap(), full);
        assert_eq!(
            parse_date("2020-10-13 07:57", ict()).unwrap().to_rfc3339(),
            "2020-10-13T07:57:00+07:00"
        );
        assert_eq!(
            parse_date("2020-10-13", ict()).unwrap().to_rfc3339(),
            "2020-10-13T00:00:00+07:00"
        );
    }

    #[test]
    fn keeps_an_explicit_offset() {
        let d = parse_date("2020-10-13T00:30:00Z", ict()).unwrap();
        assert_eq!(d.offset().local_minus_utc(), 0);
    }

    #[test]
    fn rejects_nonsense_naming_the_formats() {
        let err = parse_date("13/10/2020", ict()).unwrap_err();
        assert!(
            err.contains("13/10/2020") && err.contains("2020-10-13 07:57"),
            "{err}"
        );
        assert!(parse_date("2020-02-30", ict()).is_err());
        assert!(parse_date("-0001-01-01", ict()).is_err());
        assert!(parse_date("+10000-01-01", ict()).is_err());
    }

    #[test]
    fn the_year_is_checked_after_the_time_zone_conversion() {
        let err = parse_date("0001-01-01T00:00:00+14:00", ict()).unwrap_err();
        assert!(err.contains("it is 0"), "{err}");
        let err = parse_date("9999-12-31T23:00:00-10:00", ict()).unwrap_err();
        assert!(err.contains("it is 10000"), "{err}");
        // Midnight on 1 January of year 1 in Vietnam is still year 0 in UTC (sitemaps).
        assert!(parse_date("0001-01-01", ict()).is_err());
        assert!(parse_date("0001-01-02", ict()).is_ok());
        assert!(parse_date("9999-12-31 23:59", ict()).is_ok());
    }

    #[test]
    fn parses_offsets() {
        assert_eq!(parse_offset("+07:00"), Some(ict()));
        assert_eq!(parse_offset("UTC+7"), Some(ict()));
        assert_eq!(parse_offset("+0700"), Some(ict()));
        assert_eq!(parse_offset("-03:30").unwrap().local_minus_utc(), -12600);
        assert_eq!(parse_offset("UTC").unwrap().local_minus_utc(), 0);
        assert_eq!(parse_offset("Asia/Ho_Chi_Minh"), None);
        assert_eq!(parse_offset("+99"), None);
    }
}
