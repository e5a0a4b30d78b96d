//! The conversion rules, each on a .docx made in the test.

use super::testdocx::{docx, emf, item, p, picture, r, styled, table, zip_of};
use super::*;

fn markdown(body: &str) -> String {
    convert(&docx(body).bytes(), Some("Bài thử"))
        .unwrap()
        .markdown
}

#[test]
fn the_title_is_the_first_title_or_heading_1_and_leaves_the_body() {
    let body = [
        p("", &r("", "Số: 12/TB-SKHCN")),
        styled("u1", "Hội nghị tổng kết: năm 2024"),
        p("", &r("", "Nội dung.")),
    ]
    .concat();
    let converted = convert(&docx(&body).bytes(), None).unwrap();
    assert_eq!(
        converted.title.as_deref(),
        Some("Hội nghị tổng kết: năm 2024")
    );
    assert_eq!(converted.markdown, "Số: 12/TB-SKHCN\n\nNội dung.\n");
}

#[test]
fn without_a_heading_the_first_paragraph_with_text_is_the_title() {
    let body = [
        p("", ""),
        p("", &r("", "Thông báo lịch tiếp dân")),
        p("", &r("", "Sáng thứ Hai.")),
    ]
    .concat();
    let converted = convert(&docx(&body).bytes(), None).unwrap();
    assert_eq!(converted.title.as_deref(), Some("Thông báo lịch tiếp dân"));
    assert_eq!(converted.markdown, "Sáng thứ Hai.\n");
}

#[test]
fn a_given_title_keeps_the_documents_heading_unless_it_is_the_same() {
    let body = [styled("Tiu", "Tin vắn"), p("", &r("", "Một dòng."))].concat();
    let bytes = docx(&body).bytes();
    let other = convert(&bytes, Some("Tiêu đề khác")).unwrap();
    assert_eq!(other.markdown, "## Tin vắn\n\nMột dòng.\n");
    let same = convert(&bytes, Some("tin vắn")).unwrap();
    assert_eq!(same.markdown, "Một dòng.\n");
}

#[test]
fn headings_come_from_localized_style_ids_names_and_english_ids() {
    let body = [
        styled("u1", "Phần một"),
        styled("u2", "Mục nhỏ"),
        styled("Heading3", "Mục nhỏ hơn"),
    ]
    .concat();
    assert_eq!(
        markdown(&body),
        "## Phần một\n\n### Mục nhỏ\n\n#### Mục nhỏ hơn\n"
    );
}

#[test]
fn adjacent_bold_runs_merge_and_spaces_stay_outside_the_markers() {
    let body = p(
        "",
        &[
            r("", "Đồng chí "),
            r("<w:b/>", "Nguyễn Văn "),
            r("<w:b/><w:bCs/>", "An"),
            r("<w:b/>", " "),
            r("<w:i/>", "(Giám đốc Sở)"),
            r("", " phát biểu."),
            r("<w:rStyle w:val=\"Manh\"/>", " Rõ."),
        ]
        .concat(),
    );
    assert_eq!(
        markdown(&body),
        "Đồng chí **Nguyễn Văn An** *(Giám đốc Sở)* phát biểu. **Rõ.**\n"
    );
}

#[test]
fn hyperlinks_come_from_the_relationships_and_from_fields() {
    let body = [
        p(
            "",
            &format!(
                "{}<w:hyperlink r:id=\"rId9\" w:history=\"1\">{}</w:hyperlink>{}",
                r("", "Xem "),
                r("<w:rStyle w:val=\"Hyperlink\"/>", "Cổng dịch vụ công"),
                r("", ".")
            ),
        ),
        p(
            "",
            &[
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>",
                "<w:r><w:instrText xml:space=\"preserve\"> HYPERLINK \"https://vanban.example.vn/\" </w:instrText></w:r>",
                "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
                &r("", "Văn bản"),
                "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
                "<w:hyperlink w:anchor=\"_Toc1\">",
                &r("", " mục lục"),
                "</w:hyperlink>",
            ]
            .concat(),
        ),
    ]
    .concat();
    let converted = convert(
        &docx(&body)
            .link("rId9", "https://dichvucong.example.gov.vn/?a=1&b=2")
            .bytes(),
        Some("Bài thử"),
    )
    .unwrap();
    assert_eq!(
        converted.markdown,
        "Xem [Cổng dịch vụ công](https://dichvucong.example.gov.vn/?a=1&b=2).\n\n\
         [Văn bản](https://vanban.example.vn/) mục lục\n"
    );
    assert_eq!(converted.report.count(Skipped::InternalLink), 1);
}

#[test]
fn bulleted_and_numbered_lists_nest_by_level_and_restart_numbering() {
    let body = [
        p("", &r("", "Các nhiệm vụ:")),
        item(2, 0, "Rà soát thủ tục"),
        item(1, 1, "cấp tỉnh"),
        item(1, 1, "cấp huyện"),
        item(2, 0, "Báo cáo kết quả"),
        item(2, 1, "trước ngày 15"),
        p("", &r("", "Lưu ý:")),
        item(1, 0, "Gửi bản điện tử"),
    ]
    .concat();
    assert_eq!(
        markdown(&body),
        "Các nhiệm vụ:\n\n1. Rà soát thủ tục\n   - cấp tỉnh\n   - cấp huyện\n\
         2. Báo cáo kết quả\n   1. trước ngày 15\n\nLưu ý:\n\n- Gửi bản điện tử\n"
    );
}

#[test]
fn tables_become_pipe_tables_with_merged_and_multi_paragraph_cells_flattened() {
    let merged = format!(
        "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}</w:tc></w:tr>\
         <w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>{}</w:tc><w:tc>{}{}</w:tc></w:tr>\
         <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        p("", &r("<w:b/>", "Kết quả")),
        p("", &r("", "Quý I")),
        p("", &r("", "Đạt")),
        p("", &r("", "95 | 100")),
        p("", ""),
        p("", &r("", "Tốt")),
    );
    assert_eq!(
        markdown(&[table(&[&["Đơn vị", "Số hồ sơ"], &["Sở A", "12"]]), merged].concat()),
        "| Đơn vị | Số hồ sơ |\n| --- | --- |\n| Sở A | 12 |\n\n\
         | **Kết quả** |  |\n| --- | --- |\n| Quý I | Đạt<br>95 \\| 100 |\n|  | Tốt |\n"
    );
}

#[test]
fn a_table_inside_a_cell_is_flattened_and_reported() {
    let inner = table(&[&["x", "y"]]);
    let outer = format!(
        "<w:tbl><w:tr><w:tc>{}{inner}</w:tc></w:tr></w:tbl>",
        p("", &r("", "Ngoài"))
    );
    let converted = convert(&docx(&outer).bytes(), Some("Bài thử")).unwrap();
    assert_eq!(converted.markdown, "| Ngoài<br>x<br>y |\n| --- |\n");
    assert_eq!(converted.report.count(Skipped::NestedTable), 1);
}

#[test]
fn images_are_named_after_the_article_with_their_real_format_and_alt_text() {
    let png = crate::media::testdata::png_with_alpha(8, 6);
    let jpeg = crate::media::testdata::jpeg_with_exif(16, 12, false, 1);
    let body = [
        p("", &picture("rId5", "Quang cảnh hội nghị")),
        // Saved as .png by Word but a JPEG: the bytes decide.
        p("", &picture("rId6", "")),
        p("", &picture("rId5", "Lặp lại")),
        p("", &picture("rId7", "Biểu đồ")),
    ]
    .concat();
    let bytes = docx(&body)
        .image("rId5", "image1.png", png.clone())
        .image("rId6", "image2.png", jpeg.clone())
        .image("rId7", "image3.emf", emf())
        .bytes();
    let converted = convert(&bytes, Some("Hội nghị")).unwrap();
    assert_eq!(
        converted.markdown,
        "![Quang cảnh hội nghị](hoi-nghi-1.png)\n\n![](hoi-nghi-2.jpg)\n\n![Lặp lại](hoi-nghi-1.png)\n"
    );
    let names: Vec<&str> = converted.images.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["hoi-nghi-1.png", "hoi-nghi-2.jpg"]);
    assert_eq!(converted.images[0].bytes, png);
    assert_eq!(converted.images[1].bytes, jpeg);
    assert_eq!(converted.report.count(Skipped::ImageFormat), 1);
    assert_eq!(converted.report.notes, ["word/media/image3.emf (EMF)"]);
}

#[test]
fn words_bookkeeping_is_dropped_and_insertions_kept() {
    let body = [
        p(
            "",
            &[
                "<w:bookmarkStart w:id=\"0\" w:name=\"_GoBack\"/>",
                &r("", "Kế hoạch "),
                "<w:proofErr w:type=\"spellStart\"/>",
                "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>cũ </w:delText></w:r></w:del>",
                "<w:ins w:id=\"2\" w:author=\"A\">",
                &r("", "mới"),
                "</w:ins>",
                "<w:proofErr w:type=\"spellEnd\"/>",
                "<w:commentRangeStart w:id=\"3\"/>",
                &r("<w:vanish/>", "ẩn"),
                "<w:commentRangeEnd w:id=\"3\"/><w:r><w:commentReference w:id=\"3\"/></w:r>",
                "<w:bookmarkEnd w:id=\"0\"/>",
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>",
                "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
                &r("", " trang 3"),
                "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            ]
            .concat(),
        ),
        p("", ""),
        p("", "<w:r><w:t xml:space=\"preserve\">   </w:t></w:r>"),
        p("", &r("", "Hết.")),
    ]
    .concat();
    assert_eq!(markdown(&body), "Kế hoạch mới trang 3\n\nHết.\n");
}

#[test]
fn line_breaks_tabs_and_non_breaking_spaces() {
    let body = p(
        "",
        "<w:r><w:t>Dòng một</w:t><w:br/><w:t>Dòng</w:t><w:tab/><w:t>hai\u{a0}\u{a0}có</w:t><w:br w:type=\"page\"/><w:t xml:space=\"preserve\"> cách</w:t></w:r>",
    );
    assert_eq!(markdown(&body), "Dòng một\\\nDòng hai có cách\n");
}

#[test]
fn what_cannot_be_converted_is_counted() {
    let body = p(
        "",
        &[
            &r("", "Văn bản"),
            "<w:r><w:footnoteReference w:id=\"1\"/></w:r>",
            "<m:oMath><m:r><m:t>x</m:t></m:r></m:oMath>",
            "<w:r><w:drawing><wp:inline><wp:docPr id=\"2\" name=\"Chart 1\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"/></a:graphic></wp:inline></w:drawing></w:r>",
            "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><wp:docPr id=\"3\" name=\"Text Box 3\"/><a:graphic><a:graphicData><w:txbxContent><w:p><w:r><w:t>hộp</w:t></w:r></w:p></w:txbxContent></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>hộp</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
        ]
        .concat(),
    );
    let converted = convert(&docx(&body).bytes(), Some("Bài thử")).unwrap();
    assert_eq!(converted.markdown, "Văn bản\n");
    for kind in [
        Skipped::Note,
        Skipped::Equation,
        Skipped::Drawing,
        Skipped::TextBox,
    ] {
        assert_eq!(converted.report.count(kind), 1, "{kind:?}");
    }
}

#[test]
fn decomposed_vietnamese_becomes_nfc() {
    let converted = convert(
        &docx(&p("", &r("", "Tie\u{0302}\u{0301}ng Vie\u{0302}\u{0323}t"))).bytes(),
        None,
    )
    .unwrap();
    assert_eq!(converted.title.as_deref(), Some("Tiếng Việt"));
}

#[test]
fn files_that_are_not_docx_say_what_they_are() {
    let err = |bytes: &[u8]| convert(bytes, None).unwrap_err().to_string();
    assert!(err(b"just text").contains("not a zip archive"));
    let odt = zip_of(&[("content.xml".into(), b"<office/>".to_vec())]);
    assert!(err(&odt).contains("OpenDocument"), "{}", err(&odt));
    let bare = zip_of(&[("readme.txt".into(), b"x".to_vec())]);
    assert!(err(&bare).contains("no word/document.xml"));
}

#[test]
fn damaged_xml_names_the_part() {
    let bytes = zip_of(&[(
        "word/document.xml".into(),
        b"<w:document><w:body><w:p></w:body>".to_vec(),
    )]);
    let message = convert(&bytes, None).unwrap_err().to_string();
    assert!(
        message.contains("is damaged: word/document.xml:"),
        "{message}"
    );
}
