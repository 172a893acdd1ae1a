//! `json.dumps` / `json.loads` with CPython's default formatting.

use crate::methods::kwarg;
use crate::modules::{add_fn, new_module};
use crate::object::*;
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Flow, Vm, R};

fn escape(s: &str, ascii: bool) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Opts {
    indent: Option<String>,
    sort_keys: bool,
    item_sep: String,
    key_sep: String,
    ascii: bool,
}

fn dump(vm: &mut Vm, v: &Value, o: &Opts, level: usize, out: &mut String) -> R<()> {
    vm.check_stack()?;
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Big(b) => out.push_str(&b.to_string()),
        Value::Float(f) => {
            if f.is_nan() {
                out.push_str("NaN")
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" })
            } else {
                out.push_str(&crate::format::float_repr(*f))
            }
        }
        Value::Str(s) => out.push_str(&escape(s, o.ascii)),
        Value::Obj(id) => {
            let id = *id;
            enum K {
                Seq(Vec<Value>),
                Map(Vec<(Value, Value)>),
                Other,
            }
            let k = match vm.p.heap.get(id) {
                Obj::List(l) | Obj::Tuple(l) => K::Seq(l.clone()),
                Obj::Dict(d) => K::Map(d.d.items()),
                _ => K::Other,
            };
            let nl = |lvl: usize| match &o.indent {
                Some(ind) => format!("\n{}", ind.repeat(lvl)),
                None => String::new(),
            };
            match k {
                K::Seq(items) => {
                    if items.is_empty() {
                        out.push_str("[]");
                        return Ok(());
                    }
                    out.push('[');
                    for (i, x) in items.iter().enumerate() {
                        if i > 0 {
                            out.push_str(&o.item_sep);
                        }
                        out.push_str(&nl(level + 1));
                        dump(vm, x, o, level + 1, out)?;
                    }
                    out.push_str(&nl(level));
                    out.push(']');
                }
                K::Map(mut items) => {
                    if items.is_empty() {
                        out.push_str("{}");
                        return Ok(());
                    }
                    let mut keyed = Vec::new();
                    for (k, v) in items.drain(..) {
                        let ks = match &k {
                            Value::Str(s) => s.to_string(),
                            Value::Int(i) => i.to_string(),
                            Value::Float(f) => crate::format::float_repr(*f),
                            Value::Bool(b) => (if *b { "true" } else { "false" }).to_string(),
                            Value::None => "null".to_string(),
                            other => {
                                let t = ops::type_name(vm, other);
                                return Err(vm.type_error(format!(
                                    "keys must be str, int, float, bool or None, not {t}"
                                )));
                            }
                        };
                        keyed.push((ks, v));
                    }
                    if o.sort_keys {
                        keyed.sort_by(|a, b| a.0.cmp(&b.0));
                    }
                    out.push('{');
                    for (i, (k, x)) in keyed.iter().enumerate() {
                        if i > 0 {
                            out.push_str(&o.item_sep);
                        }
                        out.push_str(&nl(level + 1));
                        out.push_str(&escape(k, o.ascii));
                        out.push_str(&o.key_sep);
                        dump(vm, x, o, level + 1, out)?;
                    }
                    out.push_str(&nl(level));
                    out.push('}');
                }
                K::Other => {
                    let t = ops::type_name(vm, v);
                    return Err(vm.type_error(format!("Object of type {t} is not JSON serializable")));
                }
            }
        }
        other => {
            let t = ops::type_name(vm, other);
            return Err(vm.type_error(format!("Object of type {t} is not JSON serializable")));
        }
    }
    Ok(())
}

fn dumps(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let indent = match kwarg(kwargs, "indent") {
        Some(Value::Int(n)) => Some(" ".repeat((*n).max(0) as usize)),
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => None,
    };
    let (mut item_sep, mut key_sep) = if indent.is_some() { (",".to_string(), ": ".to_string()) } else { (", ".to_string(), ": ".to_string()) };
    if let Some(sep) = kwarg(kwargs, "separators") {
        let parts = ops::to_vec(vm, sep)?;
        if let (Some(Value::Str(a)), Some(Value::Str(b))) = (parts.first(), parts.get(1)) {
            item_sep = a.to_string();
            key_sep = b.to_string();
        }
    }
    let sort_keys = match kwarg(kwargs, "sort_keys") {
        Some(v) => ops::truthy(vm, v)?,
        None => false,
    };
    let ascii = match kwarg(kwargs, "ensure_ascii") {
        Some(v) => ops::truthy(vm, v)?,
        None => true,
    };
    let o = Opts { indent, sort_keys, item_sep, key_sep, ascii };
    let mut out = String::new();
    dump(vm, args.first().unwrap_or(&Value::None), &o, 0, &mut out)?;
    Ok(Value::from_string(out))
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
}

fn decode_err(vm: &mut Vm, msg: &str, p: &Parser) -> Flow {
    let before: String = p.s[..p.i.min(p.s.len())].iter().collect();
    let line = before.matches('\n').count() + 1;
    let col = p.i - before.rfind('\n').map(|x| before[..x].chars().count() + 1).unwrap_or(0) + 1;
    let cls = vm.class(Builtin::JSONDecodeError);
    let e = vm.exc_with_args(cls, vec![Value::from_string(format!("{msg}: line {line} column {col} (char {})", p.i))]);
    Flow::Raise(e)
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_whitespace() {
            self.i += 1;
        }
    }

    fn value(&mut self, vm: &mut Vm) -> R<Value> {
        vm.check_stack()?;
        self.ws();
        let Some(&c) = self.s.get(self.i) else { return Err(decode_err(vm, "Expecting value", self)) };
        match c {
            '{' => {
                self.i += 1;
                let d = vm.new_dict(crate::dict::PyDict::new());
                self.ws();
                if self.s.get(self.i) == Some(&'}') {
                    self.i += 1;
                    return Ok(d);
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&'"') {
                        return Err(decode_err(vm, "Expecting property name enclosed in double quotes", self));
                    }
                    let k = self.string(vm)?;
                    self.ws();
                    if self.s.get(self.i) != Some(&':') {
                        return Err(decode_err(vm, "Expecting ':' delimiter", self));
                    }
                    self.i += 1;
                    let v = self.value(vm)?;
                    ops::dict_set(vm, &d, k, v)?;
                    self.ws();
                    match self.s.get(self.i) {
                        Some(',') => self.i += 1,
                        Some('}') => {
                            self.i += 1;
                            return Ok(d);
                        }
                        _ => return Err(decode_err(vm, "Expecting ',' delimiter", self)),
                    }
                }
            }
            '[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&']') {
                    self.i += 1;
                    return Ok(vm.new_list(items));
                }
                loop {
                    items.push(self.value(vm)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(',') => self.i += 1,
                        Some(']') => {
                            self.i += 1;
                            return Ok(vm.new_list(items));
                        }
                        _ => return Err(decode_err(vm, "Expecting ',' delimiter", self)),
                    }
                }
            }
            '"' => self.string(vm),
            _ => {
                let rest: String = self.s[self.i..].iter().take(9).collect();
                for (lit, v) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::None), ("NaN", Value::Float(f64::NAN)), ("Infinity", Value::Float(f64::INFINITY)), ("-Infinity", Value::Float(f64::NEG_INFINITY))] {
                    if rest.starts_with(lit) {
                        self.i += lit.len();
                        return Ok(v);
                    }
                }
                let start = self.i;
                while self.i < self.s.len() && (self.s[self.i].is_ascii_digit() || matches!(self.s[self.i], '-' | '+' | '.' | 'e' | 'E')) {
                    self.i += 1;
                }
                let num: String = self.s[start..self.i].iter().collect();
                if num.is_empty() {
                    return Err(decode_err(vm, "Expecting value", self));
                }
                if num.contains(['.', 'e', 'E']) {
                    num.parse::<f64>().map(Value::Float).map_err(|_| decode_err(vm, "Expecting value", self))
                } else {
                    match num_bigint::BigInt::parse_bytes(num.as_bytes(), 10) {
                        Some(b) => Ok(Value::from_big(b)),
                        None => Err(decode_err(vm, "Expecting value", self)),
                    }
                }
            }
        }
    }

    fn string(&mut self, vm: &mut Vm) -> R<Value> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return Err(decode_err(vm, "Unterminated string starting at", self));
            };
            self.i += 1;
            match c {
                '"' => return Ok(Value::from_string(out)),
                '\\' => {
                    let Some(&e) = self.s.get(self.i) else { return Err(decode_err(vm, "Invalid \\escape", self)) };
                    self.i += 1;
                    match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'u' => {
                            let hex: String = self.s[self.i..(self.i + 4).min(self.s.len())].iter().collect();
                            self.i += 4;
                            let mut code = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                            if (0xd800..0xdc00).contains(&code) && self.s.get(self.i) == Some(&'\\') {
                                let hex2: String = self.s[(self.i + 2).min(self.s.len())..(self.i + 6).min(self.s.len())].iter().collect();
                                if let Ok(lo) = u32::from_str_radix(&hex2, 16) {
                                    code = 0x10000 + ((code - 0xd800) << 10) + (lo - 0xdc00);
                                    self.i += 6;
                                }
                            }
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                        other => out.push(other),
                    }
                }
                c => out.push(c),
            }
        }
    }
}

fn loads(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let s = match args.first() {
        Some(Value::Str(s)) => s.to_string(),
        Some(Value::Bytes(b)) => String::from_utf8_lossy(b).to_string(),
        _ => return Err(vm.type_error("the JSON object must be str, bytes or bytearray")),
    };
    let chars: Vec<char> = s.chars().collect();
    let mut p = Parser { s: &chars, i: 0 };
    let v = p.value(vm)?;
    p.ws();
    if p.i < chars.len() {
        return Err(decode_err(vm, "Extra data", &p));
    }
    Ok(v)
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "json");
    add_fn(vm, d, "dumps", "json", dumps);
    add_fn(vm, d, "loads", "json", loads);
    // `load(fp)` and `dump(obj, fp)` read and write a file object
    // (Python, in the prelude).
    for (name, helper) in [("load", "_json_load"), ("dump", "_json_dump")] {
        if let Some(f) = vm.dict_get_str(vm.p.prelude, helper) {
            vm.dict_set_str(d, name, f);
        }
    }
    let e = vm.class(Builtin::JSONDecodeError);
    vm.dict_set_str(d, "JSONDecodeError", Value::Obj(e));
    m
}
