//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding.

use std::io::{self, Write};

use twirl_core::Severity;

use super::{FileReport, Reporter};

pub struct Github;

impl Reporter for Github {
    type Rendered = String;

    fn render(&self, r: &FileReport<'_>) -> String {
        let mut out = String::new();
        for d in r.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (line, col) = r.line_col(d.range.start);
            let (end_line, end_col) = r.line_col(d.range.end);
            out.push_str(&format!(
                "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
                escape(r.display, true),
                escape(&format!("{} {}", d.rule.code, d.rule.name), true),
                escape(&d.message, false),
            ));
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

/// Escapes per GitHub's workflow-command syntax.
fn escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}
