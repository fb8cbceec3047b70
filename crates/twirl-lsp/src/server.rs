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
use twirl_core::fix::fix_all;
use twirl_core::format::format_range;
use twirl_core::{Applicability, Encoding, Settings};

use crate::analysis;
use crate::convert::{self, FixData};
use crate::hover;
use crate::state::{ClientCaps, ClientSettings, Document, LintOutput, Prepared, State, lock};
use crate::symbols;

/// The command an editor runs to apply every Safe fix: `[uri]`.
pub const FIX_ALL_COMMAND: &str = "twirl.fixAll";

mod merge_events;
pub use merge_events::MERGE_EVENTS_COMMAND;

/// The code action kind of fix-all.
pub const FIX_ALL_KIND: CodeActionKind = CodeActionKind::new("source.fixAll.twirl");

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
#[derive(Clone, Debug)]
pub struct Backend {
    client: Client,
    state: Arc<State>,
    options: Options,
}

fn outside(pos: Position) -> Error {
    Error::invalid_params(format!(
        "position {}:{} is outside the document",
        pos.line, pos.character
    ))
}

fn failed(why: impl std::fmt::Display) -> Error {
    Error {
        code: ErrorCode::ServerError(-32803), // RequestFailed (LSP 3.17)
        message: why.to_string().into(),
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
    let why = match tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(f))).await {
        Ok(Ok(r)) => return r,
        Ok(Err(p)) => panic_message(&*p),
        Err(e) => e.to_string(),
    };
    Err(Error {
        code: ErrorCode::InternalError,
        message: format!("twirl failed in {what}: {why}").into(),
        data: None,
    })
}

/// Lints a document as `twirl check` does, and converts what is published.
fn lint(p: &Prepared, uri: &Url, enc: Encoding) -> LintOutput {
    let lines = p.doc.lines(enc);
    let issue = twirl_core::parse(lines.text);
    let mut diagnostics = twirl_core::check(&p.context(&issue));
    let mut published: Vec<_> = diagnostics
        .iter()
        .take(MAX_PUBLISHED)
        .map(|d| lines.diagnostic(uri, p.doc.version, d))
        .collect();
    if let Some(first_unshown) = diagnostics.get(MAX_PUBLISHED) {
        published.push(lines.more_not_shown(first_unshown.range.start, diagnostics.len()));
    }
    // Hover reads only the diagnostics shown.
    diagnostics.truncate(MAX_PUBLISHED);
    LintOutput {
        version: p.doc.version,
        diagnostics,
        published,
    }
}

/// The edits turning a document's text into `new`, in client positions.
fn edits_to(doc: &Document, new: &str, enc: Encoding) -> Vec<TextEdit> {
    let lines = doc.lines(enc);
    let edits = analysis::diff_edits(lines.text, new);
    edits.iter().map(|e| lines.text_edit(e)).collect()
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
        self.state.caps().encoding
    }

    /// What the server holds for an open document (its text, line index
    /// and last lint, with the lint's findings, fixes and published
    /// diagnostics), as weak references: tests see that closing the
    /// document frees them. Not an API.
    #[doc(hidden)]
    pub fn held_for(&self, uri: &Url) -> Vec<Weak<dyn Any + Send + Sync>> {
        let Some(d) = self.state.document(uri) else {
            return Vec::new();
        };
        let mut held = vec![
            Arc::downgrade(&d.text) as Weak<dyn Any + Send + Sync>,
            Arc::downgrade(&d.line_index) as _,
        ];
        held.extend(d.last.as_ref().map(|l| Arc::downgrade(l) as _));
        held
    }

    async fn log(&self, typ: MessageType, message: impl std::fmt::Display) {
        self.client.log_message(typ, message).await;
    }

    /// A copy of an open document; a request about another is refused.
    fn document(&self, uri: &Url) -> Result<Document> {
        self.state
            .document(uri)
            .ok_or_else(|| Error::invalid_params(format!("unknown document {uri}")))
    }

    async fn prepared(&self, uri: &Url) -> Result<Prepared> {
        let doc = self.document(uri)?;
        let state = self.state.clone();
        let p = blocking("settings", move || Ok(state.prepare(doc))).await?;
        self.after_prepare(&p).await;
        Ok(p)
    }

    /// Tells the user once about a bad config and starts a missing index
    /// build.
    async fn after_prepare(&self, p: &Prepared) {
        if let Some(w) = &p.warning
            && self.state.first_report(w)
        {
            self.client.show_message(MessageType::WARNING, w).await;
            self.log(MessageType::WARNING, w).await;
        }
        if let Some(dirs) = &p.build {
            self.spawn_index_build(dirs.clone(), Arc::new(p.settings.clone()));
        }
    }

    /// Lints a document after `delay` and publishes, unless a newer lint
    /// of it was requested meanwhile.
    fn schedule_lint(&self, uri: Url, delay: Duration) {
        let seq = self.state.next_seq();
        match lock(&self.state.documents).get_mut(&uri) {
            Some(d) => d.lint_seq = seq,
            None => return,
        }
        let this = self.clone();
        tokio::spawn(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            this.lint_now(uri, seq).await;
        });
    }

    async fn lint_now(&self, uri: Url, seq: u64) {
        let Some(doc) = self.state.document(&uri).filter(|d| d.lint_seq == seq) else {
            return;
        };
        let (state, enc, u) = (self.state.clone(), self.enc(), uri.clone());
        let result = blocking("lint", move || {
            let p = state.prepare(doc);
            let out = lint(&p, &u, enc);
            Ok((p, out))
        })
        .await;
        let (p, out) = match result {
            Ok(r) => r,
            Err(e) => {
                self.log(MessageType::ERROR, &e.message).await;
                return;
            }
        };
        self.after_prepare(&p).await;
        let out = Arc::new(out);
        let publish = match lock(&self.state.documents).get_mut(&uri) {
            Some(d) if d.lint_seq == seq && d.version == out.version => {
                d.last = Some(out.clone());
                true
            }
            _ => false,
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
                let (d, s) = (dirs.clone(), settings.clone());
                let built =
                    tokio::task::spawn_blocking(move || twirl_workspace::build_link_index(&d, &s))
                        .await;
                let (typ, message) = match &built {
                    Ok(index) => (
                        MessageType::INFO,
                        format!(
                            "read {} recent issue(s) for repeated links in {}",
                            index.len(),
                            dirs.first()
                                .map_or(String::new(), |d| d.display().to_string())
                        ),
                    ),
                    Err(e) => (
                        MessageType::ERROR,
                        format!("reading recent issues failed: {e}"),
                    ),
                };
                let again = {
                    let mut slots = lock(&this.state.indexes);
                    let slot = slots.entry(dirs.clone()).or_default();
                    if let Ok(index) = built {
                        slot.index = Some(Arc::new(index));
                    }
                    slot.building = std::mem::take(&mut slot.dirty);
                    slot.building
                };
                this.log(typ, message).await;
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

    /// A document's text rewritten by `f` on a blocking thread, as client
    /// edits on the version it was rewritten from.
    async fn rewrite(
        &self,
        uri: &Url,
        what: &'static str,
        f: impl FnOnce(&Prepared) -> Result<String> + Send + 'static,
    ) -> Result<(i32, Vec<TextEdit>)> {
        let p = self.prepared(uri).await?;
        let enc = self.enc();
        blocking(what, move || {
            let new = f(&p)?;
            Ok((p.doc.version, edits_to(&p.doc, &new, enc)))
        })
        .await
    }

    /// Every Safe fix of a document, applied to a fixpoint (what `twirl
    /// check --fix` does), as client edits on its current version.
    async fn fix_all_edits(&self, uri: &Url) -> Result<(i32, Vec<TextEdit>)> {
        self.rewrite(uri, "fix all", |p| {
            let (path, index) = (p.path.as_deref(), p.index.as_deref());
            let out = fix_all(&p.doc.text, &p.settings, path, index, Applicability::Safe);
            out.map(|out| out.text).map_err(failed)
        })
        .await
    }
}

/// A command's document argument: its URI, or `{"uri": ...}`.
fn uri_arg(a: &Value) -> Option<Url> {
    let s = a.as_str().or_else(|| a.get("uri")?.as_str())?;
    Url::parse(s).ok()
}

/// Whether a client asking for `only` kinds wants actions of `kind`.
fn wants(only: Option<&Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    let kind = kind.as_str();
    only.is_none_or(|kinds| {
        kinds.iter().map(CodeActionKind::as_str).any(|k| {
            k.is_empty() || kind == k || kind.strip_prefix(k).is_some_and(|r| r.starts_with('.'))
        })
    })
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = ClientCaps::from(&params.capabilities);
        let enc = caps.encoding;
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
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, FIX_ALL_KIND]),
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
        let problem = match lock(&self.state.documents).get_mut(&uri) {
            None => Some(format!("change to unknown document {uri} ignored")),
            Some(doc) => {
                let stale = version <= doc.version;
                let changes = params.content_changes;
                match catch_unwind(AssertUnwindSafe(|| {
                    doc.apply_changes(changes, version, enc)
                })) {
                    Err(p) => Some(format!("change to {uri} failed: {}", panic_message(&*p))),
                    Ok(()) if stale => Some(format!(
                        "change to {uri} has version {version}, not newer than the last"
                    )),
                    Ok(()) => None,
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
            if path.ends_with(twirl_workspace::CONFIG_FILE) {
                lock(&self.state.configs).clear();
                lock(&self.state.reported).clear();
                relint = true;
            } else if twirl_workspace::is_issue_file(&path) {
                rebuild.extend(self.state.invalidate_index(&path));
            }
        }
        for dirs in rebuild {
            // The settings of any document of that folder give the link
            // sections; the defaults do when none is open.
            let st = self.state.clone();
            let d = dirs.clone();
            let settings = tokio::task::spawn_blocking(move || {
                let uri = st.documents_in(&d).into_iter().next();
                let path = uri.and_then(|u| u.to_file_path().ok());
                st.settings_for(path.as_deref()).0
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
        let doc = self.document(&uri)?;
        let version = doc.version;
        let range = doc.lines(self.enc()).text_range(params.range);
        range.ok_or_else(|| outside(params.range.end))?;
        let only = params.context.only.as_ref();
        let caps = self.state.caps();
        let mut actions: Vec<CodeActionOrCommand> = Vec::new();
        let quick_fixes = wants(only, &CodeActionKind::QUICKFIX);
        let fixes = params.context.diagnostics.iter().filter_map(|d| {
            let fix = serde_json::from_value::<FixData>(d.data.clone()?).ok()?;
            // Diagnostics of an older text: fresh ones are on the way.
            (quick_fixes && d.source.as_deref() == Some(convert::SOURCE) && fix.version == version)
                .then_some((d, fix))
        });
        for (diag, fix) in fixes {
            let action = match fix.applicability() {
                // Never applied by twirl: shown, greyed out, for the user
                // to do by hand.
                Applicability::DisplayOnly if !caps.disabled_code_actions => continue,
                Applicability::DisplayOnly => CodeAction {
                    title: format!("{} (suggestion, edit by hand)", fix.title),
                    disabled: Some(CodeActionDisabled {
                        reason: "twirl is not sure of this fix: make the change by hand"
                            .to_string(),
                    }),
                    ..CodeAction::default()
                },
                a => CodeAction {
                    title: match a {
                        Applicability::Unsafe => format!("{} (unsafe)", fix.title),
                        _ => fix.title,
                    },
                    edit: Some(self.workspace_edit(&uri, version, fix.edits)),
                    is_preferred: Some(a == Applicability::Safe),
                    ..CodeAction::default()
                },
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                ..action
            }));
        }
        if wants(only, &FIX_ALL_KIND) {
            let (version, edits) = self.fix_all_edits(&uri).await?;
            if !edits.is_empty() || only.is_some() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Fix all safely fixable twirl problems".to_string(),
                    kind: Some(FIX_ALL_KIND),
                    edit: Some(self.workspace_edit(&uri, version, edits)),
                    ..CodeAction::default()
                }));
            }
        }
        Ok(Some(actions))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let args = &params.arguments;
        let uri = match params.command.as_str() {
            MERGE_EVENTS_COMMAND => return self.merge_events(args).await,
            FIX_ALL_COMMAND => args.first().and_then(uri_arg),
            other => return Err(Error::invalid_params(format!("unknown command {other}"))),
        };
        let uri = uri.ok_or_else(|| Error::invalid_params("twirl.fixAll takes [uri]"))?;
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
        let uri = params.text_document.uri;
        let (_, edits) = self
            .rewrite(&uri, "formatting", |p| {
                let (path, index) = (p.path.as_deref(), p.index.as_deref());
                let out = twirl_core::format::format(&p.doc.text, &p.settings, path, index, false);
                out.map(|out| out.text).map_err(failed)
            })
            .await?;
        Ok(Some(edits))
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let (uri, range, enc) = (params.text_document.uri, params.range, self.enc());
        let (_, edits) = self
            .rewrite(&uri, "range formatting", move |p| {
                let (path, index) = (p.path.as_deref(), p.index.as_deref());
                let lines = p.doc.lines(enc);
                let range = lines.text_range(range).ok_or_else(|| outside(range.end))?;
                Ok(format_range(lines.text, &p.settings, path, index, range))
            })
            .await?;
        Ok(Some(edits))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let doc = self.document(&uri)?;
        let enc = self.enc();
        let hierarchical = self.state.caps().hierarchical_symbols;
        blocking("document symbols", move || {
            let issue = twirl_core::parse(&doc.text);
            let symbols = symbols::document_symbols(&doc.text, &issue, enc);
            Ok(Some(if hierarchical {
                DocumentSymbolResponse::Nested(symbols)
            } else {
                DocumentSymbolResponse::Flat(symbols::flat_symbols(symbols, &uri))
            }))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let TextDocumentPositionParams {
            text_document,
            position,
        } = params.text_document_position_params;
        let p = self.prepared(&text_document.uri).await?;
        let enc = self.enc();
        blocking("hover", move || {
            let lines = p.doc.lines(enc);
            let offset = lines.offset(position).ok_or_else(|| outside(position))?;
            let last = p.doc.last.as_ref().filter(|l| l.version == p.doc.version);
            let diags = last.map_or(&[][..], |l| &l.diagnostics[..]);
            let issue = twirl_core::parse(lines.text);
            Ok(
                hover::hover(&p.context(&issue), offset, diags).map(|h| Hover {
                    contents: HoverContents::Markup(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: h.markdown,
                    }),
                    range: Some(lines.range(h.range)),
                }),
            )
        })
        .await
    }
}
