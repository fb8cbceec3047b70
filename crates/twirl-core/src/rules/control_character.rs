use super::prelude::*;

#[doc = include_str!("control_character.md")]
pub struct ControlCharacter;

pub(super) static META: RuleMeta = RuleMeta {
    code: "TW602",
    name: "control-character",
    summary: "An invisible control character in the text",
    docs: include_str!("control_character.md"),
    group: Group::Encoding,
    default_severity: Severity::Error,
    fix: FixAvailability::Always,
    ..RuleMeta::DEFAULTS
};

impl ControlCharacter {
    pub(super) fn check(&self, cx: &CheckContext<'_>, out: &mut Vec<Diagnostic>) {
        // C0 controls and DEL; C1 controls are mojibake's.
        let control = |b: u8| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || b == 0x7f;
        // A whole chunk's test compiles to vector code: the byte-by-byte
        // scan was 4 % of a corpus check.
        const CHUNK: usize = 64;
        let chunks = cx.text.as_bytes().chunks(CHUNK).enumerate();
        let with_control = chunks.filter(|(_, c)| c.iter().fold(false, |any, &b| any | control(b)));
        for (i, chunk) in with_control {
            for (j, &b) in chunk.iter().enumerate().filter(|&(_, &b)| control(b)) {
                let at = i * CHUNK + j;
                let r = TextRange::new(at, at + 1);
                let message = format!(
                    "invisible control character U+{b:04X}: remove it (in a link, the preview shows the link as text)"
                );
                out.push(
                    Diagnostic::new(&META, r, message)
                        .with_renders(
                            "nothing where it is; a link around it works",
                            "a link around it as `[text](url)` text",
                        )
                        .with_fix(Fix::safe_edit(
                            "Remove the control character",
                            Edit::delete(r),
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{diagnostics, fixed};

    #[test]
    fn control_characters_are_removed() {
        let text =
            "Date: 2024-11-06\n\n* [Job](https://jobs.example/ockam/9bdb\u{2}612c)\n\tindented\r\n";
        let d = diagnostics(&META, text);
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .starts_with("invisible control character U+0002")
        );
        let out = fixed(&META, text, Applicability::Safe);
        assert!(
            out.contains("(https://jobs.example/ockam/9bdb612c)"),
            "{out}"
        );
    }
}
