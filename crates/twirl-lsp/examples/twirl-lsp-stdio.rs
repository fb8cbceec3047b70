//! The server on stdio, for trying it before `twirl lsp` exists:
//! `cargo run -p twirl-lsp --example twirl-lsp-stdio`.

fn main() -> std::io::Result<()> {
    twirl_lsp::run_stdio()
}
