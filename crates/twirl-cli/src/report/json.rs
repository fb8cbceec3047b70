//! `--format json`: one JSON document, `{"version": 1, "findings": [...]}`,
//! described by `docs/check-json.schema.json`. A change that could break a
//! reader of the document raises `version`.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, Reporter};

/// The version of the document's shape.
const VERSION: u32 = 1;

#[derive(Default)]
pub struct Json {
    findings: Vec<Finding>,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: &'a [Finding],
}

#[derive(Serialize)]
pub struct Finding {
    file: String,
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: String,
    start: Position,
    end: Position,
    fix: Option<Fix>,
    related: Vec<Related>,
}

/// 1-based line and column, the column counted in chars.
#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Fix {
    applicability: &'static str,
    title: String,
    edits: Vec<Edit>,
}

#[derive(Serialize)]
struct Edit {
    start: Position,
    end: Position,
    content: String,
}

#[derive(Serialize)]
struct Related {
    file: String,
    start: Position,
    message: String,
}

fn position(r: &FileReport<'_>, offset: usize) -> Position {
    let (line, column) = r.line_col(offset);
    Position { line, column }
}

impl Reporter for Json {
    type Rendered = Vec<Finding>;

    fn render(&self, r: &FileReport<'_>) -> Vec<Finding> {
        r.diagnostics
            .iter()
            .map(|d| Finding {
                file: r.display.to_string(),
                code: d.rule.code,
                rule: d.rule.name,
                severity: d.severity.as_str(),
                message: d.message.clone(),
                start: position(r, d.range.start),
                end: position(r, d.range.end),
                fix: d.fix.as_ref().map(|f| Fix {
                    applicability: f.applicability.as_str(),
                    title: f.title.clone(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| Edit {
                            start: position(r, e.range.start),
                            end: position(r, e.range.end),
                            content: e.new_text.clone(),
                        })
                        .collect(),
                }),
                related: d
                    .related
                    .iter()
                    .map(|rel| {
                        let (file, line, column) = r.place(rel);
                        Related {
                            file,
                            start: Position { line, column },
                            message: rel.message.clone(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    fn write(&mut self, rendered: Vec<Finding>, _out: &mut dyn Write) -> io::Result<()> {
        self.findings.extend(rendered);
        Ok(())
    }

    fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        let doc = Document {
            version: VERSION,
            findings: &self.findings,
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
