//! Differential testing of the searches on generated programs.
//!
//! The litmus tests check known answers on programs a person wrote. This
//! file checks the reductions where nobody thought to look: it generates
//! small threaded programs from a seeded menu of statements (reads and
//! writes of globals, a list, a dict and an attribute; locks taken in
//! either order; conditions, one over a lock also taken directly;
//! check-then-act; prints; failed asserts; names bound only in a thread;
//! generators, calls with keywords and `*args`, new instances, closures;
//! a queue's `get`, `task_done` and `join`; waits for an event and at a
//! barrier; `%` formats; threads made with and without a name; locks and
//! conditions made in a thread; sleeps, and waits with a timeout; a
//! semaphore, an RLock and `locked()`; a caught `KeyError`; a set and a
//! deque; the running thread's name; a `threading.local` attribute;
//! namedtuples)
//! and asks every search the same question.
//!
//! - **The oracle** is written here, apart from the explorer, on the
//!   engine's public steps: every step of every ready thread is a
//!   scheduling point (`Machine::step`, one op), and nothing is frozen,
//!   classified or skipped; states are merged by the engine's fingerprint
//!   only, so that the search stays small. (The explorer's own brute force,
//!   `reduce: false`, runs every schedule as a tree, and is too slow for
//!   all but the tiniest programs.)
//! - **The reduced searches** must find exactly its set of endings (kind,
//!   stdout, exit status, last line of stderr) and its deadlocks: the state
//!   graph, sequential and on 2 workers; the state graph with a preemption
//!   bound too large to cut anything, which must also count the same
//!   schedules; DPOR; and the sleep-set tree search.
//! - **Every schedule** the state graph reports replays to its outcome.
//!
//! A failure prints the program and the seed that generated it. The
//! suite (a debug build) checks a dozen programs, its tree searches within
//! a budget of executions (a program past it is left to the graph there);
//! `INTERLEAVE_DIFF_PROGRAMS=N` (from `INTERLEAVE_DIFF_SEED=S`) checks
//! more, best in a release build, without that budget, 5 to 30 a minute:
//! `INTERLEAVE_DIFF_PROGRAMS=2000 cargo test --release -p interleave-explorer --test differential`
//! (`INTERLEAVE_DIFF_VERBOSE=1` times each program; the ignored test
//! `print_program` prints the program of `INTERLEAVE_DIFF_SEED`).
//!
//! It found that the commonest loop of all, `for t in threads: t.join()`,
//! made the main thread's every step conflict with everything (a list
//! iterator's step was `All`), and that any `n += 1` in a program kept
//! every list read visible: DPOR ran over 100,000 executions on four-line
//! threads that now take 8. And it found that the state graph reported one
//! wait-for cycle per printed outcome, where two cycles were possible.

mod common;

use std::collections::BTreeSet;

use common::*;
use interleave_engine::{compile, CaptureHost, Machine, Outcome};
use interleave_explorer::{config, Options, Report};

/// A small deterministic generator (xorshift64*), so that a seed names a
/// program on every platform and no dependency is needed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One statement of a thread's body (indented by the caller). `me` names
/// the thread in what it prints. Each is one or two lines of the kind the
/// lessons race on; together they touch every kind of shared state the
/// reductions reason about.
fn statement(rng: &mut Rng, me: &str) -> Vec<String> {
    let k = rng.below(86);
    let n = rng.below(3) + 1;
    let lines: Vec<String> = match k {
        0 => vec!["x = x + 1".into()],
        1 => vec!["a = x".into(), "x = a + 1".into()],
        2 => vec!["y = x".into()],
        3 => vec![format!("x = y + {n}")],
        4 => vec![format!("L.append({n})")],
        5 => vec!["L[0] = L[0] + 1".into()],
        6 => vec!["if len(L) > 1:".into(), "    L.pop()".into()],
        7 => vec!["D['k'] = D['k'] + 1".into()],
        8 => vec!["D['j'] = x".into()],
        9 => vec!["D.pop('j', None)".into()],
        10 => vec!["b.v = b.v + 1".into()],
        11 => vec!["with lock:".into(), "    x = x + 1".into()],
        12 => vec!["with lock:".into(), "    with m:".into(), "        y = y + 1".into()],
        13 => vec!["with m:".into(), "    with lock:".into(), "        y = y + 1".into()],
        14 => vec![format!("print('{me}', x)")],
        15 => vec!["if x == 0:".into(), format!("    y = {n}")],
        16 => vec!["b.w = x".into()],
        17 => vec!["z = y".into()],
        18 => vec!["lock.acquire()".into(), "a = x".into(), "lock.release()".into(), "x = a + 1".into()],
        19 => vec![format!("assert x != {n}, '{me} saw {n}'")],
        20 => vec!["x += 1".into()],
        21 => vec!["L.insert(0, y)".into()],
        22 => vec!["if 'j' in D:".into(), "    x = D['j']".into()],
        23 => vec!["ev.set()".into(), "if ev.is_set():".into(), format!("    y = y + {n}")],
        24 => vec!["for v in L:".into(), "    x = x + v".into()],
        25 => vec![format!("y = D.get('j', {n})")],
        26 => vec!["if 'j' in D:".into(), "    del D['j']".into()],
        27 => vec!["x = len(L) + len(D)".into()],
        28 => vec!["D.setdefault('j', y)".into(), "L.pop(0)".into()],
        // Ops that may raise, uncaught: the thread ends with a traceback
        // on stderr, so which thread raises last is part of the ending.
        29 => vec!["L.pop()".into()],
        30 => vec!["del D['j']".into()],
        31 => vec!["y = D['j']".into()],
        32 => vec![format!("print(f'{me}: {{x}} {{L}}')")],
        33 => vec!["p, q = x, y".into(), "x, y = q, p".into()],
        34 => vec![format!("if (x, 'a') == (y, 'a') or 'k' < str(x):"), format!("    L.append({n})")],
        // Generators and calls of functions written in Python: a thread's
        // own generator steps without scheduling points, a shared one
        // (`G`) races, and resuming it while another thread runs it
        // raises ValueError.
        35 => vec!["x = sum(v + 1 for v in L)".into()],
        36 => vec!["for v in G:".into(), "    y = y + v".into()],
        37 => vec![format!("for v in gen({n}):"), "    x = x + v".into()],
        38 => vec!["y = helper(x)".into()],
        39 => vec!["x = next(G, -1)".into()],
        // Conditions: `cv` over its own lock, `cm` over the lock `m` that
        // other statements take directly. A wait that nobody notifies
        // ends in a deadlock.
        40 => vec!["with cv:".into(), "    x = x + 1".into(), "    cv.notify_all()".into()],
        41 => vec!["with cv:".into(), "    if x == 0:".into(), "        cv.wait()".into(), format!("    y = y + {n}")],
        42 => vec!["with cm:".into(), "    y = y + 1".into(), "    cm.notify()".into()],
        43 => vec!["cm.acquire()".into(), "if y == 0:".into(), "    cm.wait()".into(), "cm.release()".into()],
        // Calls with keywords and `*args`, a new instance, `in` on a list,
        // and a closure's variable (`a` is then a cell of the thread's
        // function, which its comprehension reads).
        44 => vec!["y = helper(a=x)".into()],
        45 => vec!["x = helper(*(y,))".into()],
        46 => vec!["o = Pt(x)".into(), "y = o.v + 1".into()],
        47 => vec![format!("if {n} in L:"), "    x = x + 1".into()],
        48 => vec!["a = y".into(), "x = sum([a + v for v in L])".into()],
        // The truth of a list, and `remove` of an item that is there.
        49 => vec!["if not L:".into(), format!("    L.append({n})")],
        50 => vec![format!("if {n} in L:"), format!("    L.remove({n})")],
        // Float arithmetic and a format spec.
        51 => vec![format!("y = x / {n} + 0.5")],
        52 => vec![format!("print(f'{me}: {{x:>3}} {{y * 1.5:.1f}}')")],
        // A queue's tasks: a `get()` of an empty queue and a `join()` with
        // a task not done wait (and may never end); a `task_done()` too
        // many raises ValueError. An event nobody sets is waited for in
        // vain.
        53 => vec!["Q.put(x)".into(), "y = Q.get()".into()],
        54 => vec![format!("Q.put({n})"), "Q.task_done()".into()],
        55 => vec!["Q.join()".into(), "x = x + 1".into()],
        56 => vec![if n == 1 { "ev.wait(None)" } else { "ev.wait()" }.into(), format!("y = y + {n}")],
        57 => vec![format!("x = x + sum(range({n}))")],
        // A barrier of two: a third arrival waits for a partner forever.
        58 => vec![if n == 1 { "x = x + bar.wait(None)" } else { "x = x + bar.wait()" }.into()],
        // Strings joined and read back as an int, and a `%` format.
        59 => vec![format!("y = int(str(x) + '{n}')"), "print('%s got %d' % (str(y), x))".into()],
        // Threads made and not started: a default name counts the threads
        // made before it, in any thread.
        60 => vec!["o = threading.Thread(target=helper, args=(x,))".into(), "print(o.name)".into()],
        61 => vec![format!("o = threading.Thread(name='{me}', target=helper, daemon=True)"), "y = y + len(o.name)".into()],
        // Sync objects made in a thread: a lock of its own, and a
        // condition over the shared lock `m`.
        62 => vec!["lk = threading.Lock()".into(), "with lk:".into(), "    x = x + 1".into()],
        63 => vec!["cq = threading.Condition(m)".into(), "with cq:".into(), format!("    y = y + {n}")],
        // Modulo, and a string repeated a few times (or none: `x` may be
        // negative).
        64 => vec![format!("x = (x + {n}) % 3"), "y = y + len('ab' * x)".into()],
        // How many threads are alive, and whether the first is: both
        // change at starts and ends.
        65 => vec!["y = y + threading.active_count()".into(), "if ts[0].is_alive():".into(), "    x = x + 1".into()],
        // A loop over `enumerate` of the shared list.
        66 => vec!["for i, v in enumerate(L):".into(), "    y = y + i * v".into()],
        // A loop over the shared dict: another thread's insert or delete
        // between two of its steps makes the next one raise RuntimeError.
        67 => vec!["for k in D:".into(), "    x = x + len(k)".into()],
        // Virtual time: a sleep, and waits that give up at a timeout (on
        // a lock, a semaphore without waiting, an event, a condition and
        // a queue), which end only when every other thread waits too.
        68 => vec![format!("time.sleep(0.0{n})"), "x = x + 1".into()],
        69 => vec!["if lock.acquire(timeout=0.01):".into(), "    x = x + 1".into(), "    lock.release()".into()],
        70 => vec!["with sem:".into(), format!("    y = y + {n}")],
        71 => vec!["if sem.acquire(blocking=False):".into(), "    x = x + 1".into(), "    sem.release()".into()],
        72 => vec!["if ev.wait(0.01):".into(), "    x = x + 1".into()],
        73 => vec!["with cv:".into(), "    cv.wait(0.01)".into(), "    y = y + 1".into()],
        74 => vec!["try:".into(), "    y = Q.get(timeout=0.01)".into(), "except queue.Empty:".into(), "    y = -1".into()],
        75 => vec!["with cv:".into(), "    if cv.wait_for(lambda: x > 0, timeout=0.01):".into(), format!("        y = y + {n}")],
        // A re-entrant lock taken twice; whether a lock is held.
        76 => vec!["with rl:".into(), "    with rl:".into(), "        x = x + 1".into()],
        77 => vec!["if lock.locked():".into(), "    y = y + 1".into()],
        // An exception caught in the thread.
        78 => vec!["try:".into(), "    y = D['j']".into(), "except KeyError:".into(), format!("    y = -{n}")],
        // A set and a deque, shared.
        79 => vec![format!("S.add({n})"), "x = x + len(S)".into()],
        80 => vec!["S.discard(1)".into(), "y = y + (2 in S)".into()],
        81 => vec![format!("DQ.append({n})"), "if DQ:".into(), "    y = y + DQ.popleft()".into()],
        // The running thread's name in the output, and a thread-local
        // attribute (each thread sees its own).
        82 => vec![format!("print(threading.current_thread().name, x)")],
        83 => vec!["tl.v = x".into(), "y = y + tl.v".into()],
        // A namedtuple made in the thread, and one made before the
        // threads, read by field, by index and by a loop over it.
        84 => vec!["o = NT(x, y)".into(), "x = o.a + o[1]".into()],
        _ => vec![format!("y = y + PT.b * {n}"), "for v in PT:".into(), "    x = x + v".into()],
    };
    lines
}

/// A program: two or three threads of one to three statements, and maybe
/// a statement of the main thread between the starts and the joins.
fn program(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let threads = if rng.below(4) == 0 { 3 } else { 2 };
    let mut src = String::from(
        "import collections\n\
         import queue\n\
         import threading\n\
         import time\n\
         x = 0\n\
         y = 0\n\
         L = [0]\n\
         D = {'k': 0}\n\
         class Box:\n    pass\n\
         b = Box()\n\
         b.v = 0\n\
         lock = threading.Lock()\n\
         m = threading.Lock()\n\
         ev = threading.Event()\n\
         cv = threading.Condition()\n\
         cm = threading.Condition(m)\n\
         Q = queue.Queue()\n\
         bar = threading.Barrier(2)\n\
         sem = threading.Semaphore(1)\n\
         rl = threading.RLock()\n\
         S = set()\n\
         DQ = collections.deque()\n\
         tl = threading.local()\n\
         NT = collections.namedtuple('NT', 'a b')\n\
         PT = NT(1, 2)\n\
         G = (i for i in range(3))\n\
         def gen(n):\n    for i in range(n):\n        yield i\n\
         def helper(a):\n    return a + 1\n\
         class Pt:\n    def __init__(self, v):\n        self.v = v\n",
    );
    for t in 0..threads {
        src.push_str(&format!("def t{t}():\n    global x, y, z\n"));
        // Fewer statements with more threads keeps brute force tractable.
        let count = rng.below(if threads == 3 { 2 } else { 3 }) + 1;
        for _ in 0..count {
            for line in statement(&mut rng, &format!("t{t}")) {
                src.push_str(&format!("    {line}\n"));
            }
        }
    }
    let mut names: Vec<String> = (0..threads).map(|t| format!("threading.Thread(target=t{t})")).collect();
    // Sometimes the first thread is a subclass with its own `run`, which
    // keeps a global's value in `self`.
    if rng.below(4) == 0 {
        src.push_str("class T0(threading.Thread):\n    def run(self):\n        self.k = x\n        t0()\n");
        names[0] = "T0()".into();
    }
    src.push_str(&format!("ts = [{}]\nfor t in ts:\n    t.start()\n", names.join(", ")));
    if rng.below(3) == 0 {
        for line in statement(&mut rng, "main") {
            src.push_str(&line.replace("a = x", "c = x").replace("a + 1", "c + 1"));
            src.push('\n');
        }
    }
    src.push_str(
        "for t in ts:\n    t.join()\n\
         try:\n    zz = z\nexcept NameError:\n    zz = '-'\n\
         print(x, y, L, D, b.v, getattr(b, 'w', '-'), zz, getattr(ts[0], 'k', '-'), sorted(S), list(DQ))\n",
    );
    src
}

type Endings = (BTreeSet<(String, i32, String, Option<String>)>, BTreeSet<String>);

/// What every search must agree on: the endings and the deadlocks.
fn endings(r: &Report) -> Endings {
    (outcome_keys(r), cycles(r))
}

fn counts(r: &Report) -> Vec<(String, String, u64)> {
    r.outcomes.iter().map(|o| (o.kind.clone(), o.stdout.clone(), o.count)).collect()
}

/// The oracle's budget of distinct states: a program past it is skipped.
/// (A debug build, the suite's, walks about 10,000 states a second.)
const ORACLE_STATES: usize = if cfg!(debug_assertions) { 40_000 } else { 200_000 };

/// The oracle: depth first over every op of every ready thread, each
/// distinct state (by fingerprint) expanded once. None if the program has
/// more states than [`ORACLE_STATES`].
fn every_step(src: &str) -> Option<Endings> {
    let program = compile(src, "main.py").expect("generated programs compile");
    let start = Machine::new(&program, config(&exhaustive()));
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![start];
    let (mut ends, mut deadlocks) = (BTreeSet::new(), BTreeSet::new());
    while let Some(mut m) = stack.pop() {
        if m.outcome.is_none() {
            let ready = m.ready();
            if !seen.insert(m.fingerprint()) {
                continue;
            }
            if seen.len() > ORACLE_STATES {
                return None;
            }
            let Some((&last, others)) = ready.split_last() else {
                panic!("a live machine with no ready thread (the engine resolves that inside a step)");
            };
            // Every thread but the last steps a copy; the last, the machine.
            for &t in others {
                let mut next = m.clone();
                next.step(t, &mut CaptureHost::new());
                stack.push(next);
            }
            m.step(last, &mut CaptureHost::new());
            stack.push(m);
            continue;
        }
        let r = m.result();
        let kind = match &r.outcome {
            Outcome::Finished { .. } => "finished",
            Outcome::Deadlock { report } => {
                deadlocks.insert(report.lines().next().unwrap_or_default().to_string());
                "deadlock"
            }
            Outcome::Budget { .. } => "budget",
            Outcome::Stopped { .. } => "stopped",
        };
        let error = r.stderr.lines().rev().find(|l| !l.trim().is_empty()).map(str::to_string);
        ends.insert((kind.to_string(), r.exit_status(), r.stdout.clone(), error));
    }
    if std::env::var_os("INTERLEAVE_DIFF_VERBOSE").is_some() {
        eprintln!("  every-step states: {}", seen.len());
    }
    Some((ends, deadlocks))
}

/// Checks one program; false if the oracle could not finish it.
fn check(seed: u64, workers: &rayon::ThreadPool) -> bool {
    let src = program(seed);
    let verbose = std::env::var_os("INTERLEAVE_DIFF_VERBOSE").is_some();
    let clock = std::time::Instant::now();
    let lap = |name: &str| if verbose { eprintln!("  {name}: {:.2} s", clock.elapsed().as_secs_f64()) };
    let Some(expect) = every_step(&src) else { return false };
    lap("oracle");
    let what = |name: &str| format!("{name} disagrees with the every-step search on the program of seed {seed}:\n{src}");
    let graph = run(&src, &exhaustive());
    assert!(graph.complete, "{}", what("the state graph (incomplete)"));
    assert_eq!(endings(&graph), expect, "{}", what("the state graph"));
    check_replays(&src, &exhaustive(), &graph);
    lap("graph");

    let par = workers.install(|| run(&src, &Options { parallel: true, ..exhaustive() }));
    assert_eq!(par.outcomes, graph.outcomes, "{}", what("the parallel state graph (outcomes, counts, schedules)"));
    assert_eq!(par.deadlocks, graph.deadlocks, "{}", what("the parallel state graph (deadlocks)"));
    assert_eq!(par.distinct_states, graph.distinct_states, "{}", what("the parallel state graph (states)"));

    // A bound no schedule of these programs can reach cuts nothing: the
    // bounded graph (whose nodes also carry the preemptions used) must
    // count the very same schedules.
    let bounded = run(&src, &Options { preemption_bound: Some(50), ..exhaustive() });
    assert!(bounded.complete, "{}", what("the bounded state graph (incomplete)"));
    assert_eq!(counts(&bounded), counts(&graph), "{}", what("the bounded state graph's counts"));
    lap("parallel and bounded");

    // The tree searches run one execution per class of schedules, and a
    // few `All` ops (a timed acquire, a `threading.local` attribute) make
    // that a hundred thousand: too slow for the suite's debug build, which
    // gives them a budget and leaves a program past it to the graph.
    let tree = Options { max_executions: TREE_EXECUTIONS, ..dpor() };
    for (name, opts) in [("DPOR", tree.clone()), ("the sleep-set search", Options { dpor: false, ..tree })] {
        let r = run(&src, &opts);
        if !r.complete && r.stopped_by == ["max_executions"] && TREE_EXECUTIONS.is_some() {
            TREES_PAST_BUDGET.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            continue;
        }
        assert!(r.complete, "{}", what(&format!("{name} (incomplete)")));
        assert_eq!(endings(&r), expect, "{}", what(name));
        lap(name);
    }
    true
}

/// The executions budget of DPOR and the sleep-set search in a debug build
/// (the suite's, about a second each); none in a release build, whose runs
/// are the long opt-in ones.
const TREE_EXECUTIONS: Option<u64> = if cfg!(debug_assertions) { Some(3_000) } else { None };

/// How many tree searches stopped at [`TREE_EXECUTIONS`].
static TREES_PAST_BUDGET: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

#[test]
fn every_search_finds_what_the_every_step_search_finds() {
    let programs = env_u64("INTERLEAVE_DIFF_PROGRAMS").unwrap_or(if cfg!(debug_assertions) { 12 } else { 200 });
    let first = env_u64("INTERLEAVE_DIFF_SEED").unwrap_or(1);
    let workers = pool(2);
    let mut skipped = 0;
    for seed in first..first + programs {
        let t = std::time::Instant::now();
        let ok = check(seed, &workers);
        if std::env::var_os("INTERLEAVE_DIFF_VERBOSE").is_some() {
            eprintln!("seed {seed}: {} in {:.2} s", if ok { "checked" } else { "skipped" }, t.elapsed().as_secs_f64());
        }
        if !ok {
            skipped += 1;
        }
    }
    let trees = TREES_PAST_BUDGET.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{programs} generated programs from seed {first}: {} checked, {skipped} past the oracle's budget, {trees} tree searches past theirs", programs - skipped);
    // Most programs must be checked, or the test checks nothing. (About
    // one in five of three threads' programs is past the debug build's
    // oracle budget; the suite's dozen may have four.)
    assert!(skipped * 3 <= programs, "{skipped} of {programs} programs were too large for the oracle");
}

#[test]
fn the_generator_covers_its_menu() {
    // Every kind of statement shows up in the first hundred programs, and
    // the programs compile.
    let all: String = (1..101).map(program).collect();
    for needle in ["with m:", "L.pop()", "D.pop(", "b.w", "z = y", "assert x", "ev.set()", "lock.acquire()", "L.insert", "print('t", "for v in L:", "D.get(", "del D", "len(L)", "setdefault", "print(f'", "p, q = x, y", "'k' < str(x)", "sum(v", "in G:", "in gen(", "helper(x)", "next(G", "cv.notify_all()", "cv.wait()", "cm.notify()", "cm.wait()", "helper(a=x)", "helper(*(y,))", "Pt(x)", "in L:", "[a + v for v in L]", "if not L:", "L.remove(", "+ 0.5", ":.1f}", "T0()", "y = Q.get()", "Q.task_done()", "Q.join()", "ev.wait()", "ev.wait(None)", "sum(range(", "bar.wait()", "int(str(x)", "got %d", "args=(x,))", "daemon=True)", "lk = threading.Lock()", "Condition(m)", "% 3", "is_alive()", "enumerate(L)", "for k in D:", "time.sleep(", "acquire(timeout=", "with sem:", "sem.acquire(blocking=False)", "ev.wait(0.01)", "cv.wait(0.01)", "Q.get(timeout=", "wait_for(", "with rl:", "lock.locked()", "except KeyError", "S.add(", "S.discard(", "DQ.popleft()", "current_thread().name", "tl.v", "NT(x, y)", "in PT:"] {
        assert!(all.contains(needle), "no generated program has {needle:?}");
    }
    for seed in 1..101 {
        interleave_engine::compile(&program(seed), "main.py").unwrap_or_else(|e| panic!("seed {seed}: {e:?}\n{}", program(seed)));
    }
}

/// Prints the program of `INTERLEAVE_DIFF_SEED`, to look at or explore.
#[test]
#[ignore = "a tool: prints a generated program"]
fn print_program() {
    let seed = env_u64("INTERLEAVE_DIFF_SEED").unwrap_or(1);
    println!("{}", program(seed));
}
