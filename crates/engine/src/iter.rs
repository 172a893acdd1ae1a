//! The iteration protocol: `iter(x)` and `next(it)` for every iterable the
//! engine knows, including user classes with `__iter__`/`__next__` and
//! generators (which Rust code drives through a nested run).

use crate::object::*;
use crate::types::Builtin;
use crate::value::Value;
use crate::vm::{Flow, Vm, R};

fn it(vm: &mut Vm, o: IterObj) -> Value {
    vm.alloc(Obj::Iter(Box::new(o)))
}

pub fn get_iter(vm: &mut Vm, v: &Value) -> R<Value> {
    match v {
        Value::Str(s) => return Ok(it(vm, IterObj::Str { s: s.clone(), byte: 0 })),
        Value::Bytes(b) => {
            let items = b.iter().map(|x| Value::Int(*x as i64)).collect();
            return Ok(it(vm, IterObj::Values { items, idx: 0 }));
        }
        Value::Obj(id) => {
            let id = *id;
            match vm.p.heap.get(id) {
                Obj::List(_) | Obj::Tuple(_) | Obj::Deque(..) => return Ok(it(vm, IterObj::Seq { seq: v.clone(), idx: 0 })),
                Obj::Dict(d) => {
                    let used = d.d.len();
                    return Ok(it(vm, IterObj::DictKeys { dict: id, pos: 0, used, left: used }));
                }
                Obj::DictView(d, k) => {
                    let (d, k) = (*d, *k);
                    let used = match vm.p.heap.get(d) {
                        Obj::Dict(x) => x.d.len(),
                        _ => 0,
                    };
                    return Ok(it(
                        vm,
                        match k {
                            ViewKind::Keys => IterObj::DictKeys { dict: d, pos: 0, used, left: used },
                            ViewKind::Values => IterObj::DictValues { dict: d, pos: 0, used, left: used },
                            ViewKind::Items => IterObj::DictItems { dict: d, pos: 0, used, left: used },
                        },
                    ));
                }
                Obj::Set(s, _) => {
                    let items = s.set_order_keys();
                    let used = s.len();
                    return Ok(it(vm, IterObj::SetItems { set: id, items, idx: 0, used }));
                }
                Obj::Range(a, b, c) => {
                    let (a, b, c) = (*a, *b, *c);
                    return Ok(it(vm, IterObj::Range { cur: a, stop: b, step: c }));
                }
                Obj::Generator(g) if !g.plain() => {}
                Obj::Iter(_) | Obj::Generator(_) => return Ok(v.clone()),
                Obj::Instance(i) => {
                    let cls = i.class;
                    if let Some(f) = crate::attr::lookup_class(vm, cls, "__iter__") {
                        return vm.call_sync(f, vec![v.clone()], vec![]);
                    }
                    if crate::attr::lookup_class(vm, cls, "__getitem__").is_some() {
                        let mut items = Vec::new();
                        let mut i = 0i64;
                        loop {
                            match crate::ops::getitem(vm, v, &Value::Int(i)) {
                                Ok(x) => items.push(x),
                                Err(Flow::Raise(e)) if crate::ops::is_instance_of(vm, &e, Builtin::IndexError) => break,
                                Err(e) => return Err(e),
                            }
                            i += 1;
                        }
                        return Ok(it(vm, IterObj::Values { items, idx: 0 }));
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
    let t = crate::ops::type_name(vm, v);
    Err(vm.type_error(format!("'{t}' object is not iterable")))
}

/// The next item, or `None` when exhausted.
pub fn next(vm: &mut Vm, v: &Value) -> R<Option<Value>> {
    vm.tick()?;
    let Value::Obj(id) = v else {
        let t = crate::ops::type_name(vm, v);
        return Err(vm.type_error(format!("'{t}' object is not an iterator")));
    };
    let id = *id;
    let state = match vm.p.heap.get(id) {
        Obj::Iter(s) => (**s).clone(),
        Obj::Generator(g) if g.plain() => return vm.generator_next_sync(id),
        Obj::Instance(i) => {
            let cls = i.class;
            let Some(f) = crate::attr::lookup_class(vm, cls, "__next__") else {
                let t = crate::ops::type_name(vm, v);
                return Err(vm.type_error(format!("'{t}' object is not an iterator")));
            };
            return match vm.call_sync(f, vec![v.clone()], vec![]) {
                Ok(x) => Ok(Some(x)),
                Err(Flow::Raise(e)) if crate::ops::is_instance_of(vm, &e, Builtin::StopIteration) => Ok(None),
                Err(e) => Err(e),
            };
        }
        _ => {
            let t = crate::ops::type_name(vm, v);
            return Err(vm.type_error(format!("'{t}' object is not an iterator")));
        }
    };
    let (result, new_state) = step(vm, state)?;
    if let Obj::Iter(s) = vm.p.heap.get_mut(id) {
        **s = new_state;
    }
    Ok(result)
}

fn step(vm: &mut Vm, s: IterObj) -> R<(Option<Value>, IterObj)> {
    Ok(match s {
        IterObj::Seq { seq, idx } => {
            let item = match &seq {
                Value::Obj(sid) => match vm.p.heap.get(*sid) {
                    Obj::List(l) | Obj::Tuple(l) => l.get(idx).cloned(),
                    Obj::Deque(d, _) => d.get(idx).cloned(),
                    _ => None,
                },
                _ => None,
            };
            let n = if item.is_some() { idx + 1 } else { usize::MAX / 2 };
            (item, IterObj::Seq { seq, idx: n })
        }
        IterObj::Str { s, byte } => match s[byte.min(s.len())..].chars().next() {
            Some(c) => (Some(Value::from_string(c.to_string())), IterObj::Str { byte: byte + c.len_utf8(), s }),
            None => (None, IterObj::Str { s, byte }),
        },
        IterObj::Range { cur, stop, step } => {
            if (step > 0 && cur < stop) || (step < 0 && cur > stop) {
                (Some(Value::Int(cur)), IterObj::Range { cur: cur.saturating_add(step), stop, step })
            } else {
                (None, IterObj::Range { cur, stop, step })
            }
        }
        IterObj::DictKeys { dict, pos, used, left } => {
            let (item, pos, left) = dict_step(vm, dict, pos, used, left, 0)?;
            (item, IterObj::DictKeys { dict, pos, used, left })
        }
        IterObj::DictValues { dict, pos, used, left } => {
            let (item, pos, left) = dict_step(vm, dict, pos, used, left, 1)?;
            (item, IterObj::DictValues { dict, pos, used, left })
        }
        IterObj::DictItems { dict, pos, used, left } => {
            let (item, pos, left) = dict_step(vm, dict, pos, used, left, 2)?;
            (item, IterObj::DictItems { dict, pos, used, left })
        }
        IterObj::Reversed { seq, idx } => {
            if idx == 0 {
                (None, IterObj::Reversed { seq, idx })
            } else {
                let item = match &seq {
                    Value::Obj(sid) => match vm.p.heap.get(*sid) {
                        Obj::List(l) | Obj::Tuple(l) => l.get(idx - 1).cloned(),
                        Obj::Deque(d, _) => d.get(idx - 1).cloned(),
                        _ => None,
                    },
                    _ => None,
                };
                (item, IterObj::Reversed { seq, idx: idx - 1 })
            }
        }
        IterObj::Enumerate { it, n } => match next(vm, &it)? {
            Some(x) => {
                let t = vm.new_tuple(vec![Value::Int(n), x]);
                (Some(t), IterObj::Enumerate { it, n: n + 1 })
            }
            None => (None, IterObj::Enumerate { it, n }),
        },
        IterObj::Zip(its) => {
            let mut items = Vec::with_capacity(its.len());
            for i in &its {
                match next(vm, i)? {
                    Some(x) => items.push(x),
                    None => return Ok((None, IterObj::Zip(its))),
                }
            }
            if its.is_empty() {
                return Ok((None, IterObj::Zip(its)));
            }
            let t = vm.new_tuple(items);
            (Some(t), IterObj::Zip(its))
        }
        IterObj::Map { f, its } => {
            let mut args = Vec::with_capacity(its.len());
            for i in &its {
                match next(vm, i)? {
                    Some(x) => args.push(x),
                    None => return Ok((None, IterObj::Map { f, its })),
                }
            }
            let r = vm.call_sync(f.clone(), args, vec![])?;
            (Some(r), IterObj::Map { f, its })
        }
        IterObj::Filter { f, it } => loop {
            match next(vm, &it)? {
                Some(x) => {
                    let keep = if f.is_none() {
                        crate::ops::truthy(vm, &x)?
                    } else {
                        let r = vm.call_sync(f.clone(), vec![x.clone()], vec![])?;
                        crate::ops::truthy(vm, &r)?
                    };
                    if keep {
                        break (Some(x), IterObj::Filter { f, it });
                    }
                }
                None => break (None, IterObj::Filter { f, it }),
            }
        },
        // A set changed since the iterator was made: RuntimeError, as in
        // CPython (whose iterator walks the set's table itself; this one
        // walks a snapshot, which gives the same items while the size
        // stays).
        IterObj::SetItems { set, items, idx, used } => {
            if matches!(vm.p.heap.get(set), Obj::Set(s, _) if s.len() != used) {
                return Err(vm.err(Builtin::RuntimeError, "Set changed size during iteration"));
            }
            let item = items.get(idx).cloned();
            (item, IterObj::SetItems { set, items, idx: idx + 1, used })
        }
        IterObj::Values { items, idx } => {
            let item = items.get(idx).cloned();
            (item, IterObj::Values { items, idx: idx + 1 })
        }
        IterObj::Count { cur, step } => {
            let n = crate::ops::binary(vm, crate::syntax::ast::BinOp::Add, &cur, &step, false)?;
            (Some(cur), IterObj::Count { cur: n, step })
        }
        IterObj::Cycle { mut saved, it, idx } => {
            if let Some(i) = &it {
                if let Some(x) = next(vm, i)? {
                    saved.push(x.clone());
                    return Ok((Some(x), IterObj::Cycle { saved, it, idx }));
                }
            }
            if saved.is_empty() {
                return Ok((None, IterObj::Cycle { saved, it: None, idx }));
            }
            let x = saved[idx % saved.len()].clone();
            (Some(x), IterObj::Cycle { idx: (idx + 1) % saved.len(), saved, it: None })
        }
        IterObj::Repeat { v, left } => match left {
            Some(0) => (None, IterObj::Repeat { v, left }),
            Some(n) => (Some(v.clone()), IterObj::Repeat { v, left: Some(n - 1) }),
            None => (Some(v.clone()), IterObj::Repeat { v, left }),
        },
        IterObj::Chain { its, mut idx } => {
            while idx < its.len() {
                let cur = its[idx].clone();
                let cur_it = get_iter(vm, &cur)?;
                if !cur_it.is(&cur) {
                    let mut its2 = its.clone();
                    its2[idx] = cur_it.clone();
                    if let Some(x) = next(vm, &cur_it)? {
                        return Ok((Some(x), IterObj::Chain { its: its2, idx }));
                    }
                    idx += 1;
                    return step(vm, IterObj::Chain { its: its2, idx });
                }
                if let Some(x) = next(vm, &cur)? {
                    return Ok((Some(x), IterObj::Chain { its, idx }));
                }
                idx += 1;
            }
            (None, IterObj::Chain { its, idx })
        }
        IterObj::ISlice { it, next: nx, stop, step: st, mut pos } => {
            if let Some(s) = stop {
                if nx >= s {
                    return Ok((None, IterObj::ISlice { it, next: nx, stop, step: st, pos }));
                }
            }
            loop {
                match next(vm, &it)? {
                    Some(x) => {
                        pos += 1;
                        if pos - 1 == nx {
                            return Ok((Some(x), IterObj::ISlice { it, next: nx + st, stop, step: st, pos }));
                        }
                        if let Some(s) = stop {
                            if pos >= s {
                                return Ok((None, IterObj::ISlice { it, next: nx, stop, step: st, pos }));
                            }
                        }
                    }
                    None => return Ok((None, IterObj::ISlice { it, next: nx, stop: Some(0), step: st, pos })),
                }
            }
        }
        IterObj::CallableSentinel { f, sentinel } => {
            let x = vm.call_sync(f.clone(), vec![], vec![])?;
            if crate::ops::eq(vm, &x, &sentinel)? {
                (None, IterObj::CallableSentinel { f, sentinel })
            } else {
                (Some(x), IterObj::CallableSentinel { f, sentinel })
            }
        }
    })
}

/// The next entry of a dict iterator at `pos`, skipping holes (`kind`: 0
/// keys, 1 values, 2 items), as CPython's `dictiter_iternext*`: a dict
/// whose size is no longer `used`, its size when the iterator was made,
/// raises RuntimeError, and so does one with an entry past the `left` the
/// iterator expected (keys deleted and others added, the size unchanged).
/// This is the classic bug of a thread looping over a dict that another
/// thread adds to.
fn dict_step(vm: &mut Vm, dict: u32, pos: usize, used: usize, left: usize, kind: u8) -> R<(Option<Value>, usize, usize)> {
    let mut p = pos;
    let found = match vm.p.heap.get(dict) {
        Obj::Dict(d) if d.d.len() != used => return Err(vm.err(Builtin::RuntimeError, "dictionary changed size during iteration")),
        Obj::Dict(d) => {
            let mut f = None;
            while p < d.d.raw_len() {
                if let Some(e) = d.d.raw_entry(p) {
                    f = Some((e.key.clone(), e.value.clone()));
                    p += 1;
                    break;
                }
                p += 1;
            }
            f
        }
        _ => None,
    };
    Ok(match found {
        Some(_) if left == 0 => return Err(vm.err(Builtin::RuntimeError, "dictionary keys changed during iteration")),
        Some((k, v)) => {
            let item = match kind {
                0 => k,
                1 => v,
                _ => vm.new_tuple(vec![k, v]),
            };
            (Some(item), p, left - 1)
        }
        None => (None, p, left),
    })
}
