//! The human report: each finding drawn by miette with its source lines.

use std::io::{self, IsTerminal, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use twirl_core::diagnostic::RelatedLocation;
use twirl_core::{Applicability, LineIndex, Severity};

use super::{FileReport, Reporter};

pub struct Human {
    handler: GraphicalReportHandler,
}

impl Human {
    pub fn new() -> Self {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // Messages and notes are not wrapped: a wrapped note would break
        // the `path:line:col` it names, which terminals make a link only
        // when whole.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_wrap_lines(false);
        Human { handler }
    }
}

impl Reporter for Human {
    type Rendered = String;

    fn render(&self, r: &FileReport<'_>) -> String {
        let mut out = String::new();
        for d in r.diagnostics {
            let mut labels = vec![LabeledSpan::new_primary_with_span(
                Some(d.message.clone()),
                d.range.as_range(),
            )];
            let mut notes = Vec::new();
            for rel in &d.related {
                match &rel.location {
                    RelatedLocation::Here(range) => labels.push(LabeledSpan::new_with_span(
                        Some(rel.message.clone()),
                        range.as_range(),
                    )),
                    RelatedLocation::Other { path, start, .. } => notes.push(format!(
                        "{}: {}:{}:{}",
                        rel.message,
                        path,
                        start.line + 1,
                        start.col_chars + 1
                    )),
                }
            }
            let fix = d.fix.as_ref().map(|f| match f.applicability {
                Applicability::Safe => format!("fix: {}", f.title),
                Applicability::Unsafe => format!("fix (unsafe): {}", f.title),
                Applicability::DisplayOnly => format!("suggestion: {}", f.title),
            });
            let help: Vec<String> = fix.into_iter().chain(notes).collect();
            let mut diag = MietteDiagnostic::new(d.message.clone())
                .with_code(format!("{}({})", d.rule.name, d.rule.code))
                .with_severity(match d.severity {
                    Severity::Error => miette::Severity::Error,
                    Severity::Warning => miette::Severity::Warning,
                    Severity::Info => miette::Severity::Advice,
                })
                .with_labels(labels);
            if !help.is_empty() {
                diag = diag.with_help(help.join("\n"));
            }
            let finding = Finding {
                diag,
                name: r.display,
                text: r.text,
                lines: &r.issue.line_index,
            };
            let _ = self.handler.render_report(&mut out, &finding);
            out.push('\n');
        }
        out
    }

    fn write(&mut self, rendered: String, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(rendered.as_bytes())
    }
}

/// A finding with its file, for miette to render. The file is read
/// through its line index: miette's own sources count lines from the
/// start of the text for every span, which makes a report quadratic in its
/// file's findings.
#[derive(Debug)]
struct Finding<'a> {
    diag: MietteDiagnostic,
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
}

/// Bytes shown before and after a span on a long line: a report then
/// costs about its findings, not its findings times their lines' length
/// (one 40 KB line of 20,000 findings printed the line 20,000 times).
const WINDOW: usize = 256;

impl SourceCode for Finding<'_> {
    /// miette draws labels whose lines are near in one snippet, reading
    /// the span that joins them: a join wider than two windows would show
    /// all the text between the labels, so it fails, and miette draws
    /// each label in a snippet of its own.
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let label = self.diag.labels.iter().flatten().any(|l| l.inner() == span);
        if (!label && span.len() > 2 * WINDOW) || span.offset() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // miette reads from a line start one line above the context (it
        // counts lines as the index does) as it would from the file's
        // start, but no further than a window before the span and after
        // it; its lines are then counted from there.
        let line = self.lines.line_of(span.offset());
        let above = line.saturating_sub(context_lines_before + 1);
        let base = self.lines.line_start(above).unwrap_or(0);
        let start = self
            .boundary(span.offset().saturating_sub(WINDOW), false)
            .max(base);
        let end = self.boundary(span.offset() + span.len() + WINDOW, true);
        let first = self.lines.line_of(start);
        let rest = &self.text.as_bytes()[start..end];
        let local = SourceSpan::new((span.offset() - start).into(), span.len());
        let c = rest.read_span(&local, context_lines_before, context_lines_after)?;
        // A column counted from a window's start is one from its line's.
        let column = if context_lines_before == 0 && line == first {
            c.column() + start - self.lines.line_start(first).unwrap_or(0)
        } else {
            c.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            c.data(),
            SourceSpan::new((c.span().offset() + start).into(), c.span().len()),
            c.line() + first,
            column,
            c.line_count() + first,
        )))
    }
}

impl Finding<'_> {
    /// The char boundary nearest `offset` (clamped to the text), going
    /// up or down.
    fn boundary(&self, offset: usize, up: bool) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            if up {
                at += 1;
            } else {
                at -= 1;
            }
        }
        at
    }
}

impl std::fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.diag, f)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.diag.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag.help()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diag.labels()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("é"),
                Just("\n"),
                Just("\r"),
                Just("\r\n"),
                Just(" ")
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Texts with lines longer than two windows.
    fn long_texts() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a".repeat(100)),
                Just("é".repeat(70)),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\r".to_string()),
                Just(" ".to_string()),
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    /// A text, an offset in it, a span length, and the context lines
    /// asked for before and after the span.
    type Read = (String, usize, usize, usize, usize);

    fn reads(texts: impl Strategy<Value = String>) -> impl Strategy<Value = Read> {
        (texts, 0.0..=1.0f64, 0usize..12, 0usize..3, 0usize..3).prop_map(
            |(text, at, len, before, after)| {
                let offset = (at * text.len() as f64) as usize;
                (text, offset, len, before, after)
            },
        )
    }

    /// Reads the span through the line index (ours) and from the whole
    /// text (miette's): both fail or both succeed, and then `compare`
    /// judges them.
    fn read_both(
        (text, offset, len, before, after): &Read,
        compare: impl FnOnce(
            &LineIndex,
            &dyn SpanContents<'_>,
            &dyn SpanContents<'_>,
        ) -> Result<(), TestCaseError>,
    ) -> Result<(), TestCaseError> {
        let lines = LineIndex::new(text);
        let src = Finding {
            diag: MietteDiagnostic::new("a finding without labels"),
            name: "f.md",
            text,
            lines: &lines,
        };
        let span = SourceSpan::new((*offset).into(), *len);
        let ours = src.read_span(&span, *before, *after).ok();
        let theirs = text.as_bytes().read_span(&span, *before, *after).ok();
        prop_assert_eq!(ours.is_some(), theirs.is_some());
        match (ours, theirs) {
            (Some(o), Some(t)) => compare(&lines, &*o, &*t),
            _ => Ok(()),
        }
    }

    proptest! {
        /// On long lines, what is read is a window of what miette would
        /// read from the whole text, holding the span, numbered with the
        /// line it starts on and the same column.
        #[test]
        fn a_long_line_is_read_as_a_window(r in reads(long_texts())) {
            let (text, offset, len, before, after) = r.clone();
            read_both(&r, |lines, o, t| {
                let at = o.span().offset();
                prop_assert!(at >= t.span().offset());
                let end = (offset + len).min(text.len());
                prop_assert!(at <= offset && end <= at + o.data().len());
                prop_assert_eq!(o.data(), &text.as_bytes()[at..at + o.data().len()]);
                prop_assert!(o.data().len() <= len + 2 * WINDOW + 4);
                // The span's line is numbered as in the text.
                let b = &text.as_bytes()[at..offset.min(text.len())];
                let breaks = (0..b.len())
                    .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
                    .count();
                // (No line can name the offset inside a CRLF.)
                let in_crlf = offset > 0 && b.last() == Some(&b'\r') && text.as_bytes().get(offset) == Some(&b'\n');
                if !in_crlf {
                    prop_assert_eq!(o.line() + breaks, lines.line_of(offset));
                }
                // miette asks for a column with no context lines (it
                // counts none with lines before and drops it at a line
                // break after).
                if before == 0 && after == 0 {
                    prop_assert_eq!(o.column(), t.column());
                }
                Ok(())
            })?;
        }

        /// Read through the line index, a file gives miette what the whole
        /// text would: the same bytes, lines and columns.
        #[test]
        fn indexed_source_matches_miette(r in reads(texts())) {
            read_both(&r, |_, o, t| {
                prop_assert_eq!(o.data(), t.data());
                prop_assert_eq!(o.span(), t.span());
                prop_assert_eq!(o.line(), t.line());
                prop_assert_eq!(o.column(), t.column());
                prop_assert_eq!(o.line_count(), t.line_count());
                prop_assert_eq!(o.name(), Some("f.md"));
                Ok(())
            })?;
        }
    }
}
