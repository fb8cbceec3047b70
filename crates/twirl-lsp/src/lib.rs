//! twirl's language server.
//!
//! The server converts between LSP and twirl-core and delegates: documents
//! live in memory with their versions, every change re-lints the whole
//! document (an issue is at most ~60 KB), and a diagnostic's `data` carries
//! its fix so that a code action needs no re-lint. `convert` is the only
//! module that maps byte spans to LSP positions. stdout is the protocol:
//! logs go to the client (`window/logMessage`) or stderr.
#![deny(clippy::print_stdout)]

mod analysis;
mod convert;
mod framing;
mod hover;
mod server;
mod state;
mod symbols;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;

use futures::stream::FuturesUnordered;
use futures::{Sink, StreamExt};
use serde::Serialize;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio_util::codec::FramedRead;
use tower_lsp::jsonrpc::{Id, Response};
use tower_service::Service;

use framing::{Frame, FrameDecoder};

pub use server::{Backend, MAX_PUBLISHED, Options};
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
pub struct SessionEnd {
    /// Whether the client had sent `shutdown`.
    pub after_shutdown: bool,
}

impl SessionEnd {
    /// The process status LSP asks for: 0 when `shutdown` came first, else
    /// 1, however the session ended.
    pub fn exit_code(self) -> u8 {
        if self.after_shutdown { 0 } else { 1 }
    }
}

/// Serves LSP over any byte streams until the client exits, the input
/// ends or the output fails.
///
/// tower-lsp's `LspService` routes each message and tracks the protocol's
/// state; this loop is the transport around it (tower-lsp's own `Server`
/// is not used, see ARCHITECTURE.md): it reads messages with
/// `framing`, answers what cannot be read, runs every handler
/// concurrently with no limit (a handler waiting on an answer the client
/// never sends holds up nothing else), writes answers and the server's
/// own messages, and returns as soon as the session is over, whatever
/// handlers are still running.
pub async fn serve<I, O>(input: I, mut output: O) -> SessionEnd
where
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let (mut service, socket) = new_service(Options::default());
    let (mut to_client, mut answers) = socket.split();
    let mut frames = FramedRead::new(input, FrameDecoder::default());
    let mut running = FuturesUnordered::new();
    let mut after_shutdown = false;
    loop {
        let written = tokio::select! {
            biased;
            Some(done) = running.next(), if !running.is_empty() => match done {
                Ok(Some(response)) => write(&mut output, &response).await,
                _ => Ok(()),
            },
            Some(request) = to_client.next() => write(&mut output, &request).await,
            frame = frames.next() => match frame {
                Some(Ok(Frame::Request(request))) => {
                    match request.method() {
                        "exit" => break,
                        "shutdown" => after_shutdown = true,
                        _ => {}
                    }
                    running.push(service.call(request));
                    Ok(())
                }
                Some(Ok(Frame::Response(answer))) => {
                    deliver(&mut answers, answer);
                    Ok(())
                }
                Some(Ok(Frame::Malformed(error))) => {
                    eprintln!("twirl lsp: {}", error.message);
                    write(&mut output, &Response::from_error(Id::Null, error)).await
                }
                Some(Err(e)) => {
                    eprintln!("twirl lsp: cannot read the input: {e}");
                    break;
                }
                None => break,
            },
        };
        if let Err(e) = written {
            eprintln!("twirl lsp: cannot write the output: {e}");
            break;
        }
    }
    SessionEnd { after_shutdown }
}

/// Writes one message with its header.
async fn write<O: AsyncWrite + Unpin>(
    output: &mut O,
    message: &impl Serialize,
) -> std::io::Result<()> {
    let body = serde_json::to_string(message)?;
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    output.write_all(header.as_bytes()).await?;
    output.write_all(body.as_bytes()).await?;
    output.flush().await
}

/// Hands the client's answer to the server request waiting for it.
/// tower-lsp 0.20 panics on an answer to a request whose handler was
/// cancelled meanwhile (no one waits for it); such an answer is dropped.
fn deliver<S: Sink<Response> + Unpin>(answers: &mut S, answer: Response) {
    let id = answer.id().clone();
    let sent = catch_unwind(AssertUnwindSafe(|| Pin::new(answers).start_send(answer)));
    if sent.is_err() {
        eprintln!("twirl lsp: no request {id} waits for the answer; dropped");
    }
}

/// `twirl lsp`: serves LSP on stdin and stdout until the session ends
/// ([`serve`]), and says how it ended.
pub fn run_stdio() -> std::io::Result<SessionEnd> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let end = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // tokio reads stdin on a blocking thread that only returns when the
    // next read does, and handlers may still be waiting: do not wait for
    // them once the session is over.
    runtime.shutdown_background();
    Ok(end)
}
