//! What the benchmark targets share: the generated corpora they measure.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The site of `n` generated articles (`benches/gen_corpus.py`, native format) in
/// `root/target/{name}-{n}`, made on first use.
pub(crate) fn corpus(root: &Path, name: &str, n: usize) -> PathBuf {
    let dir = root.join("target").join(format!("{name}-{n}"));
    if !dir.is_dir() {
        let tmp = dir.with_extension("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        eprintln!("generating {n} articles into {}", dir.display());
        let status = Command::new("python3")
            .current_dir(root)
            .args([
                "benches/gen_corpus.py",
                "--articles",
                &n.to_string(),
                "--out",
            ])
            .arg(&tmp)
            .args(["--format", "native"])
            .status()
            .expect("python3 runs");
        assert!(status.success(), "gen_corpus.py failed");
        std::fs::rename(&tmp, &dir).expect("rename the corpus folder");
    }
    dir
}
