//! Turns file-system events into the few kinds of change the server cares about.
//! Pure functions of paths and event kinds, so they are unit-tested without a watcher.

use notify::EventKind;
use std::path::{Path, PathBuf};

/// What a batch of file-system events means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `config.yaml` changed: reload everything.
    Config,
    /// A template or theme file changed: reload the theme.
    Templates,
    /// Files or folders under `content/` changed (created, edited, renamed or deleted).
    Content(Vec<PathBuf>),
    /// Nothing the site depends on (editor swap files, `public/`, ...).
    Ignore,
}

/// True for names that are never content: dot files, editor backups, swap and lock files,
/// vim's `4913` write probe, JetBrains' safe-write files.
pub fn is_temporary_name(name: &str) -> bool {
    crate::content::is_hidden_or_temporary(std::ffi::OsStr::new(name))
        || name == "4913"
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// What one changed path means. `root` is the site folder (as watched).
pub fn classify_path(root: &Path, path: &Path) -> Change {
    let Ok(relative) = path.strip_prefix(root) else {
        return Change::Ignore;
    };
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(first) = parts.first() else {
        return Change::Ignore;
    };
    // A hidden or temporary file or folder anywhere below the root is not part of the site.
    if parts.iter().any(|p| is_temporary_name(p)) {
        return Change::Ignore;
    }
    match first.as_str() {
        "config.yaml" if parts.len() == 1 => Change::Config,
        "templates" | "themes" => Change::Templates,
        crate::content::CONTENT_DIR => Change::Content(vec![path.to_path_buf()]),
        _ => Change::Ignore,
    }
}

/// What a batch of events means: at most one `Config` (which covers everything), else
/// `Templates` and/or one `Content` with every changed path once, in order. `[Ignore]` when
/// nothing matters. Access events (a file opened or read) never count.
pub fn classify<'a>(
    root: &Path,
    events: impl IntoIterator<Item = (&'a EventKind, &'a [PathBuf])>,
) -> Vec<Change> {
    let mut config = false;
    let mut templates = false;
    let mut content: Vec<PathBuf> = Vec::new();
    for (kind, paths) in events {
        if matches!(kind, EventKind::Access(_)) {
            continue;
        }
        for path in paths {
            match classify_path(root, path) {
                Change::Config => config = true,
                Change::Templates => templates = true,
                Change::Content(paths) => {
                    for p in paths {
                        if !content.contains(&p) {
                            content.push(p);
                        }
                    }
                }
                Change::Ignore => {}
            }
        }
    }
    if config {
        return vec![Change::Config];
    }
    let mut changes = Vec::new();
    if templates {
        changes.push(Change::Templates);
    }
    if !content.is_empty() {
        changes.push(Change::Content(content));
    }
    if changes.is_empty() {
        changes.push(Change::Ignore);
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, ModifyKind, RemoveKind, RenameMode};

    fn root() -> PathBuf {
        PathBuf::from("/site")
    }

    fn run(events: &[(EventKind, Vec<&str>)]) -> Vec<Change> {
        let owned: Vec<(EventKind, Vec<PathBuf>)> = events
            .iter()
            .map(|(k, p)| (*k, p.iter().map(PathBuf::from).collect()))
            .collect();
        classify(&root(), owned.iter().map(|(k, p)| (k, p.as_slice())))
    }

    const EDIT: EventKind = EventKind::Modify(ModifyKind::Any);
    const CREATE: EventKind = EventKind::Create(CreateKind::File);
    const REMOVE: EventKind = EventKind::Remove(RemoveKind::File);
    const RENAME: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));

    #[test]
    fn an_edited_article_is_a_content_change() {
        assert_eq!(
            run(&[(EDIT, vec!["/site/content/2024/03/a.md"])]),
            [Change::Content(vec!["/site/content/2024/03/a.md".into()])]
        );
    }

    #[test]
    fn create_delete_and_images_are_content_changes() {
        assert_eq!(
            run(&[
                (CREATE, vec!["/site/content/b.md"]),
                (REMOVE, vec!["/site/content/c.md"]),
                (EDIT, vec!["/site/content/images/x.png"]),
                (EDIT, vec!["/site/content/b.md"]),
            ]),
            [Change::Content(vec![
                "/site/content/b.md".into(),
                "/site/content/c.md".into(),
                "/site/content/images/x.png".into()
            ])]
        );
    }

    #[test]
    fn an_atomic_save_through_a_temporary_file_names_only_the_article() {
        // vim: writes 4913 and .a.md.swp; other editors write a temporary file, then rename.
        assert_eq!(
            run(&[
                (CREATE, vec!["/site/content/4913"]),
                (REMOVE, vec!["/site/content/4913"]),
                (EDIT, vec!["/site/content/.a.md.swp"]),
                (RENAME, vec!["/site/content/a.md.tmp", "/site/content/a.md"]),
                (RENAME, vec!["/site/content/a.md", "/site/content/a.md~"]),
            ]),
            [Change::Content(vec!["/site/content/a.md".into()])]
        );
    }

    #[test]
    fn a_rename_names_both_the_old_and_the_new_path() {
        assert_eq!(
            run(&[(RENAME, vec!["/site/content/a.md", "/site/content/b.md"])]),
            [Change::Content(vec![
                "/site/content/a.md".into(),
                "/site/content/b.md".into()
            ])]
        );
    }

    #[test]
    fn hidden_temporary_and_unrelated_files_are_ignored() {
        for path in [
            "/site/content/.x.swp",
            "/site/content/x~",
            "/site/content/#x#",
            "/site/content/4913",
            "/site/content/.git/index",
            "/site/public/index.html",
            "/site/README.md",
            "/elsewhere/content/a.md",
            "/site/config.yaml~",
            "/site/.config.yaml.swp",
        ] {
            assert_eq!(run(&[(EDIT, vec![path])]), [Change::Ignore], "{path}");
        }
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        assert_eq!(
            run(&[(
                EventKind::Access(AccessKind::Any),
                vec!["/site/content/a.md"]
            )]),
            [Change::Ignore]
        );
    }

    #[test]
    fn templates_and_themes_reload_the_theme() {
        assert_eq!(
            run(&[
                (EDIT, vec!["/site/templates/article.html"]),
                (EDIT, vec!["/site/content/a.md"]),
            ]),
            [
                Change::Templates,
                Change::Content(vec!["/site/content/a.md".into()])
            ]
        );
        assert_eq!(
            run(&[(
                EDIT,
                vec!["/site/themes/tin-hoat-dong/static/css/style.css"]
            )]),
            [Change::Templates]
        );
    }

    #[test]
    fn a_config_change_covers_everything() {
        assert_eq!(
            run(&[
                (EDIT, vec!["/site/content/a.md"]),
                (RENAME, vec!["/site/config.yaml.tmp", "/site/config.yaml"]),
            ]),
            [Change::Config]
        );
    }
}
