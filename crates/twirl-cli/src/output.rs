//! Standard output that remembers its first write error, so that a
//! command finishes its work and then says how writing went: a closed
//! pipe (`twirl rules | head -1`) ends quietly, with the status the
//! command had; any other error (a full disk) is reported, naming stdout,
//! with status 2. Nothing is written after the first error.

use std::io::{self, Write};
use std::process::ExitCode;

pub struct Stdout {
    inner: io::StdoutLock<'static>,
    error: Option<io::Error>,
}

pub fn stdout() -> Stdout {
    Stdout {
        inner: io::stdout().lock(),
        error: None,
    }
}

impl Stdout {
    /// Flushes, and turns the command's status into the one to exit with.
    pub fn status(mut self, code: ExitCode) -> ExitCode {
        let _ = self.flush();
        match self.error {
            Some(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                eprintln!("error: cannot write to stdout: {e}");
                ExitCode::from(2)
            }
            _ => code,
        }
    }

    fn note(&mut self, r: io::Result<()>) {
        if let Err(e) = r {
            self.error.get_or_insert(e);
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none() {
            let r = self.inner.write_all(buf);
            self.note(r);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.error.is_none() {
            let r = self.inner.flush();
            self.note(r);
        }
        Ok(())
    }
}
