//! IIS (7.5 and later): the `web.config` of the site's folder (index file, UTF-8 and the
//! types IIS may lack, the 404 page, static compression, cache headers, redirects of old
//! addresses under the base path) and, for a site in a subfolder, the rules of old addresses
//! outside it for the host's root.
//!
//! The rules need the URL Rewrite module. A rule's `<match url>` is the path below the
//! `web.config`'s folder, decoded, without a leading `/`; the query string is compared as
//! sent through `{QUERY_STRING}`. Both ignore case, as nginx and Apache do for A–Z (IIS
//! also for letters beyond ASCII).
//! There is no IIS on Linux: the tests check that the XML is well-formed and holds these
//! elements, not what IIS does with them.

use super::{exact_regex, location, Hosting, Rule};
use crate::output::xml::xml_safe;
use std::fmt::Write;

/// Types set on every file of their extension: UTF-8 on text, and types older IIS lacks.
const MIME_TYPES: &[(&str, &str)] = &[
    (".html", "text/html; charset=utf-8"),
    (".css", "text/css; charset=utf-8"),
    (".js", "text/javascript; charset=utf-8"),
    (".json", "application/json; charset=utf-8"),
    (".xml", "text/xml; charset=utf-8"),
    (".txt", "text/plain; charset=utf-8"),
    (".svg", "image/svg+xml"),
    (".webp", "image/webp"),
    (".webmanifest", "application/manifest+json"),
];

/// The site's `web.config`. For a site at the root without such redirects it is
/// `tests/hosting/web.config`, which the README shows.
pub fn web_config(hosting: &Hosting) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!-- IIS: trangtin writes this web.config into the output folder on every build.\n\
         \x20    Redirects of old addresses need the URL Rewrite module. -->\n\
         <configuration>\n\
         \x20 <system.webServer>\n\
         \x20   <!-- /chung/ serves chung/index.html; IIS redirects /chung to /chung/. -->\n\
         \x20   <defaultDocument enabled=\"true\">\n\
         \x20     <files>\n\
         \x20       <clear />\n\
         \x20       <add value=\"index.html\" />\n\
         \x20     </files>\n\
         \x20   </defaultDocument>\n\
         \x20   <staticContent>\n",
    );
    for (extension, mime) in MIME_TYPES {
        let _ = writeln!(
            out,
            "      <remove fileExtension=\"{extension}\" />\n      \
             <mimeMap fileExtension=\"{extension}\" mimeType=\"{mime}\" />"
        );
    }
    let _ = write!(
        out,
        "      <!-- Pages and feeds change with every build: browsers revalidate them. -->\n\
         \x20     <clientCache cacheControlMode=\"DisableCache\" />\n\
         \x20   </staticContent>\n\
         \x20   <!-- Compress text (which types is set for the whole server: httpCompression). -->\n\
         \x20   <urlCompression doStaticCompression=\"true\" doDynamicCompression=\"false\" />\n\
         \x20   <httpErrors errorMode=\"Custom\" existingResponse=\"Replace\">\n\
         \x20     <remove statusCode=\"404\" />\n\
         \x20     <error statusCode=\"404\" path=\"{not_found}\" responseMode=\"ExecuteURL\" />\n\
         \x20   </httpErrors>\n",
        not_found = attribute(&hosting.not_found()),
    );
    let rules: Vec<&Rule> = hosting.rules_inside(true).collect();
    write_rules(&mut out, &hosting.base_path, &rules);
    out.push_str("  </system.webServer>\n");
    if !hosting.theme_folders.is_empty() {
        out.push_str(
            "  <!-- The theme's files (styles and scripts are linked with ?v=<content hash>):\n\
             \x20      cached for a week. -->\n",
        );
    }
    for folder in &hosting.theme_folders {
        let _ = write!(
            out,
            "  <location path=\"{}\">\n    <system.webServer>\n      <staticContent>\n        \
             <clientCache cacheControlMode=\"UseMaxAge\" cacheControlMaxAge=\"7.00:00:00\" />\n      \
             </staticContent>\n    </system.webServer>\n  </location>\n",
            attribute(folder)
        );
    }
    out.push_str("</configuration>\n");
    out
}

/// `server/host-root.web.config`: the rules of old addresses outside the site's subfolder,
/// for the `web.config` of the host's root.
pub fn host_root(hosting: &Hosting) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!-- IIS: written by trangtin on every build. Old addresses (aliases) outside the\n\
         \x20    site's folder: use this file as the web.config of the host's root, or copy its\n\
         \x20    rule elements into the rules of the web.config there. Needs URL Rewrite. -->\n\
         <configuration>\n\
         \x20 <system.webServer>\n",
    );
    let rules: Vec<&Rule> = hosting.rules_inside(false).collect();
    write_rules(&mut out, "/", &rules);
    out.push_str("  </system.webServer>\n</configuration>\n");
    out
}

/// The `<rewrite>` section of `rules` (nothing when there are none), for a `web.config`
/// in the folder of the URL path `folder`.
fn write_rules(out: &mut String, folder: &str, rules: &[&Rule]) {
    if rules.is_empty() {
        return;
    }
    out.push_str("    <rewrite>\n      <rules>\n");
    for rule in rules {
        let below = rule.path.strip_prefix(folder).unwrap_or(&rule.path);
        let from = match &rule.query {
            Some(query) => format!("{}?{query}", rule.path),
            None => rule.path.clone(),
        };
        let _ = writeln!(
            out,
            "        <rule name=\"trangtin {}\" stopProcessing=\"true\">\n          \
             <match url=\"{}\" ignoreCase=\"true\" />",
            attribute(&from),
            attribute(&exact_regex(below)),
        );
        if let Some(query) = &rule.query {
            let _ = writeln!(
                out,
                "          <conditions>\n            \
                 <add input=\"{{QUERY_STRING}}\" pattern=\"{}\" ignoreCase=\"true\" />\n          \
                 </conditions>",
                attribute(&exact_regex(query))
            );
        }
        let _ = writeln!(
            out,
            "          <action type=\"Redirect\" url=\"{}\" redirectType=\"Permanent\" appendQueryString=\"false\" />\n        \
             </rule>",
            attribute(&location(&rule.target)),
        );
    }
    out.push_str("      </rules>\n    </rewrite>\n");
}

/// Text as an XML attribute's value in double quotes: escaped, and without the characters
/// XML does not allow.
fn attribute(text: &str) -> String {
    quick_xml::escape::escape(xml_safe(text).as_ref()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::tests::hosting;
    use super::*;
    use quick_xml::events::{BytesStart, Event};
    use quick_xml::Reader;

    /// Every element of a well-formed document as (`parent/child` path, attributes
    /// decoded); fails the test on malformed XML.
    fn elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut reader = Reader::from_str(xml);
        let mut stack: Vec<String> = Vec::new();
        let mut out = Vec::new();
        let mut record = |stack: &[String], e: &BytesStart| {
            let attributes = e
                .attributes()
                .map(|a| {
                    let a = a.expect("well-formed attribute");
                    let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                    (key, a.unescape_value().unwrap().into_owned())
                })
                .collect();
            out.push((stack.join("/"), attributes));
        };
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    stack.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                    record(&stack, &e);
                }
                Event::Empty(e) => {
                    stack.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
                    record(&stack, &e);
                    stack.pop();
                }
                Event::End(_) => {
                    stack.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(stack.is_empty(), "unclosed elements: {stack:?}");
        out
    }

    /// The value of attribute `name` of each element at `path`.
    fn values(xml: &str, path: &str, name: &str) -> Vec<String> {
        elements(xml)
            .into_iter()
            .filter(|(p, _)| p == path)
            .filter_map(|(_, attributes)| {
                attributes
                    .into_iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v)
            })
            .collect()
    }

    const SERVER: &str = "configuration/system.webServer";

    #[test]
    fn the_sites_web_config_sets_types_the_404_page_compression_and_caching() {
        let xml = web_config(&hosting("/tin-tuc/"));
        let extensions = values(
            &xml,
            &format!("{SERVER}/staticContent/mimeMap"),
            "fileExtension",
        );
        for needed in [".webp", ".json", ".xml", ".css", ".js"] {
            assert!(
                extensions.iter().any(|e| e == needed),
                "{needed}: {extensions:?}"
            );
        }
        assert_eq!(
            values(&xml, &format!("{SERVER}/httpErrors/error"), "path"),
            ["/tin-tuc/404.html"]
        );
        assert_eq!(
            values(
                &xml,
                &format!("{SERVER}/urlCompression"),
                "doStaticCompression"
            ),
            ["true"]
        );
        assert_eq!(
            values(
                &xml,
                &format!("{SERVER}/staticContent/clientCache"),
                "cacheControlMode"
            ),
            ["DisableCache"]
        );
        assert_eq!(
            values(&xml, "configuration/location", "path"),
            ["css", "js"]
        );
        assert_eq!(
            values(
                &xml,
                "configuration/location/system.webServer/staticContent/clientCache",
                "cacheControlMaxAge"
            ),
            ["7.00:00:00", "7.00:00:00"]
        );
        assert_eq!(
            values(
                &xml,
                &format!("{SERVER}/defaultDocument/files/add"),
                "value"
            ),
            ["index.html"]
        );
    }

    #[test]
    fn redirect_rules_match_the_path_below_the_folder_and_the_exact_query() {
        let h = hosting("/tin-tuc/");
        let xml = web_config(&h);
        let rules = format!("{SERVER}/rewrite/rules/rule");
        assert_eq!(
            values(&xml, &rules, "name"),
            ["trangtin /tin-tuc/Default.aspx?tabid=7"]
        );
        assert_eq!(
            values(&xml, &format!("{rules}/match"), "url"),
            ["^Default\\.aspx$"]
        );
        assert_eq!(
            values(&xml, &format!("{rules}/conditions/add"), "pattern"),
            ["^tabid\\=7$"]
        );
        let root = host_root(&h);
        assert_eq!(
            values(&root, &format!("{rules}/match"), "url"),
            ["^Default\\.aspx$", "^tin\\x20cũ/bài\\x20\\x241\\.html$"]
        );
        assert_eq!(
            values(&root, &format!("{rules}/conditions/add"), "pattern"),
            ["^tabid\\=125\\&ItemID\\=12345$"]
        );
        assert_eq!(
            values(&root, &format!("{rules}/action"), "url"),
            ["/tin-tuc/chung/bai-a/", "/tin-tuc/chung/bai-b/"]
        );
        assert_eq!(
            values(&root, &format!("{rules}/action"), "appendQueryString"),
            ["false", "false"]
        );
        assert!(
            root.contains("ItemID=12345\" stopProcessing"),
            "& escaped: {root}"
        );
        assert!(root.contains("tabid=125&amp;ItemID"), "{root}");
    }

    #[test]
    fn without_rules_there_is_no_rewrite_section() {
        let mut h = hosting("/");
        h.rules.clear();
        let xml = web_config(&h);
        assert!(!xml.contains("<rewrite>"));
        elements(&xml);
    }

    #[test]
    fn text_no_xml_allows_is_left_out_of_attributes() {
        assert_eq!(attribute("a\u{1}<b>&\"c\""), "a&lt;b&gt;&amp;&quot;c&quot;");
    }
}
