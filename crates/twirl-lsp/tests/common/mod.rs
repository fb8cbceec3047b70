//! An in-process LSP client: drives the server's `LspService` directly and
//! answers its requests (applyEdit, registerCapability, configuration).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp::LspService;
use tower_lsp::jsonrpc::{self, Request, Response};
use tower_lsp::lsp_types::notification::{self as n, Notification};
use tower_lsp::lsp_types::request::{self as r, Request as LspRequest};
use tower_lsp::lsp_types::*;
use twirl_core::{Encoding, LineCol, LineIndex};
use twirl_lsp::{Backend, Options};

pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A small issue of our own: a stale event (2024-10-30 in a window from
/// 2024-11-06), a crab and an umlaut before diagnostics, a tracking
/// parameter, a link without a scheme, and the same link twice.
pub const ISSUE: &str = "\
Title: This Week in Rust 572
Number: 572
Date: 2024-11-06
Category: This Week in Rust

## Updates from Rust Community

### Official

* [Announcing a thing](https://blog.rust-lang.org/2024/11/01/thing.html)
* [Crab news](www.example.com/crab-news)

### Observations/Thoughts

* [A post from 🦀 Nürnberg](https://example.com/a-post?utm_source=twir)
* [The same post](https://example.com/a-post/)

## Upcoming Events

Rusty Events between 2024-11-06 - 2024-12-04 🦀

### Virtual
* 2024-10-30 | Virtual (Berlin, DE) | [Rust Berlin](https://example.com/berlin)
    * [**Stale Meetup**](https://example.com/berlin/1)
* 2024-11-12 | Virtual (Nürnberg, DE) | [Rust Nürnberg](https://example.com/nbg)
    * [**Rust Nürnberg online**](https://example.com/nbg/2)

### Europe
* 2024-11-20 | Zürich, CH | [Rust Zürich](https://example.com/zh)
    * [**Rust Zürich meetup**](https://example.com/zh/3)
";

pub struct TestClient {
    service: LspService<Backend>,
    notifications: mpsc::UnboundedReceiver<(String, Value)>,
    /// Requests the server sent us, with their params.
    pub server_requests: Arc<Mutex<Vec<(String, Value)>>>,
    next_id: i64,
    pub utf8: bool,
}

pub fn uri(name: &str) -> Url {
    Url::parse(&format!("file:///tmp/twirl-lsp-tests/{name}")).unwrap()
}

impl TestClient {
    pub fn new() -> TestClient {
        TestClient::with_options(Options {
            debounce: Duration::from_millis(20),
        })
    }

    pub fn with_options(options: Options) -> TestClient {
        let (service, socket) = twirl_lsp::new_service(options);
        let (tx, rx) = mpsc::unbounded_channel();
        let server_requests = Arc::new(Mutex::new(Vec::new()));
        let seen = server_requests.clone();
        tokio::spawn(async move {
            let (mut stream, mut sink) = socket.split();
            while let Some(req) = stream.next().await {
                let (method, id, params) = req.into_parts();
                let params = params.unwrap_or(Value::Null);
                match id {
                    Some(id) => {
                        seen.lock().unwrap().push((method.to_string(), params));
                        let result = match &*method {
                            "workspace/applyEdit" => json!({ "applied": true }),
                            "workspace/configuration" => json!([null]),
                            _ => Value::Null,
                        };
                        if sink.send(Response::from_ok(id, result)).await.is_err() {
                            break;
                        }
                    }
                    None => {
                        let _ = tx.send((method.to_string(), params));
                    }
                }
            }
        });
        TestClient {
            service,
            notifications: rx,
            server_requests,
            next_id: 0,
            utf8: false,
        }
    }

    pub fn backend(&self) -> &Backend {
        self.service.inner()
    }

    pub fn encoding(&self) -> Encoding {
        if self.utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    async fn send(&mut self, req: Request) -> Option<Response> {
        let svc = self.service.ready().await.expect("service ready");
        tokio::time::timeout(TIMEOUT, svc.call(req))
            .await
            .expect("server answered in time")
            .expect("service call")
    }

    /// A raw request; the result or the error.
    pub async fn raw_request(&mut self, method: &str, params: Value) -> jsonrpc::Result<Value> {
        self.next_id += 1;
        let req = Request::build(method.to_string())
            .id(self.next_id)
            .params(params)
            .finish();
        let resp = self.send(req).await.expect("a response");
        resp.into_parts().1
    }

    pub async fn request<R: LspRequest>(
        &mut self,
        params: R::Params,
    ) -> jsonrpc::Result<R::Result> {
        let v = self
            .raw_request(R::METHOD, serde_json::to_value(params).unwrap())
            .await?;
        Ok(serde_json::from_value(v).expect("result of the right shape"))
    }

    pub async fn notify<N: Notification>(&mut self, params: N::Params) {
        let req = Request::build(N::METHOD)
            .params(serde_json::to_value(params).unwrap())
            .finish();
        assert!(self.send(req).await.is_none());
    }

    /// Initializes, offering UTF-8 or not.
    pub async fn initialize_with(&mut self, utf8: bool, extra: Value) -> InitializeResult {
        let mut caps = json!({
            "workspace": {
                "workspaceEdit": { "documentChanges": true },
                "didChangeWatchedFiles": { "dynamicRegistration": true },
                "configuration": false
            },
            "textDocument": {
                "documentSymbol": { "hierarchicalDocumentSymbolSupport": true },
                "codeAction": { "disabledSupport": true }
            }
        });
        if utf8 {
            caps["general"] = json!({ "positionEncodings": ["utf-8", "utf-16"] });
        } else {
            caps["general"] = json!({ "positionEncodings": ["utf-16"] });
        }
        let mut params = json!({ "processId": null, "rootUri": null, "capabilities": caps });
        if let Value::Object(m) = extra {
            for (k, v) in m {
                params[k] = v;
            }
        }
        let v = self.raw_request("initialize", params).await.unwrap();
        self.notify::<n::Initialized>(InitializedParams {}).await;
        self.utf8 = utf8;
        serde_json::from_value(v).unwrap()
    }

    pub async fn initialize(&mut self, utf8: bool) -> InitializeResult {
        self.initialize_with(utf8, json!({})).await
    }

    pub async fn open(&mut self, uri: &Url, text: &str, version: i32) {
        self.notify::<n::DidOpenTextDocument>(DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(
                uri.clone(),
                "markdown".into(),
                version,
                text.into(),
            ),
        })
        .await;
    }

    pub async fn change(&mut self, uri: &Url, version: i32, range: Option<Range>, text: &str) {
        self.notify::<n::DidChangeTextDocument>(DidChangeTextDocumentParams {
            text_document: VersionedTextDocumentIdentifier::new(uri.clone(), version),
            content_changes: vec![TextDocumentContentChangeEvent {
                range,
                range_length: None,
                text: text.into(),
            }],
        })
        .await;
    }

    /// The next notification of `method`, skipping others.
    pub async fn next_notification(&mut self, method: &str) -> Value {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let got = tokio::time::timeout_at(deadline, self.notifications.recv())
                .await
                .unwrap_or_else(|_| panic!("no {method} notification in time"))
                .expect("server alive");
            if got.0 == method {
                return got.1;
            }
        }
    }

    /// The next diagnostics published for `uri` (at `version` if given;
    /// earlier versions are skipped).
    pub async fn diagnostics(
        &mut self,
        uri: &Url,
        version: Option<i32>,
    ) -> PublishDiagnosticsParams {
        loop {
            let v = self.next_notification(n::PublishDiagnostics::METHOD).await;
            let p: PublishDiagnosticsParams = serde_json::from_value(v).unwrap();
            if &p.uri != uri {
                continue;
            }
            if version.is_some() && p.version != version {
                assert!(
                    p.version < version,
                    "published {:?} while waiting for {version:?}",
                    p.version
                );
                continue;
            }
            return p;
        }
    }

    /// Diagnostics for `uri` published until one set satisfies `ok`
    /// (background work such as reading recent issues re-publishes).
    pub async fn diagnostics_until(
        &mut self,
        uri: &Url,
        ok: impl Fn(&PublishDiagnosticsParams) -> bool,
    ) -> PublishDiagnosticsParams {
        loop {
            let d = self.diagnostics(uri, None).await;
            if ok(&d) {
                return d;
            }
        }
    }

    /// Any notification received within `wait`, without blocking longer.
    pub async fn drain(&mut self, wait: Duration) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        while let Ok(Some(n)) = tokio::time::timeout_at(deadline, self.notifications.recv()).await {
            out.push(n);
        }
        out
    }

    pub async fn shutdown(&mut self) {
        let _: () = self.request::<r::Shutdown>(()).await.unwrap();
    }
}

/// Position of byte `offset` of `text` in an encoding (test-side oracle).
pub fn pos(text: &str, offset: usize, enc: Encoding) -> Position {
    let idx = LineIndex::new(text);
    let lc = idx.line_col(text, offset, enc);
    Position::new(lc.line, lc.col)
}

pub fn offset_of(text: &str, p: Position, enc: Encoding) -> usize {
    let idx = LineIndex::new(text);
    idx.offset(
        text,
        LineCol {
            line: p.line,
            col: p.character,
        },
        enc,
    )
    .expect("position in text")
}

/// Applies LSP edits (non-overlapping) to a text.
pub fn apply(text: &str, edits: &[TextEdit], enc: Encoding) -> String {
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset_of(text, e.range.start, enc),
                offset_of(text, e.range.end, enc),
                e.new_text.as_str(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut at = 0;
    for (s, e, t) in spans {
        assert!(s >= at, "overlapping edits");
        out.push_str(&text[at..s]);
        out.push_str(t);
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// The text edits of a workspace edit for one document.
pub fn edits_of(edit: &WorkspaceEdit, uri: &Url) -> Vec<TextEdit> {
    if let Some(DocumentChanges::Edits(docs)) = &edit.document_changes {
        return docs
            .iter()
            .filter(|d| &d.text_document.uri == uri)
            .flat_map(|d| {
                d.edits.iter().map(|e| match e {
                    OneOf::Left(e) => e.clone(),
                    OneOf::Right(a) => a.text_edit.clone(),
                })
            })
            .collect();
    }
    edit.changes
        .as_ref()
        .and_then(|c| c.get(uri).cloned())
        .unwrap_or_default()
}

pub fn code_of(d: &Diagnostic) -> String {
    match &d.code {
        Some(NumberOrString::String(s)) => s.clone(),
        Some(NumberOrString::Number(n)) => n.to_string(),
        None => String::new(),
    }
}

/// The corpus: `$TWIRL_CORPUS` or `<repo>/../shared/corpus`.
pub fn corpus() -> Option<std::path::PathBuf> {
    let p = std::env::var_os("TWIRL_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    p.is_dir().then_some(p)
}
