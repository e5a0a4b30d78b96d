//! Loads a theme's templates and static files: the embedded default theme, then the theme
//! folder on disk, then the site's own `templates/`, each overriding the one before.

use super::inputs::Inputs;
use super::reads::Reads;
use crate::config::{Config, DEFAULT_THEME};
use crate::error::{Error, Result};
use crate::labels::{labels_file, Labels};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{ErrorKind, Tera};
use xxhash_rust::xxh3::Xxh3;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// The files of the built-in default theme: (path in the theme, bytes), e.g.
/// (`templates/article.html`, ...), (`static/css/style.css`, ...).
pub fn embedded_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::FILES
}

/// Where a static file of the theme comes from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Compiled into the binary.
    Embedded(&'static [u8]),
    /// A file on disk.
    Disk(PathBuf),
}

/// A theme ready to render: the template engine and the files to copy.
#[derive(Clone)]
pub struct Theme {
    /// The engine with every template and filter registered.
    pub tera: Tera,
    /// Static files: output path → source.
    pub static_files: BTreeMap<String, StaticSource>,
    /// Template name → the file it came from, for error messages.
    pub template_paths: BTreeMap<String, String>,
    /// The labels of the site's own language, with the site's overrides.
    pub labels: Labels,
    /// A hash of everything above as it shapes pages (templates, static files' versions,
    /// labels, the base path) and of the program itself: part of every page's inputs.
    pub inputs: Inputs,
    /// What each template can read (see [`Reads`]); `None` for anything.
    pub reads: BTreeMap<String, Option<Reads>>,
    /// The labels of the site's other languages (`languages:`), by code.
    pub other_labels: BTreeMap<String, Labels>,
}

impl Theme {
    /// Loads the theme named in `config` for the site at `root`.
    pub fn load(root: &Path, config: &Config) -> Result<Theme> {
        let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        if config.theme == DEFAULT_THEME {
            for (path, bytes) in embedded::FILES {
                if let Some(name) = path.strip_prefix("templates/") {
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    sources.insert(name.into(), (text, format!("(built-in theme)/{path}")));
                } else if let Some(out) = path.strip_prefix("static/") {
                    static_files.insert(out.to_string(), StaticSource::Embedded(bytes));
                }
            }
        }
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            read_templates(root, &theme_dir.join("templates"), &mut sources)?;
            for (out, path) in files_under(&theme_dir.join("static"))? {
                static_files.insert(out, StaticSource::Disk(path));
            }
        } else if config.theme != DEFAULT_THEME {
            return Err(Error::Input(vec![crate::error::Problem::error(
                crate::config::CONFIG_FILE,
                format!(
                    "theme `{}` not found: there is no folder {}",
                    config.theme,
                    theme_dir.display()
                ),
            )
            .in_field("theme")]));
        }
        read_templates(root, &root.join("templates"), &mut sources)?;

        for (name, (text, _)) in sources.iter_mut() {
            if name.ends_with(".html") {
                *text = unindent_html(text);
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        super::filters::register(&mut tera);
        let versions = super::assets::versions(&static_files)?;
        let mut hasher = Xxh3::new();
        hasher.update(&super::inputs::program().to_le_bytes());
        hasher.update(config.base_path.as_bytes());
        for (name, (text, _)) in &sources {
            for part in [name, text] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part.as_bytes());
            }
        }
        let mut sorted_versions: Vec<_> = versions.iter().collect();
        sorted_versions.sort_unstable();
        hasher.update(format!("{sorted_versions:?}").as_bytes());
        super::assets::register(&mut tera, &config.base_path, versions);
        let template_paths: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (_, path))| (name.clone(), path.clone()))
            .collect();
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| template_error(e, &template_paths))?;
        let mut labels = load_labels(root, &theme_dir, config)?.into_iter();
        let (_, own) = labels.next().expect("the site's own language comes first");
        let other_labels: BTreeMap<String, Labels> = labels.collect();
        hasher.update(format!("{own:?}{other_labels:?}").as_bytes());
        let texts = sources
            .iter()
            .map(|(name, (text, _))| (name.clone(), text.clone()))
            .collect();
        Ok(Theme {
            tera,
            static_files,
            template_paths,
            labels: own,
            other_labels,
            inputs: hasher.digest128(),
            reads: super::reads::reads_of(&texts),
        })
    }
}

/// An HTML template without the indentation at the start of its lines, outside `<pre>` and
/// `<textarea>` (where spaces show). Templates are indented by nesting to be readable;
/// browsers ignore that indentation, so it would only weigh on every page written (about 7%
/// of the sample site's HTML). Line breaks stay, so words on two lines stay two words.
pub fn unindent_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut keep_spaces = false;
    for line in text.split_inclusive('\n') {
        if keep_spaces {
            out.push_str(line);
        } else {
            out.push_str(line.trim_start_matches([' ', '\t']));
        }
        let lower = line.to_ascii_lowercase();
        for (open, close) in [("<pre", "</pre>"), ("<textarea", "</textarea>")] {
            if let (Some(o), c) = (lower.rfind(open), lower.rfind(close)) {
                if c.is_none_or(|c| c < o) {
                    keep_spaces = true;
                }
            }
            if let (Some(c), o) = (lower.rfind(close), lower.rfind(open)) {
                if o.is_none_or(|o| o < c) {
                    keep_spaces = false;
                }
            }
        }
    }
    out
}

/// The labels of each language of the site: the default theme's table of the language,
/// then the theme's own file over it (`labels.yaml`, `labels.en.yaml`), then the site's
/// `labels:`. The site's own language first.
fn load_labels(root: &Path, theme_dir: &Path, config: &Config) -> Result<Vec<(String, Labels)>> {
    let mut out = Vec::new();
    for lang in config.language_codes() {
        let file = labels_file(lang, &config.language);
        let mut layers: Vec<(String, String)> = Vec::new();
        // The default theme's table of the language: Vietnamese in labels.yaml (the
        // default's own language), others in labels.{lang}.yaml.
        let built_in = labels_file(lang, "vi");
        if let Some((_, bytes)) = embedded::FILES.iter().find(|(name, _)| *name == built_in) {
            let text = String::from_utf8_lossy(bytes).into_owned();
            layers.push((text, format!("(built-in theme)/{built_in}")));
        }
        let path = theme_dir.join(&file);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let shown = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                layers.push((text, shown));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
        let files: Vec<(&str, &str)> = layers
            .iter()
            .map(|(t, s)| (t.as_str(), s.as_str()))
            .collect();
        let labels = match config.other_language(lang) {
            Some(other) => Labels::load_with(&files, &other.labels, &format!("labels.{lang}"))?,
            None => Labels::load(&files, config)?,
        };
        out.push((lang.to_string(), labels));
    }
    Ok(out)
}

fn read_templates(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, (String, String)>,
) -> Result<()> {
    for (name, path) in files_under(dir)? {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let shown = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .display()
            .to_string();
        sources.insert(name, (text, shown));
    }
    Ok(())
}

/// Every file under `dir` as (path relative to `dir` with `/`, full path). Missing `dir`: none.
pub fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if entry.file_type().is_file() && !crate::content::is_hidden_or_temporary(entry.file_name())
        {
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            out.push((crate::content::source_name(relative), entry.into_path()));
        }
    }
    Ok(out)
}

/// Turns a Tera error into ours, naming the template file and line.
pub fn template_error(err: tera::Error, paths: &BTreeMap<String, String>) -> Error {
    let (location, message) = match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let file = paths
                .get(report.filename())
                .cloned()
                .unwrap_or_else(|| report.filename().to_string());
            (
                format!("{file}:{}", report.span().start_line),
                report.message().to_string(),
            )
        }
        other => ("templates".to_string(), other.to_string()),
    };
    let message = match std::error::Error::source(&err) {
        Some(source) => format!("{message}: {source}"),
        None => message,
    };
    Error::Template {
        location,
        message,
        source: err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_is_dropped_outside_pre_and_textarea() {
        let template =
            "<div>\n  <p>Xem\n    thêm</p>\n  {%- if a %}\n\t<b>x</b>\n  {%- endif %}\n</div>\n";
        assert_eq!(
            unindent_html(template),
            "<div>\n<p>Xem\nthêm</p>\n{%- if a %}\n<b>x</b>\n{%- endif %}\n</div>\n"
        );
        let pre =
            "<div>\n  <PRE>a\n    b\n  </pre>\n  <p>c</p>\n  <textarea>\n    d</textarea>\n</div>";
        assert_eq!(
            unindent_html(pre),
            "<div>\n<PRE>a\n    b\n  </pre>\n<p>c</p>\n<textarea>\n    d</textarea>\n</div>"
        );
    }
}
