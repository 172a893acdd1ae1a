# interleave: deterministic
# collections.namedtuple: fields by name and by index, unpacking,
# defaults, _asdict/_replace/_make, ordering and hashing.
from collections import namedtuple, deque, Counter
import collections
Point = namedtuple('Point', ['x', 'y'])
p = Point(1, y=2)
print(p, p.x, p[1], len(p), list(p), p == (1, 2), p._asdict(), p._replace(x=5))
x, y = p
print(x + y, Point._make([3, 4]), Point._fields, Point.__name__)
Job = collections.namedtuple("Job", "name priority", defaults=[0])
print(Job("a"), sorted([Job("b", 2), Job("a", 1)]), hash(Job("a")) == hash(Job("a")))
print(deque([1]), Counter("aab"))
