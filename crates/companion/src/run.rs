//! `interleave run FILE.py [options]`: runs a Python program natively on
//! Interleave's engine (virtual threads, virtual time, deterministic
//! scheduler), printing its stdout exactly as CPython would.
//!
//! Exit status: the program's (0, 1 on an uncaught exception in the main
//! thread, `sys.exit(n)`), 1 on a syntax error, 2 on bad arguments, 3 on a
//! deadlock (the report, beginning `Deadlock`, goes to stderr), 4 when a
//! budget ran out or the run was stopped.

use std::io::{BufRead, Write};

use interleave_engine::{compile, Config, CpythonLike, Host, Machine, Outcome, Random, Replay, RoundRobin, Schedule, Scheduler};

const USAGE: &str = "usage: interleave run FILE.py [--seed N] [--scheduler cpython|random|round-robin] \
[--schedule S] [--trace FILE.json] [--stdin FILE] [--print-schedule] [--max-steps N (default 1000000000)]";

/// Natively a run may take a while (a billion steps is about half a
/// minute); the page uses the engine's smaller default.
const DEFAULT_MAX_STEPS: u64 = 1_000_000_000;

struct Args {
    file: String,
    seed: u64,
    scheduler: String,
    schedule: Option<String>,
    trace: Option<String>,
    stdin: Option<String>,
    print_schedule: bool,
    max_steps: Option<u64>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        file: String::new(),
        seed: 0,
        scheduler: "cpython".into(),
        schedule: None,
        trace: None,
        stdin: None,
        print_schedule: false,
        max_steps: None,
    };
    let mut i = 0;
    let value = |i: usize, name: &str| -> Result<String, String> {
        args.get(i + 1).cloned().ok_or_else(|| format!("{name} needs a value"))
    };
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "--seed" => {
                a.seed = value(i, arg)?.parse().map_err(|_| "--seed needs a number".to_string())?;
                i += 1;
            }
            "--scheduler" => {
                let s = value(i, arg)?;
                if !matches!(s.as_str(), "cpython" | "random" | "round-robin") {
                    return Err(format!("unknown scheduler '{s}'"));
                }
                a.scheduler = s;
                i += 1;
            }
            "--schedule" => {
                a.schedule = Some(value(i, arg)?);
                i += 1;
            }
            "--trace" => {
                a.trace = Some(value(i, arg)?);
                i += 1;
            }
            "--stdin" => {
                a.stdin = Some(value(i, arg)?);
                i += 1;
            }
            "--max-steps" => {
                a.max_steps = Some(value(i, arg)?.parse().map_err(|_| "--max-steps needs a number".to_string())?);
                i += 1;
            }
            "--print-schedule" => a.print_schedule = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => {
                if !a.file.is_empty() {
                    return Err(format!("unexpected argument {s}"));
                }
                a.file = s.to_string();
            }
        }
        i += 1;
    }
    if a.file.is_empty() {
        return Err("missing FILE.py".into());
    }
    Ok(a)
}

/// Writes program output straight to the real stdout/stderr; reads stdin
/// lazily when no `--stdin` file was given.
struct NativeHost {
    read_real_stdin: bool,
}

impl Host for NativeHost {
    fn stdout(&mut self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
    fn stderr(&mut self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }
    fn stdin_line(&mut self) -> Option<String> {
        if !self.read_real_stdin {
            return None;
        }
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_string()),
        }
    }
}

pub fn main(args: &[String]) -> i32 {
    let a = match parse(args) {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("interleave run: {msg}");
            }
            eprintln!("{USAGE}");
            return 2;
        }
    };
    let source = match std::fs::read_to_string(&a.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("interleave run: can't open file '{}': {e}", a.file);
            return 2;
        }
    };
    let stdin: Vec<String> = match &a.stdin {
        Some(path) => match stdin_file(path) {
            Ok(lines) => lines,
            Err(msg) => {
                eprintln!("interleave run: {msg}");
                return 2;
            }
        },
        None => Vec::new(),
    };
    let mut scheduler: Box<dyn Scheduler> = match &a.schedule {
        Some(s) => match Schedule::parse(s) {
            Ok(s) => Box::new(Replay::new(&s)),
            Err(e) => {
                eprintln!("interleave run: {e}");
                eprintln!("{USAGE}");
                return 2;
            }
        },
        None => match a.scheduler.as_str() {
            "random" => Box::new(Random::new(a.seed)),
            "round-robin" => Box::new(RoundRobin { quantum: 100 }),
            _ => Box::new(CpythonLike),
        },
    };
    let filename = std::path::Path::new(&a.file).file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| a.file.clone());
    let program = match compile(&source, &filename) {
        Ok(p) => p,
        Err(e) => {
            eprint!("{}", e.render());
            return 1;
        }
    };
    let config = Config {
        seed: a.seed,
        stdin,
        argv: vec![a.file.clone()],
        max_steps: a.max_steps.unwrap_or(DEFAULT_MAX_STEPS),
        ..Config::default()
    };
    let mut machine = Machine::new(&program, config);
    let mut host = NativeHost { read_real_stdin: a.stdin.is_none() };
    let result = machine.run(scheduler.as_mut(), &mut host);
    match &result.outcome {
        Outcome::Deadlock { report } => eprint!("{report}"),
        Outcome::Budget { message } | Outcome::Stopped { message } => eprintln!("{message}"),
        Outcome::Finished { .. } => {}
    }
    if let Some(path) = &a.trace {
        if let Err(e) = std::fs::write(path, machine.trace().to_chrome_json()) {
            eprintln!("interleave run: can't write trace '{path}': {e}");
        }
    }
    if a.print_schedule {
        eprintln!("schedule: {}", result.schedule);
    }
    result.exit_status()
}

/// The lines of a `--stdin FILE` (`interleave run` and `explore`), or
/// what to say when it cannot be read.
pub fn stdin_file(path: &str) -> Result<Vec<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(s) => Ok(s.lines().map(String::from).collect()),
        Err(e) => Err(format!("can't open stdin file '{path}': {e}")),
    }
}
