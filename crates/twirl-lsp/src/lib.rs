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

pub use server::{Backend, FIX_ALL_COMMAND, Options, fix_all_kind};
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
    tower_lsp::Server::new(input, output, socket)
        .serve(service)
        .await;
}

/// `twirl lsp`: serves LSP on stdin and stdout until the client exits.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}
