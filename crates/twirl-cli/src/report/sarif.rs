//! `--format sarif`: one SARIF 2.1.0 log with one run, for GitHub code
//! scanning and other SARIF viewers.
//!
//! Rules are described by name (`id`, what code scanning shows), with the
//! `TWnnn` code in their properties; their help is the rule's page. Safe
//! fixes become SARIF `fixes`; related spans become `relatedLocations`.
//! Columns are UTF-16 code units (SARIF's default `columnKind`).

use std::io::{self, Write};

use serde_json::{Value, json};
use twirl_core::diagnostic::RelatedLocation;
use twirl_core::{Applicability, Encoding, RULES, RuleMeta, Severity, TextRange};

use super::{FileReport, Reporter};

#[derive(Default)]
pub struct Sarif {
    results: Vec<Value>,
}

impl Reporter for Sarif {
    type Rendered = Vec<Value>;

    fn render(&self, r: &FileReport<'_>) -> Vec<Value> {
        let uri = uri(r.display);
        let metas = metas();
        r.diagnostics
            .iter()
            .map(|d| {
                let mut result = json!({
                    "ruleId": d.rule.name,
                    "level": level(d.severity),
                    "message": { "text": d.message },
                    "locations": [location(&uri, region(r, d.range))],
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
                                RelatedLocation::Here(range) => location(&uri, region(r, *range)),
                                RelatedLocation::Other { path, start, end } => location(
                                    &self::uri(path),
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
                if let Some(fix) = d
                    .fix
                    .as_ref()
                    .filter(|f| f.applicability == Applicability::Safe && !f.edits.is_empty())
                {
                    let replacements: Vec<Value> = fix
                        .edits
                        .iter()
                        .map(|e| {
                            json!({
                                "deletedRegion": region(r, e.range),
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
                result
            })
            .collect()
    }

    fn write(&mut self, rendered: Vec<Value>, _out: &mut dyn Write) -> io::Result<()> {
        self.results.extend(rendered);
        Ok(())
    }

    fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = metas()
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
                        "level": level(m.default_severity),
                    },
                    "properties": {
                        "code": m.code,
                        "group": m.group.as_str(),
                        "tags": ["twir", m.group.as_str()],
                    },
                })
            })
            .collect();
        let log = json!({
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
                "results": self.results,
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// Every rule the log describes, in `ruleIndex` order.
fn metas() -> Vec<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta())
        .chain(std::iter::once(&twirl_core::rules::INTERNAL_ERROR))
        .collect()
}

/// A path as a SARIF `uri`: relative paths stay relative (GitHub code
/// scanning resolves them against the repository root), absolute ones
/// become `file:` URIs; anything outside the URI's safe characters is
/// percent-encoded.
fn uri(path: &str) -> String {
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

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF region: 1-based lines and columns, the end column exclusive.
fn region(r: &FileReport<'_>, range: TextRange) -> Value {
    let lines = &r.issue.line_index;
    let s = lines.line_col(r.text, range.start, Encoding::Utf16);
    let e = lines.line_col(r.text, range.end, Encoding::Utf16);
    json!({
        "startLine": s.line + 1,
        "startColumn": s.col + 1,
        "endLine": e.line + 1,
        "endColumn": e.col + 1,
    })
}

fn location(uri: &str, region: Value) -> Value {
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
