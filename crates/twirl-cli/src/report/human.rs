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
        let src = IndexedSource {
            name: r.display,
            text: r.text,
            lines: &r.issue.line_index,
        };
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
            let mut help = d.fix.as_ref().map(|f| match f.applicability {
                Applicability::Safe => format!("fix: {}", f.title),
                Applicability::Unsafe => format!("fix (unsafe): {}", f.title),
                Applicability::DisplayOnly => format!("suggestion: {}", f.title),
            });
            if !notes.is_empty() {
                let n = notes.join("\n");
                help = Some(match help {
                    Some(h) => format!("{h}\n{n}"),
                    None => n,
                });
            }
            let mut diag = MietteDiagnostic::new(d.message.clone())
                .with_code(format!("{}({})", d.rule.name, d.rule.code))
                .with_severity(match d.severity {
                    Severity::Error => miette::Severity::Error,
                    Severity::Warning => miette::Severity::Warning,
                    Severity::Info => miette::Severity::Advice,
                })
                .with_labels(labels);
            if let Some(h) = help {
                diag = diag.with_help(h);
            }
            let _ = self
                .handler
                .render_report(&mut out, &WithSource { diag, src: &src });
            out.push('\n');
        }
        out
    }

    fn write(&mut self, rendered: String, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(rendered.as_bytes())
    }

    fn finish(self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// A file as miette's source, read through its line index: miette's own
/// sources count lines from the start of the text for every span, which
/// makes a report quadratic in its file's findings.
struct IndexedSource<'a> {
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        if span.offset() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // miette reads from a line start one line above the context (it
        // counts lines as the index does) as it would from the file's
        // start; its lines are then counted from there.
        let line = self.lines.line_of(span.offset());
        let first = line.saturating_sub(context_lines_before + 1);
        let base = self.lines.line_start(first).unwrap_or(0).min(span.offset());
        let first = if base == 0 { 0 } else { first };
        let rest = &self.text.as_bytes()[base..];
        let local = SourceSpan::new((span.offset() - base).into(), span.len());
        let c = rest.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            c.data(),
            SourceSpan::new((c.span().offset() + base).into(), c.span().len()),
            c.line() + first,
            c.column(),
            c.line_count() + first,
        )))
    }
}

impl std::fmt::Debug for IndexedSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// A finding with its file, for miette to render.
#[derive(Debug)]
struct WithSource<'a> {
    diag: MietteDiagnostic,
    src: &'a IndexedSource<'a>,
}

impl std::fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.diag, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl miette::Diagnostic for WithSource<'_> {
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
        Some(self.src)
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

    proptest! {
        /// Read through the line index, a file gives miette what the whole
        /// text would: the same bytes, lines and columns.
        #[test]
        fn indexed_source_matches_miette(
            (text, offset, len, before, after) in (texts(), 0.0..=1.0f64, 0usize..12, 0usize..3, 0usize..3)
                .prop_map(|(text, at, len, b, a)| {
                    let offset = (at * text.len() as f64) as usize;
                    (text, offset, len, b, a)
                }),
        ) {
            let lines = LineIndex::new(&text);
            let src = IndexedSource { name: "f.md", text: &text, lines: &lines };
            let span = SourceSpan::new(offset.into(), len);
            let ours = src.read_span(&span, before, after).ok();
            let theirs = text.as_bytes().read_span(&span, before, after).ok();
            prop_assert_eq!(ours.is_some(), theirs.is_some());
            if let (Some(o), Some(t)) = (ours, theirs) {
                prop_assert_eq!(o.data(), t.data());
                prop_assert_eq!(o.span(), t.span());
                prop_assert_eq!(o.line(), t.line());
                prop_assert_eq!(o.column(), t.column());
                prop_assert_eq!(o.line_count(), t.line_count());
                prop_assert_eq!(o.name(), Some("f.md"));
            }
        }
    }
}
