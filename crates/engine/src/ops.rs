//! Operators: arithmetic, comparison, truth, hashing, subscripts and the
//! type queries they rely on.
//!
//! `int` arithmetic runs on `i64` and promotes to a big integer exactly
//! when a result overflows, so programs never see the difference. User
//! classes take part through their dunder methods (`__add__`, `__eq__`,
//! `__lt__`, `__getitem__`, `__len__`, ...), called with
//! [`Vm::call_sync`].

use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero, Pow};

use crate::dict::{str_hash, PyDict};
use crate::heap::Heap;
use crate::object::*;
use crate::syntax::ast::{BinOp, CmpOp, UnaryOp};
use crate::types::Builtin;
use crate::value::{ObjId, Value};
use crate::vm::{Flow, Vm, R};

// ----------------------------------------------------------------------
// Types
// ----------------------------------------------------------------------

pub fn type_of(vm: &Vm, v: &Value) -> ObjId {
    let b = match v {
        Value::Undef | Value::None => Builtin::NoneType,
        Value::Ellipsis => Builtin::EllipsisType,
        Value::NotImplemented => Builtin::NotImplementedType,
        Value::Bool(_) => Builtin::Bool,
        Value::Int(_) | Value::Big(_) => Builtin::Int,
        Value::Float(_) => Builtin::Float,
        Value::Str(_) => Builtin::Str,
        Value::Bytes(_) => Builtin::Bytes,
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Instance(i) => return i.class,
            Obj::Class(_) => Builtin::Type,
            Obj::List(_) => Builtin::List,
            Obj::Tuple(_) => Builtin::Tuple,
            Obj::Dict(d) => match d.kind {
                DictKind::Dict => Builtin::Dict,
                DictKind::Default => Builtin::DefaultDict,
                DictKind::Ordered => Builtin::OrderedDict,
                DictKind::Counter => Builtin::Counter,
            },
            Obj::Set(_, frozen) => {
                if *frozen {
                    Builtin::FrozenSet
                } else {
                    Builtin::Set
                }
            }
            Obj::DictView(_, k) => match k {
                ViewKind::Keys => Builtin::DictKeys,
                ViewKind::Values => Builtin::DictValues,
                ViewKind::Items => Builtin::DictItems,
            },
            Obj::Function(_) => Builtin::Function,
            Obj::BoundMethod(..) => Builtin::Method,
            Obj::BuiltinMethod(..) | Obj::Native(_) => Builtin::BuiltinFunction,
            Obj::Module(_) => Builtin::Module,
            Obj::Cell(_) => Builtin::Cell,
            Obj::Generator(g) if g.coroutine => Builtin::Coroutine,
            Obj::Generator(g) if g.async_gen => Builtin::AsyncGenerator,
            Obj::Generator(_) => Builtin::Generator,
            Obj::Iter(_) => Builtin::Iterator,
            Obj::Range(..) => Builtin::Range,
            Obj::Slice(..) => Builtin::Slice,
            Obj::Property(..) => Builtin::Property,
            Obj::StaticMethod(_) => Builtin::StaticMethod,
            Obj::ClassMethod(_) => Builtin::ClassMethod,
            Obj::Super(..) => Builtin::Super,
            Obj::Partial(..) => Builtin::Partial,
            Obj::Deque(..) => Builtin::Deque,
            Obj::Free => Builtin::NoneType,
        },
    };
    vm.class(b)
}

pub fn class_name_of(vm: &Vm, cls: ObjId) -> String {
    match vm.p.heap.get(cls) {
        Obj::Class(c) => c.name.to_string(),
        _ => "object".to_string(),
    }
}

pub fn type_name(vm: &Vm, v: &Value) -> String {
    if let Value::Obj(id) = v {
        if let Obj::Iter(it) = vm.p.heap.get(*id) {
            return match &**it {
                IterObj::Seq { seq, .. } => match seq {
                    Value::Obj(s) => match vm.p.heap.get(*s) {
                        Obj::Tuple(_) => "tuple_iterator",
                        _ => "list_iterator",
                    },
                    _ => "list_iterator",
                },
                IterObj::Str { .. } => "str_ascii_iterator",
                IterObj::Range { .. } => "range_iterator",
                IterObj::DictKeys { .. } => "dict_keyiterator",
                IterObj::DictValues { .. } => "dict_valueiterator",
                IterObj::DictItems { .. } => "dict_itemiterator",
                IterObj::Reversed { .. } => "list_reverseiterator",
                IterObj::Enumerate { .. } => "enumerate",
                IterObj::Zip(_) => "zip",
                IterObj::Map { .. } => "map",
                IterObj::Filter { .. } => "filter",
                IterObj::Values { .. } => "iterator",
                IterObj::SetItems { .. } => "set_iterator",
                IterObj::Count { .. } => "itertools.count",
                IterObj::Cycle { .. } => "itertools.cycle",
                IterObj::Repeat { .. } => "itertools.repeat",
                IterObj::Chain { .. } => "itertools.chain",
                IterObj::ISlice { .. } => "itertools.islice",
                IterObj::CallableSentinel { .. } => "callable_iterator",
            }
            .to_string();
        }
    }
    class_name_of(vm, type_of(vm, v))
}

pub fn is_subclass(vm: &Vm, a: ObjId, b: ObjId) -> bool {
    if a == b {
        return true;
    }
    match vm.p.heap.get(a) {
        Obj::Class(c) => c.mro.contains(&b),
        _ => false,
    }
}

pub fn isinstance(vm: &Vm, v: &Value, cls: ObjId) -> bool {
    let t = type_of(vm, v);
    if is_subclass(vm, t, cls) {
        return true;
    }
    // bool is an int; every class is an object.
    cls == vm.class(Builtin::Object)
}

pub fn is_instance_of(vm: &Vm, v: &Value, b: Builtin) -> bool {
    isinstance(vm, v, vm.class(b))
}

pub fn exc_matches(vm: &mut Vm, exc: &Value, t: &Value) -> R<bool> {
    match t {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Class(_) => Ok(isinstance(vm, exc, *id)),
            Obj::Tuple(items) => {
                let items = items.clone();
                for i in &items {
                    if exc_matches(vm, exc, i)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(vm.type_error("catching classes that do not inherit from BaseException is not allowed")),
        },
        _ => Err(vm.type_error("catching classes that do not inherit from BaseException is not allowed")),
    }
}

// ----------------------------------------------------------------------
// Truth and numbers
// ----------------------------------------------------------------------

pub fn int_of(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::Int(*b as i64),
        other => other.clone(),
    }
}

pub fn truthy(vm: &mut Vm, v: &Value) -> R<bool> {
    Ok(match v {
        Value::Undef | Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Big(_) => true,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Bytes(b) => !b.is_empty(),
        Value::Ellipsis | Value::NotImplemented => true,
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::List(l) | Obj::Tuple(l) => !l.is_empty(),
            Obj::Dict(d) => !d.d.is_empty(),
            Obj::Set(s, _) => !s.is_empty(),
            Obj::Deque(d, _) => !d.is_empty(),
            Obj::Range(a, b, c) => range_len(*a, *b, *c) > 0,
            Obj::DictView(d, _) => match vm.p.heap.get(*d) {
                Obj::Dict(d) => !d.d.is_empty(),
                _ => false,
            },
            Obj::Instance(i) => {
                let cls = i.class;
                if let Some(f) = crate::attr::lookup_class(vm, cls, "__bool__") {
                    let r = vm.call_sync(f, vec![v.clone()], vec![])?;
                    return truthy(vm, &r);
                }
                if let Some(f) = crate::attr::lookup_class(vm, cls, "__len__") {
                    let r = vm.call_sync(f, vec![v.clone()], vec![])?;
                    return truthy(vm, &r);
                }
                true
            }
            _ => true,
        },
    })
}

pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    }
}

fn to_big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::Big(b) => Some((**b).clone()),
        _ => None,
    }
}

pub fn to_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(*b as i64 as f64),
        Value::Big(b) => b.to_f64(),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn is_int(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::Big(_))
}

fn is_num(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::Big(_) | Value::Float(_))
}

pub fn op_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mult => "*",
        BinOp::MatMult => "@",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::BitAnd => "&",
    }
}

fn dunder(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mult => ("__mul__", "__rmul__", "__imul__"),
        BinOp::MatMult => ("__matmul__", "__rmatmul__", "__imatmul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::BitOr => ("__or__", "__ror__", "__ior__"),
        BinOp::BitXor => ("__xor__", "__rxor__", "__ixor__"),
        BinOp::BitAnd => ("__and__", "__rand__", "__iand__"),
    }
}

fn zero_div(vm: &mut Vm, msg: &str) -> Flow {
    vm.err(Builtin::ZeroDivisionError, msg)
}

fn int_binary(vm: &mut Vm, op: BinOp, a: i64, b: i64) -> R<Option<Value>> {
    Ok(Some(match op {
        BinOp::Add => match a.checked_add(b) {
            Some(r) => Value::Int(r),
            None => return Ok(None),
        },
        BinOp::Sub => match a.checked_sub(b) {
            Some(r) => Value::Int(r),
            None => return Ok(None),
        },
        BinOp::Mult => match a.checked_mul(b) {
            Some(r) => Value::Int(r),
            None => return Ok(None),
        },
        BinOp::Div => {
            if b == 0 {
                return Err(zero_div(vm, "division by zero"));
            }
            Value::Float(a as f64 / b as f64)
        }
        BinOp::FloorDiv => {
            if b == 0 {
                return Err(zero_div(vm, "integer division or modulo by zero"));
            }
            match a.checked_div_euclid(b) {
                Some(_) => Value::Int(Integer::div_floor(&a, &b)),
                None => return Ok(None),
            }
        }
        BinOp::Mod => {
            if b == 0 {
                return Err(zero_div(vm, "integer modulo by zero"));
            }
            match a.checked_rem(b) {
                Some(_) => Value::Int(Integer::mod_floor(&a, &b)),
                None => return Ok(None),
            }
        }
        BinOp::Pow => {
            if b < 0 {
                if a == 0 {
                    return Err(zero_div(vm, "0.0 cannot be raised to a negative power"));
                }
                Value::Float((a as f64).powf(b as f64))
            } else if b > u32::MAX as i64 {
                return Ok(None);
            } else {
                match a.checked_pow(b as u32) {
                    Some(r) => Value::Int(r),
                    None => return Ok(None),
                }
            }
        }
        BinOp::LShift => {
            if b < 0 {
                return Err(vm.value_error("negative shift count"));
            }
            if b < 63 && (a.abs() < (1i64 << (62 - b))) {
                Value::Int(a << b)
            } else {
                return Ok(None);
            }
        }
        BinOp::RShift => {
            if b < 0 {
                return Err(vm.value_error("negative shift count"));
            }
            Value::Int(if b >= 64 { if a < 0 { -1 } else { 0 } } else { a >> b })
        }
        BinOp::BitOr => Value::Int(a | b),
        BinOp::BitXor => Value::Int(a ^ b),
        BinOp::BitAnd => Value::Int(a & b),
        BinOp::MatMult => return Ok(None),
    }))
}

fn big_binary(vm: &mut Vm, op: BinOp, a: BigInt, b: BigInt) -> R<Value> {
    Ok(match op {
        BinOp::Add => Value::from_big(a + b),
        BinOp::Sub => Value::from_big(a - b),
        BinOp::Mult => Value::from_big(a * b),
        BinOp::Div => {
            if b.is_zero() {
                return Err(zero_div(vm, "division by zero"));
            }
            Value::Float(big_true_div(&a, &b))
        }
        BinOp::FloorDiv => {
            if b.is_zero() {
                return Err(zero_div(vm, "integer division or modulo by zero"));
            }
            Value::from_big(a.div_floor(&b))
        }
        BinOp::Mod => {
            if b.is_zero() {
                return Err(zero_div(vm, "integer modulo by zero"));
            }
            Value::from_big(a.mod_floor(&b))
        }
        BinOp::Pow => {
            if b.is_negative() {
                Value::Float(a.to_f64().unwrap_or(f64::INFINITY).powf(b.to_f64().unwrap_or(0.0)))
            } else {
                let e = match b.to_u32() {
                    Some(e) => e,
                    None => return Err(vm.err(Builtin::OverflowError, "exponent too large")),
                };
                if a.bits() as u64 * e as u64 > 4_000_000 {
                    return Err(vm.err(Builtin::MemoryError, "integer too large for Interleave"));
                }
                Value::from_big(Pow::pow(a, e))
            }
        }
        BinOp::LShift => {
            let s = b.to_usize().unwrap_or(0);
            if b.is_negative() {
                return Err(vm.value_error("negative shift count"));
            }
            if s > 4_000_000 {
                return Err(vm.err(Builtin::MemoryError, "integer too large for Interleave"));
            }
            Value::from_big(a << s)
        }
        BinOp::RShift => {
            if b.is_negative() {
                return Err(vm.value_error("negative shift count"));
            }
            let s = b.to_usize().unwrap_or(usize::MAX);
            Value::from_big(a >> s.min(1 << 24))
        }
        BinOp::BitOr => Value::from_big(a | b),
        BinOp::BitXor => Value::from_big(a ^ b),
        BinOp::BitAnd => Value::from_big(a & b),
        BinOp::MatMult => return Err(vm.type_error("unsupported operand type(s) for @: 'int' and 'int'")),
    })
}

fn big_true_div(a: &BigInt, b: &BigInt) -> f64 {
    match (a.to_f64(), b.to_f64()) {
        (Some(x), Some(y)) if x.is_finite() && y.is_finite() => x / y,
        _ => {
            let q = a / b;
            q.to_f64().unwrap_or(f64::INFINITY)
        }
    }
}

fn float_binary(vm: &mut Vm, op: BinOp, a: f64, b: f64) -> R<Value> {
    Ok(Value::Float(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mult => a * b,
        BinOp::Div => {
            if b == 0.0 {
                return Err(zero_div(vm, "float division by zero"));
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 {
                return Err(zero_div(vm, "float floor division by zero"));
            }
            (a / b).floor()
        }
        BinOp::Mod => {
            if b == 0.0 {
                return Err(zero_div(vm, "float modulo"));
            }
            let r = a % b;
            if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
                r + b
            } else if r == 0.0 {
                0.0f64.copysign(b)
            } else {
                r
            }
        }
        BinOp::Pow => {
            if a == 0.0 && b < 0.0 {
                return Err(zero_div(vm, "0.0 cannot be raised to a negative power"));
            }
            if a < 0.0 && b.fract() != 0.0 {
                return Err(vm.err(Builtin::ValueError, "math domain error"));
            }
            let r = a.powf(b);
            if r.is_infinite() && a.is_finite() && b.is_finite() {
                return Err(vm.err(Builtin::OverflowError, "(34, 'Numerical result out of range')"));
            }
            r
        }
        _ => return Err(unsupported(vm, op, &Value::Float(a), &Value::Float(b), false)),
    }))
}

fn unsupported(vm: &mut Vm, op: BinOp, a: &Value, b: &Value, inplace: bool) -> Flow {
    let (ta, tb) = (type_name(vm, a), type_name(vm, b));
    let sym = op_symbol(op);
    let eq = if inplace { "=" } else { "" };
    if op == BinOp::Pow && !inplace {
        return vm.type_error(format!("unsupported operand type(s) for ** or pow(): '{ta}' and '{tb}'"));
    }
    vm.type_error(format!("unsupported operand type(s) for {sym}{eq}: '{ta}' and '{tb}'"))
}

fn seq_items(vm: &Vm, v: &Value) -> Option<(u8, Vec<Value>)> {
    match v {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::List(l) => Some((0, l.clone())),
            Obj::Tuple(l) => Some((1, l.clone())),
            _ => None,
        },
        _ => None,
    }
}

fn repeat_count(vm: &mut Vm, n: &Value) -> R<usize> {
    match n {
        Value::Int(i) => Ok((*i).max(0) as usize),
        Value::Bool(b) => Ok(*b as usize),
        _ => Err(vm.err(Builtin::OverflowError, "cannot fit 'int' into an index-sized integer")),
    }
}

pub fn binary(vm: &mut Vm, op: BinOp, a: &Value, b: &Value, inplace: bool) -> R<Value> {
    // Fast paths.
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        if let Some(v) = int_binary(vm, op, *x, *y)? {
            return Ok(v);
        }
    }
    if is_int(a) && is_int(b) {
        let (x, y) = (to_big(a).unwrap_or_default(), to_big(b).unwrap_or_default());
        if let (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) = (a, b) {
            let (xi, yi) = (x.to_i64().unwrap_or(0), y.to_i64().unwrap_or(0));
            if let Some(v) = int_binary(vm, op, xi, yi)? {
                return Ok(v);
            }
        }
        return big_binary(vm, op, x, y);
    }
    if is_num(a) && is_num(b) {
        let (x, y) = (to_f64(a).unwrap_or(0.0), to_f64(b).unwrap_or(0.0));
        return float_binary(vm, op, x, y);
    }
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            return Ok(Value::from_string(s));
        }
        (BinOp::Mult, Value::Str(x), n) | (BinOp::Mult, n, Value::Str(x)) if is_int(n) => {
            let k = repeat_count(vm, n)?;
            if x.len().saturating_mul(k) > vm.max_memory.min(100_000_000) {
                return Err(vm.err(Builtin::MemoryError, ""));
            }
            return Ok(Value::from_string(x.repeat(k)));
        }
        (BinOp::Mod, Value::Str(fmt), args) => return crate::format::percent(vm, fmt, args).map(Value::from_string),
        (BinOp::Add, Value::Bytes(x), Value::Bytes(y)) => {
            let mut v = x.to_vec();
            v.extend_from_slice(y);
            return Ok(Value::Bytes(Arc::from(v)));
        }
        (BinOp::Mult, Value::Bytes(x), n) | (BinOp::Mult, n, Value::Bytes(x)) if is_int(n) => {
            let k = repeat_count(vm, n)?;
            if x.len().saturating_mul(k) > vm.max_memory.min(100_000_000) {
                return Err(vm.err(Builtin::MemoryError, ""));
            }
            return Ok(Value::Bytes(Arc::from(x.repeat(k))));
        }
        _ => {}
    }
    if let (Value::Obj(ia), Value::Obj(ib)) = (a, b) {
        let (ia, ib) = (*ia, *ib);
        // list/tuple concatenation, list += iterable.
        if op == BinOp::Add {
            if inplace {
                if let Obj::List(_) = vm.p.heap.get(ia) {
                    let items = to_vec(vm, b)?;
                    if let Obj::List(l) = vm.p.heap.get_mut(ia) {
                        l.extend(items);
                    }
                    return Ok(a.clone());
                }
            }
            if let (Some((ka, xa)), Some((kb, xb))) = (seq_items(vm, a), seq_items(vm, b)) {
                if ka == kb {
                    let mut v = xa;
                    v.extend(xb);
                    return Ok(if ka == 0 { vm.new_list(v) } else { vm.new_tuple(v) });
                }
                let (ta, tb) = (type_name(vm, a), type_name(vm, b));
                return Err(vm.type_error(format!("can only concatenate {ta} (not \"{tb}\") to {ta}")));
            }
            if let (Obj::Deque(..), Obj::Deque(..)) = (vm.p.heap.get(ia), vm.p.heap.get(ib)) {
                let mut x = match vm.p.heap.get(ia) {
                    Obj::Deque(d, m) => (d.clone(), *m),
                    _ => unreachable_deque(),
                };
                if let Obj::Deque(d, _) = vm.p.heap.get(ib) {
                    x.0.extend(d.iter().cloned());
                }
                return Ok(vm.alloc(Obj::Deque(x.0, x.1)));
            }
        }
        // Set algebra.
        if let (Obj::Set(x, fa), Obj::Set(y, _)) = (vm.p.heap.get(ia), vm.p.heap.get(ib)) {
            let frozen = *fa;
            let xs = x.keys();
            let ys = y.keys();
            let result = match op {
                BinOp::BitOr => {
                    let mut v = xs;
                    v.extend(ys);
                    Some(v)
                }
                BinOp::BitAnd => {
                    let mut v = Vec::new();
                    for k in xs {
                        if set_contains(vm, ib, &k)? {
                            v.push(k);
                        }
                    }
                    Some(v)
                }
                BinOp::Sub => {
                    let mut v = Vec::new();
                    for k in xs {
                        if !set_contains(vm, ib, &k)? {
                            v.push(k);
                        }
                    }
                    Some(v)
                }
                BinOp::BitXor => {
                    let mut v = Vec::new();
                    for k in xs {
                        if !set_contains(vm, ib, &k)? {
                            v.push(k);
                        }
                    }
                    for k in ys {
                        if !set_contains(vm, ia, &k)? {
                            v.push(k);
                        }
                    }
                    Some(v)
                }
                _ => None,
            };
            if let Some(items) = result {
                if inplace && !frozen {
                    let s = new_set(vm, items, false)?;
                    if let Value::Obj(sid) = s {
                        let d = match vm.p.heap.get(sid) {
                            Obj::Set(d, _) => d.clone(),
                            _ => PyDict::new(),
                        };
                        if let Obj::Set(target, _) = vm.p.heap.get_mut(ia) {
                            *target = d;
                        }
                    }
                    return Ok(a.clone());
                }
                return new_set(vm, items, frozen);
            }
        }
        // dict | dict, Counter + Counter.
        if let (Obj::Dict(x), Obj::Dict(_)) = (vm.p.heap.get(ia), vm.p.heap.get(ib)) {
            let kind = x.kind;
            if op == BinOp::BitOr {
                let target = if inplace { a.clone() } else { copy_dict(vm, ia) };
                dict_update(vm, &target, b)?;
                return Ok(target);
            }
            if kind == DictKind::Counter && matches!(op, BinOp::Add | BinOp::Sub) {
                return crate::modules::collections::counter_arith(vm, ia, ib, op);
            }
        }
    }
    if let (Value::Obj(ia), n) = (a, b) {
        if op == BinOp::Mult && is_int(n) {
            if let Some((k, items)) = seq_items(vm, a) {
                let c = repeat_count(vm, n)?;
                if items.len().saturating_mul(c).saturating_mul(16) > vm.max_memory.min(800_000_000) {
                    return Err(vm.err(Builtin::MemoryError, ""));
                }
                let mut v = Vec::with_capacity(items.len() * c);
                for _ in 0..c {
                    v.extend(items.iter().cloned());
                }
                if inplace && k == 0 {
                    if let Obj::List(l) = vm.p.heap.get_mut(*ia) {
                        *l = v;
                    }
                    return Ok(a.clone());
                }
                return Ok(if k == 0 { vm.new_list(v) } else { vm.new_tuple(v) });
            }
        }
    }
    if let (n, Value::Obj(_)) = (a, b) {
        if op == BinOp::Mult && is_int(n) && seq_items(vm, b).is_some() {
            return binary(vm, op, b, a, false);
        }
    }
    // User-defined operators.
    let (fwd, rev, inp) = dunder(op);
    if inplace {
        if let Some(r) = call_dunder(vm, a, inp, Some(b))? {
            return Ok(r);
        }
    }
    if let Some(r) = call_dunder(vm, a, fwd, Some(b))? {
        return Ok(r);
    }
    if let Some(r) = call_dunder(vm, b, rev, Some(a))? {
        return Ok(r);
    }
    if op == BinOp::Mod {
        if let Value::Bytes(_) = a {
            return Err(vm.err(Builtin::NotImplementedError, "Interleave does not support bytes % formatting"));
        }
    }
    if op == BinOp::Add {
        if let Value::Str(_) = a {
            let tb = type_name(vm, b);
            return Err(vm.type_error(format!("can only concatenate str (not \"{tb}\") to str")));
        }
    }
    Err(unsupported(vm, op, a, b, inplace))
}

fn unreachable_deque() -> (std::collections::VecDeque<Value>, Option<usize>) {
    (std::collections::VecDeque::new(), None)
}

fn copy_dict(vm: &mut Vm, id: ObjId) -> Value {
    let d = match vm.p.heap.get(id) {
        Obj::Dict(d) => (**d).clone(),
        _ => DictObj { d: PyDict::new(), kind: DictKind::Dict, default_factory: Value::None },
    };
    vm.alloc(Obj::Dict(Arc::new(d)))
}

/// Calls a user dunder on an instance if its class defines it; `None` when
/// absent or when it returns `NotImplemented`.
pub fn call_dunder(vm: &mut Vm, recv: &Value, name: &str, arg: Option<&Value>) -> R<Option<Value>> {
    let Value::Obj(id) = recv else { return Ok(None) };
    let cls = match vm.p.heap.get(*id) {
        Obj::Instance(i) => i.class,
        _ => return Ok(None),
    };
    let Some(f) = crate::attr::lookup_class(vm, cls, name) else { return Ok(None) };
    let mut args = vec![recv.clone()];
    if let Some(a) = arg {
        args.push(a.clone());
    }
    let r = vm.call_sync(f, args, vec![])?;
    if let Value::NotImplemented = r {
        return Ok(None);
    }
    Ok(Some(r))
}

pub fn unary(vm: &mut Vm, op: UnaryOp, a: &Value) -> R<Value> {
    match op {
        UnaryOp::Not => return Ok(Value::Bool(!truthy(vm, a)?)),
        UnaryOp::USub => match a {
            Value::Int(i) => {
                return Ok(match i.checked_neg() {
                    Some(r) => Value::Int(r),
                    None => Value::from_big(-BigInt::from(*i)),
                })
            }
            Value::Bool(b) => return Ok(Value::Int(-(*b as i64))),
            Value::Big(b) => return Ok(Value::from_big(-(**b).clone())),
            Value::Float(f) => return Ok(Value::Float(-f)),
            _ => {
                if let Some(r) = call_dunder(vm, a, "__neg__", None)? {
                    return Ok(r);
                }
            }
        },
        UnaryOp::UAdd => match a {
            Value::Int(_) | Value::Big(_) | Value::Float(_) => return Ok(a.clone()),
            Value::Bool(b) => return Ok(Value::Int(*b as i64)),
            _ => {
                if let Some(r) = call_dunder(vm, a, "__pos__", None)? {
                    return Ok(r);
                }
            }
        },
        UnaryOp::Invert => match a {
            Value::Int(i) => return Ok(Value::Int(!i)),
            Value::Bool(b) => return Ok(Value::Int(!(*b as i64))),
            Value::Big(b) => return Ok(Value::from_big(-(**b).clone() - 1)),
            _ => {
                if let Some(r) = call_dunder(vm, a, "__invert__", None)? {
                    return Ok(r);
                }
            }
        },
    }
    let sym = match op {
        UnaryOp::USub => "-",
        UnaryOp::UAdd => "+",
        UnaryOp::Invert => "~",
        UnaryOp::Not => "not",
    };
    let t = type_name(vm, a);
    Err(vm.type_error(format!("bad operand type for unary {sym}: '{t}'")))
}

// ----------------------------------------------------------------------
// Comparison
// ----------------------------------------------------------------------

/// Structural equality that needs no Python calls: used for dict keys.
pub fn key_eq(heap: &Heap, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Obj(x), Value::Obj(y)) => {
            if x == y {
                return true;
            }
            match (heap.get(*x), heap.get(*y)) {
                (Obj::Tuple(p), Obj::Tuple(q)) => p.len() == q.len() && p.iter().zip(q.iter()).all(|(u, v)| key_eq(heap, u, v)),
                (Obj::Set(p, true), Obj::Set(q, true)) => {
                    p.len() == q.len() && p.iter().all(|e| q.find(e.hash, |k| key_eq(heap, k, &e.key)).is_some())
                }
                _ => false,
            }
        }
        _ => scalar_eq(a, b).unwrap_or(false),
    }
}

fn scalar_eq(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::None, Value::None) | (Value::Ellipsis, Value::Ellipsis) | (Value::NotImplemented, Value::NotImplemented) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (x, y) if is_int(x) && is_int(y) => to_big(x) == to_big(y),
        (x, y) if is_num(x) && is_num(y) => {
            // int == float: exact comparison.
            let (f, i) = if let Value::Float(f) = x { (*f, y) } else if let Value::Float(f) = y { (*f, x) } else { return None };
            if f.fract() != 0.0 || !f.is_finite() {
                false
            } else {
                match to_big(i) {
                    Some(b) => b.to_f64() == Some(f) && BigInt::from(f as i128) == b,
                    None => false,
                }
            }
        }
        (Value::Obj(_), _) | (_, Value::Obj(_)) => return None,
        _ => false,
    })
}

pub fn eq(vm: &mut Vm, a: &Value, b: &Value) -> R<bool> {
    if let Some(r) = scalar_eq(a, b) {
        return Ok(r);
    }
    vm.check_stack()?;
    if let (Value::Obj(x), Value::Obj(y)) = (a, b) {
        if x == y && !matches!(vm.p.heap.get(*x), Obj::Instance(_)) {
            return Ok(true);
        }
        let (x, y) = (*x, *y);
        match (vm.p.heap.get(x), vm.p.heap.get(y)) {
            (Obj::List(p), Obj::List(q)) | (Obj::Tuple(p), Obj::Tuple(q)) => {
                if p.len() != q.len() {
                    return Ok(false);
                }
                let (p, q) = (p.clone(), q.clone());
                for (u, v) in p.iter().zip(q.iter()) {
                    if !u.is(v) && !eq(vm, u, v)? {
                        return Ok(false);
                    }
                }
                return Ok(true);
            }
            (Obj::Deque(p, _), Obj::Deque(q, _)) => {
                if p.len() != q.len() {
                    return Ok(false);
                }
                let (p, q): (Vec<Value>, Vec<Value>) = (p.iter().cloned().collect(), q.iter().cloned().collect());
                for (u, v) in p.iter().zip(q.iter()) {
                    if !eq(vm, u, v)? {
                        return Ok(false);
                    }
                }
                return Ok(true);
            }
            (Obj::Dict(p), Obj::Dict(q)) => {
                if p.d.len() != q.d.len() {
                    return Ok(false);
                }
                let items = p.d.items();
                for (k, v) in items {
                    match dict_get(vm, y, &k)? {
                        Some(w) => {
                            if !eq(vm, &v, &w)? {
                                return Ok(false);
                            }
                        }
                        None => return Ok(false),
                    }
                }
                return Ok(true);
            }
            (Obj::Set(p, _), Obj::Set(q, _)) => {
                if p.len() != q.len() {
                    return Ok(false);
                }
                let keys = p.keys();
                for k in keys {
                    if !set_contains(vm, y, &k)? {
                        return Ok(false);
                    }
                }
                return Ok(true);
            }
            (Obj::Range(a1, b1, c1), Obj::Range(a2, b2, c2)) => {
                return Ok((a1, b1, c1) == (a2, b2, c2));
            }
            _ => {}
        }
    }
    if let Some(r) = call_dunder(vm, a, "__eq__", Some(b))? {
        return truthy(vm, &r);
    }
    if let Some(r) = call_dunder(vm, b, "__eq__", Some(a))? {
        return truthy(vm, &r);
    }
    Ok(a.is(b))
}

fn cmp_name(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Lt => "<",
        CmpOp::LtE => "<=",
        CmpOp::Gt => ">",
        CmpOp::GtE => ">=",
        CmpOp::Eq => "==",
        CmpOp::NotEq => "!=",
        _ => "?",
    }
}

/// Orders two values for `<` and friends (and for sorting). `None` means
/// the types are not orderable.
pub fn order(vm: &mut Vm, a: &Value, b: &Value) -> R<Option<Ordering>> {
    if let (Value::Obj(_), Value::Obj(_)) = (a, b) {
        vm.check_stack()?;
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => return Ok(Some(x.cmp(y))),
        (Value::Str(x), Value::Str(y)) => return Ok(Some(x.cmp(y))),
        (Value::Bytes(x), Value::Bytes(y)) => return Ok(Some(x.cmp(y))),
        (x, y) if is_int(x) && is_int(y) => return Ok(to_big(x).partial_cmp(&to_big(y))),
        (x, y) if is_num(x) && is_num(y) => {
            return Ok(Some(to_f64(x).partial_cmp(&to_f64(y)).unwrap_or(Ordering::Equal)));
        }
        (Value::Obj(x), Value::Obj(y)) => {
            let (x, y) = (*x, *y);
            let pair = match (vm.p.heap.get(x), vm.p.heap.get(y)) {
                (Obj::List(p), Obj::List(q)) | (Obj::Tuple(p), Obj::Tuple(q)) => Some((p.clone(), q.clone())),
                _ => None,
            };
            if let Some((p, q)) = pair {
                for (u, v) in p.iter().zip(q.iter()) {
                    if !eq(vm, u, v)? {
                        return order(vm, u, v);
                    }
                }
                return Ok(Some(p.len().cmp(&q.len())));
            }
        }
        _ => {}
    }
    Ok(None)
}

fn rich_compare(vm: &mut Vm, op: CmpOp, a: &Value, b: &Value) -> R<bool> {
    let (fwd, rev) = match op {
        CmpOp::Lt => ("__lt__", "__gt__"),
        CmpOp::LtE => ("__le__", "__ge__"),
        CmpOp::Gt => ("__gt__", "__lt__"),
        CmpOp::GtE => ("__ge__", "__le__"),
        _ => ("", ""),
    };
    if let Some(o) = order(vm, a, b)? {
        return Ok(match op {
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::LtE => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::GtE => o != Ordering::Less,
            _ => false,
        });
    }
    // Float comparisons with NaN and set inclusion.
    if let (Value::Obj(x), Value::Obj(y)) = (a, b) {
        if let (Obj::Set(..), Obj::Set(..)) = (vm.p.heap.get(*x), vm.p.heap.get(*y)) {
            let (x, y) = (*x, *y);
            let sub = |vm: &mut Vm, p: ObjId, q: ObjId| -> R<bool> {
                let keys = match vm.p.heap.get(p) {
                    Obj::Set(s, _) => s.keys(),
                    _ => vec![],
                };
                for k in keys {
                    if !set_contains(vm, q, &k)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            };
            let la = match vm.p.heap.get(x) { Obj::Set(s, _) => s.len(), _ => 0 };
            let lb = match vm.p.heap.get(y) { Obj::Set(s, _) => s.len(), _ => 0 };
            return Ok(match op {
                CmpOp::LtE => sub(vm, x, y)?,
                CmpOp::Lt => la < lb && sub(vm, x, y)?,
                CmpOp::GtE => sub(vm, y, x)?,
                CmpOp::Gt => la > lb && sub(vm, y, x)?,
                _ => false,
            });
        }
    }
    if let Some(r) = call_dunder(vm, a, fwd, Some(b))? {
        return truthy(vm, &r);
    }
    if let Some(r) = call_dunder(vm, b, rev, Some(a))? {
        return truthy(vm, &r);
    }
    let (ta, tb) = (type_name(vm, a), type_name(vm, b));
    Err(vm.type_error(format!("'{}' not supported between instances of '{ta}' and '{tb}'", cmp_name(op))))
}

pub fn less(vm: &mut Vm, a: &Value, b: &Value) -> R<bool> {
    rich_compare(vm, CmpOp::Lt, a, b)
}

pub fn compare(vm: &mut Vm, op: CmpOp, a: &Value, b: &Value) -> R<Value> {
    Ok(Value::Bool(match op {
        CmpOp::Is => a.is(b),
        CmpOp::IsNot => !a.is(b),
        CmpOp::Eq => eq(vm, a, b)?,
        CmpOp::NotEq => {
            if let Some(r) = call_dunder(vm, a, "__ne__", Some(b))? {
                return Ok(Value::Bool(truthy(vm, &r)?));
            }
            !eq(vm, a, b)?
        }
        CmpOp::In => contains(vm, b, a)?,
        CmpOp::NotIn => !contains(vm, b, a)?,
        _ => rich_compare(vm, op, a, b)?,
    }))
}

pub fn contains(vm: &mut Vm, container: &Value, item: &Value) -> R<bool> {
    match container {
        Value::Str(s) => match item {
            Value::Str(x) => return Ok(s.contains(&**x)),
            _ => {
                let t = type_name(vm, item);
                return Err(vm.type_error(format!("'in <string>' requires string as left operand, not {t}")));
            }
        },
        Value::Bytes(s) => match item {
            Value::Bytes(x) => return Ok(x.is_empty() || s.windows(x.len()).any(|w| w == &**x)),
            Value::Int(i) => return Ok(s.contains(&(*i as u8))),
            _ => return Err(vm.type_error("a bytes-like object is required")),
        },
        Value::Obj(id) => {
            let id = *id;
            match vm.p.heap.get(id) {
                Obj::List(l) | Obj::Tuple(l) => {
                    let l = l.clone();
                    for x in &l {
                        if x.is(item) || eq(vm, x, item)? {
                            return Ok(true);
                        }
                    }
                    return Ok(false);
                }
                Obj::Deque(d, _) => {
                    let l: Vec<Value> = d.iter().cloned().collect();
                    for x in &l {
                        if eq(vm, x, item)? {
                            return Ok(true);
                        }
                    }
                    return Ok(false);
                }
                Obj::Dict(_) => return Ok(dict_get(vm, id, item)?.is_some()),
                Obj::DictView(d, ViewKind::Keys) => {
                    let d = *d;
                    return Ok(dict_get(vm, d, item)?.is_some());
                }
                Obj::Set(..) => return set_contains(vm, id, item),
                Obj::Range(a, b, c) => {
                    let (a, b, c) = (*a, *b, *c);
                    if let Value::Int(i) = item {
                        let i = *i;
                        let inside = if c > 0 { i >= a && i < b } else { i <= a && i > b };
                        return Ok(inside && (i - a) % c == 0);
                    }
                    return Ok(false);
                }
                Obj::Instance(_) => {
                    if let Some(r) = call_dunder(vm, container, "__contains__", Some(item))? {
                        return truthy(vm, &r);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
    // Fall back to iteration.
    let items = match to_vec(vm, container) {
        Ok(v) => v,
        Err(_) => {
            let t = type_name(vm, container);
            return Err(vm.type_error(format!("argument of type '{t}' is not iterable")));
        }
    };
    for x in &items {
        if eq(vm, x, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

// ----------------------------------------------------------------------
// Hashing, dicts and sets
// ----------------------------------------------------------------------

// The hashes of numbers and tuples are CPython's, bit for bit: a set's
// iteration order follows its items' hashes (`dict.rs`), and CPython's is
// deterministic for them, so `print({1.5, 0.25})` or a set of pairs must
// print in CPython's order. (A `str`'s is randomised per process in
// CPython, so no program can rely on it; ours is FNV-1a.)

/// The modulus of CPython's numeric hash, 2**61 - 1 (`_PyHASH_MODULUS`).
const HASH_MOD: u64 = (1u64 << 61) - 1;
const HASH_BITS: i32 = 61;

/// CPython reserves -1 for errors: a hash that comes out as -1 is -2.
fn not_minus_one(h: u64) -> u64 {
    if h == u64::MAX {
        u64::MAX - 1
    } else {
        h
    }
}

pub fn hash_int(i: i64) -> u64 {
    let h = if i >= 0 {
        (i as u64) % HASH_MOD
    } else {
        let h = ((-(i as i128)) as u64) % HASH_MOD;
        (h as i64).wrapping_neg() as u64
    };
    not_minus_one(h)
}

/// A big int's hash: its absolute value modulo 2**61 - 1, with its sign.
fn hash_big(b: &BigInt) -> u64 {
    let m = b.magnitude() % (HASH_MOD as u128);
    let h = m.to_u64().unwrap_or(0);
    not_minus_one(if b.sign() == num_bigint::Sign::Minus { (h as i64).wrapping_neg() as u64 } else { h })
}

/// `frexp`: `x` as `m * 2**e` with `0.5 <= |m| < 1` (x finite, not 0).
fn frexp(x: f64) -> (f64, i32) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale it into the normal range first.
        let (m, e) = frexp(x * f64::powi(2.0, 64));
        return (m, e - 64);
    }
    (f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52)), exp - 1022)
}

/// CPython's `_Py_HashDouble`: a float equal to an int hashes as the int,
/// and any other finite one as its exact value modulo 2**61 - 1, taken 28
/// bits of the mantissa at a time.
fn hash_float(v: f64) -> u64 {
    if v.is_infinite() {
        return if v > 0.0 { 314_159 } else { (-314_159i64) as u64 };
    }
    if v.is_nan() {
        // (CPython 3.11 hashes a NaN by its identity, which no program can
        // rely on either.)
        return 0;
    }
    if v == 0.0 {
        return 0;
    }
    let (mut m, mut e) = frexp(v);
    let sign: i64 = if m < 0.0 {
        m = -m;
        -1
    } else {
        1
    };
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & HASH_MOD) | (x >> (HASH_BITS - 28));
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= HASH_MOD {
            x -= HASH_MOD;
        }
    }
    let e = if e >= 0 { e % HASH_BITS } else { HASH_BITS - 1 - ((-1 - e) % HASH_BITS) };
    x = ((x << e) & HASH_MOD) | (x >> (HASH_BITS - e));
    not_minus_one((x as i64).wrapping_mul(sign) as u64)
}

/// CPython's tuple hash (xxHash's mixing of the items' hashes, 3.8 on).
fn hash_tuple(lanes: &[u64]) -> u64 {
    const P1: u64 = 11_400_714_785_074_694_791;
    const P2: u64 = 14_029_467_366_897_019_727;
    const P5: u64 = 2_870_177_450_012_600_261;
    let mut acc = P5;
    for lane in lanes {
        acc = acc.wrapping_add(lane.wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add(lanes.len() as u64 ^ (P5 ^ 3_527_539));
    if acc == u64::MAX {
        1_546_275_796
    } else {
        acc
    }
}

pub fn hash_value(vm: &mut Vm, v: &Value) -> R<u64> {
    Ok(match v {
        Value::Undef | Value::None => 0x5f3759df,
        Value::Ellipsis => 0x1234,
        Value::NotImplemented => 0x4321,
        Value::Bool(b) => *b as u64,
        Value::Int(i) => hash_int(*i),
        Value::Big(b) => hash_big(b),
        Value::Float(f) => hash_float(*f),
        Value::Str(s) => str_hash(s),
        Value::Bytes(b) => {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ 0xff;
            for x in b.iter() {
                h ^= u64::from(*x);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            h
        }
        Value::Obj(id) => {
            let id = *id;
            vm.check_stack()?;
            match vm.p.heap.get(id) {
                Obj::Tuple(items) => {
                    let items = items.clone();
                    let mut lanes = Vec::with_capacity(items.len());
                    for x in &items {
                        lanes.push(hash_value(vm, x)?);
                    }
                    hash_tuple(&lanes)
                }
                Obj::Set(s, true) => {
                    let mut h: u64 = 0;
                    for e in s.iter() {
                        h ^= e.hash.wrapping_mul(0x9e37_79b9_7f4a_7c15);
                    }
                    h
                }
                Obj::List(_) | Obj::Dict(_) | Obj::Set(_, false) | Obj::Deque(..) => {
                    let t = type_name(vm, v);
                    return Err(vm.type_error(format!("unhashable type: '{t}'")));
                }
                Obj::Instance(i) => {
                    let cls = i.class;
                    if let Some(f) = crate::attr::lookup_class(vm, cls, "__hash__") {
                        if f.is_none() {
                            let t = type_name(vm, v);
                            return Err(vm.type_error(format!("unhashable type: '{t}'")));
                        }
                        // CPython takes an int that fits a machine word as
                        // it is (but -1), and hashes a bigger one.
                        let r = vm.call_sync(f, vec![v.clone()], vec![])?;
                        return match r {
                            Value::Int(i) => Ok(not_minus_one(i as u64)),
                            Value::Bool(b) => Ok(b as u64),
                            Value::Big(b) => Ok(hash_big(&b)),
                            _ => Err(vm.type_error("__hash__ method should return an integer")),
                        };
                    }
                    if crate::attr::lookup_class(vm, cls, "__eq__").is_some() {
                        let t = type_name(vm, v);
                        return Err(vm.type_error(format!("unhashable type: '{t}'")));
                    }
                    (id as u64).wrapping_mul(0x9e37_79b9)
                }
                _ => (id as u64).wrapping_mul(0x9e37_79b9),
            }
        }
    })
}

/// Position of `key` in the dict object `d`, comparing with user `__eq__`
/// only when structural equality cannot decide.
fn dict_find(vm: &mut Vm, d: ObjId, key: &Value) -> R<Option<(usize, u64)>> {
    let h = hash_value(vm, key)?;
    let heap = &vm.p.heap;
    let table = match heap.get(d) {
        Obj::Dict(x) => &x.d,
        Obj::Set(x, _) => x,
        _ => return Ok(None),
    };
    let pos = table.find(h, |k| key_eq(heap, k, key));
    if pos.is_some() {
        return Ok(pos.map(|p| (p, h)));
    }
    // Instances with a user __eq__ (and __hash__) as keys.
    if let Value::Obj(kid) = key {
        if let Obj::Instance(_) = heap.get(*kid) {
            let mut cands = Vec::new();
            table.find(h, |k| {
                cands.push(k.clone());
                false
            });
            for (i, c) in cands.iter().enumerate() {
                if eq(vm, c, key)? {
                    let heap = &vm.p.heap;
                    let table = match heap.get(d) {
                        Obj::Dict(x) => &x.d,
                        Obj::Set(x, _) => x,
                        _ => return Ok(None),
                    };
                    let mut n = 0;
                    let p = table.find(h, |_| {
                        n += 1;
                        n - 1 == i
                    });
                    return Ok(p.map(|p| (p, h)));
                }
            }
        }
    }
    Ok(None)
}

pub fn dict_get(vm: &mut Vm, d: ObjId, key: &Value) -> R<Option<Value>> {
    match dict_find(vm, d, key)? {
        Some((pos, _)) => Ok(match vm.p.heap.get(d) {
            Obj::Dict(x) => x.d.get_at(pos).map(|e| e.value.clone()),
            _ => None,
        }),
        None => Ok(None),
    }
}

pub fn dict_set(vm: &mut Vm, d: &Value, key: Value, v: Value) -> R<()> {
    let Value::Obj(id) = d else { return Ok(()) };
    let id = *id;
    let found = dict_find(vm, id, &key)?;
    let h = match &found {
        Some((_, h)) => *h,
        None => hash_value(vm, &key)?,
    };
    if let Obj::Dict(x) = vm.p.heap.get_mut(id) {
        let x = crate::shared::own(x);
        match found {
            Some((pos, _)) => x.d.set_value_at(pos, v),
            None => x.d.push_new(h, key, v),
        }
    }
    Ok(())
}

pub fn dict_del(vm: &mut Vm, d: ObjId, key: &Value) -> R<Option<Value>> {
    match dict_find(vm, d, key)? {
        Some((pos, _)) => Ok(match vm.p.heap.get_mut(d) {
            Obj::Dict(x) => crate::shared::own(x).d.remove_at(pos).map(|e| e.value),
            Obj::Set(x, _) => x.remove_at(pos).map(|e| e.key),
            _ => None,
        }),
        None => Ok(None),
    }
}

pub fn dict_update(vm: &mut Vm, d: &Value, other: &Value) -> R<()> {
    if let Value::Obj(oid) = other {
        let items = match vm.p.heap.get(*oid) {
            Obj::Dict(o) => Some(o.d.items()),
            _ => None,
        };
        if let Some(items) = items {
            for (k, v) in items {
                dict_set(vm, d, k, v)?;
            }
            return Ok(());
        }
    }
    for pair in to_vec(vm, other)? {
        let kv = to_vec(vm, &pair)?;
        if kv.len() != 2 {
            return Err(vm.value_error(format!(
                "dictionary update sequence element #0 has length {}; 2 is required",
                kv.len()
            )));
        }
        let mut it = kv.into_iter();
        if let (Some(k), Some(v)) = (it.next(), it.next()) {
            dict_set(vm, d, k, v)?;
        }
    }
    Ok(())
}

pub fn set_contains(vm: &mut Vm, s: ObjId, key: &Value) -> R<bool> {
    Ok(dict_find(vm, s, key)?.is_some())
}

pub fn set_add(vm: &mut Vm, s: &Value, key: Value) -> R<()> {
    let Value::Obj(id) = s else { return Ok(()) };
    let id = *id;
    let found = dict_find(vm, id, &key)?;
    if found.is_none() {
        let h = hash_value(vm, &key)?;
        if let Obj::Set(x, _) = vm.p.heap.get_mut(id) {
            x.push_new(h, key, Value::None);
        }
    }
    Ok(())
}

pub fn new_set(vm: &mut Vm, items: Vec<Value>, frozen: bool) -> R<Value> {
    let s = vm.alloc(Obj::Set(PyDict::new(), frozen));
    for x in items {
        set_add(vm, &s, x)?;
    }
    Ok(s)
}

// ----------------------------------------------------------------------
// Sequences and subscripts
// ----------------------------------------------------------------------

/// All items of an iterable.
pub fn to_vec(vm: &mut Vm, v: &Value) -> R<Vec<Value>> {
    if let Value::Obj(id) = v {
        match vm.p.heap.get(*id) {
            Obj::List(l) | Obj::Tuple(l) => return Ok(l.clone()),
            Obj::Set(s, _) => return Ok(s.set_order_keys()),
            Obj::Dict(d) => return Ok(d.d.keys()),
            Obj::Deque(d, _) => return Ok(d.iter().cloned().collect()),
            _ => {}
        }
    }
    let it = crate::iter::get_iter(vm, v)?;
    let mut out = Vec::new();
    while let Some(x) = crate::iter::next(vm, &it)? {
        out.push(x);
        if out.len().saturating_mul(16) > vm.max_memory.min(800_000_000) {
            return Err(vm.err(Builtin::MemoryError, ""));
        }
    }
    Ok(out)
}

pub fn index_of(vm: &mut Vm, idx: &Value, len: usize, what: &str) -> R<usize> {
    let i = match idx {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        Value::Big(_) => {
            return Err(vm.err(Builtin::IndexError, format!("cannot fit 'int' into an index-sized integer")));
        }
        _ => {
            if let Some(r) = call_dunder(vm, idx, "__index__", None)? {
                return index_of(vm, &r, len, what);
            }
            let t = type_name(vm, idx);
            return Err(vm.type_error(format!("{what} indices must be integers or slices, not {t}")));
        }
    };
    let j = if i < 0 { i + len as i64 } else { i };
    if j < 0 || j >= len as i64 {
        return Err(vm.err(Builtin::IndexError, format!("{what} index out of range")));
    }
    Ok(j as usize)
}

fn opt_int(vm: &mut Vm, v: &Value) -> R<Option<i64>> {
    match v {
        Value::None => Ok(None),
        Value::Int(i) => Ok(Some(*i)),
        Value::Bool(b) => Ok(Some(*b as i64)),
        Value::Big(b) => Ok(Some(if b.is_negative() { i64::MIN / 2 } else { i64::MAX / 2 })),
        _ => Err(vm.type_error("slice indices must be integers or None or have an __index__ method")),
    }
}

/// Resolves a slice against a length: the list of selected indices.
pub fn slice_indices(vm: &mut Vm, s: ObjId, len: usize) -> R<Vec<usize>> {
    let (a, b, c) = match vm.p.heap.get(s) {
        Obj::Slice(a, b, c) => (a.clone(), b.clone(), c.clone()),
        _ => return Ok(vec![]),
    };
    let step = opt_int(vm, &c)?.unwrap_or(1);
    if step == 0 {
        return Err(vm.value_error("slice step cannot be zero"));
    }
    let n = len as i64;
    let norm = |x: i64, lo: i64, hi: i64| -> i64 {
        let y = if x < 0 { x + n } else { x };
        y.clamp(lo, hi)
    };
    let mut out = Vec::new();
    if step > 0 {
        let start = opt_int(vm, &a)?.map(|x| norm(x, 0, n)).unwrap_or(0);
        let stop = opt_int(vm, &b)?.map(|x| norm(x, 0, n)).unwrap_or(n);
        let mut i = start;
        while i < stop {
            out.push(i as usize);
            i += step;
        }
    } else {
        let start = opt_int(vm, &a)?.map(|x| norm(x, -1, n - 1)).unwrap_or(n - 1);
        let stop = opt_int(vm, &b)?.map(|x| norm(x, -1, n - 1)).unwrap_or(-1);
        let mut i = start;
        while i > stop {
            out.push(i as usize);
            i += step;
        }
    }
    Ok(out)
}

fn is_slice(vm: &Vm, v: &Value) -> Option<ObjId> {
    match v {
        Value::Obj(id) if matches!(vm.p.heap.get(*id), Obj::Slice(..)) => Some(*id),
        _ => None,
    }
}

pub fn getitem(vm: &mut Vm, obj: &Value, idx: &Value) -> R<Value> {
    match obj {
        Value::Str(s) => {
            if let Some(sl) = is_slice(vm, idx) {
                let chars: Vec<char> = s.chars().collect();
                let ix = slice_indices(vm, sl, chars.len())?;
                return Ok(Value::from_string(ix.into_iter().map(|i| chars[i]).collect()));
            }
            let n = s.chars().count();
            let i = index_of(vm, idx, n, "string")?;
            return Ok(Value::from_string(s.chars().nth(i).map(String::from).unwrap_or_default()));
        }
        Value::Bytes(b) => {
            if let Some(sl) = is_slice(vm, idx) {
                let ix = slice_indices(vm, sl, b.len())?;
                return Ok(Value::Bytes(Arc::from(ix.into_iter().map(|i| b[i]).collect::<Vec<u8>>())));
            }
            let i = index_of(vm, idx, b.len(), "index")?;
            return Ok(Value::Int(b[i] as i64));
        }
        Value::Obj(id) => {
            let id = *id;
            match vm.p.heap.get(id) {
                Obj::List(l) | Obj::Tuple(l) => {
                    let is_list = matches!(vm.p.heap.get(id), Obj::List(_));
                    let len = l.len();
                    if let Some(sl) = is_slice(vm, idx) {
                        let ix = slice_indices(vm, sl, len)?;
                        let items: Vec<Value> = match vm.p.heap.get(id) {
                            Obj::List(l) | Obj::Tuple(l) => ix.into_iter().map(|i| l[i].clone()).collect(),
                            _ => vec![],
                        };
                        return Ok(if is_list { vm.new_list(items) } else { vm.new_tuple(items) });
                    }
                    if let Value::Int(i) = idx {
                        let j = if *i < 0 { *i + len as i64 } else { *i };
                        if j >= 0 && (j as usize) < len {
                            if let Obj::List(l) | Obj::Tuple(l) = vm.p.heap.get(id) {
                                return Ok(l[j as usize].clone());
                            }
                        }
                    }
                    let what = if is_list { "list" } else { "tuple" };
                    let i = index_of(vm, idx, len, what)?;
                    if let Obj::List(l) | Obj::Tuple(l) = vm.p.heap.get(id) {
                        return Ok(l[i].clone());
                    }
                }
                Obj::Deque(d, _) => {
                    let len = d.len();
                    let i = index_of(vm, idx, len, "deque")?;
                    if let Obj::Deque(d, _) = vm.p.heap.get(id) {
                        return Ok(d[i].clone());
                    }
                }
                Obj::Range(a, b, c) => {
                    let (a, b, c) = (*a, *b, *c);
                    let len = range_len(a, b, c) as usize;
                    if let Some(sl) = is_slice(vm, idx) {
                        let ix = slice_indices(vm, sl, len)?;
                        let items: Vec<Value> = ix.into_iter().map(|i| Value::Int(a + c * i as i64)).collect();
                        return Ok(vm.new_list(items));
                    }
                    let i = index_of(vm, idx, len, "range object")?;
                    return Ok(Value::Int(a + c * i as i64));
                }
                Obj::Dict(d) => {
                    let (kind, factory) = (d.kind, d.default_factory.clone());
                    if let Some(v) = dict_get(vm, id, idx)? {
                        return Ok(v);
                    }
                    match kind {
                        DictKind::Counter => return Ok(Value::Int(0)),
                        DictKind::Default if !factory.is_none() => {
                            let v = vm.call_sync(factory, vec![], vec![])?;
                            dict_set(vm, obj, idx.clone(), v.clone())?;
                            return Ok(v);
                        }
                        _ => {}
                    }
                    let r = crate::format::repr(vm, idx)?;
                    let e = vm.exc_with_args(vm.class(Builtin::KeyError), vec![idx.clone()]);
                    let _ = r;
                    return Err(Flow::Raise(e));
                }
                Obj::Instance(_) => {
                    if let Some(r) = call_dunder(vm, obj, "__getitem__", Some(idx))? {
                        return Ok(r);
                    }
                }
                Obj::Class(c) => {
                    // Generic aliases like list[int] in annotations.
                    let _ = c;
                    return Ok(obj.clone());
                }
                _ => {}
            }
        }
        _ => {}
    }
    let t = type_name(vm, obj);
    Err(vm.type_error(format!("'{t}' object is not subscriptable")))
}

pub fn setitem(vm: &mut Vm, obj: &Value, idx: Value, v: Value) -> R<()> {
    if let Value::Obj(id) = obj {
        let id = *id;
        match vm.p.heap.get(id) {
            Obj::List(l) => {
                let len = l.len();
                if let Some(sl) = is_slice(vm, &idx) {
                    let items = to_vec(vm, &v)?;
                    let ix = slice_indices(vm, sl, len)?;
                    let step1 = matches!(vm.p.heap.get(sl), Obj::Slice(_, _, Value::None) | Obj::Slice(_, _, Value::Int(1)));
                    if let Obj::List(l) = vm.p.heap.get_mut(id) {
                        if step1 {
                            let (start, end) = match (ix.first(), ix.last()) {
                                (Some(s), Some(e)) => (*s, *e + 1),
                                _ => {
                                    // Empty selection: insert at the start position.
                                    let start = match vm_slice_start(len) {
                                        s => s,
                                    };
                                    (start.min(l.len()), start.min(l.len()))
                                }
                            };
                            l.splice(start..end, items);
                        } else {
                            for (i, x) in ix.into_iter().zip(items) {
                                l[i] = x;
                            }
                        }
                    }
                    return Ok(());
                }
                let i = index_of(vm, &idx, len, "list assignment")?;
                if let Obj::List(l) = vm.p.heap.get_mut(id) {
                    l[i] = v;
                }
                return Ok(());
            }
            Obj::Deque(d, _) => {
                let len = d.len();
                let i = index_of(vm, &idx, len, "deque")?;
                if let Obj::Deque(d, _) = vm.p.heap.get_mut(id) {
                    d[i] = v;
                }
                return Ok(());
            }
            Obj::Dict(_) => return dict_set(vm, obj, idx, v),
            Obj::Instance(i) => {
                let cls = i.class;
                if let Some(f) = crate::attr::lookup_class(vm, cls, "__setitem__") {
                    vm.call_sync(f, vec![obj.clone(), idx, v], vec![])?;
                    return Ok(());
                }
            }
            _ => {}
        }
    }
    let t = type_name(vm, obj);
    Err(vm.type_error(format!("'{t}' object does not support item assignment")))
}

fn vm_slice_start(len: usize) -> usize {
    len
}

pub fn delitem(vm: &mut Vm, obj: &Value, idx: &Value) -> R<()> {
    if let Value::Obj(id) = obj {
        let id = *id;
        match vm.p.heap.get(id) {
            Obj::List(l) => {
                let len = l.len();
                if let Some(sl) = is_slice(vm, idx) {
                    let mut ix = slice_indices(vm, sl, len)?;
                    ix.sort_unstable();
                    if let Obj::List(l) = vm.p.heap.get_mut(id) {
                        for i in ix.into_iter().rev() {
                            l.remove(i);
                        }
                    }
                    return Ok(());
                }
                let i = index_of(vm, idx, len, "list assignment")?;
                if let Obj::List(l) = vm.p.heap.get_mut(id) {
                    l.remove(i);
                }
                return Ok(());
            }
            Obj::Deque(d, _) => {
                let len = d.len();
                let i = index_of(vm, idx, len, "deque")?;
                if let Obj::Deque(d, _) = vm.p.heap.get_mut(id) {
                    d.remove(i);
                }
                return Ok(());
            }
            Obj::Dict(_) => {
                if dict_del(vm, id, idx)?.is_none() {
                    let e = vm.exc_with_args(vm.class(Builtin::KeyError), vec![idx.clone()]);
                    return Err(Flow::Raise(e));
                }
                return Ok(());
            }
            Obj::Instance(i) => {
                let cls = i.class;
                if let Some(f) = crate::attr::lookup_class(vm, cls, "__delitem__") {
                    vm.call_sync(f, vec![obj.clone(), idx.clone()], vec![])?;
                    return Ok(());
                }
            }
            _ => {}
        }
    }
    let t = type_name(vm, obj);
    Err(vm.type_error(format!("'{t}' object doesn't support item deletion")))
}

/// `len(v)`.
pub fn len(vm: &mut Vm, v: &Value) -> R<usize> {
    match v {
        Value::Str(s) => return Ok(s.chars().count()),
        Value::Bytes(b) => return Ok(b.len()),
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::List(l) | Obj::Tuple(l) => return Ok(l.len()),
            Obj::Dict(d) => return Ok(d.d.len()),
            Obj::Set(s, _) => return Ok(s.len()),
            Obj::Deque(d, _) => return Ok(d.len()),
            Obj::Range(a, b, c) => return Ok(range_len(*a, *b, *c) as usize),
            Obj::DictView(d, _) => {
                if let Obj::Dict(d) = vm.p.heap.get(*d) {
                    return Ok(d.d.len());
                }
            }
            Obj::Instance(_) => {
                if let Some(r) = call_dunder(vm, v, "__len__", None)? {
                    return match r {
                        Value::Int(i) if i >= 0 => Ok(i as usize),
                        Value::Int(_) => Err(vm.value_error("__len__() should return >= 0")),
                        _ => {
                            let t = type_name(vm, &r);
                            Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")))
                        }
                    };
                }
            }
            _ => {}
        },
        _ => {}
    }
    let t = type_name(vm, v);
    Err(vm.type_error(format!("object of type '{t}' has no len()")))
}
