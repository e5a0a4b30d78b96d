//! Vietnamese date filters for templates: `13/10/2020 07:57:32`, `Thứ Ba, 13/10/2020`.

use chrono::{DateTime, Datelike, FixedOffset, Weekday};
use tera::{Kwargs, State, Tera, TeraResult};

/// Registers the date filters on a template engine.
pub fn register(tera: &mut Tera) {
    tera.register_filter("datetime_vn", |v: &str, _: Kwargs, _: &State| {
        format(v, |d| d.format("%d/%m/%Y %H:%M:%S").to_string())
    });
    tera.register_filter("date_vn", |v: &str, _: Kwargs, _: &State| {
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
    fn a_non_date_is_a_template_error() {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", "{{ 'x' | date_vn }}").unwrap();
        assert!(tera.render("t", &tera::Context::new()).is_err());
    }
}
