//! `twirl fmt`: the safe fixes, written back atomically; `--check` and
//! `--diff` write nothing.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use twirl_core::format::{format, would_change};

use crate::FmtArgs;
use crate::check::plural;
use crate::files::{Input, collect};

enum Outcome {
    Unchanged,
    /// `--check`: known to change, without formatting to the end.
    WouldChange,
    Changed {
        before: String,
        after: String,
    },
    Failed(String),
}

pub fn run(args: FmtArgs) -> ExitCode {
    let started = Instant::now();
    // Rules without fixes do nothing in fmt; off, no link index is built.
    let inputs = match collect(&args.common, twirl_core::Settings::disable_unfixable) {
        Ok(i) => i,
        Err(report) => {
            eprintln!("{report:?}");
            return ExitCode::from(2);
        }
    };
    let stdin = inputs.len() == 1 && args.common.paths.iter().any(|p| p.as_os_str() == "-");
    let progress = crate::progress::Progress::start(inputs.len(), "formatting");
    let format_one = |input: &Input| -> Outcome {
        let p = &input.planned;
        let source = match &input.source {
            Ok(s) => s,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let path = p.rule_path();
        if args.check && !args.diff {
            // Only whether it would change: one round of fixes tells.
            let changes = would_change(
                &source.text,
                &p.settings,
                path.as_deref(),
                input.index.as_deref(),
                args.unsafe_fixes,
            );
            return if changes {
                Outcome::WouldChange
            } else {
                Outcome::Unchanged
            };
        }
        match format(
            &source.text,
            &p.settings,
            path.as_deref(),
            input.index.as_deref(),
            args.unsafe_fixes,
        ) {
            Ok(o) if o.text == source.text => Outcome::Unchanged,
            Ok(o) => {
                if !stdin && !args.check && !args.diff {
                    let file = p.file.as_ref().expect("not stdin");
                    let was = source.encode(&source.text);
                    if let Err(e) =
                        twirl_workspace::write_atomic(file, &was, &source.encode(&o.text))
                    {
                        return Outcome::Failed(e.to_string());
                    }
                }
                Outcome::Changed {
                    before: source.text.clone(),
                    after: o.text,
                }
            }
            Err(e) => Outcome::Failed(format!("{}: {e}; file left unchanged", p.display)),
        }
    };
    let outcomes: Vec<Outcome> = crate::files::par_map(inputs.iter().collect(), |input| {
        let outcome = format_one(input);
        progress.inc();
        outcome
    });
    progress.finish();

    let mut stdout = crate::output::stdout();
    let (mut changed, mut failed) = (0, 0);
    for (input, outcome) in inputs.iter().zip(&outcomes) {
        match outcome {
            Outcome::Failed(msg) => {
                failed += 1;
                eprintln!("error: {msg}");
                if stdin {
                    // Standard input is echoed unchanged so a pipe loses nothing.
                    if let Ok(s) = &input.source {
                        let _ = stdout.write_all(&s.encode(&s.text));
                    }
                }
            }
            Outcome::Unchanged => {
                if stdin && !args.check && !args.diff {
                    let s = input.source.as_ref().expect("read");
                    let _ = stdout.write_all(&s.encode(&s.text));
                }
            }
            Outcome::WouldChange => {
                changed += 1;
                let _ = writeln!(stdout, "would reformat: {}", input.planned.display);
            }
            Outcome::Changed { before, after } => {
                changed += 1;
                if args.diff {
                    let diff = similar::TextDiff::from_lines(before, after);
                    let _ = write!(
                        stdout,
                        "{}",
                        diff.unified_diff()
                            .context_radius(3)
                            .header(&input.planned.display, &input.planned.display)
                    );
                } else if args.check {
                    let _ = writeln!(stdout, "would reformat: {}", input.planned.display);
                } else if stdin {
                    let s = input.source.as_ref().expect("read");
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
        inputs.len(),
        plural(inputs.len()),
        started.elapsed().as_secs_f64()
    );
    eprint!("{summary}");
    stdout.status(crate::exit_code(
        failed,
        changed > 0 && (args.check || args.diff),
    ))
}
