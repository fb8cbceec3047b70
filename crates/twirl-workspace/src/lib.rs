//! twirl-workspace: everything twirl does with the file system.
//!
//! Finding `twirl.toml`, finding issue files, reading and decoding them with
//! errors that name the file, building the recent-issue [`LinkIndex`], and
//! writing files atomically. The CLI and the language server share it, so
//! both see the same files the same way.

mod events;
pub use events::{NewEvents, collector_json};

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use twirl_core::issue::parse_date;
use twirl_core::{Config, ConfigError, DecodeError, LinkIndex, Settings, Source, decode};

pub const CONFIG_FILE: &str = "twirl.toml";

/// The most bytes twirl reads of an issue (one is about 60 KB; the
/// largest hostile input it is tested on is 50 MB).
pub const MAX_ISSUE_BYTES: u64 = 256 << 20;

/// The most bytes twirl reads of a `twirl.toml`.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Decode {
        path: PathBuf,
        #[source]
        source: DecodeError,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}{}: {}", path.display(), location.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default(), source.message)]
    Config {
        path: PathBuf,
        /// 1-based line and column.
        location: Option<(usize, usize)>,
        text: String,
        #[source]
        source: ConfigError,
    },
    #[error("{path}: changed on disk while twirl worked on it; not written (run twirl again)")]
    Changed { path: PathBuf },
    #[error(
        "{path}: has {links} hard links, which writing it would split (the other names would keep the old text); not written"
    )]
    HardLinks { path: PathBuf, links: u64 },
    #[error("{path}: no such file or directory")]
    NotFound { path: PathBuf },
    #[error("{path}: larger than {limit} bytes, the most twirl reads; not read")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: {message}")]
    Walk { path: PathBuf, message: String },
}

impl WorkspaceError {
    pub fn path(&self) -> &Path {
        match self {
            WorkspaceError::Read { path, .. }
            | WorkspaceError::Decode { path, .. }
            | WorkspaceError::Write { path, .. }
            | WorkspaceError::Config { path, .. }
            | WorkspaceError::Changed { path }
            | WorkspaceError::HardLinks { path, .. }
            | WorkspaceError::NotFound { path }
            | WorkspaceError::TooLarge { path, .. }
            | WorkspaceError::Walk { path, .. } => path,
        }
    }
}

/// A config and where it came from.
#[derive(Clone, Debug, Default)]
pub struct LoadedConfig {
    pub config: Config,
    /// The `twirl.toml`, if one was found.
    pub path: Option<PathBuf>,
}

impl LoadedConfig {
    /// The directory paths in the config are relative to.
    pub fn root(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// The settings for `file`.
    pub fn settings_for(&self, file: &Path) -> Settings {
        let rel = match self.root() {
            Some(root) => absolute(file)
                .strip_prefix(absolute(root))
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| file.to_path_buf()),
            None => file.to_path_buf(),
        };
        self.config.settings_for(Some(&rel.to_string_lossy()))
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The nearest `twirl.toml` in `dir` or above it, whatever it is: one
/// that is no regular file is refused when it is loaded, not passed over.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let dir = absolute(dir);
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.symlink_metadata().is_ok())
}

/// Reads and validates a `twirl.toml`.
pub fn load_config(path: &Path) -> Result<LoadedConfig, WorkspaceError> {
    let bytes = read_regular_file(path, MAX_CONFIG_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| WorkspaceError::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })?;
    let config = Config::parse(&text).map_err(|source| WorkspaceError::Config {
        path: path.to_path_buf(),
        location: source.line_col(&text),
        text: text.clone(),
        source,
    })?;
    Ok(LoadedConfig {
        config,
        path: Some(path.to_path_buf()),
    })
}

/// The config for a file: `explicit` if given, else the nearest
/// `twirl.toml` above the file, else the defaults.
pub fn config_for(file: &Path, explicit: Option<&Path>) -> Result<LoadedConfig, WorkspaceError> {
    if let Some(p) = explicit {
        return load_config(p);
    }
    let dir = if file.is_dir() {
        file
    } else {
        let parent = file.parent().filter(|d| !d.as_os_str().is_empty());
        parent.unwrap_or(Path::new("."))
    };
    match find_config(dir) {
        Some(p) => load_config(&p),
        None => Ok(LoadedConfig::default()),
    }
}

/// Whether a file name is an issue's: `YYYY-MM-DD-this-week-in-rust.md`
/// (`.markdown` before 2016, days and months sometimes unpadded).
pub fn is_issue_file(path: &Path) -> bool {
    issue_file_date(path).is_some()
}

/// The date in an issue file's name.
pub fn issue_file_date(path: &Path) -> Option<twirl_core::issue::Date> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))?;
    let date = stem.strip_suffix("-this-week-in-rust")?;
    parse_date(date)
}

/// Issue files under `paths`: files are taken as given, directories are
/// searched recursively (hidden directories and `.gitignore`d files
/// skipped, symlink loops reported). Sorted, without duplicates.
pub fn find_issue_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, WorkspaceError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => WorkspaceError::NotFound { path: p.clone() },
            _ => WorkspaceError::Read {
                path: p.clone(),
                source: e,
            },
        })?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(p)
            .follow_links(true)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| WorkspaceError::Walk {
                path: p.clone(),
                message: e.to_string(),
            })?;
            if entry.file_type().is_some_and(|t| t.is_file()) && is_issue_file(entry.path()) {
                out.push(entry.into_path());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Reads and decodes an issue file.
pub fn read_issue(path: &Path) -> Result<Source, WorkspaceError> {
    decode_issue(&read_regular_file(path, MAX_ISSUE_BYTES)?, path)
}

/// Reads and decodes an issue from `input` (standard input), named
/// `path` in errors, as [`read_issue`] reads a file.
pub fn read_issue_from(input: impl std::io::Read, path: &Path) -> Result<Source, WorkspaceError> {
    decode_issue(&read_limited(input, path, MAX_ISSUE_BYTES)?, path)
}

fn decode_issue(bytes: &[u8], path: &Path) -> Result<Source, WorkspaceError> {
    decode(bytes).map_err(|source| WorkspaceError::Decode {
        path: path.to_path_buf(),
        source,
    })
}

/// The bytes of a regular file, at most `limit` of them. A FIFO, socket
/// or device would block or never end: only regular files are read.
fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, WorkspaceError> {
    let err = |source| WorkspaceError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Before opening: opening a FIFO blocks until someone writes to it.
    if !fs::metadata(path).map_err(err)?.is_file() {
        return Err(err(std::io::Error::other(
            "not a regular file (a FIFO, socket or device?)",
        )));
    }
    read_limited(fs::File::open(path).map_err(err)?, path, limit)
}

/// Reads `input` to its end, or to its first NUL byte (what comes after
/// it is never used: the text is refused there), and at most `limit`
/// bytes.
fn read_limited(
    mut input: impl std::io::Read,
    path: &Path,
    limit: u64,
) -> Result<Vec<u8>, WorkspaceError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    loop {
        let start = bytes.len();
        // Appended in place: a zeroed buffer per file was 2 % of a corpus check.
        match (&mut input).take(64 << 10).read_to_end(&mut bytes) {
            Ok(0) => return Ok(bytes),
            Ok(_) => {}
            Err(source) => {
                return Err(WorkspaceError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
        if let Some(nul) = memchr::memchr(0, &bytes[start..]) {
            bytes.truncate(start + nul + 1);
            return Ok(bytes);
        }
        if bytes.len() as u64 > limit {
            return Err(WorkspaceError::TooLarge {
                path: path.to_path_buf(),
                limit,
            });
        }
    }
}

/// Replaces the file at `path` (the file a symlink points to, if it is
/// one), which held `was` when it was read, with `bytes`, atomically: a
/// temporary file `.twirl-XXXXXX.tmp` in the same directory is written
/// with the file's permissions, owner and group (where the process may set
/// them), synced and renamed over the original. On any failure the
/// original is untouched. Nothing is written if the file no longer holds
/// `was` (an edit made meanwhile is kept), or if it has other hard links
/// (a rename would leave them with the old text).
pub fn write_atomic(path: &Path, was: &[u8], bytes: &[u8]) -> Result<(), WorkspaceError> {
    use std::os::unix::fs::MetadataExt;
    let err = |source| WorkspaceError::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = fs::canonicalize(path).map_err(err)?;
    let dir = target.parent().unwrap_or(Path::new("/"));
    let meta = fs::metadata(&target).map_err(err)?;
    if meta.nlink() > 1 {
        return Err(WorkspaceError::HardLinks {
            path: path.to_path_buf(),
            links: meta.nlink(),
        });
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".twirl-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    // Not permitted unless root (or the group is one of the user's): the
    // file is then the user's, as any file they write.
    let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
    tmp.as_file()
        .set_permissions(meta.permissions())
        .map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    if fs::read(&target).map_err(err)? != was {
        return Err(WorkspaceError::Changed {
            path: path.to_path_buf(),
        });
    }
    tmp.persist(&target).map_err(|e| err(e.error))?;
    let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    Ok(())
}

/// The directories whose issues are "recent issues" for `file`: its own
/// directory, and the sibling `content/` and `draft/` directories.
pub fn index_dirs_for(file: &Path) -> Vec<PathBuf> {
    let file = absolute(file);
    let Some(dir) = file.parent() else {
        return Vec::new();
    };
    let mut dirs = vec![dir.to_path_buf()];
    if let Some(parent) = dir.parent() {
        for sib in ["content", "draft"] {
            let d = parent.join(sib);
            if d.is_dir() && d != dir {
                dirs.push(d);
            }
        }
    }
    dirs
}

/// The issue files directly in `dirs` and their dates, sorted by date and
/// then by path, each file once: the issues a [`LinkIndex`] for those
/// directories holds.
pub fn index_files(dirs: &[PathBuf]) -> Vec<(PathBuf, twirl_core::issue::Date)> {
    let mut seen = HashSet::new();
    let mut files: Vec<(PathBuf, twirl_core::issue::Date)> = Vec::new();
    for d in dirs {
        let Ok(rd) = fs::read_dir(d) else { continue };
        // A file is known by its directory's absolute path and its name:
        // the directory is made absolute once, not once per file.
        let dir = absolute(d);
        for e in rd.flatten() {
            let name = e.file_name();
            let p = d.join(&name);
            if let Some(date) = issue_file_date(&p)
                && seen.insert(dir.join(&name))
            {
                files.push((p, date));
            }
        }
    }
    // Dates first: paths are compared (component by component) only
    // between issues of one date.
    files.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    files
}

/// Builds the link index of every issue file directly in `dirs`, reading
/// and parsing them in parallel. Files that cannot be read are left out:
/// they get their own error when they are checked.
pub fn build_link_index(dirs: &[PathBuf], settings: &Settings) -> LinkIndex {
    let mut index = LinkIndex::default();
    // In chunks, so only a few parsed issues are held at a time.
    for chunk in index_files(dirs).chunks(64) {
        let parsed: Vec<_> = chunk
            .par_iter()
            .filter_map(|(p, date)| {
                let text = read_issue(p).ok()?.text;
                let issue = twirl_core::parse(&text);
                Some((p, *date, text, issue))
            })
            .collect();
        for (p, date, text, issue) in parsed {
            index.add_parsed(&p.to_string_lossy(), date, &text, &issue, settings);
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn issue_file_names() {
        assert!(is_issue_file(Path::new(
            "content/2020-11-4-this-week-in-rust.md"
        )));
        assert!(is_issue_file(Path::new(
            "2014-01-04-this-week-in-rust.markdown"
        )));
        assert!(!is_issue_file(Path::new("DRAFT_TEMPLATE")));
        assert!(!is_issue_file(Path::new("2024-13-01-this-week-in-rust.md")));
    }

    #[test]
    fn atomic_write_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2024-11-06-this-week-in-rust.md");
        fs::write(&p, "old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"old", b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2024-11-06-this-week-in-rust.md");
        // Read as "old", then edited (in place, and renamed over) before
        // the formatted text is written.
        fs::write(&p, "edited").unwrap();
        let e = write_atomic(&p, b"old", b"formatted").unwrap_err();
        assert!(matches!(e, WorkspaceError::Changed { .. }), "{e}");
        assert_eq!(fs::read_to_string(&p).unwrap(), "edited");
        let other = dir.path().join("other");
        fs::write(&other, "renamed over").unwrap();
        fs::rename(&other, &p).unwrap();
        assert!(write_atomic(&p, b"edited", b"formatted").is_err());
        assert_eq!(fs::read_to_string(&p).unwrap(), "renamed over");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn a_file_with_hard_links_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2024-11-06-this-week-in-rust.md");
        fs::write(&p, "old").unwrap();
        fs::hard_link(&p, dir.path().join("link.md")).unwrap();
        let e = write_atomic(&p, b"old", b"new").unwrap_err();
        assert!(e.to_string().contains("has 2 hard links"), "{e}");
        assert_eq!(
            fs::read_to_string(dir.path().join("link.md")).unwrap(),
            "old"
        );
        assert_eq!(fs::read_to_string(&p).unwrap(), "old");
    }

    #[test]
    fn a_write_keeps_owner_and_group_and_follows_a_symlink() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("2024-11-06-this-week-in-rust.md");
        fs::write(&p, "old").unwrap();
        let link = dir.path().join("link-2024-11-06-this-week-in-rust.md");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        let root = fs::metadata(&p).unwrap().uid() == 0;
        if root {
            std::os::unix::fs::chown(&p, Some(1234), Some(5678)).unwrap();
        } else if std::env::var_os("CI").is_some() {
            panic!("this test runs as root in CI, to change a file's owner");
        } else {
            eprintln!("not root: owner and group are not changed for this test");
        }
        let before = fs::metadata(&p).unwrap();
        write_atomic(&link, b"old", b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        let after = fs::metadata(&p).unwrap();
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    }

    #[test]
    fn reading_stops_at_the_first_nul_and_at_the_limit() {
        let zeros = std::io::repeat(0).take(1 << 30);
        let e = read_issue_from(zeros, Path::new("<stdin>")).unwrap_err();
        assert!(e.to_string().contains("NUL byte at byte 0"), "{e}");
        let text = std::io::repeat(b'a').take(MAX_ISSUE_BYTES + 1);
        let e = read_issue_from(text, Path::new("<stdin>")).unwrap_err();
        assert!(matches!(e, WorkspaceError::TooLarge { .. }), "{e}");
        let s = read_issue_from(&b"Title: x\n"[..], Path::new("<stdin>")).unwrap();
        assert_eq!(s.text, "Title: x\n");
    }

    #[test]
    fn a_config_that_is_no_regular_file_is_refused_not_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let issue = dir.path().join("2024-11-06-this-week-in-rust.md");
        let config = dir.path().join(CONFIG_FILE);
        fs::create_dir(&config).unwrap();
        let e = config_for(&issue, None).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        fs::remove_dir(&config).unwrap();
        std::os::unix::fs::symlink(&config, &config).unwrap();
        let e = config_for(&issue, None).unwrap_err();
        assert!(e.to_string().contains("twirl.toml: cannot read"), "{e}");
        fs::remove_file(&config).unwrap();
        let fifo = std::process::Command::new("mkfifo").arg(&config).status();
        if fifo.is_ok_and(|s| s.success()) {
            let e = config_for(&issue, None).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
            let e = config_for(&issue, Some(Path::new("/dev/zero"))).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
    }

    #[test]
    fn config_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(CONFIG_FILE);
        fs::write(&p, "lookback = 5\nbogus = 1\n").unwrap();
        let err = config_for(&dir.path().join("x.md"), None).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("twirl.toml:2:1"), "{msg}");
        assert!(msg.contains("bogus"), "{msg}");
    }
}
