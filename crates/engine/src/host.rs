//! The host: everything outside the machine. The engine never touches real
//! clocks, threads, files or the DOM; whoever runs it (a test, the Web
//! Worker, the native binary) supplies a [`Host`] for output, input and the
//! "Stop" button.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub trait Host {
    /// Program output on stdout, as it is produced.
    fn stdout(&mut self, text: &str);
    /// Program output on stderr (tracebacks, `print(file=sys.stderr)`).
    fn stderr(&mut self, text: &str);
    /// One line of standard input (without its newline), or `None` at EOF.
    /// Consulted after the lines given in [`crate::Config::stdin`] run out.
    fn stdin_line(&mut self) -> Option<String> {
        None
    }
    /// Polled every 1024 steps; returning true ends the run at once.
    fn should_stop(&mut self) -> bool {
        false
    }
}

/// A host that keeps everything in memory (tests, the explorer).
#[derive(Clone, Debug, Default)]
pub struct CaptureHost {
    pub stdout: String,
    pub stderr: String,
    pub stop: Option<Arc<AtomicBool>>,
}

impl CaptureHost {
    pub fn new() -> CaptureHost {
        CaptureHost::default()
    }
}

impl Host for CaptureHost {
    fn stdout(&mut self, text: &str) {
        self.stdout.push_str(text);
    }
    fn stderr(&mut self, text: &str) {
        self.stderr.push_str(text);
    }
    fn should_stop(&mut self) -> bool {
        self.stop.as_ref().map(|s| s.load(Ordering::Relaxed)).unwrap_or(false)
    }
}

/// Discards output.
#[derive(Clone, Copy, Debug, Default)]
pub struct NullHost;

impl Host for NullHost {
    fn stdout(&mut self, _: &str) {}
    fn stderr(&mut self, _: &str) {}
}
