//! The SFTP target's credentials and trust: from the environment and from the credentials
//! file (`--credentials FILE`, outside the site; it wins), never from `config.yaml`.
//!
//! | name | |
//! |---|---|
//! | `TRANGTIN_SFTP_KEY` | the private key file (default `~/.ssh/id_ed25519`, then `~/.ssh/id_rsa`) |
//! | `TRANGTIN_SFTP_KEY_PASSPHRASE` | its passphrase, when it has one |
//! | `TRANGTIN_SFTP_PASSWORD` | a password, tried after the key |
//! | `TRANGTIN_SFTP_KNOWN_HOSTS` | the `known_hosts` file (default `~/.ssh/known_hosts`) |

use crate::deploy::credentials;
use crate::error::{Error, Problem, Result};
use std::path::{Path, PathBuf};

/// The private key file.
pub(crate) const KEY: &str = "TRANGTIN_SFTP_KEY";
/// The private key's passphrase.
pub(crate) const KEY_PASSPHRASE: &str = "TRANGTIN_SFTP_KEY_PASSPHRASE";
/// A password.
pub(crate) const PASSWORD: &str = "TRANGTIN_SFTP_PASSWORD";
/// The `known_hosts` file.
pub(crate) const KNOWN_HOSTS: &str = "TRANGTIN_SFTP_KNOWN_HOSTS";

const NAMES: [&str; 4] = [KEY, KEY_PASSPHRASE, PASSWORD, KNOWN_HOSTS];

/// How to log in and whom to trust.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// The private key files to try, in order (those that exist).
    pub(crate) keys: Vec<PathBuf>,
    /// Where the key files come from, for messages: `TRANGTIN_SFTP_KEY` or the defaults.
    pub(crate) keys_from: String,
    /// The keys' passphrase.
    pub(crate) passphrase: Option<String>,
    /// A password to try after the keys.
    pub(crate) password: Option<String>,
    /// The `known_hosts` file the server's key must be in.
    pub(crate) known_hosts: PathBuf,
}

impl std::fmt::Debug for Settings {
    // Never the secrets, even in a test's failure.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("keys", &self.keys)
            .field("keys_from", &self.keys_from)
            .field("passphrase", &self.passphrase.as_ref().map(|_| "…"))
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("known_hosts", &self.known_hosts)
            .finish()
    }
}

/// The settings of the environment and of the credentials `file` (refused inside one of
/// `refused`: the site's folder, the build output).
pub(crate) fn gather(file: Option<&Path>, refused: &[&Path]) -> Result<Settings> {
    let environment: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(key, value)| Some((key.into_string().ok()?, value.into_string().ok()?)))
        .filter(|(key, _)| key.starts_with("TRANGTIN_SFTP_"))
        .collect();
    let from_file = match file {
        Some(file) => parse(&credentials::read(file, refused)?, file)?,
        None => Vec::new(),
    };
    resolve(&environment, &from_file, std::env::home_dir().as_deref())
}

/// The SFTP settings of a credentials file's text; another key is an error with its line.
pub(crate) fn parse(text: &str, file: &Path) -> Result<Vec<(&'static str, String)>> {
    let (lines, mut problems) = credentials::lines(text, file);
    let mut settings = Vec::new();
    for line in lines {
        match NAMES
            .iter()
            .find(|name| name.eq_ignore_ascii_case(&line.key))
        {
            Some(name) => settings.push((*name, line.value)),
            None => problems.push(
                Problem::error(
                    file,
                    format!(
                        "not a setting of an SFTP deploy; the settings are {}",
                        NAMES.join(", ")
                    ),
                )
                .at_line(Some(line.line))
                .in_field(line.key),
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

/// The settings from the environment's `(name, value)` pairs and the file's (which win),
/// with `~/` in paths and the defaults taken from `home`.
pub(crate) fn resolve(
    environment: &[(String, String)],
    file: &[(&'static str, String)],
    home: Option<&Path>,
) -> Result<Settings> {
    let value = |name: &str| -> Option<String> {
        let from_file = file.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v);
        let from_env = environment.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        from_file.or(from_env).filter(|v| !v.is_empty()).cloned()
    };
    let no_home = |what: &str| {
        Error::Input(vec![Problem::error(
            "sftp",
            format!("no home folder to find {what} in: set {what} with its full path"),
        )])
    };
    let path = |text: String, name: &str| -> Result<PathBuf> {
        match text.strip_prefix("~/") {
            Some(rest) => Ok(home.ok_or_else(|| no_home(name))?.join(rest)),
            None => Ok(PathBuf::from(text)),
        }
    };
    let (keys, keys_from) = match value(KEY) {
        Some(key) => (vec![path(key, KEY)?], KEY.to_string()),
        None => match home {
            Some(home) => (
                ["id_ed25519", "id_rsa"]
                    .iter()
                    .map(|name| home.join(".ssh").join(name))
                    .collect(),
                "the default keys (~/.ssh/id_ed25519, ~/.ssh/id_rsa)".to_string(),
            ),
            None => (Vec::new(), KEY.to_string()),
        },
    };
    let known_hosts = match value(KNOWN_HOSTS) {
        Some(file) => path(file, KNOWN_HOSTS)?,
        None => home
            .ok_or_else(|| no_home(KNOWN_HOSTS))?
            .join(".ssh/known_hosts"),
    };
    Ok(Settings {
        keys,
        keys_from,
        passphrase: value(KEY_PASSPHRASE),
        password: value(PASSWORD),
        known_hosts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn without_settings_the_users_ssh_folder_is_used() {
        let settings = resolve(&[], &[], Some(Path::new("/home/tin"))).unwrap();
        assert_eq!(
            settings.keys,
            [
                PathBuf::from("/home/tin/.ssh/id_ed25519"),
                PathBuf::from("/home/tin/.ssh/id_rsa")
            ]
        );
        assert_eq!(
            settings.known_hosts,
            PathBuf::from("/home/tin/.ssh/known_hosts")
        );
        assert_eq!((settings.passphrase, settings.password), (None, None));
    }

    #[test]
    fn the_file_wins_over_the_environment_and_paths_expand_the_home() {
        let environment = env(&[
            (KEY, "/env/key"),
            (PASSWORD, "từ-môi-trường"),
            (KNOWN_HOSTS, "~/kh"),
            (KEY_PASSPHRASE, ""),
        ]);
        let file = parse(
            "# SFTP của Sở\ntrangtin_sftp_key = \"~/.ssh/deploy\"\n\
             export TRANGTIN_SFTP_KEY_PASSPHRASE='bí mật'\n",
            Path::new("sftp.env"),
        )
        .unwrap();
        let settings = resolve(&environment, &file, Some(Path::new("/home/tin"))).unwrap();
        assert_eq!(settings.keys, [PathBuf::from("/home/tin/.ssh/deploy")]);
        assert_eq!(settings.keys_from, KEY);
        assert_eq!(settings.passphrase.as_deref(), Some("bí mật"));
        assert_eq!(settings.password.as_deref(), Some("từ-môi-trường"));
        assert_eq!(settings.known_hosts, PathBuf::from("/home/tin/kh"));
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("bí mật") && !shown.contains("từ-môi"),
            "{shown}"
        );
    }

    #[test]
    fn an_unknown_key_in_the_file_is_refused_with_its_line() {
        let err = parse(
            "TRANGTIN_SFTP_KEY=/k\nAWS_ACCESS_KEY_ID=x\nnot a line\n",
            Path::new("sftp.env"),
        )
        .unwrap_err();
        let lines: Vec<Option<usize>> = err.problems().iter().map(|p| p.line).collect();
        assert_eq!(lines, [Some(2), Some(3)], "{err}");
        assert!(
            err.to_string()
                .contains("field `AWS_ACCESS_KEY_ID`: not a setting of an SFTP deploy"),
            "{err}"
        );
    }

    #[test]
    fn without_a_home_the_paths_must_be_given() {
        let err = resolve(&[], &[], None).unwrap_err().to_string();
        assert!(err.contains(KNOWN_HOSTS), "{err}");
        let given = env(&[(KEY, "/k"), (KNOWN_HOSTS, "/kh")]);
        assert!(resolve(&given, &[], None).is_ok());
    }

    #[test]
    fn a_credentials_file_inside_the_site_is_refused() {
        let site = tempfile::tempdir().unwrap();
        let file = site.path().join("sftp.env");
        std::fs::write(&file, "TRANGTIN_SFTP_PASSWORD=x\n").unwrap();
        let err = gather(Some(&file), &[site.path()]).unwrap_err();
        assert!(err.to_string().contains("must not be inside"), "{err}");
    }
}
