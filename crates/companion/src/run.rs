//! `interleave run FILE.py`: placeholder until the engine lands.

pub fn main(args: &[String]) -> i32 {
    let _ = args;
    eprintln!("interleave run: the engine is not built yet");
    2
}
