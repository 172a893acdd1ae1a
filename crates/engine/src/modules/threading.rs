//! `threading` on virtual threads.
//!
//! Every blocking operation follows one protocol: the native either
//! completes at once, or returns [`Flow::Block`] naming what the thread
//! waits for (and, for timeouts, a virtual deadline). The machine parks the
//! thread; whoever changes the awaited state (a `release`, a `set`, a
//! `notify`, a thread ending, the clock passing the deadline) makes it
//! runnable again, and the *same call is retried*: it reads
//! [`Thread::wake`](crate::kernel::Thread) to learn whether it was
//! notified or timed out. Multi-phase operations (`Condition.wait`:
//! release, wait, re-acquire) keep their progress in the thread's
//! `call_state` across retries.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::kernel::*;
use crate::methods::kwarg;
use crate::modules::{add_class, add_fn, add_method, add_property, new_module};
use crate::object::*;
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Flow, Vm, R};

/// A thread's `ident` (CPython's are large pointer-like numbers).
pub fn ident_of(tid: Tid) -> u64 {
    140_230_000_000_000 + tid as u64 * 8_392_704
}

// ----------------------------------------------------------------------
// The blocking protocol
// ----------------------------------------------------------------------

/// Blocks the current thread on `on`, with an optional timeout in seconds
/// (the deadline is fixed by the first attempt and kept across retries).
pub fn block(vm: &mut Vm, on: WaitOn, timeout: Option<f64>) -> Flow {
    let deadline = timer_deadline(vm.k.clock, timeout, vm.k.timer_tick);
    let t = vm.thread();
    let deadline = match deadline {
        Some(d) => Some(*t.call_deadline.get_or_insert(d)),
        _ => t.call_deadline,
    };
    Flow::Block(Wait { on, deadline })
}

/// When a wait of `timeout` seconds that starts at `now` ends: at the
/// first timer tick at or after `now + timeout` (`Config::timer_tick_ns`).
/// A timeout of 0 ends at once (a poll, as in `acquire(timeout=0)`).
///
/// Why a tick: the clock advances with every op, so a deadline computed
/// to the nanosecond depends on how many ops of other threads ran before
/// the sleep. Each order of those ops would then lead to a state of its
/// own, which the explorer's state graph cannot merge: a program of four
/// threads that each sleep once reached 830,786 distinct states, all with
/// the same output. Rounded up to the tick, the deadlines agree and the
/// states are one (1,137 states). A sleep still never ends early, and the
/// wait is at most one tick longer than asked, as on Linux.
pub fn timer_deadline(now: u64, timeout: Option<f64>, tick: u64) -> Option<u64> {
    match timeout {
        Some(s) if s > 0.0 => Some(now.saturating_add((s * 1e9) as u64).div_ceil(tick).saturating_mul(tick)),
        Some(s) if s >= 0.0 => Some(now),
        _ => None,
    }
}

pub fn woke(vm: &mut Vm) -> Option<Wake> {
    vm.thread().wake
}

/// Makes every thread waiting on `on` runnable (woken as notified).
pub fn wake_all(vm: &mut Vm, on: &WaitOn) {
    let now = vm.k.clock;
    for i in 0..vm.p.threads.len() {
        let hit = matches!(&vm.p.threads[i].state, ThreadState::Blocked(w) if w.on == *on);
        if hit {
            vm.k.next_ready_seq += 1;
            let seq = vm.k.next_ready_seq;
            let t = &mut vm.p.threads[i];
            t.wake_up(seq, Wake::Notified);
            let tid = t.tid;
            vm.rec.trace.wake(now, tid, on);
        }
    }
}

fn wake_tid(vm: &mut Vm, tid: Tid) {
    let now = vm.k.clock;
    vm.k.next_ready_seq += 1;
    let seq = vm.k.next_ready_seq;
    if let Some(i) = vm.p.thread_index(tid) {
        if let Some(on) = vm.p.threads[i].wake_up(seq, Wake::Notified) {
            vm.rec.trace.wake(now, tid, &on);
        }
    }
}

fn timeout_arg(vm: &mut Vm, v: Option<&Value>) -> R<Option<f64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(x) => match ops::to_f64(x) {
            Some(f) => Ok(Some(f)),
            None => {
                let t = ops::type_name(vm, x);
                Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer or float")))
            }
        },
    }
}

fn sync_id(vm: &mut Vm, v: &Value) -> R<SyncId> {
    if let Value::Obj(id) = v {
        if let Obj::Instance(i) = vm.p.heap.get(*id) {
            if let Payload::Sync(s) = i.payload {
                return Ok(s);
            }
        }
    }
    Err(vm.type_error("object is not initialised (missing __init__ call?)"))
}

pub fn new_sync(vm: &mut Vm, obj: &Value, s: SyncObj, kind: &str) -> SyncId {
    let id = vm.p.sync.len() as SyncId;
    let n = vm.p.sync.iter().filter(|e| sync_kind(&e.obj) == kind).count() + 1;
    vm.p.sync.push(SyncEntry { obj: s, pyobj: obj.as_obj(), label: Arc::from(format!("{kind}#{n}")) });
    if let Value::Obj(o) = obj {
        if let Obj::Instance(i) = vm.p.heap.get_mut(*o) {
            i.payload = Payload::Sync(id);
        }
    }
    id
}

pub fn sync_kind(s: &SyncObj) -> &'static str {
    match s {
        SyncObj::Lock { .. } => "Lock",
        SyncObj::RLock { .. } => "RLock",
        SyncObj::Semaphore { bound: Some(_), .. } => "BoundedSemaphore",
        SyncObj::Semaphore { .. } => "Semaphore",
        SyncObj::Event { .. } => "Event",
        SyncObj::Condition { .. } => "Condition",
        SyncObj::Queue { .. } => "Queue",
        SyncObj::Barrier { .. } => "Barrier",
    }
}

fn blocking_args(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<(bool, Option<f64>)> {
    let blocking = match args.get(1).or_else(|| kwarg(kwargs, "blocking")) {
        Some(v) => ops::truthy(vm, v)?,
        None => true,
    };
    let timeout = match args.get(2).or_else(|| kwarg(kwargs, "timeout")) {
        Some(v) => {
            let t = ops::to_f64(v).unwrap_or(-1.0);
            if !blocking && t != -1.0 {
                return Err(vm.value_error("can't specify a timeout for a non-blocking call"));
            }
            if t < 0.0 && t != -1.0 {
                return Err(vm.value_error("timeout value must be a non-negative number"));
            }
            if t == -1.0 {
                None
            } else {
                Some(t)
            }
        }
        None => None,
    };
    Ok((blocking, timeout))
}

// ----------------------------------------------------------------------
// Locks
// ----------------------------------------------------------------------

/// Tries to take lock `sid` for the current thread; true on success.
fn try_take(vm: &mut Vm, sid: SyncId) -> bool {
    let tid = vm.tid();
    let now = vm.k.clock;
    let took = match &mut vm.p.sync[sid as usize].obj {
        SyncObj::Lock { owner } => {
            if owner.is_none() {
                *owner = Some(tid);
                true
            } else {
                false
            }
        }
        SyncObj::RLock { owner, count } => {
            if owner.is_none() || *owner == Some(tid) {
                *owner = Some(tid);
                *count += 1;
                true
            } else {
                false
            }
        }
        _ => false,
    };
    if took {
        let label = &vm.p.sync[sid as usize].label;
        vm.rec.trace.acquire(now, tid, sid, label);
    }
    took
}

fn lock_acquire_impl(vm: &mut Vm, sid: SyncId, blocking: bool, timeout: Option<f64>) -> R<Value> {
    if try_take(vm, sid) {
        return Ok(Value::Bool(true));
    }
    if woke(vm) == Some(Wake::TimedOut) || !blocking || timeout == Some(0.0) {
        return Ok(Value::Bool(false));
    }
    Err(block(vm, WaitOn::Lock(sid), timeout))
}

fn lock_release_impl(vm: &mut Vm, sid: SyncId) -> R<Value> {
    let tid = vm.tid();
    let now = vm.k.clock;
    let released = match &mut vm.p.sync[sid as usize].obj {
        SyncObj::Lock { owner } => {
            if owner.is_none() {
                return Err(vm.err(Builtin::RuntimeError, "release unlocked lock"));
            }
            *owner = None;
            true
        }
        SyncObj::RLock { owner, count } => {
            if *owner != Some(tid) || *count == 0 {
                return Err(vm.err(Builtin::RuntimeError, "cannot release un-acquired lock"));
            }
            *count -= 1;
            if *count == 0 {
                *owner = None;
                true
            } else {
                false
            }
        }
        _ => false,
    };
    let label = &vm.p.sync[sid as usize].label;
    vm.rec.trace.release(now, tid, sid, label);
    if released {
        wake_all(vm, &WaitOn::Lock(sid));
    }
    Ok(Value::None)
}

fn lock_init(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let s = args.first().cloned().unwrap_or(Value::None);
    new_sync(vm, &s, SyncObj::Lock { owner: None }, "Lock");
    Ok(Value::None)
}

fn rlock_init(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let s = args.first().cloned().unwrap_or(Value::None);
    new_sync(vm, &s, SyncObj::RLock { owner: None, count: 0 }, "RLock");
    Ok(Value::None)
}

fn lock_acquire(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    let (blocking, timeout) = blocking_args(vm, args, kwargs)?;
    lock_acquire_impl(vm, sid, blocking, timeout)
}

fn lock_enter(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    lock_acquire_impl(vm, sid, true, None)
}

fn lock_release(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    lock_release_impl(vm, sid)
}

fn lock_exit(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    lock_release_impl(vm, sid)?;
    Ok(Value::Bool(false))
}

fn lock_locked(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    Ok(Value::Bool(match &vm.p.sync[sid as usize].obj {
        SyncObj::Lock { owner } | SyncObj::RLock { owner, .. } => owner.is_some(),
        _ => false,
    }))
}

// ----------------------------------------------------------------------
// Semaphores
// ----------------------------------------------------------------------

fn sem_init(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let s = args.first().cloned().unwrap_or(Value::None);
    let value = match args.get(1).or_else(|| kwarg(kwargs, "value")) {
        Some(Value::Int(v)) => *v,
        Some(Value::Bool(b)) => *b as i64,
        None => 1,
        Some(_) => return Err(vm.type_error("semaphore initial value must be an integer")),
    };
    if value < 0 {
        return Err(vm.value_error("semaphore initial value must be >= 0"));
    }
    let bounded = match &s {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Instance(i) => ops::is_subclass(vm, i.class, vm.class(Builtin::BoundedSemaphore)),
            _ => false,
        },
        _ => false,
    };
    let kind = if bounded { "BoundedSemaphore" } else { "Semaphore" };
    new_sync(vm, &s, SyncObj::Semaphore { value, bound: if bounded { Some(value) } else { None } }, kind);
    Ok(Value::None)
}

fn sem_acquire_impl(vm: &mut Vm, sid: SyncId, blocking: bool, timeout: Option<f64>) -> R<Value> {
    let tid = vm.tid();
    let now = vm.k.clock;
    if let SyncObj::Semaphore { value, .. } = &mut vm.p.sync[sid as usize].obj {
        if *value > 0 {
            *value -= 1;
            let label = vm.p.sync[sid as usize].label.clone();
            vm.rec.trace.acquire(now, tid, sid, &label);
            return Ok(Value::Bool(true));
        }
    }
    if woke(vm) == Some(Wake::TimedOut) || !blocking || timeout == Some(0.0) {
        return Ok(Value::Bool(false));
    }
    Err(block(vm, WaitOn::Semaphore(sid), timeout))
}

fn sem_acquire(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    let blocking = match args.get(1).or_else(|| kwarg(kwargs, "blocking")) {
        Some(v) => ops::truthy(vm, v)?,
        None => true,
    };
    let timeout = timeout_arg(vm, args.get(2).or_else(|| kwarg(kwargs, "timeout")))?;
    sem_acquire_impl(vm, sid, blocking, timeout)
}

fn sem_enter(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    sem_acquire_impl(vm, sid, true, None)
}

fn sem_release_impl(vm: &mut Vm, sid: SyncId, n: i64) -> R<Value> {
    let tid = vm.tid();
    let now = vm.k.clock;
    if let SyncObj::Semaphore { value, bound } = &mut vm.p.sync[sid as usize].obj {
        if let Some(b) = bound {
            if *value + n > *b {
                return Err(vm.value_error("Semaphore released too many times"));
            }
        }
        *value += n;
    }
    let label = vm.p.sync[sid as usize].label.clone();
    vm.rec.trace.release(now, tid, sid, &label);
    wake_all(vm, &WaitOn::Semaphore(sid));
    Ok(Value::None)
}

fn sem_release(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    let n = match args.get(1).or_else(|| kwarg(kwargs, "n")) {
        Some(Value::Int(n)) => *n,
        _ => 1,
    };
    if n < 1 {
        return Err(vm.value_error("n must be one or more"));
    }
    sem_release_impl(vm, sid, n)
}

/// `threading._baton_pass(give, take)`: releases semaphore `give` and
/// acquires semaphore `take`, as one op. Greenlets (`greenlet.py`) hand
/// each other a baton this way: after the op the switcher waits and only
/// the greenlet switched to can run, where a release and then an acquire
/// left a step between them at which both could, and the explorer tried
/// both orders at every switch. A retry after the wake-up only takes
/// (`CallState::BatonPassed`).
fn baton_pass(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let give = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    let take = sync_id(vm, args.get(1).unwrap_or(&Value::None))?;
    if vm.thread().call_state.is_none() {
        sem_release_impl(vm, give, 1)?;
        vm.thread().call_state = Some(CallState::BatonPassed);
    }
    let took = sem_acquire_impl(vm, take, true, None)?;
    vm.thread().call_state = None;
    Ok(took)
}

fn sem_exit(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    sem_release_impl(vm, sid, 1)?;
    Ok(Value::Bool(false))
}

fn sem_value(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    Ok(match &vm.p.sync[sid as usize].obj {
        SyncObj::Semaphore { value, .. } => Value::Int(*value),
        _ => Value::None,
    })
}

// ----------------------------------------------------------------------
// Events
// ----------------------------------------------------------------------

fn event_init(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let s = args.first().cloned().unwrap_or(Value::None);
    new_sync(vm, &s, SyncObj::Event { flag: false }, "Event");
    Ok(Value::None)
}

fn event_flag(vm: &Vm, sid: SyncId) -> bool {
    matches!(vm.p.sync[sid as usize].obj, SyncObj::Event { flag: true })
}

fn event_set(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    if let SyncObj::Event { flag } = &mut vm.p.sync[sid as usize].obj {
        *flag = true;
    }
    let (now, tid) = (vm.k.clock, vm.tid());
    let label = vm.p.sync[sid as usize].label.clone();
    vm.rec.trace.event_set(now, tid, &label);
    wake_all(vm, &WaitOn::Event(sid));
    Ok(Value::None)
}

fn event_clear(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    if let SyncObj::Event { flag } = &mut vm.p.sync[sid as usize].obj {
        *flag = false;
    }
    Ok(Value::None)
}

fn event_is_set(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    Ok(Value::Bool(event_flag(vm, sid)))
}

fn event_wait(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    if event_flag(vm, sid) {
        return Ok(Value::Bool(true));
    }
    if woke(vm) == Some(Wake::TimedOut) {
        return Ok(Value::Bool(false));
    }
    let timeout = timeout_arg(vm, args.get(1).or_else(|| kwarg(kwargs, "timeout")))?;
    if timeout == Some(0.0) || timeout.map(|t| t < 0.0).unwrap_or(false) {
        return Ok(Value::Bool(false));
    }
    Err(block(vm, WaitOn::Event(sid), timeout))
}

// ----------------------------------------------------------------------
// Conditions
// ----------------------------------------------------------------------

fn cond_init(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let s = args.first().cloned().unwrap_or(Value::None);
    let lock = match args.get(1).or_else(|| kwarg(kwargs, "lock")) {
        Some(l) if !l.is_none() => l.clone(),
        _ => {
            let cls = vm.class(Builtin::RLock);
            vm.call_sync(Value::Obj(cls), vec![], vec![])?
        }
    };
    let lock_sync = sync_id(vm, &lock)?;
    let Some(lock_id) = lock.as_obj() else { return Err(vm.type_error("bad lock")) };
    new_sync(vm, &s, SyncObj::Condition { lock: lock_id, lock_sync, waiters: VecDeque::new() }, "Condition");
    Ok(Value::None)
}

fn cond_parts(vm: &mut Vm, v: &Value) -> R<(SyncId, SyncId)> {
    let sid = sync_id(vm, v)?;
    match &vm.p.sync[sid as usize].obj {
        SyncObj::Condition { lock_sync, .. } => Ok((sid, *lock_sync)),
        _ => Err(vm.type_error("not a condition")),
    }
}

fn owns(vm: &Vm, lock: SyncId) -> bool {
    let tid = vm.p.threads[vm.tix].tid;
    match &vm.p.sync[lock as usize].obj {
        SyncObj::Lock { owner } | SyncObj::RLock { owner, .. } => *owner == Some(tid),
        _ => false,
    }
}

fn cond_acquire(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let (_, lock) = cond_parts(vm, args.first().unwrap_or(&Value::None))?;
    let (blocking, timeout) = blocking_args(vm, args, kwargs)?;
    lock_acquire_impl(vm, lock, blocking, timeout)
}

fn cond_enter(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (_, lock) = cond_parts(vm, args.first().unwrap_or(&Value::None))?;
    lock_acquire_impl(vm, lock, true, None)
}

fn cond_release(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (_, lock) = cond_parts(vm, args.first().unwrap_or(&Value::None))?;
    lock_release_impl(vm, lock)
}

fn cond_exit(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (_, lock) = cond_parts(vm, args.first().unwrap_or(&Value::None))?;
    lock_release_impl(vm, lock)?;
    Ok(Value::Bool(false))
}

/// One `Condition.wait`, as a state machine over retries. Returns
/// `Ok(Some(notified))` when done.
fn cond_wait_step(vm: &mut Vm, sid: SyncId, lock: SyncId, timeout: Option<f64>) -> R<Option<bool>> {
    let tid = vm.tid();
    match vm.thread().call_state.clone() {
        None => {
            if !owns(vm, lock) {
                return Err(vm.err(Builtin::RuntimeError, "cannot wait on un-acquired lock"));
            }
            // Release the lock completely, remembering an RLock's depth.
            let saved = match &mut vm.p.sync[lock as usize].obj {
                SyncObj::Lock { owner } => {
                    *owner = None;
                    1
                }
                SyncObj::RLock { owner, count } => {
                    let c = *count;
                    *owner = None;
                    *count = 0;
                    c
                }
                _ => 1,
            };
            let now = vm.k.clock;
            let label = vm.p.sync[lock as usize].label.clone();
            vm.rec.trace.release(now, tid, lock, &label);
            wake_all(vm, &WaitOn::Lock(lock));
            if let SyncObj::Condition { waiters, .. } = &mut vm.p.sync[sid as usize].obj {
                waiters.push_back((tid, false));
            }
            let clabel = vm.p.sync[sid as usize].label.clone();
            vm.rec.trace.cond_wait(now, tid, &clabel);
            vm.thread().call_state = Some(CallState::CondWait { saved, notified: false, timed_out: false });
            vm.thread().call_deadline = None;
            vm.thread().wake = None;
            Err(block(vm, WaitOn::Condition(sid), timeout))
        }
        Some(CallState::CondWait { saved, notified, timed_out }) => {
            let mut timed_out = timed_out;
            let mut notified = notified;
            let wake = vm.thread().wake;
            if !notified && !timed_out {
                // First retry after the wait: by notify or by timeout?
                let still_waiting = match &vm.p.sync[sid as usize].obj {
                    SyncObj::Condition { waiters, .. } => waiters.iter().any(|(t, _)| *t == tid),
                    _ => false,
                };
                if still_waiting {
                    if wake == Some(Wake::TimedOut) {
                        timed_out = true;
                        if let SyncObj::Condition { waiters, .. } = &mut vm.p.sync[sid as usize].obj {
                            waiters.retain(|(t, _)| *t != tid);
                        }
                    } else {
                        // Spurious: keep waiting.
                        return Err(block(vm, WaitOn::Condition(sid), timeout));
                    }
                } else {
                    notified = true;
                }
            }
            // Re-acquire the lock with its saved depth.
            let took = match &mut vm.p.sync[lock as usize].obj {
                SyncObj::Lock { owner } => {
                    if owner.is_none() {
                        *owner = Some(tid);
                        true
                    } else {
                        false
                    }
                }
                SyncObj::RLock { owner, count } => {
                    if owner.is_none() {
                        *owner = Some(tid);
                        *count = saved;
                        true
                    } else {
                        false
                    }
                }
                _ => true,
            };
            if took {
                let now = vm.k.clock;
                let label = vm.p.sync[lock as usize].label.clone();
                vm.rec.trace.acquire(now, tid, lock, &label);
                vm.thread().call_state = None;
                vm.thread().call_deadline = None;
                return Ok(Some(notified && !timed_out));
            }
            vm.thread().call_state = Some(CallState::CondWait { saved, notified, timed_out });
            vm.thread().call_deadline = None;
            Err(Flow::Block(Wait { on: WaitOn::Lock(lock), deadline: None }))
        }
        Some(_) => {
            vm.thread().call_state = None;
            Ok(Some(false))
        }
    }
}

fn cond_wait(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let (sid, lock) = cond_parts(vm, args.first().unwrap_or(&Value::None))?;
    let timeout = timeout_arg(vm, args.get(1).or_else(|| kwarg(kwargs, "timeout")))?;
    match cond_wait_step(vm, sid, lock, timeout)? {
        Some(b) => Ok(Value::Bool(b)),
        None => Ok(Value::Bool(false)),
    }
}

fn cond_wait_for(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let (sid, lock) = cond_parts(vm, args.first().unwrap_or(&Value::None))?;
    let pred = args.get(1).or_else(|| kwarg(kwargs, "predicate")).cloned().unwrap_or(Value::None);
    let timeout = timeout_arg(vm, args.get(2).or_else(|| kwarg(kwargs, "timeout")))?;
    loop {
        if vm.thread().call_state.is_none() {
            let r = vm.call_sync(pred.clone(), vec![], vec![])?;
            if ops::truthy(vm, &r)? {
                vm.thread().call_deadline = None;
                return Ok(r);
            }
            if let Some(d) = vm.thread().call_deadline {
                if vm.k.clock >= d {
                    vm.thread().call_deadline = None;
                    return Ok(r);
                }
            }
        }
        // The deadline covers the whole wait_for: keep it across rounds.
        let deadline = vm.thread().call_deadline;
        let r = cond_wait_step(vm, sid, lock, timeout);
        match r {
            Ok(Some(_)) => {
                vm.thread().call_deadline = deadline;
                vm.thread().wake = None;
                let timed_out = deadline.map(|d| vm.k.clock >= d).unwrap_or(false);
                if timed_out {
                    let r = vm.call_sync(pred.clone(), vec![], vec![])?;
                    vm.thread().call_deadline = None;
                    return Ok(r);
                }
                continue;
            }
            Ok(None) => return Ok(Value::Bool(false)),
            Err(Flow::Block(w)) => {
                if vm.thread().call_deadline.is_none() {
                    vm.thread().call_deadline = deadline.or(w.deadline);
                }
                let w = match &w.on {
                    WaitOn::Condition(_) => Wait { on: w.on.clone(), deadline: vm.thread().call_deadline },
                    _ => w,
                };
                return Err(Flow::Block(w));
            }
            Err(e) => return Err(e),
        }
    }
}

fn cond_notify_n(vm: &mut Vm, v: &Value, n: Option<usize>) -> R<Value> {
    let (sid, lock) = cond_parts(vm, v)?;
    if !owns(vm, lock) {
        return Err(vm.err(Builtin::RuntimeError, "cannot notify on un-acquired lock"));
    }
    let mut woken = Vec::new();
    if let SyncObj::Condition { waiters, .. } = &mut vm.p.sync[sid as usize].obj {
        let k = n.unwrap_or(waiters.len());
        for _ in 0..k {
            match waiters.pop_front() {
                Some((t, _)) => woken.push(t),
                None => break,
            }
        }
    }
    let (now, tid) = (vm.k.clock, vm.tid());
    let label = vm.p.sync[sid as usize].label.clone();
    vm.rec.trace.notify(now, tid, &label, woken.len());
    for t in woken {
        wake_tid(vm, t);
    }
    Ok(Value::None)
}

fn cond_notify(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let n = match args.get(1).or_else(|| kwarg(kwargs, "n")) {
        Some(Value::Int(n)) => (*n).max(0) as usize,
        _ => 1,
    };
    cond_notify_n(vm, args.first().unwrap_or(&Value::None), Some(n))
}

fn cond_notify_all(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    cond_notify_n(vm, args.first().unwrap_or(&Value::None), None)
}

// ----------------------------------------------------------------------
// Barriers
// ----------------------------------------------------------------------

fn barrier_init(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let s = args.first().cloned().unwrap_or(Value::None);
    let parties = match args.get(1).or_else(|| kwarg(kwargs, "parties")) {
        Some(Value::Int(p)) if *p > 0 => *p as usize,
        _ => return Err(vm.value_error("parties must be > 0")),
    };
    if let Some(action) = args.get(2).or_else(|| kwarg(kwargs, "action")) {
        if let Value::Obj(o) = &s {
            if let Obj::Instance(i) = vm.p.heap.get_mut(*o) {
                i.dict.set_str("_action", action.clone());
            }
        }
    }
    new_sync(vm, &s, SyncObj::Barrier { parties, waiting: Vec::new(), generation: 0, broken: false }, "Barrier");
    Ok(Value::None)
}

fn broken_barrier(vm: &mut Vm) -> Flow {
    let cls = vm.class(Builtin::BrokenBarrierError);
    let e = vm.exc_with_args(cls, vec![]);
    Flow::Raise(e)
}

fn barrier_wait(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let sid = sync_id(vm, &this)?;
    let tid = vm.tid();
    let timeout = timeout_arg(vm, args.get(1).or_else(|| kwarg(kwargs, "timeout")))?;
    if let Some(CallState::Barrier { generation, index }) = vm.thread().call_state.clone() {
        let (gen_now, broken) = match &vm.p.sync[sid as usize].obj {
            SyncObj::Barrier { generation, broken, .. } => (*generation, *broken),
            _ => (0, true),
        };
        if gen_now != generation {
            vm.thread().call_state = None;
            return Ok(Value::Int(index as i64));
        }
        if broken {
            vm.thread().call_state = None;
            return Err(broken_barrier(vm));
        }
        if woke(vm) == Some(Wake::TimedOut) {
            vm.thread().call_state = None;
            if let SyncObj::Barrier { broken, waiting, .. } = &mut vm.p.sync[sid as usize].obj {
                *broken = true;
                waiting.clear();
            }
            wake_all(vm, &WaitOn::Barrier(sid));
            return Err(broken_barrier(vm));
        }
        return Err(block(vm, WaitOn::Barrier(sid), timeout));
    }
    let (index, parties, generation, broken) = match &mut vm.p.sync[sid as usize].obj {
        SyncObj::Barrier { parties, waiting, generation, broken } => {
            let idx = waiting.len();
            waiting.push(tid);
            (idx, *parties, *generation, *broken)
        }
        _ => return Err(vm.type_error("not a barrier")),
    };
    if broken {
        return Err(broken_barrier(vm));
    }
    if index + 1 == parties {
        // Last to arrive: run the action, then release everyone.
        let action = match &this {
            Value::Obj(o) => match vm.p.heap.get(*o) {
                Obj::Instance(i) => i.dict.get_str("_action").cloned(),
                _ => None,
            },
            _ => None,
        };
        if let Some(a) = action {
            vm.call_sync(a, vec![], vec![])?;
        }
        if let SyncObj::Barrier { waiting, generation, .. } = &mut vm.p.sync[sid as usize].obj {
            waiting.clear();
            *generation += 1;
        }
        wake_all(vm, &WaitOn::Barrier(sid));
        return Ok(Value::Int(index as i64));
    }
    vm.thread().call_state = Some(CallState::Barrier { generation, index });
    Err(block(vm, WaitOn::Barrier(sid), timeout))
}

fn barrier_reset(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    if let SyncObj::Barrier { waiting, broken, generation, .. } = &mut vm.p.sync[sid as usize].obj {
        if !waiting.is_empty() {
            *broken = true;
        }
        waiting.clear();
        *generation += 1;
        *broken = false;
    }
    wake_all(vm, &WaitOn::Barrier(sid));
    Ok(Value::None)
}

fn barrier_abort(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    if let SyncObj::Barrier { broken, .. } = &mut vm.p.sync[sid as usize].obj {
        *broken = true;
    }
    wake_all(vm, &WaitOn::Barrier(sid));
    Ok(Value::None)
}

fn barrier_prop(vm: &mut Vm, args: &[Value], which: u8) -> R<Value> {
    let sid = sync_id(vm, args.first().unwrap_or(&Value::None))?;
    Ok(match &vm.p.sync[sid as usize].obj {
        SyncObj::Barrier { parties, waiting, broken, .. } => match which {
            0 => Value::Int(*parties as i64),
            1 => Value::Int(waiting.len() as i64),
            _ => Value::Bool(*broken),
        },
        _ => Value::None,
    })
}

// ----------------------------------------------------------------------
// Threads
// ----------------------------------------------------------------------

fn thread_payload<'a>(vm: &'a mut Vm, v: &Value) -> Option<&'a mut ThreadObj> {
    if let Value::Obj(id) = v {
        if let Obj::Instance(i) = vm.p.heap.get_mut(*id) {
            if let Payload::Thread(t) = &mut i.payload {
                return Some(t);
            }
        }
    }
    None
}

fn not_init(vm: &mut Vm) -> Flow {
    vm.err(Builtin::RuntimeError, "thread.__init__() not called")
}

fn thread_init(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let get = |i: usize, name: &str| args.get(i).cloned().or_else(|| kwarg(kwargs, name).cloned());
    if let Some(g) = get(1, "group") {
        if !g.is_none() {
            return Err(vm.value_error("group argument must be None for now"));
        }
    }
    let target = get(2, "target").unwrap_or(Value::None);
    let name = get(3, "name").unwrap_or(Value::None);
    let targs = match get(4, "args") {
        Some(a) if !a.is_none() => ops::to_vec(vm, &a)?,
        _ => vec![],
    };
    let tkw: Kwargs = match get(5, "kwargs") {
        Some(Value::Obj(id)) => match vm.p.heap.get(id) {
            Obj::Dict(d) => d.d.iter().filter_map(|e| match &e.key {
                Value::Str(s) => Some((s.clone(), e.value.clone())),
                _ => None,
            }).collect(),
            _ => vec![],
        },
        _ => vec![],
    };
    let daemon = match kwarg(kwargs, "daemon") {
        Some(Value::None) | None => {
            // Inherit from the creating thread.
            vm.p.threads[vm.tix].daemon
        }
        Some(v) => ops::truthy(vm, v)?,
    };
    let name: Arc<str> = match name {
        Value::Str(s) => s,
        Value::None => {
            vm.p.thread_counter += 1;
            let n = vm.p.thread_counter;
            let tname = match &target {
                Value::Obj(id) => match vm.p.heap.get(*id) {
                    Obj::Function(f) => Some(f.name.to_string()),
                    Obj::Native(f) => Some(f.name.to_string()),
                    Obj::BoundMethod(f, _) => match f {
                        Value::Obj(fid) => match vm.p.heap.get(*fid) {
                            Obj::Function(f) => Some(f.name.to_string()),
                            Obj::Native(f) => Some(f.name.to_string()),
                            _ => None,
                        },
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            };
            match tname {
                Some(t) => Arc::from(format!("Thread-{n} ({t})")),
                None => Arc::from(format!("Thread-{n}")),
            }
        }
        other => Arc::from(crate::format::to_str(vm, &other)?),
    };
    if let Value::Obj(id) = &this {
        if let Obj::Instance(i) = vm.p.heap.get_mut(*id) {
            i.payload = Payload::Thread(Box::new(ThreadObj {
                name,
                target,
                args: targs,
                kwargs: tkw,
                daemon,
                tid: None,
                started: false,
                timer: None,
            }));
        }
    }
    Ok(Value::None)
}

fn thread_start(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let Some(t) = thread_payload(vm, &this) else { return Err(not_init(vm)) };
    if t.started {
        return Err(vm.err(Builtin::RuntimeError, "threads can only be started once"));
    }
    t.started = true;
    let (name, daemon) = (t.name.clone(), t.daemon);
    let run = crate::attr::getattr(vm, &this, "run")?;
    let tid = vm.k.next_tid;
    vm.k.next_tid += 1;
    vm.k.next_ready_seq += 1;
    let seq = vm.k.next_ready_seq;
    if let Some(t) = thread_payload(vm, &this) {
        t.tid = Some(tid);
    }
    let pid = vm.p.pid;
    // The kernel's work to create the thread, on the starter's time.
    vm.k.clock += vm.k.thread_start_cost;
    let now = vm.k.clock;
    vm.p.threads.push(Thread {
        obj: this.as_obj(),
        pending_call: Some((run, vec![])),
        ready_seq: seq,
        ..Thread::new(tid, pid, name.clone(), daemon, now)
    });
    let me = vm.tid();
    vm.rec.trace.thread_start(now, me, tid, &name);
    // CPython's start() waits until the new thread runs: hand it the CPU.
    vm.rec.handoff = Some(tid);
    vm.yield_requested = true;
    Ok(Value::None)
}

fn thread_run(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let Some(t) = thread_payload(vm, &this) else { return Err(not_init(vm)) };
    if let Some((delay, _)) = t.timer {
        // threading.Timer: wait, then call unless cancelled.
        let cancelled = t.timer.map(|x| x.1).unwrap_or(false);
        if cancelled {
            return Ok(Value::None);
        }
        if woke(vm).is_none() {
            return Err(block(vm, WaitOn::Sleep, Some(delay)));
        }
        let Some(t) = thread_payload(vm, &this) else { return Ok(Value::None) };
        if t.timer.map(|x| x.1).unwrap_or(false) {
            return Ok(Value::None);
        }
    }
    let Some(t) = thread_payload(vm, &this) else { return Ok(Value::None) };
    let (target, a, k) = (t.target.clone(), t.args.clone(), t.kwargs.clone());
    if target.is_none() {
        return Ok(Value::None);
    }
    Err(Flow::Call { callee: target, args: a, kwargs: k })
}

fn thread_join(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let timeout = timeout_arg(vm, args.get(1).or_else(|| kwarg(kwargs, "timeout")))?;
    let Some(t) = thread_payload(vm, &this) else { return Err(not_init(vm)) };
    let Some(tid) = t.tid else {
        return Err(vm.err(Builtin::RuntimeError, "cannot join thread before it is started"));
    };
    if tid == vm.tid() {
        return Err(vm.err(Builtin::RuntimeError, "cannot join current thread"));
    }
    let finished = vm.p.thread_index(tid).map(|i| vm.p.threads[i].is_finished()).unwrap_or(true);
    if finished || woke(vm) == Some(Wake::TimedOut) {
        return Ok(Value::None);
    }
    if timeout.map(|t| t <= 0.0).unwrap_or(false) {
        return Ok(Value::None);
    }
    Err(block(vm, WaitOn::Join(tid), timeout))
}

fn thread_is_alive(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let Some(t) = thread_payload(vm, &this) else { return Err(not_init(vm)) };
    let Some(tid) = t.tid else { return Ok(Value::Bool(false)) };
    let alive = vm.p.thread_index(tid).map(|i| !vm.p.threads[i].is_finished()).unwrap_or(false);
    Ok(Value::Bool(alive))
}

fn thread_get_name(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    match thread_payload(vm, &this) {
        Some(t) => Ok(Value::Str(t.name.clone())),
        None => Err(not_init(vm)),
    }
}

fn thread_set_name(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let name: Arc<str> = Arc::from(crate::format::to_str(vm, args.get(1).unwrap_or(&Value::None))?);
    let tid = match thread_payload(vm, &this) {
        Some(t) => {
            t.name = name.clone();
            t.tid
        }
        None => return Err(not_init(vm)),
    };
    if let Some(tid) = tid {
        if let Some(i) = vm.p.thread_index(tid) {
            vm.p.threads[i].name = name;
        }
    }
    Ok(Value::None)
}

fn thread_get_daemon(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    match thread_payload(vm, &this) {
        Some(t) => Ok(Value::Bool(t.daemon)),
        None => Err(not_init(vm)),
    }
}

fn thread_set_daemon(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let d = ops::truthy(vm, args.get(1).unwrap_or(&Value::None))?;
    match thread_payload(vm, &this) {
        Some(t) => {
            if t.started {
                return Err(vm.err(Builtin::RuntimeError, "cannot set daemon status of active thread"));
            }
            t.daemon = d;
            Ok(Value::None)
        }
        None => Err(not_init(vm)),
    }
}

fn thread_ident(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    match thread_payload(vm, &this) {
        Some(t) => Ok(t.tid.map(|x| Value::Int(ident_of(x) as i64)).unwrap_or(Value::None)),
        None => Err(not_init(vm)),
    }
}

fn thread_native_id(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let pid = vm.p.pid as i64;
    match thread_payload(vm, &this) {
        Some(t) => Ok(t.tid.map(|x| Value::Int(pid + x as i64)).unwrap_or(Value::None)),
        None => Err(not_init(vm)),
    }
}

fn timer_init(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let interval = ops::to_f64(args.get(1).or_else(|| kwarg(kwargs, "interval")).unwrap_or(&Value::Int(0))).unwrap_or(0.0);
    let function = args.get(2).or_else(|| kwarg(kwargs, "function")).cloned().unwrap_or(Value::None);
    let fargs = args.get(3).or_else(|| kwarg(kwargs, "args")).cloned().unwrap_or(Value::None);
    let fkw = args.get(4).or_else(|| kwarg(kwargs, "kwargs")).cloned().unwrap_or(Value::None);
    let mut kw: Kwargs = vec![(Arc::from("target"), function)];
    if !fargs.is_none() {
        kw.push((Arc::from("args"), fargs));
    }
    if !fkw.is_none() {
        kw.push((Arc::from("kwargs"), fkw));
    }
    // Timers are named Thread-N, without the target's name.
    thread_init(vm, &[this.clone()], &kw)?;
    let n = vm.p.thread_counter;
    if let Some(t) = thread_payload(vm, &this) {
        t.timer = Some((interval, false));
        t.name = Arc::from(format!("Thread-{n}"));
    }
    Ok(Value::None)
}

fn timer_cancel(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let tid = match thread_payload(vm, &this) {
        Some(t) => {
            if let Some((d, _)) = t.timer {
                t.timer = Some((d, true));
            }
            t.tid
        }
        None => return Ok(Value::None),
    };
    if let Some(tid) = tid {
        if let Some(i) = vm.p.thread_index(tid) {
            if matches!(&vm.p.threads[i].state, ThreadState::Blocked(w) if w.on == WaitOn::Sleep) {
                wake_tid(vm, tid);
            }
        }
    }
    Ok(Value::None)
}

// ----------------------------------------------------------------------
// Module functions
// ----------------------------------------------------------------------

pub fn thread_object(vm: &mut Vm, ix: usize) -> Value {
    match vm.p.threads[ix].obj {
        Some(o) => Value::Obj(o),
        None => Value::None,
    }
}

fn current_thread(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let ix = vm.tix;
    Ok(thread_object(vm, ix))
}

/// `threading.excepthook(args)`, the default: prints the thread's
/// exception as CPython does, and nothing for a `SystemExit`.
fn excepthook(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let [a] = args else {
        return Err(vm.type_error(format!("excepthook() takes exactly one argument ({} given)", args.len())));
    };
    let exc = crate::attr::getattr(vm, a, "exc_value")?;
    if crate::ops::is_instance_of(vm, &exc, Builtin::SystemExit) {
        return Ok(Value::None);
    }
    let thread = crate::attr::getattr(vm, a, "thread")?;
    let name = match thread {
        Value::None => ident_of(vm.p.threads[vm.tix].tid).to_string(),
        t => {
            let n = crate::attr::getattr(vm, &t, "name")?;
            crate::format::to_str(vm, &n)?
        }
    };
    let text = crate::traceback::thread_exception_text(vm, &exc, &name);
    vm.write_stderr(&text);
    Ok(Value::None)
}

fn main_thread(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(thread_object(vm, 0))
}

fn active_count(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(vm.p.threads.iter().filter(|t| !t.is_finished()).count() as i64))
}

fn enumerate(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let objs: Vec<Value> = vm.p.threads.iter().filter(|t| !t.is_finished()).filter_map(|t| t.obj.map(Value::Obj)).collect();
    Ok(vm.new_list(objs))
}

fn get_ident(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(ident_of(vm.tid()) as i64))
}

fn get_native_id(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(vm.p.pid as i64 + vm.tid() as i64))
}

fn noop(_: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::None)
}


pub fn install_classes(vm: &mut Vm) {
    use Builtin as B;
    add_method(vm, B::Lock, "__init__", lock_init);
    add_method(vm, B::RLock, "__init__", rlock_init);
    for b in [B::Lock, B::RLock] {
        add_method(vm, b, "acquire", lock_acquire);
        add_method(vm, b, "release", lock_release);
        add_method(vm, b, "__enter__", lock_enter);
        add_method(vm, b, "__exit__", lock_exit);
        add_method(vm, b, "locked", lock_locked);
        add_method(vm, b, "acquire_lock", lock_acquire);
        add_method(vm, b, "release_lock", lock_release);
    }
    add_method(vm, B::Semaphore, "__init__", sem_init);
    add_method(vm, B::Semaphore, "acquire", sem_acquire);
    add_method(vm, B::Semaphore, "release", sem_release);
    add_method(vm, B::Semaphore, "__enter__", sem_enter);
    add_method(vm, B::Semaphore, "__exit__", sem_exit);
    add_property(vm, B::Semaphore, "_value", sem_value, None);
    add_method(vm, B::Event, "__init__", event_init);
    add_method(vm, B::Event, "set", event_set);
    add_method(vm, B::Event, "clear", event_clear);
    add_method(vm, B::Event, "is_set", event_is_set);
    add_method(vm, B::Event, "isSet", event_is_set);
    add_method(vm, B::Event, "wait", event_wait);
    add_method(vm, B::Condition, "__init__", cond_init);
    add_method(vm, B::Condition, "acquire", cond_acquire);
    add_method(vm, B::Condition, "release", cond_release);
    add_method(vm, B::Condition, "__enter__", cond_enter);
    add_method(vm, B::Condition, "__exit__", cond_exit);
    add_method(vm, B::Condition, "wait", cond_wait);
    add_method(vm, B::Condition, "wait_for", cond_wait_for);
    add_method(vm, B::Condition, "notify", cond_notify);
    add_method(vm, B::Condition, "notify_all", cond_notify_all);
    add_method(vm, B::Condition, "notifyAll", cond_notify_all);
    add_method(vm, B::Barrier, "__init__", barrier_init);
    add_method(vm, B::Barrier, "wait", barrier_wait);
    add_method(vm, B::Barrier, "reset", barrier_reset);
    add_method(vm, B::Barrier, "abort", barrier_abort);
    add_property(vm, B::Barrier, "parties", |vm, a, _| barrier_prop(vm, a, 0), None);
    add_property(vm, B::Barrier, "n_waiting", |vm, a, _| barrier_prop(vm, a, 1), None);
    add_property(vm, B::Barrier, "broken", |vm, a, _| barrier_prop(vm, a, 2), None);
    add_method(vm, B::Thread, "__init__", thread_init);
    add_method(vm, B::Thread, "start", thread_start);
    add_method(vm, B::Thread, "run", thread_run);
    add_method(vm, B::Thread, "join", thread_join);
    add_method(vm, B::Thread, "is_alive", thread_is_alive);
    add_method(vm, B::Thread, "getName", thread_get_name);
    add_method(vm, B::Thread, "setName", thread_set_name);
    add_method(vm, B::Thread, "isDaemon", thread_get_daemon);
    add_method(vm, B::Thread, "setDaemon", thread_set_daemon);
    add_property(vm, B::Thread, "name", thread_get_name, Some(thread_set_name));
    add_property(vm, B::Thread, "daemon", thread_get_daemon, Some(thread_set_daemon));
    add_property(vm, B::Thread, "ident", thread_ident, None);
    add_property(vm, B::Thread, "native_id", thread_native_id, None);
    add_method(vm, B::Timer, "__init__", timer_init);
    add_method(vm, B::Timer, "cancel", timer_cancel);
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "threading");
    for b in [
        Builtin::Thread,
        Builtin::Timer,
        Builtin::Semaphore,
        Builtin::BoundedSemaphore,
        Builtin::Event,
        Builtin::Condition,
        Builtin::Barrier,
        Builtin::BrokenBarrierError,
    ] {
        add_class(vm, d, b);
    }
    let lock = vm.class(Builtin::Lock);
    vm.dict_set_str(d, "Lock", Value::Obj(lock));
    let rlock = vm.class(Builtin::RLock);
    vm.dict_set_str(d, "RLock", Value::Obj(rlock));
    let rt = vm.class(Builtin::RuntimeError);
    vm.dict_set_str(d, "ThreadError", Value::Obj(rt));
    add_fn(vm, d, "current_thread", "threading", current_thread);
    add_fn(vm, d, "_baton_pass", "threading", baton_pass);
    add_fn(vm, d, "currentThread", "threading", current_thread);
    add_fn(vm, d, "main_thread", "threading", main_thread);
    add_fn(vm, d, "active_count", "threading", active_count);
    add_fn(vm, d, "activeCount", "threading", active_count);
    add_fn(vm, d, "enumerate", "threading", enumerate);
    add_fn(vm, d, "get_ident", "threading", get_ident);
    add_fn(vm, d, "get_native_id", "threading", get_native_id);
    add_fn(vm, d, "settrace", "threading", noop);
    add_fn(vm, d, "_register_atexit", "threading", |vm, a, _| {
        if let Some(f) = a.first() {
            vm.p.atexit.push(f.clone());
        }
        Ok(Value::None)
    });
    add_fn(vm, d, "setprofile", "threading", noop);
    // A program may replace `excepthook`; the machine then hands a
    // thread's uncaught exception to the replacement (`Machine::
    // excepthook_call`). `__excepthook__` keeps the default.
    add_fn(vm, d, "excepthook", "threading", excepthook);
    if let Some(f) = vm.dict_get_str(d, "excepthook") {
        vm.dict_set_str(d, "__excepthook__", f);
    }
    if let Some(c) = vm.dict_get_str(vm.p.prelude, "_ExceptHookArgs") {
        vm.dict_set_str(d, "ExceptHookArgs", c);
    }
    add_fn(vm, d, "stack_size", "threading", |_, _, _| Ok(Value::Int(0)));
    let local = vm.class(Builtin::Local);
    vm.dict_set_str(d, "local", Value::Obj(local));
    vm.dict_set_str(d, "TIMEOUT_MAX", Value::Float(9223372036.0));
    m
}
