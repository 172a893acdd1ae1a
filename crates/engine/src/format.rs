//! Turning values into text exactly as CPython 3.11 does: `repr()`,
//! `str()`, the format-spec mini-language (`f"{x:>10.2f}"`, `format()`,
//! `str.format`) and printf-style `%` formatting.
//!
//! Float `repr` is the shortest string that round-trips (Rust's formatter
//! computes those digits too; only the layout differs: Python switches to
//! exponent notation below 1e-4 and from 1e16 on, writes `1e+16`, and always
//! shows a `.0` on integral values).

use num_traits::ToPrimitive;

use crate::kernel::SyncObj;
use crate::object::*;
use crate::types::Builtin;
use crate::value::{ObjId, Value};
use crate::vm::{Vm, R};

/// A stable fake address for `id()` and default reprs.
pub fn addr(id: ObjId) -> u64 {
    0x7f3a_1c00_0000 + (id as u64) * 0x30
}

pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let e = format!("{:e}", f);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = (exp + 1) as usize;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.push_str(&"0".repeat(int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    }
    out
}

/// Whether `repr()` shows `c` as it is (CPython's `str.isprintable()`):
/// not a control, format, private-use or separator character other than
/// the ASCII space, nor a noncharacter. (CPython also escapes code points
/// unassigned in its Unicode database, which this does not know.)
pub fn printable(c: char) -> bool {
    let n = c as u32;
    !matches!(n,
        0x00..=0x1f | 0x7f..=0xa0 | 0xad
        // Separators: spaces other than ' ', and the line and paragraph
        // separators.
        | 0x1680 | 0x2000..=0x200a | 0x2028 | 0x2029 | 0x202f | 0x205f | 0x3000
        // Format characters.
        | 0x0600..=0x0605 | 0x061c | 0x06dd | 0x070f | 0x0890 | 0x0891 | 0x08e2 | 0x180e
        | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff | 0xfff9..=0xfffb
        | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3 | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f
        // Private use.
        | 0xe000..=0xf8ff | 0xf0000..=0xffffd | 0x100000..=0x10fffd
        // Noncharacters.
        | 0xfdd0..=0xfdef)
        && n & 0xfffe != 0xfffe
}

pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !printable(c) => {
                let n = c as u32;
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::from("b");
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{:02x}", c)),
        }
    }
    out.push(quote);
    out
}

pub fn ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let n = c as u32;
        if n < 0x80 {
            out.push(c);
        } else if n < 0x100 {
            out.push_str(&format!("\\x{:02x}", n));
        } else if n < 0x10000 {
            out.push_str(&format!("\\u{:04x}", n));
        } else {
            out.push_str(&format!("\\U{:08x}", n));
        }
    }
    out
}

pub fn repr(vm: &mut Vm, v: &Value) -> R<String> {
    let mut seen = Vec::new();
    repr_in(vm, v, &mut seen)
}

fn join_reprs(vm: &mut Vm, items: &[Value], seen: &mut Vec<ObjId>) -> R<String> {
    let mut parts = Vec::with_capacity(items.len());
    for x in items {
        parts.push(repr_in(vm, x, seen)?);
    }
    Ok(parts.join(", "))
}

fn thread_repr(vm: &Vm, t: &ThreadObj) -> String {
    let cls = if t.tid == Some(0) { "_MainThread" } else { "Thread" };
    let _ = vm;
    let status = match t.tid {
        None => "initial".to_string(),
        Some(tid) => {
            let finished = vm.p.threads.iter().find(|x| x.tid == tid).map(|x| x.is_finished()).unwrap_or(true);
            let daemon = if t.daemon { " daemon" } else { "" };
            if finished {
                format!("stopped{daemon} {}", crate::modules::threading::ident_of(tid))
            } else {
                format!("started{daemon} {}", crate::modules::threading::ident_of(tid))
            }
        }
    };
    format!("<{cls}({}, {status})>", t.name)
}

fn repr_in(vm: &mut Vm, v: &Value, seen: &mut Vec<ObjId>) -> R<String> {
    if let Value::Obj(_) = v {
        vm.check_stack()?;
    }
    Ok(match v {
        Value::Undef => "<NULL>".into(),
        Value::None => "None".into(),
        Value::Ellipsis => "Ellipsis".into(),
        Value::NotImplemented => "NotImplemented".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Int(i) => i.to_string(),
        Value::Big(b) => b.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => str_repr(s),
        Value::Bytes(b) => bytes_repr(b),
        Value::Obj(id) => {
            let id = *id;
            if seen.contains(&id) {
                return Ok(match vm.p.heap.get(id) {
                    Obj::List(_) => "[...]".into(),
                    Obj::Dict(_) => "{...}".into(),
                    Obj::Tuple(_) => "(...)".into(),
                    Obj::Set(..) => "set(...)".into(),
                    _ => "...".into(),
                });
            }
            match vm.p.heap.get(id) {
                Obj::List(l) => {
                    let l = l.clone();
                    seen.push(id);
                    let s = format!("[{}]", join_reprs(vm, &l, seen)?);
                    seen.pop();
                    s
                }
                Obj::Tuple(l) => {
                    let l = l.clone();
                    seen.push(id);
                    let inner = join_reprs(vm, &l, seen)?;
                    seen.pop();
                    if l.len() == 1 {
                        format!("({inner},)")
                    } else {
                        format!("({inner})")
                    }
                }
                Obj::Dict(d) => {
                    let items = d.d.items();
                    let kind = d.kind;
                    let factory = d.default_factory.clone();
                    seen.push(id);
                    let mut parts = Vec::new();
                    let mut items = items;
                    if kind == DictKind::Counter {
                        // Counter shows most common first (stable).
                        let mut keyed = Vec::new();
                        for (k, v) in items {
                            keyed.push((crate::ops::to_f64(&v).unwrap_or(0.0), k, v));
                        }
                        keyed.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
                        items = keyed.into_iter().map(|(_, k, v)| (k, v)).collect();
                    }
                    if kind == DictKind::Ordered {
                        for (k, v) in &items {
                            let t = vm.new_tuple(vec![k.clone(), v.clone()]);
                            parts.push(repr_in(vm, &t, seen)?);
                        }
                    } else {
                        for (k, v) in &items {
                            let ks = repr_in(vm, k, seen)?;
                            let vs = repr_in(vm, v, seen)?;
                            parts.push(format!("{ks}: {vs}"));
                        }
                    }
                    seen.pop();
                    let body = parts.join(", ");
                    match kind {
                        DictKind::Dict => format!("{{{body}}}"),
                        DictKind::Default => {
                            let f = repr_in(vm, &factory, seen)?;
                            format!("defaultdict({f}, {{{body}}})")
                        }
                        DictKind::Counter => {
                            if parts.is_empty() {
                                "Counter()".into()
                            } else {
                                format!("Counter({{{body}}})")
                            }
                        }
                        DictKind::Ordered => {
                            if parts.is_empty() {
                                "OrderedDict()".into()
                            } else {
                                format!("OrderedDict([{body}])")
                            }
                        }
                    }
                }
                Obj::Set(s, frozen) => {
                    let keys = s.set_order_keys();
                    let frozen = *frozen;
                    seen.push(id);
                    let body = join_reprs(vm, &keys, seen)?;
                    seen.pop();
                    match (frozen, keys.is_empty()) {
                        (false, true) => "set()".into(),
                        (false, false) => format!("{{{body}}}"),
                        (true, true) => "frozenset()".into(),
                        (true, false) => format!("frozenset({{{body}}})"),
                    }
                }
                Obj::DictView(d, k) => {
                    let (d, k) = (*d, *k);
                    let items: Vec<Value> = match vm.p.heap.get(d) {
                        Obj::Dict(x) => match k {
                            ViewKind::Keys => x.d.keys(),
                            ViewKind::Values => x.d.values(),
                            ViewKind::Items => Vec::new(),
                        },
                        _ => vec![],
                    };
                    let items = if k == ViewKind::Items {
                        let pairs = match vm.p.heap.get(d) {
                            Obj::Dict(x) => x.d.items(),
                            _ => vec![],
                        };
                        pairs.into_iter().map(|(a, b)| vm.new_tuple(vec![a, b])).collect()
                    } else {
                        items
                    };
                    let name = match k {
                        ViewKind::Keys => "dict_keys",
                        ViewKind::Values => "dict_values",
                        ViewKind::Items => "dict_items",
                    };
                    format!("{name}([{}])", join_reprs(vm, &items, seen)?)
                }
                Obj::Deque(d, m) => {
                    let items: Vec<Value> = d.iter().cloned().collect();
                    let m = *m;
                    seen.push(id);
                    let body = join_reprs(vm, &items, seen)?;
                    seen.pop();
                    match m {
                        Some(m) => format!("deque([{body}], maxlen={m})"),
                        None => format!("deque([{body}])"),
                    }
                }
                Obj::Function(f) => format!("<function {} at {:#x}>", f.qualname, addr(id)),
                Obj::Native(n) => format!("<built-in function {}>", n.name),
                Obj::BuiltinMethod(recv, name) => {
                    let (recv, name) = (recv.clone(), name.clone());
                    let t = crate::ops::type_name(vm, &recv);
                    format!("<built-in method {name} of {t} object at {:#x}>", recv.as_obj().map(addr).unwrap_or(0))
                }
                Obj::BoundMethod(f, s) => {
                    let (f, s) = (f.clone(), s.clone());
                    let fname = match &f {
                        Value::Obj(fid) => match vm.p.heap.get(*fid) {
                            Obj::Function(f) => f.qualname.to_string(),
                            Obj::Native(n) => n.name.to_string(),
                            _ => "?".into(),
                        },
                        _ => "?".into(),
                    };
                    let sr = repr_in(vm, &s, seen)?;
                    format!("<bound method {fname} of {sr}>")
                }
                Obj::Class(c) => {
                    let module = c.dict.get_str("__module__").and_then(|m| match m {
                        Value::Str(s) => Some(s.to_string()),
                        _ => None,
                    });
                    let module = module.unwrap_or_else(|| c.module.to_string());
                    if module == "builtins" {
                        format!("<class '{}'>", c.qualname)
                    } else {
                        format!("<class '{module}.{}'>", c.qualname)
                    }
                }
                Obj::Module(m) => format!("<module '{}' (built-in)>", m.name),
                Obj::Cell(_) => format!("<cell at {:#x}>", addr(id)),
                Obj::Generator(g) => format!("<{} object {} at {:#x}>", if g.coroutine { "coroutine" } else if g.async_gen { "async_generator" } else { "generator" }, g.qualname, addr(id)),
                Obj::Iter(_) => {
                    let t = crate::ops::type_name(vm, v);
                    format!("<{t} object at {:#x}>", addr(id))
                }
                Obj::Range(a, b, c) => {
                    if *c == 1 {
                        format!("range({a}, {b})")
                    } else {
                        format!("range({a}, {b}, {c})")
                    }
                }
                Obj::Slice(a, b, c) => {
                    let (a, b, c) = (a.clone(), b.clone(), c.clone());
                    format!("slice({}, {}, {})", repr_in(vm, &a, seen)?, repr_in(vm, &b, seen)?, repr_in(vm, &c, seen)?)
                }
                Obj::Property(..) => format!("<property object at {:#x}>", addr(id)),
                Obj::StaticMethod(_) => format!("<staticmethod object at {:#x}>", addr(id)),
                Obj::ClassMethod(_) => format!("<classmethod object at {:#x}>", addr(id)),
                Obj::Super(..) => "<super object>".into(),
                Obj::Partial(f, a, k) => {
                    let (f, a, k) = (f.clone(), a.clone(), k.clone());
                    let mut parts = vec![repr_in(vm, &f, seen)?];
                    for x in &a {
                        parts.push(repr_in(vm, x, seen)?);
                    }
                    for (n, x) in &k {
                        parts.push(format!("{n}={}", repr_in(vm, x, seen)?));
                    }
                    format!("functools.partial({})", parts.join(", "))
                }
                Obj::Free => "<freed>".into(),
                Obj::Instance(inst) => {
                    let cls = inst.class;
                    if let Some(f) = crate::attr::lookup_class(vm, cls, "__repr__") {
                        let r = vm.call_sync(f, vec![v.clone()], vec![])?;
                        return match r {
                            Value::Str(s) => Ok(s.to_string()),
                            other => {
                                let t = crate::ops::type_name(vm, &other);
                                Err(vm.type_error(format!("__repr__ returned non-string (type {t})")))
                            }
                        };
                    }
                    instance_default_repr(vm, id, seen)?
                }
            }
        }
    })
}

fn instance_default_repr(vm: &mut Vm, id: ObjId, seen: &mut Vec<ObjId>) -> R<String> {
    let Obj::Instance(inst) = vm.p.heap.get(id) else { return Ok(String::new()) };
    let cls = inst.class;
    let cname = crate::ops::class_name_of(vm, cls);
    match &inst.payload {
        Payload::Exc(e) => {
            let args = e.args.clone();
            let body = join_reprs(vm, &args, seen)?;
            return Ok(format!("{cname}({body})"));
        }
        Payload::Thread(t) => {
            let mut s = thread_repr(vm, t);
            if cname != "Thread" {
                s = s.replacen("<Thread(", &format!("<{cname}("), 1);
            }
            return Ok(s);
        }
        Payload::Sync(sid) => {
            let sid = *sid;
            if let Some(entry) = vm.p.sync.get(sid as usize) {
                let a = addr(id);
                return Ok(match &entry.obj {
                    SyncObj::Lock { owner } => {
                        let st = if owner.is_some() { "locked" } else { "unlocked" };
                        format!("<{st} _thread.lock object at {a:#x}>")
                    }
                    SyncObj::RLock { owner, count } => {
                        let st = if owner.is_some() { "locked" } else { "unlocked" };
                        let o = owner.map(crate::modules::threading::ident_of).unwrap_or(0);
                        format!("<{st} _thread.RLock object owner={o} count={count} at {a:#x}>")
                    }
                    SyncObj::Semaphore { value, .. } => {
                        format!("<threading.{cname} at {a:#x}: value={value}>")
                    }
                    SyncObj::Event { flag } => {
                        let st = if *flag { "set" } else { "unset" };
                        format!("<threading.Event at {a:#x}: {st}>")
                    }
                    SyncObj::Condition { lock, waiters, .. } => {
                        let (lock, n) = (*lock, waiters.len());
                        let lr = repr_in(vm, &Value::Obj(lock), seen)?;
                        format!("<Condition({lr}, {n})>")
                    }
                    SyncObj::Barrier { parties, waiting, .. } => {
                        format!("<threading.Barrier at {a:#x}: waiters={}/{parties}>", waiting.len())
                    }
                    SyncObj::Queue { .. } => {
                        let module = if cname == "SimpleQueue" { "_queue" } else { "queue" };
                        format!("<{module}.{cname} object at {a:#x}>")
                    }
                });
            }
        }
        Payload::None => {}
    }
    let module = match vm.p.heap.get(cls) {
        Obj::Class(c) => match c.dict.get_str("__module__") {
            Some(Value::Str(s)) => s.to_string(),
            _ => c.module.to_string(),
        },
        _ => "__main__".into(),
    };
    let qual = match vm.p.heap.get(cls) {
        Obj::Class(c) => c.qualname.to_string(),
        _ => cname,
    };
    Ok(format!("<{module}.{qual} object at {:#x}>", addr(id)))
}

/// `str(v)`.
pub fn to_str(vm: &mut Vm, v: &Value) -> R<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Obj(id) => {
            let id = *id;
            if let Obj::Instance(inst) = vm.p.heap.get(id) {
                let cls = inst.class;
                if let Some(f) = crate::attr::lookup_class(vm, cls, "__str__") {
                    let r = vm.call_sync(f, vec![v.clone()], vec![])?;
                    return match r {
                        Value::Str(s) => Ok(s.to_string()),
                        other => {
                            let t = crate::ops::type_name(vm, &other);
                            Err(vm.type_error(format!("__str__ returned non-string (type {t})")))
                        }
                    };
                }
                if let Obj::Instance(inst) = vm.p.heap.get(id) {
                    if let Payload::Exc(e) = &inst.payload {
                        if crate::attr::lookup_class(vm, cls, "__repr__").is_none() || true {
                            let args = e.args.clone();
                            let is_key = crate::ops::is_instance_of(vm, v, Builtin::KeyError);
                            // OSError(errno, strerror[, filename]): "[Errno 11] Resource
                            // temporarily unavailable".
                            if (2..=3).contains(&args.len()) && matches!(args[0], Value::Int(_)) && crate::ops::is_instance_of(vm, v, Builtin::OSError) {
                                let mut s = format!("[Errno {}] {}", to_str(vm, &args[0])?, to_str(vm, &args[1])?);
                                if let Some(f) = args.get(2) {
                                    s += &format!(": {}", repr(vm, f)?);
                                }
                                return Ok(s);
                            }
                            return Ok(match args.len() {
                                0 => String::new(),
                                1 if is_key => repr(vm, &args[0])?,
                                1 => to_str(vm, &args[0])?,
                                _ => {
                                    let t = vm.new_tuple(args);
                                    repr(vm, &t)?
                                }
                            });
                        }
                    }
                }
            }
            repr(vm, v)
        }
        _ => repr(vm, v),
    }
}

// ----------------------------------------------------------------------
// The format-spec mini-language
// ----------------------------------------------------------------------

#[derive(Default, Debug)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn parse_spec(s: &str) -> Option<Spec> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut sp = Spec::default();
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        sp.fill = Some(chars[0]);
        sp.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        sp.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        sp.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        sp.alt = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        sp.zero = true;
        i += 1;
    }
    let mut w = String::new();
    while i < chars.len() && chars[i].is_ascii_digit() {
        w.push(chars[i]);
        i += 1;
    }
    if !w.is_empty() {
        sp.width = w.parse().ok()?;
        if sp.width > 1_000_000 {
            return None;
        }
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        sp.grouping = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let mut p = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            p.push(chars[i]);
            i += 1;
        }
        let prec: usize = p.parse().ok()?;
        if prec > 10_000 {
            return None;
        }
        sp.precision = Some(prec);
    }
    if i < chars.len() {
        sp.ty = Some(chars[i]);
        i += 1;
    }
    if i != chars.len() {
        return None;
    }
    Some(sp)
}

fn group_digits(digits: &str, sep: char) -> String {
    let bytes: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in bytes.iter().enumerate() {
        if i > 0 && (bytes.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

fn pad(body: String, sign: &str, sp: &Spec, default_right: bool) -> String {
    let fill = sp.fill.unwrap_or(if sp.zero && sp.align.is_none() { '0' } else { ' ' });
    let align = sp.align.unwrap_or(if sp.zero && default_right { '=' } else if default_right { '>' } else { '<' });
    let len = body.chars().count() + sign.chars().count();
    if len >= sp.width {
        return format!("{sign}{body}");
    }
    let n = sp.width - len;
    let f: String = std::iter::repeat(fill).take(n).collect();
    match align {
        '<' => format!("{sign}{body}{f}"),
        '^' => {
            let left: String = std::iter::repeat(fill).take(n / 2).collect();
            let right: String = std::iter::repeat(fill).take(n - n / 2).collect();
            format!("{left}{sign}{body}{right}")
        }
        '=' => format!("{sign}{f}{body}"),
        _ => format!("{f}{sign}{body}"),
    }
}

fn sci(f: f64, prec: usize, upper: bool) -> String {
    let s = format!("{:.*e}", prec, f);
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    let out = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    if upper {
        out.to_uppercase()
    } else {
        out
    }
}

fn general(f: f64, prec: usize, alt: bool, upper: bool) -> String {
    if f == 0.0 {
        return if alt { format!("{:.*}", prec.saturating_sub(1), 0.0) } else if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let p = prec.max(1);
    let s = format!("{:.*e}", p - 1, f);
    let exp: i32 = s.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    let mut out = if exp >= -4 && exp < p as i32 {
        format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, f)
    } else {
        sci(f, p - 1, upper)
    };
    if !alt {
        // Strip trailing zeros of the fraction.
        let (num, exp_part) = match out.find(|c| c == 'e' || c == 'E') {
            Some(i) => (out[..i].to_string(), out[i..].to_string()),
            None => (out.clone(), String::new()),
        };
        let num = if num.contains('.') { num.trim_end_matches('0').trim_end_matches('.').to_string() } else { num };
        out = format!("{num}{exp_part}");
    }
    out
}

fn fmt_float(f: f64, sp: &Spec) -> String {
    if f.is_nan() || f.is_infinite() {
        let s = if f.is_nan() { "nan" } else { "inf" };
        return if matches!(sp.ty, Some('F' | 'E' | 'G')) { s.to_uppercase() } else { s.into() };
    }
    let a = f.abs();
    let body = match sp.ty {
        Some('f') | Some('F') => format!("{:.*}", sp.precision.unwrap_or(6), a),
        Some('e') | Some('E') => sci(a, sp.precision.unwrap_or(6), sp.ty == Some('E')),
        Some('g') | Some('G') => general(a, sp.precision.unwrap_or(6), sp.alt, sp.ty == Some('G')),
        Some('%') => format!("{:.*}%", sp.precision.unwrap_or(6), a * 100.0),
        Some('n') => general(a, sp.precision.unwrap_or(6), sp.alt, false),
        _ => match sp.precision {
            Some(p) => {
                let g = general(a, p, sp.alt, false);
                if g.contains('.') || g.contains('e') || g.contains("inf") {
                    g
                } else {
                    format!("{g}.0")
                }
            }
            None => float_repr(a),
        },
    };
    match sp.grouping {
        Some(sep) => {
            let (int_part, rest) = match body.find(|c: char| !c.is_ascii_digit()) {
                Some(i) => (&body[..i], &body[i..]),
                None => (&body[..], ""),
            };
            format!("{}{rest}", group_digits(int_part, sep))
        }
        None => body,
    }
}

fn sign_str(neg: bool, sp: &Spec) -> &'static str {
    if neg {
        "-"
    } else {
        match sp.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    }
}

/// `format(v, spec)`.
/// Whether [`format_value`] of the number or string `v` with the
/// non-empty `spec` succeeds without running Python code: the spec parses
/// and its type letter fits the value. (The explorer asks, to know that
/// `f"{t:.1f}"` only makes a string.)
pub fn plain_spec_ok(v: &Value, spec: &str) -> bool {
    let Some(sp) = parse_spec(spec) else { return false };
    match v {
        Value::Float(_) => sp.ty.is_none_or(|c| matches!(c, 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | '%' | 'n')),
        Value::Int(_) | Value::Bool(_) => sp.ty.is_none_or(|c| matches!(c, 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | '%' | 'd' | 'n' | 'x' | 'X' | 'o' | 'b')),
        Value::Str(_) => sp.ty.is_none_or(|c| c == 's'),
        _ => false,
    }
}

pub fn format_value(vm: &mut Vm, v: &Value, spec: &str) -> R<String> {
    if let Value::Obj(id) = v {
        if let Obj::Instance(inst) = vm.p.heap.get(*id) {
            let cls = inst.class;
            if let Some(f) = crate::attr::lookup_class(vm, cls, "__format__") {
                let r = vm.call_sync(f, vec![v.clone(), Value::str(spec)], vec![])?;
                return to_str(vm, &r);
            }
        }
    }
    if spec.is_empty() {
        return to_str(vm, v);
    }
    let Some(sp) = parse_spec(spec) else {
        return Err(vm.value_error("Invalid format specifier"));
    };
    match v {
        Value::Int(_) | Value::Big(_) | Value::Bool(_) => {
            if matches!(sp.ty, Some('f' | 'F' | 'e' | 'E' | 'g' | 'G' | '%')) {
                let f = crate::ops::to_f64(v).unwrap_or(0.0);
                let s = fmt_float(f, &sp);
                return Ok(pad(s, sign_str(f < 0.0, &sp), &sp, true));
            }
            if let (Value::Bool(b), None) = (v, sp.ty) {
                let s = if *b { "True" } else { "False" };
                return Ok(pad(s.to_string(), "", &sp, false));
            }
            let big = match v {
                Value::Int(i) => num_bigint::BigInt::from(*i),
                Value::Bool(b) => num_bigint::BigInt::from(*b as i64),
                Value::Big(b) => (**b).clone(),
                _ => num_bigint::BigInt::from(0),
            };
            let neg = big.sign() == num_bigint::Sign::Minus;
            let mag = if neg { -big } else { big };
            let (digits, prefix) = match sp.ty {
                None | Some('d') | Some('n') => (mag.to_str_radix(10), ""),
                Some('x') => (mag.to_str_radix(16), "0x"),
                Some('X') => (mag.to_str_radix(16).to_uppercase(), "0X"),
                Some('o') => (mag.to_str_radix(8), "0o"),
                Some('b') => (mag.to_str_radix(2), "0b"),
                Some('c') => (mag.to_u32().and_then(char::from_u32).map(String::from).unwrap_or_default(), ""),
                Some(c) => {
                    let t = crate::ops::type_name(vm, v);
                    return Err(vm.value_error(format!("Unknown format code '{c}' for object of type '{t}'")));
                }
            };
            let digits = match sp.grouping {
                Some(sep) => group_digits(&digits, sep),
                None => digits,
            };
            let sign = format!("{}{}", sign_str(neg, &sp), if sp.alt { prefix } else { "" });
            Ok(pad(digits, &sign, &sp, true))
        }
        Value::Float(f) => {
            if let Some(c) = sp.ty {
                if !matches!(c, 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | '%' | 'n') {
                    return Err(vm.value_error(format!("Unknown format code '{c}' for object of type 'float'")));
                }
            }
            let s = fmt_float(*f, &sp);
            Ok(pad(s, sign_str(f.is_sign_negative() && !f.is_nan(), &sp), &sp, true))
        }
        _ => {
            let s = match v {
                Value::Str(s) => s.to_string(),
                Value::Obj(_) if !matches!(v, Value::Obj(_)) => String::new(),
                _ => {
                    if !spec.is_empty() && !matches!(v, Value::Str(_)) {
                        let is_plain = match v {
                            Value::Obj(id) => matches!(vm.p.heap.get(*id), Obj::Instance(_)),
                            Value::None => true,
                            _ => false,
                        };
                        if is_plain {
                            let t = crate::ops::type_name(vm, v);
                            return Err(vm.type_error(format!("unsupported format string passed to {t}.__format__")));
                        }
                    }
                    to_str(vm, v)?
                }
            };
            if let Some(c) = sp.ty {
                if c != 's' {
                    let t = crate::ops::type_name(vm, v);
                    return Err(vm.value_error(format!("Unknown format code '{c}' for object of type '{t}'")));
                }
            }
            let s = match sp.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            };
            Ok(pad(s, "", &sp, false))
        }
    }
}

// ----------------------------------------------------------------------
// printf-style formatting
// ----------------------------------------------------------------------

/// Whether `fmt % args` ([`percent`]) with the plain values `items` as
/// its arguments succeeds without running Python code: every conversion
/// is `%s` or `%r` of a plain value, `%d` or `%i` of an int or a bool, or
/// `%f` of a number, with only flags, a width and a precision (no `*`, no
/// mapping key), and there are exactly as many as `items`. (The explorer
/// asks, to know that `'%s_%d' % (name, n)` only makes a string.)
pub fn percent_plain_ok(fmt: &str, items: &[Value]) -> bool {
    let mut args = items.iter();
    percent_specs_fit(fmt, |key| if key.is_some() { None } else { args.next().cloned() }) && args.next().is_none()
}

/// [`percent_plain_ok`] for a format with a mapping (`'%(name)s' % d`):
/// every conversion names its key, `get` finds each one, and its value
/// fits the conversion without running Python code. (A `%s` of the whole
/// mapping, or a `*` width, is not covered.)
pub fn percent_mapping_plain_ok(fmt: &str, get: impl Fn(&str) -> Option<Value>) -> bool {
    percent_specs_fit(fmt, |key| key.and_then(|k| get(&k)))
}

/// Walks the conversions of a `%` format. Each one's mapping key, if it
/// has one, goes to `arg`, which gives the value it converts (None: none,
/// or not one this check covers). True if every value fits its
/// conversion without running Python code (flags, a width and a
/// precision allowed; no `*`).
fn percent_specs_fit(fmt: &str, mut arg: impl FnMut(Option<String>) -> Option<Value>) -> bool {
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            continue;
        }
        let key = chars.next_if_eq(&'(').map(|_| chars.by_ref().take_while(|c| *c != ')').collect::<String>());
        while chars.next_if(|c| matches!(c, '-' | '+' | ' ' | '#' | '0')).is_some() {}
        while chars.next_if(char::is_ascii_digit).is_some() {}
        if chars.next_if_eq(&'.').is_some() {
            while chars.next_if(char::is_ascii_digit).is_some() {}
        }
        let Some(v) = arg(key) else { return false };
        let fits = match chars.next() {
            Some('s' | 'r') => matches!(v, Value::Int(_) | Value::Str(_) | Value::Bool(_) | Value::None | Value::Float(_)),
            Some('d' | 'i') => matches!(v, Value::Int(_) | Value::Bool(_)),
            Some('f') => matches!(v, Value::Int(_) | Value::Bool(_) | Value::Float(_)),
            _ => false,
        };
        if !fits {
            return false;
        }
    }
    true
}

pub fn percent(vm: &mut Vm, fmt: &str, args: &Value) -> R<String> {
    let (items, mapping) = match args {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Tuple(t) => (t.clone(), None),
            Obj::Dict(_) => (vec![args.clone()], Some(args.clone())),
            _ => (vec![args.clone()], None),
        },
        other => (vec![other.clone()], None),
    };
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut ai = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '%' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        if i >= chars.len() {
            return Err(vm.value_error("incomplete format"));
        }
        if chars[i] == '%' {
            out.push('%');
            i += 1;
            continue;
        }
        let mut key = None;
        if chars[i] == '(' {
            let mut k = String::new();
            i += 1;
            while i < chars.len() && chars[i] != ')' {
                k.push(chars[i]);
                i += 1;
            }
            i += 1;
            key = Some(k);
        }
        let mut flags = String::new();
        while i < chars.len() && matches!(chars[i], '-' | '+' | ' ' | '#' | '0') {
            flags.push(chars[i]);
            i += 1;
        }
        let mut width = String::new();
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '*') {
            if chars[i] == '*' {
                let w = items.get(ai).cloned().unwrap_or(Value::Int(0));
                ai += 1;
                width = match w {
                    Value::Int(n) => n.to_string(),
                    _ => String::new(),
                };
            } else {
                width.push(chars[i]);
            }
            i += 1;
        }
        let mut prec = None;
        if i < chars.len() && chars[i] == '.' {
            i += 1;
            let mut p = String::new();
            while i < chars.len() && chars[i].is_ascii_digit() {
                p.push(chars[i]);
                i += 1;
            }
            prec = Some(p);
        }
        if i >= chars.len() {
            return Err(vm.value_error("incomplete format"));
        }
        let conv = chars[i];
        i += 1;
        let arg = match (&key, &mapping) {
            (Some(k), Some(m)) => {
                let Value::Obj(mid) = m else { return Err(vm.type_error("format requires a mapping")) };
                match crate::ops::dict_get(vm, *mid, &Value::str(k))? {
                    Some(v) => v,
                    None => {
                        let e = vm.exc_with_args(vm.class(Builtin::KeyError), vec![Value::str(k)]);
                        return Err(crate::vm::Flow::Raise(e));
                    }
                }
            }
            _ => {
                let a = match items.get(ai) {
                    Some(a) => a.clone(),
                    None => return Err(vm.type_error("not enough arguments for format string")),
                };
                ai += 1;
                a
            }
        };
        let mut spec = String::new();
        if flags.contains('-') {
            spec.push('<');
        } else if !matches!(conv, 's' | 'r' | 'a' | 'c') || !width.is_empty() {
            if flags.contains('0') && !matches!(conv, 's' | 'r' | 'a' | 'c') {
                spec.push('0');
            } else if matches!(conv, 's' | 'r' | 'a' | 'c') {
                spec.push('>');
            }
        }
        if flags.contains('+') {
            spec = spec.replacen('<', "<+", 1);
            if !spec.contains('+') {
                spec.insert(0, '+');
                if spec.starts_with("+0") {
                    spec = "+0".to_string();
                }
            }
        } else if flags.contains(' ') && !spec.contains('<') {
            spec.insert(0, ' ');
        }
        if flags.contains('#') {
            spec.push('#');
        }
        spec.push_str(&width);
        let s = match conv {
            's' | 'r' | 'a' => {
                let mut s = match conv {
                    's' => to_str(vm, &arg)?,
                    'r' => repr(vm, &arg)?,
                    _ => ascii(&repr(vm, &arg)?),
                };
                if let Some(p) = &prec {
                    let n: usize = p.parse().unwrap_or(0);
                    s = s.chars().take(n).collect();
                }
                let w: usize = width.parse().unwrap_or(0);
                let len = s.chars().count();
                if len < w {
                    if flags.contains('-') {
                        s = format!("{s}{}", " ".repeat(w - len));
                    } else {
                        s = format!("{}{s}", " ".repeat(w - len));
                    }
                }
                s
            }
            'd' | 'i' | 'u' => {
                let iv = match &arg {
                    Value::Float(f) => Value::Int(f.trunc() as i64),
                    Value::Int(_) | Value::Big(_) | Value::Bool(_) => crate::ops::int_of(&arg),
                    _ => {
                        let t = crate::ops::type_name(vm, &arg);
                        return Err(vm.type_error(format!("%{conv} format: a real number is required, not {t}")));
                    }
                };
                format_value(vm, &iv, &format!("{spec}d"))?
            }
            'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                let f = match crate::ops::to_f64(&arg) {
                    Some(f) => f,
                    None => {
                        let t = crate::ops::type_name(vm, &arg);
                        return Err(vm.type_error(format!("must be real number, not {t}")));
                    }
                };
                let p = prec.clone().map(|p| if p.is_empty() { "0".to_string() } else { p }).unwrap_or_else(|| "6".into());
                format_value(vm, &Value::Float(f), &format!("{spec}.{p}{conv}"))?
            }
            'x' | 'X' | 'o' => {
                let mut s = format_value(vm, &crate::ops::int_of(&arg), &format!("{spec}{conv}"))?;
                if flags.contains('#') && conv == 'o' {
                    s = s.replace("0o", "0o");
                }
                s
            }
            'c' => match &arg {
                Value::Int(n) => char::from_u32(*n as u32).map(String::from).unwrap_or_default(),
                Value::Str(s) => s.to_string(),
                _ => String::new(),
            },
            other => {
                return Err(vm.value_error(format!(
                    "unsupported format character '{other}' (0x{:x}) at index {}",
                    other as u32,
                    i - 1
                )))
            }
        };
        out.push_str(&s);
    }
    if mapping.is_none() && ai < items.len() {
        return Err(vm.type_error("not all arguments converted during string formatting"));
    }
    Ok(out)
}

/// `str.format(*args, **kwargs)`.
pub fn str_format(vm: &mut Vm, fmt: &str, args: &[Value], kwargs: &crate::value::Kwargs) -> R<String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut auto = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            if i + 1 < chars.len() && chars[i + 1] == '{' {
                out.push('{');
                i += 2;
                continue;
            }
            // Find the matching close brace (one level of nesting).
            let mut depth = 1;
            let mut j = i + 1;
            while j < chars.len() && depth > 0 {
                if chars[j] == '{' {
                    depth += 1;
                } else if chars[j] == '}' {
                    depth -= 1;
                }
                j += 1;
            }
            if depth != 0 {
                return Err(vm.value_error("Single '{' encountered in format string"));
            }
            let field: String = chars[i + 1..j - 1].iter().collect();
            i = j;
            let (name_conv, spec) = match field.find(':') {
                Some(p) => (field[..p].to_string(), field[p + 1..].to_string()),
                None => (field.clone(), String::new()),
            };
            let (name, conv) = match name_conv.find('!') {
                Some(p) => (name_conv[..p].to_string(), name_conv[p + 1..].chars().next()),
                None => (name_conv, None),
            };
            // Nested replacement fields in the spec.
            let spec = if spec.contains('{') {
                str_format_nested(vm, &spec, args, kwargs, &mut auto)?
            } else {
                spec
            };
            let first_end = name.find(|c| c == '.' || c == '[').unwrap_or(name.len());
            let head = &name[..first_end];
            let mut v = if head.is_empty() {
                let v = args.get(auto).cloned();
                auto += 1;
                match v {
                    Some(v) => v,
                    None => {
                        return Err(vm.err(
                            Builtin::IndexError,
                            format!("Replacement index {} out of range for positional args tuple", auto - 1),
                        ))
                    }
                }
            } else if let Ok(n) = head.parse::<usize>() {
                match args.get(n) {
                    Some(v) => v.clone(),
                    None => {
                        return Err(vm.err(
                            Builtin::IndexError,
                            format!("Replacement index {n} out of range for positional args tuple"),
                        ))
                    }
                }
            } else {
                match kwargs.iter().find(|(k, _)| &**k == head) {
                    Some((_, v)) => v.clone(),
                    None => {
                        let e = vm.exc_with_args(vm.class(Builtin::KeyError), vec![Value::str(head)]);
                        return Err(crate::vm::Flow::Raise(e));
                    }
                }
            };
            let mut rest = &name[first_end..];
            while !rest.is_empty() {
                if let Some(r) = rest.strip_prefix('.') {
                    let end = r.find(|c| c == '.' || c == '[').unwrap_or(r.len());
                    v = crate::attr::getattr(vm, &v, &r[..end]).or_else(|e| match e {
                        crate::vm::Flow::Call { callee, args, kwargs } => vm.call_sync(callee, args, kwargs),
                        e => Err(e),
                    })?;
                    rest = &r[end..];
                } else if let Some(r) = rest.strip_prefix('[') {
                    let end = r.find(']').unwrap_or(r.len());
                    let key = &r[..end];
                    let k = match key.parse::<i64>() {
                        Ok(n) => Value::Int(n),
                        Err(_) => Value::str(key),
                    };
                    v = crate::ops::getitem(vm, &v, &k)?;
                    rest = &r[(end + 1).min(r.len())..];
                } else {
                    break;
                }
            }
            let v = match conv {
                Some('r') => Value::from_string(repr(vm, &v)?),
                Some('s') => Value::from_string(to_str(vm, &v)?),
                Some('a') => Value::from_string(ascii(&repr(vm, &v)?)),
                _ => v,
            };
            out.push_str(&format_value(vm, &v, &spec)?);
        } else if c == '}' {
            if i + 1 < chars.len() && chars[i + 1] == '}' {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(vm.value_error("Single '}' encountered in format string"));
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

fn str_format_nested(vm: &mut Vm, spec: &str, args: &[Value], kwargs: &crate::value::Kwargs, auto: &mut usize) -> R<String> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' {
            let mut name = String::new();
            for d in chars.by_ref() {
                if d == '}' {
                    break;
                }
                name.push(d);
            }
            let v = if name.is_empty() {
                let v = args.get(*auto).cloned().unwrap_or(Value::None);
                *auto += 1;
                v
            } else if let Ok(n) = name.parse::<usize>() {
                args.get(n).cloned().unwrap_or(Value::None)
            } else {
                kwargs.iter().find(|(k, _)| **k == *name).map(|(_, v)| v.clone()).unwrap_or(Value::None)
            };
            out.push_str(&to_str(vm, &v)?);
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

pub fn big_to_string(b: &num_bigint::BigInt) -> String {
    b.to_string()
}

pub fn int_value_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Big(b) => b.to_f64(),
        _ => crate::ops::to_f64(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_specs_that_format_and_those_that_raise() {
        let f = Value::Float(1.25);
        assert!(plain_spec_ok(&f, ".1f") && plain_spec_ok(&f, ">8.2e") && plain_spec_ok(&f, "%"));
        assert!(!plain_spec_ok(&f, "d"), "ValueError: Unknown format code 'd' for object of type 'float'");
        assert!(plain_spec_ok(&Value::Int(7), ">3") && plain_spec_ok(&Value::Int(7), "x") && plain_spec_ok(&Value::Int(7), ".2f"));
        assert!(plain_spec_ok(&Value::str("ab"), "<5") && !plain_spec_ok(&Value::str("ab"), "d"));
        assert!(!plain_spec_ok(&Value::None, "5"), "TypeError: unsupported format string passed to NoneType.__format__");
        assert!(!plain_spec_ok(&f, "1.2.3"), "not a spec");
    }

    #[test]
    fn percent_formats_that_fit_their_arguments_and_those_that_raise() {
        let (s, i, f) = (Value::str("w"), Value::Int(3), Value::Float(0.5));
        assert!(percent_plain_ok("%s_%d", &[s.clone(), i.clone()]));
        assert!(percent_plain_ok("100%% %-5s|%05.2f %r", &[s.clone(), f.clone(), Value::None]));
        assert!(percent_plain_ok("no conversions", &[]));
        assert!(!percent_plain_ok("%s %s", &[s.clone()]), "TypeError: not enough arguments for format string");
        assert!(!percent_plain_ok("%s", &[s.clone(), i.clone()]), "TypeError: not all arguments converted during string formatting");
        assert!(!percent_plain_ok("%d", &[s.clone()]), "TypeError: %d format: a real number is required, not str");
        assert!(!percent_plain_ok("%d", &[f]), "a float's %d truncates, and raises for NaN");
        assert!(!percent_plain_ok("%*d", &[i.clone(), i.clone()]), "a width from the arguments");
        assert!(!percent_plain_ok("%(k)s", &[s.clone()]), "a mapping key");
        assert!(!percent_plain_ok("%", &[]) && !percent_plain_ok("%q", &[i]), "ValueError: incomplete format / unsupported format character");
    }
}
