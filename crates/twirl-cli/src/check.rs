//! `twirl check`: lint files and report in the chosen format.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;
use twirl_core::{Applicability, CheckContext, Diagnostic, Severity, check, fix::fix_all, parse};

use crate::files::{Fatal, Input, collect};
use crate::report::{FileReport, github, handler, human, json_findings};
use crate::{CheckArgs, Format};

enum Outcome {
    Checked {
        text: String,
        diagnostics: Vec<Diagnostic>,
        line_index: twirl_core::LineIndex,
    },
    Failed(miette::Report),
}

fn check_one(input: &Input, fix: bool, since: Option<&str>) -> Outcome {
    let source = match &input.source {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(miette::miette!("{e}")),
    };
    let path = input.rule_path();
    let mut text = source.text.clone();
    if fix {
        match fix_all(
            &text,
            &input.settings,
            path.as_deref(),
            input.index.as_deref(),
            Applicability::Safe,
        ) {
            Ok(o) if o.text != text => {
                if let Some(f) = &input.file {
                    if let Err(e) = twirl_workspace::write_atomic(f, &source.encode(&o.text)) {
                        return Outcome::Failed(miette::miette!("{e}"));
                    }
                } else {
                    // Standard input: the fixed text goes nowhere; report on it.
                }
                text = o.text;
            }
            Ok(_) => {}
            Err(e) => return Outcome::Failed(miette::miette!("{}: {e}", input.display)),
        }
    }
    let issue = parse(&text);
    let cx = CheckContext {
        text: &text,
        issue: &issue,
        settings: &input.settings,
        path: path.as_deref(),
        index: input.index.as_deref(),
    };
    let mut diagnostics = check(&cx);
    if let (Some(rev), Some(file)) = (since, &input.file) {
        match crate::since::old_text(file, rev) {
            Ok(Some(old)) => {
                diagnostics = crate::since::only_new(
                    &text,
                    diagnostics,
                    &old,
                    &input.settings,
                    path.as_deref(),
                    input.index.as_deref(),
                );
            }
            Ok(None) => {}
            Err(e) => return Outcome::Failed(miette::miette!("{}: {e}", input.display)),
        }
    }
    let line_index = issue.line_index;
    Outcome::Checked {
        text,
        diagnostics,
        line_index,
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let deny = args.deny_project_tooling_links;
    let inputs = match collect(&args.common, |s| {
        if deny {
            s.select_ignore(&[], &[]);
            let m = twirl_core::rules::rule_by_name("project-tooling-link").expect("rule exists");
            let i = twirl_core::RULES
                .iter()
                .position(|r| std::ptr::eq(r.meta(), m))
                .expect("in RULES");
            s.enabled[i] = true;
        }
    }) {
        Ok(i) => i,
        Err(Fatal(report)) => {
            eprintln!("{report:?}");
            return ExitCode::from(2);
        }
    };
    if let Some(rev) = &args.since {
        let dir = args.common.paths.first().map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(|d| d.to_path_buf()).unwrap_or_default()
            }
        });
        let dir = dir
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| ".".into());
        if let Err(e) = crate::since::verify_rev(&dir, rev) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let since = args.since.as_deref();
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|i| check_one(i, args.fix, since))
        .collect();

    let mut stdout = std::io::stdout().lock();
    let mut counts = [0usize; 3];
    let mut io_errors = 0;
    let mut json = Vec::new();
    let handler = handler();
    for (input, outcome) in inputs.iter().zip(&outcomes) {
        match outcome {
            Outcome::Failed(report) => {
                io_errors += 1;
                eprintln!("error: {report}");
            }
            Outcome::Checked {
                text,
                diagnostics,
                line_index,
            } => {
                for d in diagnostics {
                    counts[d.severity as usize] += 1;
                }
                let r = FileReport {
                    display: &input.display,
                    text,
                    line_index,
                    diagnostics,
                };
                let rendered = match args.format {
                    Format::Human => human(&r, &handler),
                    Format::Github => github(&r),
                    Format::Json => {
                        json.extend(json_findings(&r));
                        String::new()
                    }
                };
                let _ = stdout.write_all(rendered.as_bytes());
            }
        }
    }
    if args.format == Format::Json {
        let _ = serde_json::to_writer_pretty(&mut stdout, &json);
        let _ = writeln!(stdout);
    }
    drop(stdout);
    let [info, warn, err] = counts;
    eprintln!(
        "twirl: checked {} file{} in {:.2}s: {err} error{}, {warn} warning{}, {info} info",
        inputs.len(),
        plural(inputs.len()),
        started.elapsed().as_secs_f64(),
        plural(err),
        plural(warn),
    );
    if io_errors > 0 {
        ExitCode::from(2)
    } else if outcomes.iter().any(|o| matches!(o, Outcome::Checked { diagnostics, .. } if diagnostics.iter().any(|d| d.severity == Severity::Error))) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
