//! A client that misbehaves: the server, in process, fed a script of
//! messages (documents opened and changed, hovers, formatting,
//! cancellations, fix-all commands on a document with a fix, messages
//! with a key given twice, bodies that are not JSON, `"params": null`),
//! then one last request. The script answers no server request, so every
//! `workspace/applyEdit` a fix-all sends waits forever. The last request
//! must be answered, and closing the input must end the session, each
//! within seconds: nothing the script does may wedge the server.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const URI: &str = "file:///tmp/twirl-fuzz/2024-11-06-this-week-in-rust.md";
const LAST: i64 = 1_000_000;
/// A document with a safe fix (a tracking parameter), so that `twirl.fixAll`
/// sends a `workspace/applyEdit` whatever the fuzzer's texts are.
const FIXABLE: &str =
    "## Updates from Rust Community\n\n* [A post](https://example.com/a?utm_source=twir)\n";

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// One message of the script, as bytes on the wire.
fn message(u: &mut Unstructured<'_>, id: i64) -> Result<Vec<u8>> {
    let text: String = u.arbitrary()?;
    let v = match u.int_in_range(0..=9)? {
        0 => json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": URI, "languageId": "markdown", "version": id, "text": text}}}),
        1 => json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": id},
            "contentChanges": [{"range": {"start": {"line": u.int_in_range(0..=40u32)?, "character": 0},
                "end": {"line": u.int_in_range(0..=40u32)?, "character": 3}}, "text": text}]}}),
        2 => json!({"jsonrpc": "2.0", "id": id, "method": "workspace/executeCommand",
            "params": {"command": "twirl.fixAll", "arguments": [URI]}}),
        3 => json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": URI}, "position": {"line": u.int_in_range(0..=40u32)?, "character": 1}}}),
        4 => json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": id - 1}}),
        5 => json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/formatting", "params": {
            "textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}}),
        6 => {
            // A key given twice.
            let key = *u.choose(&["id", "jsonrpc", "method", "params"])?;
            let body = format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/hover","params":{{}},"{key}":{}}}"#,
                json!(text)
            );
            return Ok(frame(&body));
        }
        7 => json!({"jsonrpc": "2.0", "id": id, "method": "shutdown", "params": null}),
        8 => json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": URI, "languageId": "markdown", "version": id, "text": FIXABLE}}}),
        _ => return Ok(frame(&text)),
    };
    Ok(frame(&v.to_string()))
}

/// Reads frames from the server until the answer to `LAST`.
async fn answer_to_last(out: &mut tokio::io::DuplexStream) -> Option<Value> {
    let mut buf = Vec::new();
    loop {
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let header = String::from_utf8_lossy(&buf[..end]).into_owned();
            let len: usize = header.rsplit(": ").next()?.trim().parse().ok()?;
            if buf.len() < end + 4 + len {
                break;
            }
            let v: Value = serde_json::from_slice(&buf[end + 4..end + 4 + len]).ok()?;
            buf.drain(..end + 4 + len);
            if v.get("method").is_none() && v["id"] == json!(LAST) {
                return Some(v);
            }
        }
        let mut chunk = [0; 1 << 14];
        let n = out.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let mut wire = frame(
        &json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"processId": null, "rootUri": null, "capabilities": {}}})
        .to_string(),
    );
    wire.extend(frame(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    let mut id = 1;
    while !u.is_empty() && id < 40 {
        wire.extend(message(u, id)?);
        id += 1;
    }
    wire.extend(frame(
        &json!({"jsonrpc": "2.0", "id": LAST, "method": "twirl/noSuchMethod"}).to_string(),
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (mut client, server_in) = tokio::io::duplex(1 << 20);
        let (server_out, mut from_server) = tokio::io::duplex(1 << 20);
        let session = tokio::spawn(twirl_lsp::serve(server_in, server_out));
        let writer = tokio::spawn(async move {
            let _ = client.write_all(&wire).await;
            client
        });
        let answer =
            tokio::time::timeout(Duration::from_secs(20), answer_to_last(&mut from_server));
        match answer.await {
            // After `shutdown`, a request is answered with an error: either
            // way it is answered.
            Ok(Some(_)) => {}
            Ok(None) => panic!("the server stopped without answering the last request"),
            Err(_) => panic!("the last request was not answered within 20 s: the server is wedged"),
        }
        drop(writer.await.unwrap());
        let end = tokio::time::timeout(Duration::from_secs(10), session).await;
        assert!(
            end.is_ok(),
            "closing the input did not end the session within 10 s"
        );
    });
    rt.shutdown_background();
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
