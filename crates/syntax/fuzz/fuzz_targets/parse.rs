//! `cargo fuzz run parse` (from crates/syntax): any UTF-8 text must parse to
//! a module or a SyntaxError, without panicking, hanging or overflowing the
//! stack. Rendering the error must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    if let Err(err) = interleave_syntax::parse(source, "fuzz.py") {
        let _ = err.render();
    }
});
