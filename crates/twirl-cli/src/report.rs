//! Turning findings into what people and machines read: miette reports,
//! JSON, GitHub workflow commands, SARIF. Nothing here knows a rule's
//! internals.

use std::io::IsTerminal;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;
use serde_json::{Value, json};
use twirl_core::diagnostic::RelatedLocation;
use twirl_core::{Diagnostic, Encoding, LineIndex, RULES, Severity};
use twirl_workspace::WorkspaceError;

/// The findings of one file, with what is needed to place them.
#[derive(Clone, Copy)]
pub struct FileReport<'a> {
    pub display: &'a str,
    pub text: &'a str,
    pub line_index: &'a LineIndex,
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
pub struct JsonPos {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
pub struct JsonEdit {
    start: JsonPos,
    end: JsonPos,
    content: String,
}

#[derive(Serialize)]
pub struct JsonFix {
    applicability: &'static str,
    title: String,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
pub struct JsonRelated {
    file: String,
    start: JsonPos,
    message: String,
}

#[derive(Serialize)]
pub struct JsonFinding {
    file: String,
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: String,
    start: JsonPos,
    end: JsonPos,
    fix: Option<JsonFix>,
    related: Vec<JsonRelated>,
}

fn pos(r: &FileReport<'_>, offset: usize) -> JsonPos {
    let lc = r.line_index.line_col(r.text, offset, Encoding::Chars);
    JsonPos {
        line: lc.line + 1,
        column: lc.col + 1,
    }
}

pub fn json_findings(r: &FileReport<'_>) -> Vec<JsonFinding> {
    r.diagnostics
        .iter()
        .map(|d| JsonFinding {
            file: r.display.to_string(),
            code: d.rule.code,
            rule: d.rule.name,
            severity: d.severity.as_str(),
            message: d.message.clone(),
            start: pos(r, d.range.start),
            end: pos(r, d.range.end),
            fix: d.fix.as_ref().map(|f| JsonFix {
                applicability: f.applicability.as_str(),
                title: f.title.clone(),
                edits: f
                    .edits
                    .iter()
                    .map(|e| JsonEdit {
                        start: pos(r, e.range.start),
                        end: pos(r, e.range.end),
                        content: e.new_text.clone(),
                    })
                    .collect(),
            }),
            related: d
                .related
                .iter()
                .map(|rel| match &rel.location {
                    RelatedLocation::Here(range) => JsonRelated {
                        file: r.display.to_string(),
                        start: pos(r, range.start),
                        message: rel.message.clone(),
                    },
                    RelatedLocation::Other { path, start, .. } => JsonRelated {
                        file: path.clone(),
                        start: JsonPos {
                            line: start.line + 1,
                            column: start.col_chars + 1,
                        },
                        message: rel.message.clone(),
                    },
                })
                .collect(),
        })
        .collect()
}

/// Escapes per GitHub's workflow-command syntax.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub fn github(r: &FileReport<'_>) -> String {
    let mut out = String::new();
    for d in r.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let s = pos(r, d.range.start);
        let e = pos(r, d.range.end);
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            gh_escape(r.display, true),
            s.line,
            s.column,
            e.line,
            e.column,
            gh_escape(&format!("{} {}", d.rule.code, d.rule.name), true),
            gh_escape(&d.message, false),
        ));
    }
    out
}

/// A path as a SARIF `uri`: relative paths stay relative (GitHub code
/// scanning resolves them against the repository root), absolute ones
/// become `file:` URIs; anything outside the URI's safe characters is
/// percent-encoded.
fn sarif_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rel = path.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest;
    }
    let (prefix, body) = if rel.starts_with('/') {
        ("file://", rel)
    } else if rel.as_bytes().get(1) == Some(&b':') && rel.as_bytes()[0].is_ascii_alphabetic() {
        ("file:///", rel)
    } else {
        ("", rel)
    };
    let mut out = String::from(prefix);
    for (i, b) in body.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            // A colon in a relative path would read as a scheme.
            || (b == b':' && !prefix.is_empty() && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF region: 1-based lines and columns, the end column exclusive,
/// columns in UTF-16 code units (SARIF's default `columnKind`).
fn sarif_region(r: &FileReport<'_>, range: twirl_core::TextRange) -> Value {
    let s = r.line_index.line_col(r.text, range.start, Encoding::Utf16);
    let e = r.line_index.line_col(r.text, range.end, Encoding::Utf16);
    json!({
        "startLine": s.line + 1,
        "startColumn": s.col + 1,
        "endLine": e.line + 1,
        "endColumn": e.col + 1,
    })
}

fn sarif_location(uri: &str, region: Value) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": region,
        }
    })
}

/// The first paragraph under a rule page's "What it does".
fn what_it_does(docs: &str) -> String {
    let body = docs
        .split_once("## What it does")
        .map_or(docs, |(_, rest)| rest)
        .trim_start();
    let para = body.split("\n\n").next().unwrap_or("");
    para.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every finding of every file as one SARIF 2.1.0 log with one run, for
/// GitHub code scanning and other SARIF viewers.
///
/// Rules are described by name (`id`, what code scanning shows), with the
/// `TWnnn` code in their properties; their help is the rule's page. Safe
/// fixes become SARIF `fixes`; related spans become `relatedLocations`.
pub fn sarif(reports: &[FileReport<'_>]) -> Value {
    let metas: Vec<&'static twirl_core::RuleMeta> = RULES
        .iter()
        .map(|r| r.meta())
        .chain(std::iter::once(&twirl_core::rules::INTERNAL_ERROR))
        .collect();
    let rules: Vec<Value> = metas
        .iter()
        .map(|m| {
            json!({
                "id": m.name,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": what_it_does(m.docs) },
                "help": { "text": m.docs, "markdown": m.docs },
                "defaultConfiguration": {
                    "enabled": m.default_enabled,
                    "level": sarif_level(m.default_severity),
                },
                "properties": {
                    "code": m.code,
                    "group": m.group.as_str(),
                    "tags": ["twir", m.group.as_str()],
                },
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let uri = sarif_uri(r.display);
        for d in r.diagnostics {
            let mut result = json!({
                "ruleId": d.rule.name,
                "level": sarif_level(d.severity),
                "message": { "text": d.message },
                "locations": [sarif_location(&uri, sarif_region(r, d.range))],
                "properties": { "code": d.rule.code },
            });
            if let Some(i) = metas.iter().position(|m| std::ptr::eq(*m, d.rule)) {
                result["ruleIndex"] = json!(i);
            }
            if !d.related.is_empty() {
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, rel)| {
                        let mut loc = match &rel.location {
                            RelatedLocation::Here(range) => {
                                sarif_location(&uri, sarif_region(r, *range))
                            }
                            RelatedLocation::Other { path, start, end } => sarif_location(
                                &sarif_uri(path),
                                json!({
                                    "startLine": start.line + 1,
                                    "startColumn": start.col_utf16 + 1,
                                    "endLine": end.line + 1,
                                    "endColumn": end.col_utf16 + 1,
                                }),
                            ),
                        };
                        loc["id"] = json!(i);
                        loc["message"] = json!({ "text": rel.message });
                        loc
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            if let Some(fix) = d.fix.as_ref().filter(|f| {
                f.applicability == twirl_core::Applicability::Safe && !f.edits.is_empty()
            }) {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": sarif_region(r, e.range),
                            "insertedContent": { "text": e.new_text },
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": fix.title },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri },
                        "replacements": replacements,
                    }],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "twirl",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}

pub fn handler() -> GraphicalReportHandler {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Messages and notes are not wrapped: a wrapped note would break the
    // `path:line:col` it names, which terminals make a link only when
    // whole (and wrapping cost a fifth of the rendering).
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_wrap_lines(false)
}

/// A file as miette's source, read through its line index: miette's own
/// `str` source counts lines from the start of the file for every span,
/// which made rendering quadratic in the file's findings.
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
        // From a line start one line above the context (miette counts lines
        // as the index does), the same contents as from the file's start,
        // with lines counted from there.
        let line = self.lines.line_of(span.offset());
        let first = line.saturating_sub(context_lines_before + 1);
        let base = self.lines.line_start(first).unwrap_or(0).min(span.offset());
        let first = if base == 0 { 0 } else { first };
        let rest = &self.text.as_bytes()[base..];
        let c = context(
            rest,
            span.offset() - base,
            span.len(),
            context_lines_before,
            context_lines_after,
        )
        .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            &rest[c.start..c.end],
            SourceSpan::new((c.start + base).into(), c.end - c.start),
            c.line + first,
            c.column,
            c.line_count + first,
        )))
    }
}

/// What miette shows around a span: the bytes `start..end`, the 0-based
/// line and byte column it reports for them, and the line breaks counted
/// up to `end`.
#[derive(Debug, PartialEq, Eq)]
struct Context {
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    line_count: usize,
}

/// The context miette 7's byte sources give for `offset..offset + len`
/// with `before` and `after` lines around it, computed a line at a time
/// rather than a byte at a time, with the same results in every case
/// (`\r\n`, a lone `\r`, empty spans, spans ending on a line break, spans
/// reaching the end); `None` where miette reports the span out of bounds.
/// `context_matches_miette` holds it to miette's own reading.
fn context(
    input: &[u8],
    offset: usize,
    len: usize,
    before: usize,
    after: usize,
) -> Option<Context> {
    // The last byte the span covers, as miette reckons it (for an empty
    // span, the byte before it).
    let last = (offset + len).saturating_sub(1);
    let mut at = 0;
    let mut line_count = 0;
    let mut start_line = 0;
    let mut column = 0;
    let mut line_start = 0;
    // Starts of the lines before the span's, at most `before` of them.
    let mut kept = std::collections::VecDeque::new();
    let mut post_span = false;
    let mut span_line_ended = false;
    let mut end_lines = 0;
    let end = loop {
        let brk = memchr::memchr2(b'\r', b'\n', &input[at..]).map_or(input.len(), |i| at + i);
        // The run of other bytes `at..brk`.
        if at < offset {
            column += brk.min(offset) - at;
        }
        if last.max(at) < brk {
            post_span = true;
            if end_lines >= after {
                break last.max(at) + 1;
            }
        }
        if brk == input.len() {
            break brk;
        }
        // The line break at `brk`; a `\r\n` is read as one, at its `\n`.
        let pos = if input[brk] == b'\r' && input.get(brk + 1) == Some(&b'\n') {
            brk + 1
        } else {
            brk
        };
        line_count += 1;
        if pos < offset {
            column = 0;
            kept.push_back(line_start);
            if kept.len() > before {
                start_line += 1;
                kept.pop_front();
            }
        } else if pos >= last && post_span {
            column = 0;
            if span_line_ended {
                end_lines += 1;
            } else {
                span_line_ended = true;
            }
            if end_lines >= after {
                break pos + 1;
            }
        }
        line_start = pos + 1;
        if pos >= last {
            post_span = true;
            if end_lines >= after {
                break pos + 1;
            }
        }
        at = pos + 1;
    };
    (end >= last).then(|| {
        let start = kept
            .front()
            .copied()
            .unwrap_or(if before == 0 { offset } else { 0 });
        Context {
            start,
            end,
            line: start_line,
            column: if before == 0 { column } else { 0 },
            line_count,
        }
    })
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

impl std::fmt::Debug for IndexedSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

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
    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag.url()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diag.labels()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.src)
    }
}

pub fn human(r: &FileReport<'_>, handler: &GraphicalReportHandler) -> String {
    // A rendered finding takes some 900 bytes on the published issues: room
    // for most without the text being copied as it grows.
    let mut out = String::with_capacity(r.diagnostics.len() * 1024);
    let src = IndexedSource {
        name: r.display,
        text: r.text,
        lines: r.line_index,
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
            twirl_core::Applicability::Safe => format!("fix: {}", f.title),
            twirl_core::Applicability::Unsafe => format!("fix (unsafe): {}", f.title),
            twirl_core::Applicability::DisplayOnly => format!("suggestion: {}", f.title),
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
        let _ = handler.render_report(&mut out, &WithSource { diag, src: &src });
        out.push('\n');
    }
    out
}

/// `twirl rules`: one line per rule.
pub fn rules_table() -> String {
    use std::fmt::Write;
    let mut out = format!(
        "{:<6} {:<22} {:<13} {:<8} {:<5} summary\n",
        "code", "name", "group", "severity", "fix"
    );
    for r in RULES {
        let m = r.meta();
        let fix = match m.fix {
            twirl_core::rules::FixAvailability::None => "",
            twirl_core::rules::FixAvailability::Sometimes => "some",
            twirl_core::rules::FixAvailability::Always => "yes",
        };
        let name = if m.default_enabled {
            m.name.to_string()
        } else {
            format!("{} (off)", m.name)
        };
        let _ = writeln!(
            out,
            "{:<6} {:<22} {:<13} {:<8} {:<5} {}",
            m.code,
            name,
            m.group.as_str(),
            m.default_severity.as_str(),
            fix,
            m.summary
        );
    }
    out
}

/// A workspace error as a report; a bad config shows its snippet.
pub fn workspace_error(e: WorkspaceError) -> miette::Report {
    match e {
        WorkspaceError::Config {
            path, text, source, ..
        } => {
            let mut diag = MietteDiagnostic::new(format!(
                "invalid config {}: {}",
                path.display(),
                source.message
            ))
            .with_code("twirl::config");
            if let Some(span) = source.span.clone() {
                diag = diag.with_label(LabeledSpan::new_primary_with_span(
                    Some(source.message.clone()),
                    span,
                ));
            }
            miette::Report::new(diag)
                .with_source_code(NamedSource::new(path.display().to_string(), text))
        }
        other => miette::miette!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// miette's own reading of a span from the start of the text.
    fn miette_context(
        text: &str,
        offset: usize,
        len: usize,
        b: usize,
        a: usize,
    ) -> Option<Context> {
        let span = SourceSpan::new(offset.into(), len);
        let c = text.as_bytes().read_span(&span, b, a).ok()?;
        let start = c.span().offset();
        Some(Context {
            start,
            end: start + c.span().len(),
            line: c.line(),
            column: c.column(),
            line_count: c.line_count(),
        })
    }

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

    /// A text, a span starting in it (or at its end) and reaching at most
    /// one byte past it or beyond, and the lines of context around it.
    fn spans() -> impl Strategy<Value = (String, usize, usize, usize, usize)> {
        (texts(), 0.0..=1.0f64, 0usize..12, 0usize..3, 0usize..3).prop_map(
            |(text, at, len, before, after)| {
                let offset = (at * text.len() as f64) as usize;
                (text, offset, len, before, after)
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The line-at-a-time reading agrees with miette's byte-at-a-time
        /// one on every span within (or one past) the text.
        #[test]
        fn context_matches_miette(
            (text, offset, len, before, after) in spans(),
        ) {
            prop_assert_eq!(
                context(text.as_bytes(), offset, len, before, after),
                miette_context(&text, offset, len, before, after)
            );
        }

        /// Read through the line index, a file gives miette what the whole
        /// text would: the same bytes, lines and columns.
        #[test]
        fn indexed_source_matches_miette(
            (text, offset, len, before, after) in spans(),
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
