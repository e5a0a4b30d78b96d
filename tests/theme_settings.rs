//! `theme_settings:` (colours, banner, font) on a site made by `trangtin init --with-theme`:
//! it builds after each setting, the values reach every page's `<style>`, and a colour too
//! light for white text stops the build with the setting's line, leaving `public/` as it was.

mod common;

use common::{snapshot, Site};

/// A site from `trangtin init --with-theme`, built once as it came.
fn init_site() -> Site {
    let site = Site::new(&[]);
    let out = site.run(&["init", ".", "--with-theme"]);
    assert!(out.status.success(), "{out:?}");
    assert!(site
        .root()
        .join("themes/tin-hoat-dong/templates/base.html")
        .is_file());
    site.build_ok();
    site
}

fn config(site: &Site) -> String {
    std::fs::read_to_string(site.root().join("config.yaml")).unwrap()
}

/// The `<style>` of the theme settings on the home page, if any.
fn style_of(site: &Site) -> Option<String> {
    let html = site.read("index.html");
    let start = html.find("<style>")? + "<style>".len();
    let end = html[start..].find("</style>")? + start;
    Some(html[start..end].to_string())
}

#[test]
fn an_init_site_builds_after_each_theme_setting() {
    let site = init_site();
    assert_eq!(style_of(&site), None, "no settings, no <style>");
    let base = config(&site);

    let colours =
        format!("{base}\ntheme_settings:\n  primary: \"#1a5c2e\"\n  accent: \"#b3261e\"\n");
    site.write("config.yaml", &colours);
    site.build_ok();
    let style = style_of(&site).unwrap();
    assert_eq!(
        style,
        ":root:not(.hc){--blue:#1a5c2e;--blue-dark:#144523;--red:#b3261e;--red-dark:#861d17}"
    );
    // The <style> comes after the theme's stylesheet, so its values win (outside high contrast).
    let html = site.read("index.html");
    assert!(html.find("css/style.css").unwrap() < html.find("<style>").unwrap());

    site.photo("content/images/bang-ten.jpg", 1200, 200);
    let banner = format!("{colours}  banner: /images/bang-ten.jpg\n");
    site.write("config.yaml", &banner);
    site.build_ok();
    let style = style_of(&site).unwrap();
    assert!(
        style.contains(
            ":root:not(.hc) .header-band{background:linear-gradient(rgba(26,92,46,0.8),\
             rgba(26,92,46,0.8)),url(\"/images/bang-ten.jpg\") center/cover no-repeat,var(--blue)}"
        ),
        "{style}"
    );
    // Only the stylesheet links the picture; it is published all the same.
    assert!(site.exists("images/bang-ten.jpg"));

    let font = format!("{banner}  font: '\"Noto Serif\", Georgia, serif'\n");
    site.write("config.yaml", &font);
    site.build_ok();
    let style = style_of(&site).unwrap();
    assert!(
        style.contains(":root{--font:\"Noto Serif\", Georgia, serif}"),
        "{style}"
    );
    // Every page has it, not only the home page.
    assert!(site.read("404.html").contains("--font:\"Noto Serif\""));
}

#[test]
fn a_primary_colour_too_light_for_white_text_stops_the_build_and_keeps_public() {
    let site = init_site();
    let before = snapshot(&site.public());
    let base = config(&site);
    let line = base.lines().count() + 4;
    site.write(
        "config.yaml",
        &format!("{base}\ntheme_settings:\n  accent: \"#a11d21\"\n  primary: \"#7fb2e5\"\n"),
    );
    let err = site.build_err();
    assert_eq!(
        err.to_string().lines().next().unwrap(),
        format!(
            "config.yaml:{line}: field `theme_settings.primary`: #7fb2e5 gives white text a \
             contrast of 2.23:1 on the header band, the menu and the footer, WCAG AA needs \
             4.5:1; pick a darker colour"
        )
    );
    assert_eq!(snapshot(&site.public()), before, "public/ changed");
    // `check` says the same.
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains(&format!(
            "config.yaml:{line}: field `theme_settings.primary`"
        )),
        "{said}"
    );
}

#[test]
fn a_missing_banner_and_a_bad_colour_name_their_setting_and_line() {
    let site = init_site();
    let base = config(&site);
    let first = base.lines().count() + 3;
    site.write(
        "config.yaml",
        &format!("{base}\ntheme_settings:\n  banner: /images/khong-co.jpg\n"),
    );
    let err = site.build_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "config.yaml:{first}: field `theme_settings.banner`: the banner \
             `/images/khong-co.jpg` is not there: put the picture at content/images/khong-co.jpg"
        )),
        "{text}"
    );
    site.write(
        "config.yaml",
        &format!("{base}\ntheme_settings:\n  font: Arial\n  primary: xanh\n"),
    );
    let text = site.build_err().to_string();
    assert!(
        text.contains(&format!(
            "config.yaml:{}: field `theme_settings.primary`: `xanh` is not a colour",
            first + 1
        )),
        "{text}"
    );
}
