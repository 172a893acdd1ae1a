# interleave: deterministic
# operator's functions as sort keys and reducers, as CPython runs them.
import operator
import threading
from functools import reduce
from operator import itemgetter, attrgetter, methodcaller

scores = [("ann", 3), ("bob", 1), ("cy", 2)]
print(sorted(scores, key=itemgetter(1)), max(scores, key=itemgetter(1))[0])
print(itemgetter(0, 1)(["a", "b", "c"]), itemgetter("k")({"k": 9}), itemgetter(1))

class Job:
    def __init__(self, name, size):
        self.name = name
        self.size = size
        self.owner = threading.current_thread()

jobs = [Job("b", 2), Job("a", 5), Job("c", 1)]
print([j.name for j in sorted(jobs, key=attrgetter("size"))], attrgetter("name", "size")(jobs[0]))
print(attrgetter("owner.name")(jobs[0]), attrgetter("name"))
print(list(map(methodcaller("upper"), ["x", "y"])), methodcaller("split", ",")("a,b"))
print(reduce(operator.add, [1, 2, 3, 4]), reduce(operator.mul, range(1, 6)), operator.sub(5, 7))
print(operator.truediv(7, 2), operator.floordiv(7, 2), operator.mod(7, 2), operator.pow(2, 10), operator.neg(3))
print(operator.lt(1, 2), operator.eq("a", "a"), operator.not_(0), operator.truth([]), operator.contains([1, 2], 2))
print(operator.and_(6, 3), operator.or_(6, 3), operator.xor(6, 3), operator.lshift(1, 4), operator.inv(5))
d = {}
operator.setitem(d, "x", 1)
print(d, operator.getitem(d, "x"), operator.countOf([1, 2, 1], 1), operator.indexOf("abc", "c"))
lst = [1]
print(operator.iadd(lst, [2]) is lst, lst, operator.concat("ab", "cd"), operator.is_(None, None))
try:
    operator.indexOf([1], 5)
except ValueError as e:
    print("ValueError:", e)
