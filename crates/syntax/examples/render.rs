//! Prints `render()` of each program of a NUL-separated file (or `OK`),
//! separated by NUL bytes, to compare with CPython's own rendering.
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("a file of NUL-separated programs");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let out: Vec<String> = text
        .split('\0')
        .map(|src| match interleave_syntax::parse(src, "main.py") {
            Ok(_) => "OK\n".to_string(),
            Err(e) => e.render(),
        })
        .collect();
    print!("{}", out.join("\0"));
}
