//! `random`, as CPython 3.11's module-level functions.
//!
//! Two sources of bits, one set of algorithms:
//! - **Unseeded** (the program never called `random.seed`), the bits come
//!   from SplitMix64 seeded with the run's seed: every run is replayable,
//!   and the state is 8 bytes, cheap to copy and fingerprint at every
//!   scheduling point. CPython seeds from the OS here, so no program can
//!   count on these values anyway.
//! - **After `random.seed(a)`**, the bits are CPython's Mersenne Twister
//!   seeded as CPython seeds it ([`super::mersenne`]), so a seeded
//!   program prints what it prints under CPython.
//!
//! Every function turns bits into values exactly as `random.py` does
//! (`_randbelow` by rejection over `getrandbits`, `random()` from 53
//! bits, `sample`'s two methods, `gauss`'s spare value), so with the
//! Twister the results match CPython's to the bit.

use std::sync::Arc;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive};

use super::mersenne::{key_of_be_bytes, key_of_bytes_seed, Mt};
use crate::methods::kwarg;
use crate::modules::{add_fn, new_module};
use crate::object::Obj;
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// SplitMix64: tiny, fast, good enough, and trivially snapshot-able. The
/// engine's own randomness (random schedules, the unseeded `random`
/// module) uses it.
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

/// Where the `random` module's bits come from (see the module docs).
#[derive(Clone, Debug, Hash)]
enum Source {
    Run(Rng),
    Seeded(Arc<Mt>),
}

/// The `random` module's generator of one process: the state behind
/// CPython's hidden `random._inst`.
#[derive(Clone, Debug, Hash)]
pub struct PyRandom {
    source: Source,
    /// `gauss`'s second value of a pair, kept for the next call (as bits).
    gauss_next: Option<u64>,
}

impl PyRandom {
    /// Unseeded, from the run's seed.
    pub fn new(run_seed: u64) -> PyRandom {
        PyRandom { source: Source::Run(Rng::new(run_seed)), gauss_next: None }
    }

    /// `genrand_uint32`.
    fn next_u32(&mut self) -> u32 {
        match &mut self.source {
            Source::Run(r) => (r.next_u64() >> 32) as u32,
            // A copy of the machine shares the state until one draws.
            Source::Seeded(mt) => Arc::make_mut(mt).next_u32(),
        }
    }

    /// `random()`: 53 random bits in [0, 1) (`genrand_res53`).
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)`: 32-bit words, least significant first, the last
    /// one cut to what is left.
    fn getrandbits(&mut self, k: u64) -> BigInt {
        if k <= 64 {
            return BigInt::from(self.bits64(k as u32));
        }
        let mut words = Vec::with_capacity(k.div_ceil(32) as usize);
        let mut left = k;
        while left > 0 {
            let r = self.next_u32();
            words.push(if left < 32 { r >> (32 - left) } else { r });
            left = left.saturating_sub(32);
        }
        BigInt::from_slice(Sign::Plus, &words)
    }

    /// `getrandbits(k)` for k <= 64.
    fn bits64(&mut self, k: u32) -> u64 {
        match k {
            0 => 0,
            1..=32 => u64::from(self.next_u32() >> (32 - k)),
            _ => {
                let low = u64::from(self.next_u32());
                let high = u64::from(self.next_u32() >> (64 - k));
                low | (high << 32)
            }
        }
    }

    /// `_randbelow(n)` for 0 < n: rejection sampling over `getrandbits`.
    fn below(&mut self, n: u64) -> u64 {
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.bits64(k);
            if r < n {
                return r;
            }
        }
    }

    /// `_randbelow(n)` for an int past 64 bits.
    fn below_big(&mut self, n: &BigInt) -> BigInt {
        let k = n.bits();
        loop {
            let r = self.getrandbits(k);
            if &r < n {
                return r;
            }
        }
    }

    /// `random.seed(a)` with the key CPython makes of `a`.
    fn seed(&mut self, key: &[u32]) {
        self.source = Source::Seeded(Arc::new(Mt::from_key(key)));
        self.gauss_next = None;
    }

    /// `random.seed()` with no seed: CPython reads the OS's randomness;
    /// here a new unseeded stream drawn from the current one.
    fn reseed_unseeded(&mut self) {
        let s = u64::from(self.next_u32()) << 32 | u64::from(self.next_u32());
        self.source = Source::Run(Rng::new(s));
        self.gauss_next = None;
    }
}

/// An int argument of `randrange` and friends, as `operator.index` takes
/// it (a float with an integral value too, as 3.11 still allows).
fn int_arg(vm: &mut Vm, v: Option<&Value>, which: &str) -> R<BigInt> {
    match v {
        Some(Value::Int(i)) => Ok(BigInt::from(*i)),
        Some(Value::Big(b)) => Ok((**b).clone()),
        Some(Value::Bool(b)) => Ok(BigInt::from(*b as i64)),
        Some(Value::Float(f)) if f.fract() == 0.0 && f.is_finite() => Ok(BigInt::from(*f as i64)),
        Some(Value::Float(_)) => Err(vm.value_error(format!("non-integer {which} for randrange()"))),
        Some(other) => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")))
        }
        None => Err(vm.type_error("missing argument")),
    }
}

/// `_randbelow(n)` for n > 0.
fn below(vm: &mut Vm, n: &BigInt) -> BigInt {
    match n.to_u64() {
        Some(small) => BigInt::from(vm.p.rng.below(small)),
        None => vm.p.rng.below_big(n),
    }
}

/// `_randbelow(n)` for a length.
fn below_len(vm: &mut Vm, n: usize) -> usize {
    vm.p.rng.below(n as u64) as usize
}

fn random(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Float(vm.p.rng.random()))
}

/// `randrange(start, stop=None, step=1)`, with `random.py`'s checks and
/// messages.
fn randrange_impl(vm: &mut Vm, start: &Value, stop: Option<&Value>, step: Option<&Value>) -> R<Value> {
    let istart = int_arg(vm, Some(start), "arg 1")?;
    let Some(stop) = stop.filter(|v| !v.is_none()) else {
        if step.is_some() {
            return Err(vm.type_error("Missing a non-None stop argument"));
        }
        if istart.is_positive() {
            return Ok(Value::from_big(below(vm, &istart)));
        }
        return Err(vm.value_error("empty range for randrange()"));
    };
    let istop = int_arg(vm, Some(stop), "stop")?;
    let width = &istop - &istart;
    let istep = match step {
        Some(s) => int_arg(vm, Some(s), "step")?,
        None => BigInt::from(1),
    };
    if istep == BigInt::from(1) {
        if width.is_positive() {
            return Ok(Value::from_big(istart + below(vm, &width)));
        }
        return Err(vm.value_error(format!("empty range for randrange() ({istart}, {istop}, {width})")));
    }
    let n = if istep.is_positive() {
        num_integer::Integer::div_floor(&(&width + &istep - 1), &istep)
    } else if istep.is_negative() {
        num_integer::Integer::div_floor(&(&width + &istep + 1), &istep)
    } else {
        return Err(vm.value_error("zero step for randrange()"));
    };
    if !n.is_positive() {
        return Err(vm.value_error("empty range for randrange()"));
    }
    let r = below(vm, &n);
    Ok(Value::from_big(istart + istep * r))
}

fn randrange(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let start = args.first().or_else(|| kwarg(kwargs, "start")).cloned();
    let Some(start) = start else {
        return Err(vm.type_error("Random.randrange() missing 1 required positional argument: 'start'"));
    };
    let stop = args.get(1).or_else(|| kwarg(kwargs, "stop")).cloned();
    let step = args.get(2).or_else(|| kwarg(kwargs, "step")).cloned();
    randrange_impl(vm, &start, stop.as_ref(), step.as_ref())
}

fn randint(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let [a, b] = args else {
        return Err(vm.type_error(format!("Random.randint() takes 3 positional arguments but {} were given", args.len() + 1)));
    };
    let b1 = ops::binary(vm, crate::syntax::ast::BinOp::Add, b, &Value::Int(1), false)?;
    randrange_impl(vm, a, Some(&b1), None)
}

fn getrandbits(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let k = match args.first() {
        Some(v) => crate::methods::need_int(vm, v)?,
        None => return Err(vm.type_error("getrandbits() takes exactly one argument (0 given)")),
    };
    if k < 0 {
        return Err(vm.value_error("number of bits must be non-negative"));
    }
    Ok(Value::from_big(vm.p.rng.getrandbits(k as u64)))
}

fn uniform(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let a = args.first().and_then(ops::to_f64).unwrap_or(0.0);
    let b = args.get(1).and_then(ops::to_f64).unwrap_or(1.0);
    Ok(Value::Float(a + (b - a) * vm.p.rng.random()))
}

fn triangular(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let arg = |i: usize, name: &str| args.get(i).or_else(|| kwarg(kwargs, name)).filter(|v| !v.is_none()).and_then(ops::to_f64);
    let (mut low, mut high) = (arg(0, "low").unwrap_or(0.0), arg(1, "high").unwrap_or(1.0));
    let mode = arg(2, "mode");
    let mut u = vm.p.rng.random();
    if high == low && mode.is_some() {
        return Ok(Value::Float(low));
    }
    let mut c = mode.map_or(0.5, |m| (m - low) / (high - low));
    if u > c {
        u = 1.0 - u;
        c = 1.0 - c;
        std::mem::swap(&mut low, &mut high);
    }
    Ok(Value::Float(low + (high - low) * (u * c).sqrt()))
}

/// A sequence argument as a list of its items; `what` names it in the
/// TypeError a set gets (CPython indexes the sequence, which a set
/// cannot be).
fn sequence(vm: &mut Vm, v: Option<&Value>, set_message: &str) -> R<Vec<Value>> {
    let v = v.unwrap_or(&Value::None);
    if let Value::Obj(id) = v {
        if matches!(vm.p.heap.get(*id), Obj::Set(..)) {
            return Err(vm.type_error(set_message.to_string()));
        }
    }
    ops::to_vec(vm, v)
}

fn choice(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let items = sequence(vm, args.first(), "'set' object is not subscriptable")?;
    if items.is_empty() {
        return Err(vm.err(Builtin::IndexError, "Cannot choose from an empty sequence"));
    }
    let i = below_len(vm, items.len());
    Ok(items[i].clone())
}

fn choices(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let items = sequence(vm, args.first(), "'set' object is not subscriptable")?;
    let k = match kwarg(kwargs, "k") {
        Some(v) => crate::methods::need_int(vm, v)?.max(0) as usize,
        None => 1,
    };
    let weights = args.get(1).or_else(|| kwarg(kwargs, "weights")).filter(|w| !w.is_none()).cloned();
    let cum_weights = kwarg(kwargs, "cum_weights").filter(|w| !w.is_none()).cloned();
    let n = items.len();
    let cum: Vec<f64> = match (weights, cum_weights) {
        (None, None) => {
            let mut out = Vec::with_capacity(k);
            for _ in 0..k {
                let i = (vm.p.rng.random() * n as f64).floor() as usize;
                let Some(x) = items.get(i) else {
                    return Err(vm.err(Builtin::IndexError, "list index out of range"));
                };
                out.push(x.clone());
            }
            return Ok(vm.new_list(out));
        }
        (Some(_), Some(_)) => return Err(vm.type_error("Cannot specify both weights and cumulative weights")),
        (Some(w), None) => {
            if let Value::Int(k) = w {
                return Err(vm.type_error(format!("The number of choices must be a keyword argument: k={k}")));
            }
            let mut total = 0.0;
            ops::to_vec(vm, &w)?.iter().map(|x| {
                total += ops::to_f64(x).unwrap_or(f64::NAN);
                total
            }).collect()
        }
        (None, Some(c)) => ops::to_vec(vm, &c)?.iter().map(|x| ops::to_f64(x).unwrap_or(f64::NAN)).collect(),
    };
    if cum.len() != n {
        return Err(vm.value_error("The number of weights does not match the population"));
    }
    let total = cum.last().copied().unwrap_or(0.0);
    if total <= 0.0 {
        return Err(vm.value_error("Total of weights must be greater than zero"));
    }
    if !total.is_finite() {
        return Err(vm.value_error("Total of weights must be finite"));
    }
    let hi = n - 1;
    let mut out = Vec::with_capacity(k);
    for _ in 0..k {
        // bisect_right(cum, x, 0, hi)
        let x = vm.p.rng.random() * total;
        let i = cum[..hi].partition_point(|c| *c <= x);
        out.push(items[i].clone());
    }
    Ok(vm.new_list(out))
}

fn shuffle(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = match args.first() {
        Some(Value::Obj(id)) if matches!(vm.p.heap.get(*id), Obj::List(_)) => *id,
        Some(other) => {
            let t = ops::type_name(vm, other);
            return Err(vm.type_error(format!("'{t}' object does not support item assignment")));
        }
        None => return Err(vm.type_error("Random.shuffle() missing 1 required positional argument: 'x'")),
    };
    let n = match vm.p.heap.get(id) {
        Obj::List(l) => l.len(),
        _ => 0,
    };
    let mut swaps = Vec::with_capacity(n);
    for i in (1..n).rev() {
        swaps.push((i, below_len(vm, i + 1)));
    }
    if let Obj::List(l) = vm.p.heap.get_mut(id) {
        for (i, j) in swaps {
            l.swap(i, j);
        }
    }
    Ok(Value::None)
}

fn sample(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    if kwarg(kwargs, "counts").is_some_and(|c| !c.is_none()) {
        return Err(vm.err(Builtin::NotImplementedError, "Interleave's random.sample() does not support counts= yet"));
    }
    let population = sequence(vm, args.first(), "Population must be a sequence.  For dicts or sets, use sorted(d).")?;
    let k = match args.get(1).or_else(|| kwarg(kwargs, "k")) {
        Some(v) => crate::methods::need_int(vm, v)?,
        None => return Err(vm.type_error("Random.sample() missing 1 required positional argument: 'k'")),
    };
    let n = population.len();
    if k < 0 || k as usize > n {
        return Err(vm.value_error("Sample larger than population or is negative"));
    }
    let k = k as usize;
    // random.py's two methods, chosen by its own rule: a pool for small
    // populations, a set of picked indices for large ones.
    let mut setsize = 21usize;
    if k > 5 {
        setsize += 4usize.pow(((k * 3) as f64).log(4.0).ceil() as u32);
    }
    let mut out = Vec::with_capacity(k);
    if n <= setsize {
        let mut pool = population;
        for i in 0..k {
            let j = below_len(vm, n - i);
            out.push(pool[j].clone());
            pool[j] = pool[n - i - 1].clone();
        }
    } else {
        let mut selected = std::collections::HashSet::with_capacity(k);
        for _ in 0..k {
            let mut j = below_len(vm, n);
            while selected.contains(&j) {
                j = below_len(vm, n);
            }
            selected.insert(j);
            out.push(population[j].clone());
        }
    }
    Ok(vm.new_list(out))
}

/// `random.seed(a=None, version=2)`: the key CPython makes of `a`.
fn seed(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let a = args.first().or_else(|| kwarg(kwargs, "a")).cloned().unwrap_or(Value::None);
    let version = match args.get(1).or_else(|| kwarg(kwargs, "version")) {
        Some(Value::Int(v)) => *v,
        _ => 2,
    };
    let key = match &a {
        Value::None => {
            vm.p.rng.reseed_unseeded();
            return Ok(Value::None);
        }
        Value::Int(i) => key_of_be_bytes(&i.unsigned_abs().to_be_bytes()),
        Value::Bool(b) => vec![u32::from(*b)],
        Value::Big(b) => b.abs().to_u32_digits().1,
        Value::Float(_) => key_of_be_bytes(&ops::hash_value(vm, &a)?.to_be_bytes()),
        Value::Str(s) if version == 2 => key_of_bytes_seed(s.as_bytes()),
        Value::Bytes(b) if version == 2 => key_of_bytes_seed(b),
        Value::Str(_) | Value::Bytes(_) => {
            return Err(vm.err(Builtin::NotImplementedError, "Interleave's random.seed() supports only version=2 for str and bytes seeds"));
        }
        _ => {
            return Err(vm.type_error("The only supported seed types are: None,\nint, float, str, bytes, and bytearray."));
        }
    };
    vm.p.rng.seed(&key);
    Ok(Value::None)
}

fn gauss(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let mu = args.first().or_else(|| kwarg(kwargs, "mu")).and_then(ops::to_f64).unwrap_or(0.0);
    let sigma = args.get(1).or_else(|| kwarg(kwargs, "sigma")).and_then(ops::to_f64).unwrap_or(1.0);
    let rng = &mut vm.p.rng;
    let z = match rng.gauss_next.take() {
        Some(bits) => f64::from_bits(bits),
        None => {
            let x2pi = rng.random() * std::f64::consts::TAU;
            let g2rad = (-2.0 * (1.0 - rng.random()).ln()).sqrt();
            rng.gauss_next = Some((x2pi.sin() * g2rad).to_bits());
            x2pi.cos() * g2rad
        }
    };
    Ok(Value::Float(mu + z * sigma))
}

fn normalvariate(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let mu = args.first().or_else(|| kwarg(kwargs, "mu")).and_then(ops::to_f64).unwrap_or(0.0);
    let sigma = args.get(1).or_else(|| kwarg(kwargs, "sigma")).and_then(ops::to_f64).unwrap_or(1.0);
    let nv_magicconst = 4.0 * (-0.5f64).exp() / 2.0f64.sqrt();
    let rng = &mut vm.p.rng;
    let z = loop {
        let u1 = rng.random();
        let u2 = 1.0 - rng.random();
        let z = nv_magicconst * (u1 - 0.5) / u2;
        if z * z / 4.0 <= -u2.ln() {
            break z;
        }
    };
    Ok(Value::Float(mu + z * sigma))
}

fn expovariate(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let Some(lambd) = args.first().or_else(|| kwarg(kwargs, "lambd")).and_then(ops::to_f64) else {
        return Err(vm.type_error("Random.expovariate() missing 1 required positional argument: 'lambd'"));
    };
    if lambd == 0.0 {
        return Err(vm.err(Builtin::ZeroDivisionError, "float division by zero"));
    }
    Ok(Value::Float(-(1.0 - vm.p.rng.random()).ln() / lambd))
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "random");
    add_fn(vm, d, "random", "random", random);
    add_fn(vm, d, "randint", "random", randint);
    add_fn(vm, d, "randrange", "random", randrange);
    add_fn(vm, d, "getrandbits", "random", getrandbits);
    add_fn(vm, d, "uniform", "random", uniform);
    add_fn(vm, d, "triangular", "random", triangular);
    add_fn(vm, d, "choice", "random", choice);
    add_fn(vm, d, "choices", "random", choices);
    add_fn(vm, d, "shuffle", "random", shuffle);
    add_fn(vm, d, "sample", "random", sample);
    add_fn(vm, d, "seed", "random", seed);
    add_fn(vm, d, "gauss", "random", gauss);
    add_fn(vm, d, "normalvariate", "random", normalvariate);
    add_fn(vm, d, "expovariate", "random", expovariate);
    m
}
