//! Methods of the builtin value types: `str`, `bytes`, `list`, `tuple`,
//! `dict` (and its `collections` relatives), `set`, `int`, `float`,
//! `deque` and generators.
//!
//! These types carry no attribute dict; a method is found by name here and
//! called with the receiver and the arguments. Calling `s.upper()` directly
//! allocates nothing (the VM passes the receiver along); only taking the
//! method as a value (`f = s.upper`) creates a small bound-method object.

use std::cmp::Ordering;
use std::collections::VecDeque;
use std::sync::Arc;

use crate::dict::PyDict;
use crate::object::*;
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Flow, Vm, R};

const STR_METHODS: &[&str] = &[
    "split", "rsplit", "join", "strip", "lstrip", "rstrip", "replace", "startswith", "endswith", "upper", "lower",
    "title", "capitalize", "swapcase", "casefold", "find", "rfind", "index", "rindex", "count", "isdigit", "isalpha",
    "isalnum", "isspace", "isupper", "islower", "isnumeric", "isdecimal", "istitle", "isidentifier", "isascii",
    "isprintable", "zfill", "center", "ljust", "rjust", "encode", "format", "splitlines", "partition", "rpartition",
    "removeprefix", "removesuffix", "expandtabs", "format_map", "__len__", "__contains__", "__getitem__", "__add__",
];
const BYTES_METHODS: &[&str] = &[
    "decode", "upper", "lower", "split", "join", "startswith", "endswith", "hex", "strip", "lstrip", "rstrip", "replace", "find",
    "index", "count", "isdigit", "isalpha", "partition",
];
const LIST_METHODS: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "clear", "copy", "__len__",
    "__getitem__", "__contains__",
];
const TUPLE_METHODS: &[&str] = &["index", "count", "__len__", "__getitem__"];
const DICT_METHODS: &[&str] = &[
    "get", "keys", "values", "items", "pop", "popitem", "setdefault", "update", "clear", "copy", "move_to_end",
    "most_common", "elements", "subtract", "total", "__getitem__", "__setitem__", "__contains__", "__len__",
];
const SET_METHODS: &[&str] = &[
    "add", "remove", "discard", "pop", "clear", "copy", "union", "intersection", "difference", "symmetric_difference",
    "update", "intersection_update", "difference_update", "issubset", "issuperset", "isdisjoint", "__len__",
    "__contains__",
];
const INT_METHODS: &[&str] = &["bit_length", "conjugate", "to_bytes", "__add__", "__index__", "is_integer"];
const FLOAT_METHODS: &[&str] = &["is_integer", "conjugate", "as_integer_ratio", "hex"];
const DEQUE_METHODS: &[&str] = &[
    "append", "appendleft", "pop", "popleft", "extend", "extendleft", "rotate", "clear", "copy", "count", "index",
    "remove", "reverse", "insert", "__len__",
];
const GEN_METHODS: &[&str] = &["send", "close", "throw", "__next__", "__iter__"];
const CORO_METHODS: &[&str] = &["send", "close", "throw"];
/// An async generator's methods; the last three are the prelude's way
/// into its frame (see `crate::coroutine`).
const AGEN_METHODS: &[&str] = &["__aiter__", "__anext__", "asend", "athrow", "aclose", "_raw_send", "_raw_throw", "_in_await"];
const PROPERTY_METHODS: &[&str] = &["setter", "getter", "deleter"];
const VIEW_METHODS: &[&str] = &["__len__", "__contains__"];
const RANGE_METHODS: &[&str] = &["index", "count"];

/// The methods a builtin value has (none for other objects).
pub(crate) fn names_for(heap: &crate::heap::Heap, v: &Value) -> &'static [&'static str] {
    match v {
        Value::Str(_) => STR_METHODS,
        Value::Bytes(_) => BYTES_METHODS,
        Value::Int(_) | Value::Big(_) | Value::Bool(_) => INT_METHODS,
        Value::Float(_) => FLOAT_METHODS,
        Value::Obj(id) => match heap.get(*id) {
            Obj::List(_) => LIST_METHODS,
            Obj::Tuple(_) => TUPLE_METHODS,
            Obj::Dict(_) => DICT_METHODS,
            Obj::Set(..) => SET_METHODS,
            Obj::Deque(..) => DEQUE_METHODS,
            Obj::Generator(g) if g.coroutine => CORO_METHODS,
            Obj::Generator(g) if g.async_gen => AGEN_METHODS,
            Obj::Generator(_) => GEN_METHODS,
            Obj::Property(..) => PROPERTY_METHODS,
            Obj::DictView(..) => VIEW_METHODS,
            Obj::Range(..) => RANGE_METHODS,
            Obj::Iter(_) => &["__next__", "__iter__"],
            _ => &[],
        },
        _ => &[],
    }
}

pub fn has_method(vm: &Vm, v: &Value, name: &str) -> bool {
    has_method_in(&vm.p.heap, v, name)
}

/// [`has_method`] with only the heap: the explorer asks, without a VM,
/// whether `obj.name` is one of the built-in methods that `LoadMethod`
/// finds this way.
pub fn has_method_in(heap: &crate::heap::Heap, v: &Value, name: &str) -> bool {
    names_for(heap, v).contains(&name)
}

pub fn has_method_builtin(b: Builtin, name: &str) -> bool {
    let list: &[&str] = match b {
        Builtin::Str => STR_METHODS,
        Builtin::Bytes => BYTES_METHODS,
        Builtin::List => LIST_METHODS,
        Builtin::Tuple => TUPLE_METHODS,
        Builtin::Dict | Builtin::OrderedDict | Builtin::Counter | Builtin::DefaultDict => {
            if name == "fromkeys" {
                return true;
            }
            DICT_METHODS
        }
        Builtin::Set | Builtin::FrozenSet => SET_METHODS,
        Builtin::Int | Builtin::Bool => INT_METHODS,
        Builtin::Float => FLOAT_METHODS,
        Builtin::Deque => DEQUE_METHODS,
        _ => &[],
    };
    list.contains(&name)
}

/// `str.upper` and friends as values: bound to the class, the receiver
/// comes as the first argument.
pub fn unbound_method(vm: &mut Vm, b: Builtin, name: &str) -> Value {
    let cls = vm.class(b);
    vm.alloc(Obj::BuiltinMethod(Value::Obj(cls), Arc::from(name)))
}

fn arg<'a>(args: &'a [Value], i: usize) -> Option<&'a Value> {
    args.get(i)
}

pub fn kwarg<'a>(kwargs: &'a Kwargs, name: &str) -> Option<&'a Value> {
    kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
}

fn opt_arg(args: &[Value], kwargs: &Kwargs, i: usize, name: &str) -> Option<Value> {
    args.get(i).cloned().or_else(|| kwarg(kwargs, name).cloned())
}

fn need_str(vm: &mut Vm, v: Option<&Value>, what: &str) -> R<Arc<str>> {
    match v {
        Some(Value::Str(s)) => Ok(s.clone()),
        Some(other) => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("{what} must be str, not {t}")))
        }
        None => Err(vm.type_error(format!("{what}() takes at least 1 argument (0 given)"))),
    }
}

/// An int argument, as `operator.index` takes it (an int or a bool).
pub(crate) fn need_int(vm: &mut Vm, v: &Value) -> R<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        _ => {
            let t = ops::type_name(vm, v);
            Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")))
        }
    }
}

pub fn call_method(vm: &mut Vm, recv: &Value, name: &str, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    // Unbound builtin methods: `str.upper(s)`, `dict.fromkeys(...)`.
    if let Value::Obj(id) = recv {
        if let Obj::Class(c) = vm.p.heap.get(*id) {
            let b = c.builtin;
            if name == "fromkeys" {
                let d = vm.new_dict(PyDict::new());
                let keys = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
                let v = args.get(1).cloned().unwrap_or(Value::None);
                for k in keys {
                    ops::dict_set(vm, &d, k, v.clone())?;
                }
                if b == Some(Builtin::OrderedDict) {
                    if let Value::Obj(did) = d {
                        if let Obj::Dict(x) = vm.p.heap.get_mut(did) {
                            crate::shared::own(x).kind = DictKind::Ordered;
                        }
                    }
                }
                return Ok(d);
            }
            let Some((first, rest)) = args.split_first() else {
                return Err(vm.type_error(format!("unbound method {name}() needs an argument")));
            };
            return call_method(vm, first, name, rest, kwargs);
        }
    }
    match recv {
        Value::Str(s) => str_method(vm, s, name, args, kwargs),
        Value::Bytes(b) => bytes_method(vm, b, name, args),
        Value::Int(_) | Value::Big(_) | Value::Bool(_) => int_method(vm, recv, name, args),
        Value::Float(f) => float_method(vm, *f, name),
        Value::Obj(id) => {
            let id = *id;
            match vm.p.heap.get(id) {
                Obj::List(_) => list_method(vm, id, name, args, kwargs),
                Obj::Tuple(t) => {
                    let t = t.clone();
                    seq_common(vm, &t, name, args, "tuple")
                }
                Obj::Dict(_) => dict_method(vm, id, name, args, kwargs),
                Obj::Set(..) => set_method(vm, id, name, args),
                Obj::Deque(..) => deque_method(vm, id, name, args),
                Obj::Generator(_) => gen_method(vm, id, name, args),
                Obj::Property(fget, fset) => {
                    let (fget, fset) = (fget.clone(), fset.clone());
                    let f = args.first().cloned().unwrap_or(Value::None);
                    let p = match name {
                        "setter" => Obj::Property(fget, f),
                        "getter" => Obj::Property(f, fset),
                        _ => Obj::Property(fget, fset),
                    };
                    Ok(vm.alloc(p))
                }
                Obj::DictView(d, _) => {
                    let d = *d;
                    match name {
                        "__len__" => Ok(Value::Int(ops::len(vm, recv)? as i64)),
                        _ => Ok(Value::Bool(ops::dict_get(vm, d, args.first().unwrap_or(&Value::None))?.is_some())),
                    }
                }
                Obj::Range(..) => {
                    let items = ops::to_vec(vm, recv)?;
                    seq_common(vm, &items, name, args, "range")
                }
                Obj::Iter(_) => match name {
                    "__next__" => match crate::iter::next(vm, recv)? {
                        Some(v) => Ok(v),
                        None => Err(vm.err(Builtin::StopIteration, "")),
                    },
                    _ => Ok(recv.clone()),
                },
                _ => no_attr(vm, recv, name),
            }
        }
        _ => no_attr(vm, recv, name),
    }
}

fn no_attr(vm: &mut Vm, recv: &Value, name: &str) -> R<Value> {
    let t = ops::type_name(vm, recv);
    Err(crate::attr::no_attribute(vm, recv, name, format!("'{t}' object has no attribute '{name}'")))
}

// ----------------------------------------------------------------------
// str
// ----------------------------------------------------------------------

fn char_index_to_byte(s: &str, ci: usize) -> usize {
    s.char_indices().nth(ci).map(|(b, _)| b).unwrap_or(s.len())
}

fn byte_to_char_index(s: &str, bi: usize) -> usize {
    s[..bi].chars().count()
}

fn str_bounds(vm: &mut Vm, s: &str, args: &[Value], from: usize) -> R<(usize, usize)> {
    let n = s.chars().count() as i64;
    let norm = |x: i64| -> i64 {
        if x < 0 {
            (x + n).max(0)
        } else {
            x.min(n)
        }
    };
    let start = match args.get(from) {
        Some(Value::None) | None => 0,
        Some(v) => norm(need_int(vm, v)?),
    };
    let end = match args.get(from + 1) {
        Some(Value::None) | None => n,
        Some(v) => norm(need_int(vm, v)?),
    };
    Ok((char_index_to_byte(s, start as usize), char_index_to_byte(s, end.max(start) as usize)))
}

fn strip_set(chars: Option<&Value>) -> Option<Vec<char>> {
    match chars {
        Some(Value::Str(c)) => Some(c.chars().collect()),
        _ => None,
    }
}

fn is_py_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\x1c'..='\x1f')
}

fn title_case(s: &str) -> String {
    let mut out = String::new();
    let mut prev_cased = false;
    for c in s.chars() {
        if c.is_alphabetic() {
            if prev_cased {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            prev_cased = true;
        } else {
            out.push(c);
            prev_cased = false;
        }
    }
    out
}

pub fn split_whitespace(s: &str, maxsplit: i64) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s.trim_start_matches(is_py_space);
    while !rest.is_empty() {
        if maxsplit >= 0 && out.len() as i64 >= maxsplit {
            out.push(rest.to_string());
            return out;
        }
        match rest.find(is_py_space) {
            Some(i) => {
                out.push(rest[..i].to_string());
                rest = rest[i..].trim_start_matches(is_py_space);
            }
            None => {
                out.push(rest.to_string());
                break;
            }
        }
    }
    out
}

fn str_method(vm: &mut Vm, s: &Arc<str>, name: &str, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let s: &str = s;
    let v = |x: String| Value::from_string(x);
    Ok(match name {
        "upper" => v(s.to_uppercase()),
        "lower" | "casefold" => v(s.to_lowercase()),
        "title" => v(title_case(s)),
        "capitalize" => {
            let mut c = s.chars();
            match c.next() {
                Some(f) => v(f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase()),
                None => v(String::new()),
            }
        }
        "swapcase" => v(s
            .chars()
            .flat_map(|c| if c.is_uppercase() { c.to_lowercase().collect::<Vec<_>>() } else { c.to_uppercase().collect() })
            .collect()),
        "strip" | "lstrip" | "rstrip" => {
            let set = strip_set(arg(args, 0));
            let pred = |c: char| match &set {
                Some(cs) => cs.contains(&c),
                None => is_py_space(c),
            };
            v(match name {
                "strip" => s.trim_matches(pred).to_string(),
                "lstrip" => s.trim_start_matches(pred).to_string(),
                _ => s.trim_end_matches(pred).to_string(),
            })
        }
        "split" | "rsplit" => {
            let sep = opt_arg(args, kwargs, 0, "sep").unwrap_or(Value::None);
            let maxsplit = match opt_arg(args, kwargs, 1, "maxsplit") {
                Some(m) => need_int(vm, &m)?,
                None => -1,
            };
            let parts: Vec<String> = match sep {
                Value::None => {
                    if name == "rsplit" && maxsplit >= 0 {
                        let rev: String = s.chars().rev().collect();
                        let mut p: Vec<String> = split_whitespace(&rev, maxsplit).into_iter().map(|x| x.chars().rev().collect()).collect();
                        p.reverse();
                        p
                    } else {
                        split_whitespace(s, maxsplit)
                    }
                }
                Value::Str(sep) => {
                    if sep.is_empty() {
                        return Err(vm.value_error("empty separator"));
                    }
                    if maxsplit < 0 {
                        s.split(&*sep).map(String::from).collect()
                    } else if name == "split" {
                        s.splitn(maxsplit as usize + 1, &*sep).map(String::from).collect()
                    } else {
                        let mut p: Vec<String> = s.rsplitn(maxsplit as usize + 1, &*sep).map(String::from).collect();
                        p.reverse();
                        p
                    }
                }
                other => {
                    let t = ops::type_name(vm, &other);
                    return Err(vm.type_error(format!("must be str or None, not {t}")));
                }
            };
            let items = parts.into_iter().map(Value::from_string).collect();
            vm.new_list(items)
        }
        "splitlines" => {
            let keep = matches!(opt_arg(args, kwargs, 0, "keepends"), Some(Value::Bool(true)));
            let mut out = Vec::new();
            let mut cur = String::new();
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\n' || c == '\r' {
                    let mut end = c.to_string();
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                        end.push('\n');
                    }
                    if keep {
                        cur.push_str(&end);
                    }
                    out.push(Value::from_string(std::mem::take(&mut cur)));
                } else {
                    cur.push(c);
                }
            }
            if !cur.is_empty() {
                out.push(Value::from_string(cur));
            }
            vm.new_list(out)
        }
        "join" => {
            if let Some(it) = arg(args, 0) {
                crate::builtins::via_prelude(vm, it, "_join", vec![Value::Str(Arc::from(s)), it.clone()], vec![])?;
            }
            let items = ops::to_vec(vm, arg(args, 0).unwrap_or(&Value::None))?;
            let mut out = String::new();
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(s);
                }
                match x {
                    Value::Str(p) => out.push_str(p),
                    other => {
                        let t = ops::type_name(vm, other);
                        return Err(vm.type_error(format!("sequence item {i}: expected str instance, {t} found")));
                    }
                }
            }
            v(out)
        }
        "replace" => {
            let old = need_str(vm, arg(args, 0), "replace() argument 1")?;
            let new = need_str(vm, arg(args, 1), "replace() argument 2")?;
            match arg(args, 2) {
                Some(c) => {
                    let c = need_int(vm, c)?;
                    if c < 0 {
                        v(s.replace(&*old, &new))
                    } else {
                        v(s.replacen(&*old, &new, c as usize))
                    }
                }
                None => v(s.replace(&*old, &new)),
            }
        }
        "startswith" | "endswith" => {
            let (b0, b1) = str_bounds(vm, s, args, 1)?;
            let sub = &s[b0..b1];
            let prefixes: Vec<Value> = match arg(args, 0) {
                Some(Value::Str(p)) => vec![Value::Str(p.clone())],
                Some(t @ Value::Obj(_)) => ops::to_vec(vm, t)?,
                _ => return Err(vm.type_error(format!("{name} first arg must be str or a tuple of str"))),
            };
            let mut r = false;
            for p in prefixes {
                if let Value::Str(p) = p {
                    if (name == "startswith" && sub.starts_with(&*p)) || (name == "endswith" && sub.ends_with(&*p)) {
                        r = true;
                    }
                }
            }
            Value::Bool(r)
        }
        "find" | "rfind" | "index" | "rindex" => {
            let sub = need_str(vm, arg(args, 0), "must be str")?;
            let (b0, b1) = str_bounds(vm, s, args, 1)?;
            let hay = &s[b0..b1];
            let pos = if name.starts_with('r') { hay.rfind(&*sub) } else { hay.find(&*sub) };
            match pos {
                Some(p) => Value::Int(byte_to_char_index(s, b0 + p) as i64),
                None => {
                    if name.ends_with("index") {
                        return Err(vm.value_error("substring not found"));
                    }
                    Value::Int(-1)
                }
            }
        }
        "count" => {
            let sub = need_str(vm, arg(args, 0), "must be str")?;
            let (b0, b1) = str_bounds(vm, s, args, 1)?;
            let hay = &s[b0..b1];
            if sub.is_empty() {
                Value::Int(hay.chars().count() as i64 + 1)
            } else {
                Value::Int(hay.matches(&*sub).count() as i64)
            }
        }
        "isdigit" | "isnumeric" | "isdecimal" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_numeric())),
        "isalpha" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_alphabetic())),
        "isalnum" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_alphanumeric())),
        "isspace" => Value::Bool(!s.is_empty() && s.chars().all(is_py_space)),
        "isascii" => Value::Bool(s.is_ascii()),
        "isprintable" => Value::Bool(s.chars().all(crate::format::printable)),
        "isupper" => Value::Bool(s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_lowercase())),
        "islower" => Value::Bool(s.chars().any(|c| c.is_alphabetic()) && !s.chars().any(|c| c.is_uppercase())),
        "istitle" => Value::Bool(!s.is_empty() && title_case(s) == s && s.chars().any(|c| c.is_alphabetic())),
        "isidentifier" => Value::Bool(
            s.chars().next().map(|c| c.is_alphabetic() || c == '_').unwrap_or(false)
                && s.chars().all(|c| c.is_alphanumeric() || c == '_'),
        ),
        "zfill" => {
            let w = need_int(vm, arg(args, 0).unwrap_or(&Value::Int(0)))?.max(0) as usize;
            if w > vm.max_memory.min(100_000_000) {
                return Err(vm.err(Builtin::MemoryError, ""));
            }
            let n = s.chars().count();
            if n >= w {
                v(s.to_string())
            } else {
                let (sign, rest) = if s.starts_with('-') || s.starts_with('+') { s.split_at(1) } else { ("", s) };
                v(format!("{sign}{}{rest}", "0".repeat(w - n)))
            }
        }
        "center" | "ljust" | "rjust" => {
            let w = need_int(vm, arg(args, 0).unwrap_or(&Value::Int(0)))?.max(0) as usize;
            if w.saturating_mul(4) > vm.max_memory.min(100_000_000) {
                return Err(vm.err(Builtin::MemoryError, ""));
            }
            let fill = match arg(args, 1) {
                Some(Value::Str(f)) if f.chars().count() == 1 => f.chars().next().unwrap_or(' '),
                Some(_) => return Err(vm.type_error("The fill character must be exactly one character long")),
                None => ' ',
            };
            let n = s.chars().count();
            if n >= w {
                v(s.to_string())
            } else {
                let total = w - n;
                let (l, r) = match name {
                    "ljust" => (0, total),
                    "rjust" => (total, 0),
                    _ => {
                        // CPython's center puts the extra space on the left
                        // when the string length is odd.
                        let left = total / 2 + (total & w & 1);
                        (left, total - left)
                    }
                };
                let f = |k: usize| std::iter::repeat(fill).take(k).collect::<String>();
                v(format!("{}{s}{}", f(l), f(r)))
            }
        }
        "encode" => Value::Bytes(Arc::from(s.as_bytes().to_vec())),
        "format" => v(crate::format::str_format(vm, s, args, kwargs)?),
        "format_map" => {
            let m = arg(args, 0).cloned().unwrap_or(Value::None);
            let mut kw = Vec::new();
            if let Value::Obj(id) = &m {
                if let Obj::Dict(d) = vm.p.heap.get(*id) {
                    for e in d.d.iter() {
                        if let Value::Str(k) = &e.key {
                            kw.push((k.clone(), e.value.clone()));
                        }
                    }
                }
            }
            v(crate::format::str_format(vm, s, &[], &kw)?)
        }
        "partition" | "rpartition" => {
            let sep = need_str(vm, arg(args, 0), "must be str")?;
            let pos = if name == "partition" { s.find(&*sep) } else { s.rfind(&*sep) };
            let parts = match pos {
                Some(p) => vec![v(s[..p].to_string()), Value::Str(sep.clone()), v(s[p + sep.len()..].to_string())],
                None => {
                    if name == "partition" {
                        vec![v(s.to_string()), Value::str(""), Value::str("")]
                    } else {
                        vec![Value::str(""), Value::str(""), v(s.to_string())]
                    }
                }
            };
            vm.new_tuple(parts)
        }
        "removeprefix" => {
            let p = need_str(vm, arg(args, 0), "must be str")?;
            v(s.strip_prefix(&*p).unwrap_or(s).to_string())
        }
        "removesuffix" => {
            let p = need_str(vm, arg(args, 0), "must be str")?;
            v(s.strip_suffix(&*p).unwrap_or(s).to_string())
        }
        "expandtabs" => v(s.replace('\t', "        ")),
        "__len__" => Value::Int(s.chars().count() as i64),
        "__contains__" => Value::Bool(ops::contains(vm, &Value::str(s), arg(args, 0).unwrap_or(&Value::None))?),
        "__getitem__" => ops::getitem(vm, &Value::str(s), arg(args, 0).unwrap_or(&Value::None))?,
        "__add__" => ops::binary(vm, crate::syntax::ast::BinOp::Add, &Value::str(s), arg(args, 0).unwrap_or(&Value::None), false)?,
        _ => return no_attr(vm, &Value::str(s), name),
    })
}

// ----------------------------------------------------------------------
// bytes
// ----------------------------------------------------------------------

fn bytes_method(vm: &mut Vm, b: &Arc<[u8]>, name: &str, args: &[Value]) -> R<Value> {
    let bv = |x: Vec<u8>| Value::Bytes(Arc::from(x));
    Ok(match name {
        "decode" => match std::str::from_utf8(b) {
            Ok(s) => Value::str(s),
            Err(e) => {
                let pos = e.valid_up_to();
                let byte = b.get(pos).copied().unwrap_or(0);
                return Err(vm.err(
                    Builtin::UnicodeDecodeError,
                    format!("'utf-8' codec can't decode byte 0x{byte:02x} in position {pos}: invalid start byte"),
                ));
            }
        },
        "upper" => bv(b.to_ascii_uppercase()),
        "lower" => bv(b.to_ascii_lowercase()),
        "hex" => Value::from_string(b.iter().map(|x| format!("{x:02x}")).collect()),
        "strip" | "lstrip" | "rstrip" => {
            let s: &[u8] = b;
            let chars: Option<Arc<[u8]>> = match arg(args, 0) {
                Some(Value::Bytes(c)) => Some(c.clone()),
                _ => None,
            };
            let strip = |c: &u8| match &chars {
                Some(set) => set.contains(c),
                None => c.is_ascii_whitespace(),
            };
            let start = if name == "rstrip" { 0 } else { s.iter().position(|c| !strip(c)).unwrap_or(s.len()) };
            let end = if name == "lstrip" { s.len() } else { s.iter().rposition(|c| !strip(c)).map(|e| e + 1).unwrap_or(0) };
            bv(s[start.min(end)..end.max(start)].to_vec())
        }
        "partition" => match arg(args, 0) {
            Some(Value::Bytes(sep)) if !sep.is_empty() => {
                let at = (0..=b.len().saturating_sub(sep.len())).find(|i| b[*i..].starts_with(sep));
                let parts = match at {
                    Some(i) => vec![bv(b[..i].to_vec()), Value::Bytes(sep.clone()), bv(b[i + sep.len()..].to_vec())],
                    None => vec![bv(b.to_vec()), bv(Vec::new()), bv(Vec::new())],
                };
                vm.new_tuple(parts)
            }
            _ => return Err(vm.value_error("empty separator")),
        },
        "split" => {
            let parts: Vec<Value> = match arg(args, 0) {
                Some(Value::Bytes(sep)) if !sep.is_empty() => {
                    let mut out = Vec::new();
                    let mut cur = 0;
                    let mut i = 0;
                    while i + sep.len() <= b.len() {
                        if &b[i..i + sep.len()] == &**sep {
                            out.push(bv(b[cur..i].to_vec()));
                            i += sep.len();
                            cur = i;
                        } else {
                            i += 1;
                        }
                    }
                    out.push(bv(b[cur..].to_vec()));
                    out
                }
                _ => b.split(|c| c.is_ascii_whitespace()).filter(|p| !p.is_empty()).map(|p| bv(p.to_vec())).collect(),
            };
            vm.new_list(parts)
        }
        "join" => {
            let items = ops::to_vec(vm, arg(args, 0).unwrap_or(&Value::None))?;
            let mut out = Vec::new();
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b);
                }
                if let Value::Bytes(p) = x {
                    out.extend_from_slice(p);
                }
            }
            bv(out)
        }
        "startswith" => Value::Bool(matches!(arg(args, 0), Some(Value::Bytes(p)) if b.starts_with(p))),
        "endswith" => Value::Bool(matches!(arg(args, 0), Some(Value::Bytes(p)) if b.ends_with(p))),
        "replace" => match (arg(args, 0), arg(args, 1)) {
            (Some(Value::Bytes(old)), Some(Value::Bytes(new))) if !old.is_empty() => {
                let mut out = Vec::new();
                let mut i = 0;
                while i < b.len() {
                    if b[i..].starts_with(old) {
                        out.extend_from_slice(new);
                        i += old.len();
                    } else {
                        out.push(b[i]);
                        i += 1;
                    }
                }
                bv(out)
            }
            _ => bv(b.to_vec()),
        },
        "find" | "index" | "count" => match arg(args, 0) {
            Some(Value::Bytes(sub)) if !sub.is_empty() => {
                let positions: Vec<usize> = (0..=b.len().saturating_sub(sub.len())).filter(|i| b[*i..].starts_with(sub)).collect();
                if name == "index" && positions.is_empty() {
                    return Err(vm.value_error("subsection not found"));
                }
                if name != "count" {
                    Value::Int(positions.first().map(|p| *p as i64).unwrap_or(-1))
                } else {
                    Value::Int(positions.len() as i64)
                }
            }
            _ => Value::Int(0),
        },
        "isdigit" => Value::Bool(!b.is_empty() && b.iter().all(|c| c.is_ascii_digit())),
        "isalpha" => Value::Bool(!b.is_empty() && b.iter().all(|c| c.is_ascii_alphabetic())),
        _ => return no_attr(vm, &Value::Bytes(b.clone()), name),
    })
}

// ----------------------------------------------------------------------
// numbers
// ----------------------------------------------------------------------

fn int_method(vm: &mut Vm, v: &Value, name: &str, args: &[Value]) -> R<Value> {
    Ok(match name {
        "bit_length" => match v {
            Value::Int(i) => Value::Int(64 - i.unsigned_abs().leading_zeros() as i64),
            Value::Bool(b) => Value::Int(*b as i64),
            Value::Big(b) => Value::Int(b.bits() as i64),
            _ => Value::Int(0),
        },
        "conjugate" | "__index__" => ops::int_of(v),
        "is_integer" => Value::Bool(true),
        "__add__" => ops::binary(vm, crate::syntax::ast::BinOp::Add, v, arg(args, 0).unwrap_or(&Value::None), false)?,
        "to_bytes" => {
            let n = need_int(vm, arg(args, 0).unwrap_or(&Value::Int(1)))? as usize;
            let big = matches!(arg(args, 1), Some(Value::Str(s)) if &**s == "big");
            let i = match v {
                Value::Int(i) => *i as u64,
                _ => 0,
            };
            let mut bytes: Vec<u8> = (0..n).map(|k| ((i >> (8 * k)) & 0xff) as u8).collect();
            if big {
                bytes.reverse();
            }
            Value::Bytes(Arc::from(bytes))
        }
        _ => return no_attr(vm, v, name),
    })
}

fn float_method(vm: &mut Vm, f: f64, name: &str) -> R<Value> {
    Ok(match name {
        "is_integer" => Value::Bool(f.fract() == 0.0 && f.is_finite()),
        "conjugate" => Value::Float(f),
        "as_integer_ratio" => {
            if !f.is_finite() {
                return Err(vm.value_error("cannot convert Infinity to integer ratio"));
            }
            let mut num = f;
            let mut den: i64 = 1;
            while num.fract() != 0.0 && den < (1 << 52) {
                num *= 2.0;
                den *= 2;
            }
            let n = Value::from_big(num_bigint::BigInt::from(num as i64));
            vm.new_tuple(vec![n, Value::Int(den)])
        }
        "hex" => Value::from_string(format!("{f:e}")),
        _ => return no_attr(vm, &Value::Float(f), name),
    })
}

// ----------------------------------------------------------------------
// list / tuple
// ----------------------------------------------------------------------

fn seq_common(vm: &mut Vm, items: &[Value], name: &str, args: &[Value], what: &str) -> R<Value> {
    match name {
        "index" => {
            let x = arg(args, 0).cloned().unwrap_or(Value::None);
            let start = match arg(args, 1) {
                Some(v) => need_int(vm, v)?.max(0) as usize,
                None => 0,
            };
            for (i, y) in items.iter().enumerate().skip(start) {
                if ops::eq(vm, y, &x)? {
                    return Ok(Value::Int(i as i64));
                }
            }
            if what == "list" {
                let r = crate::format::repr(vm, &x)?;
                return Err(vm.value_error(format!("{r} is not in list")));
            }
            Err(vm.value_error(format!("{what}.index(x): x not in {what}")))
        }
        "count" => {
            let x = arg(args, 0).cloned().unwrap_or(Value::None);
            let mut n = 0;
            for y in items {
                if ops::eq(vm, y, &x)? {
                    n += 1;
                }
            }
            Ok(Value::Int(n))
        }
        "__len__" => Ok(Value::Int(items.len() as i64)),
        "__getitem__" => {
            let t = vm.new_tuple(items.to_vec());
            ops::getitem(vm, &t, arg(args, 0).unwrap_or(&Value::None))
        }
        "__contains__" => {
            let x = arg(args, 0).cloned().unwrap_or(Value::None);
            for y in items {
                if ops::eq(vm, y, &x)? {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        _ => {
            let t = vm.new_tuple(vec![]);
            no_attr(vm, &t, name)
        }
    }
}

/// A stable sort with an optional key function and `reverse`, as
/// `sorted()` and `list.sort()` do.
pub fn sort_values(vm: &mut Vm, items: Vec<Value>, key: Option<Value>, reverse: bool) -> R<Vec<Value>> {
    let keys = match &key {
        Some(k) if !k.is_none() => {
            let mut ks = Vec::with_capacity(items.len());
            for x in &items {
                ks.push(vm.call_sync(k.clone(), vec![x.clone()], vec![])?);
            }
            ks
        }
        _ => items.clone(),
    };
    let mut idx: Vec<usize> = (0..items.len()).collect();
    let mut err: Option<Flow> = None;
    idx.sort_by(|&a, &b| {
        if err.is_some() {
            return Ordering::Equal;
        }
        let (x, y) = if reverse { (&keys[b], &keys[a]) } else { (&keys[a], &keys[b]) };
        match ops::less(vm, x, y) {
            Ok(true) => Ordering::Less,
            Ok(false) => match ops::less(vm, y, x) {
                Ok(true) => Ordering::Greater,
                Ok(false) => Ordering::Equal,
                Err(e) => {
                    err = Some(e);
                    Ordering::Equal
                }
            },
            Err(e) => {
                err = Some(e);
                Ordering::Equal
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    Ok(idx.into_iter().map(|i| items[i].clone()).collect())
}

fn list_items(vm: &Vm, id: u32) -> Vec<Value> {
    match vm.p.heap.get(id) {
        Obj::List(l) => l.clone(),
        _ => vec![],
    }
}

fn with_list<T>(vm: &mut Vm, id: u32, f: impl FnOnce(&mut Vec<Value>) -> T) -> Option<T> {
    match vm.p.heap.get_mut(id) {
        Obj::List(l) => Some(f(l)),
        _ => None,
    }
}

fn list_method(vm: &mut Vm, id: u32, name: &str, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    match name {
        "append" => {
            let x = arg(args, 0).cloned().unwrap_or(Value::None);
            if args.len() != 1 {
                return Err(vm.type_error(format!("list.append() takes exactly one argument ({} given)", args.len())));
            }
            with_list(vm, id, |l| l.push(x));
            Ok(Value::None)
        }
        "extend" => {
            let items = ops::to_vec(vm, arg(args, 0).unwrap_or(&Value::None))?;
            with_list(vm, id, |l| l.extend(items));
            Ok(Value::None)
        }
        "insert" => {
            let i = need_int(vm, arg(args, 0).unwrap_or(&Value::Int(0)))?;
            let x = arg(args, 1).cloned().unwrap_or(Value::None);
            with_list(vm, id, |l| {
                let n = l.len() as i64;
                let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
                l.insert(j as usize, x);
            });
            Ok(Value::None)
        }
        "pop" => {
            let n = list_items(vm, id).len();
            if n == 0 {
                return Err(vm.err(Builtin::IndexError, "pop from empty list"));
            }
            let i = match arg(args, 0) {
                Some(v) => {
                    let i = need_int(vm, v)?;
                    let j = if i < 0 { i + n as i64 } else { i };
                    if j < 0 || j >= n as i64 {
                        return Err(vm.err(Builtin::IndexError, "pop index out of range"));
                    }
                    j as usize
                }
                None => n - 1,
            };
            Ok(with_list(vm, id, |l| l.remove(i)).unwrap_or(Value::None))
        }
        "remove" => {
            let x = arg(args, 0).cloned().unwrap_or(Value::None);
            let items = list_items(vm, id);
            for (i, y) in items.iter().enumerate() {
                if ops::eq(vm, y, &x)? {
                    with_list(vm, id, |l| {
                        if i < l.len() {
                            l.remove(i);
                        }
                    });
                    return Ok(Value::None);
                }
            }
            Err(vm.value_error("list.remove(x): x not in list"))
        }
        "sort" => {
            let key = kwarg(kwargs, "key").cloned();
            let reverse = match kwarg(kwargs, "reverse") {
                Some(r) => ops::truthy(vm, r)?,
                None => false,
            };
            let items = list_items(vm, id);
            let sorted = sort_values(vm, items, key, reverse)?;
            with_list(vm, id, |l| *l = sorted);
            Ok(Value::None)
        }
        "reverse" => {
            with_list(vm, id, |l| l.reverse());
            Ok(Value::None)
        }
        "clear" => {
            with_list(vm, id, |l| l.clear());
            Ok(Value::None)
        }
        "copy" => {
            let items = list_items(vm, id);
            Ok(vm.new_list(items))
        }
        _ => {
            let items = list_items(vm, id);
            seq_common(vm, &items, name, args, "list")
        }
    }
}

// ----------------------------------------------------------------------
// dict and friends
// ----------------------------------------------------------------------

fn dict_method(vm: &mut Vm, id: u32, name: &str, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let d = Value::Obj(id);
    let kind = match vm.p.heap.get(id) {
        Obj::Dict(x) => x.kind,
        _ => DictKind::Dict,
    };
    match name {
        "get" => {
            let k = arg(args, 0).cloned().unwrap_or(Value::None);
            Ok(ops::dict_get(vm, id, &k)?.unwrap_or_else(|| arg(args, 1).cloned().unwrap_or(Value::None)))
        }
        "__getitem__" => ops::getitem(vm, &d, arg(args, 0).unwrap_or(&Value::None)),
        "__setitem__" => {
            ops::dict_set(vm, &d, arg(args, 0).cloned().unwrap_or(Value::None), arg(args, 1).cloned().unwrap_or(Value::None))?;
            Ok(Value::None)
        }
        "__contains__" => Ok(Value::Bool(ops::dict_get(vm, id, arg(args, 0).unwrap_or(&Value::None))?.is_some())),
        "__len__" => Ok(Value::Int(ops::len(vm, &d)? as i64)),
        "keys" => Ok(vm.alloc(Obj::DictView(id, ViewKind::Keys))),
        "values" => Ok(vm.alloc(Obj::DictView(id, ViewKind::Values))),
        "items" => Ok(vm.alloc(Obj::DictView(id, ViewKind::Items))),
        "pop" => {
            let k = arg(args, 0).cloned().unwrap_or(Value::None);
            match ops::dict_del(vm, id, &k)? {
                Some(v) => Ok(v),
                None => match arg(args, 1) {
                    Some(def) => Ok(def.clone()),
                    None => {
                        let e = vm.exc_with_args(vm.class(Builtin::KeyError), vec![k]);
                        Err(Flow::Raise(e))
                    }
                },
            }
        }
        "popitem" => {
            let last = match opt_arg(args, kwargs, 0, "last") {
                Some(v) => ops::truthy(vm, &v)?,
                None => true,
            };
            let e = match vm.p.heap.get_mut(id) {
                Obj::Dict(x) => {
                    let x = crate::shared::own(x);
                    if last {
                        x.d.pop_last()
                    } else {
                        match x.d.first_pos() {
                            Some(p) => x.d.remove_at(p),
                            None => None,
                        }
                    }
                }
                _ => None,
            };
            match e {
                Some(e) => Ok(vm.new_tuple(vec![e.key, e.value])),
                None => {
                    let msg = if kind == DictKind::Ordered { "dictionary is empty" } else { "popitem(): dictionary is empty" };
                    Err(vm.err(Builtin::KeyError, msg))
                }
            }
        }
        "setdefault" => {
            let k = arg(args, 0).cloned().unwrap_or(Value::None);
            if let Some(v) = ops::dict_get(vm, id, &k)? {
                return Ok(v);
            }
            let v = arg(args, 1).cloned().unwrap_or(Value::None);
            ops::dict_set(vm, &d, k, v.clone())?;
            Ok(v)
        }
        "update" => {
            if kind == DictKind::Counter {
                return crate::modules::collections::counter_update(vm, id, args, kwargs, 1);
            }
            if let Some(o) = arg(args, 0) {
                ops::dict_update(vm, &d, o)?;
            }
            for (k, v) in kwargs {
                ops::dict_set(vm, &d, Value::Str(k.clone()), v.clone())?;
            }
            Ok(Value::None)
        }
        "subtract" => crate::modules::collections::counter_update(vm, id, args, kwargs, -1),
        "clear" => {
            if let Obj::Dict(x) = vm.p.heap.get_mut(id) {
                crate::shared::own(x).d.clear();
            }
            Ok(Value::None)
        }
        "copy" => {
            let x = match vm.p.heap.get(id) {
                Obj::Dict(x) => (**x).clone(),
                _ => return Ok(Value::None),
            };
            Ok(vm.alloc(Obj::Dict(Arc::new(x))))
        }
        "move_to_end" => {
            let k = arg(args, 0).cloned().unwrap_or(Value::None);
            let last = match opt_arg(args, kwargs, 1, "last") {
                Some(v) => ops::truthy(vm, &v)?,
                None => true,
            };
            let h = ops::hash_value(vm, &k)?;
            let heap = &vm.p.heap;
            let pos = match heap.get(id) {
                Obj::Dict(x) => x.d.find(h, |kk| ops::key_eq(heap, kk, &k)),
                _ => None,
            };
            match pos {
                Some(p) => {
                    if let Obj::Dict(x) = vm.p.heap.get_mut(id) {
                        let x = crate::shared::own(x);
                        if last {
                            x.d.move_to_end(p);
                        } else {
                            x.d.move_to_front(p);
                        }
                    }
                    Ok(Value::None)
                }
                None => {
                    let e = vm.exc_with_args(vm.class(Builtin::KeyError), vec![k]);
                    Err(Flow::Raise(e))
                }
            }
        }
        "most_common" => crate::modules::collections::most_common(vm, id, arg(args, 0)),
        "elements" => {
            let items = match vm.p.heap.get(id) {
                Obj::Dict(x) => x.d.items(),
                _ => vec![],
            };
            let mut out = Vec::new();
            for (k, v) in items {
                if let Value::Int(n) = v {
                    for _ in 0..n.max(0) {
                        out.push(k.clone());
                    }
                }
            }
            let l = vm.new_list(out);
            crate::iter::get_iter(vm, &l)
        }
        "total" => {
            let vals = match vm.p.heap.get(id) {
                Obj::Dict(x) => x.d.values(),
                _ => vec![],
            };
            let mut t = Value::Int(0);
            for v in vals {
                t = ops::binary(vm, crate::syntax::ast::BinOp::Add, &t, &v, false)?;
            }
            Ok(t)
        }
        _ => no_attr(vm, &d, name),
    }
}

// ----------------------------------------------------------------------
// set
// ----------------------------------------------------------------------

fn set_method(vm: &mut Vm, id: u32, name: &str, args: &[Value]) -> R<Value> {
    let s = Value::Obj(id);
    let frozen = matches!(vm.p.heap.get(id), Obj::Set(_, true));
    let keys = |vm: &Vm| match vm.p.heap.get(id) {
        Obj::Set(x, _) => x.keys(),
        _ => vec![],
    };
    use crate::syntax::ast::BinOp;
    let others = |vm: &mut Vm| -> R<Vec<Value>> {
        let mut out = Vec::new();
        for a in args {
            let items = ops::to_vec(vm, a)?;
            out.push(ops::new_set(vm, items, false)?);
        }
        Ok(out)
    };
    match name {
        "add" => {
            ops::set_add(vm, &s, arg(args, 0).cloned().unwrap_or(Value::None))?;
            Ok(Value::None)
        }
        "remove" | "discard" => {
            let k = arg(args, 0).cloned().unwrap_or(Value::None);
            if ops::dict_del(vm, id, &k)?.is_none() && name == "remove" {
                let e = vm.exc_with_args(vm.class(Builtin::KeyError), vec![k]);
                return Err(Flow::Raise(e));
            }
            Ok(Value::None)
        }
        "pop" => {
            let e = match vm.p.heap.get_mut(id) {
                Obj::Set(x, _) => match x.first_pos() {
                    Some(p) => x.remove_at(p),
                    None => None,
                },
                _ => None,
            };
            match e {
                Some(e) => Ok(e.key),
                None => Err(vm.err(Builtin::KeyError, "pop from an empty set")),
            }
        }
        "clear" => {
            if let Obj::Set(x, _) = vm.p.heap.get_mut(id) {
                x.clear();
            }
            Ok(Value::None)
        }
        "copy" => {
            let k = keys(vm);
            ops::new_set(vm, k, frozen)
        }
        "union" | "intersection" | "difference" | "symmetric_difference" => {
            let op = match name {
                "union" => BinOp::BitOr,
                "intersection" => BinOp::BitAnd,
                "difference" => BinOp::Sub,
                _ => BinOp::BitXor,
            };
            let mut acc = {
                let k = keys(vm);
                ops::new_set(vm, k, frozen)?
            };
            for o in others(vm)? {
                acc = ops::binary(vm, op, &acc, &o, false)?;
            }
            Ok(acc)
        }
        "update" | "intersection_update" | "difference_update" => {
            let op = match name {
                "update" => BinOp::BitOr,
                "intersection_update" => BinOp::BitAnd,
                _ => BinOp::Sub,
            };
            for o in others(vm)? {
                ops::binary(vm, op, &s, &o, true)?;
            }
            Ok(Value::None)
        }
        "issubset" | "issuperset" | "isdisjoint" => {
            let o = others(vm)?.into_iter().next().unwrap_or(Value::None);
            Ok(match name {
                "issubset" => ops::compare(vm, crate::syntax::ast::CmpOp::LtE, &s, &o)?,
                "issuperset" => ops::compare(vm, crate::syntax::ast::CmpOp::GtE, &s, &o)?,
                _ => {
                    let i = ops::binary(vm, BinOp::BitAnd, &s, &o, false)?;
                    Value::Bool(ops::len(vm, &i)? == 0)
                }
            })
        }
        "__len__" => Ok(Value::Int(ops::len(vm, &s)? as i64)),
        "__contains__" => Ok(Value::Bool(ops::set_contains(vm, id, arg(args, 0).unwrap_or(&Value::None))?)),
        _ => no_attr(vm, &s, name),
    }
}

// ----------------------------------------------------------------------
// deque
// ----------------------------------------------------------------------

fn with_deque<T>(vm: &mut Vm, id: u32, f: impl FnOnce(&mut VecDeque<Value>, Option<usize>) -> T) -> Option<T> {
    match vm.p.heap.get_mut(id) {
        Obj::Deque(d, m) => Some(f(d, *m)),
        _ => None,
    }
}

fn deque_method(vm: &mut Vm, id: u32, name: &str, args: &[Value]) -> R<Value> {
    let x = arg(args, 0).cloned().unwrap_or(Value::None);
    match name {
        "append" => {
            with_deque(vm, id, |d, m| {
                d.push_back(x);
                if let Some(m) = m {
                    while d.len() > m {
                        d.pop_front();
                    }
                }
            });
            Ok(Value::None)
        }
        "appendleft" => {
            with_deque(vm, id, |d, m| {
                d.push_front(x);
                if let Some(m) = m {
                    while d.len() > m {
                        d.pop_back();
                    }
                }
            });
            Ok(Value::None)
        }
        "pop" | "popleft" => {
            let r = with_deque(vm, id, |d, _| if name == "pop" { d.pop_back() } else { d.pop_front() }).flatten();
            match r {
                Some(v) => Ok(v),
                None => Err(vm.err(Builtin::IndexError, format!("{} from an empty deque", if name == "pop" { "pop" } else { "pop" }))),
            }
        }
        "extend" | "extendleft" => {
            let items = ops::to_vec(vm, &x)?;
            with_deque(vm, id, |d, m| {
                for it in items {
                    if name == "extend" {
                        d.push_back(it);
                        if let Some(m) = m {
                            while d.len() > m {
                                d.pop_front();
                            }
                        }
                    } else {
                        d.push_front(it);
                        if let Some(m) = m {
                            while d.len() > m {
                                d.pop_back();
                            }
                        }
                    }
                }
            });
            Ok(Value::None)
        }
        "rotate" => {
            let n = match arg(args, 0) {
                Some(v) => need_int(vm, v)?,
                None => 1,
            };
            with_deque(vm, id, |d, _| {
                let len = d.len() as i64;
                if len > 0 {
                    let k = n.rem_euclid(len) as usize;
                    d.rotate_right(k);
                }
            });
            Ok(Value::None)
        }
        "clear" => {
            with_deque(vm, id, |d, _| d.clear());
            Ok(Value::None)
        }
        "reverse" => {
            with_deque(vm, id, |d, _| {
                let v: Vec<Value> = d.drain(..).rev().collect();
                d.extend(v);
            });
            Ok(Value::None)
        }
        "copy" => {
            let (d, m) = match vm.p.heap.get(id) {
                Obj::Deque(d, m) => (d.clone(), *m),
                _ => (VecDeque::new(), None),
            };
            Ok(vm.alloc(Obj::Deque(d, m)))
        }
        "insert" => {
            let i = need_int(vm, &x)?;
            let v = arg(args, 1).cloned().unwrap_or(Value::None);
            with_deque(vm, id, |d, _| {
                let n = d.len() as i64;
                let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
                d.insert(j as usize, v);
            });
            Ok(Value::None)
        }
        "remove" => {
            let items: Vec<Value> = match vm.p.heap.get(id) {
                Obj::Deque(d, _) => d.iter().cloned().collect(),
                _ => vec![],
            };
            for (i, y) in items.iter().enumerate() {
                if ops::eq(vm, y, &x)? {
                    with_deque(vm, id, |d, _| d.remove(i));
                    return Ok(Value::None);
                }
            }
            { let r = crate::format::repr(vm, &x)?; Err(vm.value_error(format!("{r} is not in deque"))) }
        }
        _ => {
            let items: Vec<Value> = match vm.p.heap.get(id) {
                Obj::Deque(d, _) => d.iter().cloned().collect(),
                _ => vec![],
            };
            seq_common(vm, &items, name, args, "deque")
        }
    }
}

// ----------------------------------------------------------------------
// generators
// ----------------------------------------------------------------------

fn gen_method(vm: &mut Vm, id: u32, name: &str, args: &[Value]) -> R<Value> {
    let (coroutine, async_gen) = match vm.p.heap.get(id) {
        Obj::Generator(g) => (g.coroutine, g.async_gen),
        _ => (false, false),
    };
    if async_gen {
        return crate::coroutine::async_gen_method(vm, id, name, args);
    }
    match name {
        "__next__" | "__iter__" if coroutine => no_attr(vm, &Value::Obj(id), name),
        "send" => Err(Flow::Resume { gen: id, send: arg(args, 0).cloned().unwrap_or(Value::None), default: None }),
        "__next__" => Err(Flow::Resume { gen: id, send: Value::None, default: None }),
        "__iter__" => Ok(Value::Obj(id)),
        "close" => {
            vm.close_generator(id)?;
            if let Obj::Generator(g) = vm.p.heap.get_mut(id) {
                g.frame = None;
            }
            Ok(Value::None)
        }
        "throw" => {
            // throw(exc), or throw(type[, value[, traceback]]) as contextlib
            // calls it: an instance as it is, a class called with the
            // value (unless the value is already an instance of it).
            let typ = arg(args, 0).cloned().unwrap_or(Value::None);
            let val = arg(args, 1).cloned().unwrap_or(Value::None);
            let e = match &typ {
                Value::Obj(c) if matches!(vm.p.heap.get(*c), Obj::Class(_)) => {
                    let is_instance = matches!(&val, Value::Obj(_)) && crate::ops::isinstance(vm, &val, *c);
                    if is_instance {
                        val
                    } else if val.is_none() {
                        vm.call_sync(typ.clone(), vec![], vec![])?
                    } else {
                        vm.call_sync(typ.clone(), vec![val], vec![])?
                    }
                }
                _ => typ,
            };
            vm.throw_generator(id, e)
        }
        _ => no_attr(vm, &Value::Obj(id), name),
    }
}
