//! Spot checks of the trees built for tricky constructs, written as compact
//! S-expressions (`(+ a (* b c))`) so that the expected shape is readable.

mod common;

use common::sexpr::body;
use interleave_syntax::ast::*;
use interleave_syntax::parse;

fn tree(src: &str) -> String {
    match parse(src, "t.py") {
        Ok(m) => body(&m.body),
        Err(err) => panic!("{src:?} failed:\n{}", err.render()),
    }
}

#[track_caller]
fn check(src: &str, expected: &str) {
    assert_eq!(tree(src), expected, "for {src:?}");
}

#[test]
fn precedence() {
    check("-2**2", "(- (** 2 2))");
    check("2**-1", "(** 2 (- 1))");
    check("2**3**2", "(** 2 (** 3 2))");
    check("a + b * c - d", "(- (+ a (* b c)) d)");
    check("a | b ^ c & d << e + f", "(| a (^ b (& c (<< d (+ e f)))))");
    check("not a == b", "(not (cmp a == b))");
    check("a or b and not c", "(or a (and b (not c)))");
    check("a and b or c and d or e", "(or (and a b) (and c d) e)");
    check("-a.b(c)[d] ** 2", "(- (** ([] (call (. a b) c) d) 2))");
    check(
        "async def f(): await x ** 2",
        "(async def f [] (** (await x) 2))",
    );
    check("~-+x", "(~ (- (+ x)))");
    check("a if b else c if d else e", "(if b a (if d c e))");
    check("lambda: a if b else c", "(lambda [] (if b a c))");
    check("x = a // b % c @ d", "(= x (@ (% (// a b) c) d))");
}

#[test]
fn comparisons() {
    check("a < b <= c != d", "(cmp a < b <= c != d)");
    check("a is not b", "(cmp a is-not b)");
    check("a not in b in c", "(cmp a not-in b in c)");
    check("a < b == c and d > e", "(and (cmp a < b == c) (cmp d > e))");
    check("(a < b) < c", "(cmp (cmp a < b) < c)");
}

#[test]
fn literals() {
    check("0xff, 0o17, 0b101, 1_000", "(tuple 255 15 5 1000)");
    check(
        "123456789012345678901234567890",
        "big:123456789012345678901234567890",
    );
    check("1e-3, 1_000.5, .5, 5.", "(tuple 0.001 1000.5 0.5 5.0)");
    check(r#"'a' "b" '''c'''"#, r#""abc""#);
    check(r#"b'\x41\n' rb'\x'"#, r#"b"A\n\\x""#);
    check(
        r#""\x41\u00e9\101\t\\\'\"\0""#,
        "\"Aé\\u{1}A\\t\\\\'\\\"\\0\""
            .replace("\\u{1}A", "A")
            .as_str(),
    );
    check(r#"r'\d+\n'"#, r#""\\d+\\n""#);
    check("'line\\\ncontinued'", r#""linecontinued""#);
    check("'héllo ✓'", r#""héllo ✓""#);
    check("...", "...");
}

#[test]
fn fstrings() {
    check(r#"f"a{x}b""#, r#"(f "a" {x} "b")"#);
    check(r#"f"{x!r:>10}""#, r#"(f {x !r :[">10"]})"#);
    check(r#"f"{x:{w}.{p}f}""#, r#"(f {x :[{w} "." {p} "f"]})"#);
    check(r#"f"{x=}""#, r#"(f {x debug="x=" !r})"#);
    check(r#"f"{x = :>4}""#, r#"(f {x debug="x = " :[">4"]})"#);
    check(r#"f"{{literal}} {'q'}""#, r#"(f "{literal} " {"q"})"#);
    check(r#""a" f"{x}" 'c' f'{y}d'"#, r#"(f "a" {x} "c" {y} "d")"#);
    check(r#"f"{a, b}""#, r#"(f {(tuple a b)})"#);
    check(
        r#"f"{d['k']} {x if y else z}""#,
        r#"(f {([] d "k")} " " {(if y x z)})"#,
    );
    check(r#"f"{x!=y}""#, r#"(f {(cmp x != y)})"#);
    check("f'''{\nx\n}'''", "(f {x})");
    check(r#"f"\n{x}\t""#, r#"(f "\n" {x} "\t")"#);
}

#[test]
fn fstring_expression_spans_are_real() {
    let m = parse("v = f'ab{xyz}'\n", "t.py").unwrap();
    let StmtKind::Assign { value, .. } = &m.body[0].kind else {
        panic!()
    };
    let ExprKind::FString(parts) = &value.kind else {
        panic!()
    };
    let FStringPart::Expr { expr, .. } = &parts[1] else {
        panic!()
    };
    assert_eq!(
        (expr.span.line, expr.span.col, expr.span.end_col),
        (1, 10, 13)
    );
}

#[test]
fn statements() {
    check("a = b = c", "(= a b c)");
    check("a, *b = c", "(= (tuple a (* b)) c)");
    check("x = 1,", "(= x (tuple 1))");
    check("[a, (b, c)] = d", "(= (list a (tuple b c)) d)");
    check("a.b[c] += 1", "(+= ([] (. a b) c) 1)");
    check("x: int = 5", "(: x int 5)");
    check("def f(): return a, b", "(def f [] (return (tuple a b)))");
    check("del a[0], b.c", "(del ([] a 0) (. b c))");
    check("raise X from Y", "(raise X Y)");
    check("assert x, 'm'", "(assert x \"m\")");
    check("global a, b", "(global a b)");
    check("import a.b as c, d", "(import a.b as c, d)");
    check("from ..x.y import (a as b, c,)", "(from ..x.y a as b, c)");
    check("from . import *", "(from . *)");
    check("if x: y = 1; z = 2", "(if x [(= y 1) (= z 2)] [])");
    check(
        "for a, b in c: pass\nelse: pass",
        "(for (tuple a b) c [pass] [pass])",
    );
    check("while x: break\nelse: pass", "(while x [break] [pass])");
    check(
        "try: pass\nexcept (A, B) as e: pass\nexcept: pass\nelse: pass\nfinally: pass",
        "(try [pass] (except (tuple A B) e [pass]) (except _ _ [pass]) [pass] [pass])",
    );
    check(
        "with a as b, c as (d, e): pass",
        "(with a as b, c as (tuple d e) [pass])",
    );
    check("with (a as b, c): pass", "(with a as b, c [pass])");
    // As in CPython 3.11, parentheses around several items group the items.
    check("with (a, b): pass", "(with a, b [pass])");
    check("with (a, b) as c: pass", "(with (tuple a b) as c [pass])");
    check(
        "if a:\n    pass\nelif b:\n    pass\nelse:\n    x",
        "(if a [pass] [(if b [pass] [x])])",
    );
    check("match = 1\nmatch(x)", "(= match 1) (call match x)");
    check("def f(): x = yield", "(def f [] (= x (yield)))");
    check(
        "def f(): y = yield from g()",
        "(def f [] (= y (yield-from (call g))))",
    );
}

#[test]
fn definitions() {
    check(
        "def f(a, b=1, /, c=2, *args, d, e=3, **kw): pass",
        "(def f [a b=1 / c=2 *args d e=3 **kw] pass)",
    );
    check("def f(a, /): pass", "(def f [a /] pass)");
    check("def f(*, k): pass", "(def f [* k] pass)");
    check(
        "def f(x: int = 1, *a: str) -> bool: pass",
        "(def f [x=1 *a] pass)",
    );
    check(
        "@functools.wraps(f)\n@staticmethod\nasync def g(): await x",
        "(@(call (. functools wraps) f) @staticmethod async def g [] (await x))",
    );
    check(
        "@d\nclass C(A, B, metaclass=M):\n    x = 1",
        "(@d class C [A B metaclass=M] (= x 1))",
    );
    check("class C: pass", "(class C [] pass)");
    check(
        "lambda a, b=2, *c, d, **e: a",
        "(lambda [a b=2 *c d **e] a)",
    );
    check("lambda *, k=1: k", "(lambda [* k=1] k)");
}

#[test]
fn calls_and_displays() {
    check("f(a, *b, c=1, **d)", "(call f a (* b) c=1 **d)");
    check("f(x for x in y)", "(call f (genexp x (for x y)))");
    check("f(x := 1)", "(call f (:= x 1))");
    check("a[1:2:3], a[::2], a[:], a[1, 2], a[x:]", "(tuple ([] a (slice 1 2 3)) ([] a (slice _ _ 2)) ([] a (slice _ _ _)) ([] a (tuple 1 2)) ([] a (slice x _ _)))");
    check(
        "[x * y for x in a if x for y in b if y if z]",
        "(listcomp (* x y) (for x a (if x)) (for y b (if y) (if z)))",
    );
    check("{k: v for k, v in d}", "(dictcomp k:v (for (tuple k v) d))");
    check("{x for x in s}", "(setcomp x (for x s))");
    check(
        "{1, *a}, {}, {'a': 1, **b}",
        "(tuple (set 1 (* a)) (dict ) (dict \"a\":1 **b))",
    );
    check(
        "[*a, *b], (*a,), ()",
        "(tuple (list (* a) (* b)) (tuple (* a)) (tuple ))",
    );
    check(
        "[y for x in a if (y := x)]",
        "(listcomp y (for x a (if (:= y x))))",
    );
    check(
        "async def f(): (x async for x in y)",
        "(async def f [] (genexp x (for x y)))",
    );
    check("print(*a, sep='')", "(call print (* a) sep=\"\")");
}

#[test]
fn layout() {
    check(
        "if a:\n\tb\n\tif c:\n\t\td\ne",
        "(if a [b (if c [d] [])] []) e",
    );
    check(
        "x = (1 +\n     2)\ny = [\n  3,\n]",
        "(= x (+ 1 2)) (= y (list 3))",
    );
    check("x = 1 + \\\n    2", "(= x (+ 1 2))");
    check(
        "if a:\n    b\n\n    # comment\n\n    c\n",
        "(if a [b c] [])",
    );
    check("x = 1\r\ny = 2\r\n", "(= x 1) (= y 2)");
    check("x = 1", "(= x 1)");
    check("", "");
    check("# only a comment", "");
    check("été = 'ü'", "(= été \"ü\")");
}

#[test]
fn spans() {
    let m = parse("def f():\n    return a + bc\n", "t.py").unwrap();
    assert_eq!(
        m.body[0].span,
        Span {
            line: 1,
            col: 1,
            end_line: 2,
            end_col: 18
        }
    );
    let StmtKind::FunctionDef(f) = &m.body[0].kind else {
        panic!()
    };
    let StmtKind::Return(Some(v)) = &f.body[0].kind else {
        panic!()
    };
    assert_eq!(
        v.span,
        Span {
            line: 2,
            col: 12,
            end_line: 2,
            end_col: 18
        }
    );
    assert_eq!(
        f.body[0].span,
        Span {
            line: 2,
            col: 5,
            end_line: 2,
            end_col: 18
        }
    );
    // Columns count characters, not bytes.
    let m = parse("é = 'ü' + x\n", "t.py").unwrap();
    let StmtKind::Assign { value, .. } = &m.body[0].kind else {
        panic!()
    };
    let ExprKind::BinOp { right, .. } = &value.kind else {
        panic!()
    };
    assert_eq!((right.span.col, right.span.end_col), (11, 12));
}
