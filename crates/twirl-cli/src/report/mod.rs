//! Findings as people and machines read them. Each output format is one
//! module here, a [`Reporter`]; nothing here knows a rule's internals.

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};

use miette::{LabeledSpan, MietteDiagnostic, NamedSource};
use twirl_core::diagnostic::{Related, RelatedLocation};
use twirl_core::{Diagnostic, Encoding, Issue, RULES};
use twirl_workspace::WorkspaceError;

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif;

/// The findings of one file, with what is needed to place them.
#[derive(Clone, Copy)]
pub struct FileReport<'a> {
    /// What to call the file.
    pub display: &'a str,
    pub text: &'a str,
    /// The issue parsed from `text`: its line index, its links.
    pub issue: &'a Issue,
    pub diagnostics: &'a [Diagnostic],
}

impl FileReport<'_> {
    /// 1-based line and column (in chars) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let lc = self
            .issue
            .line_index
            .line_col(self.text, offset, Encoding::Chars);
        (lc.line + 1, lc.col + 1)
    }

    /// The file, 1-based line and column (in chars) of a related place.
    fn place(&self, related: &Related) -> (String, u32, u32) {
        match &related.location {
            RelatedLocation::Here(range) => {
                let (line, col) = self.line_col(range.start);
                (self.display.to_string(), line, col)
            }
            RelatedLocation::Other { path, start, .. } => {
                (path.clone(), start.line + 1, start.col_chars + 1)
            }
        }
    }
}

/// One output format of `twirl check`.
///
/// `render` runs on the worker that checked the file, so the costly part
/// of a report is spread over the cores; `write` then gets each file's
/// rendering in path order, and `finish` (by default nothing) runs after
/// the last file.
pub trait Reporter: Sized + Sync {
    /// One file's findings, rendered.
    type Rendered: Send;
    fn render(&self, file: &FileReport<'_>) -> Self::Rendered;
    fn write(&mut self, rendered: Self::Rendered, out: &mut dyn Write) -> io::Result<()>;
    fn finish(self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
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
            let label = source
                .span
                .clone()
                .map(|span| LabeledSpan::new_primary_with_span(Some(source.message.clone()), span));
            let diag = MietteDiagnostic::new(format!(
                "invalid config {}: {}",
                path.display(),
                source.message
            ))
            .with_code("twirl::config")
            .with_labels(label);
            miette::Report::new(diag)
                .with_source_code(NamedSource::new(path.display().to_string(), text))
        }
        other => miette::miette!("{other}"),
    }
}
