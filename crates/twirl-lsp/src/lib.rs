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
mod hover;
mod server;
mod state;
mod symbols;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::Notify;
use tower_lsp::jsonrpc::{Request, Response};

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

/// Serves LSP over any byte streams until the client exits.
pub async fn serve<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let (service, socket) = new_service(Options::default());
    let exited = Arc::new(Notify::new());
    let service = ExitWatch {
        inner: service,
        exited: exited.clone(),
    };
    // tower-lsp 0.20 only stops at the next message after `exit` (or at
    // the end of input); stop as soon as `exit` is handled.
    tokio::select! {
        () = tower_lsp::Server::new(input, output, socket).serve(service) => {}
        () = exited.notified() => {}
    }
}

/// Passes every message on, and says when `exit` has been handled.
struct ExitWatch<S> {
    inner: S,
    exited: Arc<Notify>,
}

impl<S> tower_service::Service<Request> for ExitWatch<S>
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

/// `twirl lsp`: serves LSP on stdin and stdout until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // tokio reads stdin on a blocking thread that only returns when the
    // next read does: do not wait for it once the client said `exit`.
    runtime.shutdown_background();
    Ok(())
}
