//! trangtin: a static site generator for Vietnamese public news portals.
//!
//! One pipeline ([`pipeline`]) for `build`, `check` and `serve`, one module a stage:
//! read (`config`, `content`, the theme in `render::templates`) → `site` (the model, with
//! `markdown`) and `related` → `plan` (every page, its output path from `routes`) → emit
//! (`render`, `search`, `output`) into a sink: the staging folder of `build`, memory for
//! `serve`, nothing for `check`. Below them all, `text` (NFC, folding, slugs, dates, words)
//! and `error`. The disk is read by `config`, `content`, `labels` and `render::templates`
//! (the theme), and written only through `output::write`; `media` (image processing,
//! called by `site::pictures` while the site is assembled) keeps its own cache under
//! `SITE/.trangtin-cache/`. `accounts` (the web editor's users, sessions and audit log)
//! reads and writes `SITE/.trangtin/`. See ARCHITECTURE.md.

// The library returns reports and errors; printing is the command's job (src/main.rs).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod accounts;
pub mod build;
pub mod cache;
pub mod check;
pub mod colour;
pub mod config;
pub mod content;
pub mod deploy;
pub mod editor;
pub mod error;
pub mod file_types;
pub mod html;
pub mod import;
pub mod labels;
pub mod markdown;
pub mod media;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod published;
pub mod related;
pub mod render;
pub mod routes;
pub mod sanitize;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod text;
pub mod theme_settings;
pub mod widgets;
pub mod yaml;

pub use build::{build, load_site, BuildReport};
pub use error::{Error, Problem, ProblemKind, Result, Severity};
pub use pipeline::{BuildOptions, StageTime};
