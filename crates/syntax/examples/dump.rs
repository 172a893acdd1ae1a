//! Prints the tree of each program of a NUL-separated file as one line of
//! S-expressions (or `ERR`), for `tests/cpython_tree_check.py`, which
//! compares them with CPython's `ast` rendered the same way.
#[path = "../tests/common/sexpr.rs"]
mod sexpr;

fn main() {
    let spans = std::env::args().any(|a| a == "--spans");
    sexpr::CPYTHON_STYLE.store(true, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::args()
        .nth(1)
        .expect("a file of NUL-separated programs");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    for src in text.split('\0') {
        match interleave_syntax::parse(src, "main.py") {
            Ok(m) if spans => {
                let mut lines = sexpr::spans(&m.body);
                lines.sort();
                println!("{}", lines.join("|"));
            }
            Ok(m) => println!("{}", sexpr::body(&m.body).replace('\n', "\\n")),
            Err(_) => println!("ERR"),
        }
    }
}
