//! Integration tests of `interleave explore`: the JSON report, the text
//! summary, and every reported schedule replayed through `interleave run`.

use std::process::{Command, Output};

fn write_program(name: &str, src: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("interleave-explore-tests-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(name);
    std::fs::write(&p, src).expect("write temp program");
    p
}

fn interleave(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interleave")).args(args).output().expect("run interleave")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

// The explorer's own litmus programs, so both test suites explore the
// same texts.
#[path = "../../explorer/tests/common/litmus.rs"]
mod litmus;
use litmus::{COUNTER_2X2 as COUNTER, COUNTER_2X2_LOCK, TWO_LOCKS};

fn explore_json(path: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["explore", path, "--json"];
    args.extend_from_slice(extra);
    let out = interleave(&args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    serde_json::from_str(&text(&out.stdout)).expect("explore --json prints JSON")
}

/// Replays `schedule` with `interleave run` and returns (stdout, status).
fn replay(path: &str, schedule: &str) -> (String, i32) {
    let out = interleave(&["run", path, "--schedule", schedule]);
    (text(&out.stdout), out.status.code().unwrap_or(-1))
}

#[test]
fn counter_outcomes_replay_through_the_cli() {
    let p = write_program("counter.py", COUNTER);
    let path = p.to_str().expect("utf-8 temp path");
    let v = explore_json(path, &[]);
    assert_eq!(v["complete"], true);
    assert!(v["executions"].as_u64().unwrap_or(0) > 0);
    assert!(v.get("states").is_some() && v.get("elapsed_ms").is_some());
    let outcomes = v["outcomes"].as_array().expect("outcomes list");
    let mut finals: Vec<String> = outcomes.iter().map(|o| o["stdout"].as_str().unwrap_or("").trim().to_string()).collect();
    finals.sort();
    assert_eq!(finals, vec!["2", "3", "4"]);
    for o in outcomes {
        let (stdout, status) = replay(path, o["schedule"].as_str().expect("schedule"));
        assert_eq!(stdout, o["stdout"].as_str().unwrap_or(""));
        assert_eq!(i64::from(status), o["exit_status"].as_i64().unwrap_or(-1));
    }
}

#[test]
fn deadlocks_are_reported_and_replay() {
    let p = write_program("locks.py", TWO_LOCKS);
    let path = p.to_str().expect("utf-8 temp path");
    // One preemption finds the deadlock (one thread takes its first lock,
    // the other runs), and cuts the search short of the schedules that
    // need two.
    let v = explore_json(path, &["--preemption-bound", "1", "--jobs", "2"]);
    assert_eq!(v["preemption_bound"], 1);
    assert_eq!(v["complete"], false, "the bound cut the search");
    let d = &v["deadlocks"][0];
    let cycle = d["cycle"].as_str().expect("cycle");
    assert!(cycle.contains("lock_a") && cycle.contains("lock_b"), "{cycle}");
    assert_eq!(d["threads"].as_array().map(|a| a.len()), Some(2));
    let out = interleave(&["run", path, "--schedule", d["schedule"].as_str().expect("schedule")]);
    assert_eq!(out.status.code(), Some(3), "a deadlock exits with 3");
    assert!(text(&out.stderr).contains(cycle), "{}", text(&out.stderr));
}

#[test]
fn budget_stops_are_truthful_and_text_is_readable() {
    let p = write_program("counter2.py", COUNTER);
    let path = p.to_str().expect("utf-8 temp path");
    // The tree searches stop at an executions budget...
    let v = explore_json(path, &["--search", "dpor", "--max-executions", "3"]);
    assert_eq!(v["complete"], false);
    assert_eq!(v["executions"], 3);
    assert_eq!(v["max_executions"], 3);
    assert_eq!(v["reduction"], "dpor");
    assert!(v["stopped_by"].as_array().is_some_and(|a| a.iter().any(|s| s == "max_executions")));
    // ... the state graph at a states budget.
    let v = explore_json(path, &["--max-states", "20"]);
    assert_eq!(v["complete"], false);
    assert_eq!(v["reduction"], "state_graph");
    assert_eq!(v["stopped_by"], serde_json::json!(["max_states"]));
    assert!(v["distinct_states"].as_u64().is_some_and(|d| d <= 21), "{}", v["distinct_states"]);
    let v = explore_json(path, &[]);
    assert_eq!(v["complete"], true);
    assert_eq!(v["schedules_counted"], true);
    let total: u64 = v["outcomes"].as_array().expect("outcomes").iter().map(|o| o["count"].as_u64().expect("count")).sum();
    assert_eq!(v["executions"].as_u64(), Some(total));
    let out = interleave(&["explore", path]);
    let t = text(&out.stdout);
    assert!(t.starts_with(&format!("3 outcomes in {total} schedules (complete)")), "{t}");
    assert!(t.contains("distinct states, each explored once"), "{t}");
    assert!(!t.contains("reached its budget"), "a complete search gives no advice: {t}");
    // A search cut by its budget says what to do about it.
    let t = text(&interleave(&["explore", path, "--max-states", "20"]).stdout);
    assert!(t.contains("reached its budget") && t.contains("raise --max-states"), "{t}");
    let t = text(&interleave(&["explore", path, "--search", "dpor", "--max-executions", "2"]).stdout);
    assert!(t.contains("raise --max-executions"), "{t}");
    assert_eq!(interleave(&["explore", path, "--search", "bfs"]).status.code(), Some(2));
    let out = interleave(&["explore", path, "--random", "20", "--seed", "5"]);
    assert!(text(&out.stdout).contains("incomplete: stopped by random_sampling"), "{}", text(&out.stdout));
    // A schedule too deep for the depth budget ends there.
    let v = explore_json(path, &["--max-depth", "5"]);
    assert_eq!(v["max_depth"], 5);
    assert!(v["stopped_by"].as_array().is_some_and(|a| a.iter().any(|s| s == "max_depth")), "{}", v["stopped_by"]);
    assert!(v["outcomes"].as_array().is_some_and(|a| a.iter().all(|o| o["kind"] == "budget")), "{}", v["outcomes"]);
}

#[test]
fn the_text_lists_the_most_frequent_outcomes_and_counts_the_rest() {
    // The lesson's 1000-round counter ends in hundreds of ways.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/corpus/mutex/counter_race.py");
    let args = ["--preemption-bound", "2", "--max-states", "50000"];
    let v = explore_json(path, &args);
    let mut counts: Vec<u64> = v["outcomes"].as_array().expect("outcomes").iter().map(|o| o["count"].as_u64().expect("count")).collect();
    assert!(counts.len() > 20, "{} outcomes", counts.len());
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let out = interleave(&[&["explore", path][..], &args[..]].concat());
    let t = text(&out.stdout);
    let listed: Vec<u64> = t
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.split(", ").nth(1).and_then(|c| c.split(' ').next()).and_then(|c| c.parse().ok()).expect("a count"))
        .collect();
    assert_eq!(listed, counts[..20].to_vec(), "{t}");
    let more = format!("... and {} more outcomes, each in {} schedules or fewer (--json lists every outcome)", counts.len() - 20, counts[20]);
    assert!(t.contains(&more), "{t}");
}

#[test]
fn a_long_program_is_explored_with_a_step_budget_that_fits_it() {
    // The GIL lesson's program: two threads counting to 100 000, about 2.8
    // million steps in every schedule.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/corpus/threads/gil_cpu_bound.py");
    let v = explore_json(path, &[]);
    assert_eq!(v["complete"], true, "{}", v["stopped_by"]);
    assert!(v["max_steps"].as_u64().is_some_and(|n| n > 2_800_000), "{}", v["max_steps"]);
    assert_eq!(v["max_steps_fitted"], true);
    let t = text(&interleave(&["explore", path]).stdout);
    assert!(t.contains(&format!(", a step budget of {} per schedule (fitted to the program)", v["max_steps"])), "{t}");
    let outcomes = v["outcomes"].as_array().expect("outcomes");
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0]["kind"], "finished");
    let (stdout, status) = replay(path, outcomes[0]["schedule"].as_str().expect("schedule"));
    assert_eq!((stdout.as_str(), status), (outcomes[0]["stdout"].as_str().expect("stdout"), 0));
    // A budget given on the command line is the budget.
    let v = explore_json(path, &["--max-steps", "200000"]);
    assert_eq!(v["max_steps"], 200_000);
    assert_eq!(v["max_steps_fitted"], false);
    assert_eq!(v["stopped_by"], serde_json::json!(["max_steps"]));
}

#[test]
fn bad_arguments_and_syntax_errors() {
    assert_eq!(interleave(&["explore"]).status.code(), Some(2));
    assert_eq!(interleave(&["explore", "x.py", "--jobs", "many"]).status.code(), Some(2));
    let p = write_program("bad.py", "def f(:\n");
    assert_eq!(interleave(&["explore", p.to_str().expect("path")]).status.code(), Some(1));
}

#[test]
fn watched_globals_are_part_of_each_outcome() {
    // The same counter without the print: by output alone every schedule
    // looks the same; watching `counter` tells the outcomes apart.
    let quiet = COUNTER.replace("print(counter)\n", "");
    let p = write_program("quiet_counter.py", &quiet);
    let path = p.to_str().expect("utf-8 path");
    let plain = explore_json(path, &[]);
    assert_eq!(plain["outcomes"].as_array().map(|a| a.len()), Some(1));
    let watched = explore_json(path, &["--global", "counter"]);
    let mut values: Vec<String> = watched["outcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|o| o["globals"][0][1].as_str().expect("a repr").to_string())
        .collect();
    values.sort();
    assert_eq!(values, ["2", "3", "4"]);
    assert_eq!(watched["outcomes"][0]["globals"][0][0], "counter");
}

#[test]
fn condition_answers_can_it_hold_at_the_end() {
    let p = write_program("cond_counter.py", COUNTER);
    let path = p.to_str().expect("utf-8 path");
    // Text: the answer line, with a schedule that replays to a lost update.
    let out = interleave(&["explore", path, "--condition", "counter < 4"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let t = text(&out.stdout);
    let line = t.lines().find(|l| l.starts_with("can counter < 4 hold at the end? yes: ")).unwrap_or_else(|| panic!("no answer line in:\n{t}"));
    let prefix = format!("interleave run {path} --schedule ");
    let schedule = line.split(&prefix).nth(1).unwrap_or_else(|| panic!("no replay command in {line}"));
    let (stdout, status) = replay(path, schedule);
    assert_eq!(status, 0);
    assert!(stdout.trim().parse::<i64>().is_ok_and(|n| n < 4), "the replay loses an update: {stdout}");
    assert!(t.contains("condition counter < 4: true") && t.contains("condition counter < 4: false"), "{t}");
    // JSON: the answer's counts and each outcome's value.
    let v = explore_json(path, &["--condition", "counter < 4", "--jobs", "2"]);
    let c = &v["condition"];
    assert_eq!(c["expression"], "counter < 4");
    assert_eq!(c["complete"], true);
    let (held, failed) = (c["held"].as_u64().unwrap_or(0), c["failed"].as_u64().unwrap_or(0));
    assert!(held > 0 && failed > 0, "{c}");
    assert_eq!(held + failed, v["executions"].as_u64().unwrap_or(0));
    assert_eq!(c["first_held"].as_str(), Some(schedule), "the same first schedule with 2 workers");
    for o in v["outcomes"].as_array().expect("outcomes") {
        let n: i64 = o["stdout"].as_str().unwrap_or("").trim().parse().expect("a number");
        assert_eq!(o["condition"], if n < 4 { "true" } else { "false" }, "{o}");
    }
    // Never true with the lock, and the search proves it.
    let p = write_program("cond_locked.py", COUNTER_2X2_LOCK);
    let out = interleave(&["explore", p.to_str().expect("path"), "--condition", "counter < 4"]);
    assert!(text(&out.stdout).contains("can counter < 4 hold at the end? no: not true at the end of any of the"), "{}", text(&out.stdout));
    // Without a condition, no answer in the JSON.
    assert!(explore_json(path, &[])["condition"].is_null());
}

#[test]
fn a_bad_condition_is_a_bad_argument() {
    let p = write_program("cond_bad.py", COUNTER);
    let path = p.to_str().expect("utf-8 path");
    let out = interleave(&["explore", path, "--condition", "counter <"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing explored: {}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("SyntaxError: invalid syntax (line 1, column 10)"), "{err}");
    let out = interleave(&["explore", path, "--condition", "counter = 4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not an assignment"), "{}", text(&out.stderr));
    assert_eq!(interleave(&["explore", path, "--condition"]).status.code(), Some(2));
    // A name error is not a bad argument: it is the condition's value.
    let v = explore_json(path, &["--condition", "missing > 1"]);
    assert_eq!(v["condition"]["raised"], v["executions"]);
    assert_eq!(v["condition"]["first_error"][0], "NameError: name 'missing' is not defined");
}

/// Ctrl-C stops a long search the way the page's Stop button does: at
/// once, with the report of what it found (marked incomplete, its
/// schedules replayable), and exit status 130.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_long_search_and_reports_what_it_found() {
    // Nine naive philosophers: millions of states, minutes of search.
    let src = litmus_philosophers(9);
    let path = write_program("ctrl_c.py", &src);
    let p = path.to_str().expect("utf-8 path");
    let child = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["explore", p, "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run interleave");
    // Let it get going (the handler is in place before the search starts).
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("run kill");
    assert!(killed.success());
    // It ends by itself: a hang would keep this wait (and the test) going.
    let out = child.wait_with_output().expect("wait for interleave");
    assert_eq!(out.status.code(), Some(130), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("stopped; the report below covers what was explored"), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(&text(&out.stdout)).expect("the report is printed, as JSON");
    assert_eq!(report["complete"], false);
    assert_eq!(report["stopped_by"], serde_json::json!(["stopped"]));
    let outcomes = report["outcomes"].as_array().expect("outcomes");
    assert!(!outcomes.is_empty(), "what was found before the stop is kept: {report}");
    for o in outcomes {
        let (stdout, status) = replay(p, o["schedule"].as_str().expect("schedule"));
        assert_eq!(stdout, o["stdout"].as_str().expect("stdout"));
        assert_eq!(status, o["exit_status"].as_i64().expect("exit status") as i32);
    }
}

/// A report piped into a reader that goes away (`| head -3`) ends the
/// command quietly, killed by SIGPIPE as Unix tools are, not with a
/// panic's backtrace on stderr.
#[cfg(unix)]
#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let path = write_program("broken_pipe.py", &litmus_philosophers(4));
    let mut child = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(["explore", path.to_str().expect("utf-8 path")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run interleave");
    // The reader goes before the search is done and anything is printed.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for interleave");
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
    assert_eq!(out.status.signal(), Some(13), "SIGPIPE; stderr: {}", text(&out.stderr));
}

/// N dining philosophers, each taking its left fork then its right one.
fn litmus_philosophers(n: usize) -> String {
    format!(
        "import threading\nforks = [threading.Lock() for _ in range({n})]\ndef dine(first, second):\n    with forks[first]:\n        with forks[second]:\n            pass\nps = [threading.Thread(target=dine, args=(i, (i + 1) % {n})) for i in range({n})]\nfor p in ps:\n    p.start()\nfor p in ps:\n    p.join()\nprint('all ate')\n"
    )
}

/// `--stdin` gives every schedule the same input: which thread's
/// `input()` reads which line is the race, and each schedule replays with
/// `interleave run --stdin`.
#[test]
fn threads_race_for_the_lines_of_stdin() {
    let p = write_program(
        "readers.py",
        "import threading\ndef reader(name):\n    line = input()\n    print(name, 'read', line)\nts = [threading.Thread(target=reader, args=(n,)) for n in 'AB']\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\n",
    );
    let input = write_program("readers.stdin", "x\ny\n");
    let (path, input) = (p.to_str().expect("utf-8 temp path"), input.to_str().expect("utf-8 temp path"));
    let v = explore_json(path, &["--stdin", input]);
    assert_eq!(v["complete"], true);
    let outcomes = v["outcomes"].as_array().expect("outcomes list");
    let mut seen: Vec<&str> = outcomes.iter().map(|o| o["stdout"].as_str().unwrap_or("")).collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            "A read x\nB read y\n",
            "A read y\nB read x\n",
            "B read x\nA read y\n",
            "B read y\nA read x\n",
        ]
    );
    for o in outcomes {
        let out = interleave(&["run", path, "--stdin", input, "--schedule", o["schedule"].as_str().expect("schedule")]);
        assert_eq!(text(&out.stdout), o["stdout"].as_str().unwrap_or(""));
    }
    // Without it the input is empty: every reader meets its end.
    let v = explore_json(path, &[]);
    assert!(v["outcomes"].as_array().expect("outcomes").iter().all(|o| o["stdout"] == ""), "{v}");
}
