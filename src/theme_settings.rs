//! `theme_settings:` in `config.yaml`: the primary and accent colours, a banner picture and a
//! font stack, checked (WCAG AA contrast of the text the theme puts on them) and turned into
//! the few CSS custom properties that `base.html` puts in a `<style>` after the theme's
//! stylesheet.
//!
//! The pairs of colours the `tin-hoat-dong` theme shows text in (read from its `style.css`):
//!
//! | colour | text | where |
//! |---|---|---|
//! | primary (`--blue`) | white on it | header band, footer, current page number, pressed toolbar button |
//! | primary | it on white and on light grey `#f2f5f9` | page and block titles, toolbar and "more" buttons (grey under the pointer) |
//! | primary, darker (`--blue-dark`) | white on it | menu bar, footer's last line (darker than primary: more contrast) |
//! | primary at 80 % over the banner | white on it | the header band, when a banner is set |
//! | accent (`--red`) | white on it | search buttons, current and hovered menu item |
//! | accent | it on white and on light grey | breadcrumb links, links under the pointer |
//!
//! Everything else is a border or a list marker, which WCAG's 4.5:1 does not concern. The
//! high-contrast mode (`html.hc`) keeps its own colours: the settings are emitted under
//! `:root:not(.hc)`, so they never apply while it is on.

use crate::colour::{ratio_text, Rgb, AA_NORMAL_TEXT, WHITE};
use crate::error::Problem;
use serde::Deserialize;
use std::fmt::Write as _;

/// The key in `config.yaml`.
pub const KEY: &str = "theme_settings";

/// The theme's own primary colour (`--blue` in `style.css`), under a banner when no primary
/// colour is set.
pub const THEME_PRIMARY: Rgb = Rgb::new(0x0b, 0x3a, 0x82);

/// The light grey the theme puts behind buttons under the pointer and text boxes (`--soft`).
const SOFT: Rgb = Rgb::new(0xf2, 0xf5, 0xf9);

/// How much darker the hover and menu shades are (`--blue-dark`, `--red-dark`), as in the
/// theme's own pairs (`#0b3a82` → `#072a60`).
const DARK: f64 = 0.75;

/// How opaque the primary colour is over the banner picture: enough for white text to keep
/// its contrast over the lightest picture (checked), while the picture still shows.
const BANNER_OPACITY: f64 = 0.8;

/// Picture types a banner may have.
const BANNER_TYPES: [&str; 7] = ["jpg", "jpeg", "png", "webp", "avif", "gif", "svg"];

/// `theme_settings:` as written; every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RawThemeSettings {
    primary: Option<String>,
    accent: Option<String>,
    banner: Option<String>,
    font: Option<String>,
}

/// The checked theme settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeSettings {
    /// Primary colour: header band, menu, footer, titles.
    pub primary: Option<Rgb>,
    /// Accent colour: the band's lower border, buttons, current menu item, breadcrumb.
    pub accent: Option<Rgb>,
    /// The header band's background picture.
    pub banner: Option<Banner>,
    /// The font stack of the whole site (`"Noto Sans", Arial, sans-serif`).
    pub font: Option<String>,
    /// The line of `banner:` in `config.yaml`, for the problem found later, when the site's
    /// files are known (no such file under `content/`).
    pub banner_line: Option<usize>,
}

/// The banner picture: a file under `content/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    /// As written in `config.yaml` (`/images/bang-ten.jpg`).
    pub written: String,
    /// Its path under `content/` (`images/bang-ten.jpg`), as [`crate::content::Asset`]
    /// names it.
    pub source: String,
    /// Its URL with the base path, percent-encoded.
    pub url: String,
}

impl ThemeSettings {
    /// Checks what `config.yaml` wrote. A problem names the field
    /// (`theme_settings.primary`); the caller pins it to its line.
    pub(crate) fn resolve(
        raw: RawThemeSettings,
        base_path: &str,
    ) -> std::result::Result<ThemeSettings, Problem> {
        let primary = colour("primary", raw.primary.as_deref())?;
        let accent = colour("accent", raw.accent.as_deref())?;
        let banner = raw
            .banner
            .as_deref()
            .map(|b| banner(b, base_path))
            .transpose()?;
        let font = raw.font.as_deref().map(font).transpose()?;
        if let Some(primary) = primary {
            let pairs = [
                (
                    WHITE,
                    "gives white text",
                    "on the header band, the menu and the footer",
                ),
                (
                    SOFT,
                    "as text on light grey (#f2f5f9)",
                    "in titles and buttons under the pointer",
                ),
            ];
            check_contrast("primary", primary, &pairs, banner.is_some())?;
        }
        if let Some(accent) = accent {
            check_contrast(
                "accent",
                accent,
                &[
                    (
                        WHITE,
                        "gives white text",
                        "on the search button and the current menu item",
                    ),
                    (
                        SOFT,
                        "as text on light grey (#f2f5f9)",
                        "in breadcrumb links and links under the pointer",
                    ),
                ],
                false,
            )?;
        }
        if banner.is_some() && primary.is_none() {
            // The theme's own blue passes; the check is here so that a change of it cannot
            // silently make the band unreadable.
            check_contrast("banner", THEME_PRIMARY, &[], true)?;
        }
        Ok(ThemeSettings {
            primary,
            accent,
            banner,
            font,
            banner_line: None,
        })
    }

    /// The CSS that applies the settings, or `None` when none is set (the page then has no
    /// `<style>` at all). Every value in it was checked or built here: colours are hex,
    /// the font stack has no character that could end a declaration, the banner's URL is
    /// percent-encoded inside a quoted string.
    pub fn css(&self) -> Option<String> {
        let mut colours = String::new();
        if let Some(p) = self.primary {
            let _ = write!(colours, "--blue:{p};--blue-dark:{};", p.darken(DARK));
        }
        if let Some(a) = self.accent {
            let _ = write!(colours, "--red:{a};--red-dark:{};", a.darken(DARK));
        }
        let mut css = String::new();
        if !colours.is_empty() {
            // `html.hc` (high contrast) sets these too; `:not(.hc)` keeps its values winning.
            let _ = write!(css, ":root:not(.hc){{{}}}", colours.trim_end_matches(';'));
        }
        if let Some(font) = &self.font {
            let _ = write!(css, ":root{{--font:{font}}}");
        }
        if let Some(banner) = &self.banner {
            let veil = self.primary.unwrap_or(THEME_PRIMARY);
            let veil = format!("rgba({},{},{},{BANNER_OPACITY})", veil.r, veil.g, veil.b);
            let _ = write!(
                css,
                ":root:not(.hc) .header-band{{background:linear-gradient({veil},{veil}),\
                 url(\"{}\") center/cover no-repeat,var(--blue)}}",
                css_string(&banner.url)
            );
        }
        (!css.is_empty()).then_some(css)
    }
}

fn problem(field: &str, message: String) -> Problem {
    Problem::error(crate::config::CONFIG_FILE, message).in_field(format!("{KEY}.{field}"))
}

fn colour(field: &str, value: Option<&str>) -> std::result::Result<Option<Rgb>, Problem> {
    let Some(value) = value else { return Ok(None) };
    Rgb::parse(value).map(Some).ok_or_else(|| {
        problem(
            field,
            format!(
                "`{value}` is not a colour; write it as #rrggbb or #rgb, such as \"#0b3a82\" \
                 (in quotes: YAML reads an unquoted # as a comment)"
            ),
        )
    })
}

/// Fails when `colour` gives any pair less than WCAG AA's 4.5:1.
fn check_contrast(
    field: &str,
    colour: Rgb,
    pairs: &[(Rgb, &str, &str)],
    under_banner: bool,
) -> std::result::Result<(), Problem> {
    // Under the banner, the colour is a veil at 80% over the picture: at worst over white.
    let veiled = (
        colour.over(WHITE, BANNER_OPACITY),
        WHITE,
        "gives white text",
        "over the banner (the colour at 80% over the picture's lightest part)",
    );
    let checks = pairs
        .iter()
        .map(|&(other, what, place)| (colour, other, what, place))
        .chain(under_banner.then_some(veiled));
    for (shown, other, what, place) in checks {
        let ratio = shown.contrast(other);
        if ratio < AA_NORMAL_TEXT {
            return Err(problem(
                field,
                format!(
                    "{colour} {what} a contrast of {} {place}, WCAG AA needs 4.5:1; pick a \
                     darker colour",
                    ratio_text(ratio)
                ),
            ));
        }
    }
    Ok(())
}

fn banner(written: &str, base_path: &str) -> std::result::Result<Banner, Problem> {
    let written = written.trim();
    let source = written.strip_prefix('/').unwrap_or(written);
    let bad = |why: &str| problem("banner", format!("`{written}` {why}"));
    if written.contains("://") || written.starts_with("//") {
        return Err(bad(
            "is on another site; put the picture under content/ (content/images/bang-ten.jpg) \
             and write /images/bang-ten.jpg",
        ));
    }
    if source.is_empty()
        || source
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        || source.contains(['\\', '?', '#'])
    {
        return Err(bad(
            "is not a file's path under content/, such as /images/bang-ten.jpg",
        ));
    }
    let extension = source
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !BANNER_TYPES.contains(&extension.as_str()) {
        return Err(bad(&format!(
            "is not a picture ({})",
            BANNER_TYPES.join(", ")
        )));
    }
    let encoded: String = percent_encoding::utf8_percent_encode(source, URL_PATH).to_string();
    Ok(Banner {
        written: written.to_string(),
        source: source.to_string(),
        url: format!("{base_path}{encoded}"),
    })
}

/// What a URL path cannot hold as it is (and what a CSS string would have to escape).
const URL_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

/// A text for inside a double-quoted CSS string in a `<style>` element: quotes, backslashes,
/// line breaks and `<` (which could start `</style>`) escaped.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '\n' | '\r' | '\u{c}' => {
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A font stack: family names, quoted or not, separated by commas. Only letters, digits,
/// spaces, quotes and `, - _ .` may appear, and quotes must close, so the value cannot end
/// its declaration or the `<style>` element.
fn font(value: &str) -> std::result::Result<String, Problem> {
    let value = value.trim();
    let bad = |why: String| {
        problem(
            "font",
            format!("{why}; write family names separated by commas, such as \"Noto Sans\", Arial, sans-serif"),
        )
    };
    if value.is_empty() {
        return Err(bad("is empty".into()));
    }
    if value.chars().count() > 300 {
        return Err(bad("is longer than 300 characters".into()));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| !(c.is_alphanumeric() || matches!(c, ' ' | ',' | '-' | '_' | '.' | '"' | '\'')))
    {
        return Err(bad(format!(
            "`{value}` holds `{c}`, which a font name cannot"
        )));
    }
    let mut open: Option<char> = None;
    for c in value.chars() {
        match (open, c) {
            (None, '"' | '\'') => open = Some(c),
            (Some(q), c) if c == q => open = None,
            _ => {}
        }
    }
    if open.is_some() {
        return Err(bad(format!("`{value}` has a quote that does not close")));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(
        primary: Option<&str>,
        accent: Option<&str>,
        banner: Option<&str>,
        font: Option<&str>,
    ) -> std::result::Result<ThemeSettings, Problem> {
        let raw = RawThemeSettings {
            primary: primary.map(Into::into),
            accent: accent.map(Into::into),
            banner: banner.map(Into::into),
            font: font.map(Into::into),
        };
        ThemeSettings::resolve(raw, "/tin/")
    }

    #[test]
    fn nothing_set_gives_no_css() {
        assert_eq!(settings(None, None, None, None).unwrap().css(), None);
    }

    #[test]
    fn colours_become_custom_properties_that_high_contrast_overrides() {
        let s = settings(Some("#1a5c2e"), Some("#b3261e"), None, None).unwrap();
        let css = s.css().unwrap();
        assert_eq!(
            css,
            ":root:not(.hc){--blue:#1a5c2e;--blue-dark:#144523;--red:#b3261e;--red-dark:#861d17}"
        );
    }

    #[test]
    fn the_theme_s_own_colours_pass() {
        assert!(settings(Some("#0b3a82"), Some("#a11d21"), Some("/a.jpg"), None).is_ok());
    }

    #[test]
    fn a_light_primary_fails_naming_the_setting_the_ratio_and_the_place() {
        let p = settings(Some("#7fb2e5"), None, None, None).unwrap_err();
        assert_eq!(p.field.as_deref(), Some("theme_settings.primary"));
        assert_eq!(
            p.message,
            "#7fb2e5 gives white text a contrast of 2.23:1 on the header band, the menu and \
             the footer, WCAG AA needs 4.5:1; pick a darker colour"
        );
    }

    #[test]
    fn a_colour_that_passes_on_white_but_not_on_light_grey_fails() {
        // #767676: 4.54:1 on white, 4.14:1 on #f2f5f9.
        let p = settings(None, Some("#767676"), None, None).unwrap_err();
        assert_eq!(p.field.as_deref(), Some("theme_settings.accent"));
        assert!(
            p.message.contains("light grey") && p.message.contains("4.1"),
            "{}",
            p.message
        );
    }

    #[test]
    fn a_banner_asks_more_of_the_primary_colour() {
        // Passes alone, fails once 20% of a white picture shows through it.
        let primary = "#2d5b94";
        assert!(settings(Some(primary), None, None, None).is_ok());
        let p = settings(Some(primary), None, Some("/images/b.jpg"), None).unwrap_err();
        assert!(p.message.contains("over the banner"), "{}", p.message);
    }

    #[test]
    fn bad_colours_name_the_field() {
        for bad in ["0b3a82", "blue", "#12345"] {
            let p = settings(Some(bad), None, None, None).unwrap_err();
            assert_eq!(p.field.as_deref(), Some("theme_settings.primary"), "{bad}");
            assert!(p.message.contains("#rrggbb"), "{}", p.message);
        }
    }

    #[test]
    fn the_banner_is_a_picture_under_content_with_the_base_path() {
        let s = settings(None, None, Some("/images/băng tên.jpg"), None).unwrap();
        let banner = s.banner.clone().unwrap();
        assert_eq!(banner.source, "images/băng tên.jpg");
        assert_eq!(banner.url, "/tin/images/b%C4%83ng%20t%C3%AAn.jpg");
        let css = s.css().unwrap();
        assert!(
            css.contains("url(\"/tin/images/b%C4%83ng%20t%C3%AAn.jpg\")"),
            "{css}"
        );
        assert!(css.starts_with(":root:not(.hc) .header-band{"), "{css}");
        assert!(css.contains("rgba(11,58,130,0.8)"), "{css}");
        for bad in [
            "https://x.vn/a.jpg",
            "/images/../a.jpg",
            "/images/a.pdf",
            "",
            "/a.jpg?x",
        ] {
            let p = settings(None, None, Some(bad), None).unwrap_err();
            assert_eq!(p.field.as_deref(), Some("theme_settings.banner"), "{bad}");
        }
    }

    #[test]
    fn fonts_cannot_break_out_of_the_declaration() {
        let s = settings(
            None,
            None,
            None,
            Some("\"Noto Serif\", 'Times New Roman', serif"),
        )
        .unwrap();
        assert_eq!(
            s.css().unwrap(),
            ":root{--font:\"Noto Serif\", 'Times New Roman', serif}"
        );
        for bad in [
            "Arial; color: red",
            "Arial}body{display:none",
            "</style><script>",
            "\"Arial",
            "url(x)",
            "a\\62",
            "",
        ] {
            let p = settings(None, None, None, Some(bad)).unwrap_err();
            assert_eq!(p.field.as_deref(), Some("theme_settings.font"), "{bad}");
        }
    }

    #[test]
    fn css_strings_escape_what_could_end_them() {
        assert_eq!(
            css_string("a\"b\\c</style>"),
            "a\\22 b\\5c c\\3c /style\\3e "
        );
    }
}
