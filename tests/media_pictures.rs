//! Photos as published: every image an article shows is processed (upright, without its
//! EXIF block, in a few widths as WebP and JPEG) and shown through `<picture>`; the
//! original is published only when an article links to it; unsupported and damaged images
//! stop `check` and `build` with the article's file and line; a rebuild reuses the cache.

mod common;

use common::{attr_values, images, list_files, main_of, only_problem, problems, Site};
use std::time::SystemTime;

const CONFIG: &str = "title: Tin\nbase_url: https://skhcn.example.gov.vn/tin-tuc/\n\
                      categories:\n  - name: Chung\n";

fn article_with(front: &str, body: &str) -> String {
    format!("---\ntitle: Hội nghị\ndate: 2024-03-02 08:00\ncategory: Chung\n{front}---\n{body}")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A site whose article has a 2000×1500 phone photo (EXIF orientation 6: upright it is
/// 1500×2000) as its featured image and a 1000×750 one in its body.
fn site_with_photos() -> Site {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with(
                "image: \"Ảnh bìa.jpg\"\n",
                "Mở đầu.\n\n![Quang cảnh hội nghị](Quang cảnh.jpg)\n\nKết thúc.\n",
            ),
        ),
    ]);
    site.write_bytes(
        "content/2024/03/Ảnh bìa.jpg",
        &images::jpeg_with_exif(2000, 1500, false, 6),
    );
    site.photo("content/2024/03/Quang cảnh.jpg", 1000, 750);
    site
}

#[test]
fn photos_are_published_upright_in_each_width_without_exif_or_the_original() {
    let site = site_with_photos();
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    let photos: Vec<String> = list_files(&site.public())
        .into_iter()
        .filter(|f| f.starts_with("2024/03/"))
        .collect();
    assert_eq!(
        photos,
        [
            "2024/03/anh-bia.440.jpg",
            "2024/03/anh-bia.440.webp",
            "2024/03/anh-bia.840.jpg",
            "2024/03/anh-bia.840.webp",
            "2024/03/quang-canh.440.jpg",
            "2024/03/quang-canh.440.webp",
            "2024/03/quang-canh.840.jpg",
            "2024/03/quang-canh.840.webp",
        ],
        "1680 is wider than both photos; the originals are not published"
    );
    for file in &photos {
        let bytes = std::fs::read(site.public().join(file)).unwrap();
        assert!(!contains(&bytes, b"Exif"), "{file} has no EXIF block");
        assert!(
            !contains(&bytes, b"II*\0"),
            "{file} has no TIFF (GPS) block"
        );
    }
    let upright = image::open(site.public().join("2024/03/anh-bia.440.jpg")).unwrap();
    assert_eq!((upright.width(), upright.height()), (440, 587));

    let html = site.read("chung/hoi-nghi/index.html");
    let main = main_of(&html);
    assert!(
        main.contains(
            "<picture><source type=\"image/webp\" srcset=\"/tin-tuc/2024/03/anh-bia.440.webp 440w, \
             /tin-tuc/2024/03/anh-bia.840.webp 840w\""
        ),
        "{main}"
    );
    assert!(
        main.contains(
            "<img src=\"/tin-tuc/2024/03/anh-bia.840.jpg\" srcset=\"/tin-tuc/2024/03/anh-bia.440.jpg \
             440w, /tin-tuc/2024/03/anh-bia.840.jpg 840w\""
        ),
        "{main}"
    );
    assert!(
        main.contains("width=\"840\" height=\"1120\" decoding=\"async\"></picture>"),
        "the featured image is not lazy and has its shape:\n{main}"
    );
    let body = common::between(main, "<div class=\"article-body\">", "</div>");
    assert!(
        body.contains(
            "<img src=\"/tin-tuc/2024/03/quang-canh.840.jpg\" srcset=\"/tin-tuc/2024/03/quang-canh.440.jpg \
             440w, /tin-tuc/2024/03/quang-canh.840.jpg 840w\" sizes=\""
        ),
        "{body}"
    );
    assert!(
        body.contains(
            "width=\"840\" height=\"630\" loading=\"lazy\" decoding=\"async\" \
             alt=\"Quang cảnh hội nghị\"></picture>"
        ),
        "{body}"
    );
    assert!(
        html.contains(
            "<meta property=\"og:image\" content=\"https://skhcn.example.gov.vn/tin-tuc/2024/03/anh-bia.840.jpg\">"
        ),
        "og:image is the widest JPEG, absolute:\n{html}"
    );
    // Lists show the thumbnail widths too, sized for their column.
    let home = site.read("index.html");
    assert!(
        home.contains("srcset=\"/tin-tuc/2024/03/anh-bia.440.webp 440w, /tin-tuc/2024/03/anh-bia.840.webp 840w\""),
        "{home}"
    );
    for url in attr_values(&home, "src") {
        assert!(
            !url.ends_with("bia.jpg"),
            "no page links the original: {url}"
        );
    }
}

#[test]
fn a_rebuild_with_the_same_photos_does_no_image_work() {
    let site = site_with_photos();
    site.build_ok();
    let cache = site.root().join(".trangtin-cache/images");
    let entries = |_: ()| -> Vec<(String, SystemTime)> {
        list_files(&cache)
            .into_iter()
            .map(|f| {
                let modified = std::fs::metadata(cache.join(&f))
                    .unwrap()
                    .modified()
                    .unwrap();
                (f, modified)
            })
            .collect()
    };
    let before = entries(());
    assert!(before.len() >= 8, "{before:?}");
    site.write(
        "content/2024/03/hoi-nghi.md",
        &article_with(
            "image: \"Ảnh bìa.jpg\"\n",
            "Mở đầu đã sửa.\n\n![Quang cảnh hội nghị](Quang cảnh.jpg)\n",
        ),
    );
    site.build_ok();
    assert_eq!(
        entries(()),
        before,
        "nothing in the cache was written again"
    );
    assert!(site
        .read("chung/hoi-nghi/index.html")
        .contains("Mở đầu đã sửa."));
    assert!(site.exists("2024/03/quang-canh.840.webp"));

    // An edited photo is processed again.
    site.photo("content/2024/03/Quang cảnh.jpg", 600, 600);
    site.build_ok();
    assert!(
        !site.exists("2024/03/quang-canh.840.webp"),
        "600 px wide: one width"
    );
    let edited = image::open(site.public().join("2024/03/quang-canh.440.jpg")).unwrap();
    assert_eq!((edited.width(), edited.height()), (440, 440));
}

#[test]
fn a_plain_link_publishes_the_original_and_a_gallery_opens_the_widest_file() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with(
                "",
                "Ảnh:\n\n![Một](mot.jpg) ![Hai](hai.jpg)\n\n[Tải ảnh gốc](mot.jpg)\n",
            ),
        ),
    ]);
    site.photo("content/2024/03/mot.jpg", 1000, 750);
    site.photo("content/2024/03/hai.jpg", 1000, 750);
    site.build_ok();
    assert!(site.exists("2024/03/mot.jpg"), "linked, so published");
    assert!(
        !site.exists("2024/03/hai.jpg"),
        "only shown, so not published"
    );
    let html = site.read("chung/hoi-nghi/index.html");
    let body = common::between(&html, "<div class=\"article-body\">", "</div>\n  </div>");
    assert!(
        body.contains("<figure><a href=\"/tin-tuc/2024/03/hai.840.jpg\"><picture>"),
        "{body}"
    );
    assert!(
        body.contains("sizes=\"(max-width: 599px) 100vw, 220px\""),
        "{body}"
    );
    assert!(
        body.contains("<a href=\"/tin-tuc/2024/03/mot.jpg\">Tải ảnh gốc</a>"),
        "{body}"
    );
}

#[test]
fn a_heic_photo_fails_check_and_build_at_the_line_that_shows_it() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with("", "Mở đầu.\n\n![Ảnh](IMG_0001.HEIC)\n"),
        ),
    ]);
    site.write_bytes("content/2024/03/IMG_0001.HEIC", &images::heic_header());
    let problem = only_problem(&site.build_err());
    assert_eq!(
        problem.to_string(),
        "content/2024/03/hoi-nghi.md:8: image content/2024/03/IMG_0001.HEIC: HEIC images are not \
         supported; save it as JPEG, PNG or WebP"
    );
    assert!(!site.public().exists(), "nothing is published");
    let check = trangtin::check::check(&site.options());
    let lines: Vec<String> = check.problems.iter().map(ToString::to_string).collect();
    assert_eq!(lines, [problem.to_string()]);
}

#[test]
fn a_damaged_featured_photo_fails_at_its_field_and_keeps_the_last_site() {
    let site = site_with_photos();
    site.build_ok();
    let published = site.read("chung/hoi-nghi/index.html");
    let photo = images::jpeg_with_exif(800, 600, false, 1);
    site.write_bytes("content/2024/03/Ảnh bìa.jpg", &photo[..photo.len() / 2]);
    let err = site.build_err();
    let found = problems(&err);
    assert_eq!(found.len(), 1, "{err}");
    let problem = &found[0];
    assert_eq!(problem.field.as_deref(), Some("image"));
    assert_eq!(problem.line, Some(5));
    assert!(
        problem
            .to_string()
            .starts_with("content/2024/03/hoi-nghi.md:5: field `image`: image content/2024/03/Ảnh bìa.jpg: the image cannot be read"),
        "{problem}"
    );
    assert_eq!(site.read("chung/hoi-nghi/index.html"), published);
}

#[test]
fn oversized_photos_get_a_warning_and_gif_and_svg_are_published_as_they_are() {
    let site = Site::new(&[
        (
            "config.yaml",
            &format!("{CONFIG}images: {{warn_megabytes: 0}}\n"),
        ),
        (
            "content/2024/03/hoi-nghi.md",
            &article_with(
                "",
                "![Ảnh](anh.jpg)\n\n![Động](dong.gif)\n\n![Sơ đồ](so-do.svg)\n",
            ),
        ),
        (
            "content/2024/03/so-do.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        ("content/2024/03/dong.gif", "GIF89a"),
    ]);
    site.photo("content/2024/03/anh.jpg", 100, 75);
    let report = site.build_ok();
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .starts_with("content/2024/03/hoi-nghi.md:6: warning: image content/2024/03/anh.jpg: "),
        "{warnings:?}"
    );
    assert!(site.exists("2024/03/dong.gif") && site.exists("2024/03/so-do.svg"));
    let html = site.read("chung/hoi-nghi/index.html");
    assert!(
        html.contains("<img src=\"/tin-tuc/2024/03/dong.gif\""),
        "{html}"
    );
}

#[test]
fn a_photo_no_published_article_shows_or_links_is_not_published() {
    let site = Site::new(&[
        ("config.yaml", CONFIG),
        (
            "content/2024/03/nhap.md",
            "---\ntitle: Nháp\ndate: 2024-03-02\ncategory: Chung\ndraft: true\nimage: anh-nhap.jpg\n---\nx\n",
        ),
        ("content/2024/03/hoi-nghi.md", &article_with("", "Không có ảnh.\n")),
    ]);
    site.photo("content/2024/03/anh-nhap.jpg", 100, 75);
    site.photo("content/images/con-lai.jpg", 100, 75);
    site.build_ok();
    let photos: Vec<String> = list_files(&site.public())
        .into_iter()
        .filter(|f| f.ends_with(".jpg") || f.ends_with(".webp"))
        .collect();
    assert!(photos.is_empty(), "{photos:?}");
}
