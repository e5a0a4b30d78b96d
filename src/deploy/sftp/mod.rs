//! The SFTP target (`trangtin deploy --to sftp://USER@HOST[:PORT]/PATH`, or `ssh://`): a
//! folder on a server reached through SSH, as rsync would fill it. The server's host key
//! must be in `known_hosts` (module `known_hosts`); the login is a key file or a password
//! (module `settings`); each file is written whole through a temporary file renamed into place,
//! several at once (module `remote`); the manifest is `PATH/.trangtin-deploy.tsv`, as in a
//! folder target. Driven on a small tokio runtime, like the S3 target.

mod address;
mod connect;
mod known_hosts;
mod remote;
mod settings;

pub use address::SftpAddress;

use super::manifest::{self, Manifest, MANIFEST};
use super::source::SourceFile;
use super::target::Target;
use crate::error::{Error, Problem, Result};
use connect::HostCheck;
use futures::{StreamExt, TryStreamExt};
use remote::{Kind, Remote};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

/// Files uploaded at once. `benches/deploy_sftp.rs` (1000 files of 2.5 to 6 KB to a loopback
/// sshd): 7.3 s with one at a time, 4.0 s with 4, 3.8 s with 8, 4.3 s with 16. OpenSSH's SFTP
/// server does one request at a time (each file's fsync among them), so more do not help
/// there; over a network, the round trips they overlap count for more.
const FILES_IN_FLIGHT: usize = 8;

/// Requests in flight when the deploy looks at many files or folders at once.
const LOOKUPS_IN_FLIGHT: usize = 32;

/// A folder on an SSH server.
pub struct SftpTarget {
    remote: Remote,
    ssh: russh::client::Handle<HostCheck>,
    runtime: tokio::runtime::Runtime,
    /// The size of each file of the manifest found on the server by `read_manifest`.
    present: HashMap<String, u64>,
    /// Folders under the target folder known to exist (`""`: the target folder).
    folders: HashSet<String>,
    has_manifest: bool,
    files_in_flight: usize,
}

impl SftpTarget {
    /// Connects to the server of `address` and logs in, with the settings of the
    /// environment and of the credentials `file` (refused inside one of `refused`: the
    /// site's folder, the build output). The server's host key must be known.
    pub fn open(address: &SftpAddress, file: Option<&Path>, refused: &[&Path]) -> Result<Self> {
        let settings = settings::gather(file, refused)?;
        let runtime = crate::deploy::upload_runtime()?;
        let connection = runtime.block_on(connect::open(address, &settings))?;
        Ok(SftpTarget {
            remote: Remote::new(
                address.clone(),
                connection.sftp,
                &connection.extensions,
                connection.chunk,
            ),
            ssh: connection.ssh,
            runtime,
            present: HashMap::new(),
            folders: HashSet::new(),
            has_manifest: false,
            files_in_flight: FILES_IN_FLIGHT,
        })
    }

    /// Uploads `files` files at once (default 8; at least 1).
    pub fn with_files_in_flight(mut self, files: usize) -> Self {
        self.files_in_flight = files.max(1);
        self
    }

    /// Whether the server replaces a file by a rename at once (OpenSSH's
    /// `posix-rename@openssh.com`); without it, the old file is removed just before.
    pub fn renames_at_once(&self) -> bool {
        self.remote.renames_at_once()
    }

    /// Makes the folders of `files` that are not known to exist, parents first.
    fn make_folders(&mut self, files: &[&SourceFile]) -> Result<()> {
        let mut missing = BTreeSet::new();
        for file in files {
            for folder in ancestors(&file.relative) {
                if !self.folders.contains(folder) {
                    missing.insert((folder.matches('/').count(), folder.to_string()));
                }
            }
        }
        let depths: BTreeSet<usize> = missing.iter().map(|(depth, _)| *depth).collect();
        let remote = &self.remote;
        for depth in depths {
            let level = missing.iter().filter(|(d, _)| *d == depth);
            let made = futures::stream::iter(level.map(|(_, folder)| remote.make_folder(folder)))
                .buffer_unordered(LOOKUPS_IN_FLIGHT)
                .try_collect::<Vec<()>>();
            self.runtime.block_on(made)?;
        }
        self.folders
            .extend(missing.into_iter().map(|(_, folder)| folder));
        Ok(())
    }
}

impl Drop for SftpTarget {
    fn drop(&mut self) {
        // A polite goodbye, so that the server's log shows a clean end.
        let ssh = &self.ssh;
        let _ = self.runtime.block_on(async {
            let bye = ssh.disconnect(russh::Disconnect::ByApplication, "deploy done", "en");
            tokio::time::timeout(Duration::from_secs(2), bye).await
        });
    }
}

impl Target for SftpTarget {
    fn describe(&self) -> String {
        self.remote.address.describe()
    }

    fn read_manifest(&mut self) -> Result<Manifest> {
        let remote = &self.remote;
        let (manifest, present, exists, found) = self.runtime.block_on(async {
            match remote.stat("").await? {
                None => return Ok((Manifest::new(), HashMap::new(), false, false)),
                Some(Kind::Folder) => {}
                Some(_) => {
                    return Err(remote.refuse(
                        "",
                        ErrorKind::NotADirectory,
                        "is not a folder on the server: deploy into a folder".into(),
                    ))
                }
            }
            let bytes = remote.read(MANIFEST).await?;
            let found = bytes.is_some();
            let manifest = match bytes {
                None => Manifest::new(),
                Some(bytes) => {
                    let name = remote.describe(MANIFEST);
                    let text = String::from_utf8(bytes).map_err(|_| {
                        Error::Input(vec![Problem::error(
                            &name,
                            "the manifest is not UTF-8 text; delete it to deploy everything anew",
                        )])
                    })?;
                    manifest::parse(&text, Path::new(&name))?
                }
            };
            // Each listed file's size, to find one deleted or cut short since (a few
            // lookups in flight: one at a time would take a round trip each).
            let lookups = manifest.keys().map(|relative| async move {
                Ok::<_, Error>((relative.clone(), remote.stat(relative).await?))
            });
            let present: HashMap<String, u64> = futures::stream::iter(lookups)
                .buffer_unordered(LOOKUPS_IN_FLIGHT)
                .try_filter_map(|(relative, kind)| async move {
                    Ok(match kind {
                        Some(Kind::File(size)) => Some((relative, size)),
                        _ => None,
                    })
                })
                .try_collect()
                .await?;
            Ok::<_, Error>((manifest, present, true, found))
        })?;
        self.has_manifest = found;
        if exists {
            self.folders.insert(String::new());
            for relative in present.keys() {
                self.folders.extend(ancestors(relative).map(str::to_string));
            }
        }
        self.present = present;
        Ok(manifest)
    }

    fn is_in_place(&self, relative: &str, size: u64) -> bool {
        self.present.get(relative) == Some(&size)
    }

    fn prepare(&mut self) -> Result<()> {
        if !self.folders.contains("") {
            self.runtime.block_on(self.remote.make_target_folder())?;
            self.folders.insert(String::new());
        }
        Ok(())
    }

    fn put(&mut self, source: &Path, files: &[&SourceFile]) -> Result<()> {
        self.make_folders(files)?;
        let remote = &self.remote;
        // After a failure no upload starts, but those under way finish (each then removes
        // its temporary file): dropped half-way, they would leave theirs behind.
        let failed = std::cell::Cell::new(false);
        let uploads = files.iter().map(|file| {
            let failed = &failed;
            async move {
                if failed.get() {
                    return Ok(());
                }
                let put = async {
                    let local = source.join(&file.relative);
                    let content = std::fs::File::open(&local).map_err(|e| Error::io(&local, e))?;
                    let mode = mode_of(&content).map_err(|e| Error::io(&local, e))?;
                    remote.put(&file.relative, content, mode).await
                }
                .await;
                failed.set(failed.get() || put.is_err());
                put
            }
        });
        let all = futures::stream::iter(uploads)
            .buffer_unordered(self.files_in_flight)
            .collect::<Vec<Result<()>>>();
        self.runtime
            .block_on(all)
            .into_iter()
            .collect::<Result<Vec<()>>>()?;
        for file in files {
            self.present
                .insert(file.relative.clone(), file.content.size);
        }
        Ok(())
    }

    fn delete(&mut self, relative: &str) -> Result<()> {
        self.runtime.block_on(self.remote.delete(relative))?;
        self.present.remove(relative);
        // Its folders may be gone with it (removed once empty).
        for folder in ancestors(relative) {
            self.folders.remove(folder);
        }
        Ok(())
    }

    fn write_manifest(&mut self, manifest: &Manifest) -> Result<()> {
        // Each file was made durable (fsync) before its rename, where the server can.
        let text = manifest::render(manifest);
        self.runtime
            .block_on(self.remote.put(MANIFEST, text.as_bytes(), 0o644))?;
        self.has_manifest = true;
        Ok(())
    }

    fn has_manifest(&self) -> bool {
        self.has_manifest
    }
}

/// The folders `relative` is in, under the target folder: `a/b/c.html` → `a`, `a/b`.
fn ancestors(relative: &str) -> impl Iterator<Item = &str> {
    relative.match_indices('/').map(|(i, _)| &relative[..i])
}

/// The permissions the copy gets: the build output's own (readable by the web server).
fn mode_of(file: &std::fs::File) -> std::io::Result<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(file.metadata()?.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = file.metadata()?;
        Ok(0o644)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_folders_are_listed_parents_first() {
        assert_eq!(
            ancestors("2026/11/hoi-nghi/index.html").collect::<Vec<_>>(),
            ["2026", "2026/11", "2026/11/hoi-nghi"]
        );
        assert_eq!(ancestors("index.html").count(), 0);
    }
}
