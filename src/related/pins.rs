//! Pinned related articles: the `related:` paths of front matter, resolved to articles.

use crate::content::Article;
use crate::error::Problem;
use crate::site::links::join;
use crate::site::{ArticleId, Site};
use crate::text::nfc;
use std::collections::HashMap;

/// The pinned targets of each article (ids, as written, unpublished ones included). A path
/// is looked for beside the article first, then from `content/`; `/x.md` only from `content/`.
///
/// Errors: a pinned path of a published article that names no file under `content/`.
pub(super) fn resolve_pins(site: &Site) -> Result<Vec<Vec<ArticleId>>, Vec<Problem>> {
    let by_source: HashMap<&str, ArticleId> = site
        .articles
        .iter()
        .zip(ArticleId::all(site.articles.len()))
        .map(|(a, id)| (a.source.as_str(), id))
        .collect();
    let mut pins = vec![Vec::new(); site.articles.len()];
    let mut problems = Vec::new();
    for &id in &site.published {
        let a = &site.articles[id];
        for written in &a.related {
            let tried = places(&a.source, written);
            match tried.iter().find_map(|p| by_source.get(p.as_str())) {
                Some(&target) => pins[id].push(target),
                None => problems.push(missing(a, written, &tried)),
            }
        }
    }
    if problems.is_empty() {
        Ok(pins)
    } else {
        Err(problems)
    }
}

/// The source paths a pin `written` in the article at `source` may name, in the order tried.
fn places(source: &str, written: &str) -> Vec<String> {
    let path = nfc(written.trim()).into_owned();
    let mut tried: Vec<String> = Vec::with_capacity(2);
    match path.strip_prefix('/') {
        Some(rooted) => tried.push(rooted.to_string()),
        None => {
            tried.extend(join(source, &path));
            if !tried.contains(&path) {
                tried.push(path.clone());
            }
        }
    }
    tried
}

/// The error for a pin `written` in `a` that names none of the files `tried`.
fn missing(a: &Article, written: &str, tried: &[String]) -> Problem {
    let paths: Vec<String> = tried.iter().map(|p| format!("content/{p}")).collect();
    Problem::error(
        a.display_path(),
        format!(
            "related article `{written}` does not exist: there is no {}",
            paths.join(" nor ")
        ),
    )
    .in_field("related")
    .at_line(a.line_of("related"))
}

#[cfg(test)]
mod tests {
    use super::super::related_articles;
    use super::super::test_sites::*;
    use crate::config::Config;

    #[test]
    fn pinned_articles_come_first_resolved_beside_the_article_then_from_content() {
        let mut articles = three_topics();
        articles[0].6 = "related: [../04/ca-2.md, 2024/05/xq-1.md, /2024/06/xq-2.md, nhap.md]\n";
        articles.push(A(
            "2024/01/nhap.md",
            "2024-01-11",
            "KH",
            "",
            "Nháp",
            TEA,
            "draft: true\n",
        ));
        let s = site(&articles);
        let related = related_articles(&s).unwrap();
        let list = sources(&s, &related[id(&s, "2024/01/che-1.md")]);
        assert_eq!(
            &list[..3],
            ["2024/04/ca-2.md", "2024/05/xq-1.md", "2024/06/xq-2.md"]
        );
        assert_eq!(list[3], "2024/02/che-2.md", "{list:?}");
    }

    #[test]
    fn a_missing_pinned_path_is_an_error_naming_both_files_and_the_line() {
        let mut articles = three_topics();
        articles[1].6 = "related: [khong-co.md]\n";
        let site = try_site(Config::default(), &articles).unwrap();
        let problems = related_articles(&site).unwrap_err();
        assert_eq!(problems.len(), 1);
        let text = problems[0].to_string();
        assert!(
            text.starts_with("content/2024/02/che-2.md:6: field `related`:"),
            "{text}"
        );
        assert!(
            text.contains("khong-co.md") && text.contains("content/2024/02/khong-co.md"),
            "{text}"
        );
    }
}
