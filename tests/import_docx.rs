//! End-to-end tests of `trangtin import FILE.docx`, through the binary: a Word document made
//! in the test becomes a draft with its images beside it, and `trangtin build --drafts`
//! publishes it with its heading, list, table and processed photo; files that are not a
//! .docx are refused with a message that says what to do, and nothing is written.

mod common;

#[allow(dead_code, unreachable_pub)]
#[path = "../src/import/testdocx.rs"]
mod testdocx;

use common::{images, list_files, main_of, Site};
use std::process::Output;
use testdocx::{docx, item, p, picture, r, styled, table};

const CONFIG: &str = "title: Thử nghiệm\ndefault_author: \"Văn phòng Sở\"\n\
categories:\n  - name: Chung\n  - name: \"Hoạt động khoa học và công nghệ\"\n";

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A report of a conference as a clerk writes it: a Title-styled title with a colon, a
/// Heading 1 (Vietnamese style id `u1`), bold text, a numbered list, a table, a photo and
/// an EMF chart that browsers cannot show.
fn report_docx() -> Vec<u8> {
    let body = [
        styled("Tiu", "Hội nghị: tổng kết công tác năm 2024"),
        p(
            "",
            &[
                r("", "Sáng 02/3, "),
                r("<w:b/>", "Sở Khoa học và Công nghệ"),
                r("", " tổ chức hội nghị tổng kết."),
            ]
            .concat(),
        ),
        p("", &picture("rId8", "Quang cảnh hội nghị")),
        styled("u1", "Kết quả nổi bật"),
        item(2, 0, "Cấp 45 giấy chứng nhận"),
        item(2, 0, "Kiểm định 1.200 phương tiện đo"),
        table(&[
            &["Lĩnh vực", "Số hồ sơ"],
            &["Đo lường", "120"],
            &["Sở hữu trí tuệ", "35"],
        ]),
        p("", &picture("rId9", "Biểu đồ")),
    ]
    .concat();
    docx(&body)
        .image(
            "rId8",
            "image1.jpeg",
            images::jpeg_with_exif(1000, 750, false, 1),
        )
        .image("rId9", "image2.emf", testdocx::emf())
        .bytes()
}

#[test]
fn an_imported_document_builds_with_its_heading_list_table_and_photo() {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    site.write_bytes("bao-cao.docx", &report_docx());
    let out = site.run(&[
        "import",
        "bao-cao.docx",
        "--category",
        "hoạt động khoa học và công nghệ",
        "--date",
        "2024-03-02 08:00",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let printed = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines,
        [
            "./content/2024/03/hoi-nghi-tong-ket-cong-tac-nam-2024.md",
            "./content/2024/03/hoi-nghi-tong-ket-cong-tac-nam-2024-1.jpg",
        ]
    );
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        report.contains("1 image(s) in a format browsers cannot show"),
        "{report}"
    );
    assert!(report.contains("word/media/image2.emf (EMF)"), "{report}");

    let article = std::fs::read_to_string(
        site.root()
            .join("content/2024/03/hoi-nghi-tong-ket-cong-tac-nam-2024.md"),
    )
    .unwrap();
    assert_eq!(
        article,
        "---\ntitle: \"Hội nghị: tổng kết công tác năm 2024\"\ndate: 2024-03-02 08:00:00\n\
         category: \"Hoạt động khoa học và công nghệ\"\nauthor: \"Văn phòng Sở\"\ntags: []\n\
         summary: \"\"\ndraft: true\n---\n\n\
         Sáng 02/3, **Sở Khoa học và Công nghệ** tổ chức hội nghị tổng kết.\n\n\
         ![Quang cảnh hội nghị](hoi-nghi-tong-ket-cong-tac-nam-2024-1.jpg)\n\n\
         ## Kết quả nổi bật\n\n1. Cấp 45 giấy chứng nhận\n2. Kiểm định 1.200 phương tiện đo\n\n\
         | Lĩnh vực | Số hồ sơ |\n| --- | --- |\n| Đo lường | 120 |\n| Sở hữu trí tuệ | 35 |\n"
    );

    // A draft: held back by a plain build, published by --drafts.
    let build = site.run(&["build", "--drafts"]);
    assert!(build.status.success(), "{}", text(&build));
    let files = list_files(&site.public());
    let page = files
        .iter()
        .find(|f| {
            f.ends_with("hoi-nghi-tong-ket-cong-tac-nam-2024.html")
                || f.ends_with("hoi-nghi-tong-ket-cong-tac-nam-2024/index.html")
        })
        .unwrap_or_else(|| panic!("no article page in {files:?}"));
    let html = site.read(page);
    let main = main_of(&html);
    assert!(
        main.contains("Hội nghị: tổng kết công tác năm 2024"),
        "{main}"
    );
    assert!(main.contains("<h2"), "{main}");
    assert!(main.contains("Kết quả nổi bật"), "{main}");
    assert!(
        main.contains("<ol>") && main.contains("<li>Cấp 45 giấy chứng nhận</li>"),
        "{main}"
    );
    assert!(
        main.contains("<table>") && main.contains("<td>Sở hữu trí tuệ</td>"),
        "{main}"
    );
    assert!(
        main.contains("<strong>Sở Khoa học và Công nghệ</strong>"),
        "{main}"
    );
    assert!(main.contains("<picture>"), "{main}");
    assert!(
        main.contains("hoi-nghi-tong-ket-cong-tac-nam-2024-1.440.webp"),
        "{main}"
    );
    assert!(main.contains("alt=\"Quang cảnh hội nghị\""), "{main}");
    assert!(files
        .iter()
        .any(|f| f.ends_with("hoi-nghi-tong-ket-cong-tac-nam-2024-1.440.webp")));
}

#[test]
fn importing_again_never_overwrites_and_takes_the_next_name() {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    site.write_bytes("bao-cao.docx", &report_docx());
    let args = [
        "import",
        "bao-cao.docx",
        "--date",
        "2024-03-02",
        "--title",
        "Tin vắn",
    ];
    let first = site.run(&args);
    assert!(first.status.success(), "{}", text(&first));
    let path = site.root().join("content/2024/03/tin-van.md");
    let before = std::fs::read_to_string(&path).unwrap();
    // The first category of config.yaml when none is given; the document's own title stays.
    assert!(before.contains("category: \"Chung\""), "{before}");
    assert!(
        before.contains("\n## Hội nghị: tổng kết công tác năm 2024\n"),
        "{before}"
    );
    let second = site.run(&args);
    assert!(second.status.success(), "{}", text(&second));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    let again = std::fs::read_to_string(site.root().join("content/2024/03/tin-van-2.md")).unwrap();
    assert!(again.contains("](tin-van-2-1.jpg)"), "{again}");
    assert!(site
        .root()
        .join("content/2024/03/tin-van-2-1.jpg")
        .is_file());
    assert!(site.root().join("content/2024/03/tin-van-1.jpg").is_file());
}

#[test]
fn an_unknown_category_is_refused_with_the_closest_name() {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    site.write_bytes("bao-cao.docx", &report_docx());
    let out = site.run(&[
        "import",
        "bao-cao.docx",
        "--category",
        "Hoat dong khoa hoc cong nghe",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("did you mean `Hoạt động khoa học và công nghệ`"),
        "{}",
        text(&out)
    );
    assert!(!site.root().join("content").exists());
}

/// The first sector of an OLE compound file (magic, then a directory entry's UTF-16 name).
fn ole(stream: &str) -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(stream.encode_utf16().flat_map(|u| u.to_le_bytes()));
    bytes.resize(1024, 0);
    bytes
}

fn refused(name: &str, bytes: &[u8], expected: &str) {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    site.write_bytes(name, bytes);
    let out = site.run(&["import", name, "--category", "Chung"]);
    assert!(!out.status.success(), "{name}: {}", text(&out));
    let message = text(&out);
    assert!(message.contains(&format!("{name}: ")), "{message}");
    assert!(message.contains(expected), "{message}");
    assert!(out.stdout.is_empty(), "{message}");
    assert!(
        !site.root().join("content").exists(),
        "{name}: something was written"
    );
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    refused(
        "ghi-chu.docx",
        "Chỉ là văn bản.".as_bytes(),
        "is not a Word .docx file (it is not a zip archive)",
    );
}

#[test]
fn a_zip_without_a_word_document_is_refused() {
    let zip = testdocx::zip_of(&[("xl/workbook.xml".into(), b"<workbook/>".to_vec())]);
    refused(
        "bang-tinh.docx",
        &zip,
        "not a Word document: it is an Excel workbook",
    );
    let zip = testdocx::zip_of(&[("anh.txt".into(), b"x".to_vec())]);
    refused("nen.docx", &zip, "it has no word/document.xml");
}

#[test]
fn a_password_protected_document_is_refused() {
    refused(
        "mat.docx",
        &ole("EncryptedPackage"),
        "the file is protected with a password; save it without a password",
    );
}

#[test]
fn an_old_doc_is_refused() {
    refused(
        "cu.doc",
        &ole("WordDocument"),
        "this is a Word 97-2003 .doc; save it as .docx",
    );
}

#[test]
fn damaged_xml_is_refused_naming_the_part() {
    let bytes = testdocx::zip_of(&[(
        "word/document.xml".into(),
        b"<w:document><w:body><w:p><w:r><w:t>H</w:r></w:p></w:body></w:document>".to_vec(),
    )]);
    refused(
        "hong.docx",
        &bytes,
        "is damaged: word/document.xml: XML error",
    );
}

#[test]
fn a_missing_file_is_named() {
    let site = Site::new(&[("config.yaml", CONFIG)]);
    let out = site.run(&["import", "khong-co.docx"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("khong-co.docx"), "{}", text(&out));
}
