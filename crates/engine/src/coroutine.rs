//! Coroutines: what `async def` and `await` are made of.
//!
//! Calling an `async def` function runs none of its body: it returns a
//! *coroutine*, a suspended frame, exactly as calling a generator function
//! returns a generator. The engine keeps both as
//! [`Generator`](crate::object::Generator) objects, told apart by their
//! `coroutine` flag: a coroutine is not iterable (`for` and `next()`
//! refuse it, as CPython does) and its type is `coroutine`.
//!
//! `await x` compiles as CPython 3.11 compiles it: `GET_AWAITABLE`, then
//! the `yield from` loop. [`get_awaitable`] turns `x` into the iterator
//! that loop drives: a coroutine as it is, anything else through its
//! `__await__` (asyncio's `Future.__await__` is a generator that yields
//! the future itself). So an `await` that cannot go on at once *yields*
//! the future out through every coroutine that awaits, down to whoever
//! called `send()` on the outermost one: the event loop, which is plain
//! Python (`modules/py/asyncio.py`) running on the thread's own frames.
//! Nothing here knows about event loops, tasks or time: the scheduling of
//! coroutines is the library's, as in CPython, and the engine's scheduler
//! still only chooses between threads. A program of coroutines on one
//! thread therefore has one schedule, and the explorer shows exactly
//! that: coroutines switch only at an `await`.
//!
//! `async with` and `async for` are rewritten into `await`s before they
//! are compiled ([`crate::desugar`]); in a comprehension, `async for`
//! compiles to its own loop over `__anext__` (`Compiler::async_next`).
//!
//! An *asynchronous generator* (an `async def` with `yield`) is a third
//! kind of the same object. Its frame stops two ways: at an `await`
//! inside it, whose yielded future must travel on to the event loop, and
//! at its own `yield`, whose value is what `async for` gets. CPython wraps
//! the second kind of value to tell them apart; here the frame itself
//! tells ([`in_await`]: stopped inside the `yield from` loop or not), and
//! the awaitable that `__anext__()` returns, written in Python (the
//! prelude's `_AsyncGenAwaitable`), passes the first kind on and returns
//! the second.

use crate::object::Obj;
use crate::types::Builtin;
use crate::value::Value;
use crate::vm::{Flow, Vm, R};

/// The iterator that `await v` drives (CPython's `GET_AWAITABLE`).
pub fn get_awaitable(vm: &mut Vm, v: &Value) -> R<Value> {
    if let Value::Obj(id) = v {
        match vm.p.heap.get(*id) {
            Obj::Generator(g) if g.coroutine => {
                // A coroutine that ran to its end (or is running now, in
                // an await of itself) cannot be awaited again.
                if g.running || (g.started && g.frame.is_none()) {
                    return Err(vm.err(Builtin::RuntimeError, "cannot reuse already awaited coroutine"));
                }
                return Ok(v.clone());
            }
            Obj::Generator(_) => {}
            Obj::Instance(i) => {
                let cls = i.class;
                if let Some(f) = crate::attr::lookup_class(vm, cls, "__await__") {
                    let it = vm.call_sync(f, vec![v.clone()], vec![])?;
                    let is_iterator = match &it {
                        Value::Obj(x) => match vm.p.heap.get(*x) {
                            Obj::Generator(g) if g.coroutine => {
                                return Err(vm.type_error("__await__() returned a coroutine"));
                            }
                            Obj::Generator(_) | Obj::Iter(_) => true,
                            Obj::Instance(i) => crate::attr::lookup_class(vm, i.class, "__next__").is_some(),
                            _ => false,
                        },
                        _ => false,
                    };
                    if !is_iterator {
                        let t = crate::ops::type_name(vm, &it);
                        return Err(vm.type_error(format!("__await__() returned non-iterator of type '{t}'")));
                    }
                    return Ok(it);
                }
            }
            _ => {}
        }
    }
    let t = crate::ops::type_name(vm, v);
    Err(vm.type_error(format!("object {t} can't be used in 'await' expression")))
}

/// The sub-generator a suspended generator is delegating to, if it is
/// stopped inside `yield from` or `await` (its frame is at the `Yield` of
/// that loop, with the sub-generator on its stack): `throw()` and
/// `close()` go to that one first, as in CPython.
pub fn delegate(vm: &Vm, frame: &crate::vm::Frame) -> Option<u32> {
    await_loop_end(frame)?;
    match frame.stack.last() {
        Some(Value::Obj(id)) if matches!(vm.p.heap.get(*id), Obj::Generator(_)) => Some(*id),
        _ => None,
    }
}

/// Whether `e` is a raised `StopIteration`, and its value.
pub fn stop_value(vm: &mut Vm, e: &Flow) -> Option<Value> {
    let Flow::Raise(exc) = e else { return None };
    if !crate::ops::is_instance_of(vm, exc, Builtin::StopIteration) {
        return None;
    }
    Some(crate::attr::getattr(vm, exc, "value").unwrap_or(Value::None))
}

/// Whether a suspended frame is stopped inside an `await` (or `yield
/// from`) loop rather than at a `yield` of its own: an async generator's
/// frame yields both ways, and only the second kind is a value for
/// `async for` (CPython wraps those values instead; the shape of the
/// frame tells the same).
pub fn in_await(frame: &crate::vm::Frame) -> bool {
    await_loop_end(frame).is_some()
}

/// When a suspended frame is stopped inside a `yield from` or `await`
/// loop, where that loop ends. After the loop's `Yield`, the frame
/// resumes at the `Jump` back to its `YieldFrom`, whose operand is the
/// end (see `Compiler::yield_from_loop`).
pub fn await_loop_end(frame: &crate::vm::Frame) -> Option<usize> {
    use crate::code::Op;
    let Some(Op::Jump(back)) = frame.code.ops.get(frame.ip) else { return None };
    match frame.code.ops.get(*back as usize) {
        Some(Op::YieldFrom(end)) => Some(*end as usize),
        _ => None,
    }
}

/// The methods of an async generator. `__anext__()`, `asend()`,
/// `athrow()` and `aclose()` return awaitables written in Python (the
/// prelude's `_AsyncGenAwaitable`), which drive the generator's frame
/// through the last three: `_raw_send` and `_raw_throw` resume it as a
/// generator's `send` and `throw` do, and `_in_await` says whether it
/// stopped at an `await` inside it (to pass on to the event loop) or at a
/// `yield` (the value the awaitable returns).
pub fn async_gen_method(vm: &mut Vm, id: u32, name: &str, args: &[Value]) -> R<Value> {
    let this = Value::Obj(id);
    let prelude = |vm: &mut Vm, helper: &str, args: Vec<Value>| -> R<Value> {
        match vm.p.prelude_name(helper) {
            Some(f) => Err(Flow::Call { callee: f, args, kwargs: Vec::new() }),
            None => Err(vm.err(Builtin::RuntimeError, format!("internal error: the prelude has no {helper}"))),
        }
    };
    match name {
        "__aiter__" => Ok(this),
        "__anext__" => prelude(vm, "_agen_send", vec![this, Value::None]),
        "asend" => prelude(vm, "_agen_send", vec![this, args.first().cloned().unwrap_or(Value::None)]),
        "athrow" => {
            let mut a = vec![this];
            a.extend(args.iter().take(3).cloned());
            prelude(vm, "_agen_throw", a)
        }
        "aclose" => prelude(vm, "_agen_close", vec![this]),
        "_raw_send" => Err(Flow::Resume { gen: id, send: args.first().cloned().unwrap_or(Value::None), default: None }),
        "_raw_throw" => vm.throw_generator(id, args.first().cloned().unwrap_or(Value::None)),
        "_in_await" => Ok(Value::Bool(match vm.p.heap.get(id) {
            Obj::Generator(g) => g.frame.as_deref().is_some_and(in_await),
            _ => false,
        })),
        _ => {
            let t = crate::ops::type_name(vm, &this);
            Err(vm.err(Builtin::AttributeError, format!("'{t}' object has no attribute '{name}'")))
        }
    }
}
