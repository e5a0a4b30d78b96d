//! Importing a Word .docx from the editor (`POST {prefix}/nhap-word`): the file (the raw body,
//! name and category in the query, as the script sends it; or a `multipart/form-data` form
//! post without the script) is checked by its content, written to a temporary file in
//! `.trangtin/`, and imported by [`crate::import::import_docx`] as a draft beside this month's
//! articles. The answer is the draft's edit page, whose address carries what the import left
//! out (shown there as a notice in Vietnamese).

use super::multipart;
use super::*;
use crate::import::{DocxError, ImportRequest, Imported, Skipped};
use std::io::Write;

/// The query field of the edit page that lists what an import left out (`hinh-ve:2,...`).
const REPORT_FIELD: &str = "nhap-word";

/// What the import could not convert, each kind with its code in the edit page's address and
/// its phrase in the notice.
const SKIPPED: [(Skipped, &str, &str); 10] = [
    (
        Skipped::ImageFormat,
        "anh-dinh-dang",
        "ảnh ở định dạng trình duyệt không hiển thị được (EMF, WMF, TIFF…): đã bỏ; hãy lưu \
         ảnh thành JPEG hoặc PNG rồi thêm vào bài",
    ),
    (
        Skipped::LinkedImage,
        "anh-lien-ket",
        "ảnh chỉ liên kết tới tệp bên ngoài, không nằm trong tệp Word: đã bỏ",
    ),
    (
        Skipped::Drawing,
        "hinh-ve",
        "biểu đồ, SmartArt hoặc hình vẽ: đã bỏ",
    ),
    (
        Skipped::TextBox,
        "hop-chu",
        "hộp văn bản (text box): đã bỏ cả chữ trong đó",
    ),
    (Skipped::Equation, "cong-thuc", "công thức toán: đã bỏ"),
    (
        Skipped::Object,
        "doi-tuong",
        "đối tượng nhúng (bảng Excel…): đã bỏ",
    ),
    (
        Skipped::Note,
        "chu-thich",
        "chú thích cuối trang hoặc cuối bài: đã bỏ",
    ),
    (
        Skipped::Symbol,
        "ky-hieu",
        "ký hiệu của phông ký hiệu (Wingdings, Symbol): đã bỏ",
    ),
    (
        Skipped::NestedTable,
        "bang-long",
        "bảng lồng trong bảng: chỉ giữ lại chữ",
    ),
    (
        Skipped::InternalLink,
        "lien-ket-trong",
        "liên kết tới chỗ khác trong tài liệu: giữ chữ, bỏ liên kết",
    ),
];

/// The message for a .doc (Word 97–2003).
const OLD_DOC: &str = "Tệp .doc (Word 97–2003) chưa được nhận; mở bằng Word và lưu thành .docx \
                       (Tệp → Lưu thành → Tài liệu Word (*.docx)) rồi nhập tệp đó.";

/// The uploaded file and what came with it.
struct Upload<'a> {
    bytes: std::borrow::Cow<'a, [u8]>,
    category: Option<String>,
}

impl<'a> Upload<'a> {
    /// The file of a form post (its `tep` field and `chuyen-muc`), or the raw body with
    /// `chuyen-muc` in the query.
    fn from(request: &'a Request) -> Result<Upload<'a>, (u16, String)> {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let Some(boundary) = multipart::boundary(content_type) else {
            return Ok(Upload {
                bytes: std::borrow::Cow::Borrowed(&request.body),
                category: request.param("chuyen-muc").map(str::to_string),
            });
        };
        let parts = multipart::parts(&request.body, &boundary).ok_or_else(|| {
            (
                400,
                "Trình duyệt gửi tệp không trọn vẹn; hãy thử lại.".to_string(),
            )
        })?;
        let category = parts
            .iter()
            .find(|p| p.name == "chuyen-muc")
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
            .or_else(|| request.param("chuyen-muc").map(str::to_string));
        let file = parts
            .into_iter()
            .find(|p| p.name == "tep" && p.filename.as_deref().is_some_and(|n| !n.is_empty()))
            .ok_or_else(|| (400, "Hãy chọn một tệp Word (.docx) để nhập.".to_string()))?;
        Ok(Upload {
            bytes: std::borrow::Cow::Owned(file.data),
            category,
        })
    }
}

/// Imports the uploaded .docx as a draft: the draft's edit page (a redirect, or JSON with
/// its `url` for the script), or the refusal in Vietnamese.
pub(super) fn import_word(editor: &Editor, who: &Who, request: &Request) -> Reply {
    let json = request.wants_json();
    let refused = |(status, message): (u16, String)| Reply::refused(status, &message, json);
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let upload = match Upload::from(request) {
        Ok(upload) => upload,
        Err(refusal) => return refused(refusal),
    };
    if let Err(refusal) = check(&upload.bytes) {
        return refused(refusal);
    }
    let categories = category_names(editor, &config);
    let category = match choose_category(&categories, upload.category.as_deref()) {
        Ok(category) => category,
        Err(refusal) => return refused(refusal),
    };
    let author = super::articles::last_author(&editor.root, &who.key)
        .map(|(author, _)| author)
        .filter(|a| !a.trim().is_empty())
        .or_else(|| config.default_author.clone());
    let imported = match import(editor, &upload.bytes, category, author, now(&config)) {
        Ok(imported) => imported,
        Err(refusal) => return refused(refusal),
    };
    let content = editor.root.join(CONTENT_DIR);
    let relative = imported
        .article
        .strip_prefix(&content)
        .map(crate::content::source_name)
        .unwrap_or_default();
    editor.record(who, "nhập từ Word", &format!("{CONTENT_DIR}/{relative}"));
    let url = format!(
        "{}/sua?tep={}&{REPORT_FIELD}={}",
        editor.prefix,
        percent_encoding::utf8_percent_encode(&relative, QUERY),
        percent_encoding::utf8_percent_encode(&report_codes(&imported.report), QUERY),
    );
    if json {
        Reply::json(
            200,
            serde_json::json!({
                "ok": true, "path": relative, "url": url, "title": imported.title,
                "notes": skipped_phrases(&report_codes(&imported.report)),
            }),
        )
    } else {
        Reply::redirect(url)
    }
}

/// Writes the upload to a temporary file in `.trangtin/` (outside `content/`, removed when
/// done) and imports it.
fn import(
    editor: &Editor,
    bytes: &[u8],
    category: String,
    author: Option<String>,
    now: DateTime<FixedOffset>,
) -> Result<Imported, (u16, String)> {
    let state = editor.root.join(store::STATE_DIR);
    let server_error = |e: std::io::Error| {
        (
            500,
            format!("Không ghi được tệp tạm trong {}: {e}", store::STATE_DIR),
        )
    };
    std::fs::create_dir_all(&state).map_err(server_error)?;
    let mut temp = tempfile::Builder::new()
        .prefix("nhap-word-")
        .suffix(".docx")
        .tempfile_in(&state)
        .map_err(server_error)?;
    temp.write_all(bytes).map_err(server_error)?;
    let request = ImportRequest {
        root: editor.root.clone(),
        file: temp.path().to_path_buf(),
        category: Some(category),
        title: None,
        author,
        date: None,
        now: Some(now),
    };
    let result = {
        let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        crate::import::import_docx(&request)
    };
    result.map_err(|error| match crate::import::Document::read(bytes) {
        Err(docx) => refusal(&docx),
        Ok(document) if document.title().is_none() => (
            422,
            "Tệp Word không có chữ nào để lấy làm tiêu đề; hãy thêm tiêu đề vào đầu tệp rồi \
             nhập lại."
                .to_string(),
        ),
        Ok(_) => (422, format!("Không nhập được tệp Word: {error}")),
    })
}

/// Whether `bytes` are a .docx the import may take: a Word document by content (through
/// [`uploads::check`]) within the attachment limit; otherwise the status and what to do.
fn check(bytes: &[u8]) -> Result<(), (u16, String)> {
    match uploads::check(bytes) {
        Ok(uploads::Kind::Docx) => Ok(()),
        Ok(kind) => Err((
            415,
            format!(
                "Đây là tệp {} chứ không phải tệp Word .docx.",
                kind.extension().to_uppercase()
            ),
        )),
        Err(refused @ uploads::Refused::TooLarge(_)) => Err((413, refused.message())),
        Err(uploads::Refused::Empty) => Err((400, "Tệp rỗng.".to_string())),
        // What it is instead (a .doc, a document with a password, RTF, PDF...) says what to do.
        Err(_) => Err(match crate::import::Document::read(bytes) {
            Err(docx) => refusal(&docx),
            Ok(_) => (415, "Tệp này không phải tệp Word .docx.".to_string()),
        }),
    }
}

/// Why a file cannot be imported, in Vietnamese, with its status.
fn refusal(error: &DocxError) -> (u16, String) {
    match error {
        DocxError::OldDoc => (415, OLD_DOC.to_string()),
        DocxError::Protected => (
            415,
            "Tệp Word có đặt mật khẩu; hãy bỏ mật khẩu (trong Word: Tệp → Thông tin → Bảo vệ \
             tài liệu → Mã hoá bằng mật khẩu, xoá mật khẩu), lưu lại rồi nhập lại."
                .to_string(),
        ),
        DocxError::OtherFormat(what) => (
            415,
            format!("Tệp này không phải tệp Word .docx ({what}); mở bằng Word và lưu thành .docx."),
        ),
        DocxError::NotZip | DocxError::NotDocx(_) => {
            (415, "Tệp này không phải tệp Word .docx.".to_string())
        }
        DocxError::Damaged { part, .. } => (
            422,
            format!(
                "Tệp Word bị hỏng (không đọc được phần {part}); mở bằng Word, lưu lại rồi \
                 nhập lại."
            ),
        ),
    }
}

/// The category asked for, written as the site writes it, or the site's first.
fn choose_category(categories: &[String], asked: Option<&str>) -> Result<String, (u16, String)> {
    let asked = asked.map(str::trim).filter(|c| !c.is_empty());
    let found = match asked {
        Some(name) => {
            let wanted = crate::text::nfc(name).to_lowercase();
            categories
                .iter()
                .find(|c| crate::text::nfc(c).to_lowercase() == wanted)
                .ok_or_else(|| (400, format!("Không có chuyên mục “{name}”.")))?
        }
        None => categories.first().ok_or_else(|| {
            (
                400,
                "Trang chưa có chuyên mục nào; hãy thêm chuyên mục vào config.yaml.".to_string(),
            )
        })?,
    };
    Ok(found.clone())
}

/// What the report counts, as the edit page's address carries it: `hinh-ve:2,cong-thuc:1`.
fn report_codes(report: &crate::import::Report) -> String {
    SKIPPED
        .iter()
        .filter_map(|(kind, code, _)| {
            let count = report.count(*kind);
            (count > 0).then(|| format!("{code}:{count}"))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The phrases of the codes (unknown codes and counts are ignored: the address is the
/// clerk's to edit, and only the server's own phrases are shown).
fn skipped_phrases(codes: &str) -> Vec<String> {
    codes
        .split(',')
        .filter_map(|item| {
            let (code, count) = item.split_once(':')?;
            let count: u32 = count.parse().ok().filter(|n| *n > 0)?;
            let (_, _, phrase) = SKIPPED.iter().find(|(_, c, _)| *c == code)?;
            Some(format!("{count} {phrase}"))
        })
        .collect()
}

/// The notice of an edit page opened right after an import: `None` for any other visit.
pub(super) fn notice(request: &Request) -> Option<String> {
    let codes = request.param(REPORT_FIELD)?;
    let phrases = skipped_phrases(codes);
    let mut notice = "Đã nhập từ tệp Word thành bài nháp; hãy đọc lại trước khi đăng.".to_string();
    if !phrases.is_empty() {
        notice.push_str(" Những phần không chuyển được: ");
        notice.push_str(&phrases.join("; "));
        notice.push('.');
    }
    Some(notice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_goes_through_the_address_and_back_as_vietnamese() {
        let mut report = crate::import::Report::default();
        report.counts.insert(Skipped::Equation, 2);
        report.counts.insert(Skipped::Drawing, 1);
        let codes = report_codes(&report);
        assert_eq!(codes, "hinh-ve:1,cong-thuc:2");
        assert_eq!(
            skipped_phrases(&codes),
            [
                "1 biểu đồ, SmartArt hoặc hình vẽ: đã bỏ",
                "2 công thức toán: đã bỏ"
            ]
        );
        assert_eq!(report_codes(&crate::import::Report::default()), "");
    }

    #[test]
    fn every_kind_of_skipped_element_has_a_code_and_a_phrase() {
        let codes: std::collections::BTreeSet<&str> = SKIPPED.iter().map(|s| s.1).collect();
        let kinds: std::collections::BTreeSet<Skipped> = SKIPPED.iter().map(|s| s.0).collect();
        assert_eq!(codes.len(), SKIPPED.len());
        assert_eq!(kinds.len(), SKIPPED.len());
    }

    #[test]
    fn made_up_codes_in_the_address_show_nothing() {
        assert!(skipped_phrases("<script>:1,hinh-ve:x,hinh-ve:0,:,,").is_empty());
    }

    #[test]
    fn an_old_doc_and_other_files_are_refused_by_content() {
        let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        doc.resize(1024, 0);
        let (status, message) = check(&doc).unwrap_err();
        assert_eq!(status, 415);
        assert!(
            message.starts_with("Tệp .doc (Word 97–2003) chưa được nhận"),
            "{message}"
        );
        let (status, message) = check(b"\x89PNG\r\n\x1a\n....").unwrap_err();
        assert_eq!(
            (status, message.as_str()),
            (415, "Đây là tệp PNG chứ không phải tệp Word .docx.")
        );
        assert_eq!(check(b"random bytes").unwrap_err().0, 415);
        assert_eq!(check(b"").unwrap_err().0, 400);
    }

    #[test]
    fn a_docx_over_the_attachment_limit_is_too_big() {
        let docx = |padding: usize| {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            zip.start_file("word/document.xml", options).unwrap();
            zip.write_all(b"<w:document/>").unwrap();
            zip.start_file("word/media/image1.png", options).unwrap();
            zip.write_all(&vec![7u8; padding]).unwrap();
            zip.finish().unwrap().into_inner()
        };
        assert_eq!(check(&docx(1024)), Ok(()));
        let (status, message) = check(&docx(uploads::ATTACHMENT_LIMIT)).unwrap_err();
        assert_eq!(status, 413, "{message}");
        assert!(message.contains("20 MB"), "{message}");
    }

    #[test]
    fn the_category_is_the_sites_spelling_or_its_first() {
        let categories = vec!["Tin tức".to_string(), "Thông báo".to_string()];
        assert_eq!(choose_category(&categories, None).unwrap(), "Tin tức");
        assert_eq!(choose_category(&categories, Some(" ")).unwrap(), "Tin tức");
        assert_eq!(
            choose_category(&categories, Some("thông báo")).unwrap(),
            "Thông báo"
        );
        assert_eq!(
            choose_category(&categories, Some("Khác")).unwrap_err().0,
            400
        );
        assert_eq!(choose_category(&[], None).unwrap_err().0, 400);
    }
}
