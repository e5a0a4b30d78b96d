//! Which pages are translations of each other: those that share a `translation_key`
//! (`translation_key: gioi-thieu` on both `gioi-thieu.md` and `en/about.md`). A key stays
//! with the pages however their slugs or titles change, as in Hugo.

use super::ArticleId;
use crate::config::Config;
use crate::content::Article;
use crate::error::Problem;
use std::collections::BTreeMap;

/// The translations of each article (the published pages that share its key, in other
/// languages, in the order of the site's languages). A key that no other file has, or two
/// files of one language with one key, are errors naming the file, line and field. A
/// translation that is a draft is no error: it is linked once it is published.
pub(super) fn link(
    config: &Config,
    articles: &[Article],
    is_published: &[bool],
    errors: &mut Vec<Problem>,
) -> Vec<Vec<ArticleId>> {
    let mut by_key: BTreeMap<&str, Vec<ArticleId>> = BTreeMap::new();
    for id in ArticleId::all(articles.len()) {
        match articles[id].translation_key.as_deref() {
            Some("") => errors.push(problem(
                &articles[id],
                "is empty; give the same key to this page and its translation".into(),
            )),
            Some(key) => by_key.entry(key).or_default().push(id),
            None => {}
        }
    }
    let order: Vec<&str> = config.language_codes().collect();
    let rank = |id: ArticleId| order.iter().position(|&c| c == articles[id].lang);
    let mut translations = vec![Vec::new(); articles.len()];
    for (key, ids) in by_key {
        if ids.len() == 1 {
            let a = &articles[ids[0]];
            errors.push(problem(
                a,
                format!(
                    "no page in another language has `translation_key: {key}`; give its \
                     translation the same key, or remove the field"
                ),
            ));
            continue;
        }
        let mut seen: BTreeMap<&str, ArticleId> = BTreeMap::new();
        for &id in &ids {
            let a = &articles[id];
            if let Some(&first) = seen.get(a.lang.as_str()) {
                errors.push(problem(
                    a,
                    format!(
                        "`{key}` is also the key of {}, in the same language (`{}`); a key \
                         joins one page of each language",
                        articles[first].display_path(),
                        a.lang
                    ),
                ));
            } else {
                seen.insert(&a.lang, id);
            }
        }
        let mut published: Vec<ArticleId> =
            seen.into_values().filter(|&id| is_published[id]).collect();
        published.sort_by_key(|&id| rank(id));
        for &id in &published {
            translations[id] = published.iter().copied().filter(|&o| o != id).collect();
        }
    }
    translations
}

fn problem(article: &Article, message: String) -> Problem {
    Problem::error(article.display_path(), message)
        .in_field("translation_key")
        .at_line(article.line_of("translation_key"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::article::parse_article;

    fn config() -> Config {
        Config::parse("languages:\n  en: {}\n").unwrap()
    }

    fn page(source: &str, lang: &str, key: &str) -> Article {
        let text =
            format!("---\ntitle: T\nlayout: page\nlang: {lang}\ntranslation_key: {key}\n---\nx\n");
        parse_article(source, &text, &config()).unwrap()
    }

    #[test]
    fn pages_sharing_a_key_are_each_others_translations() {
        let articles = [
            page("gioi-thieu.md", "vi", "about"),
            page("en/about.md", "en", "about"),
        ];
        let mut errors = Vec::new();
        let t = link(&config(), &articles, &[true, true], &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(t[0], [ArticleId::new(1)]);
        assert_eq!(t[1], [ArticleId::new(0)]);
    }

    #[test]
    fn a_key_pointing_nowhere_or_twice_in_one_language_is_an_error_with_its_line() {
        let articles = [
            page("a.md", "vi", "x"),
            page("b.md", "en", "y"),
            page("c.md", "en", "x"),
        ];
        let mut errors = Vec::new();
        link(&config(), &articles[..2], &[true, true], &mut errors);
        let text: Vec<String> = errors.iter().map(|p| p.to_string()).collect();
        assert_eq!(errors.len(), 2, "{text:?}");
        assert!(
            text[0].contains("content/a.md:5: field `translation_key`"),
            "{text:?}"
        );
        assert!(text[0].contains("no page in another language"), "{text:?}");
        let mut errors = Vec::new();
        let same = [page("a.md", "en", "x"), page("c.md", "en", "x")];
        link(&config(), &same, &[true, true], &mut errors);
        assert!(errors[0].to_string().contains("content/c.md"), "{errors:?}");
        assert!(
            errors[0].to_string().contains("same language"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_draft_translation_is_not_linked_yet() {
        let articles = [page("a.md", "vi", "x"), page("b.md", "en", "x")];
        let mut errors = Vec::new();
        let t = link(&config(), &articles, &[true, false], &mut errors);
        assert!(errors.is_empty());
        assert!(t[0].is_empty());
    }
}
