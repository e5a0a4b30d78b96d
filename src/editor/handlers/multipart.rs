//! `multipart/form-data` bodies, as a browser sends a form with a file input when no script
//! runs: the parts between the boundary lines, each with its field name, its file name (for
//! a file) and its bytes. Only what the editor's own forms send is read: no nested parts,
//! no transfer encodings (browsers send neither).

/// One field of a multipart body.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Part<'a> {
    /// The field's name.
    pub(super) name: String,
    /// The file's name as the browser gave it, for a file field.
    pub(super) filename: Option<String>,
    /// The field's value or the file's bytes.
    pub(super) data: &'a [u8],
}

/// The boundary of a `multipart/form-data` content type, `None` for any other type.
pub(super) fn boundary(content_type: &str) -> Option<String> {
    let mut params = split_params(content_type).into_iter();
    let kind = params.next()?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .filter_map(|p| param(&p, "boundary"))
        .find(|b| !b.is_empty() && b.len() <= 200)
}

/// The parts of `body`; `None` when it is not a well-formed multipart body.
pub(super) fn parts<'a>(body: &'a [u8], boundary: &str) -> Option<Vec<Part<'a>>> {
    let delimiter = format!("--{boundary}");
    let finder = memchr::memmem::Finder::new(delimiter.as_bytes());
    let inner_delimiter = format!("\r\n{delimiter}");
    let inner = memchr::memmem::Finder::new(inner_delimiter.as_bytes());
    let mut at = finder.find(body)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        let rest = rest.strip_prefix(b"\r\n")?;
        let head_end = memchr::memmem::find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        let content = &rest[head_end + 4..];
        let end = inner.find(content)?;
        let (name, filename) = disposition(head)?;
        parts.push(Part {
            name,
            filename,
            data: &content[..end],
        });
        // Past the data, the CRLF and the delimiter.
        at = body.len() - content.len() + end + 2 + delimiter.len();
    }
}

/// The field name and file name of a part's `Content-Disposition: form-data` header.
fn disposition(head: &str) -> Option<(String, Option<String>)> {
    let line = head.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case("content-disposition")
            .then_some(value)
    })?;
    let params = split_params(line);
    if !params.first()?.trim().eq_ignore_ascii_case("form-data") {
        return None;
    }
    let name = params.iter().find_map(|p| param(p, "name"))?;
    let filename = params.iter().find_map(|p| param(p, "filename"));
    Some((name, filename))
}

/// `key=value` or `key="value"` when `p` is that key (case-insensitive), with `\"` unescaped.
fn param(p: &str, key: &str) -> Option<String> {
    let (k, v) = p.split_once('=')?;
    if !k.trim().eq_ignore_ascii_case(key) {
        return None;
    }
    let v = v.trim();
    Some(
        match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\\\"", "\"").replace("\\\\", "\\"),
            None => v.to_string(),
        },
    )
}

/// Splits a header value on `;` outside double quotes.
fn split_params(value: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let (mut quoted, mut escaped) = (false, false);
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\n\
Content-Disposition: form-data; name=\"csrf\"\r\n\r\n\
tok-en\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"tep\"; filename=\"B\xc3\xa1o c\xc3\xa1o; \\\"cu\\\".docx\"\r\n\
Content-Type: application/octet-stream\r\n\r\n\
PK\x03\x04\r\n--X not the end\r\n\
--XyZ--\r\n";

    #[test]
    fn the_boundary_comes_from_a_multipart_form_type_only() {
        assert_eq!(
            boundary("multipart/form-data; boundary=----WebKitFormBoundaryAbc").as_deref(),
            Some("----WebKitFormBoundaryAbc")
        );
        assert_eq!(
            boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(boundary("multipart/mixed; boundary=x"), None);
    }

    #[test]
    fn fields_and_files_are_read_with_their_names_and_exact_bytes() {
        let parts = parts(BODY, "XyZ").unwrap();
        assert_eq!(
            parts,
            vec![
                Part {
                    name: "csrf".into(),
                    filename: None,
                    data: b"tok-en",
                },
                Part {
                    name: "tep".into(),
                    filename: Some("Báo cáo; \"cu\".docx".into()),
                    data: b"PK\x03\x04\r\n--X not the end",
                },
            ]
        );
    }

    #[test]
    fn malformed_bodies_give_nothing_rather_than_a_guess() {
        assert_eq!(parts(b"no boundary here", "XyZ"), None);
        // Cut off before the closing delimiter.
        assert_eq!(parts(&BODY[..BODY.len() - 20], "XyZ"), None);
        // A part without a Content-Disposition.
        assert_eq!(parts(b"--XyZ\r\nX: y\r\n\r\nv\r\n--XyZ--", "XyZ"), None);
        assert_eq!(parts(b"--XyZ--\r\n", "XyZ"), Some(Vec::new()));
    }
}
