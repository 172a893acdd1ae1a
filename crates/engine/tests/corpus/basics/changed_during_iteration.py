# interleave: deterministic
# A dict or a set changed while a loop goes over it: the next step
# raises RuntimeError, as in CPython (changing a dict's values is fine).
D = {"a": 1}
try:
    for k in D:
        D["b"] = 2
except RuntimeError as e:
    print("1", e)
D = {"a": 1, "b": 2}
try:
    for k in D:
        if k == "a":
            del D["a"]
            D["c"] = 3
except RuntimeError as e:
    print("2", e)
D = {"a": 1}
it = iter(D.items())
D["x"] = 1
try:
    next(it)
except RuntimeError as e:
    print("3", e)
try:
    next(it)
except RuntimeError as e:
    print("4", e)
D = {"a": 1, "b": 2}
for k, v in D.items():
    D[k] = v + 1
print(D)
D = {1: 1}
for k in list(D):
    D[k + 1] = 0
print(D)
d = {"a": 1}
vals = iter(d.values())
print(next(vals))
d["a"] = 5
print(list(vals))
S = {1, 2}
try:
    for x in S:
        S.add(x + 10)
except RuntimeError as e:
    print("1", e)
S = {1, 2}
try:
    for x in S:
        S.discard(x)
except RuntimeError as e:
    print("2", e)
S = {3}
for x in S:
    S.discard(3)
    S.add(3)
print(S)
it = iter({1})
print(list(it), list(it))
F = frozenset([5, 6])
print(sorted(x for x in F))
