//! nginx's redirects of old addresses: two `map`s (included at the `http` level) and the
//! `if`/`return 301` that reads them (included in the site's `server` block).
//!
//! The first map looks up `$uri` (the percent-decoded, normalized path) for addresses
//! without a query string; the second looks up `$uri?$args` for addresses with one, and
//! falls back on the first. Exact keys go into a hash, so thousands of old addresses cost
//! one lookup per request. The variables are named after `base_url`, so two trangtin sites
//! on one nginx do not clash.

use super::{Hosting, Rule};
use std::fmt::Write;

/// `server/nginx-map.conf`: the maps, and the hash sizes they need when nginx's defaults
/// are too small.
pub fn map_file(hosting: &Hosting) -> String {
    let var = variable(&hosting.base_url);
    let mut out = format!(
        "# nginx: written by trangtin on every build, for {url}\n\
         # Old addresses (aliases) that no file can answer: with a query string, or outside the\n\
         # site's path {base}. Include this file at the http level (at the top of the site's\n\
         # file in sites-enabled/, or in nginx.conf's http block), and\n\
         # server/nginx-redirects.conf in the site's server block. nginx reads it when it starts\n\
         # or reloads: after a build that changes aliases, run nginx -t && nginx -s reload.\n",
        url = hosting.base_url,
        base = hosting.base_path,
    );
    let path_only: Vec<&Rule> = hosting.rules.iter().filter(|r| r.query.is_none()).collect();
    let with_query: Vec<&Rule> = hosting.rules.iter().filter(|r| r.query.is_some()).collect();
    let path_keys: Vec<String> = path_only.iter().map(|r| r.path.clone()).collect();
    let query_keys: Vec<String> = with_query.iter().map(|r| query_key(r)).collect();
    let (max_size, bucket_size) = hash_sizes(&[&path_keys, &query_keys]);
    if max_size > DEFAULT_MAX_SIZE {
        let _ = writeln!(out, "map_hash_max_size {max_size};");
    }
    if bucket_size > DEFAULT_BUCKET_SIZE {
        let _ = writeln!(out, "map_hash_bucket_size {bucket_size};");
    }
    let _ = writeln!(out, "map $uri ${var}_path {{\n    default \"\";");
    for (rule, key) in path_only.iter().zip(&path_keys) {
        let _ = writeln!(out, "    {} {};", quoted(key), quoted(&rule.target));
    }
    let _ = writeln!(
        out,
        "}}\nmap \"$uri?$args\" ${var} {{\n    default ${var}_path;"
    );
    for (rule, key) in with_query.iter().zip(&query_keys) {
        let _ = writeln!(out, "    {} {};", quoted(key), quoted(&rule.target));
    }
    out.push_str("}\n");
    out
}

/// `server/nginx-redirects.conf`: the redirect, for the site's `server` block.
pub fn redirects_file(hosting: &Hosting) -> String {
    let var = variable(&hosting.base_url);
    format!(
        "# nginx: written by trangtin on every build, for {url}\n\
         # Include this file in the site's server block; server/nginx-map.conf must be included\n\
         # at the http level. Old addresses (aliases) get a 301 to their article.\n\
         if (${var}) {{\n    return 301 ${var};\n}}\n",
        url = hosting.base_url,
    )
}

/// The map variable of a site: `trangtin_` and `base_url` without its scheme, every run of
/// characters other than ASCII letters and digits as one `_`
/// (`https://x.gov.vn/tin-tuc/` → `trangtin_x_gov_vn_tin_tuc`).
fn variable(base_url: &str) -> String {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let mut name = String::from("trangtin_");
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    name.trim_end_matches('_').to_string()
}

/// The key of an address with a query string in the second map: `path?query`.
fn query_key(rule: &Rule) -> String {
    format!(
        "{}?{}",
        rule.path,
        rule.query.as_deref().unwrap_or_default()
    )
}

/// A string in double quotes, as nginx's configuration reads it: `"` and `\` escaped; a `$`
/// in a map's key is not a variable.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// nginx's default `map_hash_max_size`.
const DEFAULT_MAX_SIZE: usize = 2048;
/// nginx's default `map_hash_bucket_size` on x86 (a cache line; larger on some machines).
const DEFAULT_BUCKET_SIZE: usize = 64;
/// The size of a pointer in nginx's hash (64-bit builds).
const POINTER: usize = 8;

/// The smallest `map_hash_max_size` and `map_hash_bucket_size` with which nginx builds the
/// hash of each map's keys: the defaults when they do (nothing is written then, so the file
/// never repeats a setting of the server), else a larger table, then larger buckets. nginx
/// refuses to start with a key longer than a bucket, and warns when no table size up to the
/// maximum fits the keys.
fn hash_sizes(maps: &[&[String]]) -> (usize, usize) {
    let longest = maps
        .iter()
        .flat_map(|keys| keys.iter())
        .map(|k| element_size(k.len()))
        .max()
        .unwrap_or(0);
    let mut bucket_size = DEFAULT_BUCKET_SIZE;
    while bucket_size < longest + POINTER {
        bucket_size *= 2;
    }
    loop {
        let mut max_size = DEFAULT_MAX_SIZE;
        let most = maps.iter().map(|keys| keys.len()).max().unwrap_or(0);
        while max_size <= (4 * most).max(DEFAULT_MAX_SIZE) {
            if maps.iter().all(|keys| builds(keys, max_size, bucket_size)) {
                return (max_size, bucket_size);
            }
            max_size *= 2;
        }
        bucket_size *= 2;
    }
}

/// The bytes a key takes in a bucket of nginx's hash (`NGX_HASH_ELT_SIZE`).
fn element_size(key_len: usize) -> usize {
    POINTER + (key_len + 2).div_ceil(POINTER) * POINTER
}

/// The hash nginx gives a map's key: `key * 31 + byte` over the bytes, A–Z lowered (a
/// map's keys are case-insensitive), on a 64-bit machine word.
fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0u64, |h, b| {
        h.wrapping_mul(31)
            .wrapping_add(u64::from(b.to_ascii_lowercase()))
    })
}

/// Whether nginx's `ngx_hash_init` finds a table size for `keys` with these settings: it
/// tries each size from an estimate up to `max_size`, and takes the first where no bucket
/// holds more bytes than `bucket_size` less one pointer.
fn builds(keys: &[String], max_size: usize, bucket_size: usize) -> bool {
    if keys.is_empty() {
        return true;
    }
    let elements: Vec<(u64, usize)> = keys
        .iter()
        .map(|k| (key_hash(k), element_size(k.len())))
        .collect();
    if elements
        .iter()
        .any(|&(_, size)| bucket_size < size + POINTER)
    {
        return false;
    }
    let bucket = bucket_size - POINTER;
    let mut start = (keys.len() / (bucket / (2 * POINTER))).max(1);
    if max_size > 10_000 && max_size / keys.len() < 100 {
        start = max_size - 1000;
    }
    let mut fill = vec![0usize; max_size];
    'sizes: for size in start..=max_size {
        fill[..size].fill(0);
        for &(hash, element) in &elements {
            let slot = &mut fill[(hash % size as u64) as usize];
            *slot += element;
            if *slot > bucket {
                continue 'sizes;
            }
        }
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::tests::hosting;
    use super::*;

    #[test]
    fn the_map_holds_every_rule_with_quoted_keys() {
        let text = map_file(&hosting("/tin-tuc/"));
        let expected = "map $uri $trangtin_x_gov_vn_tin_tuc_path {\n    default \"\";\n    \
            \"/tin cũ/bài $1.html\" \"/tin-tuc/chung/bai-b/\";\n}\n\
            map \"$uri?$args\" $trangtin_x_gov_vn_tin_tuc {\n    \
            default $trangtin_x_gov_vn_tin_tuc_path;\n    \
            \"/Default.aspx?tabid=125&ItemID=12345\" \"/tin-tuc/chung/bai-a/\";\n    \
            \"/tin-tuc/Default.aspx?tabid=7\" \"/tin-tuc/chung/bai-c/\";\n}\n";
        assert!(text.ends_with(expected), "{text}");
        assert!(!text.contains("map_hash"), "{text}");
    }

    #[test]
    fn the_redirect_reads_the_sites_own_variable() {
        let text = redirects_file(&hosting("/"));
        assert!(
            text.ends_with("if ($trangtin_x_gov_vn) {\n    return 301 $trangtin_x_gov_vn;\n}\n")
        );
    }

    #[test]
    fn variables_are_named_after_the_base_url() {
        assert_eq!(variable("https://x.gov.vn/"), "trangtin_x_gov_vn");
        assert_eq!(
            variable("http://127.0.0.1:8080/Tin-Tuc/"),
            "trangtin_127_0_0_1_8080_tin_tuc"
        );
    }

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quoted("/a \"b\" \\c; {d}"), "\"/a \\\"b\\\" \\\\c; {d}\"");
    }

    #[test]
    fn nginx_defaults_are_kept_while_they_hold_the_keys() {
        let few: Vec<String> = (0..100)
            .map(|i| format!("/Default.aspx?tabid={i}"))
            .collect();
        assert_eq!(hash_sizes(&[&few, &[]]), (2048, 64));
        assert!(builds(&few, 2048, 64));
    }

    #[test]
    fn a_long_key_needs_larger_buckets() {
        let long = vec![format!("/tin-cu/{}.html", "bài-viết-".repeat(10))];
        let (max, bucket) = hash_sizes(&[&long]);
        assert_eq!(max, 2048);
        assert!(bucket >= element_size(long[0].len()) + POINTER, "{bucket}");
        assert!(!builds(&long, 2048, 64));
    }

    #[test]
    fn thousands_of_keys_get_a_table_they_fit_in() {
        let many: Vec<String> = (0..5000)
            .map(|i| format!("/Default.aspx?tabid={}&ItemID={i}", i % 37))
            .collect();
        let (max, bucket) = hash_sizes(&[&many]);
        assert!(builds(&many, max, bucket));
        assert!((max, bucket) != (DEFAULT_MAX_SIZE, DEFAULT_BUCKET_SIZE));
    }
}
