//! `math`: the common functions, with CPython's domain errors.

use num_bigint::BigInt;
use num_traits::{One, ToPrimitive};

use crate::modules::{add_fn, new_module};
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

fn f(vm: &mut Vm, args: &[Value], i: usize) -> R<f64> {
    match args.get(i) {
        Some(v) => match ops::to_f64(v) {
            Some(x) => Ok(x),
            None => {
                let t = ops::type_name(vm, v);
                Err(vm.type_error(format!("must be real number, not {t}")))
            }
        },
        None => Err(vm.type_error("missing argument")),
    }
}

fn domain(vm: &mut Vm) -> crate::vm::Flow {
    vm.value_error("math domain error")
}

fn int_result(x: f64) -> Value {
    match x.to_i64() {
        Some(i) if x.abs() < 9.0e18 => Value::Int(i),
        _ => Value::from_big(BigInt::from(x as i128)),
    }
}

macro_rules! unary {
    ($name:ident, $e:expr) => {
        fn $name(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
            let x = f(vm, args, 0)?;
            let g: fn(f64) -> f64 = $e;
            Ok(Value::Float(g(x)))
        }
    };
}

unary!(sin, f64::sin);
unary!(cos, f64::cos);
unary!(tan, f64::tan);
unary!(atan, f64::atan);
unary!(exp, f64::exp);
unary!(fabs, f64::abs);
unary!(degrees, f64::to_degrees);
unary!(radians, f64::to_radians);

fn sqrt(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let x = f(vm, args, 0)?;
    if x < 0.0 {
        return Err(domain(vm));
    }
    Ok(Value::Float(x.sqrt()))
}

fn log(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let x = f(vm, args, 0)?;
    if x <= 0.0 {
        return Err(domain(vm));
    }
    match args.get(1) {
        Some(_) => {
            let b = f(vm, args, 1)?;
            Ok(Value::Float(x.ln() / b.ln()))
        }
        None => Ok(Value::Float(x.ln())),
    }
}

fn log2(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let x = f(vm, args, 0)?;
    if x <= 0.0 {
        return Err(domain(vm));
    }
    Ok(Value::Float(x.log2()))
}

fn log10(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let x = f(vm, args, 0)?;
    if x <= 0.0 {
        return Err(domain(vm));
    }
    Ok(Value::Float(x.log10()))
}

fn floor(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if let Some(v @ (Value::Int(_) | Value::Big(_))) = args.first() {
        return Ok(v.clone());
    }
    let x = f(vm, args, 0)?;
    Ok(int_result(x.floor()))
}

fn ceil(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if let Some(v @ (Value::Int(_) | Value::Big(_))) = args.first() {
        return Ok(v.clone());
    }
    let x = f(vm, args, 0)?;
    Ok(int_result(x.ceil()))
}

fn trunc(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let x = f(vm, args, 0)?;
    Ok(int_result(x.trunc()))
}

fn pow(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (x, y) = (f(vm, args, 0)?, f(vm, args, 1)?);
    Ok(Value::Float(x.powf(y)))
}

fn atan2(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (y, x) = (f(vm, args, 0)?, f(vm, args, 1)?);
    Ok(Value::Float(y.atan2(x)))
}

fn hypot(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let mut s = 0.0;
    for i in 0..args.len() {
        let x = f(vm, args, i)?;
        s += x * x;
    }
    Ok(Value::Float(s.sqrt()))
}

fn isclose(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let (a, b) = (f(vm, args, 0)?, f(vm, args, 1)?);
    let rel = crate::methods::kwarg(kwargs, "rel_tol").and_then(ops::to_f64).unwrap_or(1e-9);
    let abs = crate::methods::kwarg(kwargs, "abs_tol").and_then(ops::to_f64).unwrap_or(0.0);
    Ok(Value::Bool(a == b || (a - b).abs() <= (rel * a.abs().max(b.abs())).max(abs)))
}

fn big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::Big(b) => Some((**b).clone()),
        _ => None,
    }
}

fn gcd(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    use num_integer::Integer;
    let mut g = BigInt::from(0);
    for a in args {
        match big(a) {
            Some(x) => g = g.gcd(&x),
            None => return Err(vm.type_error("'float' object cannot be interpreted as an integer")),
        }
    }
    Ok(Value::from_big(g))
}

fn factorial(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let n = match args.first() {
        Some(Value::Int(n)) => *n,
        _ => return Err(vm.type_error("factorial() only accepts integral values")),
    };
    if n < 0 {
        return Err(vm.value_error("factorial() not defined for negative values"));
    }
    if n > 20000 {
        return Err(vm.err(Builtin::MemoryError, "factorial argument too large for Interleave"));
    }
    let mut r = BigInt::one();
    for i in 2..=n {
        r *= i;
    }
    Ok(Value::from_big(r))
}

fn comb_perm(vm: &mut Vm, args: &[Value], perm: bool) -> R<Value> {
    let n = match args.first() {
        Some(Value::Int(n)) => *n,
        _ => return Err(vm.type_error("n must be an integer")),
    };
    let k = match args.get(1) {
        Some(Value::Int(k)) => *k,
        _ if perm => n,
        _ => return Err(vm.type_error("k must be an integer")),
    };
    if n < 0 || k < 0 {
        return Err(vm.value_error("n must be a non-negative integer"));
    }
    if k > n {
        return Ok(Value::Int(0));
    }
    let mut r = BigInt::one();
    for i in 0..k {
        r *= n - i;
    }
    if !perm {
        for i in 1..=k {
            r /= i;
        }
    }
    Ok(Value::from_big(r))
}

fn isqrt(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    match args.first().and_then(big) {
        Some(n) if n >= BigInt::from(0) => Ok(Value::from_big(n.sqrt())),
        Some(_) => Err(vm.value_error("isqrt() argument must be nonnegative")),
        None => Err(vm.type_error("isqrt() argument must be an integer")),
    }
}

fn prod(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let items = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    let mut acc = Value::Int(1);
    for x in items {
        acc = ops::binary(vm, crate::syntax::ast::BinOp::Mult, &acc, &x, false)?;
    }
    Ok(acc)
}

fn fsum(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let items = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    // Neumaier summation.
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for x in items {
        let v = ops::to_f64(&x).unwrap_or(0.0);
        let t = s + v;
        if s.abs() >= v.abs() {
            c += (s - t) + v;
        } else {
            c += (v - t) + s;
        }
        s = t;
    }
    Ok(Value::Float(s + c))
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "math");
    let fns: &[(&'static str, crate::object::NativeFnPtr)] = &[
        ("sqrt", sqrt),
        ("sin", sin),
        ("cos", cos),
        ("tan", tan),
        ("atan", atan),
        ("atan2", atan2),
        ("exp", exp),
        ("fabs", fabs),
        ("degrees", degrees),
        ("radians", radians),
        ("log", log),
        ("log2", log2),
        ("log10", log10),
        ("floor", floor),
        ("ceil", ceil),
        ("trunc", trunc),
        ("pow", pow),
        ("hypot", hypot),
        ("isclose", isclose),
        ("gcd", gcd),
        ("factorial", factorial),
        ("comb", |vm, a, _| comb_perm(vm, a, false)),
        ("perm", |vm, a, _| comb_perm(vm, a, true)),
        ("isqrt", isqrt),
        ("prod", prod),
        ("fsum", fsum),
        ("isnan", |vm, a, _| Ok(Value::Bool(f(vm, a, 0)?.is_nan()))),
        ("isinf", |vm, a, _| Ok(Value::Bool(f(vm, a, 0)?.is_infinite()))),
        ("isfinite", |vm, a, _| Ok(Value::Bool(f(vm, a, 0)?.is_finite()))),
    ];
    for (n, g) in fns {
        add_fn(vm, d, n, "math", *g);
    }
    vm.dict_set_str(d, "pi", Value::Float(std::f64::consts::PI));
    vm.dict_set_str(d, "e", Value::Float(std::f64::consts::E));
    vm.dict_set_str(d, "tau", Value::Float(std::f64::consts::TAU));
    vm.dict_set_str(d, "inf", Value::Float(f64::INFINITY));
    vm.dict_set_str(d, "nan", Value::Float(f64::NAN));
    m
}
