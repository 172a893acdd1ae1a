//! The `builtins` module: `print`, `len`, `range`, `sorted`, ... and the
//! constructors of the builtin types (`int("42")`, `list(gen)`, ...).

use std::sync::Arc;

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

use crate::dict::PyDict;
use crate::methods::kwarg;
use crate::object::*;
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, ObjId, Value};
use crate::vm::{Flow, Vm, R};

pub fn native(vm: &mut Vm, name: &'static str, qual: &'static str, f: NativeFnPtr) -> Value {
    vm.alloc(Obj::Native(NativeFn { name, f, qual }))
}

/// If `v` is a generator, a tail call to the Python helper `name` of the
/// prelude with `args` (so a generator that blocks can be consumed).
pub fn via_prelude(vm: &mut Vm, v: &Value, name: &str, args: Vec<Value>, kwargs: Kwargs) -> R<()> {
    let is_gen = matches!(v, Value::Obj(id) if matches!(vm.p.heap.get(*id), Obj::Generator(g) if g.plain()));
    if !is_gen || vm.sync_depth > 0 {
        return Ok(());
    }
    match vm.dict_get_str(vm.p.prelude, name) {
        Some(f) => Err(Flow::Call { callee: f, args, kwargs }),
        None => Ok(()),
    }
}

fn any_gen(vm: &Vm, args: &[Value]) -> bool {
    args.iter().any(|v| matches!(v, Value::Obj(id) if matches!(vm.p.heap.get(*id), Obj::Generator(g) if g.plain())))
}

pub fn object_init(vm: &mut Vm) -> Value {
    native(vm, "__init__", "object", |_, _, _| Ok(Value::None))
}

fn a<'a>(args: &'a [Value], i: usize) -> &'a Value {
    static NONE: Value = Value::None;
    args.get(i).unwrap_or(&NONE)
}

fn nargs(vm: &mut Vm, name: &str, args: &[Value], min: usize, max: usize) -> R<()> {
    if args.len() < min || args.len() > max {
        let msg = if min == max {
            if min == 1 {
                format!("{name}() takes exactly one argument ({} given)", args.len())
            } else {
                format!("{name} expected {min} arguments, got {}", args.len())
            }
        } else if args.len() < min {
            format!("{name} expected at least {min} argument{}, got {}", if min == 1 { "" } else { "s" }, args.len())
        } else {
            format!("{name} expected at most {max} arguments, got {}", args.len())
        };
        return Err(vm.type_error(msg));
    }
    Ok(())
}

/// Registers every builtin function into the builtins dict.
pub fn install(vm: &mut Vm, d: ObjId) {
    let fns: &[(&'static str, NativeFnPtr)] = &[
        ("print", b_print),
        ("input", b_input),
        ("len", b_len),
        ("isinstance", b_isinstance),
        ("issubclass", b_issubclass),
        ("id", b_id),
        ("hash", b_hash),
        ("sorted", b_sorted),
        ("reversed", b_reversed),
        ("min", b_min),
        ("max", b_max),
        ("sum", b_sum),
        ("abs", b_abs),
        ("round", b_round),
        ("divmod", b_divmod),
        ("pow", b_pow),
        ("enumerate", b_enumerate),
        ("zip", b_zip),
        ("map", b_map),
        ("filter", b_filter),
        ("any", b_any),
        ("all", b_all),
        ("iter", b_iter),
        ("next", b_next),
        ("repr", b_repr),
        ("ascii", b_ascii),
        ("chr", b_chr),
        ("ord", b_ord),
        ("hex", b_hex),
        ("bin", b_bin),
        ("oct", b_oct),
        ("getattr", b_getattr),
        ("setattr", b_setattr),
        ("hasattr", b_hasattr),
        ("delattr", b_delattr),
        ("callable", b_callable),
        ("vars", b_vars),
        ("dir", b_dir),
        ("format", b_format),
        ("globals", b_globals),
        ("locals", b_globals),
        ("open", b_open),
        ("exit", b_exit),
        ("quit", b_exit),
        ("__import__", b_import),
        ("eval", b_eval),
        ("exec", b_eval),
        ("breakpoint", b_eval),
        ("compile", b_eval),
    ];
    for (name, f) in fns {
        let v = native(vm, name, "builtins", *f);
        vm.dict_set_str(d, name, v);
    }
    for b in Builtin::ALL {
        if b.module() == "builtins"
            && !matches!(
                b,
                Builtin::NoneType
                    | Builtin::Function
                    | Builtin::BuiltinFunction
                    | Builtin::Method
                    | Builtin::Module
                    | Builtin::Generator
                    | Builtin::Iterator
                    | Builtin::Cell
                    | Builtin::DictKeys
                    | Builtin::DictValues
                    | Builtin::DictItems
                    | Builtin::NotImplementedType
                    | Builtin::EllipsisType
            )
        {
            let c = vm.class(*b);
            vm.dict_set_str(d, b.name(), Value::Obj(c));
        }
    }
    vm.dict_set_str(d, "NotImplemented", Value::NotImplemented);
    vm.dict_set_str(d, "Ellipsis", Value::Ellipsis);
    let io = vm.class(Builtin::OSError);
    vm.dict_set_str(d, "IOError", Value::Obj(io));
    vm.dict_set_str(d, "EnvironmentError", Value::Obj(io));
}

fn b_print(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let sep = match kwarg(kwargs, "sep") {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::None) | None => " ".into(),
        Some(other) => {
            let t = ops::type_name(vm, other);
            return Err(vm.type_error(format!("sep must be None or a string, not {t}")));
        }
    };
    let end = match kwarg(kwargs, "end") {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::None) | None => "\n".into(),
        Some(other) => {
            let t = ops::type_name(vm, other);
            return Err(vm.type_error(format!("end must be None or a string, not {t}")));
        }
    };
    let mut out = String::new();
    for (i, x) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(&crate::format::to_str(vm, x)?);
    }
    out.push_str(&end);
    match kwarg(kwargs, "file") {
        Some(f) if !f.is_none() => {
            let f = f.clone();
            crate::modules::sys::write_to(vm, &f, &out)?;
        }
        _ => vm.write_stdout(&out),
    }
    Ok(Value::None)
}

fn b_input(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if let Some(p) = args.first() {
        let s = crate::format::to_str(vm, p)?;
        vm.write_stdout(&s);
    }
    match crate::modules::sys::next_line(vm) {
        Some(line) => Ok(Value::from_string(line)),
        None => Err(vm.err(Builtin::EOFError, "EOF when reading a line")),
    }
}

fn b_len(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "len", args, 1, 1)?;
    Ok(Value::Int(ops::len(vm, &args[0])? as i64))
}

fn class_list(vm: &mut Vm, v: &Value, fname: &str) -> R<Vec<ObjId>> {
    match v {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Class(_) => Ok(vec![*id]),
            Obj::Tuple(items) => {
                let items = items.clone();
                let mut out = Vec::new();
                for i in &items {
                    out.extend(class_list(vm, i, fname)?);
                }
                Ok(out)
            }
            _ => Err(vm.type_error(format!("{fname}() arg 2 must be a type, a tuple of types, or a union"))),
        },
        _ => Err(vm.type_error(format!("{fname}() arg 2 must be a type, a tuple of types, or a union"))),
    }
}

fn b_isinstance(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "isinstance", args, 2, 2)?;
    let cls = class_list(vm, &args[1], "isinstance")?;
    Ok(Value::Bool(cls.iter().any(|c| ops::isinstance(vm, &args[0], *c))))
}

fn b_issubclass(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "issubclass", args, 2, 2)?;
    let Some(c) = args[0].as_obj().filter(|c| matches!(vm.p.heap.get(*c), Obj::Class(_))) else {
        return Err(vm.type_error("issubclass() arg 1 must be a class"));
    };
    let cls = class_list(vm, &args[1], "issubclass")?;
    let obj = vm.class(Builtin::Object);
    Ok(Value::Bool(cls.iter().any(|b| *b == obj || ops::is_subclass(vm, c, *b))))
}

fn b_id(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "id", args, 1, 1)?;
    Ok(Value::Int(match &args[0] {
        Value::Obj(id) => crate::format::addr(*id) as i64,
        other => 0x7f3a_0000_0000 + (ops::hash_value(vm, other)? % 0xffff_ffff) as i64 * 8,
    }))
}

fn b_hash(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "hash", args, 1, 1)?;
    Ok(Value::Int(ops::hash_value(vm, &args[0])? as i64))
}

fn b_sorted(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    nargs(vm, "sorted", args, 1, 1)?;
    via_prelude(vm, &args[0], "_sorted", args.to_vec(), kwargs.clone())?;
    let items = ops::to_vec(vm, &args[0])?;
    let key = kwarg(kwargs, "key").cloned();
    let reverse = match kwarg(kwargs, "reverse") {
        Some(r) => ops::truthy(vm, r)?,
        None => false,
    };
    let sorted = crate::methods::sort_values(vm, items, key, reverse)?;
    Ok(vm.new_list(sorted))
}

fn b_reversed(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "reversed", args, 1, 1)?;
    let v = &args[0];
    if let Value::Obj(id) = v {
        match vm.p.heap.get(*id) {
            Obj::List(l) | Obj::Tuple(l) => {
                let n = l.len();
                return Ok(vm.alloc(Obj::Iter(Box::new(IterObj::Reversed { seq: v.clone(), idx: n }))));
            }
            Obj::Deque(d, _) => {
                let n = d.len();
                return Ok(vm.alloc(Obj::Iter(Box::new(IterObj::Reversed { seq: v.clone(), idx: n }))));
            }
            Obj::Instance(_) => {
                if let Some(r) = ops::call_dunder(vm, v, "__reversed__", None)? {
                    return Ok(r);
                }
            }
            Obj::Generator(_) | Obj::Iter(_) | Obj::Set(..) => {
                let t = ops::type_name(vm, v);
                return Err(vm.type_error(format!("'{t}' object is not reversible")));
            }
            _ => {}
        }
    }
    let mut items = ops::to_vec(vm, v)?;
    items.reverse();
    Ok(vm.alloc(Obj::Iter(Box::new(IterObj::Values { items, idx: 0 }))))
}

fn min_max(vm: &mut Vm, args: &[Value], kwargs: &Kwargs, is_max: bool) -> R<Value> {
    let name = if is_max { "max" } else { "min" };
    if args.len() == 1 {
        via_prelude(vm, &args[0], if is_max { "_max" } else { "_min" }, args.to_vec(), kwargs.clone())?;
    }
    let items = if args.len() == 1 {
        ops::to_vec(vm, &args[0])?
    } else if args.is_empty() {
        return Err(vm.type_error(format!("{name} expected at least 1 argument, got 0")));
    } else {
        args.to_vec()
    };
    if items.is_empty() {
        if let Some(d) = kwarg(kwargs, "default") {
            return Ok(d.clone());
        }
        return Err(vm.value_error(format!("{name}() arg is an empty sequence")));
    }
    let key = kwarg(kwargs, "key").cloned().filter(|k| !k.is_none());
    let mut best = items[0].clone();
    let mut best_k = match &key {
        Some(k) => vm.call_sync(k.clone(), vec![best.clone()], vec![])?,
        None => best.clone(),
    };
    for x in &items[1..] {
        let k = match &key {
            Some(kf) => vm.call_sync(kf.clone(), vec![x.clone()], vec![])?,
            None => x.clone(),
        };
        let better = if is_max { ops::less(vm, &best_k, &k)? } else { ops::less(vm, &k, &best_k)? };
        if better {
            best = x.clone();
            best_k = k;
        }
    }
    Ok(best)
}

fn b_min(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    min_max(vm, args, kwargs, false)
}

fn b_max(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    min_max(vm, args, kwargs, true)
}

fn b_sum(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    nargs(vm, "sum", args, 1, 2)?;
    via_prelude(vm, &args[0], "_sum", args.to_vec(), kwargs.clone())?;
    let mut acc = args.get(1).cloned().or_else(|| kwarg(kwargs, "start").cloned()).unwrap_or(Value::Int(0));
    if let Value::Str(_) = acc {
        return Err(vm.type_error("sum() can't sum strings [use ''.join(seq) instead]"));
    }
    let it = crate::iter::get_iter(vm, &args[0])?;
    while let Some(x) = crate::iter::next(vm, &it)? {
        acc = ops::binary(vm, crate::syntax::ast::BinOp::Add, &acc, &x, false)?;
    }
    Ok(acc)
}

fn b_abs(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "abs", args, 1, 1)?;
    Ok(match &args[0] {
        Value::Int(i) => match i.checked_abs() {
            Some(r) => Value::Int(r),
            None => Value::from_big(BigInt::from(*i).magnitude().clone().into()),
        },
        Value::Bool(b) => Value::Int(*b as i64),
        Value::Big(b) => Value::from_big(b.magnitude().clone().into()),
        Value::Float(f) => Value::Float(f.abs()),
        other => {
            if let Some(r) = ops::call_dunder(vm, other, "__abs__", None)? {
                return Ok(r);
            }
            let t = ops::type_name(vm, other);
            return Err(vm.type_error(format!("bad operand type for abs(): '{t}'")));
        }
    })
}

fn b_round(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    nargs(vm, "round", args, 1, 2)?;
    let nd = args.get(1).cloned().or_else(|| kwarg(kwargs, "ndigits").cloned()).unwrap_or(Value::None);
    match (&args[0], &nd) {
        (Value::Float(f), Value::None) => {
            if !f.is_finite() {
                return Err(if f.is_nan() {
                    vm.value_error("cannot convert float NaN to integer")
                } else {
                    vm.err(Builtin::OverflowError, "cannot convert float infinity to integer")
                });
            }
            let r = f.round_ties_even();
            Ok(match r.to_i64() {
                Some(i) if r.abs() < 9.0e18 => Value::Int(i),
                _ => Value::from_big(BigInt::from(r as i128)),
            })
        }
        (Value::Float(f), Value::Int(n)) => {
            let n = *n;
            if n >= 0 {
                let s = format!("{:.*}", n.min(300) as usize, f);
                Ok(Value::Float(s.parse().unwrap_or(*f)))
            } else {
                let p = 10f64.powi((-n) as i32);
                Ok(Value::Float((f / p).round_ties_even() * p))
            }
        }
        (Value::Int(i), Value::Int(n)) if *n < 0 => {
            let p = 10i64.checked_pow((-n) as u32).unwrap_or(i64::MAX);
            let q = (*i as f64 / p as f64).round_ties_even() as i64;
            Ok(Value::Int(q.saturating_mul(p)))
        }
        (v @ (Value::Int(_) | Value::Big(_) | Value::Bool(_)), _) => Ok(ops::int_of(v)),
        (other, _) => {
            if let Some(r) = ops::call_dunder(vm, other, "__round__", None)? {
                return Ok(r);
            }
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("type {t} doesn't define __round__ method")))
        }
    }
}

fn b_divmod(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "divmod", args, 2, 2)?;
    let q = ops::binary(vm, crate::syntax::ast::BinOp::FloorDiv, &args[0], &args[1], false)?;
    let r = ops::binary(vm, crate::syntax::ast::BinOp::Mod, &args[0], &args[1], false)?;
    Ok(vm.new_tuple(vec![q, r]))
}

fn b_pow(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "pow", args, 2, 3)?;
    if let Some(m) = args.get(2) {
        if !m.is_none() {
            let (b, e, m) = (ops::int_of(&args[0]), ops::int_of(&args[1]), ops::int_of(m));
            let to_b = |v: &Value| match v {
                Value::Int(i) => Some(BigInt::from(*i)),
                Value::Big(b) => Some((**b).clone()),
                _ => None,
            };
            if let (Some(b), Some(e), Some(m)) = (to_b(&b), to_b(&e), to_b(&m)) {
                if m.is_zero() {
                    return Err(vm.value_error("pow() 3rd argument cannot be 0"));
                }
                let r = b.modpow(&e, &m);
                let r = if r < BigInt::zero() && m > BigInt::zero() { r + m } else { r };
                return Ok(Value::from_big(r));
            }
        }
    }
    ops::binary(vm, crate::syntax::ast::BinOp::Pow, &args[0], &args[1], false)
}

fn b_enumerate(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    nargs(vm, "enumerate", args, 1, 2)?;
    via_prelude(vm, &args[0], "_enumerate", args.to_vec(), kwargs.clone())?;
    let it = crate::iter::get_iter(vm, &args[0])?;
    let start = match args.get(1).or_else(|| kwarg(kwargs, "start")) {
        Some(Value::Int(i)) => *i,
        _ => 0,
    };
    Ok(vm.alloc(Obj::Iter(Box::new(IterObj::Enumerate { it, n: start }))))
}

fn b_zip(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if any_gen(vm, args) {
        if let Some(v) = args.iter().find(|v| matches!(v, Value::Obj(id) if matches!(vm.p.heap.get(*id), Obj::Generator(g) if g.plain()))).cloned() {
            via_prelude(vm, &v, "_zip", args.to_vec(), vec![])?;
        }
    }
    let mut its = Vec::new();
    for x in args {
        its.push(crate::iter::get_iter(vm, x)?);
    }
    Ok(vm.alloc(Obj::Iter(Box::new(IterObj::Zip(its)))))
}

fn b_map(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if args.len() < 2 {
        return Err(vm.type_error("map() must have at least two arguments."));
    }
    if any_gen(vm, &args[1..]) {
        if let Some(v) = args[1..].iter().find(|v| matches!(v, Value::Obj(id) if matches!(vm.p.heap.get(*id), Obj::Generator(g) if g.plain()))).cloned() {
            via_prelude(vm, &v, "_map", args.to_vec(), vec![])?;
        }
    }
    let mut its = Vec::new();
    for x in &args[1..] {
        its.push(crate::iter::get_iter(vm, x)?);
    }
    Ok(vm.alloc(Obj::Iter(Box::new(IterObj::Map { f: args[0].clone(), its }))))
}

fn b_filter(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "filter", args, 2, 2)?;
    via_prelude(vm, &args[1], "_filter", args.to_vec(), vec![])?;
    let it = crate::iter::get_iter(vm, &args[1])?;
    Ok(vm.alloc(Obj::Iter(Box::new(IterObj::Filter { f: args[0].clone(), it }))))
}

fn b_any(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "any", args, 1, 1)?;
    via_prelude(vm, &args[0], "_any", args.to_vec(), vec![])?;
    let it = crate::iter::get_iter(vm, &args[0])?;
    while let Some(x) = crate::iter::next(vm, &it)? {
        if ops::truthy(vm, &x)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn b_all(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "all", args, 1, 1)?;
    via_prelude(vm, &args[0], "_all", args.to_vec(), vec![])?;
    let it = crate::iter::get_iter(vm, &args[0])?;
    while let Some(x) = crate::iter::next(vm, &it)? {
        if !ops::truthy(vm, &x)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

fn b_iter(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "iter", args, 1, 2)?;
    if args.len() == 2 {
        return Ok(vm.alloc(Obj::Iter(Box::new(IterObj::CallableSentinel { f: args[0].clone(), sentinel: args[1].clone() }))));
    }
    crate::iter::get_iter(vm, &args[0])
}

fn b_next(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "next", args, 1, 2)?;
    if let Value::Obj(id) = &args[0] {
        if let Obj::Generator(g) = vm.p.heap.get(*id) {
            if !g.plain() {
                let t = if g.coroutine { "coroutine" } else { "async_generator" };
                return Err(vm.type_error(format!("'{t}' object is not an iterator")));
            }
            return Err(Flow::Resume { gen: *id, send: Value::None, default: args.get(1).cloned() });
        }
    }
    let is_iter = match &args[0] {
        Value::Obj(id) => matches!(vm.p.heap.get(*id), Obj::Iter(_) | Obj::Instance(_)),
        _ => false,
    };
    if !is_iter {
        let t = ops::type_name(vm, &args[0]);
        return Err(vm.type_error(format!("'{t}' object is not an iterator")));
    }
    match crate::iter::next(vm, &args[0])? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(d) => Ok(d.clone()),
            None => Err(vm.err(Builtin::StopIteration, "")),
        },
    }
}

fn b_repr(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "repr", args, 1, 1)?;
    Ok(Value::from_string(crate::format::repr(vm, &args[0])?))
}

fn b_ascii(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "ascii", args, 1, 1)?;
    let r = crate::format::repr(vm, &args[0])?;
    Ok(Value::from_string(crate::format::ascii(&r)))
}

fn b_chr(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "chr", args, 1, 1)?;
    match &args[0] {
        Value::Int(i) => match u32::try_from(*i).ok().and_then(char::from_u32) {
            Some(c) => Ok(Value::from_string(c.to_string())),
            None => Err(vm.value_error("chr() arg not in range(0x110000)")),
        },
        other => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")))
        }
    }
}

fn b_ord(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "ord", args, 1, 1)?;
    match &args[0] {
        Value::Str(s) => {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Ok(Value::Int(c as i64)),
                _ => Err(vm.type_error(format!("ord() expected a character, but string of length {} found", s.chars().count()))),
            }
        }
        Value::Bytes(b) if b.len() == 1 => Ok(Value::Int(b[0] as i64)),
        other => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("ord() expected string of length 1, but {t} found")))
        }
    }
}

fn radix(vm: &mut Vm, args: &[Value], r: u32, prefix: &str, name: &str) -> R<Value> {
    nargs(vm, name, args, 1, 1)?;
    let b = match &args[0] {
        Value::Int(i) => BigInt::from(*i),
        Value::Bool(x) => BigInt::from(*x as i64),
        Value::Big(b) => (**b).clone(),
        other => {
            let t = ops::type_name(vm, other);
            return Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")));
        }
    };
    let neg = b < BigInt::zero();
    let mag = if neg { -b } else { b };
    Ok(Value::from_string(format!("{}{prefix}{}", if neg { "-" } else { "" }, mag.to_str_radix(r))))
}

fn b_hex(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    radix(vm, args, 16, "0x", "hex")
}

fn b_bin(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    radix(vm, args, 2, "0b", "bin")
}

fn b_oct(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    radix(vm, args, 8, "0o", "oct")
}

fn attr_name(vm: &mut Vm, v: &Value) -> R<Arc<str>> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        other => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("attribute name must be string, not '{t}'")))
        }
    }
}

fn b_getattr(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "getattr", args, 2, 3)?;
    let name = attr_name(vm, &args[1])?;
    match crate::attr::getattr(vm, &args[0], &name) {
        Ok(v) => Ok(v),
        Err(Flow::Raise(e)) if args.len() == 3 && ops::is_instance_of(vm, &e, Builtin::AttributeError) => Ok(args[2].clone()),
        Err(e) => Err(e),
    }
}

fn b_setattr(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "setattr", args, 3, 3)?;
    let name = attr_name(vm, &args[1])?;
    crate::attr::setattr_sync(vm, &args[0], &name, args[2].clone())?;
    Ok(Value::None)
}

fn b_delattr(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "delattr", args, 2, 2)?;
    let name = attr_name(vm, &args[1])?;
    crate::attr::delattr(vm, &args[0], &name)?;
    Ok(Value::None)
}

fn b_hasattr(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "hasattr", args, 2, 2)?;
    let name = attr_name(vm, &args[1])?;
    match crate::attr::getattr(vm, &args[0], &name) {
        Ok(_) | Err(Flow::Call { .. }) => Ok(Value::Bool(true)),
        Err(Flow::Raise(e)) if ops::is_instance_of(vm, &e, Builtin::AttributeError) => Ok(Value::Bool(false)),
        Err(e) => Err(e),
    }
}

fn b_callable(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "callable", args, 1, 1)?;
    Ok(Value::Bool(callable(vm, &args[0])))
}

/// `callable(v)`.
pub fn callable(vm: &Vm, v: &Value) -> bool {
    match v {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Function(_) | Obj::BoundMethod(..) | Obj::BuiltinMethod(..) | Obj::Native(_) | Obj::Class(_) | Obj::Partial(..) => true,
            Obj::Instance(i) => crate::attr::lookup_class(vm, i.class, "__call__").is_some(),
            _ => false,
        },
        _ => false,
    }
}

fn b_vars(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    match args.first() {
        Some(v) => crate::attr::getattr(vm, v, "__dict__"),
        None => b_globals(vm, args, &vec![]),
    }
}

/// `dir(obj)`, for the traceback's "Did you mean".
pub fn dir_of(vm: &mut Vm, obj: &Value) -> R<Value> {
    b_dir(vm, std::slice::from_ref(obj), &Vec::new())
}

fn b_dir(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let mut names: Vec<String> = Vec::new();
    if let Some(Value::Obj(id)) = args.first() {
        match vm.p.heap.get(*id) {
            Obj::Instance(i) => {
                for e in i.dict.iter() {
                    if let Value::Str(s) = &e.key {
                        names.push(s.to_string());
                    }
                }
                let cls = i.class;
                if let Obj::Class(c) = vm.p.heap.get(cls) {
                    for m in &c.mro {
                        if let Obj::Class(k) = vm.p.heap.get(*m) {
                            for e in k.dict.iter() {
                                if let Value::Str(s) = &e.key {
                                    names.push(s.to_string());
                                }
                            }
                        }
                    }
                }
            }
            Obj::Module(m) => {
                if let Obj::Dict(d) = vm.p.heap.get(m.dict) {
                    for e in d.d.iter() {
                        if let Value::Str(s) = &e.key {
                            names.push(s.to_string());
                        }
                    }
                }
            }
            Obj::Class(c) => {
                for e in c.dict.iter() {
                    if let Value::Str(s) = &e.key {
                        names.push(s.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    names.sort();
    names.dedup();
    let v = names.into_iter().map(Value::from_string).collect();
    Ok(vm.new_list(v))
}

fn b_format(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    nargs(vm, "format", args, 1, 2)?;
    let spec = match args.get(1) {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    Ok(Value::from_string(crate::format::format_value(vm, &args[0], &spec)?))
}

fn b_globals(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Obj(vm.p.main_globals))
}

/// `open()`: the prelude's `_open`, over the virtual kernel's files
/// (`modules/files.rs`).
fn b_open(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    match vm.dict_get_str(vm.p.prelude, "_open") {
        Some(f) => Err(Flow::Call { callee: f, args: args.to_vec(), kwargs: kwargs.clone() }),
        None => Err(vm.err(Builtin::NotImplementedError, "Interleave does not support files (open) here")),
    }
}

fn b_eval(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Err(vm.err(Builtin::NotImplementedError, "Interleave does not support eval/exec/compile"))
}

fn b_exit(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let cls = vm.class(Builtin::SystemExit);
    let e = vm.exc_with_args(cls, args.to_vec());
    Err(Flow::Raise(e))
}

fn b_import(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    match args.first() {
        Some(Value::Str(s)) => {
            let s = s.clone();
            crate::modules::import(vm, &s, false)
        }
        _ => Err(vm.type_error("__import__() argument 1 must be str")),
    }
}

// ----------------------------------------------------------------------
// Constructors
// ----------------------------------------------------------------------

pub fn parse_int(vm: &mut Vm, s: &str, base: u32, orig: &Value) -> R<Value> {
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let mut base = base;
    let mut body = body.to_string();
    let lower = body.to_lowercase();
    for (p, b) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if (base == b || base == 0) && lower.starts_with(p) {
            body = body[2..].to_string();
            base = b;
        }
    }
    if base == 0 {
        base = 10;
    }
    let clean: String = body.chars().filter(|c| *c != '_').collect();
    let ok = !clean.is_empty() && !body.starts_with('_') && !body.ends_with('_') && !body.contains("__");
    let parsed = if ok { BigInt::parse_bytes(clean.as_bytes(), base) } else { None };
    match parsed {
        Some(b) => Ok(Value::from_big(if neg { -b } else { b })),
        None => {
            let r = crate::format::repr(vm, orig)?;
            Err(vm.value_error(format!("invalid literal for int() with base {base}: {r}")))
        }
    }
}

pub fn parse_float(vm: &mut Vm, s: &str, orig: &Value) -> R<f64> {
    let t = s.trim().to_lowercase().replace('_', "");
    let v = match t.as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        _ => {
            if t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-')) && !t.is_empty() {
                t.parse::<f64>().ok()
            } else {
                None
            }
        }
    };
    match v {
        Some(f) => Ok(f),
        None => {
            let r = crate::format::repr(vm, orig)?;
            Err(vm.value_error(format!("could not convert string to float: {r}")))
        }
    }
}

fn iterable_arg(vm: &mut Vm, args: &[Value]) -> R<Vec<Value>> {
    match args.first() {
        Some(v) => ops::to_vec(vm, v),
        None => Ok(vec![]),
    }
}

pub fn construct(vm: &mut Vm, b: Builtin, cls: ObjId, args: Vec<Value>, kwargs: Kwargs) -> R<Value> {
    let _ = cls;
    let first = args.first().cloned();
    match b {
        Builtin::Int => {
            let base = args.get(1).cloned().or_else(|| kwarg(&kwargs, "base").cloned());
            match (first, base) {
                (None, _) => Ok(Value::Int(0)),
                (Some(Value::Str(s)), base) => {
                    let base = match base {
                        Some(Value::Int(b)) => b as u32,
                        _ => 10,
                    };
                    parse_int(vm, &s, base, &Value::Str(s.clone()))
                }
                (Some(Value::Bytes(s)), _) => {
                    let st = String::from_utf8_lossy(&s).to_string();
                    parse_int(vm, &st, 10, &Value::Bytes(s.clone()))
                }
                (Some(Value::Float(f)), _) => {
                    if f.is_nan() {
                        return Err(vm.value_error("cannot convert float NaN to integer"));
                    }
                    if f.is_infinite() {
                        return Err(vm.err(Builtin::OverflowError, "cannot convert float infinity to integer"));
                    }
                    let t = f.trunc();
                    Ok(match t.to_i64() {
                        Some(i) if t.abs() < 9.0e18 => Value::Int(i),
                        _ => Value::from_big(num_bigint::BigInt::from(t as i128)),
                    })
                }
                (Some(v @ (Value::Int(_) | Value::Big(_) | Value::Bool(_))), _) => Ok(ops::int_of(&v)),
                (Some(v), _) => {
                    if let Some(r) = ops::call_dunder(vm, &v, "__int__", None)? {
                        return Ok(r);
                    }
                    if let Some(r) = ops::call_dunder(vm, &v, "__index__", None)? {
                        return Ok(r);
                    }
                    let t = ops::type_name(vm, &v);
                    Err(vm.type_error(format!(
                        "int() argument must be a string, a bytes-like object or a real number, not '{t}'"
                    )))
                }
            }
        }
        Builtin::Float => match first {
            None => Ok(Value::Float(0.0)),
            Some(Value::Str(s)) => Ok(Value::Float(parse_float(vm, &s, &Value::Str(s.clone()))?)),
            Some(v) => match ops::to_f64(&v) {
                Some(f) => {
                    if let Value::Big(_) = v {
                        if f.is_infinite() {
                            return Err(vm.err(Builtin::OverflowError, "int too large to convert to float"));
                        }
                    }
                    Ok(Value::Float(f))
                }
                None => {
                    if let Some(r) = ops::call_dunder(vm, &v, "__float__", None)? {
                        return Ok(r);
                    }
                    let t = ops::type_name(vm, &v);
                    Err(vm.type_error(format!("float() argument must be a string or a real number, not '{t}'")))
                }
            },
        },
        Builtin::Str => match first {
            None => Ok(Value::str("")),
            Some(Value::Bytes(bytes)) if args.len() > 1 || kwarg(&kwargs, "encoding").is_some() => {
                let r = crate::methods::call_method(vm, &Value::Bytes(bytes), "decode", &[], &vec![])?;
                Ok(r)
            }
            Some(v) => Ok(Value::from_string(crate::format::to_str(vm, &v)?)),
        },
        Builtin::Bool => match first {
            None => Ok(Value::Bool(false)),
            Some(v) => Ok(Value::Bool(ops::truthy(vm, &v)?)),
        },
        Builtin::List => {
            if let Some(v) = args.first() {
                via_prelude(vm, v, "_list", args.clone(), vec![])?;
            }
            let items = iterable_arg(vm, &args)?;
            Ok(vm.new_list(items))
        }
        Builtin::Tuple => {
            if let Some(Value::Obj(id)) = &first {
                if let Obj::Tuple(_) = vm.p.heap.get(*id) {
                    return Ok(first.unwrap_or(Value::None));
                }
            }
            if let Some(v) = args.first() {
                via_prelude(vm, v, "_tuple", args.clone(), vec![])?;
            }
            let items = iterable_arg(vm, &args)?;
            Ok(vm.new_tuple(items))
        }
        Builtin::Set | Builtin::FrozenSet => {
            if let Some(v) = args.first() {
                via_prelude(vm, v, if b == Builtin::Set { "_set" } else { "_frozenset" }, args.clone(), vec![])?;
            }
            let items = iterable_arg(vm, &args)?;
            ops::new_set(vm, items, b == Builtin::FrozenSet)
        }
        Builtin::Dict | Builtin::OrderedDict | Builtin::Counter | Builtin::DefaultDict => {
            let kind = match b {
                Builtin::OrderedDict => DictKind::Ordered,
                Builtin::Counter => DictKind::Counter,
                Builtin::DefaultDict => DictKind::Default,
                _ => DictKind::Dict,
            };
            let mut rest: &[Value] = &args;
            let mut factory = Value::None;
            if kind == DictKind::Default {
                factory = args.first().cloned().unwrap_or(Value::None);
                rest = if args.is_empty() { &[] } else { &args[1..] };
            }
            let d = vm.alloc(Obj::Dict(Arc::new(DictObj { d: PyDict::new(), kind, default_factory: factory })));
            if kind == DictKind::Counter {
                if let Value::Obj(id) = d {
                    crate::modules::collections::counter_update(vm, id, rest, &kwargs, 1)?;
                }
                return Ok(d);
            }
            if let Some(src) = rest.first() {
                ops::dict_update(vm, &d, src)?;
            }
            for (k, v) in kwargs {
                ops::dict_set(vm, &d, Value::Str(k), v)?;
            }
            Ok(d)
        }
        Builtin::Bytes => match first {
            None => Ok(Value::Bytes(Arc::from(Vec::new()))),
            Some(Value::Str(s)) => Ok(Value::Bytes(Arc::from(s.as_bytes().to_vec()))),
            Some(Value::Int(n)) => {
                if n.max(0) as usize > vm.max_memory.min(100_000_000) {
                    return Err(vm.err(Builtin::MemoryError, ""));
                }
                Ok(Value::Bytes(Arc::from(vec![0u8; n.max(0) as usize])))
            }
            Some(v) => {
                let items = ops::to_vec(vm, &v)?;
                let mut out = Vec::new();
                for x in items {
                    match x {
                        Value::Int(i) if (0..256).contains(&i) => out.push(i as u8),
                        _ => return Err(vm.value_error("bytes must be in range(0, 256)")),
                    }
                }
                Ok(Value::Bytes(Arc::from(out)))
            }
        },
        Builtin::Range => {
            let ints: Vec<i64> = args
                .iter()
                .map(|v| match v {
                    Value::Int(i) => Some(*i),
                    Value::Bool(b) => Some(*b as i64),
                    _ => None,
                })
                .collect::<Option<Vec<i64>>>()
                .ok_or(())
                .or_else(|_| {
                    let bad = args.iter().find(|v| !matches!(v, Value::Int(_) | Value::Bool(_))).cloned().unwrap_or(Value::None);
                    let t = ops::type_name(vm, &bad);
                    Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")))
                })?;
            let (s, e, st) = match ints.len() {
                1 => (0, ints[0], 1),
                2 => (ints[0], ints[1], 1),
                3 => (ints[0], ints[1], ints[2]),
                0 => return Err(vm.type_error("range expected at least 1 argument, got 0")),
                n => return Err(vm.type_error(format!("range expected at most 3 arguments, got {n}"))),
            };
            if st == 0 {
                return Err(vm.value_error("range() arg 3 must not be zero"));
            }
            Ok(vm.alloc(Obj::Range(s, e, st)))
        }
        Builtin::Slice => {
            let (x, y, z) = match args.len() {
                1 => (Value::None, args[0].clone(), Value::None),
                2 => (args[0].clone(), args[1].clone(), Value::None),
                _ => (a(&args, 0).clone(), a(&args, 1).clone(), a(&args, 2).clone()),
            };
            Ok(vm.alloc(Obj::Slice(x, y, z)))
        }
        Builtin::Type => {
            if args.len() == 1 {
                return Ok(Value::Obj(ops::type_of(vm, &args[0])));
            }
            Err(vm.err(Builtin::NotImplementedError, "Interleave does not support type() with 3 arguments"))
        }
        Builtin::Object => Ok(vm.alloc(Obj::Instance(Box::new(Instance { class: cls, dict: PyDict::new(), payload: Payload::None })))),
        Builtin::Property => {
            let fget = first.or_else(|| kwarg(&kwargs, "fget").cloned()).unwrap_or(Value::None);
            let fset = args.get(1).cloned().or_else(|| kwarg(&kwargs, "fset").cloned()).unwrap_or(Value::None);
            Ok(vm.alloc(Obj::Property(fget, fset)))
        }
        Builtin::StaticMethod => Ok(vm.alloc(Obj::StaticMethod(first.unwrap_or(Value::None)))),
        Builtin::ClassMethod => Ok(vm.alloc(Obj::ClassMethod(first.unwrap_or(Value::None)))),
        Builtin::Super => match (args.first(), args.get(1)) {
            (Some(Value::Obj(c)), Some(o)) => Ok(vm.alloc(Obj::Super(*c, o.clone()))),
            _ => Err(vm.err(Builtin::RuntimeError, "super(): no arguments")),
        },
        Builtin::Deque => {
            let items = iterable_arg(vm, &args)?;
            let maxlen = match args.get(1).or_else(|| kwarg(&kwargs, "maxlen")) {
                Some(Value::Int(m)) => Some((*m).max(0) as usize),
                _ => None,
            };
            let mut d: std::collections::VecDeque<Value> = items.into();
            if let Some(m) = maxlen {
                while d.len() > m {
                    d.pop_front();
                }
            }
            Ok(vm.alloc(Obj::Deque(d, maxlen)))
        }
        Builtin::Partial => {
            let Some(f) = first else {
                return Err(vm.type_error("type 'partial' takes at least one argument"));
            };
            Ok(vm.alloc(Obj::Partial(f, args[1..].to_vec(), kwargs)))
        }
        other => Err(vm.type_error(format!("cannot create '{}' instances", other.name()))),
    }
}
