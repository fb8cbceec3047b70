//! `floor [PATH...]`: reads the issue files under the paths (found as
//! `twirl check` finds them) and parses each with comrak, with twirl's
//! options, on one thread. Nothing else: the time twirl is measured
//! against.

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let started = Instant::now();
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    if paths.is_empty() {
        eprintln!("usage: floor PATH...");
        return ExitCode::from(2);
    }
    let files = match twirl_workspace::find_issue_files(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("floor: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut bytes, mut nodes) = (0, 0);
    for f in &files {
        match twirl_workspace::read_issue(f) {
            Ok(source) => {
                bytes += source.text.len();
                nodes += twirl_bench::comrak_parse(&source.text);
            }
            Err(e) => eprintln!("floor: {e}"),
        }
    }
    eprintln!(
        "floor: parsed {} files ({bytes} bytes, {nodes} nodes) in {:.3}s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
