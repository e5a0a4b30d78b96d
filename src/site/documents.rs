//! The site's official documents ("Văn bản"): those published, newest first, each with its
//! URL, and the checks that need every document (one number, one document).

use crate::content::document::number_key;
use crate::content::Document;
use crate::error::Problem;
use crate::routes::Routes;
use std::collections::HashMap;

/// The published documents of a site.
#[derive(Debug, Clone, Default)]
pub struct Documents {
    /// Published documents, newest first (by issue date, then number).
    pub list: Vec<Document>,
    /// URL path (with base path) of each document in `list`.
    pub urls: Vec<String>,
    /// The HTML of each document's body (empty when it has none).
    pub bodies: Vec<String>,
}

impl Documents {
    /// Keeps the documents to publish (drafts only when `drafts`), newest first, with their
    /// URLs. Two documents with one number (compared without case or diacritics) are an
    /// error naming the second and the first.
    pub fn assemble(
        documents: Vec<Document>,
        drafts: bool,
        routes: &Routes,
        errors: &mut Vec<Problem>,
    ) -> Documents {
        let mut by_number: HashMap<String, String> = HashMap::new();
        for d in &documents {
            if let Some(first) = by_number.insert(number_key(&d.number), d.display_path()) {
                errors.push(
                    Problem::error(
                        d.display_path(),
                        format!(
                            "the number `{}` is already the number of {first}: each document \
                             has its own number",
                            d.number
                        ),
                    )
                    .in_field("number")
                    .at_line(d.line_of("number")),
                );
            }
        }
        let mut list: Vec<Document> = documents
            .into_iter()
            .filter(|d| drafts || !d.draft)
            .collect();
        list.sort_by(|a, b| {
            b.issued
                .cmp(&a.issued)
                .then_with(|| a.number.cmp(&b.number))
        });
        let mut seen: HashMap<String, usize> = HashMap::new();
        let urls = list
            .iter()
            .map(|d| {
                let count = seen.entry(d.slug.clone()).or_insert(0);
                *count += 1;
                let slug = if *count == 1 {
                    d.slug.clone()
                } else {
                    format!("{}-{count}", d.slug)
                };
                routes.document(&slug)
            })
            .collect();
        Documents {
            list,
            urls,
            bodies: Vec::new(),
        }
    }

    /// Renders each document's Markdown body (links resolved from the document's folder, as
    /// an article's are) into `bodies`, and drops the Markdown.
    pub fn render_bodies(&mut self, links: &super::LinkTable, html: crate::markdown::HtmlPolicy) {
        self.bodies = self
            .list
            .iter_mut()
            .map(|d| {
                let markdown = std::mem::take(&mut d.body);
                if markdown.trim().is_empty() {
                    return String::new();
                }
                let resolve = |dest: &str, is_image: bool| links.resolve(&d.source, dest, is_image);
                let options = crate::markdown::RenderOptions {
                    plain_limit: 0,
                    html,
                };
                crate::markdown::render_with(&markdown, &resolve, options).html
            })
            .collect();
    }

    /// The documents each article names (`documents:`), as indexes into `list`, in the
    /// order written. A number no document has is an error naming the article's file, line
    /// and field, with the closest number, unless a document failed to load (`errors`
    /// already holds an error about a file under `content/van-ban/`): its number may be the
    /// one named, and its own error says what to fix.
    pub fn of_articles(
        &self,
        articles: &[crate::content::Article],
        errors: &mut Vec<Problem>,
    ) -> Vec<Vec<usize>> {
        let folder = crate::content::article::display_path(&format!(
            "{}/",
            crate::content::document::DOCUMENTS_FOLDER
        ));
        let broken = errors
            .iter()
            .any(|p| p.is_error() && p.file.to_string_lossy().starts_with(&folder));
        articles
            .iter()
            .map(|a| {
                let mut found = Vec::new();
                for number in &a.documents {
                    match self.by_number(number) {
                        Some(i) if found.contains(&i) => {}
                        Some(i) => found.push(i),
                        None if broken => {}
                        None => {
                            let hint = crate::text::closest(
                                number,
                                self.list.iter().map(|d| d.number.as_str()),
                            )
                            .map(|n| format!("; did you mean `{n}`?"))
                            .unwrap_or_else(|| {
                                " (documents are the files under content/van-ban/)".into()
                            });
                            errors.push(
                                Problem::error(
                                    a.display_path(),
                                    format!("no document has the number `{number}`{hint}"),
                                )
                                .in_field("documents")
                                .at_line(a.line_of("documents")),
                            );
                        }
                    }
                }
                found
            })
            .collect()
    }

    /// The document whose number is `number` (compared without case or diacritics).
    pub fn by_number(&self, number: &str) -> Option<usize> {
        let key = number_key(number);
        self.list.iter().position(|d| number_key(&d.number) == key)
    }
}
