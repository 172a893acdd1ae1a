//! Deadlock reports: when nothing can ever run again, say who holds what,
//! who waits for what, and the wait-for cycle, in words.

use crate::kernel::*;
use crate::object::Obj;
use crate::value::Value;

/// A human name for sync object `sid`: the global or attribute it is
/// bound to, else its stable label (`Lock#1`).
pub fn sync_name(p: &Process, sid: SyncId) -> String {
    names_of(p, &[sid]).pop().expect("a name for each id")
}

/// [`sync_name`] of each of `sids`, in order, with one pass over the heap
/// for all of them: a deadlock report names each lock several times, and
/// a lock no global holds (the philosophers' forks sit in a list) is
/// named by searching the heap for an attribute that holds it.
fn names_of(p: &Process, sids: &[SyncId]) -> Vec<String> {
    let mut names: Vec<Option<String>> = vec![None; sids.len()];
    // Per name still to find: its place, its Python object, and whether
    // it was made since the heap's base. An object the program made after
    // the base cannot be named by an object of the base that no write has
    // reached since (the booted builtins and library): those are not
    // looked at for it.
    let mut wanted: Vec<(usize, crate::value::ObjId, bool)> = Vec::new();
    let globals = match p.heap.get(p.main_globals) {
        Obj::Dict(d) => Some(d),
        _ => None,
    };
    for (k, &sid) in sids.iter().enumerate() {
        let Some(entry) = p.sync.get(sid as usize) else {
            names[k] = Some(format!("#{sid}"));
            continue;
        };
        let Some(obj) = entry.pyobj else { continue };
        let global = globals.and_then(|d| {
            d.d.iter().find_map(|e| match (&e.key, &e.value) {
                (Value::Str(key), Value::Obj(o)) if *o == obj && !key.starts_with("__") => Some(key.to_string()),
                _ => None,
            })
        });
        match global {
            Some(name) => names[k] = Some(name),
            None => wanted.push((k, obj, obj as usize >= p.heap.base_len())),
        }
    }
    // In id order: the first attribute found names each.
    let mut left = wanted.len();
    for (id, o) in p.heap.iter() {
        if left == 0 {
            break;
        }
        let Obj::Instance(i) = o else { continue };
        let since = id as usize >= p.heap.base_len() || !p.heap.unchanged(id);
        for e in i.dict.iter() {
            let (Value::Str(key), Value::Obj(v)) = (&e.key, &e.value) else { continue };
            for &(k, obj, new) in &wanted {
                if *v == obj && names[k].is_none() && (since || !new) {
                    names[k] = Some(format!("{key}"));
                    left -= 1;
                }
            }
        }
    }
    names.into_iter().zip(sids).map(|(n, &sid)| n.unwrap_or_else(|| p.sync[sid as usize].label.to_string())).collect()
}

fn kind_word(p: &Process, sid: SyncId) -> &'static str {
    match p.sync.get(sid as usize).map(|e| &e.obj) {
        Some(SyncObj::Lock { .. }) => "lock",
        Some(SyncObj::RLock { .. }) => "rlock",
        Some(SyncObj::Semaphore { .. }) => "semaphore",
        Some(SyncObj::Event { .. }) => "event",
        Some(SyncObj::Condition { .. }) => "condition",
        Some(SyncObj::Queue { .. }) => "queue",
        Some(SyncObj::Barrier { .. }) => "barrier",
        None => "object",
    }
}

pub fn holds(p: &Process, tid: Tid) -> Vec<SyncId> {
    p.sync
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(&e.obj, SyncObj::Lock { owner } | SyncObj::RLock { owner, .. } if *owner == Some(tid)))
        .map(|(i, _)| i as SyncId)
        .collect()
}

pub fn describe_wait(p: &Process, on: &WaitOn) -> String {
    describe_wait_by(p, on, &|sid| sync_name(p, sid))
}

/// [`describe_wait`] with the names of sync objects from `name`.
fn describe_wait_by(p: &Process, on: &WaitOn, name: &dyn Fn(SyncId) -> String) -> String {
    let name = |sid: &SyncId| format!("{} {}", kind_word(p, *sid), name(*sid));
    let tname = |tid: &Tid| p.threads.iter().find(|t| t.tid == *tid).map(|t| t.name.to_string()).unwrap_or_default();
    match on {
        WaitOn::Lock(s) | WaitOn::Semaphore(s) | WaitOn::Event(s) | WaitOn::Barrier(s) => name(s),
        WaitOn::Condition(s) => format!("a notify on {}", name(s)),
        WaitOn::QueueGet(s) => format!("an item from {}", name(s)),
        WaitOn::QueuePut(s) => format!("room in {}", name(s)),
        WaitOn::QueueJoin(s) => format!("all tasks of {} to be done", name(s)),
        WaitOn::Join(t) => format!("thread {} to finish", tname(t)),
        WaitOn::Sleep => "the clock".into(),
        WaitOn::Child(pid) => format!("process {pid} to exit"),
        WaitOn::AnyChild => "a child process to exit".into(),
        WaitOn::Chan(c) => format!("a message on a multiprocessing queue or pipe (channel {c})"),
        WaitOn::KSync(k) => format!("a multiprocessing lock or semaphore (#{k})"),
        WaitOn::Sock(s) => format!("{} (a connection to accept, data to read, or room to send)", sock_name(p, *s)),
        // Every socket it watched was closed: nothing can wake it.
        WaitOn::Select(socks) if socks.is_empty() => "a select (or poll) over no open socket".into(),
        WaitOn::Select(socks) => {
            format!("one of {} to be ready (select)", socks.iter().map(|s| sock_name(p, *s)).collect::<Vec<_>>().join(", "))
        }
    }
}

/// Who a blocked thread waits for, if it is a single thread.
fn waits_for_thread(p: &Process, on: &WaitOn) -> Option<Tid> {
    match on {
        WaitOn::Lock(s) => match p.sync.get(*s as usize).map(|e| &e.obj) {
            Some(SyncObj::Lock { owner }) | Some(SyncObj::RLock { owner, .. }) => *owner,
            _ => None,
        },
        WaitOn::Join(t) => Some(*t),
        _ => None,
    }
}

/// The report for a machine of several processes: each process's
/// threads, named with their pid. (Cycles are looked for within each
/// process; across processes the report lists who waits for what.)
pub fn report_all(procs: &[Process], schedule: &str) -> String {
    if let [p] = procs {
        return report(p, schedule);
    }
    let mut waits = Vec::new();
    let mut threads = String::new();
    for p in procs.iter().filter(|p| p.threads.iter().any(|t| !t.is_finished())) {
        let a = account(p);
        if !a.waits.is_empty() {
            waits.push(format!("in process {}: {}", p.pid, a.first_line()));
        }
        for (name, tid, state) in &a.threads {
            // (A child's threads carry their pid in their names already.)
            if name.contains("(pid ") {
                threads.push_str(&format!("  {name} (tid {tid}): {state}\n"));
            } else {
                threads.push_str(&format!("  {name} (pid {}, tid {tid}): {state}\n", p.pid));
            }
        }
    }
    format!("Deadlock: no thread can proceed: {}\nThreads:\n{threads}schedule: {schedule}\n", summary(waits))
}

/// The first line's list of waits: all of them, or the first few and how
/// many more (a hundred stuck clients are listed one per line below it).
fn summary(parts: Vec<String>) -> String {
    const SHOWN: usize = 6;
    if parts.len() <= SHOWN {
        return parts.join("; ");
    }
    let more = parts.len() - (SHOWN - 1);
    format!("{}; and {more} more threads (below)", parts[..SHOWN - 1].join("; "))
}

/// What a deadlock report says of one process: the waits of its first
/// line (the threads of a wait-for cycle, or else every blocked thread)
/// and a line per thread.
struct Account {
    cycle: bool,
    waits: Vec<String>,
    /// (name, tid, what it is doing), in the process's thread order.
    threads: Vec<(String, Tid, String)>,
}

impl Account {
    /// The first line after `Deadlock: `.
    fn first_line(&self) -> String {
        if self.cycle {
            self.waits.join("; ")
        } else {
            summary(self.waits.clone())
        }
    }
}

fn account(p: &Process) -> Account {
    let all: Vec<SyncId> = (0..p.sync.len() as SyncId).collect();
    let names = names_of(p, &all);
    let name = |sid: SyncId| names.get(sid as usize).cloned().unwrap_or_else(|| format!("#{sid}"));
    let describe_wait = |on: &WaitOn| describe_wait_by(p, on, &name);
    let blocked: Vec<&Thread> = p.threads.iter().filter(|t| matches!(t.state, ThreadState::Blocked(_))).collect();
    let phrase = |t: &Thread| -> String {
        let ThreadState::Blocked(w) = &t.state else { return String::new() };
        let held: Vec<String> = holds(p, t.tid).iter().map(|s| format!("{} {}", kind_word(p, *s), name(*s))).collect();
        let waits = format!("waits for {}", describe_wait(&w.on));
        if held.is_empty() {
            format!("{} {waits}", t.name)
        } else {
            format!("{} holds {}, {waits}", t.name, held.join(" and "))
        }
    };
    // Find a wait-for cycle.
    let mut cycle: Vec<Tid> = Vec::new();
    'search: for start in &blocked {
        let mut path = vec![start.tid];
        let mut cur = start.tid;
        for _ in 0..p.threads.len() + 1 {
            let Some(t) = p.threads.iter().find(|t| t.tid == cur) else { break };
            let ThreadState::Blocked(w) = &t.state else { break };
            let Some(next) = waits_for_thread(p, &w.on) else { break };
            if let Some(pos) = path.iter().position(|x| *x == next) {
                cycle = path[pos..].to_vec();
                break 'search;
            }
            path.push(next);
            cur = next;
        }
    }
    let waits: Vec<String> = if cycle.is_empty() {
        blocked.iter().map(|t| phrase(t)).collect()
    } else {
        cycle.iter().filter_map(|tid| p.threads.iter().find(|t| t.tid == *tid)).map(phrase).collect()
    };
    let threads = p
        .threads
        .iter()
        .map(|t| {
            // The line in the program's own code: a library written in
            // Python (`<multiprocessing>`) is where the program called it.
            let line = t.frames.iter().rev().find(|f| !f.code.filename.starts_with('<')).or(t.frames.last()).map(|f| f.line()).unwrap_or(0);
            let state = match &t.state {
                ThreadState::Runnable => "runnable".to_string(),
                ThreadState::Finished => "finished".to_string(),
                ThreadState::Blocked(w) => format!("blocked on {} at line {line}", describe_wait(&w.on)),
            };
            let held: Vec<String> = holds(p, t.tid).iter().map(|s| name(*s)).collect();
            let held = if held.is_empty() { String::new() } else { format!(", holds {}", held.join(", ")) };
            (t.name.to_string(), t.tid, format!("{state}{held}"))
        })
        .collect();
    Account { cycle: !cycle.is_empty(), waits, threads }
}

/// The report, starting with `Deadlock`.
pub fn report(p: &Process, schedule: &str) -> String {
    let a = account(p);
    let mut out = if a.cycle {
        format!("Deadlock: {}\n", a.first_line())
    } else {
        format!("Deadlock: no thread can proceed: {}\n", a.first_line())
    };
    out.push_str("Threads:\n");
    for (name, tid, state) in &a.threads {
        out.push_str(&format!("  {name} (tid {tid}): {state}\n"));
    }
    out.push_str(&format!("schedule: {schedule}\n"));
    out
}

/// A socket as the process names it: by its descriptor.
fn sock_name(p: &Process, s: u32) -> String {
    match p.fds.iter().find(|(_, id)| *id == s) {
        Some((fd, _)) => format!("socket fd {fd}"),
        None => format!("socket #{s}"),
    }
}
