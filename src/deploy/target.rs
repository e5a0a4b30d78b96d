//! Where a deploy puts the site: the [`Target`] trait, which the folder ([`super::folder`])
//! and the S3 bucket ([`super::s3`]) implement. Everything else (what changed, the order,
//! the batches, the manifest after each batch, the summary) is shared, in [`super::deploy`].

use super::manifest::Manifest;
use super::source::SourceFile;
use crate::error::Result;
use std::path::Path;

/// A place a deploy writes the site's files into, with the manifest of what it put there.
pub trait Target {
    /// The target as the person who deploys named it, for messages (`/var/www/tin`,
    /// `s3://bucket/prefix`).
    fn describe(&self) -> String;

    /// The manifest kept in the target; none yet is an empty one.
    fn read_manifest(&mut self) -> Result<Manifest>;

    /// Whether the file at `relative`, which the manifest records with `size` bytes, is
    /// still there with that size (someone may have deleted or truncated it since). Called
    /// after [`Target::read_manifest`].
    fn is_in_place(&self, relative: &str, size: u64) -> bool;

    /// Makes ready to write (creates the folder); called once, before the first change.
    fn prepare(&mut self) -> Result<()>;

    /// Puts these files of the build output `source`, each replacing the old one whole
    /// (never a half-written file at its address). An error may leave some of them put.
    fn put(&mut self, source: &Path, files: &[&SourceFile]) -> Result<()>;

    /// Deletes a file a deploy put there; one already gone is fine (a deploy that stopped
    /// after deleting it).
    fn delete(&mut self, relative: &str) -> Result<()>;

    /// Makes the files put so far durable, then replaces the manifest with `manifest`, whole.
    fn write_manifest(&mut self, manifest: &Manifest) -> Result<()>;

    /// Whether the target has a manifest yet (a first deploy of an empty site writes one).
    fn has_manifest(&self) -> bool;
}
