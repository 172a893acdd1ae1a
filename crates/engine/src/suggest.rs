//! "Did you mean: 'counter'?": CPython 3.11's suggestion for a name that
//! is not defined (`Python/suggestions.c`), with its costs and limits, so
//! that the engine suggests exactly what CPython suggests.
//!
//! The candidates are the code's local variable names, then the module's
//! globals, then the builtins, and the first list that has a close enough
//! name wins. A name is close enough when at most about a third of the
//! characters involved need changing, by an edit distance where a changed
//! case costs 1 and any other change 2. CPython shows the suggestion only
//! when it prints the traceback, not in `str(e)`, and so does the engine
//! (`traceback::format_exception`).

use std::sync::Arc;

const MAX_CANDIDATE_ITEMS: usize = 750;
const MAX_STRING_SIZE: usize = 40;
const MOVE_COST: usize = 2;
const CASE_COST: usize = 1;

fn substitution_cost(a: u8, b: u8) -> usize {
    if a & 31 != b & 31 {
        return MOVE_COST;
    }
    if a == b {
        return 0;
    }
    if a.to_ascii_lowercase() == b.to_ascii_lowercase() {
        CASE_COST
    } else {
        MOVE_COST
    }
}

/// The edit distance of `a` and `b` (UTF-8 bytes), or `max_cost + 1` once
/// it is sure to be more than `max_cost`.
fn levenshtein(a: &[u8], b: &[u8], max_cost: usize) -> usize {
    let (mut a, mut b) = (a, b);
    while let (Some(x), Some(y)) = (a.first(), b.first()) {
        if x != y {
            break;
        }
        (a, b) = (&a[1..], &b[1..]);
    }
    while let (Some(x), Some(y)) = (a.last(), b.last()) {
        if x != y {
            break;
        }
        (a, b) = (&a[..a.len() - 1], &b[..b.len() - 1]);
    }
    if a.is_empty() || b.is_empty() {
        return (a.len() + b.len()) * MOVE_COST;
    }
    if a.len() > MAX_STRING_SIZE || b.len() > MAX_STRING_SIZE {
        return max_cost + 1;
    }
    if b.len() < a.len() {
        std::mem::swap(&mut a, &mut b);
    }
    if (b.len() - a.len()) * MOVE_COST > max_cost {
        return max_cost + 1;
    }
    let mut row: Vec<usize> = (1..=a.len()).map(|i| i * MOVE_COST).collect();
    let mut result = 0;
    for (bi, &code) in b.iter().enumerate() {
        let mut distance = bi * MOVE_COST;
        result = distance;
        let mut minimum = usize::MAX;
        for (ai, &ac) in a.iter().enumerate() {
            let substitute = distance + substitution_cost(code, ac);
            distance = row[ai];
            let insert_delete = result.min(distance) + MOVE_COST;
            result = insert_delete.min(substitute);
            row[ai] = result;
            minimum = minimum.min(result);
        }
        if minimum > max_cost {
            return max_cost + 1;
        }
    }
    result
}

/// The closest of `candidates` to `name`, if one is close enough.
pub fn closest<'a>(candidates: impl ExactSizeIterator<Item = &'a str>, name: &str) -> Option<Arc<str>> {
    if candidates.len() >= MAX_CANDIDATE_ITEMS {
        return None;
    }
    let mut best: Option<(&str, usize)> = None;
    for item in candidates {
        if item == name {
            continue;
        }
        let mut max_distance = (name.len() + item.len() + 3) * MOVE_COST / 6;
        if let Some((_, d)) = best {
            max_distance = max_distance.min(d.saturating_sub(1));
        }
        let d = levenshtein(name.as_bytes(), item.as_bytes(), max_distance);
        if d > max_distance {
            continue;
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((item, d));
        }
    }
    best.map(|(s, _)| Arc::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_what_cpython_suggests() {
        let names = ["counter", "lock", "threading", "print"];
        assert_eq!(closest(names.iter().copied(), "countr").as_deref(), Some("counter"));
        assert_eq!(closest(names.iter().copied(), "Lock").as_deref(), Some("lock"));
        assert_eq!(closest(names.iter().copied(), "prnt").as_deref(), Some("print"));
        assert_eq!(closest(names.iter().copied(), "xyz"), None);
        assert_eq!(closest(names.iter().copied(), "counter"), None);
    }
}
