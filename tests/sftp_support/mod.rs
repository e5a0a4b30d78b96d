//! A real OpenSSH server for the SFTP deploy's tests and benchmark: Debian's `sshd`, started
//! in the foreground as the current user on two free loopback ports, with a configuration,
//! host key, user key and `known_hosts` of its own in a temporary folder. The second port
//! serves SFTP read-only (`internal-sftp -R`): a server that refuses every write, even to
//! root, whom file permissions do not stop.

#![allow(dead_code, unreachable_pub)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `openssh-server` puts the server.
pub const SSHD: &str = "/usr/sbin/sshd";

/// A running `sshd`, stopped when dropped.
pub struct Sshd {
    child: Child,
    /// The port that serves SFTP.
    pub port: u16,
    /// The port whose SFTP server refuses every write.
    pub read_only_port: u16,
    /// The temporary folder of the server's files; the tests' targets go under it too.
    pub dir: tempfile::TempDir,
    /// The current user's name, who logs in.
    pub user: String,
    /// The user's private key (authorized).
    pub key: PathBuf,
    /// Another private key (not authorized).
    pub other_key: PathBuf,
    /// A `known_hosts` with the server's key for both ports.
    pub known_hosts: PathBuf,
    /// The server's public host key, as `ssh-keyscan` would print it (`type base64`).
    pub host_key: String,
}

impl Sshd {
    /// Starts the server; panics with the reason when it cannot.
    pub fn start() -> Sshd {
        assert!(
            Path::new(SSHD).exists(),
            "{SSHD} is missing: install Debian's openssh-server (tests/all.sh does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let keygen = |name: &str| {
            let path = d.join(name);
            let status = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
                .arg(&path)
                .status()
                .expect("run ssh-keygen");
            assert!(status.success(), "ssh-keygen {name}");
            path
        };
        let host = keygen("host_key");
        let key = keygen("user_key");
        let other_key = keygen("other_key");
        std::fs::copy(d.join("user_key.pub"), d.join("authorized_keys")).unwrap();
        let (port, read_only_port) = (free_port(), free_port());
        let config = d.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nPort {read_only_port}\nListenAddress 127.0.0.1\n\
                 HostKey {host}\nPidFile {pid}\nAuthorizedKeysFile {keys}\n\
                 UsePAM no\nStrictModes no\nPasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
                 PermitRootLogin prohibit-password\nLogLevel VERBOSE\n\
                 Subsystem sftp internal-sftp\n\
                 Match LocalPort {read_only_port}\n    ForceCommand internal-sftp -R\n",
                host = host.display(),
                pid = d.join("sshd.pid").display(),
                keys = d.join("authorized_keys").display(),
            ),
        )
        .unwrap();
        let host_key = std::fs::read_to_string(d.join("host_key.pub")).unwrap();
        let host_key = host_key
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        let known_hosts = d.join("known_hosts");
        std::fs::write(
            &known_hosts,
            format!("[127.0.0.1]:{port} {host_key}\n[127.0.0.1]:{read_only_port} {host_key}\n"),
        )
        .unwrap();
        // As root, sshd wants its privilege separation folder (a package install without a
        // running service does not make it).
        if current_uid() == 0 {
            let _ = std::fs::create_dir_all("/run/sshd");
        }
        let log = std::fs::File::create(d.join("sshd.log")).unwrap();
        let child = Command::new(SSHD)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start sshd");
        let mut sshd = Sshd {
            child,
            port,
            read_only_port,
            user: current_user(),
            key,
            other_key,
            known_hosts,
            host_key,
            dir,
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = sshd.child.try_wait() {
                panic!("sshd stopped at once ({status}):\n{}", sshd.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "sshd did not start:\n{}",
                sshd.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        sshd
    }

    /// What the server logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }

    /// `sftp://USER@127.0.0.1:PORT/ABSOLUTE` for a folder `name` under the server's
    /// temporary folder (the first port), and that folder.
    pub fn target(&self, name: &str) -> (String, PathBuf) {
        self.target_on(self.port, name)
    }

    /// [`Sshd::target`] on `port`.
    pub fn target_on(&self, port: u16, name: &str) -> (String, PathBuf) {
        let folder = self.dir.path().join(name);
        (
            format!("sftp://{}@127.0.0.1:{port}{}", self.user, folder.display()),
            folder,
        )
    }

    /// A credentials file (outside any site) with the user's key and this `known_hosts`,
    /// or others.
    pub fn credentials(&self, name: &str, key: &Path, known_hosts: &Path) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "# the test server's\nTRANGTIN_SFTP_KEY={}\nTRANGTIN_SFTP_KNOWN_HOSTS={}\n",
                key.display(),
                known_hosts.display()
            ),
        )
        .unwrap();
        path
    }

    /// The SHA256 fingerprint of the server's host key, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        let output = Command::new("ssh-keygen")
            .arg("-lf")
            .arg(self.dir.path().join("host_key.pub"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn current_uid() -> u32 {
    command_output("id", &["-u"]).parse().unwrap()
}

fn current_user() -> String {
    command_output("id", &["-un"])
}

fn command_output(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}
