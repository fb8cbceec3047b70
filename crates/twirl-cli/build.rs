//! Puts the git revision into `twirl --version` (`TWIRL_GIT_REV`): the short
//! commit id when built from a git checkout, `unknown` otherwise (a crate
//! tarball, no git on PATH).

use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let rev = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".into());
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let dir = PathBuf::from(dir);
        // In a worktree the refs live in the common directory.
        let common = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"])
            .map_or_else(|| dir.clone(), PathBuf::from);
        // HEAD moves on checkout; the refs move on commit.
        let watched = [
            dir.join("HEAD"),
            common.join("refs"),
            common.join("packed-refs"),
        ];
        for p in watched.iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
    println!("cargo:rustc-env=TWIRL_GIT_REV={rev}");
}
