//! Blocks of the sidebar and the home page (links, text, banner, HTML, weather) and the menu's
//! dropdowns, built into real sites (see `src/widgets.rs`).

mod common;

use common::{article, attr_values, between, list_files, Site};

const PROVIDER: &str =
    "https://api.thoitiet.example/v1/forecast?latitude=16.75&current=temperature_2m";

/// A site with one block of each kind, a dropdown menu and the weather block `enabled`.
fn site(weather_enabled: bool) -> Site {
    let config = format!(
        r#"title: "Sở KH&CN"
base_url: "https://sokhcn.example.gov.vn/tin-tuc/"
categories:
  - name: "Tin tức"
menu:
  - {{ name: "Trang chủ", url: "/" }}
  - name: "Giới thiệu"
    url: "/gioi-thieu/"
    children:
      - {{ name: "Lãnh đạo Sở", url: "/gioi-thieu/#lanh-dao" }}
      - {{ name: "Cơ cấu tổ chức", url: "/gioi-thieu/#co-cau" }}
sidebar_blocks:
  - title: "Liên kết"
    links:
      - {{ name: "Cổng Dịch vụ công", url: "https://dichvucong.gov.vn/" }}
  - title: "Liên hệ"
    text: "Số 25 Trần Hưng Đạo"
  - title: "Thông báo"
    html: "<p class=\"note\">Lịch <strong>tiếp dân</strong></p><script>alert(1)</script>"
  - title: "Thời tiết"
    weather:
      enabled: {weather_enabled}
      url: "{PROVIDER}"
      place: "Quảng Trị"
      forecast_url: "/du-bao/"
home_blocks:
  - kind: banner
    image: /images/banner.jpg
    alt: "Dịch vụ công trực tuyến"
    url: "https://dichvucong.gov.vn/"
    width: 600
    height: 200
"#
    );
    let site = Site::new(&[
        ("config.yaml", &config),
        (
            "content/2026/11/tin.md",
            &article("Một tin", "2026-11-20 08:00", "Tin tức", "Nội dung.").replacen(
                "---\n",
                "---\nfeatured: true\n",
                1,
            ),
        ),
        (
            "content/gioi-thieu.md",
            "---\ntitle: Giới thiệu\nlayout: page\nslug: gioi-thieu\n---\nSở.\n",
        ),
    ]);
    site.photo("content/images/banner.jpg", 600, 200);
    site
}

/// Every text file of the output, by path.
fn texts(site: &Site) -> Vec<(String, String)> {
    list_files(&site.public())
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(site.public().join(&path)).ok()?;
            Some((path, text))
        })
        .collect()
}

#[test]
fn every_block_kind_renders_in_the_sidebar_and_on_the_home_page() {
    let site = site(true);
    site.build_ok();
    let home = site.read("index.html");
    let article = site.read("tin-tuc/tin/index.html");
    for page in [&home, &article] {
        let sidebar = between(page, "<aside class=\"sidebar\"", "</aside>");
        assert!(
            sidebar.contains("class=\"widget widget-links\""),
            "{sidebar}"
        );
        assert!(sidebar.contains("href=\"https://dichvucong.gov.vn/\">Cổng Dịch vụ công</a>"));
        assert!(sidebar.contains("<p class=\"widget-text\">Số 25 Trần Hưng Đạo</p>"));
        assert!(sidebar.contains("class=\"widget widget-html\""));
        assert!(sidebar.contains("class=\"widget widget-weather\""));
        assert!(sidebar.contains("<p class=\"weather-place\">Quảng Trị</p>"));
        assert!(
            sidebar.contains("href=\"/tin-tuc/du-bao/\">Xem dự báo"),
            "{sidebar}"
        );
    }
    // The banner is on the home page only, under the featured articles, with its link and alt.
    let widgets = between(&home, "<div class=\"home-widgets\">", "</section>");
    assert!(
        widgets.contains("<a class=\"banner\" href=\"https://dichvucong.gov.vn/\">"),
        "{widgets}"
    );
    assert!(widgets.contains(
        "<img src=\"/tin-tuc/images/banner.jpg\" alt=\"Dịch vụ công trực tuyến\" width=\"600\" height=\"200\""
    ));
    assert!(!article.contains("banner.jpg"));
    assert!(
        home.find("class=\"home-block featured\"").unwrap() < home.find("home-widgets").unwrap()
            && home.find("home-widgets").unwrap() < home.find("tin-moi-nhat").unwrap(),
        "the home blocks are not between the featured and the latest articles"
    );
    // A photo only a banner shows is published as it is (the photo step keeps it).
    assert!(site.exists("images/banner.jpg"));
}

#[test]
fn an_html_block_is_sanitized_and_what_was_removed_is_a_warning() {
    let site = site(false);
    let report = site.build_ok();
    let home = site.read("index.html");
    let block = between(&home, "<div class=\"widget-html\">", "</div>");
    assert_eq!(
        block,
        "<div class=\"widget-html\"><p class=\"note\">Lịch <strong>tiếp dân</strong></p></div>"
    );
    assert!(!home.contains("alert(1)"));
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    let about_block: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("sidebar_blocks[3].html"))
        .collect();
    assert!(
        about_block.iter().any(|w| w.contains("<script>")),
        "{warnings:#?}"
    );
    assert!(
        about_block
            .iter()
            .all(|w| w.starts_with("config.yaml:19: warning:")),
        "{about_block:#?}"
    );
    // The command prints it.
    let out = site.run(&["build"]);
    let printed =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("sidebar_blocks[3].html"), "{printed}");
}

#[test]
fn a_weather_block_that_is_off_leaves_no_trace_of_the_provider() {
    let site = site(false);
    site.build_ok();
    for (path, text) in texts(&site) {
        assert!(
            !text.contains("thoitiet.example"),
            "{path} names the provider"
        );
        assert!(
            !text.contains("data-weather=\""),
            "{path} has a weather block"
        );
    }
    assert!(!site.read("index.html").contains("Quảng Trị"));
}

#[test]
fn an_enabled_weather_block_names_the_provider_only_in_its_data_attribute() {
    let site = site(true);
    site.build_ok();
    let attribute = format!("data-weather=\"{}\"", PROVIDER.replace('&', "&amp;"));
    let mut pages = 0;
    for (path, text) in texts(&site) {
        let mentions = text.matches("thoitiet.example").count();
        if path.ends_with(".html") && text.contains("<aside class=\"sidebar\"") {
            pages += 1;
            assert_eq!(mentions, 1, "{path}");
            assert_eq!(text.matches(&attribute).count(), 1, "{path}: {attribute}");
            assert_eq!(attr_values(&text, "data-weather").len(), 1);
        } else {
            assert_eq!(mentions, 0, "{path} names the provider");
        }
    }
    assert!(pages >= 3, "only {pages} pages with a sidebar");
}

#[test]
fn a_menu_entry_with_children_is_a_disclosure_button_and_a_list() {
    let site = site(false);
    site.build_ok();
    let page = site.read("gioi-thieu/index.html");
    let nav = between(&page, "<nav class=\"main-nav\"", "</nav>");
    let entry = between(nav, "<li class=\"has-sub\">", "</ul>");
    assert!(
        entry.contains("<a href=\"/tin-tuc/gioi-thieu/\" aria-current=\"page\">Giới thiệu</a>"),
        "{entry}"
    );
    assert!(entry.contains(
        "<button type=\"button\" class=\"sub-toggle\" aria-expanded=\"false\" aria-controls=\"menu-con-2\" hidden>"
    ));
    assert!(entry.contains("<span class=\"visually-hidden\">Mục con của Giới thiệu</span>"));
    assert!(entry.contains("<ul class=\"submenu\" id=\"menu-con-2\">"));
    assert!(entry.contains("<li><a href=\"/tin-tuc/gioi-thieu/#lanh-dao\">Lãnh đạo Sở</a></li>"));
    assert!(entry.contains("<li><a href=\"/tin-tuc/gioi-thieu/#co-cau\">Cơ cấu tổ chức</a></li>"));
    // An entry without children stays a plain link.
    assert!(
        nav.contains("<li><a href=\"/tin-tuc/\">Trang chủ</a></li>"),
        "{nav}"
    );
}

#[test]
fn a_banner_whose_image_is_missing_stops_the_build_with_field_and_line() {
    let site = site(false);
    std::fs::remove_file(site.root().join("content/images/banner.jpg")).unwrap();
    let problem = common::only_problem(&site.build_err());
    assert_eq!(problem.file.to_string_lossy(), "config.yaml");
    assert_eq!(
        (problem.field.as_deref(), problem.line),
        (Some("home_blocks[1].image"), Some(28))
    );
    assert!(
        problem.message.contains("content/images/banner.jpg"),
        "{}",
        problem.message
    );
}
