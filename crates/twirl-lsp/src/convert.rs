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

/// A text and its line index in the client's encoding: what every
/// conversion between byte offsets and LSP positions needs.
#[derive(Clone, Copy)]
pub struct Lines<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub enc: Encoding,
}

impl Lines<'_> {
    pub fn position(self, offset: usize) -> Position {
        let lc = self.index.line_col(self.text, offset, self.enc);
        Position::new(lc.line, lc.col)
    }

    pub fn range(self, r: TextRange) -> lsp::Range {
        lsp::Range::new(self.position(r.start), self.position(r.end))
    }

    /// The byte offset of a position the client sent in a request. `None`
    /// when the position is not in the text (a line past the end, a column
    /// past the end of its line or inside a character): the caller answers
    /// InvalidParams.
    pub fn offset(self, pos: Position) -> Option<usize> {
        let (line, col) = (pos.line, pos.character);
        self.index
            .offset(self.text, LineCol { line, col }, self.enc)
    }

    /// The byte range of a range the client sent in a request.
    pub fn text_range(self, r: lsp::Range) -> Option<TextRange> {
        let (start, end) = (self.offset(r.start)?, self.offset(r.end)?);
        (start <= end).then(|| TextRange::new(start, end))
    }

    /// The byte offset of a position in a change notification. The
    /// protocol says a column past the end of a line means the end of the
    /// line, and a line past the end means the end of the text; a column
    /// inside a character is moved back to the character's start.
    pub fn offset_clamped(self, pos: Position) -> usize {
        let Some(line) = self.index.line_range(self.text, pos.line as usize) else {
            return self.text.len();
        };
        let end = self.position(line.end).character;
        (0..=pos.character.min(end))
            .rev()
            .find_map(|col| self.offset(Position::new(pos.line, col)))
            .unwrap_or(line.start)
    }

    pub fn text_edit(self, edit: &Edit) -> TextEdit {
        TextEdit::new(self.range(edit.range), edit.new_text.clone())
    }

    /// A core diagnostic as the client sees it.
    pub fn diagnostic(self, uri: &Url, version: i32, d: &Diagnostic) -> lsp::Diagnostic {
        let enc = self.enc;
        let related: Vec<DiagnosticRelatedInformation> = d
            .related
            .iter()
            .filter_map(|r| {
                let location = match &r.location {
                    RelatedLocation::Here(range) => Location::new(uri.clone(), self.range(*range)),
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
                edits: f.edits.iter().map(|e| self.text_edit(e)).collect(),
            };
            serde_json::to_value(data).unwrap_or(serde_json::Value::Null)
        });
        lsp::Diagnostic {
            range: self.range(d.range),
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
    pub fn more_not_shown(self, at: usize, total: usize) -> lsp::Diagnostic {
        let at = self.position(at);
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
    let abs = std::path::absolute(path).ok()?;
    Url::from_file_path(abs).ok()
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
        let index = &LineIndex::new(text);
        let utf16 = Lines {
            text,
            index,
            enc: Encoding::Utf16,
        };
        let utf8 = Lines {
            text,
            index,
            enc: Encoding::Utf8,
        };
        let p = |l, c| Position::new(l, c);
        assert_eq!(utf16.offset_clamped(p(0, 99)), 6);
        assert_eq!(utf16.offset_clamped(p(9, 0)), text.len());
        // inside the crab's surrogate pair: back to its start
        assert_eq!(utf16.offset_clamped(p(0, 2)), 1);
        assert_eq!(utf16.offset_clamped(p(0, 3)), 5);
        assert_eq!(utf8.offset_clamped(p(0, 3)), 1);
        assert_eq!(utf8.offset_clamped(p(1, 1)), 8);
        assert_eq!(utf16.offset(p(0, 2)), None);
        assert_eq!(utf16.offset(p(0, 3)), Some(5));
    }
}
