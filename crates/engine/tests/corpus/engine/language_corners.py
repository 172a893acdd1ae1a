# interleave: deterministic
# More language corners: class decorators, nonlocal through two levels,
# star arguments, generator cleanup on break, finally with return,
# keyword-only parameters, big ints, float and str edge cases.
def deco(cls):
    cls.tag = "decorated"
    return cls
@deco
class K:
    count = 0
    def __init__(self):
        K.count += 1
print(K.tag, K().count, K.count)
def outer():
    x = 1
    def mid():
        def inner():
            nonlocal x
            x += 10
            return x
        return inner()
    r = mid()
    return x, r
print(outer())
def f(*args, sep="-", **kw):
    return sep.join(map(str, args)) + str(sorted(kw.items()))
print(f(1, 2, *[3, 4], sep="+", **{"a": 1}, b=2))
def g():
    try:
        yield 1
        yield 2
    finally:
        print("gen cleanup")
for v in g():
    print("v", v)
    break
print("after break")
def h():
    for i in range(3):
        try:
            if i == 1:
                return i
        finally:
            print("fin", i)
print(h())
def kw_only(a, *, b=2, c):
    return a, b, c
print(kw_only(1, c=3))
try:
    kw_only(1)
except TypeError as e:
    print(e)
try:
    f2 = lambda x: x
    f2(1, 2)
except TypeError as e:
    print(e)
x = 5
def use_global():
    global x
    x = x * 2
use_global(); print(x)
matrix = [[i * j for j in range(3)] for i in range(3)]
print(matrix, [row[1] for row in matrix], list(zip(*matrix)))
s = "hello"
print(s[::-1], s[1:-1], s[-3:], s * 2, "l" in s, s.count("l"), s.index("l"))
print({**{"a": 1}, "b": 2}, [*range(3), *"ab"], (*[1, 2],))
t = (1, 2, 3)
a, b, c = t
print(a + b + c, t.index(2), t + (4,), t[::2])
class Node:
    def __init__(self, v, nxt=None):
        self.v, self.nxt = v, nxt
n = Node(1, Node(2, Node(3)))
vals = []
while n:
    vals.append(n.v); n = n.nxt
print(vals)
print(isinstance(3, (str, int)), callable(len), callable(3), hasattr([], "append"), getattr(Node(5), "v"))
print(sorted({"b": 2, "a": 1}.items(), key=lambda kv: kv[1], reverse=True))
print("{0} {1} {0}".format("a", "b"), "%(x)s-%(y)d" % {"x": "X", "y": 3}, f"{'nested'!r:>10}")
print(divmod(17, 5), pow(2, 10), pow(2, 10, 1000), abs(-2**70), 2**64, -(2**63), 10**20 // 3, 7.0 // 2, -7.5 % 2)
print(int("ff", 16), int("0b101", 0), float("inf"), -float("inf"), float("nan") != float("nan"), round(0.5), round(1.5), round(-1.5))
print(str(3.0), str(1e-5), 1e300 * 10, 0.1 + 0.7, 3.14159e10, 123456789.123456789, 5e-324)
print(chr(0x1F600), len("😀"), "naïve".upper(), "straße".upper(), "ǅ".lower())
print(list(reversed([1, 2, 3])), list(reversed("abc")), [x for x in range(10) if x % 3 == 0])
