//! The wire: LSP's base protocol (`Content-Length` headers, then a JSON
//! body) read into JSON-RPC messages.
//!
//! It never fails on content, only on I/O, so one bad message never ends
//! a session. What cannot be passed on to the service is answered as
//! JSON-RPC says (a response with id `null`): a body that is not JSON is a
//! ParseError; JSON that is neither a request nor a response, or that
//! gives a key twice, is an InvalidRequest; a header block without a
//! usable `Content-Length` is a ParseError, after which reading resumes at
//! the next `Content-Length` header.

use std::io;

use bytes::{Buf, BytesMut};
use tokio_util::codec::Decoder;
use tower_lsp::jsonrpc::{self, ErrorCode, Request, Response};

/// Bodies larger than this are skipped unread and answered with an error,
/// so that a bad `Content-Length` cannot make the server reserve gigabytes.
const MAX_BODY: usize = 256 << 20;

const CONTENT_LENGTH: &[u8] = b"Content-Length";

/// One unit read off the wire.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
    /// A request or notification for the service.
    Request(Request),
    /// The client's answer to one of the server's requests.
    Response(Response),
    /// Something to answer with this error instead.
    Malformed(jsonrpc::Error),
}

#[derive(Debug, Default)]
enum State {
    #[default]
    Headers,
    Body(usize),
    /// Discarding a body too large to hold.
    Skip(usize),
    /// Looking for the next `Content-Length` after a bad header.
    Resync,
}

/// Splits the LSP base protocol (`Content-Length` headers, then a body)
/// into frames. It never fails on content, only on I/O, so the stream goes
/// on after anything a client sends.
#[derive(Debug, Default)]
pub(crate) struct FrameDecoder {
    state: State,
}

impl Decoder for FrameDecoder {
    type Item = Frame;
    type Error = io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> io::Result<Option<Frame>> {
        loop {
            match self.state {
                State::Body(len) => {
                    if src.len() < len {
                        src.reserve(len - src.len());
                        return Ok(None);
                    }
                    self.state = State::Headers;
                    let body = src.split_to(len);
                    return Ok(Some(classify(&body)));
                }
                State::Skip(left) => {
                    let n = left.min(src.len());
                    src.advance(n);
                    if n < left {
                        self.state = State::Skip(left - n);
                        return Ok(None);
                    }
                    self.state = State::Headers;
                }
                State::Resync => {
                    if !resync(src) {
                        return Ok(None);
                    }
                    self.state = State::Headers;
                }
                State::Headers => {
                    let mut slots = [httparse::EMPTY_HEADER; 8];
                    let parsed = match httparse::parse_headers(src, &mut slots) {
                        Ok(httparse::Status::Partial) => return Ok(None),
                        Ok(httparse::Status::Complete((used, headers))) => {
                            content_length(headers).map(|len| (used, len))
                        }
                        Err(e) => Err(format!("unreadable message header: {e}")),
                    };
                    match parsed {
                        Ok((used, len)) => {
                            src.advance(used);
                            if len > MAX_BODY {
                                self.state = State::Skip(len);
                                return Ok(Some(malformed(
                                    ErrorCode::ParseError,
                                    format!(
                                        "a message of {len} bytes is over the limit of {MAX_BODY}; skipped"
                                    ),
                                )));
                            }
                            self.state = State::Body(len);
                        }
                        Err(message) => {
                            // Not this header again: look past its start.
                            src.advance(1);
                            self.state = State::Resync;
                            return Ok(Some(malformed(ErrorCode::ParseError, message)));
                        }
                    }
                }
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> io::Result<Option<Frame>> {
        if let Some(frame) = self.decode(src)? {
            return Ok(Some(frame));
        }
        // A message cut off by the end of input cannot be answered: there
        // is no one left to read the answer.
        src.clear();
        Ok(None)
    }
}

/// Drops bytes up to the next `Content-Length` header, and says whether
/// one was found; if not, keeps only a tail that may be its start.
fn resync(src: &mut BytesMut) -> bool {
    match memchr::memmem::find(src, CONTENT_LENGTH) {
        Some(at) => {
            src.advance(at);
            true
        }
        None => {
            let keep = (CONTENT_LENGTH.len() - 1).min(src.len());
            src.advance(src.len() - keep);
            false
        }
    }
}

fn content_length(headers: &[httparse::Header<'_>]) -> Result<usize, String> {
    let mut len = Err("a message header without Content-Length".to_string());
    for h in headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("Content-Length"))
    {
        let value = String::from_utf8_lossy(h.value);
        let count = value.trim().parse();
        len = Ok(count.map_err(|_| format!("Content-Length is not a byte count: {value:?}"))?);
    }
    len
}

/// What `body` is. A request (or notification) has a `method`; a
/// response has an `id` and exactly one of `result` and `error`. Each is
/// read from the bytes, where serde refuses a key given twice (a JSON
/// value would keep the last silently).
fn classify(body: &[u8]) -> Frame {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return malformed(
                ErrorCode::ParseError,
                format!("the message is not JSON: {e}"),
            );
        }
    };
    let invalid = |why: String| malformed(ErrorCode::InvalidRequest, why);
    let Some(object) = value.as_object() else {
        return invalid("the message is not a JSON object".to_string());
    };
    if object.contains_key("method") {
        return match serde_json::from_slice::<Request>(body) {
            Ok(req) => Frame::Request(without_null_params(req)),
            Err(e) => invalid(format!("the message is no JSON-RPC 2.0 request: {e}")),
        };
    }
    if object.contains_key("id") && object.contains_key("result") != object.contains_key("error") {
        return match serde_json::from_slice::<Response>(body) {
            Ok(r) => Frame::Response(r),
            Err(e) => invalid(format!("the message is no JSON-RPC 2.0 response: {e}")),
        };
    }
    invalid("the message is neither a JSON-RPC 2.0 request nor a response".to_string())
}

/// `"params": null` read as no params, as JSON-RPC allows: tower-lsp
/// would refuse it for the methods that take none (`shutdown`, `exit`).
fn without_null_params(req: Request) -> Request {
    if !req.params().is_some_and(serde_json::Value::is_null) {
        return req;
    }
    let (method, id, _) = req.into_parts();
    let build = Request::build(method);
    match id {
        Some(id) => build.id(id).finish(),
        None => build.finish(),
    }
}

fn malformed(code: ErrorCode, message: String) -> Frame {
    Frame::Malformed(jsonrpc::Error {
        code,
        message: message.into(),
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;

    fn request(body: &str) -> Frame {
        Frame::Request(serde_json::from_str(body).unwrap())
    }

    /// Decodes `wire` fed in pieces of `step` bytes, as a pipe may deliver it.
    fn decode_in_steps(wire: &[u8], step: usize) -> Vec<Frame> {
        let mut dec = FrameDecoder::default();
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for piece in wire.chunks(step) {
            buf.extend_from_slice(piece);
            while let Some(f) = dec.decode(&mut buf).unwrap() {
                out.push(f);
            }
        }
        while let Some(f) = dec.decode_eof(&mut buf).unwrap() {
            out.push(f);
        }
        out
    }

    fn codes(frames: &[Frame]) -> Vec<Option<ErrorCode>> {
        frames
            .iter()
            .map(|f| match f {
                Frame::Request(_) | Frame::Response(_) => None,
                Frame::Malformed(e) => Some(e.code),
            })
            .collect()
    }

    #[test]
    fn good_messages_pass_unchanged_however_the_bytes_arrive() {
        let note = r#"{"jsonrpc":"2.0","method":"initialized","params":{"é":"🦀"}}"#;
        let wire = format!("{}{}", frame(PING), frame(note));
        for step in 1..=wire.len() {
            let frames = decode_in_steps(wire.as_bytes(), step);
            assert_eq!(frames, vec![request(PING), request(note)], "step {step}");
        }
    }

    #[test]
    fn bad_bodies_are_answered_and_reading_goes_on() {
        let wire = format!(
            "{}{}{}{}",
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","foo":1}"#),
            frame("\u{fffd}"),
            frame(PING)
        );
        for step in [1, 3, wire.len()] {
            let frames = decode_in_steps(wire.as_bytes(), step);
            assert_eq!(
                codes(&frames),
                vec![
                    Some(ErrorCode::ParseError),
                    Some(ErrorCode::InvalidRequest),
                    Some(ErrorCode::ParseError),
                    None
                ],
                "step {step}"
            );
        }
    }

    #[test]
    fn a_bad_header_resyncs_at_the_next_content_length() {
        let wire = format!(
            "Content-Length: abc\r\n\r\n{{}}{}garbage\r\n\r\n{}X-Other: 1\r\n\r\n{}",
            frame(PING),
            frame(PING),
            frame(PING),
        );
        for step in [1, 2, 7, wire.len()] {
            let frames = decode_in_steps(wire.as_bytes(), step);
            // One answer per bad header block, however it arrives.
            assert_eq!(
                codes(&frames),
                [Some(ErrorCode::ParseError), None].repeat(3),
                "step {step}: {frames:?}"
            );
            assert!(
                frames
                    .iter()
                    .all(|f| matches!(f, Frame::Malformed(_)) || *f == request(PING)),
                "step {step}: {frames:?}"
            );
        }
    }

    #[test]
    fn an_oversized_body_is_skipped_not_held() {
        let mut dec = FrameDecoder::default();
        let mut buf = BytesMut::from(format!("Content-Length: {}\r\n\r\n", MAX_BODY + 10).as_str());
        let first = dec.decode(&mut buf).unwrap();
        assert!(matches!(first, Some(Frame::Malformed(_))), "{first:?}");
        buf.extend_from_slice(&[b'x'; 4]);
        assert_eq!(dec.decode(&mut buf).unwrap(), None);
        assert!(buf.capacity() < 1 << 20, "reserved {}", buf.capacity());
        buf.extend_from_slice(&vec![b'x'; MAX_BODY + 6]);
        buf.extend_from_slice(frame(PING).as_bytes());
        assert_eq!(dec.decode(&mut buf).unwrap(), Some(request(PING)));
    }

    #[test]
    fn a_message_cut_off_at_the_end_is_dropped_quietly() {
        let wire = frame(PING);
        assert_eq!(decode_in_steps(&wire.as_bytes()[..30], 5), vec![]);
    }

    #[test]
    fn a_key_given_twice_is_an_invalid_request() {
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","method":"exit","method":"exit"}"#,
            r#"{"jsonrpc":"2.0","jsonrpc":"2.0","method":"exit"}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":{},"params":{}}"#,
            r#"{"jsonrpc":"2.0","id":1,"id":1,"result":null}"#,
        ] {
            let frame = classify(body.as_bytes());
            assert!(
                matches!(&frame, Frame::Malformed(e) if e.code == ErrorCode::InvalidRequest),
                "{body}: {frame:?}"
            );
        }
        let answer = r#"{"jsonrpc":"2.0","id":1,"result":{"applied":true}}"#;
        assert!(matches!(classify(answer.as_bytes()), Frame::Response(_)));
    }

    #[test]
    fn null_params_are_no_params() {
        let body = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":null}"#;
        assert_eq!(classify(body.as_bytes()), request(PING));
    }
}
