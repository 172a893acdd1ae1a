//! `cargo fuzz run run` (from crates/engine): any UTF-8 program must compile
//! to a SyntaxError or run to an outcome (finished, deadlock, budget) under a
//! seeded random scheduler, without panicking or hanging. The first byte
//! seeds the scheduler, so interleavings are fuzzed along with programs.
#![no_main]

use interleave_engine::{compile, Config, Machine, NullHost, Random};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((seed, rest)) = data.split_first() else { return };
    let Ok(source) = std::str::from_utf8(rest) else { return };
    let Ok(program) = compile(source, "fuzz.py") else { return };
    let config = Config { seed: u64::from(*seed), max_steps: 20_000, max_objects: 20_000, max_memory: 8 << 20, ..Config::default() };
    let mut machine = Machine::new(&program, config);
    let _ = machine.run(&mut Random::new(u64::from(*seed)), &mut NullHost);
});
