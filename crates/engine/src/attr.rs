//! Attribute access: `obj.name`, `obj.name = v`, `del obj.name`, method
//! lookup, and class creation (the MRO).
//!
//! The lookup order is Python's: data descriptors (properties) on the
//! class, then the instance's own dict, then the class and its bases in MRO
//! order, where functions become bound methods, `classmethod`s bind to the
//! class and `staticmethod`s stay plain. Builtin value types (`str`,
//! `list`, ...) have no attribute dicts; their methods are found by name in
//! [`crate::methods`] and bound without allocation when called directly.

use std::sync::atomic::AtomicU32;
use std::sync::Arc;

use crate::dict::PyDict;
use crate::object::*;
use crate::types::Builtin;
use crate::value::{ObjId, Value};
use crate::vm::{Flow, Vm, R};

/// `threading.local` instances keep one namespace per thread: their
/// attributes are stored under a key prefixed with the thread id.
fn local_key(vm: &Vm, cls: ObjId, name: &str) -> Option<String> {
    match vm.p.heap.get(cls) {
        Obj::Class(c) if c.native == NativeBase::Local => Some(format!("{}\u{0}{name}", vm.p.threads[vm.tix].tid)),
        _ => None,
    }
}

/// Finds `name` in a class's MRO (raw, unbound).
pub fn lookup_class(vm: &Vm, cls: ObjId, name: &str) -> Option<Value> {
    lookup_class_h(vm, cls, name, crate::dict::str_hash(name), None)
}

/// [`lookup_class`] with the name's precomputed `str_hash`, and optionally
/// a position hint for the class's own dict (see
/// [`crate::code::NameHints`]).
#[inline]
pub fn lookup_class_h(vm: &Vm, cls: ObjId, name: &str, h: u64, hint: Option<&AtomicU32>) -> Option<Value> {
    let mro = match vm.p.heap.get(cls) {
        Obj::Class(c) => &c.mro,
        _ => return None,
    };
    for m in mro {
        if let Obj::Class(c) = vm.p.heap.get(*m) {
            let found = match hint {
                Some(hint) if *m == cls => c.dict.get_str_hinted(name, h, hint),
                _ => c.dict.get_str_h(name, h),
            };
            if let Some(v) = found {
                return Some(v.clone());
            }
        }
    }
    None
}

/// Finds `name` in the MRO of `cls` starting after `after`.
fn lookup_after(vm: &Vm, cls: ObjId, after: ObjId, name: &str) -> Option<Value> {
    let mro = match vm.p.heap.get(cls) {
        Obj::Class(c) => c.mro.clone(),
        _ => return None,
    };
    let start = mro.iter().position(|m| *m == after).map(|p| p + 1).unwrap_or(mro.len());
    for m in &mro[start..] {
        if let Obj::Class(c) = vm.p.heap.get(*m) {
            if let Some(v) = c.dict.get_str(name) {
                return Some(v.clone());
            }
        }
    }
    None
}

fn class_name(vm: &Vm, cls: ObjId) -> Arc<str> {
    match vm.p.heap.get(cls) {
        Obj::Class(c) => c.name.clone(),
        _ => Arc::from("object"),
    }
}

/// Binds a class attribute found for `obj`.
fn bind(vm: &mut Vm, attr: Value, obj: &Value, cls: ObjId) -> R<Value> {
    if let Value::Obj(id) = &attr {
        match vm.p.heap.get(*id) {
            Obj::Function(_) | Obj::Native(_) => return Ok(vm.alloc(Obj::BoundMethod(attr.clone(), obj.clone()))),
            Obj::ClassMethod(f) => {
                let f = f.clone();
                return Ok(vm.alloc(Obj::BoundMethod(f, Value::Obj(cls))));
            }
            Obj::StaticMethod(f) => return Ok(f.clone()),
            Obj::Property(fget, _) => {
                let fget = fget.clone();
                if fget.is_none() {
                    return Err(vm.err(Builtin::AttributeError, "property has no getter"));
                }
                return Err(Flow::Call { callee: fget, args: vec![obj.clone()], kwargs: vec![] });
            }
            _ => {}
        }
    }
    Ok(attr)
}

pub fn getattr(vm: &mut Vm, obj: &Value, name: &str) -> R<Value> {
    if name == "__class__" {
        return Ok(Value::Obj(crate::ops::type_of(vm, obj)));
    }
    if let Value::Obj(id) = obj {
        let id = *id;
        match vm.p.heap.get(id) {
            Obj::Instance(inst) => {
                let cls = inst.class;
                // Fast path: no properties anywhere in the class, and the
                // attribute is in the instance dict.
                if let Obj::Class(c) = vm.p.heap.get(cls) {
                    if !c.has_descriptors && c.native == NativeBase::Object {
                        if let Some(v) = inst.dict.get_str(name) {
                            return Ok(v.clone());
                        }
                    }
                }
                let class_attr = lookup_class(vm, cls, name);
                if let Some(Value::Obj(a)) = &class_attr {
                    if let Obj::Property(..) = vm.p.heap.get(*a) {
                        return bind(vm, Value::Obj(*a), obj, cls);
                    }
                }
                let local_key = local_key(vm, cls, name);
                if let Obj::Instance(inst) = vm.p.heap.get(id) {
                    if let Some(v) = inst.dict.get_str(local_key.as_deref().unwrap_or(name)) {
                        return Ok(v.clone());
                    }
                    if name == "__dict__" {
                        let d = inst.dict.clone();
                        return Ok(vm.new_dict(d));
                    }
                    if let Payload::Exc(e) = &inst.payload {
                        match name {
                            "args" => {
                                let a = e.args.clone();
                                return Ok(vm.new_tuple(a));
                            }
                            "__cause__" => return Ok(e.cause.clone().unwrap_or(Value::None)),
                            "__context__" => return Ok(e.context.clone().unwrap_or(Value::None)),
                            "__traceback__" => return Ok(Value::None),
                            "__suppress_context__" => return Ok(Value::Bool(e.suppress_context)),
                            "value" if crate::ops::is_instance_of(vm, obj, Builtin::StopIteration) => {
                                return Ok(e.args.first().cloned().unwrap_or(Value::None))
                            }
                            // CPython's OSError(errno, strerror[, filename]).
                            "errno" | "strerror" | "filename" | "filename2" => {
                                let args = e.args.clone();
                                if crate::ops::is_instance_of(vm, obj, Builtin::OSError) {
                                    let with_errno = args.len() >= 2 && args.len() <= 5 && matches!(args[0], Value::Int(_));
                                    let i = match name {
                                        "errno" => 0,
                                        "strerror" => 1,
                                        "filename" => 2,
                                        _ => 4,
                                    };
                                    return Ok(if with_errno { args.get(i).cloned().unwrap_or(Value::None) } else { Value::None });
                                }
                            }
                            _ => {}
                        }
                    }
                }
                if let Some(a) = class_attr {
                    return bind(vm, a, obj, cls);
                }
                if let Some(ga) = lookup_class(vm, cls, "__getattr__") {
                    return vm.call_sync(ga, vec![obj.clone(), Value::str(name)], vec![]);
                }
                let cn = class_name(vm, cls);
                return Err(no_attribute(vm, obj, name, format!("'{cn}' object has no attribute '{name}'")));
            }
            Obj::Class(c) => {
                match name {
                    "__name__" => return Ok(Value::Str(c.name.clone())),
                    "__qualname__" => return Ok(Value::Str(c.qualname.clone())),
                    "__module__" => {
                        if let Some(v) = c.dict.get_str("__module__") {
                            return Ok(v.clone());
                        }
                        return Ok(Value::Str(c.module.clone()));
                    }
                    "__mro__" => {
                        let m: Vec<Value> = c.mro.iter().map(|x| Value::Obj(*x)).collect();
                        return Ok(vm.new_tuple(m));
                    }
                    "__bases__" => {
                        let m: Vec<Value> = c.bases.iter().map(|x| Value::Obj(*x)).collect();
                        return Ok(vm.new_tuple(m));
                    }
                    "__dict__" => {
                        let d = c.dict.clone();
                        return Ok(vm.new_dict(d));
                    }
                    "__doc__" => return Ok(c.dict.get_str("__doc__").cloned().unwrap_or(Value::None)),
                    _ => {}
                }
                if let Some(a) = lookup_class(vm, id, name) {
                    if let Value::Obj(aid) = &a {
                        match vm.p.heap.get(*aid) {
                            Obj::ClassMethod(f) => {
                                let f = f.clone();
                                return Ok(vm.alloc(Obj::BoundMethod(f, obj.clone())));
                            }
                            Obj::StaticMethod(f) => return Ok(f.clone()),
                            _ => {}
                        }
                    }
                    return Ok(a);
                }
                // Methods of builtin value types, unbound (`str.upper`).
                if let Obj::Class(c) = vm.p.heap.get(id) {
                    if let Some(b) = c.builtin {
                        if crate::methods::has_method_builtin(b, name) {
                            return Ok(crate::methods::unbound_method(vm, b, name));
                        }
                    }
                }
                let cn = class_name(vm, id);
                return Err(no_attribute(vm, obj, name, format!("type object '{cn}' has no attribute '{name}'")));
            }
            Obj::Module(m) => {
                let (d, mname) = (m.dict, m.name.clone());
                if let Some(v) = vm.dict_get_str(d, name) {
                    return Ok(v);
                }
                if name == "__name__" {
                    return Ok(Value::Str(mname));
                }
                return Err(no_attribute(vm, obj, name, format!("module '{mname}' has no attribute '{name}'")));
            }
            Obj::Function(f) => {
                match name {
                    "__name__" => return Ok(Value::Str(f.name.clone())),
                    "__qualname__" => return Ok(Value::Str(f.qualname.clone())),
                    "__doc__" => return Ok(f.attrs.get_str("__doc__").cloned().unwrap_or(Value::None)),
                    "__module__" => return Ok(Value::str("__main__")),
                    _ => {}
                }
                if let Some(v) = f.attrs.get_str(name) {
                    return Ok(v.clone());
                }
                if name == "__dict__" {
                    let d = f.attrs.clone();
                    return Ok(vm.new_dict(d));
                }
                return Err(vm.err(Builtin::AttributeError, format!("'function' object has no attribute '{name}'")));
            }
            Obj::BoundMethod(f, s) => {
                let (f, s) = (f.clone(), s.clone());
                return match name {
                    "__self__" => Ok(s),
                    "__func__" => Ok(f),
                    _ => getattr(vm, &f, name),
                };
            }
            Obj::Native(n) => {
                if name == "__name__" || name == "__qualname__" {
                    return Ok(Value::str(n.name));
                }
                return Err(vm.err(
                    Builtin::AttributeError,
                    format!("'builtin_function_or_method' object has no attribute '{name}'"),
                ));
            }
            Obj::Super(cls, this) => {
                let (cls, this) = (*cls, this.clone());
                let (start_cls, bind_cls) = match &this {
                    Value::Obj(t) if matches!(vm.p.heap.get(*t), Obj::Class(_)) => (*t, *t),
                    _ => {
                        let t = crate::ops::type_of(vm, &this);
                        (t, t)
                    }
                };
                match lookup_after(vm, start_cls, cls, name) {
                    Some(a) => {
                        if let Value::Obj(aid) = &a {
                            if let Obj::ClassMethod(f) = vm.p.heap.get(*aid) {
                                let f = f.clone();
                                return Ok(vm.alloc(Obj::BoundMethod(f, Value::Obj(bind_cls))));
                            }
                        }
                        if matches!(vm.p.heap.get(start_cls), Obj::Class(_)) && this.as_obj() == Some(start_cls) {
                            return Ok(a);
                        }
                        return bind(vm, a, &this, bind_cls);
                    }
                    None => {
                        if name == "__init__" {
                            // object.__init__
                            return Ok(crate::builtins::object_init(vm));
                        }
                        return Err(vm.err(Builtin::AttributeError, format!("'super' object has no attribute '{name}'")));
                    }
                }
            }
            Obj::Property(fget, _) => {
                if name == "setter" || name == "getter" || name == "deleter" {
                    return Ok(vm.alloc(Obj::BuiltinMethod(obj.clone(), Arc::from(name))));
                }
                if name == "fget" {
                    return Ok(fget.clone());
                }
            }
            Obj::Slice(a, b, c) => match name {
                "start" => return Ok(a.clone()),
                "stop" => return Ok(b.clone()),
                "step" => return Ok(c.clone()),
                _ => {}
            },
            Obj::Range(a, b, c) => match name {
                "start" => return Ok(Value::Int(*a)),
                "stop" => return Ok(Value::Int(*b)),
                "step" => return Ok(Value::Int(*c)),
                _ => {}
            },
            Obj::Dict(d) if name == "default_factory" && d.kind == DictKind::Default => return Ok(d.default_factory.clone()),
            Obj::Deque(_, m) if name == "maxlen" => return Ok(m.map(|x| Value::Int(x as i64)).unwrap_or(Value::None)),
            Obj::Generator(g) if name == "__name__" => return Ok(Value::Str(g.name.clone())),
            Obj::Partial(f, a, _) => match name {
                "func" => return Ok(f.clone()),
                "args" => {
                    let a = a.clone();
                    return Ok(vm.new_tuple(a));
                }
                _ => {}
            },
            _ => {}
        }
    }
    match (obj, name) {
        (Value::Int(_) | Value::Bool(_) | Value::Big(_), "real" | "numerator") => return Ok(crate::ops::int_of(obj)),
        (Value::Int(_) | Value::Bool(_) | Value::Big(_), "imag") => return Ok(Value::Int(0)),
        (Value::Int(_) | Value::Bool(_) | Value::Big(_), "denominator") => return Ok(Value::Int(1)),
        (Value::Float(f), "real") => return Ok(Value::Float(*f)),
        (Value::Float(_), "imag") => return Ok(Value::Float(0.0)),
        _ => {}
    }
    if crate::methods::has_method(vm, obj, name) {
        return Ok(vm.alloc(Obj::BuiltinMethod(obj.clone(), Arc::from(name))));
    }
    let t = crate::ops::type_name(vm, obj);
    Err(no_attribute(vm, obj, name, format!("'{t}' object has no attribute '{name}'")))
}

/// The AttributeError of a failed lookup of `name` on `obj`, which keeps
/// both for the traceback's "Did you mean" ([`attribute_suggestion`]).
pub(crate) fn no_attribute(vm: &mut Vm, obj: &Value, name: &str, msg: String) -> Flow {
    let e = vm.new_exc(Builtin::AttributeError, msg);
    if let Value::Obj(id) = &e {
        if let Obj::Instance(inst) = vm.p.heap.get_mut(*id) {
            if let Payload::Exc(d) = &mut inst.payload {
                d.attr = Some((obj.clone(), Arc::from(name)));
            }
        }
    }
    Flow::Raise(e)
}

/// CPython's "Did you mean" for an AttributeError: the closest name of
/// `dir(obj)` ([`crate::suggest`]).
pub fn attribute_suggestion(vm: &mut Vm, obj: &Value, name: &str) -> Option<Arc<str>> {
    let Ok(Value::Obj(list)) = crate::builtins::dir_of(vm, obj) else { return None };
    let mut names: Vec<Arc<str>> = match vm.p.heap.get(list) {
        Obj::List(items) => items.iter().filter_map(|v| if let Value::Str(s) = v { Some(s.clone()) } else { None }).collect(),
        _ => return None,
    };
    // (A builtin value's methods, which `dir()` leaves out here.)
    let methods = crate::methods::names_for(&vm.p.heap, obj);
    if !methods.is_empty() {
        names.extend(methods.iter().map(|m| Arc::from(*m)));
        names.sort();
        names.dedup();
    }
    crate::suggest::closest(names.iter().map(|s| &**s), name)
}

/// `obj.name(...)` without allocating a bound method: returns the callable
/// and the receiver (`Undef` if none). For builtin value types the callable
/// is the method's name as a `str`.
pub fn load_method(vm: &mut Vm, obj: &Value, name: &str) -> R<(Value, Value)> {
    load_method_h(vm, obj, name, crate::dict::str_hash(name), None)
}

/// [`load_method`] with the name's precomputed `str_hash` and optionally a
/// position hint for the class dict (as [`lookup_class_h`]).
pub fn load_method_h(vm: &mut Vm, obj: &Value, name: &str, h: u64, hint: Option<&AtomicU32>) -> R<(Value, Value)> {
    match obj {
        Value::Obj(id) => {
            let id = *id;
            match vm.p.heap.get(id) {
                Obj::Instance(inst) => {
                    let cls = inst.class;
                    if let Some(v) = inst.dict.get_str_h(name, h) {
                        return Ok((v.clone(), Value::Undef));
                    }
                    if let Some(a) = lookup_class_h(vm, cls, name, h, hint) {
                        if let Value::Obj(aid) = &a {
                            match vm.p.heap.get(*aid) {
                                Obj::Function(_) | Obj::Native(_) => return Ok((a, obj.clone())),
                                Obj::ClassMethod(f) => return Ok((f.clone(), Value::Obj(cls))),
                                Obj::StaticMethod(f) => return Ok((f.clone(), Value::Undef)),
                                _ => {}
                            }
                        }
                    }
                    let v = getattr(vm, obj, name)?;
                    Ok((v, Value::Undef))
                }
                Obj::Class(_) | Obj::Module(_) | Obj::Function(_) | Obj::Super(..) | Obj::BoundMethod(..) | Obj::Native(_) => {
                    let v = getattr(vm, obj, name)?;
                    Ok((v, Value::Undef))
                }
                _ => {
                    if crate::methods::has_method(vm, obj, name) {
                        return Ok((Value::str(name), obj.clone()));
                    }
                    let v = getattr(vm, obj, name)?;
                    Ok((v, Value::Undef))
                }
            }
        }
        _ => {
            if crate::methods::has_method(vm, obj, name) {
                return Ok((Value::str(name), obj.clone()));
            }
            let v = getattr(vm, obj, name)?;
            Ok((v, Value::Undef))
        }
    }
}

/// [`setattr`] for a native function: a `__setattr__` written in Python,
/// which [`setattr`] hands back as a call to make, is run to its end here.
pub fn setattr_sync(vm: &mut Vm, obj: &Value, name: &str, v: Value) -> R<()> {
    match setattr(vm, obj, name, v) {
        Err(Flow::Call { callee, args, kwargs }) => vm.call_sync(callee, args, kwargs).map(drop),
        other => other,
    }
}

pub fn setattr(vm: &mut Vm, obj: &Value, name: &str, v: Value) -> R<()> {
    // A class of the program's that defines `__setattr__` gets every
    // store on its instances.
    if let Some(hook) = own_hook(vm, obj, "__setattr__") {
        return Err(Flow::Call { callee: hook, args: vec![obj.clone(), Value::str(name), v], kwargs: vec![] });
    }
    setattr_plain(vm, obj, name, v)
}

/// `object.__setattr__`: a store that no `__setattr__` of the class sees.
pub fn object_setattr(vm: &mut Vm, args: &[Value], _: &crate::value::Kwargs) -> R<Value> {
    let (Some(obj), Some(Value::Str(name)), Some(v)) = (args.first(), args.get(1), args.get(2)) else {
        return Err(vm.type_error("expected 3 arguments: the object, an attribute name (a string) and the value"));
    };
    match setattr_plain(vm, obj, &name.clone(), v.clone()) {
        Err(Flow::Call { callee, args, kwargs }) => vm.call_sync(callee, args, kwargs).map(drop)?,
        other => other?,
    }
    Ok(Value::None)
}

/// [`setattr`] without the class's own `__setattr__`.
pub fn setattr_plain(vm: &mut Vm, obj: &Value, name: &str, v: Value) -> R<()> {
    if let Value::Obj(id) = obj {
        let id = *id;
        match vm.p.heap.get(id) {
            Obj::Instance(inst) => {
                let cls = inst.class;
                let has_descriptors = match vm.p.heap.get(cls) {
                    Obj::Class(c) => c.has_descriptors || c.native != NativeBase::Object,
                    _ => true,
                };
                if !has_descriptors {
                    if let Obj::Instance(inst) = vm.p.heap.get_mut(id) {
                        inst.dict.set_str(name, v);
                    }
                    return Ok(());
                }
                if let Some(Value::Obj(a)) = lookup_class(vm, cls, name) {
                    if let Obj::Property(_, fset) = vm.p.heap.get(a) {
                        let fset = fset.clone();
                        if fset.is_none() {
                            let cn = class_name(vm, cls);
                            return Err(vm.err(
                                Builtin::AttributeError,
                                format!("property '{name}' of '{cn}' object has no setter"),
                            ));
                        }
                        return Err(Flow::Call { callee: fset, args: vec![obj.clone(), v], kwargs: vec![] });
                    }
                }
                let local_key = local_key(vm, cls, name);
                if let Obj::Instance(inst) = vm.p.heap.get_mut(id) {
                    if let Some(k) = local_key {
                        inst.dict.set_str(&k, v);
                        return Ok(());
                    }
                    if let Payload::Exc(e) = &mut inst.payload {
                        match name {
                            "__cause__" => {
                                e.cause = if v.is_none() { None } else { Some(v) };
                                e.suppress_context = true;
                                return Ok(());
                            }
                            "__context__" => {
                                e.context = if v.is_none() { None } else { Some(v) };
                                return Ok(());
                            }
                            "args" => {
                                // Stored as given; reading converts back.
                            }
                            _ => {}
                        }
                    }
                    inst.dict.set_str(name, v);
                }
                return Ok(());
            }
            Obj::Class(_) => {
                // (A property, or a `__setattr__`, set on a class after
                // it was made: its instances' stores must look from now on.)
                let is_prop = name == "__setattr__" || name == "__delattr__" || matches!(&v, Value::Obj(p) if matches!(vm.p.heap.get(*p), Obj::Property(..)));
                if let Obj::Class(c) = vm.p.heap.get_mut(id) {
                    let c = crate::shared::own(c);
                    c.written = true;
                    match (name, &v) {
                        ("__name__", Value::Str(s)) => {
                            c.name = s.clone();
                            return Ok(());
                        }
                        ("__qualname__", Value::Str(s)) => {
                            c.qualname = s.clone();
                            return Ok(());
                        }
                        _ => {}
                    }
                    c.dict.set_str(name, v);
                    if is_prop {
                        c.has_descriptors = true;
                    }
                }
                if is_prop {
                    // Subclasses created earlier may now see a property.
                    let ids: Vec<ObjId> = vm.p.heap.iter().filter_map(|(i, o)| match o {
                        Obj::Class(c) if c.mro.contains(&id) => Some(i),
                        _ => None,
                    }).collect();
                    for i in ids {
                        if let Obj::Class(c) = vm.p.heap.get_mut(i) {
                            let c = crate::shared::own(c);
                            c.written = true;
                            c.has_descriptors = true;
                        }
                    }
                }
                return Ok(());
            }
            Obj::Function(_) => {
                if let Obj::Function(f) = vm.p.heap.get_mut(id) {
                    let f = crate::shared::own(f);
                    match (name, &v) {
                        ("__name__", Value::Str(s)) => f.name = s.clone(),
                        ("__qualname__", Value::Str(s)) => f.qualname = s.clone(),
                        _ => f.attrs.set_str(name, v),
                    }
                }
                return Ok(());
            }
            Obj::Module(m) => {
                let d = m.dict;
                vm.dict_set_str(d, name, v);
                return Ok(());
            }
            _ => {}
        }
    }
    let t = crate::ops::type_name(vm, obj);
    Err(vm.err(Builtin::AttributeError, format!("'{t}' object has no attribute '{name}'")))
}

pub fn delattr(vm: &mut Vm, obj: &Value, name: &str) -> R<()> {
    // A class's own `__delattr__` gets the deletions on its instances, as
    // `__setattr__` gets the stores (see `setattr`).
    if let Some(hook) = own_hook(vm, obj, "__delattr__") {
        return Err(Flow::Call { callee: hook, args: vec![obj.clone(), Value::str(name)], kwargs: vec![] });
    }
    delattr_plain(vm, obj, name)
}

/// `object.__delattr__`: a deletion that no `__delattr__` of the class sees.
pub fn object_delattr(vm: &mut Vm, args: &[Value], _: &crate::value::Kwargs) -> R<Value> {
    let (Some(obj), Some(Value::Str(name))) = (args.first(), args.get(1)) else {
        return Err(vm.type_error("expected 2 arguments: the object and an attribute name (a string)"));
    };
    delattr_plain(vm, obj, &name.clone())?;
    Ok(Value::None)
}

/// The class's own `name` hook (`__setattr__`, `__delattr__`) when `obj`
/// is an instance of a class of the program's that defines one: such a
/// class has `has_descriptors` set, so plain classes never look.
fn own_hook(vm: &Vm, obj: &Value, name: &str) -> Option<Value> {
    let Value::Obj(id) = obj else { return None };
    let Obj::Instance(inst) = vm.p.heap.get(*id) else { return None };
    let cls = inst.class;
    if !matches!(vm.p.heap.get(cls), Obj::Class(c) if c.has_descriptors) {
        return None;
    }
    match lookup_class(vm, cls, name) {
        Some(f @ Value::Obj(fid)) if !matches!(vm.p.heap.get(fid), Obj::Native(_)) => Some(f),
        _ => None,
    }
}

/// [`delattr`] without the class's own `__delattr__`.
pub fn delattr_plain(vm: &mut Vm, obj: &Value, name: &str) -> R<()> {
    if let Value::Obj(id) = obj {
        let id = *id;
        let removed = match vm.p.heap.get_mut(id) {
            Obj::Instance(inst) => inst.dict.del_str(name).is_some(),
            Obj::Class(c) => {
                let c = crate::shared::own(c);
                c.written = true;
                c.dict.del_str(name).is_some()
            }
            Obj::Function(f) => crate::shared::own(f).attrs.del_str(name).is_some(),
            Obj::Module(m) => {
                let d = m.dict;
                vm.dict_del_str(d, name).is_some()
            }
            _ => false,
        };
        if removed {
            return Ok(());
        }
    }
    let t = crate::ops::type_name(vm, obj);
    Err(vm.err(Builtin::AttributeError, format!("'{t}' object has no attribute '{name}'")))
}

/// C3 linearisation of a new class's bases.
fn c3(vm: &mut Vm, cls: ObjId, bases: &[ObjId]) -> R<Vec<ObjId>> {
    let mut seqs: Vec<Vec<ObjId>> = Vec::new();
    for b in bases {
        if let Obj::Class(c) = vm.p.heap.get(*b) {
            seqs.push(c.mro.clone());
        }
    }
    seqs.push(bases.to_vec());
    let mut out = vec![cls];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let mut found = None;
        for s in &seqs {
            let head = s[0];
            if !seqs.iter().any(|t| t[1..].contains(&head)) {
                found = Some(head);
                break;
            }
        }
        let Some(h) = found else {
            return Err(vm.type_error("Cannot create a consistent method resolution order (MRO)"));
        };
        out.push(h);
        for s in seqs.iter_mut() {
            if s[0] == h {
                s.remove(0);
            }
        }
    }
}

/// Creates a class from a finished class body.
pub fn build_class(vm: &mut Vm, name: Value, bases: Vec<Value>, ns: ObjId) -> R<Value> {
    let name: Arc<str> = match name {
        Value::Str(s) => s,
        _ => Arc::from("?"),
    };
    let mut base_ids = Vec::new();
    for b in &bases {
        match b {
            Value::Obj(id) if matches!(vm.p.heap.get(*id), Obj::Class(_)) => base_ids.push(*id),
            _ => return Err(vm.type_error("bases must be types")),
        }
    }
    if base_ids.is_empty() {
        base_ids.push(vm.class(Builtin::Object));
    }
    let dict = match vm.p.heap.get(ns) {
        Obj::Dict(d) => d.d.clone(),
        _ => PyDict::new(),
    };
    let qualname = match dict.get_str("__qualname__") {
        Some(Value::Str(s)) => s.clone(),
        _ => name.clone(),
    };
    let cls = vm.p.heap.alloc(Obj::Class(Arc::new(Class {
        name: name.clone(),
        qualname,
        module: Arc::from("__main__"),
        bases: base_ids.clone(),
        mro: vec![],
        dict,
        native: NativeBase::Object,
        builtin: None,
        has_descriptors: true,
        written: false,
    })));
    let mro = c3(vm, cls, &base_ids)?;
    let mut native = NativeBase::Object;
    for m in &mro[1..] {
        if let Obj::Class(c) = vm.p.heap.get(*m) {
            if c.native != NativeBase::Object {
                native = c.native;
                break;
            }
        }
    }
    // Methods remember their class, for zero-argument super().
    let values: Vec<Value> = match vm.p.heap.get(cls) {
        Obj::Class(c) => c.dict.values(),
        _ => vec![],
    };
    for v in values {
        let mut targets = vec![v.clone()];
        if let Value::Obj(id) = &v {
            match vm.p.heap.get(*id) {
                Obj::StaticMethod(f) | Obj::ClassMethod(f) => targets.push(f.clone()),
                Obj::Property(a, b) => {
                    targets.push(a.clone());
                    targets.push(b.clone());
                }
                _ => {}
            }
        }
        for t in targets {
            if let Value::Obj(fid) = t {
                if let Obj::Function(f) = vm.p.heap.get_mut(fid) {
                    let f = crate::shared::own(f);
                    if f.owner.is_none() {
                        f.owner = Some(cls);
                    }
                }
            }
        }
    }
    // Any property in the MRO? (Builtin library classes count as having
    // some; plain `object` does not.)
    let object = vm.class(Builtin::Object);
    let mut has_descriptors = false;
    for m in &mro {
        if let Obj::Class(c) = vm.p.heap.get(*m) {
            if c.builtin.is_some() && *m != object && c.native != NativeBase::Object {
                has_descriptors = true;
            }
            for e in c.dict.iter() {
                if let Value::Obj(v) = &e.value {
                    if matches!(vm.p.heap.get(*v), Obj::Property(..)) {
                        has_descriptors = true;
                    }
                }
            }
            // A `__setattr__` of the program's own (see `setattr`).
            if *m != object && (c.dict.get_str("__setattr__").is_some() || c.dict.get_str("__delattr__").is_some()) {
                has_descriptors = true;
            }
        }
    }
    if let Obj::Class(c) = vm.p.heap.get_mut(cls) {
        let c = crate::shared::own(c);
        c.mro = mro;
        c.native = native;
        c.has_descriptors = has_descriptors;
    }
    Ok(Value::Obj(cls))
}
