//! What the server holds between messages: open documents with their
//! versions, the editor's settings, configs found per folder, and the
//! recent-issue link index per folder.
//!
//! Every lock here is a `std::sync::Mutex` taken for a few statements and
//! never held across an `.await`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde::Deserialize;
use tower_lsp::lsp_types::{ClientCapabilities, TextDocumentContentChangeEvent, Url};
use twirl_core::issue::Issue;
use twirl_core::rules::rule_by_name;
use twirl_core::{CheckContext, Encoding, LineIndex, LinkIndex, Settings};

use crate::convert;

/// Takes a lock even if a handler panicked while holding it: the data is
/// plain and every writer leaves it whole.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open document. Cheap to clone: work on a document takes a copy of it
/// as it was when the work started.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: Arc<String>,
    pub version: i32,
    pub line_index: Arc<LineIndex>,
    pub path: Option<PathBuf>,
    /// The lint request that may publish for this document; older ones are
    /// dropped.
    pub lint_seq: u64,
    /// The last published lint, for hover.
    pub last: Option<Arc<LintOutput>>,
}

impl Document {
    pub fn new(uri: &Url, text: String, version: i32) -> Document {
        Document {
            line_index: Arc::new(LineIndex::new(&text)),
            text: Arc::new(text),
            version,
            path: uri.to_file_path().ok(),
            lint_seq: 0,
            last: None,
        }
    }

    /// Applies the changes of one `didChange`, in order.
    pub fn apply_changes(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        enc: Encoding,
    ) {
        let text = Arc::make_mut(&mut self.text);
        for change in changes {
            match change.range {
                None => *text = change.text,
                Some(r) => {
                    let index = &self.line_index;
                    let lines = convert::Lines { text, index, enc };
                    let (a, b) = (lines.offset_clamped(r.start), lines.offset_clamped(r.end));
                    text.replace_range(a.min(b)..a.max(b), &change.text);
                }
            }
            self.line_index = Arc::new(LineIndex::new(text));
        }
        self.version = version;
    }

    /// The document's text and line index in the client's encoding.
    pub fn lines(&self, enc: Encoding) -> convert::Lines<'_> {
        let (text, index) = (&self.text, &self.line_index);
        convert::Lines { text, index, enc }
    }
}

/// One lint pass's result.
#[derive(Debug)]
pub struct LintOutput {
    pub version: i32,
    pub diagnostics: Vec<twirl_core::Diagnostic>,
    pub published: Vec<tower_lsp::lsp_types::Diagnostic>,
}

/// Everything a request needs from a document, resolved off the async
/// threads ([`State::prepare`]).
pub struct Prepared {
    pub doc: Document,
    pub path: Option<String>,
    pub settings: Settings,
    pub index: Option<Arc<LinkIndex>>,
    /// A config problem to tell the user about once.
    pub warning: Option<String>,
    /// The directories of a link index nobody builds yet: the caller starts
    /// the build.
    pub build: Option<Vec<PathBuf>>,
}

impl Prepared {
    /// What the rules see of `issue`, parsed from this document's text.
    pub fn context<'a>(&'a self, issue: &'a Issue) -> CheckContext<'a> {
        CheckContext {
            text: &self.doc.text,
            issue,
            settings: &self.settings,
            path: self.path.as_deref(),
            index: self.index.as_deref(),
        }
    }
}

/// `rules.select` / `rules.ignore` of the editor's settings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct RuleSettings {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The editor's settings: `{"twirl": {...}}` in `didChangeConfiguration`,
/// the inner object (wrapped or not) as `initializationOptions`. They
/// override `twirl.toml`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct ClientSettings {
    pub rules: RuleSettings,
    pub lookback: Option<usize>,
    pub fix_all_on_save: bool,
}

impl ClientSettings {
    /// Reads settings with or without the `"twirl"` wrapper. `None` when the
    /// value holds no twirl settings at all (null, or another tool's).
    pub fn from_value(v: &serde_json::Value) -> Result<Option<ClientSettings>, String> {
        let ours = ["rules", "lookback", "fixAllOnSave"]
            .iter()
            .any(|k| v.get(k).is_some());
        let inner = match v.get("twirl") {
            Some(inner) => inner,
            None if ours => v,
            None => return Ok(None),
        };
        if inner.is_null() {
            return Ok(Some(ClientSettings::default()));
        }
        serde_json::from_value(inner.clone())
            .map(Some)
            .map_err(|e| format!("twirl settings ignored: {e}"))
    }
}

/// What the client told us it can do.
#[derive(Clone, Debug)]
pub struct ClientCaps {
    pub encoding: Encoding,
    pub document_changes: bool,
    pub watch_dynamic: bool,
    pub hierarchical_symbols: bool,
    pub disabled_code_actions: bool,
    pub pull_configuration: bool,
}

impl ClientCaps {
    pub fn from(caps: &ClientCapabilities) -> ClientCaps {
        let ws = caps.workspace.as_ref();
        let td = caps.text_document.as_ref();
        ClientCaps {
            encoding: convert::negotiate(caps),
            document_changes: ws
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            watch_dynamic: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            hierarchical_symbols: td
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            disabled_code_actions: td
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.disabled_support)
                .unwrap_or(false),
            pull_configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
        }
    }
}

/// The link index of one folder (the directories `index_dirs_for` names).
#[derive(Debug, Default)]
pub struct IndexSlot {
    pub index: Option<Arc<LinkIndex>>,
    pub building: bool,
    /// A file changed while building: build again when done.
    pub dirty: bool,
}

/// A `twirl.toml` as loaded for a folder, or why it could not be.
pub type ConfigEntry = Result<Arc<twirl_workspace::LoadedConfig>, String>;

#[derive(Debug, Default)]
pub struct State {
    pub documents: Mutex<HashMap<Url, Document>>,
    pub caps: OnceLock<ClientCaps>,
    pub client_settings: Mutex<ClientSettings>,
    /// Configs by the directory of the files they were found for.
    pub configs: Mutex<HashMap<PathBuf, ConfigEntry>>,
    /// Link indexes by the directories they read.
    pub indexes: Mutex<HashMap<Vec<PathBuf>, IndexSlot>>,
    /// Config errors already shown to the user.
    pub reported: Mutex<HashSet<String>>,
    pub lint_seq: AtomicU64,
}

impl State {
    /// What the client can do; before `initialize`, what every client can.
    pub fn caps(&self) -> ClientCaps {
        let none = || ClientCaps::from(&ClientCapabilities::default());
        self.caps.get().cloned().unwrap_or_else(none)
    }

    pub fn next_seq(&self) -> u64 {
        self.lint_seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// A copy of an open document.
    pub fn document(&self, uri: &Url) -> Option<Document> {
        lock(&self.documents).get(uri).cloned()
    }

    /// Settings and index for a document. Does file I/O the first time a
    /// folder is seen: call it off the async threads.
    pub fn prepare(&self, doc: Document) -> Prepared {
        let (settings, warning) = self.settings_for(doc.path.as_deref());
        let (index, build) = self.index_for(doc.path.as_deref(), &settings);
        Prepared {
            path: doc.path.as_ref().map(|p| p.to_string_lossy().into_owned()),
            doc,
            settings,
            index,
            warning,
            build,
        }
    }

    /// The settings for a file: its folder's `twirl.toml` (cached), then
    /// the editor's overrides, and a config problem to tell the user about
    /// once. Does file I/O the first time a folder is seen: call it off the
    /// async threads.
    pub fn settings_for(&self, path: Option<&Path>) -> (Settings, Option<String>) {
        let mut warning = None;
        let mut settings = match path {
            None => Settings::default(),
            Some(path) => {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let cached = lock(&self.configs).get(&dir).cloned();
                let entry = match cached {
                    Some(e) => e,
                    None => {
                        let e = twirl_workspace::config_for(path, None)
                            .map(Arc::new)
                            .map_err(|e| e.to_string());
                        lock(&self.configs).insert(dir, e.clone());
                        e
                    }
                };
                match entry {
                    Ok(c) => c.settings_for(path),
                    Err(e) => {
                        warning = Some(format!("{e} (using the default settings)"));
                        Settings::default()
                    }
                }
            }
        };
        let client = lock(&self.client_settings);
        let unknown = settings.select_ignore(&client.rules.select, &client.rules.ignore);
        settings.lookback = client.lookback.unwrap_or(settings.lookback);
        if !unknown.is_empty() {
            warning = Some(format!(
                "unknown rules in the editor's twirl settings: {}",
                unknown.join(", ")
            ));
        }
        (settings, warning)
    }

    /// Whether `message` has not been shown yet (and remembers it).
    pub fn first_report(&self, message: &str) -> bool {
        lock(&self.reported).insert(message.to_string())
    }

    /// The link index for a file if `repeated-link` needs one. Returns the
    /// index if built, and the directories to build it from when nobody is
    /// building it yet (the caller starts the build).
    pub fn index_for(
        &self,
        path: Option<&Path>,
        settings: &Settings,
    ) -> (Option<Arc<LinkIndex>>, Option<Vec<PathBuf>>) {
        let wanted = settings.lookback > 0
            && rule_by_name("repeated-link").is_some_and(|m| settings.is_enabled(m));
        let dirs = path.filter(|_| wanted).map(twirl_workspace::index_dirs_for);
        let Some(dirs) = dirs.filter(|dirs| dirs.iter().any(|d| d.is_dir())) else {
            return (None, None);
        };
        let mut slots = lock(&self.indexes);
        let slot = slots.entry(dirs.clone()).or_default();
        let index = slot.index.clone();
        if index.is_none() && !slot.building {
            slot.building = true;
            return (None, Some(dirs));
        }
        (index, None)
    }

    /// The index keys a changed issue file belongs to; they are marked to
    /// be rebuilt. Returns those nobody is building now (the caller starts
    /// them).
    pub fn invalidate_index(&self, changed: &Path) -> Vec<Vec<PathBuf>> {
        let dir = changed.parent().map(Path::to_path_buf).unwrap_or_default();
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        let mut out = Vec::new();
        let mut slots = lock(&self.indexes);
        for (dirs, slot) in slots.iter_mut().filter(|(dirs, _)| dirs.contains(&dir)) {
            if slot.building {
                slot.dirty = true;
            } else {
                slot.building = true;
                out.push(dirs.clone());
            }
        }
        out
    }

    /// The open documents whose index key is `dirs`.
    pub fn documents_in(&self, dirs: &[PathBuf]) -> Vec<Url> {
        let open: Vec<(Url, PathBuf)> = lock(&self.documents)
            .iter()
            .filter_map(|(u, d)| Some((u.clone(), d.path.clone()?)))
            .collect();
        open.into_iter()
            .filter(|(_, p)| twirl_workspace::index_dirs_for(p) == dirs)
            .map(|(u, _)| u)
            .collect()
    }
}
