mod run;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("run") {
        std::process::exit(run::main(&args[2..]));
    }
}
