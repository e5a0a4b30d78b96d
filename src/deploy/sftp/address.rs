//! `sftp://USER@HOST[:PORT]/PATH` (or `ssh://`): the server, the account and the folder of
//! an SFTP deploy. `/var/www/tin` is an absolute path; `/~/www/tin` is `www/tin` in the
//! account's home folder (curl's and the URI draft's convention); `/~` is the home itself.
//! The user name and the path may be percent-encoded (`%20` for a space).

use percent_encoding::percent_decode_str;

/// Where an SFTP deploy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SftpAddress {
    /// The account on the server.
    pub user: String,
    /// The server's name or address (an IPv6 address without its brackets).
    pub host: String,
    /// The SSH port (22 unless given).
    pub port: u16,
    /// The folder on the server: an absolute path (`/var/www/tin`), or a path relative to
    /// the account's home folder (`www/tin`; `.` for the home itself).
    pub folder: String,
}

impl SftpAddress {
    /// Parses what follows `sftp://` or `ssh://`; `default_user` (the local user's name,
    /// as `ssh` takes it) is used when the address names no user.
    pub fn parse(rest: &str, default_user: Option<&str>) -> Result<SftpAddress, String> {
        let usage = "write sftp://USER@HOST/ABSOLUTE/PATH, sftp://USER@HOST:PORT/PATH, or \
                     sftp://USER@HOST/~/PATH for a folder in the user's home";
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((user, host_port)) => (Some(decode(user, "user name")?), host_port),
            None => (None, authority),
        };
        let user = match user.or_else(|| default_user.map(str::to_string)) {
            Some(user) if !user.is_empty() => user,
            _ => return Err(format!("the address names no user: {usage}")),
        };
        if user.chars().any(|c| c.is_control() || c == ':') {
            return Err(format!("`{user}` is not a user name: {usage}"));
        }
        let (host, port) = split_port(host_port).map_err(|e| format!("{e}: {usage}"))?;
        let folder = folder(&decode(path, "path")?).map_err(|e| format!("{e}: {usage}"))?;
        Ok(SftpAddress {
            user,
            host,
            port,
            folder,
        })
    }

    /// The address as one line, for messages: `sftp://tin@web.so.vn:2222/var/www/tin`,
    /// `sftp://tin@web.so.vn/~/www`.
    pub fn describe(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let port = if self.port == 22 {
            String::new()
        } else {
            format!(":{}", self.port)
        };
        let folder = match self.folder.as_str() {
            "." => "/~".to_string(),
            absolute if absolute.starts_with('/') => absolute.to_string(),
            relative => format!("/~/{relative}"),
        };
        format!("sftp://{}@{host}{port}{folder}", self.user)
    }

    /// The path on the server of `relative` (a path under the folder, with `/`).
    pub(crate) fn remote(&self, relative: &str) -> String {
        match self.folder.as_str() {
            "." => relative.to_string(),
            "/" => format!("/{relative}"),
            folder => format!("{folder}/{relative}"),
        }
    }
}

fn decode(text: &str, what: &str) -> Result<String, String> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| format!("the {what} `{text}` is not UTF-8 once decoded"))
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_port(host_port: &str) -> Result<(String, u16), String> {
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| format!("`{host_port}` lacks its closing `]`"))?;
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(format!("`{after}` after `]` is not `:PORT`")),
            },
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':');
    if host.is_empty() || !host.chars().all(valid) {
        return Err(format!("`{host}` is not a host name or address"));
    }
    let port = match port {
        None => 22,
        Some(port) => port
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("`{port}` is not a port (1 to 65535)"))?,
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// The folder of a decoded path: `/~/x` → `x`, `/~` → `.`, `/x/y/` → `/x/y`.
fn folder(path: &str) -> Result<String, String> {
    let home = if path == "/~" || path == "/~/" {
        return Ok(".".to_string());
    } else {
        path.strip_prefix("/~/")
    };
    let (relative, absolute) = match home {
        Some(relative) => (relative.trim_end_matches('/'), false),
        None => (path.trim_matches('/'), true),
    };
    if relative.is_empty() {
        return Err("the address names no folder (the server's root is refused)".into());
    }
    if path.starts_with("/~") && !path.starts_with("/~/") {
        return Err("`~user` folders are not supported".into());
    }
    if relative.chars().any(char::is_control) {
        return Err("the path holds a control character".into());
    }
    if let Some(segment) = relative
        .split('/')
        .find(|s| s.is_empty() || *s == "." || *s == "..")
    {
        let segment = if segment.is_empty() { "//" } else { segment };
        return Err(format!(
            "the path has a `{segment}` in it; write the folder's path without it"
        ));
    }
    Ok(if absolute {
        format!("/{relative}")
    } else {
        relative.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SftpAddress, String> {
        SftpAddress::parse(text, Some("local"))
    }

    #[test]
    fn an_address_has_a_user_a_host_a_port_and_a_folder() {
        assert_eq!(
            parse("tin@web.so.vn:2222/var/www/tin/").unwrap(),
            SftpAddress {
                user: "tin".into(),
                host: "web.so.vn".into(),
                port: 2222,
                folder: "/var/www/tin".into()
            }
        );
        let home = parse("Web.So.VN/~/www/tin%20tuc").unwrap();
        assert_eq!(
            (home.user.as_str(), home.host.as_str(), home.port),
            ("local", "web.so.vn", 22)
        );
        assert_eq!(home.folder, "www/tin tuc");
        assert_eq!(home.remote("a/index.html"), "www/tin tuc/a/index.html");
        assert_eq!(parse("tin@h/~").unwrap().folder, ".");
        assert_eq!(parse("tin@h/~").unwrap().remote("index.html"), "index.html");
        let v6 = parse("tin@[::1]:2200/srv/x").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 2200));
        assert_eq!(v6.describe(), "sftp://tin@[::1]:2200/srv/x");
        assert_eq!(home.describe(), "sftp://local@web.so.vn/~/www/tin tuc");
        assert_eq!(
            parse("tin@h/srv/x").unwrap().remote("a.css"),
            "/srv/x/a.css"
        );
    }

    #[test]
    fn a_bad_address_is_refused_with_the_forms_to_write() {
        for (bad, says) in [
            ("tin@h", "names no folder"),
            ("tin@h/", "names no folder"),
            ("tin@h:0/x", "is not a port"),
            ("tin@h:ssh/x", "is not a port"),
            ("tin@/x", "is not a host name"),
            ("tin@h%20x/x", "is not a host name"),
            ("tin@[::1/x", "closing `]`"),
            ("tin@h/~root/x", "`~user` folders"),
            ("tin@h/var/../etc", "a `..` in it"),
            ("tin@h/var//www", "a `//` in it"),
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
            assert!(err.contains("sftp://USER@HOST/"), "{bad}: {err}");
        }
        let err = SftpAddress::parse("h/x", None).unwrap_err();
        assert!(err.contains("names no user"), "{err}");
    }
}
