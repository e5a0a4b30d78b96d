//! English pages (`lang: en`): the English home at `/en/`, English labels and dates,
//! `hreflang` links between translations both ways, the language switch, Vietnamese pages
//! unchanged, and mistakes in `lang` and `translation_key` as errors naming file, line and
//! field.

mod common;

use common::{article, main_of, Site};

const CONFIG: &str = "title: Sở KH&CN\nbase_url: https://skhcn.example.gov.vn/\n\
    categories:\n  - name: Chung\n    slug: chung\nlanguages:\n  en:\n    title: Department of Science\n    \
    menu:\n      - {name: Home, url: /en/}\n      - {name: About, url: /en/about/}\n";

const ABOUT_VI: &str =
    "---\ntitle: Giới thiệu\nlayout: page\nslug: gioi-thieu\ntranslation_key: about\n---\nSở là cơ quan chuyên môn.\n";
const ABOUT_EN: &str =
    "---\ntitle: About the Department\nlayout: page\nlang: en\nslug: about\ntranslation_key: about\n---\nThe Department advises the province.\n";
const NEWS_EN: &str = "---\ntitle: Innovation week opens\ndate: 2020-10-13 07:57:32\nlang: en\n---\nForty start-ups came.\n";

fn vietnamese_files() -> Vec<(&'static str, String)> {
    vec![
        ("content/gioi-thieu.md", ABOUT_VI.to_string()),
        (
            "content/2020/hoi-nghi.md",
            article("Hội nghị", "2020-10-13 07:57:32", "Chung", "Nội dung."),
        ),
    ]
}

fn english_site() -> Site {
    let mut files = vietnamese_files();
    files.push(("config.yaml", CONFIG.to_string()));
    files.push(("content/en/about.md", ABOUT_EN.to_string()));
    files.push(("content/en/innovation-week.md", NEWS_EN.to_string()));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let site = Site::new(&files);
    site.build_ok();
    site
}

#[test]
fn the_english_home_lists_english_articles_with_english_labels_and_dates() {
    let site = english_site();
    let home = site.read("en/index.html");
    assert!(home.contains("<html lang=\"en\">"), "{home}");
    assert!(
        home.contains("<title>Department of Science</title>"),
        "{home}"
    );
    let main = main_of(&home);
    assert!(main.contains(">Latest news</h2>"), "{main}");
    assert!(main.contains("href=\"/en/innovation-week/\""), "{main}");
    assert!(main.contains(">13 October 2020</time>"), "{main}");
    // Only English articles: the Vietnamese one is on the Vietnamese home.
    assert!(!main.contains("Hội nghị"), "{main}");
    assert!(
        home.contains("<li><a href=\"/en/about/\">About</a></li>"),
        "{home}"
    );
    assert!(home.contains("Skip to main content"), "{home}");
    // No Vietnamese description on English pages: `languages.en` gives none here.
    assert!(
        home.contains("<meta name=\"description\" content=\"\">"),
        "{home}"
    );

    let news = site.read("en/innovation-week/index.html");
    assert!(news.contains("<html lang=\"en\">"));
    assert!(news.contains(">13 October 2020, 07:57</time>"), "{news}");
    assert!(
        news.contains("<li><a href=\"/en/\">Home</a></li>"),
        "{news}"
    );
    assert!(news.contains(">Other news</h2>"), "{news}");
}

#[test]
fn translations_link_to_each_other_both_ways_and_the_switch_goes_to_the_translation() {
    let site = english_site();
    let vi = site.read("gioi-thieu/index.html");
    let en = site.read("en/about/index.html");
    let pair = [
        "<link rel=\"alternate\" hreflang=\"vi\" href=\"https://skhcn.example.gov.vn/gioi-thieu/\">",
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://skhcn.example.gov.vn/en/about/\">",
    ];
    for page in [&vi, &en] {
        for link in pair {
            assert!(page.contains(link), "{link} missing in\n{page}");
        }
    }
    assert!(
        vi.contains("href=\"/en/about/\" lang=\"en\" hreflang=\"en\">English</a>"),
        "{vi}"
    );
    assert!(
        en.contains("href=\"/gioi-thieu/\" lang=\"vi\" hreflang=\"vi\">Tiếng Việt</a>"),
        "{en}"
    );
    assert!(en.contains("<html lang=\"en\">"));
    assert!(vi.contains("<html lang=\"vi\">"));
}

#[test]
fn a_page_without_translation_switches_to_the_other_home_and_has_no_hreflang() {
    let site = english_site();
    let vi = site.read("chung/hoi-nghi/index.html");
    assert!(
        vi.contains("href=\"/en/\" lang=\"en\" hreflang=\"en\">English</a>"),
        "{vi}"
    );
    assert!(!vi.contains("hreflang=\"vi\" href="), "{vi}");
    let en = site.read("en/innovation-week/index.html");
    assert!(
        en.contains("href=\"/\" lang=\"vi\" hreflang=\"vi\">Tiếng Việt</a>"),
        "{en}"
    );
}

#[test]
fn english_articles_stay_out_of_vietnamese_lists_and_feeds() {
    let site = english_site();
    for path in [
        "index.html",
        "chung/index.html",
        "rss.xml",
        "luu-tru/index.html",
    ] {
        let text = site.read(path);
        assert!(!text.contains("Innovation week"), "{path}");
    }
    assert!(site.read("chung/index.html").contains("Hội nghị"));
}

#[test]
fn vietnamese_pages_are_unchanged_by_an_english_translation() {
    let english = english_site();
    let files = vietnamese_files();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (*p, t.as_str()))
        .filter(|(p, _)| *p != "content/gioi-thieu.md")
        .chain([(
            "config.yaml",
            "title: Sở KH&CN\nbase_url: https://skhcn.example.gov.vn/\ncategories:\n  - name: Chung\n    slug: chung\n",
        )])
        .collect();
    let vietnamese = Site::new(&files);
    vietnamese.build_ok();
    let path = "chung/hoi-nghi/index.html";
    assert_eq!(
        main_of(&english.read(path)),
        main_of(&vietnamese.read(path))
    );
    let page = vietnamese.read(path);
    assert!(page.contains("13/10/2020 07:57:32"), "{page}");
    assert!(
        !page.contains("lang-switch"),
        "one language, no switch: {page}"
    );
}

#[test]
fn the_site_overrides_english_labels_under_labels_en() {
    let site = english_site();
    site.write(
        "config.yaml",
        &format!("{CONFIG}labels:\n  en:\n    latest: What is new\n"),
    );
    site.build_ok();
    assert!(site.read("en/index.html").contains(">What is new</h2>"));
    assert!(site.read("index.html").contains(">Tin mới nhất</h2>"));
}

#[test]
fn an_unknown_language_is_an_error_naming_file_line_and_field() {
    let site = english_site();
    site.write(
        "content/en/about.md",
        &ABOUT_EN.replace("lang: en", "lang: fr"),
    );
    let text = site.build_err().to_string();
    assert!(
        text.contains("content/en/about.md:4: field `lang`: `fr` is not a language of this site (languages: vi, en)"),
        "{text}"
    );
    // English written by a site that does not publish in English.
    let site = english_site();
    site.write("config.yaml", "categories:\n  - name: Chung\n");
    let text = site.build_err().to_string();
    assert!(
        text.contains("content/en/about.md:4: field `lang`"),
        "{text}"
    );
    assert!(text.contains("add `languages: {en: {}}`"), "{text}");
}

#[test]
fn a_translation_key_pointing_nowhere_is_an_error_naming_file_line_and_field() {
    let site = english_site();
    site.write(
        "content/en/about.md",
        &ABOUT_EN.replace("translation_key: about", "translation_key: abuot"),
    );
    let text = site.build_err().to_string();
    for file in ["content/en/about.md:6", "content/gioi-thieu.md:5"] {
        assert!(
            text.contains(&format!(
                "{file}: field `translation_key`: no page in another language"
            )),
            "{file}: {text}"
        );
    }
}

#[test]
fn a_site_written_in_english_gets_english_labels_and_vietnamese_pages_under_vi() {
    let site = Site::new(&[
        (
            "config.yaml",
            "title: Department\nlanguage: en\nlanguages:\n  vi:\n    title: Sở\n",
        ),
        ("content/about.md", &ABOUT_EN.replace("lang: en\n", "")),
        (
            "content/vi/gioi-thieu.md",
            &ABOUT_VI.replace("layout: page\n", "layout: page\nlang: vi\n"),
        ),
    ]);
    site.build_ok();
    let about = site.read("about/index.html");
    assert!(about.contains("<html lang=\"en\">"), "{about}");
    assert!(about.contains(">Home</a></li>"), "{about}");
    let vi = site.read("vi/gioi-thieu/index.html");
    assert!(vi.contains("<html lang=\"vi\">"), "{vi}");
    assert!(vi.contains(">Trang chủ</a></li>"), "{vi}");
    assert!(
        vi.contains("href=\"/about/\" lang=\"en\" hreflang=\"en\">English</a>"),
        "{vi}"
    );
}
