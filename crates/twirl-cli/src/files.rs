//! From command-line paths to checkable inputs: files found, configs
//! loaded (once per directory), settings resolved, link indexes built (once
//! per set of directories).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use twirl_core::{LinkIndex, Settings, Source, rules::rule_by_name};
use twirl_workspace::{LoadedConfig, WorkspaceError};

use crate::{Common, ProfileArg};

/// One file to check or format.
pub struct Input {
    /// The file, or `None` for standard input.
    pub file: Option<PathBuf>,
    /// What to call it in reports.
    pub display: String,
    pub settings: Settings,
    pub index: Option<Arc<LinkIndex>>,
    pub source: Result<Source, WorkspaceError>,
}

/// A failure before any file is looked at: exit 2.
pub struct Fatal(pub miette::Report);

impl From<WorkspaceError> for Fatal {
    fn from(e: WorkspaceError) -> Self {
        Fatal(crate::report::workspace_error(e))
    }
}

pub fn collect(common: &Common, tweak: impl Fn(&mut Settings) + Sync) -> Result<Vec<Input>, Fatal> {
    let stdin = common.paths.iter().any(|p| p == Path::new("-"));
    if stdin && common.paths.len() > 1 {
        return Err(Fatal(miette::miette!(
            "`-` (standard input) cannot be mixed with other paths"
        )));
    }
    for n in common.select.iter().chain(&common.ignore) {
        if n != "ALL" && rule_by_name(n).is_none() {
            return Err(Fatal(miette::miette!(
                "unknown rule `{n}` (run `twirl rules` for the list)"
            )));
        }
    }
    let files: Vec<Option<PathBuf>> = if stdin {
        vec![None]
    } else {
        twirl_workspace::find_issue_files(&common.paths)?
            .into_iter()
            .map(Some)
            .collect()
    };

    let mut configs: HashMap<PathBuf, Arc<LoadedConfig>> = HashMap::new();
    let mut planned = Vec::with_capacity(files.len());
    for file in files {
        let named = file.clone().or_else(|| common.stdin_filename.clone());
        let dir = named
            .as_deref()
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let cfg = match configs.get(&dir) {
            Some(c) => c.clone(),
            None => {
                let c = Arc::new(twirl_workspace::config_for(
                    &dir.join("x"),
                    common.config.as_deref(),
                )?);
                configs.insert(dir.clone(), c.clone());
                c
            }
        };
        let mut settings = match &named {
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
        planned.push((file, named, settings));
    }

    // One link index per set of directories, shared by the files using it.
    let repeated = rule_by_name("repeated-link").expect("rule exists");
    let mut indexes: HashMap<Vec<PathBuf>, Arc<LinkIndex>> = HashMap::new();
    let mut index_of = Vec::with_capacity(planned.len());
    for (_, named, settings) in &planned {
        let idx = match named {
            Some(p) if settings.is_enabled(repeated) => {
                let dirs = twirl_workspace::index_dirs_for(p);
                Some(
                    indexes
                        .entry(dirs.clone())
                        .or_insert_with(|| {
                            Arc::new(twirl_workspace::build_link_index(&dirs, settings))
                        })
                        .clone(),
                )
            }
            _ => None,
        };
        index_of.push(idx);
    }

    let inputs = planned
        .into_par_iter()
        .zip(index_of)
        .map(|((file, named, settings), index)| {
            let display = match (&file, &named) {
                (Some(f), _) => f.display().to_string(),
                (None, Some(n)) => n.display().to_string(),
                (None, None) => "<stdin>".to_string(),
            };
            let source = match &file {
                Some(f) => twirl_workspace::read_issue(f),
                None => read_stdin(&display),
            };
            Input {
                file: named.or(file),
                display,
                settings,
                index,
                source,
            }
        })
        .collect();
    Ok(inputs)
}

fn read_stdin(display: &str) -> Result<Source, WorkspaceError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|source| WorkspaceError::Read {
            path: display.into(),
            source,
        })?;
    twirl_core::decode(&bytes).map_err(|source| WorkspaceError::Decode {
        path: display.into(),
        source,
    })
}

impl Input {
    /// The path rules see (for the file-name date and the profile).
    pub fn rule_path(&self) -> Option<String> {
        self.file.as_ref().map(|p| p.to_string_lossy().into_owned())
    }
}
