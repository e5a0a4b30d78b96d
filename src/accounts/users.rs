//! The users of the editor: `.trangtin/users.yaml` read and checked (every problem with
//! its line and field), changed by `trangtin user`, written atomically with mode 0600, and
//! logins verified against it.

use super::password::{self, check_password};
use super::users_file;
use super::{Role, User};
use crate::error::{Error, Problem, Result};
use argon2::password_hash::phc::PasswordHash;
use std::fmt;
use std::path::{Path, PathBuf};

/// The longest login name, in characters.
const MAX_NAME_CHARS: usize = 32;
/// The longest display name, in characters.
const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// The users of the editor and their password hashes, as read from one file.
pub struct Accounts {
    path: PathBuf,
    users: Vec<User>,
    /// The hash of each user, in the order of `users`.
    hashes: Vec<PasswordHash>,
}

impl fmt::Debug for Accounts {
    // Leaves the hashes out: they are not for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Accounts")
            .field("path", &self.path)
            .field("users", &self.users)
            .finish_non_exhaustive()
    }
}

impl Accounts {
    /// Where a site keeps its users: `ROOT/.trangtin/users.yaml`, outside `content/` so that
    /// no build ever publishes it.
    pub fn default_path(site_root: &Path) -> PathBuf {
        site_root.join(".trangtin").join("users.yaml")
    }

    /// Reads the users file at `path`. A missing file means no users (the editor then only
    /// listens on the loopback address). A file with errors gives every one of them, each
    /// with its line and field.
    pub fn load(path: &Path) -> Result<Accounts> {
        match std::fs::read_to_string(path) {
            Ok(text) => Accounts::from_text(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Accounts {
                path: path.to_path_buf(),
                users: Vec::new(),
                hashes: Vec::new(),
            }),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// The users of `text`, the users file at `path` (read already), checked as
    /// [`Accounts::load`] checks them.
    pub fn from_text(path: &Path, text: &str) -> Result<Accounts> {
        let mut accounts = Accounts {
            path: path.to_path_buf(),
            users: Vec::new(),
            hashes: Vec::new(),
        };
        let entries = users_file::parse(text)
            .map_err(|problem| Error::Input(vec![problem.into_problem(path)]))?;
        let mut problems = Vec::new();
        for entry in &entries {
            match accounts.checked(entry) {
                Ok((user, hash)) => {
                    accounts.users.push(user);
                    accounts.hashes.push(hash);
                }
                Err((field, message)) => problems.push(
                    Problem::error(path, message)
                        .at_line(Some(entry.line_of(field)))
                        .in_field(field),
                ),
            }
        }
        if problems.is_empty() {
            Ok(accounts)
        } else {
            Err(Error::Input(problems))
        }
    }

    /// One entry of the file as a user and a hash, checked against the users before it;
    /// otherwise the field at fault and what is wrong.
    fn checked(
        &self,
        entry: &users_file::Entry,
    ) -> std::result::Result<(User, PasswordHash), (&'static str, String)> {
        check_name(&entry.name).map_err(|message| ("name", message))?;
        if self.find(&entry.name).is_some() {
            let message = format!("user `{}` is listed twice", entry.name);
            return Err(("name", message));
        }
        let display_name = match &entry.display_name {
            Some(display_name) => {
                check_display_name(display_name).map_err(|message| ("display_name", message))?
            }
            None => entry.name.clone(),
        };
        let hash =
            password::parse_hash(&entry.password).map_err(|message| ("password", message))?;
        let user = User {
            name: entry.name.clone(),
            display_name,
            role: entry.role,
        };
        Ok((user, hash))
    }

    /// The file these accounts were read from and are saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when there are no users.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    /// The users, in the order of the file.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The user with this login name.
    pub fn find(&self, name: &str) -> Option<&User> {
        self.index(name).map(|i| &self.users[i])
    }

    /// The user when `password` is theirs (Argon2id verification); `None` for a wrong
    /// password or an unknown name. The name is taken without surrounding spaces and in
    /// lower case. An unknown name costs one hash all the same, so that response times do
    /// not tell which names exist.
    pub fn verify(&self, name: &str, password: &str) -> Option<User> {
        let index = self.index(&name.trim().to_lowercase());
        let hash = index.map(|i| &self.hashes[i]);
        if password::verify(password, hash) {
            index.map(|i| self.users[i].clone())
        } else {
            None
        }
    }

    /// The users of these accounts whose sessions `newer` (the file read again) must end:
    /// removed, given another role, or given another password.
    pub fn ended_by(&self, newer: &Accounts) -> Vec<String> {
        self.users
            .iter()
            .zip(&self.hashes)
            .filter(|(user, hash)| match newer.index(&user.name) {
                Some(i) => {
                    newer.users[i].role != user.role
                        || newer.hashes[i].to_string() != hash.to_string()
                }
                None => true,
            })
            .map(|(user, _)| user.name.clone())
            .collect()
    }

    /// Adds a user (not saved until [`Accounts::save`]). Refuses a name outside
    /// `[a-z0-9._-]{1,32}`, a name already there, and a password that
    /// [`check_password`] refuses. The display name defaults to the login name.
    pub fn add(
        &mut self,
        name: &str,
        display_name: Option<&str>,
        role: Role,
        password: &str,
    ) -> Result<User> {
        self.check_new_name(name)?;
        let display_name = match display_name {
            Some(display_name) => check_display_name(display_name)
                .map_err(|message| self.error("display_name", message))?,
            None => name.to_string(),
        };
        let hash = self.new_hash(password)?;
        let user = User {
            name: name.to_string(),
            display_name,
            role,
        };
        self.users.push(user.clone());
        self.hashes.push(hash);
        Ok(user)
    }

    /// `Ok` when a user `name` may be added: a valid login name not taken yet (so that the
    /// CLI can say so before it asks for a password).
    pub fn check_new_name(&self, name: &str) -> Result<()> {
        check_name(name).map_err(|message| self.error("name", message))?;
        if self.find(name).is_some() {
            return Err(self.error("name", format!("user `{name}` already exists")));
        }
        Ok(())
    }

    /// The user `name`, or an error that lists the users there are.
    pub fn require(&self, name: &str) -> Result<&User> {
        self.existing(name).map(|i| &self.users[i])
    }

    /// Sets a new password for the user `name` (not saved until [`Accounts::save`]).
    pub fn set_password(&mut self, name: &str, password: &str) -> Result<()> {
        let index = self.existing(name)?;
        self.hashes[index] = self.new_hash(password)?;
        Ok(())
    }

    /// Removes the user `name` (not saved until [`Accounts::save`]); returns who it was.
    pub fn remove(&mut self, name: &str) -> Result<User> {
        let index = self.existing(name)?;
        self.hashes.remove(index);
        Ok(self.users.remove(index))
    }

    /// Writes the users to the file they were read from: a new file beside it, made
    /// readable by its owner only (mode 0600 on Unix), then renamed over it, so that a
    /// crash leaves the old file or the new one, never half of one. Creates the folder.
    pub fn save(&self) -> Result<()> {
        let path = &self.path;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let entries: Vec<(&User, String)> = self
            .users
            .iter()
            .zip(&self.hashes)
            .map(|(user, hash)| (user, hash.to_string()))
            .collect();
        let text = users_file::render(&entries);
        let io = |e| Error::io(path, e);
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            temp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(io)?;
        }
        std::io::Write::write_all(&mut temp, text.as_bytes()).map_err(io)?;
        temp.as_file().sync_all().map_err(io)?;
        temp.persist(path).map_err(|e| io(e.error))?;
        Ok(())
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.users.iter().position(|user| user.name == name)
    }

    fn existing(&self, name: &str) -> Result<usize> {
        self.index(name).ok_or_else(|| {
            let known: Vec<&str> = self.users.iter().map(|u| u.name.as_str()).collect();
            let known = if known.is_empty() {
                "there are no users yet".to_string()
            } else {
                format!("users: {}", known.join(", "))
            };
            self.error("name", format!("no user `{name}` ({known})"))
        })
    }

    fn new_hash(&self, password: &str) -> Result<PasswordHash> {
        check_password(password).map_err(|message| self.error("password", message))?;
        let text = password::hash(password).map_err(|message| self.error("password", message))?;
        password::parse_hash(&text).map_err(|message| self.error("password", message))
    }

    fn error(&self, field: &str, message: String) -> Error {
        Error::Input(vec![Problem::error(&self.path, message).in_field(field)])
    }
}

/// `Ok` for a login name of 1 to 32 characters among `a-z 0-9 . _ -`; otherwise why not.
pub fn check_name(name: &str) -> std::result::Result<(), String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || !name.chars().all(allowed) {
        return Err(format!(
            "`{name}` is not a login name: use 1 to {MAX_NAME_CHARS} of a-z, 0-9, `.`, `_`, `-` \
             (no capitals, spaces or diacritics; e.g. `lan` or `nguyen.lan`)"
        ));
    }
    Ok(())
}

/// The display name in NFC without surrounding spaces; refused when empty, too long or
/// holding control characters.
fn check_display_name(display_name: &str) -> std::result::Result<String, String> {
    let display_name = crate::text::nfc(display_name.trim()).into_owned();
    if display_name.is_empty() {
        return Err("the display name is empty".into());
    }
    if display_name.chars().count() > MAX_DISPLAY_NAME_CHARS {
        return Err(format!(
            "the display name is longer than {MAX_DISPLAY_NAME_CHARS} characters"
        ));
    }
    if display_name.chars().any(char::is_control) {
        return Err("the display name holds a control character (a tab or a line break)".into());
    }
    Ok(display_name)
}

#[cfg(test)]
#[path = "users_tests.rs"]
mod tests;
