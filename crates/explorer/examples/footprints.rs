//! Which ops of a program the explorer must treat as touching everything
//! (`Footprint::All`): each one conflicts with every other thread's ops,
//! so it is what makes a program's exploration big. Runs the program once
//! (threads taken in turn, one op each) and counts the `All` ops by op and
//! line, leaving out the ops of a thread alone in the process (which the
//! searches run without scheduling points). A guide for where a finer
//! footprint in `visible.rs` pays.
//!
//! `cargo run --release -p interleave-explorer --example footprints -- FILE.py`

use interleave_explorer::visible::{classify, Footprint, Next};
fn main() {
    let src = std::fs::read_to_string(std::env::args().nth(1).expect("usage: footprints FILE.py")).expect("a readable file");
    let program = interleave_engine::compile(&src, "main.py").expect("a program that compiles");
    let mut m = interleave_engine::Machine::new(&program, Default::default());
    let mut host = interleave_engine::CaptureHost::new();
    let mut counts = std::collections::BTreeMap::new();
    let mut n = 0;
    while m.outcome.is_none() && n < 100000 {
        let r = m.ready();
        if r.is_empty() { break; }
        let t = r[n % r.len()];
        // A thread alone in the process runs without scheduling points:
        // only the ops run beside another live thread cost the search.
        let alone = m.process().threads.iter().filter(|x| !x.is_finished()).count() < 2;
        if let (false, Next::Visible(Footprint::All)) = (alone, classify(&m, t)) {
            let p = m.process();
            let th = p.threads.iter().find(|x| x.tid == t).expect("a ready thread exists");
            let desc = match th.frames.last() { Some(f) => format!("{:?} line {}", f.code.ops.get(f.ip), f.line()), None => "no frame (pending call)".into() };
            *counts.entry(desc).or_insert(0) += 1;
        }
        m.step(t, &mut host);
        n += 1;
    }
    for (k, v) in counts { println!("{v:4} {k}"); }
}
