//! A progress bar for long `check` and `fmt` runs. It is drawn only on a
//! terminal and only once a run has taken more than a second, so a quick run
//! and every piped or CI run look exactly as without it.

use std::io::IsTerminal;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar shows.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar over `len` files; `inc` from any thread, `finish` before
/// printing results.
pub struct Progress {
    bar: ProgressBar,
    reveal: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Starts hidden; on a terminal (stderr) a thread reveals the bar after
    /// [`DELAY`] unless the run is over by then.
    pub fn start(len: usize, verb: &'static str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
        if !std::io::stderr().is_terminal() || len < 2 {
            return Progress { bar, reveal: None };
        }
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} {bar:40} {pos}/{len} files ({elapsed})")
        {
            bar.set_style(style);
        }
        bar.set_prefix(verb);
        let (tx, rx) = mpsc::channel::<()>();
        let revealed = bar.clone();
        let thread = std::thread::spawn(move || {
            if rx.recv_timeout(DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                revealed.set_draw_target(ProgressDrawTarget::stderr());
                revealed.enable_steady_tick(Duration::from_millis(200));
            }
        });
        Progress {
            bar,
            reveal: Some((tx, thread)),
        }
    }

    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// Runs `f` (which prints) with the bar cleared, redrawing it after.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Stops the bar and clears it from the terminal.
    pub fn finish(mut self) {
        if let Some((tx, thread)) = self.reveal.take() {
            let _ = tx.send(());
            let _ = thread.join();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_when_not_revealed() {
        // Test runs have no terminal on stderr (or finish within the delay).
        let p = Progress::start(3, "checking");
        p.inc();
        p.inc();
        assert_eq!(p.bar.position(), 2);
        assert!(p.bar.is_hidden());
        p.finish();
    }
}
