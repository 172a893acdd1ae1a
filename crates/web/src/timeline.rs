//! The timeline: one lane per thread on virtual time.
//!
//! `lanes()` turns the engine's trace into segments (running, blocked on
//! something, sleeping) and marks (acquire, release, put, get, set, wait,
//! notify, print); that part is plain Rust. `view()` draws them as SVG.
//! A thread is *ready* whenever it has started, is not finished, and is
//! neither running nor blocked: that is the lane's background.

use std::collections::BTreeMap;

use interleave_engine::kernel::WaitOn;
use interleave_engine::trace::{EventKind, Trace};
use interleave_engine::{SyncView, SOCKET_VIEW_ID};
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub enum SegmentKind {
    Running,
    Blocked,
    Sleeping,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub from: u64,
    pub to: u64,
    pub kind: SegmentKind,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub t: u64,
    pub kind: &'static str,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub tid: u32,
    pub name: String,
    pub start: u64,
    pub end: Option<u64>,
    pub segments: Vec<Segment>,
    pub marks: Vec<Mark>,
}

fn wait_label(on: &WaitOn, sync: &[SyncView], names: &BTreeMap<u32, String>) -> (SegmentKind, String) {
    let sync_name = |id: &u32| sync.iter().find(|s| s.id == *id).map(|s| s.name.clone()).unwrap_or_else(|| format!("#{id}"));
    match on {
        WaitOn::Sleep => (SegmentKind::Sleeping, "sleeping".into()),
        WaitOn::Lock(id) => (SegmentKind::Blocked, format!("blocked on {}", sync_name(id))),
        WaitOn::Semaphore(id) => (SegmentKind::Blocked, format!("blocked on semaphore {}", sync_name(id))),
        WaitOn::Event(id) => (SegmentKind::Blocked, format!("waiting for event {}", sync_name(id))),
        WaitOn::Condition(id) => (SegmentKind::Blocked, format!("waiting on condition {}", sync_name(id))),
        WaitOn::QueueGet(id) => (SegmentKind::Blocked, format!("waiting to get from {}", sync_name(id))),
        WaitOn::QueuePut(id) => (SegmentKind::Blocked, format!("waiting to put into {}", sync_name(id))),
        WaitOn::QueueJoin(id) => (SegmentKind::Blocked, format!("waiting in {}.join()", sync_name(id))),
        WaitOn::Barrier(id) => (SegmentKind::Blocked, format!("waiting at barrier {}", sync_name(id))),
        WaitOn::Join(t) => (
            SegmentKind::Blocked,
            format!("joining {}", names.get(t).cloned().unwrap_or_else(|| format!("thread {t}"))),
        ),
        WaitOn::Child(pid) => (SegmentKind::Blocked, format!("waiting for process {pid} to exit")),
        WaitOn::AnyChild => (SegmentKind::Blocked, "waiting for a child process to exit".into()),
        WaitOn::Chan(c) => (SegmentKind::Blocked, format!("waiting for a message (queue or pipe #{c})")),
        WaitOn::KSync(k) => (SegmentKind::Blocked, format!("blocked on a process-shared lock (#{k})")),
        WaitOn::Sock(s) => (SegmentKind::Blocked, format!("waiting on {}", sync_name(&(SOCKET_VIEW_ID + s)))),
        WaitOn::Select(socks) => (
            SegmentKind::Blocked,
            format!("in select over {}", socks.iter().map(|s| sync_name(&(SOCKET_VIEW_ID + s))).collect::<Vec<_>>().join(", ")),
        ),
    }
}

fn lane_mut<'a>(lanes: &'a mut BTreeMap<u32, Lane>, names: &BTreeMap<u32, String>, tid: u32, t: u64) -> &'a mut Lane {
    lanes.entry(tid).or_insert_with(|| Lane {
        tid,
        name: names.get(&tid).cloned().unwrap_or_else(|| format!("thread {tid}")),
        start: t,
        end: None,
        segments: Vec::new(),
        marks: Vec::new(),
    })
}

/// Lanes from a finished run's trace; `end` is the run's last virtual time.
pub fn lanes(trace: &Trace, sync: &[SyncView], end: u64) -> Vec<Lane> {
    let names: BTreeMap<u32, String> = trace.thread_names.iter().cloned().collect();
    let mut lanes: BTreeMap<u32, Lane> = BTreeMap::new();
    let mut open_block: BTreeMap<u32, (u64, SegmentKind, String)> = BTreeMap::new();
    macro_rules! lane {
        ($tid:expr, $t:expr) => {
            lane_mut(&mut lanes, &names, $tid, $t)
        };
    }
    lane!(0, 0);
    for e in &trace.events {
        match &e.kind {
            EventKind::ThreadStart { child, .. } => {
                lane!(*child, e.t);
                lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "start", label: format!("starts {}", names.get(child).cloned().unwrap_or_default()) });
            }
            EventKind::ThreadExit => lane!(e.tid, e.t).end = Some(e.t),
            EventKind::Run { until_ns } => lane!(e.tid, e.t).segments.push(Segment {
                from: e.t,
                to: *until_ns,
                kind: SegmentKind::Running,
                label: "running".into(),
            }),
            EventKind::Block { on } => {
                let (kind, label) = wait_label(on, sync, &names);
                open_block.insert(e.tid, (e.t, kind, label));
            }
            EventKind::Wake { .. } => {
                if let Some((from, kind, label)) = open_block.remove(&e.tid) {
                    lane!(e.tid, e.t).segments.push(Segment { from, to: e.t, kind, label });
                }
            }
            EventKind::Acquire { lock, .. } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "acquire", label: format!("acquires {lock}") }),
            EventKind::Release { lock, .. } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "release", label: format!("releases {lock}") }),
            EventKind::QueuePut { queue, item } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "put", label: format!("puts {item} into {queue}") }),
            EventKind::QueueGet { queue, item } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "get", label: format!("gets {item} from {queue}") }),
            EventKind::EventSet { event } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "set", label: format!("sets {event}") }),
            EventKind::ConditionWait { condition } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "wait", label: format!("waits on {condition}") }),
            EventKind::Notify { condition, woken } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "notify", label: format!("notifies {condition} (wakes {woken})") }),
            EventKind::Print { text } => lane!(e.tid, e.t).marks.push(Mark { t: e.t, kind: "print", label: format!("prints {}", text.trim_end()) }),
        }
    }
    // Waits still open at the end: the thread never woke (deadlock, or a
    // daemon thread dropped at exit).
    for (tid, (from, kind, label)) in open_block {
        lane!(tid, from).segments.push(Segment { from, to: end.max(from), kind, label });
    }
    lanes.into_values().collect()
}

const LANE_H: f64 = 34.0;
const LABEL_W: f64 = 170.0;

/// One trace event in words, for the replay bar ("Thread-1 acquires lock_a").
pub fn describe(trace: &Trace, index: usize) -> String {
    let Some(e) = trace.events.get(index) else { return String::new() };
    let name = |tid: u32| {
        trace.thread_names.iter().find(|(t, _)| *t == tid).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("thread {tid}"))
    };
    let what = match &e.kind {
        EventKind::ThreadStart { child, .. } => format!("starts {}", name(*child)),
        EventKind::ThreadExit => "ends".into(),
        EventKind::Run { until_ns } => format!("runs until {}", format_ns(*until_ns)),
        EventKind::Block { .. } => "blocks".into(),
        EventKind::Wake { .. } => "wakes up".into(),
        EventKind::Acquire { lock, .. } => format!("acquires {lock}"),
        EventKind::Release { lock, .. } => format!("releases {lock}"),
        EventKind::QueuePut { queue, item } => format!("puts {item} into {queue}"),
        EventKind::QueueGet { queue, item } => format!("gets {item} from {queue}"),
        EventKind::EventSet { event } => format!("sets {event}"),
        EventKind::ConditionWait { condition } => format!("waits on {condition}"),
        EventKind::Notify { condition, woken } => format!("notifies {condition} (wakes {woken})"),
        EventKind::Print { text } => format!("prints {:?}", text.trim_end()),
    };
    format!("{}: {} {}", format_ns(e.t), name(e.tid), what)
}

/// What the program had printed by event `index` (inclusive).
pub fn printed_until(trace: &Trace, index: usize) -> String {
    trace
        .events
        .iter()
        .take(index + 1)
        .filter_map(|e| match &e.kind {
            EventKind::Print { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// The timeline as SVG, `zoom` times as wide as the view, with a cursor at
/// virtual time `cursor` when replaying.
pub fn view(lanes: &[Lane], end: u64, zoom: u32, cursor: Option<u64>) -> Html {
    let width = 1000.0 * f64::from(zoom.max(1));
    let end = end.max(1) as f64;
    let x = |t: u64| LABEL_W + (t as f64 / end) * (width - LABEL_W - 10.0);
    let height = LANE_H * lanes.len() as f64 + 28.0;
    let ticks = (0..=5).map(|i| {
        let t = end * f64::from(i) / 5.0;
        let label = format_ns(t as u64);
        let tx = x(t as u64);
        html! {
            <g class="tick">
                <line x1={tx.to_string()} x2={tx.to_string()} y1="0" y2={(height - 22.0).to_string()} />
                <text x={tx.to_string()} y={(height - 8.0).to_string()} text-anchor="middle">{ label }</text>
            </g>
        }
    });
    html! {
        <svg class="timeline-svg" width={width.to_string()} height={height.to_string()}
             viewBox={format!("0 0 {width} {height}")} role="img" aria-label="Timeline of the threads">
            { for ticks }
            if let Some(t) = cursor {
                <line class="cursor" data-testid="timeline-cursor" x1={x(t).to_string()} x2={x(t).to_string()} y1="0" y2={(height - 22.0).to_string()} />
            }
            { for lanes.iter().enumerate().map(|(i, lane)| {
                let y = i as f64 * LANE_H + 4.0;
                let lane_end = lane.end.unwrap_or(end as u64);
                html! {
                    <g class="lane" data-thread={lane.name.clone()}>
                        <text class="lane-name" x="6" y={(y + LANE_H / 2.0 + 2.0).to_string()}>{ lane.name.clone() }</text>
                        <rect class="seg ready" x={x(lane.start).to_string()} y={(y + 9.0).to_string()}
                              width={(x(lane_end) - x(lane.start)).max(1.0).to_string()} height={(LANE_H - 18.0).to_string()}>
                            <title>{ format!("{}: ready (waiting for the CPU)", lane.name) }</title>
                        </rect>
                        { for lane.segments.iter().map(|s| {
                            let class = match s.kind { SegmentKind::Running => "seg running", SegmentKind::Blocked => "seg blocked", SegmentKind::Sleeping => "seg sleeping" };
                            html! {
                                <rect class={class} x={x(s.from).to_string()} y={(y + 5.0).to_string()}
                                      width={(x(s.to) - x(s.from)).max(1.5).to_string()} height={(LANE_H - 10.0).to_string()}>
                                    <title>{ format!("{}: {} from {} to {}", lane.name, s.label, format_ns(s.from), format_ns(s.to)) }</title>
                                </rect>
                            }
                        }) }
                        { for lane.marks.iter().map(|m| html! {
                            <g class={format!("mark {}", m.kind)}>
                                <line x1={x(m.t).to_string()} x2={x(m.t).to_string()} y1={(y + 2.0).to_string()} y2={(y + LANE_H - 2.0).to_string()} />
                                <title>{ format!("{} {} at {}", lane.name, m.label, format_ns(m.t)) }</title>
                            </g>
                        }) }
                    </g>
                }
            }) }
        </svg>
    }
}

/// Virtual nanoseconds for people: `1.25 s`, `3.4 ms`, `12 µs`.
pub fn format_ns(ns: u64) -> String {
    let f = ns as f64;
    if f >= 1e9 {
        format!("{:.2} s", f / 1e9)
    } else if f >= 1e6 {
        format!("{:.1} ms", f / 1e6)
    } else if f >= 1e3 {
        format!("{:.0} µs", f / 1e3)
    } else {
        format!("{ns} ns")
    }
}
