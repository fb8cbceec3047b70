//! Turning findings into what people and machines read: miette reports,
//! JSON, GitHub workflow commands. Nothing here knows a rule's internals.

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use serde::Serialize;
use twirl_core::diagnostic::RelatedLocation;
use twirl_core::{Diagnostic, Encoding, LineIndex, RULES, Severity};
use twirl_workspace::WorkspaceError;

/// The findings of one file, with what is needed to place them.
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

pub fn handler() -> GraphicalReportHandler {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(100)
}

pub fn human(r: &FileReport<'_>, handler: &GraphicalReportHandler) -> String {
    let mut out = String::new();
    let src = std::sync::Arc::new(NamedSource::new(r.display, r.text.to_string()));
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
        let report = miette::Report::new(diag).with_source_code(src.clone());
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    }
    out
}

pub fn print_rules() {
    println!(
        "{:<6} {:<22} {:<13} {:<8} {:<5} summary",
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
        println!(
            "{:<6} {:<22} {:<13} {:<8} {:<5} {}",
            m.code,
            name,
            m.group.as_str(),
            m.default_severity.as_str(),
            fix,
            m.summary
        );
    }
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
