#!/usr/bin/env python3
"""Compares Interleave's syntax trees with CPython's `ast` for many programs.

Both sides are rendered as the S-expressions of `common/sexpr.rs`: the
Rust side by `cargo run --release --example dump`, this side by `sexpr()`
below. The programs are the valid examples, one statement group at a time,
plus random mutations of them that CPython accepts. Usage (from the
workspace root, after building the example):

    python3 crates/syntax/tests/cpython_tree_check.py [seed] [count] [--spans]

With `--spans`, it compares the positions of all statements and
expressions instead (ASCII programs only, since CPython's columns count
UTF-8 bytes).
"""
import ast, glob, os, random, struct, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DUMP = os.environ.get("DUMP", "/work/target-syntax/release/examples/dump")

BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.MatMult: "@", ast.Div: "/", ast.FloorDiv: "//",
       ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^",
       ast.BitAnd: "&"}
CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Is: "is",
       ast.IsNot: "is-not", ast.In: "in", ast.NotIn: "not-in"}
UN = {ast.Not: "not", ast.Invert: "~", ast.UAdd: "+", ast.USub: "-"}


def rust_str(s):
    """Rust's `{:?}` of a str."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == "\t": out.append("\\t")
        elif ch == "\r": out.append("\\r")
        elif ch == "\n": out.append("\\n")
        elif ch == "\\": out.append("\\\\")
        elif ch == '"': out.append('\\"')
        elif ch == "\0": out.append("\\0")
        elif o < 0x20 or o == 0x7f: out.append("\\u{%x}" % o)
        else: out.append(ch)
    out.append('"')
    return "".join(out)


def const(v):
    if v is None: return "None"
    if v is True: return "True"
    if v is False: return "False"
    if v is Ellipsis: return "..."
    if isinstance(v, int):
        return str(v) if -2**63 <= v < 2**63 else f"big:{v}"
    if isinstance(v, float):
        return "float:%d" % struct.unpack("<Q", struct.pack("<d", v))[0]
    if isinstance(v, str): return rust_str(v)
    if isinstance(v, bytes): return "b" + rust_str(v.decode("utf-8", "replace"))
    raise ValueError(v)


def lst(items): return " ".join(e(i) for i in items)


def parts(values):
    out = []
    for v in values:
        if isinstance(v, ast.Constant):
            out.append(rust_str(v.value))
        else:
            s = "{" + e(v.value)
            if v.conversion != -1: s += " !" + chr(v.conversion)
            if v.format_spec is not None: s += " :[" + parts(v.format_spec.values) + "]"
            out.append(s + "}")
    return " ".join(out)


def comps(gens):
    out = []
    for g in gens:
        s = f"(for {e(g.target)} {e(g.iter)}"
        for i in g.ifs: s += f" (if {e(i)})"
        out.append(s + ")")
    return " ".join(out)


def params(a):
    out = []
    allargs = a.posonlyargs + a.args
    defaults = [None] * (len(allargs) - len(a.defaults)) + list(a.defaults)
    for i, (p, d) in enumerate(zip(allargs, defaults)):
        if i == len(a.posonlyargs) and a.posonlyargs: out.append("/")
        out.append(p.arg if d is None else f"{p.arg}={e(d)}")
    if a.posonlyargs and len(a.posonlyargs) == len(allargs): out.append("/")
    if a.vararg: out.append("*" + a.vararg.arg)
    elif a.kwonlyargs: out.append("*")
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        out.append(p.arg if d is None else f"{p.arg}={e(d)}")
    if a.kwarg: out.append("**" + a.kwarg.arg)
    return "[" + " ".join(out) + "]"


def e(x):
    t = type(x)
    if t is ast.Name: return x.id
    if t is ast.Constant: return const(x.value)
    if t is ast.JoinedStr: return f"(f {parts(x.values)})"
    if t is ast.BinOp: return f"({BIN[type(x.op)]} {e(x.left)} {e(x.right)})"
    if t is ast.UnaryOp: return f"({UN[type(x.op)]} {e(x.operand)})"
    if t is ast.BoolOp: return f"({'and' if isinstance(x.op, ast.And) else 'or'} {lst(x.values)})"
    if t is ast.Compare:
        return "(cmp " + e(x.left) + "".join(f" {CMP[type(o)]} {e(c)}" for o, c in zip(x.ops, x.comparators)) + ")"
    if t is ast.Call:
        s = "(call " + e(x.func)
        for a in x.args: s += " " + e(a)
        for k in x.keywords: s += f" {k.arg}={e(k.value)}" if k.arg else f" **{e(k.value)}"
        return s + ")"
    if t is ast.Attribute: return f"(. {e(x.value)} {x.attr})"
    if t is ast.Subscript: return f"([] {e(x.value)} {e(x.slice)})"
    if t is ast.Slice:
        o = lambda v: "_" if v is None else e(v)
        return f"(slice {o(x.lower)} {o(x.upper)} {o(x.step)})"
    if t is ast.List: return f"(list {lst(x.elts)})"
    if t is ast.Tuple: return f"(tuple {lst(x.elts)})"
    if t is ast.Set: return f"(set {lst(x.elts)})"
    if t is ast.Dict:
        return "(dict " + " ".join(f"{e(k)}:{e(v)}" if k is not None else f"**{e(v)}" for k, v in zip(x.keys, x.values)) + ")"
    if t is ast.ListComp: return f"(listcomp {e(x.elt)} {comps(x.generators)})"
    if t is ast.SetComp: return f"(setcomp {e(x.elt)} {comps(x.generators)})"
    if t is ast.GeneratorExp: return f"(genexp {e(x.elt)} {comps(x.generators)})"
    if t is ast.DictComp: return f"(dictcomp {e(x.key)}:{e(x.value)} {comps(x.generators)})"
    if t is ast.Lambda: return f"(lambda {params(x.args)} {e(x.body)})"
    if t is ast.IfExp: return f"(if {e(x.test)} {e(x.body)} {e(x.orelse)})"
    if t is ast.Starred: return f"(* {e(x.value)})"
    if t is ast.NamedExpr: return f"(:= {e(x.target)} {e(x.value)})"
    if t is ast.Await: return f"(await {e(x.value)})"
    if t is ast.Yield: return "(yield)" if x.value is None else f"(yield {e(x.value)})"
    if t is ast.YieldFrom: return f"(yield-from {e(x.value)})"
    raise ValueError(t)


def body(stmts): return " ".join(s(x) for x in stmts)


def aliases(names): return ", ".join(f"{a.name} as {a.asname}" if a.asname else a.name for a in names)


def s(x):
    t = type(x)
    if t is ast.Expr: return e(x.value)
    if t is ast.Assign: return f"(= {lst(x.targets)} {e(x.value)})"
    if t is ast.AugAssign: return f"({BIN[type(x.op)]}= {e(x.target)} {e(x.value)})"
    if t is ast.AnnAssign:
        return f"(: {e(x.target)} {e(x.annotation)} {e(x.value)})" if x.value else f"(: {e(x.target)} {e(x.annotation)})"
    if t in (ast.FunctionDef, ast.AsyncFunctionDef):
        decos = "".join(f"@{e(d)} " for d in x.decorator_list)
        a = "async " if t is ast.AsyncFunctionDef else ""
        return f"({decos}{a}def {x.name} {params(x.args)} {body(x.body)})"
    if t is ast.ClassDef:
        decos = "".join(f"@{e(d)} " for d in x.decorator_list)
        kws = "".join(f" {k.arg or '**'}={e(k.value)}" for k in x.keywords)
        return f"({decos}class {x.name} [{lst(x.bases)}{kws}] {body(x.body)})"
    if t is ast.Return: return "(return)" if x.value is None else f"(return {e(x.value)})"
    if t is ast.If: return f"(if {e(x.test)} [{body(x.body)}] [{body(x.orelse)}])"
    if t is ast.While: return f"(while {e(x.test)} [{body(x.body)}] [{body(x.orelse)}])"
    if t in (ast.For, ast.AsyncFor):
        a = "async " if t is ast.AsyncFor else ""
        return f"({a}for {e(x.target)} {e(x.iter)} [{body(x.body)}] [{body(x.orelse)}])"
    if t is ast.Break: return "break"
    if t is ast.Continue: return "continue"
    if t is ast.Pass: return "pass"
    if t is ast.Try:
        hs = " ".join(f"(except {'_' if h.type is None else e(h.type)} {h.name or '_'} [{body(h.body)}])" for h in x.handlers)
        return f"(try [{body(x.body)}] {hs} [{body(x.orelse)}] [{body(x.finalbody)}])"
    if t is ast.Raise:
        return f"(raise {'_' if x.exc is None else e(x.exc)} {'_' if x.cause is None else e(x.cause)})"
    if t in (ast.With, ast.AsyncWith):
        a = "async " if t is ast.AsyncWith else ""
        its = ", ".join(f"{e(i.context_expr)} as {e(i.optional_vars)}" if i.optional_vars else e(i.context_expr) for i in x.items)
        return f"({a}with {its} [{body(x.body)}])"
    if t is ast.Assert: return f"(assert {e(x.test)} {'_' if x.msg is None else e(x.msg)})"
    if t is ast.Delete: return f"(del {lst(x.targets)})"
    if t is ast.Global: return f"(global {' '.join(x.names)})"
    if t is ast.Nonlocal: return f"(nonlocal {' '.join(x.names)})"
    if t is ast.Import: return f"(import {aliases(x.names)})"
    if t is ast.ImportFrom: return f"(from {'.' * x.level}{x.module or ''} {aliases(x.names)})"
    raise ValueError(t)


SKIP = (ast.expr_context, ast.keyword, ast.arg, ast.arguments, ast.alias, ast.comprehension, ast.withitem,
        ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.Module)


def spans(tree):
    """`Kind line:col-end_line:end_col` for each statement and expression,
    with 1-based columns, skipping the inside of f-strings."""
    out = []
    stack = [tree]
    while stack:
        n = stack.pop()
        if not isinstance(n, SKIP):
            out.append(f"{type(n).__name__} {n.lineno}:{n.col_offset + 1}-{n.end_lineno}:{n.end_col_offset + 1}")
        if isinstance(n, ast.JoinedStr):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return "|".join(sorted(out))


def main():
    nums = [a for a in sys.argv[1:] if not a.startswith("--")]
    seed = int(nums[0]) if nums else 1
    count = int(nums[1]) if len(nums) > 1 else 2000
    random.seed(seed)
    files = [open(f).read() for f in sorted(glob.glob(os.path.join(HERE, "valid", "*.py")))]
    progs = list(files)
    pieces = ["(", ")", "[", "]", ",", " + ", " - ", "*", "**", " if x else ", " and ", " or ", " not ", "-",
              " < ", " == ", ".a", "[0]", "(1)", " lambda: ", "await ", "f'{x}'", "'s'", "1", "x", " in ", " is "]
    while len(progs) < count:
        src = list(random.choice(files))
        for _ in range(random.randint(1, 3)):
            at = random.randint(0, len(src))
            if random.random() < 0.3:
                del src[at:at + random.randint(1, 3)]
            else:
                src[at:at] = list(random.choice(pieces))
        text = "".join(src)
        try:
            tree = ast.parse(text)
            compile(text, "main.py", "exec")
        except Exception:
            continue
        # Complex numbers are outside the subset.
        if any(isinstance(n, ast.Constant) and isinstance(n.value, complex) for n in ast.walk(tree)):
            continue
        progs.append(text)
    path = "/tmp/interleave_tree_progs.txt"
    open(path, "w").write("\0".join(progs))
    with_spans = "--spans" in sys.argv
    args = [DUMP, path] + (["--spans"] if with_spans else [])
    mine = subprocess.run(args, capture_output=True, text=True).stdout.split("\n")
    bad = 0
    for src, m in zip(progs, mine):
        if with_spans:
            # CPython counts columns in UTF-8 bytes, Interleave in characters.
            if not src.isascii():
                continue
            theirs = spans(ast.parse(src))
        else:
            theirs = body(ast.parse(src).body).replace("\n", "\\n")
        if theirs != m:
            bad += 1
            if bad <= 5:
                i = next((i for i in range(min(len(theirs), len(m))) if theirs[i] != m[i]), 0)
                print(f"DIFF at char {i}:\n  CPython: ...{theirs[max(0, i - 80):i + 80]}\n  mine:    ...{m[max(0, i - 80):i + 80]}")
    print(f"{len(progs) - bad} of {len(progs)} programs give the same tree")
    sys.exit(1 if bad else 0)


main()
