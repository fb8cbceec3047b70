//! A progress bar for long `check` and `fmt` runs. It is drawn only on a
//! terminal and only once a run has taken more than a second, so a quick run
//! and every piped or CI run look exactly as without it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the bar shows.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar over `len` files; `inc` from any thread, `finish` before
/// printing results.
pub struct Progress {
    /// Only on a terminal, for more than one file: elsewhere there is
    /// nothing to draw, and no bar is made (its bookkeeping costs a lone
    /// file's check start-up time).
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Starts hidden; on a terminal (stderr) the first file done after
    /// [`DELAY`] reveals the bar.
    pub fn start(len: usize, verb: &'static str) -> Progress {
        Progress::on(std::io::stderr().is_terminal(), len, verb)
    }

    fn on(terminal: bool, len: usize, verb: &'static str) -> Progress {
        if !terminal || len < 2 {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} {bar:40} {pos}/{len} files ({elapsed})")
        {
            bar.set_style(style);
        }
        bar.set_prefix(verb);
        Progress { bar: Some(bar) }
    }

    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if bar.is_hidden() && bar.elapsed() >= DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(200));
            }
        }
    }

    /// Stops the bar and clears it from the terminal.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_until_revealed() {
        // On a terminal, a run over within the delay never shows the bar.
        let p = Progress::on(true, 3, "checking");
        p.inc();
        p.inc();
        let bar = p.bar.as_ref().expect("a bar on a terminal");
        assert_eq!(bar.position(), 2);
        assert!(bar.is_hidden());
        p.finish();
    }

    #[test]
    fn no_bar_off_a_terminal_or_for_one_file() {
        for (terminal, len) in [(false, 3), (true, 1)] {
            let p = Progress::on(terminal, len, "checking");
            assert!(p.bar.is_none());
            p.inc();
            p.finish();
        }
    }
}
