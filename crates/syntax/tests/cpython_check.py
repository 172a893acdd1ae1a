#!/usr/bin/env python3
"""Checks the expectations in invalid.txt against CPython 3.11.

Each case in invalid.txt is

    ### name
    <source lines>
    --- Kind: message @ line:col

Run `python3 cpython_check.py` to compare every expectation with what
CPython's compile() reports, or `python3 cpython_check.py --update` to rewrite
the expectations from CPython. Cases whose expectation line starts with
`--- !` are Interleave-specific (features outside the subset) and are left
alone: CPython accepts them or says something else on purpose.

`python3 cpython_check.py --render` compares, for every case, the full text
that `python3 main.py` prints with `SyntaxError::render()` (it needs
`cargo build --release -p interleave-syntax --example render` first; set
RENDER to the binary if it is not in /work/target-syntax).
"""
import os
import subprocess
import sys
import tempfile

PATH = __file__.rsplit("/", 1)[0] + "/invalid.txt"


def cases(text):
    out, name, src = [], None, []
    for line in text.split("\n"):
        if line.startswith("### "):
            name, src = line[4:].strip(), []
        elif line.startswith("---") and name is not None:
            out.append((name, "\n".join(src) + "\n", line))
            name = None
        elif name is not None:
            src.append(line)
    return out


def cpython(src):
    try:
        compile(src, "main.py", "exec")
        return "OK"
    except SyntaxError as e:
        return f"{type(e).__name__}: {e.msg} @ {e.lineno}:{e.offset}"


def render_check(text):
    """Compares render() with what CPython prints when running the file."""
    binary = os.environ.get("RENDER", "/work/target-syntax/release/examples/render")
    todo = [c for c in cases(text) if not c[2].startswith("--- !")]
    with tempfile.TemporaryDirectory() as tmp:
        progs = os.path.join(tmp, "progs.txt")
        open(progs, "w").write("\0".join(src for _, src, _ in todo))
        mine = subprocess.run([binary, progs], capture_output=True, text=True).stdout.split("\0")
        bad = 0
        for (name, src, _), rendered in zip(todo, mine):
            open(os.path.join(tmp, "main.py"), "w").write(src)
            run = subprocess.run([sys.executable, "-W", "ignore", "main.py"], capture_output=True, text=True, cwd=tmp)
            theirs = run.stderr.replace(os.path.join(tmp, "main.py"), "main.py") if run.returncode else "OK\n"
            if theirs.strip() != rendered.strip():
                bad += 1
                print(f"== {name}\nCPython:\n{theirs}Interleave:\n{rendered}")
    print("render mismatches:", bad, "of", len(todo))


def main():
    text = open(PATH).read()
    if "--render" in sys.argv:
        render_check(text)
        return
    update = "--update" in sys.argv
    bad = 0
    for name, src, expect in cases(text):
        if expect.startswith("--- !"):
            continue
        got = "--- " + cpython(src)
        if got != expect:
            if update:
                text = text.replace(f"### {name}\n{src}{expect}", f"### {name}\n{src}{got}", 1)
            else:
                bad += 1
                print(f"{name}: expected {expect!r}, CPython says {got!r}")
    if update:
        open(PATH, "w").write(text)
    print("mismatches:", bad)


main()
