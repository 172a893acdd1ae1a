//! The benchmark programs shared by the explorer's examples (`bench.rs`
//! and `bench_reference.rs`), so that both measure the same Python.

/// Fork order of philosopher `i` of `n`: (first, second).
pub fn forks(i: usize, n: usize, ordered: bool) -> (usize, usize) {
    let (l, r) = (i, (i + 1) % n);
    if ordered {
        (l.min(r), l.max(r))
    } else {
        (l, r)
    }
}

/// Dining philosophers as a Python program: each takes its first fork,
/// then its second, then puts both down; `ordered` takes the lower-numbered
/// fork first (no deadlock).
pub fn philosophers_python(n: usize, ordered: bool) -> String {
    let mut s = String::from("import threading\n");
    s.push_str(&format!("forks = [threading.Lock() for _ in range({n})]\n"));
    s.push_str("def dine(i, first, second):\n    with forks[first]:\n        with forks[second]:\n            pass\n");
    for i in 0..n {
        let (a, b) = forks(i, n, ordered);
        s.push_str(&format!("p{i} = threading.Thread(target=dine, args=({i}, {a}, {b}))\n"));
    }
    for i in 0..n {
        s.push_str(&format!("p{i}.start()\n"));
    }
    for i in 0..n {
        s.push_str(&format!("p{i}.join()\n"));
    }
    s.push_str("print('all ate')\n");
    s
}

