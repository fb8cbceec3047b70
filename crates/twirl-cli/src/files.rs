//! From command-line paths to checkable inputs: files found, configs
//! loaded (once per directory), settings resolved, link indexes built (once
//! per set of directories).
//!
//! `check` streams: [`check_stream`] reads and parses each file once, in
//! date order and in batches, adds it to the link indexes that hold it,
//! and checks a file as soon as every issue its look-back can reach has
//! been indexed. Only the batch in flight is held in memory, and a file
//! checked alone reads only the few recent issues its look-back needs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use twirl_core::issue::Date;
use twirl_core::linkindex::IssueLinks;
use twirl_core::{CheckContext, Issue, LinkIndex, Settings, Source, rules::rule_by_name};
use twirl_workspace::{LoadedConfig, WorkspaceError};

use crate::{Common, ProfileArg};

/// One file to check or format.
pub struct Input {
    /// The file, or `None` for standard input.
    pub file: Option<PathBuf>,
    /// What to call it in reports.
    pub display: String,
    pub settings: Arc<Settings>,
    pub index: Option<Arc<LinkIndex>>,
    pub source: Result<Source, WorkspaceError>,
}

/// A failure before any file is looked at: exit 2.
pub struct Fatal(pub miette::Report);

impl From<WorkspaceError> for Fatal {
    fn from(e: WorkspaceError) -> Self {
        Fatal(crate::report::workspace_error(e))
    }
}

/// A file to check or format, before it is read.
pub struct Planned {
    /// The file to read, or `None` for standard input.
    pub file: Option<PathBuf>,
    /// The path rules see: the file, or `--stdin-filename`.
    pub named: Option<PathBuf>,
    /// What to call it in reports.
    pub display: String,
    pub settings: Arc<Settings>,
    /// The directories of its link index, when `repeated-link` is on.
    pub index_dirs: Option<Vec<PathBuf>>,
}

impl Planned {
    /// The path rules see (for the file-name date and the profile).
    pub fn rule_path(&self) -> Option<String> {
        self.named
            .as_ref()
            .or(self.file.as_ref())
            .map(|p| p.to_string_lossy().into_owned())
    }
}

/// The files the paths name, each with its settings; nothing is read yet.
pub fn plan(common: &Common, tweak: impl Fn(&mut Settings)) -> Result<Vec<Planned>, Fatal> {
    let stdin = common.paths.iter().any(|p| p == Path::new("-"));
    if stdin && common.paths.len() > 1 {
        return Err(Fatal(miette::miette!(
            "`-` (standard input) cannot be mixed with other paths"
        )));
    }
    for n in common.select.iter().chain(&common.ignore) {
        if n != "ALL" && rule_by_name(n).is_none() {
            return Err(Fatal(miette::miette!(
                "unknown rule `{n}` (run `twirl rules` for the list)"
            )));
        }
    }
    let files: Vec<Option<PathBuf>> = if stdin {
        vec![None]
    } else {
        twirl_workspace::find_issue_files(&common.paths)?
            .into_iter()
            .map(Some)
            .collect()
    };

    let repeated = rule_by_name("repeated-link").expect("rule exists");
    let mut configs: HashMap<PathBuf, Arc<LoadedConfig>> = HashMap::new();
    let mut index_dirs: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    let mut dir_settings: HashMap<PathBuf, Arc<Settings>> = HashMap::new();
    let mut planned = Vec::with_capacity(files.len());
    for file in files {
        let named = file.clone().or_else(|| common.stdin_filename.clone());
        let dir = named
            .as_deref()
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let cfg = match configs.get(&dir) {
            Some(c) => c.clone(),
            None => {
                let c = Arc::new(twirl_workspace::config_for(
                    &dir.join("x"),
                    common.config.as_deref(),
                )?);
                configs.insert(dir.clone(), c.clone());
                c
            }
        };
        let resolve = |p: Option<&Path>| {
            let mut settings = match p {
                Some(p) => cfg.settings_for(p),
                None => cfg.config.settings_for(None),
            };
            settings.select_ignore(&common.select, &common.ignore);
            if let Some(p) = common.profile {
                settings.profile = match p {
                    ProfileArg::Draft => twirl_core::Profile::Draft,
                    ProfileArg::Publish => twirl_core::Profile::Publish,
                };
            }
            tweak(&mut settings);
            Arc::new(settings)
        };
        let settings = match &named {
            // Without overrides, every issue file of a directory has the
            // same settings (an issue's file name is never `draft`), and
            // the files share them.
            Some(p) if !cfg.config.has_overrides() && twirl_workspace::is_issue_file(p) => {
                dir_settings
                    .entry(dir.clone())
                    .or_insert_with(|| resolve(Some(p)))
                    .clone()
            }
            named => resolve(named.as_deref()),
        };
        let display = match (&file, &named) {
            (Some(f), _) => f.display().to_string(),
            (None, Some(n)) => n.display().to_string(),
            (None, None) => "<stdin>".to_string(),
        };
        // The index's directories depend only on the file's directory.
        let index_dirs = match &named {
            Some(p) if settings.is_enabled(repeated) => Some(
                index_dirs
                    .entry(dir.clone())
                    .or_insert_with(|| twirl_workspace::index_dirs_for(p))
                    .clone(),
            ),
            _ => None,
        };
        planned.push(Planned {
            file,
            named,
            display,
            settings,
            index_dirs,
        });
    }
    Ok(planned)
}

/// Every file read, with its link index built: for `fmt`, which needs no
/// index unless a rule with a fix reads it.
pub fn collect(common: &Common, tweak: impl Fn(&mut Settings)) -> Result<Vec<Input>, Fatal> {
    let planned = plan(common, tweak)?;
    // One link index per set of directories, shared by the files using it.
    let mut indexes: HashMap<Vec<PathBuf>, Arc<LinkIndex>> = HashMap::new();
    let mut index_of = Vec::with_capacity(planned.len());
    for p in &planned {
        let idx = p.index_dirs.as_ref().map(|dirs| {
            indexes
                .entry(dirs.clone())
                .or_insert_with(|| Arc::new(twirl_workspace::build_link_index(dirs, &p.settings)))
                .clone()
        });
        index_of.push(idx);
    }

    let inputs = par_map(planned.into_iter().zip(index_of).collect(), |(p, index)| {
        let source = match &p.file {
            Some(f) => twirl_workspace::read_issue(f),
            None => read_stdin(&p.display),
        };
        Input {
            file: p.named.or(p.file),
            display: p.display,
            settings: p.settings,
            index,
            source,
        }
    });
    Ok(inputs)
}

/// `f` over `items`, on the rayon pool when there are several. A lone
/// file (a pre-commit hook's or an editor's usual case) is handled on this
/// thread, and the pool's threads are never started.
pub fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < 2 {
        items.into_iter().map(f).collect()
    } else {
        items.into_par_iter().map(f).collect()
    }
}

/// A file read, decoded and parsed.
pub struct Parsed {
    pub source: Source,
    pub issue: Issue,
}

/// Files read and parsed per round; each round's files are parsed, then
/// indexed, then the files ready are checked, all in parallel.
const BATCH: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Scheduled,
    Loaded,
    Failed,
}

/// A file to read: one checked, or one only a link index holds.
struct Load {
    /// `None`: standard input.
    read_from: Option<PathBuf>,
    display: String,
    /// The date in its name.
    date: Option<Date>,
    state: State,
    /// Its index in the planned files, if it is checked.
    checked: Option<usize>,
    /// The link indexes holding it: (set, member).
    members: Vec<(usize, usize)>,
}

/// The link index of one set of directories, filled as files are parsed.
struct IndexSet {
    settings: Arc<Settings>,
    /// Every issue file of the directories, sorted by date.
    members: Vec<Member>,
    index: Mutex<LinkIndex>,
}

struct Member {
    path: String,
    date: Date,
    load: usize,
}

struct Pending {
    planned: usize,
    set: Option<usize>,
    /// The issue's date, which the look-back counts back from.
    due: Option<Date>,
    parsed: Result<Parsed, WorkspaceError>,
}

/// Reads, parses and checks the planned files: `work` runs on the rayon
/// pool with the file's link index (complete for that file), and `emit`
/// gets the results in planned order. Each file is read and parsed once,
/// whether it is checked, indexed, or both.
pub fn check_stream<R: Send>(
    planned: &[Planned],
    work: impl Fn(&Planned, Option<&LinkIndex>, Result<Parsed, WorkspaceError>) -> R + Sync,
    mut emit: impl FnMut(usize, R),
) {
    let mut clock = PhaseClock::start();
    let mut absolute = Absolute::new();
    let mut loads: Vec<Load> = Vec::new();
    let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
    for (i, p) in planned.iter().enumerate() {
        let date = p
            .named
            .as_deref()
            .or(p.file.as_deref())
            .and_then(twirl_workspace::issue_file_date);
        if let Some(f) = &p.file {
            by_path.entry(absolute.of(f)).or_insert(loads.len());
        }
        loads.push(Load {
            read_from: p.file.clone(),
            display: p.display.clone(),
            date,
            state: State::Waiting,
            checked: Some(i),
            members: Vec::new(),
        });
    }
    let mut sets: Vec<IndexSet> = Vec::new();
    let mut set_ids: HashMap<&[PathBuf], usize> = HashMap::new();
    let mut set_of: Vec<Option<usize>> = Vec::with_capacity(planned.len());
    for p in planned {
        let Some(dirs) = &p.index_dirs else {
            set_of.push(None);
            continue;
        };
        if let Some(&s) = set_ids.get(dirs.as_slice()) {
            set_of.push(Some(s));
            continue;
        }
        let s = sets.len();
        // Sorted by date, as `lookback_indexed` needs.
        let files = twirl_workspace::index_files(dirs);
        let mut members = Vec::with_capacity(files.len());
        for (m, (path, date)) in files.into_iter().enumerate() {
            let load = *by_path.entry(absolute.of(&path)).or_insert_with(|| {
                loads.push(Load {
                    read_from: Some(path.clone()),
                    display: path.display().to_string(),
                    date: Some(date),
                    state: State::Waiting,
                    checked: None,
                    members: Vec::new(),
                });
                loads.len() - 1
            });
            loads[load].members.push((s, m));
            members.push(Member {
                path: path.to_string_lossy().into_owned(),
                date,
                load,
            });
        }
        sets.push(IndexSet {
            settings: p.settings.clone(),
            members,
            index: Mutex::default(),
        });
        set_ids.insert(dirs, s);
        set_of.push(Some(s));
    }

    // The checked files, oldest first: by the time a file is checked, the
    // issues before it are indexed.
    let mut order: Vec<usize> = (0..planned.len()).collect();
    order.sort_by(|&a, &b| {
        (loads[a].date, &loads[a].read_from).cmp(&(loads[b].date, &loads[b].read_from))
    });
    let mut next = 0;
    let mut scheduled: Vec<usize> = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut done: BTreeMap<usize, R> = BTreeMap::new();
    let mut emitted = 0;
    clock.lap(Phase::Setup);
    loop {
        let mut batch = std::mem::take(&mut scheduled);
        while batch.len() < BATCH && next < order.len() {
            batch.push(order[next]);
            next += 1;
        }
        if batch.is_empty() && pending.is_empty() {
            break;
        }
        // Read, parse, and add the links to the indexes in parallel: a
        // worker holds an index's lock only while it adds one issue's
        // links, a small part of parsing it. Issues go into an index in
        // whatever order they are parsed, which its answers do not depend
        // on.
        let parsed: Vec<(usize, Result<Parsed, WorkspaceError>, Option<Date>)> =
            par_map(batch.clone(), |l| {
                let result = load(&loads[l]);
                let Ok(p) = &result else {
                    return (l, result, None);
                };
                for &(s, m) in &loads[l].members {
                    let set = &sets[s];
                    let links = IssueLinks::of(&p.source.text, &p.issue, &set.settings);
                    let member = &set.members[m];
                    set.index
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .add_links(&member.path, member.date, links);
                }
                // The date the look-back counts back from.
                let due = loads[l].checked.and_then(|i| {
                    let path = planned[i].rule_path();
                    CheckContext {
                        text: &p.source.text,
                        issue: &p.issue,
                        settings: &planned[i].settings,
                        path: path.as_deref(),
                        index: None,
                    }
                    .issue_date()
                });
                (l, result, due)
            });
        clock.lap(Phase::Parse);
        for (l, result, due) in parsed {
            loads[l].state = if result.is_ok() {
                State::Loaded
            } else {
                State::Failed
            };
            if let Some(i) = loads[l].checked {
                pending.push(Pending {
                    planned: i,
                    set: set_of[i],
                    due,
                    parsed: result,
                });
            }
        }

        let mut ready = Vec::new();
        let mut waiting = Vec::new();
        for p in pending.drain(..) {
            let is_ready = match (p.set, p.due, &p.parsed) {
                (Some(s), Some(due), Ok(_)) => {
                    let lookback = planned[p.planned].settings.lookback;
                    lookback_indexed(&sets[s], &mut loads, due, lookback, &mut scheduled)
                }
                _ => true,
            };
            if is_ready || batch.is_empty() {
                ready.push(p);
            } else {
                waiting.push(p);
            }
        }
        pending = waiting;
        // No worker adds to the indexes now: they are read without locks.
        let indexes: Vec<&LinkIndex> = sets
            .iter_mut()
            .map(|s| &*s.index.get_mut().unwrap_or_else(PoisonError::into_inner))
            .collect();
        clock.lap(Phase::Between);
        let results: Vec<(usize, R)> = par_map(ready, |p| {
            let index = p.set.map(|s| indexes[s]);
            (p.planned, work(&planned[p.planned], index, p.parsed))
        });
        clock.lap(Phase::Check);
        done.extend(results);
        while let Some(r) = done.remove(&emitted) {
            emit(emitted, r);
            emitted += 1;
        }
        clock.lap(Phase::Emit);
    }
    clock.report();
}

#[derive(Clone, Copy)]
enum Phase {
    Setup,
    Parse,
    Between,
    Check,
    Emit,
}

/// Where `check_stream`'s time goes, printed to stderr when
/// `TWIRL_PHASE_TIMES` is set: the pool's parsing and checking against
/// what the main thread does alone (setting up, the bookkeeping between
/// them, emitting reports), which no number of cores shortens.
struct PhaseClock {
    last: Instant,
    spent: [Duration; 5],
}

impl PhaseClock {
    fn start() -> Self {
        PhaseClock {
            last: Instant::now(),
            spent: [Duration::ZERO; 5],
        }
    }

    /// Counts the time since the last lap to `phase`.
    fn lap(&mut self, phase: Phase) {
        let now = Instant::now();
        self.spent[phase as usize] += now - self.last;
        self.last = now;
    }

    fn report(&self) {
        if std::env::var_os("TWIRL_PHASE_TIMES").is_none() {
            return;
        }
        let ms = |p: Phase| self.spent[p as usize].as_secs_f64() * 1e3;
        // One write, as for the summary.
        let line = format!(
            "twirl: phases: setup {:.1} ms, parse {:.1} ms (parallel), between {:.1} ms, \
             check {:.1} ms (parallel), emit {:.1} ms\n",
            ms(Phase::Setup),
            ms(Phase::Parse),
            ms(Phase::Between),
            ms(Phase::Check),
            ms(Phase::Emit),
        );
        eprint!("{line}");
    }
}

/// Whether every issue that the look-back from `due` reaches is indexed:
/// the files of the `lookback` latest dates before it that could be read.
/// Files it needs that only the index holds are scheduled for reading.
fn lookback_indexed(
    set: &IndexSet,
    loads: &mut [Load],
    due: Date,
    lookback: usize,
    scheduled: &mut Vec<usize>,
) -> bool {
    let mut ready = true;
    let mut dates = 0;
    let mut i = set.members.partition_point(|m| m.date < due);
    while i > 0 && dates < lookback {
        let date = set.members[i - 1].date;
        let mut counts = false;
        while i > 0 && set.members[i - 1].date == date {
            let l = set.members[i - 1].load;
            match loads[l].state {
                State::Loaded => counts = true,
                State::Failed => {}
                State::Scheduled => {
                    counts = true;
                    ready = false;
                }
                State::Waiting => {
                    counts = true;
                    ready = false;
                    // Checked files come in date order anyway.
                    if loads[l].checked.is_none() {
                        loads[l].state = State::Scheduled;
                        scheduled.push(l);
                    }
                }
            }
            i -= 1;
        }
        if counts {
            dates += 1;
        }
    }
    ready
}

fn load(l: &Load) -> Result<Parsed, WorkspaceError> {
    let source = match &l.read_from {
        Some(f) => twirl_workspace::read_issue(f)?,
        None => read_stdin(&l.display)?,
    };
    let issue = twirl_core::parse(&source.text);
    Ok(Parsed { source, issue })
}

/// Paths made absolute, to know a file however it is named. The working
/// directory is read once per run, and each directory is made absolute
/// once, not once per file in it.
struct Absolute {
    cwd: Option<PathBuf>,
    dirs: HashMap<PathBuf, PathBuf>,
}

impl Absolute {
    fn new() -> Self {
        Absolute {
            cwd: std::env::current_dir().ok(),
            dirs: HashMap::new(),
        }
    }

    fn of(&mut self, p: &Path) -> PathBuf {
        match (p.parent(), p.file_name()) {
            (Some(dir), Some(name)) if name != ".." => {
                if let Some(d) = self.dirs.get(dir) {
                    return d.join(name);
                }
                let d = self.resolve(dir);
                let out = d.join(name);
                self.dirs.insert(dir.to_path_buf(), d);
                out
            }
            _ => self.resolve(p),
        }
    }

    fn resolve(&self, p: &Path) -> PathBuf {
        let joined;
        let p = match &self.cwd {
            Some(cwd) if p.is_relative() => {
                joined = cwd.join(p);
                &joined
            }
            _ => p,
        };
        std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
    }
}

fn read_stdin(display: &str) -> Result<Source, WorkspaceError> {
    twirl_workspace::read_issue_from(std::io::stdin().lock(), display.as_ref())
}

impl Input {
    /// The path rules see (for the file-name date and the profile).
    pub fn rule_path(&self) -> Option<String> {
        self.file.as_ref().map(|p| p.to_string_lossy().into_owned())
    }
}
