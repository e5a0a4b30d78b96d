//! The SSH connection of an SFTP deploy: TCP to the server, the host key checked against
//! `known_hosts` (see [`super::known_hosts`]), the login with a key file or a password, then
//! the server's SFTP subsystem.

use super::address::SftpAddress;
use super::known_hosts::{self, Verdict};
use super::settings::{self, Settings};
use crate::error::{Error, Result};
use russh::client::{self, AuthResult, Handle};
use russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::ChannelMsg;
use russh_sftp::client::RawSftpSession;
use std::io::ErrorKind;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long to wait for the server to answer the connection, the login, the subsystem.
const ANSWER_WITHIN: Duration = Duration::from_secs(20);

/// How long an SFTP request may take (a large write to a slow disk).
pub(crate) const REQUEST_TIMEOUT_SECS: u64 = 60;

/// A logged-in SSH connection and its SFTP session.
pub(crate) struct Connection {
    /// The SSH connection (disconnected when the target is dropped).
    pub(crate) ssh: Handle<HostCheck>,
    /// The SFTP session, initialized.
    pub(crate) sftp: RawSftpSession,
    /// The server's SFTP extensions (`posix-rename@openssh.com`, ...) with their versions.
    pub(crate) extensions: std::collections::HashMap<String, String>,
    /// The bytes of one read or write request.
    pub(crate) chunk: usize,
}

/// The bytes of a request that every server takes (the SFTP draft asks for 32 KiB).
const SAFE_CHUNK: usize = 32 * 1024;

/// The bytes of a request to a server that says it takes more (OpenSSH's: 255 KiB).
const LARGE_CHUNK: usize = 64 * 1024;

/// Connects to `address`, checks its host key, logs in and starts SFTP.
pub(crate) async fn open(address: &SftpAddress, settings: &Settings) -> Result<Connection> {
    let fail = |kind: ErrorKind, message: String| remote_error(address, kind, message);
    let known_hosts = match std::fs::read_to_string(&settings.known_hosts) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&settings.known_hosts, e)),
    };
    let mut config = client::Config {
        // Many small requests and answers: no waiting to fill packets.
        nodelay: true,
        ..client::Config::default()
    };
    // Ask for a host key of a type known_hosts has first, as `ssh` does.
    let known = known_hosts::known_algorithms(&known_hosts, &address.host, address.port);
    let mut order: Vec<_> = config.preferred.key.to_vec();
    let rsa = |a: &Algorithm| matches!(a, Algorithm::Rsa { .. });
    order.sort_by_key(|algorithm| {
        !known
            .iter()
            .any(|k| k == algorithm || (rsa(k) && rsa(algorithm)))
    });
    config.preferred.key = order.into();

    let socket = tokio::time::timeout(
        ANSWER_WITHIN,
        tokio::net::TcpStream::connect((address.host.as_str(), address.port)),
    )
    .await
    .map_err(|_| {
        fail(
            ErrorKind::TimedOut,
            format!(
                "no answer from {}:{} within {} s (a firewall, or the wrong address?)",
                address.host,
                address.port,
                ANSWER_WITHIN.as_secs()
            ),
        )
    })?
    .map_err(|e| match e.kind() {
        ErrorKind::ConnectionRefused => fail(
            ErrorKind::ConnectionRefused,
            format!(
                "connection refused: nothing listens on port {} of {} (is the SSH server \
                 running, is the port right?)",
                address.port, address.host
            ),
        ),
        kind => fail(kind, format!("cannot connect: {e}")),
    })?;
    let _ = socket.set_nodelay(true);
    let check = HostCheck {
        address: address.clone(),
        file: settings.known_hosts.clone(),
        known_hosts,
    };
    let handshake = client::connect_stream(Arc::new(config), socket, check);
    let mut ssh = tokio::time::timeout(ANSWER_WITHIN, handshake)
        .await
        .map_err(|_| {
            fail(
                ErrorKind::TimedOut,
                "the SSH handshake did not finish".into(),
            )
        })?
        .map_err(|refusal| match refusal {
            Refusal::HostKey(message) => fail(ErrorKind::InvalidData, message),
            Refusal::Ssh(e) => fail(ErrorKind::ConnectionAborted, format!("SSH failed: {e}")),
        })?;
    tokio::time::timeout(ANSWER_WITHIN, log_in(&mut ssh, address, settings))
        .await
        .map_err(|_| fail(ErrorKind::TimedOut, "the login did not finish".into()))??;
    let sftp = tokio::time::timeout(ANSWER_WITHIN, start_sftp(&ssh, address))
        .await
        .map_err(|_| fail(ErrorKind::TimedOut, "the SFTP server did not start".into()))??;
    Ok(Connection {
        ssh,
        sftp: sftp.0,
        extensions: sftp.1,
        chunk: sftp.2,
    })
}

/// An error of the server at `address` (not of one of its files).
pub(crate) fn remote_error(address: &SftpAddress, kind: ErrorKind, message: String) -> Error {
    Error::Deploy {
        target: address.describe(),
        kind,
        message,
    }
}

/// The session's handler: the host key's check.
pub(crate) struct HostCheck {
    address: SftpAddress,
    file: std::path::PathBuf,
    known_hosts: String,
}

/// Why the handshake stopped.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The host key is not known, changed, or revoked: what to say.
    HostKey(String),
    /// The SSH protocol failed.
    Ssh(russh::Error),
}

impl From<russh::Error> for Refusal {
    fn from(error: russh::Error) -> Self {
        Refusal::Ssh(error)
    }
}

impl client::Handler for HostCheck {
    type Error = Refusal;

    async fn check_server_key(
        &mut self,
        shown: &PublicKeyOrCertificate,
    ) -> std::result::Result<bool, Refusal> {
        let PublicKeyOrCertificate::PublicKey { key, .. } = shown else {
            return Err(Refusal::HostKey(
                "the server showed a host certificate, which trangtin does not check: \
                 list its plain host key in known_hosts"
                    .into(),
            ));
        };
        let (host, port) = (&self.address.host, self.address.port);
        let verdict = known_hosts::check(&self.known_hosts, host, port, key);
        let file = self.file.display();
        let shown = format!(
            "{} key {}",
            key.algorithm().as_str(),
            known_hosts::fingerprint(key)
        );
        let name = known_hosts::lookup_name(host, port);
        let add = format!("ssh-keyscan -p {port} {host} >> {file}");
        match verdict {
            Verdict::Known => Ok(true),
            Verdict::Unknown => Err(Refusal::HostKey(format!(
                "the server is not in {file}{}, and trangtin never trusts an unknown server: \
                 it shows the {shown}. Check that fingerprint with the server's administrator \
                 (`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the server), then add the \
                 server with `{add}`{}",
                if self.known_hosts.is_empty() {
                    " (which is empty or does not exist)"
                } else {
                    ""
                },
                if file.to_string().ends_with("/.ssh/known_hosts") {
                    String::new()
                } else {
                    format!(" (or set {} to another file)", settings::KNOWN_HOSTS)
                }
            ))),
            Verdict::Changed { line, recorded } => Err(Refusal::HostKey(format!(
                "REFUSED: THE SERVER'S HOST KEY HAS CHANGED. {file}:{line} records a \
                 {recorded} key for {name}, but the server now shows the {shown}. Someone may \
                 be between you and the server (an attack), or the server was reinstalled. \
                 Ask its administrator for its key's fingerprint; only if it is the one above, \
                 remove the old key with `ssh-keygen -R '{name}' -f {file}` and add the new one \
                 with `{add}`"
            ))),
            Verdict::Revoked { line } => Err(Refusal::HostKey(format!(
                "REFUSED: the server shows the {shown}, which {file}:{line} marks @revoked"
            ))),
        }
    }
}

/// Logs in with each key file that exists, then the password.
async fn log_in(
    ssh: &mut Handle<HostCheck>,
    address: &SftpAddress,
    settings: &Settings,
) -> Result<()> {
    let user = address.user.as_str();
    let ssh_error = |e: russh::Error| {
        remote_error(
            address,
            ErrorKind::ConnectionAborted,
            format!("SSH failed while logging in: {e}"),
        )
    };
    let mut tried = Vec::new();
    let mut accepted = Vec::new();
    for path in &settings.keys {
        if !path.exists() {
            if settings.keys_from == settings::KEY {
                return Err(Error::Deploy {
                    target: path.display().to_string(),
                    kind: ErrorKind::NotFound,
                    message: format!(
                        "{} names this key file, which does not exist",
                        settings::KEY
                    ),
                });
            }
            continue;
        }
        let key = load_key(path, settings.passphrase.as_deref())?;
        let hash = if key.algorithm().is_rsa() {
            ssh.best_supported_rsa_hash()
                .await
                .map_err(ssh_error)?
                .flatten()
        } else {
            None
        };
        let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash);
        match ssh
            .authenticate_publickey(user, key)
            .await
            .map_err(ssh_error)?
        {
            AuthResult::Success => return Ok(()),
            AuthResult::Failure {
                remaining_methods, ..
            } => {
                tried.push(format!("the key {}", path.display()));
                accepted = remaining_methods
                    .iter()
                    .map(|m| <&'static str>::from(m).to_string())
                    .collect();
            }
        }
    }
    if let Some(password) = &settings.password {
        match ssh
            .authenticate_password(user, password)
            .await
            .map_err(ssh_error)?
        {
            AuthResult::Success => return Ok(()),
            AuthResult::Failure {
                remaining_methods, ..
            } => {
                tried.push(format!("the password of {}", settings::PASSWORD));
                accepted = remaining_methods
                    .iter()
                    .map(|m| <&'static str>::from(m).to_string())
                    .collect();
            }
        }
    }
    if tried.is_empty() {
        return Err(remote_error(
            address,
            ErrorKind::PermissionDenied,
            format!(
                "no key or password to log in with: there is no key file at {}; set {} to a \
                 private key file (or {} to a password) in the environment or the \
                 --credentials file",
                settings
                    .keys
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
                settings::KEY,
                settings::PASSWORD
            ),
        ));
    }
    Err(remote_error(
        address,
        ErrorKind::PermissionDenied,
        format!(
            "the server refused to log {user} in with {} (it accepts: {}); is the public key \
             in ~{user}/.ssh/authorized_keys on the server?",
            tried.join(" and "),
            if accepted.is_empty() {
                "nothing more".to_string()
            } else {
                accepted.join(", ")
            }
        ),
    ))
}

/// Reads a private key file, asking for its passphrase where it needs one.
fn load_key(path: &Path, passphrase: Option<&str>) -> Result<PrivateKey> {
    let problem = |message: String| Error::Deploy {
        target: path.display().to_string(),
        kind: ErrorKind::InvalidInput,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    match russh::keys::decode_secret_key(&text, passphrase) {
        Ok(key) => Ok(key),
        Err(russh::keys::Error::KeyIsEncrypted) => Err(problem(format!(
            "the key has a passphrase: set {} to it",
            settings::KEY_PASSPHRASE
        ))),
        Err(_)
            if passphrase.is_some()
                && matches!(
                    russh::keys::decode_secret_key(&text, None),
                    Err(russh::keys::Error::KeyIsEncrypted)
                ) =>
        {
            Err(problem(format!(
                "the passphrase in {} does not open this key",
                settings::KEY_PASSPHRASE
            )))
        }
        Err(e) => Err(problem(format!(
            "is not a private key trangtin can read ({e}): use an OpenSSH key (ed25519, rsa \
             or ecdsa), as `ssh-keygen -t ed25519` makes"
        ))),
    }
}

/// Opens a session channel, starts the `sftp` subsystem and initializes SFTP: the session,
/// the server's extensions, the size of a request.
async fn start_sftp(
    ssh: &Handle<HostCheck>,
    address: &SftpAddress,
) -> Result<(
    RawSftpSession,
    std::collections::HashMap<String, String>,
    usize,
)> {
    let no_sftp = |detail: String| {
        remote_error(
            address,
            ErrorKind::Unsupported,
            format!(
                "the server has no SFTP ({detail}): its sshd_config needs a `Subsystem sftp` line"
            ),
        )
    };
    let mut channel = ssh.channel_open_session().await.map_err(|e| {
        remote_error(
            address,
            ErrorKind::ConnectionAborted,
            format!("cannot open an SSH session: {e}"),
        )
    })?;
    channel
        .request_subsystem(true, "sftp")
        .await
        .map_err(|e| no_sftp(e.to_string()))?;
    loop {
        match channel.wait().await {
            Some(ChannelMsg::Success) => break,
            Some(ChannelMsg::Failure) => return Err(no_sftp("refused".into())),
            None | Some(ChannelMsg::Close) | Some(ChannelMsg::Eof) => {
                return Err(no_sftp("the channel closed".into()))
            }
            Some(_) => {}
        }
    }
    let config = russh_sftp::client::Config {
        request_timeout_secs: REQUEST_TIMEOUT_SECS,
        ..russh_sftp::client::Config::default()
    };
    let mut sftp = RawSftpSession::new_with_config(channel.into_stream(), config);
    let version = sftp
        .init()
        .await
        .map_err(|e| no_sftp(format!("its answer: {e}")))?;
    let mut chunk = SAFE_CHUNK;
    if version
        .extensions
        .get("limits@openssh.com")
        .map(String::as_str)
        == Some("1")
    {
        if let Ok(limits) = sftp.limits().await {
            let largest = usize::try_from(limits.max_write_len).unwrap_or(usize::MAX);
            if largest > 0 {
                chunk = largest.min(LARGE_CHUNK);
            }
            sftp.set_limits(limits.into());
        }
    }
    Ok((sftp, version.extensions, chunk))
}
