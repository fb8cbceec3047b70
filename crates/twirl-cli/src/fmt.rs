//! `twirl fmt`: the safe fixes, written back atomically; `--check` and
//! `--diff` write nothing.
//!
//! Rules without fixes are off: they do nothing here, and so no link index
//! is read (`repeated-link`, its only reader, has no fix).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use twirl_core::format::{format, would_change};
use twirl_core::{Settings, Source};

use crate::FmtArgs;
use crate::check::plural;
use crate::files::{Planned, par_map, plan, read};

enum Outcome {
    Unchanged,
    /// `--check`: known to change, without formatting to the end.
    WouldChange,
    /// The formatted text.
    Changed(String),
    Failed(String),
}

pub fn run(args: FmtArgs) -> ExitCode {
    let started = Instant::now();
    let planned = match plan(&args.common, Settings::disable_unfixable) {
        Ok(planned) => planned,
        Err(report) => {
            eprintln!("{report:?}");
            return ExitCode::from(2);
        }
    };
    let stdin = args.common.paths.iter().any(|p| p.as_os_str() == "-");
    let progress = crate::progress::Progress::start(planned.len(), "formatting");
    let files = par_map(planned, |p| {
        let source = read(p.file.as_deref(), &p.display);
        let outcome = match &source {
            Ok(s) => format_one(&p, s, &args, !stdin),
            Err(e) => Outcome::Failed(e.to_string()),
        };
        progress.inc();
        (p, source, outcome)
    });
    progress.finish();

    let mut stdout = crate::output::stdout();
    let (mut changed, mut failed) = (0, 0);
    for (p, source, outcome) in &files {
        match outcome {
            Outcome::Failed(msg) => {
                failed += 1;
                eprintln!("error: {msg}");
                if stdin {
                    // Standard input is echoed unchanged so a pipe loses nothing.
                    if let Ok(s) = source {
                        let _ = stdout.write_all(&s.encode(&s.text));
                    }
                }
            }
            Outcome::Unchanged => {
                if stdin && !args.check && !args.diff {
                    let s = source.as_ref().expect("read");
                    let _ = stdout.write_all(&s.encode(&s.text));
                }
            }
            Outcome::WouldChange => {
                changed += 1;
                let _ = writeln!(stdout, "would reformat: {}", p.display);
            }
            Outcome::Changed(after) => {
                changed += 1;
                let s = source.as_ref().expect("read");
                if args.diff {
                    let diff = similar::TextDiff::from_lines(&s.text, after);
                    let _ = write!(
                        stdout,
                        "{}",
                        diff.unified_diff()
                            .context_radius(3)
                            .header(&p.display, &p.display)
                    );
                } else if args.check {
                    let _ = writeln!(stdout, "would reformat: {}", p.display);
                } else if stdin {
                    let _ = stdout.write_all(&s.encode(after));
                }
            }
        }
    }
    let verb = if args.check || args.diff {
        "would reformat"
    } else {
        "reformatted"
    };
    // Written whole: stderr is unbuffered, and `eprintln!` writes each
    // piece of its format with a call of its own.
    let summary = format!(
        "twirl: {} file{} checked in {:.2}s: {changed} {verb}, {failed} failed\n",
        files.len(),
        plural(files.len()),
        started.elapsed().as_secs_f64()
    );
    eprint!("{summary}");
    stdout.status(crate::exit_code(
        failed,
        changed > 0 && (args.check || args.diff),
    ))
}

/// Formats one file; without `--check` or `--diff`, and when `to_file`,
/// writes the result back.
fn format_one(p: &Planned, source: &Source, args: &FmtArgs, to_file: bool) -> Outcome {
    let path = p.rule_path();
    let text = &source.text;
    if args.check && !args.diff {
        // Only whether it would change: one round of fixes tells.
        let changes = would_change(text, &p.settings, path.as_deref(), None, args.unsafe_fixes);
        return if changes {
            Outcome::WouldChange
        } else {
            Outcome::Unchanged
        };
    }
    match format(text, &p.settings, path.as_deref(), None, args.unsafe_fixes) {
        Ok(o) if o.text == *text => Outcome::Unchanged,
        Ok(o) => {
            if to_file && !args.check && !args.diff {
                let file = p.file.as_ref().expect("not stdin");
                let written = twirl_workspace::write_atomic(
                    file,
                    &source.encode(text),
                    &source.encode(&o.text),
                );
                if let Err(e) = written {
                    return Outcome::Failed(e.to_string());
                }
            }
            Outcome::Changed(o.text)
        }
        Err(e) => Outcome::Failed(format!("{}: {e}; file left unchanged", p.display)),
    }
}
