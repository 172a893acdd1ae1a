# interleave: deterministic
# copy.copy and copy.deepcopy: a shallow copy is a new outer container
# that still shares its items; a deep copy shares nothing (and copies a
# shared or cyclic part once). Giving each thread its own deep copy of
# the data removes the race: nothing is shared any more.
import copy
import threading
from collections import deque, OrderedDict, defaultdict

config = {"name": "job", "tags": ["a", "b"], "limits": (1, [2, 3])}
shallow = copy.copy(config)
deep = copy.deepcopy(config)
shallow["tags"].append("c")
deep["tags"].append("d")
print(config["tags"], shallow["tags"], deep["tags"])
print(shallow is config, shallow["tags"] is config["tags"], deep["tags"] is config["tags"])
print(deep["limits"] == config["limits"], deep["limits"] is config["limits"], deep["limits"][1] is config["limits"][1])
t = (1, "x", (2, 3))
print(copy.deepcopy(t) is t, copy.copy(t) is t, copy.copy(5), copy.deepcopy("s"))

class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
        self.history = [(x, y)]
    def __repr__(self):
        return f"Point({self.x}, {self.y}, {self.history})"

p = Point(1, 2)
q = copy.copy(p)
r = copy.deepcopy(p)
q.x = 10
q.history.append("q")
r.history.append("r")
print(p, q, r, type(r).__name__)

loop = [1]
loop.append(loop)
c = copy.deepcopy(loop)
print(c[1] is c, c is loop, c[0])
shared = [0]
pair = [shared, shared]
dp = copy.deepcopy(pair)
print(dp[0] is dp[1], dp[0] is shared)

d = deque([[1], [2]], maxlen=3)
dd = copy.deepcopy(d)
dd[0].append(9)
print(d, dd, copy.copy(d).maxlen)
od = OrderedDict(b=[1], a=[2])
print(copy.deepcopy(od), type(copy.copy(od)).__name__)
dfd = defaultdict(list)
dfd["k"].append(1)
c2 = copy.deepcopy(dfd)
c2["new"].append(2)
print(dict(c2), c2.default_factory is list, dict(dfd))
s = {1, 2, (3, 4)}
print(copy.deepcopy(s) == s, copy.copy(s) is s, frozenset([1]) is copy.copy(frozenset([1])))

class WithCopy:
    def __init__(self):
        self.n = 1
    def __copy__(self):
        print("__copy__ called")
        return "custom"
    def __deepcopy__(self, memo):
        print("__deepcopy__ called with", type(memo).__name__)
        return "deep custom"
print(copy.copy(WithCopy()), copy.deepcopy(WithCopy()))

for bad in [threading.Lock(), threading.RLock()]:
    try:
        copy.deepcopy({"lock": bad})
    except TypeError as e:
        print("TypeError:", e)

# Each worker gets its own deep copy: no update is lost, and the
# original is untouched.
data = {"counts": [0, 0]}
results = []
def work(mine):
    for _ in range(3):
        mine["counts"][0] += 1
    results.append(mine["counts"][0])
ts = [threading.Thread(target=work, args=(copy.deepcopy(data),)) for _ in range(2)]
for th in ts:
    th.start()
for th in ts:
    th.join()
print(results, data)
print(copy.copy(len) is len, copy.deepcopy(Point) is Point)
