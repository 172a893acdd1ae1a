//! `cargo run -p interleave-engine --example run -- FILE.py [seed]`: runs a
//! program under the CPython-like scheduler (or a random one with a seed).
use interleave_engine::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: run FILE.py [seed]");
        std::process::exit(2);
    };
    let src = std::fs::read_to_string(path).unwrap_or_default();
    let program = match compile(&src, "main.py") {
        Ok(p) => p,
        Err(e) => {
            eprint!("{}", e.render());
            std::process::exit(1);
        }
    };
    let stdin_path = path.replace(".py", ".stdin");
    let stdin: Vec<String> = std::fs::read_to_string(stdin_path).map(|s| s.lines().map(String::from).collect()).unwrap_or_default();
    let mut m = Machine::new(&program, Config { stdin, ..Config::default() });
    struct H;
    impl Host for H {
        fn stdout(&mut self, s: &str) {
            print!("{s}");
        }
        fn stderr(&mut self, s: &str) {
            eprint!("{s}");
        }
    }
    let r = match args.get(2) {
        Some(s) => m.run(&mut Random::new(s.parse().unwrap_or(0)), &mut H),
        None => m.run(&mut CpythonLike, &mut H),
    };
    match &r.outcome {
        Outcome::Deadlock { report } => eprint!("{report}"),
        Outcome::Budget { message } | Outcome::Stopped { message } => eprintln!("{message}"),
        _ => {}
    }
    std::process::exit(r.exit_status());
}
