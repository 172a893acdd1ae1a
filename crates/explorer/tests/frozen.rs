//! Reads of what no other thread can change any more (`frozen`): the
//! state-graph search runs them without a scheduling point, and must still
//! find every outcome. Each program below hides a write where the analysis
//! has to see it (a later store at module level, a store in a function, a
//! list changed in place, an attribute replaced, an iterator shared, a
//! namespace written through `globals()`). The graph and DPOR freeze by
//! different rules (the graph by where the main thread is now, DPOR only
//! by what happens before the reading thread: its start after the main
//! thread's last store), so each checks the other; DPOR is also checked
//! against brute force on the smallest programs (`agreement.rs`).

mod common;

use common::*;
use interleave_explorer::Options;

fn graph() -> Options {
    exhaustive()
}

/// The graph and DPOR agree on `src`, and the graph's schedules replay.
fn agree(src: &str, expected: &[&str]) {
    let g = run(src, &graph());
    let d = run(src, &dpor());
    assert!(g.complete && d.complete, "both complete on {src}");
    assert_eq!(g.reduction, "state_graph");
    assert_eq!(outcome_keys(&g), outcome_keys(&d), "outcomes of {src}");
    let outs: std::collections::BTreeSet<String> = g.outcomes.iter().map(|o| o.stdout.replace('\n', " ").trim().to_string()).collect();
    assert_eq!(outs, set(expected), "{src}");
    check_replays(src, &graph(), &g);
}

/// Two threads: `b` sets an event and then reads; `a` waits for the event
/// and then writes. The read can come before or after the write, but only
/// after `b`'s `set()`: a read wrongly taken as frozen would run at once
/// after the `set()`, before `a` can write, and lose the second outcome.
fn handoff(setup: &str, write: &str, read: &str) -> String {
    format!(
        "import threading\ne = threading.Event()\n{setup}\ndef a():\n    e.wait()\n{write}\ndef b():\n    e.set()\n{read}\n\
         t1 = threading.Thread(target=a)\nt2 = threading.Thread(target=b)\nt1.start()\nt2.start()\nt1.join()\nt2.join()\n"
    )
}

#[test]
fn a_module_store_after_the_start_is_seen() {
    agree(
        "import threading\ne = threading.Event()\nx = 1\ndef f():\n    e.set()\n    print(x)\nt = threading.Thread(target=f)\nt.start()\ne.wait()\nx = 2\nt.join()\n",
        &["1", "2"],
    );
    // The loop at module level stores `i` again and again.
    agree(
        "import threading\ne = threading.Event()\ni = 0\ndef f():\n    e.set()\n    print(i)\nt = threading.Thread(target=f)\nt.start()\ne.wait()\nfor i in range(1, 3):\n    pass\nt.join()\n",
        &["0", "1", "2"],
    );
}

#[test]
fn a_store_in_a_function_is_seen() {
    agree(&handoff("x = 0", "    global x\n    x = 1", "    print(x)"), &["0", "1"]);
    agree(&handoff("x = 0", "    global x\n    del x\n    x = 5", "    print(x)"), &["0", "5", ""]);
}

#[test]
fn a_list_changed_in_place_is_seen() {
    agree(&handoff("items = [0]", "    items[0] = 1", "    print(items[0])"), &["0", "1"]);
    agree(&handoff("items = [0]", "    items.append(1)", "    print(items[-1])"), &["0", "1"]);
    agree(&handoff("items = [0]", "    global items\n    items += [2]", "    print(items[-1])"), &["0", "2"]);
}

#[test]
fn a_list_the_main_thread_still_changes_is_seen() {
    // Only the module code changes lists: frozen once it is past its last
    // change, not before.
    agree(
        "import threading\ne = threading.Event()\nitems = [0]\ndef f():\n    e.set()\n    print(items[-1])\n    for x in items:\n        print(x)\nt = threading.Thread(target=f)\nt.start()\ne.wait()\nitems.append(1)\nt.join()\n",
        &["0 0", "0 0 1", "1 0 1"],
    );
    // A method named by a string.
    agree(&handoff("items = [0]", "    getattr(items, 'append')(1)", "    print(items[-1])"), &["0", "1"]);
}

#[test]
fn a_replaced_attribute_is_seen() {
    agree(
        &handoff("class A:\n    def get(self):\n        return 1\nobj = A()", "    obj.get = lambda: 2", "    print(obj.get())"),
        &["1", "2"],
    );
    // On a module.
    agree(&handoff("threading.tag = 0", "    threading.tag = 1", "    print(threading.tag)"), &["0", "1"]);
}

#[test]
fn a_shared_iterator_is_seen() {
    // Either thread may take either number, or `b` both.
    agree(
        &handoff("it = iter(range(2))", "    for x in it:\n        print('a', x)", "    for x in it:\n        pass\n    print('b', x)"),
        &["b 1", "a 0 b 1", "b 0 a 1", "a 1 b 0", "a 0 a 1", "b 1 a 0"],
    );
}

#[test]
fn an_iterator_kept_by_an_iter_method_is_seen() {
    // `__iter__` keeps the iterator it makes in an attribute, where both
    // threads find it: not the `return iter(...)` whose iterator only the
    // asking loop gets (`frozen::takes_iterators`).
    let setup = "class Box:\n    def __iter__(self):\n        self.it = iter(range(3))\n        return self.it\nbox = Box()\nfor _ in box:\n    break";
    agree(
        &handoff(setup, "    for x in box.it:\n        print('a', x)", "    for x in box.it:\n        pass\n    print('b', x)"),
        &["b 2", "a 1 b 2", "b 1 a 2", "a 2 b 1", "a 1 a 2", "b 2 a 1"],
    );
}

/// The library modules written in Python that most programs import
/// (`collections`, `logging`) neither store attributes by name at run time
/// nor change lists: importing them leaves every freeze of the program in
/// place, so the search is the same size. (Once `collections` used
/// `setattr` and `logging` read a `__dict__`, which turned every freeze
/// off: nineteen times the states on this program.)
#[test]
fn importing_collections_logging_contextlib_or_dataclasses_keeps_the_freezes() {
    let program = |import: &str| {
        format!(
            "import threading\n{import}\nL = [0, 1]\nx = 0\ny = 0\nlock = threading.Lock()\ndef f():\n    global x\n    with lock:\n        a = x\n    x = a + 1\ndef g():\n    global x\n    a = y\n    x = sum([a + v for v in L])\n\
             t1 = threading.Thread(target=f)\nt2 = threading.Thread(target=g)\nt1.start()\nt2.start()\nt1.join()\nt2.join()\nprint(x)\n"
        )
    };
    let plain = states(&program(""));
    for import in ["import collections", "import logging", "from collections import namedtuple, deque", "import contextlib", "import dataclasses"] {
        assert_eq!(states(&program(import)), plain, "{import}");
    }
    // A dataclass with annotated fields, made before the threads start:
    // neither its class body (annotations) nor its generated methods
    // change what the program's reads can see.
    let dataclass = "from dataclasses import dataclass\n@dataclass\nclass Box:\n    v: int\n    tag: str = 'b'\nB = Box(1)";
    assert_eq!(states(&program(dataclass).replace("    a = y\n", "    a = y + B.v - 1\n")), states(&program("class Box:\n    def __init__(self, v):\n        self.v = v\nB = Box(1)").replace("    a = y\n", "    a = y + B.v - 1\n")));
    // A namedtuple made and read in a thread, too.
    let point = "from collections import namedtuple\nP = namedtuple('P', 'a b')";
    let made = program(point).replace("    a = y\n", "    a = P(y, 1).b + P(0, y)[0] - 1\n");
    agree(&made, &["1", "2"]);
}

#[test]
fn a_write_through_globals_is_seen() {
    agree(&handoff("x = 1", "    globals()['x'] = 2", "    print(x)"), &["1", "2"]);
    agree(&handoff("threading.y = 1", "    setattr(threading, 'y', 2)", "    print(threading.y)"), &["1", "2"]);
}

/// The distinct states of `src` in the graph.
fn states(src: &str) -> u64 {
    let r = run(src, &graph());
    assert!(r.complete);
    r.distinct_states.expect("the graph counts its states")
}

#[test]
fn an_attribute_only_constructors_store_is_frozen() {
    // Two threads take a lock held in an attribute that only `__init__`
    // stores: reading it adds no state to taking a global lock.
    let tail = "a = threading.Thread(target=work)\nb = threading.Thread(target=work)\na.start()\nb.start()\na.join()\nb.join()\n";
    let global = format!("import threading\nlock = threading.Lock()\ndef work():\n    with lock:\n        pass\n{tail}");
    let attribute = format!(
        "import threading\nclass Box:\n    def __init__(self):\n        self.lock = threading.Lock()\nbox = Box()\ndef work():\n    with box.lock:\n        pass\n{tail}"
    );
    assert_eq!(states(&global), states(&attribute), "reads of an attribute only __init__ stores add no states");
}

#[test]
fn an_attribute_stored_after_self_escapes_is_seen() {
    // `__init__` starts a thread on `self.run` (a bound method: `self`
    // reaches the other thread), waits until it runs, and only then
    // stores `ready`: the thread may read it before or after the store. A
    // read wrongly taken as frozen would run at once after the `set()`,
    // before the store can, and lose the outcome "1".
    let class = "import threading\nclass W:\n    def __init__(self):\n        self.e = threading.Event()\n";
    let run = "    def run(self):\n        self.e.set()\n        try:\n            print(self.ready)\n        except AttributeError:\n            print('not yet')\nw = W()\nw.t.join()\n";
    agree(
        &format!("{class}        self.t = threading.Thread(target=self.run)\n        self.t.start()\n        self.e.wait()\n        self.ready = 1\n{run}"),
        &["1", "not yet"],
    );
    // The same with the store before the escape in the code, but in a
    // loop that runs it again after.
    agree(
        &format!(
            "{class}        for i in range(2):\n            self.ready = i\n            if i == 0:\n                self.t = threading.Thread(target=self.run)\n                self.t.start()\n                self.e.wait()\n{run}"
        ),
        &["0", "1"],
    );
    // An `__init__` run again on an object another thread already reads.
    agree(
        "import threading\ne = threading.Event()\nclass C:\n    def __init__(self, v):\n        self.v = v\nc = C(1)\ndef again():\n    e.wait()\n    c.__init__(2)\ndef read():\n    e.set()\n    print(c.v)\nt1 = threading.Thread(target=again)\nt2 = threading.Thread(target=read)\nt1.start()\nt2.start()\nt1.join()\nt2.join()\n",
        &["1", "2"],
    );
    // A store outside `__init__` (here in a method) makes the name
    // changeable everywhere.
    agree(
        &handoff("class C:\n    def __init__(self):\n        self.v = 1\n    def set(self):\n        self.v = 2\nc = C()", "    c.set()", "    print(c.v)"),
        &["1", "2"],
    );
}

#[test]
fn a_submodule_imported_by_a_from_list_is_read_too() {
    // `from concurrent import futures` names the library module only in
    // its from-list. Its code stores attributes (a future's state, among
    // others) that the analysis must see, or it freezes their reads: the
    // two spellings must give the same graph.
    let body = "def f():\n    return 1\nwith futures.ThreadPoolExecutor(max_workers=1) as ex:\n    x = ex.submit(f)\nprint(x.result())\n";
    let from = states(&format!("from concurrent import futures\n{body}"));
    let plain = states(&format!("import concurrent.futures as futures\n{body}"));
    assert_eq!(from, plain, "states with each spelling of the import");
}

#[test]
fn frozen_reads_are_not_scheduling_points() {
    // Two threads take a lock in turn. Reading the lock from a global, a
    // list, a tuple, a method on it, `range` and a module attribute add no
    // state: none of them can change once the threads run.
    let head = "import threading\nlock = threading.Lock()\nlocks = [lock]\npair = (lock, lock)\nn = 3\n";
    let plain = format!("{head}def work(k):\n    with lock:\n        pass\n");
    let busy = format!("{head}def work(k):\n    for _ in range(n):\n        same = locks[0] is pair[1] and threading.Lock is not None\n        for l in locks:\n            same = l is lock\n    with locks[k - k]:\n        pass\n");
    // (Under the `__main__` idiom: the string is not a way around the
    // analysis.)
    let tail = "if __name__ == '__main__':\n    a = threading.Thread(target=work, args=(1,))\n    b = threading.Thread(target=work, args=(2,))\n    a.start()\n    b.start()\n    a.join()\n    b.join()\n";
    let (s_plain, s_busy) = (states(&format!("{plain}{tail}")), states(&format!("{busy}{tail}")));
    assert_eq!(s_plain, s_busy, "reads of frozen data add no states");
    // DPOR, too, takes no scheduling point for them: every global the
    // threads read was stored before they were started. (A few points
    // remain: its sleep sets and race checks look at a thread's next op
    // before it runs, without the analysis. Without the rule the busy
    // program takes four times the points.)
    let points = |src: &str| {
        let r = run(src, &dpor());
        assert!(r.complete);
        r.states
    };
    let (p_plain, p_busy) = (points(&format!("{plain}{tail}")), points(&format!("{busy}{tail}")));
    assert!(p_busy <= p_plain + p_plain / 5, "reads of frozen data add (almost) no DPOR points: {p_plain} plain, {p_busy} busy");
    // A global that a function stores is not frozen: every read of it is
    // a scheduling point again.
    let stored = busy.replace("def work(k):\n", "def work(k):\n    global n\n    n = 3\n");
    assert!(states(&format!("{stored}{tail}")) > s_plain);
}

/// Three threads that each sum squares, once through a generator
/// expression (`sum(n * n for n in range(50))`: the builtin hands the
/// generator to its helper written in Python, and the generator's frame
/// goes back and forth between the two) and once through a loop of their
/// own. Only the thread that made it can reach its generator, so its steps
/// need no scheduling points: the two programs search alike, state for
/// state and schedule for schedule.
#[test]
fn a_thread_s_own_generator_steps_like_its_own_loop() {
    let program = |body: &str| {
        format!(
            "import threading\nresults = [0, 0, 0]\ndef work(i):\n{body}\nts = [threading.Thread(target=work, args=(i,)) for i in range(3)]\n\
             for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(results)\n"
        )
    };
    let generator = program("    results[i] = sum(n * n for n in range(50))");
    let looped = program("    total = 0\n    for n in range(50):\n        total += n * n\n    results[i] = total");
    for o in [graph(), dpor()] {
        let (g, l) = (run(&generator, &o), run(&looped, &o));
        assert!(g.complete && l.complete, "{}", o.state_graph);
        assert_eq!(finished_stdouts(&g), set(&["[40425, 40425, 40425]"]));
        assert_eq!((g.executions, g.states), (l.executions, l.states), "the generator's steps cost what the loop's do ({})", g.reduction);
    }
    agree(&generator, &["[40425, 40425, 40425]"]);
}

/// A generator two threads iterate (a global): each step of it races with
/// the other thread's, and one thread resuming it while the other runs it
/// raises ValueError.
#[test]
fn a_shared_generator_still_races() {
    let src = "import threading\ndef gen():\n    for i in range(2):\n        yield i\ng = gen()\nseen = []\ndef worker():\n    try:\n        for v in g:\n            seen.append(v)\n    except ValueError as e:\n        seen.append(str(e))\n\
               ts = [threading.Thread(target=worker) for _ in range(2)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(sorted(map(str, seen)))\n";
    agree(src, &["['0', '1']", "['0', '1', 'generator already executing']"]);
}

/// A generator that is one thread's own until it hands it over (through a
/// list, then an event): from then on its steps race with the other
/// thread's, which may take either item, or both.
#[test]
fn a_generator_handed_to_another_thread_races_from_then_on() {
    let src = "import threading\nbox = []\nev = threading.Event()\nseen = []\ndef gen():\n    for i in range(2):\n        yield i\n\
               def a():\n    g = gen()\n    box.append(g)\n    ev.set()\n    for v in g:\n        seen.append(('a', v))\n\
               def b():\n    ev.wait()\n    for v in box[0]:\n        seen.append(('b', v))\n\
               ts = [threading.Thread(target=a), threading.Thread(target=b)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(sorted(seen))\n";
    agree(src, &["[('a', 0), ('a', 1)]", "[('a', 0), ('b', 1)]", "[('a', 1), ('b', 0)]", "[('b', 0), ('b', 1)]"]);
}
