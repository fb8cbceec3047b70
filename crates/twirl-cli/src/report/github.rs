//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding. An annotation is read alone, beside one line of a diff: a
//! finding about a link's copy names the URL and the file and line of the
//! first copy.

use std::io::{self, Write};
use std::path::Path;

use twirl_core::{Diagnostic, Severity};

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
                escape(&message(r, d), false),
            ));
        }
        out
    }

    fn write(&mut self, rendered: String, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(rendered.as_bytes())
    }
}

/// The finding's message, then where its related places are; a finding on
/// a link with related places (a copy elsewhere) also names the URL:
/// `link already appears earlier in this issue: https://example.org/post
/// (earlier copy: content/a.md:12)`.
fn message(r: &FileReport<'_>, d: &Diagnostic) -> String {
    let mut out = d.message.clone();
    let on_link = r.issue.links.iter().find(|l| l.range == d.range);
    if let Some(link) = on_link.filter(|_| !d.related.is_empty()) {
        out.push_str(": ");
        out.push_str(link.url(r.text));
    }
    for rel in &d.related {
        let (file, line, _) = r.place(rel);
        // Another issue of the look-back is known by its absolute path;
        // the annotation names it from the checkout, as the diff does.
        let cwd = std::env::current_dir().unwrap_or_default();
        let file = Path::new(&file)
            .strip_prefix(&cwd)
            .map_or(file.clone(), |f| f.display().to_string());
        out.push_str(&format!(" ({}: {file}:{line})", rel.message));
    }
    out
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
