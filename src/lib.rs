//! trangtin: a static site generator for Vietnamese public news portals.
//!
//! The pipeline runs in one direction, one module a stage:
//! `config` → `content` (front matter) → `site` (indexes, Markdown) → `render` (Tera) → `output`.
//! Only `content` and `output` touch the disk.

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod markdown;
pub mod output;
pub mod related;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod yaml;

pub use build::{build, load_site, BuildOptions, BuildReport, StageTime};
pub use error::{Error, Problem, Result, Severity};
