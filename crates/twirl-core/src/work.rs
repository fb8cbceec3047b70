//! A count of the steps twirl's own scanners take (bytes looked at by the
//! link scanner, lines and lookups of the events reader), so that a test
//! can check that twice the input is at most about twice the work without
//! timing anything. Each scanner adds its total once per call, so the
//! count costs nothing in the loops themselves.

use std::sync::atomic::{AtomicU64, Ordering};

#[doc(hidden)]
pub static STEPS: AtomicU64 = AtomicU64::new(0);

/// Adds `n` steps.
#[doc(hidden)]
pub fn add(n: usize) {
    STEPS.fetch_add(n as u64, Ordering::Relaxed);
}

/// The steps taken so far by every thread of this process.
#[doc(hidden)]
pub fn steps() -> u64 {
    STEPS.load(Ordering::Relaxed)
}
