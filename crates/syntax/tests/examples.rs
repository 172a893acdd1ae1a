//! Data-driven tests over the example files in this directory:
//!
//! - `valid/*.py` must parse (and CPython 3.11 accepts them too; see
//!   `cpython_check.py`);
//! - every case in `invalid.txt` must fail with exactly the error written
//!   under it (kind, message, line, column), which for all cases not marked
//!   `--- !` is what CPython 3.11 reports.

use std::fs;
use std::path::{Path, PathBuf};

use interleave_syntax::parse;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

pub struct Case {
    pub name: String,
    pub source: String,
    /// `Kind: message @ line:col`, or `OK`.
    pub expected: String,
}

/// Reads `invalid.txt` (format documented in `cpython_check.py`).
pub fn invalid_cases() -> Vec<Case> {
    let text = fs::read_to_string(dir().join("invalid.txt")).expect("invalid.txt");
    let mut cases = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in text.split('\n') {
        if let Some(name) = line.strip_prefix("### ") {
            current = Some((name.trim().to_string(), Vec::new()));
        } else if let Some(rest) = line.strip_prefix("---") {
            if let Some((name, src)) = current.take() {
                let expected = rest.trim_start_matches(" !").trim().to_string();
                cases.push(Case {
                    name,
                    source: src.join("\n") + "\n",
                    expected,
                });
            }
        } else if let Some((_, src)) = current.as_mut() {
            src.push(line);
        }
    }
    cases
}

pub fn valid_files() -> Vec<(String, String)> {
    let mut files: Vec<_> = fs::read_dir(dir().join("valid"))
        .expect("valid/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// What the test compares: the error summary, or `OK`.
fn outcome(source: &str) -> String {
    match parse(source, "main.py") {
        Ok(_) => "OK".to_string(),
        Err(e) => format!("{}: {} @ {}:{}", e.kind.python_name(), e.msg, e.line, e.col),
    }
}

/// Runs `f` on a thread with a generous stack: debug builds use several
/// times the stack of release builds, and some cases nest 200 deep.
fn with_big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn invalid_programs_report_cpython_errors() {
    with_big_stack(invalid_programs_inner);
}

fn invalid_programs_inner() {
    let cases = invalid_cases();
    assert!(
        cases.len() > 100,
        "invalid.txt has only {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let got = outcome(&case.source);
        if got != case.expected {
            failures.push(format!(
                "{}:\n    expected {}\n    got      {}",
                case.name, case.expected, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn valid_programs_parse() {
    let files = valid_files();
    assert!(files.len() >= 5);
    for (name, source) in files {
        if let Err(e) = parse(&source, &name) {
            panic!("{name} failed to parse:\n{}", e.render());
        }
    }
}

/// `render()` against what CPython 3.11 prints on stderr for the same file
/// (captured with `python3 main.py`).
#[test]
fn render_matches_cpython() {
    let cases: &[(&str, &str)] = &[
        (
            "x = 1\nif x = 1:\n    pass\n",
            "  File \"main.py\", line 2\n    if x = 1:\n       ^^^^^\nSyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='?\n",
        ),
        (
            "def f():\n    return (1,\n\nx = 2\n",
            "  File \"main.py\", line 2\n    return (1,\n           ^\nSyntaxError: '(' was never closed\n",
        ),
        (
            "for i in range(3)\n    print(i)\n",
            "  File \"main.py\", line 1\n    for i in range(3)\n                     ^\nSyntaxError: expected ':'\n",
        ),
        (
            "print \"hello\"\n",
            "  File \"main.py\", line 1\n    print \"hello\"\n    ^^^^^^^^^^^^^\nSyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n",
        ),
        (
            "if True:\n    x = 1\n   y = 2\n",
            "  File \"main.py\", line 3\n    y = 2\n         ^\nIndentationError: unindent does not match any outer indentation level\n",
        ),
        (
            "x = f\"{a b}\"\n",
            "  File \"main.py\", line 1\n    (a b)\n     ^^^\nSyntaxError: f-string: invalid syntax. Perhaps you forgot a comma?\n",
        ),
        (
            "x = 1\n    y = 2\n",
            "  File \"main.py\", line 2\n    y = 2\nIndentationError: unexpected indent\n",
        ),
        (
            "if True  # comment\n    pass\n",
            "  File \"main.py\", line 1\n    if True  # comment\n             ^^^^^^^^^\nSyntaxError: expected ':'\n",
        ),
        (
            "try:\n    pass\nexcept A, B:\n    pass\n",
            "  File \"main.py\", line 3\n    except A, B:\n           ^^^^\nSyntaxError: multiple exception types must be parenthesized\n",
        ),
        (
            "for x in range(3):\nprint(x)\n",
            "  File \"main.py\", line 2\n    print(x)\n    ^\nIndentationError: expected an indented block after 'for' statement on line 1\n",
        ),
        (
            "if x:\n\ta = 1\n        b = 2\n",
            "  File \"main.py\", line 3\n    b = 2\nTabError: inconsistent use of tabs and spaces in indentation\n",
        ),
    ];
    for (source, expected) in cases {
        let err = parse(source, "main.py").expect_err(source);
        assert_eq!(err.render(), *expected, "for {source:?}");
    }
}
