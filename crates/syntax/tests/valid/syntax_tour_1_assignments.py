# Comments, blank lines and every statement form in the subset.

x = y = 0
a, *b = [1, 2, 3]
(c, d), e = (1, 2), 3
[f, g] = "fg"
obj = type("O", (), {})()
obj.attr = 1
table = {}
table["k"] = table.get("k", 0) + 1
n = 10
n += 1; n -= 1; n *= 2; n //= 3; n %= 7; n **= 2
n <<= 1; n >>= 1; n |= 4; n &= 7; n ^= 1; n /= 2
m: int = 5
annotated: "str"
values = 1,
empty = ()
pair = 1, 2
big = 123456789012345678901234567890
hexes = 0xFF, 0o17, 0b1010, 1_000_000, 0x_ff
floats = 1.5, 1e-3, 1_000.5, .5, 5., 1E10
neg = -2 ** 2
chained = 1 < 2 <= 3 != 4
membership = 1 not in [2] and x is not None
bits = ~1 | 2 ^ 3 & 4 << 1 >> 1
arith = 1 + 2 * 3 - 4 / 5 // 6 % 7
cond = "yes" if x else "no"
lam = lambda p, q=2, *r, s, t=4, **u: p + q
lam2 = lambda: None
lam3 = lambda *, k: k
