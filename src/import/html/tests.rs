use super::*;
use proptest::prelude::*;

/// Converts with every image kept under its own address.
fn convert(html: &str) -> Converted {
    html_to_markdown(html, &mut |image| Some(image.src.clone()))
}

fn md(html: &str) -> String {
    convert(html).markdown
}

/// What Word puts on the clipboard (Word 2016, Vietnamese document): the namespaces,
/// a style sheet, conditional comments, `MsoNormal` paragraphs with fonts in spans,
/// `<o:p>`, a typed bullet list and a typed numbered list with a second level, a table
/// with a merged cell, and a picture in VML and in `<img>`.
const WORD: &str = r##"<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<link rel=File-List href="file:///C:/Users/VT/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<!--[if gte mso 9]><xml>
 <o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings>
</xml><![endif]-->
<style>
<!--
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;margin:0in;font-size:14.0pt;font-family:"Times New Roman",serif;}
@list l0:level1 {mso-level-number-format:bullet;mso-level-text:\F0B7;}
-->
</style>
</head>

<body lang=EN-US style='tab-interval:.5in;word-wrap:break-word'>
<!--StartFragment-->

<h1><a name="_Toc1"></a><span lang=VI style='mso-ansi-language:VI'>Kết quả
năm 2020<o:p></o:p></span></h1>

<p class=MsoNormal style='text-align:justify;text-indent:.5in;line-height:150%'><span
lang=VI style='font-size:14.0pt;line-height:150%;mso-ansi-language:VI'>Năm 2020,
Sở <b>Khoa học và Công nghệ</b> đã <i>hoàn thành</i>&nbsp;&nbsp;&nbsp;các nhiệm vụ
<u>trọng tâm</u>:<o:p></o:p></span></p>

<p class=MsoListParagraphCxSpFirst style='text-indent:-.25in;mso-list:l0 level1 lfo1'><![if !supportLists]><span
lang=VI style='font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol'><span
style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]><span lang=VI>Đổi mới công nghệ<o:p></o:p></span></p>

<p class=MsoListParagraphCxSpMiddle style='margin-left:1.0in;mso-add-space:auto;text-indent:-.25in;mso-list:l0 level2 lfo1'><![if !supportLists]><span
lang=VI style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span
lang=VI>Chuyển giao cho nông dân<o:p></o:p></span></p>

<p class=MsoListParagraphCxSpLast style='text-indent:-.25in;mso-list:l0 level1 lfo1'><![if !supportLists]><span
lang=VI style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]><span lang=VI>Sở hữu trí tuệ<o:p></o:p></span></p>

<p class=MsoNormal><o:p>&nbsp;</o:p></p>

<p class=MsoListParagraphCxSpFirst style='text-indent:-.25in;mso-list:l1 level1 lfo2'><![if !supportLists]><span
lang=VI><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]><span lang=VI>Tổng kết<o:p></o:p></span></p>

<p class=MsoListParagraphCxSpLast style='text-indent:-.25in;mso-list:l1 level1 lfo2'><![if !supportLists]><span
lang=VI><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]><span lang=VI>Khen thưởng<o:p></o:p></span></p>

<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=200 valign=top style='width:150pt;border:solid windowtext 1.0pt'>
  <p class=MsoNormal><b><span lang=VI>Đơn vị<o:p></o:p></span></b></p>
  </td>
  <td width=200 valign=top style='width:150pt;border:solid windowtext 1.0pt'>
  <p class=MsoNormal><b><span lang=VI>Số đề tài<o:p></o:p></span></b></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td colspan=2 valign=top style='width:300pt'>
  <p class=MsoNormal><span lang=VI>Huyện A | Huyện B<o:p></o:p></span></p>
  </td>
 </tr>
</table>

<p class=MsoNormal><span lang=VI><!--[if gte vml 1]><v:shape id="Picture_x0020_1"
 o:spid="_x0000_i1025" type="#_x0000_t75" style='width:300pt;height:200pt;visibility:visible'>
 <v:imagedata src="file:///C:/Users/VT/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png"
  o:title=""/>
</v:shape><![endif]--><![if !vml]><img width=400 height=267
src="file:///C:/Users/VT/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg"
alt="Quang cảnh hội nghị" v:shapes="Picture_x0020_1"><![endif]></span><span lang=VI><o:p></o:p></span></p>

<!--EndFragment-->
</body>
</html>"##;

#[test]
fn word_clipboard_html_becomes_clean_markdown() {
    let converted = convert(WORD);
    assert_eq!(
        converted.markdown,
        "## Kết quả năm 2020\n\n\
         Năm 2020, Sở **Khoa học và Công nghệ** đã *hoàn thành* các nhiệm vụ trọng tâm:\n\n\
         - Đổi mới công nghệ\n  - Chuyển giao cho nông dân\n- Sở hữu trí tuệ\n\n\
         1. Tổng kết\n2. Khen thưởng\n\n\
         | **Đơn vị** | **Số đề tài** |\n| --- | --- |\n| Huyện A \\| Huyện B |  |\n\n\
         ![Quang cảnh hội nghị](file:///C:/Users/VT/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg)\n"
    );
    assert!(converted.notes.is_empty(), "{:?}", converted.notes);
}

#[test]
fn word_images_go_through_the_callback_and_a_refused_one_leaves_a_note() {
    let mut seen = Vec::new();
    let converted = html_to_markdown(WORD, &mut |image| {
        seen.push(image.clone());
        None
    });
    assert_eq!(
        seen,
        vec![ImageSource {
            src: "file:///C:/Users/VT/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg".into(),
            alt: "Quang cảnh hội nghị".into(),
        }]
    );
    assert!(!converted.markdown.contains("!["), "{}", converted.markdown);
    assert_eq!(converted.notes.len(), 1);
    assert!(
        converted.notes[0].contains("clip_image002.jpg"),
        "{:?}",
        converted.notes
    );
}

#[test]
fn vml_image_data_outside_a_comment_is_an_image() {
    let out = html_to_markdown(
        r#"<p><v:imagedata src="anh.png" o:title="Sơ đồ"></v:imagedata></p>"#,
        &mut |image| Some(format!("moi-{}", image.src)),
    );
    assert_eq!(out.markdown, "![Sơ đồ](moi-anh.png)\n");
}

/// What Google Docs puts on the clipboard: everything inside a `<b>` that is not bold,
/// bold and italic given only as styles, lists with `aria-level`.
const GOOGLE_DOCS: &str = r#"<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5c1f2a3b-7fff-1d2e-9a4b-0e1f2a3b4c5d"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;white-space:pre-wrap;">Hội thảo </span><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;font-style:normal;">chuyển đổi số</span><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;font-style:italic;"> cấp tỉnh</span><span style="font-size:11pt;font-weight:400;"> tại </span><a href="https://skhcn.example.gov.vn/hoi-thao" style="text-decoration:none;"><span style="font-size:11pt;color:#1155cc;font-weight:400;text-decoration:underline;">đây</span></a><span style="font-size:11pt;">.</span></p><br><ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" style="line-height:1.38;" role="presentation"><span style="font-size:11pt;font-weight:400;">Doanh nghiệp</span></p></li><ul style="margin-top:0;margin-bottom:0;"><li dir="ltr" style="list-style-type:circle;" aria-level="2"><p dir="ltr" role="presentation"><span style="font-weight:400;">nhỏ và vừa</span></p></li></ul><li dir="ltr" style="list-style-type:disc;" aria-level="1"><p dir="ltr" role="presentation"><span style="font-weight:400;">Hợp tác xã</span></p></li></ul><br><h2 dir="ltr" style="line-height:1.38;"><span style="font-size:16pt;font-weight:400;">Kế hoạch</span></h2></b><br class="Apple-interchange-newline">"#;

#[test]
fn google_docs_html_keeps_bold_and_italic_from_styles_only() {
    assert_eq!(
        md(GOOGLE_DOCS),
        "Hội thảo **chuyển đổi số** *cấp tỉnh* tại [đây](https://skhcn.example.gov.vn/hoi-thao).\n\n\
         - Doanh nghiệp\n  - nhỏ và vừa\n- Hợp tác xã\n\n\
         ### Kế hoạch\n"
    );
}

/// A news page of a web site, as a reader copies it: figure with caption, quotation,
/// a script, an embedded video, links of every kind.
const WEB_PAGE: &str = r#"<!DOCTYPE html><html lang="vi"><head><title>Tin</title>
<script>var ga = 1;</script><style>.x{color:red}</style></head><body>
<article class="news-detail">
<h2 class="title" style="color:#06c">Khởi công dự án</h2>
<p>Sáng 5/3, tại <a href="/tin-tuc/khoi-cong.html" class="link">huyện Tân Phú</a>,
<strong>UBND tỉnh</strong> tổ chức lễ khởi công. Liên hệ
<a href="mailto:vanphong@example.gov.vn">văn phòng</a> hoặc
<a href="javascript:void(0)" onclick="share()">chia sẻ</a>.</p>
<p>&nbsp;</p>
<figure class="image"><img src="/uploads/2024/khoi-cong.jpg"><figcaption>Các đại biểu
thực hiện nghi thức khởi công.</figcaption></figure>
<blockquote><p>Dự án có ý nghĩa <em>rất quan trọng</em>.</p><p>Phải hoàn thành đúng hạn.</p></blockquote>
<ol start="3"><li>Giai đoạn ba</li><li>Giai đoạn bốn
<ul><li>hạng mục A</li></ul></li></ol>
<iframe src="https://www.youtube.com/embed/abc"></iframe>
<script>track();</script>
</article></body></html>"#;

#[test]
fn a_web_page_keeps_its_structure_and_drops_scripts() {
    let converted = convert(WEB_PAGE);
    assert_eq!(
        converted.markdown,
        "### Khởi công dự án\n\n\
         Sáng 5/3, tại [huyện Tân Phú](/tin-tuc/khoi-cong.html), **UBND tỉnh** tổ chức lễ \
         khởi công. Liên hệ [văn phòng](mailto:vanphong@example.gov.vn) hoặc chia sẻ.\n\n\
         ![Các đại biểu thực hiện nghi thức khởi công.](/uploads/2024/khoi-cong.jpg)\n\n\
         *Các đại biểu thực hiện nghi thức khởi công.*\n\n\
         > Dự án có ý nghĩa *rất quan trọng*.\n>\n> Phải hoàn thành đúng hạn.\n\n\
         3. Giai đoạn ba\n4. Giai đoạn bốn\n   - hạng mục A\n"
    );
    assert_eq!(converted.notes.len(), 2, "{:?}", converted.notes);
    assert!(converted.notes[0].contains("javascript:void(0)"));
    assert!(converted.notes[1].contains("youtube.com/embed/abc"));
}

#[test]
fn h1_is_a_second_level_heading_and_lower_ones_follow() {
    assert_eq!(
        md("<h1>Một</h1><h3>Ba</h3><h6>Sáu</h6>"),
        "## Một\n\n#### Ba\n\n###### Sáu\n"
    );
}

#[test]
fn tables_get_a_header_row_and_rowspans_leave_empty_cells() {
    let html = "<table><thead><tr><th>Tên</th><th>Năm</th><th>Ghi chú</th></tr></thead>\
                <tbody><tr><td rowspan=2>Đề tài <b>A</b></td><td>2020</td><td>x</td></tr>\
                <tr><td>2021</td><td>y</td></tr></tbody></table>";
    assert_eq!(
        md(html),
        "| Tên | Năm | Ghi chú |\n| --- | --- | --- |\n| Đề tài **A** | 2020 | x |\n|  | 2021 | y |\n"
    );
}

#[test]
fn a_one_column_layout_table_becomes_its_paragraphs() {
    let html = "<table><tr><td><img src='a.jpg' alt='Ảnh'></td></tr>\
                <tr><td><p><i>Chú thích</i></p></td></tr></table>";
    assert_eq!(md(html), "![Ảnh](a.jpg)\n\n*Chú thích*\n");
}

#[test]
fn a_table_in_a_table_is_flattened_with_a_note() {
    let html =
        "<table><tr><td>a</td><td><table><tr><td>b</td><td>c</td></tr></table></td></tr></table>";
    let converted = convert(html);
    assert_eq!(converted.markdown, "| a | b<br>c |\n| --- | --- |\n");
    assert_eq!(converted.notes.len(), 1);
}

#[test]
fn empty_paragraphs_and_non_breaking_space_runs_disappear() {
    assert_eq!(
        md("<p>&nbsp;</p><p>Một&nbsp;&nbsp;&nbsp; hai</p><p> <span> </span><br></p><div></div>"),
        "Một hai\n"
    );
}

#[test]
fn line_breaks_are_kept_inside_paragraphs() {
    assert_eq!(
        md("<p>Dòng một<br>Dòng hai<br></p>"),
        "Dòng một\\\nDòng hai\n"
    );
}

#[test]
fn paragraphs_inside_a_list_item_stay_in_the_item() {
    assert_eq!(
        md("<ul><li><p>Một</p><p>tiếp</p></li><li>Hai</li></ul>"),
        "- Một\\\n  tiếp\n- Hai\n"
    );
}

#[test]
fn links_other_than_web_and_mail_lose_their_address_but_keep_their_text() {
    let converted = convert(
        "<p><a href='#_ftn1'>[1]</a> <a href='file:///C:/a.doc'>tệp</a> \
         <a href='?tabid=1'>trang</a> <a>neo</a></p>",
    );
    assert_eq!(converted.markdown, "\\[1\\] tệp [trang](?tabid=1) neo\n");
    assert_eq!(converted.notes.len(), 1, "{:?}", converted.notes);
}

#[test]
fn hidden_text_is_dropped() {
    assert_eq!(
        md("<p>Hiện<span style='display:none'>ẩn</span><span style='mso-hide:all'>ẩn</span></p>"),
        "Hiện\n"
    );
}

#[test]
fn output_is_nfc() {
    assert_eq!(md("<p>Vie\u{0302}\u{0323}t Nam</p>"), "Việt Nam\n");
}

#[test]
fn very_deep_nesting_keeps_its_text() {
    let html = format!(
        "{}sâu{}",
        "<div><span>".repeat(5000),
        "</span></div>".repeat(5000)
    );
    let converted = convert(&html);
    assert_eq!(converted.markdown, "sâu\n");
    assert_eq!(converted.notes.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_input_never_panics(input in any::<String>()) {
        let _ = convert(&input);
    }

    #[test]
    fn arbitrary_tag_soup_never_panics(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just("<p>"), Just("</p>"), Just("<li>"), Just("<ul>"), Just("</ul>"),
                Just("<ol start=0>"), Just("<table>"), Just("<tr>"), Just("<td colspan=99>"),
                Just("<td rowspan=7>"), Just("</table>"), Just("<blockquote>"), Just("<b>"),
                Just("<i>"), Just("<a href='javascript:x'>"), Just("<a href=x>"), Just("</a>"),
                Just("<img src=a>"), Just("<img>"), Just("<br>"), Just("<h1>"), Just("<h7>"),
                Just("<figure>"), Just("<figcaption>"), Just("<pre>"), Just("x\ny"),
                Just("&nbsp;"), Just("<!--[if gte mso 9]>"), Just("<![endif]-->"),
                Just("<p style='mso-list:l0 level9 lfo1'>"), Just("<span style='mso-list:Ignore'>"),
                Just("1."), Just("·"), Just("*_|#-"), Just("</span>"), Just("<o:p>"),
            ],
            0..60,
        )
    ) {
        let converted = convert(&pieces.concat());
        prop_assert!(converted.markdown.is_empty() || converted.markdown.ends_with('\n'));
    }
}
