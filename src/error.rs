//! The error type of the library: every variant says where the problem is.

use std::fmt;
use std::path::PathBuf;

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported, but the build goes on.
    Warning,
    /// The build fails after every problem has been reported.
    Error,
}

/// One problem found in the site's input: a file, the line where known, the field where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Warning or error.
    pub severity: Severity,
    /// The file, relative to the site root where possible (`content/2020/10/x.md`).
    pub file: PathBuf,
    /// 1-based line in the file, counted from the top of the file.
    pub line: Option<usize>,
    /// The front-matter field or config key concerned, if any.
    pub field: Option<String>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Problem {
    /// An error about `file`.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// A warning about `file`.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }

    /// The same problem, pinned to a line.
    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// The same problem, naming a field.
    pub fn in_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The site's input has errors; every one found is listed.
    #[error("{}", list_problems(.0))]
    Input(Vec<Problem>),
    /// A template failed to compile or render.
    #[error("{location}: {message}")]
    Template {
        /// `themes/x/templates/article.html:12` or the template name.
        location: String,
        /// Tera's message, without its source excerpt.
        message: String,
        /// Tera's error with the full report.
        #[source]
        source: tera::Error,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The input problems behind this error, if it is [`Error::Input`].
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Input(problems) => problems,
            _ => &[],
        }
    }
}

fn list_problems(problems: &[Problem]) -> String {
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let mut out = String::new();
    for p in problems.iter().filter(|p| p.is_error()) {
        out.push_str(&p.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "{errors} error{} in the site's input",
        if errors == 1 { "" } else { "s" }
    ));
    out
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
