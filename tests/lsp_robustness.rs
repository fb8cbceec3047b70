//! `twirl lsp` as a process, fed what a broken or hurried client sends:
//! bad JSON, bad headers, keys given twice, unknown methods, changes to
//! documents never opened, ranges past the end, 10,000 rapid edits, server
//! requests never answered or answered too late, a disconnect mid-message
//! or without `shutdown`, a closed stdout. The server must answer where
//! the protocol says, publish for the final text what `twirl check` says
//! of it, and exit at once when the client goes away (status 1 unless
//! `shutdown` came first).

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(60);
const ISSUE_NAME: &str = "2024-11-06-this-week-in-rust.md";

const ISSUE: &str = "\
Title: This Week in Rust 572
Number: 572
Date: 2024-11-06
Category: This Week in Rust

## Updates from Rust Community

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
";

struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Whether `wait_for` answers the server's own requests.
    answers: bool,
}

impl Server {
    fn start() -> Server {
        let mut child = common::twirl()
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn twirl lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.expect("a Content-Length header")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("the server writes JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Server {
            child,
            stdin,
            rx,
            answers: true,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let w = self.stdin.as_mut().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, id: i64, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
    }

    /// The next message satisfying `f`, answering the server's own requests
    /// (configuration, registration) on the way.
    fn wait_for(&mut self, what: &str, f: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = match self.rx.recv_timeout(left) {
                Ok(v) => v,
                Err(RecvTimeoutError::Timeout) => panic!("no {what} within {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("server closed before {what}"),
            };
            if f(&v) {
                return v;
            }
            if self.answers
                && v.get("method").is_some()
                && let Some(id) = v.get("id")
            {
                let result = match v["method"].as_str() {
                    Some("workspace/configuration") => json!([null]),
                    _ => Value::Null,
                };
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}));
            }
        }
    }

    fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("response {id}"), |v| {
            v.get("method").is_none() && v["id"] == json!(id)
        })
    }

    /// Closes stdin and waits for the exit status.
    fn disconnect(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        self.wait_exit()
    }

    /// `shutdown`, answered, then stdin closed: the server exits with
    /// status 0.
    fn finish(mut self) {
        self.request(999, "shutdown", Value::Null);
        let r = self.response(999);
        assert!(r.get("error").is_none(), "{r}");
        let status = self.disconnect();
        assert_eq!(status.code(), Some(0), "exit status {status:?}");
    }

    /// Waits for the server to exit (stdin left open).
    fn wait_exit(&mut self) -> std::process::ExitStatus {
        wait_exit(&mut self.child)
    }

    fn initialize(&mut self) {
        self.initialize_with(json!({}));
    }

    fn initialize_with(&mut self, capabilities: Value) {
        self.request(
            1,
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        let r = self.response(1);
        assert!(r.get("result").is_some(), "{r}");
        self.notify("initialized", json!({}));
    }
}

/// Waits for `child` to exit; an exit that is not prompt fails the test.
fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().ok();
            panic!("the server did not exit within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A byte offset's LSP position (UTF-16 columns, the default).
fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[start..offset].encode_utf16().count();
    json!({"line": line, "character": col})
}

fn change(uri: &str, version: i32, changes: Value) -> Value {
    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes})
}

#[test]
fn malformed_messages_get_errors_and_the_server_goes_on() {
    let mut s = Server::start();
    s.initialize();

    // Unknown request: MethodNotFound.
    s.request(2, "twirl/noSuchMethod", json!({}));
    let r = s.response(2);
    assert_eq!(r["error"]["code"], json!(-32601), "{r}");

    // Unknown notification: silence (the next answer is for request 3).
    s.notify("twirl/noSuchNotification", json!({}));
    s.notify("$/noSuchNotification", json!({}));

    // A request without `method` or with params of the wrong shape.
    s.request(3, "textDocument/hover", json!({"nonsense": true}));
    let r = s.response(3);
    assert_eq!(r["error"]["code"], json!(-32602), "InvalidParams: {r}");

    // A change and a close for a document never opened: no crash, no reply.
    let ghost = "file:///tmp/twirl-never-opened/2024-11-06-this-week-in-rust.md";
    s.notify(
        "textDocument/didChange",
        change(ghost, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}])),
    );
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": ghost}}),
    );

    // Still answering.
    s.request(4, "twirl/noSuchMethod", json!(null));
    assert_eq!(s.response(4)["error"]["code"], json!(-32601));

    s.finish();
}

/// Bad JSON in a well-framed message is answered with ParseError, JSON
/// that is no JSON-RPC message with InvalidRequest (both with id null, as
/// JSON-RPC says), and the session goes on.
#[test]
fn bad_messages_are_answered_and_the_session_goes_on() {
    let mut s = Server::start();
    s.initialize();
    for (body, code) in [
        (&b"{not json"[..], -32700),
        (&b"\xff\xfe{}"[..], -32700),
        (&br#"{"jsonrpc":"2.0","foo":1}"#[..], -32600),
        (&b"[1,2]"[..], -32600),
    ] {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        s.raw(&frame);
        let r = s.wait_for("an error answer", |v| v.get("error").is_some());
        assert_eq!(r["error"]["code"], json!(code), "{r}");
        assert_eq!(r["id"], Value::Null, "{r}");
    }
    s.request(7, "twirl/noSuchMethod", json!(null));
    assert_eq!(s.response(7)["error"]["code"], json!(-32601));
    s.finish();
}

/// A header block without a usable Content-Length is answered with a
/// ParseError; reading resumes at the next Content-Length header, so the
/// session goes on.
#[test]
fn a_bad_header_is_answered_and_reading_resyncs() {
    let mut s = Server::start();
    s.initialize();
    s.raw(b"Content-Length: abc\r\n\r\n{}garbage\r\n\r\n");
    let r = s.wait_for("a parse error", |v| v.get("error").is_some());
    assert_eq!(r["error"]["code"], json!(-32700), "{r}");
    s.request(8, "twirl/noSuchMethod", json!(null));
    assert_eq!(s.response(8)["error"]["code"], json!(-32601));
    s.finish();
}

#[test]
fn rapid_edits_end_in_the_diagnostics_of_the_final_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(ISSUE_NAME);
    let uri = format!("file://{}", path.display());
    let mut s = Server::start();
    s.initialize();
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": ISSUE}}),
    );

    let mut text = ISSUE.to_string();
    let mut version = 1;
    // Ranges past the end: a line past the end means the end of the text,
    // a column past a line's end means the end of that line.
    version += 1;
    s.notify(
        "textDocument/didChange",
        change(&uri, version, json!([{"range": {"start": {"line": 9999, "character": 0}, "end": {"line": 9999, "character": 5}}, "text": "\n"}])),
    );
    text.push('\n');
    version += 1;
    s.notify(
        "textDocument/didChange",
        change(&uri, version, json!([{"range": {"start": {"line": 0, "character": 999}, "end": {"line": 0, "character": 999}}, "text": " (draft)"}])),
    );
    let eol = text.find('\n').unwrap();
    text.insert_str(eol, " (draft)");

    // 10,000 edits: type into a new list item before the events (letters,
    // umlauts, crabs, now and then a line with a link, some deletions),
    // one notification each, without waiting for anything.
    let anchor = text.find("## Upcoming Events").unwrap();
    let mut edits: Vec<(usize, usize, &str)> = vec![(anchor, anchor, "* typed: \n\n")];
    let typed_start = anchor + "* typed: ".len();
    let mut at = typed_start;
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..10_000 {
        if i > 0 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let edit = if i % 97 == 0 {
                (
                    at,
                    at,
                    "\n* [New link](https://example.com/new?utm_medium=x) ",
                )
            } else if state % 5 == 0 && at > typed_start {
                let prev = text[..at].chars().next_back().unwrap().len_utf8();
                (at - prev, at, "")
            } else {
                (at, at, ["a", "ü", "🦀", " "][(state % 4) as usize])
            };
            edits.push(edit);
        }
        let (s_off, e_off, new) = edits.pop().unwrap();
        let range = json!({"start": position(&text, s_off), "end": position(&text, e_off)});
        text.replace_range(s_off..e_off, new);
        if i > 0 {
            at = s_off + new.len();
        }
        version += 1;
        s.notify(
            "textDocument/didChange",
            change(&uri, version, json!([{"range": range, "text": new}])),
        );
    }

    let final_version = version;
    let published = s.wait_for("diagnostics of the final version", |v| {
        v["method"] == "textDocument/publishDiagnostics"
            && v["params"]["version"] == json!(final_version)
    });
    let mut lsp: Vec<(String, u64, u64)> = published["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    lsp.sort();
    assert!(!lsp.is_empty());
    s.finish();

    // A fresh `twirl check` of the final text, in the same place.
    std::fs::write(&path, &text).unwrap();
    let out = common::twirl()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let v = common::json_findings(&out.stdout);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut cli: Vec<(String, u64, u64)> = v
        .iter()
        .map(|f| {
            // JSON columns are 1-based chars; LSP's are 0-based UTF-16.
            let line = f["start"]["line"].as_u64().unwrap() as usize - 1;
            let col = f["start"]["column"].as_u64().unwrap() as usize - 1;
            let utf16: usize = lines[line].chars().take(col).map(char::len_utf16).sum();
            (
                f["rule"].as_str().unwrap().to_string(),
                line as u64,
                utf16 as u64,
            )
        })
        .collect();
    cli.sort();
    assert_eq!(lsp, cli);
}

/// A client that goes away without `shutdown` leaves a server that exits
/// at once with status 1, as after `exit` without `shutdown`; after
/// `shutdown`, closing stdin ends it with status 0.
#[test]
fn a_disconnect_exits_with_the_status_shutdown_decides() {
    let mut s = Server::start();
    s.initialize();
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///tmp/twirl-robustness/2024-11-06-this-week-in-rust.md", "languageId": "markdown", "version": 1, "text": ISSUE}}),
    );
    let status = s.disconnect();
    assert_eq!(status.code(), Some(1), "exit status {status:?}");

    let mut s = Server::start();
    s.initialize();
    s.request(2, "shutdown", Value::Null);
    assert!(s.response(2).get("error").is_none());
    let status = s.disconnect();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
}

/// LSP: `exit` after `shutdown` ends with status 0, `exit` alone with 1.
/// `shutdown` with `"params": null` is a plain shutdown, not an error.
#[test]
fn exit_status_says_whether_shutdown_came_first() {
    let mut s = Server::start();
    s.initialize();
    s.request(2, "shutdown", json!(null));
    let r = s.response(2);
    assert_eq!(r.get("result"), Some(&Value::Null), "{r}");
    assert!(r.get("error").is_none(), "{r}");
    s.notify("exit", json!(null));
    let status = s.wait_exit();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");

    let mut s = Server::start();
    s.initialize();
    s.notify("exit", json!(null));
    let status = s.wait_exit();
    assert_eq!(status.code(), Some(1), "exit status {status:?}");
}

/// A message with a key given twice is refused with InvalidRequest (id
/// null), and the session goes on: later requests are answered.
#[test]
fn a_duplicated_key_is_refused_and_the_session_goes_on() {
    let mut s = Server::start();
    s.initialize();
    for body in [
        r#"{"jsonrpc":"2.0","id":5,"id":6,"method":"twirl/noSuchMethod"}"#,
        r#"{"jsonrpc":"2.0","jsonrpc":"2.0","id":5,"method":"twirl/noSuchMethod"}"#,
        r#"{"jsonrpc":"2.0","id":5,"method":"shutdown","method":"twirl/noSuchMethod"}"#,
        r#"{"jsonrpc":"2.0","id":5,"method":"twirl/noSuchMethod","params":{},"params":[]}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{},"params":{}}"#,
        r#"{"jsonrpc":"2.0","id":77,"id":78,"result":null}"#,
    ] {
        s.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        let r = s.wait_for("an error answer", |v| v.get("error").is_some());
        assert_eq!(r["error"]["code"], json!(-32600), "{body}: {r}");
        assert_eq!(r["id"], Value::Null, "{body}: {r}");
    }
    for id in 10..14 {
        s.request(id, "twirl/noSuchMethod", json!(null));
        assert_eq!(s.response(id)["error"]["code"], json!(-32601));
    }
    s.request(20, "shutdown", json!(null));
    assert!(s.response(20).get("error").is_none());
    let status = s.disconnect();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
}

fn open_issue(s: &mut Server, dir: &std::path::Path) -> String {
    let uri = format!("file://{}", dir.join(ISSUE_NAME).display());
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": ISSUE}}),
    );
    s.wait_for("the first diagnostics", |v| {
        v["method"] == "textDocument/publishDiagnostics"
    });
    uri
}

/// `twirl.fixAll` sends `workspace/applyEdit`; a client that never
/// answers it holds nothing up: later requests are answered, and closing
/// stdin ends the server at once (status 1, no `shutdown`).
#[test]
fn server_requests_the_client_never_answers_hold_nothing_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start();
    s.initialize();
    let uri = open_issue(&mut s, dir.path());
    s.answers = false;
    for id in 2..8 {
        s.request(
            id,
            "workspace/executeCommand",
            json!({"command": "twirl.fixAll", "arguments": [uri]}),
        );
    }
    for _ in 2..8 {
        s.wait_for("an applyEdit request", |v| {
            v["method"] == "workspace/applyEdit"
        });
    }
    for id in 10..20 {
        s.request(id, "twirl/noSuchMethod", json!(null));
        assert_eq!(s.response(id)["error"]["code"], json!(-32601));
    }
    let status = s.disconnect();
    assert_eq!(status.code(), Some(1), "exit status {status:?}");
}

/// A client that can register watchers dynamically gets
/// `client/registerCapability` right after `initialized`; stdin closed
/// while that request waits for an answer ends the server at once.
#[test]
fn stdin_closed_while_a_server_request_waits_ends_the_server() {
    let mut s = Server::start();
    s.answers = false;
    s.initialize_with(json!({
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "configuration": true}
    }));
    s.wait_for("registerCapability", |v| {
        v["method"] == "client/registerCapability"
    });
    let status = s.disconnect();
    assert_eq!(status.code(), Some(1), "exit status {status:?}");
}

/// stdin closed in the middle of a message, in its header or in its
/// body: the server exits at once, status 1.
#[test]
fn stdin_closed_mid_message_ends_the_server() {
    let body = r#"{"jsonrpc":"2.0","id":9,"method":"twirl/noSuchMethod"}"#;
    let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    for cut in [5, "Content-Length: 5".len(), frame.len() - 10] {
        let mut s = Server::start();
        s.initialize();
        s.raw(&frame.as_bytes()[..cut]);
        let status = s.disconnect();
        assert_eq!(
            status.code(),
            Some(1),
            "cut at {cut}: exit status {status:?}"
        );
    }
}

/// A client that closes the server's stdout (the end it reads) while
/// still writing to its stdin: the server's next write fails and it
/// exits, status 1.
#[test]
fn stdout_closed_ends_the_server() {
    let mut child = common::twirl()
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn twirl lsp");
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let mut send = |v: Value| {
        let body = v.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        // The server may be gone already.
        let _ = stdin
            .write_all(frame.as_bytes())
            .and_then(|()| stdin.flush());
    };
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "twirl/noSuchMethod"}));
    let status = wait_exit(&mut child);
    assert_eq!(status.code(), Some(1), "exit status {status:?}");
}

/// A client that cancels `twirl.fixAll` and then answers the
/// `workspace/applyEdit` it had been sent: the late answer is dropped, and
/// the session goes on.
#[test]
fn an_answer_to_a_cancelled_server_request_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start();
    s.initialize();
    let uri = open_issue(&mut s, dir.path());
    s.answers = false;
    s.request(
        2,
        "workspace/executeCommand",
        json!({"command": "twirl.fixAll", "arguments": [uri]}),
    );
    let apply = s.wait_for("an applyEdit request", |v| {
        v["method"] == "workspace/applyEdit"
    });
    s.notify("$/cancelRequest", json!({"id": 2}));
    let r = s.response(2);
    assert_eq!(r["error"]["code"], json!(-32800), "RequestCancelled: {r}");
    s.send(json!({"jsonrpc": "2.0", "id": apply["id"], "result": {"applied": true}}));
    s.request(3, "twirl/noSuchMethod", json!(null));
    assert_eq!(s.response(3)["error"]["code"], json!(-32601));
    s.request(4, "shutdown", json!(null));
    assert!(s.response(4).get("error").is_none());
    let status = s.disconnect();
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
}
