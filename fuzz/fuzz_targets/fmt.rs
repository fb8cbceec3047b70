//! `twirl fmt` on arbitrary text: no panic, the output decodes, and
//! formatting the output changes nothing (idempotence).
#![no_main]

use libfuzzer_sys::fuzz_target;
use twirl_core::{Settings, decode, format::format};

const PATH: &str = "draft/2024-11-06-this-week-in-rust.md";

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(source) = decode(rest) else {
        return;
    };
    let unsafe_fixes = flags & 1 == 1;
    let settings = Settings::default();
    let Ok(once) = format(&source.text, &settings, Some(PATH), None, unsafe_fixes) else {
        return;
    };
    let bytes = source.encode(&once.text);
    let again = decode(&bytes).expect("formatted output decodes");
    assert_eq!(again.text, once.text);
    let twice = format(&once.text, &settings, Some(PATH), None, unsafe_fixes)
        .expect("formatted output formats");
    assert_eq!(twice.text, once.text, "fmt is not idempotent");
});
