//! From command-line paths to checkable inputs: files found, configs
//! loaded (once per directory), settings resolved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use twirl_core::{Settings, Source, rules::rule_by_name};
use twirl_workspace::{LoadedConfig, WorkspaceError};

use crate::report::workspace_error;
use crate::{Common, ProfileArg};

/// A file to check or format, before it is read.
pub struct Planned {
    /// The file to read, or `None` for standard input.
    pub file: Option<PathBuf>,
    /// The path rules see: the file, or `--stdin-filename` for standard
    /// input.
    pub named: Option<PathBuf>,
    /// What to call it in reports.
    pub display: String,
    pub settings: Arc<Settings>,
    /// The directories of its link index, when `repeated-link` is on.
    pub index_dirs: Option<Vec<PathBuf>>,
}

impl Planned {
    /// The path rules see (for the file-name date and the profile).
    pub fn rule_path(&self) -> Option<String> {
        self.named
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned())
    }
}

/// The files the paths name, each with its settings; nothing is read yet.
/// An error here (exit 2) comes before any file is looked at.
pub fn plan(
    common: &Common,
    tweak: impl Fn(&mut Settings),
) -> Result<Vec<Planned>, miette::Report> {
    let stdin = common.paths.iter().any(|p| p == Path::new("-"));
    if stdin && common.paths.len() > 1 {
        miette::bail!("`-` (standard input) cannot be mixed with other paths");
    }
    for n in common.select.iter().chain(&common.ignore) {
        if n != "ALL" && rule_by_name(n).is_none() {
            miette::bail!("{}", twirl_core::config::unknown_rule(n));
        }
    }
    let files: Vec<Option<PathBuf>> = if stdin {
        vec![None]
    } else {
        twirl_workspace::find_issue_files(&common.paths)
            .map_err(workspace_error)?
            .into_iter()
            .map(Some)
            .collect()
    };

    let repeated = rule_by_name("repeated-link").expect("rule exists");
    let mut configs: HashMap<PathBuf, LoadedConfig> = HashMap::new();
    let mut index_dirs: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    let mut dir_settings: HashMap<PathBuf, Arc<Settings>> = HashMap::new();
    let mut planned = Vec::with_capacity(files.len());
    for file in files {
        let named = file.clone().or_else(|| common.stdin_filename.clone());
        let dir = named
            .as_deref()
            .map_or(Path::new("."), dir_of)
            .to_path_buf();
        if !configs.contains_key(&dir) {
            let c = twirl_workspace::config_for(&dir.join("x"), common.config.as_deref())
                .map_err(workspace_error)?;
            configs.insert(dir.clone(), c);
        }
        let cfg = &configs[&dir];
        let resolve = |p: Option<&Path>| {
            let mut settings = match p {
                Some(p) => cfg.settings_for(p),
                None => cfg.config.settings_for(None),
            };
            settings.select_ignore(&common.select, &common.ignore);
            if let Some(p) = common.profile {
                settings.profile = match p {
                    ProfileArg::Draft => twirl_core::Profile::Draft,
                    ProfileArg::Publish => twirl_core::Profile::Publish,
                };
            }
            tweak(&mut settings);
            Arc::new(settings)
        };
        let settings = match &named {
            // Without overrides, every issue file of a directory has the
            // same settings (an issue's file name is never `draft`), and
            // the files share them.
            Some(p) if !cfg.config.has_overrides() && twirl_workspace::is_issue_file(p) => {
                dir_settings
                    .entry(dir.clone())
                    .or_insert_with(|| resolve(Some(p)))
                    .clone()
            }
            named => resolve(named.as_deref()),
        };
        let display = named
            .as_ref()
            .map_or("<stdin>".to_string(), |n| n.display().to_string());
        // The index's directories depend only on the file's directory.
        let index_dirs = match &named {
            Some(p) if settings.is_enabled(repeated) => Some(
                index_dirs
                    .entry(dir.clone())
                    .or_insert_with(|| twirl_workspace::index_dirs_for(p))
                    .clone(),
            ),
            _ => None,
        };
        planned.push(Planned {
            file,
            named,
            display,
            settings,
            index_dirs,
        });
    }
    Ok(planned)
}

/// `f` over `items`, on the rayon pool when there are several. A lone
/// file (a pre-commit hook's or an editor's usual case) is handled on this
/// thread, and the pool's threads are never started.
pub fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < 2 {
        items.into_iter().map(f).collect()
    } else {
        items.into_par_iter().map(f).collect()
    }
}

/// The directory holding `path`: `.` for a bare file name.
pub fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Reads an issue file, or standard input (`None`) as one named `display`.
pub fn read(file: Option<&Path>, display: &str) -> Result<Source, WorkspaceError> {
    match file {
        Some(f) => twirl_workspace::read_issue(f),
        None => twirl_workspace::read_issue_from(std::io::stdin().lock(), display.as_ref()),
    }
}
