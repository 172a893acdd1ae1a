//! `datetime.datetime.now()` on the virtual wall clock, with `str()`,
//! `strftime`, `isoformat` and `timestamp`; subtraction gives seconds as a
//! `timedelta`-like float (`total_seconds()`).

use crate::modules::{add_class, add_method, new_module};
use crate::object::*;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

fn ts_of(vm: &Vm, v: &Value) -> f64 {
    if let Value::Obj(id) = v {
        if let Obj::Instance(i) = vm.p.heap.get(*id) {
            if let Some(Value::Float(f)) = i.dict.get_str("_ts") {
                return *f;
            }
        }
    }
    0.0
}

fn make(vm: &mut Vm, ts: f64) -> Value {
    let cls = vm.class(Builtin::Datetime);
    let mut d = crate::dict::PyDict::new();
    d.set_str("_ts", Value::Float(ts));
    let secs = ts.floor() as i64;
    let (y, m, day) = crate::modules::time::civil(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    d.set_str("year", Value::Int(y));
    d.set_str("month", Value::Int(m as i64));
    d.set_str("day", Value::Int(day as i64));
    d.set_str("hour", Value::Int(sod / 3600));
    d.set_str("minute", Value::Int((sod / 60) % 60));
    d.set_str("second", Value::Int(sod % 60));
    d.set_str("microsecond", Value::Int(((ts - ts.floor()) * 1e6).round() as i64));
    vm.alloc(Obj::Instance(Box::new(Instance { class: cls, dict: d, payload: Payload::None })))
}

fn now(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let ts = crate::modules::time::wall_secs(vm);
    Ok(make(vm, ts))
}

fn dt_str(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let ts = ts_of(vm, args.first().unwrap_or(&Value::None));
    let us = ((ts - ts.floor()) * 1e6).round() as i64;
    let fmt = if us == 0 { "%Y-%m-%d %H:%M:%S" } else { "%Y-%m-%d %H:%M:%S.%f" };
    Ok(Value::from_string(crate::modules::time::strftime(fmt, ts)))
}

fn dt_iso(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let ts = ts_of(vm, args.first().unwrap_or(&Value::None));
    let us = ((ts - ts.floor()) * 1e6).round() as i64;
    let fmt = if us == 0 { "%Y-%m-%dT%H:%M:%S" } else { "%Y-%m-%dT%H:%M:%S.%f" };
    Ok(Value::from_string(crate::modules::time::strftime(fmt, ts)))
}

fn dt_strftime(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let ts = ts_of(vm, args.first().unwrap_or(&Value::None));
    match args.get(1) {
        Some(Value::Str(f)) => Ok(Value::from_string(crate::modules::time::strftime(f, ts))),
        _ => Err(vm.type_error("strftime() argument 1 must be str")),
    }
}

fn dt_timestamp(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Float(ts_of(vm, args.first().unwrap_or(&Value::None))))
}

fn dt_sub(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let a = ts_of(vm, args.first().unwrap_or(&Value::None));
    let b = ts_of(vm, args.get(1).unwrap_or(&Value::None));
    let cls = vm.class(Builtin::Timedelta);
    let mut d = crate::dict::PyDict::new();
    d.set_str("_secs", Value::Float(a - b));
    d.set_str("seconds", Value::Int((a - b).floor() as i64));
    Ok(vm.alloc(Obj::Instance(Box::new(Instance { class: cls, dict: d, payload: Payload::None }))))
}

fn td_total(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if let Some(Value::Obj(id)) = args.first() {
        if let Obj::Instance(i) = vm.p.heap.get(*id) {
            if let Some(v) = i.dict.get_str("_secs") {
                return Ok(v.clone());
            }
        }
    }
    Ok(Value::Float(0.0))
}

fn td_str(vm: &mut Vm, args: &[Value], k: &Kwargs) -> R<Value> {
    let s = match td_total(vm, args, k)? {
        Value::Float(f) => f,
        _ => 0.0,
    };
    let whole = s.floor() as i64;
    let us = ((s - s.floor()) * 1e6).round() as i64;
    let base = format!("{}:{:02}:{:02}", whole / 3600, (whole / 60) % 60, whole % 60);
    Ok(Value::from_string(if us > 0 { format!("{base}.{us:06}") } else { base }))
}

pub fn install_classes(vm: &mut Vm) {
    add_method(vm, Builtin::Datetime, "__str__", dt_str);
    add_method(vm, Builtin::Datetime, "isoformat", dt_iso);
    add_method(vm, Builtin::Datetime, "strftime", dt_strftime);
    add_method(vm, Builtin::Datetime, "timestamp", dt_timestamp);
    add_method(vm, Builtin::Datetime, "__sub__", dt_sub);
    add_method(vm, Builtin::Timedelta, "total_seconds", td_total);
    add_method(vm, Builtin::Timedelta, "__str__", td_str);
    let now_fn = crate::builtins::native(vm, "now", "datetime", now);
    let sm = vm.alloc(Obj::StaticMethod(now_fn));
    let cls = vm.class(Builtin::Datetime);
    if let Obj::Class(c) = vm.p.heap.get_mut(cls) {
        let c = crate::shared::own(c);
        c.dict.set_str("now", sm.clone());
        c.dict.set_str("today", sm.clone());
        c.dict.set_str("utcnow", sm);
    }
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "datetime");
    add_class(vm, d, Builtin::Datetime);
    add_class(vm, d, Builtin::Timedelta);
    m
}
