//! Ops that touch only their own thread's frame.
//!
//! A bytecode op is *local* when all it reads and writes is the running
//! thread's top frame: its value stack, its local slots, its instruction
//! pointer, its block stack and the code's constants (and, for a return
//! from a nested plain call, the caller's stack). No other thread can
//! observe a local op, it never blocks, never calls Python code and cannot
//! raise. The explorer treats every local op as *invisible*: it runs a
//! thread through its local ops without a scheduling point between them
//! (see `interleave_explorer::visible`).
//!
//! The engine knows this set too, for one reason: speed. The explorer
//! moves a thread from one visible op to the next many thousands of times
//! a second, and stepping once per op (each step a whole trip through the
//! machine: wake timers, build an interpreter, record the schedule, check
//! for the end) cost more than the ops themselves. [`Machine::step_local`]
//! instead runs one op and then the local ops after it in a single trip
//! through the interpreter's loop, which asks [`next_is_local`] before
//! each op. Both sides use this one function, so what the explorer calls
//! invisible and what the engine runs in one go cannot drift apart.
//!
//! The explorer also calls invisible some ops that are not local, from
//! what it knows the program can never change (a read of a global no
//! thread writes any more). Through [`Invisible`] it has
//! [`Machine::step_local_with`] run on through those in the same trip too;
//! it answers with the same functions it classifies with, and a test of
//! the explorer's (`search::one_trip`) walks every corpus program both ways.
//!
//! [`Machine::step_local_with`]: crate::Machine::step_local_with
//!
//! Everything here errs toward "not local": an op wrongly called local
//! would let the explorer miss an interleaving, one wrongly called not
//! local only costs a scheduling point.
//!
//! [`Machine::step_local`]: crate::Machine::step_local

use crate::code::Op;
use crate::kernel::Thread;
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use crate::value::Value;
use crate::vm::{Frame, OnReturn};

/// Ops past the local ones that a caller of [`Machine::step_local_with`]
/// wants run in the same trip: the explorer's *invisible* ops, which it
/// knows to be unobservable from what the program can never change (a read
/// of a name no thread writes any more, the next number of a thread's own
/// `range` iterator). Without this, the explorer stepped through each of
/// them on its own, and each trip through the machine cost several times
/// the op.
///
/// The question is asked with the running thread's call stack apart from
/// the thread table (`frames`: the thread's entry there is empty while it
/// runs), only of a thread between calls ([`between_calls`]) that has
/// started no thread in this run, and only when [`next_is_local`] said no.
///
/// [`Machine::step_local_with`]: crate::Machine::step_local_with
pub trait Invisible {
    fn invisible(&self, p: &crate::kernel::Process, tid: crate::kernel::Tid, frames: &[Frame]) -> bool;
}

/// Whether a thread in `t`'s state is at a point where its next op could
/// be local at all: not about to make its first call, nor retrying a
/// blocking call after a wake-up (both are kernel business).
pub fn between_calls(t: &Thread) -> bool {
    t.pending_call.is_none() && t.wake.is_none() && t.call_state.is_none()
}

/// Whether the next op of the thread whose call stack is `frames` (the
/// running frame last) is local. The thread must be [`between_calls`].
pub fn next_is_local(frames: &[Frame]) -> bool {
    let Some(fr) = frames.last() else { return false };
    let Some(&op) = fr.code.ops.get(fr.ip) else { return false };
    let n = fr.stack.len();
    let top = fr.stack.last();
    let second = if n >= 2 { fr.stack.get(n - 2) } else { None };
    match op {
        Op::Nop | Op::LoadConst(_) | Op::StoreFast(_) | Op::Jump(_) => true,
        // Pushing and popping `try` blocks edits the frame's block stack.
        Op::SetupExcept(_) | Op::SetupWith(_) | Op::PopBlock => true,
        // Popping or shuffling needs the values to be there; an engine
        // error on a short stack would be an (unlikely) visible event.
        Op::Pop | Op::Dup => n >= 1,
        Op::Dup2 | Op::Rot2 => n >= 2,
        Op::Rot3 => n >= 3,
        Op::Rot4 => n >= 4,
        // An unbound local raises UnboundLocalError, which could end the
        // thread and print a traceback.
        Op::LoadFast(i) => matches!(fr.locals.get(i as usize), Some(v) if !matches!(v, Value::Undef)),
        // `del name` of a bound local only empties its slot.
        Op::DeleteFast(i) => matches!(fr.locals.get(i as usize), Some(v) if !matches!(v, Value::Undef)),
        // Truth of a scalar never calls Python code (`__bool__`).
        Op::PopJumpIfFalse(_) | Op::PopJumpIfTrue(_) | Op::JumpIfFalseOrPop(_) | Op::JumpIfTrueOrPop(_) => {
            matches!(top, Some(Value::Bool(_) | Value::Int(_) | Value::None | Value::Float(_) | Value::Str(_)))
        }
        // Small-int arithmetic that cannot raise (no division, no shifts:
        // those can raise ZeroDivisionError or ValueError), and the like.
        Op::Binary(b) | Op::Inplace(b) => {
            (is_int(top) && is_int(second) && matches!(b, BinOp::Add | BinOp::Sub | BinOp::Mult | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor))
                // Float arithmetic overflows to inf instead of raising.
                || (is_num(top) && is_num(second) && (is_float(top) || is_float(second)) && matches!(b, BinOp::Add | BinOp::Sub | BinOp::Mult))
                // True division by a number that is not zero.
                || (b == BinOp::Div && is_num(second) && nonzero(top))
                // Floor division and modulo by a number that is not zero
                // (`(i + 1) % n`): an `i64` result, or a big int when
                // `i64::MIN // -1` overflows, or a float; none can raise.
                || (matches!(b, BinOp::FloorDiv | BinOp::Mod) && is_num(second) && is_num(top) && nonzero(top))
                // Joining two strings makes a new one and cannot raise.
                || (b == BinOp::Add && matches!(top, Some(Value::Str(_))) && matches!(second, Some(Value::Str(_))))
                // Repeating a string a few times (`"  " * depth`): a short
                // string, far below any memory budget's `MemoryError`.
                || (b == BinOp::Mult && short_repeat(second, top))
        }
        // Returning from a nested plain function call only pops the frame
        // and pushes the value onto the caller's stack (no generator, no
        // pending `finally`, no `__init__` check, not the thread's end).
        Op::Return => {
            frames.len() >= 2
                && fr.generator.is_none()
                && fr.blocks.is_empty()
                && n >= 1
                && matches!(fr.on_return, OnReturn::Push | OnReturn::Discard)
        }
        // Unary arithmetic and `not` on numbers (and `not` on strings and
        // None) never call Python code and cannot raise.
        Op::Unary(u) => match u {
            UnaryOp::Not => matches!(top, Some(Value::Bool(_) | Value::Int(_) | Value::None | Value::Float(_) | Value::Str(_))),
            UnaryOp::USub | UnaryOp::UAdd => matches!(top, Some(Value::Int(_) | Value::Bool(_) | Value::Float(_))),
            UnaryOp::Invert => matches!(top, Some(Value::Int(_) | Value::Bool(_))),
        },
        Op::Compare(c) => {
            // Identity compares two values on the stack and nothing else.
            (n >= 2 && matches!(c, CmpOp::Is | CmpOp::IsNot))
                || (is_num(top) && is_num(second) && matches!(c, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE | CmpOp::Eq | CmpOp::NotEq))
        }
        _ => false,
    }
}

/// Whether `a * b` is a string repeated into at most [`SHORT_REPEAT`]
/// characters' worth of bytes (either operand may be the count).
fn short_repeat(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (s, k) = match (a, b) {
        (Some(Value::Str(s)), Some(Value::Int(k))) | (Some(Value::Int(k)), Some(Value::Str(s))) => (s, *k),
        _ => return false,
    };
    (k.max(0) as u64).saturating_mul(s.len() as u64) <= SHORT_REPEAT
}

/// The longest string (in bytes) that [`next_is_local`] lets a repetition
/// make.
const SHORT_REPEAT: u64 = 4096;

fn is_int(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Int(_)))
}

fn is_float(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Float(_)))
}

fn is_num(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Int(_) | Value::Float(_)))
}

fn nonzero(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Int(d)) => *d != 0,
        Some(Value::Float(d)) => *d != 0.0,
        _ => false,
    }
}
