//! Date filters for templates: Vietnamese (`13/10/2020 07:57:32`, `Thứ Ba, 13/10/2020`),
//! and `local_date` / `local_datetime`, which write a date as the page's labels say
//! (`13/10/2020` on Vietnamese pages, `13 October 2020` on English ones).

use chrono::{DateTime, Datelike, FixedOffset, Weekday};
use tera::{Kwargs, State, Tera, TeraResult, Value};

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
    tera.register_filter("local_date", |v: &str, kwargs: Kwargs, _: &State| {
        local(v, &kwargs, "date_format")
    });
    tera.register_filter("local_datetime", |v: &str, kwargs: Kwargs, _: &State| {
        local(v, &kwargs, "datetime_format")
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

/// `value` written in the format the label `key` of the `labels` argument gives, with the
/// month names of its label `months`.
fn local(value: &str, kwargs: &Kwargs, key: &'static str) -> TeraResult<String> {
    let labels: &Value = kwargs.must_get("labels")?;
    let label = |name: &'static str| {
        labels
            .get_from_path(name)
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::message(format!("the labels have no `{name}`")))
    };
    let pattern = label(key)?;
    let months: Vec<&str> = label("months")?.split(',').map(str::trim).collect();
    let owned;
    let p = match Parts::of(value) {
        Some(p) => p,
        None => {
            let d = DateTime::parse_from_rfc3339(value)
                .map_err(|_| tera::Error::message(format!("`{value}` is not an RFC 3339 date")))?;
            owned = d.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
            Parts::of(&owned).expect("chrono writes the layout")
        }
    };
    Ok(fill_date(pattern, &p, &months))
}

/// `pattern` with `{d}` (day), `{dd}`, `{mm}`, `{month}` (its name in `months`), `{yyyy}`,
/// `{HH}`, `{MM}`, `{SS}` replaced by the fields of `p`; other text kept.
fn fill_date(pattern: &str, p: &Parts<'_>, months: &[&str]) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('}') else {
            break;
        };
        let month = p.month.parse::<usize>().unwrap_or(1);
        match &after[1..end] {
            "d" => out.push_str(p.day.trim_start_matches('0')),
            "dd" => out.push_str(p.day),
            "mm" => out.push_str(p.month),
            "month" => out.push_str(months.get(month - 1).copied().unwrap_or(p.month)),
            "yyyy" => out.push_str(p.year),
            "HH" => out.push_str(p.hour),
            "MM" => out.push_str(p.minute),
            "SS" => out.push_str(p.second),
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
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

    fn render_in(labels: &str, template: &str) -> String {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", template).unwrap();
        let table: std::collections::BTreeMap<String, String> =
            serde_yaml::from_str(labels).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("labels", &table);
        for (name, d) in [
            ("d", "2020-10-03T07:57:32+07:00"),
            ("z", "2020-10-03T00:57:32Z"),
        ] {
            ctx.insert(name, d);
        }
        tera.render("t", &ctx).unwrap()
    }

    #[test]
    fn local_dates_follow_the_labels_of_the_page_language() {
        let vi = include_str!("../../themes/tin-hoat-dong/labels.yaml");
        let en = include_str!("../../themes/tin-hoat-dong/labels.en.yaml");
        let t = "{{ d | local_date(labels=labels) }}|{{ d | local_datetime(labels=labels) }}";
        assert_eq!(render_in(vi, t), "03/10/2020|03/10/2020 07:57:32");
        assert_eq!(render_in(en, t), "3 October 2020|3 October 2020, 07:57");
        // A date chrono has to read (no offset digits) is written alike.
        let z = "{{ z | local_date(labels=labels) }}";
        assert_eq!(render_in(en, z), "3 October 2020");
    }

    #[test]
    fn the_vietnamese_local_date_is_date_vn() {
        let vi = include_str!("../../themes/tin-hoat-dong/labels.yaml");
        let t = "{{ d | local_date(labels=labels) }}={{ d | date_vn }};\
                 {{ d | local_datetime(labels=labels) }}={{ d | datetime_vn }}";
        let out = render_in(vi, t);
        let (a, b) = out.split_once(';').unwrap();
        for pair in [a, b] {
            let (x, y) = pair.trim().split_once('=').unwrap();
            assert_eq!(x, y);
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
