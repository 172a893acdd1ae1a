# interleave: deterministic
# A tour of the language features the engine compiles: generators with send
# and yield from, finally on every exit path, context managers, properties,
# dunder methods, unpacking, formatting and the stdlib helpers.
def gen():
    x = yield 1
    print("got", x)
    y = yield x * 2
    print("got", y)
    return "done"
g = gen()
print(next(g)); print(g.send(5))
try:
    g.send(7)
except StopIteration as e:
    print("stop", e.value if hasattr(e, 'value') else e)
def inner():
    yield 1; yield 2
    return 3
def outer():
    r = yield from inner()
    print("inner returned", r)
    yield 4
print(list(outer()))
def f():
    try:
        return "try"
    finally:
        print("finally runs")
print(f())
for i in range(5):
    try:
        if i == 1: continue
        if i == 3: break
        print("body", i)
    finally:
        print("fin", i)
class CM:
    def __enter__(self): print("enter"); return self
    def __exit__(self, t, v, tb): print("exit", t.__name__ if t else None, v); return True
with CM() as c:
    raise ValueError("suppressed")
print("after with")
class P:
    def __init__(self): self._x = 0
    @property
    def x(self): return self._x
    @x.setter
    def x(self, v): self._x = v * 2
    @classmethod
    def make(cls): return cls()
    @staticmethod
    def s(a): return a + 1
p = P.make(); p.x = 5; print(p.x, P.s(1), p.s(2))
a, *b, c = [1, 2, 3, 4, 5]; print(a, b, c)
(x, y), z = (1, 2), 3; print(x, y, z)
print(1 < 2 < 3, 1 < 3 < 2, [i*j for i in range(3) for j in range(3) if i != j])
print({k: v for k, v in zip('abc', range(3))}, {x % 3 for x in range(10)})
l = list(range(10)); l[2:5] = ['a']; print(l, l[::-1], l[1:8:2])
del l[0]; print(l)
print("%5.2f|%-5d|%s|%r|%x" % (3.14159, 42, 'hi', 'hi', 255))
print("{:>8}|{:<8}|{:^8}|{:08.3f}|{:,}|{!r}".format('a', 'b', 'c', 3.14159, 1234567, 'x'))
print(f"{3.5:.0f} {2.5:.0f} {round(2.5)} {round(3.5)} {round(2.675, 2)} {1e-7} {123456789012345678.0}")
print(sorted([(1, 'b'), (1, 'a'), (0, 'z')]), sorted("banana", reverse=True), max([1, 5, 3], key=lambda v: -v))
d = {'a': 1}; d.setdefault('b', []).append(2); print(d, d.get('z', 0), list(d.items()), d.pop('a'))
class V:
    def __init__(self, x): self.x = x
    def __eq__(self, o): return isinstance(o, V) and self.x == o.x
    def __lt__(self, o): return self.x < o.x
    def __repr__(self): return f"V({self.x})"
    def __len__(self): return self.x
    def __getitem__(self, i): return i * 10
    def __call__(self, y): return self.x + y
    def __add__(self, o): return V(self.x + o.x)
    def __hash__(self): return hash(self.x)
print(V(1) == V(1), V(1) != V(2), sorted([V(3), V(1)]), len(V(4)), V(2)[3], V(2)(5), V(1) + V(2), V(1) in [V(1)], {V(1): 'a'}[V(1)])
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
c = counter(); c(); print(c())
print(int("  42 "), float("1.5"), str(1.0), repr(1e100), 10**20, -7 // 2, -7 % 2, 2**-1, divmod(-7, 2), abs(-3.5))
print(type(1), type(True), type([]), isinstance(True, int), issubclass(bool, int))
print(bytes([65, 66]), b"x".decode(), "é".encode(), list(enumerate("ab", 1)))
class A:
    def hi(self): return "A"
class B(A):
    def hi(self): return "B" + super().hi()
class C(A):
    def hi(self): return "C" + super().hi()
class D(B, C):
    def hi(self): return "D" + super(D, self).hi()
print(D().hi(), [k.__name__ for k in D.__mro__])
try:
    raise KeyError("k")
except Exception as e:
    print(repr(e), str(e), e.args)
try:
    try:
        1/0
    except ZeroDivisionError:
        raise ValueError("x")
except ValueError as e:
    print(type(e.__context__).__name__)
print(any([]), all([]), sum([0.1]*10), min("abc"), list(map(str, [1,2])), list(filter(None, [0,1,2])))
import json
print(json.dumps({"a": [1, 2.5, None, True], "b": "é"}), json.dumps({"b": 1, "a": 2}, sort_keys=True, indent=2))
print(json.loads('{"x": [1, 2, {"y": null}]}'))
from collections import deque, Counter, defaultdict, OrderedDict
dq = deque([1,2,3], maxlen=3); dq.append(4); dq.appendleft(0); print(dq)
print(Counter("abracadabra").most_common(2), defaultdict(int, {'a': 1}))
od = OrderedDict(); od['x'] = 1; od['y'] = 2; od.move_to_end('x'); print(od, od.popitem(last=False))
import itertools, functools
print(list(itertools.islice(itertools.count(5), 3)), list(itertools.product([1,2], 'ab')), functools.reduce(lambda a, b: a*b, [1,2,3,4]))
print(list(itertools.permutations([1,2,3], 2)), list(itertools.chain([1], [2, 3])))
print("a,b,,c".split(","), " x y ".split(), "abc".title(), "hello world".find("o", 5), "x".center(6, '*'), "42".zfill(5))
print(hex(255), bin(5), oct(8), chr(97), ord('a'), 7 .bit_length(), (1.5).is_integer())
print(str(None), [None, True], (1,), (), {}, set(), [[1, 2], [3]])
x = [1]; x.append(x); print(x)
print(round(1234.5678, -2), round(-0.5), 0.1 * 3, 1/3, 2/3, 100.0, 1e22, 1.5e-5)
