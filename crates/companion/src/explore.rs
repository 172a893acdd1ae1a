//! `interleave explore FILE.py [options]`: runs a program under every
//! schedule that can make a difference (the explorer, a model checker) and
//! prints each distinct outcome, deadlock and error with a schedule that
//! reproduces it (`interleave run FILE.py --schedule S`).
//!
//! With `--condition EXPR` (a Python expression over the final globals,
//! e.g. `counter < 4`) it also answers "can EXPR hold at the end?": yes in
//! how many executions, with a schedule to replay, or no (a proof only when
//! the search was complete).
//!
//! Exit status: 0 when the search ran (whatever it found), 1 on a syntax
//! error in the program, 2 on bad arguments (a condition that is not an
//! expression among them).

use interleave_engine::compile;
use interleave_explorer::{compile_condition, explore, Mode, Options};

const USAGE: &str = "usage: interleave explore FILE.py [--preemption-bound K] [--max-executions N (default 100000, 0: none)] \
[--max-states N (default 2000000, 0: none)] [--search graph|dpor|sleep-sets] \
[--random N | --pct N [--depth D (default 3)]] [--seed S] [--jobs J] [--max-steps N (per execution, default 200000)] [--global NAME]... [--condition EXPR] [--no-state-count] [--json]";

struct Args {
    file: String,
    opts: Options,
    jobs: usize,
    json: bool,
}

fn number<T: std::str::FromStr>(args: &[String], i: usize, flag: &str) -> Result<T, String> {
    let v = args.get(i + 1).ok_or_else(|| format!("{flag} needs a value"))?;
    v.parse().map_err(|_| format!("{flag} needs a number, not '{v}'"))
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut file = None;
    let mut opts = Options::default();
    let (mut random, mut seed) = (None::<u64>, 0u64);
    let (mut pct, mut depth) = (None::<u64>, 3u32);
    let mut jobs = 1usize;
    let mut json = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => return Err(String::new()),
            "--preemption-bound" => {
                opts.preemption_bound = Some(number(args, i, a)?);
                i += 1;
            }
            "--max-executions" => {
                let n: u64 = number(args, i, a)?;
                opts.max_executions = if n == 0 { None } else { Some(n) };
                i += 1;
            }
            "--max-states" => {
                let n: u64 = number(args, i, a)?;
                opts.max_states = if n == 0 { None } else { Some(n) };
                i += 1;
            }
            "--search" => {
                // Which exhaustive search runs: the state graph (exact
                // counts of schedules, with or without a preemption
                // bound), or one of the tree searches (counts of the
                // executions they ran; with a bound, DPOR gives way to the
                // sleep-set search).
                match args.get(i + 1).map(String::as_str) {
                    Some("graph") => (opts.state_graph, opts.dpor) = (true, true),
                    Some("dpor") => (opts.state_graph, opts.dpor) = (false, true),
                    Some("sleep-sets") => (opts.state_graph, opts.dpor) = (false, false),
                    other => return Err(format!("--search needs graph, dpor or sleep-sets, not '{}'", other.unwrap_or(""))),
                }
                i += 1;
            }
            "--max-steps" => {
                opts.max_steps = number(args, i, a)?;
                i += 1;
            }
            "--random" => {
                random = Some(number(args, i, a)?);
                i += 1;
            }
            "--pct" => {
                pct = Some(number(args, i, a)?);
                i += 1;
            }
            "--depth" => {
                depth = number::<u32>(args, i, a)?.max(1);
                i += 1;
            }
            "--seed" => {
                seed = number(args, i, a)?;
                i += 1;
            }
            "--jobs" => {
                jobs = number::<usize>(args, i, a)?.max(1);
                i += 1;
            }
            "--global" => {
                let name = args.get(i + 1).ok_or_else(|| "--global needs a NAME".to_string())?;
                opts.globals.push(name.clone());
                i += 1;
            }
            "--condition" => {
                let expr = args.get(i + 1).ok_or_else(|| "--condition needs an EXPR (a Python expression, e.g. 'counter < 4')".to_string())?;
                // Checked here, before reading the program: a condition
                // that is not an expression is a bad argument.
                compile_condition(expr).map_err(|e| format!("--condition {expr:?} is not a Python expression: {e}"))?;
                opts.condition = Some(expr.clone());
                i += 1;
            }
            "--json" => json = true,
            "--no-state-count" => opts.count_states = false,
            _ if a.starts_with('-') => return Err(format!("unknown option '{a}'")),
            _ if file.is_none() => file = Some(a.to_string()),
            _ => return Err(format!("unexpected argument '{a}'")),
        }
        i += 1;
    }
    let file = file.ok_or_else(|| "missing FILE.py".to_string())?;
    if let Some(runs) = random {
        opts.mode = Mode::Random { runs, seed };
    }
    if let Some(runs) = pct {
        opts.mode = Mode::Pct { runs, depth, seed };
    }
    opts.argv = vec![file.clone()];
    opts.parallel = jobs > 1;
    Ok(Args { file, opts, jobs, json })
}

pub fn main(args: &[String]) -> i32 {
    let a = match parse(args) {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("interleave explore: {msg}");
            }
            eprintln!("{USAGE}");
            return 2;
        }
    };
    let source = match std::fs::read_to_string(&a.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("interleave explore: can't open file '{}': {e}", a.file);
            return 2;
        }
    };
    let program = match compile(&source, &a.file) {
        Ok(p) => p,
        Err(e) => {
            eprint!("{}", e.render());
            return 1;
        }
    };
    let start = std::time::Instant::now();
    let now = move || start.elapsed().as_secs_f64() * 1000.0;
    let report = if a.jobs > 1 {
        match rayon::ThreadPoolBuilder::new().num_threads(a.jobs).build() {
            Ok(pool) => pool.install(|| explore(&program, &a.opts, Some(&now))),
            Err(e) => {
                eprintln!("interleave explore: could not start {} workers ({e}); searching sequentially", a.jobs);
                let opts = Options { parallel: false, ..a.opts.clone() };
                explore(&program, &opts, Some(&now))
            }
        }
    } else {
        explore(&program, &a.opts, Some(&now))
    };
    if a.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text_for(&a.file));
        if !report.outcomes.is_empty() {
            println!("replay one with: interleave run {} --schedule SCHEDULE", a.file);
        }
    }
    0
}
