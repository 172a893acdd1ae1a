x = y = n = m = 1
a = b = [1]
walrus = [y for v in range(5) if (y := v * 2) > 2]
sl = [1, 2, 3, 4][1:3], [1, 2][::2], "abc"[::-1], [0][:]
multi = {(1, 2): 3}[1, 2]
sets = {1, 2, *[3]}
dicts = {"a": 1, **{"b": 2}}
comps = [i * j for i in range(3) for j in range(3) if i if j]
setc = {c for c in "hello"}
dictc = {k: v for k, v in zip("ab", "cd")}
gen = sum(i for i in range(10))
nested = [[j for j in range(i)] for i in range(3)]
strings = 'single', "double", '''triple
line''', """tri"ple""", r'\d+', b'bytes', rb'\x00', Rb"x", u"unicode", F"{x}"
concat = "a" "b" 'c'
fconcat = "a" f"{x}" "c" f'{y!r:>10}'
escapes = "\n\t\\\'\"\x41\u00e9\101\0"
unicode_name = "héllo wörld ✓"
été = 1
fmt = f"{x:{n}.{m}f} {x=} {{literal}} {'quoted'} {x!s:^5}"
tq = f"""multi
{x}
line"""
continued = 1 + \
    2
implicit = (1 +
            2)
del table["k"], obj.attr
del (f), [g]
assert x == 0, "x must be zero"
assert True


