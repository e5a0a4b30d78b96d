//! The real-browser end-to-end tests: runs the Node suite of `tests/browser/` (Node's test
//! runner; nginx serves the sample site built by this crate's binary, Chromium drives it through
//! playwright-core, axe-core and the Nu Html Checker check it).
//!
//! Before that it writes the photo site of `tests/browser/media.test.mjs` (page weight with
//! phone photos, which Node cannot make) into `target/tmp/browser-photo-site` and passes its
//! path in `TRANGTIN_PHOTO_SITE`; it stays there, for running that file with `node --test`.
//!
//! They need node with `tests/browser/node_modules`, nginx, Chromium and Java: `bash
//! tests/all.sh` installs them and runs every test. Without them this test is skipped with a loud
//! line, unless `CI` or `TRANGTIN_BROWSER_TESTS=1` is set: then it fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;

fn on_path(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// What the suite needs and is missing on this machine.
fn missing(repo: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if !on_path("node") {
        missing.push("node".to_string());
    }
    for module in ["playwright-core", "axe-core", "vnu-jar"] {
        let path = repo
            .join("tests/browser/node_modules")
            .join(module)
            .join("package.json");
        if !path.exists() {
            missing.push(format!("tests/browser/node_modules/{module} (npm ci)"));
        }
    }
    if !on_path("nginx")
        && !Path::new("/usr/sbin/nginx").exists()
        && std::env::var_os("NGINX").is_none()
    {
        missing.push("nginx".to_string());
    }
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        missing.push(format!("chromium ({})", chromium.display()));
    }
    let java = Command::new("java").arg("-version").output();
    if !java.map(|o| o.status.success()).unwrap_or(false) {
        missing.push("java".to_string());
    }
    missing
}

#[test]
fn browser_suite() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let missing = missing(&repo);
    if !missing.is_empty() {
        let required = std::env::var_os("CI").is_some()
            || std::env::var("TRANGTIN_BROWSER_TESTS").as_deref() == Ok("1");
        let message = format!(
            "browser tests need {}: run `bash tests/all.sh` (it installs them and runs every test)",
            missing.join(", ")
        );
        if required {
            panic!("{message}");
        }
        // Straight to the terminal, past the test harness's capture.
        let _ = writeln!(
            std::io::stderr(),
            "\n======== SKIPPED: {message} ========\n"
        );
        return;
    }

    let started = Instant::now();
    let photo_site = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-photo-site");
    write_photo_site(&photo_site);
    let _ = writeln!(
        std::io::stderr(),
        "photo site of {PHOTOS} phone photos written in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        photo_site.display()
    );

    let started = Instant::now();
    let output = Command::new("node")
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
            "--test-timeout=300000",
            "tests/browser/",
        ])
        .current_dir(&repo)
        .env("TRANGTIN_BIN", env!("CARGO_BIN_EXE_trangtin"))
        .env("TRANGTIN_PHOTO_SITE", &photo_site)
        .env("FORCE_COLOR", "0")
        .env("NO_COLOR", "1")
        .output()
        .expect("cannot run node");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        panic!(
            "the browser tests failed ({}, {:.1} s):\n{stdout}\n{stderr}",
            output.status,
            elapsed.as_secs_f64()
        );
    }
    // On success: the summary (counts, screenshot folder), past the harness's capture.
    let summary: Vec<&str> = stdout.lines().filter(|l| l.starts_with('ℹ')).collect();
    let _ = writeln!(
        std::io::stderr(),
        "browser tests passed in {:.1} s:\n{}",
        elapsed.as_secs_f64(),
        summary.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The photo site of media.test.mjs

/// How many articles, each with its own photo.
const PHOTOS: usize = 20;

/// The photo site's configuration: the sample site's (config.yaml), fewer categories.
/// (The harness replaces `base_url` with nginx's address and links the repository's themes/.)
const PHOTO_CONFIG: &str = r#"# The photo site of tests/browser/media.test.mjs (written by tests/browser.rs).
title: "Sở Khoa học và Công nghệ tỉnh Sơn Lâm"
description: "Cổng thông tin điện tử của Sở Khoa học và Công nghệ tỉnh Sơn Lâm."
base_url: "http://localhost:1111/"
language: vi
timezone: "+07:00"
theme: tin-hoat-dong
per_page: 10
default_author: "Văn phòng Sở"
organization:
  name: "Sở Khoa học và Công nghệ tỉnh Sơn Lâm"
  short_name: "Sở KH&CN Sơn Lâm"
  parent: "Ủy ban nhân dân tỉnh Sơn Lâm"
  responsible: "Hoàng Minh Quân - Giám đốc Sở"
  address: "Số 25 đường Trần Hưng Đạo, phường Thành Sơn, tỉnh Sơn Lâm"
  phone: "0200 381 234"
  email: "skhcn@sonlam.example.gov.vn"
  copyright: "© Sở Khoa học và Công nghệ tỉnh Sơn Lâm"
menu:
  - { name: "Trang chủ", url: "/" }
  - { name: "Tin Hoạt động", url: "/chung/" }
  - { name: "Hoạt động KH&CN", url: "/hoat-dong-khoa-hoc-va-cong-nghe/" }
categories:
  - name: "Chung"
    slug: chung
    section: "Tin Hoạt động"
  - name: "Hoạt động khoa học và công nghệ"
    slug: hoat-dong-khoa-hoc-va-cong-nghe
    section: "Tin Hoạt động"
  - name: "Tiêu chuẩn - Đo lường - Chất lượng"
    slug: tieu-chuan-do-luong-chat-luong
    section: "Tin Hoạt động"
  - name: "Khởi nghiệp đổi mới sáng tạo"
    slug: khoi-nghiep-doi-moi-sang-tao
    section: "Tin Hoạt động"
related:
  count: 5
search: true
"#;

/// (slug, title, category) of each article, the newest last.
const PHOTO_ARTICLES: [(&str, &str, &str); PHOTOS] = [
    (
        "hoi-nghi-tong-ket-nam-2025",
        "Hội nghị tổng kết công tác năm 2025",
        "Chung",
    ),
    (
        "kiem-tra-do-luong-cho-dan-sinh",
        "Kiểm tra đo lường tại các chợ dân sinh",
        "Tiêu chuẩn - Đo lường - Chất lượng",
    ),
    (
        "nghiem-thu-de-tai-giong-lua",
        "Nghiệm thu đề tài giống lúa chịu hạn",
        "Hoạt động khoa học và công nghệ",
    ),
    (
        "ngay-hoi-khoi-nghiep-2026",
        "Ngày hội khởi nghiệp đổi mới sáng tạo 2026",
        "Khởi nghiệp đổi mới sáng tạo",
    ),
    (
        "tap-huan-iso-9001",
        "Tập huấn hệ thống quản lý chất lượng ISO 9001",
        "Tiêu chuẩn - Đo lường - Chất lượng",
    ),
    (
        "tham-mo-hinh-nha-kinh",
        "Tham quan mô hình nhà kính công nghệ cao",
        "Hoạt động khoa học và công nghệ",
    ),
    (
        "gap-mat-doanh-nghiep",
        "Gặp mặt doanh nghiệp khoa học và công nghệ",
        "Chung",
    ),
    (
        "kiem-dinh-cot-do-xang-dau",
        "Kiểm định cột đo xăng dầu quý I",
        "Tiêu chuẩn - Đo lường - Chất lượng",
    ),
    (
        "vuon-uom-khoi-nghiep",
        "Khai trương vườn ươm khởi nghiệp của tỉnh",
        "Khởi nghiệp đổi mới sáng tạo",
    ),
    (
        "hoi-thao-chuyen-doi-so",
        "Hội thảo chuyển đổi số trong nông nghiệp",
        "Hoạt động khoa học và công nghệ",
    ),
    (
        "trao-giai-sang-tao-tre",
        "Trao giải cuộc thi sáng tạo thanh thiếu niên",
        "Chung",
    ),
    (
        "kiem-tra-chat-luong-mu-bao-hiem",
        "Kiểm tra chất lượng mũ bảo hiểm",
        "Tiêu chuẩn - Đo lường - Chất lượng",
    ),
    (
        "ung-dung-drone-phun-thuoc",
        "Ứng dụng thiết bị bay phun thuốc bảo vệ thực vật",
        "Hoạt động khoa học và công nghệ",
    ),
    (
        "cuoc-thi-y-tuong-khoi-nghiep",
        "Chung kết cuộc thi ý tưởng khởi nghiệp",
        "Khởi nghiệp đổi mới sáng tạo",
    ),
    (
        "don-doan-cong-tac-tinh-ban",
        "Đón đoàn công tác của tỉnh bạn",
        "Chung",
    ),
    (
        "nghiem-thu-mo-hinh-nuoi-ca",
        "Nghiệm thu mô hình nuôi cá lồng trên hồ",
        "Hoạt động khoa học và công nghệ",
    ),
    (
        "ngay-the-gioi-tieu-chuan",
        "Hưởng ứng Ngày Tiêu chuẩn thế giới",
        "Tiêu chuẩn - Đo lường - Chất lượng",
    ),
    (
        "ket-noi-cung-cau-cong-nghe",
        "Kết nối cung cầu công nghệ năm 2026",
        "Khởi nghiệp đổi mới sáng tạo",
    ),
    (
        "hoi-dong-khoa-hoc-phien-hop",
        "Phiên họp Hội đồng khoa học của Sở",
        "Chung",
    ),
    (
        "trien-lam-san-pham-ocop",
        "Triển lãm sản phẩm OCOP ứng dụng khoa học",
        "Hoạt động khoa học và công nghệ",
    ),
];

/// Writes the photo site into `dir` (replacing what is there): `config.yaml` and, for each
/// article N (1–20), `content/2026/MM/SLUG.md` with `image: anh-NN.jpg` beside it, a 4000×3000
/// JPEG of about 4.2 MB with EXIF (GPS included) and detail at every scale, so its resized
/// copies weigh what a real photo's do. The three newest are `featured` (the home
/// page's lead and "Tin nổi bật"); articles 4, 12 and 19 show their photo in the body too.
fn write_photo_site(dir: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the old photo site");
    }
    let write = |path: &str, bytes: &[u8]| {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, bytes).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    };
    write("config.yaml", PHOTO_CONFIG.as_bytes());
    PHOTO_ARTICLES
        .par_iter()
        .enumerate()
        .for_each(|(i, (slug, title, category))| {
            let n = i + 1;
            // Two articles a month from January to October 2026, in the afternoon.
            let folder = format!("content/2026/{:02}", i / 2 + 1);
            let date = format!("2026-{:02}-{:02} 15:{:02}", i / 2 + 1, 10 + i % 2 * 10, n);
            let featured = if n > PHOTOS - 3 { "featured: true\n" } else { "" };
            let body_photo = if [4, 12, 19].contains(&n) {
                format!("![Ảnh](anh-{n:02}.jpg)\n\n")
            } else {
                String::new()
            };
            let article = format!(
                "---\ntitle: \"{title}\"\ndate: {date}\ncategory: \"{category}\"\n\
                 author: \"Phòng Quản lý khoa học\"\nimage: anh-{n:02}.jpg\n{featured}---\n\n\
                 Sáng nay, Sở Khoa học và Công nghệ tỉnh Sơn Lâm tổ chức sự kiện \"{title}\" \
                 với sự tham dự của đại diện các sở, ngành, doanh nghiệp và người dân.\n\n\
                 {body_photo}Tại sự kiện, các đại biểu đã trao đổi về kết quả đạt được, những khó \
                 khăn, vướng mắc và đề xuất giải pháp trong thời gian tới.\n\n\
                 ## Kết quả nổi bật\n\n\
                 Trong năm, Sở đã triển khai nhiều hoạt động thiết thực, góp phần nâng cao năng lực \
                 khoa học và công nghệ của tỉnh.\n"
            );
            write(&format!("{folder}/{slug}.md"), article.as_bytes());
            write(
                &format!("{folder}/anh-{n:02}.jpg"),
                &trangtin_test_photos::phone_photo(4000, 3000, n as u32),
            );
        });
}
