//! What a file of the build output is, for whoever serves it: its `Content-Type` (from its
//! extension) and how long caches may keep it. `serve` answers with these, and
//! `trangtin deploy --to s3://` stores them with each object.

/// The `Content-Type` of a page.
pub const HTML: &str = "text/html; charset=utf-8";

/// The `Content-Type` of a file, from its extension; text types say `charset=utf-8`.
pub fn content_type(path: &str) -> &'static str {
    match extension(path).as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

/// The `Cache-Control` of a file, the same policy as the web servers' files that a build
/// writes (`output::hosting`): pages and feeds are revalidated every time (`no-cache`: a
/// correction shows at once); styles, scripts and pictures are kept a week (the theme's
/// files are linked with `?v=<content hash>`, so a new theme is a new address); the rest
/// (the search index, attachments) an hour.
pub fn cache_control(path: &str) -> &'static str {
    let ext = extension(path);
    match ext.as_str() {
        "html" | "htm" | "xml" => "no-cache",
        "css" | "js" | "mjs" | "svg" | "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "ico"
        | "pdf" | "woff" | "woff2" | "ttf" | "otf" => "public, max-age=604800",
        _ => "public, max-age=3600",
    }
}

/// The extension of the file name at the end of `path`, in lower case (`""` when none).
fn extension(path: &str) -> String {
    path.rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_revalidated_and_pictures_kept_a_week() {
        assert_eq!(cache_control("index.html"), "no-cache");
        assert_eq!(cache_control("rss.xml"), "no-cache");
        assert_eq!(cache_control("css/style.css"), "public, max-age=604800");
        assert_eq!(cache_control("anh/a.JPG"), "public, max-age=604800");
        assert_eq!(cache_control("search/index.json"), "public, max-age=3600");
        assert_eq!(cache_control("README"), "public, max-age=3600");
    }
}
