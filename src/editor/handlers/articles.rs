//! The list of articles, the article form, and saving it.

use super::*;

pub(super) fn list(editor: &Editor, who: &Who, request: &Request) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let filters = Filters {
        q: request.param("q").unwrap_or_default().trim().to_string(),
        category: request.param("chuyen-muc").unwrap_or_default().to_string(),
        state: request.param("trang-thai").unwrap_or_default().to_string(),
    };
    let generation = (editor.generation)();
    let now = now(&config);
    let mut rows: Vec<(DateTime<FixedOffset>, Row)> = Vec::new();
    let mut total = 0;
    if let Some(good) = &generation.good {
        let site = &good.rendering.site;
        let key = crate::text::search_key(&filters.q);
        for (i, article) in site.articles.iter().enumerate() {
            if article.category.is_empty() && !article.has_date {
                continue; // a page, not an article
            }
            total += 1;
            let state = if article.draft {
                "nhap"
            } else if article.date > now {
                "hen-gio"
            } else {
                "da-dang"
            };
            if !key.is_empty() && !crate::text::search_key(&article.title).contains(&key) {
                continue;
            }
            if !filters.category.is_empty() && article.category != filters.category {
                continue;
            }
            if !filters.state.is_empty() && filters.state != state {
                continue;
            }
            rows.push((
                article.date,
                Row {
                    path: article.source.clone(),
                    title: article.title.clone(),
                    category: article.category.clone(),
                    date: article
                        .date
                        .with_timezone(&config.timezone)
                        .format("%d/%m/%Y %H:%M")
                        .to_string(),
                    state,
                    url: site.urls.get(i).cloned().unwrap_or_default(),
                },
            ));
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.path.cmp(&b.1.path)));
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).take(500).collect();
    Reply::html(
        200,
        pages::list(
            &frame(editor, who),
            &rows,
            total,
            &filters,
            &category_names(editor, &config),
        ),
    )
}

fn site_tags(editor: &Editor) -> Vec<String> {
    let generation = (editor.generation)();
    let mut tags: Vec<String> = generation
        .good
        .iter()
        .flat_map(|g| g.rendering.site.articles.iter())
        .flat_map(|a| a.tags.iter().cloned())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

fn form_page(
    editor: &Editor,
    who: &Who,
    config: &Config,
    form: &ArticleForm,
    errors: &[FieldError],
    notice: Option<&str>,
    url: Option<&str>,
) -> Reply {
    let categories = category_names(editor, config);
    let tags = site_tags(editor);
    Reply::html(
        200,
        pages::form(
            &frame(editor, who),
            &pages::FormPage {
                form,
                categories: &categories,
                tags: &tags,
                errors,
                notice,
                url,
            },
        ),
    )
}

pub(super) fn new_form(editor: &Editor, who: &Who) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let remembered = last_author(&editor.root, &who.key);
    let form = ArticleForm::new_article(&config, now(&config), remembered);
    form_page(editor, who, &config, &form, &[], None, None)
}

pub(super) fn edit_form(editor: &Editor, who: &Who, request: &Request) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let path = request.param("tep").unwrap_or_default();
    let file = match store::article_file(&editor.root, path) {
        Ok(f) => f,
        Err(e) => return Reply::refused(404, &e.message(), false),
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(e) => return Reply::refused(500, &store::StoreError::Io(e).message(), false),
    };
    let hash = store::hash(&bytes);
    let text = match crate::content::decode(bytes) {
        Ok(t) => t,
        Err(line) => {
            return Reply::refused(
                422,
                &format!(
                    "Tệp {path} không phải văn bản UTF-8 (dòng {line}); hãy lưu lại dạng UTF-8."
                ),
                false,
            )
        }
    };
    match crate::content::article::parse_article(path, &text, &config) {
        Ok(article) => {
            let form = ArticleForm::from_article(&article, path, &hash, &config, now(&config));
            let url = article_url(editor, path);
            let notice = super::word::notice(request);
            form_page(
                editor,
                who,
                &config,
                &form,
                &[],
                notice.as_deref(),
                url.as_deref(),
            )
        }
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            Reply::html(
                422,
                pages::message(
                    &frame(editor, who),
                    "Tệp có lỗi",
                    &format!(
                        "Không mở được bài trong trình soạn thảo vì tệp có lỗi; hãy sửa tệp \
                         content/{path} (hoặc nhờ người quản trị): {}",
                        list.join("; ")
                    ),
                ),
            )
        }
    }
}

/// The preview URL of an article and the build's errors about it, once the preview has
/// rebuilt (the script asks again while a save's rebuild takes longer than a save waits).
pub(super) fn address(editor: &Editor, request: &Request) -> Reply {
    let path = request.param("tep").unwrap_or_default();
    let generation = (editor.generation)();
    let errors = build_errors(&generation, path);
    Reply::json(
        200,
        serde_json::json!({
            "preview": article_url(editor, path), "generation": generation.number,
            "errors": errors
                .iter()
                .map(|e| serde_json::json!({"field": e.field, "message": e.message}))
                .collect::<Vec<_>>(),
        }),
    )
}

/// The errors of the current generation about the article at `source` (under `content/`).
fn build_errors(generation: &crate::serve::state::Generation, source: &str) -> Vec<FieldError> {
    let location = format!("{CONTENT_DIR}/{source}");
    generation
        .errors
        .iter()
        .filter(|e| e.location == location || e.location.starts_with(&format!("{location}:")))
        .map(|e| {
            FieldError::new(
                &form_field(e.field.as_deref()),
                format!("Lỗi khi dựng trang: {}", e.message),
            )
        })
        .collect()
}

/// The preview URL of the article at `path` (under `content/`) in the current generation.
fn article_url(editor: &Editor, path: &str) -> Option<String> {
    let generation = (editor.generation)();
    let good = generation.good.as_ref()?;
    let site = &good.rendering.site;
    let i = site.articles.iter().position(|a| a.source == path)?;
    site.urls.get(i).filter(|u| !u.is_empty()).cloned()
}

/// Maps a problem of the build's parser to a form field.
fn form_field(field: Option<&str>) -> String {
    match field {
        Some(
            f @ ("title" | "category" | "date" | "author" | "author_title" | "tags" | "summary"
            | "image" | "image_caption"),
        ) => f.to_string(),
        Some("draft") => "publish".into(),
        _ => "body".into(),
    }
}

pub(super) fn save(editor: &Editor, who: &Who, pairs: &[(String, String)], json: bool) -> Reply {
    let config = match config(editor) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let form = ArticleForm::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let now = now(&config);
    let answer_errors = |errors: Vec<FieldError>, status: u16, message: &str| {
        if json {
            let list: Vec<serde_json::Value> = errors
                .iter()
                .map(|e| serde_json::json!({"field": e.field, "message": e.message}))
                .collect();
            Reply::json(
                status,
                serde_json::json!({"ok": false, "message": message, "errors": list}),
            )
        } else {
            let mut page = form_page(editor, who, &config, &form, &errors, Some(message), None);
            page.status = status;
            page
        }
    };
    let checked = match form.check(&config, now) {
        Ok(c) => c,
        Err(errors) => {
            return answer_errors(errors, 422, "Chưa lưu: hãy sửa các lỗi được đánh dấu.")
        }
    };
    let _writing = editor.write_lock.lock().unwrap_or_else(|e| e.into_inner());
    // The existing file, its front matter and state, or the new file's place.
    let existing = if form.path.is_empty() {
        None
    } else {
        let file = match store::article_file(&editor.root, &form.path) {
            Ok(f) => f,
            Err(e) => return answer_errors(vec![], 404, &e.message()),
        };
        let text = std::fs::read(&file)
            .ok()
            .and_then(|b| crate::content::decode(b).ok())
            .unwrap_or_default();
        Some((file, text))
    };
    if !who.may_publish {
        // A file the parser refuses counts as published: its `draft` cannot be trusted, and
        // an editor's save would otherwise take a published article down.
        let was_published = existing.as_ref().is_some_and(|(_, text)| {
            !matches!(
                crate::content::article::parse_article(&form.path, text, &config),
                Ok(a) if a.draft
            )
        });
        if checked.publish != Publish::Draft || was_published {
            return answer_errors(
                vec![],
                403,
                "Biên tập viên chỉ lưu được bản nháp và không sửa được bài đã đăng; \
                 hãy nhờ người duyệt.",
            );
        }
    }
    let existing_yaml = existing.as_ref().and_then(|(_, text)| {
        crate::content::front_matter::split(text)
            .ok()
            .map(|s| s.yaml.to_string())
    });
    let text = article_text(&checked, existing_yaml.as_deref());
    let (file, source) = match &existing {
        Some((file, _)) => (file.clone(), form.path.clone()),
        None => {
            let folder = store::month_folder(&editor.root, checked.date);
            if !store::inside_content(&editor.root, &folder) {
                return answer_errors(vec![], 400, &store::StoreError::NotAllowed.message());
            }
            let name = store::free_name(&folder, &crate::text::slug::slugify(&checked.title), "md");
            let file = folder.join(&name);
            let source = crate::content::source_name(
                file.strip_prefix(editor.root.join(CONTENT_DIR))
                    .unwrap_or(Path::new(&name)),
            );
            (file, source)
        }
    };
    // The build's own parser reads the text first: what it refuses is never written.
    if let Err(problems) = crate::content::article::parse_article(&source, &text, &config) {
        let errors: Vec<FieldError> = problems
            .iter()
            .filter(|p| p.severity == crate::Severity::Error)
            .map(|p| {
                FieldError::new(
                    &form_field(p.field.as_deref()),
                    format!("Lỗi: {}", p.message),
                )
            })
            .collect();
        return answer_errors(errors, 422, "Chưa lưu: hãy sửa các lỗi được đánh dấu.");
    }
    let before = (editor.generation)().number;
    let written = match &existing {
        Some((_, _)) => store::replace(&file, text.as_bytes(), &form.hash, config.timezone),
        None => store::write_new(&file, text.as_bytes()),
    };
    if let Err(e) = written {
        let status = match e {
            store::StoreError::Conflict(_) | store::StoreError::Exists => 409,
            store::StoreError::Missing => 404,
            store::StoreError::NotAllowed => 400,
            store::StoreError::Io(_) => 500,
        };
        return answer_errors(vec![], status, &e.message());
    }
    let action = match checked.publish {
        Publish::Draft => "lưu nháp",
        Publish::Now => "đăng bài",
        Publish::Scheduled => "hẹn giờ đăng",
    };
    editor.record(who, action, &format!("{CONTENT_DIR}/{source}"));
    // Under the lock too: two clerks saving at once must not lose each other's line.
    remember_author(
        &editor.root,
        &who.key,
        &checked.author,
        &checked.author_title,
    );
    drop(_writing);
    // The watcher rebuilds; wait for it (at most 2 s) to answer with the page and its errors.
    // A rebuild may start before the whole save is seen (a new month's folder is an event of
    // its own): wait for one that has this version of the article, or that failed.
    let body_hash = crate::content::front_matter::split(&text)
        .map(|split| xxhash_rust::xxh3::xxh3_64(split.body.as_bytes()))
        .ok();
    let reflects = |generation: &crate::serve::state::Generation| {
        generation.number != before
            && (!generation.errors.is_empty()
                || generation.good.as_ref().is_some_and(|good| {
                    good.rendering.site.articles.iter().any(|a| {
                        a.source == source
                            && a.title == checked.title
                            && a.date == checked.date
                            && a.draft == (checked.publish == Publish::Draft)
                            && Some(a.body_hash) == body_hash
                    })
                }))
    };
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut generation = (editor.generation)();
    while !reflects(&generation) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
        generation = (editor.generation)();
    }
    let rebuilt = reflects(&generation);
    let build_errors = build_errors(&generation, &source);
    let url = article_url(editor, &source).filter(|_| rebuilt);
    let hash = store::hash(text.as_bytes());
    let saved_at = now.format("%H:%M:%S").to_string();
    let message = if build_errors.is_empty() {
        match checked.publish {
            Publish::Draft => format!("Đã lưu nháp lúc {saved_at}."),
            Publish::Now => format!("Đã lưu và đăng lúc {saved_at}."),
            Publish::Scheduled => format!(
                "Đã lưu lúc {saved_at}; bài sẽ được đăng lúc {}.",
                checked.date.format("%H:%M ngày %d/%m/%Y")
            ),
        }
    } else {
        format!("Đã lưu lúc {saved_at}, nhưng trang chưa dựng được: hãy sửa các lỗi được đánh dấu.")
    };
    if json {
        let errors: Vec<serde_json::Value> = build_errors
            .iter()
            .map(|e| serde_json::json!({"field": e.field, "message": e.message}))
            .collect();
        Reply::json(
            200,
            serde_json::json!({
                "ok": true, "path": source, "hash": hash, "preview": url,
                "rebuilding": !rebuilt, "generation": generation.number,
                "message": message, "errors": errors,
            }),
        )
    } else {
        Reply::redirect(format!(
            "{}/sua?tep={}",
            editor.prefix,
            percent_encoding::utf8_percent_encode(&source, QUERY)
        ))
    }
}

/// The file that remembers each clerk's last author and author title.
fn authors_file(root: &Path) -> std::path::PathBuf {
    root.join(store::STATE_DIR).join("tac-gia-gan-nhat.tsv")
}

/// The author and title `who` used last, if any.
pub(super) fn last_author(root: &Path, who: &str) -> Option<(String, String)> {
    let text = std::fs::read_to_string(authors_file(root)).ok()?;
    text.lines().find_map(|line| {
        let mut parts = line.split('\t');
        (parts.next()? == who).then(|| {
            (
                parts.next().unwrap_or_default().to_string(),
                parts.next().unwrap_or_default().to_string(),
            )
        })
    })
}

fn remember_author(root: &Path, who: &str, author: &str, title: &str) {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let path = authors_file(root);
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.split('\t').next() != Some(who))
        .map(str::to_string)
        .collect();
    lines.push(format!(
        "{}\t{}\t{}",
        clean(who),
        clean(author),
        clean(title)
    ));
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    // Losing this file only loses a default; it is not worth failing a save.
    let _ = std::fs::write(&path, lines.join("\n") + "\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_fields_map_to_form_fields() {
        assert_eq!(form_field(Some("title")), "title");
        assert_eq!(form_field(Some("draft")), "publish");
        assert_eq!(form_field(Some("slug")), "body");
        assert_eq!(form_field(None), "body");
    }
}
