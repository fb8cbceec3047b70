//! `twirl check`: lint files and report in the chosen format, file by
//! file as they are checked.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use twirl_core::{
    Applicability, CheckContext, Diagnostic, LinkIndex, Severity, check, fix::fix_all, parse,
};
use twirl_workspace::WorkspaceError;

use crate::files::{Fatal, Parsed, Planned, check_stream, plan};
use crate::report::{FileReport, github, handler, human, json_findings, sarif};
use crate::{CheckArgs, Format};

enum Outcome {
    Checked {
        text: String,
        diagnostics: Vec<Diagnostic>,
        line_index: twirl_core::LineIndex,
    },
    /// Checked and already rendered: only the counts are left, so the
    /// file's text and findings are freed on the pool, not on the thread
    /// that writes the report.
    Rendered {
        counts: [usize; 3],
    },
    Failed(miette::Report),
}

fn check_one(
    planned: &Planned,
    index: Option<&LinkIndex>,
    parsed: Result<Parsed, WorkspaceError>,
    fix: bool,
    since: Option<&str>,
) -> Outcome {
    let Parsed { source, mut issue } = match parsed {
        Ok(p) => p,
        Err(e) => return Outcome::Failed(miette::miette!("{e}")),
    };
    let path = planned.rule_path();
    let file = planned.named.as_ref().or(planned.file.as_ref());
    let mut text = source.text.clone();
    if fix {
        match fix_all(
            &text,
            &planned.settings,
            path.as_deref(),
            index,
            Applicability::Safe,
        ) {
            Ok(o) if o.text != text => {
                if let Some(f) = file {
                    let (was, bytes) = (source.encode(&text), source.encode(&o.text));
                    if let Err(e) = twirl_workspace::write_atomic(f, &was, &bytes) {
                        return Outcome::Failed(miette::miette!("{e}"));
                    }
                } else {
                    // Standard input: the fixed text goes nowhere; report on it.
                }
                text = o.text;
                issue = parse(&text);
            }
            Ok(_) => {}
            Err(e) => return Outcome::Failed(miette::miette!("{}: {e}", planned.display)),
        }
    }
    let cx = CheckContext {
        text: &text,
        issue: &issue,
        settings: &planned.settings,
        path: path.as_deref(),
        index,
    };
    let mut diagnostics = check(&cx);
    if let (Some(rev), Some(file)) = (since, file) {
        match crate::since::old_text(file, rev) {
            Ok(Some(old)) => {
                diagnostics = crate::since::only_new(
                    &text,
                    diagnostics,
                    &old,
                    &planned.settings,
                    path.as_deref(),
                    index,
                );
            }
            Ok(None) => {}
            Err(e) => return Outcome::Failed(miette::miette!("{}: {e}", planned.display)),
        }
    }
    Outcome::Checked {
        text,
        diagnostics,
        line_index: issue.line_index,
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let deny = args.deny_project_tooling_links;
    let planned = match plan(&args.common, |s| {
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
    let progress = crate::progress::Progress::start(planned.len(), "checking");

    // Files are reported in order as they are checked, so only the files in
    // flight are held (all of them for SARIF, which is one document).
    let mut stdout = std::io::BufWriter::new(crate::output::stdout());
    let mut counts = [0usize; 3];
    let mut io_errors = 0;
    let mut any_error = false;
    let mut json = Vec::new();
    let mut sarif_kept: Vec<(usize, Outcome)> = Vec::new();
    let handler = handler();
    check_stream(
        &planned,
        |p, index, parsed| {
            let o = check_one(p, index, parsed, args.fix, since);
            // Text reports are rendered here, on the pool, in parallel.
            let rendered = match (&o, args.format) {
                (
                    Outcome::Checked {
                        text,
                        diagnostics,
                        line_index,
                    },
                    Format::Human | Format::Github,
                ) => {
                    let r = FileReport {
                        display: &p.display,
                        text,
                        line_index,
                        diagnostics,
                    };
                    if args.format == Format::Human {
                        human(&r, &handler)
                    } else {
                        github(&r)
                    }
                }
                _ => String::new(),
            };
            progress.inc();
            let o = match o {
                Outcome::Checked { diagnostics, .. }
                    if matches!(args.format, Format::Human | Format::Github) =>
                {
                    let mut counts = [0; 3];
                    for d in &diagnostics {
                        counts[d.severity as usize] += 1;
                    }
                    Outcome::Rendered { counts }
                }
                o => o,
            };
            (o, rendered)
        },
        |i, (outcome, rendered)| {
            let (text, diagnostics, line_index) = match &outcome {
                Outcome::Rendered { counts: c } => {
                    for (all, n) in counts.iter_mut().zip(c) {
                        *all += n;
                    }
                    any_error |= c[Severity::Error as usize] > 0;
                    if !rendered.is_empty() {
                        progress.suspend(|| {
                            let _ = stdout.write_all(rendered.as_bytes());
                        });
                    }
                    return;
                }
                Outcome::Failed(report) => {
                    io_errors += 1;
                    let _ = stdout.flush();
                    progress.suspend(|| eprintln!("error: {report}"));
                    return;
                }
                Outcome::Checked {
                    text,
                    diagnostics,
                    line_index,
                } => (text, diagnostics, line_index),
            };
            for d in diagnostics {
                counts[d.severity as usize] += 1;
                any_error |= d.severity == Severity::Error;
            }
            let r = FileReport {
                display: &planned[i].display,
                text,
                line_index,
                diagnostics,
            };
            match args.format {
                Format::Human | Format::Github => {}
                Format::Json => json.extend(json_findings(&r)),
                Format::Sarif => sarif_kept.push((i, outcome)),
            }
            if !rendered.is_empty() {
                progress.suspend(|| {
                    let _ = stdout.write_all(rendered.as_bytes());
                });
            }
        },
    );
    progress.finish();
    if args.format == Format::Json {
        let _ = serde_json::to_writer_pretty(&mut stdout, &json);
        let _ = writeln!(stdout);
    }
    if args.format == Format::Sarif {
        let sarif_files: Vec<FileReport<'_>> = sarif_kept
            .iter()
            .filter_map(|(i, o)| match o {
                Outcome::Checked {
                    text,
                    diagnostics,
                    line_index,
                } => Some(FileReport {
                    display: &planned[*i].display,
                    text,
                    line_index,
                    diagnostics,
                }),
                Outcome::Rendered { .. } | Outcome::Failed(_) => None,
            })
            .collect();
        let _ = serde_json::to_writer_pretty(&mut stdout, &sarif(&sarif_files));
        let _ = writeln!(stdout);
    }
    // output::Stdout keeps its errors for `status`: flushing cannot fail.
    let _ = stdout.flush();
    let (stdout, _) = stdout.into_parts();
    let [info, warn, err] = counts;
    // Written whole: stderr is unbuffered, and `eprintln!` writes each
    // piece of its format with a call of its own.
    let summary = format!(
        "twirl: checked {} file{} in {:.2}s: {err} error{}, {warn} warning{}, {info} info\n",
        planned.len(),
        plural(planned.len()),
        started.elapsed().as_secs_f64(),
        plural(err),
        plural(warn),
    );
    eprint!("{summary}");
    stdout.status(if io_errors > 0 {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
