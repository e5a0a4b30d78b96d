//! Vietnamese date filters for templates: `13/10/2020 07:57:32`, `Thứ Ba, 13/10/2020`.

use chrono::{DateTime, Datelike, FixedOffset, Weekday};
use tera::{Kwargs, State, Tera, TeraResult};

/// Registers the date filters on a template engine.
pub fn register(tera: &mut Tera) {
    tera.register_filter("datetime_vn", |v: &str, _: Kwargs, _: &State| {
        if let Some(p) = Parts::of(v) {
            return Ok(format!(
                "{}/{}/{} {}:{}:{}",
                p.day, p.month, p.year, p.hour, p.minute, p.second
            ));
        }
        format(v, |d| d.format("%d/%m/%Y %H:%M:%S").to_string())
    });
    tera.register_filter("date_vn", |v: &str, _: Kwargs, _: &State| {
        if let Some(p) = Parts::of(v) {
            return Ok(format!("{}/{}/{}", p.day, p.month, p.year));
        }
        format(v, |d| d.format("%d/%m/%Y").to_string())
    });
    tera.register_filter("weekday_date_vn", |v: &str, _: Kwargs, _: &State| {
        format(v, weekday_date)
    });
    tera.register_filter("month_year_vn", |v: &str, _: Kwargs, _: &State| {
        format(v, |d| format!("Tháng {}/{}", d.month(), d.year()))
    });
    tera.register_filter("date_iso", |v: &str, _: Kwargs, _: &State| {
        format(v, |d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
    });
}

/// The fields of a date in the layout templates get (`2020-10-13T07:57:32+07:00`), read
/// without parsing: these two filters run on every item of every list of every page.
struct Parts<'a> {
    year: &'a str,
    month: &'a str,
    day: &'a str,
    hour: &'a str,
    minute: &'a str,
    second: &'a str,
}

impl<'a> Parts<'a> {
    fn of(v: &'a str) -> Option<Parts<'a>> {
        let b = v.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let layout = b.len() == 25
            && b[4] == b'-'
            && b[7] == b'-'
            && b[10] == b'T'
            && b[13] == b':'
            && b[16] == b':'
            && matches!(b[19], b'+' | b'-');
        (layout
            && digits(0..4)
            && digits(5..7)
            && digits(8..10)
            && digits(11..13)
            && digits(14..16)
            && digits(17..19))
        .then(|| Parts {
            year: &v[0..4],
            month: &v[5..7],
            day: &v[8..10],
            hour: &v[11..13],
            minute: &v[14..16],
            second: &v[17..19],
        })
    }
}

fn format(value: &str, f: impl Fn(DateTime<FixedOffset>) -> String) -> TeraResult<String> {
    DateTime::parse_from_rfc3339(value)
        .map(f)
        .map_err(|_| tera::Error::message(format!("`{value}` is not an RFC 3339 date")))
}

/// `Thứ Ba, 13/10/2020`.
pub fn weekday_date(d: DateTime<FixedOffset>) -> String {
    let day = match d.weekday() {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ Nhật",
    };
    format!("{day}, {}", d.format("%d/%m/%Y"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> String {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", template).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2020-10-13T07:57:32+07:00");
        tera.render("t", &ctx).unwrap()
    }

    #[test]
    fn formats_dates_the_vietnamese_way() {
        assert_eq!(render("{{ d | datetime_vn }}"), "13/10/2020 07:57:32");
        assert_eq!(render("{{ d | date_vn }}"), "13/10/2020");
        assert_eq!(render("{{ d | weekday_date_vn }}"), "Thứ Ba, 13/10/2020");
        assert_eq!(render("{{ d | month_year_vn }}"), "Tháng 10/2020");
        assert_eq!(render("{{ d | date_iso }}"), "2020-10-13T07:57:32+07:00");
    }

    #[test]
    fn the_fast_path_and_chrono_agree() {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", "{{ d | datetime_vn }}|{{ d | date_vn }}")
            .unwrap();
        for d in [
            "2020-10-13T07:57:32+07:00",
            "2021-01-01T00:00:00-03:30",
            "2020-10-13T07:57:32Z",
        ] {
            let mut ctx = tera::Context::new();
            ctx.insert("d", d);
            let parsed = DateTime::parse_from_rfc3339(d).unwrap();
            let expected = format!(
                "{}|{}",
                parsed.format("%d/%m/%Y %H:%M:%S"),
                parsed.format("%d/%m/%Y")
            );
            assert_eq!(tera.render("t", &ctx).unwrap(), expected, "{d}");
        }
    }

    #[test]
    fn a_non_date_is_a_template_error() {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", "{{ 'x' | date_vn }}").unwrap();
        assert!(tera.render("t", &tera::Context::new()).is_err());
    }
}
