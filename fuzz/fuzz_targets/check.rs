//! Arbitrary bytes through decode, parse and every rule: no panic (a rule's
//! panic would be caught and reported as `internal-error`, which counts as a
//! crash here), and every span and fix edit is on a char boundary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twirl_core::{CheckContext, LinkIndex, Settings, check, decode, parse};

const PATH: &str = "draft/2024-11-06-this-week-in-rust.md";

fuzz_target!(|data: &[u8]| {
    let Ok(source) = decode(data) else {
        return;
    };
    let text = &source.text;
    let issue = parse(text);
    let mut settings = Settings::default();
    settings.select_ignore(&["ALL".to_string()], &[]);
    // The input is also last week's issue, so `repeated-link` has work.
    let mut index = LinkIndex::default();
    let last_week = jiff::civil::date(2024, 10, 30);
    index.add_issue(
        "2024-10-30-this-week-in-rust.md",
        last_week,
        text,
        &settings,
    );
    let cx = CheckContext {
        text,
        issue: &issue,
        settings: &settings,
        path: Some(PATH),
        index: Some(&index),
    };
    for d in check(&cx) {
        assert_ne!(d.rule.name, "internal-error", "{}", d.message);
        let ok = |r: twirl_core::TextRange| {
            r.start <= r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        };
        assert!(ok(d.range), "{} {:?}", d.rule.name, d.range);
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(ok(e.range), "{} fix {:?}", d.rule.name, e.range);
            }
        }
    }
});
