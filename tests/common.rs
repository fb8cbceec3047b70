//! Shared by the end-to-end tests: where the corpus and the binary are.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `$TWIRL_CORPUS`, else `../shared/corpus` beside the repository. In CI a
/// missing corpus fails the test; elsewhere the test is skipped with a note.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("TWIRL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if dir.join("published").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the corpus is missing at {}: set TWIRL_CORPUS or put shared/ beside the repository",
            dir.display()
        );
    }
    eprintln!(
        "skipped: corpus not found at {} (set TWIRL_CORPUS)",
        dir.display()
    );
    None
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn twirl() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_twirl"))
}
