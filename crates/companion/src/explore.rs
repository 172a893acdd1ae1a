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
//! A long search shows how far it has got on stderr (when stderr is a
//! terminal), once a second. Ctrl-C stops it the way the page's Stop
//! button does: the search ends at once and the report of what it found
//! so far is printed, marked incomplete. A second Ctrl-C quits at once.
//!
//! Exit status: 0 when the search ran (whatever it found), 1 on a syntax
//! error in the program, 2 on bad arguments (a condition that is not an
//! expression among them), 130 when Ctrl-C stopped it (after the report).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use interleave_engine::compile;
use interleave_engine::machine::group;
use interleave_explorer::{compile_condition, explore_with_progress, Mode, Options, Progress};

const USAGE: &str = "usage: interleave explore FILE.py [--preemption-bound K] \
[--max-states N (the state graph's budget; default 2000000, 0: none)] [--max-depth N (the state graph cuts schedules this deep; default 100000, 0: none)] \
[--max-executions N (the budget of dpor, sleep-sets and sampling; default 100000, 0: none)] [--search graph|dpor|sleep-sets] \
[--random N | --pct N [--depth D (default 3)]] [--seed S] [--jobs J] [--max-steps N (per execution; default 200000, raised for a program whose plain run needs more than a quarter of it)] [--global NAME]... [--condition EXPR] [--stdin FILE (the lines input() reads; default none)] [--no-state-count] [--json]";

struct Args {
    file: String,
    stdin: Option<String>,
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
    let mut stdin = None;
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
            "--max-depth" => {
                let n: u64 = number(args, i, a)?;
                opts.max_depth = if n == 0 { None } else { Some(n) };
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
                // The budget asked for, not one fitted to the program.
                opts.fit_steps = false;
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
            "--stdin" => {
                stdin = Some(args.get(i + 1).ok_or_else(|| "--stdin needs a FILE".to_string())?.clone());
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
    Ok(Args { file, stdin, opts, jobs, json })
}

pub fn main(args: &[String]) -> i32 {
    let mut a = match parse(args) {
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
    // The same lines in every schedule, as `interleave run --stdin` reads
    // them (without it, a search's `input()` meets the end of its input).
    if let Some(path) = &a.stdin {
        match crate::run::stdin_file(path) {
            Ok(lines) => a.opts.stdin = lines,
            Err(msg) => {
                eprintln!("interleave explore: {msg}");
                return 2;
            }
        }
    }
    let program = match compile(&source, &a.file) {
        Ok(p) => p,
        Err(e) => {
            eprint!("{}", e.render());
            return 1;
        }
    };
    let start = Instant::now();
    let now = move || start.elapsed().as_secs_f64() * 1000.0;
    // The search's counters and stop flag, shared with the Ctrl-C handler
    // (a thread that lives as long as the process, hence `'static`).
    let progress: &'static Progress = Box::leak(Box::default());
    let interrupted: &'static AtomicBool = Box::leak(Box::default());
    stop_on_ctrl_c(progress, interrupted);
    let done = AtomicBool::new(false);
    let report = std::thread::scope(|s| {
        if std::io::stderr().is_terminal() {
            s.spawn(|| show_progress(progress, &done, start));
        }
        let report = if a.jobs > 1 {
            match rayon::ThreadPoolBuilder::new().num_threads(a.jobs).build() {
                Ok(pool) => pool.install(|| explore_with_progress(&program, &a.opts, Some(&now), progress)),
                Err(e) => {
                    eprintln!("interleave explore: could not start {} workers ({e}); searching sequentially", a.jobs);
                    let opts = Options { parallel: false, ..a.opts.clone() };
                    explore_with_progress(&program, &opts, Some(&now), progress)
                }
            }
        } else {
            explore_with_progress(&program, &a.opts, Some(&now), progress)
        };
        done.store(true, Ordering::Relaxed);
        report
    });
    if a.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_text_for(&a.file));
        if !report.outcomes.is_empty() {
            // The schedules are of runs that read this input.
            let stdin = a.stdin.as_ref().map(|f| format!(" --stdin {f}")).unwrap_or_default();
            println!("replay one with: interleave run {}{stdin} --schedule SCHEDULE", a.file);
        }
    }
    if interrupted.load(Ordering::Relaxed) {
        130
    } else {
        0
    }
}

/// Ctrl-C sets the search's stop flag (the search then ends within a
/// step and reports what it found); a second one ends the process.
fn stop_on_ctrl_c(progress: &'static Progress, interrupted: &'static AtomicBool) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
    // The handler is installed before the search starts, so a Ctrl-C at
    // any moment of it is caught.
    let Ok(mut sigint) = rt.block_on(async { tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()) }) else { return };
    std::thread::spawn(move || {
        rt.block_on(async {
            if sigint.recv().await.is_some() {
                interrupted.store(true, Ordering::Relaxed);
                progress.request_stop();
                eprintln!("\ninterleave explore: stopped; the report below covers what was explored (Ctrl-C again to quit at once)");
            }
            if sigint.recv().await.is_some() {
                std::process::exit(130);
            }
        });
    });
}

/// One line on stderr, rewritten every second once the search has run
/// for a second: what it has explored so far, and at what rate.
fn show_progress(progress: &Progress, done: &AtomicBool, start: Instant) {
    let mut shown = false;
    let mut last = (start, 0u64);
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        let t = Instant::now();
        if t.duration_since(start) < Duration::from_secs(1) || t.duration_since(last.0) < Duration::from_secs(1) || done.load(Ordering::Relaxed) {
            continue;
        }
        let states = progress.states();
        let rate = (states - last.1) as f64 / t.duration_since(last.0).as_secs_f64();
        last = (t, states);
        eprint!(
            "\r\x1b[Kexploring: {:.0} s, {} steps taken ({}/s), {} ends reached; Ctrl-C stops and reports",
            t.duration_since(start).as_secs_f64(),
            group(states),
            group(rate as u64),
            group(progress.executions())
        );
        let _ = std::io::stderr().flush();
        shown = true;
    }
    if shown {
        eprint!("\r\x1b[K");
    }
}
