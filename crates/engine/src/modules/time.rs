//! `time` on the virtual clock: `sleep` parks the thread until a virtual
//! deadline (costing no real time), and the clocks read virtual time. The
//! wall clock starts at a fixed epoch so runs are reproducible.

use crate::kernel::WaitOn;
use crate::modules::{add_fn, new_module};
use crate::ops;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// 2025-01-06 09:00:00 UTC, a Monday morning: the virtual wall clock's start.
pub const EPOCH_SECS: u64 = 1_736_154_000;

pub fn wall_secs(vm: &Vm) -> f64 {
    EPOCH_SECS as f64 + vm.k.clock as f64 / 1e9
}

fn sleep(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let secs = match args.first() {
        Some(v) => match ops::to_f64(v) {
            Some(s) => s,
            None => {
                let t = ops::type_name(vm, v);
                return Err(vm.type_error(format!("'{t}' object cannot be interpreted as an integer")));
            }
        },
        None => return Err(vm.type_error("time.sleep() takes exactly one argument (0 given)")),
    };
    if secs < 0.0 {
        return Err(vm.value_error("sleep length must be non-negative"));
    }
    if vm.thread().wake.is_some() {
        return Ok(Value::None);
    }
    if secs == 0.0 {
        vm.yield_requested = true;
        return Ok(Value::None);
    }
    Err(crate::modules::threading::block(vm, WaitOn::Sleep, Some(secs)))
}

fn time(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Float(wall_secs(vm)))
}

fn time_ns(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int((EPOCH_SECS * 1_000_000_000 + vm.k.clock) as i64))
}

fn monotonic(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Float(1000.0 + vm.k.clock as f64 / 1e9))
}

fn monotonic_ns(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(1_000_000_000_000 + vm.k.clock as i64))
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// `strftime` over a UTC timestamp (seconds, with fraction).
pub fn strftime(fmt: &str, ts: f64) -> String {
    let secs = ts.floor() as i64;
    let micros = ((ts - ts.floor()) * 1e6).round() as i64;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let (hh, mm, ss) = (sod / 3600, (sod / 60) % 60, sod % 60);
    let wd = (days + 3).rem_euclid(7) as usize;
    let yday = days - {
        let mut jan1 = days;
        while civil(jan1 - 1).0 == y {
            jan1 -= 1;
            if days - jan1 > 366 {
                break;
            }
        }
        jan1
    } + 1;
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('Y') => out.push_str(&format!("{y:04}")),
            Some('y') => out.push_str(&format!("{:02}", y % 100)),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('I') => out.push_str(&format!("{:02}", if hh % 12 == 0 { 12 } else { hh % 12 })),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('f') => out.push_str(&format!("{micros:06}")),
            Some('p') => out.push_str(if hh < 12 { "AM" } else { "PM" }),
            Some('A') => out.push_str(DAYS[wd]),
            Some('a') => out.push_str(&DAYS[wd][..3]),
            Some('B') => out.push_str(MONTHS[(m - 1) as usize]),
            Some('b') => out.push_str(&MONTHS[(m - 1) as usize][..3]),
            Some('j') => out.push_str(&format!("{yday:03}")),
            Some('Z') => out.push_str("UTC"),
            Some('z') => out.push_str("+0000"),
            Some('c') => out.push_str(&strftime("%a %b %d %H:%M:%S %Y", ts)),
            Some('x') => out.push_str(&strftime("%m/%d/%y", ts)),
            Some('X') => out.push_str(&strftime("%H:%M:%S", ts)),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

/// Days since 1970-01-01 of a civil date (inverse of [`civil`]).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A timestamp argument: seconds, a `struct_time`-like tuple, or now.
fn ts_arg(vm: &Vm, args: &[Value], i: usize) -> f64 {
    match args.get(i) {
        Some(Value::Obj(id)) => {
            if let crate::object::Obj::Tuple(t) = vm.p.heap.get(*id) {
                let f = |k: usize| match t.get(k) {
                    Some(Value::Int(v)) => *v,
                    _ => 0,
                };
                let days = days_from_civil(f(0), f(1), f(2));
                return (days * 86_400 + f(3) * 3600 + f(4) * 60 + f(5)) as f64;
            }
            wall_secs(vm)
        }
        Some(v) => ops::to_f64(v).unwrap_or_else(|| wall_secs(vm)),
        None => wall_secs(vm),
    }
}

/// `time.localtime()` / `time.gmtime()` (the virtual machine's zone is UTC):
/// a 9-tuple like `struct_time`.
fn localtime(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let ts = args.first().and_then(ops::to_f64).unwrap_or_else(|| wall_secs(vm));
    let secs = ts.floor() as i64;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let wday = (days + 3).rem_euclid(7);
    let yday = days - days_from_civil(y, 1, 1) + 1;
    let items = vec![
        Value::Int(y),
        Value::Int(m as i64),
        Value::Int(d as i64),
        Value::Int(sod / 3600),
        Value::Int((sod / 60) % 60),
        Value::Int(sod % 60),
        Value::Int(wday),
        Value::Int(yday),
        Value::Int(0),
    ];
    Ok(vm.new_tuple(items))
}

fn t_strftime(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let fmt = match args.first() {
        Some(Value::Str(s)) => s.clone(),
        _ => return Err(vm.type_error("strftime() argument 1 must be str")),
    };
    let ts = ts_arg(vm, args, 1);
    Ok(Value::from_string(strftime(&fmt, ts)))
}

fn ctime(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let ts = ts_arg(vm, args, 0);
    let s = strftime("%a %b %d %H:%M:%S %Y", ts);
    // ctime pads the day with a space, not a zero.
    let fixed = if s.as_bytes().get(8) == Some(&b'0') { format!("{} {}", &s[..8], &s[9..]) } else { s };
    Ok(Value::from_string(fixed))
}

pub fn module(vm: &mut Vm) -> crate::value::Value {
    let (m, d) = new_module(vm, "time");
    add_fn(vm, d, "sleep", "time", sleep);
    add_fn(vm, d, "time", "time", time);
    add_fn(vm, d, "time_ns", "time", time_ns);
    add_fn(vm, d, "monotonic", "time", monotonic);
    add_fn(vm, d, "monotonic_ns", "time", monotonic_ns);
    add_fn(vm, d, "perf_counter", "time", monotonic);
    add_fn(vm, d, "perf_counter_ns", "time", monotonic_ns);
    add_fn(vm, d, "process_time", "time", monotonic);
    add_fn(vm, d, "thread_time", "time", monotonic);
    add_fn(vm, d, "strftime", "time", t_strftime);
    add_fn(vm, d, "ctime", "time", ctime);
    add_fn(vm, d, "asctime", "time", ctime);
    add_fn(vm, d, "localtime", "time", localtime);
    add_fn(vm, d, "gmtime", "time", localtime);
    add_fn(vm, d, "mktime", "time", |vm, a, _| Ok(Value::Float(ts_arg(vm, a, 0))));
    vm.dict_set_str(d, "timezone", Value::Int(0));
    m
}
