//! Credentials files and the settings of an S3-compatible store.
//!
//! A deploy's settings come from the environment and from a credentials file given with
//! `--credentials`, which wins. Never from `config.yaml`: the site's folder is shared and
//! committed, so a file inside it is refused. The file holds `KEY=VALUE` lines with the
//! environment's names (`AWS_SECRET_ACCESS_KEY=...`, `TRANGTIN_SFTP_KEY=...`); `#` starts a
//! comment, `export ` before a line and quotes around a value are allowed.
//!
//! An S3 store's names are `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`,
//! `AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP`, ...; its file may also use the AWS command line's
//! (`aws_secret_access_key = ...`, under `[default]`). The SFTP target's are read by
//! [`super::sftp`].

use crate::error::{Error, Problem, Result};
use object_store::aws::AmazonS3ConfigKey;
use std::path::Path;

/// One setting of the store, as object_store names it, with its value.
pub(crate) type Setting = (AmazonS3ConfigKey, String);

/// The settings from the environment, then those of `file` (read after refusing a file
/// inside one of `refused`: the site's folder, the build output).
pub(crate) fn gather(file: Option<&Path>, refused: &[&Path]) -> Result<Vec<Setting>> {
    let mut settings: Vec<Setting> = std::env::vars_os()
        .filter_map(|(key, value)| Some((key.into_string().ok()?, value.into_string().ok()?)))
        .filter(|(key, _)| key.starts_with("AWS_"))
        .filter_map(|(key, value)| Some((key.to_ascii_lowercase().parse().ok()?, value)))
        .collect();
    if let Some(file) = file {
        let text = read(file, refused)?;
        settings.extend(parse(&text, file)?);
    }
    Ok(settings)
}

/// The text of the credentials file `file`, refused inside one of `refused`.
pub(crate) fn read(file: &Path, refused: &[&Path]) -> Result<String> {
    check_outside(file, refused)?;
    std::fs::read_to_string(file).map_err(|e| Error::io(file, e))
}

/// Refuses a credentials file inside the site's folder or the build output.
fn check_outside(file: &Path, refused: &[&Path]) -> Result<()> {
    let resolved = super::folder::resolve(file);
    for folder in refused {
        let folder = super::folder::resolve(folder);
        if resolved.starts_with(&folder) {
            return Err(Error::Input(vec![Problem::error(
                file,
                format!(
                    "a credentials file must not be inside {}: everything there is shared, \
                     committed or published; keep it outside the site (e.g. \
                     ~/.config/trangtin/deploy.env, readable only by you)",
                    folder.display()
                ),
            )]));
        }
    }
    Ok(())
}

/// One `KEY=VALUE` line of a credentials file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// The key as written.
    pub(crate) key: String,
    /// The value, without its quotes.
    pub(crate) value: String,
    /// The line's number, from 1.
    pub(crate) line: usize,
}

/// The `KEY=VALUE` lines of a credentials file's text, and the problems of the lines that
/// are none (`file` names it in them).
pub(crate) fn lines(text: &str, file: &Path) -> (Vec<Line>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let problem = |message: String| Problem::error(file, message).at_line(Some(i + 1));
        if let Some(section) = line.strip_prefix('[') {
            if section.trim_end_matches(']').trim() != "default" {
                problems.push(problem(format!(
                    "only a `[default]` section is read, not `{line}`"
                )));
            }
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            problems.push(problem(
                "not a `KEY=VALUE` line (e.g. `AWS_ACCESS_KEY_ID=...`)".into(),
            ));
            continue;
        };
        found.push(Line {
            key: key.trim().to_string(),
            value: unquote(value.trim()).to_string(),
            line: i + 1,
        });
    }
    (found, problems)
}

/// The settings of a credentials file's text for an S3 store; `file` names it in errors.
pub(crate) fn parse(text: &str, file: &Path) -> Result<Vec<Setting>> {
    let (found, mut problems) = lines(text, file);
    let mut settings = Vec::new();
    for Line { key, value, line } in found {
        match key.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
            Ok(config_key) if key.to_ascii_lowercase().starts_with("aws_") => {
                settings.push((config_key, value));
            }
            _ => problems.push(
                Problem::error(
                    file,
                    "not a setting of an S3 store; known ones include AWS_ACCESS_KEY_ID, \
                     AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL \
                     and AWS_ALLOW_HTTP",
                )
                .at_line(Some(line))
                .in_field(key),
            ),
        }
    }
    if problems.is_empty() {
        Ok(settings)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(Error::Input(problems))
    }
}

/// `"x"` or `'x'` → `x`.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_environments_names_and_the_aws_command_lines() {
        let text = "# S3 của Sở\nexport AWS_ACCESS_KEY_ID=\"AKIA1\"\n[default]\n\
                    aws_secret_access_key = s3cr=t\nAWS_ENDPOINT_URL=http://127.0.0.1:9000\n";
        let settings = parse(text, Path::new("s3.env")).unwrap();
        assert_eq!(
            settings,
            [
                (AmazonS3ConfigKey::AccessKeyId, "AKIA1".to_string()),
                (AmazonS3ConfigKey::SecretAccessKey, "s3cr=t".to_string()),
                (
                    AmazonS3ConfigKey::Endpoint,
                    "http://127.0.0.1:9000".to_string()
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_key_or_line_is_refused_with_its_line() {
        let text = "AWS_ACCESS_KEY_ID=a\nPASSWORD=x\njust words\n[prod]\n";
        let err = parse(text, Path::new("s3.env")).unwrap_err();
        let lines: Vec<Option<usize>> = err.problems().iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4)], "{err}");
        assert!(
            err.to_string().contains("field `PASSWORD`: not a setting"),
            "{err}"
        );
    }

    #[test]
    fn a_file_inside_the_site_is_refused() {
        let site = tempfile::tempdir().unwrap();
        let file = site.path().join("s3.env");
        std::fs::write(&file, "AWS_ACCESS_KEY_ID=a\n").unwrap();
        let err = gather(Some(&file), &[site.path()]).unwrap_err();
        assert!(err.to_string().contains("must not be inside"), "{err}");
        let elsewhere = tempfile::tempdir().unwrap();
        assert!(gather(Some(&file), &[elsewhere.path()]).is_ok());
    }
}
