//! `itertools`: the lazy ones are native iterators; the combinatoric ones
//! compute their (finite) results eagerly.

use crate::modules::{add_fn, new_module};
use crate::object::*;
use crate::ops;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

fn iter_of(vm: &mut Vm, o: IterObj) -> Value {
    vm.alloc(Obj::Iter(Box::new(o)))
}

fn count(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let start = args.first().or_else(|| crate::methods::kwarg(kwargs, "start")).cloned().unwrap_or(Value::Int(0));
    let step = args.get(1).or_else(|| crate::methods::kwarg(kwargs, "step")).cloned().unwrap_or(Value::Int(1));
    Ok(iter_of(vm, IterObj::Count { cur: start, step }))
}

fn cycle(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let it = crate::iter::get_iter(vm, args.first().unwrap_or(&Value::None))?;
    Ok(iter_of(vm, IterObj::Cycle { saved: vec![], it: Some(it), idx: 0 }))
}

fn repeat(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let v = args.first().cloned().unwrap_or(Value::None);
    let left = match args.get(1).or_else(|| crate::methods::kwarg(kwargs, "times")) {
        Some(Value::Int(n)) => Some((*n).max(0)),
        _ => None,
    };
    Ok(iter_of(vm, IterObj::Repeat { v, left }))
}

fn chain(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    Ok(iter_of(vm, IterObj::Chain { its: args.to_vec(), idx: 0 }))
}

fn chain_from(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let its = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    Ok(iter_of(vm, IterObj::Chain { its, idx: 0 }))
}

fn islice(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let it = crate::iter::get_iter(vm, args.first().unwrap_or(&Value::None))?;
    let int = |v: Option<&Value>| match v {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    };
    let (start, stop, step) = match args.len() {
        2 => (0, int(args.get(1)), 1),
        3 => (int(args.get(1)).unwrap_or(0), int(args.get(2)), 1),
        _ => (int(args.get(1)).unwrap_or(0), int(args.get(2)), int(args.get(3)).unwrap_or(1)),
    };
    Ok(iter_of(vm, IterObj::ISlice { it, next: start, stop, step: step.max(1), pos: 0 }))
}

fn values_iter(vm: &mut Vm, items: Vec<Value>) -> Value {
    iter_of(vm, IterObj::Values { items, idx: 0 })
}

fn product(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let repeat = match crate::methods::kwarg(kwargs, "repeat") {
        Some(Value::Int(n)) => (*n).max(0) as usize,
        _ => 1,
    };
    let mut pools = Vec::new();
    for a in args {
        pools.push(ops::to_vec(vm, a)?);
    }
    let pools: Vec<Vec<Value>> = (0..repeat).flat_map(|_| pools.clone()).collect();
    let mut result: Vec<Vec<Value>> = vec![vec![]];
    for pool in &pools {
        let mut next = Vec::new();
        for r in &result {
            for x in pool {
                let mut t = r.clone();
                t.push(x.clone());
                next.push(t);
            }
        }
        result = next;
        if result.len() > 1_000_000 {
            return Err(vm.err(crate::types::Builtin::MemoryError, "product too large for Interleave"));
        }
    }
    let tuples = result.into_iter().map(|t| vm.new_tuple(t)).collect();
    Ok(values_iter(vm, tuples))
}

fn permutations(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let pool = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    let n = pool.len();
    let r = match args.get(1) {
        Some(Value::Int(r)) => (*r).max(0) as usize,
        _ => n,
    };
    let mut out = Vec::new();
    if r <= n {
        let mut idx: Vec<usize> = (0..n).collect();
        let mut cycles: Vec<usize> = (0..r).map(|i| n - i).collect();
        out.push(idx[..r].to_vec());
        'outer: loop {
            if n == 0 {
                break;
            }
            let mut i = r;
            while i > 0 {
                i -= 1;
                cycles[i] -= 1;
                if cycles[i] == 0 {
                    let x = idx.remove(i);
                    idx.push(x);
                    cycles[i] = n - i;
                } else {
                    let j = cycles[i];
                    idx.swap(i, n - j);
                    out.push(idx[..r].to_vec());
                    if out.len() > 1_000_000 {
                        break 'outer;
                    }
                    continue 'outer;
                }
            }
            break;
        }
    }
    let tuples = out.into_iter().map(|ix| {
        let t: Vec<Value> = ix.into_iter().map(|i| pool[i].clone()).collect();
        vm.new_tuple(t)
    }).collect();
    Ok(values_iter(vm, tuples))
}

fn combinations(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let pool = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    let n = pool.len();
    let r = match args.get(1) {
        Some(Value::Int(r)) => (*r).max(0) as usize,
        _ => return Err(vm.type_error("combinations() missing required argument 'r' (pos 2)")),
    };
    let mut out = Vec::new();
    if r <= n {
        let mut idx: Vec<usize> = (0..r).collect();
        out.push(idx.clone());
        loop {
            let mut i = r;
            let mut found = false;
            while i > 0 {
                i -= 1;
                if idx[i] != i + n - r {
                    found = true;
                    break;
                }
            }
            if !found {
                break;
            }
            idx[i] += 1;
            for j in i + 1..r {
                idx[j] = idx[j - 1] + 1;
            }
            out.push(idx.clone());
            if out.len() > 1_000_000 {
                break;
            }
        }
    }
    let tuples = out.into_iter().map(|ix| {
        let t: Vec<Value> = ix.into_iter().map(|i| pool[i].clone()).collect();
        vm.new_tuple(t)
    }).collect();
    Ok(values_iter(vm, tuples))
}

fn accumulate(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let items = ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    let f = args.get(1).cloned().filter(|f| !f.is_none());
    let mut out: Vec<Value> = Vec::new();
    for x in items {
        let v = match out.last() {
            None => x,
            Some(acc) => match &f {
                Some(f) => vm.call_sync(f.clone(), vec![acc.clone(), x], vec![])?,
                None => ops::binary(vm, crate::syntax::ast::BinOp::Add, acc, &x, false)?,
            },
        };
        out.push(v);
    }
    Ok(values_iter(vm, out))
}

fn zip_longest(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let fill = crate::methods::kwarg(kwargs, "fillvalue").cloned().unwrap_or(Value::None);
    let mut seqs = Vec::new();
    for a in args {
        seqs.push(ops::to_vec(vm, a)?);
    }
    let n = seqs.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..n {
        let t: Vec<Value> = seqs.iter().map(|s| s.get(i).cloned().unwrap_or(fill.clone())).collect();
        out.push(vm.new_tuple(t));
    }
    Ok(values_iter(vm, out))
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "itertools");
    add_fn(vm, d, "count", "itertools", count);
    add_fn(vm, d, "cycle", "itertools", cycle);
    add_fn(vm, d, "repeat", "itertools", repeat);
    add_fn(vm, d, "chain", "itertools", chain);
    add_fn(vm, d, "islice", "itertools", islice);
    add_fn(vm, d, "product", "itertools", product);
    add_fn(vm, d, "permutations", "itertools", permutations);
    add_fn(vm, d, "combinations", "itertools", combinations);
    add_fn(vm, d, "accumulate", "itertools", accumulate);
    add_fn(vm, d, "zip_longest", "itertools", zip_longest);
    // chain.from_iterable: a function attribute on the chain native is not
    // possible, so expose it as a module-level alias too.
    add_fn(vm, d, "chain_from_iterable", "itertools", chain_from);
    m
}
