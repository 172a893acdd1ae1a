//! Integration tests of `interleave run`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn write_program(name: &str, src: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("interleave-run-tests-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(name);
    std::fs::write(&p, src).expect("write temp program");
    p
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .arg("run")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn interleave");
    if let Some(mut s) = child.stdin.take() {
        let _ = s.write_all(stdin.as_bytes());
    }
    child.wait_with_output().expect("wait for interleave")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

#[test]
fn prints_stdout_and_exits_zero() {
    let p = write_program("hello.py", "import threading\ndef task(n):\n    print('task', n)\nts = [threading.Thread(target=task, args=(i,)) for i in range(3)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint('done')\n");
    let out = run(&[p.to_str().unwrap_or_default()], "");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "task 0\ntask 1\ntask 2\ndone\n");
}

#[test]
fn uncaught_exception_exits_one_with_traceback() {
    let p = write_program("err.py", "print('before')\nx = 1 / 0\n");
    let out = run(&[p.to_str().unwrap_or_default()], "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "before\n");
    let err = text(&out.stderr);
    assert!(err.starts_with("Traceback (most recent call last):\n"), "{err}");
    assert!(err.trim_end().ends_with("ZeroDivisionError: division by zero"), "{err}");
}

#[test]
fn sys_exit_code() {
    let p = write_program("exit.py", "import sys\nprint('bye')\nsys.exit(7)\n");
    let out = run(&[p.to_str().unwrap_or_default()], "");
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn syntax_error_exits_one() {
    let p = write_program("bad.py", "x = = 1\n");
    let out = run(&[p.to_str().unwrap_or_default()], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("SyntaxError"), "{}", text(&out.stderr));
}

#[test]
fn deadlock_exits_three_and_schedule_replays() {
    let src = "import threading, time\na = threading.Lock()\nb = threading.Lock()\ndef one():\n    with a:\n        time.sleep(0.1)\n        with b:\n            print('one')\ndef two():\n    with b:\n        time.sleep(0.1)\n        with a:\n            print('two')\nt1 = threading.Thread(target=one)\nt2 = threading.Thread(target=two)\nt1.start(); t2.start()\nt1.join(); t2.join()\n";
    let p = write_program("dead.py", src);
    let path = p.to_str().unwrap_or_default();
    let out = run(&[path, "--print-schedule"], "");
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(err.starts_with("Deadlock"), "{err}");
    assert!(err.contains("lock a") && err.contains("lock b"), "{err}");
    let sched = err.lines().rev().find_map(|l| l.strip_prefix("schedule: ")).unwrap_or_default().to_string();
    assert!(!sched.is_empty());
    let again = run(&[path, "--schedule", &sched], "");
    assert_eq!(again.status.code(), Some(3));
    assert_eq!(text(&again.stdout), text(&out.stdout));
}

#[test]
fn step_budget_exits_four() {
    let p = write_program("loop.py", "while True:\n    pass\n");
    let out = run(&[p.to_str().unwrap_or_default(), "--max-steps", "10000"], "");
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out.stderr).contains("step budget"), "{}", text(&out.stderr));
}

#[test]
fn stdin_file_and_pipe() {
    let p = write_program("echo.py", "name = input('name? ')\nprint('hi', name)\n");
    let path = p.to_str().unwrap_or_default();
    let out = run(&[path], "ann\n");
    assert_eq!(text(&out.stdout), "name? hi ann\n");
    let input = write_program("echo.stdin", "bob\n");
    let out = run(&[path, "--stdin", input.to_str().unwrap_or_default()], "");
    assert_eq!(text(&out.stdout), "name? hi bob\n");
}

#[test]
fn random_scheduler_and_trace_file() {
    let p = write_program("racy.py", "import threading\nn = 0\ndef inc():\n    global n\n    for _ in range(100):\n        n += 1\nts = [threading.Thread(target=inc) for _ in range(2)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(n <= 200)\n");
    let trace = std::env::temp_dir().join(format!("interleave-trace-{}.json", std::process::id()));
    let out = run(&[p.to_str().unwrap_or_default(), "--scheduler", "random", "--seed", "3", "--trace", trace.to_str().unwrap_or_default()], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "True\n");
    let json = std::fs::read_to_string(&trace).unwrap_or_default();
    assert!(json.starts_with("{") && json.contains("traceEvents"));
    let _ = std::fs::remove_file(trace);
}

#[test]
fn bad_arguments_print_usage() {
    let out = run(&["--bogus"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("usage: interleave run"));
    let out = run(&[], "");
    assert_eq!(out.status.code(), Some(2));
}
