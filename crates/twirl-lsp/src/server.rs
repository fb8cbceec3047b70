//! The `LanguageServer` implementation: messages in, core calls, messages
//! out. Documents are re-parsed and re-linted whole after a short pause in
//! typing; the heavy work runs on blocking threads and only the latest lint
//! of a document may publish.

use std::any::Any;
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use serde_json::Value;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};
use twirl_core::{Encoding, LineIndex, Settings};

use crate::analysis;
use crate::convert::{self, FixData};
use crate::hover;
use crate::state::{ClientCaps, ClientSettings, Document, LintOutput, Snapshot, State, lock};
use crate::symbols;

/// The command an editor runs to apply every Safe fix: `[uri]`.
pub const FIX_ALL_COMMAND: &str = "twirl.fixAll";

mod merge_events;
pub use merge_events::MERGE_EVENTS_COMMAND;

/// The code action kind of fix-all.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.twirl")
}

/// The most diagnostics published for one document. A text with more is
/// not being edited by hand (a generated or pasted file): the first ones
/// in document order are shown, then one diagnostic saying how many there
/// are, so that the server's work and memory stay close to `twirl
/// check`'s however many there are.
pub const MAX_PUBLISHED: usize = 1000;

/// How the server behaves; the defaults are what editors get.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long typing must pause before a document is linted again.
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            debounce: Duration::from_millis(75),
        }
    }
}

/// The server. Cheap to clone: tasks it spawns hold their own copy.
#[derive(Clone)]
pub struct Backend {
    client: Client,
    state: Arc<State>,
    options: Options,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn unknown_document(uri: &Url) -> Error {
    Error::invalid_params(format!("unknown document {uri}"))
}

fn outside(pos: Position) -> Error {
    Error::invalid_params(format!(
        "position {}:{} is outside the document",
        pos.line, pos.character
    ))
}

fn failed(message: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803), // RequestFailed (LSP 3.17)
        message: message.into().into(),
        data: None,
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Runs `f` on a blocking thread; a panic in it becomes an error response.
async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(f))).await {
        Ok(Ok(r)) => r,
        Ok(Err(p)) => Err(Error {
            code: ErrorCode::InternalError,
            message: format!("twirl failed in {what}: {}", panic_message(&*p)).into(),
            data: None,
        }),
        Err(e) => Err(Error {
            code: ErrorCode::InternalError,
            message: format!("twirl failed in {what}: {e}").into(),
            data: None,
        }),
    }
}

/// Runs `f` here; a panic in it becomes an error response.
fn guarded<T>(what: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| {
        Err(Error {
            code: ErrorCode::InternalError,
            message: format!("twirl failed in {what}: {}", panic_message(&*p)).into(),
            data: None,
        })
    })
}

/// Everything a request needs from a document, resolved off the async
/// threads.
struct Prepared {
    snap: Snapshot,
    settings: Settings,
    index: Option<Arc<twirl_core::LinkIndex>>,
}

impl Backend {
    pub fn new(client: Client, options: Options) -> Backend {
        Backend {
            client,
            state: Arc::new(State::default()),
            options,
        }
    }

    fn enc(&self) -> Encoding {
        self.state.encoding()
    }

    /// What the server holds for an open document (its text, line index
    /// and last lint, with the lint's findings, fixes and published
    /// diagnostics), as weak references: tests see that closing the
    /// document frees them. Not an API.
    #[doc(hidden)]
    pub fn held_for(&self, uri: &Url) -> Vec<Weak<dyn Any + Send + Sync>> {
        let docs = lock(&self.state.documents);
        let Some(d) = docs.get(uri) else {
            return Vec::new();
        };
        let mut held: Vec<Weak<dyn Any + Send + Sync>> = vec![
            Arc::downgrade(&d.text) as Weak<dyn Any + Send + Sync>,
            Arc::downgrade(&d.line_index) as Weak<dyn Any + Send + Sync>,
        ];
        if let Some(last) = &d.last {
            held.push(Arc::downgrade(last) as Weak<dyn Any + Send + Sync>);
        }
        held
    }

    async fn log(&self, typ: MessageType, message: impl std::fmt::Display) {
        self.client.log_message(typ, message).await;
    }

    /// Settings and index for a snapshot (file I/O the first time a folder
    /// is seen, so call it on a blocking thread). Tells the user once about
    /// a bad config and starts a missing index build.
    fn prepare(&self, snap: Snapshot) -> (Prepared, Option<String>, Option<Vec<PathBuf>>) {
        let resolved = self.state.settings_for(snap.path.as_deref());
        let (index, build) = self
            .state
            .index_for(snap.path.as_deref(), &resolved.settings);
        (
            Prepared {
                snap,
                settings: resolved.settings,
                index,
            },
            resolved.warning,
            build,
        )
    }

    async fn prepared(&self, uri: &Url) -> Result<Prepared> {
        let snap = self
            .state
            .snapshot(uri)
            .ok_or_else(|| unknown_document(uri))?;
        let this = self.clone();
        let (p, warning, build) = blocking("settings", move || Ok(this.prepare(snap))).await?;
        self.after_prepare(warning, build, &p.settings).await;
        Ok(p)
    }

    async fn after_prepare(
        &self,
        warning: Option<String>,
        build: Option<Vec<PathBuf>>,
        settings: &Settings,
    ) {
        if let Some(w) = warning
            && self.state.first_report(&w)
        {
            self.client.show_message(MessageType::WARNING, &w).await;
            self.log(MessageType::WARNING, &w).await;
        }
        if let Some(dirs) = build {
            self.spawn_index_build(dirs, Arc::new(settings.clone()));
        }
    }

    /// Lints a document after `delay` and publishes, unless a newer lint
    /// of it was requested meanwhile.
    fn schedule_lint(&self, uri: Url, delay: Duration) {
        let seq = self.state.next_seq();
        {
            let mut docs = lock(&self.state.documents);
            match docs.get_mut(&uri) {
                Some(d) => d.lint_seq = seq,
                None => return,
            }
        }
        let this = self.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            this.lint_now(uri, seq).await;
        });
    }

    fn is_current(&self, uri: &Url, seq: u64) -> bool {
        lock(&self.state.documents)
            .get(uri)
            .is_some_and(|d| d.lint_seq == seq)
    }

    async fn lint_now(&self, uri: Url, seq: u64) {
        if !self.is_current(&uri, seq) {
            return;
        }
        let Some(snap) = self.state.snapshot(&uri) else {
            return;
        };
        let this = self.clone();
        let enc = self.enc();
        let result = blocking("lint", move || {
            let (p, warning, build) = this.prepare(snap);
            let path = p.snap.path_str();
            let text = &p.snap.text;
            let issue = twirl_core::parse(text);
            let mut diagnostics = twirl_core::check(&twirl_core::CheckContext {
                text,
                issue: &issue,
                settings: &p.settings,
                path: path.as_deref(),
                index: p.index.as_deref(),
            });
            let (text, index) = (&p.snap.text, &p.snap.line_index);
            let mut published: Vec<_> = diagnostics
                .iter()
                .take(MAX_PUBLISHED)
                .map(|d| convert::diagnostic(text, index, &p.snap.uri, p.snap.version, d, enc))
                .collect();
            if let Some(first_unshown) = diagnostics.get(MAX_PUBLISHED) {
                published.push(convert::more_not_shown(
                    text,
                    index,
                    first_unshown.range.start,
                    diagnostics.len(),
                    enc,
                ));
            }
            // Hover reads only the diagnostics shown.
            diagnostics.truncate(MAX_PUBLISHED);
            let out = LintOutput {
                version: p.snap.version,
                diagnostics,
                published,
                settings: Arc::new(p.settings),
            };
            Ok((out, warning, build))
        })
        .await;
        let (out, warning, build) = match result {
            Ok(r) => r,
            Err(e) => {
                self.log(MessageType::ERROR, &e.message).await;
                return;
            }
        };
        self.after_prepare(warning, build, &out.settings).await;
        let out = Arc::new(out);
        let publish = {
            let mut docs = lock(&self.state.documents);
            match docs.get_mut(&uri) {
                Some(d) if d.lint_seq == seq && d.version == out.version => {
                    d.last = Some(out.clone());
                    true
                }
                _ => false,
            }
        };
        if publish {
            self.client
                .publish_diagnostics(uri, out.published.clone(), Some(out.version))
                .await;
        }
    }

    fn lint_all(&self) {
        let uris: Vec<Url> = lock(&self.state.documents).keys().cloned().collect();
        for uri in uris {
            self.schedule_lint(uri, Duration::ZERO);
        }
    }

    /// Reads the recent issues of a folder on a blocking thread, then
    /// re-lints the open documents of that folder.
    fn spawn_index_build(&self, dirs: Vec<PathBuf>, settings: Arc<Settings>) {
        let this = self.clone();
        tokio::spawn(async move {
            loop {
                let d = dirs.clone();
                let s = settings.clone();
                let built =
                    tokio::task::spawn_blocking(move || twirl_workspace::build_link_index(&d, &s))
                        .await;
                let again = {
                    let mut slots = lock(&this.state.indexes);
                    let slot = slots.entry(dirs.clone()).or_default();
                    if let Ok(index) = &built {
                        slot.index = Some(Arc::new(index.clone()));
                    }
                    let again = slot.dirty;
                    slot.dirty = false;
                    slot.building = again;
                    again
                };
                match &built {
                    Ok(index) => {
                        this.log(
                            MessageType::INFO,
                            format!(
                                "read {} recent issue(s) for repeated links in {}",
                                index.len(),
                                dirs.first()
                                    .map_or(String::new(), |d| d.display().to_string())
                            ),
                        )
                        .await
                    }
                    Err(e) => {
                        this.log(
                            MessageType::ERROR,
                            format!("reading recent issues failed: {e}"),
                        )
                        .await
                    }
                }
                if !again {
                    break;
                }
            }
            let d = dirs.clone();
            let st = this.state.clone();
            if let Ok(uris) = tokio::task::spawn_blocking(move || st.documents_in(&d)).await {
                for uri in uris {
                    this.schedule_lint(uri, Duration::ZERO);
                }
            }
        });
    }

    /// Replaces the editor's settings and re-lints everything.
    async fn set_client_settings(&self, value: &Value) {
        match ClientSettings::from_value(value) {
            Ok(Some(s)) => {
                {
                    let mut current = lock(&self.state.client_settings);
                    if *current == s {
                        return;
                    }
                    *current = s;
                }
                // Settings change the index's link sections too.
                lock(&self.state.indexes).retain(|_, slot| slot.building);
                self.lint_all();
            }
            Ok(None) => {}
            Err(e) => {
                self.client.show_message(MessageType::WARNING, &e).await;
                self.log(MessageType::WARNING, &e).await;
            }
        }
    }

    async fn pull_configuration(&self) {
        if !self.state.caps().pull_configuration {
            return;
        }
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("twirl".to_string()),
        }];
        match self.client.configuration(items).await {
            Ok(values) => {
                if let Some(v) = values.into_iter().next()
                    && !v.is_null()
                {
                    let wrapped = serde_json::json!({ "twirl": v });
                    self.set_client_settings(&wrapped).await;
                }
            }
            Err(e) => {
                self.log(
                    MessageType::WARNING,
                    format!("workspace/configuration failed: {}", e.message),
                )
                .await
            }
        }
    }

    /// A workspace edit for one document at `version`.
    fn workspace_edit(&self, uri: &Url, version: i32, edits: Vec<TextEdit>) -> WorkspaceEdit {
        if self.state.caps().document_changes {
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: Some(version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }
        }
    }

    /// Every Safe fix of a document, as client edits on its current
    /// version.
    async fn fix_all_edits(&self, uri: &Url) -> Result<(i32, Vec<TextEdit>)> {
        let p = self.prepared(uri).await?;
        let enc = self.enc();
        blocking("fix all", move || {
            let path = p.snap.path_str();
            let edits = analysis::fix_all_edits(
                &p.snap.text,
                &p.settings,
                path.as_deref(),
                p.index.as_deref(),
            )
            .map_err(|e| failed(e.to_string()))?;
            Ok((p.snap.version, to_text_edits(&p.snap, &edits, enc)))
        })
        .await
    }
}

/// A command's document argument: its URI, or `{"uri": ...}`.
fn uri_arg(a: &Value) -> Option<Url> {
    match a {
        Value::String(s) => Url::parse(s).ok(),
        Value::Object(m) => m
            .get("uri")
            .and_then(Value::as_str)
            .and_then(|s| Url::parse(s).ok()),
        _ => None,
    }
}

fn to_text_edits(snap: &Snapshot, edits: &[twirl_core::Edit], enc: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| convert::text_edit(&snap.text, &snap.line_index, e, enc))
        .collect()
}

/// Whether a client asking for `only` kinds wants actions of `kind`.
fn wants(only: Option<&Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            k.is_empty()
                || kind.as_str() == k
                || kind
                    .as_str()
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

fn unsafe_title(fix: &FixData) -> String {
    match fix.applicability() {
        twirl_core::Applicability::Unsafe => format!("{} (unsafe)", fix.title),
        _ => fix.title.clone(),
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = ClientCaps::from(&params.capabilities);
        let enc = caps.encoding.unwrap_or(Encoding::Utf16);
        let _ = self.state.caps.set(caps);
        if let Some(opts) = &params.initialization_options {
            match ClientSettings::from_value(opts) {
                Ok(Some(s)) => *lock(&self.state.client_settings) = s,
                Ok(None) => {}
                Err(e) => self.log(MessageType::WARNING, e).await,
            }
        }
        let sync = TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: Some(true),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
        };
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(enc)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(sync)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, fix_all_kind()]),
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                        resolve_provider: Some(false),
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![
                        FIX_ALL_COMMAND.to_string(),
                        MERGE_EVENTS_COMMAND.to_string(),
                    ],
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "twirl".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.log(
            MessageType::INFO,
            format!(
                "twirl {} ready ({:?} positions)",
                env!("CARGO_PKG_VERSION"),
                self.enc()
            ),
        )
        .await;
        if self.state.caps().watch_dynamic {
            let watchers = [
                "**/twirl.toml",
                "**/*-this-week-in-rust.md",
                "**/*-this-week-in-rust.markdown",
            ]
            .into_iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect();
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "twirl-watched-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.log(
                    MessageType::WARNING,
                    format!("could not watch files: {}", e.message),
                )
                .await;
            }
        }
        self.pull_configuration().await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let td = params.text_document;
        let doc = Document::new(&td.uri, td.text, td.version);
        lock(&self.state.documents).insert(td.uri.clone(), doc);
        self.schedule_lint(td.uri, Duration::ZERO);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let enc = self.enc();
        let problem = {
            let mut docs = lock(&self.state.documents);
            match docs.get_mut(&uri) {
                None => Some(format!("change to unknown document {uri} ignored")),
                Some(doc) => {
                    let stale = version <= doc.version;
                    let r = catch_unwind(AssertUnwindSafe(|| {
                        doc.apply_changes(params.content_changes, version, enc)
                    }));
                    match (r, stale) {
                        (Err(p), _) => {
                            Some(format!("change to {uri} failed: {}", panic_message(&*p)))
                        }
                        (Ok(()), true) => Some(format!(
                            "change to {uri} has version {version}, not newer than the last"
                        )),
                        (Ok(()), false) => None,
                    }
                }
            }
        };
        if let Some(p) = problem {
            self.log(MessageType::WARNING, p).await;
        }
        self.schedule_lint(uri, self.options.debounce);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.schedule_lint(params.text_document.uri, Duration::ZERO);
    }

    async fn will_save_wait_until(
        &self,
        params: WillSaveTextDocumentParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        if !lock(&self.state.client_settings).fix_all_on_save {
            return Ok(None);
        }
        let (_, edits) = self.fix_all_edits(&params.text_document.uri).await?;
        Ok((!edits.is_empty()).then_some(edits))
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        lock(&self.state.documents).remove(&uri);
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if params.settings.is_null() {
            self.pull_configuration().await;
        } else {
            self.set_client_settings(&params.settings).await;
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut relint = false;
        let mut rebuild = Vec::new();
        for change in params.changes {
            let Ok(path) = change.uri.to_file_path() else {
                continue;
            };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if name.as_deref() == Some(twirl_workspace::CONFIG_FILE) {
                lock(&self.state.configs).clear();
                lock(&self.state.reported).clear();
                relint = true;
            } else if twirl_workspace::is_issue_file(&path) {
                rebuild.extend(self.state.invalidate_index(&path));
            }
        }
        rebuild.sort();
        rebuild.dedup();
        for dirs in rebuild {
            // The settings of any document of that folder give the link
            // sections; the defaults do when none is open.
            let st = self.state.clone();
            let d = dirs.clone();
            let settings = tokio::task::spawn_blocking(move || {
                let uri = st.documents_in(&d).into_iter().next();
                let path = uri.and_then(|u| u.to_file_path().ok());
                st.settings_for(path.as_deref()).settings
            })
            .await
            .unwrap_or_default();
            self.spawn_index_build(dirs, Arc::new(settings));
        }
        if relint {
            self.log(MessageType::INFO, "twirl.toml changed: settings reloaded")
                .await;
            self.lint_all();
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let (version, text, line_index) = {
            let docs = lock(&self.state.documents);
            let d = docs.get(&uri).ok_or_else(|| unknown_document(&uri))?;
            (d.version, d.text.clone(), d.line_index.clone())
        };
        let enc = self.enc();
        convert::text_range(&text, &line_index, params.range, enc)
            .ok_or_else(|| outside(params.range.end))?;
        let only = params.context.only.as_ref();
        let caps = self.state.caps();
        let mut actions: Vec<CodeActionOrCommand> = Vec::new();
        if wants(only, &CodeActionKind::QUICKFIX) {
            for diag in &params.context.diagnostics {
                if diag.source.as_deref() != Some(convert::SOURCE) {
                    continue;
                }
                let Some(fix) = diag
                    .data
                    .clone()
                    .and_then(|v| serde_json::from_value::<FixData>(v).ok())
                else {
                    continue;
                };
                if fix.version != version {
                    // Diagnostics of an older text: fresh ones are on the way.
                    continue;
                }
                match fix.applicability() {
                    twirl_core::Applicability::DisplayOnly => {
                        // Never applied by twirl: shown, greyed out, for
                        // the user to do by hand.
                        if caps.disabled_code_actions {
                            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                                title: format!("{} (suggestion, edit by hand)", fix.title),
                                kind: Some(CodeActionKind::QUICKFIX),
                                diagnostics: Some(vec![diag.clone()]),
                                disabled: Some(CodeActionDisabled {
                                    reason:
                                        "twirl is not sure of this fix: make the change by hand"
                                            .to_string(),
                                }),
                                ..CodeAction::default()
                            }));
                        }
                    }
                    a => {
                        let title = unsafe_title(&fix);
                        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                            title,
                            kind: Some(CodeActionKind::QUICKFIX),
                            diagnostics: Some(vec![diag.clone()]),
                            edit: Some(self.workspace_edit(&uri, version, fix.edits)),
                            is_preferred: Some(a == twirl_core::Applicability::Safe),
                            ..CodeAction::default()
                        }));
                    }
                }
            }
        }
        if wants(only, &fix_all_kind()) {
            let (version, edits) = self.fix_all_edits(&uri).await?;
            if !edits.is_empty() || only.is_some() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all safely fixable twirl problems".to_string(),
                    kind: Some(fix_all_kind()),
                    edit: Some(self.workspace_edit(&uri, version, edits)),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command == MERGE_EVENTS_COMMAND {
            return self.merge_events(&params.arguments).await;
        }
        if params.command != FIX_ALL_COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            )));
        }
        let uri = params
            .arguments
            .first()
            .and_then(uri_arg)
            .ok_or_else(|| Error::invalid_params("twirl.fixAll takes [uri]"))?;
        let (version, edits) = self.fix_all_edits(&uri).await?;
        if edits.is_empty() {
            return Ok(None);
        }
        let edit = self.workspace_edit(&uri, version, edits);
        match self.client.apply_edit(edit).await {
            Ok(r) if r.applied => Ok(None),
            Ok(r) => {
                let why = r.failure_reason.unwrap_or_default();
                self.log(
                    MessageType::WARNING,
                    format!("fix all was not applied {why}"),
                )
                .await;
                Ok(None)
            }
            Err(e) => Err(failed(format!("applying the fixes failed: {}", e.message))),
        }
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let p = self.prepared(&params.text_document.uri).await?;
        let enc = self.enc();
        blocking("formatting", move || {
            let path = p.snap.path_str();
            let edits = analysis::format_edits(
                &p.snap.text,
                &p.settings,
                path.as_deref(),
                p.index.as_deref(),
            )
            .map_err(|e| failed(e.to_string()))?;
            Ok(Some(to_text_edits(&p.snap, &edits, enc)))
        })
        .await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let p = self.prepared(&params.text_document.uri).await?;
        let enc = self.enc();
        let range = convert::text_range(&p.snap.text, &p.snap.line_index, params.range, enc)
            .ok_or_else(|| outside(params.range.end))?;
        blocking("range formatting", move || {
            let path = p.snap.path_str();
            let edits = analysis::format_range_edits(
                &p.snap.text,
                &p.settings,
                path.as_deref(),
                p.index.as_deref(),
                range,
            );
            Ok(Some(to_text_edits(&p.snap, &edits, enc)))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let snap = self
            .state
            .snapshot(&uri)
            .ok_or_else(|| unknown_document(&uri))?;
        let enc = self.enc();
        let hierarchical = self.state.caps().hierarchical_symbols;
        blocking("document symbols", move || {
            let issue = twirl_core::parse(&snap.text);
            let symbols = symbols::document_symbols(&snap.text, &issue, enc);
            Ok(Some(if hierarchical {
                DocumentSymbolResponse::Nested(symbols)
            } else {
                DocumentSymbolResponse::Flat(symbols::flat_symbols(symbols, &snap.uri))
            }))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let pos = params.text_document_position_params.position;
        let (snap, last) = {
            let docs = lock(&self.state.documents);
            let d = docs.get(&uri).ok_or_else(|| unknown_document(&uri))?;
            (d.snapshot(&uri), d.last.clone())
        };
        let enc = self.enc();
        let offset =
            convert::offset(&snap.text, &snap.line_index, pos, enc).ok_or_else(|| outside(pos))?;
        let Prepared {
            settings, index, ..
        } = self.prepared(&uri).await?;
        guarded("hover", || {
            let last = last.filter(|l| l.version == snap.version);
            let diags = last.as_ref().map_or(&[][..], |l| &l.diagnostics[..]);
            let issue = twirl_core::parse(&snap.text);
            let path = snap.path_str();
            let Some(h) = hover::hover(
                &snap.text,
                &issue,
                offset,
                &settings,
                path.as_deref(),
                index.as_deref(),
                diags,
            ) else {
                return Ok(None);
            };
            let idx: &LineIndex = &snap.line_index;
            Ok(Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.markdown,
                }),
                range: Some(convert::range(&snap.text, idx, h.range, enc)),
            }))
        })
    }
}
