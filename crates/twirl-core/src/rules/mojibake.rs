use encoding_rs::WINDOWS_1252;

use super::prelude::*;

#[doc = include_str!("mojibake.md")]
pub struct Mojibake;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW601",
    name: "mojibake",
    summary: "UTF-8 text was decoded as Latin-1 or Windows-1252",
    docs: include_str!("mojibake.md"),
    group: Group::Encoding,
    default_severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    ..RuleMeta::DEFAULTS
};

impl Mojibake {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        for (range, fixed) in find(cx.text) {
            let bad = cx.slice(range);
            out.push(
                Diagnostic::new(
                    &META,
                    range,
                    format!("`{bad}` is UTF-8 misread as Windows-1252, meant `{fixed}`"),
                )
                .with_fix(Fix::safe_edit(
                    format!("Replace `{bad}` with `{fixed}`"),
                    Edit::replace(range, fixed),
                )),
            );
        }
    }
}

/// The byte `c` stands for when UTF-8 bytes were read as Windows-1252 (or
/// Latin-1, which maps 0x80-0x9F to the C1 controls).
fn cp1252_byte(c: char) -> Option<u8> {
    match c {
        '\u{80}'..='\u{ff}' => Some(c as u32 as u8),
        c if c.is_ascii() => None,
        c => {
            let mut buf = [0; 4];
            let (bytes, _, had_errors) = WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            match *bytes {
                [b] if !had_errors && b >= 0x80 => Some(b),
                _ => None,
            }
        }
    }
}

/// How many bytes at the start of `b` are ASCII, tested 16 at a time
/// (the slice `is_ascii` checks whole words).
fn ascii_prefix_len(b: &[u8]) -> usize {
    let mut n = 0;
    for chunk in b.chunks(16) {
        if chunk.is_ascii() {
            n += chunk.len();
        } else {
            return n + chunk.iter().position(|c| !c.is_ascii()).unwrap_or(0);
        }
    }
    n
}

/// Length of the UTF-8 sequence a lead byte starts (0 if not a lead byte).
fn sequence_len(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Every run of mojibake in `text`, with the text it stands for.
///
/// A run is a maximal stretch of chars that are Windows-1252 stand-ins for
/// bytes 0x80-0xFF; within it, a lead byte followed by the right number of
/// continuation bytes that decode as UTF-8 is mojibake. Adjacent sequences
/// are reported together.
pub fn find(text: &str) -> Vec<(TextRange, String)> {
    let mut out: Vec<(TextRange, String)> = Vec::new();
    let mut run: Vec<(usize, usize, u8)> = Vec::new();
    let flush = |run: &mut Vec<(usize, usize, u8)>, out: &mut Vec<(TextRange, String)>| {
        let mut i = 0;
        while i < run.len() {
            let n = sequence_len(run[i].2);
            if n > 0 && i + n <= run.len() {
                let bytes: Vec<u8> = run[i..i + n].iter().map(|r| r.2).collect();
                if let Ok(s) = std::str::from_utf8(&bytes) {
                    let range = TextRange::new(run[i].0, run[i + n - 1].1);
                    match out.last_mut() {
                        Some((r, fixed)) if r.end == range.start => {
                            r.end = range.end;
                            fixed.push_str(s);
                        }
                        _ => out.push((range, s.to_string())),
                    }
                    i += n;
                    continue;
                }
            }
            i += 1;
        }
        run.clear();
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii() {
            // ASCII has no Windows-1252 byte above 0x7F: it ends a run, and
            // the whole stretch of it is skipped at once.
            if !run.is_empty() {
                flush(&mut run, &mut out);
            }
            at += ascii_prefix_len(&bytes[at..]);
            continue;
        }
        let c = text[at..].chars().next().expect("not at the end");
        match cp1252_byte(c) {
            Some(b) => run.push((at, at + c.len_utf8(), b)),
            None => flush(&mut run, &mut out),
        }
        at += c.len_utf8();
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn fixed(s: &str) -> Vec<(&str, String)> {
        find(s)
            .into_iter()
            .map(|(r, f)| (&s[r.as_range()], f))
            .collect()
    }

    #[test]
    fn restores_common_mojibake() {
        assert_eq!(fixed("NÃ¼rnberg"), [("Ã¼", "ü".to_string())]);
        assert_eq!(fixed("MontrÃ©al"), [("Ã©", "é".to_string())]);
        assert_eq!(fixed("events ðŸ¦€"), [("ðŸ¦€", "🦀".to_string())]);
        assert_eq!(fixed("itâ€™s"), [("â€™", "’".to_string())]);
        // Two sequences in a row are one finding.
        assert_eq!(fixed("Ã¼Ã¶"), [("Ã¼Ã¶", "üö".to_string())]);
        // Latin-1 reading: U+0081 stands for byte 0x81.
        assert_eq!(fixed("\u{c3}\u{81}"), [("\u{c3}\u{81}", "Á".to_string())]);
    }

    #[test]
    fn leaves_real_text_alone() {
        for s in [
            "café",
            "Zürich",
            "naïve",
            "© 2024",
            "São Paulo",
            "Kraków",
            "½ price",
            "«quoted»",
            "Ñandú",
            "–",
            "“quoted”",
            "🦀",
            "Ã alone",
        ] {
            assert_eq!(fixed(s), [], "{s}");
        }
    }

    #[test]
    fn reports_with_safe_fix() {
        let text = "Date: 2024-11-06\n\nRusty Events ðŸ¦€ in NÃ¼rnberg\n";
        let d = crate::rules::testing::diagnostics_on(&META, text, "", None);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[1].message,
            "`Ã¼` is UTF-8 misread as Windows-1252, meant `ü`"
        );
        let f = d[1].fix.as_ref().unwrap();
        assert_eq!(f.applicability, Applicability::Safe);
        assert_eq!(f.title, "Replace `Ã¼` with `ü`");
    }

    #[test]
    fn corpus_published_issues_have_no_mojibake_and_the_seed_draft_is_restored() {
        let Some(dir) = crate::rules::testing::corpus() else {
            return;
        };
        let mut files = 0;
        for entry in std::fs::read_dir(dir.join("published")).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert_eq!(find(&text), [], "{}", entry.path().display());
            files += 1;
        }
        assert!(files > 500);
        let seed = dir.join("drafts/seed/2024-11-06-this-week-in-rust.md");
        let text = std::fs::read_to_string(seed).unwrap();
        assert_eq!(find(&text).len(), 5);
        let fixed = crate::fix::fix_all(
            &text,
            &Settings::only(&META),
            Some("draft/2024-11-06-this-week-in-rust.md"),
            None,
            Applicability::Safe,
        )
        .unwrap()
        .text;
        assert_eq!(find(&fixed), []);
        for s in [
            "2024-12-04 🦀",
            "Virtual (Nürnberg, DE)",
            "Rust Nürnberg online",
            "Montréal, QC, CA",
        ] {
            assert!(fixed.contains(s), "{s}");
        }
    }
}
