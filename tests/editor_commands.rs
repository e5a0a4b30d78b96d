//! End-to-end tests of the editors' commands `new`, `init` and `check`, through the binary.

use std::path::Path;
use std::process::{Command, Output};

fn trangtin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trangtin"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn write(root: &Path, path: &str, content: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, content).unwrap();
}

const CONFIG: &str = "title: Thử nghiệm\ndefault_author: \"Văn phòng Sở\"\n\
categories:\n  - name: Chung\n  - name: \"Hoạt động khoa học và công nghệ\"\n";

#[test]
fn new_creates_an_article_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "config.yaml", CONFIG);
    let root_arg = root.to_str().unwrap();
    let title = "Hội nghị: \"tổng kết\" năm 2024 # 1";
    let first = trangtin(&[
        "new",
        title,
        "--category",
        "chung",
        "--tags",
        "khoa học, đo lường",
        "--root",
        root_arg,
    ]);
    assert!(first.status.success(), "{}", text(&first));
    let printed = String::from_utf8_lossy(&first.stdout).trim().to_string();
    let path = Path::new(&printed);
    assert!(path.is_file(), "{printed}");
    let name = path.file_name().unwrap().to_string_lossy();
    assert_eq!(name, "hoi-nghi-tong-ket-nam-2024-1.md");
    let folder = path.parent().unwrap();
    let month = folder.file_name().unwrap().to_string_lossy().to_string();
    let year = folder
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert_eq!((year.len(), month.len()), (4, 2));
    let written = std::fs::read_to_string(path).unwrap();
    assert!(written.contains("category: \"Chung\""), "{written}");
    assert!(written.contains("author: \"Văn phòng Sở\""), "{written}");
    assert!(
        written.contains("tags: [\"khoa học\", \"đo lường\"]"),
        "{written}"
    );
    assert!(written.contains("summary: \"\""), "{written}");

    // The new article builds, with its title intact.
    let options = trangtin::BuildOptions::new(root);
    let site = trangtin::load_site(&trangtin::BuildOptions {
        drafts: true,
        ..options
    })
    .expect("the new article loads");
    assert_eq!(site.articles[0].title, title);
    assert_eq!(site.articles[0].category, "Chung");

    // Again with the same title: an error, and the file is untouched.
    std::fs::write(path, format!("{written}Nội dung đã viết.\n")).unwrap();
    let second = trangtin(&["new", title, "--category", "Chung", "--root", root_arg]);
    assert!(!second.status.success());
    assert!(
        text(&second).contains("already exists"),
        "{}",
        text(&second)
    );
    assert!(std::fs::read_to_string(path)
        .unwrap()
        .ends_with("Nội dung đã viết.\n"));
}

#[test]
fn new_refuses_an_unknown_category_and_suggests_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "config.yaml", CONFIG);
    let out = trangtin(&[
        "new",
        "Bài viết",
        "--category",
        "Hoat dong khoa hoc cong nghe",
        "--root",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("did you mean `Hoạt động khoa học và công nghệ`"),
        "{}",
        text(&out)
    );
    assert!(!dir.path().join("content").exists());
}

#[test]
fn init_then_build_works_and_a_non_empty_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("trang-moi");
    let site_arg = site.to_str().unwrap();
    let out = trangtin(&["init", site_arg]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(site.join("config.yaml").is_file());
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).unwrap(),
        "public\n.public.*\n.trangtin-cache\n.trangtin/\n"
    );
    let config = std::fs::read_to_string(site.join("config.yaml")).unwrap();
    for key in [
        "title:",
        "description:",
        "base_url:",
        "language:",
        "timezone:",
        "theme:",
        "per_page:",
        "default_author:",
        "organization:",
        "menu:",
        "categories:",
        "sidebar_blocks:",
        "related:",
        "search:",
        "feed_limit:",
    ] {
        assert!(config.contains(key), "{key}");
    }
    let build = trangtin(&["build", "--root", site_arg]);
    assert!(build.status.success(), "{}", text(&build));
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/chung/chao-mung/index.html").is_file());
    let check = trangtin(&["check", "--root", site_arg]);
    assert!(check.status.success(), "{}", text(&check));

    let again = trangtin(&["init", site_arg]);
    assert!(!again.status.success());
    assert!(text(&again).contains("not empty"), "{}", text(&again));
}

#[test]
fn init_with_theme_copies_the_default_theme() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("co-giao-dien");
    let site_arg = site.to_str().unwrap();
    let out = trangtin(&["init", site_arg, "--with-theme"]);
    assert!(out.status.success(), "{}", text(&out));
    let theme = site.join("themes/tin-hoat-dong");
    assert!(theme.join("templates/article.html").is_file());
    assert!(theme.join("static/css/style.css").is_file());
    // The copy is used: a change to it shows in the output.
    let path = theme.join("templates/404.html");
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        original.replace("Không tìm thấy trang</h1>", "GIAO-DIEN-RIENG</h1>"),
    )
    .unwrap();
    let build = trangtin(&["build", "--root", site_arg]);
    assert!(build.status.success(), "{}", text(&build));
    let page = std::fs::read_to_string(site.join("public/404.html")).unwrap();
    assert!(page.contains("GIAO-DIEN-RIENG"));
}

#[test]
fn check_reports_every_planted_problem_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "config.yaml", CONFIG);
    write(root, "content/images/co-that.svg", "<svg/>");
    write(
        root,
        "content/2024/03/anh-thieu.md",
        "---\ntitle: Ảnh thiếu\ndate: 2024-03-01\ncategory: Chung\n\
         image: /images/khong-co.svg\n---\nMở đầu.\n\n![Ảnh](/images/co-that.svg)\n\n\
         ![Ảnh khác](anh-hoi-nghi.jpg)\n\n[Báo cáo](/files/bao-cao.pdf)\n",
    );
    write(
        root,
        "content/2024/03/lien-ket-hong.md",
        "---\ntitle: Liên kết hỏng\ndate: 2024-03-02\ncategory: Chung\n---\nMột.\n\n\
         Xem [bài cũ](../02/khong-co.md).\n",
    );
    write(
        root,
        "content/2024/03/sai-chuyen-muc.md",
        "---\ntitle: Sai chuyên mục\ndate: 2024-03-03\ncategory: Hoat dong khoa hoc\n---\nX\n",
    );
    write(
        root,
        "content/2024/03/tot.md",
        "---\ntitle: Bài tốt\ndate: 2024-03-04\ncategory: Chung\n---\nX\n",
    );
    let out = trangtin(&["check", "--root", root.to_str().unwrap()]);
    let report = text(&out);
    assert!(!out.status.success(), "{report}");
    for expected in [
        "content/2024/03/anh-thieu.md:5: warning: field `image`: image `/images/khong-co.svg`",
        "content/2024/03/anh-thieu.md:11: warning: image `anh-hoi-nghi.jpg` points to \
         content/2024/03/anh-hoi-nghi.jpg, which does not exist",
        "content/2024/03/anh-thieu.md:13: warning: link `/files/bao-cao.pdf`",
        "content/2024/03/lien-ket-hong.md:8: broken link `../02/khong-co.md`",
        "content/2024/03/sai-chuyen-muc.md:4: field `category`",
        "did you mean `Hoạt động khoa học và công nghệ`",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in:\n{report}"
        );
    }
    // The image that exists is not reported, and nothing is reported twice.
    assert!(!report.contains("co-that.svg"), "{report}");
    assert_eq!(report.matches("anh-hoi-nghi.jpg").count(), 2, "{report}");
    // Missing files are warnings, as in `build`: only the two errors fail the check.
    assert!(report.contains("2 errors, 3 warnings"), "{report}");
    assert!(!root.join("public").exists(), "check writes nothing");

    // With only the missing files left, check passes (build does too) and still lists them.
    std::fs::remove_file(root.join("content/2024/03/lien-ket-hong.md")).unwrap();
    std::fs::remove_file(root.join("content/2024/03/sai-chuyen-muc.md")).unwrap();
    let out = trangtin(&["check", "--root", root.to_str().unwrap()]);
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("0 errors, 3 warnings"), "{report}");
    let build = trangtin(&["build", "--root", root.to_str().unwrap()]);
    assert!(build.status.success(), "{}", text(&build));
    std::fs::remove_dir_all(root.join("public")).unwrap();

    // Fixed, the same site checks clean.
    std::fs::remove_file(root.join("content/2024/03/anh-thieu.md")).unwrap();
    let out = trangtin(&["check", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("0 errors, 0 warnings"),
        "{}",
        text(&out)
    );
}
