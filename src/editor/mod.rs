//! The web editor for clerks (`trangtin serve --edit`): an editing area at
//! `{base}/_soan-tin/` on top of `serve`'s preview. Clerks list, write, paste, upload,
//! preview, publish and delete articles; every save writes a Markdown file under `content/`
//! that looks hand-written, and `serve`'s watcher rebuilds the preview from it.
//!
//! Nothing of the editing area is part of the site: `build` knows nothing of this module, its
//! pages are answered by `serve` only, and its own files live in `.trangtin/`.
//!
//! - [`form`]: the form's fields, checked on the server, in Vietnamese;
//! - [`file`](mod@file): a checked form → the article file's text (and the fields it keeps);
//! - [`store`]: paths, hashes, atomic writes, conflicts, the trash;
//! - [`uploads`]: kinds by content, limits, safe names;
//! - [`pages`]: the HTML; [`assets`]: the script and style sheet;
//! - [`handlers`]: the requests, and [`guard`]: who may send them (CSRF, Origin, proxies).

pub mod assets;
pub mod file;
pub mod form;
pub mod guard;
pub mod handlers;
pub mod pages;
pub mod store;
pub mod uploads;

use crate::serve::state::Generation;
use std::path::PathBuf;
use std::sync::Arc;

/// The editing area's folder name under the site's base path ("soạn tin": writing news).
pub const AREA: &str = "_soan-tin";

/// Gives the generation the preview answers from now.
pub type CurrentGeneration = Arc<dyn Fn() -> Arc<Generation> + Send + Sync>;

/// The editor of one site.
pub struct Editor {
    /// The site folder (canonical).
    pub root: PathBuf,
    /// The site's base path (`/` or `/tin-tuc/`).
    pub base: String,
    /// `{base}_soan-tin`, without a trailing slash.
    pub prefix: String,
    /// The generation `serve` answers from.
    pub generation: CurrentGeneration,
    /// Who may do what, and the tokens that prove it.
    pub guard: guard::Guard,
    /// Saves, deletes and restores one at a time (a conflict check and its write are one
    /// step).
    pub write_lock: std::sync::Mutex<()>,
    /// Who saved, published, uploaded, deleted or restored which file
    /// (`.trangtin/nhat-ky-soan-tin.log`); `None` when it cannot be opened.
    pub audit: Option<crate::accounts::AuditLog>,
}

impl Editor {
    /// The editor of the site at `root` served under `base`, with `guard`'s access rules.
    pub fn new(
        root: PathBuf,
        base: &str,
        generation: CurrentGeneration,
        guard: guard::Guard,
    ) -> Editor {
        let base = if base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        Editor {
            prefix: format!("{base}{AREA}"),
            base,
            audit: crate::accounts::AuditLog::open(&crate::accounts::AuditLog::default_path(&root))
                .ok(),
            root,
            generation,
            guard,
            write_lock: std::sync::Mutex::new(()),
        }
    }

    /// Writes one line of the audit log (a log that cannot be written does not stop the
    /// clerk's work; the console says so).
    pub fn record(&self, who: &guard::Who, action: &str, file: &str) {
        if let Some(log) = &self.audit {
            let _ = log.record(&who.name, action, file);
        }
    }

    /// Whether a request path belongs to the editing area.
    pub fn owns(&self, path: &str) -> bool {
        path == self.prefix
            || path
                .strip_prefix(self.prefix.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }
}
