//! Prints how Interleave judges each program of a NUL-separated file, one
//! line each (`OK` or `Kind: message @ line:col`), for comparing with CPython
//! (see `tests/README.md`).
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("a file of NUL-separated programs");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    for src in text.split('\0') {
        match interleave_syntax::parse(src, "main.py") {
            Ok(_) => println!("OK"),
            Err(e) => println!(
                "{}: {} @ {}:{}",
                e.kind.python_name(),
                e.msg.replace('\n', " "),
                e.line,
                e.col
            ),
        }
    }
}
