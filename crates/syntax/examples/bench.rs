//! Parses a file many times and reports the speed:
//! `cargo run --release --example bench -- file.py`.
fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let src = std::fs::read_to_string(&path).expect("readable file");
    let start = std::time::Instant::now();
    let mut n = 0;
    while start.elapsed().as_secs_f64() < 1.0 {
        let _ = interleave_syntax::parse(&src, &path);
        n += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} parses in {secs:.2}s: {:.1} MB/s",
        (src.len() * n) as f64 / secs / 1e6
    );
    // Every prefix, as the robustness test does.
    let start = std::time::Instant::now();
    for (i, _) in src.char_indices() {
        let _ = interleave_syntax::parse(&src[..i], &path);
    }
    println!("all prefixes: {:.2}s", start.elapsed().as_secs_f64());
}
