//! Addresses of a wget mirror: the old address of a saved page (its path in the mirror,
//! `?` saved as `@`, `.html` added by `--adjust-extension`), and the saved file an image
//! address points to.

use percent_encoding::percent_decode_str;
use std::path::{Component, Path, PathBuf};

/// Extensions of pages a server made (wget adds `.html` after them).
const SCRIPT_EXTENSIONS: &[&str] = &[".aspx", ".asp", ".php", ".jsp", ".cfm", ".shtml"];

/// The old address of the page saved at `relative` (a path inside the mirror, `/`-separated
/// or not), under the old portal's path `base_path` (`""` or `/portal`):
/// `Default.aspx@tabid=125&ItemID=12345.html` → `/Default.aspx?tabid=125&ItemID=12345`.
/// `None` for the home page (`index.html`), which the new site answers itself.
pub(super) fn old_address(relative: &Path, base_path: &str, host: &str) -> Option<String> {
    let mut parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    // A mirror given with its host folder (`mirror/skhcn.example.gov.vn/...`).
    let bare_host = host.split("://").nth(1).unwrap_or(host);
    if parts.len() > 1 && parts[0].eq_ignore_ascii_case(bare_host) {
        parts.remove(0);
    }
    let name = parts.pop()?;
    let (mut file, query) = match name.find(['@', '?']) {
        Some(i) => (name[..i].to_string(), Some(name[i + 1..].to_string())),
        None => (name, None),
    };
    let query = query.map(|q| strip_added_html(&q, true));
    if query.is_none() {
        file = strip_added_html(&file, false);
    }
    let mut path = format!("{base_path}/");
    for part in &parts {
        path.push_str(part);
        path.push('/');
    }
    if !(query.is_none() && (file == "index.html" || file == "index.htm")) {
        path.push_str(&file);
    }
    if path == "/" && query.is_none() {
        return None;
    }
    Some(match query {
        Some(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path,
    })
}

/// Removes the `.html` wget adds: after a query string always, after a file name only
/// when it names a server page (`tin.aspx.html`).
fn strip_added_html(name: &str, query: bool) -> String {
    if let Some(stem) = name.strip_suffix(".html") {
        let lower = stem.to_ascii_lowercase();
        if query || SCRIPT_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
            return stem.to_string();
        }
    }
    name.to_string()
}

/// The saved file an image address of the page at `page` (inside the mirror `root`)
/// points to, when it is in the mirror: relative addresses from the page's folder,
/// `/...` and the old portal's own absolute addresses from the mirror's root (the old
/// path taken off). `None` for other hosts and `data:` addresses.
pub(super) fn image_file(
    src: &str,
    page: &Path,
    root: &Path,
    host: &str,
    base_path: &str,
) -> Option<PathBuf> {
    let src = src.trim();
    let lower = src.to_ascii_lowercase();
    let path = if lower.starts_with("http://") || lower.starts_with("https://") {
        let rest = &src[src.find("://")? + 3..];
        let bare_host = host.split("://").nth(1).unwrap_or(host);
        let (h, p) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !h.eq_ignore_ascii_case(bare_host) {
            return None;
        }
        from_root(p, base_path)
    } else if let Some(rest) = src.strip_prefix("//") {
        return image_file(&format!("http://{rest}"), page, root, host, base_path);
    } else if src.contains(':') && !src.contains('/') || lower.starts_with("data:") {
        return None;
    } else if src.starts_with('/') {
        from_root(src, base_path)
    } else {
        let folder = page.parent()?.strip_prefix(root).ok()?;
        let mut joined = folder.to_string_lossy().replace('\\', "/");
        joined.push('/');
        joined.push_str(src);
        joined
    };
    // No query or fragment; wget saves `anh.jpg?v=2` as `anh.jpg@v=2`.
    let (path, query) = match path.find(['?', '#']) {
        Some(i) => (&path[..i], Some(&path[i + 1..])),
        None => (path.as_str(), None),
    };
    let decoded = percent_decode_str(path).decode_utf8_lossy().into_owned();
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let file = root.join(parts.join("/"));
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        let saved = PathBuf::from(format!("{}@{q}", file.display()));
        if saved.is_file() {
            return Some(saved);
        }
    }
    Some(file)
}

/// An absolute path of the old portal as a path inside the mirror (its base path off).
fn from_root(path: &str, base_path: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    match path.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() && rest.starts_with('/') => rest.to_string(),
        _ => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "https://skhcn.example.gov.vn";

    fn old(path: &str) -> Option<String> {
        old_address(Path::new(path), "", HOST)
    }

    #[test]
    fn wget_names_give_back_the_old_addresses() {
        assert_eq!(
            old("Default.aspx@tabid=125&ItemID=12345.html").as_deref(),
            Some("/Default.aspx?tabid=125&ItemID=12345")
        );
        assert_eq!(
            old("Default.aspx?tabid=125&ItemID=12345").as_deref(),
            Some("/Default.aspx?tabid=125&ItemID=12345")
        );
        assert_eq!(
            old("skhcn.example.gov.vn/tin-tuc/bai-1.aspx.html").as_deref(),
            Some("/tin-tuc/bai-1.aspx")
        );
        assert_eq!(
            old("tin-tuc/bai-1.html").as_deref(),
            Some("/tin-tuc/bai-1.html")
        );
        assert_eq!(old("tin-tuc/index.html").as_deref(), Some("/tin-tuc/"));
        assert_eq!(old("index.html"), None);
        assert_eq!(
            old_address(Path::new("a.aspx@id=1"), "/portal", HOST).as_deref(),
            Some("/portal/a.aspx?id=1")
        );
    }

    #[test]
    fn image_addresses_point_into_the_mirror() {
        let root = Path::new("/m");
        let page = Path::new("/m/tin/Default.aspx@id=1.html");
        let file = |src: &str| image_file(src, page, root, HOST, "");
        assert_eq!(file("anh.jpg"), Some(PathBuf::from("/m/tin/anh.jpg")));
        assert_eq!(
            file("../Portals/0/%E1%BA%A2nh%201.jpg?w=600"),
            Some(PathBuf::from("/m/Portals/0/Ảnh 1.jpg"))
        );
        assert_eq!(
            file("/Portals/a.png"),
            Some(PathBuf::from("/m/Portals/a.png"))
        );
        assert_eq!(
            file("https://SKHCN.example.gov.vn/Portals/a.png"),
            Some(PathBuf::from("/m/Portals/a.png"))
        );
        assert_eq!(file("https://khac.vn/a.png"), None);
        assert_eq!(file("data:image/png;base64,AAAA"), None);
        assert_eq!(file("../../../etc/passwd"), None);
    }
}
