# interleave: deterministic
# The hashes of numbers and tuples are CPython's, so a set of floats or of
# tuples iterates (and prints) in CPython's order, and hash() gives its
# numbers. A namedtuple's constructor checks its arguments as CPython's
# does.
from collections import namedtuple

print(hash(-1), hash(2**61 - 1), hash(2**61), hash(10**20), hash(-10**20), hash(2.0) == hash(2))
print(hash(1.5), hash(-0.1), hash(1e300), hash(5e-324), hash(float("inf")), hash(float("-inf")))
print(hash(()), hash((1,)), hash((1, 2)), hash(("a", 2.5)) == hash(("a", 2.5)), hash((1, (2, 3))))
print({1.5, 2.5, 0.25, 3.75, 100.125})
print(set([0.1 * i for i in range(8)]))
pairs = set()
for p in [(1, 2), (3, 4), (5, 6), (0, 0), (10, 1)]:
    pairs.add(p)
print(pairs)


class Big:
    def __hash__(self):
        return 2**64 + 5


class MinusOne:
    def __hash__(self):
        return -1


print(hash(Big()), hash(MinusOne()))

P = namedtuple("P", "x y z")
for args, kwargs in [((1, 2, 3, 4), {}), ((1,), {"x": 2}), ((1,), {"w": 2}), ((1,), {}), ((), {}), ((1, 2), {}), ((1,), {"w": 2, "x": 3})]:
    try:
        P(*args, **kwargs)
    except TypeError as e:
        print("TypeError:", e)
Q = namedtuple("Q", ["a", "b"], defaults=[5])
q = Q(1)
print(Q(1, 2), Q(b=3, a=4), q, q.a, q.b, q[1], len(q), list(q), q == (1, 5), q < (2,), hash(q) == hash((1, 5)))
a, b = q
print(a, b, q._asdict(), q._replace(a=9), Q._make([7, 8]), Q._fields, Q._field_defaults)
# A namedtuple is made by __new__: calling __init__ again changes nothing.
Q.__init__(q, 7, 8)
print(q, q.a)
