//! `events-scaling ISSUE`: parse and lint the issue with the events of each
//! region written k times (k = 0, 1, 10, 100), and print the fastest time
//! of each (the least disturbed by other work on the machine) and the cost
//! of the events section relative to k = 1: linear cost keeps
//! `per-event ratio` near 1.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use twirl_core::{Config, lint, parse};

fn fastest_time(text: &str, path: &str) -> Duration {
    let settings = Config::default().settings_for(Some(path));
    let once = || lint(text, &settings, Some(path), None).len();
    let started = Instant::now();
    std::hint::black_box(once());
    let first = started.elapsed().max(Duration::from_micros(1));
    let runs = (Duration::from_millis(300).as_nanos() / first.as_nanos()).clamp(5, 2000) as usize;
    let times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(once());
            t.elapsed()
        })
        .collect();
    times.into_iter().min().expect("at least one run")
}

fn main() -> ExitCode {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: events-scaling ISSUE");
        return ExitCode::from(2);
    };
    let text = match twirl_workspace::read_issue(file.as_ref()) {
        Ok(s) => s.text,
        Err(e) => {
            eprintln!("events-scaling: {e}");
            return ExitCode::from(2);
        }
    };
    let name = std::path::Path::new(&file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = format!("content/{name}");
    let t0 = fastest_time(&twirl_bench::repeat_events(&text, 0), &path);
    let mut t1 = None;
    println!(
        "{:>4} {:>7} {:>9} {:>11} {:>16}",
        "k", "events", "bytes", "fastest", "per-event ratio"
    );
    for k in [0usize, 1, 10, 100] {
        let t = twirl_bench::repeat_events(&text, k);
        let events = parse(&t).all_events().count();
        let d = if k == 0 { t0 } else { fastest_time(&t, &path) };
        if k == 1 {
            t1 = Some(d);
        }
        let ratio = match t1 {
            Some(t1) if k >= 1 && t1 > t0 => {
                let unit = (t1 - t0).as_secs_f64();
                format!(
                    "{:.2}",
                    d.saturating_sub(t0).as_secs_f64() / (k as f64 * unit)
                )
            }
            _ => "-".to_string(),
        };
        println!(
            "{k:>4} {events:>7} {:>9} {:>9.3}ms {ratio:>16}",
            t.len(),
            d.as_secs_f64() * 1000.0
        );
    }
    ExitCode::SUCCESS
}
