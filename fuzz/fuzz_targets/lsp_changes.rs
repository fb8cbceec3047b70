//! The server's `didChange` application: a sequence of range edits applied
//! by `Document::apply_changes` gives the same text (and line index) as the
//! same edits applied to a `String` directly. Positions are made from byte
//! offsets in the negotiated encoding; a few are out of range on purpose,
//! which must be clamped without a panic.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use tower_lsp::lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};
use twirl_core::{Encoding, LineIndex};
use twirl_lsp::Document;

fn boundary(u: &mut Unstructured<'_>, text: &str) -> Result<usize> {
    let mut off = u.int_in_range(0..=text.len())?;
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let b = text.as_bytes();
    if off > 0 && b[off - 1] == b'\r' && b.get(off) == Some(&b'\n') {
        off -= 1;
    }
    Ok(off)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let enc = *u.choose(&[Encoding::Utf8, Encoding::Utf16, Encoding::Chars])?;
    let mut model: String = u.arbitrary()?;
    let uri = Url::parse("file:///tmp/draft/2024-11-06-this-week-in-rust.md").unwrap();
    let mut doc = Document::new(&uri, model.clone(), 0);
    let mut version = 0;
    while !u.is_empty() {
        let n = u.int_in_range(1..=4)?;
        let mut changes = Vec::new();
        let mut exact = true;
        for _ in 0..n {
            let new_text: String = u.arbitrary()?;
            match u.int_in_range(0..=15)? {
                0 => {
                    model = new_text.clone();
                    changes.push(TextDocumentContentChangeEvent {
                        range: None,
                        range_length: None,
                        text: new_text,
                    });
                }
                1 => {
                    // Positions anywhere: only "no panic" is checked.
                    let p = |u: &mut Unstructured<'_>| -> Result<Position> {
                        Ok(Position::new(
                            u.int_in_range(0..=20)?,
                            u.int_in_range(0..=200)?,
                        ))
                    };
                    let range = Range::new(p(u)?, p(u)?);
                    exact = false;
                    changes.push(TextDocumentContentChangeEvent {
                        range: Some(range),
                        range_length: None,
                        text: new_text,
                    });
                }
                _ => {
                    let a = boundary(u, &model)?;
                    let b = boundary(u, &model)?;
                    let (s, e) = (a.min(b), a.max(b));
                    let index = LineIndex::new(&model);
                    let lc = |o| {
                        let p = index.line_col(&model, o, enc);
                        Position::new(p.line, p.col)
                    };
                    let range = Range::new(lc(s), lc(e));
                    model.replace_range(s..e, &new_text);
                    changes.push(TextDocumentContentChangeEvent {
                        range: Some(range),
                        range_length: None,
                        text: new_text,
                    });
                }
            }
        }
        version += 1;
        doc.apply_changes(changes, version, enc);
        assert_eq!(doc.version, version);
        assert_eq!(*doc.line_index, LineIndex::new(&doc.text));
        if exact {
            assert_eq!(doc.text.as_str(), model.as_str());
        } else {
            model = doc.text.as_str().to_string();
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
