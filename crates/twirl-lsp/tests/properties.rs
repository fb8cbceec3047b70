//! The fuzz target `fuzz/fuzz_targets/lsp_changes.rs`, as a bounded
//! proptest run for CI: the text the server holds after each `didChange`
//! (`Document::apply_changes`) is the text the editor holds, i.e. the same
//! range edits applied to a plain `String`, with positions in whichever
//! encoding was negotiated (UTF-8, UTF-16 or chars), and the document's
//! line index is always the one of its new text. Positions past the end of
//! a line or of the document are clamped, never a panic.

use proptest::prelude::*;
use proptest::sample::Index;
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};
use twirl_core::{Encoding, LineIndex};
use twirl_lsp::Document;

const URI: &str = "file:///tmp/draft/2024-11-06-this-week-in-rust.md";

/// Text glued from pieces that make the encodings disagree: multibyte
/// chars (2 and 4 bytes, a surrogate pair in UTF-16), and all three line
/// endings, so that CRLF pairs and lone CRs are common.
fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-z #*\\[\\]()|-]{1,4}",
        1 => Just("\u{e9}".to_string()),
        1 => Just("\u{1f980}".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\r".to_string()),
        1 => "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..max_pieces).prop_map(|v| v.concat())
}

/// A coordinate of a position that may lie anywhere, mostly near the text
/// and sometimes as far as the protocol allows.
fn wild(near: u32) -> impl Strategy<Value = u32> {
    prop_oneof![8 => 0..=near, 1 => Just(u32::MAX)]
}

/// One change of a `didChange`. Range ends are picked when the edit is
/// applied, from the text as it is then.
#[derive(Clone, Debug)]
enum Edit {
    /// No range: the whole text is replaced.
    Full(String),
    /// Between two char boundaries of the current text.
    Range(Index, Index, String),
    /// Positions anywhere, usually out of range: only "no panic" holds.
    Wild(Position, Position, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let pos = || (wild(20), wild(200)).prop_map(|(l, c)| Position::new(l, c));
    prop_oneof![
        1 => text(8).prop_map(Edit::Full),
        12 => (any::<Index>(), any::<Index>(), text(6)).prop_map(|(a, b, t)| Edit::Range(a, b, t)),
        2 => (pos(), pos(), text(6)).prop_map(|(a, b, t)| Edit::Wild(a, b, t)),
    ]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Utf8),
        Just(Encoding::Utf16),
        Just(Encoding::Chars)
    ]
}

/// A char boundary of `text` picked by `i`, never between the CR and LF
/// of a CRLF (no line/column points there).
fn boundary(text: &str, i: Index) -> usize {
    let mut off = i.index(text.len() + 1);
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let b = text.as_bytes();
    if off > 0 && b[off - 1] == b'\r' && b.get(off) == Some(&b'\n') {
        off -= 1;
    }
    off
}

fn position(text: &str, index: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let p = index.line_col(text, offset, enc);
    Position::new(p.line, p.col)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn did_change_matches_string_edits(
        initial in text(40),
        enc in encoding(),
        first_version in 0..1000i32,
        batches in prop::collection::vec(prop::collection::vec(edit(), 1..=4), 0..8),
    ) {
        let uri = Url::parse(URI).unwrap();
        let mut doc = Document::new(&uri, initial.clone(), first_version);
        prop_assert_eq!(&*doc.line_index, &LineIndex::new(&initial));
        let mut model = initial;
        let mut version = first_version;
        for batch in batches {
            let mut changes = Vec::new();
            let mut exact = true;
            for e in batch {
                let (range, new_text) = match e {
                    Edit::Full(t) => {
                        model.clone_from(&t);
                        (None, t)
                    }
                    Edit::Range(a, b, t) => {
                        let (a, b) = (boundary(&model, a), boundary(&model, b));
                        let (s, e) = (a.min(b), a.max(b));
                        let index = LineIndex::new(&model);
                        let range = Range::new(
                            position(&model, &index, s, enc),
                            position(&model, &index, e, enc),
                        );
                        model.replace_range(s..e, &t);
                        (Some(range), t)
                    }
                    Edit::Wild(a, b, t) => {
                        exact = false;
                        (Some(Range::new(a, b)), t)
                    }
                };
                changes.push(TextDocumentContentChangeEvent {
                    range,
                    range_length: None,
                    text: new_text,
                });
            }
            version += 1;
            doc.apply_changes(changes, version, enc);
            prop_assert_eq!(doc.version, version);
            prop_assert_eq!(&*doc.line_index, &LineIndex::new(&doc.text));
            if exact {
                prop_assert_eq!(doc.text.as_str(), model.as_str(), "{:?}", enc);
            } else {
                // Where clamped edits landed is the server's choice: carry on
                // from its text.
                model = doc.text.as_str().to_string();
            }
        }
    }
}
