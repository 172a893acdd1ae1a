//! The trace: what happened, to which thread, at which virtual time.
//!
//! Events are serialisable with serde (the page consumes them as JSON) and
//! exportable as Chrome Trace Event JSON ([`Trace::to_chrome_json`]) that
//! opens in Perfetto: one "X" (complete) event per stretch a thread ran,
//! "i" (instant) events for everything else, and metadata naming threads.

use serde::Serialize;

use crate::kernel::{SyncId, Tid, WaitOn};

/// Events beyond this many are counted but not stored.
pub const MAX_EVENTS: usize = 200_000;

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    ThreadStart { child: Tid, name: String },
    ThreadExit,
    /// The thread ran from `t` to `until_ns` (maximal stretches between
    /// other events, so a trace does not depend on how the scheduler cut
    /// its quanta).
    Run { until_ns: u64 },
    Block { on: WaitOn },
    Wake { on: WaitOn },
    Acquire { lock: String, id: SyncId },
    Release { lock: String, id: SyncId },
    QueuePut { queue: String, item: String },
    QueueGet { queue: String, item: String },
    EventSet { event: String },
    ConditionWait { condition: String },
    Notify { condition: String, woken: usize },
    Print { text: String },
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Event {
    /// Virtual time in nanoseconds.
    pub t: u64,
    pub tid: Tid,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Trace {
    pub events: Vec<Event>,
    /// Thread names by tid (for display and the Chrome export).
    pub thread_names: Vec<(Tid, String)>,
    pub dropped: u64,
    /// The stretch being run now: (thread, since).
    #[serde(skip)]
    open: Option<(Tid, u64)>,
    /// Recording is off (`Config::trace`): every method is a no-op. The
    /// explorer copies a machine at every branch, and a trace that grows
    /// along the path would be copied with it, for nobody to read.
    #[serde(skip)]
    pub off: bool,
}

impl Trace {
    fn push(&mut self, t: u64, tid: Tid, kind: EventKind) {
        if self.off {
            return;
        }
        if let Some((rt, start)) = self.open {
            if t > start {
                self.emit_run(rt, start, t);
            }
            self.open = Some((rt, t.max(start)));
        }
        self.store(t, tid, kind);
    }

    /// [`push`](Self::push) building the event only if it will be stored
    /// (past [`MAX_EVENTS`] it is only counted, so nothing is allocated).
    #[inline]
    fn push_lazy(&mut self, t: u64, tid: Tid, kind: impl FnOnce() -> EventKind) {
        if self.off {
            return;
        }
        if let Some((rt, start)) = self.open {
            if t > start {
                self.emit_run(rt, start, t);
            }
            self.open = Some((rt, t.max(start)));
        }
        if self.events.len() >= MAX_EVENTS {
            self.dropped += 1;
            return;
        }
        self.events.push(Event { t, tid, kind: kind() });
    }

    fn store(&mut self, t: u64, tid: Tid, kind: EventKind) {
        if self.off {
            return;
        }
        if self.events.len() >= MAX_EVENTS {
            self.dropped += 1;
            return;
        }
        self.events.push(Event { t, tid, kind });
    }

    pub fn name_thread(&mut self, tid: Tid, name: &str) {
        if self.off {
            return;
        }
        match self.thread_names.iter_mut().find(|(t, _)| *t == tid) {
            Some(e) => e.1 = name.to_string(),
            None => self.thread_names.push((tid, name.to_string())),
        }
    }

    pub fn thread_start(&mut self, t: u64, parent: Tid, child: Tid, name: &str) {
        self.name_thread(child, name);
        self.push(t, parent, EventKind::ThreadStart { child, name: name.to_string() });
    }
    pub fn thread_exit(&mut self, t: u64, tid: Tid) {
        self.push(t, tid, EventKind::ThreadExit);
    }
    /// A thread starts running at `t`.
    pub fn begin_run(&mut self, tid: Tid, t: u64) {
        if self.off {
            return;
        }
        self.open = Some((tid, t));
    }

    /// The running thread stops at `t`.
    pub fn end_run(&mut self, t: u64) {
        if self.off {
            return;
        }
        if let Some((rt, start)) = self.open.take() {
            if t > start {
                self.emit_run(rt, start, t);
            }
        }
    }

    fn emit_run(&mut self, tid: Tid, start: u64, end: u64) {
        if let Some(Event { tid: last, kind: EventKind::Run { until_ns }, .. }) = self.events.last_mut() {
            if *last == tid && *until_ns == start {
                *until_ns = end;
                return;
            }
        }
        self.store(start, tid, EventKind::Run { until_ns: end });
    }

    pub fn block(&mut self, t: u64, tid: Tid, on: &WaitOn) {
        self.push(t, tid, EventKind::Block { on: on.clone() });
    }
    pub fn wake(&mut self, t: u64, tid: Tid, on: &WaitOn) {
        self.push(t, tid, EventKind::Wake { on: on.clone() });
    }
    pub fn acquire(&mut self, t: u64, tid: Tid, id: SyncId, label: &str) {
        self.push_lazy(t, tid, || EventKind::Acquire { lock: label.to_string(), id });
    }
    pub fn release(&mut self, t: u64, tid: Tid, id: SyncId, label: &str) {
        self.push_lazy(t, tid, || EventKind::Release { lock: label.to_string(), id });
    }
    pub fn queue_put(&mut self, t: u64, tid: Tid, q: &str, item: &str) {
        self.push(t, tid, EventKind::QueuePut { queue: q.to_string(), item: item.to_string() });
    }
    pub fn queue_get(&mut self, t: u64, tid: Tid, q: &str, item: &str) {
        self.push(t, tid, EventKind::QueueGet { queue: q.to_string(), item: item.to_string() });
    }
    pub fn event_set(&mut self, t: u64, tid: Tid, e: &str) {
        self.push(t, tid, EventKind::EventSet { event: e.to_string() });
    }
    pub fn cond_wait(&mut self, t: u64, tid: Tid, c: &str) {
        self.push(t, tid, EventKind::ConditionWait { condition: c.to_string() });
    }
    pub fn notify(&mut self, t: u64, tid: Tid, c: &str, woken: usize) {
        self.push(t, tid, EventKind::Notify { condition: c.to_string(), woken });
    }
    pub fn print(&mut self, t: u64, tid: Tid, text: &str) {
        self.push(t, tid, EventKind::Print { text: text.to_string() });
    }

    /// The trace as JSON (the page's format).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Chrome Trace Event format (`{"traceEvents": [...]}`), times in µs.
    pub fn to_chrome_json(&self) -> String {
        use serde_json::json;
        let mut out = Vec::new();
        out.push(json!({"name": "process_name", "ph": "M", "pid": 1, "tid": 0, "args": {"name": "main.py"}}));
        for (tid, name) in &self.thread_names {
            out.push(json!({"name": "thread_name", "ph": "M", "pid": 1, "tid": tid, "args": {"name": name}}));
        }
        for e in &self.events {
            let ts = e.t as f64 / 1000.0;
            match &e.kind {
                EventKind::Run { until_ns } => out.push(json!({
                    "name": "running", "cat": "run", "ph": "X", "pid": 1, "tid": e.tid,
                    "ts": ts, "dur": (*until_ns - e.t) as f64 / 1000.0
                })),
                other => {
                    let name = match other {
                        EventKind::ThreadStart { name, .. } => format!("start {name}"),
                        EventKind::ThreadExit => "exit".into(),
                        EventKind::Block { on } => format!("block {}", serde_json::to_string(on).unwrap_or_default()),
                        EventKind::Wake { .. } => "wake".into(),
                        EventKind::Acquire { lock, .. } => format!("acquire {lock}"),
                        EventKind::Release { lock, .. } => format!("release {lock}"),
                        EventKind::QueuePut { queue, item } => format!("put {item} -> {queue}"),
                        EventKind::QueueGet { queue, item } => format!("get {item} <- {queue}"),
                        EventKind::EventSet { event } => format!("set {event}"),
                        EventKind::ConditionWait { condition } => format!("wait {condition}"),
                        EventKind::Notify { condition, woken } => format!("notify {condition} ({woken})"),
                        EventKind::Print { text } => format!("print {}", text.trim_end()),
                        EventKind::Run { .. } => String::new(),
                    };
                    out.push(json!({"name": name, "cat": "event", "ph": "i", "s": "t", "pid": 1, "tid": e.tid, "ts": ts}));
                }
            }
        }
        json!({"traceEvents": out, "displayTimeUnit": "ns"}).to_string()
    }
}
