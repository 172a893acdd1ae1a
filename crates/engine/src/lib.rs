//! Interleave's engine: Python concurrency programs on virtual threads, in a
//! virtual kernel, under a deterministic scheduler.

pub use interleave_syntax as syntax;
