//! Apache 2.4: the `.htaccess` of the site's folder (charset, index file, the 404 page,
//! cache headers, compression, redirects of old addresses under the base path), and, for a
//! site in a subfolder, the rules of old addresses outside it for the host's root.
//!
//! A rule in a `.htaccess` matches the path below that file's folder (`Default.aspx` at the
//! host's root), percent-decoded; `RewriteCond %{QUERY_STRING}` compares the query string
//! as sent. `NC` ignores the case of A–Z, as nginx's maps do; `QSD` drops the visitor's
//! query string; `NE` keeps the target's `%XX` as written.

use super::{exact_regex, location, Hosting, Rule};
use std::fmt::Write;

/// The `.htaccess` of the site's folder. For a site at the root without such redirects it
/// is `tests/hosting/apache.htaccess`, which the README shows.
pub fn htaccess(hosting: &Hosting) -> String {
    let mut out = format!(
        "# Apache 2.4: trangtin writes this .htaccess into the output folder on every build.\n\
         # Serve that folder with AllowOverride FileInfo Indexes and Options FollowSymLinks (the\n\
         # output folder is a link); mod_headers sets the cache headers, mod_deflate compresses,\n\
         # mod_rewrite redirects old addresses with a query string.\n\
         AddDefaultCharset utf-8\n\
         AddCharset utf-8 .html .css .js .xml .json .svg .txt\n\
         DirectoryIndex index.html\n\
         # /chung redirects to /chung/ (mod_dir does this by default).\n\
         DirectorySlash On\n\
         ErrorDocument 404 {not_found}\n\
         \n\
         <IfModule mod_headers.c>\n\
         \x20 <FilesMatch \"\\.(html|xml)$\">\n\
         \x20   Header set Cache-Control \"no-cache\"\n\
         \x20 </FilesMatch>\n\
         \x20 # Styles and scripts are linked with ?v=<content hash>: a new theme is a new address.\n\
         \x20 <FilesMatch \"\\.(css|js|svg|png|jpe?g|gif|webp|ico|pdf)$\">\n\
         \x20   Header set Cache-Control \"public, max-age=604800\"\n\
         \x20 </FilesMatch>\n\
         </IfModule>\n\
         \n\
         # Compress text: pages, styles, scripts, feeds and the search index.\n\
         <IfModule mod_deflate.c>\n\
         \x20 AddOutputFilterByType DEFLATE text/html text/css text/plain text/xml application/xml\n\
         \x20 AddOutputFilterByType DEFLATE application/rss+xml application/javascript application/json\n\
         \x20 AddOutputFilterByType DEFLATE image/svg+xml\n\
         </IfModule>\n",
        not_found = hosting.not_found(),
    );
    let rules: Vec<&Rule> = hosting.rules_inside(true).collect();
    if !rules.is_empty() {
        out.push_str("\n# Old addresses (aliases) with a query string: a 301 to their article.\n");
        write_rules(&mut out, &hosting.base_path, &rules);
    }
    out
}

/// `server/host-root.htaccess`: the rules of old addresses outside the site's subfolder,
/// for the `.htaccess` of the host's root.
pub fn host_root(hosting: &Hosting) -> String {
    let mut out = format!(
        "# Apache 2.4: written by trangtin on every build, for {url}\n\
         # Old addresses (aliases) outside {base}: install this file as the .htaccess of the\n\
         # host's document root (copy it after each build that changes aliases, or link to it),\n\
         # with AllowOverride FileInfo and Options FollowSymLinks there, and mod_rewrite.\n",
        url = hosting.base_url,
        base = hosting.base_path,
    );
    let rules: Vec<&Rule> = hosting.rules_inside(false).collect();
    write_rules(&mut out, "/", &rules);
    out
}

/// The rewrite block of `rules`, for a `.htaccess` in the folder of the URL path `folder`.
fn write_rules(out: &mut String, folder: &str, rules: &[&Rule]) {
    out.push_str("<IfModule mod_rewrite.c>\n  RewriteEngine On\n");
    for rule in rules {
        let below = rule.path.strip_prefix(folder).unwrap_or(&rule.path);
        let from = match &rule.query {
            Some(query) => format!("{}?{query}", rule.path),
            None => rule.path.clone(),
        };
        // The address in a comment, percent-encoded: a `\` at the end of a line would join
        // the next line to the comment.
        let _ = writeln!(out, "  # {}", location(&from));
        if let Some(query) = &rule.query {
            let _ = writeln!(
                out,
                "  RewriteCond %{{QUERY_STRING}} {} [NC]",
                exact_regex(query)
            );
        }
        let _ = writeln!(
            out,
            "  RewriteRule {} {} [NC,R=301,L,QSD,NE]",
            exact_regex(below),
            substitution(&rule.target)
        );
    }
    out.push_str("</IfModule>\n");
}

/// A target as a rule's substitution: `%` escaped, which would otherwise start a
/// back-reference (`%1`) or a variable (`%{...}`). The target holds no `$`, `\` or space
/// ([`location`] encoded them).
fn substitution(target: &str) -> String {
    target.replace('%', "\\%")
}

#[cfg(test)]
mod tests {
    use super::super::tests::hosting;
    use super::*;

    #[test]
    fn a_site_at_the_root_gets_every_rule_in_its_own_htaccess() {
        let text = htaccess(&hosting("/"));
        assert!(text.contains("ErrorDocument 404 /404.html\n"), "{text}");
        let rules = text.split("<IfModule mod_rewrite.c>").nth(1).unwrap();
        assert_eq!(
            rules,
            "\n  RewriteEngine On\n\
             \x20 # /Default.aspx?tabid=125&ItemID=12345\n\
             \x20 RewriteCond %{QUERY_STRING} ^tabid\\=125\\&ItemID\\=12345$ [NC]\n\
             \x20 RewriteRule ^Default\\.aspx$ /chung/bai-a/ [NC,R=301,L,QSD,NE]\n\
             \x20 # /tin%20c%C5%A9/b%C3%A0i%20%241.html\n\
             \x20 RewriteRule ^tin\\x20cũ/bài\\x20\\x241\\.html$ /chung/bai-b/ [NC,R=301,L,QSD,NE]\n\
             \x20 # /Default.aspx?tabid=7\n\
             \x20 RewriteCond %{QUERY_STRING} ^tabid\\=7$ [NC]\n\
             \x20 RewriteRule ^Default\\.aspx$ /chung/bai-c/ [NC,R=301,L,QSD,NE]\n\
             </IfModule>\n"
        );
    }

    #[test]
    fn a_site_in_a_subfolder_splits_its_rules_with_the_hosts_root() {
        let h = hosting("/tin-tuc/");
        let site = htaccess(&h);
        assert!(
            site.contains("ErrorDocument 404 /tin-tuc/404.html\n"),
            "{site}"
        );
        assert!(site.contains("RewriteRule ^Default\\.aspx$ /tin-tuc/chung/bai-c/ "));
        assert_eq!(site.matches("RewriteRule").count(), 1, "{site}");
        let root = host_root(&h);
        assert!(root.contains("RewriteRule ^Default\\.aspx$ /tin-tuc/chung/bai-a/ "));
        assert!(root.contains("RewriteRule ^tin\\x20cũ/"), "{root}");
        assert_eq!(root.matches("RewriteRule").count(), 2, "{root}");
    }

    #[test]
    fn without_rules_no_rewrite_engine_is_turned_on() {
        let mut h = hosting("/");
        h.rules.clear();
        assert!(!htaccess(&h).contains("Rewrite"));
    }

    #[test]
    fn a_percent_in_a_target_is_not_a_back_reference() {
        assert_eq!(substitution("/tin%20tuc/a/"), "/tin\\%20tuc/a/");
    }
}
