//! `twirl check --since REV`: only what a change introduced.
//!
//! The change is the one `git diff REV...HEAD` shows: each file is linted
//! as of the merge base of REV and HEAD, so a branch made from REV that
//! REV has since moved past is compared with where it started, not with
//! what others merged after. A finding counts as old when the old version
//! has one of the same rule pointing at the same text. Line numbers play
//! no part, so lines shifted by an insertion above are not new. git is run
//! as a program: it is on every machine that has a repository, and its own
//! rev parsing is the one users expect.

use std::path::Path;
use std::process::{Command, Output};

/// The commit `--since REV` compares with, in the repository holding
/// `dir`: the merge base of `rev` and HEAD (its full hash).
pub fn merge_base(dir: &Path, rev: &str) -> Result<String, String> {
    let commit = format!("{rev}^{{commit}}");
    if !git(dir, &["rev-parse", "--verify", "--quiet", &commit])?
        .status
        .success()
    {
        return Err(format!(
            "`{rev}` is not a commit in the git repository at {}",
            dir.display()
        ));
    }
    let out = git(dir, &["merge-base", &commit, "HEAD"])?;
    if !out.status.success() {
        return Err(format!("`{rev}` and HEAD have no common ancestor"));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The file's text at `rev`, or `None` when it did not exist there.
pub fn old_text(file: &Path, rev: &str) -> Result<Option<String>, String> {
    let dir = crate::files::dir_of(file);
    let name = file.file_name().ok_or("not a file")?.to_string_lossy();
    let out = git(dir, &["show", &format!("{rev}:./{name}")])?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(twirl_core::decode(&out.stdout).ok().map(|s| s.text))
}

/// Runs git in the repository holding `dir`.
fn git(dir: &Path, args: &[&str]) -> Result<Output, String> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}
