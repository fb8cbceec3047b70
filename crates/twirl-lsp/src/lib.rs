//! twirl's language server.
//!
//! The server converts between LSP and twirl-core and delegates: documents
//! live in memory with their versions, every change re-lints the whole
//! document (an issue is at most ~60 KB), and a diagnostic's `data` carries
//! its fix so that a code action needs no re-lint. [`convert`] is the only
//! module that maps byte spans to LSP positions. stdout is the protocol:
//! logs go to the client (`window/logMessage`) or stderr.
#![deny(clippy::print_stdout)]

mod analysis;
pub mod convert;
mod framing;
mod hover;
mod server;
mod state;
mod symbols;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use tokio::sync::Notify;
use tower_lsp::jsonrpc::{self, Id, Request, Response};

pub use server::{Backend, FIX_ALL_COMMAND, Options, fix_all_kind};
/// For the fuzz target on `didChange` application (`fuzz/`); not an API.
#[doc(hidden)]
pub use state::Document;
pub use tower_lsp::{ClientSocket, LspService};

/// A server and the socket its client side talks through, for running it
/// in-process (tests, benchmarks) or over any transport.
pub fn new_service(options: Options) -> (LspService<Backend>, ClientSocket) {
    LspService::new(move |client| Backend::new(client, options))
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The client sent `exit`, after `shutdown` or not.
    Exit { after_shutdown: bool },
    /// The input ended (the client went away).
    InputClosed,
}

impl SessionEnd {
    /// The process status LSP asks for: 1 for `exit` without `shutdown`,
    /// else 0. A client that closes the pipe has nothing left to wait for,
    /// so that is a clean end too.
    pub fn exit_code(self) -> u8 {
        match self {
            SessionEnd::Exit {
                after_shutdown: false,
            } => 1,
            _ => 0,
        }
    }
}

/// Serves LSP over any byte streams until the client exits or the input
/// ends. Input is read by twirl's own framing layer ([`framing`]), so a
/// malformed message is answered and the session goes on.
pub async fn serve<I, O>(input: I, output: O) -> SessionEnd
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let (service, socket) = new_service(Options::default());
    let exited = Arc::new(Notify::new());
    let shut_down = Arc::new(AtomicBool::new(false));
    let service = Guard {
        inner: service,
        exited: exited.clone(),
        shut_down: shut_down.clone(),
    };
    let (to_server, from_pump) = tokio::io::duplex(1 << 16);
    let session = async {
        tokio::join!(
            framing::pump(input, to_server),
            tower_lsp::Server::new(from_pump, output, socket).serve(service),
        )
    };
    // tower-lsp 0.20 only stops at the next message after `exit` (or at
    // the end of input); stop as soon as `exit` is handled.
    tokio::select! {
        _ = session => SessionEnd::InputClosed,
        () = exited.notified() => SessionEnd::Exit {
            after_shutdown: shut_down.load(Ordering::SeqCst),
        },
    }
}

/// Stands between tower-lsp's transport and the server: answers the
/// framing layer's stand-in for a malformed message with its error (id
/// `null`), passes every other message on, and says when `exit` has been
/// handled and whether `shutdown` came first.
struct Guard<S> {
    inner: S,
    exited: Arc<Notify>,
    shut_down: Arc<AtomicBool>,
}

impl<S> tower_service::Service<Request> for Guard<S>
where
    S: tower_service::Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Option<Response>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == framing::MALFORMED {
            let error = req
                .params()
                .and_then(|p| serde_json::from_value::<jsonrpc::Error>(p.clone()).ok())
                .unwrap_or_else(jsonrpc::Error::parse_error);
            return Box::pin(async move { Ok(Some(Response::from_error(Id::Null, error))) });
        }
        if req.method() == "shutdown" {
            self.shut_down.store(true, Ordering::SeqCst);
        }
        let is_exit = req.method() == "exit";
        let fut = self.inner.call(req);
        let exited = self.exited.clone();
        Box::pin(async move {
            let r = fut.await;
            if is_exit {
                exited.notify_one();
            }
            r
        })
    }
}

/// `twirl lsp`: serves LSP on stdin and stdout until the client exits or
/// closes stdin, and says how the session ended.
pub fn run_stdio() -> std::io::Result<SessionEnd> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let end = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // tokio reads stdin on a blocking thread that only returns when the
    // next read does: do not wait for it once the client said `exit`.
    runtime.shutdown_background();
    Ok(end)
}
