//! URL slugs from Vietnamese text: `Đổi mới: “sáng tạo” & phát triển` → `doi-moi-sang-tao-phat-trien`.

use super::fold_diacritics;

/// Turns text into a URL slug: diacritics removed, `đ` → `d`, lowercase, every run of other
/// characters → one `-`, no `-` at either end. Letters of other scripts are kept.
pub fn slugify(text: &str) -> String {
    let folded = fold_diacritics(text);
    let mut slug = String::with_capacity(folded.len());
    let mut pending_dash = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_vietnamese_titles() {
        assert_eq!(slugify("Đổi mới sáng tạo"), "doi-moi-sang-tao");
        assert_eq!(
            slugify("Đổi mới: “sáng tạo” & phát triển"),
            "doi-moi-sang-tao-phat-trien"
        );
        assert_eq!(
            slugify("Tiêu chuẩn - Đo lường - Chất lượng"),
            "tieu-chuan-do-luong-chat-luong"
        );
        assert_eq!(slugify("Thông tin KH&CN"), "thong-tin-kh-cn");
    }

    #[test]
    fn trims_and_collapses_separators() {
        assert_eq!(slugify("  --Hội nghị   2024!!  "), "hoi-nghi-2024");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn nfd_and_nfc_give_the_same_slug() {
        use unicode_normalization::UnicodeNormalization;
        let nfd: String = "Ứng dụng công nghệ".nfd().collect();
        assert_eq!(slugify(&nfd), slugify("Ứng dụng công nghệ"));
        assert_eq!(slugify(&nfd), "ung-dung-cong-nghe");
    }
}
