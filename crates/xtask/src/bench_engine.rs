//! Engine versus CPython on the same programs (`crates/engine/bench-programs`).
//!
//! Each program runs as a whole process under `python3` and under
//! `interleave run` (release build), a few times; the table prints the best
//! wall time of each, their ratio, and each one's peak memory (from
//! `wait4`'s rusage), and whether both printed the same output. Figures only:
//! nothing here asserts a speed.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::steps::{root, Result};

struct Measure {
    seconds: f64,
    peak_kb: i64,
    stdout: Vec<u8>,
    ok: bool,
}

/// Runs `cmd` to completion, measuring wall time and peak RSS.
fn measure(cmd: &mut Command) -> Result<Measure> {
    let output_path = std::env::temp_dir().join(format!("interleave-bench-{}.out", std::process::id()));
    let out = std::fs::File::create(&output_path).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let child = cmd.stdout(out).stderr(Stdio::null()).spawn().map_err(|e| format!("cannot start: {e}"))?;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child; status and usage are valid pointers.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let seconds = started.elapsed().as_secs_f64();
    if pid < 0 {
        return Err("wait4 failed".into());
    }
    let stdout = std::fs::read(&output_path).unwrap_or_default();
    let _ = std::fs::remove_file(&output_path);
    Ok(Measure { seconds, peak_kb: usage.ru_maxrss, stdout, ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 })
}

fn best_of(runs: usize, mut make: impl FnMut() -> Command) -> Result<Measure> {
    let mut best: Option<Measure> = None;
    for _ in 0..runs {
        let m = measure(&mut make())?;
        if best.as_ref().is_none_or(|b| m.seconds < b.seconds) {
            best = Some(m);
        }
    }
    best.ok_or_else(|| "no run".into())
}

pub fn run(quick: bool) -> Result {
    let programs_dir = root().join("crates/engine/bench-programs");
    let mut programs: Vec<_> = std::fs::read_dir(&programs_dir)
        .map_err(|e| format!("{}: {e}", programs_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    programs.sort();
    // The interpreter itself, not whatever `python3` on PATH is: a version
    // manager's shim (pyenv's is a shell script) would add its own start-up
    // to every CPython run and flatter the ratios.
    let python: Option<String> = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|p| !p.is_empty());
    let version = python.as_ref().and_then(|p| Command::new(p).arg("--version").output().ok()).filter(|o| o.status.success());
    let interleave = root().join("target/release/interleave");
    let runs = if quick { 1 } else { 3 };
    match (&python, &version) {
        (Some(p), Some(v)) => println!("reference: {} at {p} (best of {runs} runs each)", String::from_utf8_lossy(&v.stdout).trim()),
        _ => println!("python3 is not installed: printing Interleave's figures alone"),
    }
    println!(
        "{:<18} {:>11} {:>13} {:>15} {:>11} {:>13}  {}",
        "program", "CPython s", "Interleave s", "speed vs CPy", "CPython MB", "Interleave MB", "same output"
    );
    // Peak memory of the 10,000-thread run over that of a plain loop, per
    // thread: what one virtual thread costs.
    let mut peaks: Vec<(String, i64)> = Vec::new();
    for program in &programs {
        let name = program.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let ours = best_of(runs, || {
            let mut c = Command::new(&interleave);
            c.arg("run").arg(program).arg("--max-steps").arg("100000000000");
            c
        })?;
        let reference = match &python {
            Some(p) => Some(best_of(runs, || {
                let mut c = Command::new(p);
                c.arg(program);
                c
            })?),
            None => None,
        };
        let fmt_mb = |kb: i64| format!("{:.1}", kb as f64 / 1024.0);
        peaks.push((name.clone(), ours.peak_kb));
        match reference {
            Some(r) => println!(
                "{:<18} {:>11.3} {:>13} {:>15} {:>11} {:>13}  {}",
                name,
                r.seconds,
                if ours.ok { format!("{:.3}", ours.seconds) } else { "failed".into() },
                if ours.ok { format!("{:.2}x", r.seconds / ours.seconds) } else { "-".into() },
                fmt_mb(r.peak_kb),
                fmt_mb(ours.peak_kb),
                if !ours.ok { "-" } else if r.stdout == ours.stdout { "yes" } else { "NO" }
            ),
            None => println!(
                "{:<18} {:>11} {:>13.3} {:>15} {:>11} {:>13}  {}",
                name, "-", ours.seconds, "-", "-", fmt_mb(ours.peak_kb), if ours.ok { "-" } else { "failed" }
            ),
        }
    }
    println!("(speed vs CPy > 1 means Interleave is faster; MB is peak resident memory of the whole process)");
    let peak = |n: &str| peaks.iter().find(|(p, _)| p == n).map(|(_, kb)| *kb);
    if let (Some(many), Some(base)) = (peak("threads10k"), peak("loop")) {
        println!(
            "memory per virtual thread: about {:.1} KB ((threads10k peak - loop peak) / 10,000 threads alive at once)",
            (many - base) as f64 / 10_000.0
        );
    }
    Ok(())
}
