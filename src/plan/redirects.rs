//! Old addresses that only a server can redirect: aliases with a query string
//! (`/Default.aspx?tabid=125&ItemID=12345`) or outside the base path (`/tin-cu/1.html` for a
//! site at `/tin-tuc/`). A static file cannot answer them, so they become rules of the
//! server's configuration (`output::hosting`) instead of redirect pages.

use crate::error::{Problem, ProblemKind};
use crate::routes::OldAddress;
use crate::site::{ArticleId, Site};
use std::collections::HashMap;

/// One old address and the article it redirects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old address.
    pub from: OldAddress,
    /// The article or page.
    pub to: ArticleId,
}

/// The server rules of every published article and page, each address once, ordered by
/// path and, for one path, the addresses with a query string before the path alone (servers
/// that try rules in order must try the exact query first).
///
/// Addresses are compared ignoring the case of A–Z, as nginx's maps compare them (nginx
/// refuses to start with two keys that differ only so): the same address twice in one
/// article is kept once; in two articles it is a problem, reported once per extra article,
/// about the later file.
pub fn collect(site: &Site) -> (Vec<Redirect>, Vec<Problem>) {
    let mut redirects: Vec<Redirect> = Vec::new();
    let mut owner: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut problems = Vec::new();
    for &id in site
        .published
        .iter()
        .chain(&site.pages)
        .chain(&site.translated)
    {
        for from in &site.articles[id].aliases {
            if site.routes.alias_page(from).is_some() {
                continue;
            }
            let key = (
                from.path.to_ascii_lowercase(),
                from.query.as_deref().map(str::to_ascii_lowercase),
            );
            match owner.get(&key) {
                Some(&first) if redirects[first].to != id => {
                    problems.push(duplicate(site, &redirects[first], from, id))
                }
                Some(_) => {}
                None => {
                    owner.insert(key, redirects.len());
                    redirects.push(Redirect {
                        from: from.clone(),
                        to: id,
                    });
                }
            }
        }
    }
    redirects.sort_by(|a, b| {
        let key = |r: &Redirect| {
            (
                r.from.path.clone(),
                r.from.query.is_none(),
                r.from.query.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    (redirects, problems)
}

/// The problem of article `second` listing `from`, the address `first` already redirects.
fn duplicate(site: &Site, first: &Redirect, from: &OldAddress, second: ArticleId) -> Problem {
    let (one, other) = (&site.articles[first.to], &site.articles[second]);
    let line = |a: &crate::content::Article| match a.line_of("aliases") {
        Some(line) => format!("{}:{line}", a.display_path()),
        None => a.display_path(),
    };
    let written = match first.from.to_string() == from.to_string() {
        true => String::new(),
        false => format!(" (written {}; case does not count)", first.from),
    };
    let message = format!(
        "the old address {from} is also in the `aliases` of {}{written}: an address can redirect to one article only; keep it in one of them",
        line(one),
    );
    Problem::error(other.display_path(), message)
        .in_field("aliases")
        .at_line(other.line_of("aliases"))
        .of_kind(ProblemKind::Collision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::{parse_article, Loaded};
    use crate::site::AssembleOptions;

    /// A site at `/tin-tuc/` of articles (source, aliases in flow style).
    fn site(articles: &[(&str, &str)]) -> Site {
        let config = Config::parse("base_url: https://x.gov.vn/tin-tuc/\n").unwrap();
        let mut loaded = Loaded::default();
        for (source, aliases) in articles {
            let text = format!(
                "---\ntitle: Bài\ndate: 2024-03-02\ncategory: Chung\naliases: [{aliases}]\n---\nx\n"
            );
            loaded
                .articles
                .push(parse_article(source, &text, &config).unwrap());
        }
        let options = AssembleOptions {
            drafts: false,
            now: chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00+07:00").unwrap(),
            plain_text_bytes: 0,
        };
        Site::assemble(config, loaded, options).unwrap()
    }

    fn addresses(redirects: &[Redirect]) -> Vec<String> {
        redirects.iter().map(|r| r.from.to_string()).collect()
    }

    #[test]
    fn only_addresses_a_file_cannot_answer_become_rules_query_first() {
        let site = site(&[(
            "a.md",
            "/tin-cu/1.html, /tin-tuc/cu/2.html, /Default.aspx, '/Default.aspx?tabid=1', '/tin-tuc/x.aspx?a=1'",
        )]);
        let (redirects, problems) = collect(&site);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            addresses(&redirects),
            [
                "/Default.aspx?tabid=1",
                "/Default.aspx",
                "/tin-cu/1.html",
                "/tin-tuc/x.aspx?a=1"
            ]
        );
    }

    #[test]
    fn one_address_in_two_articles_names_both_files_and_the_line() {
        let site = site(&[
            ("a.md", "'/Default.aspx?tabid=125&ItemID=12345'"),
            (
                "b.md",
                "'/default.aspx?TABID=125&ItemID=12345', /tin-cu/b.html",
            ),
        ]);
        let (redirects, problems) = collect(&site);
        assert_eq!(redirects.len(), 2);
        let [p] = &problems[..] else {
            panic!("{problems:?}")
        };
        assert_eq!(
            p.to_string().split(": ").next(),
            Some("content/b.md:5"),
            "{p}"
        );
        assert_eq!(p.field.as_deref(), Some("aliases"));
        assert!(p.message.contains("content/a.md:5"), "{p}");
        assert!(p.message.contains("case does not count"), "{p}");
    }

    #[test]
    fn one_address_twice_in_one_article_is_kept_once() {
        let site = site(&[("a.md", "/Tin-Cu/1.html, /tin-cu/1.html")]);
        let (redirects, problems) = collect(&site);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(addresses(&redirects), ["/Tin-Cu/1.html"]);
    }
}
