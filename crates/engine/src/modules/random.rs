//! `random`, seeded from the run's seed so every run is reproducible.
//! (The sequence differs from CPython's Mersenne Twister; programs that
//! depend on exact random values are nondeterministic in CPython anyway.)

use crate::methods::kwarg;
use crate::modules::{add_fn, new_module};
use crate::object::Obj;
use crate::ops;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// SplitMix64: tiny, fast, good enough, and trivially snapshot-able.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rng {
    pub state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng { state: seed ^ 0x5DEE_CE66_D1CE_4E5B }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

fn int_arg(vm: &mut Vm, v: Option<&Value>) -> R<i64> {
    match v {
        Some(Value::Int(i)) => Ok(*i),
        Some(Value::Bool(b)) => Ok(*b as i64),
        Some(Value::Float(f)) if f.fract() == 0.0 => Ok(*f as i64),
        Some(other) => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")))
        }
        None => Err(vm.type_error("missing argument")),
    }
}

fn random(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Float(vm.p.rng.next_f64()))
}

fn randrange_impl(vm: &mut Vm, a: i64, b: i64, step: i64) -> R<i64> {
    if step == 0 {
        return Err(vm.value_error("zero step for randrange()"));
    }
    let n = crate::ops::range_len(a, b, step);
    if n <= 0 {
        return Err(vm.value_error(format!("empty range for randrange() ({a}, {b}, {})", b - a)));
    }
    Ok(a + step * vm.p.rng.below(n as u64) as i64)
}

fn randint(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let a = int_arg(vm, args.first())?;
    let b = int_arg(vm, args.get(1))?;
    if b < a {
        return Err(vm.value_error(format!("empty range for randrange() ({a}, {}, {})", b + 1, b + 1 - a)));
    }
    Ok(Value::Int(randrange_impl(vm, a, b + 1, 1)?))
}

fn randrange(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (a, b, s) = match args.len() {
        1 => (0, int_arg(vm, args.first())?, 1),
        2 => (int_arg(vm, args.first())?, int_arg(vm, args.get(1))?, 1),
        _ => (int_arg(vm, args.first())?, int_arg(vm, args.get(1))?, int_arg(vm, args.get(2))?),
    };
    Ok(Value::Int(randrange_impl(vm, a, b, s)?))
}

fn uniform(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let a = args.first().and_then(ops::to_f64).unwrap_or(0.0);
    let b = args.get(1).and_then(ops::to_f64).unwrap_or(1.0);
    Ok(Value::Float(a + (b - a) * vm.p.rng.next_f64()))
}

fn choice(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let items = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    if items.is_empty() {
        return Err(vm.err(crate::types::Builtin::IndexError, "Cannot choose from an empty sequence"));
    }
    let i = vm.p.rng.below(items.len() as u64) as usize;
    Ok(items[i].clone())
}

fn choices(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let items = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    let k = match kwarg(kwargs, "k") {
        Some(Value::Int(k)) => *k as usize,
        _ => 1,
    };
    if items.is_empty() {
        return Err(vm.err(crate::types::Builtin::IndexError, "Cannot choose from an empty sequence"));
    }
    let weights = match args.get(1).or_else(|| kwarg(kwargs, "weights")) {
        Some(w) if !w.is_none() => Some(ops::to_vec(vm, w)?.iter().map(|x| ops::to_f64(x).unwrap_or(0.0)).collect::<Vec<f64>>()),
        _ => None,
    };
    let mut out = Vec::with_capacity(k);
    for _ in 0..k {
        let i = match &weights {
            Some(w) => {
                let total: f64 = w.iter().sum();
                let mut r = vm.p.rng.next_f64() * total;
                let mut idx = w.len() - 1;
                for (j, x) in w.iter().enumerate() {
                    if r < *x {
                        idx = j;
                        break;
                    }
                    r -= x;
                }
                idx.min(items.len() - 1)
            }
            None => vm.p.rng.below(items.len() as u64) as usize,
        };
        out.push(items[i].clone());
    }
    Ok(vm.new_list(out))
}

fn shuffle(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if let Some(Value::Obj(id)) = args.first() {
        let n = match vm.p.heap.get(*id) {
            Obj::List(l) => l.len(),
            _ => return Err(vm.type_error("shuffle() needs a list")),
        };
        let mut swaps = Vec::new();
        for i in (1..n).rev() {
            swaps.push((i, vm.p.rng.below(i as u64 + 1) as usize));
        }
        if let Obj::List(l) = vm.p.heap.get_mut(*id) {
            for (i, j) in swaps {
                l.swap(i, j);
            }
        }
    }
    Ok(Value::None)
}

fn sample(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let mut items = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    let k = int_arg(vm, args.get(1).or_else(|| kwarg(kwargs, "k")))?;
    if k < 0 || k as usize > items.len() {
        return Err(vm.value_error("Sample larger than population or is negative"));
    }
    let mut out = Vec::new();
    for _ in 0..k {
        let i = vm.p.rng.below(items.len() as u64) as usize;
        out.push(items.remove(i));
    }
    Ok(vm.new_list(out))
}

fn seed(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let s = match args.first() {
        Some(v) => ops::hash_value(vm, v)?,
        None => 0,
    };
    vm.p.rng = Rng::new(s);
    Ok(Value::None)
}

fn gauss(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let mu = args.first().and_then(ops::to_f64).unwrap_or(0.0);
    let sigma = args.get(1).and_then(ops::to_f64).unwrap_or(1.0);
    let u1 = vm.p.rng.next_f64().max(1e-300);
    let u2 = vm.p.rng.next_f64();
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    Ok(Value::Float(mu + sigma * z))
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "random");
    add_fn(vm, d, "random", "random", random);
    add_fn(vm, d, "randint", "random", randint);
    add_fn(vm, d, "randrange", "random", randrange);
    add_fn(vm, d, "uniform", "random", uniform);
    add_fn(vm, d, "choice", "random", choice);
    add_fn(vm, d, "choices", "random", choices);
    add_fn(vm, d, "shuffle", "random", shuffle);
    add_fn(vm, d, "sample", "random", sample);
    add_fn(vm, d, "seed", "random", seed);
    add_fn(vm, d, "gauss", "random", gauss);
    add_fn(vm, d, "normalvariate", "random", gauss);
    m
}
