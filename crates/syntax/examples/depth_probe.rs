//! Measures how much stack the parser needs per nesting level:
//! `cargo run --example depth_probe -- paren 200 2048` parses 200 nested
//! parentheses on a thread with a 2048 KB stack (a crash means too little).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = args.get(1).cloned().unwrap_or_default();
    let depth: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200);
    let kb: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(2048);
    let src = match kind.as_str() {
        "list" => format!("x = {}1{}\n", "[".repeat(depth), "]".repeat(depth)),
        "call" => format!("x = {}1{}\n", "f(".repeat(depth), ")".repeat(depth)),
        "lambda" => format!("x = {}1\n", "lambda: ".repeat(depth)),
        "unary" => format!("x = {}1\n", "-".repeat(depth)),
        "not" => format!("x = {}1\n", "not ".repeat(depth)),
        "pow" => format!("x = 1{}\n", "**1".repeat(depth)),
        "ifexp" => format!("x = {}1\n", "1 if 2 else ".repeat(depth)),
        "fstring" => format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth)),
        "file" => {
            std::fs::read_to_string(args.get(4).cloned().unwrap_or_default()).unwrap_or_default()
        }
        "block" => {
            let mut s = String::new();
            for i in 0..depth {
                s.push_str(&" ".repeat(i));
                s.push_str("if x:\n");
            }
            s.push_str(&" ".repeat(depth));
            s.push_str("pass\n");
            s
        }
        _ => format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth)),
    };
    let r = std::thread::Builder::new()
        .stack_size(kb * 1024)
        .spawn(move || match interleave_syntax::parse(&src, "x") {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        })
        .unwrap()
        .join()
        .unwrap();
    println!("{kind} {depth} {kb}KB: {r}");
}
