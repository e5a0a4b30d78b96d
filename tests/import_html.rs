//! End-to-end tests of `trangtin import --from-html DIR --rules rules.yaml`, through the
//! binary, on `tests/sites/old-portal/`: pages written in the shape of an old DNN portal
//! (breadcrumb, `13/10/2020 07:57:32`, author line, "Các bài khác") as wget saves them.
//! The import writes articles with their images and old addresses, reports each page it
//! left out, and the site it makes builds, its old addresses answered (query strings by
//! the servers' rules, plain paths by redirect pages).

mod common;

use common::{images, list_files, main_of, Site};
use std::path::Path;
use std::process::Output;

const CONFIG: &str = "title: Thử nghiệm\nbase_url: https://skhcn.example.gov.vn/\n\
categories:\n  - name: Chung\n  - name: \"Hoạt động khoa học và công nghệ\"\n";

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A new site with the fixture mirror in `mirror/` (one page saved with a literal `?`,
/// as wget does without `--restrict-file-names=windows`) and its photo.
fn site_with_mirror() -> Site {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sites/old-portal");
    copy_dir(&fixture.join("mirror"), &site.root().join("mirror"));
    std::fs::copy(fixture.join("rules.yaml"), site.root().join("rules.yaml")).unwrap();
    let mirror = site.root().join("mirror");
    std::fs::rename(
        mirror.join("Default.aspx@tabid=126&ItemID=12400.html"),
        mirror.join("Default.aspx?tabid=126&ItemID=12400"),
    )
    .unwrap();
    site.write_bytes(
        "mirror/Portals/0/Images/2020/10/Hoi nghi tong ket.jpg",
        &images::jpeg_with_exif(800, 600, false, 1),
    );
    site
}

fn import(site: &Site) -> Output {
    site.run(&["import", "--from-html", "mirror", "--rules", "rules.yaml"])
}

#[test]
fn an_old_portal_mirror_becomes_articles_that_build_with_their_old_addresses() {
    let site = site_with_mirror();
    let out = import(&site);
    assert!(out.status.success(), "{}", text(&out));
    let report = String::from_utf8_lossy(&out.stderr);

    // The report: one line per page.
    for expected in [
        "Default.aspx@tabid=125&ItemID=12345.html: imported as",
        "Default.aspx@tabid=125&ItemID=12350.html: not imported: no date",
        "Default.aspx@tabid=125.html: not imported: no body",
        "Default.aspx@tabid=130&ItemID=500.html: not imported: unknown category `Thông báo`",
        "    image Portals/0/Images/2020/11/khong-con.jpg: missing from the mirror",
        "3 article(s) imported, 3 page(s) left out.",
    ] {
        assert!(report.contains(expected), "no `{expected}` in:\n{report}");
    }
    // One note per image left out, not the converter's as well.
    assert!(!report.contains("was left out"), "{report}");

    let content = site.root().join("content");
    let article = std::fs::read_to_string(
        content.join("2020/10/hoi-nghi-tong-ket-nhiem-vu-khoa-hoc-va-cong-nghe-nam-2020.md"),
    )
    .unwrap();
    assert_eq!(
        article,
        "---\ntitle: \"Hội nghị tổng kết nhiệm vụ khoa học và công nghệ năm 2020\"\n\
         date: 2020-10-13 07:57:32\ncategory: \"Chung\"\nauthor: \"Nguyễn Thị Hoa\"\n\
         author_title: \"Phòng Quản lý khoa học\"\n\
         summary: \"Sáng 13/10, Sở Khoa học và Công nghệ tổ chức hội nghị tổng kết nhiệm vụ năm 2020.\"\n\
         image: \"hoi-nghi-tong-ket.jpg\"\nimage_caption: \"Quang cảnh hội nghị\"\naliases:\n\
         \x20 - \"/Default.aspx?tabid=125&ItemID=12345\"\n\
         \x20 - \"/Default.aspx?tabid=99&ItemID=12345\"\n---\n\n\
         Tham dự hội nghị có đại diện lãnh đạo **Ủy ban nhân dân tỉnh**, các sở, ngành và các huyện.\n\n\
         Năm 2020, Sở đã triển khai các nhiệm vụ:\n\n\
         - Đánh giá 12 đề tài cấp tỉnh;\n- Cấp 30 giấy chứng nhận.\n\n\
         | **Lĩnh vực** | **Số nhiệm vụ** |\n| --- | --- |\n| Nông nghiệp | 7 |\n| Y tế | 5 |\n"
    );
    assert!(content.join("2020/10/hoi-nghi-tong-ket.jpg").is_file());

    let second = std::fs::read_to_string(
        content.join("2020/11/nghiem-thu-de-tai-trong-thu-nghiem-cay-duoc-lieu.md"),
    )
    .unwrap();
    assert!(
        second.contains("category: \"Hoạt động khoa học và công nghệ\"\nauthor: \"Lê Văn Nam\"\n"),
        "{second}"
    );
    assert!(
        second.contains("aliases:\n  - \"/Default.aspx?tabid=126&ItemID=12400\"\n"),
        "{second}"
    );
    // Links to other imported articles lead to their files; others stay.
    assert!(
        second.contains(
            "[tin khoa học](/Default.aspx?tabid=126) và [kết quả năm 2020]\
             (../../2020/10/hoi-nghi-tong-ket-nhiem-vu-khoa-hoc-va-cong-nghe-nam-2020.md)"
        ),
        "{second}"
    );
    assert!(!second.contains("khong-con"), "{second}");

    let third = std::fs::read_to_string(
        content.join("2020/12/le-ky-ket-hop-tac-voi-truong-dai-hoc-son-lam.md"),
    )
    .unwrap();
    assert!(
        third.contains("category: \"Chung\"\naliases:\n  - \"/tin-tuc/le-ky-ket-hop-tac.aspx\"\n"),
        "{third}"
    );
    assert!(
        third.contains(
            "[hội nghị tổng kết năm 2020]\
             (../../2020/10/hoi-nghi-tong-ket-nhiem-vu-khoa-hoc-va-cong-nghe-nam-2020.md)"
        ),
        "{third}"
    );

    // The site builds; the article shows its body without the author line, the share
    // links or "Các bài khác".
    site.build_ok();
    let files = list_files(&site.public());
    let page = files
        .iter()
        .find(|f| {
            f.contains("hoi-nghi-tong-ket-nhiem-vu-khoa-hoc-va-cong-nghe-nam-2020")
                && f.ends_with(".html")
        })
        .unwrap_or_else(|| panic!("no article page in {files:?}"));
    let html = site.read(page);
    let main = main_of(&html);
    assert!(
        main.contains("<strong>Ủy ban nhân dân tỉnh</strong>"),
        "{main}"
    );
    assert!(main.contains("<table>"), "{main}");
    assert!(
        main.contains("<figcaption>Quang cảnh hội nghị</figcaption>"),
        "{main}"
    );
    assert!(main.contains("Nguyễn Thị Hoa"), "{main}");
    assert!(
        !main.contains("Gửi bài") && !main.contains("Tập huấn nghiệp vụ đo lường"),
        "{main}"
    );
    let url = format!("/{}", page.trim_end_matches("index.html"));

    // Old addresses with a query string are redirected by the servers' rules...
    let map = site.read("server/nginx-map.conf").to_lowercase();
    for old in [
        "/default.aspx?tabid=125&itemid=12345",
        "/default.aspx?tabid=99&itemid=12345",
    ] {
        assert!(
            map.lines()
                .any(|l| l.contains(old) && l.contains(&url.to_lowercase())),
            "no rule {old} → {url} in:\n{map}"
        );
    }
    assert!(
        site.read(".htaccess").contains("ItemID=12400"),
        "{}",
        site.read(".htaccess")
    );
    // ... a plain old path by a page of its own.
    let old_page = files
        .iter()
        .find(|f| f.starts_with("tin-tuc/le-ky-ket-hop-tac.aspx"))
        .unwrap_or_else(|| panic!("no redirect page in {files:?}"));
    assert!(
        site.read(old_page)
            .contains("le-ky-ket-hop-tac-voi-truong-dai-hoc-son-lam"),
        "{}",
        site.read(old_page)
    );
}

#[test]
fn importing_again_overwrites_nothing_and_fails_as_nothing_is_new() {
    let site = site_with_mirror();
    assert!(import(&site).status.success());
    let path = site
        .root()
        .join("content/2020/12/le-ky-ket-hop-tac-voi-truong-dai-hoc-son-lam.md");
    std::fs::write(&path, "sửa tay\n").unwrap();
    let again = import(&site);
    assert!(!again.status.success(), "{}", text(&again));
    let report = String::from_utf8_lossy(&again.stderr);
    assert!(
        report.contains("already exists (imported before?)"),
        "{report}"
    );
    assert!(report.contains("0 article(s) imported"), "{report}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "sửa tay\n");
}

#[test]
fn rules_with_a_bad_selector_stop_before_anything_is_written() {
    let site = site_with_mirror();
    site.write(
        "rules.yaml",
        &std::fs::read_to_string(site.root().join("rules.yaml"))
            .unwrap()
            .replace("body: \".news-detail .news-content\"", "body: \"div[\""),
    );
    let out = import(&site);
    assert!(!out.status.success());
    let message = text(&out);
    assert!(message.contains("rules.yaml:"), "{message}");
    assert!(message.contains("`body`"), "{message}");
    assert!(!site.root().join("content").exists());
}
