//! trangtin: a static site generator for Vietnamese public news portals.
//!
//! The pipeline runs in one direction, one module a stage:
//! `config` → `content` (front matter) → `site` (indexes, Markdown) → `render` (Tera) → `output`.
//! Only `content` and `output` touch the disk.

// The library returns reports and errors; printing is the command's job (src/main.rs).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod labels;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod related;
pub mod render;
pub mod routes;
pub mod sanitize;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod text;
pub mod yaml;

pub use build::{build, load_site, BuildReport};
pub use error::{Error, Problem, ProblemKind, Result, Severity};
pub use pipeline::{BuildOptions, StageTime};
