//! The one place where byte spans meet LSP positions.
//!
//! The core speaks byte ranges; a client speaks lines and columns in the
//! encoding negotiated at `initialize` (UTF-8 when it offers it, UTF-16
//! otherwise). Every conversion goes through [`LineIndex`] here, so no other
//! module ever counts code units.

use serde::{Deserialize, Serialize};
use tower_lsp::lsp_types::{
    self as lsp, ClientCapabilities, CodeDescription, DiagnosticRelatedInformation,
    DiagnosticSeverity, Location, NumberOrString, Position, PositionEncodingKind, TextEdit, Url,
};
use twirl_core::diagnostic::{FilePosition, RelatedLocation};
use twirl_core::{Applicability, Diagnostic, Edit, Encoding, LineCol, LineIndex, TextRange};

/// The folder of the rule pages: each rule's page is `<rule_name>.md` there,
/// beside its code, and a diagnostic's `codeDescription` links to it.
pub const RULES_DOC_URL: &str =
    "https://github.com/twirl-dev/twirl/blob/main/crates/twirl-core/src/rules";

/// What every diagnostic says it comes from.
pub const SOURCE: &str = "twirl";

/// The encoding to use with a client: UTF-8 when it offers it, else UTF-16
/// (which every client must support).
pub fn negotiate(caps: &ClientCapabilities) -> Encoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// The LSP name of an encoding.
pub fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Chars => PositionEncodingKind::UTF32,
    }
}

pub fn position(text: &str, index: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let lc = index.line_col(text, offset, enc);
    Position::new(lc.line, lc.col)
}

pub fn range(text: &str, index: &LineIndex, r: TextRange, enc: Encoding) -> lsp::Range {
    lsp::Range::new(
        position(text, index, r.start, enc),
        position(text, index, r.end, enc),
    )
}

/// The byte offset of a position the client sent in a request. `None` when
/// the position is not in the text (a line past the end, a column past the
/// end of its line or inside a character): the caller answers InvalidParams.
pub fn offset(text: &str, index: &LineIndex, pos: Position, enc: Encoding) -> Option<usize> {
    index.offset(
        text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    )
}

/// The byte range of a range the client sent in a request.
pub fn text_range(
    text: &str,
    index: &LineIndex,
    r: lsp::Range,
    enc: Encoding,
) -> Option<TextRange> {
    let start = offset(text, index, r.start, enc)?;
    let end = offset(text, index, r.end, enc)?;
    (start <= end).then(|| TextRange::new(start, end))
}

/// The byte offset of a position in a change notification. The protocol
/// says a column past the end of a line means the end of the line, and a
/// line past the end means the end of the text; a column inside a
/// character is moved back to the character's start.
pub fn offset_clamped(text: &str, index: &LineIndex, pos: Position, enc: Encoding) -> usize {
    let Some(line) = index.line_range(text, pos.line as usize) else {
        return text.len();
    };
    let col = pos.character as usize;
    if enc == Encoding::Utf8 {
        let mut off = (line.start + col).min(line.end);
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        return off;
    }
    let mut units = 0;
    for (i, ch) in text[line.as_range()].char_indices() {
        let w = match enc {
            Encoding::Utf16 => ch.len_utf16(),
            _ => 1,
        };
        if units + w > col {
            return line.start + i;
        }
        units += w;
    }
    line.end
}

/// A position in a file the server does not hold, from the columns the
/// core computed for it.
pub fn file_position(p: &FilePosition, enc: Encoding) -> Position {
    let col = match enc {
        Encoding::Utf8 => p.col_utf8,
        Encoding::Utf16 => p.col_utf16,
        Encoding::Chars => p.col_chars,
    };
    Position::new(p.line, col)
}

/// The `file:` URI of a path the core reported (relative paths are taken
/// from the current directory).
pub fn path_to_uri(path: &str) -> Option<Url> {
    let p = std::path::Path::new(path);
    let abs = std::path::absolute(p).ok()?;
    Url::from_file_path(abs).ok()
}

pub fn text_edit(text: &str, index: &LineIndex, edit: &Edit, enc: Encoding) -> TextEdit {
    TextEdit::new(range(text, index, edit.range, enc), edit.new_text.clone())
}

pub fn severity(s: twirl_core::Severity) -> DiagnosticSeverity {
    match s {
        twirl_core::Severity::Error => DiagnosticSeverity::ERROR,
        twirl_core::Severity::Warning => DiagnosticSeverity::WARNING,
        twirl_core::Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The link to a rule's page; none for `internal-error`, which has no page.
pub fn rule_url(name: &str) -> Option<String> {
    twirl_core::rules::rule_by_name(name)
        .map(|m| format!("{RULES_DOC_URL}/{}.md", m.name.replace('-', "_")))
}

/// What a diagnostic's `data` carries: its fix, already in the client's
/// coordinates for the document version it was computed on, so a code
/// action needs no re-lint.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FixData {
    /// The document version the edits apply to.
    pub version: i32,
    pub title: String,
    /// `safe`, `unsafe` or `display-only`.
    pub applicability: String,
    pub edits: Vec<TextEdit>,
}

impl FixData {
    pub fn applicability(&self) -> Applicability {
        match self.applicability.as_str() {
            "safe" => Applicability::Safe,
            "unsafe" => Applicability::Unsafe,
            _ => Applicability::DisplayOnly,
        }
    }
}

/// A core diagnostic as the client sees it.
pub fn diagnostic(
    text: &str,
    index: &LineIndex,
    uri: &Url,
    version: i32,
    d: &Diagnostic,
    enc: Encoding,
) -> lsp::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.location {
                RelatedLocation::Here(range_) => {
                    Location::new(uri.clone(), range(text, index, *range_, enc))
                }
                RelatedLocation::Other { path, start, end } => Location::new(
                    path_to_uri(path)?,
                    lsp::Range::new(file_position(start, enc), file_position(end, enc)),
                ),
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    let data = d.fix.as_ref().map(|f| {
        let data = FixData {
            version,
            title: f.title.clone(),
            applicability: f.applicability.as_str().to_string(),
            edits: f
                .edits
                .iter()
                .map(|e| text_edit(text, index, e, enc))
                .collect(),
        };
        serde_json::to_value(data).unwrap_or(serde_json::Value::Null)
    });
    lsp::Diagnostic {
        range: range(text, index, d.range, enc),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.name.to_string())),
        code_description: rule_url(d.rule.name)
            .and_then(|url| Url::parse(&url).ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data,
    }
}

/// The diagnostic that ends a capped list (`server::MAX_PUBLISHED`): at
/// the first finding not shown, it says how many there are in all.
pub fn more_not_shown(
    text: &str,
    index: &LineIndex,
    at: usize,
    total: usize,
    enc: Encoding,
) -> lsp::Diagnostic {
    let at = position(text, index, at, enc);
    lsp::Diagnostic {
        range: lsp::Range::new(at, at),
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some(SOURCE.to_string()),
        message: format!(
            "{} of {total} problems shown; `twirl check` lists them all",
            crate::server::MAX_PUBLISHED
        ),
        ..lsp::Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule's link names a file in this repository that holds the very
    /// page the rule documents itself with, so a renamed or missing page
    /// fails here instead of becoming a dead link in every editor.
    #[test]
    fn every_rule_links_to_its_own_page() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let base = RULES_DOC_URL
            .strip_prefix("https://github.com/twirl-dev/twirl/blob/main/")
            .unwrap();
        for rule in twirl_core::rules::RULES {
            let meta = rule.meta();
            let url = rule_url(meta.name).unwrap();
            let file = url.strip_prefix(RULES_DOC_URL).unwrap();
            let path = root.join(base).join(file.trim_start_matches('/'));
            let page = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                page == meta.docs,
                "rule `{}` links to {url}, but {} does not hold its page: keep a rule's \
                 page beside its code as `<rule_name>.md` (`docs: include_str!(\"{}\")`)",
                meta.name,
                path.display(),
                file.trim_start_matches('/'),
            );
        }
        assert_eq!(rule_url(twirl_core::rules::INTERNAL_ERROR.name), None);
    }

    #[test]
    fn clamped_offsets_follow_the_protocol() {
        let text = "a🦀b\nxy";
        let idx = LineIndex::new(text);
        let p = |l, c| Position::new(l, c);
        assert_eq!(offset_clamped(text, &idx, p(0, 99), Encoding::Utf16), 6);
        assert_eq!(
            offset_clamped(text, &idx, p(9, 0), Encoding::Utf16),
            text.len()
        );
        // inside the crab's surrogate pair: back to its start
        assert_eq!(offset_clamped(text, &idx, p(0, 2), Encoding::Utf16), 1);
        assert_eq!(offset_clamped(text, &idx, p(0, 3), Encoding::Utf16), 5);
        assert_eq!(offset_clamped(text, &idx, p(0, 3), Encoding::Utf8), 1);
        assert_eq!(offset_clamped(text, &idx, p(1, 1), Encoding::Utf8), 8);
        assert_eq!(offset(text, &idx, p(0, 2), Encoding::Utf16), None);
        assert_eq!(offset(text, &idx, p(0, 3), Encoding::Utf16), Some(5));
    }
}
