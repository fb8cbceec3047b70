//! The fuzz targets' properties (`fuzz/fuzz_targets/`), as bounded
//! proptest runs for CI: decode + parse + every rule never panics and gives
//! spans on char boundaries; `fmt` is idempotent and its output decodes;
//! `LineIndex` positions round-trip in every encoding.

use proptest::prelude::*;
use twirl_core::format::format;
use twirl_core::{CheckContext, Encoding, LineIndex, Settings, TextRange, check, decode, parse};

const PATH: &str = "draft/2024-11-06-this-week-in-rust.md";

/// Text made of the pieces issues are made of, glued at random, so that
/// the parser's and the rules' interesting paths are reached often.
fn issueish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Title: This Week in Rust 572\nNumber: 572\nDate: 2024-11-06\nCategory: This Week in Rust\n\n"),
        Just("## Updates from Rust Community\n"),
        Just("## Upcoming Events\n"),
        Just("Rusty Events between 2024-11-06 - 2024-12-04 🦀\n"),
        Just("### Virtual\n"),
        Just("### Europe\n"),
        Just("* 2024-10-30 | Virtual (Berlin, DE) | [Rust Berlin](https://example.com/b)\n"),
        Just("* 2024-11-20 | Zürich, CH | [Rust Zürich](https://example.com/zh)\n"),
        Just("    * [**Meetup**](https://example.com/m/1)\n"),
        Just("* [A post](https://example.com/a?utm_source=twir)\n"),
        Just("[x]: http://example.com//a\n"),
        Just("<https://crates.io/crates/foo>"),
        Just(" | "),
        Just("["),
        Just("]("),
        Just(")"),
        Just("`"),
        Just("```\n"),
        Just("<!-- "),
        Just("-->"),
        Just("<div>"),
        Just("\n"),
        Just("\r\n"),
        Just("\r"),
        Just("  "),
        Just("> "),
        Just("- "),
        Just("Ã¼"),
        Just("🦀"),
        Just("TODO"),
        Just("2024-13-45"),
        Just("2042-11-06"),
    ]
    .prop_map(str::to_string);
    let any = "\\PC{0,6}";
    prop::collection::vec(prop_oneof![4 => piece, 1 => any], 0..60).prop_map(|v| v.concat())
}

fn on_boundaries(text: &str, r: TextRange) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fn check_all(text: &str) {
    let issue = parse(text);
    let mut settings = Settings::default();
    settings.select_ignore(&["ALL".to_string()], &[]);
    let cx = CheckContext {
        text,
        issue: &issue,
        settings: &settings,
        path: Some(PATH),
        index: None,
    };
    for d in check(&cx) {
        assert_ne!(d.rule.name, "internal-error", "{}", d.message);
        assert!(
            on_boundaries(text, d.range),
            "{} {:?}",
            d.rule.name,
            d.range
        );
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            assert!(
                on_boundaries(text, e.range),
                "{} {:?}",
                d.rule.name,
                e.range
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_decode_parse_and_check(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(source) = decode(&bytes) {
            check_all(&source.text);
        }
    }

    #[test]
    fn issueish_text_checks_without_panic(text in issueish()) {
        check_all(&text);
    }

    #[test]
    fn fmt_is_idempotent_and_decodes(text in issueish(), unsafe_fixes in any::<bool>()) {
        let settings = Settings::default();
        if let Ok(once) = format(&text, &settings, Some(PATH), None, unsafe_fixes) {
            let again = decode(once.text.as_bytes()).expect("fmt output decodes");
            prop_assert_eq!(&again.text, &once.text);
            let twice = format(&once.text, &settings, Some(PATH), None, unsafe_fixes)
                .expect("fmt output formats");
            prop_assert_eq!(twice.text, once.text);
        }
    }

    #[test]
    fn line_index_round_trips(text in prop_oneof![issueish(), "\\PC{0,64}", "[a\r\n\u{e9}\u{1f980}]{0,64}"]) {
        let index = LineIndex::new(&text);
        let b = text.as_bytes();
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for off in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                // Between the CR and LF of a CRLF no line/column points.
                if off > 0 && b[off - 1] == b'\r' && b.get(off) == Some(&b'\n') {
                    continue;
                }
                let lc = index.line_col(&text, off, enc);
                prop_assert_eq!(index.offset(&text, lc, enc), Some(off), "{:?} {}", enc, off);
            }
        }
    }
}
