//! Where the pipeline's output goes: the staging folder of `build`, memory for `serve`, or
//! nowhere for `check`.

use crate::error::{Error, Result};
use crate::output::write::Staging;
use crate::render::inputs::Inputs;
use crate::render::PageOutput;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

/// A destination for output files. Called from several threads at once. Pages come through
/// [`PageOutput`], which lets `build` keep a page made from the same inputs as last time.
pub trait Sink: PageOutput {
    /// Puts `bytes` at `path` (relative to the output root, `/` separators).
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()>;
    /// Puts a copy of the file `from` at `path`.
    fn copy(&self, path: &str, from: &Path) -> Result<()>;
}

impl PageOutput for Staging {
    fn write_page(&self, path: &str, html: &[u8], inputs: Option<Inputs>) -> Result<()> {
        Staging::write_page(self, path, html, inputs)
    }

    fn keeps_inputs(&self) -> bool {
        true
    }

    fn keep_page(&self, path: &str, inputs: Inputs) -> Result<bool> {
        Staging::keep_page(self, path, inputs)
    }
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        Staging::write(self, path, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        Staging::copy(self, path, from)
    }
}

/// Keeps nothing, for `check`: it still fails where a real sink would fail on its input (a
/// file to copy that cannot be opened), so that `check` and `build` agree.
pub struct Discard;

impl PageOutput for Discard {
    fn write_page(&self, path: &str, html: &[u8], _inputs: Option<Inputs>) -> Result<()> {
        self.write(path, html)
    }
}

impl Sink for Discard {
    fn write(&self, _path: &str, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }

    fn copy(&self, _path: &str, from: &Path) -> Result<()> {
        std::fs::File::open(from)
            .map(drop)
            .map_err(|e| Error::io(from, e))
    }
}

/// Keeps every file in memory, for `serve`.
#[derive(Default)]
pub struct Memory {
    files: Mutex<HashMap<String, Vec<u8>>>,
}

impl Memory {
    /// The files written so far: output path → bytes.
    pub fn into_files(self) -> HashMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl PageOutput for Memory {
    fn write_page(&self, path: &str, html: &[u8], _inputs: Option<Inputs>) -> Result<()> {
        self.write(path, html)
    }
}

impl Sink for Memory {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|e| Error::io(from, e))?;
        self.write(path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_keeps_what_was_written_and_copied() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("a.txt");
        std::fs::write(&from, b"copied").unwrap();
        let memory = Memory::default();
        memory.write("x/index.html", b"page").unwrap();
        memory.copy("a.txt", &from).unwrap();
        let files = memory.into_files();
        assert_eq!(files["x/index.html"], b"page");
        assert_eq!(files["a.txt"], b"copied");
    }

    #[test]
    fn discard_fails_on_a_file_that_cannot_be_read_as_a_copy_would() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pdf");
        let err = Discard.copy("missing.pdf", &missing).unwrap_err();
        assert!(err.to_string().contains("missing.pdf"), "{err}");
        std::fs::write(&missing, b"x").unwrap();
        Discard.copy("missing.pdf", &missing).unwrap();
    }
}
