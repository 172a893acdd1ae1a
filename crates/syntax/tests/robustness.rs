//! `parse` must return (Ok or a SyntaxError) for any input: never panic,
//! never loop, never overflow the stack. Every prefix of every valid example
//! and of every invalid case is fed to it, plus deterministic random
//! mutations (a small xorshift generator, so no extra crates are needed).

use std::fs;
use std::path::Path;

use interleave_syntax::parse;

fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = Vec::new();
    let mut files: Vec<_> = fs::read_dir(dir.join("valid"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        out.push(fs::read_to_string(f).unwrap());
    }
    // The invalid cases too: they reach the error paths.
    let text = fs::read_to_string(dir.join("invalid.txt")).unwrap();
    for chunk in text.split("\n### ").skip(1) {
        let body: Vec<&str> = chunk
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("---"))
            .collect();
        out.push(body.join("\n"));
    }
    out
}

/// Parses `src`, turning a panic into a test failure that names the input.
fn must_not_panic(src: &str) {
    let owned = src.to_string();
    let result = std::panic::catch_unwind(move || {
        let _ = parse(&owned, "fuzz.py");
    });
    assert!(result.is_ok(), "parse panicked on {src:?}");
}

/// Every prefix of the examples whose index is `part` modulo 4; split in
/// four tests so that the test harness runs them in parallel.
fn prefixes(part: usize) {
    for (n, src) in examples().into_iter().enumerate() {
        if n % 4 != part {
            continue;
        }
        for (i, _) in src.char_indices() {
            must_not_panic(&src[..i]);
        }
        must_not_panic(&src);
    }
}

#[test]
fn every_prefix_parses_without_panicking_0() {
    prefixes(0);
}

#[test]
fn every_prefix_parses_without_panicking_1() {
    prefixes(1);
}

#[test]
fn every_prefix_parses_without_panicking_2() {
    prefixes(2);
}

#[test]
fn every_prefix_parses_without_panicking_3() {
    prefixes(3);
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that matter to the lexer and parser, to mutate with.
const INTERESTING: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ":", ",", "\n", "    ", "\t", "\\", "'", "\"", "'''", "f\"",
    "{x}", "#", "=", "*", "**", "lambda", "if", "else", "for", "in", "not", "is", "async", "await",
    "yield", "def", "class", "é", "→", "\r", "0x", "1_", "1e", ".", "@", ":=", "!r", "b'", "\0",
    "\u{a0}", "match", "print ",
];

#[test]
fn random_mutations_parse_without_panicking() {
    // INTERLEAVE_FUZZ_ROUNDS and INTERLEAVE_FUZZ_SEED allow longer runs.
    let rounds = std::env::var("INTERLEAVE_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3000);
    let seed = std::env::var("INTERLEAVE_FUZZ_SEED")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0x5eed_1234_abcd_ef01);
    let mut rng = XorShift(seed);
    let examples = examples();
    for round in 0..rounds {
        let base = &examples[round % examples.len()];
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(chars.len() + 1);
            match rng.below(3) {
                0 if !chars.is_empty() => {
                    let end = (at + 1 + rng.below(8)).min(chars.len());
                    chars.drain(at.min(end)..end);
                }
                1 => {
                    let piece = INTERESTING[rng.below(INTERESTING.len())];
                    for (k, c) in piece.chars().enumerate() {
                        chars.insert((at + k).min(chars.len()), c);
                    }
                }
                _ => {
                    if let Some(c) = chars.get_mut(at) {
                        *c = char::from_u32(rng.below(0x80) as u32).unwrap_or('?');
                    }
                }
            }
        }
        let src: String = chars.into_iter().collect();
        must_not_panic(&src);
    }
}

#[test]
fn pathological_nesting_gives_errors() {
    let cases = [
        "(".repeat(10_000),
        format!("x = {}1{}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("x = {}1", "-".repeat(100_000)),
        format!("x = {}1", "not ".repeat(100_000)),
        format!("x = 1{}", " + 1".repeat(100_000)),
        format!("x = 2{}", " ** 2".repeat(100_000)),
        format!("x = a{}", ".b".repeat(100_000)),
        format!("x = f{}", "()".repeat(100_000)),
        format!("x = {}1", "lambda: ".repeat(100_000)),
        format!("x = {}1", "1 if 2 else ".repeat(100_000)),
        format!("x = {}", "[".repeat(100_000)),
        format!("x = f'{}'", "{(".repeat(50_000)),
        (0..200)
            .map(|i| format!("{}if x:\n", " ".repeat(i)))
            .collect::<String>(),
    ];
    for src in cases {
        // A thread with Rust's default 2 MB stack, as test threads have.
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || parse(&src, "deep.py").is_err());
        assert!(handle.unwrap().join().unwrap(), "expected an error");
    }
}

#[test]
fn two_hundred_parentheses_are_allowed_in_release_builds() {
    // CPython accepts 200 nested brackets. Debug builds use far more stack
    // per level, so only release builds (or a big enough stack) manage it.
    let src = format!("x = {}1{}\n", "(".repeat(200), ")".repeat(200));
    let stack = if cfg!(debug_assertions) {
        2 << 20
    } else {
        1 << 20
    };
    let handle = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || parse(&src, "deep.py").map(|_| ()));
    let result = handle.unwrap().join().unwrap();
    if !cfg!(debug_assertions) {
        assert!(result.is_ok(), "{result:?}");
    }
    let src = format!("x = {}1{}\n", "(".repeat(201), ")".repeat(201));
    let err = parse(&src, "deep.py").unwrap_err();
    assert_eq!(
        (err.msg.as_str(), err.col),
        ("too many nested parentheses", 205)
    );
}
