//! `multipart/form-data` bodies, as a browser sends a form with a file input when no script
//! runs: each part's field name, its file name (for a file) and its bytes, read by `multer`
//! (the parser of axum and warp) from a body already in memory and within its limit.

/// One field of a multipart body.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Part {
    /// The field's name.
    pub(super) name: String,
    /// The file's name as the browser gave it, for a file field.
    pub(super) filename: Option<String>,
    /// The field's value or the file's bytes.
    pub(super) data: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type, `None` for any other type.
pub(super) fn boundary(content_type: &str) -> Option<String> {
    multer::parse_boundary(content_type)
        .ok()
        .filter(|b| !b.is_empty() && b.len() <= 200)
}

/// The parts of `body`; `None` when it is not a well-formed multipart body.
pub(super) fn parts(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let chunk: Result<Vec<u8>, std::convert::Infallible> = Ok(body.to_vec());
    let mut multipart =
        multer::Multipart::new(futures::stream::once(std::future::ready(chunk)), boundary);
    // The whole body is in memory: every future here is ready at once.
    futures::executor::block_on(async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.ok()? {
            let name = field.name()?.to_string();
            let filename = field.file_name().map(str::to_string);
            let data = field.bytes().await.ok()?.to_vec();
            parts.push(Part {
                name,
                filename,
                data,
            });
        }
        Some(parts)
    })
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
                    data: b"tok-en".to_vec(),
                },
                Part {
                    name: "tep".into(),
                    filename: Some("Báo cáo; \"cu\".docx".into()),
                    data: b"PK\x03\x04\r\n--X not the end".to_vec(),
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
