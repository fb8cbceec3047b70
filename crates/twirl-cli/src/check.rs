//! `twirl check`: in rounds of files, oldest first, read and parse in
//! parallel, add to the link indexes what the look-back needs, check in
//! parallel; then report in path order.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use twirl_core::issue::Date;
use twirl_core::linkindex::IssueLinks;
use twirl_core::{
    Applicability, CheckContext, Diagnostic, Issue, LinkIndex, RULES, Settings, Source, check,
    fix::fix_all, parse,
};
use twirl_workspace::{WorkspaceError, issue_file_date};

use crate::files::{Planned, dir_of, par_map, plan, read};
use crate::output::Stdout;
use crate::report::{FileReport, Github, Human, Json, Reporter, Sarif};
use crate::{CheckArgs, Format};

pub fn run(args: CheckArgs) -> ExitCode {
    match args.format {
        Format::Human => run_with(&args, Human::new()),
        Format::Json => run_with(&args, Json::default()),
        Format::Github => run_with(&args, Github),
        Format::Sarif => run_with(&args, Sarif::default()),
    }
}

/// A file read, decoded and parsed.
struct Parsed {
    source: Source,
    issue: Issue,
}

/// What became of one file: its findings counted per severity and
/// rendered, or why it could not be checked.
type Outcome<R> = Result<([usize; 3], R), miette::Report>;

fn run_with<R: Reporter>(args: &CheckArgs, reporter: R) -> ExitCode {
    let started = Instant::now();
    let deny = args.deny_project_tooling_links;
    let planned = plan(&args.common, |s| {
        if deny {
            let rule = RULES
                .iter()
                .position(|r| r.meta().name == "project-tooling-link");
            s.enabled[rule.expect("rule exists")] = true;
        }
    });
    let planned = match planned {
        Ok(planned) => planned,
        Err(report) => {
            eprintln!("{report:?}");
            return ExitCode::from(2);
        }
    };
    // `--since`: the merge base of REV and HEAD, which the files are
    // compared with.
    let base = match &args.since {
        Some(rev) => {
            // The repository holding the first path.
            let first = args.common.paths.first().map_or(Path::new("."), |p| p);
            let dir = if first.is_dir() { first } else { dir_of(first) };
            match crate::since::merge_base(dir, rev) {
                Ok(base) => Some(base),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        None => None,
    };
    let (stdout, counts, io_errors) = check_all(&planned, args.fix, base.as_deref(), reporter);
    let [info, warn, err] = counts;
    // Written whole: stderr is unbuffered, and `eprintln!` writes each
    // piece of its format with a call of its own.
    let mut summary = format!(
        "twirl: checked {} file{} in {:.2}s: {err} error{}, {warn} warning{}, {info} info",
        planned.len(),
        plural(planned.len()),
        started.elapsed().as_secs_f64(),
        plural(err),
        plural(warn),
    );
    if let (Some(rev), Some(base)) = (&args.since, &base) {
        let short = &base[..base.len().min(12)];
        summary.push_str(&format!(
            " new since {short} (the merge base of {rev} and HEAD)"
        ));
    }
    summary.push('\n');
    eprint!("{summary}");
    stdout.status(crate::exit_code(io_errors, err > 0))
}

/// Fixes (with `fix`) and checks the planned files, and writes their
/// reports in path order: the findings counted per severity, and how many
/// files could not be checked (each said on stderr).
pub fn check_all<R: Reporter>(
    planned: &[Planned],
    fix: bool,
    base: Option<&str>,
    mut reporter: R,
) -> (Stdout, [usize; 3], usize) {
    let progress = crate::progress::Progress::start(planned.len(), "checking");

    let mut indexes = Indexes::new(planned);
    // Oldest first (by the date in the file's name), so that the issues a
    // file's look-back reaches were mostly parsed (and indexed) in an
    // earlier round.
    let mut order: Vec<usize> = (0..planned.len()).collect();
    let date = |i: usize| planned[i].named.as_deref().and_then(issue_file_date);
    order.sort_by_cached_key(|&i| (date(i), i));
    let mut outcomes: Vec<Option<Outcome<R::Rendered>>> = planned.iter().map(|_| None).collect();
    for round in order.chunks(ROUND) {
        let parsed = par_map(round.to_vec(), |i| {
            (i, load(planned[i].file.as_deref(), &planned[i].display))
        });
        indexes.reach(planned, &parsed);
        let checked = par_map(parsed, |(i, parsed)| {
            let p = &planned[i];
            let index = indexes.of[i].map(|s| &indexes.sets[s].index);
            let outcome =
                check_one(p, index, parsed, fix, base).map(|(text, issue, diagnostics)| {
                    let mut counts = [0; 3];
                    for d in &diagnostics {
                        counts[d.severity as usize] += 1;
                    }
                    let file = FileReport {
                        display: &p.display,
                        text: &text,
                        issue: &issue,
                        diagnostics: &diagnostics,
                    };
                    (counts, reporter.render(&file))
                });
            progress.inc();
            (i, outcome)
        });
        for (i, outcome) in checked {
            outcomes[i] = Some(outcome);
        }
    }
    progress.finish();

    let mut stdout = std::io::BufWriter::new(crate::output::stdout());
    let mut counts = [0usize; 3];
    let mut io_errors = 0;
    for outcome in outcomes.into_iter().flatten() {
        match outcome {
            Ok((c, rendered)) => {
                for (all, n) in counts.iter_mut().zip(c) {
                    *all += n;
                }
                let _ = reporter.write(rendered, &mut stdout);
            }
            Err(report) => {
                io_errors += 1;
                let _ = stdout.flush();
                eprintln!("error: {report}");
            }
        }
    }
    let _ = reporter.finish(&mut stdout);
    // output::Stdout keeps its errors for `status`: flushing cannot fail.
    let _ = stdout.flush();
    (stdout.into_parts().0, counts, io_errors)
}

/// Reads, decodes and parses a file (`None`: standard input).
fn load(file: Option<&Path>, display: &str) -> Result<Parsed, WorkspaceError> {
    let source = read(file, display)?;
    let issue = parse(&source.text);
    Ok(Parsed { source, issue })
}

/// Fixes (with `--fix`) and checks one file: its final text, its parse
/// and its findings (with `--since`, only those new since `base`).
fn check_one(
    planned: &Planned,
    index: Option<&LinkIndex>,
    parsed: Result<Parsed, WorkspaceError>,
    fix: bool,
    base: Option<&str>,
) -> Result<(String, Issue, Vec<Diagnostic>), miette::Report> {
    let Parsed { source, mut issue } = parsed.map_err(|e| miette::miette!("{e}"))?;
    let path = planned.rule_path();
    let mut text = source.text.clone();
    if fix {
        let fixed = fix_all(
            &text,
            &planned.settings,
            path.as_deref(),
            index,
            Applicability::Safe,
        )
        .map_err(|e| miette::miette!("{}: {e}", planned.display))?;
        if fixed.text != text {
            // Standard input: the fixed text goes nowhere; it is reported on.
            if let Some(f) = &planned.file {
                let (was, bytes) = (source.encode(&text), source.encode(&fixed.text));
                twirl_workspace::write_atomic(f, &was, &bytes)
                    .map_err(|e| miette::miette!("{e}"))?;
            }
            text = fixed.text;
            issue = parse(&text);
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
    if let (Some(base), Some(file)) = (base, &planned.named) {
        let old = crate::since::old_text(file, base)
            .map_err(|e| miette::miette!("{}: {e}", planned.display))?;
        // Only the findings the old text does not have.
        if let Some(old) = old {
            let was = twirl_core::lint(&old, &planned.settings, path.as_deref(), index);
            diagnostics = twirl_core::diagnostic::introduced(&text, diagnostics, &old, &was);
        }
    }
    Ok((text, issue, diagnostics))
}

/// Files read, parsed and checked per round: only a round's parses are
/// held at once. Peak memory over the corpus is a target (at most
/// 32 MiB): with mimalloc, rounds of 64 files took 36.5 MiB, of 32 take 29.5.
const ROUND: usize = 32;

/// The link indexes of a run: one per set of index directories, and the
/// set of each planned file (`None` when `repeated-link` is off for it).
struct Indexes {
    sets: Vec<IndexSet>,
    of: Vec<Option<usize>>,
}

/// The index of one set of directories, filled as the checked files'
/// look-back needs it: every issue parsed for a check goes in, and the
/// issues the look-back reaches that no check parses are read for it.
struct IndexSet {
    settings: Arc<Settings>,
    /// Every issue file of the directories, sorted by date.
    members: Vec<(PathBuf, Date)>,
    /// Each member's absolute path.
    by_path: HashMap<PathBuf, usize>,
    /// Whether each member was read: `Some(false)` when it could not be.
    read: Vec<Option<bool>>,
    index: LinkIndex,
}

impl Indexes {
    fn new(planned: &[Planned]) -> Self {
        let mut set_ids: HashMap<&[PathBuf], usize> = HashMap::new();
        let mut sets = Vec::new();
        let of = planned
            .iter()
            .map(|p| {
                let dirs = p.index_dirs.as_deref()?;
                Some(*set_ids.entry(dirs).or_insert_with(|| {
                    let members = twirl_workspace::index_files(dirs);
                    sets.push(IndexSet {
                        settings: p.settings.clone(),
                        by_path: members
                            .iter()
                            .enumerate()
                            .map(|(m, (path, _))| (absolute(path), m))
                            .collect(),
                        read: vec![None; members.len()],
                        members,
                        index: LinkIndex::default(),
                    });
                    sets.len() - 1
                }))
            })
            .collect();
        Indexes { sets, of }
    }

    /// Adds the `parsed` files to the indexes that hold them, then reads
    /// whatever else their look-back reaches.
    fn reach(&mut self, planned: &[Planned], parsed: &[(usize, Result<Parsed, WorkspaceError>)]) {
        let paths: Vec<Option<PathBuf>> = parsed
            .iter()
            .map(|(i, _)| planned[*i].file.as_deref().map(absolute))
            .collect();
        for (s, set) in self.sets.iter_mut().enumerate() {
            for ((_, p), path) in parsed.iter().zip(&paths) {
                let Some(&m) = path.as_ref().and_then(|p| set.by_path.get(p)) else {
                    continue;
                };
                if set.read[m].is_none() {
                    let links = p
                        .as_ref()
                        .ok()
                        .map(|p| IssueLinks::of(&p.source.text, &p.issue, &set.settings));
                    set.add(m, links);
                }
            }
            let dues: Vec<(Date, usize)> = parsed
                .iter()
                .filter(|(i, _)| self.of[*i] == Some(s))
                .filter_map(|(i, p)| {
                    let p = p.as_ref().ok()?;
                    let path = planned[*i].rule_path();
                    let cx = CheckContext {
                        text: &p.source.text,
                        issue: &p.issue,
                        settings: &planned[*i].settings,
                        path: path.as_deref(),
                        index: None,
                    };
                    Some((cx.issue_date()?, planned[*i].settings.lookback))
                })
                .collect();
            // A member that cannot be read does not count, and an older
            // one is needed in its place: hence the loop.
            loop {
                let mut wanted: Vec<usize> = dues
                    .iter()
                    .flat_map(|&(due, lookback)| set.lookback_unread(due, lookback))
                    .collect();
                wanted.sort_unstable();
                wanted.dedup();
                if wanted.is_empty() {
                    break;
                }
                let read = par_map(wanted, |m| {
                    let p = load(Some(&set.members[m].0), "").ok();
                    let links = p.map(|p| IssueLinks::of(&p.source.text, &p.issue, &set.settings));
                    (m, links)
                });
                for (m, links) in read {
                    set.add(m, links);
                }
            }
        }
    }
}

impl IndexSet {
    /// Member `m`, read: its links, or `None` when it could not be read.
    fn add(&mut self, m: usize, links: Option<IssueLinks>) {
        self.read[m] = Some(links.is_some());
        if let Some(links) = links {
            let (path, date) = &self.members[m];
            self.index.add_links(&path.to_string_lossy(), *date, links);
        }
    }

    /// The members not read yet of the `lookback` latest dates before
    /// `due`. A date counts unless none of its members could be read, as
    /// in the index, which holds only what was read.
    fn lookback_unread(&self, due: Date, lookback: usize) -> Vec<usize> {
        let members = &self.members;
        let mut wanted = Vec::new();
        let mut dates = 0;
        let mut i = members.partition_point(|(_, d)| *d < due);
        while i > 0 && dates < lookback {
            let date = members[i - 1].1;
            let mut counts = false;
            while i > 0 && members[i - 1].1 == date {
                i -= 1;
                match self.read[i] {
                    Some(false) => {}
                    Some(true) => counts = true,
                    None => {
                        counts = true;
                        wanted.push(i);
                    }
                }
            }
            if counts {
                dates += 1;
            }
        }
        wanted
    }
}

/// A path made absolute, to know a file however it is named.
fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
