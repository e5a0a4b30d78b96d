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

/// What sort of problem a [`Problem`] is, for code that treats some sorts apart (`check`
/// merges the missing files it finds with the build's own warnings about them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProblemKind {
    /// Anything not listed below: front matter, config, categories, dates, ...
    Input,
    /// A link or image whose target is not in `content/` or the theme.
    MissingFile,
    /// Two outputs would be written to one path.
    Collision,
    /// An output path no file system takes (too long, a `.` segment, ...).
    OutputPath,
    /// A file to copy that cannot be read.
    Unreadable,
    /// A template that does not compile or render.
    Template,
}

/// One problem found in the site's input: a file, the line where known, the field where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Warning or error.
    pub severity: Severity,
    /// What sort of problem it is.
    pub kind: ProblemKind,
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
            kind: ProblemKind::Input,
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

    /// The same problem, of another kind.
    pub fn of_kind(mut self, kind: ProblemKind) -> Self {
        self.kind = kind;
        self
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
    /// `serve` cannot listen on its address.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address and port asked for.
        address: std::net::SocketAddr,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The operating system refused a thread, a runtime or a socket to `serve`.
    #[error("cannot start {what}: {source}")]
    Start {
        /// What could not be started (`the HTTP runtime`, `the watcher thread`, ...).
        what: &'static str,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// `serve` cannot watch the site's folders for changes.
    #[error("cannot watch {} for changes: {source}", path.display())]
    Watch {
        /// The folder concerned.
        path: PathBuf,
        /// What the file watcher said.
        #[source]
        source: notify::Error,
    },
    /// An object store (`trangtin deploy --to s3://...`) refused or failed a request.
    #[error("{target}: {summary}")]
    Store {
        /// The store and object concerned (`s3://bucket/prefix/index.html`).
        target: String,
        /// What went wrong on one line: the request, the HTTP status, the store's code and
        /// message, and what to do where it is clear. (object_store's errors repeat their
        /// whole text at each level of their chain, so the chain is not printed.)
        summary: String,
        /// What object_store said, whole (boxed: it is large, and rare).
        error: Box<object_store::Error>,
    },
    /// A deploy's server (`trangtin deploy --to sftp://...`) could not be reached, refused
    /// the login or an operation on a file, or the login's key file cannot be used.
    #[error("{target}: {message}")]
    Deploy {
        /// The server and the file concerned (`sftp://tin@web.so.vn/var/www/tin/index.html`),
        /// or the key file.
        target: String,
        /// What sort of failure, as an I/O error's kind (`PermissionDenied`, `StorageFull`,
        /// `ConnectionRefused`, ...), for programs that treat some apart.
        kind: std::io::ErrorKind,
        /// What went wrong and what to do, on one line.
        message: String,
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

    /// Every error behind this one as problems with a file (and a line where known), the
    /// way `check` lists them and `serve` shows them: the input problems of
    /// [`Error::Input`] (errors only), or one problem for any other error.
    pub fn to_problems(&self) -> Vec<Problem> {
        match self {
            Error::Input(problems) => problems.iter().filter(|p| p.is_error()).cloned().collect(),
            Error::Template {
                location, message, ..
            } => {
                let (file, line) = match location.rsplit_once(':') {
                    Some((file, line)) if line.parse::<usize>().is_ok() => {
                        (file, line.parse().ok())
                    }
                    _ => (location.as_str(), None),
                };
                vec![Problem::error(file, message.as_str())
                    .at_line(line)
                    .of_kind(ProblemKind::Template)]
            }
            Error::Io { path, source } => vec![Problem::error(path, source.to_string())],
            Error::Listen { address, .. } => {
                vec![Problem::error(address.to_string(), self.to_string())]
            }
            Error::Start { .. } => vec![Problem::error("trangtin", self.to_string())],
            Error::Watch { path, source } => vec![Problem::error(path, source.to_string())],
            Error::Store {
                target, summary, ..
            } => vec![Problem::error(target, summary.as_str())],
            Error::Deploy {
                target, message, ..
            } => vec![Problem::error(target, message.as_str())],
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
