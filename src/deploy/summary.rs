//! Numbers and sizes as a Vietnamese reader writes them: `13.250` (a dot between thousands),
//! `1,2 MB` (a decimal comma).

/// `13250` → `13.250`.
pub(crate) fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// A size in bytes with one decimal in the largest unit under which it is at least 1
/// (units of 1000): `850 B`, `12,5 KB`, `1,2 MB`, `3,0 GB`.
pub(crate) fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit]).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands_with_dots() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1.000");
        assert_eq!(count(13250), "13.250");
        assert_eq!(count(1_234_567), "1.234.567");
    }

    #[test]
    fn sizes_have_a_decimal_comma() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1000), "1,0 KB");
        assert_eq!(size(12_500), "12,5 KB");
        assert_eq!(size(1_200_000), "1,2 MB");
        assert_eq!(size(999_990), "1,0 MB");
        assert_eq!(size(3_000_000_000), "3,0 GB");
    }
}
