//! The live preview, paste (HTML → Markdown), uploads, and the content files the preview
//! shows.

use super::*;

pub(super) fn preview(editor: &Editor, pairs: &[(String, String)]) -> Reply {
    let body = field(pairs, "body")
        .unwrap_or_default()
        .replace("\r\n", "\n");
    // Relative addresses are files beside the article; a new article's uploads go to this
    // month's folder (see `save_upload`).
    let folder = match field(pairs, "path").filter(|p| !p.is_empty()) {
        Some(path) => store::safe_relative(path)
            .and_then(|p| p.parent().map(crate::content::source_name))
            .unwrap_or_default(),
        None => config(editor)
            .map(|c| new_article_month(&c, field(pairs, "ngay")))
            .unwrap_or_default(),
    };
    let files = format!("{}/tep/", editor.prefix);
    let resolve = |dest: &str, _image: bool| {
        let relative =
            !dest.is_empty() && !dest.starts_with(['/', '#', '?']) && !dest.contains(':');
        if relative && !folder.is_empty() {
            crate::markdown::LinkTarget::Rewrite(format!("{files}{folder}/{dest}"))
        } else {
            crate::markdown::LinkTarget::Keep
        }
    };
    let rendered = crate::markdown::render(&crate::text::nfc(&body), &resolve, 0);
    Reply {
        status: 200,
        content_type: HTML,
        headers: Vec::new(),
        body: rendered.html.into_bytes(),
    }
}

/// Pasted HTML → Markdown through the importer's converter ([`crate::import::html`]):
/// pasted `data:` images are saved as uploads beside the article, web addresses are kept,
/// local files (`file:` addresses Word puts on the clipboard) are left out with a note.
pub(super) fn paste(editor: &Editor, who: &Who, pairs: &[(String, String)]) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let html = field(pairs, "html").unwrap_or_default();
    let article = field(pairs, "tep");
    let mut refused = Vec::new();
    let mut images = |image: &crate::import::html::ImageSource| -> Option<String> {
        if image.src.starts_with("http://") || image.src.starts_with("https://") {
            return Some(image.src.clone());
        }
        let bytes = data_url_bytes(&image.src)?;
        let name = if image.alt.is_empty() {
            "anh-dan"
        } else {
            &image.alt
        };
        match save_upload(editor, &config, article, field(pairs, "ngay"), name, &bytes) {
            Ok((name, kind, written)) if kind.is_image() => {
                editor.record(who, "tải ảnh dán vào lên", &written);
                Some(name)
            }
            Ok(_) => None,
            Err(reply) => {
                refused.push(String::from_utf8_lossy(&reply.body).into_owned());
                None
            }
        }
    };
    let converted = crate::import::html::html_to_markdown(html, &mut images);
    let mut notes = converted.notes;
    if !refused.is_empty() {
        notes.push(format!("{} ảnh dán vào không lưu được.", refused.len()));
    }
    Reply::json(
        200,
        serde_json::json!({"markdown": converted.markdown, "notes": notes}),
    )
}

/// The month folder (`2026/12`) of a new article's files: that of the date in its form
/// (`yyyy-mm-dd`), else this month's.
fn new_article_month(config: &Config, date: Option<&str>) -> String {
    date.and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .map(|d| d.format("%Y/%m").to_string())
        .unwrap_or_else(|| now(config).format("%Y/%m").to_string())
}

/// An uploaded file saved beside its article (or, for a new article, in the month folder of
/// its date): the name it got, its kind and where it went (`content/2026/12/anh.jpg`, for
/// the audit log), or the refusal to answer with.
fn save_upload(
    editor: &Editor,
    config: &Config,
    article: Option<&str>,
    date: Option<&str>,
    client_name: &str,
    bytes: &[u8],
) -> Result<(String, uploads::Kind, String), Reply> {
    let kind = uploads::check(bytes).map_err(|refused| {
        let status = match refused {
            uploads::Refused::TooLarge(_) => 413,
            _ => 415,
        };
        Reply::refused(status, &refused.message(), true)
    })?;
    // The folder is the server's choice: beside the article, or this month's folder.
    let folder = match article
        .filter(|p| !p.is_empty())
        .map(|p| store::article_file(&editor.root, p))
    {
        Some(Ok(file)) => file.parent().map(Path::to_path_buf),
        Some(Err(e)) => return Err(Reply::refused(400, &e.message(), true)),
        None => None,
    }
    .unwrap_or_else(|| {
        editor
            .root
            .join(CONTENT_DIR)
            .join(new_article_month(config, date))
    });
    if !store::inside_content(&editor.root, &folder) {
        return Err(Reply::refused(
            400,
            &store::StoreError::NotAllowed.message(),
            true,
        ));
    }
    let stem = uploads::stem(client_name);
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    let name = store::free_name(&folder, &stem, kind.extension());
    let file = folder.join(&name);
    store::write_new(&file, bytes).map_err(|e| Reply::refused(500, &e.message(), true))?;
    let written = crate::content::source_name(file.strip_prefix(&editor.root).unwrap_or(&file));
    Ok((name, kind, written))
}

pub(super) fn upload(editor: &Editor, who: &Who, request: &Request) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let (name, kind, written) = match save_upload(
        editor,
        &config,
        request.param("tep"),
        request.param("ngay"),
        request.param("ten").unwrap_or_default(),
        &request.body,
    ) {
        Ok(saved) => saved,
        Err(reply) => return reply,
    };
    editor.record(who, "tải tệp lên", &written);
    let markdown = if kind.is_image() {
        format!("![]({name})")
    } else {
        format!("[{name}]({name})")
    };
    Reply::json(
        200,
        serde_json::json!({
            "ok": true, "name": name, "image": kind.is_image(), "markdown": markdown,
        }),
    )
}

/// The bytes of a `data:...;base64,` address.
fn data_url_bytes(src: &str) -> Option<Vec<u8>> {
    let rest = src.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    if !meta.ends_with(";base64") {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0u32);
    for byte in data.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

/// A file under `content/` (photos of the preview), read-only.
pub(super) fn content_file(editor: &Editor, raw: &str) -> Reply {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    let Some(relative) = store::safe_relative(&decoded) else {
        return Reply::refused(400, "Đường dẫn tệp không hợp lệ.", false);
    };
    let path = editor.root.join(CONTENT_DIR).join(&relative);
    if !store::inside_content(&editor.root, &path) {
        return Reply::refused(404, "Không tìm thấy tệp.", false);
    }
    let content_type = crate::serve::http::content_type(&decoded);
    // Photos, videos and PDFs as they are; anything else (an `.html` or `.svg` someone put
    // in content/) in a sandbox, so that it runs no script as the editing area.
    let passive = [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
    ]
    .contains(&content_type)
        || content_type.starts_with("video/")
        || content_type.starts_with("audio/")
        || content_type == "application/pdf";
    let headers = if passive {
        Vec::new()
    } else {
        vec![("content-security-policy", http::FILE_POLICY.to_string())]
    };
    match std::fs::read(&path) {
        Ok(bytes) => Reply {
            status: 200,
            content_type,
            headers,
            body: bytes,
        },
        Err(_) => Reply::refused(404, "Không tìm thấy tệp.", false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_addresses_decode_and_others_do_not() {
        assert_eq!(
            data_url_bytes("data:image/png;base64,iVBORw0KGgo=").unwrap(),
            b"\x89PNG\r\n\x1a\n"
        );
        assert_eq!(data_url_bytes("data:text/plain,hello"), None);
        assert_eq!(data_url_bytes("file:///C:/x.png"), None);
        assert_eq!(data_url_bytes("data:image/png;base64,*"), None);
    }
}
