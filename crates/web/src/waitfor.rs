//! The wait-for graph: who waits for whom, and the cycle of a deadlock.
//!
//! An arrow goes from a blocked thread to the thread that can unblock it:
//! the owner of the lock it wants, or the thread it joins. Waits that no
//! particular thread can end (an event nobody has set, an empty queue) are
//! listed beside the graph instead. A deadlock between threads is a cycle of
//! arrows; `graph()` is plain Rust over the machine's state, `view()` draws it.

use interleave_engine::kernel::{SyncObj, ThreadState, Tid, WaitOn};
use interleave_engine::modules::sockets;
use interleave_engine::Machine;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: Tid,
    pub to: Tid,
    /// What `from` waits for, e.g. `lock lock_b`.
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WaitGraph {
    /// Unfinished threads: (tid, name, blocked).
    pub nodes: Vec<(Tid, String, bool)>,
    pub edges: Vec<Edge>,
    /// Blocked threads whose wait no particular thread can end: (tid, what).
    pub open_waits: Vec<(Tid, String)>,
    /// The threads of one cycle, in order (empty when there is none).
    pub cycle: Vec<Tid>,
}

pub fn graph(machine: &Machine) -> WaitGraph {
    let mut g = WaitGraph::default();
    // Every process's threads: a thread's locks are its process's.
    for p in &machine.procs {
        add_threads(machine, p, &mut g);
    }
    g.cycle = find_cycle(&g);
    g
}

fn add_threads(machine: &Machine, p: &interleave_engine::kernel::Process, g: &mut WaitGraph) {
    // The engine's own naming: the variable a lock is bound to (`lock_a`).
    let sync_name = |sid: u32| interleave_engine::deadlock::sync_name(p, sid);
    for t in &p.threads {
        let ThreadState::Blocked(wait) = &t.state else {
            if !matches!(t.state, ThreadState::Finished) {
                g.nodes.push((t.tid, t.name.to_string(), false));
            }
            continue;
        };
        g.nodes.push((t.tid, t.name.to_string(), true));
        let owner = |sid: u32| match p.sync.get(sid as usize).map(|s| &s.obj) {
            Some(SyncObj::Lock { owner }) | Some(SyncObj::RLock { owner, .. }) => *owner,
            _ => None,
        };
        let (to, label) = match &wait.on {
            WaitOn::Lock(sid) => (owner(*sid), format!("lock {}", sync_name(*sid))),
            WaitOn::Join(other) => (Some(*other), "join".to_string()),
            WaitOn::Semaphore(sid) => (None, format!("semaphore {}", sync_name(*sid))),
            WaitOn::Event(sid) => (None, format!("event {} to be set", sync_name(*sid))),
            WaitOn::Condition(sid) => (None, format!("a notify on {}", sync_name(*sid))),
            WaitOn::QueueGet(sid) => (None, format!("an item in {}", sync_name(*sid))),
            WaitOn::QueuePut(sid) => (None, format!("room in {}", sync_name(*sid))),
            WaitOn::QueueJoin(sid) => (None, format!("{}.join() (unfinished tasks)", sync_name(*sid))),
            WaitOn::Barrier(sid) => (None, format!("barrier {}", sync_name(*sid))),
            WaitOn::Sleep => (None, "the end of its sleep".to_string()),
            // A parent waiting for its child waits for the child's main
            // thread (the process ends with it).
            WaitOn::Child(pid) => (machine.procs.iter().find(|c| c.pid == *pid).map(|c| c.threads[0].tid), format!("process {pid} to exit")),
            WaitOn::AnyChild => (None, "a child process to exit".to_string()),
            WaitOn::Chan(c) => (None, format!("a message on a queue or pipe (#{c})")),
            WaitOn::KSync(k) => (None, format!("a process-shared lock (#{k})")),
            // Sockets by their role and addresses, as the resources and
            // the timeline name them.
            WaitOn::Sock(s) => (None, format!("{} to be ready", sockets::describe(&machine.kernel, *s))),
            WaitOn::Select(socks) => {
                (None, format!("one of {} (select)", socks.iter().map(|s| sockets::describe(&machine.kernel, *s)).collect::<Vec<_>>().join(", ")))
            }
        };
        match to {
            Some(to) => g.edges.push(Edge { from: t.tid, to, label }),
            None => g.open_waits.push((t.tid, label)),
        }
    }
}

/// One cycle of the graph, found by walking arrows from each node (every
/// blocked thread has at most one arrow, so a walk either ends or loops).
fn find_cycle(g: &WaitGraph) -> Vec<Tid> {
    for (start, _, _) in &g.nodes {
        let mut path: Vec<Tid> = vec![*start];
        let mut at = *start;
        while let Some(e) = g.edges.iter().find(|e| e.from == at) {
            if let Some(i) = path.iter().position(|t| *t == e.to) {
                return path[i..].to_vec();
            }
            path.push(e.to);
            at = e.to;
        }
    }
    Vec::new()
}

/// The graph as SVG (threads on a circle, arrows labelled with what they
/// wait for, the cycle in red), with the open waits and, for a cycle, which
/// Coffman condition each remedy breaks.
pub fn view(g: &WaitGraph) -> Html {
    let n = g.nodes.len().max(1) as f64;
    let (w, h, r) = (560.0, 320.0, 115.0);
    let pos = |i: usize| {
        let a = std::f64::consts::PI * 2.0 * i as f64 / n - std::f64::consts::FRAC_PI_2;
        (w / 2.0 + r * 1.55 * a.cos(), h / 2.0 + r * a.sin())
    };
    let index = |tid: Tid| g.nodes.iter().position(|(t, _, _)| *t == tid);
    let in_cycle = |e: &Edge| {
        let k = g.cycle.len();
        (0..k).any(|i| g.cycle[i] == e.from && g.cycle[(i + 1) % k] == e.to)
    };
    let name = |tid: Tid| g.nodes.iter().find(|(t, _, _)| *t == tid).map(|(_, n, _)| n.clone()).unwrap_or_default();
    html! {
        <div class="waitfor" data-testid="wait-for-graph" data-cycle={g.cycle.iter().map(|t| name(*t)).collect::<Vec<_>>().join(" -> ")}>
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label="Wait-for graph">
                <defs>
                    <marker id="wf-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="wf-head" />
                    </marker>
                    <marker id="wf-arrow-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="wf-head cycle" />
                    </marker>
                </defs>
                { for g.edges.iter().filter_map(|e| {
                    let (a, b) = (pos(index(e.from)?), pos(index(e.to)?));
                    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                    let len = (dx * dx + dy * dy).sqrt().max(1.0);
                    // Stop short of the boxes, and bend a little so that two
                    // opposite arrows do not overlap.
                    let (ux, uy) = (dx / len, dy / len);
                    let (x1, y1, x2, y2) = (a.0 + ux * 62.0, a.1 + uy * 24.0, b.0 - ux * 62.0, b.1 - uy * 24.0);
                    let (mx, my) = ((x1 + x2) / 2.0 - uy * 28.0, (y1 + y2) / 2.0 + ux * 28.0);
                    let cycle = in_cycle(e);
                    Some(html! {
                        <g class={classes!("wf-edge", cycle.then_some("cycle"))}>
                            <path d={format!("M {x1:.1} {y1:.1} Q {mx:.1} {my:.1} {x2:.1} {y2:.1}")}
                                  marker-end={if cycle { "url(#wf-arrow-cycle)" } else { "url(#wf-arrow)" }} />
                            <text x={format!("{mx:.1}")} y={format!("{my:.1}")} text-anchor="middle">{ format!("waits for {}", e.label) }</text>
                        </g>
                    })
                }) }
                { for g.nodes.iter().enumerate().map(|(i, (tid, label, blocked))| {
                    let (x, y) = pos(i);
                    let cycle = g.cycle.contains(tid);
                    html! {
                        <g class={classes!("wf-node", blocked.then_some("blocked"), cycle.then_some("cycle"))}>
                            <rect x={format!("{:.1}", x - 60.0)} y={format!("{:.1}", y - 18.0)} width="120" height="36" rx="8" />
                            <text x={format!("{x:.1}")} y={format!("{:.1}", y + 4.0)} text-anchor="middle">{ label.clone() }</text>
                        </g>
                    }
                }) }
            </svg>
            if !g.open_waits.is_empty() {
                <ul class="open-waits">
                    { for g.open_waits.iter().map(|(t, what)| html! { <li>{ format!("{} waits for {} (no thread holds it: any thread could end this wait)", name(*t), what) }</li> }) }
                </ul>
            }
            if !g.cycle.is_empty() {
                <div class="coffman" data-testid="coffman">
                    <p><strong>{ "A cycle: " }</strong>{ g.cycle.iter().chain(g.cycle.first()).map(|t| name(*t)).collect::<Vec<_>>().join(" → ") }</p>
                    <p>{ "All four Coffman conditions hold: each lock has one owner (mutual exclusion), every thread in the cycle keeps \
                          what it holds while it waits (hold and wait), nobody can take a lock away from its owner (no preemption), \
                          and the waits form this cycle (circular wait). Break any one and the deadlock cannot happen:" }</p>
                    <ul>
                        <li><strong>{ "Circular wait" }</strong>{ ": take the locks in one global order everywhere (see “Breaking the cycle with one global lock order”)." }</li>
                        <li><strong>{ "Hold and wait" }</strong>{ ": acquire the second lock with a timeout; on failure release the first, back off and retry (see “Timeouts with back-off”)." }</li>
                        <li><strong>{ "Mutual exclusion between the two locks" }</strong>{ ": protect both resources with one RLock, so no thread holds one while waiting for the other (see “One RLock for both names”)." }</li>
                    </ul>
                </div>
            }
        </div>
    }
}
