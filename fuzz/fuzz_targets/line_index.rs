//! `LineIndex`: every byte offset on a char boundary (except between the
//! `\r` and `\n` of a CRLF, which no line/column can name) converts to a
//! line and column and back to itself, in UTF-8, UTF-16 and chars.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twirl_core::{Encoding, LineIndex};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let index = LineIndex::new(text);
    assert_eq!(index.len(), text.len());
    let b = text.as_bytes();
    for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
        let mut prev = None;
        for off in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            if off > 0 && b[off - 1] == b'\r' && b.get(off) == Some(&b'\n') {
                continue;
            }
            let lc = index.line_col(text, off, enc);
            assert_eq!(
                index.offset(text, lc, enc),
                Some(off),
                "{enc:?} {off} {lc:?}"
            );
            if let Some(p) = prev {
                assert!(lc > p, "positions not increasing at {off}");
            }
            prev = Some(lc);
        }
        // Past the end is clamped to the end.
        let end = index.line_col(text, text.len(), enc);
        assert_eq!(index.line_col(text, text.len() + 7, enc), end);
    }
});
