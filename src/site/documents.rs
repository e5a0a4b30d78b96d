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
        Documents { list, urls }
    }

    /// The document whose number is `number` (compared without case or diacritics).
    pub fn by_number(&self, number: &str) -> Option<usize> {
        let key = number_key(number);
        self.list.iter().position(|d| number_key(&d.number) == key)
    }
}
